//! The 2D half of the playground: data sets on the plane, the [`trainer::PlaneTrainer`]
//! of a two-MLP GAN on them, and what is measured and drawn of it (metrics, the critic's
//! field, the optimal discriminator, the generator's manifold); the models of the other
//! games on the plane (the xy game, the BiGAN, the CycleGAN) are declared beside the GAN's
//! in [`model`].

pub mod axes;
pub mod contour;
pub mod data;
pub mod density;
pub mod field;
pub mod metrics;
pub mod mode_benchmark;
pub mod model;
pub mod pairs;
pub mod points_file;
pub mod presets;
pub mod trainer;

pub use model::{
    BiganModel, CycleModel, Pix2PixModel, PlaneModel, VaeModel, XyModel, BIGAN_SETTINGS,
    CYCLE_SETTINGS, PIX2PIX_SETTINGS, PLANE_SETTINGS, VAE_SETTINGS, XY_SETTINGS,
};
pub use trainer::PlaneTrainer;
