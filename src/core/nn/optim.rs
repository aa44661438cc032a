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
use crate::core::health::all_finite;
use crate::core::tensor::HostRead;
use candle_core::backprop::GradStore;
use candle_core::{CpuStorage, InplaceOp1, Layout, Tensor, Var};

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

/// Cloning copies the moments (an unrolled critic's lookahead restores them); the
/// variables are shared.
#[derive(Clone)]
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
#[derive(Clone)]
enum Moments {
    Host {
        m: Vec<Vec<f32>>,
        s: Vec<Vec<f32>>,
        staged: Staged,
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

    /// Whether the moments live on the host and the update is written in place (CPU
    /// weights), or are tensors on the weights' device (any other device, e.g. CUDA).
    pub fn host_moments(&self) -> bool {
        matches!(self.moments, Moments::Host { .. })
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
                staged: Staged::new(n),
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

    /// This step's coefficients; the step counts move on only when an update is applied
    /// ([`Optimizer::commit`]).
    fn coefficients(&self, cfg: &OptimConfig) -> Coefficients {
        let (m_steps, s_steps) = self.counts_after(cfg);
        Coefficients {
            cfg: *cfg,
            m_correction: 1.0 - cfg.beta1.powi(m_steps),
            s_correction: 1.0 - cfg.beta2.powi(s_steps),
        }
    }

    fn counts_after(&self, cfg: &OptimConfig) -> (i32, i32) {
        let (m, s) = (self.m_steps, self.s_steps);
        match cfg.kind {
            OptimizerKind::Sgd if cfg.momentum > 0.0 => (m + 1, s),
            OptimizerKind::Sgd => (m, s),
            OptimizerKind::Adam => (m + 1, s + 1),
            OptimizerKind::RmsProp => (m, s + 1),
        }
    }

    fn commit(&mut self, cfg: &OptimConfig) {
        (self.m_steps, self.s_steps) = self.counts_after(cfg);
    }

    /// One update of every owned variable from `grads` (vars without a gradient are left).
    /// Transactional: when any weight or moment would become non-finite, nothing is written
    /// and the first such variable is named by [`Update::Refused`].
    pub fn step(&mut self, grads: &GradStore, cfg: &OptimConfig) -> Result<Update> {
        let c = self.coefficients(cfg);
        let grads: Vec<Option<Tensor>> = self
            .vars
            .iter()
            .map(|v| grads.get(v.as_tensor()).map(Tensor::contiguous).transpose())
            .collect::<candle_core::Result<_>>()?;
        match &mut self.moments {
            Moments::Host { m, s, staged } => {
                let reads = grads
                    .iter()
                    .map(|g| g.as_ref().map(HostRead::new).transpose())
                    .collect::<Result<Vec<_>>>()?;
                let slices = reads
                    .iter()
                    .map(|r| r.as_ref().map(HostRead::slice).transpose())
                    .collect::<Result<Vec<_>>>()?;
                if let Some(i) = staged.stage(&self.vars, &slices, m, s, c)? {
                    return Ok(Update::Refused(i));
                }
                staged.commit(&self.vars, &slices, m, s)?;
            }
            Moments::Device { m, s } => {
                let mut new = Vec::with_capacity(self.vars.len());
                for (i, g) in grads.iter().enumerate() {
                    let Some(g) = g else {
                        new.push(None);
                        continue;
                    };
                    let u = device_update(&self.vars[i], g, &m[i], &s[i], c)?;
                    if !u.is_finite()? {
                        return Ok(Update::Refused(i));
                    }
                    new.push(Some(u));
                }
                for (i, u) in new.into_iter().enumerate() {
                    if let Some(u) = u {
                        self.vars[i].set(&u.theta)?;
                        m[i] = u.m.or(m[i].take());
                        s[i] = u.s.or(s[i].take());
                    }
                }
            }
        }
        self.commit(cfg);
        Ok(Update::Applied)
    }

    /// One update from host gradients, one slice per variable in the order of `vars`
    /// (the fused MLP pass's output). Needs host moments. Transactional, as
    /// [`Optimizer::step`].
    pub fn step_host(&mut self, grads: &[&[f32]], cfg: &OptimConfig) -> Result<Update> {
        if grads.len() != self.vars.len() {
            return Err(GanError::InvalidData(format!(
                "{} gradients for {} variables",
                grads.len(),
                self.vars.len()
            )));
        }
        let c = self.coefficients(cfg);
        let Moments::Host { m, s, staged } = &mut self.moments else {
            return Err(GanError::InvalidData(
                "host gradients need an optimiser on the CPU".into(),
            ));
        };
        let slices: Vec<Option<&[f32]>> = grads.iter().map(|g| Some(*g)).collect();
        if let Some(i) = staged.stage(&self.vars, &slices, m, s, c)? {
            return Ok(Update::Refused(i));
        }
        staged.commit(&self.vars, &slices, m, s)?;
        self.commit(cfg);
        Ok(Update::Applied)
    }
}

/// What an optimiser step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Update {
    Applied,
    /// Nothing was written: variable `i` (in the optimiser's order) would have become
    /// non-finite ([`crate::core::health`]).
    Refused(usize),
}

/// A host step's new weights and moments, computed once and kept until every variable is
/// known to stay finite, then swapped in: the check and the write are one computation
/// (checking first, then recomputing in place, cost 11% of mnist-mlp's iteration in wasm).
struct Staged {
    t: Vec<Vec<f32>>,
    m: Vec<Vec<f32>>,
    s: Vec<Vec<f32>>,
}

/// A clone stages afresh: the buffers hold nothing between steps.
impl Clone for Staged {
    fn clone(&self) -> Self {
        Self::new(self.t.len())
    }
}

impl Staged {
    fn new(n: usize) -> Self {
        Self {
            t: vec![Vec::new(); n],
            m: vec![Vec::new(); n],
            s: vec![Vec::new(); n],
        }
    }

    /// Computes every update into the staged buffers; the first variable whose update
    /// would leave a non-finite weight or moment, if any (nothing is written then).
    fn stage(
        &mut self,
        vars: &[Var],
        grads: &[Option<&[f32]>],
        m: &mut [Vec<f32>],
        s: &mut [Vec<f32>],
        c: Coefficients,
    ) -> Result<Option<usize>> {
        let rule = Rule::new(c);
        for (i, g) in grads.iter().enumerate() {
            let Some(g) = g else { continue };
            let n = vars[i].elem_count();
            if g.len() != n {
                return Err(GanError::InvalidData(format!(
                    "gradient of {} values for a variable of {n}",
                    g.len()
                )));
            }
            m[i].resize(n, 0.0);
            s[i].resize(n, 0.0);
            let (nt, nm, ns) = (&mut self.t[i], &mut self.m[i], &mut self.s[i]);
            nt.resize(n, 0.0);
            nm.resize(n, 0.0);
            ns.resize(n, 0.0);
            let read = HostRead::new(vars[i].as_tensor())?;
            let mut healthy = true;
            let old = read.slice()?.iter().zip(*g).zip(m[i].iter().zip(&s[i]));
            let new = nt.iter_mut().zip(nm.iter_mut().zip(ns.iter_mut()));
            for (((&t, &g), (&m, &s)), (nt, (nm, ns))) in old.zip(new) {
                (*nt, *nm, *ns) = rule.apply(t, g, m, s);
                healthy &= nt.is_finite() & nm.is_finite() & ns.is_finite();
            }
            if !healthy {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// Writes what [`Staged::stage`] computed: the weights copied into each variable's
    /// storage, the moments swapped with the optimiser's.
    fn commit(
        &mut self,
        vars: &[Var],
        grads: &[Option<&[f32]>],
        m: &mut [Vec<f32>],
        s: &mut [Vec<f32>],
    ) -> Result<()> {
        for (i, g) in grads.iter().enumerate() {
            if g.is_some() {
                vars[i].as_tensor().inplace_op1(&HostWrite(&self.t[i]))?;
                std::mem::swap(&mut m[i], &mut self.m[i]);
                std::mem::swap(&mut s[i], &mut self.s[i]);
            }
        }
        Ok(())
    }
}

/// One variable's new weights and moments, computed on the device before any is written.
struct DeviceUpdate {
    theta: Tensor,
    m: Option<Tensor>,
    s: Option<Tensor>,
}

impl DeviceUpdate {
    fn is_finite(&self) -> Result<bool> {
        for t in [Some(&self.theta), self.m.as_ref(), self.s.as_ref()]
            .into_iter()
            .flatten()
        {
            if !all_finite(t)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The update in tensor ops, for devices other than the CPU; nothing is written.
fn device_update(
    var: &Var,
    g: &Tensor,
    m_buf: &Option<Tensor>,
    s_buf: &Option<Tensor>,
    c: Coefficients,
) -> Result<DeviceUpdate> {
    let cfg = c.cfg;
    let theta = var.as_tensor();
    let (step, m, s) = match cfg.kind {
        OptimizerKind::Sgd if cfg.momentum == 0.0 => ((g * cfg.lr)?, None, None),
        OptimizerKind::Sgd => {
            let m = ema(m_buf, g, cfg.momentum)?;
            ((&m * (cfg.lr / (1.0 - cfg.momentum)))?, Some(m), None)
        }
        OptimizerKind::Adam => {
            let m = ema(m_buf, g, cfg.beta1)?;
            let s = ema(s_buf, &g.sqr()?, cfg.beta2)?;
            let m_hat = (&m / c.m_correction)?;
            let s_hat = (&s / c.s_correction)?;
            let step = ((m_hat * cfg.lr)? / (s_hat.sqrt()? + cfg.eps)?)?;
            (step, Some(m), Some(s))
        }
        OptimizerKind::RmsProp => {
            let s = ema(s_buf, &g.sqr()?, cfg.rho)?;
            let step = ((g * cfg.lr)? / (s.sqrt()? + cfg.eps)?)?;
            (step, None, Some(s))
        }
    };
    Ok(DeviceUpdate {
        theta: (theta - step)?,
        m,
        s,
    })
}

/// The per-weight update rule of one step, its coefficients in f32: `(θ, g, m, s)` to
/// their new values. The check before an update and the update itself both use it.
#[derive(Clone, Copy)]
enum Rule {
    Sgd {
        lr: f32,
    },
    Momentum {
        mu: f32,
        one_minus: f32,
        scale: f32,
    },
    Adam {
        b1: f32,
        b1c: f32,
        b2: f32,
        b2c: f32,
        mc: f32,
        sc: f32,
        lr: f32,
        eps: f32,
    },
    RmsProp {
        rho: f32,
        rc: f32,
        lr: f32,
        eps: f32,
    },
}

impl Rule {
    fn new(c: Coefficients) -> Self {
        let cfg = c.cfg;
        let f = |x: f64| x as f32;
        match cfg.kind {
            OptimizerKind::Sgd if cfg.momentum == 0.0 => Rule::Sgd { lr: f(cfg.lr) },
            OptimizerKind::Sgd => Rule::Momentum {
                mu: f(cfg.momentum),
                one_minus: f(1.0 - cfg.momentum),
                scale: f(cfg.lr / (1.0 - cfg.momentum)),
            },
            OptimizerKind::Adam => Rule::Adam {
                b1: f(cfg.beta1),
                b1c: f(1.0 - cfg.beta1),
                b2: f(cfg.beta2),
                b2c: f(1.0 - cfg.beta2),
                mc: f(c.m_correction),
                sc: f(c.s_correction),
                lr: f(cfg.lr),
                eps: f(cfg.eps),
            },
            OptimizerKind::RmsProp => Rule::RmsProp {
                rho: f(cfg.rho),
                rc: f(1.0 - cfg.rho),
                lr: f(cfg.lr),
                eps: f(cfg.eps),
            },
        }
    }

    #[inline(always)]
    fn apply(self, t: f32, g: f32, m: f32, s: f32) -> (f32, f32, f32) {
        match self {
            Rule::Sgd { lr } => (t - g * lr, m, s),
            Rule::Momentum {
                mu,
                one_minus,
                scale,
            } => {
                let m = m * mu + g * one_minus;
                (t - m * scale, m, s)
            }
            Rule::Adam {
                b1,
                b1c,
                b2,
                b2c,
                mc,
                sc,
                lr,
                eps,
            } => {
                let m = m * b1 + g * b1c;
                let s = s * b2 + g * g * b2c;
                (t - (m / mc * lr) / ((s / sc).sqrt() + eps), m, s)
            }
            Rule::RmsProp { rho, rc, lr, eps } => {
                let s = s * rho + g * g * rc;
                (t - g * lr / (s.sqrt() + eps), m, s)
            }
        }
    }
}

/// Copies staged weights into a variable's storage through Candle's in-place custom-op
/// interface: no tensor is allocated, where the tensor-op form of the update makes about
/// a dozen per variable and step.
struct HostWrite<'a>(&'a [f32]);

impl InplaceOp1 for HostWrite<'_> {
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
        if end - start != self.0.len() {
            candle_core::bail!("{} staged weights for {} values", self.0.len(), end - start)
        }
        all[start..end].copy_from_slice(self.0);
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
