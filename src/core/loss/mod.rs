//! The loss catalogue. The discriminator (critic) outputs one raw value `v = V(x)` per
//! sample; every loss re-reads that same value, so the loss can change between any two
//! steps without touching the networks. `p` is the data, `q` the generator.
//!
//! All forms are numerically stable: `log σ(v) = −softplus(−v)` and
//! `log(1 − σ(v)) = −softplus(v)`, never `log(sigmoid(v))`.

use crate::core::error::{GanError, Result};
pub mod fdiv;
pub mod grad;

use crate::core::special::softplus_t;
use candle_core::{Tensor, D};
use fdiv::FDivergence;

/// The generator's objective under an f-GAN loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenObjective {
    /// `min_G F = −E_q[f*(g_f(v))]` (+ a term without G): the saddle point of the bound.
    Saturating,
    /// `min_G −E_q[g_f(v)]`: Nowozin et al. §3.2, the f-GAN analogue of the flip trick.
    NonSaturating,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    /// Goodfellow et al. 2014: D max `E_p log σ(v) + E_q log(1 − σ(v))`,
    /// G min `E_q log(1 − σ(v))` (lecture notes, "GAN objective").
    Minimax,
    /// Same D; G min `−E_q log σ(v)` (the notes' "flip trick").
    NonSaturating,
    /// f-GAN (Nowozin et al. 2016): D max `F = E_p[g_f(v)] − E_q[f*(g_f(v))]`.
    FGan(FDivergence, GenObjective),
    /// WGAN (Arjovsky et al. 2017): critic max `E_p v − E_q v`, G min `−E_q v`; weights
    /// clipped to `[−c, c]` after each critic step.
    Wgan,
    /// WGAN-GP (Gulrajani et al. 2017): WGAN plus `λ E_x̂ (‖∇V(x̂)‖ − 1)²` on random
    /// interpolates, or the one-sided `λ E_x̂ max(0, ‖∇V(x̂)‖ − 1)²`.
    WganGp { one_sided: bool },
    /// LSGAN (Mao et al. 2017), codes a=0, b=1, c=1: D min `½E_p(v − 1)² + ½E_q v²`,
    /// G min `½E_q(v − 1)²`.
    Lsgan,
    /// Hinge (Lim & Ye 2017; Miyato et al. 2018): D min `E_p relu(1 − v) + E_q relu(1 + v)`,
    /// G min `−E_q v`.
    Hinge,
}

/// The discriminator's own estimate of a divergence, read off its loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DivergenceEstimate {
    /// What it estimates: `"js"`, `"w1"`, or an f-divergence name (as in [`FDivergence::name`]).
    pub divergence: &'static str,
    pub value: f64,
}

impl Loss {
    /// Names, as in the CLI and URL hash. f-GAN losses are `f-<divergence>`, with an
    /// optional parameter (`f-alpha=2`, `f-weighted-js=0.3`) and an optional `-sat` suffix
    /// for the saturating generator objective.
    pub fn names() -> Vec<String> {
        let mut v: Vec<String> = ["minimax", "non-saturating"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(FDivergence::NAMES.iter().map(|n| format!("f-{n}")));
        v.extend(
            ["wgan", "wgan-gp", "wgan-gp-one-sided", "lsgan", "hinge"]
                .iter()
                .map(|s| s.to_string()),
        );
        v
    }

    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "minimax" => Loss::Minimax,
            "non-saturating" | "ns" => Loss::NonSaturating,
            "wgan" => Loss::Wgan,
            "wgan-gp" => Loss::WganGp { one_sided: false },
            "wgan-gp-one-sided" => Loss::WganGp { one_sided: true },
            "lsgan" => Loss::Lsgan,
            "hinge" => Loss::Hinge,
            _ if s.starts_with("f-") => {
                let body = &s[2..];
                let (body, objective) = match body.strip_suffix("-sat") {
                    Some(b) => (b, GenObjective::Saturating),
                    None => (body, GenObjective::NonSaturating),
                };
                let (name, param) = match body.split_once('=') {
                    Some((n, p)) => {
                        let v: f64 = p.parse().map_err(|_| {
                            GanError::InvalidConfig(format!("'{p}' in loss '{s}' is not a number"))
                        })?;
                        (n, Some(v))
                    }
                    None => (body, None),
                };
                Loss::FGan(FDivergence::parse(name, param)?, objective)
            }
            _ => {
                return Err(GanError::InvalidConfig(format!(
                    "unknown loss '{s}' (expected one of: {})",
                    Self::names().join(", ")
                )))
            }
        })
    }

    /// Every loss, by canonical name: the f-GAN rows with each generator objective.
    pub fn all() -> Vec<Loss> {
        let mut v = Vec::new();
        for name in Self::names() {
            if let Ok(loss) = Self::parse(&name) {
                v.push(loss);
                if let Loss::FGan(div, GenObjective::NonSaturating) = loss {
                    v.push(Loss::FGan(div, GenObjective::Saturating));
                }
            }
        }
        v
    }

    /// The family the page groups this loss under.
    pub fn family(&self) -> &'static str {
        match self {
            Loss::Minimax | Loss::NonSaturating => "classic",
            Loss::FGan(..) => "f-GAN",
            Loss::Wgan | Loss::WganGp { .. } => "Wasserstein",
            Loss::Lsgan | Loss::Hinge => "least squares and hinge",
        }
    }

    /// The canonical name (round-trips through [`Loss::parse`]).
    pub fn name(&self) -> String {
        match self {
            Loss::Minimax => "minimax".into(),
            Loss::NonSaturating => "non-saturating".into(),
            Loss::FGan(div, obj) => {
                let param = match div {
                    FDivergence::WeightedJs { pi } => format!("={pi}"),
                    FDivergence::Alpha { alpha } => format!("={alpha}"),
                    _ => String::new(),
                };
                let sat = if *obj == GenObjective::Saturating {
                    "-sat"
                } else {
                    ""
                };
                format!("f-{}{param}{sat}", div.name())
            }
            Loss::Wgan => "wgan".into(),
            Loss::WganGp { one_sided: false } => "wgan-gp".into(),
            Loss::WganGp { one_sided: true } => "wgan-gp-one-sided".into(),
            Loss::Lsgan => "lsgan".into(),
            Loss::Hinge => "hinge".into(),
        }
    }

    /// The discriminator's loss (to minimise) on raw values of a real and a fake batch,
    /// without the gradient penalty (see [`gradient_penalty`]).
    pub fn d_loss(&self, v_real: &Tensor, v_fake: &Tensor) -> Result<Tensor> {
        let mean = |t: Tensor| -> Result<Tensor> { Ok(t.mean_all()?) };
        Ok(match self {
            Loss::Minimax | Loss::NonSaturating => {
                (mean(softplus_t(&v_real.neg()?)?)? + mean(softplus_t(v_fake)?)?)?
            }
            Loss::FGan(div, _) => {
                let real = mean(div.activation_t(v_real)?)?;
                let fake = mean(div.conjugate_of_activation_t(v_fake)?)?;
                (fake - real)?
            }
            Loss::Wgan | Loss::WganGp { .. } => (mean(v_fake.clone())? - mean(v_real.clone())?)?,
            Loss::Lsgan => {
                let real = mean((v_real - 1.0)?.sqr()?)?;
                let fake = mean(v_fake.sqr()?)?;
                ((real + fake)? * 0.5)?
            }
            Loss::Hinge => {
                let real = mean((1.0 - v_real)?.relu()?)?;
                let fake = mean((v_fake + 1.0)?.relu()?)?;
                (real + fake)?
            }
        })
    }

    /// The generator's loss (to minimise) on the raw values of a fake batch.
    pub fn g_loss(&self, v_fake: &Tensor) -> Result<Tensor> {
        Ok(match self {
            Loss::Minimax => softplus_t(v_fake)?.mean_all()?.neg()?,
            Loss::NonSaturating => softplus_t(&v_fake.neg()?)?.mean_all()?,
            Loss::FGan(div, GenObjective::Saturating) => {
                div.conjugate_of_activation_t(v_fake)?.mean_all()?.neg()?
            }
            Loss::FGan(div, GenObjective::NonSaturating) => {
                div.activation_t(v_fake)?.mean_all()?.neg()?
            }
            Loss::Wgan | Loss::WganGp { .. } | Loss::Hinge => v_fake.mean_all()?.neg()?,
            Loss::Lsgan => ((v_fake - 1.0)?.sqr()?.mean_all()? * 0.5)?,
        })
    }

    /// What the discriminator's loss says about the divergence it is estimating, from the
    /// value of [`Loss::d_loss`] (without penalty):
    /// - minimax / non-saturating: `JS ≈ (log 4 − d_loss)/2`, since at `D*` the minimax
    ///   value is `2·JS − log 4` (Goodfellow et al. 2014, Thm 1);
    /// - f-GAN: `D_f ≥ F = −d_loss`;
    /// - WGAN: `W1 ≈ E_p v − E_q v = −d_loss` (up to the critic's Lipschitz constant).
    pub fn divergence_estimate(&self, d_loss: f64) -> Option<DivergenceEstimate> {
        let divergence = self.estimated_divergence()?;
        let value = match self {
            Loss::Minimax | Loss::NonSaturating => (4f64.ln() - d_loss) / 2.0,
            _ => -d_loss,
        };
        Some(DivergenceEstimate { divergence, value })
    }

    /// Which divergence the discriminator's loss estimates: `"js"`, `"w1"`, an
    /// f-divergence name, or none (LSGAN, hinge).
    pub fn estimated_divergence(&self) -> Option<&'static str> {
        match self {
            Loss::Minimax | Loss::NonSaturating => Some("js"),
            Loss::FGan(div, _) => Some(div.name()),
            Loss::Wgan | Loss::WganGp { .. } => Some("w1"),
            Loss::Lsgan | Loss::Hinge => None,
        }
    }

    /// The objectives as text, `(discriminator, generator)`, for the page's model strip;
    /// `V(x)` is the discriminator's raw output, `p` the data and `q` the generator.
    pub fn formulas(&self) -> (String, String) {
        match self {
            Loss::Minimax => (
                "max_D  E_p[log σ(V(x))] + E_q[log(1 − σ(V(x)))]".into(),
                "min_G  E_q[log(1 − σ(V(G(z))))]".into(),
            ),
            Loss::NonSaturating => (
                "max_D  E_p[log σ(V(x))] + E_q[log(1 − σ(V(x)))]".into(),
                "min_G  −E_q[log σ(V(G(z)))]".into(),
            ),
            Loss::FGan(div, objective) => {
                let (g, c) = div.formula_text();
                let d =
                    format!("max_D  E_p[g(V(x))] − E_q[f*(g(V(x)))],  g(v) = {g},  f*(t) = {c}");
                let gen = match objective {
                    GenObjective::NonSaturating => "min_G  −E_q[g(V(G(z)))]".to_string(),
                    GenObjective::Saturating => "min_G  −E_q[f*(g(V(G(z))))]".to_string(),
                };
                (d, gen)
            }
            Loss::Wgan => (
                "max_D  E_p[V(x)] − E_q[V(x)],  weights clipped to [−c, c]".into(),
                "min_G  −E_q[V(G(z))]".into(),
            ),
            Loss::WganGp { one_sided } => (
                format!(
                    "max_D  E_p[V(x)] − E_q[V(x)] − λ·E[{}]",
                    if *one_sided {
                        "max(0, ‖∇V(x̂)‖ − 1)²"
                    } else {
                        "(‖∇V(x̂)‖ − 1)²"
                    }
                ),
                "min_G  −E_q[V(G(z))]".into(),
            ),
            Loss::Lsgan => (
                "min_D  ½E_p[(V(x) − 1)²] + ½E_q[V(x)²]".into(),
                "min_G  ½E_q[(V(G(z)) − 1)²]".into(),
            ),
            Loss::Hinge => (
                "min_D  E_p[max(0, 1 − V(x))] + E_q[max(0, 1 + V(x))]".into(),
                "min_G  −E_q[V(G(z))]".into(),
            ),
        }
    }

    /// Whether the critic's weights are clipped after each step.
    pub fn clips_weights(&self) -> bool {
        matches!(self, Loss::Wgan)
    }

    pub fn gradient_penalty_kind(&self) -> Option<bool> {
        match self {
            Loss::WganGp { one_sided } => Some(*one_sided),
            _ => None,
        }
    }
}

/// The R1 penalty `γ/2 · E_{x∼p_data} ‖∇ₓ V(x)‖²` on the critic's raw value at real
/// data, given the input gradients `g` there, one row per sample (Mescheder, Geiger and
/// Nowozin 2018, "Which Training Methods for GANs do actually Converge?", eq. 9): a
/// zero-centred penalty that damps the critic's oscillation around the data, the
/// lectures' cure for non-convergence and one of the mode-collapse cures.
pub fn r1_penalty(grad: &Tensor, gamma: f64) -> Result<Tensor> {
    Ok((grad.sqr()?.sum(D::Minus1)?.mean_all()? * (gamma / 2.0))?)
}

/// `E (‖g‖ − 1)²` (two-sided) or `E max(0, ‖g‖ − 1)²` (one-sided) over the rows of the
/// input gradients `g` (Gulrajani et al. 2017, eq. 3; the notes' one-sided variant). The
/// `1e-12` keeps the norm differentiable at `g = 0`.
pub fn gradient_penalty(grad: &Tensor, one_sided: bool) -> Result<Tensor> {
    let norm = (grad.sqr()?.sum(D::Minus1)? + 1e-12)?.sqrt()?;
    let excess = (norm - 1.0)?;
    let excess = if one_sided { excess.relu()? } else { excess };
    Ok(excess.sqr()?.mean_all()?)
}
