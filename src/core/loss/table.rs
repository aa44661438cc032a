//! The loss table: one row per loss, holding everything the engine, the page, the CLI and
//! the tests know of it. Everything else reads the rows ([`Loss::names`], [`Loss::all`],
//! [`Loss::parse`], the page's menu through the settings, [`super::help`], the fused
//! pass's closed forms, the games' checks), so a loss is declared here and nowhere else.
//!
//! Adding a plain loss: a variant of [`Loss`], its row (a `const` [`Row`], built from the
//! terms of `terms.rs` or terms of its own), and its line in the `table!` list below. The
//! compiler holds the three together: a variant without a line is a non-exhaustive match,
//! a row without a line is dead code, a line without a variant does not resolve.
//!
//! The f-GAN family is parametrised: one row per f-divergence of [`FDivergence::NAMES`]
//! (with its parameter, π or α) and generator objective, described by [`FGanRow`].

use super::fdiv::FDivergence;
use super::terms::{self, Term};
use super::{DivergenceEstimate, GenObjective};
use crate::core::error::Result;
use candle_core::Tensor;

/// Every loss on the critic's raw values. `p` is the data, `q` the generator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Loss {
    /// Goodfellow et al. 2014: D max `E_p log σ(v) + E_q log(1 − σ(v))`,
    /// G min `E_q log(1 − σ(v))` (lecture notes, "GAN objective").
    Minimax,
    /// Same D; G min `−E_q log σ(v)` (the notes' "flip trick").
    NonSaturating,
    /// Boundary-seeking GAN (Hjelm et al. 2018; the notes' "Boundary seeking GAN"): same D;
    /// G min `½E_q (log D − log(1 − D))²`, which is `½E_q v²` since `log σ(v) − log(1 −
    /// σ(v)) = v` exactly: G aims at D = ½, the decision boundary, where D* = ½ means
    /// p_data = p_g.
    BoundarySeeking,
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
    /// EBGAN (Zhao et al. 2017): an autoencoder critic of energy `E`, D min
    /// `E_p E(x) + E_q max(0, m − E(x))`, G min `E_q E(G(z))`; on `V = −E/m`
    /// ([`crate::core::nn::energy`]) both divided by `m`.
    Ebgan,
}

/// The groups of the page's loss menu and of the CLI's help, in their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Classic,
    FGan,
    Wasserstein,
    LeastSquaresAndHinge,
    EnergyBased,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Classic,
        Family::FGan,
        Family::Wasserstein,
        Family::LeastSquaresAndHinge,
        Family::EnergyBased,
    ];

    /// The label the menu groups by (also the settings' option family).
    pub fn label(self) -> &'static str {
        match self {
            Family::Classic => "classic",
            Family::FGan => "f-GAN",
            Family::Wasserstein => "Wasserstein",
            Family::LeastSquaresAndHinge => "least squares and hinge",
            Family::EnergyBased => "energy-based",
        }
    }
}

/// How a loss keeps its critic in check, besides the loss itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    None,
    /// The critic's weights clipped to `[−c, c]` after each of its steps.
    ClipWeights,
    /// `λ E (‖∇V(x̂)‖ − 1)²`, or its one-sided form, added to D's loss
    /// ([`super::gradient_penalty`]).
    GradientPenalty {
        one_sided: bool,
    },
}

/// The critic a loss is computed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Critic {
    /// A network with one raw value per sample.
    Classifier,
    /// An autoencoder whose value is its reconstruction energy in margins,
    /// `V = −E/m` ([`crate::core::nn::energy::EnergyCritic`]).
    Energy,
}

/// What D's loss estimates: the divergence's name (`"js"`, `"w1"`, or an f-divergence's,
/// as in [`FDivergence::name`]) and its value from the value of D's loss.
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    pub divergence: &'static str,
    pub from_d_loss: fn(f64) -> f64,
}

/// One plain loss: D's loss is `E_p d_real(v) + E_q d_fake(v)`, G's `E_q g(v)`, both to
/// minimise.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The canonical name (the CLI's and the link's), then any aliases `parse` takes.
    pub names: &'static [&'static str],
    pub family: Family,
    /// The objectives as the page's model strip shows them; `V(x)` is D's raw output.
    pub d_formula: &'static str,
    pub g_formula: &'static str,
    pub d_real: Term,
    pub d_fake: Term,
    pub g: Term,
    pub estimate: Option<Estimate>,
    pub constraint: Constraint,
    /// The labels are symmetric, `d_fake(v) = d_real(−v)`, so G's loss on `−V` is the
    /// objective of a player that wants data called generated: the BiGAN's encoder.
    pub symmetric: bool,
    pub critic: Critic,
}

/// At `D*` the minimax value is `2·JS − log 4` (Goodfellow et al. 2014, Thm 1).
const JS: Estimate = Estimate {
    divergence: "js",
    from_d_loss: |d| (4f64.ln() - d) / 2.0,
};

/// `W1 ≈ E_p v − E_q v` up to the critic's Lipschitz constant.
const W1: Estimate = Estimate {
    divergence: "w1",
    from_d_loss: |d| -d,
};

const CLASSIC_D: &str = "max_D  E_p[log σ(V(x))] + E_q[log(1 − σ(V(x)))]";
const WASSERSTEIN_G: &str = "min_G  −E_q[V(G(z))]";

const MINIMAX: Row = Row {
    names: &["minimax"],
    family: Family::Classic,
    d_formula: CLASSIC_D,
    g_formula: "min_G  E_q[log(1 − σ(V(G(z))))]",
    d_real: terms::SOFTPLUS_OF_NEG,
    d_fake: terms::SOFTPLUS,
    g: terms::NEG_SOFTPLUS,
    estimate: Some(JS),
    constraint: Constraint::None,
    symmetric: true,
    critic: Critic::Classifier,
};

const NON_SATURATING: Row = Row {
    names: &["non-saturating", "ns"],
    g_formula: "min_G  −E_q[log σ(V(G(z)))]",
    g: terms::SOFTPLUS_OF_NEG,
    ..MINIMAX
};

const BOUNDARY_SEEKING: Row = Row {
    names: &["boundary-seeking", "bgan"],
    g_formula: "min_G  ½E_q[(log D − log(1 − D))²] = ½E_q[V(G(z))²]",
    g: terms::HALF_SQUARE,
    ..MINIMAX
};

const WGAN: Row = Row {
    names: &["wgan"],
    family: Family::Wasserstein,
    d_formula: "max_D  E_p[V(x)] − E_q[V(x)],  weights clipped to [−c, c]",
    g_formula: WASSERSTEIN_G,
    d_real: terms::NEGATION,
    d_fake: terms::IDENTITY,
    g: terms::NEGATION,
    estimate: Some(W1),
    constraint: Constraint::ClipWeights,
    symmetric: true,
    critic: Critic::Classifier,
};

const WGAN_GP: Row = Row {
    names: &["wgan-gp"],
    d_formula: "max_D  E_p[V(x)] − E_q[V(x)] − λ·E[(‖∇V(x̂)‖ − 1)²]",
    constraint: Constraint::GradientPenalty { one_sided: false },
    ..WGAN
};

const WGAN_GP_ONE_SIDED: Row = Row {
    names: &["wgan-gp-one-sided"],
    d_formula: "max_D  E_p[V(x)] − E_q[V(x)] − λ·E[max(0, ‖∇V(x̂)‖ − 1)²]",
    constraint: Constraint::GradientPenalty { one_sided: true },
    ..WGAN
};

const LSGAN: Row = Row {
    names: &["lsgan"],
    family: Family::LeastSquaresAndHinge,
    d_formula: "min_D  ½E_p[(V(x) − 1)²] + ½E_q[V(x)²]",
    g_formula: "min_G  ½E_q[(V(G(z)) − 1)²]",
    d_real: terms::HALF_SQUARE_FROM_ONE,
    d_fake: terms::HALF_SQUARE,
    g: terms::HALF_SQUARE_FROM_ONE,
    estimate: None,
    constraint: Constraint::None,
    symmetric: false,
    critic: Critic::Classifier,
};

const HINGE: Row = Row {
    names: &["hinge"],
    family: Family::LeastSquaresAndHinge,
    d_formula: "min_D  E_p[max(0, 1 − V(x))] + E_q[max(0, 1 + V(x))]",
    g_formula: WASSERSTEIN_G,
    d_real: terms::HINGE_BELOW_ONE,
    d_fake: terms::HINGE_ABOVE_MINUS_ONE,
    g: terms::NEGATION,
    estimate: None,
    constraint: Constraint::None,
    symmetric: true,
    critic: Critic::Classifier,
};

const EBGAN: Row = Row {
    names: &["ebgan", "energy"],
    family: Family::EnergyBased,
    d_formula: "min_D  E_p[E(x)] + E_q[max(0, m − E(x))],  E(x) = ‖AE(x) − x‖²/d  (V = −E/m)",
    g_formula: "min_G  E_q[E(G(z))] + λ_PT·PT",
    d_real: terms::NEGATION,
    d_fake: terms::HINGE_ABOVE_MINUS_ONE,
    g: terms::NEGATION,
    estimate: None,
    constraint: Constraint::None,
    symmetric: false,
    critic: Critic::Energy,
};

/// The plain rows: `ROWS` in this order (the menu's order within each family) and
/// [`Loss::row`], whose match must cover every variant but the f-GAN family's.
macro_rules! table {
    ($($variant:ident $({ $($field:ident: $value:literal),+ })? => $row:ident,)+) => {
        /// Every plain row with its loss, in the table's order.
        pub const ROWS: &[(Loss, &Row)] =
            &[$((Loss::$variant $({ $($field: $value),+ })?, &$row),)+];

        impl Loss {
            /// This loss's row.
            pub(super) fn row(&self) -> Entry {
                match *self {
                    $(Loss::$variant $({ $($field: $value),+ })? => Entry::Plain(&$row),)+
                    Loss::FGan(divergence, objective) => Entry::FGan(FGanRow {
                        divergence,
                        objective,
                    }),
                }
            }
        }
    };
}

table! {
    Minimax => MINIMAX,
    NonSaturating => NON_SATURATING,
    BoundarySeeking => BOUNDARY_SEEKING,
    Wgan => WGAN,
    WganGp { one_sided: false } => WGAN_GP,
    WganGp { one_sided: true } => WGAN_GP_ONE_SIDED,
    Lsgan => LSGAN,
    Hinge => HINGE,
    Ebgan => EBGAN,
}

/// A loss's row: a plain one, or one of the f-GAN family's.
pub(super) enum Entry {
    Plain(&'static Row),
    FGan(FGanRow),
}

/// An f-GAN row: D max `E_p[g_f(v)] − E_q[f*(g_f(v))]` for the divergence's activation
/// `g_f` and conjugate `f*` (`fdiv.rs`), G min `−E_q[g_f(v)]` (non-saturating) or
/// `−E_q[f*(g_f(v))]` (saturating). D's loss estimates the divergence from below,
/// `D_f ≥ F = −d_loss`. No constraint on the critic, and not offered to the BiGAN.
pub(super) struct FGanRow {
    pub divergence: FDivergence,
    pub objective: GenObjective,
}

impl FGanRow {
    pub const FAMILY: Family = Family::FGan;
    pub const CONSTRAINT: Constraint = Constraint::None;
    pub const SYMMETRIC: bool = false;
    pub const CRITIC: Critic = Critic::Classifier;
    /// The prefix of every f-GAN name, and the suffix of the saturating objective.
    pub const PREFIX: &'static str = "f-";
    pub const SATURATING: &'static str = "-sat";

    /// The family's rows in menu order: each divergence with the non-saturating `G`,
    /// then with the saturating one if `both`.
    pub fn all(both: bool) -> Vec<Loss> {
        let mut v = Vec::new();
        for div in FDivergence::all() {
            v.push(Loss::FGan(div, GenObjective::NonSaturating));
            if both {
                v.push(Loss::FGan(div, GenObjective::Saturating));
            }
        }
        v
    }

    /// `f-<divergence>[=param][-sat]`; without the parameter if not `with_param` (the
    /// default's name, as [`Loss::names`] lists it).
    pub fn name(&self, with_param: bool) -> String {
        let param = match self.divergence {
            FDivergence::WeightedJs { pi } if with_param => format!("={pi}"),
            FDivergence::Alpha { alpha } if with_param => format!("={alpha}"),
            _ => String::new(),
        };
        let sat = match self.objective {
            GenObjective::Saturating => Self::SATURATING,
            GenObjective::NonSaturating => "",
        };
        format!("{}{}{param}{sat}", Self::PREFIX, self.divergence.name())
    }

    /// The loss `name` spells, `body` being the name after [`Self::PREFIX`].
    pub fn parse(name: &str, body: &str) -> Result<Loss> {
        let (body, objective) = match body.strip_suffix(Self::SATURATING) {
            Some(b) => (b, GenObjective::Saturating),
            None => (body, GenObjective::NonSaturating),
        };
        let (div, param) = match body.split_once('=') {
            Some((n, p)) => {
                let v: f64 = p.parse().map_err(|_| {
                    crate::core::error::GanError::InvalidConfig(format!(
                        "'{p}' in loss '{name}' is not a number"
                    ))
                })?;
                (n, Some(v))
            }
            None => (body, None),
        };
        Ok(Loss::FGan(FDivergence::parse(div, param)?, objective))
    }

    pub fn formulas(&self) -> (String, String) {
        let (g, c) = self.divergence.formula_text();
        let d = format!("max_D  E_p[g(V(x))] − E_q[f*(g(V(x)))],  g(v) = {g},  f*(t) = {c}");
        let gen = match self.objective {
            GenObjective::NonSaturating => "min_G  −E_q[g(V(G(z)))]",
            GenObjective::Saturating => "min_G  −E_q[f*(g(V(G(z))))]",
        };
        (d, gen.to_string())
    }

    pub fn d_loss(&self, v_real: &Tensor, v_fake: &Tensor) -> Result<Tensor> {
        let real = self.divergence.activation_t(v_real)?.mean_all()?;
        let fake = self
            .divergence
            .conjugate_of_activation_t(v_fake)?
            .mean_all()?;
        Ok((fake - real)?)
    }

    pub fn g_loss(&self, v_fake: &Tensor) -> Result<Tensor> {
        let t = match self.objective {
            GenObjective::Saturating => self.divergence.conjugate_of_activation_t(v_fake)?,
            GenObjective::NonSaturating => self.divergence.activation_t(v_fake)?,
        };
        Ok(t.mean_all()?.neg()?)
    }

    pub fn estimate(&self, d_loss: f64) -> DivergenceEstimate {
        DivergenceEstimate {
            divergence: self.divergence.name(),
            value: -d_loss,
        }
    }
}
