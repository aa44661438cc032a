//! The worker's half: a [`WorkerSession`] is one [`Session`] (any row of the games' table) as
//! `www/worker.js` drives it. Nothing here draws; [`WorkerSession::frame`] returns what to
//! paint as typed arrays, which the worker transfers to the page.

use super::{js_err, named, now_ms};
use crate::core::game::{format_bytes, MemoryLimit};
use crate::core::history::HistoryPoint;
use crate::core::lesson;
use crate::core::plane::points_file::read_points_file;
use crate::core::session::digits::DigitLab;
use crate::core::session::games::Opening;
use crate::core::session::link::DigitAssets;
use crate::core::session::plane::PlaneLab;
use crate::core::session::{Frame, Layers, Session};
use js_sys::{Float32Array, Float64Array, Object, Reflect, Uint8ClampedArray};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct WorkerSession {
    session: Session,
}

fn put(obj: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(key), value).map(|_| ())
}

#[wasm_bindgen]
impl WorkerSession {
    /// The session a link opens (`core::session::games::row_of`: the game it names, MNIST,
    /// else the 2D GAN), with its view, compare mode, lesson and the page's memory limit
    /// ([`Session::open`]). MNIST needs the digits file and the classifier's weights (static
    /// assets made by the set-up); the others take none. Values that cannot be used fall
    /// back to the defaults and are listed in `notes()`; an unknown game, or MNIST without
    /// its files, is refused with a message.
    pub fn open(
        link: &str,
        digits: Option<Vec<u8>>,
        classifier: Option<Vec<u8>>,
    ) -> Result<WorkerSession, JsValue> {
        let assets = match (&digits, &classifier) {
            (Some(digits), Some(classifier)) => Some(DigitAssets { digits, classifier }),
            _ => None,
        };
        let how = Opening {
            digits: assets,
            memory_limit: Some(page_memory_limit),
            lessons: Some(lesson::observer_of),
        };
        Ok(Self {
            session: Session::open(link, &how).map_err(js_err)?,
        })
    }

    pub fn notes(&self) -> String {
        self.session.notes()
    }

    /// Every setting the page shows, as JSON: key, label, kind, min, max, options,
    /// restarts (the page's controls take their limits and menus from this).
    pub fn settings(&self) -> String {
        serde_json::to_string(&self.session.settings()).unwrap_or_else(|_| "[]".into())
    }

    /// The state the page shows, as JSON.
    pub fn state(&self) -> String {
        serde_json::Value::Object(self.session.state()).to_string()
    }

    /// Applies one setting; returns the message to show (empty when taken as given).
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsValue> {
        self.session.set(key, value).map_err(js_err)
    }

    pub fn running(&self) -> bool {
        self.session.running()
    }

    /// Starts or stops training; starting is refused (with the reason) when a step at
    /// the batch would not fit in the page's memory.
    pub fn set_running(&mut self, running: bool) -> Result<(), JsValue> {
        self.session.set_running(running).map_err(js_err)
    }

    /// Trains for `budget_ms` if running; returns the iterations completed.
    pub fn train_for(&mut self, budget_ms: f64) -> u32 {
        self.session.train_for(budget_ms, now_ms)
    }

    /// Reads the step counter for the speed readout (the worker calls it every slice).
    pub fn tick(&mut self) {
        self.session.tick(now_ms());
    }

    /// `"both"`, `"d"` or `"g"`.
    pub fn step_once(&mut self, which: &str) -> Result<(), JsValue> {
        self.session.step_once(which).map_err(js_err)
    }

    /// One phase of slow motion; returns what the page says about it.
    pub fn slow_step(&mut self) -> Result<String, JsValue> {
        self.session.slow_step().map_err(js_err)
    }

    pub fn reset(&mut self) -> Result<(), JsValue> {
        self.session.reset().map_err(js_err)
    }

    pub fn update_metrics(&mut self) -> Result<(), JsValue> {
        self.session.update_metrics().map_err(js_err)
    }

    /// Whether new metrics wait to be measured (`Session::metrics_pending`).
    pub fn metrics_pending(&self) -> bool {
        self.session.metrics_pending()
    }

    pub fn metrics_every_ms(&self) -> f64 {
        self.session.lab().metrics_every_ms()
    }

    /// The charts' names, comma-separated, and the whole history as rows of
    /// [`HistoryPoint::ROW`] numbers.
    pub fn charts(&self) -> String {
        let names: Vec<&str> = self
            .session
            .lab()
            .charts()
            .iter()
            .map(|c| c.name())
            .collect();
        names.join(",")
    }
    pub fn history(&self) -> Float64Array {
        history_rows(&self.session)
    }

    /// The loss chart's per-step means as `[step, d_loss, g_loss]` rows.
    pub fn losses(&self) -> Float64Array {
        loss_rows(&self.session)
    }

    /// Run B's history and loss means in compare mode (as [`WorkerSession::history`] and
    /// [`WorkerSession::losses`]), else `undefined`.
    pub fn history_b(&self) -> Option<Float64Array> {
        self.session.twin().map(history_rows)
    }
    pub fn losses_b(&self) -> Option<Float64Array> {
        self.session.twin().map(loss_rows)
    }

    /// The charts' markers as JSON `[[step, label], …]` (both runs' in compare mode).
    pub fn markers(&self) -> String {
        let pairs: Vec<(usize, String)> = self
            .session
            .chart_markers()
            .into_iter()
            .map(|m| (m.step, m.label))
            .collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }

    /// Places a real point on the plane (fractions of its width and height); returns
    /// whether training restarted (only the first point of a new set does).
    pub fn add_point(&mut self, fx: f64, fy: f64) -> Result<bool, JsValue> {
        self.session
            .update_as(|lab: &mut PlaneLab| lab.add_point(fx, fy).map(|r| (r, r)))
            .map_err(js_err)
    }

    /// "Clear points": the next point placed starts a new set.
    pub fn clear_points(&mut self) -> Result<(), JsValue> {
        self.session
            .lab_as::<PlaneLab>()
            .map_err(js_err)?
            .clear_points();
        Ok(())
    }

    /// The user's own points from a CSV or JSON file (`core::plane::points_file`); a file
    /// that cannot be read changes nothing. Returns the message to show.
    pub fn load_points(&mut self, bytes: &[u8], name: &str) -> Result<String, JsValue> {
        let points = read_points_file(bytes, name).map_err(js_err)?;
        let n = points.len();
        self.session
            .restart_as(|lab: &mut PlaneLab| lab.load_points(points))
            .map_err(js_err)?;
        Ok(format!(
            "{n} points from {name} are the data now: training restarted"
        ))
    }

    /// The label a conditional model draws: MNIST's digit in every grid cell (`-1`: row
    /// r, digit r), the plane's label of every sample shown (`-1`: each label in turn).
    pub fn set_digit(&mut self, digit: i32) -> Result<(), JsValue> {
        if let Ok(plane) = self.session.lab_as::<PlaneLab>() {
            return plane.set_label(digit).map_err(js_err);
        }
        self.session
            .lab_as::<DigitLab>()
            .map_err(js_err)?
            .set_digit(digit)
            .map_err(js_err)
    }

    /// The networks' weights as a safetensors file (either mode).
    pub fn save_weights(&mut self) -> Result<Vec<u8>, JsValue> {
        self.session.save_weights().map_err(js_err)
    }

    /// Loads a safetensors file (saved here or by the CLI); a wrong file changes nothing.
    pub fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String, JsValue> {
        self.session.load_weights(bytes, name).map_err(js_err)
    }

    /// What to paint now: `{floats: {name: Float32Array}, images: {name: {grey, w, h}}}`
    /// (and `b`, the same of run B or of the game's second plane), with only the layers
    /// `want` asks for: `{real: true, heatmap: false, …, fresh}`, one flag per name of
    /// core's `LAYERS` (an absent one is off), read by name (`web::named`). The arrays
    /// are fresh JS copies (not views of the wasm memory), so the worker can transfer
    /// their buffers to the page.
    pub fn frame(&mut self, want: &Object) -> Result<Object, JsValue> {
        let layers = Layers::named(|name| named::flag(want, name), named::flag(want, "fresh"));
        let frame = self.session.frame(layers).map_err(js_err)?;
        let out = frame_object(&frame)?;
        if let Some(b) = self.session.twin_frame(layers).map_err(js_err)? {
            put(&out, "b", &frame_object(&b)?.into())?;
        }
        Ok(out)
    }
}

/// `{floats: {name: Float32Array}, images: {name: {grey, w, h}}}`.
fn frame_object(frame: &Frame) -> Result<Object, JsValue> {
    let floats = Object::new();
    for (name, v) in &frame.floats {
        put(&floats, name, &Float32Array::from(&v[..]))?;
    }
    let images = Object::new();
    for (name, grey, w, h) in &frame.images {
        let img = Object::new();
        put(&img, "grey", &Uint8ClampedArray::from(&grey[..]))?;
        put(&img, "w", &JsValue::from(*w as u32))?;
        put(&img, "h", &JsValue::from(*h as u32))?;
        put(&images, name, &img)?;
    }
    let out = Object::new();
    put(&out, "floats", &floats)?;
    put(&out, "images", &images)?;
    Ok(out)
}

/// A run's history as rows of [`HistoryPoint::ROW`] numbers.
fn history_rows(session: &Session) -> Float64Array {
    let rows: Vec<f64> = session
        .history()
        .points()
        .iter()
        .flat_map(HistoryPoint::to_row)
        .collect();
    Float64Array::from(&rows[..])
}

/// A run's loss means as `[step, d_loss, g_loss]` rows.
fn loss_rows(session: &Session) -> Float64Array {
    let rows: Vec<f64> = session
        .losses()
        .points()
        .iter()
        .flat_map(|m| [m.step, m.d_loss, m.g_loss])
        .collect();
    Float64Array::from(&rows[..])
}

/// What a step may allocate in the page: wasm32 addresses 4 GiB, and what the module has
/// grown to is counted as in use (its allocator may hold some of it free, so this errs
/// on the safe side). An allocation past it is a trap that kills the module.
pub(crate) fn page_memory_limit() -> MemoryLimit {
    let in_use = core::arch::wasm32::memory_size(0) as u64 * 65536;
    MemoryLimit {
        bytes: (4u64 << 30).saturating_sub(in_use),
        what: format!(
            "the page's memory: wasm's 4 GiB less {} in use",
            format_bytes(in_use)
        ),
    }
}
