//! The R1 penalty (Mescheder et al. 2018), a live option of every loss: its value by hand,
//! its weight gradient against finite differences, and its mechanics in training (the
//! critic's gradient at the data shrinks; the fused path steps aside for it).

use candle_core::{Device, Tensor};
use gan_playground::core::game::{Game, TrainConfig, TRAIN_SETTINGS, TTUR};
use gan_playground::core::loss::r1_penalty;
use gan_playground::core::nn::mlp::{Activation, Mlp, MlpSpec};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::rng::SeededRng;
use gan_playground::core::settings::find;

use crate::support;
use support::assert_weight_gradients_match;

#[test]
fn the_penalty_is_half_gamma_times_the_mean_squared_norm() {
    let g = Tensor::new(&[[3.0f32, 4.0], [0.0, 1.0]], &Device::Cpu).unwrap();
    let p = r1_penalty(&g, 2.0).unwrap().to_scalar::<f32>().unwrap();
    // (25 + 1) / 2 rows = 13, times γ/2 = 1.
    assert!((p - 13.0).abs() < 1e-5, "{p}");
    let p = r1_penalty(&g, 0.5).unwrap().to_scalar::<f32>().unwrap();
    assert!((p - 3.25).abs() < 1e-5, "{p}");
}

/// d/dw of γ/2·mean‖∇ₓV‖² through the forward-built input gradient, against central
/// differences on every weight of a small tanh critic.
#[test]
fn its_weight_gradient_matches_finite_differences() {
    let spec = MlpSpec {
        input: 2,
        hidden: 6,
        layers: 2,
        output: 1,
        activation: Activation::Tanh,
        output_tanh: false,
        batch_norm: false,
    };
    let net = Mlp::new(spec, "d", &mut SeededRng::new(4), &Device::Cpu).unwrap();
    let x = Tensor::new(&[[0.3f32, -0.2], [1.1, 0.7], [-0.8, 0.4]], &Device::Cpu).unwrap();
    let value = |net: &Mlp| -> Tensor {
        let g = net.value_and_input_gradient(&x).unwrap().1;
        r1_penalty(&g, 3.0).unwrap()
    };
    let checked = assert_weight_gradients_match(&net.vars(), 1, || value(&net), "R1");
    assert!(checked > 50, "{checked} weights");
}

/// Mean ‖∇ₓV(x)‖² of the trainer's critic at `n` real samples.
fn grad_norm_at_data(t: &PlaneTrainer) -> f64 {
    let (real, _) = t.eval_samples(500).unwrap();
    let g = t.critic_gradients(&real).unwrap();
    g.iter()
        .map(|v| (v[0] * v[0] + v[1] * v[1]) as f64)
        .sum::<f64>()
        / g.len() as f64
}

#[test]
fn in_training_it_flattens_the_critic_at_the_data_on_the_autograd_path() {
    let run = |gamma: f64| {
        let cfg = TrainConfig {
            r1_gamma: gamma,
            ..TrainConfig::default()
        };
        let mut t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
        for _ in 0..300 {
            t.game_mut().step().unwrap();
        }
        let penalty = t.game().last().penalty;
        (grad_norm_at_data(&t), penalty, t.game().path())
    };
    let (plain, p0, path0) = run(0.0);
    let (r1, p1, path1) = run(10.0);
    assert_eq!((p0, path0), (0.0, "fused"));
    assert!(p1 > 0.0, "the penalty is reported: {p1}");
    assert_eq!(
        path1, "autograd",
        "the fused step has no R1: it steps aside"
    );
    assert!(
        r1 < 0.5 * plain,
        "‖∇V‖² at the data: {r1} with R1 against {plain} without"
    );
}

#[test]
fn r1_is_a_live_setting_and_ttur_a_named_pair_of_rates() {
    let s = find(TRAIN_SETTINGS, "r1").unwrap();
    assert!(s.parse("-1").is_err());
    assert!(!s.restarts);
    let (d, g) = TTUR;
    assert!(d > g, "the critic's time scale is the faster one");
    assert_eq!((d, g), (4e-4, 1e-4));
}
