//! The native integration tests, one crate: each file a module, so Candle is linked into
//! one test binary instead of one per file. The wasm tests (`tests/wasm.rs`, run in
//! headless Chrome) and the CUDA tests (`tests/cuda.rs`, built with `--features cuda`)
//! are crates of their own because they build for another target or feature set.
#![cfg(not(target_arch = "wasm32"))]

// Every allocation of the test process is counted, for `memory`'s step estimate; the
// measuring test runs in a child process of its own so that no other test's
// allocations reach the count.
#[global_allocator]
static ALLOCATOR: gan_playground::cli::alloc_count::Counting =
    gan_playground::cli::alloc_count::Counting;

mod support;

mod architecture;
mod cli;
mod compare;
mod conditional_plane;
mod cures;
mod ebgan;
mod field;
mod fused;
mod fuzz_smoke;
mod games;
mod gradient_penalty;
mod history;
mod hostile;
mod kernels;
mod lessons;
mod losses;
mod memory;
mod metrics;
mod mnist;
mod mode_benchmark;
mod optim;
mod page_benchmark;
mod pretrained;
mod r1;
mod readers;
mod session;
mod train;
mod url_hash;
mod vae;
