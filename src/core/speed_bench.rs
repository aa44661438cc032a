//! The benchmark configurations of `BENCHMARKS.md`, defined once so that the
//! native CLI, the page's wasm and the peers' scripts (`benches/`) run the same thing:
//! non-saturating loss, Adam (lr 1e-3 for 2D, 2e-4 for MNIST; β = 0.5, 0.999), one D step
//! and one G step per iteration.

use super::digits::data::Digits;
use super::digits::trainer::digit_train_config;
use super::digits::{DigitArch, DigitModel, DigitTrainer};
use super::error::{GanError, Result};
use super::game::{Game, TrainConfig};
use super::plane::{PlaneModel, PlaneTrainer};
use candle_core::Device;
use std::sync::Arc;

/// The size of [`gemm_peak`]'s product: large enough that packing and call overhead are a
/// few percent of it, small enough for a quick measurement.
pub const PEAK_SIZE: usize = 512;

/// The machine's attainable peak, as BENCHMARKS.md states it beside each row: GFLOP/s of
/// square `size × size` products (`2·size³` FLOP each) through the same `gemm` kernels
/// as the fused passes, repeated for `seconds` on `threads` threads (one in wasm). `clock`
/// reads seconds: `std::time::Instant` does not exist in the browser.
pub fn gemm_peak(
    size: usize,
    seconds: f64,
    threads: usize,
    clock: &dyn Fn() -> f64,
) -> Result<f64> {
    use super::nn::matmul::{matmul, Mat};
    let a: Vec<f32> = (0..size * size).map(|i| (i % 7) as f32 * 0.1).collect();
    let mut c = vec![0.0; size * size];
    let par = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    let mat = Mat::rows(&a, size, size)?;
    matmul(&mut c, false, mat, mat, par)?;
    let (t0, mut n) = (clock(), 0usize);
    while clock() - t0 < seconds || n == 0 {
        matmul(&mut c, false, mat, mat, par)?;
        n += 1;
    }
    Ok(2.0 * (size as f64).powi(3) * n as f64 / (clock() - t0) / 1e9)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchConfig {
    /// ring8, 2-32-32-2 / 2-32-32-1 ReLU, batch 256.
    Plane,
    /// ring8, 2-16-16-2 / 2-16-16-1 ReLU, batch 64.
    PlaneSmall,
    /// The default MNIST preset (`mlp-small`), batch 64.
    MnistMlp,
    /// The `dcgan` preset, batch 64.
    MnistConv,
    /// The `mlp-large` preset (2×512 each), batch 64: a size for a GPU.
    MnistMlpLarge,
}

impl BenchConfig {
    pub const NAMES: [&'static str; 5] = [
        "2d-default",
        "2d-small",
        "mnist-mlp",
        "mnist-conv",
        "mnist-mlp-large",
    ];
    pub const ALL: [BenchConfig; 5] = [
        BenchConfig::Plane,
        BenchConfig::PlaneSmall,
        BenchConfig::MnistMlp,
        BenchConfig::MnistConv,
        BenchConfig::MnistMlpLarge,
    ];

    pub fn parse(s: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
            .ok_or_else(|| {
                GanError::InvalidConfig(format!(
                    "unknown benchmark '{s}' (expected one of: {})",
                    Self::NAMES.join(", ")
                ))
            })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn needs_digits(self) -> bool {
        matches!(
            self,
            BenchConfig::MnistMlp | BenchConfig::MnistConv | BenchConfig::MnistMlpLarge
        )
    }

    /// The game to time: its `step()` is one iteration.
    pub fn game(self, digits: Option<Arc<Digits>>, dev: &Device) -> Result<Box<dyn Game>> {
        let plane = |hidden, batch| -> Result<Box<dyn Game>> {
            let model = PlaneModel {
                hidden,
                ..PlaneModel::default()
            };
            let cfg = TrainConfig {
                batch,
                ..TrainConfig::default()
            };
            Ok(Box::new(PlaneTrainer::new(model, cfg, dev)?.into_game()))
        };
        let mnist = |arch| -> Result<Box<dyn Game>> {
            let digits = digits
                .clone()
                .ok_or_else(|| GanError::InvalidData("the MNIST benchmarks need digits".into()))?;
            let model = DigitModel {
                arch,
                ..DigitModel::default()
            };
            Ok(Box::new(
                DigitTrainer::new(model, digit_train_config(), digits, dev)?.into_game(),
            ))
        };
        match self {
            BenchConfig::Plane => plane(32, 256),
            BenchConfig::PlaneSmall => plane(16, 64),
            BenchConfig::MnistMlp => mnist(DigitArch::MlpSmall),
            BenchConfig::MnistConv => mnist(DigitArch::Dcgan),
            BenchConfig::MnistMlpLarge => mnist(DigitArch::MlpLarge),
        }
    }
}
