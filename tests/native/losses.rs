//! Known-answer tests of the loss catalogue and the f-divergence table, against
//! independent numerical computation (quadrature, numerical suprema, closed forms).

use super::support::NoData;
use candle_core::{Device, Tensor, Var};
use gan_playground::core::game::bigan::{bigan_specs, BiGan};
use gan_playground::core::game::{TrainConfig, TRAIN_SETTINGS};
use gan_playground::core::loss::fdiv::FDivergence;
use gan_playground::core::loss::{help, Family, GenObjective, Loss, ROWS};
use gan_playground::core::nn::mlp::Activation;
use gan_playground::core::plane::metrics::js_divergence;
use gan_playground::core::rng::SeededRng;
use gan_playground::core::settings::describe;
use std::collections::HashSet;

fn t(v: &[f64]) -> Tensor {
    let v: Vec<f32> = v.iter().map(|&x| x as f32).collect();
    Tensor::from_vec(v.clone(), v.len(), &Device::Cpu).unwrap()
}

fn scalar(t: &Tensor) -> f64 {
    t.to_scalar::<f32>().unwrap() as f64
}

fn normal_pdf(x: f64, mu: f64, sigma: f64) -> f64 {
    (-(x - mu).powi(2) / (2.0 * sigma * sigma)).exp()
        / (sigma * (2.0 * std::f64::consts::PI).sqrt())
}

/// Trapezoid rule on [-14, 14] with 56,001 points.
fn integrate(f: impl Fn(f64) -> f64) -> f64 {
    let (a, b, n) = (-14.0, 14.0, 56_000);
    let h = (b - a) / n as f64;
    let mut s = 0.5 * (f(a) + f(b));
    for i in 1..n {
        s += f(a + i as f64 * h);
    }
    s * h
}

const MU_Q: f64 = 0.5;
fn p(x: f64) -> f64 {
    normal_pdf(x, 0.0, 1.0)
}
fn q(x: f64) -> f64 {
    normal_pdf(x, MU_Q, 1.0)
}

fn derivative(f: impl Fn(f64) -> f64, u: f64) -> f64 {
    let h = 1e-5 * u.max(1e-3);
    (f(u + h) - f(u - h)) / (2.0 * h)
}

/// Inverse of the (increasing) output activation, by bisection.
fn inverse_activation(div: FDivergence, target: f64) -> f64 {
    let (mut lo, mut hi) = (-60.0, 60.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if div.activation(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn minimax_value_at_optimal_discriminator_is_2js_minus_log4() {
    // Discrete p and q on three points, as 10 equally weighted samples each.
    let p = [0.1, 0.4, 0.5];
    let q = [0.3, 0.3, 0.4];
    let (np, nq) = ([1usize, 4, 5], [3usize, 3, 4]);
    // D*(x) = p/(p+q) means v* = log(p/q).
    let v: Vec<f64> = p
        .iter()
        .zip(&q)
        .map(|(a, b): (&f64, &f64)| (a / b).ln())
        .collect();
    let expand = |counts: [usize; 3]| -> Vec<f64> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(i, &c)| std::iter::repeat_n(v[i], c))
            .collect()
    };
    let d_loss = scalar(
        &Loss::Minimax
            .d_loss(&t(&expand(np)), &t(&expand(nq)))
            .unwrap(),
    );
    // Independent JS: ½ Σ p log(2p/(p+q)) + ½ Σ q log(2q/(p+q)).
    let js: f64 = p
        .iter()
        .zip(&q)
        .map(|(a, b)| 0.5 * a * (2.0 * a / (a + b)).ln() + 0.5 * b * (2.0 * b / (a + b)).ln())
        .sum();
    assert!(
        (-d_loss - (2.0 * js - 4f64.ln())).abs() < 1e-5,
        "V = {} vs {}",
        -d_loss,
        2.0 * js - 4f64.ln()
    );
    // The metric's JS agrees with the direct formula, and the loss's own estimate with both.
    assert!((js_divergence(&p, &q).unwrap() - js).abs() < 1e-12);
    let est = Loss::Minimax.divergence_estimate(d_loss).unwrap();
    assert_eq!(est.divergence, "js");
    assert!((est.value - js).abs() < 1e-5);
}

#[test]
fn f_divergences_match_closed_forms_for_two_gaussians() {
    let d = MU_Q;
    let phi = |x: f64| 0.5 * (1.0 + erf(x / 2f64.sqrt()));
    let cases = [
        (FDivergence::Kl, d * d / 2.0),
        (FDivergence::ReverseKl, d * d / 2.0),
        (FDivergence::Jeffrey, d * d),
        (FDivergence::Pearson, (d * d).exp() - 1.0),
        (FDivergence::Neyman, (d * d).exp() - 1.0),
        (
            FDivergence::SquaredHellinger,
            2.0 * (1.0 - (-d * d / 8.0).exp()),
        ),
        (FDivergence::TotalVariation, 2.0 * phi(d / 2.0) - 1.0),
    ];
    for (div, exact) in cases {
        let got = integrate(|x| q(x) * div.f(p(x) / q(x)));
        assert!(
            (got - exact).abs() < 1e-6,
            "{}: {got} vs closed form {exact}",
            div.name()
        );
    }
}

/// Abramowitz–Stegun 7.1.26 is too coarse here; use the series, fine for |x| < 3.
fn erf(x: f64) -> f64 {
    let mut sum = 0.0;
    let mut term = x;
    for n in 0..60 {
        sum += term / (2 * n + 1) as f64;
        term *= -x * x / (n + 1) as f64;
    }
    2.0 / std::f64::consts::PI.sqrt() * sum
}

#[test]
fn variational_bound_is_tight_at_the_optimal_critic_for_every_row() {
    for div in FDivergence::all() {
        let exact = integrate(|x| q(x) * div.f(p(x) / q(x)));
        // TV's f' is the subgradient ±½; keep the numerical derivative on its closed range.
        let t_opt = |x: f64| {
            let d = derivative(|u| div.f(u), p(x) / q(x));
            if div == FDivergence::TotalVariation {
                d.clamp(-0.5, 0.5)
            } else {
                d
            }
        };
        let bound = integrate(|x| p(x) * t_opt(x) - q(x) * div.conjugate(t_opt(x)));
        assert!(
            (bound - exact).abs() < 1e-4 * exact.abs().max(1.0),
            "{}: bound {bound} vs D_f {exact}",
            div.name()
        );
        // Any other critic gives a smaller value (it is a lower bound).
        let worse = integrate(|x| {
            let tt = div.activation(inverse_activation(div, t_opt(x)) - 0.3);
            p(x) * tt - q(x) * div.conjugate(tt)
        });
        assert!(
            worse < exact,
            "{}: {worse} is not below {exact}",
            div.name()
        );
    }
}

#[test]
fn conjugates_match_their_definition_numerically() {
    for div in FDivergence::all() {
        for v in [-3.0, -1.5, -0.5, 0.0, 0.4, 1.0, 2.0] {
            let t = div.activation(v);
            // sup_u ut − f(u): coarse log grid, then golden-section refinement.
            let g = |u: f64| u * t - div.f(u);
            let mut grid: Vec<f64> = (0..=4000)
                .map(|i| 10f64.powf(-8.0 + 16.0 * i as f64 / 4000.0))
                .collect();
            // The table defines f on all of ℝ for Pearson χ² and total variation.
            if matches!(div, FDivergence::Pearson | FDivergence::TotalVariation) {
                grid = (0..=40000)
                    .map(|i| -50.0 + 100.0 * i as f64 / 40000.0)
                    .collect();
            }
            let best = (0..grid.len())
                .max_by(|&a, &b| g(grid[a]).total_cmp(&g(grid[b])))
                .unwrap();
            let (mut a, mut b) = (
                grid[best.saturating_sub(1)],
                grid[(best + 1).min(grid.len() - 1)],
            );
            let r = (5f64.sqrt() - 1.0) / 2.0;
            for _ in 0..200 {
                let (c, d) = (b - r * (b - a), a + r * (b - a));
                if g(c) > g(d) {
                    b = d;
                } else {
                    a = c;
                }
            }
            let sup = g(0.5 * (a + b)).max(g(grid[best]));
            let conj = div.conjugate(t);
            assert!(
                (sup - conj).abs() < 1e-6 * conj.abs().max(1.0),
                "{} at t = {t}: sup {sup} vs f*(t) {conj}",
                div.name()
            );
        }
    }
}

#[test]
fn activations_map_into_the_conjugate_domain_and_increase() {
    for div in FDivergence::all() {
        let mut prev = f64::NEG_INFINITY;
        for i in 0..=400 {
            let v = -20.0 + 0.1 * i as f64;
            let t = div.activation(v);
            assert!(
                div.conjugate(t).is_finite(),
                "{}: f*(g({v})) not finite",
                div.name()
            );
            assert!(t >= prev, "{}: activation decreases at {v}", div.name());
            prev = t;
        }
    }
}

#[test]
fn tensor_forms_agree_with_scalar_forms() {
    let vs: Vec<f64> = (0..=80).map(|i| -4.0 + 0.1 * i as f64).collect();
    let x = t(&vs);
    for div in FDivergence::all() {
        let act = div.activation_t(&x).unwrap().to_vec1::<f32>().unwrap();
        let conj = div
            .conjugate_of_activation_t(&x)
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        for (i, &v) in vs.iter().enumerate() {
            let (a, c) = (div.activation(v), div.conjugate(div.activation(v)));
            assert!(
                (act[i] as f64 - a).abs() < 1e-4 * a.abs().max(1.0),
                "{} g({v})",
                div.name()
            );
            assert!(
                (conj[i] as f64 - c).abs() < 1e-4 * c.abs().max(1.0),
                "{} f*(g({v})): {} vs {c}",
                div.name(),
                conj[i]
            );
        }
    }
}

#[test]
fn jeffrey_conjugate_gradient_is_the_maximiser() {
    // d f*(t)/dt = u*(t) = 1/W(e^{1−t}); compare the autograd gradient with finite differences.
    let v = candle_core::Var::new(&[-1.0f32, 0.0, 0.7, 2.0], &Device::Cpu).unwrap();
    let y = FDivergence::Jeffrey
        .conjugate_of_activation_t(v.as_tensor())
        .unwrap()
        .sum_all()
        .unwrap();
    let g = y
        .backward()
        .unwrap()
        .get(v.as_tensor())
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    for (i, tv) in [-1.0f64, 0.0, 0.7, 2.0].iter().enumerate() {
        let fd = derivative(|t| FDivergence::Jeffrey.conjugate(t), *tv);
        assert!(
            (g[i] as f64 - fd).abs() < 1e-3 * fd.abs().max(1.0),
            "t = {tv}: {} vs {fd}",
            g[i]
        );
    }
}

#[test]
fn fgan_discriminator_loss_estimates_the_divergence_by_monte_carlo() {
    // With the optimal critic v = g⁻¹(f'(p/q)), −d_loss is a Monte Carlo estimate of D_f.
    let mut rng = SeededRng::new(3);
    let n = 40_000;
    let xs_p: Vec<f64> = (0..n).map(|_| rng.normal() as f64).collect();
    let xs_q: Vec<f64> = (0..n).map(|_| MU_Q + rng.normal() as f64).collect();
    for div in FDivergence::all() {
        let v_of = |x: f64| inverse_activation(div, derivative(|u| div.f(u), p(x) / q(x)));
        let vr: Vec<f64> = xs_p.iter().map(|&x| v_of(x)).collect();
        let vf: Vec<f64> = xs_q.iter().map(|&x| v_of(x)).collect();
        let loss = Loss::FGan(div, GenObjective::NonSaturating);
        let estimate = -scalar(&loss.d_loss(&t(&vr), &t(&vf)).unwrap());
        let exact = integrate(|x| q(x) * div.f(p(x) / q(x)));
        assert!(
            (estimate - exact).abs() < 0.1 * exact.abs() + 0.005,
            "{}: Monte Carlo {estimate} vs {exact}",
            div.name()
        );
        assert_eq!(loss.divergence_estimate(-estimate).unwrap().value, estimate);
    }
}

#[test]
fn classic_losses_match_their_formulas() {
    let vr = [2.0, -1.0, 0.5];
    let vf = [-3.0, 0.2, 1.5];
    let sp = |x: f64| (1.0 + x.exp()).ln();
    let mean =
        |v: &[f64], f: &dyn Fn(f64) -> f64| v.iter().map(|&x| f(x)).sum::<f64>() / v.len() as f64;
    let (r, f) = (t(&vr), t(&vf));
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    // log σ(v) = −softplus(−v); log(1 − σ(v)) = −softplus(v).
    close(
        scalar(&Loss::Minimax.d_loss(&r, &f).unwrap()),
        mean(&vr, &|x| sp(-x)) + mean(&vf, &sp),
    );
    close(scalar(&Loss::Minimax.g_loss(&f).unwrap()), -mean(&vf, &sp));
    close(
        scalar(&Loss::NonSaturating.g_loss(&f).unwrap()),
        mean(&vf, &|x| sp(-x)),
    );
    close(
        scalar(&Loss::Wgan.d_loss(&r, &f).unwrap()),
        mean(&vf, &|x| x) - mean(&vr, &|x| x),
    );
    close(scalar(&Loss::Wgan.g_loss(&f).unwrap()), -mean(&vf, &|x| x));
    close(
        scalar(&Loss::Lsgan.d_loss(&r, &f).unwrap()),
        0.5 * mean(&vr, &|x| (x - 1.0).powi(2)) + 0.5 * mean(&vf, &|x| x * x),
    );
    close(
        scalar(&Loss::Lsgan.g_loss(&f).unwrap()),
        0.5 * mean(&vf, &|x| (x - 1.0).powi(2)),
    );
    close(
        scalar(&Loss::Hinge.d_loss(&r, &f).unwrap()),
        mean(&vr, &|x| (1.0 - x).max(0.0)) + mean(&vf, &|x| (1.0 + x).max(0.0)),
    );
    close(scalar(&Loss::Hinge.g_loss(&f).unwrap()), -mean(&vf, &|x| x));
    // Boundary seeking: the classic D; G's loss from D's probabilities themselves,
    // ½(log D − log(1 − D))², computed from σ(v) rather than from v.
    close(
        scalar(&Loss::BoundarySeeking.d_loss(&r, &f).unwrap()),
        scalar(&Loss::Minimax.d_loss(&r, &f).unwrap()),
    );
    let sigmoid = |x: f64| 1.0 / (1.0 + (-x).exp());
    close(
        scalar(&Loss::BoundarySeeking.g_loss(&f).unwrap()),
        mean(&vf, &|x| {
            let d = sigmoid(x);
            0.5 * (d.ln() - (1.0 - d).ln()).powi(2)
        }),
    );
    // Its gradient at D = ½ (v = 0) is zero: G stops where D cannot tell.
    let at_boundary = Var::new(&[0.0f32, 0.0], &Device::Cpu).unwrap();
    let g = Loss::BoundarySeeking
        .g_loss(at_boundary.as_tensor())
        .unwrap();
    let grad = g.backward().unwrap();
    let dv: Vec<f32> = grad.get(&at_boundary).unwrap().to_vec1().unwrap();
    assert_eq!(dv, vec![0.0, 0.0]);
}

#[test]
fn saturated_logits_stay_finite() {
    let big = t(&[1e4, -1e4, 80.0, -80.0]);
    let losses = [
        Loss::Minimax,
        Loss::NonSaturating,
        Loss::FGan(FDivergence::Gan, GenObjective::NonSaturating),
        Loss::FGan(FDivergence::JensenShannon, GenObjective::Saturating),
    ];
    for loss in losses {
        let d = scalar(&loss.d_loss(&big, &big).unwrap());
        let g = scalar(&loss.g_loss(&big).unwrap());
        assert!(d.is_finite() && g.is_finite(), "{}: {d} {g}", loss.name());
    }
}

#[test]
fn every_loss_name_round_trips() {
    let all = Loss::all();
    // Every f-GAN row twice (both generator objectives), plus the plain rows.
    assert_eq!(all.len(), Loss::names().len() + FDivergence::NAMES.len());
    for loss in &all {
        assert_eq!(Loss::parse(&loss.name()).unwrap(), *loss, "{}", loss.name());
    }
    // A few families by hand, against the table.
    for (name, family) in [
        ("minimax", "classic"),
        ("ns", "classic"),
        ("f-kl-sat", "f-GAN"),
        ("wgan-gp-one-sided", "Wasserstein"),
        ("hinge", "least squares and hinge"),
    ] {
        assert_eq!(Loss::parse(name).unwrap().family(), family, "{name}");
    }
    assert_eq!(
        Loss::parse("f-alpha=2-sat").unwrap(),
        Loss::FGan(FDivergence::Alpha { alpha: 2.0 }, GenObjective::Saturating)
    );
    for bad in [
        "",
        "gan",
        "f-",
        "f-kl=1",
        "f-alpha=1",
        "f-alpha=x",
        "f-weighted-js=1.5",
        "wgan-gpx",
    ] {
        assert!(Loss::parse(bad).is_err(), "'{bad}' should be rejected");
    }
}

/// The loss table and everything that reads it agree: every row is a loss of
/// `Loss::all()` once, parses back from each of its names, and reads back as the row
/// says; no two rows share a name; the families are the menu's groups, in its order; the
/// page's menu, the listed names and the CLI's help hold every row.
#[test]
fn the_loss_table_and_its_readers_agree() {
    let all = Loss::all();
    let mut names = HashSet::new();
    for (loss, row) in ROWS {
        let name = row.names[0];
        assert_eq!(all.iter().filter(|l| *l == loss).count(), 1, "{name}");
        for alias in row.names {
            assert_eq!(Loss::parse(alias).unwrap(), *loss, "{alias}");
            assert!(names.insert(alias.to_string()), "{alias} names two rows");
        }
        assert_eq!(loss.name(), name);
        assert_eq!(loss.group(), row.family, "{name}");
        assert_eq!(
            loss.formulas(),
            (row.d_formula.to_string(), row.g_formula.to_string())
        );
        assert_eq!(loss.constraint(), row.constraint, "{name}");
        assert_eq!(
            loss.estimated_divergence(),
            row.estimate.map(|e| e.divergence)
        );
        assert_eq!(loss.is_symmetric(), row.symmetric, "{name}");
    }
    for loss in &all {
        assert!(
            names.insert(loss.name()) || ROWS.iter().any(|(l, _)| l == loss),
            "{} is listed twice",
            loss.name()
        );
        assert_eq!(loss.family(), loss.group().label());
        // Each constraint shows in D's formula, and only there.
        let (d, _) = loss.formulas();
        assert_eq!(
            loss.clips_weights(),
            d.contains("clipped"),
            "{}",
            loss.name()
        );
        assert_eq!(
            loss.gradient_penalty_kind().is_some(),
            d.contains("∇V"),
            "{}",
            loss.name()
        );
    }
    // The families in the menu's order, each in one piece.
    let mut groups: Vec<Family> = Vec::new();
    for loss in &all {
        if groups.last() != Some(&loss.group()) {
            assert!(
                !groups.contains(&loss.group()),
                "{:?} is split",
                loss.group()
            );
            groups.push(loss.group());
        }
    }
    assert_eq!(
        groups,
        Family::ALL,
        "every family holds a loss, in the menu's order"
    );
    // The listed names: one per row, the f-GAN rows by their default's name.
    let listed = Loss::names();
    let canonical: Vec<Loss> = all
        .iter()
        .copied()
        .filter(|l| !matches!(l, Loss::FGan(_, GenObjective::Saturating)))
        .collect();
    assert_eq!(listed.len(), canonical.len());
    for (name, loss) in listed.iter().zip(&canonical) {
        assert_eq!(Loss::parse(name).unwrap(), *loss, "{name}");
    }
    // The page's menu is the settings' loss options.
    let menu = describe(TRAIN_SETTINGS)
        .into_iter()
        .find(|s| s.key == "loss")
        .unwrap()
        .options;
    let expected: Vec<(String, String)> = all
        .iter()
        .map(|l| (l.name(), l.family().to_string()))
        .collect();
    assert_eq!(menu, expected);
    // The CLI's help names every row, every divergence and every family.
    let text = help();
    for (_, row) in ROWS {
        for alias in row.names {
            assert!(text.contains(alias), "{alias} is not in the help: {text}");
        }
    }
    for div in FDivergence::NAMES {
        assert!(text.contains(div), "{div} is not in the help: {text}");
    }
    for family in Family::ALL {
        assert!(text.contains(family.label()), "{family:?}: {text}");
    }
}

/// A symmetric row's labels are mirror images, `d_fake(v) = d_real(−v)` (what the
/// BiGAN's encoder needs), and the BiGAN takes exactly the symmetric rows without a
/// gradient penalty.
#[test]
fn symmetric_rows_mirror_their_labels_and_are_the_bigan_s() {
    for (loss, row) in ROWS {
        let mirrored = (-30..=30).all(|i| {
            let v = i as f32 * 0.37;
            (row.d_fake.host)(v).0 == (row.d_real.host)(-v).0
        });
        assert_eq!(mirrored, row.symmetric, "{}", loss.name());
    }
    let takes = |l: &Loss| l.is_symmetric() && l.gradient_penalty_kind().is_none();
    let taken: Vec<String> = Loss::all()
        .iter()
        .filter(|l| takes(l))
        .map(Loss::name)
        .collect();
    for loss in Loss::all() {
        let cfg = TrainConfig {
            loss,
            ..TrainConfig::default()
        };
        let game = BiGan::new(
            Box::new(NoData),
            bigan_specs(2, 4, 1, Activation::Relu),
            cfg,
            SeededRng::new(1),
            &Device::Cpu,
        );
        assert_eq!(game.is_ok(), takes(&loss), "{}", loss.name());
        if let Err(e) = game {
            // Penalties and EBGAN's energy critic are refused before the mirror is asked.
            if loss.gradient_penalty_kind().is_none() && !loss.energy_critic() {
                let e = e.to_string();
                assert!(taken.iter().all(|n| e.contains(n.as_str())), "{e}");
            }
        }
    }
}

#[test]
fn every_loss_has_its_own_formula_text() {
    let mut seen = std::collections::HashSet::new();
    for loss in Loss::all() {
        let name = loss.name();
        let (d, g) = loss.formulas();
        assert!(d.contains("_D") && g.contains("min_G"), "{name}: {d} / {g}");
        assert!(
            seen.insert(format!("{d}|{g}")),
            "{name} shares its formulas with another loss"
        );
        if let Loss::FGan(div, _) = loss {
            let (act, conj) = div.formula_text();
            assert!(d.contains(&act) && d.contains(&conj), "{name}");
        }
    }
}
