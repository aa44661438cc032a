//! The 2D half of the playground: data sets on the plane, the [`trainer::PlaneTrainer`]
//! of a two-MLP GAN on them, and what is measured and drawn of it (metrics, the critic's
//! field, the optimal discriminator, the generator's manifold).

pub mod contour;
pub mod data;
pub mod density;
pub mod field;
pub mod metrics;
pub mod mode_benchmark;
pub mod model;
pub mod points_file;
pub mod presets;
pub mod trainer;

pub use model::{PlaneModel, PLANE_SETTINGS};
pub use trainer::PlaneTrainer;
