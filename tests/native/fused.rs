//! The fused MLP step (hand-written forward and backward passes, in-place optimiser
//! updates) against Candle's autograd on the same seed: the same losses and the same
//! weights, step by step, for every optimiser, every family of losses, k > 1, weight
//! clipping, each activation, and the MNIST MLP with its tanh output.

use candle_core::{Device, Tensor, Var};
use gan_playground::core::digits::data::Digits;
use gan_playground::core::digits::trainer::digit_train_config;
use gan_playground::core::digits::{DigitArch, DigitModel, DigitTrainer};
use gan_playground::core::game::Gan;
use gan_playground::core::game::{Game, TrainConfig, UpdateMode};
use gan_playground::core::loss::{Loss, ROWS};
use gan_playground::core::nn::mlp::Activation;
use gan_playground::core::nn::optim::{OptimConfig, Optimizer, OptimizerKind, Update};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use std::sync::Arc;

fn values(vars: &[(String, Var)]) -> Vec<(String, Vec<f32>)> {
    vars.iter()
        .map(|(n, v)| {
            (
                n.clone(),
                v.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            )
        })
        .collect()
}

/// Steps both and compares losses and weights after every iteration.
fn compare(name: &str, fused: &mut Gan, reference: &mut Gan, steps: usize) {
    assert!(fused.fusable(), "{name}: the fused path does not apply");
    reference.set_fused(false);
    assert!(!reference.fusable());
    for i in 0..steps {
        let a = fused.step().unwrap();
        let b = reference.step().unwrap();
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-4 * y.abs().max(1.0);
        assert!(
            close(a.d_loss, b.d_loss) && close(a.g_loss, b.g_loss),
            "{name}, step {i}: fused {a:?}, autograd {b:?}"
        );
        for ((n, x), (_, y)) in values(&fused.named_vars())
            .iter()
            .zip(values(&reference.named_vars()))
        {
            let worst = x
                .iter()
                .zip(&y)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0f32, f32::max);
            assert!(worst <= 2e-5, "{name}, step {i}: {n} differs by {worst}");
        }
    }
    assert_eq!(fused.counters().d_steps, reference.counters().d_steps);
    assert_eq!(fused.counters().g_steps, reference.counters().g_steps);
}

fn two_d(name: &str, model: PlaneModel, cfg: TrainConfig) {
    let mut a = PlaneTrainer::new(model.clone(), cfg, &Device::Cpu).unwrap();
    let mut b = PlaneTrainer::new(model, cfg, &Device::Cpu).unwrap();
    compare(name, a.game_mut(), b.game_mut(), 12);
}

#[test]
fn fused_2d_steps_equal_autograd() {
    let model = PlaneModel::default();
    let base = TrainConfig::default();
    two_d("default", model.clone(), base);
    // Every plain row of the loss table (its closed forms are the fused path's) but
    // EBGAN's (its critic is an autoencoder, which the fused pass does not compute), and
    // a few f-GAN rows (their gradient is autograd's on the values alone).
    let plain = ROWS
        .iter()
        .filter(|(loss, _)| !loss.energy_critic())
        .map(|(loss, _)| loss.name());
    let f_gan = ["f-kl", "f-js-sat", "f-jeffrey"].map(String::from);
    for loss in plain.chain(f_gan) {
        let loss = loss.as_str();
        // SGD here: Adam divides by the gradient's own scale, so where a gradient is
        // nearly zero (a clipped critic's) it turns float-rounding differences of the
        // two paths into whole steps.
        let cfg = TrainConfig {
            loss: Loss::parse(loss).unwrap(),
            gp_lambda: 0.0,
            d_opt: OptimConfig::new(OptimizerKind::Sgd, 0.02),
            g_opt: OptimConfig::new(OptimizerKind::Sgd, 0.02),
            ..base
        };
        two_d(loss, model.clone(), cfg);
    }
    for (kind, lr, name) in [
        (OptimizerKind::Sgd, 0.01, "sgd"),
        (OptimizerKind::RmsProp, 1e-4, "rmsprop"),
    ] {
        let cfg = TrainConfig {
            d_opt: OptimConfig::new(kind, lr),
            g_opt: OptimConfig::new(kind, lr / 2.0),
            k: 3,
            ..base
        };
        two_d(name, model.clone(), cfg);
    }
    let simultaneous = TrainConfig {
        update: UpdateMode::Simultaneous,
        ..base
    };
    two_d("simultaneous", model.clone(), simultaneous);
    let mut plain_sgd = OptimConfig::new(OptimizerKind::Sgd, 0.05);
    plain_sgd.momentum = 0.0;
    two_d(
        "plain sgd",
        model.clone(),
        TrainConfig {
            d_opt: plain_sgd,
            g_opt: plain_sgd,
            ..base
        },
    );
    for (act, layers) in [(Activation::Tanh, 1), (Activation::LeakyRelu, 3)] {
        let model = PlaneModel {
            activation: act,
            layers,
            hidden: 24,
            noise_dim: 5,
            ..PlaneModel::default()
        };
        two_d(act.name(), model, TrainConfig { batch: 37, ..base });
    }
}

#[test]
fn the_fused_path_steps_aside_where_it_does_not_apply() {
    let cfg = TrainConfig {
        loss: Loss::parse("wgan-gp").unwrap(),
        gp_lambda: 0.1,
        ..TrainConfig::default()
    };
    let t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
    assert!(!t.game().fusable(), "the gradient penalty needs autograd");
}

#[test]
fn fused_mnist_mlp_steps_equal_autograd() {
    let bytes = std::fs::read(".cache/digits/page.digits").expect("run scripts/setup.sh");
    let digits = Arc::new(Digits::from_bytes(&bytes).unwrap());
    let model = DigitModel {
        arch: DigitArch::MlpSmall,
        ..DigitModel::default()
    };
    let cfg = digit_train_config();
    let mut a = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).unwrap();
    let mut b = DigitTrainer::new(model, cfg, digits, &Device::Cpu).unwrap();
    compare("mnist mlp-small", a.game_mut(), b.game_mut(), 6);
    let conditional = DigitModel {
        conditional: true,
        ..model
    };
    let bytes = std::fs::read(".cache/digits/page.digits").unwrap();
    let c = DigitTrainer::new(
        conditional,
        cfg,
        Arc::new(Digits::from_bytes(&bytes).unwrap()),
        &Device::Cpu,
    )
    .unwrap();
    assert!(
        !c.game().fusable(),
        "the projection discriminator stays with autograd"
    );
}

/// The DCGAN pair through the fused convolutional pass (im2col products, upsampling
/// convolutions as four sub-pixel 2×2 ones) against Candle's `conv2d` and autograd.
#[test]
fn fused_dcgan_steps_equal_autograd() {
    let bytes = std::fs::read(".cache/digits/page.digits").expect("run scripts/setup.sh");
    let digits = Arc::new(Digits::from_bytes(&bytes).unwrap());
    let model = DigitModel {
        arch: DigitArch::Dcgan,
        ..DigitModel::default()
    };
    let base = digit_train_config();
    let run = |name: &str, cfg: TrainConfig, steps: usize| {
        let mut a = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).unwrap();
        let mut b = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).unwrap();
        compare(name, a.game_mut(), b.game_mut(), steps);
    };
    run("dcgan", base, 4);
    // Drawing and metrics take the fused forward pass (`Net::infer`): the same digits.
    let t = DigitTrainer::new(model, base, digits.clone(), &Device::Cpu).unwrap();
    let z = Tensor::randn(0f32, 1.0, (16, model.noise_dim), &Device::Cpu).unwrap();
    let (a, b) = (
        t.game().generate(&z, None).unwrap(),
        t.game().generator().forward(&z).unwrap(),
    );
    let (a, b) = (
        a.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
        b.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
    );
    let worst = a
        .iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max);
    assert!(worst <= 1e-5, "the fused forward pass differs by {worst}");
    let sgd = |loss: &str| TrainConfig {
        loss: Loss::parse(loss).unwrap(),
        gp_lambda: 0.0,
        d_opt: OptimConfig::new(OptimizerKind::Sgd, 0.02),
        g_opt: OptimConfig::new(OptimizerKind::Sgd, 0.02),
        ..base
    };
    run(
        "dcgan wgan (clipped), k = 2",
        TrainConfig {
            k: 2,
            ..sgd("wgan")
        },
        3,
    );
    run("dcgan minimax", sgd("minimax"), 3);
    run(
        "dcgan lsgan, simultaneous",
        TrainConfig {
            update: UpdateMode::Simultaneous,
            ..sgd("lsgan")
        },
        3,
    );
}

/// The in-place update against the tensor-op update, for every optimiser, over steps that
/// switch between them (the moments are shared).
#[test]
fn in_place_optimiser_updates_equal_the_tensor_formulas() {
    let init: Vec<f32> = (0..40).map(|i| (i as f32 * 0.7).sin()).collect();
    let make = || {
        Var::from_tensor(&Tensor::from_vec(init.clone(), (8, 5), &Device::Cpu).unwrap()).unwrap()
    };
    let (a, b) = (make(), make());
    let mut host = Optimizer::new(vec![a.clone()]);
    let mut reference = Optimizer::new_tensor_ops(vec![b.clone()]);
    let kinds = [
        OptimizerKind::Adam,
        OptimizerKind::Sgd,
        OptimizerKind::RmsProp,
        OptimizerKind::Adam,
        OptimizerKind::Sgd,
    ];
    for (step, kind) in kinds.iter().cycle().take(15).enumerate() {
        let cfg = OptimConfig::new(*kind, 0.01 * (1.0 + step as f64 / 10.0));
        for (var, opt) in [(&a, &mut host), (&b, &mut reference)] {
            let loss = (var.as_tensor().sqr().unwrap() * (1.0 + step as f64))
                .unwrap()
                .sin()
                .unwrap()
                .sum_all()
                .unwrap();
            assert_eq!(
                opt.step(&loss.backward().unwrap(), &cfg).unwrap(),
                Update::Applied
            );
        }
        let (x, y) = (
            a.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            b.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
        );
        let worst = x
            .iter()
            .zip(&y)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0f32, f32::max);
        assert!(worst <= 1e-6, "step {step} ({kind:?}): differs by {worst}");
        assert_ne!(x, init, "the update moved nothing");
    }
}
