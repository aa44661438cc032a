//! The 2D CycleGAN lab ([`crate::core::game::cyclegan`]): two unpaired point sets X and
//! Y. The first plane shows the translation `G: X → Y` (X in green, Y in blue, `G(x)` in
//! orange, a segment `x → G(x)` for some points); the second shows the way back, X in
//! blue and `F(G(x))` in orange with a segment from each `x`: the cycle error, which the
//! cycle loss λ (live, `lambda`) keeps short.

use super::game_link::{flat, game_point, links, view_entry};
use super::link::{LinkFormat, LinkLab, Named};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::cyclegan::{cycle_specs, CycleGan};
use crate::core::game::{Game, NoiseKind, Player, TrainConfig};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::loss::Loss;
use crate::core::plane::metrics::{evaluate, MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::model::{CycleModel, CYCLE_SETTINGS};
use crate::core::plane::trainer::{points_to_tensor, tensor_to_points, PlaneSource};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, Setting};
use crate::core::weights::to_safetensors;
use candle_core::Device;
use serde_json::{Map, Value};

const SHOWN: usize = 400;
const LINKED: usize = 120;
const EVAL: usize = 1000;

/// The CycleGAN's live defaults: the least-squares loss of the CycleGAN paper.
pub fn cycle_defaults() -> TrainConfig {
    TrainConfig {
        loss: Loss::Lsgan,
        ..TrainConfig::default()
    }
}

pub struct CycleLab {
    model: CycleModel,
    game: CycleGan,
    eval_seed: u64,
    x_sample: Vec<[f32; 2]>,
    y_sample: Vec<[f32; 2]>,
    report: Option<(MetricsReport, [f64; 2])>,
}

impl CycleLab {
    pub fn new(model: CycleModel, cfg: TrainConfig) -> Result<Self> {
        settings::validate(CYCLE_SETTINGS, &model)?;
        let mut rng = SeededRng::new(model.seed);
        let sources = (
            Box::new(PlaneSource::new(model.x.clone(), 1, NoiseKind::Gaussian)) as _,
            Box::new(PlaneSource::new(model.y.clone(), 1, NoiseKind::Gaussian)) as _,
        );
        let specs = cycle_specs(model.hidden, model.layers, model.activation);
        let mut shown = SeededRng::new(model.seed ^ 0x5eed);
        let x_sample = model.x.sample(&mut shown, SHOWN);
        let y_sample = model.y.sample(&mut shown, SHOWN);
        let eval_seed = rng.next_seed();
        let game = CycleGan::new(sources, specs, model.lambda, cfg, rng, &Device::Cpu)?;
        Ok(Self {
            model,
            game,
            eval_seed,
            x_sample,
            y_sample,
            report: None,
        })
    }

    pub fn cyclegan(&self) -> &CycleGan {
        &self.game
    }

    /// The cycle errors `(‖F(G(x)) − x‖₁, ‖G(F(y)) − y‖₁)` and the metrics of `G(x)`
    /// against Y, on fresh samples of `n`.
    pub fn measure(&self, n: usize) -> Result<(MetricsReport, [f64; 2])> {
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(self.eval_seed ^ self.game.counters().iteration as u64);
        let xs = self.model.x.sample(&mut rng, n);
        let ys = self.model.y.sample(&mut rng, n);
        let (x, y) = (points_to_tensor(&xs, &dev)?, points_to_tensor(&ys, &dev)?);
        let gx = tensor_to_points(&self.game.g().forward(&x)?)?;
        crate::core::health::require_finite_output(
            gx.as_flattened(),
            self.game.counters().iteration,
        )?;
        let (cx, cy) = self.game.cycle_errors(&x, &y)?;
        let modes = self.model.y.modes();
        let m = evaluate(
            &ys,
            &gx,
            modes.as_deref(),
            W1_SAMPLES_LIVE,
            Some(&self.game.config().loss),
        )?;
        Ok((m, [cx, cy]))
    }

    /// A square that shows both domains.
    fn view(&self) -> ([f32; 2], f32) {
        let (a, b) = (self.model.x.view(), self.model.y.view());
        (
            [0.0, 0.0],
            a.1.max(b.1) + a.0[0].abs().max(a.0[1].abs()).max(b.0[0].abs()),
        )
    }
}

impl LinkLab for CycleLab {
    const LINK: LinkFormat = LinkFormat {
        key: "cyclegan",
        named: Named::Game,
        compare: false,
    };
    const LIVE: Option<&'static [&'static str]> = Some(crate::core::game::team::PLAIN_LIVE);
    const LAYERS: &'static [&'static str] = &["real", "fake", "arrows"];
    const STRIP: Option<&'static str> = Some("G: X → Y and F: Y → X, a critic for each set, and the cycle loss λ(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁)");
    type Model = CycleModel;
    const SETTINGS: &'static [Setting<CycleModel>] = CYCLE_SETTINGS;
    fn defaults() -> (CycleModel, TrainConfig) {
        (CycleModel::default(), cycle_defaults())
    }
    fn build(model: CycleModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

impl Lab for CycleLab {
    super::game_link::lab_basics!();
    /// λ applies live; every other setting restarts.
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(CYCLE_SETTINGS, &self.model, key, value)?;
        if model == self.model {
            return Ok(false);
        }
        if !settings::restarts(CYCLE_SETTINGS, key) {
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
        let (m, cycle) = self.measure(EVAL)?;
        let point = game_point(&self.game, &m, cycle);
        self.report = Some((m, cycle));
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let r = self.report.as_ref();
        let num = |f: fn(&(MetricsReport, [f64; 2])) -> f64| {
            r.map_or(Value::Null, |r| finite_or_null(f(r)))
        };
        out.insert("x_set".into(), self.model.x.name().into());
        out.insert("y_set".into(), self.model.y.name().into());
        out.insert("lambda".into(), finite_or_null(self.model.lambda));
        out.insert("js".into(), num(|r| r.0.js));
        out.insert("w1".into(), num(|r| r.0.w1));
        out.insert("cycle_x".into(), num(|r| r.1[0]));
        out.insert("cycle_y".into(), num(|r| r.1[1]));
        out.insert(
            "planes".into(),
            vec![
                "G: X → Y (X green, Y blue, G(x) orange)",
                "back: x → F(G(x))",
            ]
            .into(),
        );
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Losses, Chart::Divergences, Chart::Cycle]
    }
    fn metrics_every_ms(&self) -> f64 {
        1000.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let (centre, half) = self.view();
        let x = points_to_tensor(&self.x_sample, &Device::Cpu)?;
        let gx = tensor_to_points(&self.game.g().forward(&x)?)?;
        let mut f = Frame::default();
        f.floats.push(("view", view_entry(centre, half, 1)));
        if layers.real {
            f.floats.push(("real", flat(&self.y_sample)));
            f.floats.push(("source", flat(&self.x_sample)));
        }
        if layers.fake {
            f.floats.push(("fake", flat(&gx)));
        }
        if layers.arrows {
            f.floats
                .push(("links", links(&self.x_sample[..LINKED], &gx[..LINKED])));
        }
        Ok(f)
    }
    /// The way back: X and `F(G(x))`, with the cycle segments.
    fn side_frame(&mut self, layers: Layers) -> Result<Option<Frame>> {
        let (centre, half) = self.view();
        let x = points_to_tensor(&self.x_sample, &Device::Cpu)?;
        let back = self.game.f().forward(&self.game.g().forward(&x)?)?;
        let back = tensor_to_points(&back)?;
        let mut f = Frame::default();
        f.floats.push(("view", view_entry(centre, half, 1)));
        if layers.real {
            f.floats.push(("real", flat(&self.x_sample)));
        }
        if layers.fake {
            f.floats.push(("fake", flat(&back)));
        }
        if layers.arrows {
            f.floats
                .push(("links", links(&self.x_sample[..LINKED], &back[..LINKED])));
        }
        Ok(Some(f))
    }
    fn phase_text(&self, player: Player, k: usize) -> String {
        match player {
            Player::Critic => format!("critics' phase: {k} step(s) of D_Y and D_X"),
            Player::Generator => "G and F step: look like the other domain, and come back".into(),
        }
    }
    fn save_weights(&self) -> Result<Vec<u8>> {
        to_safetensors(self.game.named_tensors())
    }
    fn load_weights(&mut self, _: &[u8], _: &str) -> Result<String> {
        Err(GanError::InvalidConfig(
            "loading weights is for the 2D GAN and MNIST; a CycleGAN trains from its seed".into(),
        ))
    }
}
