//! What the games of several networks share (the BiGAN and the CycleGAN, which import it):
//! networks that one optimiser updates from one loss ([`Team`]), the live settings such a
//! game can honour ([`check_plain_config`]), and the concatenation of point batches.

use super::{Counters, StepStats, TrainConfig, UpdateMode};
use crate::core::error::{GanError, Result};
use crate::core::nn::mlp::Mlp;
use crate::core::nn::optim::{OptimConfig, Optimizer, Update};
use candle_core::{Tensor, Var};

/// Networks updated together: BiGAN's generator and encoder, CycleGAN's two generators,
/// or a game's critics. One optimiser over all their variables.
pub struct Team {
    pub nets: Vec<Mlp>,
    opt: Optimizer,
}

impl Team {
    pub fn new(nets: Vec<Mlp>) -> Self {
        let vars = nets.iter().flat_map(Mlp::vars).collect();
        Self {
            nets,
            opt: Optimizer::new(vars),
        }
    }

    /// One optimiser step down `loss`. A loss that is not finite, or an update that would
    /// leave a weight non-finite, is the divergence returned (nothing is written).
    pub fn descend(&mut self, loss: &Tensor, cfg: &OptimConfig, step: usize) -> Result<f64> {
        let value = loss.to_dtype(candle_core::DType::F64)?.to_scalar::<f64>()?;
        if !value.is_finite() {
            return Err(GanError::Diverged {
                step,
                what: "a loss".into(),
            });
        }
        let grads = loss.backward()?;
        if let Update::Refused(i) = self.opt.step(&grads, cfg)? {
            let name = self
                .named_vars()
                .get(i)
                .map_or_else(|| "a weight".into(), |(n, _)| n.clone());
            return Err(GanError::Diverged {
                step,
                what: format!("the update of '{name}'"),
            });
        }
        Ok(value)
    }

    /// One critic step down `loss` with the configuration's optimiser, then WGAN's
    /// clipping if the loss asks for it.
    pub fn descend_critic(&mut self, loss: &Tensor, cfg: &TrainConfig, step: usize) -> Result<f64> {
        let v = self.descend(loss, &cfg.d_opt, step)?;
        if cfg.loss.clips_weights() {
            self.clip(cfg.clip)?;
        }
        Ok(v)
    }

    /// WGAN's weight clipping to `[−c, c]`, for a team of critics.
    pub fn clip(&self, c: f64) -> Result<()> {
        for net in &self.nets {
            for var in net.vars() {
                var.set(&var.as_detached_tensor().clamp(-c, c)?)?;
            }
        }
        Ok(())
    }

    pub fn named_vars(&self) -> Vec<(String, Var)> {
        self.nets.iter().flat_map(Mlp::named_vars).collect()
    }

    /// The weights of `teams`, named as in a weights file.
    pub fn named_tensors(teams: &[&Team]) -> Vec<(String, Tensor)> {
        teams
            .iter()
            .flat_map(|t| t.named_vars())
            .map(|(n, v)| (n, v.as_tensor().clone()))
            .collect()
    }
}

/// The live settings ([`super::TRAIN_SETTINGS`] keys) a game of plain MLPs honours, as
/// [`check_plain_config`] has them: the loss, k and k_G, the optimisers and their rates and
/// β₁, the batch and WGAN's clip.
pub const PLAIN_LIVE: &[&str] = &[
    "loss", "k", "kg", "optd", "optg", "lrd", "lrg", "batch", "clip", "b1d", "b1g",
];

/// The live settings a game of plain MLPs honours: alternating updates, any loss that
/// needs no gradient penalty (WGAN's clipping is applied), no R1, no spectral norm, no
/// unrolled critic. `game` names the game in the one-line refusal.
pub fn check_plain_config(cfg: &TrainConfig, game: &str) -> Result<()> {
    cfg.validate()?;
    let refuse = |what: &str| {
        Err(GanError::InvalidConfig(format!(
            "{what} is not part of the {game} game here"
        )))
    };
    if cfg.update == UpdateMode::Simultaneous {
        return refuse("update: simultaneous updates");
    }
    if cfg.loss.gradient_penalty_kind().is_some() {
        return refuse("loss: a gradient penalty (WGAN-GP)");
    }
    if cfg.loss.energy_critic() {
        return refuse(&format!("loss: {}'s energy critic", cfg.loss.name()));
    }
    if cfg.r1_gamma > 0.0 {
        return refuse("r1: the R1 penalty");
    }
    if cfg.spectral_norm {
        return refuse("sn: spectral normalisation");
    }
    if cfg.unroll > 0 {
        return refuse("unroll: an unrolled critic");
    }
    Ok(())
}

/// The counters, losses, divergence and phase of a game of alternating updates (k critic
/// steps, then k_G generator steps), kept in one place for the BiGAN and the CycleGAN.
#[derive(Default)]
pub struct Progress {
    pub counters: Counters,
    pub last: StepStats,
    pub diverged: Option<GanError>,
    /// Critic steps taken in the iteration under way.
    pub d_done: usize,
}

impl Progress {
    pub fn alive(&self) -> Result<()> {
        self.diverged.clone().map_or(Ok(()), Err)
    }
    /// Keeps a step's error as the game's divergence.
    pub fn check<T>(&mut self, out: Result<T>) -> Result<T> {
        if let Err(e @ GanError::Diverged { .. }) = &out {
            self.diverged = Some(e.clone());
        }
        out
    }

    /// Books one step of `player` that ended with loss `out` (or its error, kept as the
    /// game's divergence): its counter and its loss.
    pub fn booked(&mut self, player: super::Player, out: Result<f64>) -> Result<StepStats> {
        let loss = self.check(out)?;
        match player {
            super::Player::Critic => {
                self.counters.d_steps += 1;
                self.last.d_loss = loss;
            }
            super::Player::Generator => {
                self.counters.g_steps += 1;
                self.last.g_loss = loss;
            }
        }
        Ok(self.last)
    }
}

/// `[a | b]`: two batches side by side, `[n, da] + [n, db] → [n, da + db]`.
pub fn side_by_side(a: &Tensor, b: &Tensor) -> Result<Tensor> {
    Ok(Tensor::cat(&[a, b], 1)?)
}

/// One phase of an alternating iteration: one of the k critic steps, or the k_G
/// generator steps that complete it; `true` when the iteration completed.
pub fn alternating_phase(this: &mut impl AlternatingSteps, k: usize, kg: usize) -> Result<bool> {
    if this.progress().d_done < k {
        this.step_critic()?;
        this.progress().d_done += 1;
        if this.progress().d_done < k || kg > 0 {
            return Ok(false);
        }
    } else {
        for _ in 0..kg {
            this.step_players()?;
        }
    }
    let p = this.progress();
    p.d_done = 0;
    p.counters.iteration += 1;
    Ok(true)
}

/// A game of alternating critic and player steps, as [`alternating_game`] implements
/// [`super::Game`] for it.
pub trait AlternatingSteps {
    fn progress(&mut self) -> &mut Progress;
    fn step_critic(&mut self) -> Result<StepStats>;
    fn step_players(&mut self) -> Result<StepStats>;
}

/// Implements [`super::Game`] (and [`AlternatingSteps`]) for a game with fields `cfg`,
/// `progress`, `device` and methods `step_critic`, `step_players`; `$check` validates a
/// configuration, `$macs` gives the multiply-adds of one forward pass of every network
/// per sample.
macro_rules! alternating_game {
    ($ty:ty, $check:expr, $macs:expr) => {
        impl $crate::core::game::team::AlternatingSteps for $ty {
            fn progress(&mut self) -> &mut $crate::core::game::team::Progress {
                &mut self.progress
            }
            fn step_critic(
                &mut self,
            ) -> $crate::core::error::Result<$crate::core::game::StepStats> {
                <$ty>::step_critic(self)
            }
            fn step_players(
                &mut self,
            ) -> $crate::core::error::Result<$crate::core::game::StepStats> {
                <$ty>::step_players(self)
            }
        }
        impl $crate::core::game::Game for $ty {
            fn step(&mut self) -> $crate::core::error::Result<$crate::core::game::StepStats> {
                while !self.step_phase()? {}
                Ok(self.progress.last)
            }
            fn step_phase(&mut self) -> $crate::core::error::Result<bool> {
                self.progress.alive()?;
                let (k, kg) = (self.cfg.k, self.cfg.kg);
                $crate::core::game::team::alternating_phase(self, k, kg)
            }
            fn step_player(
                &mut self,
                player: $crate::core::game::Player,
            ) -> $crate::core::error::Result<$crate::core::game::StepStats> {
                match player {
                    $crate::core::game::Player::Critic => <$ty>::step_critic(self),
                    $crate::core::game::Player::Generator => <$ty>::step_players(self),
                }
            }
            fn next_player(&self) -> $crate::core::game::Player {
                if self.progress.d_done < self.cfg.k {
                    $crate::core::game::Player::Critic
                } else {
                    $crate::core::game::Player::Generator
                }
            }
            fn config(&self) -> &$crate::core::game::TrainConfig {
                &self.cfg
            }
            fn set_config(
                &mut self,
                cfg: $crate::core::game::TrainConfig,
            ) -> $crate::core::error::Result<()> {
                ($check)(&cfg)?;
                self.cfg = cfg;
                Ok(())
            }
            fn counters(&self) -> $crate::core::game::Counters {
                self.progress.counters
            }
            fn last(&self) -> $crate::core::game::StepStats {
                self.progress.last
            }
            fn diverged(&self) -> Option<&$crate::core::error::GanError> {
                self.progress.diverged.as_ref()
            }
            fn halt(&mut self, err: $crate::core::error::GanError) {
                self.progress.diverged = Some(err);
            }
            /// Forward and backward (≈ 3× forward) of every network on each step's batch.
            fn flops_per_iteration(&self) -> f64 {
                let per_sample: f64 = ($macs)(self);
                2.0 * 3.0 * per_sample * self.cfg.batch as f64 * (self.cfg.k + self.cfg.kg) as f64
            }
            /// Activations and gradients of every network at `cfg.batch`, generously.
            fn step_bytes(&self, cfg: &$crate::core::game::TrainConfig) -> u64 {
                let per_sample: f64 = ($macs)(self);
                (16.0 * per_sample.sqrt().max(1.0) * 8.0 * cfg.batch as f64) as u64
            }
            fn device(&self) -> &candle_core::Device {
                &self.device
            }
            fn prefers_one_thread(&self) -> bool {
                true
            }
        }
    };
}
pub(crate) use alternating_game;
