//! The page's mode-collapse benchmark (`core::plane::mode_benchmark`, the protocol of the
//! CLI's `gan-playground benchmark`): N seeded runs of the configuration in the page's
//! link, run in a worker of their own (`www/mode-benchmark-worker.js`) so that training on the
//! page goes on. The page's thread uses the rest: whether a benchmark can run, the
//! configuration's label, the published rows, the inputs' limits and the best preset.

use super::{js_err, now_ms};
use crate::core::game::check_step_memory;
use crate::core::plane::mode_benchmark::{
    check_model, config_label, run_benchmark, BenchPlan, BENCH_SETTINGS, FIRST_SEED,
    MODE_CURE_PRESET, PUBLISHED,
};
use crate::core::plane::PlaneTrainer;
use crate::core::session::plane::{benchmark_config, preset_changes, read_plane_hash};
use crate::core::settings;
use candle_core::Device;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Why a benchmark of `link` with these inputs cannot run, in one line (`""` when it
/// can): the data set has no modes, the link cannot be read, or an input is out of range.
#[wasm_bindgen]
pub fn benchmark_check(link: &str, runs: &str, iterations: &str) -> String {
    benchmark_config(link)
        .and_then(|_| BenchPlan::parse(runs, iterations))
        .err()
        .map_or_else(String::new, |e| e.to_string())
}

/// Why `link`'s data set cannot be benchmarked (`""` when it can), for the button's hover
/// text.
#[wasm_bindgen]
pub fn benchmark_refusal(link: &str) -> String {
    let (model, ..) = read_plane_hash(link, (&Default::default(), &Default::default()));
    check_model(&model)
        .err()
        .map_or_else(String::new, |e| e.to_string())
}

/// The table's short label of `link`'s configuration ([`config_label`]).
#[wasm_bindgen]
pub fn benchmark_label(link: &str) -> String {
    let (model, cfg, _) = read_plane_hash(link, (&Default::default(), &Default::default()));
    config_label(&model, &cfg)
}

/// The published rows for `dataset` as JSON `[{method, source, modes, high_quality}]`
/// (high quality in %); `[]` for a data set the papers did not run.
#[wasm_bindgen]
pub fn benchmark_published(dataset: &str) -> String {
    let rows: Vec<_> = PUBLISHED
        .iter()
        .filter_map(|p| {
            let (modes, hq) = match dataset {
                "ring8" => p.ring8,
                "grid25" => p.grid25,
                _ => return None,
            };
            Some(json!({ "method": p.method, "source": p.source, "modes": modes, "high_quality": hq }))
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// The inputs' settings (runs, iterations) as the page's controls read them: key, label,
/// min, max (`settings::describe`), and the defaults.
#[wasm_bindgen]
pub fn benchmark_settings() -> String {
    let d = BenchPlan::default();
    json!({
        "settings": settings::describe(BENCH_SETTINGS),
        "runs": d.runs,
        "iterations": d.iterations,
    })
    .to_string()
}

/// A preset (a link fragment: the best preset, or a paper's setting) as the settings to
/// change in `link`'s session ([`preset_changes`]: the preset over the defaults, the data
/// and the seed kept), JSON `{preset, changes: [[key, value], …]}` (the live ones first).
#[wasm_bindgen]
pub fn preset_settings(link: &str, preset: &str) -> Result<String, JsValue> {
    let changes = preset_changes(link, preset).map_err(js_err)?;
    Ok(json!({ "preset": preset, "changes": changes }).to_string())
}

/// The best preset ([`MODE_CURE_PRESET`]).
#[wasm_bindgen]
pub fn mode_cure_preset() -> String {
    MODE_CURE_PRESET.to_string()
}

/// Runs the benchmark of `link`'s configuration (seeds 1, 2, …, `runs`), calling
/// `progress` with each run's JSON `{run, of, seconds, cell, result}` as it ends, and
/// returns the report: `{label, dataset, link, iterations, runs, first_seed, seconds, cells,
/// summary}` (`cells`: the table row's, `BenchmarkSummary::cells`). It blocks until done: the benchmark worker calls it, and the page ends it by terminating
/// that worker. Refused in one line when the inputs, the link or the data set cannot be
/// used, or when a step would not fit in the worker's memory.
#[wasm_bindgen]
pub fn benchmark_run(
    link: &str,
    runs: &str,
    iterations: &str,
    progress: &js_sys::Function,
) -> Result<String, JsValue> {
    let (model, cfg) = benchmark_config(link).map_err(js_err)?;
    let plan = BenchPlan::parse(runs, iterations).map_err(js_err)?;
    let trainer = PlaneTrainer::new(model.clone(), cfg, &Device::Cpu).map_err(js_err)?;
    check_step_memory(
        trainer.game(),
        cfg.batch,
        &super::worker::page_memory_limit(),
    )
    .map_err(js_err)?;
    drop(trainer);
    let t0 = now_ms();
    let mut last = t0;
    let mut done = 0;
    let summary = run_benchmark(&model, &cfg, plan.iterations, plan.runs, FIRST_SEED, |r| {
        done += 1;
        let now = now_ms();
        let line = json!({
            "run": done,
            "of": plan.runs,
            "seconds": (now - last) / 1000.0,
            "cell": r.cell(),
            "result": r,
        });
        last = now;
        // A page that stopped listening is no reason to stop the runs.
        let _ = progress.call1(&JsValue::NULL, &JsValue::from_str(&line.to_string()));
    })
    .map_err(js_err)?;
    Ok(json!({
        "label": config_label(&model, &cfg),
        "dataset": model.dataset.name(),
        "link": link.strip_prefix('#').unwrap_or(link),
        "iterations": plan.iterations,
        "runs": plan.runs,
        "first_seed": FIRST_SEED,
        "seconds": (now_ms() - t0) / 1000.0,
        "cells": summary.cells(),
        "summary": summary,
    })
    .to_string())
}
