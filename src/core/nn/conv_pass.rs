//! The DCGAN pair's ([`super::conv`]) forward and backward passes written out on the CPU,
//! into buffers kept from step to step, as `pass.rs` does for MLPs: each convolution is
//! one `gemm` product over the whole batch on an unfolded input ([`super::im2col`]).
//!
//! Why not Candle's autograd: on this pair it allocated about 420 MB per iteration and
//! ran 9× slower than PyTorch. Its backward computes a kernel gradient as a convolution
//! with the output gradient as kernel, and the upsampling's backward as a grouped
//! convolution; here each is one product into a kept buffer.
//!
//! **Upsample-then-convolve as four small convolutions.** G's layers upsample ×2
//! (nearest) and convolve 3×3 (pad 1). An output pixel `(2i + a, 2j + b)` then reads only
//! input rows `i − 1 + a .. i + a` and columns `j − 1 + b .. j + b` of the low-resolution
//! map, each through a sum of 3×3 taps: for phase `a = 0` row `i − 1` gets tap 0 and row
//! `i` taps 1 + 2; for `a = 1` row `i` gets taps 0 + 1 and row `i + 1` tap 2 (the same for
//! columns). So each of the four phases `(a, b)` is a 2×2 convolution of the
//! low-resolution map with folded weights (Shi et al. 2016's sub-pixel view of the same
//! operator): 16 multiply-adds per channel pair and low-resolution pixel instead of
//! 36, and no upsampled map. The folded weights add taps before multiplying, a change of
//! summation order; `tests/fused.rs` holds the result to Candle's within 2e-5 per weight.
//!
//! Feature maps are `[C, N, H, W]` over the batch (see `im2col.rs`); the first map of G
//! and the last of D are transposed to and from the `[N, C·H·W]` rows of their dense
//! layers, which is Candle's `[N, C, H, W]` order.

use super::conv::{ConvCritic, ConvGenerator, SIDE};
use super::im2col::{col2im_add, im2col, im2col_rows, Window};
use super::matmul::{join, matmul, matmul_into, Mat};
use super::mlp::Activation;
use super::pass::{
    activate, dense_forward, dense_input_grad, dense_weight_grads, times_derivative, Grads,
    Scratch, Tape,
};
use crate::core::error::{GanError, Result};
use crate::core::tensor::HostRead;
use candle_core::Var;
use gemm::Parallelism;
use std::ops::Range;

/// The side of the smallest feature map (G's first, D's last).
const QUARTER: usize = SIDE / 4;

/// A layer's weight and bias, read-locked in place.
struct Layer<'a>(HostRead<'a>, HostRead<'a>);

impl<'a> Layer<'a> {
    fn new((w, b): &'a (Var, Var)) -> Result<Self> {
        Ok(Self(
            HostRead::new(w.as_tensor())?,
            HostRead::new(b.as_tensor())?,
        ))
    }

    fn get(&self) -> Result<(&[f32], &[f32])> {
        Ok((self.0.slice()?, self.1.slice()?))
    }
}

fn layers<'a>(vars: [&'a (Var, Var); 3]) -> Result<[Layer<'a>; 3]> {
    let [a, b, c] = vars;
    Ok([Layer::new(a)?, Layer::new(b)?, Layer::new(c)?])
}

/// The tape's slots, by name; the network's output is the last.
fn slots<const N: usize>(tape: &mut Tape, rows: usize) -> Result<&mut [Vec<f32>; N]> {
    tape.outs.resize_with(N, Vec::new);
    tape.rows = rows;
    <&mut [Vec<f32>; N]>::try_from(tape.outs.as_mut_slice())
        .map_err(|_| GanError::InvalidData("the convolutional tape has the wrong size".into()))
}

/// `[A, B, P]` → `[B, A, P]`: between the rows of a dense layer (`[N, C, H·W]`) and a
/// feature map over the batch (`[C, N, H·W]`), either way.
fn swap_outer(src: &[f32], (a, b, p): (usize, usize, usize), dst: &mut Vec<f32>) {
    dst.resize(a * b * p, 0.0);
    for (i, block) in src.chunks_exact(b * p).take(a).enumerate() {
        for (j, run) in block.chunks_exact(p).enumerate() {
            dst[(j * a + i) * p..][..p].copy_from_slice(run);
        }
    }
}

/// Adds `b[c]` to every value of channel `c` of a `[C, …]` map.
fn add_channel_bias(map: &mut [f32], b: &[f32]) {
    let per = map.len() / b.len().max(1);
    for (run, &bias) in map.chunks_exact_mut(per).zip(b) {
        run.iter_mut().for_each(|v| *v += bias);
    }
}

/// `db[c] = Σ δ` over channel `c` of a `[C, …]` map.
fn channel_sums(delta: &[f32], channels: usize, db: &mut Vec<f32>) {
    let per = delta.len() / channels.max(1);
    db.clear();
    db.extend(delta.chunks_exact(per).map(|run| run.iter().sum::<f32>()));
}

/// No threads inside a product: the pass splits its work in two with [`join`] instead.
const ONE: Parallelism = Parallelism::None;

/// Both results, the first error first.
fn both(r: (Result<()>, Result<()>)) -> Result<()> {
    r.0.and(r.1)
}

/// One `k×k` convolution from `[ci, N, H, W]` to `[co, N, Hₒ, Wₒ]`, its input unfolded
/// into `col`: each half of the unfolding and each half of the output channels on its
/// own thread.
fn conv_forward(
    win: &Window,
    co: usize,
    x: &[f32],
    (w, b): (&[f32], &[f32]),
    col: &mut Vec<f32>,
    out: &mut Vec<f32>,
) -> Result<()> {
    let (k, m) = (win.rows(), win.cols());
    col.resize(k * m, 0.0);
    let half = k / 2;
    let (top, bottom) = col.split_at_mut(half * m);
    both(join(
        || im2col_rows(x, win, 0..half, top),
        || im2col_rows(x, win, half..k, bottom),
    ))?;
    out.resize(co * m, 0.0);
    for (run, &bias) in out.chunks_exact_mut(m).zip(b) {
        run.fill(bias);
    }
    let split = co / 2;
    let (o1, o2) = out.split_at_mut(split * m);
    let (w1, w2) = w.split_at(split * k);
    let col = Mat::rows(col, k, m)?;
    both(join(
        || matmul(o1, true, Mat::rows(w1, split, k)?, col, ONE),
        || matmul(o2, true, Mat::rows(w2, co - split, k)?, col, ONE),
    ))
}

/// The backward of [`conv_forward`] from `δ` `[co, N·Hₒ·Wₒ]`: the weight gradients when
/// asked on one thread, `∂L/∂x` into `dx` when asked (through the unfolded gradient
/// `dcol`) on the other.
#[allow(clippy::too_many_arguments)]
fn conv_backward(
    win: &Window,
    co: usize,
    delta: &[f32],
    col: &[f32],
    w: &[f32],
    grads: Option<&mut (Vec<f32>, Vec<f32>)>,
    dx: Option<&mut Vec<f32>>,
    dcol: &mut Vec<f32>,
) -> Result<()> {
    let (k, m) = (win.rows(), win.cols());
    let delta_m = Mat::rows(delta, co, m)?;
    both(join(
        || {
            let Some((dw, db)) = grads else {
                return Ok(());
            };
            matmul_into(dw, delta_m, Mat::rows(col, k, m)?.t(), ONE)?;
            channel_sums(delta, co, db);
            Ok(())
        },
        || {
            let Some(dx) = dx else {
                return Ok(());
            };
            matmul_into(dcol, Mat::rows(w, co, k)?.t(), delta_m, ONE)?;
            dx.clear();
            dx.resize(win.input_len(), 0.0);
            col2im_add(dcol, win, dx)
        },
    ))
}

/// The four output phases `(a, b)` of a ×2 upsampling: output `(2i + a, 2j + b)`.
const PHASES: [(usize, usize); 4] = [(0, 0), (0, 1), (1, 0), (1, 1)];

/// The 3×3 taps that fold onto tap `t` of phase `a` (module comment).
fn folded(a: usize, t: usize) -> Range<usize> {
    if t == 0 {
        0..1 + a
    } else {
        1 + a..3
    }
}

/// `upsample ×2 (nearest) → conv 3×3, pad 1` from `[ci, N, h, w]` to `[co, N, 2h, 2w]`.
#[derive(Clone, Copy)]
struct UpConv {
    ci: usize,
    co: usize,
    n: usize,
    h: usize,
    w: usize,
}

impl UpConv {
    /// Phase `(a, b)` as a 2×2 convolution of the low-resolution map: output `(i, j)`
    /// reads rows `i − 1 + a, i + a` (module comment), i.e. padding `1 − a` above.
    fn window(&self, (a, b): (usize, usize)) -> Window {
        Window {
            c: self.ci,
            n: self.n,
            h: self.h,
            w: self.w,
            k: 2,
            stride: 1,
            pad_y: 1 - a,
            pad_x: 1 - b,
            oh: self.h,
            ow: self.w,
        }
    }

    /// `(rows, columns)` of one phase's unfolded input.
    fn unfolded(&self) -> (usize, usize) {
        (self.ci * 4, self.n * self.h * self.w)
    }

    fn out_len(&self) -> usize {
        self.co * self.n * 4 * self.h * self.w
    }

    /// The four phases' folded weights `[4][co, ci·4]` from `W` `[co, ci, 3, 3]`.
    fn fold(&self, w: &[f32], wc: &mut Vec<f32>) {
        let (ci, co) = (self.ci, self.co);
        wc.resize(4 * co * ci * 4, 0.0);
        for (p, &(a, b)) in PHASES.iter().enumerate() {
            for (oc, taps) in w.chunks_exact(9).take(co * ci).enumerate() {
                let dst = &mut wc[(p * co * ci + oc) * 4..][..4];
                for (t, d) in dst.iter_mut().enumerate() {
                    let (ty, tx) = (t / 2, t % 2);
                    *d = folded(a, ty)
                        .flat_map(|ky| folded(b, tx).map(move |kx| taps[ky * 3 + kx]))
                        .sum();
                }
            }
        }
    }

    /// The adjoint of [`UpConv::fold`] for phase `p`: adds `dwc` `[co, ci·4]` onto `dw`
    /// `[co, ci, 3, 3]` (each folded tap's gradient reaches every tap it sums).
    fn unfold_grad(&self, p: usize, dwc: &[f32], dw: &mut [f32]) {
        let (a, b) = PHASES[p];
        for (taps, folded_taps) in dw.chunks_exact_mut(9).zip(dwc.chunks_exact(4)) {
            for (t, &g) in folded_taps.iter().enumerate() {
                for ky in folded(a, t / 2) {
                    for kx in folded(b, t % 2) {
                        taps[ky * 3 + kx] += g;
                    }
                }
            }
        }
    }

    /// Runs over phase `(a, b)`'s pixels of a `[co, N, 2h, 2w]` map: `f(full, part)` for
    /// each one's index in the map and in the phase's `[co, N, h, w]`.
    fn each_pixel(&self, (a, b): (usize, usize), mut f: impl FnMut(usize, usize)) {
        let (h, w) = (self.h, self.w);
        for plane in 0..self.co * self.n {
            for i in 0..h {
                let full = (plane * 2 * h + 2 * i + a) * 2 * w + b;
                let part = (plane * h + i) * w;
                for j in 0..w {
                    f(full + 2 * j, part + j);
                }
            }
        }
    }

    /// Phase `p`'s product: its unfolded input into `col`, and `part` `[co, N·h·w]`.
    fn phase_forward(
        &self,
        p: usize,
        x: &[f32],
        wc: &[f32],
        col: &mut [f32],
        part: &mut [f32],
    ) -> Result<()> {
        let (k, m) = self.unfolded();
        im2col(x, &self.window(PHASES[p]), col)?;
        let wp = &wc[p * self.co * k..][..self.co * k];
        matmul(
            part,
            false,
            Mat::rows(wp, self.co, k)?,
            Mat::rows(col, k, m)?,
            ONE,
        )
    }

    /// Forward: `out` `[co, N, 2h, 2w]` (before the activation), the four phases'
    /// unfolded inputs in `cols`, their products in `parts` and their folded weights in
    /// `wc`; two phases on each thread.
    #[allow(clippy::too_many_arguments)]
    fn forward(
        &self,
        x: &[f32],
        (w, b): (&[f32], &[f32]),
        cols: &mut Vec<f32>,
        wc: &mut Vec<f32>,
        parts: &mut Vec<f32>,
        out: &mut Vec<f32>,
    ) -> Result<()> {
        self.fold(w, wc);
        let (k, m) = self.unfolded();
        let (col_len, part_len) = (k * m, self.co * m);
        cols.resize(4 * col_len, 0.0);
        parts.resize(4 * part_len, 0.0);
        let wc = wc.as_slice();
        let (c01, c23) = cols.split_at_mut(2 * col_len);
        let (p01, p23) = parts.split_at_mut(2 * part_len);
        let two = |first: usize, cols: &mut [f32], parts: &mut [f32]| -> Result<()> {
            let (c0, c1) = cols.split_at_mut(col_len);
            let (q0, q1) = parts.split_at_mut(part_len);
            self.phase_forward(first, x, wc, c0, q0)?;
            self.phase_forward(first + 1, x, wc, c1, q1)
        };
        both(join(|| two(0, c01, p01), || two(2, c23, p23)))?;
        out.resize(self.out_len(), 0.0);
        for (p, &phase) in PHASES.iter().enumerate() {
            let part = &parts[p * part_len..][..part_len];
            self.each_pixel(phase, |full, at| out[full] = part[at]);
        }
        add_channel_bias(out, b);
        Ok(())
    }

    /// Backward from `δ` `[co, N, 2h, 2w]` (after the activation's derivative): the
    /// weight gradients when asked on one thread, and `∂L/∂x` `[ci, N, h, w]` into `dx`
    /// when asked on the other.
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &self,
        delta: &[f32],
        cols: &[f32],
        wc: &[f32],
        grads: Option<&mut (Vec<f32>, Vec<f32>)>,
        dx: Option<&mut Vec<f32>>,
        (parts, dcol, dw_part): (&mut Vec<f32>, &mut Vec<f32>, &mut Vec<f32>),
    ) -> Result<()> {
        let (k, m) = self.unfolded();
        let co = self.co;
        let part_len = co * m;
        parts.resize(4 * part_len, 0.0);
        for (p, &phase) in PHASES.iter().enumerate() {
            let part = &mut parts[p * part_len..][..part_len];
            self.each_pixel(phase, |full, at| part[at] = delta[full]);
        }
        let parts = parts.as_slice();
        let part = |p: usize| Mat::rows(&parts[p * part_len..][..part_len], co, m);
        let col = |p: usize| Mat::rows(&cols[p * k * m..][..k * m], k, m);
        both(join(
            || {
                let Some((dw, db)) = grads else {
                    return Ok(());
                };
                dw.clear();
                dw.resize(co * self.ci * 9, 0.0);
                channel_sums(delta, co, db);
                for p in 0..PHASES.len() {
                    matmul_into(dw_part, part(p)?, col(p)?.t(), ONE)?;
                    self.unfold_grad(p, dw_part, dw);
                }
                Ok(())
            },
            || {
                let Some(dx) = dx else {
                    return Ok(());
                };
                dx.clear();
                dx.resize(self.ci * self.n * self.h * self.w, 0.0);
                for (p, &phase) in PHASES.iter().enumerate() {
                    let wp = &wc[p * co * k..][..co * k];
                    matmul_into(dcol, Mat::rows(wp, co, k)?.t(), part(p)?, ONE)?;
                    col2im_add(dcol, &self.window(phase), dx)?;
                }
                Ok(())
            },
        ))
    }
}

/// The generator's weights, read-locked in place for one pass.
pub struct GenWeights<'a> {
    layers: [Layer<'a>; 3],
    inputs: usize,
    channels: (usize, usize),
}

impl<'a> GenWeights<'a> {
    pub fn new(g: &'a ConvGenerator) -> Result<Self> {
        let [fc, _, _] = g.layers();
        Ok(Self {
            layers: layers(g.layers())?,
            inputs: fc.0.dim(1)?,
            channels: g.channels(),
        })
    }

    /// The two upsampling convolutions of a batch of `n`.
    fn up(&self, n: usize) -> (UpConv, UpConv) {
        let (c1, c2) = self.channels;
        let q = QUARTER;
        (
            UpConv {
                ci: c1,
                co: c2,
                n,
                h: q,
                w: q,
            },
            UpConv {
                ci: c2,
                co: 1,
                n,
                h: 2 * q,
                w: 2 * q,
            },
        )
    }

    /// `(rows, fan_in, fan_out)` of the dense layer.
    fn dense(&self, n: usize) -> (usize, usize, usize) {
        (n, self.inputs, self.channels.0 * QUARTER * QUARTER)
    }
}

/// G's tape: the dense layer's output `[N, C₁·7·7]`, its map `[C₁, N, 7, 7]`, layer 1's
/// unfolded phases and folded weights, its output `[C₂, N, 14, 14]`, the same for layer 2,
/// a phase's product, and the output `[N, 784]`.
const GEN_SLOTS: usize = 9;

/// Forward pass of G on `n` inputs `z` `[n, inputs]`.
pub fn gen_forward(w: &GenWeights, z: &[f32], n: usize, tape: &mut Tape) -> Result<()> {
    let [h0, map0, cols1, wc1, h1, cols2, wc2, part, out] = slots::<GEN_SLOTS>(tape, n)?;
    let (up1, up2) = w.up(n);
    let [fc, c1, c2] = &w.layers;
    let (fw, fb) = fc.get()?;
    dense_forward(z, w.dense(n), fw, fb, h0, ONE)?;
    activate(Activation::LeakyRelu, h0);
    swap_outer(h0, (n, w.channels.0, QUARTER * QUARTER), map0);
    up1.forward(map0, c1.get()?, cols1, wc1, part, h1)?;
    activate(Activation::LeakyRelu, h1);
    up2.forward(h1, c2.get()?, cols2, wc2, part, out)?;
    activate(Activation::Tanh, out);
    Ok(())
}

/// Backward pass of G from `∂L/∂output` `[n, 784]` of the last [`gen_forward`] on `z`.
pub fn gen_backward(
    w: &GenWeights,
    z: &[f32],
    tape: &Tape,
    d_out: &[f32],
    scratch: &mut Scratch,
    mut grads: Option<&mut Grads>,
    dx: Option<&mut Vec<f32>>,
) -> Result<()> {
    let n = tape.rows;
    let [h0, _, cols1, wc1, h1, cols2, wc2, _, out] =
        <&[Vec<f32>; GEN_SLOTS]>::try_from(tape.outs.as_slice()).map_err(|_| {
            GanError::InvalidData("G's backward pass needs its forward pass".into())
        })?;
    let (up1, up2) = w.up(n);
    let [fc, _, _] = &w.layers;
    if let Some(g) = grads.as_deref_mut() {
        g.layers.resize_with(3, Default::default);
    }
    let Scratch {
        delta,
        next,
        part,
        dcol,
        dw_part,
    } = scratch;
    delta.clear();
    delta.extend_from_slice(d_out);
    times_derivative(Activation::Tanh, delta, out);
    let tmp = (&mut *part, &mut *dcol, &mut *dw_part);
    let g2 = grads.as_deref_mut().map(|g| &mut g.layers[2]);
    up2.backward(delta, cols2, wc2, g2, Some(next), tmp)?;
    std::mem::swap(delta, next);
    times_derivative(Activation::LeakyRelu, delta, h1);
    let tmp = (&mut *part, &mut *dcol, &mut *dw_part);
    let g1 = grads.as_deref_mut().map(|g| &mut g.layers[1]);
    up1.backward(delta, cols1, wc1, g1, Some(next), tmp)?;
    swap_outer(next, (w.channels.0, n, QUARTER * QUARTER), delta);
    times_derivative(Activation::LeakyRelu, delta, h0);
    let dims = w.dense(n);
    if let Some(g) = grads {
        dense_weight_grads(delta, z, dims, &mut g.layers[0], ONE)?;
    }
    if let Some(dx) = dx {
        dense_input_grad(delta, fc.get()?.0, dims, dx, ONE)?;
    }
    Ok(())
}

/// The critic's weights, read-locked in place for one pass.
pub struct CriticWeights<'a> {
    layers: [Layer<'a>; 3],
    channels: (usize, usize),
}

impl<'a> CriticWeights<'a> {
    pub fn new(d: &'a ConvCritic) -> Result<Self> {
        let [c1, c2, _] = d.layers();
        Ok(Self {
            layers: layers(d.layers())?,
            channels: (c1.0.dim(0)?, c2.0.dim(0)?),
        })
    }

    /// The two strided convolutions of a batch of `n`: 28 → 14 → 7, 4×4, stride 2, pad 1.
    fn windows(&self, n: usize) -> (Window, Window) {
        let win = |c, side: usize| Window {
            c,
            n,
            h: side,
            w: side,
            k: 4,
            stride: 2,
            pad_y: 1,
            pad_x: 1,
            oh: side / 2,
            ow: side / 2,
        };
        (win(1, SIDE), win(self.channels.0, SIDE / 2))
    }

    /// `(rows, fan_in, fan_out)` of the dense layer.
    fn dense(&self, n: usize) -> (usize, usize, usize) {
        (n, self.channels.1 * QUARTER * QUARTER, 1)
    }
}

/// D's tape: layer 1's unfolded input and output `[C₁, N, 14, 14]`, layer 2's,
/// the features `[N, C₂·7·7]`, and `V(x)` `[N, 1]`.
const CRITIC_SLOTS: usize = 6;

/// Forward pass of D on `n` images `x` `[n, 784]` (which is `[1, N, 28, 28]`).
pub fn critic_forward(w: &CriticWeights, x: &[f32], n: usize, tape: &mut Tape) -> Result<()> {
    let [col1, h1, col2, h2, phi, v] = slots::<CRITIC_SLOTS>(tape, n)?;
    let (win1, win2) = w.windows(n);
    let (c1, c2) = w.channels;
    let [l1, l2, fc] = &w.layers;
    conv_forward(&win1, c1, x, l1.get()?, col1, h1)?;
    activate(Activation::LeakyRelu, h1);
    conv_forward(&win2, c2, h1, l2.get()?, col2, h2)?;
    activate(Activation::LeakyRelu, h2);
    swap_outer(h2, (c2, n, QUARTER * QUARTER), phi);
    let (wf, bf) = fc.get()?;
    dense_forward(phi, w.dense(n), wf, bf, v, ONE)
}

/// Backward pass of D from `∂L/∂V` `[n]` of the last [`critic_forward`] on `x`.
pub fn critic_backward(
    w: &CriticWeights,
    tape: &Tape,
    dv: &[f32],
    scratch: &mut Scratch,
    mut grads: Option<&mut Grads>,
    dx: Option<&mut Vec<f32>>,
) -> Result<()> {
    let n = tape.rows;
    let [col1, h1, col2, h2, phi, _] = <&[Vec<f32>; CRITIC_SLOTS]>::try_from(tape.outs.as_slice())
        .map_err(|_| GanError::InvalidData("D's backward pass needs its forward pass".into()))?;
    let (win1, win2) = w.windows(n);
    let (c1, c2) = w.channels;
    let [l1, l2, fc] = &w.layers;
    if let Some(g) = grads.as_deref_mut() {
        g.layers.resize_with(3, Default::default);
    }
    let Scratch {
        delta, next, dcol, ..
    } = scratch;
    let dims = w.dense(n);
    if let Some(g) = grads.as_deref_mut() {
        dense_weight_grads(dv, phi, dims, &mut g.layers[2], ONE)?;
    }
    dense_input_grad(dv, fc.get()?.0, dims, next, ONE)?;
    swap_outer(next, (n, c2, QUARTER * QUARTER), delta);
    times_derivative(Activation::LeakyRelu, delta, h2);
    let g2 = grads.as_deref_mut().map(|g| &mut g.layers[1]);
    conv_backward(&win2, c2, delta, col2, l2.get()?.0, g2, Some(next), dcol)?;
    std::mem::swap(delta, next);
    times_derivative(Activation::LeakyRelu, delta, h1);
    let g1 = grads.map(|g| &mut g.layers[0]);
    conv_backward(&win1, c1, delta, col1, l1.get()?.0, g1, dx, dcol)
}
