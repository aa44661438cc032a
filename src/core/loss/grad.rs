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

fn host_var(v: &[f32]) -> Result<Var> {
    Ok(Var::from_tensor(&Tensor::from_slice(
        v,
        (v.len(), 1),
        &Device::Cpu,
    )?)?)
}

fn append_grad(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every loss's value and gradient against Candle's autograd of its tensor form, on
    /// values from the saturated tails to the middle.
    #[test]
    fn gradients_match_autograd_of_the_tensor_forms() {
        let v_real: Vec<f32> = (0..23).map(|i| (i as f32 - 11.0) * 1.7).collect();
        let v_fake: Vec<f32> = (0..19).map(|i| (i as f32 - 8.0) * -2.3 + 0.4).collect();
        for loss in Loss::all() {
            let (vr, vf) = (host_var(&v_real).unwrap(), host_var(&v_fake).unwrap());
            let d = loss.d_loss(vr.as_tensor(), vf.as_tensor()).unwrap();
            let gd = d.backward().unwrap();
            let mut want = Vec::new();
            append_grad(&gd, &vr, &mut want).unwrap();
            append_grad(&gd, &vf, &mut want).unwrap();
            let mut got = Vec::new();
            let value = loss.d_loss_and_grad(&v_real, &v_fake, &mut got).unwrap();
            let d = scalar(&d).unwrap();
            assert!(
                (value - d).abs() <= 1e-5 * d.abs().max(1.0),
                "{}: D loss {value} vs {d}",
                loss.name()
            );
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5 * w.abs().max(1e-2),
                    "{}: D grad {g} vs {w}",
                    loss.name()
                );
            }
            let g = loss.g_loss(vf.as_tensor()).unwrap();
            let mut want = Vec::new();
            append_grad(&g.backward().unwrap(), &vf, &mut want).unwrap();
            let mut got = Vec::new();
            let value = loss.g_loss_and_grad(&v_fake, &mut got).unwrap();
            let g = scalar(&g).unwrap();
            assert!(
                (value - g).abs() <= 1e-5 * g.abs().max(1.0),
                "{}: G loss {value} vs {g}",
                loss.name()
            );
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 1e-5 * w.abs().max(1e-2),
                    "{}: G grad {g} vs {w}",
                    loss.name()
                );
            }
        }
    }
}
