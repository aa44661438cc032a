//! The MNIST VAE lab ([`crate::core::game::vae`] with a Bernoulli decoder): the sample
//! grid (the decoder's means, grey where it is unsure), a latent interpolation and real
//! digits, as the MNIST GAN shows them; measured as the GAN is (the classifier's Fréchet
//! distance and classes) and by the samples' mean per-pixel entropy, beside the real
//! digits' (`game=vae-mnist`).

use super::digits::{EVAL_DIGITS, GRID_ROWS, INTERPOLATION_STEPS};
use super::link::{read, DigitAssets, Link, LinkFormat, Named, Opened};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::digits::classifier::Classifier;
use crate::core::digits::data::{mosaic, Digits};
use crate::core::digits::metrics::{digit_report, mean_pixel_entropy, DigitReport};
use crate::core::digits::trainer::{digit_train_config, interpolation_noise, DigitSource};
use crate::core::digits::{DigitVaeModel, DIGIT_VAE_SETTINGS};
use crate::core::error::{GanError, Result};
use crate::core::game::vae::{vae_specs, ElboTerms, Likelihood, Vae, VAE_LIVE};
use crate::core::game::{Game, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::history::{Chart, HistoryPoint};
use crate::core::nn::mlp::Activation;
use crate::core::rng::SeededRng;
use crate::core::settings;
use crate::core::weights::from_safetensors;
use candle_core::{Device, Tensor};
use serde_json::{Map, Value};
use std::sync::Arc;

/// How a link names the MNIST VAE (`game=vae-mnist`).
pub const VAE_DIGITS_LINK: LinkFormat = LinkFormat {
    key: "vae-mnist",
    named: Named::Game,
    compare: false,
};

/// What an evaluation found.
pub struct DigitVaeReport {
    pub terms: ElboTerms,
    pub digits: DigitReport,
    /// The samples' mean per-pixel entropy, and the real digits' ([`mean_pixel_entropy`]).
    pub entropy: f64,
    pub real_entropy: f64,
}

pub struct DigitVaeLab {
    model: DigitVaeModel,
    game: Vae,
    digits: Arc<Digits>,
    classifier: Arc<Classifier>,
    eval_seed: u64,
    report: Option<DigitVaeReport>,
    real_shown: Vec<usize>,
    /// The G steps and run painted last: the digits change only when the networks do.
    painted: Option<(usize, u64)>,
    /// Bumped whenever the networks are replaced.
    run: u64,
}

/// The MNIST VAE of a link, as a row of the games' table opens it.
pub fn open_vae_digits(link: &Link, assets: Option<&DigitAssets>) -> Opened {
    let assets = assets.ok_or_else(|| {
        GanError::InvalidConfig(
            "the MNIST VAE needs the digits and the classifier (bash scripts/setup.sh makes them)"
                .into(),
        )
    })?;
    let digits = Arc::new(Digits::from_bytes(assets.digits)?);
    let clf = Classifier::load(
        digits.dim(),
        &from_safetensors(assets.classifier, &Device::Cpu)?,
        &Device::Cpu,
    )?;
    let defaults = (DigitVaeModel::default(), vae_digits_config());
    let (model, cfg, mut notes) = read(
        link,
        &VAE_DIGITS_LINK,
        DIGIT_VAE_SETTINGS,
        (&defaults.0, &defaults.1),
    );
    let classifier = Arc::new(clf);
    let lab = match DigitVaeLab::new(model, cfg, digits.clone(), classifier.clone()) {
        Ok(lab) => lab,
        Err(e) => {
            notes.push(format!("{e}; started with the defaults"));
            DigitVaeLab::new(defaults.0, defaults.1, digits, classifier)?
        }
    };
    Ok((Box::new(lab), notes))
}

/// The usual VAE recipe (Kingma and Welling's Adam, as the PyTorch example's): Adam 1e-3,
/// β₁ = 0.9, batch 64 (the MNIST GAN's 2e-4 and β₁ = 0.5 are for a game, and leave the
/// VAE's digits grey for thousands of steps).
pub fn vae_digits_config() -> TrainConfig {
    let mut cfg = digit_train_config();
    cfg.g_opt.lr = 1e-3;
    cfg.g_opt.beta1 = 0.9;
    cfg
}

impl DigitVaeLab {
    pub fn new(
        model: DigitVaeModel,
        cfg: TrainConfig,
        digits: Arc<Digits>,
        classifier: Arc<Classifier>,
    ) -> Result<Self> {
        settings::validate(DIGIT_VAE_SETTINGS, &model)?;
        if digits.is_empty() {
            return Err(GanError::InvalidData("no digits to train on".into()));
        }
        let (hidden, layers) = model.shape()?;
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(model.seed);
        let specs = vae_specs(
            digits.dim(),
            model.latent,
            hidden,
            layers,
            Activation::LeakyRelu,
        );
        let eval_seed = rng.next_seed();
        let source = DigitSource {
            digits: digits.clone(),
            noise_dim: model.latent,
            conditional: false,
        };
        let mut game = Vae::new(
            Box::new(source),
            specs,
            Likelihood::Bernoulli,
            cfg,
            rng,
            &dev,
        )?;
        game.beta = model.beta;
        let n = digits.len();
        Ok(Self {
            model,
            game,
            digits,
            classifier,
            eval_seed,
            report: None,
            real_shown: (0..100).map(|i| i * n / 100).collect(),
            painted: None,
            run: 0,
        })
    }

    pub fn report(&self) -> Option<&DigitVaeReport> {
        self.report.as_ref()
    }

    /// The decoder's means at `z` given row-major (`[n, latent]`), as grey images.
    fn decode(&self, z: Vec<f32>) -> Result<Vec<f32>> {
        let n = z.len() / self.model.latent;
        let z = Tensor::from_vec(z, (n, self.model.latent), &Device::Cpu)?;
        let x = self.game.decode(&z)?.flatten_all()?.to_vec1::<f32>()?;
        require_finite_output(&x, self.game.counters().iteration)?;
        Ok(x)
    }

    /// The sample grid: `rows × 10` digits from noise fixed by the seed.
    pub fn grid(&self, rows: usize) -> Result<Vec<f32>> {
        let mut rng = SeededRng::new(self.model.seed ^ 0x6e1d);
        let z = (0..rows * 10 * self.model.latent)
            .map(|_| rng.normal())
            .collect();
        self.decode(z)
    }

    /// The ELBO's terms on [`EVAL_DIGITS`] real digits, and the samples measured against
    /// them, from an evaluation stream of its own.
    pub fn measure(&self) -> Result<DigitVaeReport> {
        let n = EVAL_DIGITS;
        let mut rng = SeededRng::new(self.eval_seed ^ self.game.counters().iteration as u64);
        let idx = self.digits.draw(&mut rng, n);
        let real = self.digits.scaled(&idx);
        let fake = self
            .game
            .sample(&mut rng, n, false)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        require_finite_output(&fake, self.game.counters().iteration)?;
        let dim = self.digits.dim();
        let x = Tensor::from_vec(real.clone(), (n, dim), &Device::Cpu)?;
        Ok(DigitVaeReport {
            terms: self.game.measure(&x, &mut rng)?,
            digits: digit_report(&self.classifier, &real, &fake, dim, None)?,
            entropy: mean_pixel_entropy(&fake),
            real_entropy: mean_pixel_entropy(&real),
        })
    }

    fn restart(&mut self, model: DigitVaeModel) -> Result<()> {
        let run = self.run + 1;
        *self = Self::new(
            model,
            *self.game.config(),
            self.digits.clone(),
            self.classifier.clone(),
        )?;
        self.run = run;
        Ok(())
    }
}

impl Lab for DigitVaeLab {
    fn mode(&self) -> &'static str {
        VAE_DIGITS_LINK.key
    }
    fn game(&self) -> &dyn Game {
        &self.game
    }
    fn game_mut(&mut self) -> &mut dyn Game {
        &mut self.game
    }
    fn hash(&self) -> String {
        super::game_link::write_link(
            VAE_DIGITS_LINK.key,
            DIGIT_VAE_SETTINGS,
            &self.model,
            self.game.config(),
        )
    }
    fn settings(&self) -> Vec<crate::core::settings::SettingInfo> {
        settings::describe(DIGIT_VAE_SETTINGS)
    }
    /// β applies live; every other setting restarts.
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(DIGIT_VAE_SETTINGS, &self.model, key, value)?;
        if model == self.model {
            return Ok(false);
        }
        if !settings::restarts(DIGIT_VAE_SETTINGS, key) {
            self.game.beta = model.beta;
            self.model = model;
            return Ok(false);
        }
        model.shape()?;
        self.restart(model)?;
        Ok(true)
    }
    fn reset(&mut self) -> Result<()> {
        self.restart(self.model)
    }
    fn evaluate(&mut self) -> Result<HistoryPoint> {
        let r = self.measure()?;
        let mut point = r
            .digits
            .history_point(self.game.counters().iteration, f64::NAN, f64::NAN);
        let t = r.terms;
        point.game = [t.reconstruction, t.kl, t.negative_elbo(), r.entropy];
        self.report = Some(r);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let r = self.report.as_ref();
        let num = |f: fn(&DigitVaeReport) -> f64| r.map_or(Value::Null, |r| finite_or_null(f(r)));
        out.insert("model".into(), self.model.arch.name().into());
        out.insert(
            "classes_covered".into(),
            r.map(|r| r.digits.classes_covered).into(),
        );
        out.insert("class_kl".into(), num(|r| r.digits.class_kl));
        out.insert("frechet".into(), num(|r| r.digits.frechet));
        out.insert("elbo_recon".into(), num(|r| r.terms.reconstruction));
        out.insert("elbo_kl".into(), num(|r| r.terms.kl));
        out.insert("elbo".into(), num(|r| -r.terms.negative_elbo()));
        out.insert("pixel_entropy".into(), num(|r| r.entropy));
        out.insert("real_pixel_entropy".into(), num(|r| r.real_entropy));
        out.insert("beta".into(), finite_or_null(self.model.beta));
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Elbo, Chart::DigitQuality, Chart::Classes]
    }
    fn metrics_every_ms(&self) -> f64 {
        2000.0
    }
    /// The grid, the strip and the real digits, when the networks changed since the
    /// last frame.
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let key = (self.game.counters().g_steps, self.run);
        let mut f = Frame::default();
        if self.painted == Some(key) && !layers.fresh {
            return Ok(f);
        }
        let (rows, cols) = (self.digits.rows(), self.digits.cols());
        let mut put = |name, images: &[f32], per_row| {
            let (grey, w, h) = mosaic(images, rows, cols, per_row);
            f.images.push((name, grey, w, h));
        };
        put("grid", &self.grid(GRID_ROWS)?, 10);
        let strip = interpolation_noise(self.model.latent, INTERPOLATION_STEPS, self.model.seed);
        put("strip", &self.decode(strip)?, INTERPOLATION_STEPS);
        put("real", &self.digits.scaled(&self.real_shown), 10);
        self.painted = Some(key);
        Ok(f)
    }
    super::vae::vae_lab_parts!();
    fn live_keys(&self) -> Option<&'static [&'static str]> {
        Some(VAE_LIVE)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// Its own settings, for the games' table.
pub fn vae_digits_settings() -> Vec<crate::core::settings::SettingInfo> {
    settings::describe(DIGIT_VAE_SETTINGS)
}
