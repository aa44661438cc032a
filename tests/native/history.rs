//! The chart history stays bounded and spans the whole run.

use gan_playground::core::history::{History, HistoryPoint};

#[test]
fn history_keeps_the_whole_run_within_capacity() {
    let mut h = History::new(100);
    for step in 0..10_000 {
        h.push(HistoryPoint {
            step,
            ..Default::default()
        });
        assert!(h.points().len() <= 100);
    }
    let pts = h.points();
    assert_eq!(pts[0].step, 0, "the start of the run is kept");
    assert!(
        pts.last().unwrap().step > 9_800,
        "the recent end is kept: {}",
        pts.last().unwrap().step
    );
    assert!(
        pts.len() > 50,
        "at least half the capacity is used: {}",
        pts.len()
    );
    // Uniform spacing.
    let gaps: Vec<usize> = pts.windows(2).map(|w| w[1].step - w[0].step).collect();
    assert!(gaps.iter().all(|&g| g == gaps[0]), "{gaps:?}");
}

#[test]
fn short_runs_keep_every_point() {
    let mut h = History::new(100);
    for step in 0..50 {
        h.push(HistoryPoint {
            step,
            ..Default::default()
        });
    }
    assert_eq!(h.points().len(), 50);
}

/// The page's numbers: short plain notation, powers of ten for the huge and the tiny
/// (the loss of a run about to diverge, 6.646e+26, was shown raw), a dash for none.
#[test]
fn numbers_are_formatted_for_people() {
    use gan_playground::core::format::human_number as h;
    let cases: &[(f64, usize, &str)] = &[
        (std::f64::consts::LN_2, 3, "0.693"),
        (12.5321, 4, "12.53"),
        (1.0, 3, "1.00"),
        (0.0, 3, "0"),
        (99_999.0, 3, "99999"),
        (123_456.0, 3, "1.2×10⁵"),
        (6.646e26, 3, "6.6×10²⁶"),
        (-0.00042, 3, "-4.2×10⁻⁴"),
        (9.96e5, 3, "1.0×10⁶"),
        (0.001, 2, "0.0010"),
        (f64::NAN, 3, "–"),
        (f64::INFINITY, 3, "–"),
    ];
    for &(v, digits, want) in cases {
        assert_eq!(h(v, digits), want, "{v} to {digits} digits");
    }
}

/// Every step's losses, kept as exact means of consecutive steps: a known series
/// (`d = step`, `g = 2·step`) gives each vertex the mean of the steps it stands for.
#[test]
fn step_means_keep_every_step_as_exact_means() {
    use gan_playground::core::step_means::StepMeans;
    let mut m = StepMeans::new(100);
    for step in 1..=10_000usize {
        m.push(step, step as f64, 2.0 * step as f64);
        assert!(m.points().len() <= 101, "bounded at {step}");
    }
    m.push(10_001, f64::NAN, 1.0);
    m.push(10_002, f64::INFINITY, 1.0);
    assert_eq!(m.count(), 10_000, "non-finite steps are left out");
    let pts = m.points();
    assert!(pts.len() >= 50, "{}", pts.len());
    for p in &pts {
        assert!((p.d_loss - p.step).abs() < 1e-9, "{p:?}");
        assert!((p.g_loss - 2.0 * p.step).abs() < 1e-9, "{p:?}");
    }
    // The first vertex is the mean of the run's first steps; the last reaches its end.
    let stride = 10_000 / pts.len();
    assert!(pts[0].step <= stride as f64, "{:?}", pts[0]);
    assert!(pts.last().unwrap().step > 10_000.0 - 2.0 * stride as f64);
    // Few steps: every one is a vertex.
    let mut short = StepMeans::new(100);
    for step in 0..7 {
        short.push(step, 1.0, 1.0);
    }
    assert_eq!(short.points().len(), 7);
}

/// A point of the charts with some values missing (NaN), as a lab makes them.
fn chart_point(step: usize, js: f64) -> HistoryPoint {
    HistoryPoint {
        step,
        js,
        kl: f64::NAN,
        rkl: 1.25,
        w1: 0.125,
        d_estimate: f64::NAN,
        d_measured: 0.25,
        modes_covered: 3,
        modes_total: 8,
        ..Default::default()
    }
}

/// A chart in words (its canvas's text alternative): the title and each line's last value,
/// those that do not exist left out; the loss chart from its per-step means.
#[test]
fn charts_say_their_last_values_in_words() {
    use gan_playground::core::history::Chart;
    use gan_playground::core::step_means::MeanPoint;
    assert_eq!(
        Chart::Divergences.describe(&[chart_point(20, 0.6), chart_point(40, 0.5)], None),
        "divergences (nats) and W1, by step; at step 40: JS 0.500, reverse KL 1.25, W1 0.125, its true value 0.250"
    );
    assert_eq!(
        Chart::Modes.describe(&[chart_point(40, 0.5)], None),
        "modes covered, by step; at step 40: modes 3"
    );
    assert_eq!(
        Chart::Modes.describe(&[], None),
        "modes covered: nothing measured yet"
    );
    let means = [MeanPoint {
        step: 7.0,
        d_loss: 0.75,
        g_loss: f64::INFINITY,
    }];
    assert_eq!(
        Chart::Losses.describe(&[chart_point(40, 0.5)], Some(&means)),
        "losses, by step; at step 7: D loss 0.750"
    );
}

/// A chart's CSV: a header of the chart's lines, a row per point, empty cells for values
/// that do not exist; the loss chart from its per-step means.
#[test]
fn charts_export_their_data_as_csv() {
    use gan_playground::core::history::Chart;
    use gan_playground::core::step_means::MeanPoint;
    let p = chart_point(40, 0.5);
    let csv = Chart::Divergences.csv(&[p], None);
    assert_eq!(
        csv,
        "step,JS,KL,reverse KL,W1,from D's loss,its true value\n40,0.5,,1.25,0.125,,0.25\n"
    );
    assert_eq!(Chart::Modes.csv(&[p], None), "step,modes\n40,3\n");
    let means = [MeanPoint {
        step: 1.5,
        d_loss: 0.75,
        g_loss: 2.0,
    }];
    assert_eq!(
        Chart::Losses.csv(&[p], Some(&means)),
        "step,D loss,G loss\n1.5,0.75,2\n"
    );
}
