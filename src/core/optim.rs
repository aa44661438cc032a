//! SGD with momentum, Adam and RMSProp over one shared set of moment buffers, so the
//! optimiser and its learning rate can change between any two steps without a reset.
//!
//! Candle ships plain SGD and AdamW only, and each keeps its state privately; switching
//! between them would lose it. Here the buffers are shared where they mean the same:
//! - `m`, an exponential average of gradients, `m ← βm + (1−β)g`: Adam's first moment
//!   (β = β₁) and SGD's momentum (β = μ; PyTorch's buffer `b ← μb + g` equals `m/(1−μ)`);
//! - `s`, an exponential average of squared gradients: Adam's second moment (β₂) and
//!   RMSProp's mean square (ρ).
//!
//! Learning rates and coefficients are read at every step from [`OptimConfig`].

use super::error::{GanError, Result};
use candle_core::backprop::GradStore;
use candle_core::{Tensor, Var};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Sgd,
    Adam,
    RmsProp,
}

impl OptimizerKind {
    pub const NAMES: [&'static str; 3] = ["sgd", "adam", "rmsprop"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "sgd" => Ok(Self::Sgd),
            "adam" => Ok(Self::Adam),
            "rmsprop" => Ok(Self::RmsProp),
            o => Err(GanError::InvalidConfig(format!(
                "unknown optimizer '{o}' (expected sgd, adam or rmsprop)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptimConfig {
    pub kind: OptimizerKind,
    pub lr: f64,
    /// SGD momentum μ (0 = plain SGD).
    pub momentum: f64,
    /// Adam's β₁ (DCGAN's 0.5 by default, the usual GAN choice).
    pub beta1: f64,
    /// Adam's β₂.
    pub beta2: f64,
    /// RMSProp's ρ.
    pub rho: f64,
    pub eps: f64,
}

impl OptimConfig {
    pub fn new(kind: OptimizerKind, lr: f64) -> Self {
        Self {
            kind,
            lr,
            momentum: 0.9,
            beta1: 0.5,
            beta2: 0.999,
            rho: 0.99,
            eps: 1e-8,
        }
    }

    pub fn validate(&self, which: &str) -> Result<()> {
        if !(self.lr.is_finite() && self.lr > 0.0 && self.lr <= 10.0) {
            return Err(GanError::InvalidConfig(format!(
                "learning rate for {which} must be a number in (0, 10], got {}",
                self.lr
            )));
        }
        for (name, v) in [
            ("momentum", self.momentum),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
            ("rho", self.rho),
        ] {
            if !(v.is_finite() && (0.0..1.0).contains(&v)) {
                return Err(GanError::InvalidConfig(format!(
                    "{name} for {which} must lie in [0, 1), got {v}"
                )));
            }
        }
        if !(self.eps.is_finite() && self.eps > 0.0) {
            return Err(GanError::InvalidConfig(format!(
                "eps for {which} must be positive"
            )));
        }
        Ok(())
    }
}

pub struct Optimizer {
    vars: Vec<Var>,
    m: Vec<Option<Tensor>>,
    s: Vec<Option<Tensor>>,
    /// Updates each average has had, for Adam's bias correction `1 − βᵗ`; counted per
    /// buffer so that a buffer warmed by SGD or RMSProp is not corrected again.
    m_steps: i32,
    s_steps: i32,
}

impl Optimizer {
    pub fn new(vars: Vec<Var>) -> Self {
        let n = vars.len();
        Self {
            vars,
            m: vec![None; n],
            s: vec![None; n],
            m_steps: 0,
            s_steps: 0,
        }
    }

    /// One update of every owned variable from `grads` (vars without a gradient are left).
    pub fn step(&mut self, grads: &GradStore, cfg: &OptimConfig) -> Result<()> {
        match cfg.kind {
            OptimizerKind::Sgd if cfg.momentum > 0.0 => self.m_steps += 1,
            OptimizerKind::Sgd => {}
            OptimizerKind::Adam => {
                self.m_steps += 1;
                self.s_steps += 1;
            }
            OptimizerKind::RmsProp => self.s_steps += 1,
        }
        for i in 0..self.vars.len() {
            let var = &self.vars[i];
            let Some(g) = grads.get(var.as_tensor()) else {
                continue;
            };
            let theta = var.as_tensor();
            let new = match cfg.kind {
                OptimizerKind::Sgd if cfg.momentum == 0.0 => (theta - (g * cfg.lr)?)?,
                OptimizerKind::Sgd => {
                    let m = ema(&self.m[i], g, cfg.momentum)?;
                    let step = (&m * (cfg.lr / (1.0 - cfg.momentum)))?;
                    self.m[i] = Some(m);
                    (theta - step)?
                }
                OptimizerKind::Adam => {
                    let m = ema(&self.m[i], g, cfg.beta1)?;
                    let s = ema(&self.s[i], &g.sqr()?, cfg.beta2)?;
                    let m_hat = (&m / (1.0 - cfg.beta1.powi(self.m_steps)))?;
                    let s_hat = (&s / (1.0 - cfg.beta2.powi(self.s_steps)))?;
                    let step = ((m_hat * cfg.lr)? / (s_hat.sqrt()? + cfg.eps)?)?;
                    self.m[i] = Some(m);
                    self.s[i] = Some(s);
                    (theta - step)?
                }
                OptimizerKind::RmsProp => {
                    let s = ema(&self.s[i], &g.sqr()?, cfg.rho)?;
                    let step = ((g * cfg.lr)? / (s.sqrt()? + cfg.eps)?)?;
                    self.s[i] = Some(s);
                    (theta - step)?
                }
            };
            var.set(&new)?;
        }
        Ok(())
    }
}

/// `β·prev + (1 − β)·x`, starting from zero.
fn ema(prev: &Option<Tensor>, x: &Tensor, beta: f64) -> Result<Tensor> {
    Ok(match prev {
        Some(p) => ((p * beta)? + (x * (1.0 - beta))?)?,
        None => (x * (1.0 - beta))?,
    })
}
