//! The Fréchet distance between two samples of feature vectors: the distance between the
//! Gaussians fitted to them (Dowson & Landau 1982; used on Inception features as "FID" by
//! Heusel et al. 2017; here on the project's own digit classifier, so the values are not
//! comparable to published MNIST FIDs).

use crate::core::error::{GanError, Result};
use crate::core::health::require_finite;
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// `d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{½} Σ₂ Σ₁^{½})^{½})`, with unbiased covariances.
/// `a` and `b` are row-major `[n, dim]`. The matrix square roots come from symmetric
/// eigendecompositions (nalgebra), negative round-off eigenvalues clamped to 0: the
/// symmetric form `Σ₁^{½} Σ₂ Σ₁^{½}` has the same trace of square root as `Σ₁Σ₂`, without
/// the non-symmetric `sqrtm` that scipy needs.
///
/// Non-finite features are refused (NaN `.max(0.0)` would be 0, a perfect score), and so
/// is a result that is not finite; only a round-off negative is clamped to 0.
pub fn frechet_distance(a: &[f32], b: &[f32], dim: usize) -> Result<f64> {
    require_finite(a, "the first feature sample")?;
    require_finite(b, "the second feature sample")?;
    let (mu_a, cov_a) = mean_and_covariance(a, dim)?;
    let (mu_b, cov_b) = mean_and_covariance(b, dim)?;
    let root_a = psd_sqrt(cov_a.clone());
    let middle = &root_a * &cov_b * &root_a;
    let middle = (&middle + middle.transpose()) * 0.5;
    let tr_root: f64 = SymmetricEigen::new(middle)
        .eigenvalues
        .iter()
        .map(|&l| l.max(0.0).sqrt())
        .sum();
    let d = (mu_a - mu_b).norm_squared() + cov_a.trace() + cov_b.trace() - 2.0 * tr_root;
    if !d.is_finite() {
        return Err(GanError::InvalidData(format!(
            "the Fréchet distance is not finite ({d})"
        )));
    }
    Ok(d.max(0.0))
}

fn mean_and_covariance(x: &[f32], dim: usize) -> Result<(DVector<f64>, DMatrix<f64>)> {
    if dim == 0 || !x.len().is_multiple_of(dim) || x.len() / dim < 2 {
        return Err(GanError::InvalidData(format!(
            "the Fréchet distance needs at least 2 feature rows of {dim} values, got {} values",
            x.len()
        )));
    }
    let n = x.len() / dim;
    let m = DMatrix::from_row_iterator(n, dim, x.iter().map(|&v| v as f64));
    let mean = m.row_mean().transpose();
    let centred = DMatrix::from_fn(n, dim, |i, j| m[(i, j)] - mean[j]);
    let cov = centred.transpose() * &centred / (n as f64 - 1.0);
    Ok((mean, cov))
}

/// The symmetric square root of a positive semi-definite matrix.
fn psd_sqrt(m: DMatrix<f64>) -> DMatrix<f64> {
    let eig = SymmetricEigen::new(m);
    let roots = eig.eigenvalues.map(|l| l.max(0.0).sqrt());
    &eig.eigenvectors * DMatrix::from_diagonal(&roots) * eig.eigenvectors.transpose()
}
