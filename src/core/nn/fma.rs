//! Matrix products with relaxed SIMD's fused multiply-add, for the wasm builds compiled
//! with `relaxed-simd` (Chromium has run it since version 114). Written here because
//! `gemm` 0.19's simd128 kernels multiply and then add (`f32x4_add(c, f32x4_mul(a, b))`):
//! wasm's simd128 has no FMA, and `gemm` has no relaxed-SIMD kernel.
//!
//! Blocked as the classic GotoBLAS/BLIS scheme, sized for this project's layers
//! (m ≤ 256, n ≤ 1,568, k ≤ 784): B packed in panels of [`NR`] columns per k-block of
//! [`KC`], A in panels of [`MR`] rows, and a 4×8 micro-kernel holding its 32 sums in eight
//! registers. Each sum is still over `k` in order within a k-block, blocks added in order,
//! but each multiply-add rounds once, not twice.
//!
//! Elsewhere (natively, and in the plain wasm build) the same blocking runs with a scalar
//! kernel on `f32::mul_add`, so that the native tests (`kernels`) check the packing and
//! the blocking against the definition; `matmul.rs` calls it only in the relaxed-SIMD
//! build.
#![cfg_attr(
    not(all(target_arch = "wasm32", target_feature = "relaxed-simd")),
    allow(dead_code)
)]

use super::mat::Mat;
use std::cell::RefCell;

/// Rows of A per micro-panel.
const MR: usize = 4;
/// Columns of B per micro-panel (two `f32x4`).
const NR: usize = 8;
/// Depth of a k-block: a packed A panel (4 KiB) and a B panel (8 KiB) stay in L1.
const KC: usize = 256;

thread_local! {
    // The packing buffers, kept between products (one set per thread of the pool).
    static PACKS: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Whether a product gains from this kernel over `gemm`'s. Measured in Chromium
/// (`BENCHMARKS.md`, `bench_peak`): it wins on large products, mnist-mlp's among them;
/// where it took every product, its packing cost more than FMA saved on the 2D nets' thin
/// products (k = 2 or 32) and on the convolutions' (m = 16 or 32 output channels, B of
/// k = 12,544 packed for a few row panels), so those stay with `gemm`.
pub fn pays(m: usize, n: usize, k: usize) -> bool {
    m >= 64 && k >= 64 && n >= NR && m * n * k >= 1 << 18
}

/// `dst = a·b` (or `dst += a·b` when `accumulate`), `dst` row-major `a.rows × b.cols`.
/// The caller checked the shapes (as `matmul` does); the views' constructors checked that
/// every index lies in its slice.
pub fn matmul_fma(dst: &mut [f32], accumulate: bool, a: Mat, b: Mat) {
    let (m, n, k) = (a.rows, b.cols, a.cols);
    PACKS.with(|packs| {
        let (apack, bpack) = &mut *packs.borrow_mut();
        let panels = n.div_ceil(NR);
        for (block, p0) in (0..k).step_by(KC).enumerate() {
            let kc = KC.min(k - p0);
            pack_b(bpack, b, p0, kc, n, panels);
            let add = accumulate || block > 0;
            for i in (0..m).step_by(MR) {
                let rows = MR.min(m - i);
                pack_a(apack, a, i, rows, p0, kc);
                for jp in 0..panels {
                    let cols = NR.min(n - jp * NR);
                    let sums = kernel(&apack[..kc * MR], &bpack[jp * kc * NR..(jp + 1) * kc * NR]);
                    for (r, row) in sums.iter().enumerate().take(rows) {
                        let out = &mut dst[(i + r) * n + jp * NR..][..cols];
                        if add {
                            out.iter_mut().zip(row).for_each(|(o, s)| *o += s);
                        } else {
                            out.copy_from_slice(&row[..cols]);
                        }
                    }
                }
            }
        }
    });
}

/// B's rows `p0..p0 + kc` as `panels` panels of `kc × NR`, the columns past `n` zero.
fn pack_b(pack: &mut Vec<f32>, b: Mat, p0: usize, kc: usize, n: usize, panels: usize) {
    pack.clear();
    pack.resize(panels * kc * NR, 0.0);
    for (jp, panel) in pack.chunks_exact_mut(kc * NR).enumerate() {
        let cols = NR.min(n - jp * NR);
        for (p, row) in panel.chunks_exact_mut(NR).enumerate() {
            let base = (p0 + p) * b.row_stride + jp * NR * b.col_stride;
            for (c, v) in row.iter_mut().enumerate().take(cols) {
                *v = b.data[base + c * b.col_stride];
            }
        }
    }
}

/// A's rows `i..i + rows`, columns `p0..p0 + kc`, as `kc × MR` (rows past `rows` zero).
fn pack_a(pack: &mut Vec<f32>, a: Mat, i: usize, rows: usize, p0: usize, kc: usize) {
    pack.clear();
    pack.resize(kc * MR, 0.0);
    for r in 0..rows {
        let base = (i + r) * a.row_stride + p0 * a.col_stride;
        for p in 0..kc {
            pack[p * MR + r] = a.data[base + p * a.col_stride];
        }
    }
}

/// The 4×8 block of sums over one k-block of packed panels: eight `f32x4` sums, each
/// step a relaxed multiply-add (fused where the machine has FMA, as x86-64 with AVX2 and
/// every arm64 core do).
#[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
#[inline(always)]
fn kernel(a: &[f32], b: &[f32]) -> [[f32; NR]; MR] {
    use core::arch::wasm32::*;
    let mut acc = [[f32x4_splat(0.0); 2]; MR];
    for (ap, bp) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        // SAFETY: `chunks_exact` gives 8 values in `bp`: two unaligned 16-byte loads.
        let (b0, b1) = unsafe {
            (
                v128_load(bp.as_ptr() as *const v128),
                v128_load(bp.as_ptr().add(4) as *const v128),
            )
        };
        for (row, &x) in acc.iter_mut().zip(ap) {
            let x = f32x4_splat(x);
            row[0] = f32x4_relaxed_madd(x, b0, row[0]);
            row[1] = f32x4_relaxed_madd(x, b1, row[1]);
        }
    }
    let mut out = [[0.0; NR]; MR];
    for (o, row) in out.iter_mut().zip(&acc) {
        // SAFETY: `o` holds 8 f32: two unaligned 16-byte stores.
        unsafe {
            v128_store(o.as_mut_ptr() as *mut v128, row[0]);
            v128_store(o.as_mut_ptr().add(4) as *mut v128, row[1]);
        }
    }
    out
}

/// The same sums, one fused multiply-add at a time.
#[cfg(not(all(target_arch = "wasm32", target_feature = "relaxed-simd")))]
fn kernel(a: &[f32], b: &[f32]) -> [[f32; NR]; MR] {
    let mut out = [[0.0f32; NR]; MR];
    for (ap, bp) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for (row, &x) in out.iter_mut().zip(ap) {
            for (o, &y) in row.iter_mut().zip(bp) {
                *o = x.mul_add(y, *o);
            }
        }
    }
    out
}
