//! One training session as a user drives it, whatever the game: play and pause, single
//! steps, slow motion, live settings through the setting tables, the metrics at a steady
//! rate, the whole run's history for the charts, and the state the page shows. The page's
//! worker (`web::worker`) is a thin wasm-bindgen shell over [`Session`]; everything here is
//! tested natively.
//!
//! What is particular to a kind of data or a game is a [`Lab`]: [`plane::PlaneLab`] (2D
//! points), [`digits::DigitLab`] (MNIST), [`xy::XyLab`], [`bigan::BiganLab`],
//! [`cyclegan::CycleLab`]. A lab owns its trainer, builds it again when a setting that
//! restarts changes, evaluates it, and says what to paint ([`Frame`]). Which lab a link
//! opens is the table [`games::CATALOG`]; [`Session::open`] opens it, reading the link
//! once ([`link`]).

pub mod bigan;
pub mod compare;
pub mod cyclegan;
pub mod digits;
pub mod game_link;
pub mod games;
pub mod link;
pub mod pix2pix;
pub mod plane;
pub mod speed;
pub mod vae;
pub mod vae_digits;
pub mod view;
pub mod xy;

use super::error::{GanError, Result};
use super::game::{check_step_memory, Game, MemoryLimit, Player};
use super::history::{Chart, History, Marker};
use super::settings::SettingInfo;
use super::step_means::StepMeans;
use serde_json::{Map, Value};
use speed::SpeedMeter;
use std::any::Any;
use view::{View, VIEW_SETTINGS};

/// Points kept for the charts (the whole run, downsampled: [`History`]).
pub const HISTORY_POINTS: usize = 600;

/// What a page paints, as plain arrays (the worker posts them as transferable typed
/// arrays): named `f32` buffers (points as `x, y` pairs, fields row-major) and named grey
/// images.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    pub floats: Vec<(&'static str, Vec<f32>)>,
    /// `(name, grey bytes, width, height)`.
    pub images: Vec<(&'static str, Vec<u8>, usize, usize)>,
}

/// What the page wants painted; a lab leaves out what is off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layers {
    pub real: bool,
    pub fake: bool,
    pub manifold: bool,
    pub heatmap: bool,
    pub arrows: bool,
    pub optimal: bool,
    /// Paint everything, even what has not changed since the last frame (the page was
    /// just shown).
    pub fresh: bool,
}

impl Layers {
    /// The layers `on` names (the names of [`view::LAYERS`]): the page's worker asks for
    /// them by name, so that it lists no layer itself.
    pub fn named(on: impl Fn(&str) -> bool, fresh: bool) -> Self {
        Self {
            real: on("real"),
            fake: on("fake"),
            manifold: on("manifold"),
            heatmap: on("heatmap"),
            arrows: on("arrows"),
            optimal: on("optimal"),
            fresh,
        }
    }
}

/// A kind of data and its trainer, as the session drives it.
pub trait Lab: Any {
    /// The session's key in [`games::CATALOG`]: `"2d"`, `"mnist"`, `"xy"`, …
    fn mode(&self) -> &'static str;
    fn game(&self) -> &dyn Game;
    fn game_mut(&mut self) -> &mut dyn Game;
    /// Every setting as a URL hash (without `#`).
    fn hash(&self) -> String;
    /// The lab's own settings (those that restart) for the page's controls; the live ones
    /// are `game::TRAIN_SETTINGS`.
    fn settings(&self) -> Vec<SettingInfo>;
    /// Applies one setting, strictly (an out-of-range value is refused and nothing
    /// changes). `Ok(true)` when it restarted training.
    fn set(&mut self, key: &str, value: &str) -> Result<bool>;
    /// Starts again from step 0 with the same settings.
    fn reset(&mut self) -> Result<()>;
    /// Measures the generator (the lab keeps the report for [`Lab::readout`]) and
    /// returns the point for the charts.
    fn evaluate(&mut self) -> Result<super::history::HistoryPoint>;
    /// The lab's fields of the page's state (its metrics, its data set or model).
    fn readout(&self, out: &mut Map<String, Value>);
    /// The three charts it shows.
    fn charts(&self) -> [Chart; 3];
    /// Milliseconds between two evaluations while training.
    fn metrics_every_ms(&self) -> f64;
    /// What to paint now.
    fn frame(&mut self, layers: Layers) -> Result<Frame>;
    /// What the page says during slow motion's two phases.
    fn phase_text(&self, player: Player, k: usize) -> String;
    /// The networks' weights as a safetensors file.
    fn save_weights(&self) -> Result<Vec<u8>>;
    /// Loads a safetensors file (saved here or by the CLI) and trains on from it; the
    /// message to show. A file that does not fit is refused and nothing changes.
    fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String>;
    /// Compare mode's second run ([`compare`]): a lab on the same data with the same
    /// networks and their current weights, trained with `cfg`. Refused by a lab that has
    /// no second run.
    fn twin(&self, cfg: super::game::TrainConfig) -> Result<Box<dyn Lab>> {
        let _ = cfg;
        Err(GanError::InvalidConfig(format!(
            "compare: two runs side by side are for 2D data; the {} session has one",
            self.mode()
        )))
    }
    /// Compare mode's run B as a VAE ([`compare::Twin::Vae`]): one of the same network
    /// sizes on the same data from the same seed, trained with `cfg`. Refused by a lab
    /// that has none.
    fn vae_twin(&self, cfg: super::game::TrainConfig) -> Result<Box<dyn Lab>> {
        let _ = cfg;
        Err(GanError::InvalidConfig(format!(
            "compare: a VAE beside the GAN is for 2D data; the {} session has none",
            self.mode()
        )))
    }
    /// The live settings (`TRAIN_SETTINGS` keys) its game reads; `None`: every one.
    fn live_keys(&self) -> Option<&'static [&'static str]> {
        None
    }
    /// The 2D data it trains on, where it has one (run B follows run A's).
    fn data(&self) -> Option<&super::plane::data::Dataset> {
        None
    }
    /// Takes `leader`'s data after a live change of it (compare mode's run B follows run
    /// A's points); nothing where the data cannot change live.
    fn follow(&mut self, leader: &dyn Lab) -> Result<()> {
        let _ = leader;
        Ok(())
    }
    /// The players' objectives as the page shows them, where they are not the loss's (the
    /// xy game has no loss).
    fn formulas(&self) -> Option<(&'static str, &'static str)> {
        None
    }
    /// The most iterations per second the lab wants trained, where its iterations are
    /// too fast for the eye (the xy game's steps take nanoseconds): the session then
    /// trains at that rate whatever the slice's budget.
    fn pace(&self) -> Option<f64> {
        None
    }
    /// A second plane beside the first, where the game has one (the BiGAN's latent
    /// space, the CycleGAN's way back); compare mode's run B takes that place otherwise.
    fn side_frame(&mut self, layers: Layers) -> Result<Option<Frame>> {
        let _ = layers;
        Ok(None)
    }
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// What a lesson says of the run it watches ([`Observer`]): a line for the page, whether
/// the lesson's claim is visible, and an optional histogram to draw beside it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Observation {
    pub text: String,
    pub holds: bool,
    /// `(label of the bins, counts)`, e.g. the critic's weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<(String, Vec<f64>)>,
}

/// Watches a session for a lesson (`core::lesson`): called after each evaluation; it may
/// keep what it saw (e.g. the distance to D* at each k).
pub trait Observer {
    /// The lesson's id, written in the link as `lesson=<id>`.
    fn id(&self) -> &'static str;
    fn observe(&mut self, session: &Session) -> Observation;
    /// Forgets what it saw (the run restarted).
    fn restart(&mut self) {}
}

/// One session in the page: a lab and how it is being run.
pub struct Session {
    lab: Box<dyn Lab>,
    running: bool,
    speed: SpeedMeter,
    /// How the page shows it (layers, speed, slow motion): in the link, never restarting.
    view: View,
    notes: Vec<String>,
    history: History,
    /// Every iteration's losses, as per-bin means, for the loss chart.
    losses: StepMeans,
    /// Live setting changes and the divergence, marked on the charts.
    markers: Vec<Marker>,
    /// The step the lab's readout was measured at.
    metrics_step: Option<usize>,
    /// The counters at that measurement: nothing to measure again until they move.
    measured: Option<super::game::Counters>,
    /// What a step may allocate, read when it is checked (the page's free memory changes).
    memory_limit: Option<fn() -> MemoryLimit>,
    /// Compare mode's run B ([`compare`]), trained in lockstep with this one.
    twin: Option<Box<Session>>,
    /// For a lab with a [`Lab::pace`]: the clock and the iteration when it was set.
    paced_since: Option<(f64, usize)>,
    /// The lesson watching this run, and what it last said.
    observer: Option<Box<dyn Observer>>,
    observation: Option<Observation>,
    /// Where the run diverged before the last reset, and with which settings: a run is
    /// deterministic, so the same settings diverge again at the same step, and the state
    /// says so rather than showing the same error as if Reset had done nothing.
    diverged_before: Option<(String, usize)>,
}

impl Session {
    /// A session on `lab`, paused, with `notes` (the messages of the link it came from).
    pub fn new(lab: Box<dyn Lab>, notes: Vec<String>) -> Self {
        Self {
            lab,
            running: false,
            speed: SpeedMeter::default(),
            view: View::default(),
            notes,
            history: History::new(HISTORY_POINTS),
            losses: StepMeans::new(HISTORY_POINTS),
            markers: Vec::new(),
            metrics_step: None,
            measured: None,
            memory_limit: None,
            twin: None,
            paced_since: None,
            observer: None,
            observation: None,
            diverged_before: None,
        }
    }

    /// Steps and batch changes are refused when a step at that batch would need more
    /// than `limit()` ([`check_step_memory`]).
    /// A link whose batch does not fit says so when it opens.
    pub fn with_memory_limit(mut self, limit: fn() -> MemoryLimit) -> Self {
        self.memory_limit = Some(limit);
        if let Err(e) = self.fits(self.lab.game().config().batch) {
            self.notes.push(e.to_string());
        }
        self
    }

    /// `Ok` when a step at `batch` fits in the memory limit, if there is one.
    fn fits(&self, batch: usize) -> Result<()> {
        match self.memory_limit {
            Some(limit) => check_step_memory(self.lab.game(), batch, &limit()),
            None => Ok(()),
        }
    }

    /// Reads the view's keys of a link (the lab read its own); a bad value keeps the
    /// default with a note.
    fn read_view(&mut self, link: &link::Link) {
        // The lab already noted what could not be read of the link: only the view's own
        // values add notes.
        super::settings::hash::read(VIEW_SETTINGS, &mut self.view, link.pairs(), &mut self.notes);
    }

    /// A lesson watches this run from now on (its observation is in the state).
    /// The run is measured at once, so that the lesson's "from" values are step 0's
    /// whenever Play is pressed.
    pub fn with_observer(mut self, observer: Box<dyn Observer>) -> Self {
        self.observer = Some(observer);
        if let Err(e) = self.update_metrics() {
            self.notes.push(e.to_string());
        }
        self
    }

    /// Adds a note to those the page shows when the session opens.
    pub fn with_note(mut self, note: String) -> Self {
        self.notes.push(note);
        self
    }

    /// What the lesson last said, if one watches.
    pub fn observation(&self) -> Option<&Observation> {
        self.observation.as_ref()
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    /// The session's link: the lab's settings, then the view's.
    pub fn hash(&self) -> String {
        let view =
            super::settings::hash::join(&super::settings::hash::write(VIEW_SETTINGS, &self.view));
        let lesson = self.observer.as_ref().map_or(String::new(), |o| {
            format!("&{}={}", link::LESSON_KEY, o.id())
        });
        format!("{}&{view}{}{lesson}", self.lab.hash(), self.twin_hash())
    }

    pub fn lab(&self) -> &dyn Lab {
        self.lab.as_ref()
    }

    /// The lab as its own type, for what only it can do (placing points, loading weights).
    pub fn lab_as<L: Lab>(&mut self) -> Result<&mut L> {
        let mode = self.lab.mode();
        self.lab
            .as_any_mut()
            .downcast_mut::<L>()
            .ok_or_else(|| GanError::InvalidConfig(format!("not possible in the {mode} session")))
    }

    /// Runs `f` on the lab as its own type, for something that replaces its networks
    /// (a new data set, loaded weights); the run's measurements are then forgotten.
    pub fn restart_as<L: Lab, T>(&mut self, f: impl FnOnce(&mut L) -> Result<T>) -> Result<T> {
        self.update_as(|lab: &mut L| f(lab).map(|t| (t, true)))
    }

    /// Runs `f` on the lab as its own type; `f` says whether it restarted training (the
    /// run's measurements are then forgotten) or changed something live.
    pub fn update_as<L: Lab, T>(
        &mut self,
        f: impl FnOnce(&mut L) -> Result<(T, bool)>,
    ) -> Result<T> {
        let (out, restarted) = f(self.lab_as::<L>()?)?;
        if restarted {
            self.restarted()?;
        } else {
            self.twin_follows()?;
        }
        Ok(out)
    }

    /// The networks' weights as a safetensors file ([`Lab::save_weights`]).
    pub fn save_weights(&self) -> Result<Vec<u8>> {
        self.lab.save_weights()
    }

    /// Loads weights into the lab ([`Lab::load_weights`]): a new run from them.
    pub fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String> {
        let note = self.lab.load_weights(bytes, name)?;
        self.restarted()?;
        Ok(note)
    }

    /// Forgets the run's measurements after the lab replaced its networks; run B, if
    /// any, starts again from the new networks.
    fn restarted(&mut self) -> Result<()> {
        self.forget_run();
        self.restart_twin()
    }

    /// Forgets the run's measurements.
    fn forget_run(&mut self) {
        self.observation = None;
        if let Some(o) = self.observer.as_mut() {
            o.restart();
        }
        self.history = History::new(HISTORY_POINTS);
        self.losses = StepMeans::new(HISTORY_POINTS);
        self.markers.clear();
        self.metrics_step = None;
        self.measured = None;
        self.speed.clear();
    }

    pub fn notes(&self) -> String {
        self.notes.join("\n")
    }
    pub fn running(&self) -> bool {
        self.running
    }
    /// Starts or stops training; starting is refused when the run has diverged (the
    /// refusal repeats why, so Play does not wipe the explanation) or when a step does
    /// not fit in memory.
    pub fn set_running(&mut self, running: bool) -> Result<()> {
        if running {
            if !self.any_healthy() {
                let e = self.divergence_text();
                self.running = false;
                return Err(GanError::InvalidConfig(format!(
                    "{}: training stopped; press Reset to train again",
                    e.unwrap_or_default()
                )));
            }
            self.fits(self.lab.game().config().batch)?;
        }
        self.running = running && self.any_healthy();
        self.paced_since = None;
        if !self.running {
            self.speed.clear();
        }
        Ok(())
    }
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Runs phases of iterations until `clock()` has advanced by `budget_ms` (at most
    /// 1 s; at least one phase), if running; returns how many iterations completed (of the
    /// run that is ahead, in compare mode). A divergence stops the run that diverged (its
    /// message is in the state); training stops when no run is left.
    ///
    /// In compare mode each run completes an iteration in turn (B first: A's counter
    /// then never runs ahead of what the charts show of B), so a slice ends with both at
    /// the same step.
    pub fn train_for(&mut self, budget_ms: f64, clock: fn() -> f64) -> u32 {
        if !self.running || !self.any_healthy() {
            return 0;
        }
        let t0 = clock();
        let budget = budget_ms.clamp(0.0, 1000.0);
        let start = self.progress();
        if let Some(rate) = self.lab.pace() {
            return self.train_paced(rate, t0);
        }
        loop {
            match self.twin.as_mut() {
                // Compare mode: a whole iteration of each run in turn, so that the two are
                // always at the same step when the slice ends, whatever their k.
                Some(t) => {
                    t.whole_iteration();
                    self.whole_iteration();
                }
                None => self.phase(),
            }
            if !self.any_healthy() {
                self.running = false;
                break;
            }
            if clock() - t0 >= budget {
                break;
            }
        }
        (self.progress() - start) as u32
    }

    /// Iterations owed at `rate` per second since pacing started (it restarts when the
    /// rate changes or the run was paused: [`Session::set_running`]).
    fn train_paced(&mut self, rate: f64, now: f64) -> u32 {
        let iteration = self.iteration();
        let (t0, i0) = *self.paced_since.get_or_insert((now, iteration));
        let owed = (((now - t0) * rate / 1000.0).floor() as usize).saturating_sub(iteration - i0);
        // At most a second's worth at once (a tab that slept does not jump ahead).
        let owed = owed.min(rate.ceil() as usize);
        if owed == rate.ceil() as usize {
            self.paced_since = Some((now, iteration));
        }
        for _ in 0..owed {
            self.whole_iteration();
            if !self.healthy() {
                self.running = false;
                break;
            }
        }
        (self.iteration() - iteration) as u32
    }

    /// One phase of this run's iteration, unless it has diverged; a divergence is marked.
    fn phase(&mut self) {
        if !self.healthy() {
            return;
        }
        match self.lab.game_mut().step_phase() {
            Ok(true) => self.record_losses(),
            Ok(false) => {}
            Err(_) => self.mark_divergence(),
        }
    }

    fn healthy(&self) -> bool {
        self.lab.game().diverged().is_none()
    }

    /// Whether this run or run B can still train.
    fn any_healthy(&self) -> bool {
        self.healthy() || self.twin.as_ref().is_some_and(|t| t.healthy())
    }

    /// Phases until the iteration under way completes (or the run diverges).
    fn whole_iteration(&mut self) {
        let start = self.iteration();
        while self.healthy() && self.iteration() == start {
            self.phase();
        }
    }

    fn iteration(&self) -> usize {
        self.lab.game().counters().iteration
    }

    /// The iterations of the run that is ahead (A's, or B's in compare mode).
    fn progress(&self) -> usize {
        self.iteration()
            .max(self.twin.as_ref().map_or(0, |t| t.iteration()))
    }

    /// Adds the iteration just completed to the loss chart.
    fn record_losses(&mut self) {
        let game = self.lab.game();
        let last = game.last();
        self.losses
            .push(game.counters().iteration, last.d_loss, last.g_loss);
    }

    /// Marks the step where the run diverged, once.
    fn mark_divergence(&mut self) {
        if self.lab.game().diverged().is_some()
            && !self.markers.iter().any(|m| m.label == "diverged")
        {
            let step = self.lab.game().counters().iteration;
            self.markers.push(Marker {
                step,
                label: "diverged".into(),
            });
        }
    }

    /// The loss chart's per-step means.
    pub fn losses(&self) -> &StepMeans {
        &self.losses
    }

    /// The charts' markers, oldest first.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// Reads the step counter at `now_ms` for the speed readout (the page calls it
    /// between slices, whatever the speed; see [`speed`]).
    pub fn tick(&mut self, now_ms: f64) {
        if self.running {
            let progress = self.progress();
            self.speed.record(now_ms, progress);
        }
    }

    /// One iteration (k D steps and one G step), one D step or one G step (`"both"`,
    /// `"d"`, `"g"`), whether or not training is running; in compare mode, of both runs
    /// (a run that has diverged stays as it is).
    pub fn step_once(&mut self, which: &str) -> Result<()> {
        // Checked before either run steps, so that a refusal leaves them in lockstep.
        self.fits(self.lab.game().config().batch)?;
        // A run B without a critic (a VAE) has no D step to take: it waits for the next
        // G step or iteration.
        let critic_only = which == "d";
        if let Some(t) = self
            .twin
            .as_mut()
            .filter(|t| t.healthy() && (t.lab.game().has_critic() || !critic_only))
        {
            t.step_once(which)?;
        }
        if self.twin.is_some() && !self.healthy() {
            return Ok(());
        }
        let game = self.lab.game_mut();
        let before = game.counters().iteration;
        let out = match which {
            "both" => game.step().map(|_| ()),
            other => game.step_player(Player::parse(other)?).map(|_| ()),
        };
        self.after_steps(before);
        out
    }

    /// After single steps: the loss chart gets an iteration that completed, and a
    /// divergence is marked.
    fn after_steps(&mut self, before: usize) {
        if self.lab.game().counters().iteration > before {
            self.record_losses();
        }
        self.mark_divergence();
    }

    /// Slow motion: one phase of the iteration under way, the critic's k steps or the
    /// generator's step that completes it (so the step counter moves as in training);
    /// returns what the page says about it. In compare mode both runs take their phase.
    pub fn slow_step(&mut self) -> Result<String> {
        self.fits(self.lab.game().config().batch)?;
        // A run B without a critic takes its one phase with run A's generator phase, so
        // that the two complete their iterations together.
        let critic_phase = self.slow_next() == Player::Critic;
        let twin_text = match self
            .twin
            .as_mut()
            .filter(|t| t.healthy() && (t.lab.game().has_critic() || !critic_phase))
        {
            Some(t) => Some(t.slow_step()?),
            None => None,
        };
        if let (Some(text), false) = (&twin_text, self.healthy()) {
            return Ok(format!("run B: {text}"));
        }
        let k = self.lab.game().config().k;
        let game = self.lab.game_mut();
        let before = game.counters().iteration;
        let player = game.next_player();
        let stepped = (|| -> Result<()> {
            while !game.step_phase()? && game.next_player() == player {}
            Ok(())
        })();
        self.after_steps(before);
        stepped.map(|()| self.lab.phase_text(player, k))
    }

    /// The player slow motion shows next (the page lights it up).
    pub fn slow_next(&self) -> Player {
        self.lab.game().next_player()
    }

    /// Applies one setting by key: a live one between two steps, one that restarts by
    /// rebuilding the lab's networks (the message says so). Nothing changes when the
    /// value is refused.
    pub fn set(&mut self, key: &str, value: &str) -> Result<String> {
        if key == compare::COMPARE_KEY {
            return self.set_compare(value);
        }
        if let Some(own) = key.strip_prefix(compare::TWIN_PREFIX) {
            return self.set_twin(own, value);
        }
        if super::settings::find(VIEW_SETTINGS, key).is_some() {
            self.view = super::settings::applied(VIEW_SETTINGS, &self.view, key, value)?;
            return Ok(String::new());
        }
        let live = super::game::TRAIN_SETTINGS;
        if super::settings::find(live, key).is_some() {
            let cfg = super::settings::applied(live, self.lab.game().config(), key, value)?;
            self.fits(cfg.batch)?;
            let changed = cfg != *self.lab.game().config();
            self.lab.game_mut().set_config(cfg)?;
            if changed {
                self.markers.push(Marker {
                    step: self.lab.game().counters().iteration,
                    label: format!("{key} {value}"),
                });
            }
            return Ok(String::new());
        }
        if self.lab.set(key, value)? {
            self.restarted()?;
            // New networks at the running batch: stop, and say so, if a step no longer
            // fits (nothing has been allocated for it yet).
            if let Err(e) = self.fits(self.lab.game().config().batch) {
                self.running = false;
                return Ok(format!("training restarted, paused: {e}"));
            }
            return Ok(format!(
                "{key} changes the networks or the data: training restarted"
            ));
        }
        Ok(String::new())
    }

    /// Starts again from step 0 (both runs in compare mode, from the same weights).
    pub fn reset(&mut self) -> Result<()> {
        self.diverged_before = self
            .markers
            .iter()
            .find(|m| m.label == "diverged")
            .map(|m| (self.lab.hash(), m.step));
        self.lab.reset()?;
        self.restarted()
    }

    /// The divergence's message, saying when it repeats the one before the last reset.
    fn divergence_text(&self) -> Option<String> {
        let e = self.lab.game().diverged()?.to_string();
        let step = self.lab.game().counters().iteration;
        Some(match &self.diverged_before {
            Some((hash, before)) if *before == step && *hash == self.lab.hash() => format!(
                "{e} (again at step {step}: the same settings and seed train the same run, \
                 so change one first: a lower learning rate, another loss, another seed)"
            ),
            _ => e,
        })
    }

    /// Measures the generator and adds a point to the charts. Skipped after a divergence
    /// and when nothing stepped since the last measurement; an evaluation sample that is
    /// not finite stops the run as diverged instead of adding a point.
    pub fn update_metrics(&mut self) -> Result<()> {
        if let Some(t) = self.twin.as_mut() {
            t.update_metrics()?;
        }
        let counters = self.lab.game().counters();
        if self.lab.game().diverged().is_some() || self.measured == Some(counters) {
            return Ok(());
        }
        self.measured = Some(counters);
        let point = match self.lab.evaluate() {
            Ok(p) => p,
            Err(e @ GanError::Diverged { .. }) => {
                // A generated sample that is not finite stops the run as diverged.
                self.lab.game_mut().halt(e);
                self.running = false;
                self.mark_divergence();
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        self.metrics_step = Some(point.step);
        self.history.push(point);
        if let Some(mut o) = self.observer.take() {
            self.observation = Some(o.observe(self));
            self.observer = Some(o);
        }
        Ok(())
    }

    /// Whether [`Session::update_metrics`] has something to measure (this run or run B
    /// stepped, restarted or took new weights since its last measurement): a paused
    /// page's worker waits for nothing else.
    pub fn metrics_pending(&self) -> bool {
        let mine = self.lab.game().diverged().is_none()
            && self.measured != Some(self.lab.game().counters());
        mine || self.twin.as_ref().is_some_and(|t| t.metrics_pending())
    }

    /// What to paint now (see [`Lab::frame`]).
    pub fn frame(&mut self, layers: Layers) -> Result<Frame> {
        self.lab.frame(layers)
    }

    /// What to paint of run B in compare mode, or the lab's second plane.
    pub fn twin_frame(&mut self, layers: Layers) -> Result<Option<Frame>> {
        match self.twin.as_mut() {
            Some(t) => t.frame(layers).map(Some),
            None => self.lab.side_frame(layers),
        }
    }

    /// Every setting the page shows: the live ones, then the lab's.
    /// Every setting of this session: the live ones its game honours, then the lab's own.
    pub fn settings(&self) -> Vec<SettingInfo> {
        let live = games::row(self.lab.mode()).and_then(|r| r.live);
        let mut all: Vec<SettingInfo> = super::settings::describe(super::game::TRAIN_SETTINGS)
            .into_iter()
            .filter(|s| live.is_none_or(|keys| keys.contains(&s.key)))
            .collect();
        all.extend(self.lab.settings());
        all
    }

    /// The state the page shows and tests read (`window.ganPlayground.state()`).
    pub fn state(&self) -> Map<String, Value> {
        let game = self.lab.game();
        let c = game.counters();
        let last = game.last();
        let cfg = game.config();
        let mut out = Map::new();
        let mut put = |k: &str, v: Value| {
            out.insert(k.to_string(), v);
        };
        put("mode", self.lab.mode().into());
        put("step", c.iteration.into());
        put("d_steps", c.d_steps.into());
        put("g_steps", c.g_steps.into());
        put("loss", cfg.loss.name().into());
        put("k", cfg.k.into());
        put("kg", cfg.kg.into());
        put("running", self.running.into());
        // No loss before the first step of each player (not a 0 that was never computed).
        let loss = |steps: usize, v: f64| {
            if steps == 0 {
                Value::Null
            } else {
                finite_or_null(v)
            }
        };
        put("d_loss", loss(c.d_steps, last.d_loss));
        put("g_loss", loss(c.g_steps, last.g_loss));
        let rate = if self.running { self.speed.rate() } else { 0.0 };
        put("steps_per_s", rate.into());
        let flops = game.flops_per_iteration()
            + self
                .twin
                .as_ref()
                .map_or(0.0, |t| t.lab.game().flops_per_iteration());
        put("gflops", finite_or_null(rate * flops / 1e9));
        put("metrics_step", self.metrics_step.into());
        put("error", self.divergence_text().into());
        put(
            "slow_next",
            if self.slow_next() == Player::Critic {
                "d"
            } else {
                "g"
            }
            .into(),
        );
        let (d, g) = self
            .lab
            .formulas()
            .map(|(d, g)| (d.to_string(), g.to_string()))
            .unwrap_or_else(|| cfg.loss.formulas());
        put("formula_d", d.into());
        put("has_critic", game.has_critic().into());
        put("formula_g", g.into());
        put("hash", self.hash().into());
        put(
            "view",
            serde_json::json!({
                "layers": self.view.layers_text(),
                "speed": self.view.speed.name(),
                "slowmo": self.view.slow_motion,
                "budget_ms": self.view.speed.budget_ms(),
            }),
        );
        self.lab.readout(&mut out);
        if let Some(o) = &self.observer {
            let mut lesson = serde_json::json!({ "id": o.id() });
            if let Some(obs) = &self.observation {
                lesson["text"] = obs.text.clone().into();
                lesson["holds"] = obs.holds.into();
                if let Some((label, counts)) = &obs.histogram {
                    lesson["histogram"] = serde_json::json!({ "label": label, "counts": counts });
                }
            }
            out.insert("lesson".into(), lesson);
        }
        out.insert("compare".into(), self.twin.is_some().into());
        if let Some(t) = &self.twin {
            let mut b = t.state();
            for k in ["hash", "view", "compare", "steps_per_s", "gflops"] {
                b.remove(k);
            }
            b.insert("running".into(), (self.running && t.healthy()).into());
            out.insert("b".into(), Value::Object(b));
        }
        out
    }
}

/// A number for the page's JSON; a non-finite one (never drawn) is `null`.
pub fn finite_or_null(v: f64) -> Value {
    if v.is_finite() {
        v.into()
    } else {
        Value::Null
    }
}
