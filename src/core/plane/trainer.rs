//! [`PlaneTrainer`]: a [`Gan`] of two MLPs on a 2D data set, and the views of it the page
//! draws (the critic's values and gradients on the plane, the generator's samples).

use super::data::{Dataset, Mode};
use super::metrics::{evaluate, MetricsReport, W1_SAMPLES};
use super::model::PlaneModel;
use crate::core::error::{GanError, Result};
use crate::core::game::gan::class_embedding;
use crate::core::game::{draw_noise, Game, Gan, NoiseKind, Source, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::nn::mlp::Mlp;
use crate::core::nn::net::Net;
use crate::core::rng::SeededRng;
use crate::core::tensor::one_hot;
use candle_core::{Device, Tensor, Var};

/// A set of 2D points.
pub type Points = Vec<[f32; 2]>;

/// A GAN on 2D points: the game and what the page draws of it.
pub struct PlaneTrainer {
    model: PlaneModel,
    gan: Gan,
    eval_rng_seed: u64,
    /// A conditional model's label the pictures show (`None`: every label in turn).
    shown_label: Option<usize>,
}

/// The 2D data set and the noise, as a [`Source`]; also the data of the BiGAN and
/// CycleGAN labs. With `modes`, a conditional source: each real sample's label is the
/// mode it is nearest.
pub struct PlaneSource {
    dataset: Dataset,
    noise_dim: usize,
    noise: NoiseKind,
    modes: Option<Vec<Mode>>,
}

impl PlaneSource {
    pub fn new(dataset: Dataset, noise_dim: usize, noise: NoiseKind) -> Self {
        Self {
            dataset,
            noise_dim,
            noise,
            modes: None,
        }
    }

    /// The source of `model`: conditional when the model is.
    fn of(model: &PlaneModel) -> Self {
        let modes = if model.classes() > 0 {
            model.dataset.modes()
        } else {
            None
        };
        Self {
            modes,
            ..Self::new(model.dataset.clone(), model.noise_dim, model.noise)
        }
    }
}

/// The index of the mode each point is nearest (its label in a conditional model).
pub fn nearest_modes(points: &[[f32; 2]], modes: &[Mode]) -> Vec<usize> {
    points
        .iter()
        .map(|p| {
            let d = |m: &Mode| (p[0] - m.centre[0]).powi(2) + (p[1] - m.centre[1]).powi(2);
            (0..modes.len())
                .min_by(|&a, &b| d(&modes[a]).total_cmp(&d(&modes[b])))
                .unwrap_or(0)
        })
        .collect()
}

impl Source for PlaneSource {
    fn real(
        &self,
        rng: &mut SeededRng,
        n: usize,
        dev: &Device,
    ) -> Result<(Tensor, Option<Tensor>)> {
        let pts = self.dataset.sample(rng, n);
        let labels = match &self.modes {
            Some(modes) => Some(one_hot(&nearest_modes(&pts, modes), modes.len(), dev)?),
            None => None,
        };
        Ok((points_to_tensor(&pts, dev)?, labels))
    }
    fn noise(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor> {
        draw_noise(self.noise, self.noise_dim, rng, n, dev)
    }
    fn conditions(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Option<Tensor>> {
        let Some(modes) = &self.modes else {
            return Ok(None);
        };
        let c = modes.len();
        let labels: Vec<usize> = (0..n)
            .map(|_| ((rng.uniform(0.0, 1.0) * c as f32) as usize).min(c - 1))
            .collect();
        Ok(Some(one_hot(&labels, c, dev)?))
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
        let features = model.discriminator_spec().hidden;
        let embed = class_embedding(model.classes(), features, &mut rng, device)?;
        let eval_rng_seed = rng.next_seed();
        let source = PlaneSource::of(&model);
        Ok(Self {
            gan: Gan::new(
                Box::new(source),
                Net::Mlp(gen),
                Net::Mlp(disc),
                embed,
                cfg,
                rng,
                device,
            )?
            .with_critic_input(model.pack, model.mbstd)?,
            model,
            eval_rng_seed,
            shown_label: None,
        })
    }

    /// The labels of a conditional model (0 when it is not).
    pub fn classes(&self) -> usize {
        self.model.classes()
    }

    /// The label the pictures show (`None`: every label in turn, and the critic averaged
    /// over them); refused for a label the model does not have.
    pub fn show_label(&mut self, label: Option<usize>) -> Result<()> {
        if let Some(l) = label {
            if l >= self.classes() {
                return Err(GanError::InvalidConfig(match self.classes() {
                    0 => "label: this model is not conditional (cond=1)".to_string(),
                    c => format!("label: {l} is not one of 0–{}", c - 1),
                }));
            }
        }
        self.shown_label = label;
        Ok(())
    }

    pub fn shown_label(&self) -> Option<usize> {
        self.shown_label
    }

    /// The labels of `n` samples drawn for the pictures: the label shown, else
    /// `i mod classes` for sample i; `None` for an unconditional model.
    pub fn sample_labels(&self, n: usize) -> Option<Vec<usize>> {
        let c = self.classes();
        (c > 0).then(|| (0..n).map(|i| self.shown_label.unwrap_or(i % c)).collect())
    }

    /// The condition the pictures of the critic read at `n` points: the label shown,
    /// else every label at once (`1/classes` each: the projection averaged over them).
    fn critic_conditions(&self, n: usize) -> Result<Option<Tensor>> {
        let c = self.classes();
        if c == 0 {
            return Ok(None);
        }
        let dev = self.gan.device();
        match self.shown_label {
            Some(l) => Ok(Some(one_hot(&vec![l; n], c, dev)?)),
            None => Ok(Some(Tensor::full(1.0 / c as f32, (n, c), dev)?)),
        }
    }

    /// The label of each point: the data set's mode it is nearest (conditional models).
    pub fn labels_of(&self, points: &[[f32; 2]]) -> Option<Vec<usize>> {
        let modes = self.model.dataset.modes()?;
        (self.classes() > 0).then(|| nearest_modes(points, &modes))
    }

    /// Replaces the data set while training: the networks, their optimisers and the
    /// step go on, on the new data (the user's points as they are placed). The model's
    /// other settings must be unchanged.
    pub fn set_dataset(&mut self, dataset: Dataset) {
        self.model.dataset = dataset;
        self.gan.set_source(Box::new(PlaneSource::of(&self.model)));
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
        self.generate_with_labels(noise, self.sample_labels(noise.len() / d).as_deref())
    }

    /// `G(z | label)` for each row of `noise` (a conditional model needs `labels`).
    pub fn generate_with_labels(
        &self,
        noise: &[f32],
        labels: Option<&[usize]>,
    ) -> Result<Vec<[f32; 2]>> {
        let d = self.model.noise_dim;
        let n = noise.len() / d.max(1);
        let z = Tensor::from_vec(noise.to_vec(), (n, d), self.gan.device())?;
        let c = match labels {
            Some(l) if self.classes() > 0 => Some(one_hot(l, self.classes(), self.gan.device())?),
            _ => None,
        };
        tensor_to_points(&self.gan.generate(&z, c.as_ref())?)
    }

    /// The critic's raw values `V(x)` at the given points.
    pub fn discriminate(&self, points: &[[f32; 2]]) -> Result<Vec<f32>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.gan.device())?;
        let c = self.critic_conditions(points.len())?;
        Ok(self
            .gan
            .critic(&x, c.as_ref())?
            .flatten_all()?
            .to_vec1::<f32>()?)
    }

    /// `∇ₓV(x)` at the given points: the direction in which the critic finds a sample
    /// more real, i.e. where the generator's loss pushes its samples.
    pub fn critic_gradients(&self, points: &[[f32; 2]]) -> Result<Vec<[f32; 2]>> {
        if points.is_empty() {
            return Ok(Vec::new());
        }
        let x = points_to_tensor(points, self.gan.device())?;
        let c = self.critic_conditions(points.len())?;
        tensor_to_points(&self.gan.critic_gradient(&x, c.as_ref())?)
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
        let loss = (self.gan.config().loss.g_loss(&self.gan.critic(
            x.as_tensor(),
            self.critic_conditions(points.len())?.as_ref(),
        )?)? * points.len() as f64)?;
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
        // Every label in turn, so that the samples' marginal is the data's.
        let c = self.classes();
        let labels = match c {
            0 => None,
            c => Some(one_hot(
                &(0..n).map(|i| i % c).collect::<Vec<_>>(),
                c,
                self.gan.device(),
            )?),
        };
        let fake = tensor_to_points(&self.gan.generate(&z, labels.as_ref())?)?;
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
