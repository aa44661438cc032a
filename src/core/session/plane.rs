//! The 2D lab: a [`PlaneTrainer`] with the fixed noise its fake samples are drawn from,
//! a fixed real sample, the link format of a 2D session, and the plane's layers.

use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, Player, TrainConfig, TRAIN_SETTINGS};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::plane::data::Dataset;
use crate::core::plane::density::GridSpec;
use crate::core::plane::field::{discriminator_field, manifold, optimal_discriminator_field};
use crate::core::plane::metrics::{MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, hash, SettingInfo};
use candle_core::Device;
use serde_json::{Map, Value};
use std::any::Any;

/// Cells per side of D's heatmap and of the optimal discriminator's grid.
pub const HEATMAP_CELLS: usize = 60;
/// The manifold mesh is `MANIFOLD_CELLS²` noise points (GAN Lab: 20 × 20).
pub const MANIFOLD_CELLS: usize = 20;
/// Gradient arrows are drawn on this many of the fixed fake samples.
pub const ARROWS: usize = 150;
/// Fake and real samples shown.
pub const SHOWN: usize = 500;
/// Samples per live evaluation (exact W1 on [`W1_SAMPLES_LIVE`] of them, a few ms).
pub const EVAL_SAMPLES: usize = 1000;

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
    let (mut model, mut cfg) = (defaults.0.clone(), *defaults.1);
    let mut notes = Vec::new();
    let pairs = hash::pairs(link, &mut notes);
    hash::read(PLANE_SETTINGS, &mut model, &pairs, &mut notes);
    hash::read(TRAIN_SETTINGS, &mut cfg, &pairs, &mut notes);
    let known: Vec<&str> = PLANE_SETTINGS
        .iter()
        .map(|s| s.key)
        .chain(TRAIN_SETTINGS.iter().map(|s| s.key))
        .chain(super::view::view_keys())
        .collect();
    hash::unknown_keys(&pairs, &known, &mut notes);
    (model, cfg, notes)
}

pub struct PlaneLab {
    trainer: PlaneTrainer,
    /// Fake samples are drawn from one fixed noise batch, so their motion is smooth.
    fixed_noise: Vec<f32>,
    real_sample: Vec<[f32; 2]>,
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
        Ok(Self {
            trainer,
            fixed_noise,
            real_sample,
            report: None,
        })
    }

    /// A lab from a link; values that cannot be used fall back to the defaults, each with
    /// a note.
    pub fn from_hash(link: &str) -> Result<(Self, Vec<String>)> {
        let (model, cfg, mut notes) =
            read_plane_hash(link, (&PlaneModel::default(), &TrainConfig::default()));
        match Self::new(model, cfg) {
            Ok(lab) => Ok((lab, notes)),
            Err(e) => {
                notes.push(format!("{e}; started with the defaults"));
                Ok((
                    Self::new(PlaneModel::default(), TrainConfig::default())?,
                    notes,
                ))
            }
        }
    }

    pub fn trainer(&self) -> &PlaneTrainer {
        &self.trainer
    }

    fn rebuild(&mut self, model: PlaneModel) -> Result<()> {
        *self = Self::new(model, *self.trainer.game().config())?;
        Ok(())
    }

    /// Places a real data point where the user clicked, given as fractions of the plane's
    /// width and height from its top-left corner. The first point starts a custom data set
    /// (GAN Lab's "draw your own"); every point restarts training on the new data.
    pub fn add_point(&mut self, fx: f64, fy: f64) -> Result<()> {
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
        let mut points = match &self.trainer.model().dataset {
            Dataset::Custom(p) => p.clone(),
            _ => Vec::new(),
        };
        points.push([x, y]);
        let model = PlaneModel {
            dataset: Dataset::custom(points)?,
            ..self.trainer.model().clone()
        };
        self.rebuild(model)
    }

    /// The plane's grid: the data set's view, [`HEATMAP_CELLS`] per side.
    pub fn grid(&self) -> GridSpec {
        let (centre, half) = self.trainer.model().dataset.view();
        GridSpec::square(centre, half, HEATMAP_CELLS)
    }
}

fn flat(points: &[[f32; 2]]) -> Vec<f32> {
    points.iter().flatten().copied().collect()
}

impl Lab for PlaneLab {
    fn mode(&self) -> &'static str {
        "2d"
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
        if layers.real {
            f.floats.push(("real", flat(&self.real_sample)));
        }
        if layers.fake {
            f.floats.push(("fake", flat(&fakes)));
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
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
