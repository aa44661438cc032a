//! gan-playground: small GANs trained live in the browser and natively, on one
//! target-agnostic Candle core.
//!
//! - [`core`]: data, networks, losses, trainer, metrics and drawing grids. Pure Candle,
//!   no browser and no file system, so the same code runs natively and in wasm.
//! - `web` (wasm32 only): the wasm-bindgen shell that drives the page.
//! - `cli` (native only): the command-line shell (`gan-playground train ...`).

pub mod charts;
pub mod core;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;
