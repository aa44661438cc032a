//! The step memory estimate ([`Game::step_bytes`]) against the peak the allocator sees:
//! it must bound one step's real allocations (else a batch that does not fit is let
//! through and aborts the page), and not by so much that it refuses what fits. The
//! counting allocator (installed in `main.rs`) sees the whole process, so the measurement
//! runs in a child process of the test binary that runs this one test alone.

use candle_core::Device;
use gan_playground::cli::alloc_count::{peak, reset_peak};
use gan_playground::core::digits::data::Digits;
use gan_playground::core::digits::{DigitArch, DigitModel, DigitTrainer};
use gan_playground::core::game::{check_step_memory, Game, MemoryLimit, TrainConfig, UpdateMode};
use gan_playground::core::loss::Loss;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use std::sync::Arc;

/// The most bytes one iteration held beyond what was live before it (buffers kept for
/// later steps included: the first iteration grows them).
fn measured(game: &mut dyn Game) -> u64 {
    let before = reset_peak();
    game.step().unwrap();
    peak() - before
}

fn digits() -> Arc<Digits> {
    let n = 200;
    let labels = (0..n).map(|i| (i % 10) as u8).collect();
    let pixels = (0..n * 784).map(|i| (i * 37 % 256) as u8).collect();
    Arc::new(Digits::new(28, 28, labels, pixels).unwrap())
}

/// Set in the child process that measures.
const CHILD: &str = "GAN_MEMORY_TEST_CHILD";

#[test]
fn the_step_estimate_bounds_the_peak_and_refuses_what_does_not_fit() {
    if std::env::var_os(CHILD).is_none() {
        let name = "memory::the_step_estimate_bounds_the_peak_and_refuses_what_does_not_fit";
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([name, "--exact", "--nocapture", "--test-threads", "1"])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        println!("{text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "the measuring child process failed");
        // The filter matched this test: a child that ran nothing would also succeed.
        assert!(text.contains("1 passed"), "the child ran no test");
        return;
    }
    // The process's Candle thread pool is created by the first step: take it out of
    // the measurements.
    let mut warm =
        PlaneTrainer::new(PlaneModel::default(), TrainConfig::default(), &Device::Cpu).unwrap();
    warm.game_mut().step().unwrap();

    let mut cases: Vec<(String, Box<dyn Game>)> = Vec::new();
    for (batch, update, loss) in [
        (256, UpdateMode::Alternating, Loss::NonSaturating),
        (2048, UpdateMode::Alternating, Loss::NonSaturating),
        (1024, UpdateMode::Simultaneous, Loss::NonSaturating),
        (
            1024,
            UpdateMode::Alternating,
            Loss::parse("wgan-gp").unwrap(),
        ),
    ] {
        cases.push((
            format!("2d batch {batch} {} {}", update.name(), loss.name()),
            {
                let cfg = TrainConfig {
                    batch,
                    update,
                    loss,
                    ..TrainConfig::default()
                };
                let t = PlaneTrainer::new(PlaneModel::default(), cfg, &Device::Cpu).unwrap();
                Box::new(t.into_game())
            },
        ));
    }
    for (arch, batch, conditional) in [
        (DigitArch::MlpSmall, 256, false),
        (DigitArch::Mlp, 128, true),
        (DigitArch::Dcgan, 32, false),
        (DigitArch::Dcgan, 128, true),
    ] {
        cases.push((
            format!(
                "mnist {} batch {batch} conditional {conditional}",
                arch.name()
            ),
            {
                let model = DigitModel {
                    arch,
                    conditional,
                    ..DigitModel::default()
                };
                let cfg = TrainConfig {
                    batch,
                    ..gan_playground::core::digits::trainer::digit_train_config()
                };
                let t = DigitTrainer::new(model, cfg, digits(), &Device::Cpu).unwrap();
                Box::new(t.into_game())
            },
        ));
    }
    for (name, mut game) in cases {
        let estimate = game.step_bytes(game.config());
        let used = measured(game.as_mut());
        println!(
            "{name}: measured {:.1} MiB, estimated {:.1} MiB ({:.2}×)",
            used as f64 / 1048576.0,
            estimate as f64 / 1048576.0,
            estimate as f64 / used as f64
        );
        assert!(
            used <= estimate,
            "{name}: a step used {used} B, estimated {estimate} B"
        );
        assert!(
            estimate <= 8 * used,
            "{name}: estimate {estimate} B for {used} B used"
        );
    }

    // The refusal: the reported `#mode=mnist&model=dcgan&batch=8192` against the page's
    // 4 GiB, and the largest batch it names does fit.
    let game = {
        let model = DigitModel {
            arch: DigitArch::Dcgan,
            ..DigitModel::default()
        };
        let t = DigitTrainer::new(model, TrainConfig::default(), digits(), &Device::Cpu).unwrap();
        t.into_game()
    };
    let limit = MemoryLimit {
        bytes: 4 << 30,
        what: "the test's 4 GiB".into(),
    };
    let err = check_step_memory(&game, 8192, &limit)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("batch 8192") && err.contains("the test's 4 GiB"),
        "{err}"
    );
    let fits: usize = err
        .rsplit("at most batch ")
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(fits > 0 && fits < 8192, "{err}");
    assert!(check_step_memory(&game, fits, &limit).is_ok());
    assert!(check_step_memory(&game, fits + 1, &limit).is_err());
}
