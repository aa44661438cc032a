//! Hostile learning rates and the numeric health of a step (issue: hostile inputs). A
//! run ends trained or diverged, within a bounded time, never with NaN taken for a
//! result; a divergence leaves the last healthy weights in place.

use candle_core::Device;
use gan_playground::core::digits::frechet::frechet_distance;
use gan_playground::core::error::GanError;
use gan_playground::core::game::{Game, TrainConfig, UpdateMode};
use gan_playground::core::loss::Loss;
use gan_playground::core::nn::optim::{OptimConfig, OptimizerKind};
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::plane::metrics::{min_cost_assignment, wasserstein1_exact};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on its own thread and fails the test if it takes longer than `limit`: the
/// findings were hangs, and a hanging test would stall the suite instead of failing.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what}: no answer within {limit:?} (a hang)"))
}

fn sgd(lr: f64) -> OptimConfig {
    OptimConfig::new(OptimizerKind::Sgd, lr)
}

/// Every weight of the game, flattened, in a fixed order.
use crate::support;

fn weights(t: &PlaneTrainer) -> Vec<Vec<f32>> {
    let vars: Vec<_> = t.game().named_vars().into_iter().map(|(_, v)| v).collect();
    support::var_values(&vars)
}

/// The first reproducer: `train --optimizer sgd --lr-d 10 --lr-g 10 --steps 6`
/// never returned (every fake NaN, both losses finite, then the exact W1 looping on the
/// NaN costs). Now it ends diverged, naming the generator's output, and the evaluation
/// answers.
#[test]
fn sgd_at_lr_10_ends_diverged_naming_the_generator_output() {
    let outcome = within(Duration::from_secs(60), "sgd at lr 10", || {
        let cfg = TrainConfig {
            d_opt: sgd(10.0),
            g_opt: sgd(10.0),
            ..TrainConfig::default()
        };
        let mut t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
        let stepped = (0..6).find_map(|_| t.game_mut().step().err());
        let evaluated = t.evaluate(1000).err();
        (stepped.or(evaluated), t.game().diverged().cloned())
    });
    let err = outcome
        .0
        .expect("a run whose fakes overflow must not end as trained");
    match &err {
        GanError::Diverged { what, .. } => assert!(
            what.contains("generator's output") || what.contains("update of"),
            "{err}"
        ),
        other => panic!("expected a divergence, got {other}"),
    }
}

/// The second reproducer (spiral, saturating reverse-KL f-GAN, SGD 0.1, 30
/// steps): it ends trained with finite metrics or diverged, and does not hang.
#[test]
fn spiral_reverse_kl_with_sgd_ends_trained_or_diverged() {
    let result = within(Duration::from_secs(60), "spiral f-reverse-kl-sat", || {
        let model = PlaneModel {
            dataset: Dataset::parse("spiral").unwrap(),
            ..PlaneModel::default()
        };
        let cfg = TrainConfig {
            loss: Loss::parse("f-reverse-kl-sat").unwrap(),
            d_opt: sgd(0.1),
            g_opt: sgd(0.1),
            ..TrainConfig::default()
        };
        let mut t = PlaneTrainer::new(model, cfg, &Device::Cpu).unwrap();
        for _ in 0..30 {
            t.game_mut().step()?;
        }
        t.evaluate(1000)
    });
    match result {
        Ok(m) => assert!(
            m.js.is_finite() && m.w1.is_finite() && m.kl.is_finite(),
            "{m:?}"
        ),
        Err(e) => assert!(matches!(e, GanError::Diverged { .. }), "{e}"),
    }
}

/// Every phase of a diverging run, fused and autograd, alternating and simultaneous:
/// the phase that diverges writes nothing, so the weights are those before it, all
/// finite.
#[test]
fn a_divergence_leaves_the_last_healthy_weights() {
    for (fused, update, lr) in [
        (true, UpdateMode::Alternating, 10.0),
        (false, UpdateMode::Alternating, 10.0),
        (true, UpdateMode::Simultaneous, 10.0),
        (false, UpdateMode::Simultaneous, 10.0),
    ] {
        let cfg = TrainConfig {
            d_opt: sgd(lr),
            g_opt: sgd(lr),
            update,
            batch: 64,
            ..TrainConfig::default()
        };
        let mut t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
        t.game_mut().set_fused(fused);
        let mut diverged = None;
        for _ in 0..400 {
            let before = weights(&t);
            if let Err(e) = t.game_mut().step_phase() {
                let after = weights(&t);
                assert!(after.iter().flatten().all(|v| v.is_finite()), "{e}");
                if update == UpdateMode::Alternating {
                    assert_eq!(before, after, "the diverging phase changed weights ({e})");
                }
                diverged = Some(e);
                break;
            }
        }
        let e = diverged.unwrap_or_else(|| panic!("no divergence at lr {lr} (fused {fused})"));
        assert!(matches!(e, GanError::Diverged { .. }), "{e}");
        // The game stays stopped, and says why.
        assert_eq!(t.game_mut().step().unwrap_err(), e);
    }
}

/// The exact W1's assignment solver looped forever on one infinite cost in 50; now
/// every metric refuses non-finite input with an error.
#[test]
fn metrics_refuse_non_finite_input_instead_of_looping_or_clamping() {
    for bad in [f64::INFINITY, f64::NAN] {
        let r = within(Duration::from_secs(10), "assignment", move || {
            let n = 50;
            let mut cost: Vec<f64> = (0..n * n).map(|i| (i % 7) as f64).collect();
            cost[17] = bad;
            min_cost_assignment(&cost, n)
        });
        assert!(r.is_err(), "cost {bad} accepted");
    }
    let a: Vec<[f32; 2]> = (0..50).map(|i| [i as f32, 0.0]).collect();
    let mut b = a.clone();
    b[3] = [f32::NAN, 0.0];
    let r = within(Duration::from_secs(10), "exact W1", move || {
        wasserstein1_exact(&a, &b)
    });
    assert!(r.is_err());
    // Far apart but finite: the f32 difference overflows, the f64 one does not.
    let far = wasserstein1_exact(&[[3e38, 0.0]], &[[-3e38, 0.0]]).unwrap();
    assert!((far - 6e38).abs() < 1e33, "{far}");

    // A classifier full of NaN gave `"frechet": 0.0`, a perfect score.
    let x: Vec<f32> = (0..40).map(|i| (i as f32 * 0.37).sin()).collect();
    let mut y = x.clone();
    y[5] = f32::NAN;
    assert!(frechet_distance(&x, &y, 4).is_err());
    assert!(frechet_distance(&[f32::NAN; 40], &[f32::NAN; 40], 4).is_err());
}

/// Every loss × optimizer × two data sets at learning rates 10, 3, 1, 0.3, 0.1: each run
/// of 30 iterations ends trained (finite metrics) or diverged (named), within a bounded
/// time; its JSON summary holds no NaN.
#[test]
fn hostile_learning_rate_sweep_ends_trained_or_diverged() {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        for loss in Loss::all() {
            for kind in [
                OptimizerKind::Sgd,
                OptimizerKind::Adam,
                OptimizerKind::RmsProp,
            ] {
                for data in ["ring8", "spiral"] {
                    for lr in [10.0, 3.0, 1.0, 0.3, 0.1] {
                        let case = format!("{} {} {data} lr {lr}", loss.name(), kind.name());
                        let outcome = sweep_case(loss, OptimConfig::new(kind, lr), data);
                        if tx.send((case, outcome)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
    let (mut trained, mut diverged) = (0, 0);
    loop {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok((_, Ok(true))) => trained += 1,
            Ok((_, Ok(false))) => diverged += 1,
            Ok((case, Err(msg))) => panic!("{case}: {msg}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "a case took over 30 s (a hang) after {} cases",
                trained + diverged
            ),
        }
    }
    worker.join().unwrap();
    let cases = Loss::all().len() * 3 * 2 * 5;
    assert_eq!(trained + diverged, cases);
    // Both outcomes occur: the sweep reaches rates that diverge and rates that train.
    assert!(
        trained > 0 && diverged > 0,
        "{trained} trained, {diverged} diverged"
    );
    println!("{cases} runs: {trained} trained, {diverged} diverged");
}

/// One run of the sweep: `Ok(true)` trained, `Ok(false)` diverged, `Err` what was wrong.
fn sweep_case(loss: Loss, opt: OptimConfig, data: &str) -> Result<bool, String> {
    let model = PlaneModel {
        dataset: Dataset::parse(data).map_err(|e| e.to_string())?,
        ..PlaneModel::default()
    };
    let cfg = TrainConfig {
        loss,
        d_opt: opt,
        g_opt: opt,
        batch: 64,
        ..TrainConfig::default()
    };
    let mut t = PlaneTrainer::new(model, cfg, &Device::Cpu).map_err(|e| e.to_string())?;
    let mut error = (0..30).find_map(|_| t.game_mut().step().err());
    let metrics = match error {
        Some(_) => None,
        None => match t.evaluate_with_w1(300, 100) {
            Ok(m) => Some(m),
            Err(e) => {
                error = Some(e);
                None
            }
        },
    };
    if let Some(e) = &error {
        if !matches!(e, GanError::Diverged { .. }) {
            return Err(format!("ended with {e}, not as trained or diverged"));
        }
    }
    let last = t.game().last();
    let summary = serde_json::json!({
        "diverged": error.is_some(),
        "error": error.as_ref().map(|e| e.to_string()),
        "d_loss": last.d_loss,
        "g_loss": last.g_loss,
        "metrics": metrics,
    });
    let text = summary.to_string();
    if text.contains("NaN") {
        return Err(format!("non-finite value in the summary: {text}"));
    }
    match metrics {
        Some(m) if ![m.js, m.kl, m.rkl, m.w1].iter().all(|v| v.is_finite()) => {
            Err(format!("trained but metrics not finite: {m:?}"))
        }
        Some(_) => Ok(true),
        None => Ok(false),
    }
}
