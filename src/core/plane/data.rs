//! The 2D data sets: seeded samplers, and the modes (centre, std) of those that have them.

use crate::core::error::{GanError, Result};
use crate::core::rng::SeededRng;
use std::f32::consts::PI;

/// A mixture component: the unit of the mode-collapse metrics.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mode {
    pub centre: [f32; 2],
    pub std: f32,
}

/// Std of the jitter added around a user-given point (GAN Lab's "draw your own").
pub const CUSTOM_JITTER: f32 = 0.02;
/// The most points a user may place.
pub const MAX_CUSTOM_POINTS: usize = 10_000;
/// The seed of the thumbnails' points ([`Dataset::thumbnail`]).
const THUMBNAIL_SEED: u64 = 7;
/// The most user points counted as modes, each its own ([`Dataset::modes`]).
pub const MAX_CUSTOM_MODES: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub enum Dataset {
    Ring8,
    Grid25,
    Spiral,
    TwoMoons,
    Line,
    TwoClusters,
    Gaussian,
    /// User-placed points, sampled with [`CUSTOM_JITTER`].
    Custom(Vec<[f32; 2]>),
}

impl Dataset {
    /// Short names, as used by the CLI and the URL hash.
    pub const PRESETS: [&'static str; 7] = [
        "ring8",
        "grid25",
        "spiral",
        "moons",
        "line",
        "two-clusters",
        "gaussian",
    ];

    /// What the page's menu calls them, in the order of [`Dataset::PRESETS`].
    pub const LABELS: [&'static str; 7] = [
        "ring of 8",
        "grid of 25",
        "spiral",
        "two moons",
        "line",
        "two clusters",
        "Gaussian",
    ];

    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "ring8" => Dataset::Ring8,
            "grid25" => Dataset::Grid25,
            "spiral" => Dataset::Spiral,
            "moons" => Dataset::TwoMoons,
            "line" => Dataset::Line,
            "two-clusters" => Dataset::TwoClusters,
            "gaussian" => Dataset::Gaussian,
            other => {
                return Err(GanError::InvalidConfig(format!(
                    "unknown dataset '{other}' (expected one of: {}, or custom points)",
                    Self::PRESETS.join(", ")
                )))
            }
        })
    }

    /// A user-given point set; rejects an empty set, too many points, or non-finite values.
    pub fn custom(points: Vec<[f32; 2]>) -> Result<Self> {
        if points.is_empty() {
            return Err(GanError::InvalidData("the point set is empty".into()));
        }
        if points.len() > MAX_CUSTOM_POINTS {
            return Err(GanError::InvalidData(format!(
                "{} points given, at most {MAX_CUSTOM_POINTS} allowed",
                points.len()
            )));
        }
        if points
            .iter()
            .flatten()
            .any(|v| !v.is_finite() || v.abs() > 1e3)
        {
            return Err(GanError::InvalidData(
                "a point is not finite or lies beyond ±1000".into(),
            ));
        }
        Ok(Dataset::Custom(points))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Dataset::Ring8 => "ring8",
            Dataset::Grid25 => "grid25",
            Dataset::Spiral => "spiral",
            Dataset::TwoMoons => "moons",
            Dataset::Line => "line",
            Dataset::TwoClusters => "two-clusters",
            Dataset::Gaussian => "gaussian",
            Dataset::Custom(_) => "custom",
        }
    }

    /// The mixture components, for the data sets that are Gaussian mixtures. The user's
    /// points are one too (a Gaussian of std [`CUSTOM_JITTER`] at each); up to
    /// [`MAX_CUSTOM_MODES`] of them are counted as modes, more would be a cloud, not
    /// modes, and have none. Spiral, moons and line have none.
    pub fn modes(&self) -> Option<Vec<Mode>> {
        match self {
            Dataset::Ring8 => Some(ring_modes()),
            Dataset::Grid25 => Some(grid_modes()),
            Dataset::TwoClusters => Some(two_cluster_modes().to_vec()),
            Dataset::Gaussian => Some(vec![GAUSSIAN_MODE]),
            Dataset::Custom(points) if points.len() <= MAX_CUSTOM_MODES => Some(
                points
                    .iter()
                    .map(|&centre| Mode {
                        centre,
                        std: CUSTOM_JITTER,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// `n` points drawn from the data set.
    pub fn sample(&self, rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
        match self {
            Dataset::Ring8 => mixture(&ring_modes(), rng, n),
            Dataset::Grid25 => mixture(&grid_modes(), rng, n),
            Dataset::Spiral => spiral(rng, n),
            Dataset::TwoMoons => two_moons(rng, n),
            Dataset::Line => line(rng, n),
            Dataset::TwoClusters => mixture(&two_cluster_modes(), rng, n),
            Dataset::Gaussian => mixture(&[GAUSSIAN_MODE], rng, n),
            Dataset::Custom(points) => jittered_points(points, rng, n),
        }
    }

    /// The exact density at `x` where the data set is a known mixture (custom points are a
    /// mixture of isotropic Gaussians of std [`CUSTOM_JITTER`]).
    pub fn density(&self, x: [f32; 2]) -> Option<f64> {
        match self {
            Dataset::Custom(points) => {
                let modes: Vec<Mode> = points
                    .iter()
                    .map(|&centre| Mode {
                        centre,
                        std: CUSTOM_JITTER,
                    })
                    .collect();
                Some(mixture_density(&modes, x))
            }
            _ => self.modes().map(|m| mixture_density(&m, x)),
        }
    }

    /// `n` points of the data set for its thumbnail in the page's data-set picker, in its
    /// view ([`Dataset::view`]) scaled to the unit square, y up: `x` and `y` in [0, 1],
    /// as the plane shows them. The same points on every call (a fixed seed), so that a
    /// thumbnail does not change when it is drawn again.
    pub fn thumbnail(&self, n: usize) -> Vec<[f32; 2]> {
        let (centre, half) = self.view();
        let mut rng = SeededRng::new(THUMBNAIL_SEED);
        self.sample(&mut rng, n)
            .into_iter()
            .map(|p| {
                let unit = |d: usize| ((p[d] - centre[d]) / (2.0 * half) + 0.5).clamp(0.0, 1.0);
                [unit(0), unit(1)]
            })
            .collect()
    }

    /// The square view that shows the data set with a margin: `(centre, half_width)`.
    pub fn view(&self) -> ([f32; 2], f32) {
        match self {
            Dataset::Ring8 => ([0.0, 0.0], 1.5),
            Dataset::Grid25 => ([0.0, 0.0], 5.5),
            Dataset::Spiral => ([0.0, 0.0], 1.3),
            Dataset::TwoMoons => ([0.0, 0.0], 1.6),
            Dataset::Line => ([0.0, 0.0], 1.3),
            Dataset::TwoClusters => ([0.0, 0.0], 1.3),
            Dataset::Gaussian => ([0.0, 0.0], 1.3),
            // Fixed, so that the plane does not move under the user's pointer while drawing;
            // it grows (in steps) only for points placed outside it.
            Dataset::Custom(points) => {
                let extent = points.iter().flatten().fold(0.0f32, |m, v| m.max(v.abs()));
                let mut half = 1.5;
                while extent > half * 0.95 {
                    half *= 2.0;
                }
                ([0.0, 0.0], half)
            }
        }
    }
}

/// Ring of 8 Gaussians: centres `(cos 2πi/8, sin 2πi/8)`, radius 1, std 0.01, as in the
/// authors' code of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018).
pub fn ring_modes() -> Vec<Mode> {
    (0..8)
        .map(|i| {
            let a = 2.0 * PI * i as f32 / 8.0;
            Mode {
                centre: [a.cos(), a.sin()],
                std: 0.01,
            }
        })
        .collect()
}

/// Grid of 25 Gaussians: centres `{−4, −2, 0, 2, 4}²`, std 0.05 (VEEGAN, PacGAN).
pub fn grid_modes() -> Vec<Mode> {
    let mut modes = Vec::with_capacity(25);
    for i in 0..5 {
        for j in 0..5 {
            modes.push(Mode {
                centre: [-4.0 + 2.0 * i as f32, -4.0 + 2.0 * j as f32],
                std: 0.05,
            });
        }
    }
    modes
}

/// Two disjoint clusters (GAN Lab's "disjoint blobs", two of them).
pub fn two_cluster_modes() -> [Mode; 2] {
    [
        Mode {
            centre: [-0.6, -0.5],
            std: 0.1,
        },
        Mode {
            centre: [0.6, 0.5],
            std: 0.1,
        },
    ]
}

/// A single Gaussian away from the origin, so the generator visibly has to move.
pub const GAUSSIAN_MODE: Mode = Mode {
    centre: [0.4, 0.3],
    std: 0.2,
};

/// Equal-weight mixture of isotropic Gaussians.
pub fn mixture(modes: &[Mode], rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| {
            let m = modes[rng.below(modes.len())];
            [
                m.centre[0] + m.std * rng.normal(),
                m.centre[1] + m.std * rng.normal(),
            ]
        })
        .collect()
}

/// Density of an equal-weight isotropic Gaussian mixture:
/// `p(x) = (1/M) Σ_m N(x; μ_m, σ_m² I)`.
pub fn mixture_density(modes: &[Mode], x: [f32; 2]) -> f64 {
    let sum: f64 = modes
        .iter()
        .map(|m| {
            let s2 = (m.std as f64).powi(2);
            let dx = (x[0] - m.centre[0]) as f64;
            let dy = (x[1] - m.centre[1]) as f64;
            (-(dx * dx + dy * dy) / (2.0 * s2)).exp() / (2.0 * std::f64::consts::PI * s2)
        })
        .sum();
    sum / modes.len() as f64
}

/// Archimedean spiral `r = t`, angle `3πt`, `t ~ U(0.1, 1)`, with N(0, 0.02²) noise.
pub fn spiral(rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| {
            let t = rng.uniform(0.1, 1.0);
            let a = 3.0 * PI * t;
            [
                t * a.cos() + 0.02 * rng.normal(),
                t * a.sin() + 0.02 * rng.normal(),
            ]
        })
        .collect()
}

/// Two interleaving half circles (scikit-learn's `make_moons`), centred, noise std 0.05.
pub fn two_moons(rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| {
            let a = rng.uniform(0.0, PI);
            let (x, y) = if rng.below(2) == 0 {
                (a.cos(), a.sin())
            } else {
                (1.0 - a.cos(), 0.5 - a.sin())
            };
            [
                x - 0.5 + 0.05 * rng.normal(),
                y - 0.25 + 0.05 * rng.normal(),
            ]
        })
        .collect()
}

/// A line segment from (−1, −0.5) to (1, 0.5) with N(0, 0.02²) noise (GAN Lab's "line").
pub fn line(rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| {
            let t = rng.uniform(-1.0, 1.0);
            [t + 0.02 * rng.normal(), 0.5 * t + 0.02 * rng.normal()]
        })
        .collect()
}

/// A random user point plus N(0, CUSTOM_JITTER²) (GAN Lab's "draw your own").
pub fn jittered_points(points: &[[f32; 2]], rng: &mut SeededRng, n: usize) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| {
            let p = points[rng.below(points.len())];
            [
                p[0] + CUSTOM_JITTER * rng.normal(),
                p[1] + CUSTOM_JITTER * rng.normal(),
            ]
        })
        .collect()
}
