//! The browser shell (wasm32 only), in two halves that load the same module:
//! - [`worker`]: runs in a Web Worker (`www/worker.js`) and owns the training session;
//!   it posts what to paint as transferable typed arrays;
//! - [`paint`]: runs on the page's thread and paints those arrays on canvases;
//!
//! and [`mode_benchmark`], the mode-collapse benchmark, run in a worker of its own
//! (`www/mode-benchmark-worker.js`) beside the training one; [`catalog`] lists the sessions and
//! layers for both; [`speed_bench`] times a configuration of the speed benchmark.
//!
//! Every entry point returns a `Result` whose error is a one-line message; a panic hook
//! turns any remaining panic into a visible message instead of a silently dead page.

pub mod catalog;
pub mod draw;
pub mod mode_benchmark;
mod named;
pub mod paint;
pub mod speed_bench;
#[cfg(feature = "threads")]
pub mod threads;
pub mod worker;

use wasm_bindgen::prelude::*;

pub(crate) fn js_err<E: std::fmt::Display>(e: E) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// Milliseconds from the global scope's `performance.now()`, on the page or in a worker
/// (`std::time::Instant` panics on wasm32).
pub(crate) fn now_ms() -> f64 {
    thread_local! {
        // Looked up once: the training loop reads the clock after every phase.
        static PERFORMANCE: Option<web_sys::Performance> =
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
                .ok()
                .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
    }
    PERFORMANCE.with(|p| p.as_ref().map_or(0.0, |p| p.now()))
}

/// A number as the page shows it ([`crate::core::format::human_number`]).
#[wasm_bindgen]
pub fn format_number(v: f64, digits: usize) -> String {
    crate::core::format::human_number(v, digits)
}

/// The TTUR preset's learning rates `[lr_D, lr_G]` ([`crate::core::game::TTUR`]), for
/// the page's TTUR button.
#[wasm_bindgen]
pub fn ttur_rates() -> Vec<f64> {
    let (d, g) = crate::core::game::TTUR;
    vec![d, g]
}

/// Every lesson (`core::lesson`) as JSON: id, title, claim, formula, seed, setup, watch
/// and link, for the page's lessons panel.
#[wasm_bindgen]
pub fn lessons() -> String {
    crate::core::lesson::lessons_json()
}

/// The papers' settings ([`crate::core::plane::presets::PAPER_PRESETS`]) as JSON, for
/// the page's preset buttons.
#[wasm_bindgen]
pub fn paper_presets() -> String {
    serde_json::to_string(crate::core::plane::presets::PAPER_PRESETS)
        .unwrap_or_else(|_| "[]".into())
}

/// Installs the panic hook when the module loads: a panic then shows in the console
/// with its message, and on the page (in the worker, the page hears of it through the
/// worker's error event).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let text = format!("internal error, please reload the page: {info}");
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("gan-message"))
        {
            el.set_text_content(Some(&text));
        }
    }));
}
