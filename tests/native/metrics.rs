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
