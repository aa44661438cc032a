//! The target-agnostic engine. Everything drawn or printed is computed here.

pub mod bench;
pub mod classifier;
pub mod conv;
pub mod data;
pub mod density;
pub mod digit_metrics;
pub mod digit_train;
pub mod digits;
pub mod error;
pub mod fdiv;
pub mod field;
pub mod frechet;
pub mod gan;
pub mod hash;
pub mod history;
pub mod loss;
pub mod loss_grad;
pub mod matmul;
pub mod metrics;
pub mod mlp_pass;
pub mod nets;
pub mod network;
pub mod optim;
pub mod rng;
pub mod special;
pub mod train;
pub mod weights;

pub use error::GanError;
