//! Numeric health: whether values that a step made or a metric reads are all finite.
//!
//! A step is healthy when its losses, the generator's output and the updated weights are
//! all finite. The losses alone do not tell: a ReLU maps NaN to 0 (`f32::max` returns
//! the other operand), so a critic fed NaN samples reports finite losses while every
//! generated point is NaN. An unhealthy step stops the game as diverged, naming what
//! went non-finite first, and the weights stay those of the last healthy step (the
//! optimiser checks an update before it writes it). Metrics refuse non-finite input
//! with an error rather than loop (an assignment solver on NaN costs) or clamp (NaN
//! `.max(0.0)` is 0, a perfect score).

use crate::core::error::{GanError, Result};
use crate::core::tensor::HostRead;
use candle_core::{DType, Tensor};

/// The index of the first value that is NaN or infinite, if any.
pub fn first_non_finite<T: Copy + Into<f64>>(values: &[T]) -> Option<usize> {
    values.iter().position(|&v| !v.into().is_finite())
}

/// Whether every value of `t` is finite. CPU f32 tensors are scanned in place; on other
/// devices `Σ (t − t)` is 0 when every value is finite and NaN otherwise (`∞ − ∞` and
/// `NaN − NaN` are NaN), one reduction with no overflow.
pub fn all_finite(t: &Tensor) -> Result<bool> {
    if t.device().is_cpu() && t.dtype() == DType::F32 && t.is_contiguous() {
        return Ok(first_non_finite(HostRead::new(t)?.slice()?).is_none());
    }
    #[allow(clippy::eq_op)] // `t − t` is the point: 0 where finite, NaN where not.
    let zero = (t - t)?
        .sum_all()?
        .to_dtype(DType::F64)?
        .to_scalar::<f64>()?;
    Ok(zero.is_finite())
}

/// `Ok` when every value of `values` is finite; otherwise an error naming `what` and the
/// first bad value's index, for a metric's input.
pub fn require_finite<T: Copy + Into<f64>>(values: &[T], what: &str) -> Result<()> {
    match first_non_finite(values) {
        None => Ok(()),
        Some(i) => Err(GanError::InvalidData(format!(
            "{what} has a non-finite value ({}) at index {i}",
            values[i].into()
        ))),
    }
}

/// What a divergence names when generated samples are not finite.
pub const GENERATOR_OUTPUT: &str = "the generator's output";

/// `Ok` when every generated value is finite; otherwise the divergence it shows at
/// iteration `step` (an evaluation sample can overflow where the training batch did not).
pub fn require_finite_output(values: &[f32], step: usize) -> Result<()> {
    match first_non_finite(values) {
        None => Ok(()),
        Some(_) => Err(GanError::Diverged {
            step,
            what: GENERATOR_OUTPUT.into(),
        }),
    }
}
