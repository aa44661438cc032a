//! The benchmark configurations of `BENCHMARKS.md` (issue 5), defined once so that the
//! native CLI, the page's wasm and the peers' scripts (`benches/`) run the same thing:
//! non-saturating loss, Adam (lr 1e-3 for 2D, 2e-4 for MNIST; β = 0.5, 0.999), one D step
//! and one G step per iteration.

use super::digit_train::{digit_train_config, DigitArch, DigitModel, DigitTrainer};
use super::digits::Digits;
use super::error::{GanError, Result};
use super::gan::Gan;
use super::train::{ModelConfig, TrainConfig, Trainer};
use candle_core::Device;
use std::ops::DerefMut;
use std::sync::Arc;

/// A 2D or digit trainer, seen as its game.
pub type Session = Box<dyn DerefMut<Target = Gan>>;

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
}

impl BenchConfig {
    pub const NAMES: [&'static str; 4] = ["2d-default", "2d-small", "mnist-mlp", "mnist-conv"];
    pub const ALL: [BenchConfig; 4] = [
        BenchConfig::Plane,
        BenchConfig::PlaneSmall,
        BenchConfig::MnistMlp,
        BenchConfig::MnistConv,
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
        matches!(self, BenchConfig::MnistMlp | BenchConfig::MnistConv)
    }

    /// A session to time: its game's `step()` is one iteration.
    pub fn session(self, digits: Option<Arc<Digits>>, dev: &Device) -> Result<Session> {
        let plane = |hidden, batch| -> Result<Session> {
            let model = ModelConfig {
                hidden,
                ..ModelConfig::default()
            };
            let cfg = TrainConfig {
                batch,
                ..TrainConfig::default()
            };
            Ok(Box::new(Trainer::new(model, cfg, dev)?))
        };
        let mnist = |arch| -> Result<Session> {
            let digits = digits
                .clone()
                .ok_or_else(|| GanError::InvalidData("the MNIST benchmarks need digits".into()))?;
            let model = DigitModel {
                arch,
                ..DigitModel::default()
            };
            Ok(Box::new(DigitTrainer::new(
                model,
                digit_train_config(),
                digits,
                dev,
            )?))
        };
        match self {
            BenchConfig::Plane => plane(32, 256),
            BenchConfig::PlaneSmall => plane(16, 64),
            BenchConfig::MnistMlp => mnist(DigitArch::MlpSmall),
            BenchConfig::MnistConv => mnist(DigitArch::Dcgan),
        }
    }
}
