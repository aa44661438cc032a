//! The 2D pix2pix lab ([`crate::core::game::pix2pix`]): paired points `(x, y)` in blue,
//! G's answers `(x, G(x, z))` for a sweep of 200 inputs across [−1, 1] (each with its own
//! fixed z) in orange, over the conditional critic's heatmap `D(x, y)`. It measures how
//! far the answers are from the nearest right one and how far they moved since the last
//! measurement; the objective (L1, adversary, both) and λ are live.

use super::game_link::{flat, game_point, view_entry};
use super::link::{LinkFormat, LinkLab, Named};
use super::plane::HEATMAP_CELLS;
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::pix2pix::{pix2pix_specs, Pix2Pix};
use crate::core::game::{Game, Player, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::history::{Chart, HistoryPoint};
use crate::core::plane::density::GridSpec;
use crate::core::plane::metrics::{evaluate, MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::pairs::PairSource;
use crate::core::plane::{Pix2PixModel, PIX2PIX_SETTINGS};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, Setting};
use crate::core::weights::to_safetensors;
use candle_core::{Device, Tensor};
use serde_json::{Map, Value};

/// Real pairs shown.
const SHOWN: usize = 400;
/// Inputs of the answer sweep.
pub const SWEEP: usize = 200;
/// The view's half width about the origin.
const HALF: f32 = 1.5;

/// What a measurement found: the answers' mean distance to the nearest right answer,
/// how far they moved since the last measurement, and the joint metrics of the pairs.
pub struct Answers {
    pub miss: f64,
    pub moved: f64,
    pub report: MetricsReport,
}

pub struct Pix2PixLab {
    model: Pix2PixModel,
    game: Pix2Pix,
    eval_seed: u64,
    shown: Vec<[f32; 2]>,
    /// The sweep's inputs x and fixed noise z.
    sweep_x: Tensor,
    sweep_z: Tensor,
    /// The answers at the last measurement (for how far they moved).
    last_answers: Option<Vec<f32>>,
    report: Option<Answers>,
}

impl Pix2PixLab {
    pub fn new(model: Pix2PixModel, cfg: TrainConfig) -> Result<Self> {
        settings::validate(PIX2PIX_SETTINGS, &model)?;
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(model.seed);
        let mut shown_rng = SeededRng::new(model.seed ^ 0x5eed);
        let shown = model.pairs.sample(&mut shown_rng, SHOWN);
        let xs: Vec<f32> = (0..SWEEP)
            .map(|i| -1.0 + 2.0 * i as f32 / (SWEEP - 1) as f32)
            .collect();
        let zs: Vec<f32> = (0..SWEEP * model.noise_dim)
            .map(|_| shown_rng.normal())
            .collect();
        let eval_seed = rng.next_seed();
        let source = PairSource {
            set: model.pairs,
            noise_dim: model.noise_dim,
        };
        let specs = pix2pix_specs(
            model.noise_dim,
            model.hidden,
            model.layers,
            model.activation,
        );
        let game = Pix2Pix::new(
            Box::new(source),
            specs,
            model.objective,
            model.lambda,
            cfg,
            rng,
            &dev,
        )?;
        Ok(Self {
            sweep_x: Tensor::from_vec(xs, (SWEEP, 1), &dev)?,
            sweep_z: Tensor::from_vec(zs, (SWEEP, model.noise_dim), &dev)?,
            model,
            game,
            eval_seed,
            shown,
            last_answers: None,
            report: None,
        })
    }

    pub fn pix2pix(&self) -> &Pix2Pix {
        &self.game
    }

    pub fn model(&self) -> &Pix2PixModel {
        &self.model
    }

    /// G's answers `(x, G(x, z))` over the sweep.
    pub fn answers(&self) -> Result<Vec<[f32; 2]>> {
        let y = self.game.answer(&self.sweep_x, &self.sweep_z)?;
        let (x, y) = (
            self.sweep_x.flatten_all()?.to_vec1::<f32>()?,
            y.flatten_all()?.to_vec1::<f32>()?,
        );
        require_finite_output(&y, self.game.counters().iteration)?;
        Ok(x.into_iter().zip(y).map(|(x, y)| [x, y]).collect())
    }

    /// The sweep's mean distance to the nearest right answer, how far it moved since
    /// `last`, and the joint metrics of 1,000 fresh pairs against G's.
    pub fn measure(&self, last: Option<&[f32]>) -> Result<(Answers, Vec<f32>)> {
        let answers = self.answers()?;
        let set = self.model.pairs;
        let miss = answers
            .iter()
            .map(|p| set.miss(p[0], p[1]) as f64)
            .sum::<f64>()
            / answers.len() as f64;
        let ys: Vec<f32> = answers.iter().map(|p| p[1]).collect();
        let moved = last.map_or(f64::NAN, |l| {
            l.iter()
                .zip(&ys)
                .map(|(a, b)| (a - b).abs() as f64)
                .sum::<f64>()
                / ys.len() as f64
        });
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(self.eval_seed ^ self.game.counters().iteration as u64);
        let real = set.sample(&mut rng, 1000);
        let x: Vec<f32> = real.iter().map(|p| p[0]).collect();
        let z: Vec<f32> = (0..1000 * self.model.noise_dim)
            .map(|_| rng.normal())
            .collect();
        let xt = Tensor::from_vec(x.clone(), (1000, 1), &dev)?;
        let zt = Tensor::from_vec(z, (1000, self.model.noise_dim), &dev)?;
        let gy = self
            .game
            .answer(&xt, &zt)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        require_finite_output(&gy, self.game.counters().iteration)?;
        let fake: Vec<[f32; 2]> = x.into_iter().zip(gy).map(|(x, y)| [x, y]).collect();
        let report = evaluate(
            &real,
            &fake,
            None,
            W1_SAMPLES_LIVE,
            Some(&self.game.config().loss),
        )?;
        Ok((
            Answers {
                miss,
                moved,
                report,
            },
            ys,
        ))
    }
}

impl LinkLab for Pix2PixLab {
    const LINK: LinkFormat = LinkFormat {
        key: "pix2pix",
        named: Named::Game,
        compare: false,
    };
    const LIVE: Option<&'static [&'static str]> = Some(crate::core::game::team::PLAIN_LIVE);
    const LAYERS: &'static [&'static str] = &["real", "fake", "heatmap"];
    const STRIP: Option<&'static str> = Some(
        "pix2pix: y = G(x, z), a critic D(x, y) of pairs; G min λ·E|G(x, z) − y| + L_G (objective: both, L1 or adversary)",
    );
    type Model = Pix2PixModel;
    const SETTINGS: &'static [Setting<Pix2PixModel>] = PIX2PIX_SETTINGS;
    fn defaults() -> (Pix2PixModel, TrainConfig) {
        (Pix2PixModel::default(), TrainConfig::default())
    }
    fn build(model: Pix2PixModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

impl Lab for Pix2PixLab {
    super::game_link::lab_basics!();
    /// The objective and λ apply live; every other setting restarts.
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(PIX2PIX_SETTINGS, &self.model, key, value)?;
        if model == self.model {
            return Ok(false);
        }
        if !settings::restarts(PIX2PIX_SETTINGS, key) {
            self.game.objective = model.objective;
            self.game.lambda = model.lambda;
            self.model = model;
            return Ok(false);
        }
        *self = Self::new(model, *self.game.config())?;
        Ok(true)
    }
    fn reset(&mut self) -> Result<()> {
        *self = Self::new(self.model.clone(), *self.game.config())?;
        Ok(())
    }
    fn evaluate(&mut self) -> Result<HistoryPoint> {
        let (a, ys) = self.measure(self.last_answers.as_deref())?;
        let point = game_point(&self.game, &a.report, [a.miss, a.moved]);
        self.last_answers = Some(ys);
        self.report = Some(a);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let r = self.report.as_ref();
        let num = |f: fn(&Answers) -> f64| r.map_or(Value::Null, |r| finite_or_null(f(r)));
        out.insert("pairs".into(), self.model.pairs.name().into());
        out.insert("objective".into(), self.model.objective.name().into());
        out.insert("lambda".into(), finite_or_null(self.model.lambda));
        out.insert("miss".into(), num(|r| r.miss));
        out.insert("moved".into(), num(|r| r.moved));
        out.insert("js".into(), num(|r| r.report.js));
        out.insert("w1".into(), num(|r| r.report.w1));
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Losses, Chart::Divergences, Chart::Answers]
    }
    fn metrics_every_ms(&self) -> f64 {
        1000.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let mut f = Frame::default();
        f.floats
            .push(("view", view_entry([0.0, 0.0], HALF, HEATMAP_CELLS)));
        if layers.heatmap {
            let grid = GridSpec::square([0.0, 0.0], HALF, HEATMAP_CELLS);
            let c = grid.centres();
            let n = c.len();
            let col = |i: usize| -> Result<Tensor> {
                let v: Vec<f32> = c.iter().map(|p| p[i]).collect();
                Ok(Tensor::from_vec(v, (n, 1), &Device::Cpu)?)
            };
            let v = self.game.critic(&col(0)?, &col(1)?)?;
            let field = v
                .flatten_all()?
                .to_vec1::<f32>()?
                .into_iter()
                .map(|v| 1.0 / (1.0 + (-v).exp()))
                .collect();
            f.floats.push(("heatmap", field));
        }
        if layers.real {
            f.floats.push(("real", flat(&self.shown)));
        }
        if layers.fake {
            f.floats.push(("fake", flat(&self.answers()?)));
        }
        Ok(f)
    }
    fn phase_text(&self, player: Player, k: usize) -> String {
        match player {
            Player::Critic => {
                format!("critic's phase: {k} step(s) of D(x, y) on real and G's pairs")
            }
            Player::Generator => match self.model.objective.name() {
                "l1" => {
                    "G step: towards the mean distance's minimiser, the median of the right answers"
                        .into()
                }
                "adversary" => "G step: towards pairs the critic takes for real".into(),
                _ => "G step: λ·L1 plus the adversary".into(),
            },
        }
    }
    fn save_weights(&self) -> Result<Vec<u8>> {
        to_safetensors(self.game.named_tensors())
    }
    fn load_weights(&mut self, _: &[u8], _: &str) -> Result<String> {
        Err(GanError::InvalidConfig(
            "loading weights is for the 2D GAN and MNIST; pix2pix trains from its seed".into(),
        ))
    }
}
