//! The f-divergence table of the lecture notes (Nowozin et al. 2016, "f-GAN", Table 1 and
//! Table 2): generator function `f`, Fenchel conjugate `f*`, and an output activation
//! `g_f` that maps the critic's raw value `v ∈ ℝ` into the domain of `f*`.
//!
//! `D_f(P‖Q) = ∫ q(x) f(p(x)/q(x)) dx`, with `P` the data and `Q` the generator, and
//! `D_f(P‖Q) ≥ sup_T E_P[T(x)] − E_Q[f*(T(x))]`, equality at `T = f'(p/q)`.
//!
//! Every activation here is increasing in `v`, so a larger `v` always means "more
//! real", whichever loss reads it. Where the paper's `g_f` is decreasing (reverse KL
//! `−e^{v}`, Neyman χ² and squared Hellinger `1 − e^{v}`) we use `v ↦ −v` of it, which has
//! the same range; the divergence and the bound are unchanged.

use crate::core::error::{GanError, Result};
use crate::core::special::{lambert_w_of_exp, softplus, softplus_t};
use candle_core::Tensor;
use std::f64::consts::LN_2;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FDivergence {
    /// `f(u) = ½|u − 1|`.
    TotalVariation,
    /// `f(u) = u log u`: KL(P‖Q).
    Kl,
    /// `f(u) = −log u`: KL(Q‖P).
    ReverseKl,
    /// `f(u) = (u − 1)²`, i.e. `∫ (p − q)²/q`.
    Pearson,
    /// `f(u) = (1 − u)²/u`, i.e. `∫ (p − q)²/p`.
    Neyman,
    /// `f(u) = (√u − 1)²`.
    SquaredHellinger,
    /// `f(u) = (u − 1) log u`: KL(P‖Q) + KL(Q‖P).
    Jeffrey,
    /// `f(u) = u log u − (u + 1) log((u + 1)/2)`: twice the Jensen-Shannon divergence.
    JensenShannon,
    /// `f(u) = πu log u − (1 − π + πu) log(1 − π + πu)`, `0 < π < 1`.
    WeightedJs { pi: f64 },
    /// `f(u) = u log u − (u + 1) log(u + 1)`: the original GAN, `2·JS − log 4`.
    Gan,
    /// `f(u) = (u^α − 1 − α(u − 1)) / (α(α − 1))`, `α ∉ {0, 1}`.
    Alpha { alpha: f64 },
}

pub const DEFAULT_PI: f64 = 0.3;
pub const DEFAULT_ALPHA: f64 = 1.5;

impl FDivergence {
    pub const NAMES: [&'static str; 11] = [
        "tv",
        "kl",
        "reverse-kl",
        "pearson",
        "neyman",
        "hellinger",
        "jeffrey",
        "js",
        "weighted-js",
        "gan",
        "alpha",
    ];

    /// Every row of the table, with the default π and α.
    pub fn all() -> Vec<FDivergence> {
        Self::NAMES
            .iter()
            .map(|n| Self::parse(n, None))
            .collect::<Result<Vec<_>>>()
            .unwrap_or_default()
    }

    /// Parse a name; `param` is π for weighted-js and α for alpha.
    pub fn parse(name: &str, param: Option<f64>) -> Result<Self> {
        let no_param = |d: FDivergence| match param {
            None => Ok(d),
            Some(_) => Err(GanError::InvalidConfig(format!(
                "f-divergence '{name}' takes no parameter"
            ))),
        };
        match name {
            "tv" => no_param(Self::TotalVariation),
            "kl" => no_param(Self::Kl),
            "reverse-kl" => no_param(Self::ReverseKl),
            "pearson" => no_param(Self::Pearson),
            "neyman" => no_param(Self::Neyman),
            "hellinger" => no_param(Self::SquaredHellinger),
            "jeffrey" => no_param(Self::Jeffrey),
            "js" => no_param(Self::JensenShannon),
            "gan" => no_param(Self::Gan),
            "weighted-js" => {
                let pi = param.unwrap_or(DEFAULT_PI);
                if !(pi > 0.0 && pi < 1.0) {
                    return Err(GanError::InvalidConfig(format!(
                        "weighted-js π = {pi} must lie strictly between 0 and 1"
                    )));
                }
                Ok(Self::WeightedJs { pi })
            }
            "alpha" => {
                let alpha = param.unwrap_or(DEFAULT_ALPHA);
                if !alpha.is_finite() || alpha == 0.0 || alpha == 1.0 || alpha.abs() > 10.0 {
                    return Err(GanError::InvalidConfig(format!(
                        "α = {alpha} must be finite, within ±10, and not 0 or 1"
                    )));
                }
                Ok(Self::Alpha { alpha })
            }
            o => Err(GanError::InvalidConfig(format!(
                "unknown f-divergence '{o}' (expected one of: {})",
                Self::NAMES.join(", ")
            ))),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::TotalVariation => "tv",
            Self::Kl => "kl",
            Self::ReverseKl => "reverse-kl",
            Self::Pearson => "pearson",
            Self::Neyman => "neyman",
            Self::SquaredHellinger => "hellinger",
            Self::Jeffrey => "jeffrey",
            Self::JensenShannon => "js",
            Self::WeightedJs { .. } => "weighted-js",
            Self::Gan => "gan",
            Self::Alpha { .. } => "alpha",
        }
    }

    /// The generator function `f(u)`, `u = p/q > 0`.
    pub fn f(&self, u: f64) -> f64 {
        match *self {
            Self::TotalVariation => 0.5 * (u - 1.0).abs(),
            Self::Kl => u * u.ln(),
            Self::ReverseKl => -u.ln(),
            Self::Pearson => (u - 1.0).powi(2),
            Self::Neyman => (1.0 - u).powi(2) / u,
            Self::SquaredHellinger => (u.sqrt() - 1.0).powi(2),
            Self::Jeffrey => (u - 1.0) * u.ln(),
            Self::JensenShannon => u * u.ln() - (u + 1.0) * ((u + 1.0) / 2.0).ln(),
            Self::WeightedJs { pi } => {
                let s = 1.0 - pi + pi * u;
                pi * u * u.ln() - s * s.ln()
            }
            Self::Gan => u * u.ln() - (u + 1.0) * (u + 1.0).ln(),
            Self::Alpha { alpha } => {
                (u.powf(alpha) - 1.0 - alpha * (u - 1.0)) / (alpha * (alpha - 1.0))
            }
        }
    }

    /// The Fenchel conjugate `f*(t) = sup_u ut − f(u)`; `+∞` outside its domain.
    pub fn conjugate(&self, t: f64) -> f64 {
        let inf = f64::INFINITY;
        match *self {
            Self::TotalVariation => {
                if t.abs() <= 0.5 {
                    t
                } else {
                    inf
                }
            }
            Self::Kl => (t - 1.0).exp(),
            Self::ReverseKl => {
                if t < 0.0 {
                    -1.0 - (-t).ln()
                } else {
                    inf
                }
            }
            Self::Pearson => t * t / 4.0 + t,
            Self::Neyman => {
                if t < 1.0 {
                    2.0 - 2.0 * (1.0 - t).sqrt()
                } else {
                    inf
                }
            }
            Self::SquaredHellinger => {
                if t < 1.0 {
                    t / (1.0 - t)
                } else {
                    inf
                }
            }
            Self::Jeffrey => {
                let w = lambert_w_of_exp(1.0 - t);
                w + 1.0 / w + t - 2.0
            }
            Self::JensenShannon => {
                if t < LN_2 {
                    -(2.0 - t.exp()).ln()
                } else {
                    inf
                }
            }
            Self::WeightedJs { pi } => {
                let r = 1.0 - pi * (t / pi).exp();
                if r > 0.0 {
                    (1.0 - pi) * ((1.0 - pi) / r).ln()
                } else {
                    inf
                }
            }
            Self::Gan => {
                if t < 0.0 {
                    -(-t.exp()).ln_1p()
                } else {
                    inf
                }
            }
            Self::Alpha { alpha } => {
                let z = (alpha - 1.0) * t + 1.0;
                if z > 0.0 {
                    (z.powf(alpha / (alpha - 1.0)) - 1.0) / alpha
                } else if alpha > 1.0 {
                    // t below f'(0⁺) = −1/(α−1): the supremum is at u = 0.
                    -1.0 / alpha
                } else {
                    inf
                }
            }
        }
    }

    /// The output activation `g_f(v)` (scalar form, for tests and grids).
    pub fn activation(&self, v: f64) -> f64 {
        match *self {
            Self::TotalVariation => 0.5 * v.tanh(),
            Self::Kl | Self::Pearson | Self::Jeffrey => v,
            Self::ReverseKl => -(-v).exp(),
            Self::Neyman | Self::SquaredHellinger => 1.0 - (-v).exp(),
            Self::JensenShannon => LN_2 - softplus(-v),
            Self::WeightedJs { pi } => -pi * pi.ln() - pi * softplus(-v),
            Self::Gan => -softplus(-v),
            Self::Alpha { alpha } => (((alpha - 1.0) * v).exp() - 1.0) / (alpha - 1.0),
        }
    }

    /// `g_f(v)` and `f*(t)` as text, for the page's formula strip (same forms as above).
    pub fn formula_text(&self) -> (String, String) {
        let (g, c) = match *self {
            Self::TotalVariation => ("½·tanh v".to_string(), "t".to_string()),
            Self::Kl => ("v".into(), "exp(t − 1)".into()),
            Self::ReverseKl => ("−exp(−v)".into(), "−1 − log(−t)".into()),
            Self::Pearson => ("v".into(), "t²/4 + t".into()),
            Self::Neyman => ("1 − exp(−v)".into(), "2 − 2√(1 − t)".into()),
            Self::SquaredHellinger => ("1 − exp(−v)".into(), "t/(1 − t)".into()),
            Self::Jeffrey => ("v".into(), "W(e^(1−t)) + 1/W(e^(1−t)) + t − 2".into()),
            Self::JensenShannon => ("log 2 − log(1 + e^(−v))".into(), "−log(2 − e^t)".into()),
            Self::WeightedJs { pi } => (
                format!("−π log π − π·log(1 + e^(−v)), π = {pi}"),
                "(1 − π) log((1 − π)/(1 − π e^(t/π)))".into(),
            ),
            Self::Gan => ("−log(1 + e^(−v))".into(), "−log(1 − e^t)".into()),
            Self::Alpha { alpha } => (
                format!("(e^((α−1)v) − 1)/(α − 1), α = {alpha}"),
                "((α − 1)t + 1)^(α/(α−1))/α − 1/α".into(),
            ),
        };
        (g, c)
    }

    /// `g_f(v)` elementwise.
    pub fn activation_t(&self, v: &Tensor) -> Result<Tensor> {
        Ok(match *self {
            Self::TotalVariation => (v.tanh()? * 0.5)?,
            Self::Kl | Self::Pearson | Self::Jeffrey => v.clone(),
            Self::ReverseKl => v.neg()?.exp()?.neg()?,
            Self::Neyman | Self::SquaredHellinger => (1.0 - v.neg()?.exp()?)?,
            Self::JensenShannon => (LN_2 - softplus_t(&v.neg()?)?)?,
            Self::WeightedJs { pi } => ((softplus_t(&v.neg()?)? * -pi)? - pi * pi.ln())?,
            Self::Gan => softplus_t(&v.neg()?)?.neg()?,
            Self::Alpha { alpha } => ((((v * (alpha - 1.0))?.exp()? - 1.0)?) / (alpha - 1.0))?,
        })
    }

    /// `f*(g_f(v))` elementwise, simplified into a form that cannot overflow where the
    /// composition would (e.g. JS: `−log(2 − e^{g}) = softplus(v) − log 2`).
    pub fn conjugate_of_activation_t(&self, v: &Tensor) -> Result<Tensor> {
        Ok(match *self {
            Self::TotalVariation => (v.tanh()? * 0.5)?,
            Self::Kl => (v - 1.0)?.exp()?,
            Self::ReverseKl => (v - 1.0)?,
            Self::Pearson => ((v.sqr()? * 0.25)? + v)?,
            Self::Neyman => (2.0 - ((v * -0.5)?.exp()? * 2.0)?)?,
            Self::SquaredHellinger => (v.exp()? - 1.0)?,
            Self::Jeffrey => jeffrey_conjugate_t(v)?,
            Self::JensenShannon => (softplus_t(v)? - LN_2)?,
            Self::WeightedJs { pi } => ((softplus_t(v)? + (1.0 - pi).ln())? * (1.0 - pi))?,
            Self::Gan => softplus_t(v)?,
            Self::Alpha { alpha } => (((v * alpha)?.exp()? - 1.0)? / alpha)?,
        })
    }
}

/// Jeffrey's `f*(t) = u t − f(u)` at the maximiser `u = 1/W(e^{1−t})`. The maximiser is
/// computed on the host (Candle has no Lambert W) and held constant: by the envelope
/// theorem `d f*/dt = u`, so the gradient through `u t` alone is exact.
fn jeffrey_conjugate_t(t: &Tensor) -> Result<Tensor> {
    let shape = t.shape().clone();
    let values = t
        .flatten_all()?
        .to_dtype(candle_core::DType::F64)?
        .to_vec1::<f64>()?;
    let (mut u, mut fu) = (
        Vec::with_capacity(values.len()),
        Vec::with_capacity(values.len()),
    );
    for &tv in &values {
        let ui = 1.0 / lambert_w_of_exp(1.0 - tv);
        u.push(ui as f32);
        fu.push(FDivergence::Jeffrey.f(ui) as f32);
    }
    let u = Tensor::from_vec(u, shape.clone(), t.device())?;
    let fu = Tensor::from_vec(fu, shape, t.device())?;
    Ok(((t * u)? - fu)?)
}
