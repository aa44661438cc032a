//! The page-side entry of the benchmark (`scripts/bench.sh`, BENCHMARKS.md): iterations
//! per second of one configuration of `core::bench`, compiled to wasm.

use super::{js_err, now_ms};
use crate::core::digits::data::Digits;
use crate::core::game::{Game, Phases, Probe};
use crate::core::speed_bench::{gemm_peak, BenchConfig, PEAK_SIZE};
use candle_core::Device;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// Runs `config` for `seconds` (after a warm-up of a tenth of that) and returns its
/// iterations per second. `digits` (the page's digits file) is needed by the MNIST ones.
#[wasm_bindgen]
pub fn bench_run(config: &str, seconds: f64, digits: Option<Box<[u8]>>) -> Result<f64, JsValue> {
    bench_session(config, seconds, digits, false).map(|(rate, ..)| rate)
}

/// As [`bench_run`], then a second timed pass with the probe on: the phases of one
/// iteration in milliseconds (`performance.now()` in the page) and the path the steps
/// took (fused or autograd), as JSON `{path, ms}`.
#[wasm_bindgen]
pub fn bench_profile(
    config: &str,
    seconds: f64,
    digits: Option<Box<[u8]>>,
) -> Result<String, JsValue> {
    let (_, phases, fused) = bench_session(config, seconds, digits, true)?;
    let path = if fused {
        "fused, wasm"
    } else {
        "autograd, wasm"
    };
    Ok(serde_json::json!({ "path": path, "ms": phases }).to_string())
}

/// The attainable peak of this wasm module on one core: GFLOP/s of square products
/// through the fused passes' kernels ([`gemm_peak`]), for BENCHMARKS.md's limit table.
#[wasm_bindgen]
pub fn bench_peak(seconds: f64) -> Result<f64, JsValue> {
    let clock = || now_ms() / 1000.0;
    gemm_peak(PEAK_SIZE, seconds.clamp(0.1, 60.0), 1, &clock).map_err(js_err)
}

fn bench_session(
    config: &str,
    seconds: f64,
    digits: Option<Box<[u8]>>,
    profile: bool,
) -> Result<(f64, Phases, bool), JsValue> {
    let config = BenchConfig::parse(config).map_err(js_err)?;
    let digits = match digits {
        Some(bytes) => Some(Arc::new(Digits::from_bytes(&bytes).map_err(js_err)?)),
        None => None,
    };
    let mut game = config.game(digits, &Device::Cpu).map_err(js_err)?;
    let gan = game.as_mut();
    let timed = |gan: &mut dyn Game, seconds: f64| -> Result<(usize, f64), JsValue> {
        let t0 = now_ms();
        let mut n = 0;
        while now_ms() - t0 < seconds * 1000.0 {
            gan.step().map_err(js_err)?;
            n += 1;
        }
        Ok((n, (now_ms() - t0) / 1000.0))
    };
    timed(gan, seconds.clamp(0.01, 600.0) / 10.0)?;
    let (n, secs) = timed(gan, seconds.clamp(0.1, 600.0))?;
    let fused = gan.path() == "fused";
    if !profile {
        return Ok((n as f64 / secs, Default::default(), fused));
    }
    let probe = gan
        .probe_mut()
        .ok_or_else(|| js_err("this game has no phase timer"))?;
    *probe = Some(Probe {
        clock: now_ms,
        phases: Default::default(),
    });
    let (m, _) = timed(gan, seconds.clamp(0.1, 600.0))?;
    let phases = gan
        .probe_mut()
        .and_then(|p| p.take())
        .map(|p| p.phases.per_iteration(m))
        .unwrap_or_default();
    Ok((n as f64 / secs, phases, fused))
}
