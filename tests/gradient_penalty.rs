//! WGAN-GP's input gradient and the gradient of its penalty, against finite differences.
#![cfg(not(target_arch = "wasm32"))]

use candle_core::{DType, Device, Tensor};
use gan_playground::core::loss::gradient_penalty;
use gan_playground::core::nets::{Activation, Mlp, MlpSpec};
use gan_playground::core::rng::SeededRng;

fn critic(activation: Activation, seed: u64) -> Mlp {
    let spec = MlpSpec {
        input: 2,
        hidden: 8,
        layers: 2,
        output: 1,
        activation,
        output_tanh: false,
    };
    Mlp::new(spec, "d", &mut SeededRng::new(seed), &Device::Cpu).unwrap()
}

fn points() -> Tensor {
    Tensor::new(
        &[[0.3f32, -0.2], [1.1, 0.7], [-0.8, 0.4], [0.05, 1.3]],
        &Device::Cpu,
    )
    .unwrap()
}

fn penalty(net: &Mlp, x: &Tensor, one_sided: bool) -> f64 {
    let (_, g) = net.value_and_input_gradient(x).unwrap();
    gradient_penalty(&g, one_sided)
        .unwrap()
        .to_dtype(DType::F64)
        .unwrap()
        .to_scalar::<f64>()
        .unwrap()
}

#[test]
fn input_gradient_matches_finite_differences() {
    for act in [Activation::Tanh, Activation::LeakyRelu, Activation::Relu] {
        let net = critic(act, 1);
        let x = points();
        let (_, g) = net.value_and_input_gradient(&x).unwrap();
        let g = g.to_vec2::<f32>().unwrap();
        let xs = x.to_vec2::<f32>().unwrap();
        let eps = 1e-2f32;
        for i in 0..xs.len() {
            for d in 0..2 {
                let shifted = |s: f32| {
                    let mut row = xs[i].clone();
                    row[d] += s;
                    let t = Tensor::new(&[[row[0], row[1]]], &Device::Cpu).unwrap();
                    net.forward(&t)
                        .unwrap()
                        .flatten_all()
                        .unwrap()
                        .to_vec1::<f32>()
                        .unwrap()[0]
                };
                let fd = (shifted(eps) - shifted(-eps)) / (2.0 * eps);
                assert!(
                    (g[i][d] - fd).abs() < 2e-3,
                    "{act:?} point {i} dim {d}: {} vs {fd}",
                    g[i][d]
                );
            }
        }
    }
}

#[test]
fn penalty_gradient_matches_finite_differences_including_second_order_terms() {
    // tanh makes σ' depend on the weights: the term Candle's backward alone would miss.
    for (act, one_sided) in [
        (Activation::Tanh, false),
        (Activation::Tanh, true),
        (Activation::LeakyRelu, false),
    ] {
        // Scale the weights up so that gradient norms exceed 1 and the one-sided form is active.
        let net = critic(act, 7);
        for var in net.vars() {
            var.set(&(var.as_tensor() * 3.0).unwrap()).unwrap();
        }
        let x = points();
        let (_, g) = net.value_and_input_gradient(&x).unwrap();
        let p = gradient_penalty(&g, one_sided).unwrap();
        assert!(p.to_scalar::<f32>().unwrap() > 1e-3, "penalty inactive");
        let grads = p.backward().unwrap();
        let mut checked = 0;
        for var in net.vars() {
            let base = var
                .as_tensor()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            // No gradient means the penalty does not depend on the var (e.g. the output bias).
            let analytic = match grads.get(var.as_tensor()) {
                Some(g) => g.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
                None => vec![0.0; base.len()],
            };
            for idx in (0..base.len()).step_by(3) {
                let eval = |s: f32| {
                    let mut w = base.clone();
                    w[idx] += s;
                    var.set(&Tensor::from_vec(w, var.shape(), &Device::Cpu).unwrap())
                        .unwrap();
                    let v = penalty(&net, &x, one_sided);
                    var.set(&Tensor::from_vec(base.clone(), var.shape(), &Device::Cpu).unwrap())
                        .unwrap();
                    v
                };
                // Small enough for the truncation error, large enough for f32 rounding.
                let eps = 1e-3f32;
                let fd = (eval(eps) - eval(-eps)) / (2.0 * eps as f64);
                let a = analytic[idx] as f64;
                assert!(
                    (a - fd).abs() < 2e-2 * fd.abs() + 2e-3,
                    "{act:?} one_sided={one_sided}: {a} vs {fd}"
                );
                checked += 1;
            }
        }
        assert!(checked > 20);
    }
}

#[test]
fn projected_critic_value_and_gradient_match_direct_computation() {
    // The projection discriminator: V(x) = out(x) + p·φ(x), p a per-sample row.
    for act in [Activation::Tanh, Activation::LeakyRelu] {
        let net = critic(act, 4);
        let x = points();
        let p = Tensor::new(
            &[
                [0.3f32, -0.1, 0.2, 0.5, -0.4, 0.1, 0.0, 0.7],
                [-0.2, 0.4, 0.1, -0.3, 0.2, 0.6, -0.5, 0.1],
                [0.1, 0.1, -0.6, 0.2, 0.3, -0.2, 0.4, 0.0],
                [0.5, -0.3, 0.2, 0.1, 0.0, 0.2, -0.1, -0.4],
            ],
            &Device::Cpu,
        )
        .unwrap();
        let value = |x: &Tensor, p: &Tensor| -> Vec<f32> {
            let (out, phi) = net.forward_with_features(x).unwrap();
            (out + (p * phi).unwrap().sum_keepdim(1).unwrap())
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
        };
        let (v, g) = net
            .projected_value_and_input_gradient(&x, Some(&p))
            .unwrap();
        assert_eq!(
            v.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            value(&x, &p)
        );
        let g = g.to_vec2::<f32>().unwrap();
        let xs = x.to_vec2::<f32>().unwrap();
        let ps = p.to_vec2::<f32>().unwrap();
        let eps = 1e-2f32;
        for i in 0..xs.len() {
            let pi = Tensor::new(ps[i].as_slice(), &Device::Cpu)
                .unwrap()
                .reshape((1, 8))
                .unwrap();
            for d in 0..2 {
                let shifted = |s: f32| {
                    let mut row = xs[i].clone();
                    row[d] += s;
                    value(
                        &Tensor::new(&[[row[0], row[1]]], &Device::Cpu).unwrap(),
                        &pi,
                    )[0]
                };
                let fd = (shifted(eps) - shifted(-eps)) / (2.0 * eps);
                assert!(
                    (g[i][d] - fd).abs() < 2e-3,
                    "{act:?} point {i} dim {d}: {} vs {fd}",
                    g[i][d]
                );
            }
        }
    }
}
