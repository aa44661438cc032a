//! The few measures only lessons need, each with its formula.

/// `mean_i ‖v_i‖`: the mean Euclidean norm of 2D vectors (e.g. the generator's gradient at
/// its samples, the critic's input gradient).
pub fn mean_norm(v: &[[f32; 2]]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter()
        .map(|g| (g[0] as f64).hypot(g[1] as f64))
        .sum::<f64>()
        / v.len() as f64
}

/// The share of `weights` at the clipping bound: `|w| ≥ (1 − 10⁻³)·c` (WGAN's weight
/// clipping, Arjovsky et al. 2017, piles them there: Gulrajani et al. 2017, Fig. 1b).
pub fn clipped_share(weights: &[f32], c: f64) -> f64 {
    if weights.is_empty() {
        return f64::NAN;
    }
    let at = weights
        .iter()
        .filter(|w| (w.abs() as f64) >= (1.0 - 1e-3) * c)
        .count();
    at as f64 / weights.len() as f64
}

/// Counts of `weights` in `bins` equal bins over `[−c, c]` (values outside go to the end
/// bins).
pub fn weight_histogram(weights: &[f32], c: f64, bins: usize) -> Vec<f64> {
    let mut counts = vec![0.0; bins.max(1)];
    for w in weights {
        let t = ((*w as f64 + c) / (2.0 * c) * bins as f64).floor();
        let i = (t.max(0.0) as usize).min(counts.len() - 1);
        counts[i] += 1.0;
    }
    counts
}
