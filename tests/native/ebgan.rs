//! EBGAN: the autoencoder critic's energy, its losses and the pulling-away term against
//! computations by hand in f64; the critic swapped in and out as the loss changes live;
//! the games and models that refuse it, in one line.

use super::support::{session, NoData};
use candle_core::{Device, Tensor};
use gan_playground::core::game::{Game, Gan, TrainConfig};
use gan_playground::core::loss::Loss;
use gan_playground::core::nn::conv::{ConvCritic, ConvGenerator};
use gan_playground::core::nn::energy::{pulling_away, EnergyCritic};
use gan_playground::core::nn::mlp::{Activation, MlpSpec};
use gan_playground::core::nn::net::Net;
use gan_playground::core::plane::density::GridSpec;
use gan_playground::core::plane::field::discriminator_field;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::rng::SeededRng;

fn rows(t: &Tensor) -> Vec<Vec<f32>> {
    t.to_vec2::<f32>().unwrap()
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-5 * (1.0 + b.abs()), "{a} vs {b}");
}

const CRITIC: MlpSpec = MlpSpec {
    input: 2,
    hidden: 8,
    layers: 2,
    output: 1,
    activation: Activation::Tanh,
    output_tanh: false,
    batch_norm: false,
};

fn points() -> Tensor {
    Tensor::new(
        &[[0.5f32, -1.0], [2.0, 0.25], [-1.5, 1.5], [0.0, 0.0]],
        &Device::Cpu,
    )
    .unwrap()
}

/// `V(x) = −E(x)/m` with `E(x) = ‖AE(x) − x‖²/d`, from the autoencoder's own output;
/// a new margin rescales it.
#[test]
fn the_energy_critic_value_is_minus_the_reconstruction_error_over_the_margin() {
    let e = EnergyCritic::new(CRITIC, 0.5, &mut SeededRng::new(3), &Device::Cpu).unwrap();
    let x = points();
    let out = rows(&e.autoencoder().forward(&x).unwrap());
    assert_eq!(
        out[0].len(),
        2,
        "the autoencoder's output is as wide as its input"
    );
    let by_hand: Vec<f64> = rows(&x)
        .iter()
        .zip(&out)
        .map(|(x, y)| {
            x.iter()
                .zip(y)
                .map(|(a, b)| (*a as f64 - *b as f64).powi(2))
                .sum::<f64>()
                / 2.0
        })
        .collect();
    let v = rows(&e.forward(&x).unwrap());
    for (v, energy) in v.iter().zip(&by_hand) {
        close(v[0] as f64, -energy / 0.5);
    }
    e.set_margin(2.0);
    for (v, energy) in rows(&e.forward(&x).unwrap()).iter().zip(&by_hand) {
        close(v[0] as f64, -energy / 2.0);
    }
    // The input gradient by autograd against central differences.
    let (_, g) = e.value_and_input_gradient(&x).unwrap();
    let g = rows(&g);
    let h = 1e-2f32;
    for (i, p) in rows(&x).iter().enumerate() {
        for j in 0..2 {
            let shifted = |d: f32| {
                let mut q = p.clone();
                q[j] += d;
                let t = Tensor::new(&[[q[0], q[1]]], &Device::Cpu).unwrap();
                rows(&e.forward(&t).unwrap())[0][0] as f64
            };
            let numeric = (shifted(h) - shifted(-h)) / (2.0 * h as f64);
            assert!(
                (g[i][j] as f64 - numeric).abs() < 1e-2 * (1.0 + numeric.abs()),
                "{i},{j}"
            );
        }
    }
}

/// The row's losses on `V = −E/m` are EBGAN's divided by m:
/// `L_D = mean E_p + mean max(0, m − E_q)`, `L_G = mean E_q`.
#[test]
fn ebgan_losses_are_the_papers_in_units_of_the_margin() {
    let m = 0.8;
    let (e_real, e_fake) = ([0.1, 0.5, 1.3], [0.2, 0.9, 2.0, 0.0]);
    let v = |e: &[f64]| {
        let v: Vec<f32> = e.iter().map(|e| (-e / m) as f32).collect();
        Tensor::from_vec(v, (e.len(), 1), &Device::Cpu).unwrap()
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let hinge: Vec<f64> = e_fake.iter().map(|e| (m - e).max(0.0)).collect();
    let d = Loss::Ebgan.d_loss(&v(&e_real), &v(&e_fake)).unwrap();
    close(
        d.to_scalar::<f32>().unwrap() as f64 * m,
        mean(&e_real) + mean(&hinge),
    );
    let g = Loss::Ebgan.g_loss(&v(&e_fake)).unwrap();
    close(g.to_scalar::<f32>().unwrap() as f64 * m, mean(&e_fake));
    assert_eq!(Loss::parse("energy").unwrap(), Loss::Ebgan);
    assert!(Loss::Ebgan.energy_critic() && !Loss::Hinge.energy_critic());
}

/// `PT = 1/(n(n − 1)) Σ_{i≠j} cos²(S_i, S_j)`, by a double loop.
#[test]
fn the_pulling_away_term_is_the_mean_squared_cosine_between_codes() {
    let s = [
        [1.0f64, 0.0, 2.0],
        [0.5, -1.0, 0.0],
        [0.0, 3.0, 1.0],
        [-2.0, 0.5, 0.5],
    ];
    let n = s.len();
    let dot = |a: &[f64; 3], b: &[f64; 3]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let mut sum = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                sum += dot(&s[i], &s[j]).powi(2) / (dot(&s[i], &s[i]) * dot(&s[j], &s[j]));
            }
        }
    }
    let flat: Vec<f32> = s.iter().flatten().map(|&v| v as f32).collect();
    let t = Tensor::from_vec(flat, (n, 3), &Device::Cpu).unwrap();
    close(
        pulling_away(&t).unwrap().to_scalar::<f32>().unwrap() as f64,
        sum / (n * (n - 1)) as f64,
    );
    // Identical codes: every cosine is 1; one sample: nothing to pull apart.
    let same = Tensor::new(&[[1.0f32, 2.0], [2.0, 4.0]], &Device::Cpu).unwrap();
    close(
        pulling_away(&same).unwrap().to_scalar::<f32>().unwrap() as f64,
        1.0,
    );
    let one = Tensor::new(&[[1.0f32, 2.0]], &Device::Cpu).unwrap();
    assert_eq!(pulling_away(&one).unwrap().to_scalar::<f32>().unwrap(), 0.0);
}

fn weights(gan: &Gan) -> Vec<(String, Vec<f32>)> {
    gan.critic_vars()
        .iter()
        .zip(
            gan.named_vars()
                .iter()
                .skip(gan.generator().named_vars().len()),
        )
        .map(|(v, (n, _))| {
            (
                n.clone(),
                v.as_tensor().flatten_all().unwrap().to_vec1().unwrap(),
            )
        })
        .collect()
}

/// Choosing EBGAN while a run trains swaps in the autoencoder critic (the data's
/// energy then falls), and choosing another loss puts the classifier back as it was.
#[test]
fn the_critic_follows_the_loss_live_and_the_classifier_resumes_where_it_was() {
    let mut t =
        PlaneTrainer::new(PlaneModel::default(), TrainConfig::default(), &Device::Cpu).unwrap();
    for _ in 0..20 {
        t.game_mut().step().unwrap();
    }
    let classifier = weights(t.game());
    assert!(classifier.iter().all(|(n, _)| !n.contains("energy")));
    let ebgan = TrainConfig {
        loss: Loss::Ebgan,
        pull_away: 0.1,
        ..TrainConfig::default()
    };
    t.game_mut().set_config(ebgan).unwrap();
    assert!(weights(t.game())
        .iter()
        .all(|(n, _)| n.starts_with("discriminator.energy")));
    let energy_on_data = |t: &PlaneTrainer| {
        let (real, _) = t.eval_samples(500).unwrap();
        let v = t.discriminate(&real).unwrap();
        -v.iter().map(|&v| v as f64).sum::<f64>() / v.len() as f64
    };
    let before = energy_on_data(&t);
    for _ in 0..300 {
        t.game_mut().step().unwrap();
    }
    let after = energy_on_data(&t);
    assert!(
        after < 0.8 * before,
        "energy on the data {before} → {after}"
    );
    assert!(t.game().last().g_loss.is_finite());
    t.game_mut().set_config(TrainConfig::default()).unwrap();
    assert_eq!(
        weights(t.game()),
        classifier,
        "the classifier is back as it was left"
    );
    t.game_mut().step().unwrap();
}

/// Where the energy critic cannot apply, one line says why: the DCGAN's convolutional
/// critic, the CycleGAN and the BiGAN, and R1 beside it.
#[test]
fn ebgan_is_refused_in_one_line_where_it_cannot_apply() {
    let one_line = |e: String, has: &str| {
        assert!(!e.contains('\n') && e.contains(has), "{e}");
    };
    let mut rng = SeededRng::new(1);
    let dev = Device::Cpu;
    let gen = ConvGenerator::new(8, (32, 16), "generator", &mut rng, &dev).unwrap();
    let disc = ConvCritic::new((16, 32), "discriminator", &mut rng, &dev).unwrap();
    let cfg = TrainConfig {
        loss: Loss::Ebgan,
        ..TrainConfig::default()
    };
    let dcgan = Gan::new(
        Box::new(NoData),
        Net::ConvGenerator(gen),
        Net::ConvCritic(disc),
        None,
        cfg,
        rng,
        &dev,
    );
    one_line(dcgan.err().unwrap().to_string(), "convolutional");
    for game in ["cyclegan", "bigan"] {
        let mut s = session(&format!("game={game}"));
        one_line(s.set("loss", "ebgan").unwrap_err().to_string(), "ebgan");
    }
    let mut s = session("dataset=ring8&loss=ebgan");
    one_line(s.set("r1", "1").unwrap_err().to_string(), "energy critic");
    // The margin is live and checked.
    s.set("margin", "2").unwrap();
    assert!(s.set("margin", "0").is_err());
    s.step_once("both").unwrap();
}

/// The 2D heatmap shows the energy against the margin: 1 (real) where it is 0, 0 at m
/// and beyond, and the colour bar says so.
#[test]
fn the_heatmap_is_the_energy_against_the_margin() {
    let cfg = TrainConfig {
        loss: Loss::Ebgan,
        margin: 0.5,
        ..TrainConfig::default()
    };
    let t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
    let grid = GridSpec::square([0.0, 0.0], 3.0, 12);
    let field = discriminator_field(&t, &grid).unwrap();
    let energy: Vec<f64> = rows(
        &t.game()
            .critic(
                &Tensor::from_vec(grid.centres().concat(), (144, 2), &Device::Cpu).unwrap(),
                None,
            )
            .unwrap(),
    )
    .iter()
    .map(|v| -v[0] as f64 * 0.5)
    .collect();
    let mut both_ends = (false, false);
    for (f, e) in field.iter().zip(&energy) {
        close(*f as f64, 1.0 - (e / 0.5).min(1.0));
        both_ends.0 |= *e >= 0.5;
        both_ends.1 |= *e < 0.25;
    }
    assert!(
        both_ends.0 && both_ends.1,
        "the grid spans low and high energy"
    );
    let mut s = session("dataset=ring8&loss=ebgan");
    let st = s.state();
    assert!(
        st["heat_scale"][0].as_str().unwrap().contains("energy"),
        "{st:?}"
    );
    s.set("loss", "non-saturating").unwrap();
    assert!(s.state()["heat_scale"][0]
        .as_str()
        .unwrap()
        .contains("D(x)"));
}
