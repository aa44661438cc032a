//! The elementwise terms the table's rows are made of. Each is written twice, as Candle
//! ops (any device, differentiated by autograd) and as a closed form with its derivative
//! on the host (where the fused pass starts its backward pass); `grad.rs`'s test holds the
//! two against each other for every row.

use crate::core::special::{softplus_sigmoid_f32, softplus_t};
use candle_core::{Result, Tensor};

/// One term `t(v)` of the critic's raw value `v`.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    /// `t` elementwise on a tensor of values.
    pub tensor: fn(&Tensor) -> Result<Tensor>,
    /// `(t(v), t'(v))` in f32, like the values (the means sum in f64).
    pub host: fn(f32) -> (f32, f32),
}

/// `log(1 + e^{−v}) = −log σ(v)`: the classic D's real term, the non-saturating G.
pub const SOFTPLUS_OF_NEG: Term = Term {
    tensor: |v| softplus_t(&v.neg()?),
    host: |v| {
        let (sp, s) = softplus_sigmoid_f32(-v);
        (sp, -s)
    },
};

/// `log(1 + eᵛ) = −log(1 − σ(v))`: the classic D's fake term.
pub const SOFTPLUS: Term = Term {
    tensor: softplus_t,
    host: softplus_sigmoid_f32,
};

/// `−log(1 + eᵛ) = log(1 − σ(v))`: the minimax G.
pub const NEG_SOFTPLUS: Term = Term {
    tensor: |v| softplus_t(v)?.neg(),
    host: |v| {
        let (sp, s) = softplus_sigmoid_f32(v);
        (-sp, -s)
    },
};

/// `v`.
pub const IDENTITY: Term = Term {
    tensor: |v| Ok(v.clone()),
    host: |v| (v, 1.0),
};

/// `−v`.
pub const NEGATION: Term = Term {
    tensor: |v| v.neg(),
    host: |v| (-v, -1.0),
};

/// `½(v − 1)²`.
pub const HALF_SQUARE_FROM_ONE: Term = Term {
    tensor: |v| (v - 1.0)?.sqr()? * 0.5,
    host: |v| (0.5 * (v - 1.0) * (v - 1.0), v - 1.0),
};

/// `½v²`.
pub const HALF_SQUARE: Term = Term {
    tensor: |v| v.sqr()? * 0.5,
    host: |v| (0.5 * v * v, v),
};

/// `relu(1 − v)`; the derivative at the kink is 0, as Candle's `relu` has it.
pub const HINGE_BELOW_ONE: Term = Term {
    tensor: |v| (1.0 - v)?.relu(),
    host: |v| {
        if 1.0 - v > 0.0 {
            (1.0 - v, -1.0)
        } else {
            (0.0, 0.0)
        }
    },
};

/// `relu(1 + v)`.
pub const HINGE_ABOVE_MINUS_ONE: Term = Term {
    tensor: |v| (v + 1.0)?.relu(),
    host: |v| {
        if 1.0 + v > 0.0 {
            (1.0 + v, 1.0)
        } else {
            (0.0, 0.0)
        }
    },
};
