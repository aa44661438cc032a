//! The speed readout: the rate at which the step counter actually moves, measured on the
//! page's clock, so that it includes everything between two steps (painting, metrics, the
//! pauses of the slower speeds, slow motion's phases). The time spent inside the training
//! slices alone overstated it: on "slow", 2,570 steps/s while the counter moved 170 per
//! second.
//!
//! The rate is taken between moments the counter *changed*: at full speed it changes
//! every slice, in slow motion once per 1.6 s, and a window of fixed length would read
//! one or two of those changes and jump between 0.33 and 0.67 steps/s.

use std::collections::VecDeque;

/// How far back the rate looks (plus the one change just before, as its anchor). A
/// counter that has not moved for this long reads 0.
pub const WINDOW_MS: f64 = 3000.0;

/// The moments the counter changed, `(time in ms, iterations)`, oldest first.
#[derive(Clone, Debug, Default)]
pub struct SpeedMeter {
    changes: VecDeque<(f64, usize)>,
    now: f64,
}

impl SpeedMeter {
    /// Reads the counter at `now_ms`. A counter or a clock that went back (a reset, a
    /// restart) starts again.
    pub fn record(&mut self, now_ms: f64, iteration: usize) {
        if let Some(&(t, i)) = self.changes.back() {
            if iteration < i || now_ms < t {
                self.changes.clear();
            }
        }
        if self.changes.back().is_none_or(|&(_, i)| i != iteration) {
            self.changes.push_back((now_ms, iteration));
        }
        self.now = now_ms;
        // Keep one change from before the window as the anchor of the first interval.
        while self.changes.len() > 2 && now_ms - self.changes[1].0 >= WINDOW_MS {
            self.changes.pop_front();
        }
    }

    /// Forgets every reading (training paused: the next rate starts afresh).
    pub fn clear(&mut self) {
        self.changes.clear();
    }

    /// Iterations per second between the oldest and the newest change kept,
    /// `(i₁ − i₀) / (t₁ − t₀)`; 0 before two changes 100 ms apart, and once the counter
    /// has stood still for [`WINDOW_MS`].
    pub fn rate(&self) -> f64 {
        match (self.changes.front(), self.changes.back()) {
            (Some(&(t0, i0)), Some(&(t1, i1))) if t1 - t0 >= 100.0 && self.now - t1 < WINDOW_MS => {
                (i1 - i0) as f64 * 1000.0 / (t1 - t0)
            }
            _ => 0.0,
        }
    }
}
