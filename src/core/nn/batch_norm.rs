//! Batch normalisation (Ioffe & Szegedy 2015, "Batch Normalization: Accelerating Deep
//! Network Training by Reducing Internal Covariate Shift", Algorithm 1) of a hidden
//! layer's pre-activations: `y = γ (a − μ_B) / √(σ²_B + ε) + β`, with the batch's mean
//! and (biased) variance per unit while training, and running averages of them when
//! evaluating (`r ← (1 − m) r + m · stat`, momentum `m` = 0.1, the variance's unbiased
//! form, as PyTorch's `BatchNorm1d`, started at the first batch's statistics where PyTorch
//! starts at 0 and 1). PacGAN's and VEEGAN's 2D generators use it.
//!
//! The running averages are not weights: a weights file holds `γ` and `β` only, and a
//! network just loaded normalises with its evaluation batch's own statistics until its
//! first training step.

use crate::core::error::Result;
use candle_core::{Device, Tensor, Var};
use std::sync::Mutex;

/// `ε` under the square root.
pub const EPS: f64 = 1e-5;
/// The running averages' momentum.
pub const MOMENTUM: f64 = 0.1;

pub struct BatchNorm {
    pub gamma: Var,
    pub beta: Var,
    /// Running `(mean, variance)` `[1, width]`, once a training pass has run.
    running: Mutex<Option<(Tensor, Tensor)>>,
}

/// Per-unit `(mean, biased variance)` over the batch, `[1, width]` each.
fn batch_stats(a: &Tensor) -> Result<(Tensor, Tensor)> {
    let mean = a.mean_keepdim(0)?;
    let var = a.broadcast_sub(&mean)?.sqr()?.mean_keepdim(0)?;
    Ok((mean, var))
}

impl BatchNorm {
    /// `γ = 1`, `β = 0` (the paper's start: the identity on normalised values).
    pub fn new(width: usize, device: &Device) -> Result<Self> {
        Ok(Self {
            gamma: Var::ones(width, candle_core::DType::F32, device)?,
            beta: Var::zeros(width, candle_core::DType::F32, device)?,
            running: Mutex::new(None),
        })
    }

    fn normalise(&self, a: &Tensor, mean: &Tensor, var: &Tensor) -> Result<Tensor> {
        let scale = (var + EPS)?.sqrt()?;
        Ok(a.broadcast_sub(mean)?
            .broadcast_div(&scale)?
            .broadcast_mul(self.gamma.as_tensor())?
            .broadcast_add(self.beta.as_tensor())?)
    }

    /// Training: the batch's statistics (differentiable), and the running averages
    /// updated. A batch of one has no variance to normalise by, so it is refused.
    pub fn forward_train(&self, a: &Tensor) -> Result<Tensor> {
        let n = a.dim(0)?;
        if n < 2 {
            return Err(crate::core::error::GanError::InvalidConfig(
                "batch norm needs a batch of at least 2".into(),
            ));
        }
        let (mean, var) = batch_stats(a)?;
        let unbiased = (var.detach() * (n as f64 / (n - 1) as f64))?;
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        *running = Some(match running.take() {
            Some((m, v)) => (
                ((m * (1.0 - MOMENTUM))? + (mean.detach() * MOMENTUM)?)?,
                ((v * (1.0 - MOMENTUM))? + (unbiased * MOMENTUM)?)?,
            ),
            None => (mean.detach(), unbiased),
        });
        drop(running);
        self.normalise(a, &mean, &var)
    }

    /// Evaluation: the running averages, or the batch's own statistics before any
    /// training pass.
    pub fn forward_eval(&self, a: &Tensor) -> Result<Tensor> {
        let running = self
            .running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let (mean, var) = match running {
            Some(mv) => mv,
            None => batch_stats(a)?,
        };
        self.normalise(a, &mean, &var)
    }
}
