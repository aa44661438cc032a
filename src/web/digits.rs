//! The MNIST half of the page: a [`DigitLab`] trains a digit GAN with the same live
//! controls as the 2D [`super::Playground`], draws its sample grid, a latent interpolation
//! strip and real digits, and saves and loads its weights as safetensors.

use super::{draw_charts_on, js_err};
use crate::charts::Chart;
use crate::core::digits::classifier::Classifier;
use crate::core::digits::data::{mosaic, Digits};
use crate::core::digits::metrics::DigitReport;
use crate::core::digits::trainer::{digit_train_config, grid_digest, DigitModel, DigitTrainer};
use crate::core::history::History;
use crate::core::settings::hash::{digit_from_hash, digit_to_hash, encode};
use crate::core::weights::{from_safetensors, to_safetensors};
use candle_core::Device;
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData};

/// Generated and real digits per quality evaluation (about 50 ms in the page).
const EVAL_DIGITS: usize = 300;
/// The sample grid: ten rows of ten, from noise fixed by the session's seed (as the
/// CLI's `samples.png`).
const GRID_ROWS: usize = 10;
const INTERPOLATION_STEPS: usize = 10;

#[derive(Serialize)]
struct State<'a> {
    mode: &'static str,
    step: usize,
    d_steps: usize,
    g_steps: usize,
    model: &'static str,
    conditional: bool,
    loss: String,
    k: usize,
    running: bool,
    d_loss: f64,
    g_loss: f64,
    steps_per_s: f64,
    /// Achieved GFLOP/s: steps/s × the iteration's FLOPs (`Gan::flops_per_iteration`).
    gflops: f64,
    classes_covered: Option<usize>,
    class_kl: Option<f64>,
    frechet: Option<f64>,
    condition_accuracy: Option<f64>,
    metrics_step: Option<usize>,
    digit: Option<u8>,
    /// Mean pixel of the first ten grid images: the CLI prints the same for its weights.
    grid_digest: Vec<f64>,
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    loaded: Option<&'a str>,
}

/// A grid digest and the (G steps, session) it belongs to.
type DigestCache = Option<((usize, u64), Vec<f64>)>;

#[wasm_bindgen]
pub struct DigitLab {
    trainer: DigitTrainer,
    digits: Arc<Digits>,
    classifier: Arc<Classifier>,
    running: bool,
    steps_per_s: f64,
    digit: Option<u8>,
    notes: Vec<String>,
    metrics: Option<(usize, DigitReport)>,
    history: History,
    /// Indices of the real digits shown for comparison.
    real_shown: Vec<usize>,
    loaded: Option<String>,
    /// The grid digest and the (G steps, session) it was computed for: `state()` is read
    /// several times a frame, and the digest runs G, so it is computed once per G change.
    digest: std::cell::RefCell<DigestCache>,
    /// Bumped whenever the networks are replaced (restart, load).
    session: u64,
}

#[wasm_bindgen]
impl DigitLab {
    /// A lab from the digits file and the classifier's weights (both static assets made
    /// by the set-up) and a URL hash. A corrupt file is an error that says what is wrong.
    pub fn create(digits: &[u8], classifier: &[u8], hash: &str) -> Result<DigitLab, JsValue> {
        let digits = Arc::new(Digits::from_bytes(digits).map_err(js_err)?);
        let clf = Classifier::load(
            digits.dim(),
            &from_safetensors(classifier, &Device::Cpu).map_err(js_err)?,
            &Device::Cpu,
        )
        .map_err(js_err)?;
        let (model, cfg, notes) =
            digit_from_hash(hash, (&DigitModel::default(), &digit_train_config()));
        let trainer =
            DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).map_err(js_err)?;
        let n = digits.len();
        Ok(DigitLab {
            trainer,
            digits,
            classifier: Arc::new(clf),
            running: false,
            steps_per_s: 0.0,
            digit: None,
            notes,
            metrics: None,
            history: History::new(super::HISTORY_POINTS),
            real_shown: (0..100).map(|i| i * n / 100).collect(),
            loaded: None,
            digest: Default::default(),
            session: 0,
        })
    }

    pub fn notes(&self) -> String {
        self.notes.join("\n")
    }

    pub fn hash(&self) -> String {
        digit_to_hash(self.trainer.model(), self.trainer.config())
    }

    pub fn formulas(&self) -> Vec<String> {
        let (d, g) = self.trainer.config().loss.formulas();
        vec![d, g]
    }

    /// As [`super::Playground::set`]: live settings apply between two steps; `model`,
    /// `cond`, `noisedim` and `seed` restart training, and the message says so.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        let hash = format!("{}&{key}={}", self.hash(), encode(value));
        let (model, cfg, mut notes) =
            digit_from_hash(&hash, (self.trainer.model(), self.trainer.config()));
        if model != *self.trainer.model() {
            self.restart(model, cfg)?;
            notes.push(format!("{key} changes the networks: training restarted"));
        } else {
            self.trainer.set_config(cfg).map_err(js_err)?;
        }
        Ok(notes.join("\n"))
    }

    /// The digit a conditional model draws in every grid cell (`-1`: each row its digit).
    pub fn set_digit(&mut self, digit: i32) -> Result<(), JsValue> {
        self.digit = match digit {
            -1 => None,
            0..=9 => Some(digit as u8),
            o => return Err(js_err(format!("digit {o} is not 0–9"))),
        };
        Ok(())
    }

    pub fn reset(&mut self) -> Result<(), JsValue> {
        self.restart(*self.trainer.model(), *self.trainer.config())
    }

    pub fn step_once(&mut self, which: &str) -> Result<(), JsValue> {
        super::step_once(&mut self.trainer, which)
    }

    pub fn set_running(&mut self, running: bool) {
        self.running = running;
    }

    pub fn train_for(&mut self, budget_ms: f64) -> u32 {
        super::train_for(
            &mut self.trainer,
            &mut self.running,
            &mut self.steps_per_s,
            budget_ms,
        )
    }

    /// Class coverage and Fréchet distance on [`EVAL_DIGITS`] digits.
    pub fn update_metrics(&mut self) -> Result<(), JsValue> {
        if self.trainer.diverged().is_some() {
            return Ok(());
        }
        let r = self
            .trainer
            .evaluate(&self.classifier, EVAL_DIGITS)
            .map_err(js_err)?;
        let last = self.trainer.last();
        self.history
            .push(r.history_point(self.trainer.iteration(), last.d_loss, last.g_loss));
        self.metrics = Some((self.trainer.iteration(), r));
        Ok(())
    }

    /// Losses, Fréchet distance, classes covered, over the whole run.
    pub fn draw_charts(
        &self,
        losses: web_sys::HtmlCanvasElement,
        quality: web_sys::HtmlCanvasElement,
        classes: web_sys::HtmlCanvasElement,
    ) -> Result<(), JsValue> {
        draw_charts_on(
            [
                (losses, Chart::Losses),
                (quality, Chart::DigitQuality),
                (classes, Chart::Classes),
            ],
            &self.history,
        )
    }

    pub fn state(&self) -> String {
        let last = self.trainer.last();
        let m = self.metrics.as_ref().map(|(_, m)| m);
        let digest = self.grid_digest();
        let state = State {
            mode: "mnist",
            step: self.trainer.iteration(),
            d_steps: self.trainer.d_steps(),
            g_steps: self.trainer.g_steps(),
            model: self.trainer.model().arch.name(),
            conditional: self.trainer.model().conditional,
            loss: self.trainer.config().loss.name(),
            k: self.trainer.config().k,
            running: self.running,
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            steps_per_s: self.steps_per_s,
            gflops: self.steps_per_s * self.trainer.flops_per_iteration() / 1e9,
            classes_covered: m.map(|m| m.classes_covered),
            class_kl: m.map(|m| m.class_kl),
            frechet: m.map(|m| m.frechet),
            condition_accuracy: m.and_then(|m| m.condition_accuracy),
            metrics_step: self.metrics.as_ref().map(|(s, _)| *s),
            digit: self.digit,
            grid_digest: digest,
            error: self.trainer.diverged().map(|e| e.to_string()),
            loaded: self.loaded.as_deref(),
        };
        serde_json::to_string(&state).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Draws the sample grid (fixed noise; the CLI's `samples.png` for the same seed), the
    /// interpolation strip, and real digits.
    pub fn draw(
        &self,
        grid: &HtmlCanvasElement,
        strip: &HtmlCanvasElement,
        real: &HtmlCanvasElement,
    ) -> Result<(), JsValue> {
        let (rows, cols) = (self.trainer.digits().rows(), self.trainer.digits().cols());
        let seed = self.trainer.model().seed;
        let images = self
            .trainer
            .grid_of(GRID_ROWS, seed, self.digit)
            .map_err(js_err)?;
        put_grey(grid, &mosaic(&images, rows, cols, 10))?;
        let line = self
            .trainer
            .interpolation(INTERPOLATION_STEPS, seed, self.digit)
            .map_err(js_err)?;
        put_grey(strip, &mosaic(&line, rows, cols, INTERPOLATION_STEPS))?;
        let reals = self.trainer.digits().scaled(&self.real_shown);
        put_grey(real, &mosaic(&reals, rows, cols, 10))
    }

    /// The current G and D (and a conditional model's class embedding) as safetensors.
    pub fn save_weights(&self) -> Result<Vec<u8>, JsValue> {
        to_safetensors(self.trainer.tensors()).map_err(js_err)
    }

    /// Loads a safetensors file saved here or by the CLI (`weights.safetensors`). The
    /// model is read off the file (preset, noise dimension, conditioning); the session
    /// switches to it and continues from these weights. A file that is not a digit GAN of
    /// ours, or whose shapes do not match, is refused and nothing changes.
    pub fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String, JsValue> {
        let tensors = from_safetensors(bytes, &Device::Cpu).map_err(js_err)?;
        let model = self
            .trainer
            .model()
            .from_tensors(&tensors)
            .map_err(js_err)?;
        let mut trainer = DigitTrainer::new(
            model,
            *self.trainer.config(),
            self.digits.clone(),
            &Device::Cpu,
        )
        .map_err(js_err)?;
        trainer.load(&tensors).map_err(js_err)?;
        self.trainer = trainer;
        self.metrics = None;
        self.history = History::new(super::HISTORY_POINTS);
        self.loaded = Some(name.chars().take(80).collect());
        self.session += 1;
        Ok(format!(
            "loaded {}: {}{}, noise {}; training continues from these weights",
            self.loaded.as_deref().unwrap_or("weights"),
            model.arch.name(),
            if model.conditional {
                ", conditional"
            } else {
                ""
            },
            model.noise_dim
        ))
    }
}

impl DigitLab {
    /// [`grid_digest`] of the current G, computed once per change of G.
    fn grid_digest(&self) -> Vec<f64> {
        let key = (self.trainer.g_steps(), self.session);
        if let Some((k, d)) = self.digest.borrow().as_ref() {
            if *k == key {
                return d.clone();
            }
        }
        let d = self
            .trainer
            .grid(1, self.trainer.model().seed)
            .map(|g| grid_digest(&g, self.trainer.digits().dim()))
            .unwrap_or_default();
        *self.digest.borrow_mut() = Some((key, d.clone()));
        d
    }

    fn restart(
        &mut self,
        model: DigitModel,
        cfg: crate::core::plane::trainer::TrainConfig,
    ) -> Result<(), JsValue> {
        self.trainer =
            DigitTrainer::new(model, cfg, self.digits.clone(), &Device::Cpu).map_err(js_err)?;
        self.metrics = None;
        self.history = History::new(super::HISTORY_POINTS);
        self.loaded = None;
        self.session += 1;
        if !model.conditional {
            self.digit = None;
        }
        Ok(())
    }
}

/// Puts grey bytes on a canvas sized to them (CSS scales it; `image-rendering: pixelated`).
fn put_grey(
    canvas: &HtmlCanvasElement,
    (grey, w, h): &(Vec<u8>, usize, usize),
) -> Result<(), JsValue> {
    let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
    if canvas.width() != *w as u32 || canvas.height() != *h as u32 {
        canvas.set_width(*w as u32);
        canvas.set_height(*h as u32);
    }
    let ctx = super::draw::context(canvas)?;
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), *w as u32, *h as u32)?;
    ctx.put_image_data(&img, 0.0, 0.0)
}
