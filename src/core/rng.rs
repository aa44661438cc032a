//! The one seeded random source of the engine.
//!
//! Candle's CPU backend cannot be seeded (`set_seed` errors) and its `randn` uses a global
//! RNG, so every random number (weights, noise, data) is drawn here and turned into
//! tensors with `Tensor::from_vec`. ChaCha8 is portable: the same seed gives the same
//! stream natively and in wasm.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

#[derive(Clone, Debug)]
pub struct SeededRng(ChaCha8Rng);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.0.random::<f32>()
    }

    /// Standard normal.
    pub fn normal(&mut self) -> f32 {
        let z: f64 = self.0.sample(StandardNormal);
        z as f32
    }

    /// Uniform integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n.max(1))
    }

    /// A fresh seed for a derived stream.
    pub fn next_seed(&mut self) -> u64 {
        self.0.random()
    }
}
