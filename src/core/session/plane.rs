//! The 2D lab: a [`PlaneTrainer`] with the fixed noise its fake samples are drawn from,
//! a fixed real sample, the link format of a 2D session, and the plane's layers.

pub use super::game_link::{EVAL_SAMPLES, HEATMAP_CELLS, MANIFOLD_CELLS, SHOWN};
use super::link::{open_lab, read, Link, LinkFormat, LinkLab, Named};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, Player, TrainConfig, TRAIN_SETTINGS};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::plane::data::Dataset;
use crate::core::plane::density::GridSpec;
use crate::core::plane::field::{
    discriminator_field, heat_scale, manifold, optimal_discriminator_field,
};
use crate::core::plane::metrics::{MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::mode_benchmark;
use crate::core::plane::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, hash, Setting, SettingInfo};
use crate::core::weights::{from_safetensors, to_safetensors};
use candle_core::Device;
use serde_json::{Map, Value};
use std::any::Any;

/// Gradient arrows are drawn on this many of the fixed fake samples.
pub const ARROWS: usize = 150;

/// The hash of a 2D session: the model's settings, then the live ones.
pub fn plane_hash(model: &PlaneModel, cfg: &TrainConfig) -> String {
    let mut kv = hash::write(PLANE_SETTINGS, model);
    kv.extend(hash::write(TRAIN_SETTINGS, cfg));
    hash::join(&kv)
}

/// Reads a 2D link over `defaults`: the configuration, and one note per value that was
/// clamped or refused.
pub fn read_plane_hash(
    link: &str,
    defaults: (&PlaneModel, &TrainConfig),
) -> (PlaneModel, TrainConfig, Vec<String>) {
    read(
        &Link::parse(link),
        &PlaneLab::LINK,
        PLANE_SETTINGS,
        defaults,
    )
}

/// The configuration a 2D link describes, for the mode-collapse benchmark
/// (`core::plane::mode_benchmark`): read strictly, so that a value the link would have
/// clamped or refused is an error rather than a silent default, and refused for a data
/// set without modes. The link's seed is kept here; the benchmark's runs take their own.
pub fn benchmark_config(link: &str) -> Result<(PlaneModel, TrainConfig)> {
    let (model, cfg, notes) =
        read_plane_hash(link, (&PlaneModel::default(), &TrainConfig::default()));
    if let Some(note) = notes.first() {
        return Err(GanError::InvalidConfig(format!(
            "the link does not read cleanly: {note}"
        )));
    }
    model.validate()?;
    cfg.validate()?;
    mode_benchmark::check_model(&model)?;
    Ok((model, cfg))
}

/// The settings a preset changes in the 2D session of `link`, as the `(key, value)` pairs
/// to set, the live ones first. A preset is a link fragment (`"loss=minimax&r1=1"`, e.g.
/// [`mode_benchmark::MODE_CURE_PRESET`]) over the defaults: every setting it does not
/// name goes back to its default, so that the run is the preset's configuration whatever
/// was set before; the data, the points and the seed stay the session's (a preset may not
/// name them). A preset that cannot be read whole is refused.
pub fn preset_changes(link: &str, preset: &str) -> Result<Vec<(&'static str, String)>> {
    let (model, cfg, _) = read_plane_hash(link, (&PlaneModel::default(), &TrainConfig::default()));
    let mut notes = Vec::new();
    let pairs = hash::pairs(preset, &mut notes);
    let mut new_cfg = TrainConfig::default();
    hash::read(TRAIN_SETTINGS, &mut new_cfg, &pairs, &mut notes);
    let kept = |k: &str| matches!(k, "dataset" | "points" | "seed");
    let networks: Vec<_> = PLANE_SETTINGS.iter().filter(|s| !kept(s.key)).collect();
    let mut new_model = PlaneModel {
        dataset: model.dataset.clone(),
        seed: model.seed,
        ..Default::default()
    };
    for s in &networks {
        hash::read(std::slice::from_ref(*s), &mut new_model, &pairs, &mut notes);
    }
    let known: Vec<&str> = TRAIN_SETTINGS
        .iter()
        .map(|s| s.key)
        .chain(networks.iter().map(|s| s.key))
        .collect();
    hash::unknown_keys(&pairs, &known, &mut notes);
    if let Some(note) = notes.first() {
        return Err(GanError::InvalidConfig(format!("preset: {note}")));
    }
    new_cfg.validate()?;
    new_model.validate()?;
    let (old_live, old_networks) = (
        hash::write(TRAIN_SETTINGS, &cfg),
        hash::write(PLANE_SETTINGS, &model),
    );
    let mut changes = hash::write(TRAIN_SETTINGS, &new_cfg);
    changes.retain(|kv| !old_live.contains(kv));
    let mut restarts = hash::write(PLANE_SETTINGS, &new_model);
    restarts.retain(|kv| !old_networks.contains(kv));
    changes.extend(restarts);
    Ok(changes)
}

/// The labels of `points` under a conditional model, as the frame carries them.
fn labels_as_floats(t: &PlaneTrainer, points: &[[f32; 2]]) -> Option<Vec<f32>> {
    t.labels_of(points)
        .map(|l| l.into_iter().map(|l| l as f32).collect())
}

pub struct PlaneLab {
    trainer: PlaneTrainer,
    /// The user's points while another data set is shown: choosing "your points"
    /// again brings them back.
    saved_points: Vec<[f32; 2]>,
    /// "Clear points" was pressed: the next point starts a new set.
    clear_next: bool,
    /// Fake samples are drawn from one fixed noise batch, so their motion is smooth.
    fixed_noise: Vec<f32>,
    real_sample: Vec<[f32; 2]>,
    /// A conditional model's labels of `real_sample` (fixed with it, so painted as kept).
    real_labels: Option<Vec<f32>>,
    report: Option<MetricsReport>,
}

impl PlaneLab {
    pub fn new(model: PlaneModel, cfg: TrainConfig) -> Result<Self> {
        let trainer = PlaneTrainer::new(model, cfg, &Device::Cpu)?;
        let mut rng = SeededRng::new(trainer.model().seed ^ 0x5eed);
        let fixed_noise = (0..SHOWN * trainer.model().noise_dim)
            .map(|_| rng.normal())
            .collect();
        let (real_sample, _) = trainer.eval_samples(SHOWN)?;
        let real_labels = labels_as_floats(&trainer, &real_sample);
        Ok(Self {
            trainer,
            saved_points: Vec::new(),
            clear_next: false,
            fixed_noise,
            real_labels,
            real_sample,
            report: None,
        })
    }

    /// A lab from a link; values that cannot be used fall back to the defaults, each with
    /// a note.
    pub fn from_hash(link: &str) -> Result<(Self, Vec<String>)> {
        open_lab(&Link::parse(link))
    }

    pub fn trainer(&self) -> &PlaneTrainer {
        &self.trainer
    }

    /// The last evaluation's metrics.
    pub fn report(&self) -> Option<&MetricsReport> {
        self.report.as_ref()
    }

    /// The samples the plane shows: the fixed real sample and G of the fixed noise.
    pub fn shown(&self) -> Result<(&[[f32; 2]], crate::core::plane::trainer::Points)> {
        Ok((&self.real_sample, self.trainer.generate(&self.fixed_noise)?))
    }

    fn rebuild(&mut self, model: PlaneModel) -> Result<()> {
        let saved = std::mem::take(&mut self.saved_points);
        *self = Self::new(model, *self.trainer.game().config())?;
        self.saved_points = saved;
        Ok(())
    }

    /// The user's points: those shown, or those kept while another data set is.
    pub fn user_points(&self) -> &[[f32; 2]] {
        match &self.trainer.model().dataset {
            Dataset::Custom(p) => p,
            _ => &self.saved_points,
        }
    }

    /// Places a real data point where the user clicked, given as fractions of the plane's
    /// width and height from its top-left corner. The first point starts a set of the
    /// user's own (GAN Lab's "draw your own"; that restarts, as any change of data set);
    /// every later one joins the data live, and the networks train on (`Ok(false)`).
    pub fn add_point(&mut self, fx: f64, fy: f64) -> Result<bool> {
        if !(fx.is_finite()
            && fy.is_finite()
            && (0.0..=1.0).contains(&fx)
            && (0.0..=1.0).contains(&fy))
        {
            return Err(GanError::InvalidData(
                "the point is outside the plane".into(),
            ));
        }
        let (centre, half) = self.trainer.model().dataset.view();
        let x = centre[0] + half * (2.0 * fx as f32 - 1.0);
        let y = centre[1] + half * (1.0 - 2.0 * fy as f32);
        match &self.trainer.model().dataset {
            Dataset::Custom(p) => {
                let mut points = if self.clear_next {
                    Vec::new()
                } else {
                    p.clone()
                };
                points.push([x, y]);
                // A conditional model has a label per point: a new point is a new label,
                // so new networks.
                if self.trainer.model().cond {
                    let model = PlaneModel {
                        dataset: Dataset::custom(points)?,
                        ..self.trainer.model().clone()
                    };
                    self.clear_next = false;
                    self.rebuild(model)?;
                    return Ok(true);
                }
                self.set_points_live(points)?;
                Ok(false)
            }
            _ => {
                let model = PlaneModel {
                    dataset: Dataset::custom(vec![[x, y]])?,
                    ..self.trainer.model().clone()
                };
                self.saved_points.clear();
                self.clear_next = false;
                self.rebuild(model)?;
                Ok(true)
            }
        }
    }

    /// The label a conditional model's pictures show (`-1`: each label in turn).
    pub fn set_label(&mut self, label: i32) -> Result<()> {
        self.trainer.show_label(usize::try_from(label).ok())
    }

    /// The user's points replace the data while training goes on.
    fn set_points_live(&mut self, points: Vec<[f32; 2]>) -> Result<()> {
        let dataset = Dataset::custom(points)?;
        self.clear_next = false;
        self.trainer.set_dataset(dataset);
        self.real_sample = self.trainer.eval_samples(SHOWN)?.0;
        self.real_labels = labels_as_floats(&self.trainer, &self.real_sample);
        self.report = None;
        Ok(())
    }

    /// "Clear points": the next point placed starts a new set (the data stays until
    /// then, so that training has something to train on).
    pub fn clear_points(&mut self) {
        self.clear_next = true;
        self.saved_points.clear();
    }

    /// A point set read from a file ([`crate::core::plane::points_file`]) becomes the
    /// data: a new data set, so training restarts.
    pub fn load_points(&mut self, points: Vec<[f32; 2]>) -> Result<()> {
        let model = PlaneModel {
            dataset: Dataset::custom(points)?,
            ..self.trainer.model().clone()
        };
        self.saved_points.clear();
        self.clear_next = false;
        self.rebuild(model)
    }

    /// The plane's grid: the data set's view, [`HEATMAP_CELLS`] per side.
    pub fn grid(&self) -> GridSpec {
        let (centre, half) = self.trainer.model().dataset.view();
        GridSpec::square(centre, half, HEATMAP_CELLS)
    }
}

impl LinkLab for PlaneLab {
    const LINK: LinkFormat = LinkFormat {
        key: "2d",
        named: Named::ByDefault,
        compare: true,
    };
    type Model = PlaneModel;
    const SETTINGS: &'static [Setting<PlaneModel>] = PLANE_SETTINGS;
    fn build(model: PlaneModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

fn flat(points: &[[f32; 2]]) -> Vec<f32> {
    points.iter().flatten().copied().collect()
}

impl Lab for PlaneLab {
    fn mode(&self) -> &'static str {
        Self::LINK.key
    }
    fn game(&self) -> &dyn Game {
        self.trainer.game()
    }
    fn game_mut(&mut self) -> &mut dyn Game {
        self.trainer.game_mut()
    }
    fn hash(&self) -> String {
        plane_hash(self.trainer.model(), self.trainer.game().config())
    }
    fn settings(&self) -> Vec<SettingInfo> {
        settings::describe(PLANE_SETTINGS)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let current = self.trainer.model();
        if key == "dataset" && value == "custom" && !matches!(current.dataset, Dataset::Custom(_)) {
            if self.saved_points.is_empty() {
                return Err(GanError::InvalidConfig(
                    "dataset: your points are empty: click on the plane or load a file".into(),
                ));
            }
            let model = PlaneModel {
                dataset: Dataset::custom(std::mem::take(&mut self.saved_points))?,
                ..current.clone()
            };
            self.rebuild(model)?;
            return Ok(true);
        }
        if let Dataset::Custom(p) = &current.dataset {
            if key == "dataset" && value != "custom" {
                self.saved_points = p.clone();
            }
        }
        let model = settings::applied(PLANE_SETTINGS, self.trainer.model(), key, value)?;
        model.validate()?;
        if model == *self.trainer.model() {
            return Ok(false);
        }
        self.rebuild(model)?;
        Ok(true)
    }
    fn reset(&mut self) -> Result<()> {
        self.rebuild(self.trainer.model().clone())
    }
    fn evaluate(&mut self) -> Result<HistoryPoint> {
        let m = self
            .trainer
            .evaluate_with_w1(EVAL_SAMPLES, W1_SAMPLES_LIVE)?;
        let game = self.trainer.game();
        let last = game.last();
        let point = m.history_point(
            game.counters().iteration,
            last.d_loss,
            last.g_loss,
            &game.config().loss,
        );
        self.report = Some(m);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let m = self.report.as_ref();
        out.insert("dataset".into(), self.trainer.model().dataset.name().into());
        out.insert("js".into(), m.map_or(Value::Null, |m| finite_or_null(m.js)));
        out.insert("kl".into(), m.map_or(Value::Null, |m| finite_or_null(m.kl)));
        out.insert("w1".into(), m.map_or(Value::Null, |m| finite_or_null(m.w1)));
        out.insert("modes_covered".into(), m.map(|m| m.modes_covered).into());
        out.insert("modes_total".into(), m.map(|m| m.modes_total).into());
        out.insert(
            "high_quality".into(),
            m.and_then(|m| m.high_quality)
                .map_or(Value::Null, finite_or_null),
        );
        out.insert(
            "mode_counts".into(),
            m.map_or_else(Vec::new, |m| m.mode_counts.clone()).into(),
        );
        out.insert(
            "has_modes".into(),
            self.trainer.model().dataset.modes().is_some().into(),
        );
        out.insert("has_points".into(), (!self.user_points().is_empty()).into());
        out.insert("classes".into(), self.trainer.classes().into());
        out.insert("label".into(), self.trainer.shown_label().into());
        let energy = self.trainer.game().config().loss.energy_critic();
        out.insert("heat_scale".into(), heat_scale(energy).to_vec().into());
        out.insert("points".into(), self.user_points().len().into());
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Losses, Chart::Divergences, Chart::Modes]
    }
    fn metrics_every_ms(&self) -> f64 {
        1000.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let t = &self.trainer;
        let grid = self.grid();
        let fakes = if layers.fake || layers.optimal || layers.arrows {
            t.generate(&self.fixed_noise)?
        } else {
            Vec::new()
        };
        let mut f = Frame::default();
        f.floats.push((
            "view",
            vec![
                grid.lo[0] as f32,
                grid.lo[1] as f32,
                grid.hi[0] as f32,
                grid.hi[1] as f32,
                grid.n as f32,
            ],
        ));
        if layers.heatmap {
            f.floats.push(("heatmap", discriminator_field(t, &grid)?));
        }
        if layers.optimal {
            let d = optimal_discriminator_field(t, &grid, &self.real_sample, &fakes);
            f.floats
                .push(("optimal", d.into_iter().map(|v| v as f32).collect()));
        }
        if layers.manifold {
            f.floats
                .push(("manifold", flat(&manifold(t, MANIFOLD_CELLS)?)));
        }
        if layers.arrows {
            let from = &fakes[..fakes.len().min(ARROWS)];
            f.floats.push(("arrow_from", flat(from)));
            f.floats
                .push(("arrow_push", flat(&t.generator_push(from)?)));
        }
        if t.classes() > 0 {
            f.floats.push(("classes", vec![t.classes() as f32]));
        }
        if layers.real {
            f.floats.push(("real", flat(&self.real_sample)));
            if let Some(l) = t.labels_of(&self.real_sample) {
                f.floats
                    .push(("real_labels", l.iter().map(|&l| l as f32).collect()));
            }
        }
        if layers.fake {
            f.floats.push(("fake", flat(&fakes)));
            if let Some(l) = t.sample_labels(fakes.len()) {
                f.floats
                    .push(("fake_labels", l.iter().map(|&l| l as f32).collect()));
            }
        }
        Ok(f)
    }
    fn phase_text(&self, player: Player, k: usize) -> String {
        match player {
            Player::Critic => {
                format!("D phase: {k} step(s); the heatmap sharpens around the data")
            }
            Player::Generator => "G step: the fakes move along the gradient arrows".into(),
        }
    }
    /// G and D as safetensors (the same names as the CLI's `weights.safetensors`).
    fn save_weights(&self) -> Result<Vec<u8>> {
        to_safetensors(self.trainer.tensors())
    }
    /// Loads a 2D GAN's weights, saved here or by the CLI: the networks' shape is read
    /// off the file ([`PlaneModel::from_tensors`]); the data, activation, noise and the
    /// live settings stay, and training continues from these weights.
    fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String> {
        let tensors = from_safetensors(bytes, &Device::Cpu)?;
        let model = self.trainer.model().from_tensors(&tensors)?;
        let mut lab = Self::new(model.clone(), *self.trainer.game().config())?;
        lab.trainer.load(&tensors)?;
        lab.saved_points = std::mem::take(&mut self.saved_points);
        *self = lab;
        let name: String = name.chars().take(80).collect();
        Ok(format!(
            "loaded {name}: G {}-{}×{}-2 and D 2-{}×{}-1 ({} as set here: a weights file does not say); training continues from these weights",
            model.noise_dim, model.hidden, model.layers, model.hidden, model.layers, model.activation.name()
        ))
    }
    /// Run B of compare mode: the same model (data, networks, seed, so the same batches
    /// and fixed noise) with A's current weights (`Var::set` copies them).
    fn twin(&self, cfg: TrainConfig) -> Result<Box<dyn Lab>> {
        let mut lab = Self::new(self.trainer.model().clone(), cfg)?;
        lab.trainer
            .load(&self.trainer.tensors().into_iter().collect())?;
        lab.saved_points = self.saved_points.clone();
        Ok(Box::new(lab))
    }
    /// A VAE of the same sizes on the same data from the same seed.
    fn vae_twin(&self, cfg: TrainConfig) -> Result<Box<dyn Lab>> {
        let model = crate::core::plane::VaeModel::like(self.trainer.model());
        Ok(Box::new(super::vae::VaeLab::new(model, cfg)?))
    }
    fn data(&self) -> Option<&Dataset> {
        Some(&self.trainer.model().dataset)
    }
    /// The leader's points, when they changed live.
    fn follow(&mut self, leader: &dyn Lab) -> Result<()> {
        let Some(data) = leader.data() else {
            return Ok(());
        };
        if data != &self.trainer.model().dataset {
            if let Dataset::Custom(points) = data {
                self.set_points_live(points.clone())?;
            }
        }
        Ok(())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
