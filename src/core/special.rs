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

/// `tanh` in f32 as a rational function (Eigen's `generic_fast_tanh_float`, the form
/// TensorFlow's CPU kernels use): a degree-13/6 odd/even ratio on `[−7.9, 7.9]`, where
/// the f32 `tanh` is within an ulp of ±1 outside. Within 4e-7 of the exact value (tested).
/// Written here because `f32::tanh` is a libm call per value that the compiler cannot
/// vectorise: on a 64 × 784 MNIST batch it was most of G's forward pass.
#[inline]
pub fn tanh_f32(x: f32) -> f32 {
    const CLAMP: f32 = 7.905_311;
    const A: [f32; 7] = [
        4.893_524_6e-3,
        6.372_619_3e-4,
        1.485_722_4e-5,
        5.122_297e-8,
        -8.604_672e-11,
        2.000_188e-13,
        -2.760_768_5e-16,
    ];
    const B: [f32; 4] = [4.893_525e-3, 2.268_434_7e-3, 1.185_347_1e-4, 1.198_258_4e-6];
    let x = x.clamp(-CLAMP, CLAMP);
    let x2 = x * x;
    let mut p = A[6];
    for a in A[..6].iter().rev() {
        p = p * x2 + a;
    }
    let q = ((B[3] * x2 + B[2]) * x2 + B[1]) * x2 + B[0];
    x * p / q
}

/// `(softplus(x), σ(x))` in f32 from one exponential and one logarithm: the fused step's
/// classic-loss terms need both per value, and in wasm each libm call is a software
/// routine (this halved the loss's share of the 2D step there).
#[inline]
pub fn softplus_sigmoid_f32(x: f32) -> (f32, f32) {
    let e = (-x.abs()).exp();
    let softplus = x.max(0.0) + e.ln_1p();
    let sigmoid = if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    };
    (softplus, sigmoid)
}
