//! A bidirectional GAN (BiGAN; Donahue, Krähenbühl and Darrell 2017, "Adversarial Feature
//! Learning"; lecture notes, seed 001, "Inferring latent representations via BiGAN"):
//! beside the generator `G: z ↦ x` an encoder `E: x ↦ z`, and a critic `D(x, z)` of
//! pairs that tells data pairs `(x, E(x))` from generated pairs `(G(z), z)`:
//!
//! `min_{G,E} max_D  E_x[log D(x, E(x))] + E_z[log(1 − D(G(z), z))]`.
//!
//! At the optimum the two joint distributions match, which forces `E = G⁻¹`: the encoder
//! learns to invert the generator though no loss compares `G(E(x))` with `x`.
//!
//! The critic steps with the engine's critic loss on (data pair, generated pair). G and E
//! step together on `L_G(V(G(z), z)) + L_G(−V(x, E(x)))`: G's loss on the generated pairs
//! and its mirror on the data pairs (E wants D to call them generated). That mirror is
//! the game's objective for a critic odd in `V` (the classic losses, WGAN, hinge);
//! f-divergence and least-squares losses, whose labels are not symmetric, are refused.

use super::team::{check_plain_config, side_by_side, Progress, Team};
use super::{Player, Source, StepStats, TrainConfig};
use crate::core::error::{GanError, Result};
use crate::core::loss::Loss;
use crate::core::nn::mlp::{Mlp, MlpSpec};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

/// A BiGAN on 2D data with a latent space of `latent` dimensions.
pub struct BiGan {
    source: Box<dyn Source>,
    cfg: TrainConfig,
    /// G (index 0) and E (index 1), one optimiser.
    players: Team,
    critic: Team,
    rng: SeededRng,
    progress: Progress,
    device: Device,
}

/// The networks' shape: G `latent → hidden×layers → 2`, E `2 → … → latent`, D
/// `2 + latent → … → 1`.
pub fn bigan_specs(
    latent: usize,
    hidden: usize,
    layers: usize,
    activation: crate::core::nn::mlp::Activation,
) -> [MlpSpec; 3] {
    let spec = |input, output| MlpSpec::plain(input, hidden, layers, output, activation);
    [spec(latent, 2), spec(2, latent), spec(2 + latent, 1)]
}

/// Whether the BiGAN's generator-and-encoder loss holds for `loss` (see the module): the
/// table's symmetric losses, less those with a gradient penalty (refused by
/// [`check_plain_config`]).
fn check_loss(cfg: &TrainConfig) -> Result<()> {
    check_plain_config(cfg, "BiGAN")?;
    if cfg.loss.is_symmetric() {
        return Ok(());
    }
    let taken: Vec<String> = Loss::all()
        .into_iter()
        .filter(|l| l.is_symmetric() && l.gradient_penalty_kind().is_none())
        .map(|l| l.name())
        .collect();
    let list = match taken.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => taken.join(", "),
    };
    Err(GanError::InvalidConfig(format!(
        "loss: {} has no mirror for the encoder; the BiGAN takes {list}",
        cfg.loss.name()
    )))
}

impl BiGan {
    /// A BiGAN from `specs` ([`bigan_specs`]), initialised from `rng`.
    pub fn new(
        source: Box<dyn Source>,
        specs: [MlpSpec; 3],
        cfg: TrainConfig,
        mut rng: SeededRng,
        device: &Device,
    ) -> Result<Self> {
        check_loss(&cfg)?;
        let gen = Mlp::new(specs[0], "generator", &mut rng, device)?;
        let enc = Mlp::new(specs[1], "encoder", &mut rng, device)?;
        let disc = Mlp::new(specs[2], "discriminator", &mut rng, device)?;
        Ok(Self {
            source,
            cfg,
            players: Team::new(vec![gen, enc]),
            critic: Team::new(vec![disc]),
            rng,
            progress: Progress::default(),
            device: device.clone(),
        })
    }

    pub fn generator(&self) -> &Mlp {
        &self.players.nets[0]
    }
    pub fn encoder(&self) -> &Mlp {
        &self.players.nets[1]
    }
    pub fn discriminator(&self) -> &Mlp {
        &self.critic.nets[0]
    }

    /// Every weight, named as in a weights file.
    pub fn named_tensors(&self) -> Vec<(String, Tensor)> {
        Team::named_tensors(&[&self.players, &self.critic])
    }

    /// `V(x, z)` of pairs.
    fn critic_of(&self, x: &Tensor, z: &Tensor) -> Result<Tensor> {
        self.discriminator().forward(&side_by_side(x, z)?)
    }

    fn batches(&mut self) -> Result<(Tensor, Tensor)> {
        let n = self.cfg.batch;
        let (x, _) = self.source.real(&mut self.rng, n, &self.device)?;
        let z = self.source.noise(&mut self.rng, n, &self.device)?;
        Ok((x, z))
    }

    /// One critic step on a batch of data pairs and one of generated pairs.
    fn step_critic(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, z) = self.batches()?;
            let ex = self.encoder().forward(&x)?.detach();
            let gz = self.generator().forward(&z)?.detach();
            let loss = self
                .cfg
                .loss
                .d_loss(&self.critic_of(&x, &ex)?, &self.critic_of(&gz, &z)?)?;
            let step = self.progress.counters.iteration;
            self.critic.descend_critic(&loss, &self.cfg, step)
        })();
        self.progress.booked(Player::Critic, out)
    }

    /// One step of G and E together.
    fn step_players(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, z) = self.batches()?;
            let v_data = self.critic_of(&x, &self.encoder().forward(&x)?)?;
            let v_gen = self.critic_of(&self.generator().forward(&z)?, &z)?;
            let loss = (self.cfg.loss.g_loss(&v_gen)? + self.cfg.loss.g_loss(&v_data.neg()?)?)?;
            let step = self.progress.counters.iteration;
            self.players.descend(&loss, &self.cfg.g_opt, step)
        })();
        self.progress.booked(Player::Generator, out)
    }
}

super::team::alternating_game!(BiGan, check_loss, |g: &BiGan| {
    let macs: usize = g
        .players
        .nets
        .iter()
        .chain(&g.critic.nets)
        .map(|n| n.spec().macs())
        .sum();
    macs as f64
});
