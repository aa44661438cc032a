//! The target-agnostic engine: pure Candle, no browser and no file system, so the same
//! code runs natively and in wasm. Everything drawn or printed is computed here.
//!
//! Layers, each importing only those above it in this list:
//! - [`error`], [`format`], [`rng`], [`special`], [`tensor`], [`health`], [`settings`] (the declarative setting
//!   table machinery and the URL hash), [`palette`];
//! - [`nn`]: networks (MLP, convolutional), the fused MLP pass, the optimisers;
//! - [`loss`]: every loss as a function of the critic's raw values;
//! - [`game`]: the adversarial game — configuration, noise, the [`game::Game`] trait and
//!   the two-network [`game::Gan`] that implements it;
//! - [`plane`] (2D data) and [`digits`] (MNIST): data, trainers, metrics, fields;
//! - [`history`], [`step_means`], [`session`] (one training session of either kind, as the page and
//!   tests drive it), [`speed_bench`] (the speed benchmark's configurations).

pub mod coverage;
pub mod digits;
pub mod error;
pub mod format;
pub mod game;
pub mod health;
pub mod history;
pub mod lesson;
pub mod loss;
pub mod nn;
pub mod palette;
pub mod plane;
pub mod rng;
pub mod session;
pub mod settings;
pub mod special;
pub mod speed_bench;
pub mod step_means;
pub mod tensor;
pub mod weights;

pub use error::GanError;
