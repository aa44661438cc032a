//! The same core on CUDA: each model's first steps give the CPU's numbers, the paths that
//! need CPU storage step aside, weights travel both ways, and the CLI trains every model
//! with `--device cuda`. Built only with `--features cuda`; where no GPU can be opened
//! each test prints `SKIPPED (no CUDA device: …)` and checks only what needs none.
//!
//! Tolerances. The CPU side runs Candle's autograd (the fused path off), so both sides
//! compute the same formulas and differ only in float rounding (cuBLAS sums in another
//! order; TF32 products are off, Candle's default, and set so here). After each iteration the
//! losses agree to 1e-3 relative. Weights: Adam divides each gradient by its own running
//! scale, so a rounding difference in a gradient near zero can become a whole step of
//! size `lr` in the first iterations; so at most 0.1% of the weights may differ by more
//! than 1e-4, and none by more than `2 · lr · iterations` (the most two Adam paths can
//! part in that many steps).
#![cfg(all(feature = "cuda", not(target_arch = "wasm32")))]

use candle_core::{Device, Tensor, Var};
use gan_playground::core::digits::data::Digits;
use gan_playground::core::digits::trainer::{digit_train_config, grid_digest};
use gan_playground::core::digits::{DigitArch, DigitModel, DigitTrainer};
use gan_playground::core::game::{Game, Gan, TrainConfig};
use gan_playground::core::health::all_finite;
use gan_playground::core::loss::Loss;
use gan_playground::core::nn::optim::{OptimConfig, Optimizer, OptimizerKind, Update};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::tensor::HostRead;
use gan_playground::core::weights::{from_safetensors, to_safetensors};
use std::process::Command;
use std::sync::Arc;

/// The GPU, or `None` after a visible line saying why this test checks less.
fn gpu(test: &str) -> Option<Device> {
    match Device::new_cuda(0) {
        Ok(d) => {
            // cuBLAS may use TF32 for f32 products unless told not to.
            candle_core::cuda::set_gemm_reduced_precision_f32(false);
            Some(d)
        }
        Err(e) => {
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("");
            eprintln!("SKIPPED (no CUDA device: {first}): {test}");
            None
        }
    }
}

fn page_digits() -> Arc<Digits> {
    let bytes = std::fs::read(".cache/digits/page.digits").expect("run scripts/setup.sh");
    Arc::new(Digits::from_bytes(&bytes).unwrap())
}

fn values(game: &Gan) -> Vec<(String, Vec<f32>)> {
    game.named_vars()
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                v.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            )
        })
        .collect()
}

/// Steps the CPU game (autograd) and the CUDA game side by side; see the module's
/// tolerances.
fn same_numbers(name: &str, cpu: &mut Gan, cuda: &mut Gan, iterations: usize) {
    cpu.set_fused(false);
    assert_eq!(
        cuda.path(),
        "autograd",
        "{name}: the fused path must step aside on CUDA"
    );
    let lr = cpu.config().d_opt.lr.max(cpu.config().g_opt.lr) as f32;
    let bound = 2.0 * lr * iterations as f32;
    for i in 1..=iterations {
        let (a, b) = (cpu.step().unwrap(), cuda.step().unwrap());
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-3 * x.abs().max(1.0);
        assert!(
            close(a.d_loss, b.d_loss) && close(a.g_loss, b.g_loss) && close(a.penalty, b.penalty),
            "{name}, iteration {i}: cpu {a:?}, cuda {b:?}"
        );
        let (mut total, mut off, mut worst) = (0usize, 0usize, 0f32);
        for ((n, x), (_, y)) in values(cpu).iter().zip(values(cuda)) {
            for (p, q) in x.iter().zip(&y) {
                let d = (p - q).abs();
                total += 1;
                off += (d > 1e-4) as usize;
                worst = worst.max(d);
                assert!(
                    d <= bound,
                    "{name}, iteration {i}: {n} differs by {d} > {bound}"
                );
            }
        }
        assert!(
            off * 1000 <= total,
            "{name}, iteration {i}: {off} of {total} weights differ by more than 1e-4"
        );
        eprintln!("{name}, iteration {i}: losses {a:?} / {b:?}; {off} of {total} weights off by > 1e-4, worst {worst:.2e}");
    }
}

fn plane_pair(name: &str, cfg: TrainConfig, iterations: usize) {
    let Some(dev) = gpu(name) else { return };
    let model = PlaneModel::default();
    let mut cpu = PlaneTrainer::new(model.clone(), cfg, &Device::Cpu).unwrap();
    let mut cuda = PlaneTrainer::new(model, cfg, &dev).unwrap();
    same_numbers(name, cpu.game_mut(), cuda.game_mut(), iterations);
}

fn digit_pair(name: &str, model: DigitModel, iterations: usize) {
    let Some(dev) = gpu(name) else { return };
    let (cfg, digits) = (digit_train_config(), page_digits());
    let mut cpu = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).unwrap();
    let mut cuda = DigitTrainer::new(model, cfg, digits, &dev).unwrap();
    same_numbers(name, cpu.game_mut(), cuda.game_mut(), iterations);
}

#[test]
fn the_2d_mlp_on_cuda_gives_the_cpu_numbers() {
    plane_pair("2D MLP (non-saturating, Adam)", TrainConfig::default(), 10);
}

#[test]
fn wgan_gp_on_cuda_gives_the_cpu_numbers() {
    let cfg = TrainConfig {
        loss: Loss::parse("wgan-gp").unwrap(),
        k: 5,
        ..TrainConfig::default()
    };
    plane_pair("2D WGAN-GP (λ 0.1, k 5)", cfg, 6);
}

#[test]
fn the_mnist_mlp_on_cuda_gives_the_cpu_numbers() {
    let model = DigitModel {
        arch: DigitArch::Mlp,
        ..DigitModel::default()
    };
    digit_pair("MNIST MLP 2×256", model, 5);
}

#[test]
fn the_projection_critic_on_cuda_gives_the_cpu_numbers() {
    let model = DigitModel {
        arch: DigitArch::MlpSmall,
        conditional: true,
        ..DigitModel::default()
    };
    digit_pair("conditional MNIST MLP, projection critic", model, 5);
}

#[test]
fn the_dcgan_on_cuda_gives_the_cpu_numbers() {
    let model = DigitModel {
        arch: DigitArch::Dcgan,
        ..DigitModel::default()
    };
    digit_pair("DCGAN", model, 4);
}

/// The three places that read CPU storage directly: the fused step (steps aside: tested
/// in every pair above), the in-place optimiser (tensor moments instead, transactional
/// there too) and the host reads of the fused pass and the health check.
#[test]
fn cpu_storage_paths_step_aside_on_cuda() {
    let Some(dev) = gpu("cpu_storage_paths_step_aside_on_cuda") else {
        return;
    };
    let t = Tensor::new(&[1f32, 2.0, 3.0], &dev).unwrap();
    let read = HostRead::new(&t).unwrap();
    let err = read.slice().unwrap_err().to_string();
    assert!(err.contains("on the CPU"), "{err}");
    assert!(all_finite(&t).unwrap());
    let bad = Tensor::new(&[1f32, f32::NAN, 3.0], &dev).unwrap();
    assert!(!all_finite(&bad).unwrap());

    let w = Var::from_tensor(&Tensor::new(&[0.5f32, -0.5], &dev).unwrap()).unwrap();
    let mut opt = Optimizer::new(vec![w.clone()]);
    assert!(
        !opt.host_moments(),
        "CUDA weights keep their moments on the GPU"
    );
    let cfg = OptimConfig::new(OptimizerKind::Adam, 0.1);
    let grads = (w.as_tensor() * 2.0)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();
    assert_eq!(opt.step(&grads, &cfg).unwrap(), Update::Applied);
    let moved = w.as_tensor().to_vec1::<f32>().unwrap();
    assert!(
        (moved[0] - 0.4).abs() < 1e-5 && (moved[1] + 0.6).abs() < 1e-5,
        "{moved:?}"
    );
    // A non-finite update is refused and writes nothing.
    let nan = (w.as_tensor() * f64::NAN)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();
    assert_eq!(opt.step(&nan, &cfg).unwrap(), Update::Refused(0));
    assert_eq!(w.as_tensor().to_vec1::<f32>().unwrap(), moved);
}

/// A model trained on CUDA saves weights that load on the CPU (the page's side) and draw
/// the same grid; and a file read straight onto the GPU loads there.
#[test]
fn cuda_weights_load_on_the_cpu_and_back() {
    let Some(dev) = gpu("cuda_weights_load_on_the_cpu_and_back") else {
        return;
    };
    for arch in [DigitArch::MlpSmall, DigitArch::Dcgan] {
        let model = DigitModel {
            arch,
            ..DigitModel::default()
        };
        let (cfg, digits) = (digit_train_config(), page_digits());
        let mut cuda = DigitTrainer::new(model, cfg, digits.clone(), &dev).unwrap();
        for _ in 0..5 {
            cuda.game_mut().step().unwrap();
        }
        let bytes = to_safetensors(cuda.tensors()).unwrap();
        let mut cpu = DigitTrainer::new(model, cfg, digits.clone(), &Device::Cpu).unwrap();
        cpu.load(&from_safetensors(&bytes, &Device::Cpu).unwrap())
            .unwrap();
        let (a, b) = (cuda.grid(1, 1).unwrap(), cpu.grid(1, 1).unwrap());
        let worst = a
            .iter()
            .zip(&b)
            .map(|(p, q)| (p - q).abs())
            .fold(0f32, f32::max);
        assert!(worst <= 1e-4, "{arch:?}: the grids differ by {worst}");
        let (da, db) = (grid_digest(&a, 784), grid_digest(&b, 784));
        assert!(
            da.iter().zip(&db).all(|(p, q)| (p - q).abs() <= 1e-5),
            "{da:?} {db:?}"
        );
        let mut back = DigitTrainer::new(model, cfg, digits, &dev).unwrap();
        back.load(&from_safetensors(&bytes, &dev).unwrap()).unwrap();
        assert_eq!(back.grid(1, 1).unwrap(), a, "{arch:?}: reloaded on CUDA");
    }
}

/// The CLI built with this test; `GAN_PLAYGROUND_BIN` names it where the two travelled
/// to another machine (`scripts/gpu-run.sh`).
fn cli(args: &[&str]) -> std::process::Output {
    let bin = std::env::var("GAN_PLAYGROUND_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_gan-playground").to_string());
    Command::new(bin).args(args).output().unwrap()
}

/// `--device cuda` trains every model and says where it trained; with no GPU it is one
/// line and exit 2, before any data is read.
#[test]
fn the_cli_trains_every_model_on_cuda() {
    if gpu("the_cli_trains_every_model_on_cuda").is_none() {
        let out = cli(&["train", "--device", "cuda", "--steps", "1"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains("no usable CUDA device"), "{err}");
        return;
    }
    let runs: &[&[&str]] = &[
        &[],
        &["--loss", "wgan-gp", "--k", "5"],
        &["--loss", "f-reverse-kl"],
        &["--dataset", "mnist", "--model", "mlp-small"],
        &["--dataset", "mnist", "--model", "mlp"],
        &["--dataset", "mnist", "--model", "mlp-large"],
        &["--dataset", "mnist", "--model", "dcgan"],
        &["--dataset", "mnist", "--model", "mlp", "--conditional"],
    ];
    for extra in runs {
        let mut args = vec!["train", "--device", "cuda", "--steps", "40", "--json"];
        args.extend_from_slice(extra);
        let out = cli(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{extra:?}: {err}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        assert_eq!(json["device"], "cuda", "{extra:?}");
        assert_eq!(json["diverged"], false, "{extra:?}");
        assert_eq!(json["step"], 40, "{extra:?}");
        eprintln!(
            "--device cuda {extra:?}: {:.0} it/s",
            json["steps_per_s"].as_f64().unwrap()
        );
    }
}
