//! The games beyond the classic GAN: the xy game against its closed forms, the BiGAN and
//! the CycleGAN refusing what they cannot do (their claims are lessons: `tests/lessons.rs`).

use gan_playground::core::game::cyclegan::mean_l1;
use gan_playground::core::game::xy::{alternating_invariant, radius, XyGame};
use gan_playground::core::game::{Game, Player};
use gan_playground::core::session::games::lab_from_link;
use gan_playground::core::session::Session;

fn xy(link: &str) -> XyGame {
    let (lab, notes) = lab_from_link(&format!("game=xy&{link}")).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let lab = lab
        .as_any()
        .downcast_ref::<gan_playground::core::session::xy::XyLab>()
        .unwrap();
    // A fresh game of the same settings (the lab keeps its own).
    XyGame::new(*lab.game_ref().config(), [1.0, 0.5]).unwrap()
}

#[test]
fn simultaneous_steps_grow_the_radius_by_sqrt_1_plus_eta_squared_exactly() {
    for eta in [0.05f64, 0.1, 0.3] {
        let mut g = xy(&format!("lrd={eta}&lrg={eta}"));
        let mut r = radius(g.simultaneous);
        for _ in 0..200 {
            g.step().unwrap();
            let r2 = radius(g.simultaneous);
            let ratio = r2 / r;
            assert!(
                (ratio - (1.0 + eta * eta).sqrt()).abs() < 1e-12,
                "η {eta}: ratio {ratio}"
            );
            r = r2;
        }
    }
}

#[test]
fn alternating_steps_stay_on_their_ellipse() {
    let (a, b) = (0.3, 0.2);
    let mut g = xy(&format!("lrd={a}&lrg={b}"));
    let q0 = alternating_invariant(g.alternating, a, b);
    let mut far: f64 = 0.0;
    for _ in 0..10_000 {
        g.step().unwrap();
        let q = alternating_invariant(g.alternating, a, b);
        assert!((q - q0).abs() < 1e-9 * q0, "{q} vs {q0}");
        far = far.max(radius(g.alternating));
    }
    // Bounded: the ellipse's largest radius, not a spiral's; and not converging.
    assert!(far < 3.0, "{far}");
    assert!(radius(g.alternating) > 0.3);
    // By hand: one alternating step from (1, 0.5): y = 0.5 + 0.3·1 = 0.8, x = 1 − 0.2·0.8.
    let mut h = xy(&format!("lrd={a}&lrg={b}"));
    h.step().unwrap();
    assert_eq!(h.alternating, [1.0 - 0.2 * 0.8, 0.8]);
    assert_eq!(h.simultaneous, [1.0 - 0.2 * 0.5, 0.5 + 0.3 * 1.0]);
}

#[test]
fn xy_players_step_alone_and_refuse_an_optimiser() {
    let mut g = xy("lrd=0.1&lrg=0.1");
    g.step_player(Player::Critic).unwrap();
    assert_eq!(g.simultaneous, [1.0, 0.6]);
    g.step_player(Player::Generator).unwrap();
    assert!((g.simultaneous[0] - 0.94).abs() < 1e-12);
    assert_eq!(g.counters().d_steps, 1);
    assert_eq!(g.counters().g_steps, 1);
    let mut cfg = *g.config();
    cfg.d_opt.kind = gan_playground::core::nn::optim::OptimizerKind::Adam;
    let e = g.set_config(cfg).unwrap_err().to_string();
    assert!(e.contains("plain gradient steps"), "{e}");
    // From a link: refused with a note, the defaults kept.
    let (_, notes) = lab_from_link("game=xy&optd=adam").unwrap();
    assert!(notes.iter().any(|n| n.contains("sgd")), "{notes:?}");
}

#[test]
fn mean_l1_is_the_mean_of_row_sums_of_absolute_differences() {
    let dev = candle_core::Device::Cpu;
    let a = candle_core::Tensor::new(&[[1f32, 2.0], [0.0, -1.0]], &dev).unwrap();
    let b = candle_core::Tensor::new(&[[0f32, 4.0], [3.0, 1.0]], &dev).unwrap();
    let v = mean_l1(&a, &b).unwrap().to_scalar::<f32>().unwrap();
    assert_eq!(v, ((1.0 + 2.0) + (3.0 + 2.0)) / 2.0);
}

#[test]
fn the_new_games_refuse_what_they_cannot_do_in_one_line() {
    for (link, what) in [
        ("game=bigan&loss=f-kl", "mirror"),
        ("game=bigan&loss=wgan-gp", "gradient penalty"),
        ("game=cyclegan&update=simultaneous", "simultaneous"),
        ("game=cyclegan&unroll=2", "unrolled"),
        ("game=chess", "unknown game"),
    ] {
        let msg = match lab_from_link(link) {
            Ok((_, notes)) => notes.join(" | "),
            Err(e) => e.to_string(),
        };
        assert!(msg.contains(what), "{link}: {msg}");
        assert!(!msg.contains('\n'));
    }
}

/// The xy game trains at its pace (`rate` steps per second), not as fast as a slice
/// allows: its steps take nanoseconds. The session's clock is simulated, so the count is
/// the same however busy the machine is.
#[test]
fn the_xy_game_trains_at_its_pace() {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NOW_MS: AtomicU64 = AtomicU64::new(0);
    fn clock() -> f64 {
        NOW_MS.load(Ordering::Relaxed) as f64
    }
    let (lab, _) = lab_from_link("game=xy&rate=40").unwrap();
    let mut s = Session::new(lab, Vec::new());
    s.set_running(true).unwrap();
    // Slices of 12 ms every 17 ms (a slice and the worker's pause) for half a second.
    for t in (0..=500).step_by(17) {
        NOW_MS.store(t, Ordering::Relaxed);
        s.train_for(12.0, clock);
    }
    let steps = s.state()["step"].as_u64().unwrap();
    assert!((19..=21).contains(&steps), "{steps} steps in 0.5 s at 40/s");
    // The rate is live: no restart.
    s.set("rate", "400").unwrap();
    assert_eq!(s.state()["step"].as_u64().unwrap(), steps);
}

/// The MNIST session's files, where the set-up made them.
fn digit_files() -> Option<(Vec<u8>, Vec<u8>)> {
    let read = |p: &str| std::fs::read(p).ok();
    Some((
        read(".cache/digits/page.digits")?,
        read(".cache/digits/classifier.safetensors")?,
    ))
}

/// Every row of the games' table opens from its link with no note, as the session its
/// key names (`Lab::mode`), with the settings its row lists; the session's own link
/// names the same row and opens the same session again; `GAMES` and the catalogue are
/// the table's.
#[test]
fn every_game_row_opens_from_its_link_and_round_trips() {
    use gan_playground::core::session::games::{catalog, row_of, Opening, CATALOG, GAMES};
    use gan_playground::core::session::link::{DigitAssets, Link, Named};
    use gan_playground::core::session::Layers;
    let files = digit_files();
    let how = Opening {
        digits: files
            .as_ref()
            .map(|(digits, classifier)| DigitAssets { digits, classifier }),
        ..Opening::default()
    };
    let keys: Vec<&str> = CATALOG.iter().map(|r| r.key()).collect();
    assert_eq!(
        keys,
        [
            "2d",
            "mnist",
            "xy",
            "bigan",
            "cyclegan",
            "pix2pix",
            "vae",
            "vae-mnist"
        ]
    );
    let games: Vec<&str> = CATALOG
        .iter()
        .filter(|r| r.link.named == Named::Game)
        .map(|r| r.key())
        .collect();
    assert_eq!(GAMES.to_vec(), games);
    assert_eq!(catalog().len(), CATALOG.len());
    for row in CATALOG {
        let link = row.link.default_link();
        if row.digits && files.is_none() {
            let e = Session::open(&link, &Opening::default()).err().unwrap();
            assert!(e.to_string().contains("setup.sh"), "{e}");
            eprintln!(
                "SKIPPED: {}: no .cache/digits (bash scripts/setup.sh)",
                row.key()
            );
            continue;
        }
        let mut s = Session::open(&link, &how).unwrap();
        assert_eq!(s.notes(), "", "{link}");
        assert_eq!(s.lab().mode(), row.key(), "{link}");
        let own: Vec<&str> = (row.settings)().iter().map(|i| i.key).collect();
        let lab: Vec<&str> = s.lab().settings().iter().map(|i| i.key).collect();
        assert_eq!(own, lab, "{link}");
        let hash = s.hash();
        assert_eq!(
            row_of(&Link::parse(&hash)).unwrap().key(),
            row.key(),
            "{hash}"
        );
        let again = Session::open(&hash, &how).unwrap();
        assert_eq!((again.notes(), again.hash()), (String::new(), hash.clone()));
        let frame = s.frame(Layers::named(|_| true, true)).unwrap();
        let plane = frame.floats.iter().any(|(n, _)| *n == "view");
        assert_eq!(plane, row.plane, "{link}: {frame:?}");
    }
}

/// The link names its session: `game=` first, then `mode=mnist`, else the 2D GAN; an
/// unknown game is refused in one line, and the MNIST session without its files.
#[test]
fn a_link_names_its_session() {
    use gan_playground::core::session::games::{row_of, Opening};
    use gan_playground::core::session::link::Link;
    for (link, key) in [
        ("", "2d"),
        ("#k=3&dataset=moons", "2d"),
        ("mode=mnist&k=2", "mnist"),
        ("#mode=mnist", "mnist"),
        ("game=xy&mode=mnist", "xy"),
        ("mode=2d", "2d"),
        ("k=1&game=cyclegan", "cyclegan"),
    ] {
        assert_eq!(row_of(&Link::parse(link)).unwrap().key(), key, "{link}");
    }
    let e = row_of(&Link::parse("game=chess"))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains(
        "unknown game 'chess' (expected one of xy, bigan, cyclegan, pix2pix, vae, vae-mnist)"
    ));
    let e = Session::open("mode=mnist", &Opening::default())
        .err()
        .unwrap();
    assert!(e.to_string().contains("digits"), "{e}");
}

/// `Session::open` is the page's opening sequence in one place: the lab's settings, the
/// memory limit, the view, compare mode (where the session's link carries it) and the
/// lesson; the old entry points open the same labs.
#[test]
fn a_session_opens_with_its_view_compare_mode_limit_and_lesson_in_one_call() {
    use gan_playground::core::game::MemoryLimit;
    use gan_playground::core::session::games::{lab_from_link, Opening};
    use gan_playground::core::session::plane::PlaneLab;
    fn limit() -> MemoryLimit {
        MemoryLimit {
            bytes: 1 << 40,
            what: "plenty".into(),
        }
    }
    let how = Opening {
        memory_limit: Some(limit),
        lessons: Some(gan_playground::core::lesson::observer_of),
        ..Opening::default()
    };
    let link = "k=3&show=real.fake&cmp=1&b.k=5&lesson=d-star&speed=slow";
    let s = Session::open(link, &how).unwrap();
    let state = s.state();
    assert_eq!(state["k"], 3);
    assert_eq!(state["view"]["layers"], "real.fake");
    assert_eq!(state["view"]["speed"], "slow");
    assert_eq!(state["compare"], true);
    assert_eq!(state["b"]["k"], 5);
    assert_eq!(state["lesson"]["id"], "d-star");
    let (lab, notes) = PlaneLab::from_hash(link).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    assert!(s
        .hash()
        .starts_with(&gan_playground::core::session::Lab::hash(&lab)));
    // A game's link carries no compare mode: `cmp` is an unknown key there, as before.
    let s = Session::open("game=xy&cmp=1&lesson=nope", &how).unwrap();
    assert_eq!(s.state()["compare"], false);
    assert!(
        s.notes().contains("unknown setting 'cmp' ignored"),
        "{}",
        s.notes()
    );
    assert!(s.notes().contains("unknown lesson 'nope'"), "{}", s.notes());
    let (lab, notes) = lab_from_link("game=bigan&seed=4&cmp=1").unwrap();
    assert_eq!(lab.mode(), "bigan");
    assert_eq!(notes, ["unknown setting 'cmp' ignored"]);
}

/// Each game declares the live settings it honours and the layers it draws; the page shows
/// only those. The declarations name real settings and layers, and each game's session
/// lists exactly the live settings it declares.
#[test]
fn each_game_declares_its_live_settings_and_layers_and_takes_them() {
    use gan_playground::core::game::TRAIN_SETTINGS;
    use gan_playground::core::session::games::{Opening, CATALOG};
    use gan_playground::core::session::view::LAYERS;
    let train: Vec<&str> = TRAIN_SETTINGS.iter().map(|s| s.key).collect();
    for row in CATALOG {
        for l in row.layers {
            assert!(LAYERS.contains(l), "{}: no layer {l}", row.key());
        }
        let Some(live) = row.live else { continue };
        for k in live {
            assert!(train.contains(k), "{}: no live setting {k}", row.key());
        }
        let listed: Vec<&str> = if row.digits {
            // Without its files it cannot open; its lab lists the same live settings.
            let all = gan_playground::core::settings::describe(TRAIN_SETTINGS);
            all.iter()
                .map(|s| s.key)
                .filter(|k| live.contains(k))
                .collect()
        } else {
            let s = Session::open(&row.link.default_link(), &Opening::default()).unwrap();
            s.settings().iter().map(|s| s.key).collect()
        };
        for k in &train {
            assert_eq!(listed.contains(k), live.contains(k), "{}: {k}", row.key());
        }
    }
    let xy = CATALOG.iter().find(|r| r.key() == "xy").unwrap();
    assert!(
        !xy.live.unwrap().contains(&"loss"),
        "the xy game has no loss to choose"
    );
    assert_eq!(xy.layers, &["arrows"]);
    assert!(xy.strip.is_some());
}

/// pix2pix's paired sets: every answer lies on the set, `miss` is the distance to the
/// nearest, and the samples sit on their answers; the game refuses what it cannot do.
#[test]
fn pix2pix_pairs_and_refusals() {
    use gan_playground::core::plane::pairs::PairSet;
    use gan_playground::core::rng::SeededRng;
    for name in PairSet::NAMES {
        let set = PairSet::parse(name).unwrap();
        assert_eq!(set.name(), name);
        for p in set.sample(&mut SeededRng::new(5), 500) {
            assert!((-1.0..=1.0).contains(&p[0]));
            assert!(set.miss(p[0], p[1]) < 0.1, "{name}: {p:?}");
        }
    }
    let circle = PairSet::Circle;
    assert_eq!(circle.answers(0.6), vec![0.8, -0.8]);
    assert!((circle.miss(0.6, 0.0) - 0.8).abs() < 1e-6);
    assert!((circle.miss(0.6, -0.7) - 0.1).abs() < 1e-6);
    assert_eq!(PairSet::Sine.answers(0.5).len(), 1);
    assert!(PairSet::parse("nope").is_err());
    let mut s = super::support::session("game=pix2pix");
    for (k, v) in [
        ("loss", "wgan-gp"),
        ("loss", "ebgan"),
        ("objective", "median"),
        ("lambda", "-1"),
    ] {
        let e = s.set(k, v).unwrap_err().to_string();
        assert!(!e.contains('\n'), "{e}");
    }
    // Live: the objective and λ change without a restart.
    s.step_once("both").unwrap();
    assert_eq!(s.set("objective", "adversary").unwrap(), "");
    assert_eq!(s.set("lambda", "5").unwrap(), "");
    assert!(s.hash().contains("objective=adversary") && s.hash().contains("lambda=5"));
    assert!(s.set("pairs", "cross").unwrap().contains("restarted"));
}
