//! The 2D VAE lab ([`crate::core::game::vae`]): real points in blue and the VAE's samples
//! (`x̂(z) + σ·ε` at a fixed batch of z and ε, or the decoder's means) in orange, with the decoder's
//! manifold over the latent plane; it measures the samples as the GAN's are measured
//! (divergences, W1, modes, the high-quality share) and the ELBO's two terms. It is its
//! own game (`game=vae`) and compare mode's run B beside a GAN (`cmp=vae`,
//! the 2D GAN's twin, `Lab::vae_twin`), from the GAN's data, seed and network sizes.

use super::game_link::{flat, view_entry, EVAL_SAMPLES, HEATMAP_CELLS, MANIFOLD_CELLS, SHOWN};
use super::link::{LinkFormat, LinkLab, Named};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::Result;
use crate::core::game::vae::{vae_specs, ElboTerms, Likelihood, Vae, VAE_LIVE};
use crate::core::game::{Game, NoiseKind, TrainConfig};
use crate::core::health::require_finite_output;
use crate::core::history::{Chart, HistoryPoint};
use crate::core::plane::data::Dataset;
use crate::core::plane::metrics::{evaluate, MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::trainer::{points_to_tensor, tensor_to_points, PlaneSource};
use crate::core::plane::{VaeModel, VAE_SETTINGS};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, Setting};
use candle_core::{Device, Tensor};
use serde_json::{Map, Value};

/// What an evaluation found: the ELBO's terms on fresh data and the samples' metrics.
pub struct VaeReport {
    pub terms: ElboTerms,
    pub metrics: MetricsReport,
}

pub struct VaeLab {
    model: VaeModel,
    game: Vae,
    eval_seed: u64,
    real_sample: Vec<[f32; 2]>,
    /// The samples shown are decoded from one fixed batch of z (and of the likelihood's
    /// noise ε), so their motion is smooth.
    fixed_z: Tensor,
    fixed_eps: Tensor,
    report: Option<VaeReport>,
}

fn likelihood(model: &VaeModel) -> Likelihood {
    Likelihood::Gaussian { sigma: model.sigma }
}

impl VaeLab {
    pub fn new(model: VaeModel, cfg: TrainConfig) -> Result<Self> {
        settings::validate(VAE_SETTINGS, &model)?;
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(model.seed);
        let specs = vae_specs(
            2,
            model.latent,
            model.hidden,
            model.layers,
            model.activation,
        );
        let source = PlaneSource::new(model.dataset.clone(), model.latent, NoiseKind::Gaussian);
        let eval_seed = rng.next_seed();
        let mut game = Vae::new(Box::new(source), specs, likelihood(&model), cfg, rng, &dev)?;
        game.beta = model.beta;
        let mut shown_rng = SeededRng::new(model.seed ^ 0x5eed);
        let real_sample = model.dataset.sample(&mut shown_rng, SHOWN);
        let mut normals = |n: usize| -> Vec<f32> { (0..n).map(|_| shown_rng.normal()).collect() };
        let (z, eps) = (normals(SHOWN * model.latent), normals(SHOWN * 2));
        Ok(Self {
            fixed_z: Tensor::from_vec(z, (SHOWN, model.latent), &dev)?,
            fixed_eps: Tensor::from_vec(eps, (SHOWN, 2), &dev)?,
            model,
            game,
            eval_seed,
            real_sample,
            report: None,
        })
    }

    pub fn vae(&self) -> &Vae {
        &self.game
    }

    pub fn model(&self) -> &VaeModel {
        &self.model
    }

    pub fn report(&self) -> Option<&VaeReport> {
        self.report.as_ref()
    }

    /// The samples shown: the model's at the fixed z and ε, or the decoder's means there.
    pub fn samples(&self) -> Result<Vec<[f32; 2]>> {
        let mut x = self.game.decode(&self.fixed_z)?;
        if !self.model.means {
            x = self.game.draw(&x, &self.fixed_eps)?;
        }
        let points = tensor_to_points(&x)?;
        require_finite_output(points.as_flattened(), self.game.counters().iteration)?;
        Ok(points)
    }

    /// The decoder's manifold: a `n × n` grid over the first two latent coordinates in
    /// `[−2, 2]` (the others 0) pushed through the decoder, row-major.
    pub fn manifold(&self, n: usize) -> Result<Vec<[f32; 2]>> {
        let d = self.model.latent;
        let t = |i: usize| -2.0 + 4.0 * i as f32 / (n.max(2) - 1) as f32;
        let mut z = vec![0.0f32; n * n * d];
        for iy in 0..n {
            for ix in 0..n {
                let row = &mut z[(iy * n + ix) * d..][..d];
                row[0] = t(ix);
                if d > 1 {
                    row[1] = t(iy);
                }
            }
        }
        let z = Tensor::from_vec(z, (n * n, d), &Device::Cpu)?;
        tensor_to_points(&self.game.decode(&z)?)
    }

    /// The ELBO's terms on `n` fresh data points and the metrics of `n` samples against
    /// them, from an evaluation stream that does not touch the training one.
    pub fn measure(&self, n: usize) -> Result<VaeReport> {
        let mut rng = SeededRng::new(self.eval_seed ^ self.game.counters().iteration as u64);
        let real = self.model.dataset.sample(&mut rng, n);
        let fake = tensor_to_points(&self.game.sample(&mut rng, n, !self.model.means)?)?;
        require_finite_output(fake.as_flattened(), self.game.counters().iteration)?;
        let terms = self
            .game
            .measure(&points_to_tensor(&real, &Device::Cpu)?, &mut rng)?;
        let metrics = evaluate(
            &real,
            &fake,
            self.model.dataset.modes().as_deref(),
            W1_SAMPLES_LIVE,
            None,
        )?;
        Ok(VaeReport { terms, metrics })
    }

    /// The data changes live (compare mode's run B follows run A's points).
    fn set_points_live(&mut self, points: Vec<[f32; 2]>) -> Result<()> {
        let dataset = Dataset::custom(points)?;
        self.game.set_data(Box::new(PlaneSource::new(
            dataset.clone(),
            self.model.latent,
            NoiseKind::Gaussian,
        )));
        let mut rng = SeededRng::new(self.model.seed ^ 0x5eed);
        self.real_sample = dataset.sample(&mut rng, SHOWN);
        self.model.dataset = dataset;
        self.report = None;
        Ok(())
    }
}

impl LinkLab for VaeLab {
    const LINK: LinkFormat = LinkFormat {
        key: "vae",
        named: Named::Game,
        compare: false,
    };
    const LIVE: Option<&'static [&'static str]> = Some(VAE_LIVE);
    const LAYERS: &'static [&'static str] = &["real", "fake", "manifold"];
    const STRIP: Option<&'static str> = Some(
        "VAE: x → encoder → μ, σ → z = μ + σ·ε → decoder → x̂; max ELBO = E_q log p(x|z) − β·KL(q(z|x) ‖ N(0, I)); samples: decoder(z), z ~ N(0, I)",
    );
    type Model = VaeModel;
    const SETTINGS: &'static [Setting<VaeModel>] = VAE_SETTINGS;
    fn build(model: VaeModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

impl Lab for VaeLab {
    super::game_link::lab_basics!();
    /// σ, β and the samples' kind apply live; every other setting restarts.
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(VAE_SETTINGS, &self.model, key, value)?;
        if model == self.model {
            return Ok(false);
        }
        if !settings::restarts(VAE_SETTINGS, key) {
            self.game.likelihood = likelihood(&model);
            self.game.beta = model.beta;
            self.model = model;
            return Ok(false);
        }
        *self = Self::new(model, *self.game.config())?;
        Ok(true)
    }
    fn reset(&mut self) -> Result<()> {
        *self = Self::new(self.model.clone(), *self.game.config())?;
        Ok(())
    }
    fn evaluate(&mut self) -> Result<HistoryPoint> {
        let r = self.measure(EVAL_SAMPLES)?;
        let cfg = self.game.config();
        let mut point = r.metrics.history_point(
            self.game.counters().iteration,
            f64::NAN,
            f64::NAN,
            &cfg.loss,
        );
        // The VAE has no critic, so no divergence of its own.
        point.d_estimate = f64::NAN;
        point.d_measured = f64::NAN;
        let t = r.terms;
        point.game = [t.reconstruction, t.kl, t.negative_elbo(), f64::NAN];
        self.report = Some(r);
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let r = self.report.as_ref();
        let m = r.map(|r| &r.metrics);
        let num = |v: Option<f64>| v.map_or(Value::Null, finite_or_null);
        out.insert("dataset".into(), self.model.dataset.name().into());
        out.insert("js".into(), num(m.map(|m| m.js)));
        out.insert("kl".into(), num(m.map(|m| m.kl)));
        out.insert("w1".into(), num(m.map(|m| m.w1)));
        out.insert("modes_covered".into(), m.map(|m| m.modes_covered).into());
        out.insert("modes_total".into(), m.map(|m| m.modes_total).into());
        out.insert("high_quality".into(), num(m.and_then(|m| m.high_quality)));
        out.insert(
            "mode_counts".into(),
            m.map_or_else(Vec::new, |m| m.mode_counts.clone()).into(),
        );
        out.insert(
            "has_modes".into(),
            self.model.dataset.modes().is_some().into(),
        );
        let t = r.map(|r| r.terms);
        out.insert("elbo_recon".into(), num(t.map(|t| t.reconstruction)));
        out.insert("elbo_kl".into(), num(t.map(|t| t.kl)));
        out.insert("elbo".into(), num(t.map(|t| -t.negative_elbo())));
        out.insert("sigma".into(), finite_or_null(self.model.sigma));
        out.insert("beta".into(), finite_or_null(self.model.beta));
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Elbo, Chart::Divergences, Chart::Modes]
    }
    fn metrics_every_ms(&self) -> f64 {
        1000.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let mut f = Frame::default();
        let (centre, half) = self.model.dataset.view();
        f.floats
            .push(("view", view_entry(centre, half, HEATMAP_CELLS)));
        if layers.manifold {
            f.floats
                .push(("manifold", flat(&self.manifold(MANIFOLD_CELLS)?)));
        }
        if layers.real {
            f.floats.push(("real", flat(&self.real_sample)));
        }
        if layers.fake {
            f.floats.push(("fake", flat(&self.samples()?)));
        }
        Ok(f)
    }
    super::vae::vae_lab_parts!();
    fn data(&self) -> Option<&Dataset> {
        Some(&self.model.dataset)
    }
    /// Run B beside a GAN follows run A's points when they change live.
    fn follow(&mut self, leader: &dyn Lab) -> Result<()> {
        let Some(data) = leader.data() else {
            return Ok(());
        };
        if data != &self.model.dataset {
            if let Dataset::Custom(points) = data {
                self.set_points_live(points.clone())?;
            }
        }
        Ok(())
    }
}

/// The parts of [`Lab`] both VAE labs (2D and MNIST) write the same way, for a lab with a
/// field `game` that is a [`Vae`]: slow motion's text, the formulas of its likelihood, its
/// weights saved, and loading refused.
macro_rules! vae_lab_parts {
    () => {
        fn phase_text(&self, _: $crate::core::game::Player, _: usize) -> String {
            "encoder and decoder step together: down the reconstruction term plus β·KL".into()
        }
        fn formulas(&self) -> Option<(&'static str, &'static str)> {
            Some(self.game.likelihood.formulas())
        }
        fn save_weights(&self) -> $crate::core::error::Result<Vec<u8>> {
            $crate::core::weights::to_safetensors(self.game.named_tensors())
        }
        fn load_weights(&mut self, _: &[u8], _: &str) -> $crate::core::error::Result<String> {
            Err($crate::core::error::GanError::InvalidConfig(
                "loading weights is for the 2D GAN and MNIST; the VAE trains from its seed".into(),
            ))
        }
    };
}
pub(crate) use vae_lab_parts;
