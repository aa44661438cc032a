//! What the session tests share: a millisecond clock and a 2D session opened from a link
//! as the page's worker opens it.
// Each test crate that includes this module uses part of it.
#![allow(dead_code)]

use gan_playground::core::session::plane::PlaneLab;
use gan_playground::core::session::Session;

/// Milliseconds since the first call (the session's clock is a plain `fn`).
pub fn clock() -> f64 {
    static T0: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    T0.get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// A 2D session from `link`: the lab's settings, the view and compare mode.
pub fn session(link: &str) -> Session {
    let (lab, notes) = PlaneLab::from_hash(link).unwrap();
    Session::new(Box::new(lab), notes)
        .with_view_link(link)
        .with_compare_link(link)
}
