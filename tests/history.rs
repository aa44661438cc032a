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
