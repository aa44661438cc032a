//! `gan-playground bench`: iterations per second of one benchmark configuration
//! (`core::bench`), natively. `scripts/bench.sh` runs it beside the peers and writes
//! BENCHMARKS.md; no test asserts a time.

use super::common::{choose_threads, device_name, DeviceArg};
use super::prepare::load_digits;
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, Probe};
use crate::core::speed_bench::{gemm_peak, BenchConfig, PEAK_SIZE};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// 2d-default, 2d-small, mnist-mlp, mnist-conv or mnist-mlp-large.
    #[arg(long, required_unless_present = "peak")]
    config: Option<String>,
    /// Instead of a configuration, measure the machine's attainable peak: GFLOP/s of
    /// square products through the same kernels, on one thread and on every core.
    #[arg(long, conflicts_with = "config")]
    peak: bool,
    /// Timed seconds (after a warm-up of a tenth of that).
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// cpu, cuda (needs a build with --features cuda), or auto.
    #[arg(long, default_value = "cpu")]
    device: String,
    /// Also time the phases of an iteration and count its heap allocations.
    #[arg(long)]
    profile: bool,
    /// Run every step through Candle's autograd, with the fused MLP path off: the
    /// "before" of BENCHMARKS.md.
    #[arg(long)]
    autograd: bool,
    /// The folder with train.digits (MNIST configurations).
    #[arg(long, default_value = ".cache/mnist")]
    data_dir: PathBuf,
}

pub fn run(a: BenchArgs) -> Result<ExitCode> {
    if !(0.1..=600.0).contains(&a.seconds) {
        return Err(GanError::InvalidConfig(format!(
            "seconds {} out of range [0.1, 600]",
            a.seconds
        )));
    }
    let Some(config) = a.config.as_deref() else {
        return peak(a.seconds);
    };
    let config = BenchConfig::parse(config)?;
    let dev = DeviceArg::parse(&a.device)?;
    let digits = if config.needs_digits() {
        Some(Arc::new(load_digits(&a.data_dir.join("train.digits"))?))
    } else {
        None
    };
    let mut game = dev.build(|d| config.game(digits.clone(), d), |g| g.as_ref())?;
    let gan = game.as_mut();
    choose_threads(gan);
    gan.set_fused(!a.autograd);
    let timed = |gan: &mut dyn Game, seconds: f64| -> Result<(usize, f64)> {
        let t0 = Instant::now();
        let mut n = 0;
        while t0.elapsed().as_secs_f64() < seconds {
            gan.step()?;
            n += 1;
        }
        // Candle's CUDA ops are asynchronous: wait for the last one before reading the clock.
        gan.device().synchronize()?;
        Ok((n, t0.elapsed().as_secs_f64()))
    };
    timed(gan, a.seconds / 10.0)?;
    let (n, secs) = timed(gan, a.seconds)?;
    let mut out = serde_json::json!({
        "impl": if a.autograd { "candle-autograd" } else { "candle" },
        "path": gan.path(),
        "config": config.name(),
        "device": device_name(gan.device()),
        "threads": std::env::var("RAYON_NUM_THREADS").ok(),
        "iterations": n,
        "seconds": secs,
        "it_per_s": n as f64 / secs,
        "gflop_per_iteration": gan.flops_per_iteration() / 1e9,
    });
    if a.profile {
        // A separate timed pass, so the probe's clock reads and syncs do not touch the
        // rate above.
        fn clock() -> f64 {
            static T0: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
            T0.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
        }
        let probe = gan
            .probe_mut()
            .ok_or_else(|| GanError::InvalidConfig("this game has no phase timer".into()))?;
        *probe = Some(Probe {
            clock,
            phases: Default::default(),
        });
        let before = super::alloc_count::counts();
        let (n, _) = timed(gan, a.seconds)?;
        let after = super::alloc_count::counts();
        let phases = gan
            .probe_mut()
            .and_then(|p| p.take())
            .map(|p| p.phases.per_iteration(n))
            .unwrap_or_default();
        let per = |v: f64| v / n.max(1) as f64;
        out["profile"] = serde_json::json!({
            "iterations": n,
            "allocations_per_iteration": per((after.0 - before.0) as f64),
            "bytes_per_iteration": per((after.1 - before.1) as f64),
            "ms_per_iteration": phases,
        });
    }
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `--peak`: one JSON line per thread count (one, then every core).
fn peak(seconds: f64) -> Result<ExitCode> {
    let t0 = Instant::now();
    let clock = || t0.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let gflops = gemm_peak(PEAK_SIZE, seconds, threads, &clock)?;
        println!(
            "{}",
            serde_json::json!({ "impl": "peak", "threads": threads, "size": PEAK_SIZE, "gflops": gflops })
        );
        if cores == 1 {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}
