//! Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative
//! Adversarial Networks", Algorithm 1): each weight `W` of the critic is used as
//! `W / σ(W)`, with `σ(W)` its largest singular value, so that every layer is
//! 1-Lipschitz and the critic's slope is bounded whatever its weights.
//!
//! `σ` is estimated by power iteration with a left vector `u` kept from step to step:
//! `v ← Wᵀu / ‖Wᵀu‖`, `u ← Wv / ‖Wv‖`, `σ ≈ uᵀWv`. One iteration per critic step is
//! enough because `W` moves little between steps (the paper's choice); `u` and `v` are
//! constants to autograd, so the gradient flows through `W` in `uᵀWv` (the paper's
//! gradient, its eq. 12). Candle has no spectral norm, hence this module.

use crate::core::error::Result;
use candle_core::Tensor;

/// Power iterations when normalisation is switched on, so that the first step already
/// divides by a good estimate of σ.
pub const WARMUP_ITERATIONS: usize = 20;

/// The power iteration's state for each layer: `(u [1, out], v [1, in])`.
pub struct SpectralNorm {
    uv: Vec<(Tensor, Tensor)>,
}

/// `x / ‖x‖` (a zero vector stays zero).
fn unit(x: &Tensor) -> Result<Tensor> {
    let norm = (x.sqr()?.sum_all()?.sqrt()? + 1e-12)?;
    Ok(x.broadcast_div(&norm)?)
}

impl SpectralNorm {
    /// Starts every layer from `u = 1/√out` and runs [`WARMUP_ITERATIONS`].
    pub fn new(weights: &[Tensor]) -> Result<Self> {
        let mut uv = Vec::with_capacity(weights.len());
        for w in weights {
            let out = w.dim(0)?;
            let u = (Tensor::ones((1, out), w.dtype(), w.device())? / (out as f64).sqrt())?;
            let v = unit(&u.matmul(w)?)?;
            uv.push((u, v));
        }
        let mut sn = Self { uv };
        for _ in 0..WARMUP_ITERATIONS {
            sn.iterate(weights)?;
        }
        Ok(sn)
    }

    /// One power iteration per layer on the current (detached) weights.
    pub fn iterate(&mut self, weights: &[Tensor]) -> Result<()> {
        for ((u, v), w) in self.uv.iter_mut().zip(weights) {
            let w = w.detach();
            *v = unit(&u.matmul(&w)?)?;
            *u = unit(&v.matmul(&w.t()?)?)?;
        }
        Ok(())
    }

    /// `σ(W) ≈ uᵀWv` of layer `i`, `[1, 1]`, differentiable in `W`.
    pub fn sigma(&self, i: usize, w: &Tensor) -> Result<Tensor> {
        let (u, v) = &self.uv[i];
        Ok(u.matmul(w)?.matmul(&v.t()?)?)
    }

    /// `W / σ(W)` of layer `i`.
    pub fn normalized(&self, i: usize, w: &Tensor) -> Result<Tensor> {
        Ok(w.broadcast_div(&self.sigma(i, w)?)?)
    }
}
