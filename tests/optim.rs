//! Optimizers against hand-computed updates, including state kept across live changes.
#![cfg(not(target_arch = "wasm32"))]

use candle_core::{Device, Tensor, Var};
use gan_playground::core::nn::optim::{OptimConfig, Optimizer, OptimizerKind};

/// Applies one step with gradient `g` of the loss `g·θ` and returns θ.
fn step(opt: &mut Optimizer, var: &Var, g: f64, cfg: &OptimConfig) -> f64 {
    let loss = (var.as_tensor() * g).unwrap().sum_all().unwrap();
    opt.step(&loss.backward().unwrap(), cfg).unwrap();
    var.as_tensor().to_vec1::<f32>().unwrap()[0] as f64
}

fn setup() -> (Var, Optimizer) {
    let var = Var::from_tensor(&Tensor::new(&[0f32], &Device::Cpu).unwrap()).unwrap();
    let opt = Optimizer::new(vec![var.clone()]);
    (var, opt)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-5, "{a} vs {b}");
}

#[test]
fn sgd_momentum_matches_pytorch_convention() {
    let (var, mut opt) = setup();
    let cfg = OptimConfig::new(OptimizerKind::Sgd, 0.1);
    // b ← μb + g; θ ← θ − lr·b: b = 1, 1.9.
    close(step(&mut opt, &var, 1.0, &cfg), -0.1);
    close(step(&mut opt, &var, 1.0, &cfg), -0.1 - 0.19);
}

#[test]
fn adam_matches_hand_computation_and_keeps_state_across_lr_changes() {
    let (var, mut opt) = setup();
    let mut cfg = OptimConfig::new(OptimizerKind::Adam, 0.1);
    let (b1, b2, eps) = (cfg.beta1, cfg.beta2, cfg.eps);
    let (mut m, mut s, mut theta) = (0.0f64, 0.0f64, 0.0f64);
    for (t, (g, lr)) in [(1.0, 0.1), (3.0, 0.1), (-2.0, 0.05), (0.5, 0.05)]
        .iter()
        .enumerate()
    {
        cfg.lr = *lr;
        m = b1 * m + (1.0 - b1) * g;
        s = b2 * s + (1.0 - b2) * g * g;
        let n = t as i32 + 1;
        theta -= lr * (m / (1.0 - b1.powi(n))) / ((s / (1.0 - b2.powi(n))).sqrt() + eps);
        close(step(&mut opt, &var, *g, &cfg), theta);
    }
}

#[test]
fn switching_adam_to_rmsprop_keeps_the_mean_square() {
    let (var, mut opt) = setup();
    let adam = OptimConfig::new(OptimizerKind::Adam, 0.1);
    let rms = OptimConfig::new(OptimizerKind::RmsProp, 0.01);
    let t1 = step(&mut opt, &var, 2.0, &adam);
    // Adam's s = (1 − β₂)·4; RMSProp continues it: s' = ρ s + (1 − ρ)·1.
    let s = (1.0 - adam.beta2) * 4.0;
    let s2 = rms.rho * s + (1.0 - rms.rho) * 1.0;
    close(
        step(&mut opt, &var, 1.0, &rms),
        t1 - 0.01 / (s2.sqrt() + rms.eps),
    );
}
