//! The cures of mode collapse, each a live option or a model setting, checked against
//! independent computations: packing (PacGAN) and the minibatch standard deviation
//! (ProGAN) against the critic fed by hand, spectral normalisation against a host power
//! iteration, the unrolled critic against k plain critic steps, batch norm against its
//! formula, and the paper presets against the setting tables.

use candle_core::{DType, Device, Tensor};
use gan_playground::core::error::Result;
use gan_playground::core::game::pack::{minibatch_stddev, pack_samples};
use gan_playground::core::game::{Game, Gan, Player, Source, TrainConfig};
use gan_playground::core::loss::Loss;
use gan_playground::core::nn::batch_norm::{BatchNorm, EPS, MOMENTUM};
use gan_playground::core::nn::mlp::{Activation, Mlp, MlpSpec};
use gan_playground::core::nn::net::Net;
use gan_playground::core::plane::presets::PAPER_PRESETS;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::rng::SeededRng;
use gan_playground::core::session::plane::read_plane_hash;
use std::cell::RefCell;
use std::rc::Rc;

use crate::support;
use support::{assert_weight_gradients_match, var_values};

fn rows(t: &Tensor) -> Vec<Vec<f32>> {
    t.to_vec2::<f32>().unwrap()
}

#[test]
fn packing_puts_m_consecutive_samples_side_by_side() {
    let x = Tensor::new(&[[1f32, 2.], [3., 4.], [5., 6.], [7., 8.]], &Device::Cpu).unwrap();
    assert_eq!(
        rows(&pack_samples(&x, 2).unwrap()),
        vec![vec![1., 2., 3., 4.], vec![5., 6., 7., 8.]]
    );
    assert_eq!(
        rows(&pack_samples(&x, 4).unwrap()),
        vec![vec![1., 2., 3., 4., 5., 6., 7., 8.]]
    );
    assert_eq!(rows(&pack_samples(&x, 1).unwrap()), rows(&x));
    let err = pack_samples(&x, 3).unwrap_err().to_string();
    assert!(err.contains("4 samples do not make packs of 3"), "{err}");
}

#[test]
fn the_minibatch_deviation_is_the_mean_over_features_of_each_features_deviation() {
    let data = [[0.0f64, 1.0], [2.0, 1.0], [4.0, 7.0]];
    let x = Tensor::new(&data.map(|r| r.map(|v| v as f32)), &Device::Cpu).unwrap();
    let by_hand: f64 = (0..2)
        .map(|j| {
            let mean = data.iter().map(|r| r[j]).sum::<f64>() / 3.0;
            let var = data.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / 3.0;
            (var + 1e-8).sqrt()
        })
        .sum::<f64>()
        / 2.0;
    let s = minibatch_stddev(&x).unwrap();
    assert_eq!(s.dims(), &[1, 1]);
    let s = s.flatten_all().unwrap().to_vec1::<f32>().unwrap()[0] as f64;
    assert!((s - by_hand).abs() < 1e-5, "{s} vs {by_hand}");
}

/// A source of numbered rows, recording how many samples each draw asked for.
struct Counting {
    asked: Rc<RefCell<Vec<usize>>>,
}

fn numbered(n: usize, offset: f32) -> Tensor {
    let v: Vec<f32> = (0..n * 2)
        .map(|i| (i as f32 * 0.37 + offset).sin())
        .collect();
    Tensor::from_vec(v, (n, 2), &Device::Cpu).unwrap()
}

impl Source for Counting {
    fn real(&self, _: &mut SeededRng, n: usize, _: &Device) -> Result<(Tensor, Option<Tensor>)> {
        self.asked.borrow_mut().push(n);
        Ok((numbered(n, 0.0), None))
    }
    fn noise(&self, _: &mut SeededRng, n: usize, _: &Device) -> Result<Tensor> {
        self.asked.borrow_mut().push(n);
        Ok(numbered(n, 1.0))
    }
    fn conditions(&self, _: &mut SeededRng, _: usize, _: &Device) -> Result<Option<Tensor>> {
        Ok(None)
    }
}

fn mlp(input: usize, output: usize, seed: u64) -> Mlp {
    let spec = MlpSpec {
        input,
        hidden: 8,
        layers: 2,
        output,
        activation: Activation::Tanh,
        output_tanh: false,
        batch_norm: false,
    };
    Mlp::new(
        spec,
        if output == 1 {
            "discriminator"
        } else {
            "generator"
        },
        &mut SeededRng::new(seed),
        &Device::Cpu,
    )
    .unwrap()
}

/// A game whose critic reads `pack` samples (and the deviation with `mbstd`), plus an
/// independent copy of its two networks to compute by hand with.
fn packed_game(
    pack: usize,
    mbstd: bool,
    cfg: TrainConfig,
) -> (Gan, Mlp, Mlp, Rc<RefCell<Vec<usize>>>) {
    let d_in = 2 * pack + mbstd as usize;
    let asked = Rc::new(RefCell::new(Vec::new()));
    let gan = Gan::new(
        Box::new(Counting {
            asked: asked.clone(),
        }),
        Net::Mlp(mlp(2, 2, 1)),
        Net::Mlp(mlp(d_in, 1, 2)),
        None,
        cfg,
        SeededRng::new(3),
        &Device::Cpu,
    )
    .unwrap()
    .with_critic_input(pack, mbstd)
    .unwrap();
    (gan, mlp(2, 2, 1), mlp(d_in, 1, 2), asked)
}

fn scalar(t: &Tensor) -> f64 {
    t.to_dtype(DType::F64).unwrap().to_scalar::<f64>().unwrap()
}

#[test]
fn a_packed_critic_reads_batch_packs_of_m_samples_and_its_loss_is_that_of_the_packs() {
    for (pack, mbstd) in [(2, false), (4, false), (1, true), (3, true)] {
        let cfg = TrainConfig {
            batch: 5,
            ..TrainConfig::default()
        };
        let (mut gan, g, d, asked) = packed_game(pack, mbstd, cfg);
        let input = |x: &Tensor| {
            let p = pack_samples(x, pack).unwrap();
            if mbstd {
                let s = minibatch_stddev(&p)
                    .unwrap()
                    .broadcast_as((p.dim(0).unwrap(), 1))
                    .unwrap();
                Tensor::cat(&[&p, &s], 1).unwrap()
            } else {
                p
            }
        };
        let real = numbered(5 * pack, 0.0);
        let fake = g.forward(&numbered(5 * pack, 1.0)).unwrap();
        let expected = scalar(
            &Loss::NonSaturating
                .d_loss(
                    &d.forward(&input(&real)).unwrap(),
                    &d.forward(&input(&fake)).unwrap(),
                )
                .unwrap(),
        );
        let stats = gan.step_player(Player::Critic).unwrap();
        assert_eq!(
            *asked.borrow(),
            vec![5 * pack, 5 * pack],
            "pack {pack}: samples drawn"
        );
        assert!(
            (stats.d_loss - expected).abs() < 1e-5,
            "pack {pack} mbstd {mbstd}: {} vs {expected}",
            stats.d_loss
        );
        // G's loss, before G moves, at the packs of its fakes.
        asked.borrow_mut().clear();
        let fake = g.forward(&numbered(5 * pack, 1.0)).unwrap();
        let stats = gan.step_player(Player::Generator).unwrap();
        let d_now = gan.critic_vars();
        let d_after: Vec<Tensor> = d_now.iter().map(|v| v.as_tensor().clone()).collect();
        for (v, t) in d.vars().iter().zip(&d_after) {
            v.set(t).unwrap();
        }
        let expected_g = scalar(
            &Loss::NonSaturating
                .g_loss(&d.forward(&input(&fake)).unwrap())
                .unwrap(),
        );
        assert_eq!(*asked.borrow(), vec![5 * pack], "pack {pack}: noise drawn");
        assert!(
            (stats.g_loss - expected_g).abs() < 1e-5,
            "pack {pack}: {} vs {expected_g}",
            stats.g_loss
        );
        assert_eq!(
            gan.path(),
            if pack == 1 && !mbstd {
                "fused"
            } else {
                "autograd"
            }
        );
    }
}

#[test]
fn the_page_sees_a_packed_critic_at_a_pack_of_copies_of_each_point() {
    // tanh, so that central differences do not straddle a ReLU's kink.
    let model = PlaneModel {
        pack: 3,
        activation: Activation::Tanh,
        ..PlaneModel::default()
    };
    let t = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    let pts = [[0.5f32, -0.25], [1.0, 2.0]];
    let Net::Mlp(d) = t.discriminator() else {
        panic!("an MLP critic")
    };
    assert_eq!(d.spec().input, 6);
    let copies = Tensor::new(
        &[
            [0.5f32, -0.25, 0.5, -0.25, 0.5, -0.25],
            [1.0, 2.0, 1.0, 2.0, 1.0, 2.0],
        ],
        &Device::Cpu,
    )
    .unwrap();
    let by_hand = d
        .forward(&copies)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    assert_eq!(t.discriminate(&pts).unwrap(), by_hand);
    // The arrows' gradient is the sum over the copies: central differences in the point.
    let g = t.critic_gradients(&pts).unwrap();
    let h = 1e-3f32;
    for (i, p) in pts.iter().enumerate() {
        for j in 0..2 {
            let (mut a, mut b) = (*p, *p);
            a[j] += h;
            b[j] -= h;
            let v = t.discriminate(&[a, b]).unwrap();
            let fd = (v[0] - v[1]) / (2.0 * h);
            assert!(
                (g[i][j] - fd).abs() < 2e-2 * fd.abs() + 2e-3,
                "point {i}, axis {j}: {} vs {fd}",
                g[i][j]
            );
        }
    }
}

#[test]
fn packing_and_the_deviation_refuse_what_they_cannot_do() {
    let model = PlaneModel {
        pack: 5,
        ..PlaneModel::default()
    };
    let err = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("pack"), "{err}");
    let (_, _, notes) = read_plane_hash(
        "pack=9&mbstd=1",
        (&PlaneModel::default(), &TrainConfig::default()),
    );
    assert!(notes.iter().any(|n| n.contains("pack")), "{notes:?}");
}

/// The largest singular value by a long host power iteration in f64.
fn top_singular_value(w: &[Vec<f32>]) -> f64 {
    let (rows, cols) = (w.len(), w[0].len());
    let mut v = vec![1.0f64; cols];
    let mut sigma = 0.0;
    for _ in 0..500 {
        let u: Vec<f64> = (0..rows)
            .map(|i| (0..cols).map(|j| w[i][j] as f64 * v[j]).sum())
            .collect();
        let nu = u.iter().map(|x| x * x).sum::<f64>().sqrt();
        let vn: Vec<f64> = (0..cols)
            .map(|j| (0..rows).map(|i| w[i][j] as f64 * u[i] / nu).sum())
            .collect();
        sigma = vn.iter().map(|x| x * x).sum::<f64>().sqrt();
        v = vn.iter().map(|x| x / sigma).collect();
    }
    sigma
}

#[test]
fn spectral_normalisation_divides_each_layer_by_its_largest_singular_value() {
    let d = mlp(2, 1, 7);
    let x = Tensor::new(&[[0.3f32, -1.2], [2.0, 0.5], [-0.7, 0.1]], &Device::Cpu).unwrap();
    let plain = d.forward(&x).unwrap();
    d.set_spectral_norm(true).unwrap();
    assert!(!d.is_plain());
    // By hand: every weight divided by its σ from an independent power iteration.
    let hand = mlp(2, 1, 7);
    for (w, _) in hand.layer_vars() {
        let sigma = top_singular_value(&rows(w.as_tensor()));
        w.set(&(w.as_tensor() / sigma).unwrap()).unwrap();
    }
    let (sn, by_hand) = (
        rows(&d.forward(&x).unwrap()),
        rows(&hand.forward(&x).unwrap()),
    );
    for (a, b) in sn.iter().flatten().zip(by_hand.iter().flatten()) {
        assert!((a - b).abs() < 1e-4 * b.abs().max(1.0), "{a} vs {b}");
    }
    assert_ne!(rows(&plain), sn, "normalisation changes the critic");
    // 1-Lipschitz layers and tanh: the critic's slope is at most 1 everywhere.
    let pts = numbered(200, 3.0);
    let g = d.value_and_input_gradient(&(pts * 5.0).unwrap()).unwrap().1;
    let most = g
        .sqr()
        .unwrap()
        .sum(1)
        .unwrap()
        .sqrt()
        .unwrap()
        .max(0)
        .unwrap()
        .to_scalar::<f32>()
        .unwrap();
    assert!(most <= 1.0 + 1e-3, "slope {most}");
    d.set_spectral_norm(false).unwrap();
    assert_eq!(
        rows(&d.forward(&x).unwrap()),
        rows(&plain),
        "off restores the plain critic"
    );
}

#[test]
fn spectral_normalisations_weight_gradient_flows_through_sigma() {
    let d = mlp(2, 1, 8);
    d.set_spectral_norm(true).unwrap();
    let x = Tensor::new(&[[0.3f32, -1.2], [2.0, 0.5]], &Device::Cpu).unwrap();
    let checked = assert_weight_gradients_match(
        &d.vars(),
        3,
        || d.forward(&x).unwrap().sum_all().unwrap(),
        "spectral norm",
    );
    assert!(checked > 20, "{checked}");
}

#[test]
fn spectral_normalisation_is_a_live_setting_that_trains() {
    let mut t =
        PlaneTrainer::new(PlaneModel::default(), TrainConfig::default(), &Device::Cpu).unwrap();
    let cfg = TrainConfig {
        spectral_norm: true,
        loss: Loss::Hinge,
        ..TrainConfig::default()
    };
    t.game_mut().set_config(cfg).unwrap();
    for _ in 0..200 {
        t.game_mut().step().unwrap();
    }
    assert_eq!(
        t.game().path(),
        "autograd",
        "the fused pass has no spectral norm"
    );
    let Net::Mlp(d) = t.discriminator() else {
        panic!()
    };
    for (w, _) in d.layer_vars() {
        let raw = top_singular_value(&rows(w.as_tensor()));
        assert!(raw > 0.0);
    }
    // The critic's slope at the data is bounded by 1 (ReLU layers, each normalised).
    let (real, fake) = t.eval_samples(300).unwrap();
    for p in t.critic_gradients(&[real, fake].concat()).unwrap() {
        assert!((p[0] * p[0] + p[1] * p[1]).sqrt() <= 1.0 + 1e-2, "{p:?}");
    }
}

#[test]
fn an_unrolled_generator_step_is_k_critic_steps_g_step_and_the_critic_put_back() {
    let unroll = 3;
    let build = |unroll| {
        let cfg = TrainConfig {
            unroll,
            batch: 16,
            ..TrainConfig::default()
        };
        let mut t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
        // The same (autograd) path for both games, so that their numbers can be equal.
        t.game_mut().set_fused(false);
        t
    };
    let snapshot = |ws: Vec<candle_core::Var>| var_values(&ws);
    let mut a = build(unroll);
    let mut b = build(0);
    // Warm both up identically (D steps are plain), so the optimisers hold moments.
    for _ in 0..5 {
        a.game_mut().step_player(Player::Critic).unwrap();
        b.game_mut().step_player(Player::Critic).unwrap();
    }
    let d_before = snapshot(a.game().critic_vars());
    let counters = a.game().counters();
    a.game_mut().step_player(Player::Generator).unwrap();
    // By hand on b: the K critic steps, then the generator step (the same draws in order).
    for _ in 0..unroll {
        b.game_mut().step_player(Player::Critic).unwrap();
    }
    b.game_mut().step_player(Player::Generator).unwrap();
    let g = |t: &PlaneTrainer| {
        let Net::Mlp(m) = t.generator() else { panic!() };
        snapshot(m.vars())
    };
    let (ga, gb) = (g(&a), g(&b));
    assert!(ga == gb, "G moved as against the critic K steps ahead");
    let mut plain = build(0);
    for _ in 0..5 {
        plain.game_mut().step_player(Player::Critic).unwrap();
    }
    plain.game_mut().step_player(Player::Generator).unwrap();
    assert!(g(&plain) != ga, "looking ahead changes G's step");
    assert!(
        snapshot(a.game().critic_vars()) == d_before,
        "the critic is put back"
    );
    assert!(snapshot(b.game().critic_vars()) != d_before);
    assert_eq!(
        a.game().counters().d_steps,
        counters.d_steps,
        "lookahead steps are not counted"
    );
    let err = TrainConfig {
        unroll: 2,
        update: gan_playground::core::game::UpdateMode::Simultaneous,
        ..TrainConfig::default()
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert!(err.contains("alternating"), "{err}");
}

#[test]
fn batch_norm_normalises_with_the_batch_and_evaluates_with_running_averages() {
    let bn = BatchNorm::new(2, &Device::Cpu).unwrap();
    let a1 = [[1.0f64, 10.0], [3.0, 10.0], [8.0, 13.0]];
    let a2 = [[0.0f64, 1.0], [2.0, 3.0], [4.0, 8.0]];
    let t = |a: &[[f64; 2]; 3]| Tensor::new(&a.map(|r| r.map(|v| v as f32)), &Device::Cpu).unwrap();
    let stats = |a: &[[f64; 2]; 3], j: usize| {
        let m = a.iter().map(|r| r[j]).sum::<f64>() / 3.0;
        let v = a.iter().map(|r| (r[j] - m).powi(2)).sum::<f64>() / 3.0;
        (m, v)
    };
    let y = rows(&bn.forward_train(&t(&a1)).unwrap());
    for j in 0..2 {
        let (m, v) = stats(&a1, j);
        for i in 0..3 {
            let want = (a1[i][j] - m) / (v + EPS).sqrt();
            assert!(
                (y[i][j] as f64 - want).abs() < 1e-4,
                "({i},{j}): {} vs {want}",
                y[i][j]
            );
        }
    }
    bn.forward_train(&t(&a2)).unwrap();
    // Running: the first batch's statistics, then one momentum step with the second's
    // (the variance unbiased, n/(n−1)).
    let x = [[5.0f32, 5.0]];
    let y = rows(
        &bn.forward_eval(&Tensor::new(&x, &Device::Cpu).unwrap())
            .unwrap(),
    );
    for (j, got) in y[0].iter().enumerate() {
        let ((m1, v1), (m2, v2)) = (stats(&a1, j), stats(&a2, j));
        let m = (1.0 - MOMENTUM) * m1 + MOMENTUM * m2;
        let v = (1.0 - MOMENTUM) * v1 * 1.5 + MOMENTUM * v2 * 1.5;
        let want = (5.0 - m) / (v + EPS).sqrt();
        assert!((*got as f64 - want).abs() < 1e-4, "{j}: {got} vs {want}");
    }
    assert!(
        bn.forward_train(&Tensor::new(&[[1.0f32, 2.0]], &Device::Cpu).unwrap())
            .is_err(),
        "a batch of one"
    );
}

#[test]
fn a_batch_normalised_generator_trains_and_its_weights_are_saved() {
    let model = PlaneModel {
        g_batch_norm: true,
        ..PlaneModel::default()
    };
    let mut t = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    for _ in 0..50 {
        t.game_mut().step().unwrap();
    }
    assert_eq!(t.game().path(), "autograd");
    let names: Vec<String> = t.tensors().into_iter().map(|(n, _)| n).collect();
    assert!(
        names.contains(&"generator.l0.bn.weight".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"generator.l1.bn.bias".to_string()),
        "{names:?}"
    );
    // γ and β are trained.
    let Net::Mlp(g) = t.generator() else { panic!() };
    let gamma = g
        .named_vars()
        .into_iter()
        .find(|(n, _)| n == "generator.l0.bn.weight")
        .unwrap()
        .1;
    let moved = gamma
        .as_tensor()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    assert!(moved.iter().any(|v| (v - 1.0).abs() > 1e-4), "{moved:?}");
    let (_, fake) = t.eval_samples(100).unwrap();
    assert!(fake.iter().flatten().all(|v| v.is_finite()));
}

#[test]
fn every_paper_preset_reads_cleanly_and_builds() {
    for p in PAPER_PRESETS {
        let (model, cfg, notes) =
            read_plane_hash(p.link, (&PlaneModel::default(), &TrainConfig::default()));
        assert!(notes.is_empty(), "{}: {notes:?}", p.name);
        let mut t = PlaneTrainer::new(model.clone(), cfg, &Device::Cpu).unwrap();
        t.game_mut().step().unwrap();
        assert!(!p.source.is_empty() && !p.note.is_empty());
        match p.name {
            "pacgan" | "pacgan2" | "pacgan4" => {
                assert_eq!(
                    (model.hidden, model.layers, model.d_hidden, model.d_layers),
                    (400, 4, 200, 3)
                );
                assert!(model.g_batch_norm);
                assert_eq!((cfg.batch, cfg.d_opt.lr, cfg.d_opt.beta1), (100, 1e-4, 0.8));
                assert_eq!(
                    model.pack,
                    p.name
                        .strip_prefix("pacgan")
                        .and_then(|m| m.parse().ok())
                        .unwrap_or(1)
                );
            }
            "unrolled" => assert_eq!((cfg.unroll, cfg.batch, model.d_layers), (5, 512, 1)),
            o => panic!("a preset without a check: {o}"),
        }
    }
}

#[test]
fn every_cure_trains_with_every_loss() {
    let cures: [(&str, PlaneModel, TrainConfig); 5] = [
        (
            "pack 2",
            PlaneModel {
                pack: 2,
                ..PlaneModel::default()
            },
            TrainConfig::default(),
        ),
        (
            "mbstd",
            PlaneModel {
                mbstd: true,
                ..PlaneModel::default()
            },
            TrainConfig::default(),
        ),
        (
            "sn",
            PlaneModel::default(),
            TrainConfig {
                spectral_norm: true,
                ..TrainConfig::default()
            },
        ),
        (
            "unroll 2",
            PlaneModel::default(),
            TrainConfig {
                unroll: 2,
                ..TrainConfig::default()
            },
        ),
        (
            "batch norm",
            PlaneModel {
                g_batch_norm: true,
                ..PlaneModel::default()
            },
            TrainConfig::default(),
        ),
    ];
    for (name, model, cfg) in cures {
        for loss in Loss::all() {
            let cfg = TrainConfig {
                loss,
                batch: 32,
                ..cfg
            };
            let mut t = PlaneTrainer::new(model.clone(), cfg, &Device::Cpu).unwrap();
            for _ in 0..3 {
                t.game_mut()
                    .step()
                    .unwrap_or_else(|e| panic!("{name}, {}: {e}", loss.name()));
            }
            let last = t.game().last();
            assert!(
                last.d_loss.is_finite() && last.g_loss.is_finite(),
                "{name}, {}",
                loss.name()
            );
        }
    }
}

#[test]
fn a_weights_file_says_the_cures_that_shape_the_networks() {
    let model = PlaneModel {
        hidden: 16,
        layers: 3,
        d_hidden: 8,
        d_layers: 2,
        pack: 3,
        mbstd: true,
        g_batch_norm: true,
        ..PlaneModel::default()
    };
    let t = PlaneTrainer::new(model.clone(), TrainConfig::default(), &Device::Cpu).unwrap();
    let tensors: std::collections::HashMap<String, Tensor> = t.tensors().into_iter().collect();
    assert_eq!(PlaneModel::default().from_tensors(&tensors).unwrap(), model);
    let plain: std::collections::HashMap<String, Tensor> =
        PlaneTrainer::new(PlaneModel::default(), TrainConfig::default(), &Device::Cpu)
            .unwrap()
            .tensors()
            .into_iter()
            .collect();
    assert_eq!(
        model.from_tensors(&plain).unwrap(),
        PlaneModel {
            seed: model.seed,
            ..PlaneModel::default()
        }
    );
}
