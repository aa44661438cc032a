//! [`PlaneTrainer`]: a [`Gan`] of two MLPs on a 2D data set, and the views of it the page
//! draws (the critic's values and gradients on the plane, the generator's samples).

use super::data::Dataset;
use super::metrics::{evaluate, MetricsReport, W1_SAMPLES};
use super::model::PlaneModel;
use crate::core::error::{GanError, Result};
use crate::core::game::{draw_noise, Game, Gan, NoiseKind, Source, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::nn::mlp::Mlp;
use crate::core::nn::net::Net;
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor, Var};

/// A set of 2D points.
pub type Points = Vec<[f32; 2]>;

/// A GAN on 2D points: the game and what the page draws of it.
pub struct PlaneTrainer {
    model: PlaneModel,
    gan: Gan,
    eval_rng_seed: u64,
}

/// The 2D data set and the noise, as a [`Source`] (unconditional); also the data of the
/// BiGAN and CycleGAN labs.
pub struct PlaneSource {
    dataset: Dataset,
    noise_dim: usize,
    noise: NoiseKind,
}

impl PlaneSource {
    pub fn new(dataset: Dataset, noise_dim: usize, noise: NoiseKind) -> Self {
        Self {
            dataset,
            noise_dim,
            noise,
        }
    }
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

impl PlaneTrainer {
    pub fn new(model: PlaneModel, cfg: TrainConfig, device: &Device) -> Result<Self> {
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
            )?
            .with_critic_input(model.pack, model.mbstd)?,
            model,
            eval_rng_seed,
        })
    }

    /// Replaces the data set while training: the networks, their optimisers and the
    /// step go on, on the new data (the user's points as they are placed). The model's
    /// other settings must be unchanged.
    pub fn set_dataset(&mut self, dataset: Dataset) {
        self.model.dataset = dataset.clone();
        self.gan.set_source(Box::new(PlaneSource {
            dataset,
            noise_dim: self.model.noise_dim,
            noise: self.model.noise,
        }));
    }

    /// All weights, named as in a weights file ([`Gan::named_tensors`]).
    pub fn tensors(&self) -> Vec<(String, Tensor)> {
        self.gan.named_tensors()
    }

    /// Loads weights of this model's shapes, checking all before replacing any.
    pub fn load(&mut self, tensors: &std::collections::HashMap<String, Tensor>) -> Result<()> {
        self.gan.load_named_tensors(tensors)
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

    pub fn model(&self) -> &PlaneModel {
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
        let z = Tensor::from_vec(noise.to_vec(), (noise.len() / d, d), self.gan.device())?;
        tensor_to_points(&self.gan.generate(&z, None)?)
    }

    /// The critic's raw values `V(x)` at the given points.
    pub fn discriminate(&self, points: &[[f32; 2]]) -> Result<Vec<f32>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.gan.device())?;
        Ok(self.gan.critic(&x, None)?.flatten_all()?.to_vec1::<f32>()?)
    }

    /// `∇ₓV(x)` at the given points: the direction in which the critic finds a sample
    /// more real, i.e. where the generator's loss pushes its samples.
    pub fn critic_gradients(&self, points: &[[f32; 2]]) -> Result<Vec<[f32; 2]>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.gan.device())?;
        let (_, g) = self.gan.critic_value_and_gradient(&x)?;
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
        let x = Var::from_tensor(&points_to_tensor(points, self.gan.device())?)?;
        let loss = (self
            .gan
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
    /// touch the training stream (so evaluating never changes the training numbers). A
    /// generated sample that is not finite is a divergence.
    pub fn eval_samples(&self, n: usize) -> Result<(Points, Points)> {
        let mut rng = SeededRng::new(self.eval_rng_seed ^ self.gan.counters().iteration as u64);
        let real = self.model.dataset.sample(&mut rng, n);
        let z = draw_noise(
            self.model.noise,
            self.model.noise_dim,
            &mut rng,
            n,
            self.gan.device(),
        )?;
        let fake = tensor_to_points(&self.gan.generate(&z, None)?)?;
        require_finite_output(fake.as_flattened(), self.gan.counters().iteration)?;
        Ok((real, fake))
    }

    /// The metrics of [`crate::core::plane::metrics`] on `n` data and `n` generated samples.
    pub fn evaluate(&self, n: usize) -> Result<MetricsReport> {
        self.evaluate_with_w1(n, W1_SAMPLES)
    }

    /// As [`PlaneTrainer::evaluate`], with exact W1 on `w1_samples` of them.
    pub fn evaluate_with_w1(&self, n: usize, w1_samples: usize) -> Result<MetricsReport> {
        let (real, fake) = self.eval_samples(n)?;
        evaluate(
            &real,
            &fake,
            self.model.dataset.modes().as_deref(),
            w1_samples,
            Some(&self.gan.config().loss),
        )
    }
}

pub fn points_to_tensor(points: &[[f32; 2]], dev: &Device) -> Result<Tensor> {
    let flat: Vec<f32> = points.iter().flatten().copied().collect();
    Ok(Tensor::from_vec(flat, (points.len(), 2), dev)?)
}

pub fn tensor_to_points(t: &Tensor) -> Result<Vec<[f32; 2]>> {
    let v = t.to_vec2::<f32>()?;
    Ok(v.into_iter().map(|r| [r[0], r[1]]).collect())
}
