//! The xy game's lab ([`crate::core::game::xy`]): the plane is the players' `(x, y)`,
//! with the game's vector field as arrows, the equilibrium `(0, 0)` as a blue dot, and the
//! two copies' trajectories (simultaneous in orange, alternating in blue). The step sizes
//! are the live learning rates (`lrd` = η_D for `y`, `lrg` = η_G for `x`).

use super::game_link::{flat, view_entry};
use super::link::{LinkFormat, LinkLab, Named};
use super::{Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::xy::{alternating_invariant, radius, xy_field, xy_value, XyGame};
use crate::core::game::{Game, Player, TrainConfig};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::nn::optim::{OptimConfig, OptimizerKind};
use crate::core::plane::axes;
use crate::core::plane::model::{XyModel, XY_SETTINGS};
use crate::core::settings::{self, Setting};

/// The most ticks on an axis of the plane: a number every ~70 px of a 500 px plane.
const AXIS_TICKS: usize = 7;
use serde_json::{Map, Value};

/// The xy game's live defaults: plain gradient steps of 0.1 for both players.
pub fn xy_defaults() -> TrainConfig {
    let plain = OptimConfig {
        momentum: 0.0,
        ..OptimConfig::new(OptimizerKind::Sgd, 0.1)
    };
    TrainConfig {
        d_opt: plain,
        g_opt: plain,
        ..TrainConfig::default()
    }
}

/// Arrows per side of the vector field.
const FIELD_ARROWS: usize = 11;
/// The view follows the simultaneous players out to this radius, then lets them leave.
const FOLLOW_RADIUS: f64 = 4.0;

pub struct XyLab {
    model: XyModel,
    game: XyGame,
    report: Option<HistoryPoint>,
}

impl XyLab {
    pub fn new(model: XyModel, cfg: TrainConfig) -> Result<Self> {
        settings::validate(XY_SETTINGS, &model)?;
        Ok(Self {
            game: XyGame::new(cfg, model.start())?,
            model,
            report: None,
        })
    }

    pub fn game_ref(&self) -> &XyGame {
        &self.game
    }

    /// The simultaneous players' radius growth per iteration, measured from the start:
    /// `(r_t / r_0)^(1/t)`. In theory `√(1 + η_D·η_G)`, the modulus of the update's
    /// eigenvalues: exactly the growth of every step when `η_D = η_G`, its long-run mean
    /// otherwise (the orbit is then an ellipse that grows).
    pub fn measured_growth(&self) -> Option<f64> {
        let t = self.game.counters().iteration;
        let r0 = radius(self.model.start());
        (t > 0 && r0 > 0.0).then(|| (radius(self.game.simultaneous) / r0).powf(1.0 / t as f64))
    }

    /// How far the alternating players' conserved quantity ([`alternating_invariant`])
    /// has moved from its start, relative; `None` while k or k_G is not 1 (it is
    /// conserved for single alternating steps).
    pub fn invariant_drift(&self) -> Option<f64> {
        let cfg = self.game.config();
        if cfg.k != 1 || cfg.kg != 1 {
            return None;
        }
        let (a, b) = (cfg.d_opt.lr, cfg.g_opt.lr);
        let q0 = alternating_invariant(self.model.start(), a, b);
        let q = alternating_invariant(self.game.alternating, a, b);
        (q0 > 0.0).then(|| (q - q0).abs() / q0)
    }

    /// The largest radius the alternating players have reached.
    pub fn alternating_max_radius(&self) -> f64 {
        self.game
            .trail_alternating
            .iter()
            .map(|p| radius(*p))
            .fold(0.0, f64::max)
    }
}

impl LinkLab for XyLab {
    const LINK: LinkFormat = LinkFormat {
        key: "xy",
        named: Named::Game,
        compare: false,
    };
    // Both update rules run at once (one copy each), with plain gradient steps.
    const LIVE: Option<&'static [&'static str]> = Some(&["k", "kg", "lrd", "lrg"]);
    const LAYERS: &'static [&'static str] = &["arrows"];
    const STRIP: Option<&'static str> = Some(
        "min over x, max over y of V(x, y) = x·y: x steps along −∂V/∂x = −y, y along ∂V/∂y = x",
    );
    const AXES: Option<&'static str> =
        Some("across: x, the minimizing player · up: y, the maximizing player");
    type Model = XyModel;
    const SETTINGS: &'static [Setting<XyModel>] = XY_SETTINGS;
    fn defaults() -> (XyModel, TrainConfig) {
        (XyModel::default(), xy_defaults())
    }
    fn build(model: XyModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

fn to_f32(p: [f64; 2]) -> [f32; 2] {
    [p[0] as f32, p[1] as f32]
}

impl Lab for XyLab {
    super::game_link::lab_basics!();
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(XY_SETTINGS, &self.model, key, value)?;
        if model.start() == self.model.start() {
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
        let g = &self.game;
        let last = g.last();
        let point = HistoryPoint {
            step: g.counters().iteration,
            d_loss: last.d_loss,
            g_loss: last.g_loss,
            js: f64::NAN,
            kl: f64::NAN,
            rkl: f64::NAN,
            w1: f64::NAN,
            d_estimate: f64::NAN,
            d_measured: f64::NAN,
            frechet: f64::NAN,
            class_kl: f64::NAN,
            high_quality: f64::NAN,
            game: [
                radius(g.simultaneous),
                radius(g.alternating),
                xy_value(g.simultaneous),
                xy_value(g.alternating),
            ],
            ..HistoryPoint::default()
        };
        self.report = Some(point);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let g = &self.game;
        let num = |v: f64| super::finite_or_null(v);
        out.insert("xy_sim".into(), g.simultaneous.map(num).to_vec().into());
        out.insert("xy_alt".into(), g.alternating.map(num).to_vec().into());
        out.insert("r_sim".into(), num(radius(g.simultaneous)));
        out.insert("r_alt".into(), num(radius(g.alternating)));
        out.insert(
            "growth".into(),
            self.measured_growth().map_or(Value::Null, num),
        );
        let cfg = g.config();
        out.insert(
            "growth_theory".into(),
            num((1.0 + cfg.d_opt.lr * cfg.g_opt.lr).sqrt()),
        );
        out.insert(
            "invariant_drift".into(),
            self.invariant_drift().map_or(Value::Null, num),
        );
    }
    fn formulas(&self) -> Option<(&'static str, &'static str)> {
        Some((
            "max_y V(x, y) = x·y: y ← y + η_D·x",
            "min_x V(x, y) = x·y: x ← x − η_G·y",
        ))
    }
    fn pace(&self) -> Option<f64> {
        Some(self.model.rate)
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Radius, Chart::XyValue, Chart::Losses]
    }
    fn metrics_every_ms(&self) -> f64 {
        250.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let g = &self.game;
        let follow = radius(g.simultaneous).min(FOLLOW_RADIUS);
        let half = (1.3
            * follow
                .max(self.alternating_max_radius())
                .max(radius(self.model.start())))
        .max(1.0) as f32;
        let mut f = Frame::default();
        f.floats.push(("view", view_entry([0.0, 0.0], half, 1)));
        // The view is square about 0: the same ticks on both axes.
        let ticks: Vec<f32> = axes::ticks(-half as f64, half as f64, AXIS_TICKS)
            .into_iter()
            .map(|t| t as f32)
            .collect();
        f.floats.push(("ticks", ticks));
        if layers.arrows {
            let (mut from, mut push) = (Vec::new(), Vec::new());
            for i in 0..FIELD_ARROWS {
                for j in 0..FIELD_ARROWS {
                    let t = |k: usize| -half + 2.0 * half * (k as f32 + 0.5) / FIELD_ARROWS as f32;
                    let p = [t(i) as f64, t(j) as f64];
                    from.push(to_f32(p));
                    push.push(to_f32(xy_field(p)));
                }
            }
            f.floats.push(("arrow_from", flat(&from)));
            f.floats.push(("arrow_push", flat(&push)));
        }
        let trail = |t: &[[f64; 2]]| flat(&t.iter().map(|p| to_f32(*p)).collect::<Vec<_>>());
        f.floats.push(("trail_a", trail(&g.trail_simultaneous)));
        f.floats.push(("trail_b", trail(&g.trail_alternating)));
        if layers.real {
            f.floats.push(("real", vec![0.0, 0.0]));
        }
        if layers.fake {
            f.floats.push((
                "fake",
                flat(&[to_f32(g.simultaneous), to_f32(g.alternating)]),
            ));
        }
        Ok(f)
    }
    fn phase_text(&self, player: Player, _: usize) -> String {
        match player {
            Player::Critic => "y step: the critic climbs V = x·y".into(),
            Player::Generator => "x step: the generator descends V = x·y".into(),
        }
    }
    fn save_weights(&self) -> Result<Vec<u8>> {
        Err(GanError::InvalidConfig(
            "the xy game has two numbers, not networks: its link holds its settings".into(),
        ))
    }
    fn load_weights(&mut self, _: &[u8], _: &str) -> Result<String> {
        self.save_weights().map(|_| String::new())
    }
}
