//! The configuration every game reads between any two steps ([`TrainConfig`], declared
//! as the setting table [`TRAIN_SETTINGS`]), the update schedule, and a step's losses.

use crate::core::error::{GanError, Result};
use crate::core::loss::Loss;
use crate::core::nn::optim::{OptimConfig, OptimizerKind};
use crate::core::settings::{
    self, choice_setting, count_setting, flag_setting, float_setting, Setting,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateMode {
    /// k discriminator steps, then k_G generator steps (Goodfellow et al. 2014, Alg. 1
    /// has k_G = 1; GAN Lab lets both be set).
    Alternating,
    /// One forward pass, both networks updated from it (f-GAN's single-step algorithm).
    Simultaneous,
}

impl UpdateMode {
    pub const NAMES: [&'static str; 2] = ["alternating", "simultaneous"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "alternating" => Ok(Self::Alternating),
            "simultaneous" => Ok(Self::Simultaneous),
            o => Err(GanError::InvalidConfig(format!(
                "unknown update mode '{o}' (expected alternating or simultaneous)"
            ))),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Alternating => "alternating",
            Self::Simultaneous => "simultaneous",
        }
    }
}

/// Everything that may change live, between any two steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainConfig {
    pub loss: Loss,
    /// Discriminator steps per iteration (alternating mode).
    pub k: usize,
    /// Generator steps per iteration (alternating mode); 0 leaves G fixed, so D alone
    /// moves towards the optimal D* for that G.
    pub kg: usize,
    pub update: UpdateMode,
    pub d_opt: OptimConfig,
    pub g_opt: OptimConfig,
    pub batch: usize,
    /// Gradient-penalty weight λ (WGAN-GP).
    pub gp_lambda: f64,
    /// Weight-clipping bound c (WGAN).
    pub clip: f64,
    /// The R1 penalty's weight γ on real data ([`crate::core::loss::r1_penalty`]); 0 is off.
    pub r1_gamma: f64,
    /// Spectral normalisation of the critic's layers ([`crate::core::nn::spectral`]).
    pub spectral_norm: bool,
    /// Critic steps the generator looks ahead through (an unrolled critic, Metz et al.
    /// 2017: the game's generator step); 0 is off.
    pub unroll: usize,
    /// EBGAN's margin `m`: the critic pushes the fakes' energy up to it
    /// ([`crate::core::nn::energy`]).
    pub margin: f64,
    /// The weight of EBGAN's pulling-away term in G's loss
    /// ([`crate::core::nn::energy::pulling_away`]); 0 is off.
    pub pull_away: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            loss: Loss::NonSaturating,
            k: 1,
            kg: 1,
            update: UpdateMode::Alternating,
            d_opt: OptimConfig::new(OptimizerKind::Adam, 1e-3),
            g_opt: OptimConfig::new(OptimizerKind::Adam, 1e-3),
            batch: 256,
            gp_lambda: 0.1,
            clip: 0.1,
            r1_gamma: 0.0,
            spectral_norm: false,
            unroll: 0,
            margin: 1.0,
            pull_away: 0.0,
        }
    }
}

impl TrainConfig {
    /// Every live setting within its range ([`TRAIN_SETTINGS`]), and the optimisers'
    /// coefficients.
    pub fn validate(&self) -> Result<()> {
        settings::validate(TRAIN_SETTINGS, self)?;
        if self.unroll > 0 && self.update == UpdateMode::Simultaneous {
            return Err(GanError::InvalidConfig(
                "unroll: an unrolled critic needs alternating updates (G looks ahead through D's steps)".into(),
            ));
        }
        if self.loss.energy_critic() && self.r1_gamma > 0.0 {
            return Err(GanError::InvalidConfig(format!(
                "r1: the gradient penalty does not go with {}'s energy critic (set R1 γ to 0 first)",
                self.loss.name()
            )));
        }
        self.d_opt.validate("D")?;
        self.g_opt.validate("G")
    }
}

/// Two time-scale learning rates `(lr_D, lr_G)`: the critic learns faster than the
/// generator (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule Converge
/// to a Local Nash Equilibrium"; these values are SAGAN's, Zhang et al. 2019). A named
/// preset of the two learning rates (the CLI's `--ttur`, the page's TTUR button).
pub const TTUR: (f64, f64) = (4e-4, 1e-4);

/// The live settings: every game reads them between any two steps, so a change applies
/// from the next step without a reset. The page shows one optimizer menu for both
/// networks (`optd`, `optg` are set together); the hash keeps them apart.
pub const TRAIN_SETTINGS: &[Setting<TrainConfig>] = &[
    choice_setting!("loss", "loss", loss_options, restarts: false, loss: Loss),
    count_setting!("k", "k (D steps / G step)", 1, 100, restarts: false, k),
    count_setting!("kg", "G steps per iteration", 0, 10, restarts: false, kg),
    choice_setting!("update", "updates", || settings::named(&UpdateMode::NAMES), restarts: false, update: UpdateMode),
    choice_setting!("optd", "optimizer D", optimizer_options, restarts: false, d_opt.kind: OptimizerKind),
    choice_setting!("optg", "optimizer G", optimizer_options, restarts: false, g_opt.kind: OptimizerKind),
    float_setting!("lrd", "lr D", 1e-6, 10.0, restarts: false, d_opt.lr),
    float_setting!("lrg", "lr G", 1e-6, 10.0, restarts: false, g_opt.lr),
    count_setting!("batch", "batch", 1, 8192, restarts: false, batch),
    float_setting!("gp", "GP λ (WGAN-GP)", 0.0, 1e4, restarts: false, gp_lambda),
    float_setting!("clip", "clip c (WGAN)", 1e-4, 100.0, restarts: false, clip),
    float_setting!("r1", "R1 γ (real-data gradient penalty, any loss)", 0.0, 1e3, restarts: false, r1_gamma),
    flag_setting!("sn", "spectral normalisation of D", restarts: false, spectral_norm),
    count_setting!("unroll", "unrolled D steps (G looks ahead)", 0, MAX_UNROLL, restarts: false, unroll),
    float_setting!("b1d", "Adam β₁ of D", 0.0, 0.99, restarts: false, d_opt.beta1),
    float_setting!("b1g", "Adam β₁ of G", 0.0, 0.99, restarts: false, g_opt.beta1),
    float_setting!("margin", "margin m (EBGAN)", 1e-3, 100.0, restarts: false, margin),
    float_setting!("pt", "pulling-away weight (EBGAN)", 0.0, 10.0, restarts: false, pull_away),
];

/// The most critic steps an unrolled generator step looks ahead through.
pub const MAX_UNROLL: usize = 20;

/// The loss menu: `(name, family)` of every loss, in the engine's order.
fn loss_options() -> Vec<(String, String)> {
    Loss::all()
        .iter()
        .map(|l| (l.name(), l.family().to_string()))
        .collect()
}

fn optimizer_options() -> Vec<(String, String)> {
    settings::named(&OptimizerKind::NAMES)
}

/// Losses of the last step; `penalty` is the gradient penalty (already weighted by λ).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepStats {
    pub d_loss: f64,
    pub g_loss: f64,
    pub penalty: f64,
}
