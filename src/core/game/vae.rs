//! The variational autoencoder beside the GAN (Kingma and Welling 2014, "Auto-Encoding
//! Variational Bayes"; lecture notes, seed 000, "Recap: VAE" and "What's the implication
//! of a reconstruction loss?", and seed 002): an encoder `q(z|x) = N(μ(x), diag σ²(x))`,
//! a decoder `p(x|z)` and the prior `p(z) = N(0, I)`, trained on the evidence lower bound
//!
//! `ELBO(x) = E_q[log p(x|z)] − KL(q(z|x) ‖ p(z))`,
//!
//! its first term estimated with one reparameterised draw `z = μ + σ·ε`, `ε ~ N(0, I)`
//! (so the gradient reaches the encoder), its second in closed form
//! `½ Σ (μ² + σ² − log σ² − 1)`. Its likelihood treats the coordinates (pixels) as
//! independent given z, a Gaussian of fixed σ on the plane and a Bernoulli per pixel for
//! MNIST: the notes' reason why its samples blur between the modes where a GAN's do not.
//!
//! It is a [`Game`] of one player: the encoder and the decoder step together on `−ELBO`
//! (with β weighting the KL term; β = 1 is the ELBO), with the generator's optimiser of
//! the live settings. It has no critic and no loss of the GAN's table.

use super::team::{Progress, Team};
use super::{draw_noise, Counters, Game, NoiseKind, Player, Source, StepStats, TrainConfig};
use crate::core::error::{GanError, Result};
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec};
use crate::core::rng::SeededRng;
use crate::core::special::softplus_t;
use candle_core::{Device, Tensor};

/// The live settings the VAE honours: its optimiser (the generator's) and the batch.
pub const VAE_LIVE: &[&str] = &["optg", "lrg", "b1g", "batch"];

/// The decoder's distribution of a data point given z.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Likelihood {
    /// `N(x; μ(z), σ² I)` with a fixed σ (points on the plane).
    Gaussian { sigma: f64 },
    /// A Bernoulli per pixel with logit `l(z)`; a grey level in `[−1, 1]` is read as the
    /// probability `(x + 1)/2` of the pixel being on (MNIST).
    Bernoulli,
}

impl Likelihood {
    /// `−log p(x|z)` per sample `[n]`, from the decoder's output (means or logits).
    pub fn nll(&self, x: &Tensor, out: &Tensor) -> Result<Tensor> {
        match *self {
            Likelihood::Gaussian { sigma } => {
                let d = x.dim(1)? as f64;
                let half_log = 0.5 * d * (2.0 * std::f64::consts::PI * sigma * sigma).ln();
                let sq = (x - out)?.sqr()?.sum(1)?;
                Ok(((sq / (2.0 * sigma * sigma))? + half_log)?)
            }
            Likelihood::Bernoulli => {
                // −[p log s(l) + (1 − p) log(1 − s(l))] = softplus(l) − p·l, stable for any l.
                let p = ((x + 1.0)? * 0.5)?;
                Ok((softplus_t(out)? - (p * out)?)?.sum(1)?)
            }
        }
    }

    /// The encoder's and the decoder's objective in a line each, as the page shows them.
    pub fn formulas(&self) -> (&'static str, &'static str) {
        let decoder = match self {
            Likelihood::Gaussian { .. } => {
                "decoder p(x|z) = N(x̂(z), σ²I): the same ELBO, through z = μ + σ·ε"
            }
            Likelihood::Bernoulli => {
                "decoder p(x|z) = Π Bernoulli(pixel; σ(l(z))): the same ELBO, through z = μ + σ·ε"
            }
        };
        (
            "encoder q(z|x) = N(μ(x), σ²(x)): max ELBO = E_q log p(x|z) − β·KL(q(z|x) ‖ N(0, I))",
            decoder,
        )
    }

    /// The decoder's mean in the data's units: μ itself, or `2·s(l) − 1` for grey levels
    /// in `[−1, 1]`.
    pub fn mean(&self, out: &Tensor) -> Result<Tensor> {
        match self {
            Likelihood::Gaussian { .. } => Ok(out.clone()),
            Likelihood::Bernoulli => Ok(((sigmoid(out)? * 2.0)? - 1.0)?),
        }
    }
}

/// `1/(1 + e^{−x})`, from `tanh` so that it never overflows.
fn sigmoid(x: &Tensor) -> Result<Tensor> {
    Ok((((x * 0.5)?.tanh()? + 1.0)? * 0.5)?)
}

/// `KL(N(μ, diag e^{logvar}) ‖ N(0, I))` per sample `[n]`, in closed form.
pub fn kl_to_prior(mu: &Tensor, logvar: &Tensor) -> Result<Tensor> {
    let inner = ((mu.sqr()? + logvar.exp()?)? - logvar)?;
    Ok(((inner - 1.0)?.sum(1)? * 0.5)?)
}

/// The reparameterisation `z = μ + e^{logvar/2}·ε`: a sample of `q(z|x)` that is a
/// differentiable function of μ and logvar.
pub fn reparameterise(mu: &Tensor, logvar: &Tensor, eps: &Tensor) -> Result<Tensor> {
    Ok((mu + ((logvar * 0.5)?.exp()? * eps)?)?)
}

/// The ELBO's two terms, batch means in nats: the reconstruction term `E_q[−log p(x|z)]`
/// and `KL(q(z|x) ‖ p(z))`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ElboTerms {
    pub reconstruction: f64,
    pub kl: f64,
}

impl ElboTerms {
    /// `−ELBO`, what training minimises at β = 1.
    pub fn negative_elbo(&self) -> f64 {
        self.reconstruction + self.kl
    }
}

/// The encoder's and the decoder's shapes: `dim → hidden×layers → 2·latent` (μ and
/// logvar) and `latent → hidden×layers → dim`; the sizes of a GAN's D and G on the same
/// data.
pub fn vae_specs(
    dim: usize,
    latent: usize,
    hidden: usize,
    layers: usize,
    activation: Activation,
) -> [MlpSpec; 2] {
    let spec = |input, output| MlpSpec::plain(input, hidden, layers, output, activation);
    [spec(dim, 2 * latent), spec(latent, dim)]
}

/// A VAE on the batches of a [`Source`].
pub struct Vae {
    data: Box<dyn Source>,
    cfg: TrainConfig,
    pub likelihood: Likelihood,
    /// The KL term's weight (live); 1 is the ELBO.
    pub beta: f64,
    latent: usize,
    /// The encoder then the decoder, one optimiser.
    nets: Team,
    rng: SeededRng,
    progress: Progress,
    /// The terms of the last step.
    terms: Option<ElboTerms>,
    device: Device,
}

impl Vae {
    pub fn new(
        data: Box<dyn Source>,
        specs: [MlpSpec; 2],
        likelihood: Likelihood,
        cfg: TrainConfig,
        mut rng: SeededRng,
        device: &Device,
    ) -> Result<Self> {
        check(&cfg)?;
        if specs[0].output != 2 * specs[1].input || specs[0].input != specs[1].output {
            return Err(GanError::InvalidConfig(
                "the VAE's encoder must give μ and logvar of the decoder's input, from its output"
                    .into(),
            ));
        }
        let encoder = Mlp::new(specs[0], "encoder", &mut rng, device)?;
        let decoder = Mlp::new(specs[1], "decoder", &mut rng, device)?;
        Ok(Self {
            data,
            cfg,
            likelihood,
            beta: 1.0,
            latent: specs[1].input,
            nets: Team::new(vec![encoder, decoder]),
            rng,
            progress: Progress::default(),
            terms: None,
            device: device.clone(),
        })
    }

    pub fn encoder(&self) -> &Mlp {
        &self.nets.nets[0]
    }
    pub fn decoder(&self) -> &Mlp {
        &self.nets.nets[1]
    }

    /// Every weight, named as in a weights file (`encoder.l0.weight`, …).
    pub fn named_tensors(&self) -> Vec<(String, Tensor)> {
        Team::named_tensors(&[&self.nets])
    }

    /// `(μ, logvar)` of `q(z|x)` for a batch `[n, dim]`.
    pub fn encode(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let h = self.encoder().forward(x)?;
        Ok((
            h.narrow(1, 0, self.latent)?,
            h.narrow(1, self.latent, self.latent)?,
        ))
    }

    /// The decoder's mean at `z` `[n, latent]`, in the data's units: what the VAE
    /// "generates" (its samples are these means at `z ~ N(0, I)`).
    pub fn decode(&self, z: &Tensor) -> Result<Tensor> {
        self.likelihood.mean(&self.decoder().forward(z)?)
    }

    /// The ELBO's terms on `x` with the noise `eps` of the reparameterisation, as
    /// tensors (batch means) for the gradient.
    pub fn terms(&self, x: &Tensor, eps: &Tensor) -> Result<(Tensor, Tensor)> {
        let (mu, logvar) = self.encode(x)?;
        let z = reparameterise(&mu, &logvar, eps)?;
        let out = self.decoder().forward(&z)?;
        let nll = self.likelihood.nll(x, &out)?.mean_all()?;
        let kl = kl_to_prior(&mu, &logvar)?.mean_all()?;
        Ok((nll, kl))
    }

    /// The terms' values on `x` with noise drawn from `rng` (an evaluation stream).
    pub fn measure(&self, x: &Tensor, rng: &mut SeededRng) -> Result<ElboTerms> {
        let eps = draw_noise(
            NoiseKind::Gaussian,
            self.latent,
            rng,
            x.dim(0)?,
            &self.device,
        )?;
        let (nll, kl) = self.terms(x, &eps)?;
        Ok(ElboTerms {
            reconstruction: crate::core::tensor::scalar(&nll)?,
            kl: crate::core::tensor::scalar(&kl)?,
        })
    }

    /// `n` samples from `rng`: the decoder's means at `z ~ N(0, I)`, or with `draws` the
    /// model's own samples `x ~ p(x|z)` where the likelihood is a Gaussian
    /// ([`Vae::draw`]).
    pub fn sample(&self, rng: &mut SeededRng, n: usize, draws: bool) -> Result<Tensor> {
        let z = draw_noise(NoiseKind::Gaussian, self.latent, rng, n, &self.device)?;
        let mean = self.decode(&z)?;
        if !draws {
            return Ok(mean);
        }
        let eps = draw_noise(NoiseKind::Gaussian, mean.dim(1)?, rng, n, &self.device)?;
        self.draw(&mean, &eps)
    }

    /// `x = μ + σ·ε` for the Gaussian likelihood (the means as they are for the
    /// Bernoulli's grey levels, whose draws would be black and white specks).
    pub fn draw(&self, mean: &Tensor, eps: &Tensor) -> Result<Tensor> {
        match self.likelihood {
            Likelihood::Gaussian { sigma } => Ok((mean + (eps * sigma)?)?),
            Likelihood::Bernoulli => Ok(mean.clone()),
        }
    }

    /// New data from the next step on (compare mode's run B follows run A's points); the
    /// networks and their optimiser train on.
    pub fn set_data(&mut self, data: Box<dyn Source>) {
        self.data = data;
    }

    /// The terms of the last step (none before the first).
    pub fn last_terms(&self) -> Option<ElboTerms> {
        self.terms
    }

    /// One step of the encoder and decoder down `reconstruction + β·KL`; it completes an
    /// iteration unless it is a player's step alone (as a GAN's G step does not).
    fn step_once(&mut self, iteration: bool) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let n = self.cfg.batch;
            let (x, _) = self.data.real(&mut self.rng, n, &self.device)?;
            let eps = draw_noise(
                NoiseKind::Gaussian,
                self.latent,
                &mut self.rng,
                n,
                &self.device,
            )?;
            let (nll, kl) = self.terms(&x, &eps)?;
            let total = (&nll + (&kl * self.beta)?)?;
            let step = self.progress.counters.iteration;
            let value = self.nets.descend(&total, &self.cfg.g_opt, step)?;
            self.terms = Some(ElboTerms {
                reconstruction: crate::core::tensor::scalar(&nll)?,
                kl: crate::core::tensor::scalar(&kl)?,
            });
            Ok(value)
        })();
        self.progress.booked(Player::Generator, out)?;
        if iteration {
            self.progress.counters.iteration += 1;
        }
        Ok(self.last())
    }

    /// Multiply-adds of one forward pass of both networks per sample.
    fn macs(&self) -> f64 {
        (self.encoder().spec().macs() + self.decoder().spec().macs()) as f64
    }
}

/// Any valid live configuration is taken (a VAE beside a GAN in compare mode keeps the
/// GAN's loss and k), but only [`VAE_LIVE`] is read.
fn check(cfg: &TrainConfig) -> Result<()> {
    cfg.validate()
}

impl Game for Vae {
    fn step(&mut self) -> Result<StepStats> {
        self.step_once(true)
    }
    fn step_phase(&mut self) -> Result<bool> {
        self.step_once(true).map(|_| true)
    }
    /// The VAE has one player: a "G step" is a step of the encoder and the decoder; there
    /// is no critic to step.
    fn step_player(&mut self, player: Player) -> Result<StepStats> {
        match player {
            Player::Generator => self.step_once(false),
            Player::Critic => Err(GanError::InvalidConfig(
                "the VAE has no critic: its encoder and decoder step together (G step or Step)"
                    .into(),
            )),
        }
    }
    fn next_player(&self) -> Player {
        Player::Generator
    }
    fn has_critic(&self) -> bool {
        false
    }
    fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    fn set_config(&mut self, cfg: TrainConfig) -> Result<()> {
        check(&cfg)?;
        self.cfg = cfg;
        Ok(())
    }
    fn counters(&self) -> Counters {
        self.progress.counters
    }
    /// A VAE has no D loss and no G loss: both are NaN (never drawn), and its own terms
    /// are [`Vae::last_terms`].
    fn last(&self) -> StepStats {
        StepStats {
            d_loss: f64::NAN,
            g_loss: f64::NAN,
            penalty: 0.0,
        }
    }
    fn diverged(&self) -> Option<&GanError> {
        self.progress.diverged.as_ref()
    }
    fn halt(&mut self, err: GanError) {
        self.progress.diverged = Some(err);
    }
    /// Forward and backward (≈ 3× forward) of both networks on the batch.
    fn flops_per_iteration(&self) -> f64 {
        2.0 * 3.0 * self.macs() * self.cfg.batch as f64
    }
    fn step_bytes(&self, cfg: &TrainConfig) -> u64 {
        (16.0 * self.macs().sqrt().max(1.0) * 8.0 * cfg.batch as f64) as u64
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn prefers_one_thread(&self) -> bool {
        self.macs() < 1e5
    }
}
