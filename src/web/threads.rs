//! Threads in the page: only in the build with the `threads` feature (std rebuilt with
//! atomics, `scripts/build-variants.sh`). It exports wasm-bindgen-rayon's `initThreadPool`;
//! the worker (`www/worker.js`) loads this build only where the page is cross-origin
//! isolated, starts the pool, then tells the fused passes its size ([`use_thread_pool`]).

use wasm_bindgen::prelude::*;

pub use wasm_bindgen_rayon::init_thread_pool;

/// Lets the fused passes use the pool `initThreadPool(threads)` started
/// ([`crate::core::nn::matmul::set_web_pool`]); returns the threads they now use.
#[wasm_bindgen]
pub fn use_thread_pool(threads: usize) -> usize {
    crate::core::nn::matmul::set_web_pool(threads);
    crate::core::nn::matmul::threads()
}
