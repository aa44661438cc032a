//! Metrics against analytic values.

use gan_playground::core::plane::data::{ring_modes, Mode};
use gan_playground::core::plane::density::{kde_on_grid, GridSpec};
use gan_playground::core::plane::metrics::*;
use gan_playground::core::rng::SeededRng;

fn gaussian_sample(rng: &mut SeededRng, n: usize, mean: [f32; 2]) -> Vec<[f32; 2]> {
    (0..n)
        .map(|_| [mean[0] + rng.normal(), mean[1] + rng.normal()])
        .collect()
}

#[test]
fn kl_and_js_of_two_gaussians_match_analytic_values() {
    let mut rng = SeededRng::new(11);
    let a = gaussian_sample(&mut rng, 4000, [0.0, 0.0]);
    let b = gaussian_sample(&mut rng, 4000, [1.0, 0.0]);
    let (_, p, q) = smoothed_masses(&a, &b, DIVERGENCE_GRID);
    // KL(N(0,I) ‖ N(e₁,I)) = ½: smoothing lowers it, sampling noise raises it (doc comment).
    let kl = kl_divergence(&p, &q).unwrap();
    let rkl = kl_divergence(&q, &p).unwrap();
    assert!((0.44..0.56).contains(&kl), "KL {kl}");
    assert!((0.44..0.56).contains(&rkl), "reverse KL {rkl}");
    // JS by quadrature of the exact densities (1D suffices: the second axis cancels).
    let pdf = |x: f64, m: f64| (-(x - m).powi(2) / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut js_exact = 0.0;
    let h = 1e-3;
    let mut x = -12.0;
    while x < 13.0 {
        let (pp, qq) = (pdf(x, 0.0), pdf(x, 1.0));
        let m = 0.5 * (pp + qq);
        js_exact += h * (0.5 * pp * (pp / m).ln() + 0.5 * qq * (qq / m).ln());
        x += h;
    }
    let js = js_divergence(&p, &q).unwrap();
    assert!((js - js_exact).abs() < 0.02, "JS {js} vs exact {js_exact}");
    // Identical distributions: both divergences near 0 (sampling noise only).
    let c = gaussian_sample(&mut rng, 4000, [0.0, 0.0]);
    let (_, p2, q2) = smoothed_masses(&a, &c, DIVERGENCE_GRID);
    assert!(js_divergence(&p2, &q2).unwrap() < 0.01);
    assert!(kl_divergence(&p2, &q2).unwrap() < 0.03);
}

#[test]
fn js_is_bounded_by_ln2_for_disjoint_samples() {
    let mut rng = SeededRng::new(2);
    let a = gaussian_sample(&mut rng, 1000, [0.0, 0.0]);
    let b = gaussian_sample(&mut rng, 1000, [40.0, 0.0]);
    let (_, p, q) = smoothed_masses(&a, &b, DIVERGENCE_GRID);
    let js = js_divergence(&p, &q).unwrap();
    assert!((js - std::f64::consts::LN_2).abs() < 1e-3, "{js}");
}

#[test]
fn exact_w1_of_a_translation_is_the_shift() {
    let mut rng = SeededRng::new(5);
    let a = gaussian_sample(&mut rng, 200, [0.0, 0.0]);
    let mut b: Vec<[f32; 2]> = a.iter().map(|p| [p[0] + 0.3, p[1] + 0.4]).collect();
    b.reverse();
    let w = wasserstein1_exact(&a, &b).unwrap();
    assert!((w - 0.5).abs() < 1e-5, "{w}");
    assert!(wasserstein1_exact(&a, &a).unwrap().abs() < 1e-12);
    let s = sliced_wasserstein1(&a, &b, 256).unwrap();
    assert!(
        (s - 0.5 * 2.0 / std::f64::consts::PI).abs() < 0.005,
        "sliced {s}"
    );
    assert!(wasserstein1_exact(&a, &b[..10]).is_err());
}

#[test]
fn exact_w1_on_a_hand_example() {
    let a = [[0.0, 0.0], [3.0, 0.0]];
    let b = [[1.0, 0.0], [2.0, 0.0]];
    assert!((wasserstein1_exact(&a, &b).unwrap() - 1.0).abs() < 1e-12);
}

#[test]
fn assignment_matches_brute_force() {
    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for p in permutations(n - 1) {
            for i in 0..n {
                let mut q = p.clone();
                q.insert(i, n - 1);
                out.push(q);
            }
        }
        out
    }
    let mut rng = SeededRng::new(9);
    for n in 1..=6 {
        let cost: Vec<f64> = (0..n * n).map(|_| rng.uniform(0.0, 10.0) as f64).collect();
        let total = |perm: &[usize]| {
            perm.iter()
                .enumerate()
                .map(|(i, &j)| cost[i * n + j])
                .sum::<f64>()
        };
        let best = permutations(n)
            .iter()
            .map(|p| total(p))
            .fold(f64::INFINITY, f64::min);
        let got = min_cost_assignment(&cost, n).unwrap();
        let mut seen = got.clone();
        seen.sort();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "not a permutation");
        assert!(
            (total(&got) - best).abs() < 1e-9,
            "n = {n}: {} vs {best}",
            total(&got)
        );
    }
}

#[test]
fn mode_coverage_counts_high_quality_samples() {
    let modes = ring_modes();
    let mut samples = Vec::new();
    for m in &modes[..5] {
        for _ in 0..100 {
            samples.push([m.centre[0] + 0.02, m.centre[1]]); // 2 std: high quality
        }
    }
    for _ in 0..100 {
        samples.push([0.0, 0.0]); // far from every centre
    }
    samples.push([modes[6].centre[0], modes[6].centre[1]]); // one stray sample
    let cov = mode_coverage(&samples, &modes, 0.01);
    assert_eq!(cov.covered, 5, "a single sample is below the 1% share");
    assert_eq!(cov.counts[6], 1);
    assert!((cov.high_quality - 501.0 / 601.0).abs() < 1e-12);
    let papers = mode_coverage(&samples, &modes, 0.0);
    assert_eq!(
        papers.covered, 6,
        "the papers' definition counts one sample"
    );
    let uniform = mode_coverage(
        &modes.iter().map(|m| m.centre).collect::<Vec<_>>(),
        &modes,
        0.0,
    );
    assert!(uniform.kl_from_uniform.abs() < 1e-12);
    let one = mode_coverage(&[modes[0].centre], &modes, 0.0);
    assert!((one.kl_from_uniform - 8f64.ln()).abs() < 1e-12);
}

#[test]
fn optimal_discriminator_is_p_over_p_plus_q() {
    let d = optimal_discriminator(&[0.2, 0.0, 0.5], &[0.6, 0.0, 0.5]);
    assert_eq!(d, vec![0.25, 0.5, 0.5]);
}

#[test]
fn kde_integrates_to_one_and_matches_the_density() {
    let mode = Mode {
        centre: [0.0, 0.0],
        std: 1.0,
    };
    let mut rng = SeededRng::new(4);
    let pts = gan_playground::core::plane::data::mixture(&[mode], &mut rng, 20_000);
    let grid = GridSpec::square([0.0, 0.0], 6.0, 96);
    let h = 0.2;
    let dens = kde_on_grid(&pts, &grid, h);
    let area = grid.cell()[0] * grid.cell()[1];
    let total: f64 = dens.iter().sum::<f64>() * area;
    assert!((total - 1.0).abs() < 1e-3, "mass {total}");
    // At the centre the smoothed density is 1/(2π(1 + h²)).
    let centre = dens[48 * 96 + 48].max(dens[47 * 96 + 47]);
    let exact = 1.0 / (2.0 * std::f64::consts::PI * (1.0 + h * h));
    assert!((centre - exact).abs() < 0.1 * exact, "{centre} vs {exact}");
}

/// The data-set picker's thumbnails: every preset's points lie in the unit square, the
/// same on each call, and where the data set is: the ring of 8's thumbnail puts its
/// points near the eight modes, mapped by the ring's view as the plane maps them.
#[test]
fn thumbnails_show_each_data_set_where_the_plane_does() {
    use gan_playground::core::plane::data::Dataset;
    for name in Dataset::PRESETS {
        let d = Dataset::parse(name).unwrap();
        let t = d.thumbnail(300);
        assert_eq!(t.len(), 300, "{name}");
        assert!(
            t.iter().flatten().all(|v| (0.0..=1.0).contains(v)),
            "{name}"
        );
        assert_eq!(t, d.thumbnail(300), "{name}: the same points each time");
        // Not all in one spot: the data set's spread shows.
        let spread = |k: usize| {
            let (lo, hi) = t
                .iter()
                .fold((1f32, 0f32), |(lo, hi), p| (lo.min(p[k]), hi.max(p[k])));
            hi - lo
        };
        assert!(
            spread(0) > 0.2 || spread(1) > 0.2,
            "{name}: spread {} × {}",
            spread(0),
            spread(1)
        );
    }
    let ring = Dataset::parse("ring8").unwrap();
    let (centre, half) = ring.view();
    let modes: Vec<[f32; 2]> = ring_modes()
        .iter()
        .map(|m| {
            [
                (m.centre[0] - centre[0]) / (2.0 * half) + 0.5,
                (m.centre[1] - centre[1]) / (2.0 * half) + 0.5,
            ]
        })
        .collect();
    for p in ring.thumbnail(300) {
        let nearest = modes
            .iter()
            .map(|m| (m[0] - p[0]).hypot(m[1] - p[1]))
            .fold(f32::MAX, f32::min);
        // The modes' std is 0.01 in a view 3 wide: 0.0033 of the thumbnail; 0.04 is twelve.
        assert!(
            nearest < 0.04,
            "a ring point {p:?} is {nearest} from every mode"
        );
    }
}

/// Axis ticks at 1, 2 or 5 × 10ⁿ, worked by hand.
#[test]
fn axis_ticks_are_round_numbers_within_the_view() {
    use gan_playground::core::plane::axes::ticks;
    assert_eq!(
        ticks(-1.5, 1.5, 7),
        vec![-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5]
    );
    assert_eq!(ticks(-1.3, 1.3, 7), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    assert_eq!(ticks(-13.0, 13.0, 7), vec![-10.0, -5.0, 0.0, 5.0, 10.0]);
    assert_eq!(ticks(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
    assert_eq!(ticks(-2.6, 2.6, 6), vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
    assert_eq!(
        ticks(-0.7, 0.7, 8),
        vec![-0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6]
    );
    assert_eq!(ticks(1.0, 1.0, 5), vec![1.0]);
    assert!(ticks(f64::NAN, 1.0, 5).is_empty());
    assert!(ticks(2.0, 1.0, 5).is_empty());
    // However wide the view, never more than asked, and always inside it.
    for half in [0.7, 1.0, 3.3, 42.0, 1234.5, 1e6] {
        let t = ticks(-half, half, 7);
        assert!(!t.is_empty() && t.len() <= 7, "±{half}: {t:?}");
        assert!(t.iter().all(|v| v.abs() <= half), "±{half}: {t:?}");
        assert!(t.contains(&0.0), "±{half}: {t:?}");
    }
}
