//! The fields drawn over the plane: the critic's heatmap, the optimal discriminator, and
//! the generator's manifold. Computed here so that what is drawn is tested.

use super::density::{kde_on_grid, scott_bandwidth, GridSpec};
use super::metrics::optimal_discriminator;
use super::trainer::PlaneTrainer;
use crate::core::error::Result;
use crate::core::game::{Game, NoiseKind};

/// The heatmap's value in `[0, 1]` at every cell centre of `grid`: `σ(v)`, the
/// discriminator's probability of "real" under the GAN losses and a monotone squashing
/// of the critic's value under the others; for EBGAN's energy critic (`v = −E/m`),
/// `1 − min(E/m, 1)`, so that zero energy is "real", the margin and beyond "fake", and
/// `E = m/2` white ([`heat_scale`]).
pub fn discriminator_field(trainer: &PlaneTrainer, grid: &GridSpec) -> Result<Vec<f32>> {
    let v = trainer.discriminate(&grid.centres())?;
    let energy = trainer.game().config().loss.energy_critic();
    Ok(v.into_iter()
        .map(|v| {
            if energy {
                (1.0 + v).clamp(0.0, 1.0)
            } else {
                1.0 / (1.0 + (-v).exp())
            }
        })
        .collect())
}

/// What the heatmap's colours mean for this loss, for the colour bar beside it:
/// `(left end, right end, white, title)`.
pub fn heat_scale(energy: bool) -> [&'static str; 4] {
    if energy {
        [
            "energy E ≥ m",
            "0",
            "white: E = m/2",
            "The heatmap's colours: the autoencoder critic's energy E(x) = ‖AE(x) − x‖²/d against the margin m; low energy is what the critic takes for data.",
        ]
    } else {
        [
            "D(x) = 0",
            "1",
            "white: ½, D cannot tell",
            "The heatmap's colours: D(x), the probability D gives that x is real.",
        ]
    }
}

/// `D*(x) = p_data / (p_data + p_g)` on `grid`: the exact data density where the data set
/// has one, else a KDE of `data`; a KDE of the generator's samples (Scott's bandwidth).
/// Where both densities are below 1e-4 of their peak, D* is undetermined by the samples
/// and is NaN: the contour skips those cells (a value of ½ there drew a false contour
/// around the region where neither distribution has mass).
pub fn optimal_discriminator_field(
    trainer: &PlaneTrainer,
    grid: &GridSpec,
    data: &[[f32; 2]],
    fake: &[[f32; 2]],
) -> Vec<f64> {
    let dataset = &trainer.model().dataset;
    let p: Vec<f64> = match grid.centres().iter().map(|&c| dataset.density(c)).collect() {
        Some(p) => p,
        None => kde_on_grid(data, grid, scott_bandwidth(data)),
    };
    let q = kde_on_grid(fake, grid, scott_bandwidth(fake));
    let peak = p.iter().zip(&q).map(|(a, b)| a + b).fold(0.0, f64::max);
    optimal_discriminator(&p, &q)
        .into_iter()
        .zip(p.iter().zip(&q))
        .map(|(d, (a, b))| if a + b < 1e-4 * peak { f64::NAN } else { d })
        .collect()
}

/// `E|D(x) − D*(x)|`: the mean distance between the critic's `σ(V(x))` and the optimal
/// discriminator `D* = p_data/(p_data + p_g)` (Goodfellow et al. 2014, Prop. 1) over the
/// cells of `grid` where D* is determined ([`optimal_discriminator_field`]). Algorithm 1's
/// k critic steps per generator step bring D towards D*; this is how far it is.
pub fn distance_to_optimal(
    trainer: &PlaneTrainer,
    grid: &GridSpec,
    data: &[[f32; 2]],
    fake: &[[f32; 2]],
) -> Result<f64> {
    let d = discriminator_field(trainer, grid)?;
    let star = optimal_discriminator_field(trainer, grid, data, fake);
    let (sum, n) = d
        .iter()
        .zip(&star)
        .filter(|(_, s)| s.is_finite())
        .fold((0.0, 0usize), |(sum, n), (d, s)| {
            (sum + (*d as f64 - s).abs(), n + 1)
        });
    Ok(if n == 0 { f64::NAN } else { sum / n as f64 })
}

/// The generator's manifold: a `n × n` grid over the first two noise coordinates
/// (`[−1, 1]` for uniform noise, `[−2, 2]` for Gaussian; the others held at 0) pushed
/// through G. Row-major, so neighbours in the result are neighbours in noise space.
pub fn manifold(trainer: &PlaneTrainer, n: usize) -> Result<Vec<[f32; 2]>> {
    let m = trainer.model();
    let extent = match m.noise {
        NoiseKind::Uniform => 1.0,
        NoiseKind::Gaussian => 2.0,
    };
    let mut z = Vec::with_capacity(n * n * m.noise_dim);
    for iy in 0..n {
        for ix in 0..n {
            let t = |i: usize| -extent + 2.0 * extent * i as f32 / (n.max(2) - 1) as f32;
            let mut row = vec![0.0f32; m.noise_dim];
            row[0] = t(ix);
            if m.noise_dim > 1 {
                row[1] = t(iy);
            }
            z.extend(row);
        }
    }
    // A conditional model's manifold is that of the label shown (label 0 while all are).
    let labels = vec![trainer.shown_label().unwrap_or(0); n * n];
    trainer.generate_with_labels(&z, Some(&labels))
}
