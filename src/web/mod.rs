//! The browser shell (wasm32 only): a thin wasm-bindgen layer over `core`. Every entry
//! point returns a `Result` whose error is a one-line message; a panic hook turns any
//! remaining panic into a visible message instead of a silently dead page.

mod draw;

use crate::core::data::Dataset;
use crate::core::density::GridSpec;
use crate::core::field::discriminator_field;
use crate::core::loss::Loss;
use crate::core::train::{ModelConfig, TrainConfig, Trainer};
use candle_core::Device;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn js_err<E: std::fmt::Display>(e: E) -> JsValue {
    JsValue::from_str(&e.to_string())
}

fn now_ms() -> f64 {
    // std::time::Instant panics on wasm32: time with the page's Performance clock.
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The state the page shows and tests read.
#[derive(Serialize)]
struct State<'a> {
    step: usize,
    dataset: &'a str,
    loss: String,
    k: usize,
    running: bool,
    d_loss: f64,
    g_loss: f64,
    steps_per_s: f64,
    error: Option<String>,
}

/// One training session in the page.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    running: bool,
    steps_per_s: f64,
    fixed_noise: Vec<f32>,
    real_sample: Vec<[f32; 2]>,
}

#[wasm_bindgen]
impl Playground {
    /// A trainer for a preset data set and a loss name (as in the CLI).
    #[wasm_bindgen(constructor)]
    pub fn new(dataset: &str, loss: &str, seed: u32) -> Result<Playground, JsValue> {
        let model = ModelConfig {
            dataset: Dataset::parse(dataset).map_err(js_err)?,
            seed: seed as u64,
            ..ModelConfig::default()
        };
        let cfg = TrainConfig {
            loss: Loss::parse(loss).map_err(js_err)?,
            ..TrainConfig::default()
        };
        Self::with_configs(model, cfg)
    }

    /// Runs iterations until `budget_ms` has passed; returns how many ran. A diverged
    /// run stops and its message is in `state().error`.
    pub fn train_for(&mut self, budget_ms: f64) -> u32 {
        if !self.running || self.trainer.diverged().is_some() {
            return 0;
        }
        let t0 = now_ms();
        let mut n = 0;
        while now_ms() - t0 < budget_ms.clamp(0.0, 1000.0) {
            if self.trainer.step().is_err() {
                self.running = false;
                break;
            }
            n += 1;
        }
        let dt = (now_ms() - t0).max(1e-3);
        if n > 0 {
            let rate = n as f64 * 1000.0 / dt;
            self.steps_per_s = if self.steps_per_s == 0.0 {
                rate
            } else {
                0.9 * self.steps_per_s + 0.1 * rate
            };
        }
        n
    }

    /// `n` iterations; returns `[d_loss, g_loss]` of each (for the native/wasm equality test).
    pub fn trace(&mut self, n: u32) -> Result<Vec<f64>, JsValue> {
        let mut out = Vec::with_capacity(2 * n as usize);
        for _ in 0..n {
            let s = self.trainer.step().map_err(js_err)?;
            out.extend([s.d_loss, s.g_loss]);
        }
        Ok(out)
    }

    pub fn set_running(&mut self, running: bool) {
        self.running = running;
    }

    /// Modes covered by 2,500 generated samples (the papers' sample size).
    pub fn modes_covered(&self) -> Result<u32, JsValue> {
        Ok(self.trainer.evaluate(2500).map_err(js_err)?.modes_covered as u32)
    }

    /// The state as a JSON string.
    pub fn state(&self) -> String {
        let last = self.trainer.last();
        let state = State {
            step: self.trainer.iteration(),
            dataset: self.trainer.model().dataset.name(),
            loss: self.trainer.config().loss.name(),
            k: self.trainer.config().k,
            running: self.running,
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            steps_per_s: self.steps_per_s,
            error: self.trainer.diverged().map(|e| e.to_string()),
        };
        serde_json::to_string(&state).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Draws the discriminator's heatmap, the data and the generator's samples.
    pub fn draw(&self, canvas: &web_sys::HtmlCanvasElement) -> Result<(), JsValue> {
        let (centre, half) = self.trainer.model().dataset.view();
        let grid = GridSpec::square(centre, half, draw::HEATMAP_CELLS);
        let field = discriminator_field(&self.trainer, &grid).map_err(js_err)?;
        let fake = self.trainer.generate(&self.fixed_noise).map_err(js_err)?;
        draw::plane(canvas, &grid, &field, &self.real_sample, &fake)
    }
}

impl Playground {
    fn with_configs(model: ModelConfig, cfg: TrainConfig) -> Result<Playground, JsValue> {
        let trainer = Trainer::new(model, cfg, &Device::Cpu).map_err(js_err)?;
        // Fake samples are drawn from one fixed noise batch, so their motion is smooth.
        let fixed_noise = {
            let mut rng = crate::core::rng::SeededRng::new(trainer.model().seed ^ 0x5eed);
            (0..500 * trainer.model().noise_dim)
                .map(|_| rng.normal())
                .collect()
        };
        let (real_sample, _) = trainer.eval_samples(500).map_err(js_err)?;
        Ok(Playground {
            trainer,
            running: true,
            steps_per_s: 0.0,
            fixed_noise,
            real_sample,
        })
    }
}

/// The animation-frame callback, which must hold a handle to itself to re-register.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

/// Starts the page when it has a canvas with id `gan-plane`: trains in a per-frame time
/// budget and draws after each slice, so drawing is never blocked for long.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Ok(());
    };
    let Some(canvas) = document.get_element_by_id("gan-plane") else {
        return Ok(());
    };
    let canvas: web_sys::HtmlCanvasElement = canvas
        .dyn_into()
        .map_err(|_| js_err("#gan-plane is not a canvas"))?;
    let status = document.get_element_by_id("gan-status");
    let playground = Rc::new(RefCell::new(Playground::new("ring8", "non-saturating", 1)?));

    let frame: FrameCallback = Rc::new(RefCell::new(None));
    let next = frame.clone();
    *frame.borrow_mut() = Some(Closure::new(move || {
        let mut pg = playground.borrow_mut();
        pg.train_for(12.0);
        let message = match pg.draw(&canvas) {
            Ok(()) => pg.state(),
            Err(e) => format!("error: {}", e.as_string().unwrap_or_default()),
        };
        if let Some(s) = &status {
            s.set_text_content(Some(&message));
        }
        if let Some(cb) = next.borrow().as_ref() {
            let _ =
                web_sys::window().map(|w| w.request_animation_frame(cb.as_ref().unchecked_ref()));
        }
    }));
    if let (Some(w), Some(cb)) = (web_sys::window(), frame.borrow().as_ref()) {
        w.request_animation_frame(cb.as_ref().unchecked_ref())?;
    }
    Ok(())
}
