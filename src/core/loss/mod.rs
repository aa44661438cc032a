//! The loss catalogue. The discriminator (critic) outputs one raw value `v = V(x)` per
//! sample; every loss re-reads that same value, so the loss can change between any two
//! steps without touching the networks. `p` is the data, `q` the generator.
//!
//! Every loss is a row of `table.rs`; the methods of [`Loss`] below only read the rows.
//!
//! All forms are numerically stable: `log σ(v) = −softplus(−v)` and
//! `log(1 − σ(v)) = −softplus(v)`, never `log(sigmoid(v))`.

use crate::core::error::{GanError, Result};
pub mod fdiv;
pub mod grad;
mod table;
pub mod terms;

use candle_core::{Tensor, D};
use fdiv::FDivergence;
pub use table::{Constraint, Critic, Estimate, Family, Loss, Row, ROWS};
use table::{Entry, FGanRow};

/// The generator's objective under an f-GAN loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenObjective {
    /// `min_G F = −E_q[f*(g_f(v))]` (+ a term without G): the saddle point of the bound.
    Saturating,
    /// `min_G −E_q[g_f(v)]`: Nowozin et al. §3.2, the f-GAN analogue of the flip trick.
    NonSaturating,
}

/// The discriminator's own estimate of a divergence, read off its loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DivergenceEstimate {
    /// What it estimates: `"js"`, `"w1"`, or an f-divergence name (as in [`FDivergence::name`]).
    pub divergence: &'static str,
    pub value: f64,
}

impl Loss {
    /// The table's rows in menu order, family by family: a family's plain rows, then (for
    /// the f-GAN family) one row per divergence, with the saturating objective too if
    /// `saturating`.
    fn in_menu_order(saturating: bool) -> Vec<Loss> {
        let mut v = Vec::new();
        for family in Family::ALL {
            v.extend(
                ROWS.iter()
                    .filter(|(_, row)| row.family == family)
                    .map(|(loss, _)| *loss),
            );
            if family == FGanRow::FAMILY {
                v.extend(FGanRow::all(saturating));
            }
        }
        v
    }

    /// Names, as in the CLI and URL hash, in the menu's order. f-GAN losses are
    /// `f-<divergence>`, with an optional parameter (`f-alpha=2`, `f-weighted-js=0.3`) and
    /// an optional `-sat` suffix for the saturating generator objective (not listed here).
    pub fn names() -> Vec<String> {
        Self::in_menu_order(false)
            .iter()
            .map(|loss| match loss.row() {
                Entry::Plain(row) => row.names[0].to_string(),
                Entry::FGan(f) => f.name(false),
            })
            .collect()
    }

    /// Every loss, by canonical name, in the menu's order: the f-GAN rows with each
    /// generator objective.
    pub fn all() -> Vec<Loss> {
        Self::in_menu_order(true)
    }

    pub fn parse(s: &str) -> Result<Self> {
        if let Some((loss, _)) = ROWS.iter().find(|(_, row)| row.names.contains(&s)) {
            return Ok(*loss);
        }
        if let Some(body) = s.strip_prefix(FGanRow::PREFIX) {
            return FGanRow::parse(s, body);
        }
        Err(GanError::InvalidConfig(format!(
            "unknown loss '{s}' (expected one of: {})",
            Self::names().join(", ")
        )))
    }

    /// The canonical name (round-trips through [`Loss::parse`]).
    pub fn name(&self) -> String {
        match self.row() {
            Entry::Plain(row) => row.names[0].to_string(),
            Entry::FGan(f) => f.name(true),
        }
    }

    /// The menu group this loss is in.
    pub fn group(&self) -> Family {
        match self.row() {
            Entry::Plain(row) => row.family,
            Entry::FGan(_) => FGanRow::FAMILY,
        }
    }

    /// The family the page groups this loss under, by its label.
    pub fn family(&self) -> &'static str {
        self.group().label()
    }

    /// The discriminator's loss (to minimise) on raw values of a real and a fake batch,
    /// without the gradient penalty (see [`gradient_penalty`]).
    pub fn d_loss(&self, v_real: &Tensor, v_fake: &Tensor) -> Result<Tensor> {
        match self.row() {
            Entry::Plain(row) => {
                let real = (row.d_real.tensor)(v_real)?.mean_all()?;
                let fake = (row.d_fake.tensor)(v_fake)?.mean_all()?;
                Ok((real + fake)?)
            }
            Entry::FGan(f) => f.d_loss(v_real, v_fake),
        }
    }

    /// The generator's loss (to minimise) on the raw values of a fake batch.
    pub fn g_loss(&self, v_fake: &Tensor) -> Result<Tensor> {
        match self.row() {
            Entry::Plain(row) => Ok((row.g.tensor)(v_fake)?.mean_all()?),
            Entry::FGan(f) => f.g_loss(v_fake),
        }
    }

    /// What the discriminator's loss says about the divergence it is estimating, from the
    /// value of [`Loss::d_loss`] (without penalty):
    /// - minimax / non-saturating: `JS ≈ (log 4 − d_loss)/2`;
    /// - f-GAN: `D_f ≥ F = −d_loss`;
    /// - WGAN: `W1 ≈ E_p v − E_q v = −d_loss` (up to the critic's Lipschitz constant).
    pub fn divergence_estimate(&self, d_loss: f64) -> Option<DivergenceEstimate> {
        match self.row() {
            Entry::Plain(row) => row.estimate.map(|e| DivergenceEstimate {
                divergence: e.divergence,
                value: (e.from_d_loss)(d_loss),
            }),
            Entry::FGan(f) => Some(f.estimate(d_loss)),
        }
    }

    /// Which divergence the discriminator's loss estimates: `"js"`, `"w1"`, an
    /// f-divergence name, or none (LSGAN, hinge).
    pub fn estimated_divergence(&self) -> Option<&'static str> {
        self.divergence_estimate(0.0).map(|e| e.divergence)
    }

    /// The objectives as text, `(discriminator, generator)`, for the page's model strip;
    /// `V(x)` is the discriminator's raw output, `p` the data and `q` the generator.
    pub fn formulas(&self) -> (String, String) {
        match self.row() {
            Entry::Plain(row) => (row.d_formula.to_string(), row.g_formula.to_string()),
            Entry::FGan(f) => f.formulas(),
        }
    }

    /// How the critic is kept in check besides the loss.
    pub fn constraint(&self) -> Constraint {
        match self.row() {
            Entry::Plain(row) => row.constraint,
            Entry::FGan(_) => FGanRow::CONSTRAINT,
        }
    }

    /// Whether the critic's weights are clipped after each step.
    pub fn clips_weights(&self) -> bool {
        self.constraint() == Constraint::ClipWeights
    }

    /// `Some(one_sided)` where D's loss carries a gradient penalty.
    pub fn gradient_penalty_kind(&self) -> Option<bool> {
        match self.constraint() {
            Constraint::GradientPenalty { one_sided } => Some(one_sided),
            _ => None,
        }
    }

    /// Whether its critic is EBGAN's autoencoder ([`Critic::Energy`]).
    pub fn energy_critic(&self) -> bool {
        let critic = match self.row() {
            Entry::Plain(row) => row.critic,
            Entry::FGan(_) => FGanRow::CRITIC,
        };
        critic == Critic::Energy
    }

    /// Whether the labels are symmetric ([`Row::symmetric`]): what the BiGAN's encoder
    /// needs of a loss.
    pub fn is_symmetric(&self) -> bool {
        match self.row() {
            Entry::Plain(row) => row.symmetric,
            Entry::FGan(_) => FGanRow::SYMMETRIC,
        }
    }
}

/// The CLI's `--loss` help: every name, family by family, from the table.
pub fn help() -> String {
    let groups: Vec<String> = Family::ALL
        .iter()
        .map(|&family| {
            let mut names: Vec<String> = ROWS
                .iter()
                .filter(|(_, row)| row.family == family)
                .map(|(_, row)| match row.names {
                    [name, aliases @ ..] if !aliases.is_empty() => {
                        format!("{name} (or {})", aliases.join(", "))
                    }
                    names => names.join(", "),
                })
                .collect();
            if family == FGanRow::FAMILY {
                names.push(format!(
                    "{p}<divergence>[=param][{s}] with <divergence> one of {}, param π of \
                     weighted-js (default {}) or α of alpha (default {}), {s} for the \
                     saturating generator loss",
                    FDivergence::NAMES.join(", "),
                    fdiv::DEFAULT_PI,
                    fdiv::DEFAULT_ALPHA,
                    p = FGanRow::PREFIX,
                    s = FGanRow::SATURATING,
                ));
            }
            format!("{}: {}", family.label(), names.join(", "))
        })
        .collect();
    format!("Loss, by family. {}.", groups.join("; "))
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
