//! A loss's value and its gradient in the critic's raw values `v`, on host slices: what
//! the fused MLP pass (`pass.rs`) starts its backward pass from.
//!
//! Every loss of [`Loss`] is a sum of means of elementwise terms, `E_p a(v) + E_q b(v)`
//! for D and `E_q c(v)` for G. A plain row of the table carries each term's closed form
//! and derivative beside its tensor form (`terms.rs`); a test holds each against Candle's
//! autograd of the tensor form. For the f-GAN rows the derivative is left to Candle's
//! autograd of [`Loss::d_loss`] itself, on tensors of `n` values: exact, and only the
//! few ops of the loss, not the networks.

use super::table::Entry;
use crate::core::error::Result;
use crate::core::loss::Loss;
use crate::core::tensor::scalar;
use candle_core::{Device, Tensor, Var};

/// An elementwise term's host form: `(t(v), t'(v))`.
type Term = fn(f32) -> (f32, f32);

impl Loss {
    /// [`Loss::d_loss`] of the values `v_real`, `v_fake`, and its gradient: `grad` is set
    /// to `[∂L/∂v_real, ∂L/∂v_fake]`.
    pub fn d_loss_and_grad(
        &self,
        v_real: &[f32],
        v_fake: &[f32],
        grad: &mut Vec<f32>,
    ) -> Result<f64> {
        grad.clear();
        match self.row() {
            Entry::Plain(row) => {
                Ok(mean_term(row.d_real.host, v_real, grad)
                    + mean_term(row.d_fake.host, v_fake, grad))
            }
            Entry::FGan(_) => {
                let (vr, vf) = (host_var(v_real)?, host_var(v_fake)?);
                let loss = self.d_loss(vr.as_tensor(), vf.as_tensor())?;
                let grads = loss.backward()?;
                for v in [&vr, &vf] {
                    append_grad(&grads, v, grad)?;
                }
                scalar(&loss)
            }
        }
    }

    /// [`Loss::g_loss`] of the values `v_fake`, and `grad` set to `∂L/∂v_fake`.
    pub fn g_loss_and_grad(&self, v_fake: &[f32], grad: &mut Vec<f32>) -> Result<f64> {
        grad.clear();
        match self.row() {
            Entry::Plain(row) => Ok(mean_term(row.g.host, v_fake, grad)),
            Entry::FGan(_) => {
                let vf = host_var(v_fake)?;
                let loss = self.g_loss(vf.as_tensor())?;
                append_grad(&loss.backward()?, &vf, grad)?;
                scalar(&loss)
            }
        }
    }
}

/// `mean_i t(v_i)`, appending `t'(v_i)/n` to `grad`.
fn mean_term(t: Term, v: &[f32], grad: &mut Vec<f32>) -> f64 {
    let n = v.len().max(1) as f64;
    let inv = 1.0 / n as f32;
    let mut sum = 0.0f64;
    for &x in v {
        let (value, slope) = t(x);
        sum += value as f64;
        grad.push(slope * inv);
    }
    sum / n
}

/// A column of values as a variable on the CPU, for autograd.
pub fn host_var(v: &[f32]) -> Result<Var> {
    Ok(Var::from_tensor(&Tensor::from_slice(
        v,
        (v.len(), 1),
        &Device::Cpu,
    )?)?)
}

/// `v`'s gradient in `grads` appended to `out` (zeros where `v` took no part).
pub fn append_grad(
    grads: &candle_core::backprop::GradStore,
    v: &Var,
    out: &mut Vec<f32>,
) -> Result<()> {
    match grads.get(v.as_tensor()) {
        Some(g) => out.extend(g.flatten_all()?.to_vec1::<f32>()?),
        None => out.extend(std::iter::repeat_n(0.0, v.elem_count())),
    }
    Ok(())
}
