//! Each lesson's live observation: what this run shows of the lesson's claim, in one line,
//! and whether the claim is visible. Computed after every evaluation from the session's
//! labs (run B too in compare mode); an observer keeps what it needs of earlier
//! evaluations (the first value of a distance, the distance at each k).

use super::measures::{clipped_share, mean_norm, weight_histogram};
use super::Lesson;
use crate::core::format::human_number;
use crate::core::plane::field::distance_to_optimal;
use crate::core::plane::trainer::nearest_modes;
use crate::core::session::bigan::BiganLab;
use crate::core::session::cyclegan::CycleLab;
use crate::core::session::pix2pix::Pix2PixLab;
use crate::core::session::plane::PlaneLab;
use crate::core::session::vae::VaeLab;
use crate::core::session::vae_digits::DigitVaeLab as VaeDigitLab;
use crate::core::session::xy::XyLab;
use crate::core::session::{Lab, Observation, Observer, Session};
use std::collections::BTreeMap;

/// `log 2`: the Jensen–Shannon divergence of distributions with disjoint supports.
const LOG2: f64 = std::f64::consts::LN_2;

/// What an observer keeps across the evaluations of one run; forgotten when it restarts.
#[derive(Default)]
pub(super) struct Memory {
    /// The first value of each measure this run (the start the claim compares with).
    first: BTreeMap<&'static str, f64>,
    /// Lesson 1: D's distance to D* at each k seen (the last value at that k).
    by_k: BTreeMap<usize, f64>,
    /// The claim was seen at some evaluation of this run (claims about the first steps).
    seen: bool,
    /// Lesson 4: the sum of each run's imbalance between the clusters, and the count.
    imbalance: [(f64, usize); 2],
    /// Runs A and B: the sum of a measure over the evaluations so far, and the count.
    sums: [(f64, usize); 2],
    /// pix2pix: per objective, the last and the least miss, and the sum and count of how
    /// far the answers moved per measurement.
    by_objective: BTreeMap<String, (f64, f64, f64, usize)>,
}

impl Memory {
    /// The first value of `key` this run, recorded now if it is the first.
    fn first(&mut self, key: &'static str, now: f64) -> f64 {
        *self.first.entry(key).or_insert(now)
    }
}

/// A lesson's observer: its row's [`Lesson::observe`] over its memory of this run.
struct LessonObserver {
    lesson: &'static Lesson,
    memory: Memory,
}

pub(super) fn observer(lesson: &'static Lesson) -> Box<dyn Observer> {
    Box::new(LessonObserver {
        lesson,
        memory: Memory::default(),
    })
}

impl Observer for LessonObserver {
    fn id(&self) -> &'static str {
        self.lesson.id
    }
    fn observe(&mut self, s: &Session) -> Observation {
        (self.lesson.observe)(&mut self.memory, s)
    }
    fn restart(&mut self) {
        self.memory = Memory::default();
    }
}

/// The share of `points` nearest each mode's centre (every point counts: a Gaussian
/// stretched between two clusters is nearest to each about half the time).
fn nearest_mode_shares(points: &[[f32; 2]], modes: &[crate::core::plane::data::Mode]) -> Vec<f64> {
    let mut counts = vec![0usize; modes.len()];
    for i in nearest_modes(points, modes) {
        counts[i] += 1;
    }
    let n = points.len().max(1) as f64;
    counts.into_iter().map(|c| c as f64 / n).collect()
}

fn lab_as<L: 'static>(lab: &dyn Lab) -> Option<&L> {
    lab.as_any().downcast_ref::<L>()
}

/// A number of the lab's readout (its metrics), without building the whole state.
fn num(s: &Session, key: &str) -> f64 {
    let mut readout = serde_json::Map::new();
    s.lab().readout(&mut readout);
    readout
        .get(key)
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

fn fmt(v: f64) -> String {
    human_number(v, 3)
}

fn waiting(text: &str) -> Observation {
    Observation {
        text: text.into(),
        ..Observation::default()
    }
}

pub(super) fn d_star(m: &mut Memory, s: &Session) -> Observation {
    let Some(lab) = lab_as::<PlaneLab>(s.lab()) else {
        return waiting("open the lesson's link (a 2D GAN)");
    };
    let dist = lab
        .shown()
        .and_then(|(real, fake)| distance_to_optimal(lab.trainer(), &lab.grid(), real, &fake));
    let Ok(dist) = dist else {
        return waiting("measuring…");
    };
    let k = s.lab().game().config().k;
    m.by_k.insert(k, dist);
    let parts: Vec<String> = m
        .by_k
        .iter()
        .map(|(k, d)| format!("k = {k}: {}", fmt(*d)))
        .collect();
    let (lo, hi) = (m.by_k.iter().next(), m.by_k.iter().next_back());
    let holds = matches!((lo, hi), (Some((k0, d0)), Some((k1, d1))) if k1 > k0 && d1 < d0);
    let tail = if m.by_k.len() < 2 {
        "; now raise k and watch it fall"
    } else if holds {
        " — falls as k grows ✓"
    } else {
        " — not yet lower at the larger k"
    };
    Observation {
        text: format!("mean |D − D*|: {}{tail}", parts.join(" · ")),
        holds,
        histogram: None,
    }
}

pub(super) fn saturating(m: &mut Memory, s: &Session) -> Observation {
    let push = |sess: &Session| -> Option<f64> {
        let lab = lab_as::<PlaneLab>(sess.lab())?;
        let (_, fake) = lab.shown().ok()?;
        let g = lab.trainer().generator_push(&fake).ok()?;
        Some(mean_norm(&g))
    };
    let (Some(a), Some(b)) = (push(s), s.twin().and_then(push)) else {
        return waiting("open the lesson's link (two runs side by side)");
    };
    let now = a < 0.1 * b;
    m.seen |= now;
    Observation {
        text: format!(
            "G's gradient at its samples: minimax {} · non-saturating {}{}",
            fmt(a),
            fmt(b),
            if now {
                format!(
                    " (×{:.0}) — the saturating loss vanishes ✓",
                    b / a.max(1e-12)
                )
            } else if m.seen {
                " — it vanished in the first steps ✓ (D is less confident now)".into()
            } else {
                " — D is not yet confident".into()
            }
        ),
        holds: m.seen,
        histogram: None,
    }
}

pub(super) fn disjoint(m: &mut Memory, s: &Session) -> Observation {
    let (js, w1) = (num(s, "js"), num(s, "w1"));
    if !(js.is_finite() && w1.is_finite()) {
        return waiting("measuring…");
    }
    let w0 = m.first("w1", w1);
    let stuck = js >= 0.99 * LOG2;
    let now = stuck && w1 <= 0.5 * w0;
    m.seen |= now;
    Observation {
        text: format!(
            "JS {} (log 2 = {}) · W1 {}, from {}{}",
            fmt(js),
            fmt(LOG2),
            fmt(w1),
            fmt(w0),
            if now {
                " — W1 falls while JS is stuck ✓"
            } else if m.seen {
                " — the supports overlap now, so JS falls too (it was stuck while W1 halved ✓)"
            } else if stuck {
                " — JS is stuck at log 2; watch W1 fall"
            } else {
                ""
            }
        ),
        holds: m.seen,
        histogram: None,
    }
}

/// Forward against reverse KL. What our engine shows (`tests/lessons.rs`): the KL run
/// stays balanced between the clusters; the reverse-KL run leans to one and swings
/// from one to the other instead of settling. The observation is the mean imbalance
/// `|share₁ − share₂|` of each run over the evaluations so far.
pub(super) fn kl_reverse_kl(m: &mut Memory, s: &Session) -> Observation {
    let shares = |sess: &Session| -> Option<Vec<f64>> {
        let lab = lab_as::<PlaneLab>(sess.lab())?;
        let modes = lab.trainer().model().dataset.modes()?;
        let (_, fake) = lab.shown().ok()?;
        Some(nearest_mode_shares(&fake, &modes))
    };
    let (Some(a), Some(b)) = (shares(s), s.twin().and_then(shares)) else {
        return waiting("measuring… (two runs side by side)");
    };
    let imbalance = |v: &[f64]| (v[0] - v[1]).abs();
    for (i, v) in [&a, &b].into_iter().enumerate() {
        m.imbalance[i].0 += imbalance(v);
        m.imbalance[i].1 += 1;
    }
    let mean = |i: usize| m.imbalance[i].0 / m.imbalance[i].1.max(1) as f64;
    let (ma, mb) = (mean(0), mean(1));
    let n = m.imbalance[0].1;
    let holds = n >= 8 && mb > 0.2 && mb > 3.0 * ma;
    let pct = |v: &[f64]| format!("{:.0}% / {:.0}%", 100.0 * v[0], 100.0 * v[1]);
    Observation {
        text: format!(
            "samples nearest each cluster: KL {} · reverse KL {}; mean imbalance over {n} measurements: KL {:.0}%, reverse KL {:.0}%{}",
            pct(&a),
            pct(&b),
            100.0 * ma,
            100.0 * mb,
            if holds {
                " — reverse KL leans to one cluster (and swings between them) ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn wgan_clip(_: &mut Memory, s: &Session) -> Observation {
    let slope = |sess: &Session| -> Option<f64> {
        let lab = lab_as::<PlaneLab>(sess.lab())?;
        let (real, _) = lab.shown().ok()?;
        Some(mean_norm(&lab.trainer().critic_gradients(real).ok()?))
    };
    let Some(lab) = lab_as::<PlaneLab>(s.lab()) else {
        return waiting("open the lesson's link");
    };
    let c = s.lab().game().config().clip;
    let weights: Vec<f32> = lab
        .trainer()
        .discriminator()
        .named_vars()
        .iter()
        .filter(|(n, _)| n.ends_with("weight"))
        .filter_map(|(_, v)| v.as_tensor().flatten_all().ok()?.to_vec1::<f32>().ok())
        .flatten()
        .collect();
    let share = clipped_share(&weights, c);
    let (Some(a), Some(b)) = (slope(s), s.twin().and_then(slope)) else {
        return waiting("measuring… (two runs side by side)");
    };
    let holds = share >= 0.3 && b > 3.0 * a;
    Observation {
        text: format!(
            "clipped critic: {:.0}% of its weights at ±c, ‖∇ₓD‖ {} · gradient-penalty critic: ‖∇ₓD‖ {}{}",
            100.0 * share,
            fmt(a),
            fmt(b),
            if holds { " ✓" } else { "" }
        ),
        holds,
        histogram: Some((
            format!("run A's critic weights, −c to c (c = {c})"),
            weight_histogram(&weights, c, 21),
        )),
    }
}

pub(super) fn mode_collapse(_: &mut Memory, s: &Session) -> Observation {
    let modes = |sess: &Session| -> Option<(usize, usize)> {
        let r = lab_as::<PlaneLab>(sess.lab())?.report()?;
        Some((r.modes_covered, r.modes_total))
    };
    let (Some((a, total)), Some((b, _))) = (modes(s), s.twin().and_then(modes)) else {
        return waiting("measuring… (two runs side by side)");
    };
    let holds = b == total && b >= a;
    Observation {
        text: format!(
            "no cure: {a} of {total} modes · R1 (γ = 1): {b} of {total}{}",
            if holds {
                " — the cure covers every mode ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn xy(_: &mut Memory, s: &Session) -> Observation {
    let Some(lab) = lab_as::<XyLab>(s.lab()) else {
        return waiting("open the lesson's link (the xy game)");
    };
    let cfg = s.lab().game().config();
    let theory = (1.0 + cfg.d_opt.lr * cfg.g_opt.lr).sqrt();
    let Some(growth) = lab.measured_growth() else {
        return waiting("press Play");
    };
    let spirals = growth > 1.0 && (growth - theory).abs() < 1e-6 * theory
        || lab.game_ref().escaped_at.is_some();
    let bounded = lab.invariant_drift().map(|d| d < 1e-6);
    let holds = spirals && bounded != Some(false);
    Observation {
        text: format!(
            "simultaneous: radius ×{} per step (theory √(1 + η_D·η_G) = {}){} · alternating: {}",
            human_number(growth, 6),
            human_number(theory, 6),
            if spirals { ", spiralling out ✓" } else { "" },
            match bounded {
                Some(true) => "on its ellipse (invariant kept) ✓".to_string(),
                Some(false) => "off its ellipse".to_string(),
                None => format!("radius {} (k, k_G ≠ 1)", fmt(num(s, "r_alt"))),
            }
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn bigan(m: &mut Memory, s: &Session) -> Observation {
    if lab_as::<BiganLab>(s.lab()).is_none() {
        return waiting("open the lesson's link (a BiGAN)");
    }
    let r = num(s, "recon_x");
    if !r.is_finite() {
        return waiting("measuring…");
    }
    let r0 = m.first("recon_x", r);
    let holds = r < 0.3 && r < 0.5 * r0;
    Observation {
        text: format!(
            "‖G(E(x)) − x‖ = {}, from {}{}",
            fmt(r),
            fmt(r0),
            if holds { " — E inverts G ✓" } else { "" }
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn cyclegan(m: &mut Memory, s: &Session) -> Observation {
    if lab_as::<CycleLab>(s.lab()).is_none() {
        return waiting("open the lesson's link (a CycleGAN)");
    }
    let c = num(s, "cycle_x") + num(s, "cycle_y");
    if !c.is_finite() {
        return waiting("measuring…");
    }
    let c0 = m.first("cycle", c);
    let lambda = num(s, "lambda");
    let (holds, tail) = if lambda > 0.0 {
        let ok = c < 0.25 * c0;
        (
            ok,
            if ok {
                " — the cycle holds ✓; now set λ = 0"
            } else {
                ""
            },
        )
    } else {
        let ok = c > 0.5 * c0;
        (
            ok,
            if ok {
                " — with λ = 0 nothing keeps the cycle ✓"
            } else {
                ""
            },
        )
    };
    Observation {
        text: format!(
            "cycle error (both ways) {}, from {} at λ = {}{tail}",
            fmt(c),
            fmt(c0),
            fmt(lambda)
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn conditional(_: &mut Memory, s: &Session) -> Observation {
    let acc = num(s, "condition_accuracy");
    if !acc.is_finite() {
        return waiting("open the lesson's link (a conditional GAN on MNIST), press Play");
    }
    let holds = acc >= 0.5;
    Observation {
        text: format!(
            "the classifier reads the digit asked for in {:.0}% of samples{}",
            100.0 * acc,
            if holds { " ✓" } else { " (chance: 10%)" }
        ),
        holds,
        histogram: None,
    }
}

pub(super) fn losses(m: &mut Memory, s: &Session) -> Observation {
    let w = |sess: &Session| num(sess, "w1");
    let (a, b) = (w(s), s.twin().map_or(f64::NAN, w));
    if !(a.is_finite() && b.is_finite()) {
        return waiting("measuring… (two runs side by side)");
    }
    let (a0, b0) = (m.first("w1", a), m.first("w1 b", b));
    let holds = a < 0.5 * a0 && b < 0.5 * b0;
    Observation {
        text: format!(
            "W1: LSGAN {} (from {}) · hinge {} (from {}){}",
            fmt(a),
            fmt(a0),
            fmt(b),
            fmt(b0),
            if holds {
                " — both learn the data ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

/// `σ(v)`, the probability D gives, from the critic's raw value.
fn sigmoid(v: f32) -> f64 {
    1.0 / (1.0 + (-(v as f64)).exp())
}

/// Boundary seeking beside the non-saturating loss: each run's mean `|D(G(z)) − ½|` on
/// its fixed fakes, averaged over the evaluations after the first (the start is the same
/// for both). The claim holds when run A's stays within 0.05 of ½ while it learns the
/// data (W1 halves). What the engine shows beside it (`tests/lessons.rs`): on a single
/// Gaussian both runs sit on the boundary; on sets with several modes the
/// boundary-seeking G stalls short of it.
pub(super) fn boundary_seeking(m: &mut Memory, s: &Session) -> Observation {
    let off_boundary = |sess: &Session| -> Option<f64> {
        let lab = lab_as::<PlaneLab>(sess.lab())?;
        let (_, fake) = lab.shown().ok()?;
        let v = lab.trainer().discriminate(&fake).ok()?;
        let n = v.len().max(1) as f64;
        Some(v.iter().map(|&v| (sigmoid(v) - 0.5).abs()).sum::<f64>() / n)
    };
    let (Some(a), Some(b)) = (off_boundary(s), s.twin().and_then(off_boundary)) else {
        return waiting("measuring… (two runs side by side)");
    };
    let w1 = num(s, "w1");
    if !w1.is_finite() {
        return waiting("measuring…");
    }
    let w0 = m.first("w1", w1);
    if s.lab().game().counters().iteration > 0 {
        for (i, v) in [a, b].into_iter().enumerate() {
            m.sums[i].0 += v;
            m.sums[i].1 += 1;
        }
    }
    let mean = |i: usize| m.sums[i].0 / m.sums[i].1.max(1) as f64;
    let (ma, mb) = (mean(0), mean(1));
    let n = m.sums[0].1;
    if n == 0 {
        return waiting("measuring… (from the first steps on)");
    }
    let learns = w1 < 0.5 * w0;
    let holds = n >= 4 && learns && ma < 0.05;
    Observation {
        text: format!(
            "mean |D(G(z)) − ½| over {n} measurements: boundary seeking {} · non-saturating {} · W1 (boundary seeking) {}, from {}{}",
            fmt(ma),
            fmt(mb),
            fmt(w1),
            fmt(w0),
            if holds {
                " — G's samples sit on D's boundary while it learns the data ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

/// EBGAN: the autoencoder critic's energy in margins, `E/m = −V`, on the shown real
/// samples and on the heatmap's cells away from every one of them (farther than an
/// eighth of the view's width): below half the margin on the data, at the margin or
/// above away from it. Once G's samples reach the data the critic pushes the data's
/// energy up too (the fakes are there): on ring8 it went from 0.03·m at step 1,000 to
/// 0.48·m at 1,500, then settled at 0.14–0.22·m.
pub(super) fn ebgan(_: &mut Memory, s: &Session) -> Observation {
    let Some(lab) = lab_as::<PlaneLab>(s.lab()) else {
        return waiting("open the lesson's link (a 2D GAN)");
    };
    if !s.lab().game().config().loss.energy_critic() {
        return waiting("choose the ebgan loss (its critic is an autoencoder)");
    }
    let Ok((real, _)) = lab.shown() else {
        return waiting("measuring…");
    };
    let grid = lab.grid();
    let away = (grid.hi[0] - grid.lo[0]) / 8.0;
    let cells: Vec<[f32; 2]> = grid
        .centres()
        .into_iter()
        .filter(|c| {
            real.iter().all(|r| {
                let (dx, dy) = ((c[0] - r[0]) as f64, (c[1] - r[1]) as f64);
                dx * dx + dy * dy > away * away
            })
        })
        .collect();
    let energy = |points: &[[f32; 2]]| -> Option<Vec<f64>> {
        let v = lab.trainer().discriminate(points).ok()?;
        Some(v.into_iter().map(|v| -(v as f64)).collect())
    };
    let (Some(on), Some(off)) = (energy(real), energy(&cells)) else {
        return waiting("measuring…");
    };
    if on.is_empty() || off.is_empty() || !on.iter().chain(&off).all(|e| e.is_finite()) {
        return waiting("measuring…");
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let e_data = mean(&on);
    let at_margin = off.iter().filter(|&&e| e >= 0.9).count() as f64 / off.len() as f64;
    let holds = e_data < 0.5 && at_margin >= 0.8;
    Observation {
        text: format!(
            "energy on the data {}·m · away from it: {:.0}% of the plane at 0.9·m or above (m = {}){}",
            fmt(e_data),
            100.0 * at_margin,
            fmt(s.lab().game().config().margin),
            if holds {
                " — low on the data, up at the margin away from it ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

/// A conditional GAN on the plane: the share of the shown fakes of label c whose nearest
/// mode is mode c (chance: one in the number of labels).
pub(super) fn conditional_plane(_: &mut Memory, s: &Session) -> Observation {
    let Some(lab) = lab_as::<PlaneLab>(s.lab()) else {
        return waiting("open the lesson's link (a 2D GAN)");
    };
    let t = lab.trainer();
    let (Some(modes), true) = (t.model().dataset.modes(), t.classes() > 0) else {
        return waiting("turn conditioning on (a label per cluster)");
    };
    let Ok((_, fake)) = lab.shown() else {
        return waiting("measuring…");
    };
    let Some(labels) = t.sample_labels(fake.len()) else {
        return waiting("measuring…");
    };
    let nearest = nearest_modes(&fake, &modes);
    let hits = nearest.iter().zip(&labels).filter(|(n, l)| n == l).count();
    let share = hits as f64 / fake.len().max(1) as f64;
    let chance = 1.0 / modes.len() as f64;
    let holds = share >= 0.8;
    Observation {
        text: format!(
            "samples of label c nearest mode c: {:.0}% (chance {:.0}%){}",
            100.0 * share,
            100.0 * chance,
            if holds {
                " — each condition lands in its own mode ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

/// pix2pix: for each objective the run has trained with, G's distance to the nearest
/// right answer (the last, and the least seen) and the mean distance its answers moved per
/// measurement. The claim holds once all three were seen: L1 alone never came within 0.3
/// of a right answer, the adversary came within 0.15, and both moved less than the
/// adversary alone.
pub(super) fn pix2pix(m: &mut Memory, s: &Session) -> Observation {
    let Some(lab) = lab_as::<Pix2PixLab>(s.lab()) else {
        return waiting("open the lesson's link (pix2pix)");
    };
    let (miss, moved) = (num(s, "miss"), num(s, "moved"));
    if !miss.is_finite() {
        return waiting("measuring…");
    }
    let objective = lab.model().objective.name().to_string();
    let e = m
        .by_objective
        .entry(objective)
        .or_insert((miss, miss, 0.0, 0));
    e.0 = miss;
    e.1 = e.1.min(miss);
    if moved.is_finite() {
        e.2 += moved;
        e.3 += 1;
    }
    let get = |k: &str| m.by_objective.get(k).copied();
    let mean_moved = |v: (f64, f64, f64, usize)| {
        if v.3 > 0 {
            v.2 / v.3 as f64
        } else {
            f64::NAN
        }
    };
    let parts: Vec<String> = m
        .by_objective
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}: off by {} (least {}), moving {}",
                fmt(v.0),
                fmt(v.1),
                fmt(mean_moved(*v))
            )
        })
        .collect();
    let (l1, adv, both) = (get("l1"), get("adversary"), get("both"));
    let holds = match (l1, adv, both) {
        (Some(l1), Some(adv), Some(both)) => {
            l1.1 > 0.3
                && adv.1 < 0.15
                && both.3 > 0
                && adv.3 > 0
                && mean_moved(both) < mean_moved(adv)
        }
        _ => false,
    };
    let tail = if holds {
        " — L1 lands between the answers, the adversary on one, and L1 steadies it ✓".to_string()
    } else {
        let missing: Vec<&str> = ["l1", "adversary", "both"]
            .into_iter()
            .filter(|k| get(k).is_none())
            .collect();
        if missing.is_empty() {
            String::new()
        } else {
            format!("; train with {} too", missing.join(", "))
        }
    };
    Observation {
        text: format!("{}{tail}", parts.join(" · ")),
        holds,
        histogram: None,
    }
}

/// The share of a sample off every mode: farther than 3 standard deviations from each
/// mode's centre (1 − the readout's high-quality share).
fn off_modes(high_quality: Option<f64>) -> Option<f64> {
    high_quality.filter(|v| v.is_finite()).map(|hq| 1.0 - hq)
}

/// How much larger the VAE's share off every mode must be than the GAN's.
pub const VAE_BLUR_MARGIN: f64 = 0.15;

pub(super) fn vae_gan(_: &mut Memory, s: &Session) -> Observation {
    let gan = lab_as::<PlaneLab>(s.lab()).and_then(|l| off_modes(l.report()?.high_quality));
    let vae = s
        .twin()
        .and_then(|t| lab_as::<VaeLab>(t.lab()))
        .and_then(|l| off_modes(l.report()?.metrics.high_quality));
    let (Some(a), Some(b)) = (gan, vae) else {
        return waiting("measuring… (a GAN and a VAE side by side)");
    };
    let holds = s.lab().game().counters().iteration > 0 && b - a >= VAE_BLUR_MARGIN;
    Observation {
        text: format!(
            "off every mode: GAN {}% · VAE {}%{}",
            human_number(100.0 * a, 3),
            human_number(100.0 * b, 3),
            if holds {
                " — the VAE's samples blur around and between the modes, the GAN's sit on them ✓"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}

/// How many times the real digits' mean per-pixel entropy the VAE's samples keep.
pub const VAE_GREY_RATIO: f64 = 2.0;
/// Digit classes the VAE's samples must cover (legibly) for the claim: blurred, yet digits.
pub const VAE_LEGIBLE_CLASSES: usize = 8;
/// The Fréchet distance the VAE's samples must be within: the classifier reads a grey blob
/// as some digit long before it looks like one (about 270 after 250 steps, 100 after
/// 1,000, natively).
pub const VAE_LEGIBLE_FRECHET: f64 = 120.0;

pub(super) fn vae_mnist(_: &mut Memory, s: &Session) -> Observation {
    let Some(r) = lab_as::<VaeDigitLab>(s.lab()).and_then(|l| l.report()) else {
        return waiting("measuring… (open the lesson's link: the MNIST VAE)");
    };
    let ratio = r.entropy / r.real_entropy;
    let legible =
        r.digits.classes_covered >= VAE_LEGIBLE_CLASSES && r.digits.frechet <= VAE_LEGIBLE_FRECHET;
    let holds = legible && ratio >= VAE_GREY_RATIO;
    Observation {
        text: format!(
            "mean per-pixel entropy: samples {} nats, real digits {} (×{}) · classes read: {} of 10, Fréchet {}{}",
            human_number(r.entropy, 3),
            human_number(r.real_entropy, 3),
            human_number(ratio, 3),
            r.digits.classes_covered,
            human_number(r.digits.frechet, 3),
            if holds {
                " — legible digits, but grey: the decoder's mean over what it cannot tell apart ✓"
            } else if !legible {
                " (waiting for legible digits)"
            } else {
                ""
            }
        ),
        holds,
        histogram: None,
    }
}
