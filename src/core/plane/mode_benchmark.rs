//! The mode-collapse benchmark of VEEGAN (Srivastava et al. 2017, Table 1) and PacGAN (Lin
//! et al. 2018, Table 1), one protocol for the CLI (`gan-playground benchmark`) and the
//! page: N seeded runs of one configuration, each trained for a number of iterations and
//! scored on [`BENCH_SAMPLES`] generated samples:
//! - **modes (papers)**: modes holding at least one high-quality sample (within 3 std of
//!   the mode's centre, the mode nearest the sample), the papers' rule;
//! - **modes (1%)**: modes holding at least 1% of the samples as high-quality ones, ours
//!   ([`MIN_MODE_SHARE`]): one stray sample is not a learned mode;
//! - **high quality**: the share of samples within 3 std of their nearest mode;
//! - **reverse KL**: `KL(h ‖ uniform)` of the high-quality samples' mode histogram
//!   (PacGAN's "reverse KL"; 0 when every mode is equally frequent, log M when one has all);
//!
//! each as mean ± standard error over the runs, beside the published rows ([`PUBLISHED`]).

use super::data::Mode;
use super::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use crate::core::coverage::MIN_MODE_SHARE;
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, TrainConfig, TRAIN_SETTINGS};
use crate::core::plane::metrics::mode_coverage;
use crate::core::settings::{self, count_setting, hash, Setting, Value};
use candle_core::Device;
use serde::Serialize;

/// Generated samples each run is scored on (the papers' 2,500).
pub const BENCH_SAMPLES: usize = 2500;
/// The most runs one benchmark takes.
pub const MAX_RUNS: usize = 100;

/// The data set's modes; refused for data without any.
fn modes_of(model: &PlaneModel) -> Result<Vec<Mode>> {
    model.dataset.modes().ok_or_else(|| {
        GanError::InvalidConfig(format!(
            "benchmark: the data set {} has no modes to count (use ring8 or grid25)",
            model.dataset.name()
        ))
    })
}

/// One run's score.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeScore {
    /// Modes with at least one high-quality sample (VEEGAN's and PacGAN's rule).
    pub modes_papers: usize,
    /// Modes with at least 1% of the samples as high-quality ones.
    pub modes_ours: usize,
    pub modes_total: usize,
    /// Share of the samples within 3 std of their nearest mode.
    pub high_quality: f64,
    /// `KL(h ‖ uniform)` of the high-quality samples' mode histogram, nats.
    pub reverse_kl: f64,
    /// High-quality samples per mode.
    pub counts: Vec<usize>,
}

/// Scores a sample set against the data set's modes (see the module's doc).
pub fn score_samples(samples: &[[f32; 2]], modes: &[Mode]) -> ModeScore {
    let ours = mode_coverage(samples, modes, MIN_MODE_SHARE);
    ModeScore {
        modes_papers: ours.counts.iter().filter(|&&c| c >= 1).count(),
        modes_ours: ours.covered,
        modes_total: modes.len(),
        high_quality: ours.high_quality,
        reverse_kl: ours.kl_from_uniform,
        counts: ours.counts,
    }
}

/// A mean and its standard error, `s / √n` with the sample standard deviation `s` (0 for
/// one run).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MeanSe {
    pub mean: f64,
    pub se: f64,
}

impl MeanSe {
    /// `"7.5 ± 0.3"`: the mean and the standard error times `scale`, to `digits` decimals.
    pub fn show(&self, scale: f64, digits: usize) -> String {
        format!(
            "{:.*} ± {:.*}",
            digits,
            self.mean * scale,
            digits,
            self.se * scale
        )
    }
}

/// The mean and standard error of `values` (NaN for none).
pub fn mean_se(values: &[f64]) -> MeanSe {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let se = if values.len() > 1 {
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (var / n).sqrt()
    } else {
        0.0
    };
    MeanSe { mean, se }
}

/// One seeded run of the benchmark: its seed, its score, or why it has none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchRun {
    pub seed: u64,
    pub iterations: usize,
    /// `None` when the run diverged (it then counts as covering nothing).
    pub score: Option<ModeScore>,
    pub diverged: Option<String>,
}

impl BenchRun {
    /// The run as the tables list it: modes by the papers' rule / high-quality %
    /// (`"8/93"`), or `"div."` when it diverged.
    pub fn cell(&self) -> String {
        self.score.as_ref().map_or("div.".into(), |s| {
            format!("{}/{:.0}", s.modes_papers, 100.0 * s.high_quality)
        })
    }
}

/// The runs of one configuration, summarised.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchmarkSummary {
    pub runs: Vec<BenchRun>,
    pub modes_total: usize,
    pub modes_papers: MeanSe,
    pub modes_ours: MeanSe,
    pub high_quality: MeanSe,
    pub reverse_kl: MeanSe,
}

impl BenchmarkSummary {
    /// The cells of a table row, as the CLI's `--markdown` and the page's table show them:
    /// modes (papers), modes (1%), high quality %, reverse KL (each mean ± standard
    /// error), and the runs ([`BenchRun::cell`], comma-separated).
    pub fn cells(&self) -> [String; 5] {
        let runs: Vec<String> = self.runs.iter().map(BenchRun::cell).collect();
        [
            self.modes_papers.show(1.0, 1),
            self.modes_ours.show(1.0, 1),
            self.high_quality.show(100.0, 1),
            self.reverse_kl.show(1.0, 3),
            runs.join(", "),
        ]
    }
}

/// Summarises runs: a diverged run scores 0 modes, 0 high quality and the reverse KL of a
/// collapsed generator (log M), so that divergence is not hidden by leaving it out.
pub fn summarize(runs: Vec<BenchRun>, modes_total: usize) -> BenchmarkSummary {
    let collapsed = ModeScore {
        modes_papers: 0,
        modes_ours: 0,
        modes_total,
        high_quality: 0.0,
        reverse_kl: (modes_total as f64).ln(),
        counts: vec![0; modes_total],
    };
    let scores: Vec<&ModeScore> = runs
        .iter()
        .map(|r| r.score.as_ref().unwrap_or(&collapsed))
        .collect();
    let of = |f: fn(&ModeScore) -> f64| mean_se(&scores.iter().map(|s| f(s)).collect::<Vec<_>>());
    BenchmarkSummary {
        modes_papers: of(|s| s.modes_papers as f64),
        modes_ours: of(|s| s.modes_ours as f64),
        high_quality: of(|s| s.high_quality),
        reverse_kl: of(|s| s.reverse_kl),
        runs,
        modes_total,
    }
}

/// Trains `model` with `cfg` for `iterations` from seed `seed` and scores it.
pub fn bench_run(
    model: &PlaneModel,
    cfg: &TrainConfig,
    iterations: usize,
    seed: u64,
) -> Result<BenchRun> {
    let modes = modes_of(model)?;
    let model = PlaneModel {
        seed,
        ..model.clone()
    };
    let mut t = PlaneTrainer::new(model, *cfg, &Device::Cpu)?;
    let mut diverged = None;
    for _ in 0..iterations {
        if let Err(e) = t.game_mut().step() {
            diverged = Some(e.to_string());
            break;
        }
    }
    let score = match diverged {
        Some(_) => None,
        None => match t.eval_samples(BENCH_SAMPLES) {
            Ok((_, fake)) => Some(score_samples(&fake, &modes)),
            Err(e) => {
                diverged = Some(e.to_string());
                None
            }
        },
    };
    Ok(BenchRun {
        seed,
        iterations: t.game().counters().iteration,
        score,
        diverged,
    })
}

/// The benchmark: `runs` seeded runs (seeds `first_seed`, `first_seed + 1`, …), each
/// reported to `progress` as it ends.
pub fn run_benchmark(
    model: &PlaneModel,
    cfg: &TrainConfig,
    iterations: usize,
    runs: usize,
    first_seed: u64,
    mut progress: impl FnMut(&BenchRun),
) -> Result<BenchmarkSummary> {
    // The page's "runs" setting: one range, one message.
    BENCH_SETTINGS[0].check(&Value::Int(i64::try_from(runs).unwrap_or(i64::MAX)))?;
    let total = modes_of(model)?.len();
    let mut out = Vec::with_capacity(runs);
    for i in 0..runs as u64 {
        let r = bench_run(model, cfg, iterations, first_seed + i)?;
        progress(&r);
        out.push(r);
    }
    Ok(summarize(out, total))
}

/// How many modes `model`'s data set has, or the one-line reason it cannot be
/// benchmarked (a data set without modes: spiral, moons, line, more than 32 points of
/// the user's own).
pub fn check_model(model: &PlaneModel) -> Result<usize> {
    modes_of(model).map(|m| m.len())
}

/// The page's benchmark: how many runs (seeds [`FIRST_SEED`], [`FIRST_SEED`] + 1, …) of
/// how many iterations each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchPlan {
    pub runs: usize,
    pub iterations: usize,
}

/// The first seed of a benchmark's runs (the CLI's default `--seed`).
pub const FIRST_SEED: u64 = 1;
/// The most iterations per run the page takes (100 runs of it: about an hour in the page).
pub const MAX_ITERATIONS: usize = 100_000;
/// The fewest: a run shorter than this measures the initial networks.
pub const MIN_ITERATIONS: usize = 100;

impl Default for BenchPlan {
    fn default() -> Self {
        Self {
            runs: 4,
            iterations: 5000,
        }
    }
}

/// The page's benchmark inputs, as a setting table (their limits come from here, and
/// their refusals read like every other setting's: "runs: 0 is outside 1..=100").
pub const BENCH_SETTINGS: &[Setting<BenchPlan>] = &[
    count_setting!("runs", "runs", 1, MAX_RUNS, restarts: false, runs),
    count_setting!("iterations", "iterations per run", MIN_ITERATIONS, MAX_ITERATIONS, restarts: false, iterations),
];

impl BenchPlan {
    /// The plan from the page's two inputs, strictly (out of range or not a whole number
    /// is refused with a one-line message).
    pub fn parse(runs: &str, iterations: &str) -> Result<Self> {
        let plan = settings::applied(BENCH_SETTINGS, &Self::default(), "runs", runs)?;
        settings::applied(BENCH_SETTINGS, &plan, "iterations", iterations)
    }
}

/// What the benchmark table calls a setting in a configuration's label; `""` shows the
/// value alone. A flag reads as its name when on (`"no …"` when off).
const LABEL_NAMES: &[(&str, &str)] = &[
    ("k", "k"),
    ("kg", "k_G"),
    ("update", ""),
    ("optd", "D"),
    ("optg", "G"),
    ("lrd", "lr D"),
    ("lrg", "lr G"),
    ("batch", "batch"),
    ("gp", "GP λ"),
    ("clip", "clip"),
    ("r1", "R1 γ"),
    ("sn", "spectral norm"),
    ("unroll", "unrolled"),
    ("b1d", "β₁ D"),
    ("b1g", "β₁ G"),
    ("hidden", "width"),
    ("layers", "layers"),
    ("act", ""),
    ("noise", "noise"),
    ("noisedim", "noise dim"),
    ("dhidden", "D width"),
    ("dlayers", "D layers"),
    ("gbn", "batch norm in G"),
    ("pack", "pack"),
    ("mbstd", "minibatch std"),
];

/// Settings of D and G that read as one (`"β₁ 0.8"`) when both have the same value.
const LABEL_PAIRS: &[(&str, &str, &str)] = &[("optd", "optg", ""), ("b1d", "b1g", "β₁")];

/// A short label of a configuration for the benchmark table: the loss, then each setting
/// that differs from the defaults, in the tables' order (`"minimax, k 5, lr D 0.0004, R1 γ
/// 1"`). The data set, the user's points and the seed are left out (the table is per data
/// set; the runs take their own seeds); the same optimizer or β₁ for both networks reads
/// once (`"sgd"`, `"β₁ 0.8"`).
pub fn config_label(model: &PlaneModel, cfg: &TrainConfig) -> String {
    fn changed<C>(table: &[Setting<C>], c: &C, defaults: &C) -> Vec<(&'static str, String, bool)> {
        let defaults = hash::write(table, defaults);
        let flags: Vec<&str> = table
            .iter()
            .filter(|s| matches!(s.kind, settings::Kind::Flag))
            .map(|s| s.key)
            .collect();
        hash::write(table, c)
            .into_iter()
            .filter(|kv| !defaults.contains(kv))
            .map(|(k, v)| (k, v, flags.contains(&k)))
            .collect()
    }
    let mut all = changed(TRAIN_SETTINGS, cfg, &TrainConfig::default());
    all.extend(changed(PLANE_SETTINGS, model, &PlaneModel::default()));
    all.retain(|(k, ..)| !matches!(*k, "loss" | "dataset" | "points" | "seed"));
    let value = |key: &str| all.iter().find(|(k, ..)| *k == key).map(|kv| kv.1.clone());
    // D's and G's settings of one value read once, under the pair's name.
    let merged: Vec<(&str, &str, &str)> = LABEL_PAIRS
        .iter()
        .filter(|(d, g, _)| value(d).is_some() && value(d) == value(g))
        .copied()
        .collect();
    let mut parts = vec![cfg.loss.name()];
    for (key, v, flag) in &all {
        if merged.iter().any(|(_, g, _)| g == key) {
            continue;
        }
        let name = match merged.iter().find(|(d, ..)| d == key) {
            Some((.., both)) => *both,
            None => LABEL_NAMES
                .iter()
                .find(|(k, _)| k == key)
                .map_or(*key, |(_, n)| *n),
        };
        parts.push(match (*flag, v.as_str()) {
            (true, "1") => name.to_string(),
            (true, _) => format!("no {name}"),
            _ if name.is_empty() => v.clone(),
            _ => format!("{name} {v}"),
        });
    }
    parts.join(", ")
}

/// A published row: the method, where it is from, and its ring8 and grid25 results as
/// (modes covered, high-quality %), means over the papers' runs.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PublishedRow {
    pub method: &'static str,
    pub source: &'static str,
    pub ring8: (f64, f64),
    pub grid25: (f64, f64),
}

/// PacGAN's Table 1 (Lin et al. 2018, which reruns the GAN, Unrolled GAN and VEEGAN rows of
/// VEEGAN's Table 1) and GDPP's (Elfeki et al. 2019). Their setting: G 4×400 ReLU with
/// batch norm, D 3×200 maxout, Adam 1e-4 (β₁ 0.8), batch 100; ring radius 1, std 0.01;
/// grid {−4,−2,0,2,4}², std 0.05; 2,500 samples; a mode counts with one high-quality sample.
pub const PUBLISHED: &[PublishedRow] = &[
    PublishedRow {
        method: "GAN",
        source: "PacGAN Table 1",
        ring8: (6.3, 98.2),
        grid25: (17.3, 94.8),
    },
    PublishedRow {
        method: "Unrolled GAN",
        source: "PacGAN Table 1",
        ring8: (7.6, 35.6),
        grid25: (23.6, 16.0),
    },
    PublishedRow {
        method: "VEEGAN",
        source: "PacGAN Table 1",
        ring8: (8.0, 52.9),
        grid25: (24.6, 40.0),
    },
    PublishedRow {
        method: "GDPP-GAN",
        source: "GDPP Table 1",
        ring8: (8.0, 71.7),
        grid25: (24.8, 68.5),
    },
    PublishedRow {
        method: "PacGAN2",
        source: "PacGAN Table 1",
        ring8: (7.9, 95.6),
        grid25: (23.8, 91.3),
    },
    PublishedRow {
        method: "PacGAN4",
        source: "PacGAN Table 1",
        ring8: (7.8, 95.9),
        grid25: (24.8, 93.6),
    },
];

/// The page's "best preset": the settings (a URL-hash fragment over the defaults, the
/// format of `core::settings::hash`) that came closest to the mode-collapse targets on
/// ring8 and grid25 in the search of `docs/mode-collapse.md`: G and D 4 hidden layers of
/// 64 ReLU units, the non-saturating loss with R1 (γ 1), Adam 1e-3, batch 256. Every mode
/// of both data sets in 10,000 iterations, and the highest high-quality share found
/// (the search and the distance to the targets: `docs/mode-collapse.md`).
pub const MODE_CURE_PRESET: &str = "loss=non-saturating&hidden=64&layers=4&r1=1";
