//! `gan-playground benchmark`: the mode-collapse benchmark of VEEGAN and PacGAN
//! (`core::plane::mode_benchmark`) for one configuration, N seeded runs, printed beside
//! the published rows; `--json` for one JSON object, `--markdown` for a table row
//! (`scripts/mode-benchmark.sh` builds `docs/mode-collapse.md` from them).

use super::common::{choose_threads, print_summary, TrainArgs};
use super::train_plane::configs;
use crate::core::error::Result;
use crate::core::plane::mode_benchmark::{run_benchmark, BenchmarkSummary, PUBLISHED};
use crate::core::plane::PlaneTrainer;
use candle_core::Device;
use clap::Args;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct BenchmarkArgs {
    #[command(flatten)]
    pub train: TrainArgs,
    /// Seeded runs: seeds --seed, --seed + 1, …
    #[arg(long, default_value_t = 4)]
    pub runs: usize,
    /// The configuration's name in the report (default: its loss).
    #[arg(long)]
    pub label: Option<String>,
    /// Print the result as a Markdown table row (after the per-run lines).
    #[arg(long)]
    pub markdown: bool,
    /// Print only the published rows, as a Markdown table, and run nothing.
    #[arg(long)]
    pub published: bool,
}

/// The published rows ([`PUBLISHED`]) as a Markdown table.
fn published_table() -> String {
    let mut out = String::from(
        "| method | ring8 modes | ring8 high quality % | grid25 modes | grid25 high quality % |\n|---|---|---|---|---|\n",
    );
    for p in PUBLISHED {
        out.push_str(&format!(
            "| {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            p.method, p.ring8.0, p.ring8.1, p.grid25.0, p.grid25.1
        ));
    }
    out
}

#[derive(Serialize)]
struct Report<'a> {
    label: &'a str,
    dataset: &'a str,
    iterations: usize,
    #[serde(flatten)]
    summary: &'a BenchmarkSummary,
}

pub fn run(a: BenchmarkArgs) -> Result<ExitCode> {
    if a.published {
        print!("{}", published_table());
        return Ok(ExitCode::SUCCESS);
    }
    let (model, cfg) = configs(&a.train)?;
    choose_threads(PlaneTrainer::new(model.clone(), cfg, &Device::Cpu)?.game());
    let label = a.label.clone().unwrap_or_else(|| cfg.loss.name());
    let dataset = model.dataset.name();
    let summary = run_benchmark(&model, &cfg, a.train.steps, a.runs, model.seed, |r| match (
        &r.score,
        &r.diverged,
    ) {
        (Some(s), _) => eprintln!(
            "seed {}: modes {} (papers) {} (1%) of {}, high quality {:.1}%, reverse KL {:.3}",
            r.seed,
            s.modes_papers,
            s.modes_ours,
            s.modes_total,
            100.0 * s.high_quality,
            s.reverse_kl
        ),
        (None, e) => eprintln!("seed {}: diverged ({})", r.seed, e.as_deref().unwrap_or("")),
    })?;
    if a.markdown {
        println!("| {label} | {} |", summary.cells().join(" | "));
    }
    let report = Report {
        label: &label,
        dataset,
        iterations: a.train.steps,
        summary: &summary,
    };
    print_summary(a.train.json, &report, || {
        let published: Vec<String> = PUBLISHED
            .iter()
            .map(|p| {
                let (m, q) = if dataset == "grid25" {
                    p.grid25
                } else {
                    p.ring8
                };
                format!("{} {m} / {q}%", p.method)
            })
            .collect();
        format!(
            "{dataset}, {label}, {} iterations, {} runs: modes {} (papers' rule), {} (1%) of {}; high quality {}%; reverse KL {}\npublished (modes / high quality): {}",
            a.train.steps,
            a.runs,
            summary.modes_papers.show(1.0, 1),
            summary.modes_ours.show(1.0, 1),
            summary.modes_total,
            summary.high_quality.show(100.0, 1),
            summary.reverse_kl.show(1.0, 3),
            published.join(", ")
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
