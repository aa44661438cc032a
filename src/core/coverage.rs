//! How evenly a generator covers the modes of a 2D data set or the classes of the digits:
//! one measure for both, so that the two charts mean the same.

/// A mode counts as covered when it holds at least this share of the samples as
/// high-quality samples (and at least one). The papers count a mode with a single
/// high-quality sample; one stray sample is not a learned mode, so we ask for 1%.
pub const MIN_MODE_SHARE: f64 = 0.01;

/// `KL(h ‖ uniform) = Σ h_i log(h_i·M)` of a histogram over `M` classes, normalised: 0 when
/// every class is equally frequent, `log M` when one class has everything (PacGAN, Lin et
/// al. 2018, reports it for the mode histogram). An empty histogram counts as collapsed.
pub fn kl_from_uniform(counts: &[usize]) -> f64 {
    let m = counts.len() as f64;
    let total: usize = counts.iter().sum();
    if total == 0 {
        return m.ln();
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let h = c as f64 / total as f64;
            h * (h * m).ln()
        })
        .sum()
}
