//! The generator's input: noise drawn from the game's own seeded stream.

use crate::core::error::{GanError, Result};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    /// `U(−1, 1)` per coordinate.
    Uniform,
    /// `N(0, 1)` per coordinate.
    Gaussian,
}

impl NoiseKind {
    pub const NAMES: [&'static str; 2] = ["gaussian", "uniform"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "uniform" => Ok(Self::Uniform),
            "gaussian" | "normal" => Ok(Self::Gaussian),
            o => Err(GanError::InvalidConfig(format!(
                "unknown noise '{o}' (expected uniform or gaussian)"
            ))),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Uniform => "uniform",
            Self::Gaussian => "gaussian",
        }
    }
}

/// `n` noise vectors of `dim` values: uniform on `[−1, 1]` or standard normal.
pub fn draw_noise(
    kind: NoiseKind,
    dim: usize,
    rng: &mut SeededRng,
    n: usize,
    dev: &Device,
) -> Result<Tensor> {
    let len = n * dim;
    let z: Vec<f32> = match kind {
        NoiseKind::Uniform => (0..len).map(|_| rng.uniform(-1.0, 1.0)).collect(),
        NoiseKind::Gaussian => (0..len).map(|_| rng.normal()).collect(),
    };
    Ok(Tensor::from_vec(z, (n, dim), dev)?)
}
