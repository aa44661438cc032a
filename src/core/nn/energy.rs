//! The energy-based GAN's critic (Zhao et al. 2017, "Energy-based Generative Adversarial
//! Network"; the notes' "Energy-based GAN", seed 003): an autoencoder whose energy is its
//! reconstruction error, `E(x) = (1/d) ‖AE(x) − x‖²`.
//!
//! The loss table works on one raw value per sample, so this critic's value is
//! `V(x) = −E(x)/m`, the energy in units of the margin `m`, negated so that, as for every
//! other critic, larger means "more real". EBGAN's losses are then rows like the others
//! (`L_D/m = E_p[−V] + E_q[relu(1 + V)]`, `L_G/m = E_q[−V]`), and every picture of the critic
//! (heatmap, arrows) reads it unchanged.

use super::mlp::{Mlp, MlpSpec};
use crate::core::error::{GanError, Result};
use crate::core::rng::SeededRng;
use candle_core::{Device, Tensor, Var};
use std::sync::atomic::{AtomicU64, Ordering};

/// The prefix of its weights in a weights file (a classifier critic's are `discriminator`).
pub const PREFIX: &str = "discriminator.energy";

pub struct EnergyCritic {
    ae: Mlp,
    /// The margin `m` (f64 bits): a live setting, read at every forward pass.
    margin: AtomicU64,
}

impl EnergyCritic {
    /// An autoencoder of the classifier critic's shape (`critic`): its input, hidden
    /// layers and activation, with an output as wide as its input.
    pub fn new(critic: MlpSpec, margin: f64, rng: &mut SeededRng, device: &Device) -> Result<Self> {
        let spec = MlpSpec {
            output: critic.input,
            output_tanh: false,
            batch_norm: false,
            ..critic
        };
        Ok(Self {
            ae: Mlp::new(spec, PREFIX, rng, device)?,
            margin: AtomicU64::new(margin.to_bits()),
        })
    }

    pub fn set_margin(&self, m: f64) {
        self.margin.store(m.to_bits(), Ordering::Relaxed);
    }

    pub fn margin(&self) -> f64 {
        f64::from_bits(self.margin.load(Ordering::Relaxed))
    }

    pub fn autoencoder(&self) -> &Mlp {
        &self.ae
    }

    /// `E(x) = (1/d) ‖AE(x) − x‖²` per row, `[n, 1]`.
    pub fn energy(&self, x: &Tensor) -> Result<Tensor> {
        Ok(energy_of(&self.ae.forward(x)?, x)?)
    }

    /// `V(x) = −E(x)/m`, `[n, 1]`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok((self.energy(x)? * (-1.0 / self.margin()))?)
    }

    /// `(V(x), code)`: the value and the autoencoder's last hidden layer, the code `S`
    /// that the pulling-away term reads.
    pub fn forward_with_features(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let (out, code) = self.ae.forward_with_features(x)?;
        Ok(((energy_of(&out, x)? * (-1.0 / self.margin()))?, code))
    }

    /// `(V(x), ∇ₓV(x))` by autograd at a copy of `x`: for pictures and the arrows. The
    /// gradient penalties need it as forward ops (to differentiate it again), which this
    /// critic does not give; the losses that carry them refuse it (`TrainConfig`).
    pub fn value_and_input_gradient(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let at = Var::from_tensor(&x.detach())?;
        let v = self.forward(at.as_tensor())?;
        let grads = v.sum_all()?.backward()?;
        let g = grads
            .get(at.as_tensor())
            .cloned()
            .ok_or_else(|| GanError::InvalidConfig("the energy has no input gradient".into()))?;
        Ok((v.detach(), g))
    }
}

fn energy_of(out: &Tensor, x: &Tensor) -> candle_core::Result<Tensor> {
    (out - x)?.sqr()?.mean_keepdim(1)
}

/// EBGAN's pulling-away term on a batch of codes `S [n, h]`:
/// `PT = 1/(n(n − 1)) Σ_{i≠j} (S_iᵀS_j / ‖S_i‖‖S_j‖)²`, the mean squared cosine between
/// different samples' codes; added to G's loss, it pushes the fakes' codes apart
/// (against one mode). 0 for fewer than two samples. A zero code counts as orthogonal.
pub fn pulling_away(codes: &Tensor) -> Result<Tensor> {
    let n = codes.dim(0)?;
    if n < 2 {
        return Ok(Tensor::zeros((), codes.dtype(), codes.device())?);
    }
    let norm = (codes.sqr()?.sum_keepdim(1)? + 1e-12)?.sqrt()?;
    let unit = codes.broadcast_div(&norm)?;
    let cos = unit.matmul(&unit.t()?)?;
    // The diagonal is each code with itself: 1 for any non-zero code.
    let diagonal = unit.sqr()?.sum_all()?;
    Ok(((cos.sqr()?.sum_all()? - diagonal)? / (n * (n - 1)) as f64)?)
}
