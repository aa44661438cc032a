//! An MLP's forward and backward pass written out by hand on the CPU, into buffers kept
//! from step to step: one matrix product per layer and direction, with the bias and the
//! activation fused into the pass over its output.
//!
//! Why not Candle's autograd here: for the playground's small networks its per-op cost is
//! the whole cost. Recording `x Wᵀ + b` and an activation makes 3–4 graph nodes per layer;
//! the backward pass then allocates a zero tensor per node to accumulate into, a fresh
//! tensor for every partial gradient, and computes gradients nobody asked for (D's
//! weights during G's step, D's input during its own). BENCHMARKS.md counts 3,555 heap
//! allocations per 2D iteration that way. This pass allocates nothing once its buffers
//! have grown, and computes only the gradients the step needs. It reads the weights in
//! place (Candle's `storage_and_layout`), and the optimiser writes them in place
//! (`optim.rs`), so the networks stay ordinary Candle `Var`s for everything else:
//! drawing, saving, the gradient penalty, CUDA.

use crate::core::error::Result;
use crate::core::nn::matmul::{matmul, matmul_into, parallelism, Mat};
use crate::core::nn::mlp::{Activation, Mlp, MlpSpec, LEAKY_SLOPE};
use crate::core::special::tanh_f32;
use crate::core::tensor::HostRead;
use gemm::Parallelism;

/// An MLP's weights, read-locked in place for one pass.
pub struct Weights<'a> {
    spec: MlpSpec,
    /// `(W [out, in], b [out])` per layer.
    layers: Vec<(HostRead<'a>, HostRead<'a>)>,
}

impl<'a> Weights<'a> {
    pub fn new(mlp: &'a Mlp) -> Result<Self> {
        let layers = mlp
            .layer_vars()
            .iter()
            .map(|(w, b)| Ok((HostRead::new(w.as_tensor())?, HostRead::new(b.as_tensor())?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            spec: mlp.spec(),
            layers,
        })
    }

    fn layer(&self, i: usize) -> Result<(&[f32], &[f32])> {
        let (w, b) = &self.layers[i];
        Ok((w.slice()?, b.slice()?))
    }
}

/// The outputs of every layer of the last forward pass (after the activation), which
/// is all the backward pass needs: each activation's derivative is a function of its
/// output (`relu'`, `leaky'` from the sign, `tanh' = 1 − h²`).
#[derive(Default)]
pub struct Tape {
    /// Each layer's output; a convolutional pass (`conv_pass.rs`) keeps its unfolded
    /// inputs here too, with the network's output last.
    pub(super) outs: Vec<Vec<f32>>,
    pub(super) rows: usize,
}

impl Tape {
    /// The network's output `[rows, output]` of the last forward pass.
    pub fn output(&self) -> &[f32] {
        self.outs.last().map_or(&[], |v| v.as_slice())
    }
}

/// Weight and bias gradients of every layer, in the layout of the weights.
#[derive(Default)]
pub struct Grads {
    pub layers: Vec<(Vec<f32>, Vec<f32>)>,
}

impl Grads {
    /// `[dW₀, db₀, dW₁, db₁, …]`, the order of [`Mlp::vars`].
    pub fn slices(&self) -> Vec<&[f32]> {
        self.layers
            .iter()
            .flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
            .collect()
    }
}

/// Scratch space of the backward pass.
#[derive(Default)]
pub struct Scratch {
    pub(super) delta: Vec<f32>,
    pub(super) next: Vec<f32>,
    /// The convolutional pass's: one sub-pixel phase of a gradient map, an unfolded
    /// gradient, and a phase's weight gradient.
    pub(super) part: Vec<f32>,
    pub(super) dcol: Vec<f32>,
    pub(super) dw_part: Vec<f32>,
}

/// Forward pass of `rows` inputs `x` `[rows, input]`, keeping every layer's output.
pub fn forward(w: &Weights, x: &[f32], rows: usize, tape: &mut Tape) -> Result<()> {
    let spec = w.spec;
    let dims = spec.dims();
    tape.outs.resize_with(dims.len(), Vec::new);
    tape.rows = rows;
    let par = parallelism();
    for (i, &(fan_in, fan_out)) in dims.iter().enumerate() {
        let (done, rest) = tape.outs.split_at_mut(i);
        let input = if i == 0 { x } else { done[i - 1].as_slice() };
        let out = &mut rest[0];
        let (wt, b) = w.layer(i)?;
        dense_forward(input, (rows, fan_in, fan_out), wt, b, out, par)?;
        let last = i + 1 == dims.len();
        match (last, spec.output_tanh) {
            (false, _) => activate(spec.activation, out),
            (true, true) => activate(Activation::Tanh, out),
            (true, false) => {}
        }
    }
    Ok(())
}

/// `out = input·Wᵀ + b` for `rows` inputs `[rows, fan_in]`, `W` `[fan_out, fan_in]`.
pub(super) fn dense_forward(
    input: &[f32],
    (rows, fan_in, fan_out): (usize, usize, usize),
    w: &[f32],
    b: &[f32],
    out: &mut Vec<f32>,
    par: Parallelism,
) -> Result<()> {
    out.resize(rows * fan_out, 0.0);
    for row in out.chunks_exact_mut(fan_out) {
        row.copy_from_slice(b);
    }
    matmul(
        out,
        true,
        Mat::rows(input, rows, fan_in)?,
        Mat::rows(w, fan_out, fan_in)?.t(),
        par,
    )
}

/// `dW = δᵀ·input` and `db = Σ_rows δ` of a dense layer, from `δ` `[rows, fan_out]`.
pub(super) fn dense_weight_grads(
    delta: &[f32],
    input: &[f32],
    (rows, fan_in, fan_out): (usize, usize, usize),
    (dw, db): &mut (Vec<f32>, Vec<f32>),
    par: Parallelism,
) -> Result<()> {
    matmul_into(
        dw,
        Mat::rows(delta, rows, fan_out)?.t(),
        Mat::rows(input, rows, fan_in)?,
        par,
    )?;
    db.clear();
    db.resize(fan_out, 0.0);
    for row in delta.chunks_exact(fan_out) {
        db.iter_mut().zip(row).for_each(|(s, d)| *s += d);
    }
    Ok(())
}

/// `∂L/∂input = δ·W` of a dense layer into `next` `[rows, fan_in]`.
pub(super) fn dense_input_grad(
    delta: &[f32],
    w: &[f32],
    (rows, fan_in, fan_out): (usize, usize, usize),
    next: &mut Vec<f32>,
    par: Parallelism,
) -> Result<()> {
    matmul_into(
        next,
        Mat::rows(delta, rows, fan_out)?,
        Mat::rows(w, fan_out, fan_in)?,
        par,
    )
}

// Selects rather than `f32::max`: Rust's `max` ignores NaN, which wasm has no instruction
// for, so it was not vectorised there; a select is (f32x4 compare and bitselect).
pub(super) fn activate(act: Activation, v: &mut [f32]) {
    let slope = LEAKY_SLOPE as f32;
    match act {
        Activation::Relu => v
            .iter_mut()
            .for_each(|x| *x = if *x > 0.0 { *x } else { 0.0 }),
        Activation::LeakyRelu => v
            .iter_mut()
            .for_each(|x| *x = if *x > 0.0 { *x } else { *x * slope }),
        Activation::Tanh => v.iter_mut().for_each(|x| *x = tanh_f32(*x)),
    }
}

/// `δ ⊙ σ'`, with `σ'` read off the activation's output `h`.
pub(super) fn times_derivative(act: Activation, delta: &mut [f32], h: &[f32]) {
    let it = delta.iter_mut().zip(h);
    let slope = LEAKY_SLOPE as f32;
    match act {
        Activation::Relu => it.for_each(|(d, &h)| *d = if h > 0.0 { *d } else { 0.0 }),
        Activation::LeakyRelu => it.for_each(|(d, &h)| *d = if h > 0.0 { *d } else { *d * slope }),
        Activation::Tanh => it.for_each(|(d, &h)| *d *= 1.0 - h * h),
    }
}

/// Backward pass from `dL/d(output)` `[rows, output]` of the last [`forward`] on `x`.
/// Writes the weight gradients into `grads` when given, and `dL/dx` into `dx` when
/// given; nothing else is computed (no input gradient of the first layer unless asked).
pub fn backward(
    w: &Weights,
    x: &[f32],
    tape: &Tape,
    d_out: &[f32],
    scratch: &mut Scratch,
    mut grads: Option<&mut Grads>,
    dx: Option<&mut Vec<f32>>,
) -> Result<()> {
    let spec = w.spec;
    let dims = spec.dims();
    let rows = tape.rows;
    let par = parallelism();
    if let Some(g) = grads.as_deref_mut() {
        g.layers.resize_with(dims.len(), Default::default);
    }
    let want_dx = dx.is_some();
    let delta = &mut scratch.delta;
    delta.clear();
    delta.extend_from_slice(d_out);
    for (i, &(fan_in, fan_out)) in dims.iter().enumerate().rev() {
        let h = &tape.outs[i];
        if i + 1 == dims.len() {
            if spec.output_tanh {
                times_derivative(Activation::Tanh, delta, h);
            }
        } else {
            times_derivative(spec.activation, delta, h);
        }
        let input = if i == 0 {
            x
        } else {
            tape.outs[i - 1].as_slice()
        };
        let (wt, _) = w.layer(i)?;
        let dims = (rows, fan_in, fan_out);
        if let Some(g) = grads.as_deref_mut() {
            dense_weight_grads(delta, input, dims, &mut g.layers[i], par)?;
        }
        if i > 0 || want_dx {
            dense_input_grad(delta, wt, dims, &mut scratch.next, par)?;
            std::mem::swap(delta, &mut scratch.next);
        }
    }
    if let Some(dx) = dx {
        dx.clear();
        dx.extend_from_slice(delta);
    }
    Ok(())
}
