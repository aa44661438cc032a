//! The adversarial game, whatever the data and whatever the players.
//!
//! # The design
//!
//! A *game* is anything that the page, the CLI and the benchmark can step: it owns its
//! players (networks, or plain parameters), their optimisers, its random stream and its
//! counters, and it reads the live [`TrainConfig`] between any two steps. The [`Game`]
//! trait is all that a session needs of it: one iteration ([`Game::step`]), one player's
//! step alone ([`Game::step_player`], the page's "D step" and "G step"), the live
//! configuration, the counters, the last losses, and whether it diverged.
//!
//! [`Gan`] is the game of the lecture notes' first half: a generator and a critic, `k`
//! critic steps per generator step or simultaneous updates, any loss of [`crate::core::loss`],
//! on batches from a [`Source`] (the only thing the 2D and the digit trainers give it).
//! The fused MLP path and the probe are its own business.
//!
//! New games are one module each beside [`gan`], implementing [`Game`]:
//! - a discriminator that reads *packed* samples (PacGAN): a [`Source`] and a critic whose
//!   input is `m` samples side by side; [`Gan`]'s step is unchanged;
//! - an extra network (BiGAN's encoder E): a struct holding a [`Gan`]-like pair plus E and
//!   its optimiser, whose critic reads `(x, z)` pairs; E steps with G;
//! - two generators and two critics (a 2D CycleGAN): two pairs and a cycle loss, one
//!   iteration updating both critics then both generators;
//! - two scalars instead of networks (the `V(x, y) = xy` game): `x` and `y` as one-element
//!   `Var`s, each player's step a gradient step on `±xy`; no [`Source`] at all.
//!
//! Each of them plugs into the session, the CLI loop and the charts through [`Game`]
//! without edits elsewhere. This module imports neither trainer: the data-specific parts
//! live in `plane` and `digits`, which import it.

pub mod bigan;
pub mod config;
pub mod cyclegan;
pub mod gan;
pub mod memory;
pub mod noise;
pub mod pack;
pub mod pix2pix;
pub mod placement;
pub mod probe;
pub mod team;
pub mod vae;
pub mod xy;

pub use config::{StepStats, TrainConfig, UpdateMode, TRAIN_SETTINGS, TTUR};
pub use gan::Gan;
pub use memory::{check_step_memory, format_bytes, MemoryLimit};
pub use noise::{draw_noise, NoiseKind};
pub use probe::{Phases, Probe};

use crate::core::error::{GanError, Result};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor};

/// Where a game's batches come from. Every draw uses the stream it is given, so a run is
/// a function of its seed.
pub trait Source {
    /// A real batch `[n, dim]`, and its one-hot condition `[n, classes]` for a
    /// conditional GAN.
    fn real(&self, rng: &mut SeededRng, n: usize, dev: &Device)
        -> Result<(Tensor, Option<Tensor>)>;
    /// A noise batch `[n, noise_dim]`.
    fn noise(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Tensor>;
    /// Conditions for a generator step (uniform over the classes), or `None`.
    fn conditions(&self, rng: &mut SeededRng, n: usize, dev: &Device) -> Result<Option<Tensor>>;
}

/// The two sides of a two-player game: the critic (discriminator, `y` of the xy game)
/// maximises, the generator (`x`) minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Player {
    Critic,
    Generator,
}

impl Player {
    /// `"d"` or `"g"`, as the page's step buttons name them.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "d" => Ok(Player::Critic),
            "g" => Ok(Player::Generator),
            o => Err(GanError::InvalidConfig(format!(
                "unknown player '{o}' (expected d or g)"
            ))),
        }
    }
}

/// How far a game has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counters {
    /// Completed iterations ([`Game::step`]).
    pub iteration: usize,
    /// Critic updates, including those of single steps.
    pub d_steps: usize,
    /// Generator updates, including those of single steps.
    pub g_steps: usize,
}

/// What a session, the CLI loop and the benchmark need of a game.
pub trait Game {
    /// One iteration: k critic steps then one generator step, or one simultaneous update.
    fn step(&mut self) -> Result<StepStats>;
    /// One phase of the iteration under way (one critic step, or the generator step that
    /// completes it); `true` when the iteration completed. A session steps in phases, so
    /// that a pause or a setting is taken between two phases of a slow model, not after a
    /// whole iteration.
    fn step_phase(&mut self) -> Result<bool>;
    /// One step of one player only.
    fn step_player(&mut self, player: Player) -> Result<StepStats>;
    /// Whose phase [`Game::step_phase`] runs next: the critic's while its k steps of the
    /// iteration under way are due, then the generator's (a game that updates both at
    /// once says `Critic`: its one phase completes the iteration).
    fn next_player(&self) -> Player {
        Player::Critic
    }
    /// Whether it has a critic to step (a VAE has one player only: its encoder and decoder
    /// step together as the generator).
    fn has_critic(&self) -> bool {
        true
    }
    fn config(&self) -> &TrainConfig;
    /// Replaces the live configuration; the players and their optimiser state are kept.
    fn set_config(&mut self, cfg: TrainConfig) -> Result<()>;
    fn counters(&self) -> Counters;
    /// The losses of the last step.
    fn last(&self) -> StepStats;
    /// The divergence that stopped the game, if one did; every later step returns it.
    fn diverged(&self) -> Option<&GanError>;
    /// Stops the game as diverged: a divergence found outside a step (an evaluation
    /// sample that is not finite, [`crate::core::health`]).
    fn halt(&mut self, err: GanError);
    /// Floating-point operations of one iteration (for the GFLOP/s readout).
    fn flops_per_iteration(&self) -> f64;
    /// An upper estimate of the bytes one step under `cfg` allocates beyond the weights
    /// already held (activations, gradients, the autograd graph), checked against a
    /// [`MemoryLimit`] before stepping.
    fn step_bytes(&self, cfg: &TrainConfig) -> u64;
    fn device(&self) -> &Device;
    /// Whether it runs faster on one CPU thread than on many: for small networks the
    /// thread pool's overhead is larger than the work it spreads (about 3× slower at
    /// hidden 32, batch 256, natively). The CLI and the benchmark set Candle's thread
    /// count from this before the first step.
    fn prefers_one_thread(&self) -> bool {
        false
    }
    /// The path its steps take, as the benchmark reports it.
    fn path(&self) -> &'static str {
        "autograd"
    }
    /// Allows or forbids a faster hand-written path where the game has one.
    fn set_fused(&mut self, _on: bool) {}
    /// The phase timer, where the game has one.
    fn probe_mut(&mut self) -> Option<&mut Option<Probe>> {
        None
    }
}
