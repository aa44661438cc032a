//! `gan-playground train --dataset mnist`: a digit GAN trained natively, with its sample
//! grid, curves, weights and JSON summary.

use super::common::{
    check_run_length, choose_threads, exit_code, print_summary, train_config, train_loop,
    DeviceArg, RunSummary, TrainArgs,
};
use super::common::{io_err, write};
use super::flags::keys;
use super::plot;
use super::prepare::{load_classifier, load_digits, real_against_real, EVAL_DIGITS};
use crate::core::digits::metrics::DigitReport;
use crate::core::digits::trainer::{digit_train_config, grid_digest};
use crate::core::digits::{DigitArch, DigitModel, DigitTrainer, DIGIT_SETTINGS};
use crate::core::error::Result;
use crate::core::game::{Game, TRAIN_SETTINGS};
use crate::core::history::HistoryPoint;
use crate::core::weights::to_safetensors;
use serde::Serialize;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Serialize, Debug)]
struct Summary {
    #[serde(flatten)]
    run: RunSummary,
    dataset: &'static str,
    model: &'static str,
    conditional: bool,
    classes_covered: Option<usize>,
    class_kl: Option<f64>,
    frechet: Option<f64>,
    condition_accuracy: Option<f64>,
    /// The Fréchet distance of real test digits against real training digits.
    real_frechet: f64,
    /// Mean pixel of each of the first ten images of the sample grid (seed-fixed noise):
    /// the page shows the same digest after loading these weights.
    grid_digest: Vec<f64>,
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    // The 2D networks' flags would be silently ignored: say so instead.
    let (live, own) = (keys(TRAIN_SETTINGS), keys(DIGIT_SETTINGS));
    a.settings.refuse_outside(
        &[&live, &own, &["dataset"]],
        &format!(
            "for 2D data only; MNIST's networks are chosen with --model ({})",
            DigitArch::NAMES.join(", ")
        ),
    )?;
    let mut model = DigitModel::default();
    a.settings.apply(DIGIT_SETTINGS, &mut model)?;
    // Every flag is checked before the 47 MB of digits are read.
    model.validate()?;
    let cfg = train_config(&a, &digit_train_config())?;
    check_run_length(&a)?;
    let dev = DeviceArg::parse(&a.device)?;
    let digits = Arc::new(load_digits(&a.data_dir.join("train.digits"))?);
    let test = load_digits(&a.data_dir.join("test.digits"))?;
    let mut trainer = dev.build(
        |d| DigitTrainer::new(model, cfg, digits.clone(), d),
        |t| t.game() as &dyn Game,
    )?;
    let clf = load_classifier(&a.data_dir, digits.dim(), trainer.game().device())?;
    let real_frechet = real_against_real(&clf, &digits, &test, EVAL_DIGITS)?.frechet;
    super::memory::check_fits(trainer.game())?;
    choose_threads(trainer.game());
    let mut curves = Vec::new();
    let mut report: Option<DigitReport> = None;
    let run = train_loop(
        &mut trainer,
        |t| t.game_mut(),
        &a,
        20,
        |t, done, stats| {
            let r = t.evaluate(&clf, EVAL_DIGITS)?;
            let text = format!("classes {}/10  Fréchet {:.1}", r.classes_covered, r.frechet);
            curves.push(r.history_point(done, stats.d_loss, stats.g_loss));
            report = Some(r);
            Ok(text)
        },
    )?;
    let diverged = run.diverged();
    if diverged {
        report = None;
    }
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        write_curves(dir, &curves)?;
        plot::curves_png_digits(&dir.join("curves.png"), &curves)?;
        if !diverged {
            plot::digits_png(&dir.join("samples.png"), &trainer, model.seed)?;
            write(
                &dir.join("weights.safetensors"),
                &to_safetensors(trainer.tensors())?,
            )?;
        }
    }
    let summary = Summary {
        run: RunSummary::new(trainer.game(), &run),
        dataset: "mnist",
        model: model.arch.name(),
        conditional: model.conditional,
        classes_covered: report.as_ref().map(|r| r.classes_covered),
        class_kl: report.as_ref().map(|r| r.class_kl),
        frechet: report.as_ref().map(|r| r.frechet),
        condition_accuracy: report.as_ref().and_then(|r| r.condition_accuracy),
        real_frechet,
        grid_digest: grid_digest(&trainer.grid(1, model.seed)?, trainer.digits().dim()),
    };
    print_summary(a.json, &summary, || {
        format!(
            "{} iterations of {} on mnist ({}{}) at {:.0} it/s: classes {}/10, class KL {}, Fréchet {} (real vs real {:.2}){}",
            summary.run.step,
            summary.run.loss,
            summary.model,
            if summary.conditional { ", conditional" } else { "" },
            summary.run.steps_per_s,
            summary.classes_covered.map_or("-".into(), |c| c.to_string()),
            summary.class_kl.map_or("-".into(), |v| format!("{v:.3}")),
            summary.frechet.map_or("-".into(), |v| format!("{v:.2}")),
            real_frechet,
            if diverged { " — DIVERGED" } else { "" }
        )
    })?;
    Ok(exit_code(run.error))
}

fn write_curves(dir: &Path, curves: &[HistoryPoint]) -> Result<()> {
    let mut csv = String::from("step,d_loss,g_loss,classes_covered,class_kl,frechet\n");
    for c in curves {
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            c.step, c.d_loss, c.g_loss, c.modes_covered, c.class_kl, c.frechet
        ));
    }
    write(&dir.join("curves.csv"), csv.as_bytes())
}
