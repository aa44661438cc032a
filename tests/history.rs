//! The chart history stays bounded and spans the whole run.
#![cfg(not(target_arch = "wasm32"))]

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
