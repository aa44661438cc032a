//! GANs on MNIST digits: the same game as the 2D trainer ([`super::gan`]), on 784-pixel
//! images in `[−1, 1]`, optionally conditioned on the digit (Mirza & Osindero 2014).

use super::classifier::Classifier;
use super::conv::{ConvCritic, ConvGenerator, SIDE};
use super::digit_metrics::{digit_report, DigitReport};
use super::digits::{Digits, CLASSES};
use super::error::{GanError, Result};
use super::gan::{Gan, Source};
use super::nets::{Activation, Mlp, MlpSpec};
use super::network::Net;
use super::optim::{OptimConfig, OptimizerKind};
use super::rng::SeededRng;
use super::train::{draw_noise, NoiseKind, TrainConfig};
use candle_core::{Device, Tensor, Var};
use std::collections::HashMap;
use std::sync::Arc;

/// The network presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitArch {
    /// GAN Lab-sized: one hidden layer of 128 in each network (the page's default).
    MlpSmall,
    /// Two hidden layers of 256.
    Mlp,
    /// Two hidden layers of 512 (for native or GPU training).
    MlpLarge,
    /// The small DCGAN-style convolutional pair of [`super::conv`].
    Dcgan,
}

/// The DCGAN preset's channels: G `(C₁, C₂)` = 32×7×7 then 16×14×14; D 16×14×14 then
/// 32×7×7. Small, so that it trains at a watchable rate in the page.
pub const DCGAN_G_CHANNELS: (usize, usize) = (32, 16);
pub const DCGAN_D_CHANNELS: (usize, usize) = (16, 32);

impl DigitArch {
    pub const NAMES: [&'static str; 4] = ["mlp-small", "mlp", "mlp-large", "dcgan"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "mlp-small" => Ok(Self::MlpSmall),
            "mlp" => Ok(Self::Mlp),
            "mlp-large" => Ok(Self::MlpLarge),
            "dcgan" => Ok(Self::Dcgan),
            o => Err(GanError::InvalidConfig(format!(
                "unknown MNIST model '{o}' (expected one of: {})",
                Self::NAMES.join(", ")
            ))),
        }
    }
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
    /// `(hidden width, hidden layers)` of the MLP presets (`None` for the DCGAN).
    fn shape(self) -> Option<(usize, usize)> {
        match self {
            Self::MlpSmall => Some((128, 1)),
            Self::Mlp => Some((256, 2)),
            Self::MlpLarge => Some((512, 2)),
            Self::Dcgan => None,
        }
    }

    /// Width of the largest layer (for choosing CPU threads).
    pub fn width(self) -> usize {
        self.shape().map_or(DCGAN_G_CHANNELS.0 * 49, |(h, _)| h)
    }
}

/// What fixes the networks: changing any of it means a new [`DigitTrainer`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DigitModel {
    pub arch: DigitArch,
    /// Condition both networks on the digit (one-hot input columns).
    pub conditional: bool,
    pub noise_dim: usize,
    pub seed: u64,
}

pub const MAX_DIGIT_NOISE_DIM: usize = 256;

impl Default for DigitModel {
    fn default() -> Self {
        Self {
            arch: DigitArch::MlpSmall,
            conditional: false,
            noise_dim: 64,
            seed: 1,
        }
    }
}

impl DigitModel {
    fn condition_dim(&self) -> usize {
        if self.conditional {
            CLASSES
        } else {
            0
        }
    }

    /// `[z, c] → hidden → pixels`, leaky ReLU (0.2) inside, tanh out (MLP presets).
    fn generator_spec(&self, pixels: usize, (hidden, layers): (usize, usize)) -> MlpSpec {
        MlpSpec {
            input: self.noise_dim + self.condition_dim(),
            hidden,
            layers,
            output: pixels,
            activation: Activation::LeakyRelu,
            output_tanh: true,
        }
    }

    /// `x → hidden → V(x)`, leaky ReLU (0.2), linear out; a conditional model adds the
    /// class through a projection ([`super::gan`]), not as input columns.
    fn discriminator_spec(&self, pixels: usize, (hidden, layers): (usize, usize)) -> MlpSpec {
        MlpSpec {
            input: pixels,
            hidden,
            layers,
            output: 1,
            activation: Activation::LeakyRelu,
            output_tanh: false,
        }
    }

    /// G, D, and the width of D's features, drawn from `rng` in that order.
    fn networks(
        &self,
        pixels: usize,
        rng: &mut SeededRng,
        dev: &Device,
    ) -> Result<(Net, Net, usize)> {
        match self.arch.shape() {
            Some(shape) => {
                let gen = Mlp::new(self.generator_spec(pixels, shape), "generator", rng, dev)?;
                let disc = Mlp::new(
                    self.discriminator_spec(pixels, shape),
                    "discriminator",
                    rng,
                    dev,
                )?;
                Ok((Net::Mlp(gen), Net::Mlp(disc), shape.0))
            }
            None => {
                if pixels != SIDE * SIDE {
                    return Err(GanError::InvalidConfig(format!(
                        "the dcgan preset needs {SIDE}×{SIDE} digits, these have {pixels} pixels"
                    )));
                }
                let inputs = self.noise_dim + self.condition_dim();
                let gen = ConvGenerator::new(inputs, DCGAN_G_CHANNELS, "generator", rng, dev)?;
                let disc = ConvCritic::new(DCGAN_D_CHANNELS, "discriminator", rng, dev)?;
                let features = disc.features();
                Ok((Net::ConvGenerator(gen), Net::ConvCritic(disc), features))
            }
        }
    }

    /// The model a weights file was saved from, read off its tensors' names and shapes:
    /// the preset from G's width and depth, the noise dimension from G's first layer, and
    /// conditioning from the class embedding. `seed` is kept from `self`.
    pub fn from_tensors(&self, tensors: &HashMap<String, Tensor>) -> Result<DigitModel> {
        let bad = |m: String| GanError::InvalidData(m);
        let two_dims = |name: &str| -> Result<(usize, usize)> {
            let t = tensors.get(name).ok_or_else(|| {
                bad(format!(
                    "missing tensor '{name}': not a gan-playground digit GAN"
                ))
            })?;
            t.dims2().map_err(|_| {
                bad(format!(
                    "tensor '{name}' has shape {:?}, expected 2 dimensions",
                    t.dims()
                ))
            })
        };
        let (arch, inputs) = if tensors.contains_key("generator.fc.weight") {
            (DigitArch::Dcgan, two_dims("generator.fc.weight")?.1)
        } else {
            let (hidden, inputs) = two_dims("generator.l0.weight")?;
            let layers = (0..)
                .take_while(|i| tensors.contains_key(&format!("generator.l{i}.weight")))
                .count()
                - 1;
            let arch = [DigitArch::MlpSmall, DigitArch::Mlp, DigitArch::MlpLarge]
                .into_iter()
                .find(|a| a.shape() == Some((hidden, layers)))
                .ok_or_else(|| {
                    bad(format!(
                        "the file's generator has {layers} hidden layer(s) of {hidden}, which is none of the presets ({})",
                        DigitArch::NAMES.join(", ")
                    ))
                })?;
            (arch, inputs)
        };
        let conditional = tensors.contains_key(EMBED);
        let cond = if conditional { CLASSES } else { 0 };
        let model = DigitModel {
            arch,
            conditional,
            noise_dim: inputs.saturating_sub(cond),
            seed: self.seed,
        };
        model.validate()?;
        Ok(model)
    }

    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_DIGIT_NOISE_DIM).contains(&self.noise_dim) {
            return Err(GanError::InvalidConfig(format!(
                "noise dimension {} out of range 1..={MAX_DIGIT_NOISE_DIM}",
                self.noise_dim
            )));
        }
        Ok(())
    }
}

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
    let mut v = vec![0f32; labels.len() * CLASSES];
    for (i, &l) in labels.iter().enumerate() {
        v[i * CLASSES + (l as usize).min(CLASSES - 1)] = 1.0;
    }
    Ok(Tensor::from_vec(v, (labels.len(), CLASSES), dev)?)
}

/// The name of the projection discriminator's class embedding in a weights file.
const EMBED: &str = "discriminator.embed";

struct DigitSource {
    digits: Arc<Digits>,
    noise_dim: usize,
    conditional: bool,
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

/// Real and generated digits (`[n, pixels]` each) and the digit each fake was asked for.
pub struct EvalSamples {
    pub real: Vec<f32>,
    pub fake: Vec<f32>,
    pub asked: Option<Vec<u8>>,
}

/// Dereferences to its [`Gan`] for `step`, `set_config`, `last`, ….
pub struct DigitTrainer {
    model: DigitModel,
    gan: Gan,
    digits: Arc<Digits>,
    eval_rng_seed: u64,
}

impl std::ops::Deref for DigitTrainer {
    type Target = Gan;
    fn deref(&self) -> &Gan {
        &self.gan
    }
}

impl std::ops::DerefMut for DigitTrainer {
    fn deref_mut(&mut self) -> &mut Gan {
        &mut self.gan
    }
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
        // The projection discriminator's class embedding, initialised like a layer.
        let embed = if model.conditional {
            let bound = 1.0 / (features as f32).sqrt();
            let e: Vec<f32> = (0..CLASSES * features)
                .map(|_| rng.uniform(-bound, bound))
                .collect();
            Some(Var::from_tensor(&Tensor::from_vec(
                e,
                (CLASSES, features),
                device,
            )?)?)
        } else {
            None
        };
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
        let dev = &self.gan.device;
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
        let d = self.model.noise_dim;
        let mut rng = SeededRng::new(seed ^ 0x1e4b);
        let z0: Vec<f32> = (0..d).map(|_| rng.normal()).collect();
        let z1: Vec<f32> = (0..d).map(|_| rng.normal()).collect();
        let steps = steps.max(2);
        let noise: Vec<f32> = (0..steps)
            .flat_map(|i| {
                let t = i as f32 / (steps - 1) as f32;
                z0.iter().zip(&z1).map(move |(a, b)| (1.0 - t) * a + t * b)
            })
            .collect();
        self.generate(&noise, &vec![digit.unwrap_or(0).min(9); steps])
    }

    /// `n` real and `n` generated digits from an evaluation stream (the training stream is
    /// untouched), with the digit each fake was asked for (`i mod 10`, conditional only).
    pub fn eval_samples(&self, n: usize) -> Result<EvalSamples> {
        let mut rng = SeededRng::new(self.eval_rng_seed ^ self.iteration() as u64);
        let idx = self.digits.draw(&mut rng, n);
        let real = self.digits.scaled(&idx);
        let noise: Vec<f32> = (0..n * self.model.noise_dim)
            .map(|_| rng.normal())
            .collect();
        let asked: Vec<u8> = (0..n).map(|i| (i % CLASSES) as u8).collect();
        let fake = self.generate(&noise, &asked)?;
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

    /// All weights, named (`generator.l{i}.*`, `discriminator.l{i}.*`, and for a
    /// conditional model `discriminator.embed`).
    pub fn tensors(&self) -> Vec<(String, Tensor)> {
        self.gan
            .gen
            .named_vars()
            .into_iter()
            .chain(self.gan.disc.named_vars())
            .chain(
                self.gan
                    .embed
                    .iter()
                    .map(|e| (EMBED.to_string(), e.clone())),
            )
            .map(|(n, v)| (n, v.as_tensor().clone()))
            .collect()
    }

    /// Loads weights saved by [`DigitTrainer::tensors`] (from either side), checking every
    /// name and shape before anything is replaced.
    pub fn load(&mut self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        for net in [&self.gan.gen, &self.gan.disc] {
            net.check(tensors)?;
        }
        let embed = match &self.gan.embed {
            Some(e) => {
                let t = tensors.get(EMBED).ok_or_else(|| {
                    GanError::InvalidData(format!(
                        "missing tensor '{EMBED}' (the file is not from a conditional model)"
                    ))
                })?;
                if t.dims() != e.dims() {
                    return Err(GanError::InvalidData(format!(
                        "tensor '{EMBED}' has shape {:?}, the model needs {:?}",
                        t.dims(),
                        e.dims()
                    )));
                }
                Some((e, t))
            }
            None => None,
        };
        self.gan.gen.load(tensors)?;
        self.gan.disc.load(tensors)?;
        if let Some((e, t)) = embed {
            e.set(&t.to_dtype(candle_core::DType::F32)?)?;
        }
        Ok(())
    }
}
