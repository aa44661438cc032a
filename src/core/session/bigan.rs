//! The BiGAN lab ([`crate::core::game::bigan`]) on a 2D data set with a 2D latent space:
//! the data plane shows the data (blue), `G(z)` (orange) and, for some data points, a
//! segment to their reconstruction `G(E(x))`; the second plane is the latent space, with
//! the prior's `z` (orange) and the encoded data `E(x)` (blue).

use super::game_link::{flat, game_point, links, view_entry};
use super::link::{LinkFormat, LinkLab, Named};
use super::{finite_or_null, Frame, Lab, Layers};
use crate::core::error::{GanError, Result};
use crate::core::game::bigan::{bigan_specs, BiGan};
use crate::core::game::{Game, NoiseKind, Player, TrainConfig};
use crate::core::history::{Chart, HistoryPoint};
use crate::core::plane::metrics::{evaluate, MetricsReport, W1_SAMPLES_LIVE};
use crate::core::plane::model::{BiganModel, BIGAN_SETTINGS};
use crate::core::plane::trainer::{points_to_tensor, tensor_to_points, PlaneSource};
use crate::core::rng::SeededRng;
use crate::core::settings::{self, Setting};
use crate::core::weights::to_safetensors;
use candle_core::{Device, Tensor};
use serde_json::{Map, Value};

/// The latent space's dimension: 2, so that it can be drawn.
pub const LATENT: usize = 2;
/// Points shown, and of them those with a reconstruction segment.
const SHOWN: usize = 500;
const LINKED: usize = 150;
/// Samples per evaluation.
const EVAL: usize = 1000;

/// `‖a_i − b_i‖` averaged over rows.
pub fn mean_distance(a: &Tensor, b: &Tensor) -> Result<f64> {
    Ok((a - b)?
        .sqr()?
        .sum(1)?
        .sqrt()?
        .mean_all()?
        .to_scalar::<f32>()? as f64)
}

pub struct BiganLab {
    model: BiganModel,
    game: BiGan,
    eval_seed: u64,
    real_sample: Vec<[f32; 2]>,
    fixed_z: Tensor,
    report: Option<(MetricsReport, [f64; 2])>,
}

impl BiganLab {
    pub fn new(model: BiganModel, cfg: TrainConfig) -> Result<Self> {
        settings::validate(BIGAN_SETTINGS, &model)?;
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(model.seed);
        let source = PlaneSource::new(model.dataset.clone(), LATENT, NoiseKind::Gaussian);
        let specs = bigan_specs(LATENT, model.hidden, model.layers, model.activation);
        let mut shown = SeededRng::new(model.seed ^ 0x5eed);
        let real_sample = model.dataset.sample(&mut shown, SHOWN);
        let z: Vec<f32> = (0..SHOWN * LATENT).map(|_| shown.normal()).collect();
        let fixed_z = Tensor::from_vec(z, (SHOWN, LATENT), &dev)?;
        let eval_seed = rng.next_seed();
        let game = BiGan::new(Box::new(source), specs, cfg, rng, &dev)?;
        Ok(Self {
            model,
            game,
            eval_seed,
            real_sample,
            fixed_z,
            report: None,
        })
    }

    pub fn bigan(&self) -> &BiGan {
        &self.game
    }

    /// `(‖G(E(x)) − x‖, ‖E(G(z)) − z‖)` and the metrics of `G(z)` against the data, on a
    /// fresh evaluation sample of `n`.
    pub fn measure(&self, n: usize) -> Result<(MetricsReport, [f64; 2])> {
        let dev = Device::Cpu;
        let mut rng = SeededRng::new(self.eval_seed ^ self.game.counters().iteration as u64);
        let real = self.model.dataset.sample(&mut rng, n);
        let z: Vec<f32> = (0..n * LATENT).map(|_| rng.normal()).collect();
        let z = Tensor::from_vec(z, (n, LATENT), &dev)?;
        let x = points_to_tensor(&real, &dev)?;
        let (g, e) = (self.game.generator(), self.game.encoder());
        let gz = g.forward(&z)?;
        let fake = tensor_to_points(&gz)?;
        crate::core::health::require_finite_output(
            fake.as_flattened(),
            self.game.counters().iteration,
        )?;
        let recon_x = mean_distance(&g.forward(&e.forward(&x)?)?, &x)?;
        let recon_z = mean_distance(&e.forward(&gz)?, &z)?;
        let modes = self.model.dataset.modes();
        let m = evaluate(
            &real,
            &fake,
            modes.as_deref(),
            W1_SAMPLES_LIVE,
            Some(&self.game.config().loss),
        )?;
        Ok((m, [recon_x, recon_z]))
    }
}

impl LinkLab for BiganLab {
    const LINK: LinkFormat = LinkFormat {
        key: "bigan",
        named: Named::Game,
        compare: false,
    };
    const LIVE: Option<&'static [&'static str]> = Some(crate::core::game::team::PLAIN_LIVE);
    const LAYERS: &'static [&'static str] = &["real", "fake", "arrows"];
    const STRIP: Option<&'static str> =
        Some("G: z → x and an encoder E: x → z; D judges the pairs (x, E(x)) against (G(z), z)");
    type Model = BiganModel;
    const SETTINGS: &'static [Setting<BiganModel>] = BIGAN_SETTINGS;
    fn build(model: BiganModel, cfg: TrainConfig) -> Result<Self> {
        Self::new(model, cfg)
    }
}

impl Lab for BiganLab {
    super::game_link::lab_basics!();
    fn set(&mut self, key: &str, value: &str) -> Result<bool> {
        let model = settings::applied(BIGAN_SETTINGS, &self.model, key, value)?;
        if model == self.model {
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
        let (m, recon) = self.measure(EVAL)?;
        let point = game_point(&self.game, &m, recon);
        self.report = Some((m, recon));
        Ok(point)
    }
    fn readout(&self, out: &mut Map<String, Value>) {
        let r = self.report.as_ref();
        out.insert("dataset".into(), self.model.dataset.name().into());
        let num = |f: fn(&(MetricsReport, [f64; 2])) -> f64| {
            r.map_or(Value::Null, |r| finite_or_null(f(r)))
        };
        out.insert("js".into(), num(|r| r.0.js));
        out.insert("w1".into(), num(|r| r.0.w1));
        out.insert("recon_x".into(), num(|r| r.1[0]));
        out.insert("recon_z".into(), num(|r| r.1[1]));
        out.insert(
            "planes".into(),
            vec!["data: x, G(z), and x → G(E(x))", "latent: z and E(x)"].into(),
        );
    }
    fn charts(&self) -> [Chart; 3] {
        [Chart::Losses, Chart::Divergences, Chart::Reconstruction]
    }
    fn metrics_every_ms(&self) -> f64 {
        1000.0
    }
    fn frame(&mut self, layers: Layers) -> Result<Frame> {
        let dev = Device::Cpu;
        let (centre, half) = self.model.dataset.view();
        let mut f = Frame::default();
        f.floats.push(("view", view_entry(centre, half, 1)));
        if layers.real {
            f.floats.push(("real", flat(&self.real_sample)));
        }
        if layers.fake {
            let fake = tensor_to_points(&self.game.generator().forward(&self.fixed_z)?)?;
            f.floats.push(("fake", flat(&fake)));
        }
        if layers.arrows {
            let from = &self.real_sample[..LINKED];
            let x = points_to_tensor(from, &dev)?;
            let back = self
                .game
                .generator()
                .forward(&self.game.encoder().forward(&x)?)?;
            f.floats
                .push(("links", links(from, &tensor_to_points(&back)?)));
        }
        Ok(f)
    }
    /// The latent plane: the prior's fixed `z` and the encoded data `E(x)`.
    fn side_frame(&mut self, layers: Layers) -> Result<Option<Frame>> {
        let dev = Device::Cpu;
        let mut f = Frame::default();
        f.floats.push(("view", view_entry([0.0, 0.0], 3.5, 1)));
        if layers.real {
            let x = points_to_tensor(&self.real_sample, &dev)?;
            let ex = tensor_to_points(&self.game.encoder().forward(&x)?)?;
            f.floats.push(("real", flat(&ex)));
        }
        if layers.fake {
            f.floats
                .push(("fake", flat(&tensor_to_points(&self.fixed_z)?)));
        }
        Ok(Some(f))
    }
    fn phase_text(&self, player: Player, k: usize) -> String {
        match player {
            Player::Critic => format!("D phase: {k} step(s) telling (x, E(x)) from (G(z), z)"),
            Player::Generator => {
                "G and E step together: each pair looks more like the other".into()
            }
        }
    }
    fn save_weights(&self) -> Result<Vec<u8>> {
        to_safetensors(self.game.named_tensors())
    }
    fn load_weights(&mut self, _: &[u8], _: &str) -> Result<String> {
        Err(GanError::InvalidConfig(
            "loading weights is for the 2D GAN and MNIST; a BiGAN trains from its seed".into(),
        ))
    }
}
