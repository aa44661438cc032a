//! A CycleGAN on 2D points (Zhu, Park, Isola and Efros 2017, "Unpaired Image-to-Image
//! Translation using Cycle-Consistent Adversarial Networks"; lecture notes, seeds 000,
//! 001, 004): two unpaired point sets X and Y, two generators `G: X → Y` and
//! `F: Y → X`, two critics `D_Y` (is it from Y?) and `D_X`, and the objective (seed 001)
//!
//! `L_GAN(G, D_Y) + L_GAN(F, D_X) + λ·(E_x‖F(G(x)) − x‖₁ + E_y‖G(F(y)) − y‖₁)`.
//!
//! The adversarial terms only ask that `G(X)` look like Y and `F(Y)` like X; any
//! shuffling of the points would do. The cycle terms ask that the two maps undo each
//! other, which is what makes the translation a correspondence. With λ = 0 nothing holds
//! the cycle (see `tests/lessons.rs`).
//!
//! Each critic steps with the engine's critic loss; G and F step together on the
//! engine's generator loss of each plus the cycle loss. Any loss without a gradient
//! penalty.

use super::team::{check_plain_config, Progress, Team};
use super::{Player, Source, StepStats, TrainConfig};
use crate::core::error::Result;
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

/// The cycle loss's weight in the CycleGAN paper (λ = 10).
pub const CYCLE_LAMBDA: f64 = 10.0;

/// `E‖a − b‖₁`: the mean over the batch of the L1 distance between rows (CycleGAN's
/// cycle-consistency term, Zhu et al. 2017, eq. 2).
pub fn mean_l1(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    Ok((a - b)?.abs()?.sum(1)?.mean_all()?)
}

/// A 2D CycleGAN.
pub struct CycleGan {
    /// X's points (from `real`) and Y's.
    x_source: Box<dyn Source>,
    y_source: Box<dyn Source>,
    cfg: TrainConfig,
    /// The cycle loss's weight λ (live).
    pub lambda: f64,
    /// G: X → Y (index 0) and F: Y → X (index 1), one optimiser.
    players: Team,
    /// D_Y (index 0) and D_X (index 1), one optimiser.
    critics: Team,
    rng: SeededRng,
    progress: Progress,
    device: Device,
}

/// The networks' shapes: `2 → hidden×layers → 2` for G and F, `2 → … → 1` for D_Y, D_X.
pub fn cycle_specs(hidden: usize, layers: usize, activation: Activation) -> [MlpSpec; 2] {
    let spec = |output| MlpSpec::plain(2, hidden, layers, output, activation);
    [spec(2), spec(1)]
}

fn check(cfg: &TrainConfig) -> Result<()> {
    check_plain_config(cfg, "CycleGAN")
}

impl CycleGan {
    /// A CycleGAN from `specs` ([`cycle_specs`]: generator, critic), initialised from
    /// `rng`, with cycle weight `lambda`.
    pub fn new(
        sources: (Box<dyn Source>, Box<dyn Source>),
        specs: [MlpSpec; 2],
        lambda: f64,
        cfg: TrainConfig,
        mut rng: SeededRng,
        device: &Device,
    ) -> Result<Self> {
        check(&cfg)?;
        let g = Mlp::new(specs[0], "g_xy", &mut rng, device)?;
        let f = Mlp::new(specs[0], "f_yx", &mut rng, device)?;
        let dy = Mlp::new(specs[1], "d_y", &mut rng, device)?;
        let dx = Mlp::new(specs[1], "d_x", &mut rng, device)?;
        Ok(Self {
            x_source: sources.0,
            y_source: sources.1,
            cfg,
            lambda,
            players: Team::new(vec![g, f]),
            critics: Team::new(vec![dy, dx]),
            rng,
            progress: Progress::default(),
            device: device.clone(),
        })
    }

    /// G: X → Y.
    pub fn g(&self) -> &Mlp {
        &self.players.nets[0]
    }
    /// F: Y → X.
    pub fn f(&self) -> &Mlp {
        &self.players.nets[1]
    }
    pub fn d_y(&self) -> &Mlp {
        &self.critics.nets[0]
    }
    pub fn d_x(&self) -> &Mlp {
        &self.critics.nets[1]
    }

    /// Every weight, named as in a weights file.
    pub fn named_tensors(&self) -> Vec<(String, Tensor)> {
        Team::named_tensors(&[&self.players, &self.critics])
    }

    fn batches(&mut self) -> Result<(Tensor, Tensor)> {
        let n = self.cfg.batch;
        let (x, _) = self.x_source.real(&mut self.rng, n, &self.device)?;
        let (y, _) = self.y_source.real(&mut self.rng, n, &self.device)?;
        Ok((x, y))
    }

    /// One step of both critics: D_Y on (y, G(x)), D_X on (x, F(y)).
    fn step_critic(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, y) = self.batches()?;
            let gx = self.g().forward(&x)?.detach();
            let fy = self.f().forward(&y)?.detach();
            let loss = &self.cfg.loss;
            let total = (loss.d_loss(&self.d_y().forward(&y)?, &self.d_y().forward(&gx)?)?
                + loss.d_loss(&self.d_x().forward(&x)?, &self.d_x().forward(&fy)?)?)?;
            let step = self.progress.counters.iteration;
            self.critics.descend_critic(&total, &self.cfg, step)
        })();
        self.progress.booked(Player::Critic, out)
    }

    /// One step of G and F: each one's adversarial loss plus λ times the cycle loss.
    fn step_players(&mut self) -> Result<StepStats> {
        self.progress.alive()?;
        let out = (|| {
            let (x, y) = self.batches()?;
            let gx = self.g().forward(&x)?;
            let fy = self.f().forward(&y)?;
            let loss = &self.cfg.loss;
            let adversarial = (loss.g_loss(&self.d_y().forward(&gx)?)?
                + loss.g_loss(&self.d_x().forward(&fy)?)?)?;
            let total = if self.lambda > 0.0 {
                let cycle = (mean_l1(&self.f().forward(&gx)?, &x)?
                    + mean_l1(&self.g().forward(&fy)?, &y)?)?;
                (adversarial + (cycle * self.lambda)?)?
            } else {
                adversarial
            };
            let step = self.progress.counters.iteration;
            self.players.descend(&total, &self.cfg.g_opt, step)
        })();
        self.progress.booked(Player::Generator, out)
    }

    /// `(‖F(G(x)) − x‖₁, ‖G(F(y)) − y‖₁)` as batch means, for the given points.
    pub fn cycle_errors(&self, x: &Tensor, y: &Tensor) -> Result<(f64, f64)> {
        let ex = mean_l1(&self.f().forward(&self.g().forward(x)?)?, x)?;
        let ey = mean_l1(&self.g().forward(&self.f().forward(y)?)?, y)?;
        Ok((ex.to_scalar::<f32>()? as f64, ey.to_scalar::<f32>()? as f64))
    }
}

super::team::alternating_game!(CycleGan, check, |g: &CycleGan| {
    let macs: usize = g
        .players
        .nets
        .iter()
        .chain(&g.critics.nets)
        .map(|n| n.spec().macs())
        .sum();
    macs as f64
});
