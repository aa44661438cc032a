//! What the critic reads besides one sample at a time: packed samples (PacGAN) and the
//! minibatch standard deviation (ProGAN). Both let the critic see a batch's *spread*,
//! which a generator that has collapsed onto a few modes cannot fake.

use crate::core::error::{GanError, Result};
use candle_core::Tensor;

/// The largest packing degree (PacGAN's experiments go to 4).
pub const MAX_PACK: usize = 4;

/// Packs `m` samples into one critic input: rows `i·m … i·m + m − 1` of `x [n, d]` side
/// by side, `[n/m, m·d]` (Lin et al. 2018, "PacGAN: The power of two samples in
/// generative adversarial networks", §3: the critic judges `m` samples, all real or all
/// generated, jointly).
pub fn pack_samples(x: &Tensor, m: usize) -> Result<Tensor> {
    let (n, d) = x.dims2()?;
    if m == 0 || !n.is_multiple_of(m) {
        return Err(GanError::InvalidConfig(format!(
            "packing: {n} samples do not make packs of {m}"
        )));
    }
    Ok(x.reshape((n / m, m * d))?)
}

/// Each row of `x [n, d]` as a pack of `m` copies of itself, `[n, m·d]`: what the page
/// draws of a packed critic at a point of the plane (its view of `m` samples all there).
pub fn repeat_for_pack(x: &Tensor, m: usize) -> Result<Tensor> {
    Ok(if m == 1 { x.clone() } else { x.repeat((1, m))? })
}

/// The minibatch standard deviation (Karras et al. 2018, "Progressive Growing of GANs",
/// §3): `s = mean_j √(Var_i x_ij + 10⁻⁸)`, the standard deviation of each feature over
/// the batch averaged over the features, `[1, 1]`. Differentiable, so G is pushed to
/// spread its batch as the data's is spread.
pub fn minibatch_stddev(x: &Tensor) -> Result<Tensor> {
    let mean = x.mean_keepdim(0)?;
    let var = x.broadcast_sub(&mean)?.sqr()?.mean_keepdim(0)?;
    Ok((var + 1e-8)?.sqrt()?.mean_keepdim(1)?)
}

/// `[x, s]`: the feature `s [1, 1]` appended to every row of `x [n, d]`.
pub fn with_stddev(x: &Tensor, s: &Tensor) -> Result<Tensor> {
    let n = x.dim(0)?;
    Ok(Tensor::cat(&[x, &s.broadcast_as((n, 1))?], 1)?)
}
