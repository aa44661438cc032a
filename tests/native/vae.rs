//! The VAE: its ELBO's terms against computations by hand in f64 (the Gaussian and the
//! Bernoulli likelihood, KL in closed form against a Monte Carlo estimate), the
//! reparameterisation's gradient, training that raises the ELBO, and the VAE as its own
//! game and as compare mode's run B beside a GAN.

use candle_core::{Device, Tensor, Var};
use gan_playground::core::game::vae::{kl_to_prior, reparameterise, Likelihood};
use gan_playground::core::game::Game;
use gan_playground::core::rng::SeededRng;
use gan_playground::core::session::games::Opening;
use gan_playground::core::session::vae::VaeLab;
use gan_playground::core::session::Session;

fn t(rows: &[[f32; 2]]) -> Tensor {
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    Tensor::from_vec(flat, (rows.len(), 2), &Device::Cpu).unwrap()
}

fn v1(x: &Tensor) -> Vec<f32> {
    x.to_vec1::<f32>().unwrap()
}

fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol * (1.0 + b.abs()), "{a} vs {b}");
}

/// KL(N(μ, σ²) ‖ N(0, 1)) per sample, against a Monte Carlo mean of log q − log p over
/// 400,000 draws of q, in f64.
#[test]
fn kl_in_closed_form_matches_a_monte_carlo_estimate() {
    let mu = [[0.5f32, -1.0], [2.0, 0.0]];
    let logvar = [[-1.0f32, 0.7], [0.0, -3.0]];
    let kl = v1(&kl_to_prior(&t(&mu), &t(&logvar)).unwrap());
    let mut rng = SeededRng::new(9);
    for i in 0..2 {
        let n = 400_000;
        let mut sum = 0.0f64;
        for _ in 0..n {
            for d in 0..2 {
                let (m, s) = (mu[i][d] as f64, (0.5 * logvar[i][d] as f64).exp());
                let e = rng.normal() as f64;
                let z = m + s * e;
                // log q(z) − log p(z); the 2π terms cancel.
                sum += -0.5 * e * e - s.ln() + 0.5 * z * z;
            }
        }
        close(kl[i] as f64, sum / n as f64, 0.01);
    }
    // Zero exactly at the prior.
    let zero = v1(&kl_to_prior(&t(&[[0.0, 0.0]]), &t(&[[0.0, 0.0]])).unwrap());
    assert!(zero[0].abs() < 1e-7);
}

/// −log N(x; μ, σ²I) by hand, in f64.
#[test]
fn the_gaussian_likelihood_is_the_normal_density() {
    let (x, mu) = ([[0.3f32, -0.2], [1.0, 2.0]], [[0.0f32, 0.0], [1.5, 1.0]]);
    for sigma in [0.1, 1.0, 3.0] {
        let nll = v1(&Likelihood::Gaussian { sigma }.nll(&t(&x), &t(&mu)).unwrap());
        for i in 0..2 {
            let by_hand: f64 = (0..2)
                .map(|d| {
                    let r = (x[i][d] - mu[i][d]) as f64;
                    r * r / (2.0 * sigma * sigma)
                        + 0.5 * (2.0 * std::f64::consts::PI * sigma * sigma).ln()
                })
                .sum();
            close(nll[i] as f64, by_hand, 1e-5);
        }
    }
}

/// −[q log s(l) + (1 − q) log(1 − s(l))] with q = (x + 1)/2, finite at saturated logits.
#[test]
fn the_bernoulli_likelihood_is_the_cross_entropy_and_stable() {
    let x = [[1.0f32, -1.0], [0.0, 0.5]];
    let logits = [[2.0f32, -0.5], [60.0, -60.0]];
    let nll = v1(&Likelihood::Bernoulli.nll(&t(&x), &t(&logits)).unwrap());
    for i in 0..2 {
        let by_hand: f64 = (0..2)
            .map(|d| {
                let q = (x[i][d] as f64 + 1.0) / 2.0;
                let l = logits[i][d] as f64;
                // log s(l) = −softplus(−l), log(1 − s(l)) = −softplus(l).
                let sp = |v: f64| v.max(0.0) + (-v.abs()).exp().ln_1p();
                q * sp(-l) + (1.0 - q) * sp(l)
            })
            .sum();
        close(nll[i] as f64, by_hand, 1e-5);
        assert!(nll[i].is_finite());
    }
    let mean = Likelihood::Bernoulli.mean(&t(&[[0.0, 80.0]])).unwrap();
    let m = mean.to_vec2::<f32>().unwrap();
    assert!(
        m[0][0].abs() < 1e-6 && (m[0][1] - 1.0).abs() < 1e-6,
        "{m:?}"
    );
}

/// z = μ + e^{logvar/2}·ε: ∂z/∂μ = 1 and ∂z/∂logvar = ½ e^{logvar/2} ε, through Candle's
/// autograd.
#[test]
fn the_reparameterisation_passes_the_gradient_to_mu_and_logvar() {
    let dev = Device::Cpu;
    let mu = Var::new(&[0.5f32, -1.0], &dev).unwrap();
    let logvar = Var::new(&[0.4f32, -2.0], &dev).unwrap();
    let eps = Tensor::new(&[1.5f32, -0.3], &dev).unwrap();
    let z = reparameterise(mu.as_tensor(), logvar.as_tensor(), &eps).unwrap();
    let grads = z.sum_all().unwrap().backward().unwrap();
    let gm = v1(grads.get(mu.as_tensor()).unwrap());
    let gl = v1(grads.get(logvar.as_tensor()).unwrap());
    for d in 0..2 {
        let (lv, e) = ([0.4f64, -2.0][d], [1.5f64, -0.3][d]);
        close(gm[d] as f64, 1.0, 1e-6);
        close(gl[d] as f64, 0.5 * (0.5 * lv).exp() * e, 1e-5);
    }
}

fn open(link: &str) -> Session {
    let s = Session::open(link, &Opening::default()).unwrap();
    assert!(s.notes().is_empty(), "{link}: {}", s.notes());
    s
}

/// The 2D VAE trains: −ELBO falls from its start, both terms are charted, it has no D
/// step and no D or G loss to show, and σ and β apply live.
#[test]
fn the_vae_game_raises_the_elbo_and_has_one_player() {
    let mut s = open("game=vae&dataset=two-clusters");
    s.update_metrics().unwrap();
    let start = s.state()["elbo"].as_f64().unwrap();
    for _ in 0..400 {
        s.step_once("both").unwrap();
    }
    s.update_metrics().unwrap();
    let st = s.state();
    let end = st["elbo"].as_f64().unwrap();
    assert!(end > start + 10.0, "ELBO {start} → {end}");
    assert!(st["d_loss"].is_null() && st["g_loss"].is_null(), "{st:?}");
    let p = s.history().points().last().copied().unwrap();
    close(p.game[2], p.game[0] + p.game[1], 1e-9);
    assert!(s
        .step_once("d")
        .unwrap_err()
        .to_string()
        .contains("no critic"));
    s.set("sigma", "0.5").unwrap();
    s.set("beta", "2").unwrap();
    let vae = s.lab_as::<VaeLab>().unwrap();
    assert_eq!(vae.vae().beta, 2.0);
    assert_eq!(vae.vae().likelihood, Likelihood::Gaussian { sigma: 0.5 });
    assert_eq!(
        vae.vae().counters().iteration,
        400,
        "σ and β did not restart"
    );
    assert!(s.hash().contains("sigma=0.5") && s.hash().contains("beta=2"));
}

/// Compare mode's run B as a VAE: from the GAN's data, seed and sizes, in lockstep, in
/// the link as `cmp=vae`, refusing the GAN's settings in one line and following the
/// points the user places; switching B back to a GAN and off.
#[test]
fn run_b_can_be_a_vae_beside_the_gan() {
    let mut s = open("dataset=ring8&hidden=24&layers=1&noisedim=3&cmp=vae");
    let b = s
        .twin()
        .unwrap()
        .lab()
        .as_any()
        .downcast_ref::<VaeLab>()
        .unwrap();
    let m = b.model();
    assert_eq!((m.hidden, m.layers, m.latent, m.seed), (24, 1, 3, 1));
    assert!(s.hash().contains("cmp=vae"), "{}", s.hash());
    s.set_running(true).unwrap();
    s.step_once("both").unwrap();
    assert_eq!(s.state()["b"]["step"], 1);
    assert_eq!(s.state()["b"]["mode"], "vae");
    assert_eq!(s.state()["b"]["has_critic"], false);
    // A D step is run A's alone; slow motion's two phases complete one iteration of each.
    s.step_once("d").unwrap();
    assert_eq!(
        (
            s.state()["d_steps"].as_u64(),
            s.state()["b"]["step"].as_u64()
        ),
        (Some(2), Some(1))
    );
    s.step_once("g").unwrap();
    s.slow_step().unwrap();
    s.slow_step().unwrap();
    let st = s.state();
    assert_eq!(
        (st["step"].as_u64(), st["b"]["step"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        st["b"]["g_steps"].as_u64(),
        Some(3),
        "the G step was B's too"
    );
    let e = s.set("b.loss", "hinge").unwrap_err().to_string();
    assert!(e.contains("run B is a vae"), "{e}");
    s.set("b.lrg", "0.002").unwrap();
    assert!(s.hash().contains("b.lrg=0.002"), "{}", s.hash());
    let again = open(&s.hash());
    assert!(again.hash().contains("cmp=vae") && again.hash().contains("b.lrg=0.002"));
    s.set("cmp", "1").unwrap();
    assert_eq!(s.state()["b"]["mode"], "2d");
    s.set("cmp", "0").unwrap();
    assert!(s.twin().is_none());
    assert!(s.set("cmp", "maybe").is_err());
}
