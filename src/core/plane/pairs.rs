//! Paired data on the plane for pix2pix ([`crate::core::game::pix2pix`]): points `(x, y)`
//! where x is the input and y the answer. Three sets with two right answers for every x
//! (the halves of a circle, a cross, two parallel lines) and one with a single answer, the
//! control: L1 regression finds that one, and misses the others.

use crate::core::error::{GanError, Result};
use crate::core::game::{draw_noise, NoiseKind, Source};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

/// The jitter of y around its branch.
pub const PAIR_NOISE: f32 = 0.02;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairSet {
    /// x uniform on [−1, 1], y = ±√(1 − x²): the two halves of the unit circle.
    Circle,
    /// y = ±x.
    Cross,
    /// y = ±0.6: two parallel lines.
    Lines,
    /// y = sin(πx)·0.8: one right answer (the control).
    Sine,
}

impl PairSet {
    pub const NAMES: [&'static str; 4] = ["circle", "cross", "lines", "sine"];
    const ALL: [PairSet; 4] = [Self::Circle, Self::Cross, Self::Lines, Self::Sine];

    pub fn parse(s: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
            .ok_or_else(|| {
                GanError::InvalidConfig(format!(
                    "unknown paired data set '{}' (expected circle, cross, lines or sine)",
                    s.chars().take(40).collect::<String>()
                ))
            })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Every right answer y for the input x (one or two).
    pub fn answers(self, x: f32) -> Vec<f32> {
        match self {
            Self::Circle => {
                let y = (1.0 - x * x).max(0.0).sqrt();
                vec![y, -y]
            }
            Self::Cross => vec![x, -x],
            Self::Lines => vec![0.6, -0.6],
            Self::Sine => vec![(std::f32::consts::PI * x).sin() * 0.8],
        }
    }

    /// `n` pairs: x uniform on [−1, 1], y one of its answers at random, jittered.
    pub fn sample(self, rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
        (0..n)
            .map(|_| {
                let x = rng.uniform(-1.0, 1.0);
                let answers = self.answers(x);
                let pick = ((rng.uniform(0.0, 1.0) * answers.len() as f32) as usize)
                    .min(answers.len() - 1);
                [x, answers[pick] + PAIR_NOISE * rng.normal()]
            })
            .collect()
    }

    /// The distance from `y` to the nearest right answer for `x`.
    pub fn miss(self, x: f32, y: f32) -> f32 {
        self.answers(x)
            .into_iter()
            .map(|a| (a - y).abs())
            .fold(f32::INFINITY, f32::min)
    }
}

/// The menu of paired sets.
pub fn pair_options() -> Vec<(String, String)> {
    [
        ("circle", "circle halves: y = ±√(1 − x²)"),
        ("cross", "cross: y = ±x"),
        ("lines", "two lines: y = ±0.6"),
        ("sine", "sine: one answer (control)"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// A paired set as the game's [`Source`]: its real batch is the pairs `[n, 2]` (x, y),
/// its noise Gaussian.
pub struct PairSource {
    pub set: PairSet,
    pub noise_dim: usize,
}

impl Source for PairSource {
    fn real(
        &self,
        rng: &mut SeededRng,
        n: usize,
        dev: &Device,
    ) -> Result<(Tensor, Option<Tensor>)> {
        let flat: Vec<f32> = self.set.sample(rng, n).into_iter().flatten().collect();
        Ok((Tensor::from_vec(flat, (n, 2), dev)?, None))
    }
    fn noise(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor> {
        draw_noise(NoiseKind::Gaussian, self.noise_dim, rng, n, dev)
    }
    fn conditions(&self, _: &mut SeededRng, _: usize, _: &Device) -> Result<Option<Tensor>> {
        Ok(None)
    }
}
