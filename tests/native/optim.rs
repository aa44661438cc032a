//! Optimizers against hand-computed updates, including state kept across live changes.

use candle_core::{Device, Tensor, Var};
use gan_playground::core::nn::optim::{OptimConfig, Optimizer, OptimizerKind, Update};

/// Applies one step with gradient `g` of the loss `g·θ` and returns θ.
fn step(opt: &mut Optimizer, var: &Var, g: f64, cfg: &OptimConfig) -> f64 {
    let loss = (var.as_tensor() * g).unwrap().sum_all().unwrap();
    assert_eq!(
        opt.step(&loss.backward().unwrap(), cfg).unwrap(),
        Update::Applied
    );
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

/// An update that would overflow a weight is refused whole: nothing is written, on the
/// in-place host path and on the tensor-op path, and the refused step leaves no trace in
/// the moments (the next step equals a fresh optimiser's first).
#[test]
fn an_update_that_would_overflow_is_refused_and_writes_nothing() {
    for tensor_ops in [false, true] {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Adam,
            OptimizerKind::RmsProp,
        ] {
            let make = |v: &[f32]| {
                let a = Var::from_tensor(&Tensor::new(v, &Device::Cpu).unwrap()).unwrap();
                let b = Var::from_tensor(&Tensor::new(&[1f32], &Device::Cpu).unwrap()).unwrap();
                let vars = vec![a.clone(), b.clone()];
                let opt = if tensor_ops {
                    Optimizer::new_tensor_ops(vars)
                } else {
                    Optimizer::new(vars)
                };
                (a, b, opt)
            };
            let (a, b, mut opt) = make(&[3e38, 0.5]);
            // A gradient of 1e38 on a: momentum SGD's step (lr/(1 − μ)·(1 − μ)g = 1e39)
            // overflows the weight; Adam's and RMSProp's second moment (g² = 1e76)
            // overflows f32 even where the step itself would be small.
            let cfg = OptimConfig::new(kind, 10.0);
            let loss = ((a.as_tensor() * -1e38).unwrap().sum_all().unwrap()
                + (b.as_tensor() * 2.0).unwrap().sum_all().unwrap())
            .unwrap();
            let grads = loss.backward().unwrap();
            let result = opt.step(&grads, &cfg).unwrap();
            let vals = |v: &Var| v.as_tensor().to_vec1::<f32>().unwrap();
            assert_eq!(
                result,
                Update::Refused(0),
                "{kind:?} tensor ops {tensor_ops}"
            );
            assert_eq!(vals(&a), vec![3e38, 0.5]);
            assert_eq!(
                vals(&b),
                vec![1.0],
                "b must not move when a's update is refused"
            );
            // After a refusal, a healthy step is the same as a fresh optimiser's first.
            let (a2, _, mut fresh) = make(&[1.0, 0.5]);
            a.set(&Tensor::new(&[1f32, 0.5], &Device::Cpu).unwrap())
                .unwrap();
            let g = |v: &Var| (v.as_tensor() * 3.0).unwrap().sum_all().unwrap();
            let applied = opt.step(&g(&a).backward().unwrap(), &cfg).unwrap();
            assert_eq!(applied, Update::Applied);
            let applied = fresh.step(&g(&a2).backward().unwrap(), &cfg).unwrap();
            assert_eq!(applied, Update::Applied);
            assert_eq!(
                vals(&a),
                vals(&a2),
                "{kind:?}: the refused step left a trace"
            );
        }
    }
}
