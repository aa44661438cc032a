//! The page's mode-collapse benchmark, natively: its inputs (runs, iterations), the
//! configuration read from the page's link, the table's labels, and the best preset as
//! the settings it changes. The runs themselves are `tests/mode_benchmark.rs`'s.

use gan_playground::core::game::TrainConfig;
use gan_playground::core::loss::Loss;
use gan_playground::core::nn::mlp::Activation;
use gan_playground::core::nn::optim::OptimizerKind;
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::plane::mode_benchmark::{
    check_model, config_label, run_benchmark, BenchPlan, BENCH_SETTINGS, FIRST_SEED,
    MAX_ITERATIONS, MAX_RUNS, MIN_ITERATIONS, MODE_CURE_PRESET,
};
use gan_playground::core::plane::PlaneModel;
use gan_playground::core::session::plane::{
    benchmark_config, plane_hash, preset_changes, read_plane_hash,
};
use gan_playground::core::settings::describe;

fn err<T: std::fmt::Debug>(r: gan_playground::core::error::Result<T>) -> String {
    r.expect_err("should be refused").to_string()
}

#[test]
fn the_inputs_are_read_strictly_with_the_settings_messages() {
    assert_eq!(
        BenchPlan::parse("4", "5000").unwrap(),
        BenchPlan {
            runs: 4,
            iterations: 5000
        }
    );
    assert_eq!(
        BenchPlan::default(),
        BenchPlan {
            runs: 4,
            iterations: 5000
        }
    );
    assert_eq!(
        BenchPlan::parse(" 2 ", "200").unwrap(),
        BenchPlan {
            runs: 2,
            iterations: 200
        }
    );
    assert_eq!(
        err(BenchPlan::parse("0", "5000")),
        "invalid setting: runs: 0 is outside 1..=100"
    );
    assert!(err(BenchPlan::parse("101", "5000")).contains("runs: 101 is outside 1..=100"));
    assert!(err(BenchPlan::parse("2.5", "5000")).contains("runs: '2.5' is not a whole number"));
    assert!(err(BenchPlan::parse("", "5000")).contains("runs: '' is not a whole number"));
    assert!(err(BenchPlan::parse("4", "99")).contains("iterations: 99 is outside 100..=100000"));
    assert!(err(BenchPlan::parse("4", "1e9")).contains("not a whole number"));
    // The page's inputs take their limits from the same table.
    let d = describe(BENCH_SETTINGS);
    assert_eq!(
        (d[0].key, d[0].min, d[0].max),
        ("runs", Some(1.0), Some(MAX_RUNS as f64))
    );
    assert_eq!(
        (d[1].key, d[1].min, d[1].max),
        (
            "iterations",
            Some(MIN_ITERATIONS as f64),
            Some(MAX_ITERATIONS as f64)
        )
    );
}

#[test]
fn the_configuration_comes_from_the_pages_link() {
    let (model, cfg) = benchmark_config("").unwrap();
    assert_eq!(
        (model, cfg),
        (PlaneModel::default(), TrainConfig::default())
    );
    let mut m = PlaneModel {
        dataset: Dataset::Grid25,
        hidden: 48,
        ..Default::default()
    };
    m.seed = 9;
    let c = TrainConfig {
        loss: Loss::Minimax,
        k: 5,
        r1_gamma: 1.0,
        ..Default::default()
    };
    // The page's own link: the view and compare keys are known, and ignored here.
    let link = format!(
        "#{}&show=real.fake&speed=full&slowmo=0&cmp=1&b.loss=hinge",
        plane_hash(&m, &c)
    );
    assert_eq!(benchmark_config(&link).unwrap(), (m, c));
    // Points of the user's own are modes up to 32 of them.
    assert!(benchmark_config("points=0,0,1,1&dataset=custom").is_ok());
    let many: Vec<String> = (0..33).map(|i| format!("{i},0")).collect();
    assert!(err(benchmark_config(&format!(
        "points={}&dataset=custom",
        many.join(",")
    )))
    .contains("has no modes"));
}

#[test]
fn a_link_without_modes_or_that_would_be_clamped_is_refused_in_one_line() {
    for (link, says) in [
        (
            "dataset=spiral",
            "the data set spiral has no modes to count (use ring8 or grid25)",
        ),
        ("dataset=moons", "the data set moons has no modes"),
        (
            "k=0",
            "the link does not read cleanly: k: 0 is outside 1..=100",
        ),
        ("lrd=NaN", "lrd: 'NaN' is not a finite number"),
        (
            "bogus=1",
            "the link does not read cleanly: unknown setting 'bogus'",
        ),
        ("mode=mnist", "unknown setting 'mode'"),
    ] {
        let e = err(benchmark_config(link));
        assert!(e.contains(says), "{link}: {e}");
        assert!(!e.contains('\n'), "{link}: one line: {e}");
    }
    assert_eq!(check_model(&PlaneModel::default()).unwrap(), 8);
    let grid = PlaneModel {
        dataset: Dataset::Grid25,
        ..Default::default()
    };
    assert_eq!(check_model(&grid).unwrap(), 25);
}

#[test]
fn a_label_says_the_loss_and_only_what_differs_from_the_defaults() {
    let label = |link: &str| {
        let (m, c, notes) = read_plane_hash(link, (&Default::default(), &Default::default()));
        assert!(notes.is_empty(), "{notes:?}");
        config_label(&m, &c)
    };
    assert_eq!(label(""), "non-saturating");
    // Data set, seed and points are not the configuration's: the table is per data set.
    assert_eq!(label("dataset=grid25&seed=9"), "non-saturating");
    assert_eq!(label("points=0,0&dataset=custom"), "non-saturating");
    // In the table's order, with its short names.
    assert_eq!(
        label("r1=1&lrd=0.0004&lrg=0.0001&k=5&loss=minimax"),
        "minimax, k 5, lr D 0.0004, lr G 0.0001, R1 γ 1"
    );
    assert_eq!(
        label("update=simultaneous&gp=1&loss=wgan-gp"),
        "wgan-gp, simultaneous, GP λ 1"
    );
    // One optimizer for both reads as one word; two say which is which.
    assert_eq!(label("optd=sgd&optg=sgd"), "non-saturating, sgd");
    assert_eq!(label("optd=sgd"), "non-saturating, D sgd");
    assert_eq!(
        label("optd=sgd&optg=rmsprop"),
        "non-saturating, D sgd, G rmsprop"
    );
    assert_eq!(
        label("hidden=64&layers=3&act=tanh&noisedim=4&batch=64&kg=2"),
        "non-saturating, k_G 2, batch 64, width 64, layers 3, tanh, noise dim 4"
    );
    // The cures: a flag by its name, D's and G's β₁ once when equal.
    assert_eq!(
        label("sn=1&unroll=5&b1d=0.8&b1g=0.8&pack=2&mbstd=1&gbn=1&dhidden=200&dlayers=3"),
        "non-saturating, spectral norm, unrolled 5, β₁ 0.8, batch norm in G, D width 200, D layers 3, pack 2, minibatch std"
    );
    assert_eq!(label("b1d=0.8"), "non-saturating, β₁ D 0.8");
    let m = PlaneModel {
        activation: Activation::LeakyRelu,
        ..Default::default()
    };
    let mut c = TrainConfig::default();
    c.d_opt.kind = OptimizerKind::RmsProp;
    c.g_opt.kind = OptimizerKind::RmsProp;
    assert_eq!(config_label(&m, &c), "non-saturating, rmsprop, leaky-relu");
}

#[test]
fn the_best_preset_is_a_readable_preset_and_sets_only_what_changes() {
    // Whatever its final value, the preset reads whole (no note, no unknown key).
    let changes = preset_changes("", MODE_CURE_PRESET).unwrap();
    let (preset_model, preset_cfg, notes) =
        read_plane_hash(MODE_CURE_PRESET, (&Default::default(), &Default::default()));
    assert!(notes.is_empty(), "{notes:?}");
    // Applied to a changed session, it puts every live setting it does not name back to
    // its default, and leaves the data and the seed alone.
    let link = "dataset=grid25&seed=5&loss=hinge&k=5&lrd=0.01&r1=3&hidden=48";
    let changes_there = preset_changes(link, MODE_CURE_PRESET).unwrap();
    let applied: Vec<String> = changes_there
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let (m, c, notes) = read_plane_hash(
        &format!("{link}&{}", applied.join("&")),
        (&Default::default(), &Default::default()),
    );
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(
        c, preset_cfg,
        "the live settings are the preset's: {applied:?}"
    );
    assert_eq!(
        m,
        PlaneModel {
            dataset: Dataset::Grid25,
            seed: 5,
            ..preset_model.clone()
        },
        "the networks too: the preset's, or the defaults"
    );
    assert!(changes_there
        .iter()
        .all(|(k, _)| *k != "dataset" && *k != "seed"));
    // Nothing to change when the session already runs it.
    let (_, c0, _) = read_plane_hash("", (&Default::default(), &Default::default()));
    let already = format!(
        "#{}",
        plane_hash(&preset_model, &preset_cfg).replace("dataset=ring8&", "")
    );
    assert!(preset_changes(&already, MODE_CURE_PRESET)
        .unwrap()
        .is_empty());
    assert_eq!(changes.is_empty(), preset_cfg == c0);
}

#[test]
fn a_preset_changes_live_settings_first_and_refuses_what_it_cannot_read() {
    let changes = preset_changes("k=3&layers=3", "loss=minimax&r1=1&hidden=64").unwrap();
    assert_eq!(
        changes,
        vec![
            ("loss", "minimax".to_string()),
            ("k", "1".to_string()),
            ("r1", "1".to_string()),
            ("hidden", "64".to_string()),
            ("layers", "2".to_string()),
        ]
    );
    for (preset, says) in [
        ("k=0", "preset: k: 0 is outside 1..=100"),
        ("loss=nonsense", "preset: "),
        (
            "dataset=grid25",
            "preset: unknown setting 'dataset' ignored",
        ),
        ("seed=3", "preset: unknown setting 'seed' ignored"),
        ("cmp=1", "preset: unknown setting 'cmp' ignored"),
    ] {
        let e = err(preset_changes("", preset));
        assert!(e.contains(says), "{preset}: {e}");
    }
}

#[test]
fn the_pages_configuration_runs_through_the_clis_protocol() {
    let (model, cfg) = benchmark_config("#dataset=ring8&batch=64&seed=77").unwrap();
    let plan = BenchPlan::parse("2", "100").unwrap();
    let mut seen = Vec::new();
    let s = run_benchmark(&model, &cfg, plan.iterations, plan.runs, FIRST_SEED, |r| {
        seen.push(r.seed)
    })
    .unwrap();
    assert_eq!(seen, vec![1, 2], "seeds 1..=N, not the link's");
    assert_eq!(s.runs.len(), 2);
    assert!(s.runs.iter().all(|r| r.iterations == 100));
    assert_eq!(s.modes_total, 8);
}

#[test]
fn a_summary_reads_as_the_tables_cells() {
    use gan_playground::core::plane::mode_benchmark::{summarize, BenchRun, ModeScore};
    let run = |seed, modes, hq| BenchRun {
        seed,
        iterations: 100,
        score: Some(ModeScore {
            modes_papers: modes,
            modes_ours: modes - 1,
            modes_total: 8,
            high_quality: hq,
            reverse_kl: 0.5,
            counts: vec![1; 8],
        }),
        diverged: None,
    };
    let diverged = BenchRun {
        seed: 3,
        iterations: 40,
        score: None,
        diverged: Some("the generator's output".into()),
    };
    assert_eq!(run(1, 8, 0.934).cell(), "8/93");
    assert_eq!(diverged.cell(), "div.");
    let s = summarize(vec![run(1, 8, 0.9), run(2, 6, 0.8), diverged], 8);
    // Modes (papers) 8, 6, 0: mean 4.667, sd 4.163, se 2.404; modes (1%) 7, 5, 0: 4.0,
    // se 2.08; a diverged run scores 0 and the reverse KL of a collapse, ln 8.
    assert_eq!(
        s.cells(),
        [
            "4.7 ± 2.4".to_string(),
            "4.0 ± 2.1".to_string(),
            "56.7 ± 28.5".to_string(),
            "1.026 ± 0.526".to_string(),
            "8/90, 6/80, div.".to_string(),
        ]
    );
}
