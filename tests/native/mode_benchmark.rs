//! The mode-collapse benchmark's protocol (`core::plane::mode_benchmark`) against
//! hand-built sample sets whose scores are counted here independently, and its runs.

use gan_playground::core::game::TrainConfig;
use gan_playground::core::plane::data::{grid_modes, ring_modes, Dataset};
use gan_playground::core::plane::mode_benchmark::{
    bench_run, mean_se, run_benchmark, score_samples, summarize, BenchRun, BENCH_SAMPLES,
};
use gan_playground::core::plane::PlaneModel;

/// `n` samples at `centre + offset·std` along x.
fn at(centre: [f32; 2], std: f32, offset: f32, n: usize) -> Vec<[f32; 2]> {
    vec![[centre[0] + offset * std, centre[1]]; n]
}

#[test]
fn one_high_quality_sample_covers_a_mode_for_the_papers_and_not_for_us() {
    let modes = ring_modes();
    let mut s = at(modes[0].centre, modes[0].std, 0.0, 1);
    for m in &modes[1..7] {
        s.extend(at(m.centre, m.std, 2.9, 350));
    }
    // Mode 7: just outside 3 std, so none of these is high quality.
    s.extend(at(modes[7].centre, modes[7].std, 3.1, 300));
    s.extend(vec![[5.0, 5.0]; BENCH_SAMPLES - s.len()]);
    assert_eq!(s.len(), BENCH_SAMPLES);
    let score = score_samples(&s, &modes);
    assert_eq!(score.modes_papers, 7, "mode 0 has one sample, mode 7 none");
    assert_eq!(score.modes_ours, 6, "1% of 2,500 is 25 samples");
    assert_eq!(score.modes_total, 8);
    assert_eq!(score.counts, vec![1, 350, 350, 350, 350, 350, 350, 0]);
    let hq = 1 + 6 * 350;
    assert!((score.high_quality - hq as f64 / 2500.0).abs() < 1e-12);
    // KL(h ‖ uniform over 8) by hand: h = (1, 350×6, 0)/2101.
    let h0 = 1.0 / 2101.0_f64;
    let h1 = 350.0 / 2101.0_f64;
    let kl = h0 * (8.0 * h0).ln() + 6.0 * h1 * (8.0 * h1).ln();
    assert!(
        (score.reverse_kl - kl).abs() < 1e-12,
        "{} vs {kl}",
        score.reverse_kl
    );
}

#[test]
fn a_perfect_grid_scores_every_mode_and_no_reverse_kl() {
    let modes = grid_modes();
    let s: Vec<[f32; 2]> = modes
        .iter()
        .flat_map(|m| at(m.centre, m.std, 1.0, 100))
        .collect();
    let score = score_samples(&s, &modes);
    assert_eq!((score.modes_papers, score.modes_ours), (25, 25));
    assert_eq!(score.high_quality, 1.0);
    assert!(score.reverse_kl.abs() < 1e-12);
    // All on one mode: collapsed, KL = log 25.
    let one = at(modes[12].centre, modes[12].std, 0.5, 2500);
    let c = score_samples(&one, &modes);
    assert_eq!((c.modes_papers, c.modes_ours), (1, 1));
    assert!((c.reverse_kl - 25f64.ln()).abs() < 1e-12);
}

#[test]
fn mean_and_standard_error() {
    let m = mean_se(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(m.mean, 2.5);
    // Sample variance 5/3; s.e. = sqrt(5/3 / 4).
    assert!((m.se - (5.0f64 / 12.0).sqrt()).abs() < 1e-12);
    assert_eq!(mean_se(&[7.0]).se, 0.0);
}

#[test]
fn a_diverged_run_counts_as_collapsed_not_left_out() {
    let modes = ring_modes();
    let perfect: Vec<[f32; 2]> = modes
        .iter()
        .flat_map(|m| at(m.centre, m.std, 0.0, 300))
        .collect();
    let good = BenchRun {
        seed: 1,
        iterations: 10,
        score: Some(score_samples(&perfect, &modes)),
        diverged: None,
    };
    let bad = BenchRun {
        seed: 2,
        iterations: 3,
        score: None,
        diverged: Some("diverged".into()),
    };
    let s = summarize(vec![good, bad], 8);
    assert_eq!(s.modes_papers.mean, 4.0);
    assert_eq!(s.high_quality.mean, 0.5);
    assert!((s.reverse_kl.mean - 8f64.ln() / 2.0).abs() < 1e-12);
}

#[test]
fn runs_are_seeded_and_data_without_modes_is_refused() {
    let model = PlaneModel::default();
    let cfg = TrainConfig::default();
    let a = bench_run(&model, &cfg, 200, 5).unwrap();
    let b = bench_run(&model, &cfg, 200, 5).unwrap();
    assert_eq!(a, b, "the same seed, the same run");
    assert_eq!(a.iterations, 200);
    let c = bench_run(&model, &cfg, 200, 6).unwrap();
    assert_ne!(a.score, c.score);
    let mut seen = Vec::new();
    let s = run_benchmark(&model, &cfg, 50, 3, 10, |r| seen.push(r.seed)).unwrap();
    assert_eq!(seen, vec![10, 11, 12]);
    assert_eq!(s.runs.len(), 3);
    let spiral = PlaneModel {
        dataset: Dataset::parse("spiral").unwrap(),
        ..PlaneModel::default()
    };
    let err = bench_run(&spiral, &cfg, 10, 1).unwrap_err().to_string();
    assert!(err.contains("no modes"), "{err}");
}
