//! Scalar special functions Candle does not have.

/// `log(1 + eˣ)` without overflow: `max(x, 0) + log(1 + e^{−|x|})`.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// Principal branch of Lambert W evaluated at `e^y`, i.e. the `w > 0` with
/// `w + ln w = y`. Working with `y` instead of `z = e^y` avoids overflow for large `y`
/// (Jeffrey's conjugate needs `W(e^{1−t})` for any `t`). Newton's method on
/// `h(l) = eˡ + l − y` in `l = ln w`: `h` is convex and increasing, so the iteration
/// converges from any start; it is written by hand because Candle has no Lambert W.
pub fn lambert_w_of_exp(y: f64) -> f64 {
    let mut l = if y > 1.0 { y.ln() } else { y };
    for _ in 0..100 {
        let e = l.exp();
        let step = (e + l - y) / (e + 1.0);
        l -= step;
        if step.abs() <= 1e-15 * l.abs().max(1.0) {
            break;
        }
    }
    l.exp()
}

use candle_core::Tensor;

/// Elementwise `log(1 + eˣ)` in the stable form `relu(x) + log(1 + e^{−|x|})`; Candle has
/// no softplus, and `log(sigmoid(x))` overflows to `−inf` when `x` saturates.
pub fn softplus_t(x: &Tensor) -> candle_core::Result<Tensor> {
    x.relu()? + (x.abs()?.neg()?.exp()? + 1.0)?.log()?
}
