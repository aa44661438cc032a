//! The MNIST half of the playground: the digits ([`data`]), the [`trainer::DigitTrainer`]
//! of a digit GAN (MLP or convolutional presets, optionally conditional), and what is
//! measured of it with the project's own classifier.

pub mod classifier;
pub mod data;
pub mod frechet;
pub mod metrics;
pub mod model;
pub mod trainer;

pub use model::{DigitArch, DigitModel, DigitVaeModel, DIGIT_SETTINGS, DIGIT_VAE_SETTINGS};
pub use trainer::DigitTrainer;
