//! Tick marks for a plane's axes: values at 1, 2 or 5 times a power of ten, as a person
//! reads a scale. The xy game draws them, since its view grows as the players spiral out
//! and the plane alone would not say how far they are.

/// The values between `lo` and `hi` (inclusive) at the widest step of 1, 2 or 5 × 10ⁿ that
/// gives `most` of them at most (and at least one where `lo ≤ hi` and both are finite).
pub fn ticks(lo: f64, hi: f64, most: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi < lo || most == 0 {
        return Vec::new();
    }
    if hi == lo {
        return vec![lo];
    }
    let rough = (hi - lo) / most as f64;
    let power = 10f64.powf(rough.log10().floor());
    // The first of 1, 2, 5 (× power) that fits; 10 always does, since power > rough / 10.
    let k = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|k| (((hi - lo) / (k * power)).floor() as usize) < most)
        .unwrap_or(10.0);
    let step = k * power;
    // i·k divided by 10ⁿ rather than i times the step, so that a tick is the double
    // nearest its decimal (0.6, not 3 × 0.2 = 0.6000000000000001).
    let at = |i: i64| {
        if power < 1.0 {
            i as f64 * k / (1.0 / power).round()
        } else {
            i as f64 * step
        }
    };
    ((lo / step).ceil() as i64..=(hi / step).floor() as i64)
        .map(at)
        .collect()
}
