//! The browser shell (wasm32 only): a thin wasm-bindgen layer over `core`. Every entry
//! point returns a `Result` whose error is a one-line message; a panic hook turns any
//! remaining panic into a visible message instead of a silently dead page.

pub mod bench;
pub mod digits;
pub mod draw;

use crate::charts::{draw_chart, Chart};
use crate::core::game::Gan;
use crate::core::history::{History, HistoryPoint};
use crate::core::loss::Loss;
use crate::core::plane::data::Dataset;
use crate::core::plane::density::GridSpec;
use crate::core::plane::field::{
    discriminator_field, manifold as field_manifold, optimal_discriminator_field,
};
use crate::core::plane::metrics::{MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::trainer::{ModelConfig, TrainConfig, Trainer};
use crate::core::settings::hash::{encode, from_hash, to_hash};
use candle_core::Device;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The manifold mesh is `MANIFOLD_CELLS²` noise points (GAN Lab: 20 × 20).
const MANIFOLD_CELLS: usize = 20;
/// Points kept for the charts (the whole run, downsampled: `core::history`).
pub(crate) const HISTORY_POINTS: usize = 600;
/// Gradient arrows are drawn on this many of the fixed fake samples.
const ARROWS: usize = 150;

pub(crate) fn js_err<E: std::fmt::Display>(e: E) -> JsValue {
    JsValue::from_str(&e.to_string())
}

pub(crate) fn now_ms() -> f64 {
    // std::time::Instant panics on wasm32: time with the page's Performance clock.
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs iterations of `gan` until `budget_ms` (at most 1 s) has passed, if `running`;
/// returns how many ran. A failed step (a divergence) stops the session. The rate is
/// folded into `steps_per_s` (an exponential moving average, so the readout is steady).
pub(crate) fn train_for(
    gan: &mut Gan,
    running: &mut bool,
    steps_per_s: &mut f64,
    budget_ms: f64,
) -> u32 {
    if !*running || gan.diverged().is_some() {
        return 0;
    }
    let t0 = now_ms();
    let mut n = 0;
    while now_ms() - t0 < budget_ms.clamp(0.0, 1000.0) {
        if gan.step().is_err() {
            *running = false;
            break;
        }
        n += 1;
    }
    let dt = (now_ms() - t0).max(1e-3);
    if n > 0 {
        let rate = n as f64 * 1000.0 / dt;
        *steps_per_s = if *steps_per_s == 0.0 {
            rate
        } else {
            0.9 * *steps_per_s + 0.1 * rate
        };
    }
    n
}

/// One iteration (k D steps and one G step), one D step, or one G step (`"both"`, `"d"`,
/// `"g"`), whether or not training is running.
pub(crate) fn step_once(gan: &mut Gan, which: &str) -> Result<(), JsValue> {
    let result = match which {
        "both" => gan.step(),
        "d" => gan.step_d(),
        "g" => gan.step_g(),
        o => return Err(js_err(format!("unknown step '{o}'"))),
    };
    result.map(|_| ()).map_err(js_err)
}

/// Draws each chart on its canvas over the whole history.
pub(crate) fn draw_charts_on(
    charts: [(web_sys::HtmlCanvasElement, Chart); 3],
    history: &History,
) -> Result<(), JsValue> {
    for (canvas, chart) in charts {
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| js_err("a chart canvas has no 2D context"))?;
        let area = plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
        draw_chart(&area, chart, history.points()).map_err(js_err)?;
    }
    Ok(())
}

/// The state the page shows and tests read.
#[derive(Serialize)]
struct State<'a> {
    step: usize,
    d_steps: usize,
    g_steps: usize,
    dataset: &'a str,
    loss: String,
    k: usize,
    running: bool,
    d_loss: f64,
    g_loss: f64,
    steps_per_s: f64,
    /// Achieved GFLOP/s: steps/s × the iteration's FLOPs (`Gan::flops_per_iteration`).
    gflops: f64,
    /// Metrics at `metrics_step` (see `Playground::update_metrics`).
    js: Option<f64>,
    kl: Option<f64>,
    w1: Option<f64>,
    modes_covered: Option<usize>,
    modes_total: Option<usize>,
    metrics_step: Option<usize>,
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
    notes: Vec<String>,
    /// The last metrics and the step they were computed at.
    metrics: Option<(usize, MetricsReport)>,
    history: History,
}

#[wasm_bindgen]
impl Playground {
    /// Runs iterations until `budget_ms` has passed; returns how many ran. A diverged
    /// run stops and its message is in `state().error`.
    pub fn train_for(&mut self, budget_ms: f64) -> u32 {
        train_for(
            &mut self.trainer,
            &mut self.running,
            &mut self.steps_per_s,
            budget_ms,
        )
    }

    /// A playground from a URL hash. Invalid values fall back to the defaults and are
    /// listed in `notes()`; only a failure of the engine itself is an error.
    pub fn from_hash(hash: &str) -> Result<Playground, JsValue> {
        let (model, cfg, mut notes) =
            from_hash(hash, (&ModelConfig::default(), &TrainConfig::default()));
        let pg = match Self::with_configs(model, cfg) {
            Ok(pg) => pg,
            Err(e) => {
                notes.push(format!(
                    "{}; started with the defaults",
                    e.as_string().unwrap_or_default()
                ));
                Self::with_configs(ModelConfig::default(), TrainConfig::default())?
            }
        };
        Ok(Playground { notes, ..pg })
    }

    /// Messages about the hash this playground was made from (one per line).
    pub fn notes(&self) -> String {
        self.notes.join("\n")
    }

    /// The current configuration as a URL hash (without `#`).
    pub fn hash(&self) -> String {
        to_hash(self.trainer.model(), self.trainer.config())
    }

    /// The running loss's objectives as text: `[discriminator, generator]`.
    pub fn formulas(&self) -> Vec<String> {
        let (d, g) = self.trainer.config().loss.formulas();
        vec![d, g]
    }

    /// Every loss the engine knows, as `family<TAB>canonical name`, in the order the loss
    /// menu lists them (f-GAN rows with both generator objectives).
    pub fn loss_groups() -> Vec<String> {
        Loss::all()
            .iter()
            .map(|l| format!("{}\t{}", l.family(), l.name()))
            .collect()
    }

    /// Sets one setting by its URL-hash key (`loss`, `k`, `lrd`, `dataset`, …), through
    /// the same validation as a link. Live settings apply between two steps; settings that
    /// fix the networks or the data (`dataset`, `hidden`, `layers`, `act`, `noise`,
    /// `noisedim`, `seed`) restart training, and the returned message says so. Returns
    /// the messages (empty when the value was taken as given).
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        let hash = format!("{}&{key}={}", self.hash(), encode(value));
        let (model, cfg, mut notes) =
            from_hash(&hash, (self.trainer.model(), self.trainer.config()));
        if model != *self.trainer.model() {
            let running = self.running;
            *self = Self::with_configs(model, cfg)?;
            self.running = running;
            notes.push(format!(
                "{key} changes the networks or the data: training restarted"
            ));
        } else {
            self.trainer.set_config(cfg).map_err(js_err)?;
        }
        Ok(notes.join("\n"))
    }

    /// Places a real data point where the user clicked, given as fractions of the plane's
    /// width and height from its top-left corner. The first point starts a custom data set
    /// (GAN Lab's "draw your own"); every point restarts training on the new data.
    pub fn add_point(&mut self, fx: f64, fy: f64) -> Result<(), JsValue> {
        if !(fx.is_finite()
            && fy.is_finite()
            && (0.0..=1.0).contains(&fx)
            && (0.0..=1.0).contains(&fy))
        {
            return Err(js_err("the point is outside the plane"));
        }
        let (centre, half) = self.trainer.model().dataset.view();
        let x = centre[0] + half * (2.0 * fx as f32 - 1.0);
        let y = centre[1] + half * (1.0 - 2.0 * fy as f32);
        let mut points = match &self.trainer.model().dataset {
            Dataset::Custom(p) => p.clone(),
            _ => Vec::new(),
        };
        points.push([x, y]);
        let model = ModelConfig {
            dataset: Dataset::custom(points).map_err(js_err)?,
            ..self.trainer.model().clone()
        };
        let running = self.running;
        *self = Self::with_configs(model, *self.trainer.config())?;
        self.running = running;
        Ok(())
    }

    /// Starts again from step 0 with the same configuration.
    pub fn reset(&mut self) -> Result<(), JsValue> {
        let running = self.running;
        *self = Self::with_configs(self.trainer.model().clone(), *self.trainer.config())?;
        self.running = running;
        Ok(())
    }

    /// One iteration (k D steps and one G step), one D step, or one G step (`"both"`,
    /// `"d"`, `"g"`), whether or not training is running.
    pub fn step_once(&mut self, which: &str) -> Result<(), JsValue> {
        step_once(&mut self.trainer, which)
    }

    pub fn set_running(&mut self, running: bool) {
        self.running = running;
    }

    /// Recomputes the metrics shown in `state()` (1,000 samples; exact W1 on 200, which
    /// keeps this to a few milliseconds; the CLI uses 2,500 and 500). Skipped after a
    /// divergence, when the generator's outputs are not finite.
    pub fn update_metrics(&mut self) -> Result<(), JsValue> {
        if self.trainer.diverged().is_some() {
            return Ok(());
        }
        let m = self
            .trainer
            .evaluate_with_w1(1000, W1_SAMPLES_LIVE)
            .map_err(js_err)?;
        let last = self.trainer.last();
        let estimate = self.trainer.config().loss.divergence_estimate(last.d_loss);
        self.history.push(HistoryPoint {
            step: self.trainer.iteration(),
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            js: m.js,
            kl: m.kl,
            rkl: m.rkl,
            w1: m.w1,
            d_estimate: estimate.map_or(f64::NAN, |e| e.value),
            d_measured: m.loss_divergence.unwrap_or(f64::NAN),
            modes_covered: m.modes_covered,
            modes_total: m.modes_total,
            high_quality: m.high_quality.unwrap_or(f64::NAN),
            frechet: f64::NAN,
            class_kl: f64::NAN,
        });
        self.metrics = Some((self.trainer.iteration(), m));
        Ok(())
    }

    /// Draws the three charts (losses; divergences; modes) over the whole history.
    pub fn draw_charts(
        &self,
        losses: web_sys::HtmlCanvasElement,
        divergences: web_sys::HtmlCanvasElement,
        modes: web_sys::HtmlCanvasElement,
    ) -> Result<(), JsValue> {
        draw_charts_on(
            [
                (losses, Chart::Losses),
                (divergences, Chart::Divergences),
                (modes, Chart::Modes),
            ],
            &self.history,
        )
    }

    /// The state as a JSON string.
    pub fn state(&self) -> String {
        let last = self.trainer.last();
        let m = self.metrics.as_ref().map(|(_, m)| m);
        let state = State {
            step: self.trainer.iteration(),
            d_steps: self.trainer.d_steps(),
            g_steps: self.trainer.g_steps(),
            dataset: self.trainer.model().dataset.name(),
            loss: self.trainer.config().loss.name(),
            k: self.trainer.config().k,
            running: self.running,
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            steps_per_s: self.steps_per_s,
            gflops: self.steps_per_s * self.trainer.flops_per_iteration() / 1e9,
            js: m.map(|m| m.js),
            kl: m.map(|m| m.kl),
            w1: m.map(|m| m.w1),
            modes_covered: m.map(|m| m.modes_covered),
            modes_total: m.map(|m| m.modes_total),
            metrics_step: self.metrics.as_ref().map(|(s, _)| *s),
            error: self.trainer.diverged().map(|e| e.to_string()),
        };
        serde_json::to_string(&state).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Draws the plane with the chosen layers: real samples, fake samples, the
    /// generator's manifold, D's heatmap, the generator's gradient arrows, and the optimal
    /// discriminator's ½ contour.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &self,
        canvas: &web_sys::HtmlCanvasElement,
        real: bool,
        fake: bool,
        manifold: bool,
        heatmap: bool,
        arrows: bool,
        optimal: bool,
    ) -> Result<(), JsValue> {
        let (centre, half) = self.trainer.model().dataset.view();
        let grid = GridSpec::square(centre, half, draw::HEATMAP_CELLS);
        let fakes = self.trainer.generate(&self.fixed_noise).map_err(js_err)?;
        let field = if heatmap {
            Some(discriminator_field(&self.trainer, &grid).map_err(js_err)?)
        } else {
            None
        };
        let dstar = optimal
            .then(|| optimal_discriminator_field(&self.trainer, &grid, &self.real_sample, &fakes));
        let mesh = if manifold {
            Some(field_manifold(&self.trainer, MANIFOLD_CELLS).map_err(js_err)?)
        } else {
            None
        };
        let arrow_from = &fakes[..fakes.len().min(ARROWS)];
        let push = if arrows {
            Some(self.trainer.generator_push(arrow_from).map_err(js_err)?)
        } else {
            None
        };
        let scene = draw::Scene {
            grid: &grid,
            heatmap: field.as_deref(),
            optimal: dstar.as_deref(),
            real: real.then_some(&self.real_sample[..]),
            fake: fake.then_some(&fakes[..]),
            manifold: mesh.as_deref().map(|m| (m, MANIFOLD_CELLS)),
            arrows: push.as_deref().map(|p| (arrow_from, p)),
        };
        draw::plane(canvas, &scene)
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
            // The page opens paused on its play button (issue 3); a restart keeps the
            // running state of the session it replaces.
            running: false,
            steps_per_s: 0.0,
            fixed_noise,
            real_sample,
            notes: Vec::new(),
            metrics: None,
            history: History::new(HISTORY_POINTS),
        })
    }
}

/// Installs the panic hook when the module loads: a panic then shows in the console
/// with its message instead of a silently frozen page. The page's loop lives in
/// `www/index.html` and drives a [`Playground`].
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        // After a panic the module is unusable; say so on the page rather than freeze.
        let text = format!("internal error, please reload the page: {info}");
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("gan-message"))
        {
            el.set_text_content(Some(&text));
        }
    }));
}
