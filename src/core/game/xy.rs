//! The two-scalar game `min_x max_y V(x, y) = x·y` (lecture notes, seed 001,
//! "Non-Convergence"): its only equilibrium is `(0, 0)`, and gradient steps do not reach
//! it. The game holds two copies of the players, stepped side by side from the same start:
//! - **simultaneous** steps, `(x, y) ← (x − η_G·y, y + η_D·x)`: the matrix
//!   `[[1, −η_G], [η_D, 1]]` has determinant `1 + η_D·η_G > 1`, so the radius grows every
//!   step (by exactly `√(1 + η²)` when `η_D = η_G = η`): the players circle outwards;
//! - **alternating** steps, `y ← y + η_D·x` (k times), then `x ← x − η_G·y` (k_G times):
//!   with k = k_G = 1 the matrix `[[1 − η_Dη_G, −η_G], [η_D, 1]]` has determinant 1 and,
//!   for `η_Dη_G < 4`, eigenvalues on the unit circle: the orbit is a closed ellipse,
//!   `η_D·x² + η_G·y² + η_D·η_G·x·y` is conserved (see [`alternating_invariant`]), bounded
//!   but never converging.
//!
//! Plain gradient steps in `f64` on the host: the claims are about the update rules
//! themselves, so no optimiser with its own state sits between them (another optimiser is
//! refused with a message).

use super::{Counters, Game, Player, StepStats, TrainConfig};
use crate::core::error::{GanError, Result};
use crate::core::nn::optim::OptimizerKind;
use candle_core::Device;

/// Where both copies start, `(x₀, y₀)`.
pub const XY_START: [f64; 2] = [1.0, 0.5];

/// `V(x, y) = x·y`.
pub fn xy_value(p: [f64; 2]) -> f64 {
    p[0] * p[1]
}

/// The radius `√(x² + y²)`: the distance from the equilibrium `(0, 0)`.
pub fn radius(p: [f64; 2]) -> f64 {
    p[0].hypot(p[1])
}

/// The quantity alternating steps (k = k_G = 1, `y` first) conserve:
/// `Q = η_D·x² + η_G·y² + η_D·η_G·x·y`. With `y' = y + η_D·x` and `x' = x − η_G·y'`,
/// `Q(x', y') = Q(x, y)` holds identically (the update matrix `M` satisfies
/// `MᵀQM = Q`), so the orbit is the ellipse `Q = Q₀` whenever `η_D·η_G < 4` (the form
/// is then positive definite).
pub fn alternating_invariant(p: [f64; 2], eta_d: f64, eta_g: f64) -> f64 {
    eta_d * p[0] * p[0] + eta_g * p[1] * p[1] + eta_d * eta_g * p[0] * p[1]
}

/// The game's vector field at `p`: the direction simultaneous gradient play moves,
/// `(−∂V/∂x, ∂V/∂y) = (−y, x)`, a pure rotation about the equilibrium.
pub fn xy_field(p: [f64; 2]) -> [f64; 2] {
    [-p[1], p[0]]
}

/// The xy game: simultaneous and alternating players from [`XY_START`].
pub struct XyGame {
    cfg: TrainConfig,
    pub simultaneous: [f64; 2],
    pub alternating: [f64; 2],
    /// Every position of each copy so far (the page draws the trajectories), capped.
    pub trail_simultaneous: Vec<[f64; 2]>,
    pub trail_alternating: Vec<[f64; 2]>,
    /// The iteration at which the simultaneous players passed [`XY_ESCAPE`]; they stay
    /// there (frozen) while the alternating ones go on.
    pub escaped_at: Option<usize>,
    counters: Counters,
    last: StepStats,
    diverged: Option<GanError>,
    device: Device,
}

/// Positions kept per trajectory; older ones are thinned (every other one dropped).
pub const TRAIL_POINTS: usize = 4000;

/// Radius beyond which a copy stops (the simultaneous one grows geometrically; beyond
/// this the picture says nothing more): it is frozen there, and the game counts as
/// diverged only when both copies have passed it (alternating steps with
/// `η_D·η_G ≥ 4` grow too).
pub const XY_ESCAPE: f64 = 1e6;

impl XyGame {
    /// Both copies at `start` (the notes' picture starts at [`XY_START`]).
    pub fn new(cfg: TrainConfig, start: [f64; 2]) -> Result<Self> {
        check_config(&cfg)?;
        Ok(Self {
            cfg,
            simultaneous: start,
            alternating: start,
            trail_simultaneous: vec![start],
            trail_alternating: vec![start],
            escaped_at: None,
            counters: Counters::default(),
            last: StepStats::default(),
            diverged: None,
            device: Device::Cpu,
        })
    }

    fn etas(&self) -> (f64, f64) {
        (self.cfg.d_opt.lr, self.cfg.g_opt.lr)
    }

    /// The critic's step (gradient ascent in `y`) on both copies.
    /// The copies still moving: the simultaneous one until it escapes.
    fn moving(&mut self) -> Vec<&mut [f64; 2]> {
        let mut out = vec![&mut self.alternating];
        if self.escaped_at.is_none() {
            out.push(&mut self.simultaneous);
        }
        out
    }

    fn step_y(&mut self) {
        let (eta_d, _) = self.etas();
        for p in self.moving() {
            p[1] += eta_d * p[0];
        }
        self.counters.d_steps += 1;
    }

    /// The generator's step (gradient descent in `x`) on both copies.
    fn step_x(&mut self) {
        let (_, eta_g) = self.etas();
        for p in self.moving() {
            p[0] -= eta_g * p[1];
        }
        self.counters.g_steps += 1;
    }

    fn record(&mut self) -> Result<StepStats> {
        for (trail, p) in [
            (&mut self.trail_simultaneous, self.simultaneous),
            (&mut self.trail_alternating, self.alternating),
        ] {
            trail.push(p);
            if trail.len() > TRAIL_POINTS {
                *trail = trail.iter().step_by(2).copied().collect();
            }
        }
        let v = xy_value(self.simultaneous);
        self.last = StepStats {
            d_loss: -v,
            g_loss: v,
            penalty: 0.0,
        };
        let out = |p: [f64; 2]| !(radius(p).is_finite() && radius(p) < XY_ESCAPE);
        if self.escaped_at.is_none() && out(self.simultaneous) {
            self.escaped_at = Some(self.counters.iteration);
        }
        if out(self.alternating) {
            let err = GanError::Diverged {
                step: self.counters.iteration,
                what: format!("the players' distance from (0, 0) (past {XY_ESCAPE:e})"),
            };
            self.diverged = Some(err.clone());
            return Err(err);
        }
        Ok(self.last)
    }

    fn alive(&self) -> Result<()> {
        self.diverged.clone().map_or(Ok(()), Err)
    }
}

/// The xy game takes plain gradient steps ([`XyGame`]: SGD's momentum is not applied);
/// another optimiser is refused in one line.
fn check_config(cfg: &TrainConfig) -> Result<()> {
    cfg.validate()?;
    if cfg.d_opt.kind != OptimizerKind::Sgd || cfg.g_opt.kind != OptimizerKind::Sgd {
        return Err(GanError::InvalidConfig(
            "optimizer: the xy game takes plain gradient steps (sgd), the update rules the notes analyse".into(),
        ));
    }
    Ok(())
}

impl Game for XyGame {
    /// One iteration of both copies: the simultaneous one updates `x` and `y` from the
    /// same point; the alternating one takes k steps in `y`, then k_G in `x`.
    fn step(&mut self) -> Result<StepStats> {
        self.alive()?;
        let (eta_d, eta_g) = self.etas();
        if self.escaped_at.is_none() {
            let [x, y] = self.simultaneous;
            self.simultaneous = [x - eta_g * y, y + eta_d * x];
        }
        for _ in 0..self.cfg.k {
            let p = &mut self.alternating;
            p[1] += eta_d * p[0];
        }
        for _ in 0..self.cfg.kg {
            let p = &mut self.alternating;
            p[0] -= eta_g * p[1];
        }
        self.counters.iteration += 1;
        self.counters.d_steps += self.cfg.k;
        self.counters.g_steps += self.cfg.kg;
        self.record()
    }
    fn step_phase(&mut self) -> Result<bool> {
        self.step().map(|_| true)
    }
    fn step_player(&mut self, player: Player) -> Result<StepStats> {
        self.alive()?;
        match player {
            Player::Critic => self.step_y(),
            Player::Generator => self.step_x(),
        }
        self.record()
    }
    fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    fn set_config(&mut self, cfg: TrainConfig) -> Result<()> {
        check_config(&cfg)?;
        self.cfg = cfg;
        Ok(())
    }
    fn counters(&self) -> Counters {
        self.counters
    }
    fn last(&self) -> StepStats {
        self.last
    }
    fn diverged(&self) -> Option<&GanError> {
        self.diverged.as_ref()
    }
    fn halt(&mut self, err: GanError) {
        self.diverged = Some(err);
    }
    fn flops_per_iteration(&self) -> f64 {
        4.0 + 2.0 * (self.cfg.k + self.cfg.kg) as f64
    }
    fn step_bytes(&self, _: &TrainConfig) -> u64 {
        0
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn prefers_one_thread(&self) -> bool {
        true
    }
    fn path(&self) -> &'static str {
        "host f64"
    }
}
