//! WGAN-GP's input gradient and the gradient of its penalty, against finite differences.

use candle_core::{DType, Device, Tensor};
use gan_playground::core::loss::gradient_penalty;
use gan_playground::core::nn::mlp::{Activation, Mlp, MlpSpec};
use gan_playground::core::rng::SeededRng;

use crate::support;
use support::assert_weight_gradients_match;

fn critic(activation: Activation, seed: u64) -> Mlp {
    let spec = MlpSpec {
        input: 2,
        hidden: 8,
        layers: 2,
        output: 1,
        activation,
        output_tanh: false,
        batch_norm: false,
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
        let checked = assert_weight_gradients_match(
            &net.vars(),
            3,
            || {
                let (_, g) = net.value_and_input_gradient(&x).unwrap();
                gradient_penalty(&g, one_sided).unwrap()
            },
            &format!("{act:?} one_sided={one_sided}"),
        );
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

#[test]
fn conv_critic_input_gradient_and_penalty_gradient_match_finite_differences() {
    use gan_playground::core::nn::conv::ConvCritic;
    let mut rng = SeededRng::new(5);
    let critic = ConvCritic::new((2, 3), "d", &mut rng, &Device::Cpu).unwrap();
    let x: Vec<f32> = (0..2 * 784).map(|_| rng.uniform(-1.0, 1.0)).collect();
    let x = Tensor::from_vec(x, (2, 784), &Device::Cpu).unwrap();
    let p: Vec<f32> = (0..2 * critic.features())
        .map(|_| rng.uniform(-0.5, 0.5))
        .collect();
    let p = Tensor::from_vec(p, (2, critic.features()), &Device::Cpu).unwrap();
    let value = |x: &Tensor| -> Vec<f64> {
        let (v, phi) = critic.forward_with_features(x).unwrap();
        (v + (&p * phi).unwrap().sum_keepdim(1).unwrap())
            .unwrap()
            .to_dtype(DType::F64)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f64>()
            .unwrap()
    };
    let (v, g) = critic
        .projected_value_and_input_gradient(&x, Some(&p))
        .unwrap();
    let v = v
        .to_dtype(DType::F64)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f64>()
        .unwrap();
    let direct = value(&x);
    for i in 0..2 {
        assert!(
            (v[i] - direct[i]).abs() < 1e-5,
            "value {i}: {} vs {}",
            v[i],
            direct[i]
        );
    }
    let g = g.to_vec2::<f32>().unwrap();
    let xs = x.to_vec2::<f32>().unwrap();
    let eps = 1e-2f32;
    // Pixels across the image, corners and centre included.
    for &pix in &[0usize, 27, 29, 300, 405, 406, 783] {
        for (i, row) in xs.iter().enumerate() {
            let shifted = |s: f32| {
                let mut rows = xs.clone();
                rows[i][pix] = row[pix] + s;
                let flat: Vec<f32> = rows.concat();
                value(&Tensor::from_vec(flat, (2, 784), &Device::Cpu).unwrap())[i]
            };
            let fd = (shifted(eps) - shifted(-eps)) / (2.0 * eps as f64);
            assert!(
                (g[i][pix] as f64 - fd).abs() < 2e-3,
                "sample {i} pixel {pix}: {} vs {fd}",
                g[i][pix]
            );
        }
    }
    // The penalty's gradient in a weight, by autograd through the transposed
    // convolutions, against a finite difference of the penalty.
    let penalty = || -> f64 {
        let (_, g) = critic
            .projected_value_and_input_gradient(&x, Some(&p))
            .unwrap();
        gradient_penalty(&g, false)
            .unwrap()
            .to_dtype(DType::F64)
            .unwrap()
            .to_scalar::<f64>()
            .unwrap()
    };
    let (_, g) = critic
        .projected_value_and_input_gradient(&x, Some(&p))
        .unwrap();
    let grads = gradient_penalty(&g, false).unwrap().backward().unwrap();
    let mut checked = 0;
    for (name, var) in critic.named_vars() {
        if !name.ends_with("weight") {
            continue;
        }
        let auto = grads
            .get(var.as_tensor())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let w0 = var
            .as_tensor()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        for j in [0usize, w0.len() / 2, w0.len() - 1] {
            let set = |d: f32| {
                let mut w = w0.clone();
                w[j] += d;
                var.set(&Tensor::from_vec(w, var.shape(), &Device::Cpu).unwrap())
                    .unwrap();
            };
            let h = 1e-3f32;
            let mid = penalty();
            set(h);
            let up = penalty();
            set(-h);
            let down = penalty();
            set(0.0);
            // A leaky-ReLU kink inside ±h makes the penalty jump: the two one-sided
            // slopes then disagree, and the point says nothing about the gradient.
            let (right, left) = (up - mid, mid - down);
            if (right - left).abs() > 0.2 * right.abs().max(left.abs()) + 1e-9 {
                continue;
            }
            let fd = (up - down) / (2.0 * h as f64);
            assert!(
                (auto[j] as f64 - fd).abs() < 2e-2 * (1.0 + fd.abs()),
                "{name}[{j}]: autograd {} vs finite difference {fd}",
                auto[j]
            );
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} of 9 weights away from a kink");
}
