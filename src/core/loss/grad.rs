//! A loss's value and its gradient in the critic's raw values `v`, on host slices: what
//! the fused MLP pass (`pass.rs`) starts its backward pass from.
//!
//! Every loss of [`Loss`] is a sum of means of elementwise terms, `E_p a(v) + E_q b(v)`
//! for D and `E_q c(v)` for G. For the classic, Wasserstein, least-squares and hinge
//! losses the terms and their derivatives are written below, next to the tensor forms
//! they restate ([`Loss::d_loss`], [`Loss::g_loss`]); a test holds each against Candle's
//! autograd of the tensor form. For the f-GAN losses the derivative is left to Candle's
//! autograd of [`Loss::d_loss`] itself, on tensors of `n` values: exact, and only the
//! few ops of the loss, not the networks.

use crate::core::error::Result;
use crate::core::loss::Loss;
use crate::core::special::softplus_sigmoid_f32;
use crate::core::tensor::scalar;
use candle_core::{Device, Tensor, Var};

/// An elementwise term: `(t(v), t'(v))`, in f32 like the values (the means sum in f64).
type Term = fn(f32) -> (f32, f32);

/// `log(1 + e^{−v}) = −log σ(v)`: the classic D's real term, the non-saturating G.
fn softplus_of_neg(v: f32) -> (f32, f32) {
    let (sp, s) = softplus_sigmoid_f32(-v);
    (sp, -s)
}
/// `log(1 + eᵛ) = −log(1 − σ(v))`: the classic D's fake term.
fn softplus_of(v: f32) -> (f32, f32) {
    softplus_sigmoid_f32(v)
}
/// `−log(1 + eᵛ) = log(1 − σ(v))`: the minimax G.
fn neg_softplus_of(v: f32) -> (f32, f32) {
    let (sp, s) = softplus_sigmoid_f32(v);
    (-sp, -s)
}
fn identity(v: f32) -> (f32, f32) {
    (v, 1.0)
}
fn negation(v: f32) -> (f32, f32) {
    (-v, -1.0)
}
/// `½(v − 1)²`.
fn half_square_from_one(v: f32) -> (f32, f32) {
    (0.5 * (v - 1.0) * (v - 1.0), v - 1.0)
}
/// `½v²`.
fn half_square(v: f32) -> (f32, f32) {
    (0.5 * v * v, v)
}
/// `relu(1 − v)`; the derivative at the kink is 0, as Candle's `relu` has it.
fn hinge_real(v: f32) -> (f32, f32) {
    if 1.0 - v > 0.0 {
        (1.0 - v, -1.0)
    } else {
        (0.0, 0.0)
    }
}
/// `relu(1 + v)`.
fn hinge_fake(v: f32) -> (f32, f32) {
    if 1.0 + v > 0.0 {
        (1.0 + v, 1.0)
    } else {
        (0.0, 0.0)
    }
}

impl Loss {
    /// D's terms `(a, b)` where they are closed forms (see the module doc).
    fn d_terms(&self) -> Option<(Term, Term)> {
        match self {
            Loss::Minimax | Loss::NonSaturating => Some((softplus_of_neg, softplus_of)),
            Loss::Wgan | Loss::WganGp { .. } => Some((negation, identity)),
            Loss::Lsgan => Some((half_square_from_one, half_square)),
            Loss::Hinge => Some((hinge_real, hinge_fake)),
            Loss::FGan(..) => None,
        }
    }

    /// G's term `c` where it is a closed form.
    fn g_term(&self) -> Option<Term> {
        match self {
            Loss::Minimax => Some(neg_softplus_of),
            Loss::NonSaturating => Some(softplus_of_neg),
            Loss::Wgan | Loss::WganGp { .. } | Loss::Hinge => Some(negation),
            Loss::Lsgan => Some(half_square_from_one),
            Loss::FGan(..) => None,
        }
    }

    /// [`Loss::d_loss`] of the values `v_real`, `v_fake`, and its gradient: `grad` is set
    /// to `[∂L/∂v_real, ∂L/∂v_fake]`.
    pub fn d_loss_and_grad(
        &self,
        v_real: &[f32],
        v_fake: &[f32],
        grad: &mut Vec<f32>,
    ) -> Result<f64> {
        grad.clear();
        match self.d_terms() {
            Some((a, b)) => Ok(mean_term(a, v_real, grad) + mean_term(b, v_fake, grad)),
            None => {
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
        match self.g_term() {
            Some(c) => Ok(mean_term(c, v_fake, grad)),
            None => {
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
