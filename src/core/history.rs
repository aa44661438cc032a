//! The whole training history at bounded size, for the charts: when full, every other
//! point is dropped, so the curve always spans step 0 to now at a resolution that halves
//! as the run doubles; and the charts drawn from it.

use super::palette::{Rgb, FAKE, GREEN, GREY, INK, PURPLE, REAL, RED};
use super::step_means::MeanPoint;
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
    /// A game's own measurements (NaN where unused): the xy game's radii and values, the
    /// BiGAN's reconstruction errors, the CycleGAN's cycle errors ([`Chart::Radius`],
    /// [`Chart::XyValue`], [`Chart::Reconstruction`], [`Chart::Cycle`]).
    pub game: [f64; 4],
}

impl HistoryPoint {
    /// Values per point in [`HistoryPoint::to_row`].
    pub const ROW: usize = 18;

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
            self.game[0],
            self.game[1],
            self.game[2],
            self.game[3],
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
            game: [r[14], r[15], r[16], r[17]],
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

/// Something that happened at a step, marked on the charts: a setting changed live
/// ("k 3", "loss hinge"), or the run diverged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Marker {
    pub step: usize,
    pub label: String,
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
    /// The xy game: each copy's distance from the equilibrium.
    Radius,
    /// The xy game: `V = x·y` of each copy.
    XyValue,
    /// BiGAN: `‖G(E(x)) − x‖` and `‖E(G(z)) − z‖`.
    Reconstruction,
    /// CycleGAN: `‖F(G(x)) − x‖₁` and `‖G(F(y)) − y‖₁`.
    Cycle,
    /// pix2pix: how far G's answers are from the nearest right one, and how far they
    /// moved since the last measurement.
    Answers,
    /// VAE: the ELBO's reconstruction and KL terms and `−ELBO`.
    Elbo,
}

/// A chart's line: its name, colour, style and value at a history point.
#[derive(Clone, Copy)]
pub struct Series {
    pub name: &'static str,
    pub colour: Rgb,
    /// Dashed, to tell it from a solid line of a similar colour.
    pub dashed: bool,
    /// Line width in pixels: 1 for a line drawn over another that it often equals.
    pub width: u32,
    pub value: fn(&HistoryPoint) -> f64,
}

const fn line(name: &'static str, colour: Rgb, value: fn(&HistoryPoint) -> f64) -> Series {
    Series {
        name,
        colour,
        dashed: false,
        width: 2,
        value,
    }
}

impl Chart {
    pub const NAMES: [&'static str; 11] = [
        "losses",
        "divergences",
        "modes",
        "quality",
        "classes",
        "radius",
        "xy-value",
        "reconstruction",
        "cycle",
        "answers",
        "elbo",
    ];

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
            Chart::Radius,
            Chart::XyValue,
            Chart::Reconstruction,
            Chart::Cycle,
            Chart::Answers,
            Chart::Elbo,
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
                    line("D loss", REAL, |p| p.d_loss),
                    line("G loss", FAKE, |p| p.g_loss),
                ],
            ),
            Chart::Divergences => (
                "divergences (nats) and W1",
                vec![
                    line("JS", REAL, |p| p.js),
                    line("KL", RED, |p| p.kl),
                    line("reverse KL", PURPLE, |p| p.rkl),
                    line("W1", GREEN, |p| p.w1),
                    Series {
                        dashed: true,
                        ..line("from D's loss", GREY, |p| p.d_estimate)
                    },
                    // Often JS itself: thin, so that the JS line shows under it.
                    Series {
                        width: 1,
                        ..line("its true value", INK, |p| p.d_measured)
                    },
                ],
            ),
            Chart::Modes => (
                "modes covered",
                vec![line("modes", REAL, |p| p.modes_covered as f64)],
            ),
            Chart::Classes => (
                "digit classes covered",
                vec![line("classes", REAL, |p| p.modes_covered as f64)],
            ),
            Chart::DigitQuality => (
                "Fréchet distance (classifier features)",
                vec![line("Fréchet", RED, |p| p.frechet)],
            ),
            Chart::Radius => (
                "distance from the equilibrium (0, 0)",
                vec![
                    line("simultaneous", FAKE, |p| p.game[0]),
                    line("alternating", REAL, |p| p.game[1]),
                ],
            ),
            Chart::XyValue => (
                "V(x, y) = x·y",
                vec![
                    line("simultaneous", FAKE, |p| p.game[2]),
                    line("alternating", REAL, |p| p.game[3]),
                ],
            ),
            Chart::Reconstruction => (
                "reconstruction error (mean distance)",
                vec![
                    line("‖G(E(x)) − x‖", REAL, |p| p.game[0]),
                    line("‖E(G(z)) − z‖", FAKE, |p| p.game[1]),
                ],
            ),
            Chart::Cycle => (
                "cycle error (mean L1)",
                vec![
                    line("‖F(G(x)) − x‖₁", REAL, |p| p.game[0]),
                    line("‖G(F(y)) − y‖₁", FAKE, |p| p.game[1]),
                ],
            ),
            Chart::Answers => (
                "G's answers (mean over a sweep of x)",
                vec![
                    line("distance to the nearest right y", REAL, |p| p.game[0]),
                    line("moved since last measured", FAKE, |p| p.game[1]),
                ],
            ),
            Chart::Elbo => (
                "the VAE's loss, −ELBO, and its two terms (nats)",
                vec![
                    line("reconstruction E_q[−log p(x|z)]", REAL, |p| p.game[0]),
                    line("KL(q(z|x) ‖ p(z))", FAKE, |p| p.game[1]),
                    Series {
                        dashed: true,
                        ..line("−ELBO", INK, |p| p.game[2])
                    },
                ],
            ),
        }
    }

    /// The chart's data as CSV: `step` then one column per line, from the history
    /// points; the loss chart from its per-step means instead (`losses`, when given).
    pub fn csv(self, points: &[HistoryPoint], losses: Option<&[MeanPoint]>) -> String {
        let (_, series) = self.series();
        let mut out = String::from("step");
        for s in &series {
            out.push(',');
            out.push_str(s.name);
        }
        out.push('\n');
        let cell = |v: f64| {
            if v.is_finite() {
                v.to_string()
            } else {
                String::new()
            }
        };
        match (self, losses) {
            (Chart::Losses, Some(means)) => {
                for m in means {
                    out.push_str(&format!(
                        "{},{},{}\n",
                        m.step,
                        cell(m.d_loss),
                        cell(m.g_loss)
                    ));
                }
            }
            _ => {
                for p in points {
                    out.push_str(&p.step.to_string());
                    for s in &series {
                        out.push(',');
                        out.push_str(&cell((s.value)(p)));
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The chart in words, for a screen reader (the canvas's text alternative): its title
    /// and each line's last value, as the readout writes numbers; the loss chart's from
    /// its per-step means (`losses`, when given). A value that does not exist is left out.
    pub fn describe(self, points: &[HistoryPoint], losses: Option<&[MeanPoint]>) -> String {
        let (title, series) = self.series();
        let last = match (self, losses) {
            (Chart::Losses, Some(means)) => means
                .last()
                .map(|m| (m.step.round() as usize, vec![m.d_loss, m.g_loss])),
            _ => points
                .last()
                .map(|p| (p.step, series.iter().map(|s| (s.value)(p)).collect())),
        };
        let Some((step, values)) = last else {
            return format!("{title}: nothing measured yet");
        };
        let said: Vec<String> = series
            .iter()
            .zip(values)
            .filter(|(_, v)| v.is_finite())
            .map(|(s, v)| {
                // A count (modes, classes) as a whole number.
                let v = if v.fract() == 0.0 && v.abs() < 1e5 {
                    format!("{}", v as i64)
                } else {
                    super::format::human_number(v, 3)
                };
                format!("{} {v}", s.name)
            })
            .collect();
        if said.is_empty() {
            format!("{title}: nothing measured yet")
        } else {
            format!("{title}, by step; at step {step}: {}", said.join(", "))
        }
    }

    /// Several runs' CSVs (each as [`Chart::csv`] writes it, the same columns) as one
    /// table with a `run` column first: compare mode's export of both runs.
    pub fn csv_of_runs(runs: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for (i, (name, csv)) in runs.iter().enumerate() {
            let mut lines = csv.lines();
            let header = lines.next().unwrap_or("step");
            if i == 0 {
                out.push_str(&format!("run,{header}\n"));
            }
            for line in lines {
                out.push_str(&format!("{name},{line}\n"));
            }
        }
        out
    }

    /// What the chart shows, for a reader who hovers over it: each line, its formula and
    /// its source.
    pub fn help(self) -> &'static str {
        match self {
            Chart::Losses => {
                "The losses each network minimises, at the last step before each \
                point (the formulas above the plane). With the minimax loss at the equilibrium \
                D = ½ everywhere, the D loss is log 4 ≈ 1.386 (Goodfellow et al. 2014)."
            }
            Chart::Divergences => {
                "How far the generated distribution p_g is from the data's \
                p_data, measured from samples of each (1,000 in the page, 2,500 in the CLI) on a grid: JS, the Jensen–Shannon \
                divergence (at most log 2 ≈ 0.693); KL = KL(p_data‖p_g), large where G misses \
                data (mode dropping); reverse KL = KL(p_g‖p_data), large where G puts mass off \
                the data; W1, the earth mover's distance, exact on 200 samples. Log scale: \
                the first values are often 100 times the later ones. \
                'From D's loss': the divergence the loss makes D estimate, read from the D \
                loss (minimax: JS ≈ (log 4 − L_D)/2; f-GAN: its variational lower bound −L_D; \
                WGAN: W1 ≈ −L_D) — dashed; 'its true value': the same divergence measured \
                from samples. They meet when D is near optimal."
            }
            Chart::Modes => {
                "Modes covered: the data set's modes (the Gaussians of ring8 and \
                grid25) with at least 1% of the generated samples within 3 standard \
                deviations. A falling count is mode collapse (Metz et al. 2017)."
            }
            Chart::Classes => {
                "Digit classes covered: the classes the quality classifier \
                assigns to at least 1% of the generated digits. Fewer than 10 is mode collapse."
            }
            Chart::Radius => {
                "The distance √(x² + y²) of each copy of the xy game's players from its \
                only equilibrium (0, 0) (lecture notes, seed 001, Non-Convergence). \
                Simultaneous gradient steps multiply it by √(1 + η_D·η_G) every step: they \
                circle outwards. Alternating steps keep it on a closed ellipse: bounded, \
                never converging. Log scale."
            }
            Chart::XyValue => {
                "The game's value V(x, y) = x·y at each copy's players: it changes sign \
                as they circle (the notes' states 1 to 4) and never settles at 0."
            }
            Chart::Reconstruction => {
                "A BiGAN's encoder E should invert its generator G (Donahue et al. \
                2017; lecture notes, seed 001): ‖G(E(x)) − x‖ on data points and \
                ‖E(G(z)) − z‖ on noise, each a mean Euclidean distance over 1,000 samples. \
                Nothing in the loss asks for it directly: it comes from the critic of (x, z) pairs."
            }
            Chart::Answers => {
                "pix2pix on the plane (Isola et al. 2017; lecture notes, seeds 000, 004): \
                for 200 inputs x across [−1, 1], each with a fixed noise z, the mean \
                distance from G(x, z) to the nearest right answer y, and how far the \
                answers moved since the last measurement (their steadiness). L1 alone \
                lands between two right answers; the adversary picks one."
            }
            Chart::Elbo => {
                "A VAE (Kingma and Welling 2014; lecture notes, seeds 000, 002) maximises \
                the evidence lower bound ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I)). \
                Reconstruction: the expected negative log-likelihood of a data point under \
                the decoder, from one draw z = μ + σ·ε (on the plane a Gaussian of fixed σ, \
                so it can be negative; for MNIST a Bernoulli per pixel). KL: how far the \
                encoder's posterior is from the prior, in closed form. Their sum, −ELBO, \
                bounds −log p(x) from above. Each is a mean over 1,000 fresh data points."
            }
            Chart::Cycle => {
                "CycleGAN's cycle consistency (Zhu et al. 2017; lecture notes, seeds 000, \
                001, 004): after going X → Y → X, ‖F(G(x)) − x‖₁, and Y → X → Y, \
                ‖G(F(y)) − y‖₁, each the mean over 1,000 samples of the L1 distance, the \
                term the cycle loss λ weights. With λ = 0 nothing keeps it small."
            }
            Chart::DigitQuality => {
                "The Fréchet distance between real and generated digits in \
                the quality classifier's features (as FID, Heusel et al. 2017, with a small \
                classifier of our own): lower is better; real against real digits is the floor."
            }
        }
    }
}
