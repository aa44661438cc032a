//! pix2pix on the plane (Isola, Zhu, Zhou and Efros 2017, "Image-to-Image Translation
//! with Conditional Adversarial Networks"; lecture notes, seed 004, `L = L_cGAN + λ·L1`,
//! and seed 000, "adversarial loss encourages output to look realistic; combined with
//! L2/L1, reconstruction loss largely stabilizes training"): paired data `(x, y)`, a
//! generator `y = G(x, z)` and a conditional critic `D(x, y)`.
//!
//! With several right answers for one x (the two halves of a circle), L1 alone is
//! minimised by their median, an answer that is never right; the conditional adversary
//! asks for an answer that looks like a real pair, so it picks a branch. The objective is
//! live: L1 only, the adversary only, or both (`λ·L1 + L_G`).

use super::team::{check_plain_config, Progress, Team};
use super::{Player, Source, StepStats, TrainConfig};
use crate::core::error::{GanError, Result};
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

/// pix2pix's L1 weight for images is 100; on the plane's unit scale 1 balances the two.
pub const PIX2PIX_LAMBDA: f64 = 1.0;

/// What G minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// `λ·E|G(x, z) − y| + L_G`.
    Both,
    /// `E|G(x, z) − y|` alone: regression.
    L1,
    /// `L_G` alone: a conditional GAN.
    Adversary,
}

impl Objective {
    pub const NAMES: [&'static str; 3] = ["both", "l1", "adversary"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "both" => Ok(Self::Both),
            "l1" => Ok(Self::L1),
            "adversary" => Ok(Self::Adversary),
            o => Err(GanError::InvalidConfig(format!(
                "unknown objective '{o}' (expected both, l1 or adversary)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A 2D pix2pix.
pub struct Pix2Pix {
    /// Real batches are the pairs `[n, 2]`, `(x, y)`.
    pairs: Box<dyn Source>,
    cfg: TrainConfig,
    /// The L1 term's weight λ (live).
    pub lambda: f64,
    /// What G minimises (live).
    pub objective: Objective,
    /// G: `(x, z) → y`.
    players: Team,
    /// D: `(x, y) → V`.
    critics: Team,
    rng: SeededRng,
    progress: Progress,
    device: Device,
}

/// The networks' shapes: `1 + noise_dim → hidden×layers → 1` for G, `2 → … → 1` for D.
pub fn pix2pix_specs(
    noise_dim: usize,
    hidden: usize,
    layers: usize,
    activation: Activation,
) -> [MlpSpec; 2] {
    let spec = |input| MlpSpec::plain(input, hidden, layers, 1, activation);
    [spec(1 + noise_dim), spec(2)]
}

fn check(cfg: &TrainConfig) -> Result<()> {
    check_plain_config(cfg, "pix2pix")
}

/// `E|a − b|` over a batch of one column.
fn mean_l1(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    Ok((a - b)?.abs()?.mean_all()?)
}

impl Pix2Pix {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        pairs: Box<dyn Source>,
        specs: [MlpSpec; 2],
        objective: Objective,
        lambda: f64,
        cfg: TrainConfig,
        mut rng: SeededRng,
        device: &Device,
    ) -> Result<Self> {
        check(&cfg)?;
        let g = Mlp::new(specs[0], "generator", &mut rng, device)?;
        let d = Mlp::new(specs[1], "discriminator", &mut rng, device)?;
        Ok(Self {
            pairs,
            cfg,
            lambda,
            objective,
            players: Team::new(vec![g]),
            critics: Team::new(vec![d]),
            rng,
            progress: Progress::default(),
            device: device.clone(),
        })
    }

    pub fn g(&self) -> &Mlp {
        &self.players.nets[0]
    }
    pub fn d(&self) -> &Mlp {
        &self.critics.nets[0]
    }

    /// Every weight, named as in a weights file.
    pub fn named_tensors(&self) -> Vec<(String, Tensor)> {
        Team::named_tensors(&[&self.players, &self.critics])
    }

    /// `G(x, z)` for a column of x `[n, 1]` and noise `[n, noise_dim]`.
    pub fn answer(&self, x: &Tensor, z: &Tensor) -> Result<Tensor> {
        self.g().forward(&Tensor::cat(&[x, z], 1)?)
    }

    /// `V(x, y)` for columns x and y.
    pub fn critic(&self, x: &Tensor, y: &Tensor) -> Result<Tensor> {
        self.d().forward(&Tensor::cat(&[x, y], 1)?)
    }

    /// A batch of real pairs as columns `(x, y)`, and noise for G.
    fn batch(&mut self) -> Result<(Tensor, Tensor, Tensor)> {
        let n = self.cfg.batch;
        let (pairs, _) = self.pairs.real(&mut self.rng, n, &self.device)?;
        let z = self.pairs.noise(&mut self.rng, n, &self.device)?;
        Ok((pairs.narrow(1, 0, 1)?, pairs.narrow(1, 1, 1)?, z))
    }

    /// One step of D on real pairs `(x, y)` against `(x, G(x, z))`.
    fn step_critic(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, y, z) = self.batch()?;
            let fake = self.answer(&x, &z)?.detach();
            let loss = &self.cfg.loss;
            let total = loss.d_loss(&self.critic(&x, &y)?, &self.critic(&x, &fake)?)?;
            let step = self.progress.counters.iteration;
            self.critics.descend_critic(&total, &self.cfg, step)
        })();
        self.progress.booked(Player::Critic, out)
    }

    /// One step of G on its objective.
    fn step_players(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, y, z) = self.batch()?;
            let answer = self.answer(&x, &z)?;
            let adversarial = || self.cfg.loss.g_loss(&self.critic(&x, &answer)?);
            let l1 = || mean_l1(&answer, &y);
            let total = match self.objective {
                Objective::Both => (adversarial()? + (l1()? * self.lambda)?)?,
                Objective::L1 => l1()?,
                Objective::Adversary => adversarial()?,
            };
            let step = self.progress.counters.iteration;
            self.players.descend(&total, &self.cfg.g_opt, step)
        })();
        self.progress.booked(Player::Generator, out)
    }
}

super::team::alternating_game!(Pix2Pix, check, |g: &Pix2Pix| {
    (g.g().spec().macs() + g.d().spec().macs()) as f64
});
