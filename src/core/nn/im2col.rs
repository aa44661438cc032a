//! The unfolding that turns a convolution into one matrix product (im2col), and its
//! adjoint (col2im), on host slices for the fused convolutional pass (`conv_pass.rs`).
//!
//! Feature maps are stored channel-major over the whole batch, `[C, N, H, W]` ("CNHW"):
//! a convolution is then a single product `out [Cₒ, N·Hₒ·Wₒ] = W [Cₒ, C·k²] ·
//! col [C·k², N·Hₒ·Wₒ]` whose result is already the next layer's `[Cₒ, N, Hₒ, Wₒ]` input,
//! with no per-sample loop and no transpose between layers. Candle has no in-place
//! im2col into a kept buffer (its CPU `conv2d` tiles fresh ones each call), hence this.

use crate::core::error::{GanError, Result};
use std::ops::Range;

/// Where a `k×k` window reads: output `(oy, ox)` and tap `(ky, kx)` read input row
/// `oy·stride + ky − pad_y` and column `ox·stride + kx − pad_x`, zero outside the map.
/// `pad_y` and `pad_x` are separate because the sub-pixel phases of an upsampling
/// convolution pad one side only (`conv_pass.rs`).
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Input channels.
    pub c: usize,
    /// Batch.
    pub n: usize,
    pub h: usize,
    pub w: usize,
    pub k: usize,
    pub stride: usize,
    pub pad_y: usize,
    pub pad_x: usize,
    pub oh: usize,
    pub ow: usize,
}

impl Window {
    /// Rows of the unfolded matrix: `C·k²`, ordered `(c, ky, kx)` as Candle's weights.
    pub fn rows(&self) -> usize {
        self.c * self.k * self.k
    }

    /// Columns of the unfolded matrix: `N·Hₒ·Wₒ`, ordered `(n, oy, ox)`.
    pub fn cols(&self) -> usize {
        self.n * self.oh * self.ow
    }

    /// Values of the input map `[C, N, H, W]`.
    pub fn input_len(&self) -> usize {
        self.c * self.n * self.h * self.w
    }
}

/// The outputs `o < len` whose input index `o·stride + tap − pad` lies in `0..size`, as a
/// range: outside it the window reads the zero padding.
fn valid(len: usize, stride: usize, tap: usize, pad: usize, size: usize) -> (usize, usize) {
    // o·stride + tap ≥ pad  ⇔  o ≥ ⌈(pad − tap) / stride⌉
    let lo = pad.saturating_sub(tap).div_ceil(stride);
    // o·stride + tap − pad ≤ size − 1  ⇔  o ≤ ⌊(size − 1 + pad − tap) / stride⌋
    let hi = match (size + pad).checked_sub(tap + 1) {
        Some(top) => (top / stride + 1).min(len),
        None => 0,
    };
    (lo.min(hi), hi)
}

/// Visits every `(row of col, input row)` pair of one tap: `f(dst, src, lo, hi, first)`
/// gets the `ow` outputs of one output row and the input row they read (`None` where the
/// whole row is padding), the valid outputs `lo..hi`, and the input column of output
/// `lo`. One walk serves both directions, so they cannot disagree on the geometry.
fn walk<F>(win: &Window, rows: Range<usize>, mut f: F)
where
    F: FnMut(usize, Option<usize>, (usize, usize), usize),
{
    let Window {
        c,
        n,
        h,
        w,
        k,
        stride,
        pad_y,
        pad_x,
        oh,
        ow,
    } = *win;
    let cols = win.cols();
    for ci in 0..c {
        for ky in 0..k {
            let (y_lo, y_hi) = valid(oh, stride, ky, pad_y, h);
            for kx in 0..k {
                let row = (ci * k + ky) * k + kx;
                if !rows.contains(&row) {
                    continue;
                }
                let row = row - rows.start;
                let (x_lo, x_hi) = valid(ow, stride, kx, pad_x, w);
                let first = (x_lo * stride + kx).saturating_sub(pad_x);
                for ni in 0..n {
                    let plane = (ci * n + ni) * h * w;
                    for oy in 0..oh {
                        let dst = row * cols + (ni * oh + oy) * ow;
                        let src = (y_lo..y_hi)
                            .contains(&oy)
                            .then(|| plane + (oy * stride + ky - pad_y) * w);
                        f(dst, src, (x_lo, x_hi), first);
                    }
                }
            }
        }
    }
}

/// Whether every output map has its input's size at stride 1 (the sub-pixel phases of
/// `conv_pass.rs`). Then a tap's unfolded row is the channel's whole `[N, H, W]` block
/// shifted by `dy·w + dx` in flat order: one contiguous copy, then zeroing the reads that
/// left their own row or sample. Plane by plane, or row by row, the calls on 7- and
/// 14-wide maps cost more than the products the unfolding feeds.
fn same_size(win: &Window) -> bool {
    win.stride == 1 && win.oh == win.h && win.ow == win.w
}

/// Visits every row of col of a [`same_size`] window: `f(dst, src, dy, dx)` gets where
/// the row starts in `col`, where its channel starts in `x`, and the tap's shift.
fn walk_channels(win: &Window, rows: Range<usize>, mut f: impl FnMut(usize, usize, isize, isize)) {
    let (len, k) = (win.n * win.h * win.w, win.k);
    for ci in 0..win.c {
        for ky in 0..k {
            let dy = ky as isize - win.pad_y as isize;
            for kx in 0..k {
                let dx = kx as isize - win.pad_x as isize;
                let row = (ci * k + ky) * k + kx;
                if rows.contains(&row) {
                    f((row - rows.start) * len, ci * len, dy, dx);
                }
            }
        }
    }
}

/// The outputs `lo..hi` of a flat block of `len` whose shifted read `o + s` lies inside
/// it.
fn flat_range(len: usize, s: isize) -> (usize, usize) {
    let lo = (-s).clamp(0, len as isize) as usize;
    let hi = (len as isize - s).clamp(lo as isize, len as isize) as usize;
    (lo, hi)
}

/// Zeroes, in a row of col laid out `[N, H, W]`, the values whose read `(oy + dy, ox + dx)`
/// falls outside their own sample's map: a flat shift reads those from a neighbouring
/// row or sample instead of the padding.
fn zero_padding_reads(row: &mut [f32], (h, w): (usize, usize), dy: isize, dx: isize) {
    let (rows, wrap) = (dy.unsigned_abs().min(h), dx.unsigned_abs().min(w));
    let start = if dx < 0 { 0 } else { w - wrap };
    for plane in row.chunks_exact_mut(h * w) {
        if dy < 0 {
            plane[..rows * w].fill(0.0);
        } else if dy > 0 {
            plane[(h - rows) * w..].fill(0.0);
        }
        if wrap == 0 {
            continue;
        }
        for line in plane.chunks_exact_mut(w) {
            // A single store where the window is 2 or 3 wide: `fill` would be a call.
            if wrap == 1 {
                line[start] = 0.0;
            } else {
                line[start..start + wrap].fill(0.0);
            }
        }
    }
}

/// A one-line error unless `x` holds the input map and `col` the unfolded matrix's `rows`.
fn check(win: &Window, x: usize, col: usize, rows: &Range<usize>) -> Result<()> {
    if x < win.input_len() || col < rows.len() * win.cols() || rows.end > win.rows() {
        return Err(GanError::InvalidData(format!(
            "a {}×{} window over {} maps of {}×{} needs {} inputs and {} unfolded values, got {x} and {col}",
            win.k,
            win.k,
            win.c * win.n,
            win.h,
            win.w,
            win.input_len(),
            win.rows() * win.cols()
        )));
    }
    Ok(())
}

/// Unfolds `x` `[C, N, H, W]` into `col` `[C·k², N·Hₒ·Wₒ]`; every value of `col` is written.
pub fn im2col(x: &[f32], win: &Window, col: &mut [f32]) -> Result<()> {
    im2col_rows(x, win, 0..win.rows(), col)
}

/// [`im2col`]'s `rows` alone, into `col` `[rows.len(), N·Hₒ·Wₒ]` (so that two threads
/// can each unfold half).
pub fn im2col_rows(x: &[f32], win: &Window, rows: Range<usize>, col: &mut [f32]) -> Result<()> {
    check(win, x.len(), col.len(), &rows)?;
    if same_size(win) {
        let (len, hw) = (win.n * win.h * win.w, (win.h, win.w));
        walk_channels(win, rows, |dst, channel, dy, dx| {
            let out = &mut col[dst..dst + len];
            let s = dy * win.w as isize + dx;
            let (lo, hi) = flat_range(len, s);
            out[..lo].fill(0.0);
            out[hi..].fill(0.0);
            let from = (channel + lo).wrapping_add_signed(s);
            out[lo..hi].copy_from_slice(&x[from..from + (hi - lo)]);
            zero_padding_reads(out, hw, dy, dx);
        });
        return Ok(());
    }
    let (ow, stride) = (win.ow, win.stride);
    walk(win, rows, |dst, src, (lo, hi), first| {
        let out = &mut col[dst..dst + ow];
        let Some(src) = src else {
            out.fill(0.0);
            return;
        };
        out[..lo].fill(0.0);
        out[hi..].fill(0.0);
        if lo == hi {
            return;
        }
        let valid = &mut out[lo..hi];
        if stride == 1 {
            valid.copy_from_slice(&x[src + first..src + first + valid.len()]);
        } else {
            let row = &x[src + first..];
            for (i, v) in valid.iter_mut().enumerate() {
                *v = row[i * stride];
            }
        }
    });
    Ok(())
}

/// The adjoint of [`im2col`]: adds each value of `col` `[C·k², N·Hₒ·Wₒ]` into the input
/// position it was read from, so `dx += col2im(dcol)` is the input gradient. The values
/// of `col` that read padding go nowhere; a [`same_size`] window zeroes them in `col`
/// on the way (so that its rows can be added as flat runs).
pub fn col2im_add(col: &mut [f32], win: &Window, dx: &mut [f32]) -> Result<()> {
    let rows = 0..win.rows();
    check(win, dx.len(), col.len(), &rows)?;
    if same_size(win) {
        let (len, hw) = (win.n * win.h * win.w, (win.h, win.w));
        walk_channels(win, rows, |dst, channel, dy, dx_shift| {
            let from = &mut col[dst..dst + len];
            zero_padding_reads(from, hw, dy, dx_shift);
            let s = dy * win.w as isize + dx_shift;
            let (lo, hi) = flat_range(len, s);
            let at = (channel + lo).wrapping_add_signed(s);
            let to = &mut dx[at..at + (hi - lo)];
            to.iter_mut().zip(&from[lo..hi]).for_each(|(t, f)| *t += f);
        });
        return Ok(());
    }
    let stride = win.stride;
    walk(win, rows, |dst, src, (lo, hi), first| {
        let Some(src) = src.filter(|_| lo < hi) else {
            return;
        };
        let from = &col[dst + lo..dst + hi];
        if stride == 1 {
            let to = &mut dx[src + first..src + first + from.len()];
            to.iter_mut().zip(from).for_each(|(t, f)| *t += f);
        } else {
            let row = &mut dx[src + first..];
            for (i, f) in from.iter().enumerate() {
                row[i * stride] += f;
            }
        }
    });
    Ok(())
}
