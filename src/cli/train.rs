//! `gan-playground train`: the training loop, curves, plots and the JSON summary.

use super::plot;
use crate::core::data::Dataset;
use crate::core::digit_train::DigitModel;
use crate::core::error::{GanError, Result};
use crate::core::gan::Gan;
use crate::core::history::HistoryPoint;
use crate::core::loss::Loss;
use crate::core::nets::Activation;
use crate::core::optim::{OptimConfig, OptimizerKind};
use crate::core::train::{ModelConfig, NoiseKind, StepStats, TrainConfig, Trainer, UpdateMode};
use candle_core::Device;
use clap::Args;
use serde::Serialize;
use std::ops::DerefMut;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Data set: ring8, grid25, spiral, moons, line, two-clusters, gaussian, or mnist.
    #[arg(long, default_value_t = ModelConfig::default().dataset.name().to_string())]
    dataset: String,
    /// Loss: minimax, non-saturating, f-<divergence>[=param][-sat], wgan, wgan-gp,
    /// wgan-gp-one-sided, lsgan, hinge.
    #[arg(long, default_value_t = TrainConfig::default().loss.name())]
    pub(super) loss: String,
    /// Discriminator steps per generator step.
    #[arg(long, default_value_t = TrainConfig::default().k)]
    pub(super) k: usize,
    /// Training iterations.
    #[arg(long, default_value_t = 5000)]
    pub(super) steps: usize,
    #[arg(long, default_value_t = ModelConfig::default().seed)]
    pub(super) seed: u64,
    /// Batch size [default: 256 for 2D data, 64 for mnist].
    #[arg(long)]
    pub(super) batch: Option<usize>,
    /// Learning rate of D [default: 0.001 for 2D data, 0.0002 for mnist].
    #[arg(long)]
    pub(super) lr_d: Option<f64>,
    /// Learning rate of G [default: 0.001 for 2D data, 0.0002 for mnist].
    #[arg(long)]
    pub(super) lr_g: Option<f64>,
    /// sgd (momentum 0.9), adam (β = 0.5, 0.999) or rmsprop.
    #[arg(long, default_value_t = TrainConfig::default().d_opt.kind.name().to_string())]
    pub(super) optimizer: String,
    /// Width of every hidden layer.
    #[arg(long, default_value_t = ModelConfig::default().hidden)]
    hidden: usize,
    /// Number of hidden layers.
    #[arg(long, default_value_t = ModelConfig::default().layers)]
    layers: usize,
    /// relu, leaky-relu or tanh.
    #[arg(long, default_value_t = ModelConfig::default().activation.name().to_string())]
    activation: String,
    /// Noise dimension [default: 2 for 2D data, 64 for mnist].
    #[arg(long)]
    pub(super) noise_dim: Option<usize>,
    /// uniform or gaussian.
    #[arg(long, default_value_t = ModelConfig::default().noise.name().to_string())]
    noise: String,
    /// alternating (k D steps, 1 G step) or simultaneous.
    #[arg(long, default_value_t = TrainConfig::default().update.name().to_string())]
    pub(super) update: String,
    /// Gradient-penalty weight λ (wgan-gp).
    #[arg(long, default_value_t = TrainConfig::default().gp_lambda)]
    pub(super) gp_lambda: f64,
    /// Weight-clipping bound c (wgan).
    #[arg(long, default_value_t = TrainConfig::default().clip)]
    pub(super) clip: f64,
    /// cpu, or cuda (needs a build with --features cuda and an NVIDIA GPU).
    #[arg(long, default_value = "cpu")]
    pub(super) device: String,
    /// Write curves.csv, samples.png, curves.png and weights.safetensors here.
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub(super) json: bool,
    /// Evaluate the metrics every N iterations (0: 50 points over the run).
    #[arg(long, default_value_t = 0)]
    pub(super) eval_every: usize,
    /// Samples per evaluation (the papers use 2,500).
    #[arg(long, default_value_t = 2500)]
    pub(super) eval_samples: usize,
    /// Record the losses of the first N iterations in the JSON (`trace`).
    #[arg(long, default_value_t = 0)]
    pub(super) trace: usize,
    /// mnist only: mlp-small, mlp, mlp-large or dcgan.
    #[arg(long, default_value_t = DigitModel::default().arch.name().to_string())]
    pub(super) model: String,
    /// mnist only: condition G and D on the digit (a conditional GAN).
    #[arg(long)]
    pub(super) conditional: bool,
    /// mnist only: the folder the set-up wrote the digits and the classifier to.
    #[arg(long, default_value = ".cache/mnist")]
    pub(super) data_dir: PathBuf,
}

#[derive(Serialize, Debug)]
struct Summary {
    step: usize,
    dataset: String,
    loss: String,
    k: usize,
    d_loss: f64,
    g_loss: f64,
    js: Option<f64>,
    kl: Option<f64>,
    rkl: Option<f64>,
    w1: Option<f64>,
    modes_total: usize,
    modes_covered: usize,
    high_quality: Option<f64>,
    steps_per_s: f64,
    diverged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    trace: Vec<[f64; 2]>,
}

fn configs(a: &TrainArgs) -> Result<(ModelConfig, TrainConfig)> {
    let model = ModelConfig {
        dataset: Dataset::parse(&a.dataset)?,
        noise_dim: a.noise_dim.unwrap_or(ModelConfig::default().noise_dim),
        noise: NoiseKind::parse(&a.noise)?,
        hidden: a.hidden,
        layers: a.layers,
        activation: Activation::parse(&a.activation)?,
        seed: a.seed,
    };
    let cfg = train_config(a, &TrainConfig::default())?;
    model.validate()?;
    check_run_length(a)?;
    Ok((model, cfg))
}

/// The live settings from the flags, with `defaults` where a flag is not given.
pub(super) fn train_config(a: &TrainArgs, defaults: &TrainConfig) -> Result<TrainConfig> {
    let kind = OptimizerKind::parse(&a.optimizer)?;
    let lr_d = a.lr_d.unwrap_or(defaults.d_opt.lr);
    let cfg = TrainConfig {
        loss: Loss::parse(&a.loss)?,
        k: a.k,
        update: UpdateMode::parse(&a.update)?,
        d_opt: OptimConfig::new(kind, lr_d),
        g_opt: OptimConfig::new(kind, a.lr_g.unwrap_or(defaults.g_opt.lr)),
        batch: a.batch.unwrap_or(defaults.batch),
        gp_lambda: a.gp_lambda,
        clip: a.clip,
    };
    cfg.validate()?;
    Ok(cfg)
}

pub(super) fn check_run_length(a: &TrainArgs) -> Result<()> {
    if a.steps == 0 || a.steps > 10_000_000 {
        return Err(GanError::InvalidConfig(format!(
            "steps {} out of range 1..=10000000",
            a.steps
        )));
    }
    if !(2..=100_000).contains(&a.eval_samples) {
        return Err(GanError::InvalidConfig(format!(
            "eval-samples {} out of range 2..=100000",
            a.eval_samples
        )));
    }
    Ok(())
}

pub(super) fn device(name: &str) -> Result<Device> {
    match name {
        "cpu" => Ok(Device::Cpu),
        "cuda" => cuda_device(),
        o => Err(GanError::InvalidConfig(format!(
            "unknown device '{o}' (expected cpu or cuda)"
        ))),
    }
}

#[cfg(feature = "cuda")]
fn cuda_device() -> Result<Device> {
    Device::new_cuda(0).map_err(|e| GanError::InvalidConfig(format!("no usable CUDA device: {e}")))
}

#[cfg(not(feature = "cuda"))]
fn cuda_device() -> Result<Device> {
    Err(GanError::InvalidConfig(
        "this binary was built without CUDA support; rebuild with `cargo build --release --features cuda`".into(),
    ))
}

/// Candle's CPU backend spreads even tiny ops over its thread pool, which costs more
/// than it saves for the playground's small networks (DESIGN.md: about 3× slower at
/// hidden 32, batch 256). One thread below this much work per layer.
pub(super) fn choose_cpu_threads(hidden: usize, batch: usize) {
    if hidden * batch <= 128 * 1024 && std::env::var_os("RAYON_NUM_THREADS").is_none() {
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    if a.dataset == "mnist" {
        return super::mnist::run(a);
    }
    let (model, cfg) = configs(&a)?;
    let dev = device(&a.device)?;
    if dev.is_cpu() {
        choose_cpu_threads(model.hidden, cfg.batch);
    }
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            GanError::InvalidConfig(format!(
                "cannot create output folder {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut trainer = Trainer::new(model, cfg, &dev)?;
    let mut curves: Vec<HistoryPoint> = Vec::new();
    let run = train_loop(&mut trainer, &a, 50, |t, done, stats| {
        let m = t.evaluate(a.eval_samples)?;
        let est = cfg
            .loss
            .divergence_estimate(stats.d_loss)
            .map_or(f64::NAN, |e| e.value);
        curves.push(HistoryPoint {
            step: done,
            d_loss: stats.d_loss,
            g_loss: stats.g_loss,
            js: m.js,
            kl: m.kl,
            rkl: m.rkl,
            w1: m.w1,
            modes_covered: m.modes_covered,
            modes_total: m.modes_total,
            high_quality: m.high_quality.unwrap_or(f64::NAN),
            frechet: f64::NAN,
            class_kl: f64::NAN,
            d_estimate: est,
            d_measured: m.loss_divergence.unwrap_or(f64::NAN),
        });
        Ok(format!(
            "JS {:.3}  modes {}/{}",
            m.js, m.modes_covered, m.modes_total
        ))
    })?;
    let (diverged, error, trace, train_secs) = (run.diverged(), run.error, run.trace, run.secs);
    let last = trainer.last();
    let metrics = if diverged {
        None
    } else {
        Some(trainer.evaluate(a.eval_samples)?)
    };
    let summary = Summary {
        step: trainer.iteration(),
        dataset: trainer.model().dataset.name().to_string(),
        loss: cfg.loss.name(),
        k: cfg.k,
        d_loss: last.d_loss,
        g_loss: last.g_loss,
        js: metrics.as_ref().map(|m| m.js),
        kl: metrics.as_ref().map(|m| m.kl),
        rkl: metrics.as_ref().map(|m| m.rkl),
        w1: metrics.as_ref().map(|m| m.w1),
        modes_total: metrics.as_ref().map_or(0, |m| m.modes_total),
        modes_covered: metrics.as_ref().map_or(0, |m| m.modes_covered),
        high_quality: metrics.as_ref().and_then(|m| m.high_quality),
        steps_per_s: trainer.iteration() as f64 / train_secs.max(1e-9),
        diverged,
        error: error.as_ref().map(|e| e.to_string()),
        trace,
    };

    if let Some(dir) = &a.out {
        write_outputs(dir, &trainer, &curves, diverged)?;
    }
    print_summary(a.json, &summary, || {
        format!(
            "{} iterations of {} on {} in {:.1}s ({:.0} it/s): JS {} KL {} W1 {} modes {}/{}{}",
            summary.step,
            summary.loss,
            summary.dataset,
            train_secs,
            summary.steps_per_s,
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

/// The last line of stdout: the summary as one JSON object with `--json`, else `text`.
pub(super) fn print_summary(
    json: bool,
    summary: &impl Serialize,
    text: impl FnOnce() -> String,
) -> Result<()> {
    if json {
        let line =
            serde_json::to_string(summary).map_err(|e| GanError::InvalidData(e.to_string()))?;
        println!("{line}");
    } else {
        println!("{}", text());
    }
    Ok(())
}

/// A diverged run is reported (its error on stderr) and exits with 3.
pub(super) fn exit_code(error: Option<GanError>) -> ExitCode {
    match error {
        Some(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
        None => ExitCode::SUCCESS,
    }
}

/// What a training loop ended with.
pub(super) struct Run {
    /// Seconds spent in training steps (evaluations excluded).
    pub secs: f64,
    /// The divergence that stopped it, if one did.
    pub error: Option<GanError>,
    /// `[d_loss, g_loss]` of the first `--trace` iterations.
    pub trace: Vec<[f64; 2]>,
}

impl Run {
    pub fn diverged(&self) -> bool {
        self.error.is_some()
    }
}

/// Runs `--steps` iterations with a progress bar, calling `evaluate(trainer, done,
/// stats)` every `--eval-every` iterations (0: `points` evaluations over the run) and
/// after the last; its text goes on the bar. A divergence ends the loop and is returned
/// in the [`Run`]; any other error is returned as an error.
pub(super) fn train_loop<T: DerefMut<Target = Gan>>(
    trainer: &mut T,
    a: &TrainArgs,
    points: usize,
    mut evaluate: impl FnMut(&T, usize, StepStats) -> Result<String>,
) -> Result<Run> {
    let eval_every = if a.eval_every == 0 {
        (a.steps / points).max(1)
    } else {
        a.eval_every
    };
    let bar = if a.steps >= 1000 {
        indicatif::ProgressBar::new(a.steps as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} it  {per_sec}  eta {eta}  {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut run = Run {
        secs: 0.0,
        error: None,
        trace: Vec::new(),
    };
    for i in 0..a.steps {
        let t0 = Instant::now();
        let stats = match trainer.step() {
            Ok(s) => s,
            Err(e @ GanError::Diverged { .. }) => {
                run.error = Some(e);
                break;
            }
            Err(e) => return Err(e),
        };
        run.secs += t0.elapsed().as_secs_f64();
        if i < a.trace {
            run.trace.push([stats.d_loss, stats.g_loss]);
        }
        let done = i + 1;
        if done % eval_every == 0 || done == a.steps {
            bar.set_message(evaluate(trainer, done, stats)?);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(run)
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.4}"))
}

fn write_outputs(
    dir: &std::path::Path,
    trainer: &Trainer,
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
            .named_vars()
            .into_iter()
            .map(|(n, v)| (n, v.as_detached_tensor()))
            .collect();
        candle_core::safetensors::save(&tensors, dir.join("weights.safetensors"))?;
    }
    Ok(())
}
