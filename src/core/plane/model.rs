//! What fixes the networks and the data of the games on the plane, each declared as a
//! setting table beside it: the classic GAN's ([`PlaneModel`], [`PLANE_SETTINGS`]), the xy
//! game's players' start ([`XyModel`]), the BiGAN's ([`BiganModel`]) and the 2D
//! CycleGAN's ([`CycleModel`]). Changing any of them restarts training, except the few
//! marked live (the xy game's pace, the CycleGAN's λ).

use super::data::{Dataset, MAX_CUSTOM_POINTS};
use super::pairs::{pair_options, PairSet};
use crate::core::error::{GanError, Result};
use crate::core::game::cyclegan::CYCLE_LAMBDA;
use crate::core::game::pack::MAX_PACK;
use crate::core::game::pix2pix::{Objective, PIX2PIX_LAMBDA};
use crate::core::game::xy::XY_START;
use crate::core::game::NoiseKind;
use crate::core::nn::mlp::{Activation, MlpSpec, MAX_LAYERS, MAX_WIDTH};
use crate::core::settings::{
    self, choice_setting, count_setting, flag_setting, float_setting, seed_setting, Kind, Setting,
    Value,
};
use candle_core::Tensor;
use std::collections::HashMap;

/// What fixes the networks and the data: changing any of it means a new `PlaneTrainer`.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaneModel {
    pub dataset: Dataset,
    pub noise_dim: usize,
    pub noise: NoiseKind,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub seed: u64,
    /// Batch normalisation in G's hidden layers (PacGAN's and VEEGAN's generators).
    pub g_batch_norm: bool,
    /// D's width and hidden layers when they differ from G's; 0 is "as G".
    pub d_hidden: usize,
    pub d_layers: usize,
    /// Samples the critic reads at once (PacGAN, [`crate::core::game::pack`]); 1 is none.
    pub pack: usize,
    /// The minibatch standard deviation as an extra input of the critic.
    pub mbstd: bool,
    /// A conditional GAN: each sample's label is the data set's mode it is nearest, G
    /// reads it beside z and the critic through a projection ([`PlaneModel::classes`]).
    pub cond: bool,
}

impl Default for PlaneModel {
    fn default() -> Self {
        Self {
            dataset: Dataset::Ring8,
            noise_dim: 2,
            noise: NoiseKind::Gaussian,
            hidden: 32,
            layers: 2,
            activation: Activation::Relu,
            seed: 1,
            g_batch_norm: false,
            d_hidden: 0,
            d_layers: 0,
            pack: 1,
            mbstd: false,
            cond: false,
        }
    }
}

impl PlaneModel {
    /// Every setting within its range ([`PLANE_SETTINGS`]).
    pub fn validate(&self) -> Result<()> {
        settings::validate(PLANE_SETTINGS, self)?;
        if self.cond && self.classes() < 2 {
            return Err(GanError::InvalidConfig(format!(
                "cond: {} has no clusters to label (ring8, grid25, two clusters, or up to {} points of your own)",
                self.dataset.name(),
                super::data::MAX_CUSTOM_MODES
            )));
        }
        self.generator_spec().validate()?;
        self.discriminator_spec().validate()
    }

    /// This model with the networks' shape read off a weights file: the noise dimension
    /// from G's first layer, the width from its output, the hidden layers from how many
    /// layers G has, batch norm from G's `bn` weights; D's width and depth the same way
    /// (kept as "as G" when equal), its packing and minibatch deviation from its input
    /// width (`2m`, or `2m + 1`); both must end as a 2D GAN's do. The activation, noise
    /// kind, data and seed stay this model's (a weights file does not say them).
    pub fn from_tensors(&self, tensors: &HashMap<String, Tensor>) -> Result<PlaneModel> {
        let bad =
            |m: String| GanError::InvalidData(format!("not a 2D GAN of this playground: {m}"));
        let shape = |name: &str| -> Result<Vec<usize>> {
            tensors
                .get(name)
                .map(|t| t.dims().to_vec())
                .ok_or_else(|| bad(format!("no tensor '{name}'")))
        };
        let count = |net: &str| {
            (0..=MAX_LAYERS + 1)
                .take_while(|i| tensors.contains_key(&format!("{net}.l{i}.weight")))
                .count()
        };
        let (g, d) = (count("generator"), count("discriminator"));
        if g < 1 || d < 1 {
            return Err(bad(format!("G has {g} layers and D {d}")));
        }
        let first = shape("generator.l0.weight")?;
        let (hidden, noise_dim) = match (g, first.as_slice()) {
            (1, [2, n]) => (self.hidden, *n),
            (_, [h, n]) => (*h, *n),
            _ => return Err(bad(format!("generator.l0.weight has shape {first:?}"))),
        };
        let g_out = shape(&format!("generator.l{}.weight", g - 1))?;
        let d_in = shape("discriminator.l0.weight")?;
        let d_out = shape(&format!("discriminator.l{}.weight", d - 1))?;
        let d_width = d_in.get(1).copied().unwrap_or(0);
        if g_out.first() != Some(&2)
            || !(2..=2 * MAX_PACK + 1).contains(&d_width)
            || d_out.first() != Some(&1)
        {
            return Err(bad(format!(
                "G ends in {g_out:?}, D starts in {d_in:?} and ends in {d_out:?}; a 2D GAN maps to 2 and from 2m (+1) to 1"
            )));
        }
        let d_hidden = if d > 1 { d_in[0] } else { hidden };
        let as_g = |d: usize, g: usize| if d == g { 0 } else { d };
        // A conditional model's G reads its labels beside z; its critic has the embedding.
        let cond = tensors.contains_key(crate::core::game::gan::EMBED);
        let labels = PlaneModel {
            cond,
            ..self.clone()
        }
        .classes();
        let model = PlaneModel {
            noise_dim: noise_dim.saturating_sub(labels),
            cond,
            hidden,
            layers: g - 1,
            g_batch_norm: tensors.contains_key("generator.l0.bn.weight"),
            d_hidden: as_g(d_hidden, hidden),
            d_layers: as_g(d - 1, g - 1),
            pack: d_width / 2,
            mbstd: d_width % 2 == 1,
            ..self.clone()
        };
        model.validate()?;
        Ok(model)
    }

    /// The labels of a conditional model: one per mode of the data set (ring8 8,
    /// grid25 25, two clusters 2, each point of your own); 0 when not conditional.
    pub fn classes(&self) -> usize {
        if !self.cond {
            return 0;
        }
        self.dataset.modes().map_or(0, |m| m.len())
    }

    pub fn generator_spec(&self) -> MlpSpec {
        MlpSpec {
            input: self.noise_dim + self.classes(),
            hidden: self.hidden,
            layers: self.layers,
            output: 2,
            activation: self.activation,
            output_tanh: false,
            batch_norm: self.g_batch_norm,
        }
    }

    /// D reads `pack` points, and the batch's standard deviation with `mbstd`.
    pub fn discriminator_spec(&self) -> MlpSpec {
        let or_g = |d: usize, g: usize| if d == 0 { g } else { d };
        MlpSpec {
            input: 2 * self.pack + self.mbstd as usize,
            hidden: or_g(self.d_hidden, self.hidden),
            layers: or_g(self.d_layers, self.layers),
            output: 1,
            activation: self.activation,
            output_tanh: false,
            batch_norm: false,
        }
    }
}

/// The 2D model's settings. `points` comes before `dataset`: reading a link in this order,
/// `dataset=custom` finds the points already read.
pub const PLANE_SETTINGS: &[Setting<PlaneModel>] = &[
    Setting {
        key: "points",
        label: "your points",
        kind: Kind::Points {
            max: MAX_CUSTOM_POINTS,
        },
        restarts: true,
        get: |m| match &m.dataset {
            Dataset::Custom(p) => Value::Points(p.clone()),
            _ => Value::Points(Vec::new()),
        },
        set: |m, v| {
            if let Value::Points(p) = v {
                if !p.is_empty() {
                    m.dataset = Dataset::custom(p)?;
                }
            }
            Ok(())
        },
    },
    Setting {
        key: "dataset",
        label: "data set",
        kind: Kind::Choice {
            options: dataset_options,
        },
        restarts: true,
        get: |m| Value::Text(m.dataset.name().into()),
        set: |m, v| match v.text() {
            "custom" if matches!(m.dataset, Dataset::Custom(_)) => Ok(()),
            "custom" => Err(GanError::InvalidConfig(
                "dataset: custom needs points (click on the plane)".into(),
            )),
            name => {
                m.dataset = Dataset::parse(name)?;
                Ok(())
            }
        },
    },
    count_setting!("hidden", "width", 1, MAX_WIDTH, restarts: true, hidden),
    count_setting!("layers", "hidden layers", 0, MAX_LAYERS, restarts: true, layers),
    choice_setting!("act", "activation", || settings::named(&Activation::NAMES), restarts: true, activation: Activation),
    choice_setting!("noise", "noise", || settings::named(&NoiseKind::NAMES), restarts: true, noise: NoiseKind),
    count_setting!("noisedim", "noise dim", 1, 8, restarts: true, noise_dim),
    seed_setting!(seed),
    flag_setting!("gbn", "batch norm in G", restarts: true, g_batch_norm),
    count_setting!("dhidden", "D width (0: as G)", 0, MAX_WIDTH, restarts: true, d_hidden),
    count_setting!("dlayers", "D hidden layers (0: as G)", 0, MAX_LAYERS, restarts: true, d_layers),
    count_setting!("pack", "packing m (PacGAN)", 1, MAX_PACK, restarts: true, pack),
    flag_setting!("mbstd", "minibatch std feature in D", restarts: true, mbstd),
    flag_setting!("cond", "conditional (a label per cluster)", restarts: true, cond),
];

fn dataset_options() -> Vec<(String, String)> {
    let mut options = preset_options();
    options.push(("custom".to_string(), "draw your own".to_string()));
    options
}

/// The preset data sets as a menu, without "draw your own": the games other than the
/// classic GAN have no points of the user's.
pub fn preset_options() -> Vec<(String, String)> {
    Dataset::PRESETS
        .iter()
        .zip(Dataset::LABELS)
        .map(|(n, l)| (n.to_string(), l.to_string()))
        .collect()
}

/// Where the xy game's players start ([`crate::core::game::xy`]), and its pace.
#[derive(Clone, Debug, PartialEq)]
pub struct XyModel {
    pub x0: f64,
    pub y0: f64,
    /// Iterations per second in the page (live): the game's steps take nanoseconds.
    pub rate: f64,
}

impl XyModel {
    pub fn start(&self) -> [f64; 2] {
        [self.x0, self.y0]
    }
}

impl Default for XyModel {
    fn default() -> Self {
        Self {
            x0: XY_START[0],
            y0: XY_START[1],
            rate: 30.0,
        }
    }
}

pub const XY_SETTINGS: &[Setting<XyModel>] = &[
    float_setting!("x0", "start x", -3.0, 3.0, restarts: true, x0),
    float_setting!("y0", "start y", -3.0, 3.0, restarts: true, y0),
    float_setting!("rate", "steps per second", 1.0, 10000.0, restarts: false, rate),
];

/// The BiGAN's data and networks ([`crate::core::game::bigan`]); its latent space is 2D.
#[derive(Clone, Debug, PartialEq)]
pub struct BiganModel {
    pub dataset: Dataset,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub seed: u64,
}

impl Default for BiganModel {
    fn default() -> Self {
        Self {
            dataset: Dataset::TwoMoons,
            hidden: 64,
            layers: 2,
            activation: Activation::LeakyRelu,
            seed: 7,
        }
    }
}

pub const BIGAN_SETTINGS: &[Setting<BiganModel>] = &[
    choice_setting!("dataset", "data set", preset_options, restarts: true, dataset: Dataset),
    count_setting!("hidden", "width", 1, MAX_WIDTH, restarts: true, hidden),
    count_setting!("layers", "hidden layers", 0, MAX_LAYERS, restarts: true, layers),
    choice_setting!("act", "activation", || settings::named(&Activation::NAMES), restarts: true, activation: Activation),
    seed_setting!(seed),
];

/// The 2D CycleGAN's two domains and networks ([`crate::core::game::cyclegan`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CycleModel {
    pub x: Dataset,
    pub y: Dataset,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub seed: u64,
    /// The cycle loss's weight λ; live (no restart).
    pub lambda: f64,
}

impl Default for CycleModel {
    fn default() -> Self {
        Self {
            x: Dataset::TwoMoons,
            y: Dataset::Ring8,
            hidden: 64,
            layers: 2,
            activation: Activation::LeakyRelu,
            seed: 3,
            lambda: CYCLE_LAMBDA,
        }
    }
}

pub const CYCLE_SETTINGS: &[Setting<CycleModel>] = &[
    choice_setting!("x", "domain X", preset_options, restarts: true, x: Dataset),
    choice_setting!("y", "domain Y", preset_options, restarts: true, y: Dataset),
    count_setting!("hidden", "width", 1, MAX_WIDTH, restarts: true, hidden),
    count_setting!("layers", "hidden layers", 0, MAX_LAYERS, restarts: true, layers),
    choice_setting!("act", "activation", || settings::named(&Activation::NAMES), restarts: true, activation: Activation),
    seed_setting!(seed),
    float_setting!("lambda", "cycle loss λ", 0.0, 100.0, restarts: false, lambda),
];

/// The 2D pix2pix's paired data, networks and objective
/// ([`crate::core::game::pix2pix`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Pix2PixModel {
    pub pairs: PairSet,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub noise_dim: usize,
    pub seed: u64,
    /// What G minimises; live.
    pub objective: Objective,
    /// The L1 term's weight λ; live.
    pub lambda: f64,
}

impl Default for Pix2PixModel {
    fn default() -> Self {
        Self {
            pairs: PairSet::Circle,
            hidden: 64,
            layers: 2,
            activation: Activation::LeakyRelu,
            noise_dim: 1,
            seed: 1,
            objective: Objective::Both,
            lambda: PIX2PIX_LAMBDA,
        }
    }
}

pub const PIX2PIX_SETTINGS: &[Setting<Pix2PixModel>] = &[
    choice_setting!("pairs", "paired data", pair_options, restarts: true, pairs: PairSet),
    count_setting!("hidden", "width", 1, MAX_WIDTH, restarts: true, hidden),
    count_setting!("layers", "hidden layers", 0, MAX_LAYERS, restarts: true, layers),
    choice_setting!("act", "activation", || settings::named(&Activation::NAMES), restarts: true, activation: Activation),
    count_setting!("noisedim", "noise dim", 1, 8, restarts: true, noise_dim),
    seed_setting!(seed),
    choice_setting!("objective", "G's objective", || settings::named(&Objective::NAMES), restarts: false, objective: Objective),
    float_setting!("lambda", "L1 weight λ", 0.0, 1000.0, restarts: false, lambda),
];

/// The 2D VAE's data and networks ([`crate::core::game::vae`]): the sizes of the classic
/// GAN's by default (its latent space is the GAN's noise), so the two compare like for
/// like.
#[derive(Clone, Debug, PartialEq)]
pub struct VaeModel {
    pub dataset: Dataset,
    pub latent: usize,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub seed: u64,
    /// The Gaussian decoder's σ; live.
    pub sigma: f64,
    /// The KL term's weight β (1: the ELBO); live.
    pub beta: f64,
    /// Samples are the decoder's means μ(z), without the likelihood's σ noise; off, they
    /// are the model's own samples x ~ N(μ(z), σ²I). Live.
    pub means: bool,
}

/// The Gaussian decoder's σ by default: about the spread of a ring8 mode.
pub const VAE_SIGMA: f64 = 0.1;

impl Default for VaeModel {
    fn default() -> Self {
        VaeModel::like(&PlaneModel::default())
    }
}

impl VaeModel {
    /// The VAE of a GAN's model: its data, seed and network sizes, its noise as the
    /// latent space.
    pub fn like(gan: &PlaneModel) -> Self {
        Self {
            dataset: gan.dataset.clone(),
            latent: gan.noise_dim,
            hidden: gan.hidden,
            layers: gan.layers,
            activation: gan.activation,
            seed: gan.seed,
            sigma: VAE_SIGMA,
            beta: 1.0,
            means: false,
        }
    }
}

pub const VAE_SETTINGS: &[Setting<VaeModel>] = &[
    choice_setting!("dataset", "data set", preset_options, restarts: true, dataset: Dataset),
    count_setting!("hidden", "width", 1, MAX_WIDTH, restarts: true, hidden),
    count_setting!("layers", "hidden layers", 0, MAX_LAYERS, restarts: true, layers),
    choice_setting!("act", "activation", || settings::named(&Activation::NAMES), restarts: true, activation: Activation),
    count_setting!("noisedim", "latent dim", 1, 8, restarts: true, latent),
    seed_setting!(seed),
    float_setting!("sigma", "decoder σ", 1e-3, 10.0, restarts: false, sigma),
    float_setting!("beta", "KL weight β", 0.0, 100.0, restarts: false, beta),
    flag_setting!("means", "samples: the decoder's means only (no σ noise)", restarts: false, means),
];
