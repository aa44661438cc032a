//! `gan-playground train` on 2D data: the training loop, curves, plots and the JSON
//! summary.

use super::common::{
    check_run_length, choose_threads, exit_code, print_summary, train_config, train_loop,
    DeviceArg, RunSummary, TrainArgs,
};
use super::flags::keys;
use super::plot;
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, TrainConfig, TRAIN_SETTINGS};
use crate::core::history::HistoryPoint;
use crate::core::plane::metrics::W1_SAMPLES_LIVE;
use crate::core::plane::presets::{paper_preset, PAPER_PRESETS};
use crate::core::plane::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use crate::core::session::plane::read_plane_hash;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Serialize, Debug)]
struct Summary {
    #[serde(flatten)]
    run: RunSummary,
    dataset: String,
    js: Option<f64>,
    kl: Option<f64>,
    rkl: Option<f64>,
    w1: Option<f64>,
    modes_total: usize,
    modes_covered: usize,
    high_quality: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    trace: Vec<[f64; 2]>,
}

pub(super) fn configs(a: &TrainArgs) -> Result<(PlaneModel, TrainConfig)> {
    a.settings.refuse_outside(
        &[&keys(TRAIN_SETTINGS), &keys(PLANE_SETTINGS)],
        "for --dataset mnist only",
    )?;
    let mut model = PlaneModel::default();
    a.settings.apply(PLANE_SETTINGS, &mut model)?;
    let cfg = train_config(a, &TrainConfig::default())?;
    let (model, cfg) = match &a.preset {
        Some(name) => with_preset(name, &model, &cfg)?,
        None => (model, cfg),
    };
    cfg.validate()?;
    model.validate()?;
    check_run_length(a)?;
    Ok((model, cfg))
}

/// A paper's preset ([`PAPER_PRESETS`]) applied over the flags' configuration.
fn with_preset(
    name: &str,
    model: &PlaneModel,
    cfg: &TrainConfig,
) -> Result<(PlaneModel, TrainConfig)> {
    let preset = paper_preset(name).ok_or_else(|| {
        let names: Vec<&str> = PAPER_PRESETS.iter().map(|p| p.name).collect();
        GanError::InvalidConfig(format!(
            "unknown preset '{name}' (expected {})",
            names.join(", ")
        ))
    })?;
    let (model, cfg, notes) = read_plane_hash(preset.link, (model, cfg));
    match notes.first() {
        Some(n) => Err(GanError::InvalidConfig(format!("preset {name}: {n}"))),
        None => Ok((model, cfg)),
    }
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    let (model, cfg) = configs(&a)?;
    let dev = DeviceArg::parse(&a.device)?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            GanError::InvalidConfig(format!(
                "cannot create output folder {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut trainer = dev.build(
        |d| PlaneTrainer::new(model.clone(), cfg, d),
        |t| t.game() as &dyn Game,
    )?;
    super::memory::check_fits(trainer.game())?;
    choose_threads(trainer.game());
    let mut curves: Vec<HistoryPoint> = Vec::new();
    let mut run = train_loop(
        &mut trainer,
        |t| t.game_mut(),
        &a,
        50,
        |t, done, stats| {
            // The curves' points take the exact W1 on the page's smaller sample (an
            // O(n³) assignment: 200 points cost 1/16 of 500); the summary takes 500.
            let m = t.evaluate_with_w1(a.eval_samples, W1_SAMPLES_LIVE)?;
            curves.push(m.history_point(done, stats.d_loss, stats.g_loss, &cfg.loss));
            Ok(format!(
                "JS {:.3}  modes {}/{}",
                m.js, m.modes_covered, m.modes_total
            ))
        },
    )?;
    let metrics = if run.diverged() {
        None
    } else {
        run.keep(trainer.evaluate(a.eval_samples))?
    };
    let common = RunSummary::new(trainer.game(), &run);
    let (diverged, error, trace, train_secs) = (run.diverged(), run.error, run.trace, run.secs);
    let summary = Summary {
        run: common,
        dataset: trainer.model().dataset.name().to_string(),
        js: metrics.as_ref().map(|m| m.js),
        kl: metrics.as_ref().map(|m| m.kl),
        rkl: metrics.as_ref().map(|m| m.rkl),
        w1: metrics.as_ref().map(|m| m.w1),
        modes_total: metrics.as_ref().map_or(0, |m| m.modes_total),
        modes_covered: metrics.as_ref().map_or(0, |m| m.modes_covered),
        high_quality: metrics.as_ref().and_then(|m| m.high_quality),
        trace,
    };

    if let Some(dir) = &a.out {
        write_outputs(dir, &trainer, &curves, diverged)?;
    }
    print_summary(a.json, &summary, || {
        format!(
            "{} iterations of {} on {} in {:.1}s ({:.0} it/s): JS {} KL {} W1 {} modes {}/{}{}",
            summary.run.step,
            summary.run.loss,
            summary.dataset,
            train_secs,
            summary.run.steps_per_s,
            fmt_opt(summary.js),
            fmt_opt(summary.kl),
            fmt_opt(summary.w1),
            summary.modes_covered,
            summary.modes_total,
            if diverged { " — DIVERGED" } else { "" }
        )
    })?;
    Ok(exit_code(error))
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.4}"))
}

fn write_outputs(
    dir: &std::path::Path,
    trainer: &PlaneTrainer,
    curves: &[HistoryPoint],
    diverged: bool,
) -> Result<()> {
    let io =
        |e: std::io::Error| GanError::InvalidData(format!("writing to {}: {e}", dir.display()));
    let mut csv = String::from(
        "step,d_loss,g_loss,js,kl,rkl,w1,modes_covered,high_quality,d_estimate,d_measured\n",
    );
    for c in curves {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            c.step,
            c.d_loss,
            c.g_loss,
            c.js,
            c.kl,
            c.rkl,
            c.w1,
            c.modes_covered,
            c.high_quality,
            c.d_estimate,
            c.d_measured
        ));
    }
    std::fs::write(dir.join("curves.csv"), csv).map_err(io)?;
    plot::curves_png(&dir.join("curves.png"), curves)?;
    if !diverged {
        plot::samples_png(&dir.join("samples.png"), trainer)?;
        let tensors: std::collections::HashMap<String, candle_core::Tensor> = trainer
            .game()
            .named_vars()
            .into_iter()
            .map(|(n, v)| (n, v.as_detached_tensor()))
            .collect();
        candle_core::safetensors::save(&tensors, dir.join("weights.safetensors"))?;
    }
    Ok(())
}
