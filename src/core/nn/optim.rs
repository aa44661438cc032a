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
//! On the CPU the update is one in-place pass per variable (no tensor allocated); on
//! other devices it is written in tensor ops. A test holds the two equal.

use crate::core::error::{GanError, Result};
use crate::core::tensor::HostRead;
use candle_core::backprop::GradStore;
use candle_core::{CpuStorage, InplaceOp1, Layout, Tensor, Var};
use std::cell::RefCell;

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
    moments: Moments,
    /// Updates each average has had, for Adam's bias correction `1 − βᵗ`; counted per
    /// buffer so that a buffer warmed by SGD or RMSProp is not corrected again.
    m_steps: i32,
    s_steps: i32,
}

/// The averages `m` and `s` of each variable. On the CPU they are host vectors and the
/// update is one in-place pass per variable ([`HostUpdate`]); elsewhere (CUDA) they are
/// tensors and the update is written in tensor ops. The two are the same formulas, and
/// a test holds them equal.
enum Moments {
    Host {
        m: Vec<Vec<f32>>,
        s: Vec<Vec<f32>>,
    },
    Device {
        m: Vec<Option<Tensor>>,
        s: Vec<Option<Tensor>>,
    },
}

/// One step's coefficients, shared by every variable.
#[derive(Clone, Copy)]
struct Coefficients {
    cfg: OptimConfig,
    /// Adam's bias corrections `1 − β₁ᵗ`, `1 − β₂ᵗ`.
    m_correction: f64,
    s_correction: f64,
}

impl Optimizer {
    /// An optimiser for `vars`, with host moments when they live on the CPU.
    pub fn new(vars: Vec<Var>) -> Self {
        let on_cpu = vars.iter().all(|v| v.device().is_cpu());
        Self::with_moments(vars, on_cpu)
    }

    /// The tensor-op update even on the CPU: the reference the in-place update is
    /// tested against.
    pub fn new_tensor_ops(vars: Vec<Var>) -> Self {
        Self::with_moments(vars, false)
    }

    fn with_moments(vars: Vec<Var>, host: bool) -> Self {
        let n = vars.len();
        let moments = if host {
            Moments::Host {
                m: vec![Vec::new(); n],
                s: vec![Vec::new(); n],
            }
        } else {
            Moments::Device {
                m: vec![None; n],
                s: vec![None; n],
            }
        };
        Self {
            vars,
            moments,
            m_steps: 0,
            s_steps: 0,
        }
    }

    fn begin(&mut self, cfg: &OptimConfig) -> Coefficients {
        match cfg.kind {
            OptimizerKind::Sgd if cfg.momentum > 0.0 => self.m_steps += 1,
            OptimizerKind::Sgd => {}
            OptimizerKind::Adam => {
                self.m_steps += 1;
                self.s_steps += 1;
            }
            OptimizerKind::RmsProp => self.s_steps += 1,
        }
        Coefficients {
            cfg: *cfg,
            m_correction: 1.0 - cfg.beta1.powi(self.m_steps),
            s_correction: 1.0 - cfg.beta2.powi(self.s_steps),
        }
    }

    /// One update of every owned variable from `grads` (vars without a gradient are left).
    pub fn step(&mut self, grads: &GradStore, cfg: &OptimConfig) -> Result<()> {
        let c = self.begin(cfg);
        for i in 0..self.vars.len() {
            let Some(g) = grads.get(self.vars[i].as_tensor()) else {
                continue;
            };
            match &mut self.moments {
                Moments::Host { m, s } => {
                    let g = g.contiguous()?;
                    let read = HostRead::new(&g)?;
                    host_update(&self.vars[i], read.slice()?, &mut m[i], &mut s[i], c)?;
                }
                Moments::Device { m, s } => {
                    device_update(&self.vars[i], g, &mut m[i], &mut s[i], c)?
                }
            }
        }
        Ok(())
    }

    /// One update from host gradients, one slice per variable in the order of `vars`
    /// (the fused MLP pass's output). Needs host moments.
    pub fn step_host(&mut self, grads: &[&[f32]], cfg: &OptimConfig) -> Result<()> {
        if grads.len() != self.vars.len() {
            return Err(GanError::InvalidData(format!(
                "{} gradients for {} variables",
                grads.len(),
                self.vars.len()
            )));
        }
        let c = self.begin(cfg);
        let Moments::Host { m, s } = &mut self.moments else {
            return Err(GanError::InvalidData(
                "host gradients need an optimiser on the CPU".into(),
            ));
        };
        for (i, g) in grads.iter().enumerate() {
            host_update(&self.vars[i], g, &mut m[i], &mut s[i], c)?;
        }
        Ok(())
    }
}

/// The update in tensor ops, for devices other than the CPU.
fn device_update(
    var: &Var,
    g: &Tensor,
    m_buf: &mut Option<Tensor>,
    s_buf: &mut Option<Tensor>,
    c: Coefficients,
) -> Result<()> {
    let cfg = c.cfg;
    let theta = var.as_tensor();
    let new = match cfg.kind {
        OptimizerKind::Sgd if cfg.momentum == 0.0 => (theta - (g * cfg.lr)?)?,
        OptimizerKind::Sgd => {
            let m = ema(m_buf, g, cfg.momentum)?;
            let step = (&m * (cfg.lr / (1.0 - cfg.momentum)))?;
            *m_buf = Some(m);
            (theta - step)?
        }
        OptimizerKind::Adam => {
            let m = ema(m_buf, g, cfg.beta1)?;
            let s = ema(s_buf, &g.sqr()?, cfg.beta2)?;
            let m_hat = (&m / c.m_correction)?;
            let s_hat = (&s / c.s_correction)?;
            let step = ((m_hat * cfg.lr)? / (s_hat.sqrt()? + cfg.eps)?)?;
            *m_buf = Some(m);
            *s_buf = Some(s);
            (theta - step)?
        }
        OptimizerKind::RmsProp => {
            let s = ema(s_buf, &g.sqr()?, cfg.rho)?;
            let step = ((g * cfg.lr)? / (s.sqrt()? + cfg.eps)?)?;
            *s_buf = Some(s);
            (theta - step)?
        }
    };
    var.set(&new)?;
    Ok(())
}

/// The update as one pass over each variable, written into its storage in place through
/// Candle's in-place custom-op interface: no tensor is allocated, where the tensor-op
/// form makes about a dozen per variable and step.
fn host_update(
    var: &Var,
    grad: &[f32],
    m: &mut Vec<f32>,
    s: &mut Vec<f32>,
    c: Coefficients,
) -> Result<()> {
    let n = var.elem_count();
    if grad.len() != n {
        return Err(GanError::InvalidData(format!(
            "gradient of {} values for a variable of {n}",
            grad.len()
        )));
    }
    m.resize(n, 0.0);
    s.resize(n, 0.0);
    let op = HostUpdate {
        grad,
        m: RefCell::new(m),
        s: RefCell::new(s),
        c,
    };
    var.as_tensor().inplace_op1(&op)?;
    Ok(())
}

struct HostUpdate<'a> {
    grad: &'a [f32],
    m: RefCell<&'a mut Vec<f32>>,
    s: RefCell<&'a mut Vec<f32>>,
    c: Coefficients,
}

impl InplaceOp1 for HostUpdate<'_> {
    fn name(&self) -> &'static str {
        "optimizer-update"
    }

    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> candle_core::Result<()> {
        let CpuStorage::F32(all) = storage else {
            candle_core::bail!("the optimiser updates f32 weights")
        };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("the optimiser updates contiguous weights")
        };
        let theta = &mut all[start..end];
        let (g, cfg) = (self.grad, self.c.cfg);
        let mut m = self.m.borrow_mut();
        let mut s = self.s.borrow_mut();
        let f = |x: f64| x as f32;
        match cfg.kind {
            OptimizerKind::Sgd if cfg.momentum == 0.0 => {
                let lr = f(cfg.lr);
                theta.iter_mut().zip(g).for_each(|(t, g)| *t -= g * lr);
            }
            OptimizerKind::Sgd => {
                let (mu, one_minus, scale) = (
                    f(cfg.momentum),
                    f(1.0 - cfg.momentum),
                    f(cfg.lr / (1.0 - cfg.momentum)),
                );
                for ((t, g), m) in theta.iter_mut().zip(g).zip(m.iter_mut()) {
                    *m = *m * mu + g * one_minus;
                    *t -= *m * scale;
                }
            }
            OptimizerKind::Adam => {
                let (b1, b1c, b2, b2c) = (
                    f(cfg.beta1),
                    f(1.0 - cfg.beta1),
                    f(cfg.beta2),
                    f(1.0 - cfg.beta2),
                );
                let (mc, sc, lr, eps) = (
                    f(self.c.m_correction),
                    f(self.c.s_correction),
                    f(cfg.lr),
                    f(cfg.eps),
                );
                for (((t, g), m), s) in theta.iter_mut().zip(g).zip(m.iter_mut()).zip(s.iter_mut())
                {
                    *m = *m * b1 + g * b1c;
                    *s = *s * b2 + g * g * b2c;
                    *t -= (*m / mc * lr) / ((*s / sc).sqrt() + eps);
                }
            }
            OptimizerKind::RmsProp => {
                let (rho, rc, lr, eps) = (f(cfg.rho), f(1.0 - cfg.rho), f(cfg.lr), f(cfg.eps));
                for ((t, g), s) in theta.iter_mut().zip(g).zip(s.iter_mut()) {
                    *s = *s * rho + g * g * rc;
                    *t -= g * lr / (s.sqrt() + eps);
                }
            }
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
