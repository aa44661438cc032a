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

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
        let mut out = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                out[i * n + j] = (0..k).map(|l| a[i * k + l] * b[l * n + j]).sum();
            }
        }
        out
    }

    #[test]
    fn products_and_transposes_match_the_definition() {
        let (m, k, n) = (5, 7, 3);
        let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.91).cos()).collect();
        let want = naive(&a, &b, m, k, n);
        let mut got = vec![1.0; m * n];
        matmul(
            &mut got,
            false,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&b, k, n).unwrap(),
            Parallelism::None,
        )
        .unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-5, "{g} vs {w}");
        }
        // bᵀ stored as its own row-major matrix, read back through a transposed view;
        // and accumulation adds to what is there.
        let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        matmul(
            &mut got,
            true,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&bt, n, k).unwrap().t(),
            Parallelism::None,
        )
        .unwrap();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - 2.0 * w).abs() < 1e-5, "{g} vs {}", 2.0 * w);
        }
        assert!(matmul(
            &mut got,
            false,
            Mat::rows(&a, m, k).unwrap(),
            Mat::rows(&a, m, k).unwrap(),
            Parallelism::None
        )
        .is_err());
        assert!(Mat::rows(&a, m, k + 1).is_err());
    }
}
