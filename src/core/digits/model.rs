//! What fixes a digit game's networks ([`DigitModel`]: the preset, conditioning, noise
//! size, seed), declared as the setting table [`DIGIT_SETTINGS`]: changing any of it
//! restarts training.

use super::data::CLASSES;
use crate::core::error::{GanError, Result};
use crate::core::nn::conv::{ConvCritic, ConvGenerator, SIDE};
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec};
use crate::core::nn::net::Net;
use crate::core::rng::SeededRng;
use crate::core::settings::{
    self, choice_setting, count_setting, flag_setting, float_setting, seed_setting, Setting,
};
use candle_core::{Device, Tensor};
use std::collections::HashMap;

pub use crate::core::game::gan::EMBED;

/// The network presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitArch {
    /// GAN Lab-sized: one hidden layer of 128 in each network (the page's default).
    MlpSmall,
    /// Two hidden layers of 256.
    Mlp,
    /// Two hidden layers of 512 (for native or GPU training).
    MlpLarge,
    /// The small DCGAN-style convolutional pair of [`crate::core::nn::conv`].
    Dcgan,
}

/// The DCGAN preset's channels: G `(C₁, C₂)` = 32×7×7 then 16×14×14; D 16×14×14 then
/// 32×7×7. Small, so that it trains at a watchable rate in the page.
pub const DCGAN_G_CHANNELS: (usize, usize) = (32, 16);
pub const DCGAN_D_CHANNELS: (usize, usize) = (16, 32);

impl DigitArch {
    pub const NAMES: [&'static str; 4] = ["mlp-small", "mlp", "mlp-large", "dcgan"];

    /// What the page's menu calls them.
    pub const LABELS: [&'static str; 4] = [
        "MLP 1×128 (small)",
        "MLP 2×256",
        "MLP 2×512",
        "DCGAN (conv)",
    ];

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
    pub fn shape(self) -> Option<(usize, usize)> {
        match self {
            Self::MlpSmall => Some((128, 1)),
            Self::Mlp => Some((256, 2)),
            Self::MlpLarge => Some((512, 2)),
            Self::Dcgan => None,
        }
    }
}

/// What fixes the networks: changing any of it means a new `DigitTrainer`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DigitModel {
    pub arch: DigitArch,
    /// Condition both networks on the digit: G takes it as one-hot input columns, D
    /// through a projection of its features.
    pub conditional: bool,
    pub noise_dim: usize,
    pub seed: u64,
}

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
    pub(super) fn condition_dim(&self) -> usize {
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
            batch_norm: false,
        }
    }

    /// `x → hidden → V(x)`, leaky ReLU (0.2), linear out; a conditional model adds the
    /// class through a projection ([`crate::core::game`]), not as input columns.
    fn discriminator_spec(&self, pixels: usize, (hidden, layers): (usize, usize)) -> MlpSpec {
        MlpSpec {
            input: pixels,
            hidden,
            layers,
            output: 1,
            activation: Activation::LeakyRelu,
            output_tanh: false,
            batch_norm: false,
        }
    }

    /// G, D, and the width of D's features, drawn from `rng` in that order.
    pub(super) fn networks(
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

    /// Every setting within its range ([`DIGIT_SETTINGS`]).
    pub fn validate(&self) -> Result<()> {
        settings::validate(DIGIT_SETTINGS, self)
    }
}

/// The digit model's settings.
pub const DIGIT_SETTINGS: &[Setting<DigitModel>] = &[
    choice_setting!("model", "networks", arch_options, restarts: true, arch: DigitArch),
    flag_setting!("cond", "conditioning", restarts: true, conditional),
    count_setting!("noisedim", "noise dim", 1, 256, restarts: true, noise_dim),
    seed_setting!(seed),
];

fn arch_options() -> Vec<(String, String)> {
    DigitArch::NAMES
        .iter()
        .zip(DigitArch::LABELS)
        .map(|(n, l)| (n.to_string(), l.to_string()))
        .collect()
}

/// The MNIST VAE's networks ([`crate::core::game::vae`]): an MLP preset's sizes (the
/// encoder as D, the decoder as G), its latent space as the GAN's noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DigitVaeModel {
    pub arch: DigitArch,
    pub latent: usize,
    pub seed: u64,
    /// The KL term's weight β (1: the ELBO); live.
    pub beta: f64,
}

impl Default for DigitVaeModel {
    fn default() -> Self {
        let gan = DigitModel::default();
        Self {
            arch: gan.arch,
            latent: gan.noise_dim,
            seed: gan.seed,
            beta: 1.0,
        }
    }
}

impl DigitVaeModel {
    /// `(hidden width, hidden layers)`; the DCGAN preset has no VAE here.
    pub fn shape(&self) -> Result<(usize, usize)> {
        self.arch.shape().ok_or_else(|| {
            GanError::InvalidConfig(
                "model: the VAE is built of MLPs (mlp-small, mlp or mlp-large), not the dcgan's convolutions"
                    .into(),
            )
        })
    }
}

pub const DIGIT_VAE_SETTINGS: &[Setting<DigitVaeModel>] = &[
    choice_setting!("model", "networks", arch_options, restarts: true, arch: DigitArch),
    count_setting!("noisedim", "latent dim", 1, 256, restarts: true, latent),
    seed_setting!(seed),
    float_setting!("beta", "KL weight β", 0.0, 100.0, restarts: false, beta),
];
