//! The whole training history at bounded size, for the charts: when full, every other
//! point is dropped, so the curve always spans step 0 to now at a resolution that halves
//! as the run doubles; and the charts drawn from it.

use super::palette::{Rgb, FAKE, GREEN, GREY, INK, PURPLE, REAL, RED};
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub step: usize,
    pub d_loss: f64,
    pub g_loss: f64,
    pub js: f64,
    pub kl: f64,
    pub rkl: f64,
    pub w1: f64,
    /// The discriminator's own estimate of its divergence (NaN where the loss has none).
    pub d_estimate: f64,
    /// The same divergence measured from samples (NaN where the loss has none).
    pub d_measured: f64,
    pub modes_covered: usize,
    /// Modes the data set has (0 where it has none).
    pub modes_total: usize,
    /// MNIST: Fréchet distance in the classifier's features (NaN for 2D data).
    pub frechet: f64,
    /// MNIST: KL of the class histogram from uniform (NaN for 2D data).
    pub class_kl: f64,
    /// Fraction of high-quality samples (NaN without modes).
    pub high_quality: f64,
}

impl HistoryPoint {
    /// Values per point in [`HistoryPoint::to_row`].
    pub const ROW: usize = 14;

    /// The point as numbers, in field order: the page's worker posts the history as one
    /// `Float64Array` of rows and the page draws the charts from it.
    pub fn to_row(&self) -> [f64; Self::ROW] {
        [
            self.step as f64,
            self.d_loss,
            self.g_loss,
            self.js,
            self.kl,
            self.rkl,
            self.w1,
            self.d_estimate,
            self.d_measured,
            self.modes_covered as f64,
            self.modes_total as f64,
            self.frechet,
            self.class_kl,
            self.high_quality,
        ]
    }

    /// The inverse of [`HistoryPoint::to_row`]; `None` for a row of the wrong length.
    pub fn from_row(r: &[f64]) -> Option<Self> {
        let count = |v: f64| {
            if v.is_finite() && v >= 0.0 {
                v as usize
            } else {
                0
            }
        };
        (r.len() == Self::ROW).then(|| HistoryPoint {
            step: count(r[0]),
            d_loss: r[1],
            g_loss: r[2],
            js: r[3],
            kl: r[4],
            rkl: r[5],
            w1: r[6],
            d_estimate: r[7],
            d_measured: r[8],
            modes_covered: count(r[9]),
            modes_total: count(r[10]),
            frechet: r[11],
            class_kl: r[12],
            high_quality: r[13],
        })
    }
}

#[derive(Clone, Debug)]
pub struct History {
    points: Vec<HistoryPoint>,
    capacity: usize,
    /// Keep one pushed point in `stride`; doubles at each halving.
    stride: usize,
    pushed: usize,
}

impl History {
    /// `capacity` is the most points kept (at least 4).
    pub fn new(capacity: usize) -> Self {
        Self {
            points: Vec::new(),
            capacity: capacity.max(4),
            stride: 1,
            pushed: 0,
        }
    }

    pub fn push(&mut self, p: HistoryPoint) {
        if self.pushed.is_multiple_of(self.stride) {
            self.points.push(p);
            if self.points.len() > self.capacity {
                // Keep the even-indexed points: the first point and the spacing stay uniform.
                let kept: Vec<HistoryPoint> = self.points.iter().step_by(2).copied().collect();
                self.points = kept;
                self.stride *= 2;
            }
        }
        self.pushed += 1;
    }

    pub fn points(&self) -> &[HistoryPoint] {
        &self.points
    }
}

/// The charts of a run, drawn by `charts.rs` on a canvas or into a PNG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// D and G losses.
    Losses,
    /// JS, KL, reverse KL, W1, and D's own estimate of its divergence.
    Divergences,
    /// Modes covered (digit classes for MNIST).
    Modes,
    /// MNIST: Fréchet distance in the classifier's features.
    DigitQuality,
    /// MNIST: digit classes covered.
    Classes,
}

/// A chart's line: its name, colour and value at a history point.
pub type Series = (&'static str, Rgb, fn(&HistoryPoint) -> f64);

impl Chart {
    pub const NAMES: [&'static str; 5] = ["losses", "divergences", "modes", "quality", "classes"];

    /// The chart's short name (the page tells the painter which charts to draw by name).
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(s: &str) -> Option<Chart> {
        [
            Chart::Losses,
            Chart::Divergences,
            Chart::Modes,
            Chart::DigitQuality,
            Chart::Classes,
        ]
        .into_iter()
        .find(|c| c.name() == s)
    }

    /// The chart's title and lines.
    pub fn series(self) -> (&'static str, Vec<Series>) {
        match self {
            Chart::Losses => (
                "losses",
                vec![
                    ("D loss", REAL, |p| p.d_loss),
                    ("G loss", FAKE, |p| p.g_loss),
                ],
            ),
            Chart::Divergences => (
                "divergences (nats) and W1",
                vec![
                    ("JS", REAL, |p| p.js),
                    ("KL", RED, |p| p.kl),
                    ("reverse KL", PURPLE, |p| p.rkl),
                    ("W1", GREEN, |p| p.w1),
                    ("D's estimate", GREY, |p| p.d_estimate),
                    ("same, measured", INK, |p| p.d_measured),
                ],
            ),
            Chart::Modes => (
                "modes covered",
                vec![("modes", REAL, |p| p.modes_covered as f64)],
            ),
            Chart::Classes => (
                "digit classes covered",
                vec![("classes", REAL, |p| p.modes_covered as f64)],
            ),
            Chart::DigitQuality => (
                "Fréchet distance (classifier features)",
                vec![("Fréchet", RED, |p| p.frechet)],
            ),
        }
    }
}
