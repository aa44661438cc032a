//! The URL-hash state: round trips, and hostile or invalid values clamped or rejected.

use gan_playground::core::game::{NoiseKind, TrainConfig, UpdateMode};
use gan_playground::core::loss::fdiv::FDivergence;
use gan_playground::core::loss::{GenObjective, Loss};
use gan_playground::core::nn::mlp::Activation;
use gan_playground::core::nn::optim::OptimizerKind;
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::plane::PlaneModel;
use gan_playground::core::session::plane::{plane_hash as to_hash, read_plane_hash as from_hash};
use gan_playground::core::settings::hash::MAX_HASH_LEN;

fn defaults() -> (PlaneModel, TrainConfig) {
    (PlaneModel::default(), TrainConfig::default())
}

#[test]
fn every_setting_round_trips() {
    let (mut m, mut c) = defaults();
    m.dataset = Dataset::custom(vec![[0.25, -0.5], [1.0, 0.125]]).unwrap();
    m.hidden = 48;
    m.layers = 3;
    m.activation = Activation::Tanh;
    m.noise = NoiseKind::Uniform;
    m.noise_dim = 5;
    m.seed = 123456789;
    c.loss = Loss::FGan(FDivergence::Alpha { alpha: 2.5 }, GenObjective::Saturating);
    c.k = 7;
    c.update = UpdateMode::Simultaneous;
    c.d_opt.kind = OptimizerKind::RmsProp;
    c.g_opt.kind = OptimizerKind::Sgd;
    c.d_opt.lr = 3e-4;
    c.g_opt.lr = 0.02;
    c.batch = 100;
    c.gp_lambda = 10.0;
    c.clip = 0.05;
    let hash = to_hash(&m, &c);
    let (d0, d1) = defaults();
    let (m2, c2, notes) = from_hash(&format!("#{hash}"), (&d0, &d1));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(m2, m);
    assert_eq!(c2, c);
    // Every loss name survives the trip too.
    for name in Loss::names() {
        let c = TrainConfig {
            loss: Loss::parse(&name).unwrap(),
            ..d1
        };
        let (_, c2, notes) = from_hash(&to_hash(&d0, &c), (&d0, &d1));
        assert!(notes.is_empty() && c2 == c, "{name}: {notes:?}");
    }
}

#[test]
fn missing_keys_keep_defaults() {
    let (d0, d1) = defaults();
    let (m, c, notes) = from_hash("k=3", (&d0, &d1));
    assert!(notes.is_empty());
    assert_eq!(c.k, 3);
    assert_eq!(m, d0);
    assert_eq!(TrainConfig { k: 1, ..c }, d1);
    let (m, c, notes) = from_hash("", (&d0, &d1));
    assert!(notes.is_empty() && m == d0 && c == d1);
}

#[test]
fn out_of_range_numbers_are_clamped_with_a_message() {
    let (d0, d1) = defaults();
    let (m, c, notes) = from_hash(
        "k=100000&hidden=0&lrd=1e9&noisedim=-4&batch=99999999999999999999",
        (&d0, &d1),
    );
    assert_eq!(c.k, 100);
    assert_eq!(m.hidden, 1);
    assert_eq!(c.d_opt.lr, 10.0);
    assert_eq!(m.noise_dim, 1);
    assert_eq!(
        c.batch, d1.batch,
        "an unparseable integer keeps the default"
    );
    assert_eq!(notes.len(), 5, "{notes:?}");
    assert!(notes.iter().all(|n| !n.contains('\n')));
}

#[test]
fn hostile_values_are_rejected_without_panicking() {
    let (d0, d1) = defaults();
    let long = "x".repeat(MAX_HASH_LEN * 2);
    let cases = [
        "loss=<script>alert(1)</script>",
        "lrd=NaN&lrg=inf&gp=-inf",
        "dataset=custom&points=1,2,3",
        "dataset=custom&points=NaN,0",
        "dataset=custom",
        "dataset=../../etc/passwd",
        "seed=-1",
        "%%%&&&===&k=%ZZ&k=%E2%82",
        "act=%F0%9F%98%80",
        "unknown=1",
        long.as_str(),
    ];
    for hash in cases {
        let (m, c, notes) = from_hash(hash, (&d0, &d1));
        assert!(
            !notes.is_empty(),
            "'{}' gave no message",
            &hash[..hash.len().min(40)]
        );
        assert!(m.validate().is_ok() && c.validate().is_ok());
        assert!(notes.iter().all(|n| n.len() < 400), "{notes:?}");
    }
    let many_points = format!("dataset=custom&points={}", vec!["0.1"; 30_000].join(","));
    let (m, _, notes) = from_hash(&many_points, (&d0, &d1));
    assert_eq!(m.dataset, Dataset::Ring8);
    assert!(!notes.is_empty());
}

#[test]
fn digit_sessions_round_trip_and_refuse_bad_values() {
    use gan_playground::core::digits::trainer::digit_train_config;
    use gan_playground::core::digits::{DigitArch, DigitModel};
    use gan_playground::core::session::digits::{
        digit_hash as digit_to_hash, read_digit_hash as digit_from_hash,
    };
    let model = DigitModel {
        arch: DigitArch::MlpLarge,
        conditional: true,
        noise_dim: 32,
        seed: 9,
    };
    let mut cfg = digit_train_config();
    cfg.k = 3;
    cfg.loss = gan_playground::core::loss::Loss::parse("wgan-gp").unwrap();
    let hash = digit_to_hash(&model, &cfg);
    assert!(
        hash.starts_with("mode=mnist&model=mlp-large&cond=1"),
        "{hash}"
    );
    let defaults = (&DigitModel::default(), &digit_train_config());
    let (m, c, notes) = digit_from_hash(&format!("#{hash}"), defaults);
    assert_eq!((m, c), (model, cfg));
    assert!(notes.is_empty(), "{notes:?}");
    let (m, c, notes) = digit_from_hash(
        "mode=mnist&model=huge&cond=7&noisedim=9999&k=0&lrd=x",
        defaults,
    );
    assert_eq!(m.arch, DigitArch::MlpSmall);
    assert!(!m.conditional);
    assert_eq!(m.noise_dim, 256);
    assert_eq!(c.k, 1);
    let text = notes.join("\n");
    for needle in [
        "unknown MNIST model 'huge'",
        "cond: '7'",
        "noisedim: 9999",
        "k: 0",
        "lrd: 'x'",
    ] {
        assert!(text.contains(needle), "{needle} missing from {text}");
    }
}
