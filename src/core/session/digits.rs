//! The MNIST lab: a [`DigitTrainer`] with the digit classifier that measures it, the
//! sample grid, interpolation strip and real digits it paints, and weights that load from
//! and save to safetensors bytes.

use super::link::{read, DigitAssets, Link, LinkFormat, Named, Opened, MODE_KEY};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::digits::classifier::Classifier;
use crate::core::digits::data::{mosaic, Digits};
use crate::core::digits::metrics::DigitReport;
use crate::core::digits::trainer::{digit_train_config, grid_digest};
use crate::core::digits::{DigitModel, DigitTrainer, DIGIT_SETTINGS};
use crate::core::error::{GanError, Result};
use crate::core::game::{Game, Player, TrainConfig, TRAIN_SETTINGS};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::settings::{self, hash, SettingInfo};
use crate::core::weights::{from_safetensors, to_safetensors};
use candle_core::Device;
use serde_json::{Map, Value};
use std::any::Any;
use std::sync::Arc;

/// Generated and real digits per quality evaluation (about 50 ms in the page).
pub const EVAL_DIGITS: usize = 300;
/// The sample grid: ten rows of ten, from noise fixed by the session's seed (as the
/// CLI's `samples.png`).
pub const GRID_ROWS: usize = 10;
pub const INTERPOLATION_STEPS: usize = 10;

/// How a link names the MNIST session (`mode=mnist`).
pub const DIGITS_LINK: LinkFormat = LinkFormat {
    key: "mnist",
    named: Named::Mode,
    compare: true,
};

/// The hash of a digit session: `mode=mnist`, the model, then the live settings.
pub fn digit_hash(model: &DigitModel, cfg: &TrainConfig) -> String {
    let mut kv = vec![(MODE_KEY, DIGITS_LINK.key.to_string())];
    kv.extend(hash::write(DIGIT_SETTINGS, model));
    kv.extend(hash::write(TRAIN_SETTINGS, cfg));
    hash::join(&kv)
}

/// Reads a digit session's link over `defaults`, as [`super::plane::read_plane_hash`].
pub fn read_digit_hash(
    link: &str,
    defaults: (&DigitModel, &TrainConfig),
) -> (DigitModel, TrainConfig, Vec<String>) {
    read(&Link::parse(link), &DIGITS_LINK, DIGIT_SETTINGS, defaults)
}

/// Whether a link opens the MNIST session.
pub fn wants_digits(link: &str) -> bool {
    let link = link.strip_prefix('#').unwrap_or(link);
    link.split('&').any(|p| p == "mode=mnist")
}

/// The MNIST lab of a link, as a row of the games' table opens it: without the digits
/// files it cannot open.
pub fn open_digits(link: &Link, assets: Option<&DigitAssets>) -> Opened {
    let assets = assets.ok_or_else(|| {
        GanError::InvalidConfig(
            "the MNIST session needs the digits and the classifier (bash scripts/setup.sh makes them)"
                .into(),
        )
    })?;
    DigitLab::open(link, assets).map(|(lab, notes)| (Box::new(lab) as Box<dyn Lab>, notes))
}

/// A grid digest and the (G steps, session) it belongs to.
type DigestCache = Option<((usize, u64), Vec<f64>)>;

pub struct DigitLab {
    trainer: DigitTrainer,
    digits: Arc<Digits>,
    classifier: Arc<Classifier>,
    /// The digit a conditional model draws in every grid cell (`None`: row r, digit r).
    digit: Option<u8>,
    report: Option<DigitReport>,
    /// Indices of the real digits shown for comparison.
    real_shown: Vec<usize>,
    loaded: Option<String>,
    /// `state()` is read every frame and the digest runs G, so it is computed once per
    /// change of G.
    digest: std::cell::RefCell<DigestCache>,
    /// Bumped whenever the networks are replaced (restart, load).
    session: u64,
    /// What the last frame painted: (G steps, session, digit). The digits change only
    /// when G does, so a frame repaints them only then.
    painted: Option<(usize, u64, Option<u8>)>,
}

impl DigitLab {
    /// A lab from the digits file and the classifier's weights (both made by the set-up)
    /// and a link already read. A corrupt file is an error that says what is wrong.
    pub fn open(link: &Link, assets: &DigitAssets) -> Result<(Self, Vec<String>)> {
        let digits = Arc::new(Digits::from_bytes(assets.digits)?);
        let clf = Classifier::load(
            digits.dim(),
            &from_safetensors(assets.classifier, &Device::Cpu)?,
            &Device::Cpu,
        )?;
        let (model, cfg, notes) = read(
            link,
            &DIGITS_LINK,
            DIGIT_SETTINGS,
            (&DigitModel::default(), &digit_train_config()),
        );
        let trainer = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu)?;
        let n = digits.len();
        Ok((
            Self {
                trainer,
                digits,
                classifier: Arc::new(clf),
                digit: None,
                report: None,
                real_shown: (0..100).map(|i| i * n / 100).collect(),
                loaded: None,
                digest: Default::default(),
                session: 0,
                painted: None,
            },
            notes,
        ))
    }

    pub fn trainer(&self) -> &DigitTrainer {
        &self.trainer
    }

    /// The digit a conditional model draws in every grid cell (`-1`: each row its digit).
    pub fn set_digit(&mut self, digit: i32) -> Result<()> {
        self.digit = match digit {
            -1 => None,
            0..=9 => Some(digit as u8),
            o => return Err(GanError::InvalidConfig(format!("digit {o} is not 0–9"))),
        };
        Ok(())
    }

    fn replace(&mut self, trainer: DigitTrainer, loaded: Option<String>) {
        if !trainer.model().conditional {
            self.digit = None;
        }
        self.trainer = trainer;
        self.report = None;
        self.loaded = loaded;
        self.session += 1;
    }

    fn restart(&mut self, model: DigitModel, cfg: TrainConfig) -> Result<()> {
        let t = DigitTrainer::new(model, cfg, self.digits.clone(), &Device::Cpu)?;
        self.replace(t, None);
        Ok(())
    }

    /// [`grid_digest`] of the current G, computed once per change of G.
    fn grid_digest(&self) -> Vec<f64> {
        let key = (self.trainer.game().counters().g_steps, self.session);
        if let Some((k, d)) = self.digest.borrow().as_ref() {
            if *k == key {
                return d.clone();
            }
        }
        let d = self
            .trainer
            .grid(1, self.trainer.model().seed)
            .map(|g| grid_digest(&g, self.digits.dim()))
            .unwrap_or_default();
        *self.digest.borrow_mut() = Some((key, d.clone()));
        d
    }
}

impl Lab for DigitLab {
    fn mode(&self) -> &'static str {
        DIGITS_LINK.key
    }
    fn game(&self) -> &dyn Game {
        self.trainer.game()
    }
    fn game_mut(&mut self) -> &mut dyn Game {
        self.trainer.game_mut()
    }
    fn hash(&self) -> String {
        digit_hash(self.trainer.model(), self.trainer.game().config())
    }
    fn settings(&self) -> Vec<SettingInfo> {
        settings::describe(DIGIT_SETTINGS)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(DIGIT_SETTINGS, self.trainer.model(), key, value)?;
        model.validate()?;
        if model == *self.trainer.model() {
            return Ok(false);
        }
        self.restart(model, *self.trainer.game().config())?;
        Ok(true)
    }
    fn reset(&mut self) -> Result<()> {
        self.restart(*self.trainer.model(), *self.trainer.game().config())
    }
    fn evaluate(&mut self) -> Result<HistoryPoint> {
        let r = self.trainer.evaluate(&self.classifier, EVAL_DIGITS)?;
        let game = self.trainer.game();
        let last = game.last();
        let point = r.history_point(game.counters().iteration, last.d_loss, last.g_loss);
        self.report = Some(r);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let m = self.report.as_ref();
        let model = self.trainer.model();
        out.insert("model".into(), model.arch.name().into());
        out.insert("conditional".into(), model.conditional.into());
        out.insert(
            "classes_covered".into(),
            m.map(|m| m.classes_covered).into(),
        );
        out.insert(
            "class_kl".into(),
            m.map_or(Value::Null, |m| finite_or_null(m.class_kl)),
        );
        out.insert(
            "frechet".into(),
            m.map_or(Value::Null, |m| finite_or_null(m.frechet)),
        );
        out.insert(
            "condition_accuracy".into(),
            m.and_then(|m| m.condition_accuracy).into(),
        );
        out.insert("digit".into(), self.digit.into());
        out.insert("grid_digest".into(), self.grid_digest().into());
        if let Some(name) = &self.loaded {
            out.insert("loaded".into(), name.clone().into());
        }
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Losses, Chart::DigitQuality, Chart::Classes]
    }
    fn metrics_every_ms(&self) -> f64 {
        2000.0
    }
    /// The sample grid, the interpolation strip and the real digits, only when G (or the
    /// digit asked for) changed since the last frame; otherwise nothing to repaint.
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let key = (
            self.trainer.game().counters().g_steps,
            self.session,
            self.digit,
        );
        let mut f = Frame::default();
        if self.painted == Some(key) && !layers.fresh {
            return Ok(f);
        }
        let (rows, cols) = (self.digits.rows(), self.digits.cols());
        let seed = self.trainer.model().seed;
        let mut put = |name, images: &[f32], per_row| {
            let (grey, w, h) = mosaic(images, rows, cols, per_row);
            f.images.push((name, grey, w, h));
        };
        put(
            "grid",
            &self.trainer.grid_of(GRID_ROWS, seed, self.digit)?,
            10,
        );
        put(
            "strip",
            &self
                .trainer
                .interpolation(INTERPOLATION_STEPS, seed, self.digit)?,
            INTERPOLATION_STEPS,
        );
        put("real", &self.digits.scaled(&self.real_shown), 10);
        self.painted = Some(key);
        Ok(f)
    }
    fn phase_text(&self, player: Player, k: usize) -> String {
        match player {
            Player::Critic => format!("D phase: {k} step(s)"),
            Player::Generator => "G step: the digits move toward what D calls real".into(),
        }
    }
    /// The current G and D (and a conditional model's class embedding) as safetensors.
    fn save_weights(&self) -> Result<Vec<u8>> {
        to_safetensors(self.trainer.tensors())
    }

    /// Loads a safetensors file saved here or by the CLI. The model is read off the file
    /// (preset, noise dimension, conditioning); the lab switches to it and continues from
    /// these weights. A file that is not a digit GAN of ours, or whose shapes do not
    /// match, is refused and nothing changes.
    fn load_weights(&mut self, bytes: &[u8], name: &str) -> Result<String> {
        let tensors = from_safetensors(bytes, &Device::Cpu)?;
        let model = self.trainer.model().from_tensors(&tensors)?;
        let mut trainer = DigitTrainer::new(
            model,
            *self.trainer.game().config(),
            self.digits.clone(),
            &Device::Cpu,
        )?;
        trainer.load(&tensors)?;
        let name: String = name.chars().take(80).collect();
        self.replace(trainer, Some(name.clone()));
        Ok(format!(
            "loaded {name}: {}{}, noise {}; training continues from these weights",
            model.arch.name(),
            if model.conditional {
                ", conditional"
            } else {
                ""
            },
            model.noise_dim
        ))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
