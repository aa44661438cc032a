//! The trainer: k discriminator steps per generator step (or simultaneous updates), with
//! a configuration that may change between any two steps without a reset.

use super::data::Dataset;
use super::error::{GanError, Result};
use super::loss::{gradient_penalty, Loss};
use super::metrics::{evaluate, MetricsReport, W1_SAMPLES};
use super::nets::{Activation, Mlp, MlpSpec};
use super::optim::{OptimConfig, Optimizer, OptimizerKind};
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
        }
    }

    pub fn discriminator_spec(&self) -> MlpSpec {
        MlpSpec {
            input: 2,
            hidden: self.hidden,
            layers: self.layers,
            output: 1,
            activation: self.activation,
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
    cfg: TrainConfig,
    device: Device,
    gen: Mlp,
    disc: Mlp,
    opt_d: Optimizer,
    opt_g: Optimizer,
    rng: SeededRng,
    eval_rng_seed: u64,
    iteration: usize,
    d_steps: usize,
    g_steps: usize,
    last: StepStats,
    diverged: Option<GanError>,
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
        Ok(Self {
            opt_d: Optimizer::new(disc.vars()),
            opt_g: Optimizer::new(gen.vars()),
            model,
            cfg,
            device: device.clone(),
            gen,
            disc,
            rng,
            eval_rng_seed,
            iteration: 0,
            d_steps: 0,
            g_steps: 0,
            last: StepStats::default(),
            diverged: None,
        })
    }

    pub fn model(&self) -> &ModelConfig {
        &self.model
    }
    pub fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    pub fn device(&self) -> &Device {
        &self.device
    }
    /// Completed iterations (calls of [`Trainer::step`]).
    pub fn iteration(&self) -> usize {
        self.iteration
    }
    pub fn d_steps(&self) -> usize {
        self.d_steps
    }
    pub fn g_steps(&self) -> usize {
        self.g_steps
    }
    pub fn last(&self) -> StepStats {
        self.last
    }
    pub fn diverged(&self) -> Option<&GanError> {
        self.diverged.as_ref()
    }
    pub fn generator(&self) -> &Mlp {
        &self.gen
    }
    pub fn discriminator(&self) -> &Mlp {
        &self.disc
    }

    /// Replace the live configuration; networks and optimiser state are kept.
    pub fn set_config(&mut self, cfg: TrainConfig) -> Result<()> {
        cfg.validate()?;
        self.cfg = cfg;
        Ok(())
    }

    /// One iteration: k D steps then one G step, or one simultaneous update.
    pub fn step(&mut self) -> Result<StepStats> {
        self.check_alive()?;
        match self.cfg.update {
            UpdateMode::Alternating => {
                for _ in 0..self.cfg.k {
                    self.step_d()?;
                }
                self.step_g()?;
            }
            UpdateMode::Simultaneous => self.step_simultaneous()?,
        }
        self.iteration += 1;
        Ok(self.last)
    }

    /// One discriminator step only.
    pub fn step_d(&mut self) -> Result<StepStats> {
        self.check_alive()?;
        let real = self.real_batch(self.cfg.batch)?;
        let z = self.noise(self.cfg.batch)?;
        let fake = self.gen.forward(&z)?.detach();
        let (loss, d_loss, penalty) = self.d_objective(&real, &fake)?;
        self.guard("discriminator loss", d_loss + penalty)?;
        let grads = loss.backward()?;
        self.opt_d.step(&grads, &self.cfg.d_opt)?;
        self.after_d_update()?;
        self.d_steps += 1;
        self.last.d_loss = d_loss;
        self.last.penalty = penalty;
        Ok(self.last)
    }

    /// One generator step only.
    pub fn step_g(&mut self) -> Result<StepStats> {
        self.check_alive()?;
        let z = self.noise(self.cfg.batch)?;
        let fake = self.gen.forward(&z)?;
        let loss = self.cfg.loss.g_loss(&self.disc.forward(&fake)?)?;
        let g_loss = scalar(&loss)?;
        self.guard("generator loss", g_loss)?;
        let grads = loss.backward()?;
        self.opt_g.step(&grads, &self.cfg.g_opt)?;
        self.g_steps += 1;
        self.last.g_loss = g_loss;
        Ok(self.last)
    }

    fn step_simultaneous(&mut self) -> Result<()> {
        let real = self.real_batch(self.cfg.batch)?;
        let z = self.noise(self.cfg.batch)?;
        let fake = self.gen.forward(&z)?;
        let (d_total, d_loss, penalty) = self.d_objective(&real, &fake)?;
        let g_total = self.cfg.loss.g_loss(&self.disc.forward(&fake)?)?;
        let g_loss = scalar(&g_total)?;
        self.guard("discriminator loss", d_loss + penalty)?;
        self.guard("generator loss", g_loss)?;
        // Both gradients come from the same parameters, before either update.
        let d_grads = d_total.backward()?;
        let g_grads = g_total.backward()?;
        self.opt_d.step(&d_grads, &self.cfg.d_opt)?;
        self.opt_g.step(&g_grads, &self.cfg.g_opt)?;
        self.after_d_update()?;
        self.d_steps += 1;
        self.g_steps += 1;
        self.last = StepStats {
            d_loss,
            g_loss,
            penalty,
        };
        Ok(())
    }

    /// The discriminator's objective: `(total, loss without penalty, weighted penalty)`.
    fn d_objective(&mut self, real: &Tensor, fake: &Tensor) -> Result<(Tensor, f64, f64)> {
        let v_real = self.disc.forward(real)?;
        let v_fake = self.disc.forward(fake)?;
        let loss = self.cfg.loss.d_loss(&v_real, &v_fake)?;
        let d_loss = scalar(&loss)?;
        match self.cfg.loss.gradient_penalty_kind() {
            Some(one_sided) if self.cfg.gp_lambda > 0.0 => {
                let n = real.dim(0)?;
                let eps: Vec<f32> = (0..n).map(|_| self.rng.uniform(0.0, 1.0)).collect();
                let eps = Tensor::from_vec(eps, (n, 1), &self.device)?;
                let x_hat =
                    (real.broadcast_mul(&eps)? + fake.detach().broadcast_mul(&(1.0 - &eps)?)?)?;
                let (_, grad) = self.disc.value_and_input_gradient(&x_hat)?;
                let penalty = (gradient_penalty(&grad, one_sided)? * self.cfg.gp_lambda)?;
                let p = scalar(&penalty)?;
                Ok(((loss + penalty)?, d_loss, p))
            }
            _ => Ok((loss, d_loss, 0.0)),
        }
    }

    fn after_d_update(&self) -> Result<()> {
        if self.cfg.loss.clips_weights() {
            let c = self.cfg.clip;
            for var in self.disc.vars() {
                var.set(&var.as_detached_tensor().clamp(-c, c)?)?;
            }
        }
        Ok(())
    }

    fn check_alive(&self) -> Result<()> {
        match &self.diverged {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Stop on a non-finite value, before any update is applied.
    fn guard(&mut self, what: &str, value: f64) -> Result<()> {
        if value.is_finite() {
            return Ok(());
        }
        let err = GanError::Diverged {
            step: self.iteration,
            what: what.to_string(),
        };
        self.diverged = Some(err.clone());
        Err(err)
    }

    fn real_batch(&mut self, n: usize) -> Result<Tensor> {
        let pts = self.model.dataset.sample(&mut self.rng, n);
        points_to_tensor(&pts, &self.device)
    }

    /// A `[n, noise_dim]` noise batch drawn from the training stream.
    fn noise(&mut self, n: usize) -> Result<Tensor> {
        draw_noise(&self.model, &mut self.rng, n, &self.device)
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
        let z = Tensor::from_vec(noise.to_vec(), (noise.len() / d, d), &self.device)?;
        tensor_to_points(&self.gen.forward(&z)?)
    }

    /// The critic's raw values `V(x)` at the given points.
    pub fn discriminate(&self, points: &[[f32; 2]]) -> Result<Vec<f32>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, &self.device)?;
        Ok(self.disc.forward(&x)?.flatten_all()?.to_vec1::<f32>()?)
    }

    /// `∇ₓV(x)` at the given points: the direction in which the critic finds a sample
    /// more real, i.e. where the generator's loss pushes its samples.
    pub fn critic_gradients(&self, points: &[[f32; 2]]) -> Result<Vec<[f32; 2]>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, &self.device)?;
        let (_, g) = self.disc.value_and_input_gradient(&x)?;
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
        let x = Var::from_tensor(&points_to_tensor(points, &self.device)?)?;
        let loss =
            (self.cfg.loss.g_loss(&self.disc.forward(x.as_tensor())?)? * points.len() as f64)?;
        let grads = loss.backward()?;
        match grads.get(x.as_tensor()) {
            Some(g) => tensor_to_points(&g.neg()?),
            None => Ok(vec![[0.0, 0.0]; points.len()]),
        }
    }

    /// Samples of the data and the generator from an evaluation stream that does not
    /// touch the training stream (so evaluating never changes the training numbers).
    pub fn eval_samples(&self, n: usize) -> Result<(Points, Points)> {
        let mut rng = SeededRng::new(self.eval_rng_seed ^ self.iteration as u64);
        let real = self.model.dataset.sample(&mut rng, n);
        let z = draw_noise(&self.model, &mut rng, n, &self.device)?;
        let fake = tensor_to_points(&self.gen.forward(&z)?)?;
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
            Some(&self.cfg.loss),
        )
    }

    /// All weights, named, for saving.
    pub fn named_vars(&self) -> Vec<(String, Var)> {
        let mut v = self.gen.named_vars();
        v.extend(self.disc.named_vars());
        v
    }
}

fn scalar(t: &Tensor) -> Result<f64> {
    Ok(t.to_dtype(candle_core::DType::F64)?.to_scalar::<f64>()?)
}

fn draw_noise(model: &ModelConfig, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor> {
    let len = n * model.noise_dim;
    let z: Vec<f32> = match model.noise {
        NoiseKind::Uniform => (0..len).map(|_| rng.uniform(-1.0, 1.0)).collect(),
        NoiseKind::Gaussian => (0..len).map(|_| rng.normal()).collect(),
    };
    Ok(Tensor::from_vec(z, (n, model.noise_dim), dev)?)
}

pub fn points_to_tensor(points: &[[f32; 2]], dev: &Device) -> Result<Tensor> {
    let flat: Vec<f32> = points.iter().flatten().copied().collect();
    Ok(Tensor::from_vec(flat, (points.len(), 2), dev)?)
}

pub fn tensor_to_points(t: &Tensor) -> Result<Vec<[f32; 2]>> {
    let v = t.to_vec2::<f32>()?;
    Ok(v.into_iter().map(|r| [r[0], r[1]]).collect())
}
