//! Threads in the page. The build with the `threads` feature (std rebuilt with atomics,
//! `scripts/build-variants.sh`) exports wasm-bindgen-rayon's `initThreadPool`; the worker
//! (`www/worker.js`) loads that build only where the page is cross-origin isolated, starts
//! the pool, then tells the fused passes its size through [`use_thread_pool`].

use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Whether this module was built with threads (the worker's check before it starts a pool).
#[wasm_bindgen]
pub fn threaded_build() -> bool {
    cfg!(feature = "threads")
}

/// Lets the fused passes' products use the pool `initThreadPool(threads)` started
/// ([`crate::core::nn::matmul::set_web_pool`]); a build without threads stays on one.
#[wasm_bindgen]
pub fn use_thread_pool(threads: usize) -> usize {
    let threads = if cfg!(feature = "threads") {
        threads.max(1)
    } else {
        1
    };
    crate::core::nn::matmul::set_web_pool(threads);
    threads
}
