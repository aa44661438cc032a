//! Matrix products on host slices, through the `gemm` crate: the same kernels Candle's CPU
//! backend calls (AVX2/AVX-512 natively, simd128 in wasm), without a tensor around them.
//! The fused MLP pass (`pass.rs`) writes its products into buffers it keeps
//! from step to step, which Candle's `matmul` cannot do: it returns a fresh tensor.

pub use super::mat::Mat;
use crate::core::error::{GanError, Result};
use gemm::Parallelism;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads in the page's pool: 1 until the web shell starts one (wasm threads,
/// `src/web/threads.rs`), which needs a cross-origin isolated page and the threaded build.
static WEB_POOL: AtomicUsize = AtomicUsize::new(1);

/// Records the size of the thread pool the web shell started (wasm-bindgen-rayon's), so
/// that [`parallelism`] and [`join`] use it; natively Candle's setting decides instead.
pub fn set_web_pool(threads: usize) {
    WEB_POOL.store(threads.max(1), Ordering::Relaxed);
}

/// The threads the products may use: natively Candle's own setting (`RAYON_NUM_THREADS`,
/// which the CLI sets to 1 for small networks); in wasm the pool the page started (one
/// without cross-origin isolation).
pub fn threads() -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    return candle_core::utils::get_num_threads();
    #[cfg(target_arch = "wasm32")]
    WEB_POOL.load(Ordering::Relaxed)
}

/// [`threads`] as `gemm` takes it, natively. In wasm every product stays on its thread:
/// measured in Chromium with a pool of two, `gemm`'s own threads took mnist-mlp from 145
/// to 95 it/s (waking a pool worker across Web Workers costs more than its products
/// take), while the convolutional pass's halves ([`join`]) took mnist-conv from 19 to 26.
pub fn parallelism() -> Parallelism {
    match threads() {
        n if n > 1 && cfg!(not(target_arch = "wasm32")) => Parallelism::Rayon(n),
        _ => Parallelism::None,
    }
}

/// Runs `a` and `b` on two threads where more than one is available ([`threads`]), else
/// one after the other. The convolutional pass splits its work this way, each half's
/// products on one thread: measured, `gemm`'s own threads gained nothing on its products
/// (34 it/s on one thread or two), while halves of independent work (two phases each, or
/// the weight and the input gradient) do.
pub fn join<RA: Send, RB: Send>(
    a: impl FnOnce() -> RA + Send,
    b: impl FnOnce() -> RB + Send,
) -> (RA, RB) {
    if threads() > 1 {
        return rayon::join(a, b);
    }
    (a(), b())
}

/// `dst = a·b`, `dst` resized to `a.rows × b.cols` first (the kept buffers of the fused
/// passes).
pub fn matmul_into(dst: &mut Vec<f32>, a: Mat, b: Mat, par: Parallelism) -> Result<()> {
    dst.resize(a.rows * b.cols, 0.0);
    matmul(dst, false, a, b, par)
}

/// `dst = a·b`, or `dst += a·b` when `accumulate`; `dst` is row-major `a.rows × b.cols`.
pub fn matmul(dst: &mut [f32], accumulate: bool, a: Mat, b: Mat, par: Parallelism) -> Result<()> {
    let (m, n, k) = (a.rows, b.cols, a.cols);
    if b.rows != k || dst.len() < m * n {
        return Err(GanError::InvalidData(format!(
            "matmul of {}×{} by {}×{} into {} values",
            a.rows,
            a.cols,
            b.rows,
            b.cols,
            dst.len()
        )));
    }
    if m == 0 || n == 0 {
        return Ok(());
    }
    if k == 0 {
        if !accumulate {
            dst[..m * n].fill(0.0);
        }
        return Ok(());
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    if super::fma::pays(m, n, k) {
        super::fma::matmul_fma(dst, accumulate, a, b);
        return Ok(());
    }
    // SAFETY: the constructors checked that every index `r·row_stride + c·col_stride`
    // with r < rows, c < cols lies inside its slice (transposing swaps both, so the
    // bound holds for either orientation), and `dst` holds `m·n` values, row-major.
    // The three slices are distinct borrows, so `dst` aliases neither operand.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.data.as_ptr(),
            a.col_stride as isize,
            a.row_stride as isize,
            b.data.as_ptr(),
            b.col_stride as isize,
            b.row_stride as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            par,
        );
    }
    Ok(())
}
