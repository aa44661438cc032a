//! `train --game xy|bigan|cyclegan|pix2pix|vae|vae-mnist`: the games beyond the classic GAN, opened from a link
//! built from the flags (the page's link format, read strictly: a value that would be
//! clamped or refused is an error), trained by the shared loop, measured by the lab.

use super::common::{exit_code, print_summary, train_loop, RunSummary, TrainArgs};
use super::flags::keys;
use super::prepare::{classifier_bytes, digits_bytes};
use crate::core::error::{GanError, Result};
use crate::core::game::{TrainConfig, TRAIN_SETTINGS};
use crate::core::plane::PlaneModel;
use crate::core::session::games::{self, GameRow, GAMES};
use crate::core::session::link::Named;
use crate::core::session::link::{DigitAssets, Link, GAME_KEY};
use crate::core::session::Lab;
use crate::core::settings::hash;
use serde_json::{Map, Value};
use std::process::ExitCode;

/// The link the flags describe: the game, its `--set` pairs, then every setting flag
/// given (a flag of a setting the game does not have is refused). The seed and the loss
/// are the CLI's defaults, as for the 2D GAN, where the game has them and no flag gives
/// them (the CycleGAN's own loss is LSGAN, its seed 3).
fn link(a: &TrainArgs, game: &GameRow) -> Result<String> {
    let mut kv: Vec<(&str, String)> = vec![(GAME_KEY, game.key().to_string())];
    for pair in &a.set {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| GanError::InvalidConfig(format!("--set: '{pair}' is not key=value")))?;
        kv.push((k, v.to_string()));
    }
    let own: Vec<&str> = (game.settings)().iter().map(|s| s.key).collect();
    let live = keys(TRAIN_SETTINGS);
    a.settings.refuse_outside(
        &[&live, &own],
        &format!(
            "not a setting of the {} game (its own: {}; or --set key=value)",
            game.key(),
            own.join(", ")
        ),
    )?;
    kv.extend(a.settings.pairs().iter().map(|(k, v)| (*k, v.clone())));
    let cli_defaults = [
        ("seed", PlaneModel::default().seed.to_string()),
        ("loss", TrainConfig::default().loss.name()),
    ];
    for (key, value) in cli_defaults {
        if a.settings.get(key).is_none() && (own.contains(&key) || live.contains(&key)) {
            kv.push((key, value));
        }
    }
    Ok(hash::join(&kv))
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    let name = a.game.clone().unwrap_or_default();
    let game = games::row(&name)
        .filter(|r| r.link.named == Named::Game)
        .ok_or_else(|| {
            GanError::InvalidConfig(format!(
                "--game: unknown game '{name}' (expected one of {})",
                GAMES.join(", ")
            ))
        })?;
    let link = link(&a, game)?;
    // A game of the digits (the MNIST VAE) trains on the set-up's training digits.
    let (mut lab, notes) = if game.digits {
        let digits = digits_bytes(&a.data_dir.join("train.digits"))?;
        let classifier = classifier_bytes(&a.data_dir)?;
        let assets = DigitAssets {
            digits: &digits,
            classifier: &classifier,
        };
        (game.open)(&Link::parse(&link), Some(&assets))?
    } else {
        games::lab_from_link(&link)?
    };
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
    out.insert("game".into(), name.clone().into());
    out.extend(last.clone());
    print_summary(a.json, &Value::Object(out), || {
        let fields: Vec<String> = last
            .iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        format!(
            "{name}: step {} · {:.0} it/s · {}",
            summary.step,
            summary.steps_per_s,
            fields.join(" · ")
        )
    })?;
    Ok(exit_code(run.error))
}
