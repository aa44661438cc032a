//! Quality of generated digits, read through the project's own classifier
//! ([`crate::core::digits::classifier`]): which classes the generator covers (the mode-collapse measure
//! of the lecture notes, as PacGAN counts modes) and the Fréchet distance between real
//! and generated digits in the classifier's feature space.

use crate::core::coverage::{kl_from_uniform, MIN_MODE_SHARE};
use crate::core::digits::classifier::{features_of, Classifier, FEATURES};
use crate::core::digits::data::CLASSES;
use crate::core::digits::frechet::frechet_distance;
use crate::core::error::Result;
use crate::core::history::HistoryPoint;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DigitReport {
    /// Generated digits per predicted class, those read legibly ([`LEGIBLE`]).
    pub class_counts: Vec<usize>,
    /// Classes holding at least 1% of the generated digits (as [`MIN_MODE_SHARE`]),
    /// counting legible digits only.
    pub classes_covered: usize,
    /// `KL(class histogram ‖ uniform)`, nats: 0 for a balanced generator, `ln 10 ≈ 2.30`
    /// when it makes one digit only.
    pub class_kl: f64,
    /// Fréchet distance between real and generated digits in the classifier's features.
    pub frechet: f64,
    /// For a conditional generator: the fraction of digits classified as the digit asked for.
    pub condition_accuracy: Option<f64>,
}

impl DigitReport {
    /// This report as a point of the charts' history (the 2D-only fields NaN).
    pub fn history_point(&self, step: usize, d_loss: f64, g_loss: f64) -> HistoryPoint {
        HistoryPoint {
            step,
            d_loss,
            g_loss,
            js: f64::NAN,
            kl: f64::NAN,
            rkl: f64::NAN,
            w1: f64::NAN,
            d_estimate: f64::NAN,
            d_measured: f64::NAN,
            modes_covered: self.classes_covered,
            modes_total: CLASSES,
            frechet: self.frechet,
            class_kl: self.class_kl,
            high_quality: f64::NAN,
            game: [f64::NAN; 4],
        }
    }
}

/// The least probability the classifier must give a generated digit's class for the digit
/// to count as one of that class (more than all the other classes together), as the 2D
/// planes count only samples near a mode: an untrained generator's blurs are read as every
/// class at a low probability, and would otherwise cover all ten. Of the real test digits,
/// about 1% read below it.
pub const LEGIBLE: f32 = 0.5;

/// The predicted classes, with [`CLASSES`] (no class) for a digit read below [`LEGIBLE`].
pub fn legible(classes: &[u8], confidence: &[f32]) -> Vec<u8> {
    classes
        .iter()
        .zip(confidence)
        .map(|(&c, &p)| if p >= LEGIBLE { c } else { CLASSES as u8 })
        .collect()
}

/// Classes covered and the class histogram's KL from uniform, for predicted classes (a
/// class of [`CLASSES`] or more counts for none, but in the total).
pub fn class_coverage(classes: &[u8]) -> (Vec<usize>, usize, f64) {
    let mut counts = vec![0usize; CLASSES];
    for &c in classes {
        if (c as usize) < CLASSES {
            counts[c as usize] += 1;
        }
    }
    let min_count = ((MIN_MODE_SHARE * classes.len() as f64).ceil() as usize).max(1);
    let covered = counts.iter().filter(|&&c| c >= min_count).count();
    let kl = kl_from_uniform(&counts);
    (counts, covered, kl)
}

/// The report for `real` and `fake` images (row-major `[n, dim]`, in `[−1, 1]`);
/// `asked` is the digit each fake was conditioned on, for a conditional generator.
pub fn digit_report(
    clf: &Classifier,
    real: &[f32],
    fake: &[f32],
    dim: usize,
    asked: Option<&[u8]>,
) -> Result<DigitReport> {
    let (real_features, _, _) = features_of(clf, real, dim)?;
    let (fake_features, classes, confidence) = features_of(clf, fake, dim)?;
    let (class_counts, classes_covered, class_kl) = class_coverage(&legible(&classes, &confidence));
    let condition_accuracy = asked.map(|asked| {
        let right = asked.iter().zip(&classes).filter(|(a, c)| a == c).count();
        right as f64 / asked.len().max(1) as f64
    });
    Ok(DigitReport {
        class_counts,
        classes_covered,
        class_kl,
        frechet: frechet_distance(&real_features, &fake_features, FEATURES)?,
        condition_accuracy,
    })
}

/// The mean per-pixel entropy (nats) of grey images in `[−1, 1]`, each pixel read as the
/// probability `(x + 1)/2` of being on: 0 for black-and-white images, `ln 2 ≈ 0.693` for
/// uniform grey. A blurred digit (a mean over several) has more grey, so more entropy.
pub fn mean_pixel_entropy(images: &[f32]) -> f64 {
    let h = |x: f32| {
        let p = ((x as f64 + 1.0) / 2.0).clamp(0.0, 1.0);
        let term = |q: f64| if q > 0.0 { -q * q.ln() } else { 0.0 };
        term(p) + term(1.0 - p)
    };
    images.iter().map(|&x| h(x)).sum::<f64>() / images.len().max(1) as f64
}
