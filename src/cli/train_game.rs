//! `train --game xy|bigan|cyclegan`: the games beyond the classic GAN, opened from a link
//! built from the flags (the page's link format, read strictly: a value that would be
//! clamped or refused is an error), trained by the shared loop, measured by the lab.

use super::common::{exit_code, print_summary, train_loop, RunSummary, TrainArgs};
use crate::core::error::{GanError, Result};
use crate::core::session::games::{lab_from_link, GAMES};
use crate::core::session::Lab;
use crate::core::settings::hash;
use serde_json::{Map, Value};
use std::process::ExitCode;

/// The link the flags describe: the game, its `--set` pairs, and the live settings given.
/// The xy game takes no seed, no loss and no optimiser (plain gradient steps).
fn link(a: &TrainArgs, game: &str) -> Result<String> {
    let mut kv: Vec<(&str, String)> = vec![("game", game.to_string())];
    for pair in &a.set {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| GanError::InvalidConfig(format!("--set: '{pair}' is not key=value")))?;
        kv.push((k, v.to_string()));
    }
    kv.push(("k", a.k.to_string()));
    kv.push(("kg", a.kg.to_string()));
    if game != "xy" {
        kv.push(("seed", a.seed.to_string()));
        kv.push(("loss", a.loss.clone()));
        kv.push(("optd", a.optimizer.clone()));
        kv.push(("optg", a.optimizer.clone()));
    }
    for (key, v) in [("lrd", a.lr_d), ("lrg", a.lr_g)] {
        if let Some(v) = v {
            kv.push((key, v.to_string()));
        }
    }
    if let Some(b) = a.batch {
        kv.push(("batch", b.to_string()));
    }
    kv.push(("clip", a.clip.to_string()));
    Ok(kv
        .iter()
        .map(|(k, v)| format!("{k}={}", hash::encode(v)))
        .collect::<Vec<_>>()
        .join("&"))
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    let game = a.game.clone().unwrap_or_default();
    if !GAMES.contains(&game.as_str()) {
        return Err(GanError::InvalidConfig(format!(
            "--game: unknown game '{game}' (expected one of {})",
            GAMES.join(", ")
        )));
    }
    let link = link(&a, &game)?;
    let (mut lab, notes) = lab_from_link(&link)?;
    if let Some(note) = notes.first() {
        return Err(GanError::InvalidConfig(note.clone()));
    }
    let mut last: Map<String, Value> = Map::new();
    let run = train_loop(
        &mut lab,
        |l: &mut Box<dyn Lab>| l.game_mut(),
        &a,
        20,
        |_, _, _| Ok(String::new()),
    )?;
    // The lab measures itself once at the end (its evaluation needs `&mut`).
    if run.error.is_none() {
        lab.evaluate()?;
    }
    lab.readout(&mut last);
    let summary = RunSummary::new(lab.game(), &run);
    let mut out = serde_json::to_value(&summary)
        .map_err(|e| GanError::InvalidData(e.to_string()))?
        .as_object()
        .cloned()
        .unwrap_or_default();
    out.insert("game".into(), game.clone().into());
    out.extend(last.clone());
    print_summary(a.json, &Value::Object(out), || {
        let fields: Vec<String> = last
            .iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        format!(
            "{game}: step {} · {:.0} it/s · {}",
            summary.step,
            summary.steps_per_s,
            fields.join(" · ")
        )
    })?;
    Ok(exit_code(run.error))
}
