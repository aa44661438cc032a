//! The trainer: k discriminator steps per generator step (or simultaneous updates), with
//! a configuration that may change between any two steps without a reset.

use super::data::Dataset;
use super::error::{GanError, Result};
use super::gan::{Gan, Source};
use super::loss::Loss;
use super::metrics::{evaluate, MetricsReport, W1_SAMPLES};
use super::nets::{Activation, Mlp, MlpSpec};
use super::network::Net;
use super::optim::{OptimConfig, OptimizerKind};
use super::rng::SeededRng;
use candle_core::{Device, Tensor, Var};

/// A set of 2D points.
pub type Points = Vec<[f32; 2]>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    /// `U(−1, 1)` per coordinate.
    Uniform,
    /// `N(0, 1)` per coordinate.
    Gaussian,
}

impl NoiseKind {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateMode {
    /// k discriminator steps, then one generator step (Goodfellow et al. 2014, Alg. 1).
    Alternating,
    /// One forward pass, both networks updated from it (f-GAN's single-step algorithm).
    Simultaneous,
}

impl UpdateMode {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "alternating" => Ok(Self::Alternating),
            "simultaneous" => Ok(Self::Simultaneous),
            o => Err(GanError::InvalidConfig(format!(
                "unknown update mode '{o}' (expected alternating or simultaneous)"
            ))),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Alternating => "alternating",
            Self::Simultaneous => "simultaneous",
        }
    }
}

/// What fixes the networks and the data: changing any of it means a new [`Trainer`].
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    pub dataset: Dataset,
    pub noise_dim: usize,
    pub noise: NoiseKind,
    pub hidden: usize,
    pub layers: usize,
    pub activation: Activation,
    pub seed: u64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            dataset: Dataset::Ring8,
            noise_dim: 2,
            noise: NoiseKind::Gaussian,
            hidden: 32,
            layers: 2,
            activation: Activation::Relu,
            seed: 1,
        }
    }
}

pub const MAX_NOISE_DIM: usize = 8;

impl ModelConfig {
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_NOISE_DIM).contains(&self.noise_dim) {
            return Err(GanError::InvalidConfig(format!(
                "noise dimension {} out of range 1..={MAX_NOISE_DIM}",
                self.noise_dim
            )));
        }
        self.generator_spec().validate()
    }

    pub fn generator_spec(&self) -> MlpSpec {
        MlpSpec {
            input: self.noise_dim,
            hidden: self.hidden,
            layers: self.layers,
            output: 2,
            activation: self.activation,
            output_tanh: false,
        }
    }

    pub fn discriminator_spec(&self) -> MlpSpec {
        MlpSpec {
            input: 2,
            hidden: self.hidden,
            layers: self.layers,
            output: 1,
            activation: self.activation,
            output_tanh: false,
        }
    }
}

/// Everything that may change live, between any two steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    pub loss: Loss,
    /// Discriminator steps per generator step (alternating mode).
    pub k: usize,
    pub update: UpdateMode,
    pub d_opt: OptimConfig,
    pub g_opt: OptimConfig,
    pub batch: usize,
    /// Gradient-penalty weight λ (WGAN-GP).
    pub gp_lambda: f64,
    /// Weight-clipping bound c (WGAN).
    pub clip: f64,
}

pub const MAX_K: usize = 100;
pub const MAX_BATCH: usize = 8192;

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            loss: Loss::NonSaturating,
            k: 1,
            update: UpdateMode::Alternating,
            d_opt: OptimConfig::new(OptimizerKind::Adam, 1e-3),
            g_opt: OptimConfig::new(OptimizerKind::Adam, 1e-3),
            batch: 256,
            gp_lambda: 0.1,
            clip: 0.1,
        }
    }
}

impl TrainConfig {
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_K).contains(&self.k) {
            return Err(GanError::InvalidConfig(format!(
                "k = {} out of range 1..={MAX_K}",
                self.k
            )));
        }
        if !(1..=MAX_BATCH).contains(&self.batch) {
            return Err(GanError::InvalidConfig(format!(
                "batch {} out of range 1..={MAX_BATCH}",
                self.batch
            )));
        }
        if !(self.gp_lambda.is_finite() && (0.0..=1e4).contains(&self.gp_lambda)) {
            return Err(GanError::InvalidConfig(format!(
                "gradient-penalty λ must be in [0, 10000], got {}",
                self.gp_lambda
            )));
        }
        if !(self.clip.is_finite() && self.clip > 0.0 && self.clip <= 100.0) {
            return Err(GanError::InvalidConfig(format!(
                "clip c must be in (0, 100], got {}",
                self.clip
            )));
        }
        self.d_opt.validate("D")?;
        self.g_opt.validate("G")
    }
}

/// Losses of the last step; `penalty` is the gradient penalty (already weighted by λ).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepStats {
    pub d_loss: f64,
    pub g_loss: f64,
    pub penalty: f64,
}

pub struct Trainer {
    model: ModelConfig,
    gan: Gan,
    eval_rng_seed: u64,
}

/// The 2D data set and the noise, as a [`Source`] (unconditional).
/// Everything the game does ([`Gan::step`], [`Gan::set_config`], [`Gan::last`], …).
impl std::ops::Deref for Trainer {
    type Target = Gan;
    fn deref(&self) -> &Gan {
        &self.gan
    }
}

impl std::ops::DerefMut for Trainer {
    fn deref_mut(&mut self) -> &mut Gan {
        &mut self.gan
    }
}

struct PlaneSource {
    dataset: Dataset,
    noise_dim: usize,
    noise: NoiseKind,
}

impl Source for PlaneSource {
    fn real(
        &self,
        rng: &mut SeededRng,
        n: usize,
        dev: &Device,
    ) -> Result<(Tensor, Option<Tensor>)> {
        let pts = self.dataset.sample(rng, n);
        Ok((points_to_tensor(&pts, dev)?, None))
    }
    fn noise(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor> {
        draw_noise(self.noise, self.noise_dim, rng, n, dev)
    }
    fn conditions(&self, _: &mut SeededRng, _: usize, _: &Device) -> Result<Option<Tensor>> {
        Ok(None)
    }
}

impl Trainer {
    pub fn new(model: ModelConfig, cfg: TrainConfig, device: &Device) -> Result<Self> {
        model.validate()?;
        cfg.validate()?;
        let mut rng = SeededRng::new(model.seed);
        let gen = Mlp::new(model.generator_spec(), "generator", &mut rng, device)?;
        let disc = Mlp::new(
            model.discriminator_spec(),
            "discriminator",
            &mut rng,
            device,
        )?;
        let eval_rng_seed = rng.next_seed();
        let source = PlaneSource {
            dataset: model.dataset.clone(),
            noise_dim: model.noise_dim,
            noise: model.noise,
        };
        Ok(Self {
            gan: Gan::new(
                Box::new(source),
                Net::Mlp(gen),
                Net::Mlp(disc),
                None,
                cfg,
                rng,
                device,
            )?,
            model,
            eval_rng_seed,
        })
    }

    pub fn model(&self) -> &ModelConfig {
        &self.model
    }
    pub fn generator(&self) -> &Net {
        &self.gan.gen
    }
    pub fn discriminator(&self) -> &Net {
        &self.gan.disc
    }

    /// Generator outputs for given noise (`noise.len() = n · noise_dim`).
    pub fn generate(&self, noise: &[f32]) -> Result<Vec<[f32; 2]>> {
        let d = self.model.noise_dim;
        if !noise.len().is_multiple_of(d) {
            return Err(GanError::InvalidData(format!(
                "noise length {} is not a multiple of the noise dimension {d}",
                noise.len()
            )));
        }
        let z = Tensor::from_vec(noise.to_vec(), (noise.len() / d, d), self.device())?;
        tensor_to_points(&self.gan.generate(&z, None)?)
    }

    /// The critic's raw values `V(x)` at the given points.
    pub fn discriminate(&self, points: &[[f32; 2]]) -> Result<Vec<f32>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.device())?;
        Ok(self.gan.critic(&x, None)?.flatten_all()?.to_vec1::<f32>()?)
    }

    /// `∇ₓV(x)` at the given points: the direction in which the critic finds a sample
    /// more real, i.e. where the generator's loss pushes its samples.
    pub fn critic_gradients(&self, points: &[[f32; 2]]) -> Result<Vec<[f32; 2]>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.device())?;
        let (_, g) = self.gan.disc.value_and_input_gradient(&x)?;
        tensor_to_points(&g)
    }

    /// `−∂L_G/∂x` at each given sample position: the direction and strength with which the
    /// running generator loss pushes a fake sample (GAN Lab's gradient arrows), for any loss.
    /// Computed by autograd on the positions; the loss's batch mean is undone (× n) so each
    /// arrow is one sample's own gradient.
    pub fn generator_push(&self, points: &[[f32; 2]]) -> Result<Vec<[f32; 2]>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = Var::from_tensor(&points_to_tensor(points, self.device())?)?;
        let loss = (self
            .config()
            .loss
            .g_loss(&self.gan.critic(x.as_tensor(), None)?)?
            * points.len() as f64)?;
        let grads = loss.backward()?;
        match grads.get(x.as_tensor()) {
            Some(g) => tensor_to_points(&g.neg()?),
            None => Ok(vec![[0.0, 0.0]; points.len()]),
        }
    }

    /// Samples of the data and the generator from an evaluation stream that does not
    /// touch the training stream (so evaluating never changes the training numbers).
    pub fn eval_samples(&self, n: usize) -> Result<(Points, Points)> {
        let mut rng = SeededRng::new(self.eval_rng_seed ^ self.iteration() as u64);
        let real = self.model.dataset.sample(&mut rng, n);
        let z = draw_noise(
            self.model.noise,
            self.model.noise_dim,
            &mut rng,
            n,
            self.device(),
        )?;
        let fake = tensor_to_points(&self.gan.generate(&z, None)?)?;
        Ok((real, fake))
    }

    /// The metrics of [`super::metrics`] on `n` data and `n` generated samples.
    pub fn evaluate(&self, n: usize) -> Result<MetricsReport> {
        self.evaluate_with_w1(n, W1_SAMPLES)
    }

    /// As [`Trainer::evaluate`], with exact W1 on `w1_samples` of them.
    pub fn evaluate_with_w1(&self, n: usize, w1_samples: usize) -> Result<MetricsReport> {
        let (real, fake) = self.eval_samples(n)?;
        evaluate(
            &real,
            &fake,
            self.model.dataset.modes().as_deref(),
            w1_samples,
            Some(&self.config().loss),
        )
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

pub fn points_to_tensor(points: &[[f32; 2]], dev: &Device) -> Result<Tensor> {
    let flat: Vec<f32> = points.iter().flatten().copied().collect();
    Ok(Tensor::from_vec(flat, (points.len(), 2), dev)?)
}

pub fn tensor_to_points(t: &Tensor) -> Result<Vec<[f32; 2]>> {
    let v = t.to_vec2::<f32>()?;
    Ok(v.into_iter().map(|r| [r[0], r[1]]).collect())
}
