//! [`DigitTrainer`]: the same [`Gan`] as the 2D trainer, on 784-pixel images in `[−1, 1]`,
//! optionally conditioned on the digit (Mirza & Osindero 2014): G takes the one-hot digit
//! as input columns beside the noise, D takes it through a projection (see
//! [`crate::core::game::gan`]), and the views of it the page draws (sample grid,
//! interpolation strip).

use super::classifier::Classifier;
use super::data::{Digits, CLASSES};
use super::metrics::{digit_report, DigitReport};
use super::model::DigitModel;
use crate::core::error::{GanError, Result};
use crate::core::game::gan::class_embedding;
use crate::core::game::{draw_noise, Game, Gan, NoiseKind, Source, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::nn::optim::{OptimConfig, OptimizerKind};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};
use std::collections::HashMap;
use std::sync::Arc;

/// The usual MNIST GAN recipe (DCGAN's optimiser): Adam 2e-4, β₁ = 0.5, batch 64,
/// non-saturating loss, k = 1.
pub fn digit_train_config() -> TrainConfig {
    TrainConfig {
        d_opt: OptimConfig::new(OptimizerKind::Adam, 2e-4),
        g_opt: OptimConfig::new(OptimizerKind::Adam, 2e-4),
        batch: 64,
        ..TrainConfig::default()
    }
}

/// A digest of a sample grid: the mean pixel of each of its first ten images. The CLI
/// prints it and the page shows it, so both can be seen to draw the same digits from the
/// same weights.
pub fn grid_digest(grid: &[f32], pixels: usize) -> Vec<f64> {
    grid.chunks(pixels.max(1))
        .take(10)
        .map(|img| img.iter().map(|&v| v as f64).sum::<f64>() / img.len() as f64)
        .collect()
}

/// One-hot rows for `labels`.
pub fn one_hot(labels: &[u8], dev: &Device) -> Result<Tensor> {
    let labels: Vec<usize> = labels.iter().map(|&l| l as usize).collect();
    crate::core::tensor::one_hot(&labels, CLASSES, dev)
}

/// The digits and the noise, as a [`Source`]: the GAN's, and the VAE's data.
pub struct DigitSource {
    pub digits: Arc<Digits>,
    pub noise_dim: usize,
    pub conditional: bool,
}

impl Source for DigitSource {
    fn real(
        &self,
        rng: &mut SeededRng,
        n: usize,
        dev: &Device,
    ) -> Result<(Tensor, Option<Tensor>)> {
        let idx = self.digits.draw(rng, n);
        let x = Tensor::from_vec(self.digits.scaled(&idx), (n, self.digits.dim()), dev)?;
        let c = if self.conditional {
            let labels: Vec<u8> = idx.iter().map(|&i| self.digits.label(i)).collect();
            Some(one_hot(&labels, dev)?)
        } else {
            None
        };
        Ok((x, c))
    }
    fn noise(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor> {
        draw_noise(NoiseKind::Gaussian, self.noise_dim, rng, n, dev)
    }
    fn conditions(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Option<Tensor>> {
        if !self.conditional {
            return Ok(None);
        }
        let labels: Vec<u8> = (0..n).map(|_| rng.below(CLASSES) as u8).collect();
        Ok(Some(one_hot(&labels, dev)?))
    }
}

/// The interpolation strip's noise: `steps` (at least 2) points of dimension `d` along
/// the line from one seed-fixed vector to another, `z(t) = (1 − t) z₀ + t z₁`.
pub fn interpolation_noise(d: usize, steps: usize, seed: u64) -> Vec<f32> {
    let mut rng = SeededRng::new(seed ^ 0x1e4b);
    let z0: Vec<f32> = (0..d).map(|_| rng.normal()).collect();
    let z1: Vec<f32> = (0..d).map(|_| rng.normal()).collect();
    let steps = steps.max(2);
    (0..steps)
        .flat_map(|i| {
            let t = i as f32 / (steps - 1) as f32;
            z0.iter().zip(&z1).map(move |(a, b)| (1.0 - t) * a + t * b)
        })
        .collect()
}

/// Real and generated digits (`[n, pixels]` each) and the digit each fake was asked for.
pub struct EvalSamples {
    pub real: Vec<f32>,
    pub fake: Vec<f32>,
    pub asked: Option<Vec<u8>>,
}

/// A digit GAN: the game, its data, and an evaluation stream of its own.
pub struct DigitTrainer {
    model: DigitModel,
    gan: Gan,
    digits: Arc<Digits>,
    eval_rng_seed: u64,
}

impl DigitTrainer {
    pub fn new(
        model: DigitModel,
        cfg: TrainConfig,
        digits: Arc<Digits>,
        device: &Device,
    ) -> Result<Self> {
        model.validate()?;
        if digits.is_empty() {
            return Err(GanError::InvalidData("no digits to train on".into()));
        }
        let mut rng = SeededRng::new(model.seed);
        let pixels = digits.dim();
        let (gen, disc, features) = model.networks(pixels, &mut rng, device)?;
        let classes = if model.conditional { CLASSES } else { 0 };
        let embed = class_embedding(classes, features, &mut rng, device)?;
        let eval_rng_seed = rng.next_seed();
        Ok(Self {
            gan: Gan::new(
                Box::new(DigitSource {
                    digits: digits.clone(),
                    noise_dim: model.noise_dim,
                    conditional: model.conditional,
                }),
                gen,
                disc,
                embed,
                cfg,
                rng,
                device,
            )?,
            digits: digits.clone(),
            model,
            eval_rng_seed,
        })
    }

    /// The game, for stepping and the live configuration.
    pub fn game(&self) -> &Gan {
        &self.gan
    }
    pub fn game_mut(&mut self) -> &mut Gan {
        &mut self.gan
    }
    /// The game alone (for the benchmark, which only steps it).
    pub fn into_game(self) -> Gan {
        self.gan
    }

    pub fn model(&self) -> &DigitModel {
        &self.model
    }
    pub fn digits(&self) -> &Digits {
        &self.digits
    }

    /// Images `G(z | c)` in `[−1, 1]`, row-major `[n, pixels]`, for `noise` of
    /// `n · noise_dim` values; `labels` (one per image) are required by a conditional model
    /// and ignored otherwise.
    pub fn generate(&self, noise: &[f32], labels: &[u8]) -> Result<Vec<f32>> {
        let d = self.model.noise_dim;
        if noise.is_empty() || !noise.len().is_multiple_of(d) {
            return Err(GanError::InvalidData(format!(
                "noise length {} is not a positive multiple of the noise dimension {d}",
                noise.len()
            )));
        }
        let n = noise.len() / d;
        let dev = self.gan.device();
        let c = if self.model.conditional {
            if labels.len() != n {
                return Err(GanError::InvalidData(format!(
                    "{n} noise vectors but {} digits asked for",
                    labels.len()
                )));
            }
            Some(one_hot(labels, dev)?)
        } else {
            None
        };
        let z = Tensor::from_vec(noise.to_vec(), (n, d), dev)?;
        Ok(self
            .gan
            .generate(&z, c.as_ref())?
            .flatten_all()?
            .to_vec1::<f32>()?)
    }

    /// The sample grid: `rows × 10` images (row-major, `[rows·10, pixels]`) from a noise
    /// batch fixed by `seed`, so it changes only as G learns. A conditional model draws
    /// digit `r mod 10` in row `r`, with the same noise down each column (one style per
    /// column); an unconditional one has its own noise in every cell.
    pub fn grid(&self, rows: usize, seed: u64) -> Result<Vec<f32>> {
        self.grid_of(rows, seed, None)
    }

    /// As [`DigitTrainer::grid`]; with `digit`, a conditional model draws that digit in
    /// every cell (the page's digit picker).
    pub fn grid_of(&self, rows: usize, seed: u64, digit: Option<u8>) -> Result<Vec<f32>> {
        let d = self.model.noise_dim;
        let mut rng = SeededRng::new(seed ^ 0x6e1d);
        let column_noise: Vec<f32> = (0..10 * d).map(|_| rng.normal()).collect();
        let mut noise = Vec::with_capacity(rows * 10 * d);
        let mut labels = Vec::with_capacity(rows * 10);
        for r in 0..rows {
            for c in 0..10 {
                if self.model.conditional {
                    noise.extend_from_slice(&column_noise[c * d..(c + 1) * d]);
                } else {
                    noise.extend((0..d).map(|_| rng.normal()));
                }
                labels.push(digit.map_or((r % CLASSES) as u8, |g| g.min(9)));
            }
        }
        self.generate(&noise, &labels)
    }

    /// The latent interpolation strip: `steps` images along the straight line from one
    /// seed-fixed noise vector to another, `z(t) = (1 − t) z₀ + t z₁`, under one condition
    /// (`digit`, or 0) for a conditional model.
    pub fn interpolation(&self, steps: usize, seed: u64, digit: Option<u8>) -> Result<Vec<f32>> {
        let noise = interpolation_noise(self.model.noise_dim, steps, seed);
        self.generate(&noise, &vec![digit.unwrap_or(0).min(9); steps.max(2)])
    }

    /// `n` real and `n` generated digits from an evaluation stream (the training stream is
    /// untouched), with the digit each fake was asked for (`i mod 10`, conditional only).
    /// A generated digit that is not finite is a divergence.
    pub fn eval_samples(&self, n: usize) -> Result<EvalSamples> {
        let mut rng = SeededRng::new(self.eval_rng_seed ^ self.gan.counters().iteration as u64);
        let idx = self.digits.draw(&mut rng, n);
        let real = self.digits.scaled(&idx);
        let noise: Vec<f32> = (0..n * self.model.noise_dim)
            .map(|_| rng.normal())
            .collect();
        let asked: Vec<u8> = (0..n).map(|i| (i % CLASSES) as u8).collect();
        let fake = self.generate(&noise, &asked)?;
        require_finite_output(&fake, self.gan.counters().iteration)?;
        Ok(EvalSamples {
            real,
            fake,
            asked: self.model.conditional.then_some(asked),
        })
    }

    /// Class coverage and Fréchet distance of `n` generated digits against `n` real ones.
    pub fn evaluate(&self, clf: &Classifier, n: usize) -> Result<DigitReport> {
        let s = self.eval_samples(n)?;
        digit_report(clf, &s.real, &s.fake, self.digits.dim(), s.asked.as_deref())
    }

    /// All weights, named ([`Gan::named_tensors`]).
    pub fn tensors(&self) -> Vec<(String, Tensor)> {
        self.gan.named_tensors()
    }

    /// Loads weights saved by [`DigitTrainer::tensors`] (from either side), checking every
    /// name and shape before anything is replaced.
    pub fn load(&mut self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        self.gan.load_named_tensors(tensors)
    }
}
