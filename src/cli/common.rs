//! What every command shares: the `train` flags, the device, the thread choice, the
//! training loop with its progress bar, and how a run ends (summary line, exit code).

use super::flags::SettingFlags;
use crate::core::error::{GanError, Result};
use crate::core::game::placement::auto_placement;
use crate::core::game::{Game, StepStats, TrainConfig, TRAIN_SETTINGS, TTUR};
use crate::core::plane::presets::PAPER_PRESETS;
use crate::core::session::games::GAMES;
use candle_core::Device;
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct TrainArgs {
    // Its help lists the games' table.
    #[arg(long, help = game_help())]
    pub game: Option<String>,
    /// With --game: one of the game's own settings, key=value, as in the page's link.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Training iterations.
    #[arg(long, default_value_t = 5000)]
    pub steps: usize,
    /// Two time-scale learning rates (TTUR, Heusel et al. 2017): D 4e-4 and G 1e-4, as
    /// SAGAN (Zhang et al. 2019) uses them; --lr-d and --lr-g, if given, win.
    #[arg(long)]
    pub ttur: bool,
    // Its help lists the papers' presets.
    #[arg(long, help = preset_help())]
    pub preset: Option<String>,
    /// cpu; cuda (needs a build with --features cuda and an NVIDIA GPU); or auto: the
    /// faster of the two for this configuration, said on stderr.
    #[arg(long, default_value = "cpu")]
    pub device: String,
    /// Write curves.csv, samples.png, curves.png and weights.safetensors here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print one JSON object as the last line of stdout.
    #[arg(long)]
    pub json: bool,
    /// Evaluate the metrics every N iterations (0: 50 points over the run).
    #[arg(long, default_value_t = 0)]
    pub eval_every: usize,
    /// Samples per evaluation (the papers use 2,500).
    #[arg(long, default_value_t = 2500)]
    pub eval_samples: usize,
    /// Record the losses of the first N iterations in the JSON (`trace`).
    #[arg(long, default_value_t = 0)]
    pub trace: usize,
    /// mnist: the folder the set-up wrote the digits and the classifier to.
    #[arg(long, default_value = ".cache/mnist")]
    pub data_dir: PathBuf,
    /// The settings, one flag per row of the setting tables.
    #[command(flatten)]
    pub settings: SettingFlags,
}

fn game_help() -> String {
    format!(
        "Another game than the GAN: {}; the flags of the settings it has apply, its own \
         with --set (e.g. --set lambda=0 --set x=moons)",
        GAMES.join(", ")
    )
}

fn preset_help() -> String {
    let names: Vec<&str> = PAPER_PRESETS.iter().map(|p| p.name).collect();
    format!(
        "2D: a paper's setting ({}), applied over the other flags",
        names.join(", ")
    )
}

impl TrainArgs {
    /// Whether the flags ask for the digits (`--dataset mnist`).
    pub fn wants_digits(&self) -> bool {
        self.settings.get("dataset") == Some("mnist")
    }
}

/// The live settings: `defaults`, `--ttur`'s rates over them, then every flag of a live
/// setting given.
pub fn train_config(a: &TrainArgs, defaults: &TrainConfig) -> Result<TrainConfig> {
    let mut cfg = *defaults;
    if a.ttur {
        (cfg.d_opt.lr, cfg.g_opt.lr) = TTUR;
    }
    a.settings.apply(TRAIN_SETTINGS, &mut cfg)?;
    cfg.validate()?;
    Ok(cfg)
}

pub fn check_run_length(a: &TrainArgs) -> Result<()> {
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

/// The `--device` flag: `cpu`, `cuda` (opened at once, so that a missing GPU is said
/// before any data is read), or `auto`, decided once the game is built
/// ([`DeviceArg::build`]).
pub enum DeviceArg {
    Cpu,
    Cuda(Device),
    Auto,
}

impl DeviceArg {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "cpu" => Ok(Self::Cpu),
            "cuda" => Ok(Self::Cuda(cuda_device()?)),
            "auto" => Ok(Self::Auto),
            o => Err(GanError::InvalidConfig(format!(
                "unknown device '{o}' (expected cpu, cuda or auto)"
            ))),
        }
    }

    /// Builds the run's game where the flag says. `auto` builds it on the CPU first (a
    /// few weight draws) to read its size and path, asks [`auto_placement`], builds it
    /// again on the GPU when that wins, and says on stderr what it chose and why.
    pub fn build<T>(
        &self,
        build: impl Fn(&Device) -> Result<T>,
        game: impl Fn(&T) -> &dyn Game,
    ) -> Result<T> {
        match self {
            Self::Cpu => build(&Device::Cpu),
            Self::Cuda(dev) => build(dev),
            Self::Auto => {
                let on_cpu = build(&Device::Cpu)?;
                let g = game(&on_cpu);
                let (flops, fused) = (g.flops_per_iteration(), g.path() == "fused");
                // A GPU is opened only when it would win.
                let gpu_wins = auto_placement(flops, fused, None).gpu;
                let gpu = gpu_wins.then(cuda_device);
                let why = match &gpu {
                    Some(Err(GanError::InvalidConfig(m))) => Some(m.clone()),
                    Some(Err(e)) => Some(e.to_string()),
                    _ => None,
                };
                let placed = auto_placement(flops, fused, why.as_deref());
                eprintln!("device auto: {}", placed.reason);
                match gpu {
                    Some(Ok(dev)) if placed.gpu => build(&dev),
                    _ => Ok(on_cpu),
                }
            }
        }
    }
}

/// What a device is called in the summaries.
pub fn device_name(dev: &Device) -> &'static str {
    if dev.is_cpu() {
        "cpu"
    } else {
        "cuda"
    }
}

#[cfg(feature = "cuda")]
fn cuda_device() -> Result<Device> {
    // Candle's error carries a backtrace on its following lines: the user gets the first.
    Device::new_cuda(0).map_err(|e| {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or("unknown error");
        GanError::InvalidConfig(format!("no usable CUDA device: {first}"))
    })
}

#[cfg(not(feature = "cuda"))]
fn cuda_device() -> Result<Device> {
    Err(GanError::InvalidConfig(
        "this binary was built without CUDA support; rebuild with `cargo build --release --features cuda`".into(),
    ))
}

/// Sets Candle to one CPU thread where the game runs faster so (see
/// [`Game::prefers_one_thread`]), unless the user chose with `RAYON_NUM_THREADS`. Called
/// before the first step, while no thread pool exists.
pub fn choose_threads(game: &dyn Game) {
    if game.device().is_cpu()
        && game.prefers_one_thread()
        && std::env::var_os("RAYON_NUM_THREADS").is_none()
    {
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
}

/// The last line of stdout: the summary as one JSON object with `--json`, else `text`.
pub fn print_summary(
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
pub fn exit_code(error: Option<GanError>) -> ExitCode {
    match error {
        Some(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
        None => ExitCode::SUCCESS,
    }
}

/// What every training summary reports, whatever the data (the JSON flattens it into
/// the command's own summary).
#[derive(Serialize, Debug)]
pub struct RunSummary {
    pub step: usize,
    pub loss: String,
    pub k: usize,
    pub d_loss: f64,
    pub g_loss: f64,
    pub steps_per_s: f64,
    /// Where it trained: cpu or cuda.
    pub device: &'static str,
    pub diverged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl RunSummary {
    pub fn new(game: &dyn Game, run: &Run) -> Self {
        let (step, last) = (game.counters().iteration, game.last());
        Self {
            step,
            loss: game.config().loss.name(),
            k: game.config().k,
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            steps_per_s: step as f64 / run.secs.max(1e-9),
            device: device_name(game.device()),
            diverged: run.diverged(),
            error: run.error.as_ref().map(|e| e.to_string()),
        }
    }
}

/// What a training loop ended with.
pub struct Run {
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

    /// An evaluation's result: a divergence it found (a generated sample that is not
    /// finite) ends the run as diverged and gives `None`; any other error is returned.
    pub fn keep<T>(&mut self, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e @ GanError::Diverged { .. }) => {
                self.error = Some(e);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// Runs `--steps` iterations with a progress bar, calling `evaluate(trainer, done,
/// stats)` every `--eval-every` iterations (0: `points` evaluations over the run) and
/// after the last; its text goes on the bar. A divergence ends the loop and is returned
/// in the [`Run`]; any other error is returned as an error.
pub fn train_loop<T>(
    trainer: &mut T,
    game: fn(&mut T) -> &mut dyn Game,
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
        let stats = match game(trainer).step() {
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
            match run.keep(evaluate(trainer, done, stats))? {
                Some(text) => bar.set_message(text),
                None => break,
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(run)
}

pub fn io_err(path: &Path) -> impl Fn(std::io::Error) -> GanError + '_ {
    move |e| GanError::InvalidData(format!("{}: {e}", path.display()))
}

/// Reads a file of at most `cap` bytes. Only a regular file is opened (after following
/// links): a link to `/dev/zero` would read until memory runs out and a FIFO would block.
/// At most `cap + 1` bytes are read, so a file that grows meanwhile is refused as well.
/// Every error names the path.
pub fn read(path: &Path, cap: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let refuse = |why: String| GanError::InvalidData(format!("{}: {why}", path.display()));
    let meta = std::fs::metadata(path).map_err(io_err(path))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file".into()));
    }
    let too_big = |len: u64| refuse(format!("{len} bytes, more than the {cap} it may have"));
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(io_err(path))?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    std::fs::write(path, bytes).map_err(io_err(path))
}
