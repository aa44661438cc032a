//! The session the page's worker drives, natively: settings through the tables (strict
//! for a control, clamped for a link), live changes keeping the step, restarts saying
//! so, iterations in phases, slow motion, and the state's fields.

use gan_playground::core::game::{Game, TrainConfig, TRAIN_SETTINGS};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use gan_playground::core::session::games::Opening;
use gan_playground::core::session::plane::{plane_hash, read_plane_hash, PlaneLab};
use gan_playground::core::session::{Layers, Session};
use gan_playground::core::settings::{describe, find, validate};

use crate::support;
use support::{clock, session};

#[test]
fn a_control_is_strict_and_a_link_is_clamped_by_the_same_table() {
    let k = find(TRAIN_SETTINGS, "k").unwrap();
    let err = k.parse("0").unwrap_err().to_string();
    assert!(err.contains("k: 0 is outside 1..=100"), "{err}");
    let (v, note) = k.parse_clamped("999").unwrap();
    assert_eq!(v.int(), 100);
    assert!(note.unwrap().contains("using 100"));
    // The link reader takes the same range.
    let (_, cfg, notes) = read_plane_hash(
        "k=999&lrd=NaN",
        (&PlaneModel::default(), &TrainConfig::default()),
    );
    assert_eq!(cfg.k, 100);
    assert_eq!(notes.len(), 2, "{notes:?}");
    // So does validation (the CLI's and the engine's).
    let bad = TrainConfig {
        k: 101,
        ..TrainConfig::default()
    };
    assert!(bad.validate().unwrap_err().to_string().contains("k: 101"));
    assert!(validate(TRAIN_SETTINGS, &TrainConfig::default()).is_ok());
    assert!(validate(PLANE_SETTINGS, &PlaneModel::default()).is_ok());
    // The page's view of the table carries the same limits.
    let info = describe(TRAIN_SETTINGS);
    let k = info.iter().find(|s| s.key == "k").unwrap();
    assert_eq!((k.min, k.max, k.restarts), (Some(1.0), Some(100.0), false));
    let hidden = describe(PLANE_SETTINGS);
    let hidden = hidden.iter().find(|s| s.key == "hidden").unwrap();
    assert_eq!((hidden.max, hidden.restarts), (Some(1024.0), true));
}

#[test]
fn live_settings_keep_the_step_and_model_settings_restart() {
    let mut s = session("");
    s.step_once("both").unwrap();
    s.step_once("both").unwrap();
    assert_eq!(s.set("loss", "hinge").unwrap(), "");
    assert_eq!(s.set("k", "3").unwrap(), "");
    let st = s.state();
    assert_eq!(
        (st["loss"].as_str(), st["k"].as_u64()),
        (Some("hinge"), Some(3))
    );
    assert_eq!(st["step"], 2, "a live change keeps the step");
    // A refused value changes nothing and names the setting.
    assert!(s.set("k", "0").is_err());
    assert!(s.set("lrd", "-1").unwrap_err().to_string().contains("lrd"));
    assert!(s.set("nonsense", "1").is_err());
    assert_eq!(s.state()["k"], 3);
    // A setting that fixes the networks restarts, and says so.
    assert!(s.set("hidden", "24").unwrap().contains("restarted"));
    assert_eq!(s.state()["step"], 0);
    assert_eq!(
        s.state()["loss"],
        "hinge",
        "the live settings survive a restart"
    );
    assert!(s.set("hidden", "0").is_err());
    // The same value again is no restart.
    s.step_once("both").unwrap();
    assert_eq!(s.set("hidden", "24").unwrap(), "");
    assert_eq!(s.state()["step"], 1);
}

#[test]
fn a_link_round_trips_every_setting_and_custom_points_exactly() {
    let model = PlaneModel {
        dataset: gan_playground::core::plane::data::Dataset::custom(vec![
            [0.123_456_7, -0.5],
            [1.0 / 3.0, 0.25],
        ])
        .unwrap(),
        hidden: 17,
        seed: 99,
        ..PlaneModel::default()
    };
    let cfg = TrainConfig {
        k: 4,
        ..TrainConfig::default()
    };
    let link = plane_hash(&model, &cfg);
    let (m2, c2, notes) = read_plane_hash(&link, (&PlaneModel::default(), &TrainConfig::default()));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((m2, c2), (model, cfg), "{link}");
}

#[test]
fn an_iteration_in_phases_equals_a_whole_one() {
    let mk = || {
        let cfg = TrainConfig {
            k: 3,
            ..TrainConfig::default()
        };
        PlaneTrainer::new(PlaneModel::default(), cfg, &candle_core::Device::Cpu).unwrap()
    };
    let (mut whole, mut phased) = (mk(), mk());
    for _ in 0..5 {
        whole.game_mut().step().unwrap();
    }
    let mut completed = 0;
    let mut phases = 0;
    while completed < 5 {
        completed += phased.game_mut().step_phase().unwrap() as usize;
        phases += 1;
    }
    assert_eq!(
        phases,
        5 * 4,
        "k = 3: three critic phases and one generator phase"
    );
    assert_eq!(whole.game().counters(), phased.game().counters());
    assert_eq!(whole.game().last(), phased.game().last());
    // An iteration begun in phases is completed by a whole step, not restarted.
    phased.game_mut().step_phase().unwrap();
    phased.game_mut().step().unwrap();
    let c = phased.game().counters();
    assert_eq!((c.iteration, c.d_steps, c.g_steps), (6, 18, 6));
}

#[test]
fn training_runs_only_while_running_and_slow_motion_alternates() {
    let mut s = session("");
    assert_eq!(s.train_for(5.0, clock), 0, "paused: nothing trains");
    s.set_running(true).unwrap();
    // The readout is the step counter's rate on the page's clock (here 500 ms between
    // two readings), not the rate inside the training slices.
    s.tick(0.0);
    assert!(s.train_for(20.0, clock) > 0);
    let step = s.state()["step"].as_f64().unwrap();
    s.tick(500.0);
    assert_eq!(s.state()["steps_per_s"].as_f64().unwrap(), step * 2.0);
    // A slice may stop between the D and the G step: a whole step completes that
    // iteration, and slow motion starts from the D phase.
    s.step_once("both").unwrap();
    let before = s.state();
    assert_eq!(before["slow_next"], "d");
    let text = s.slow_step().unwrap();
    assert!(text.starts_with("D phase"), "{text}");
    let mid = s.state();
    type State = serde_json::Map<String, serde_json::Value>;
    let moved =
        |a: &State, b: &State, key: &str| b[key].as_u64().unwrap() - a[key].as_u64().unwrap();
    assert_eq!(moved(&before, &mid, "d_steps"), 1);
    assert_eq!(moved(&before, &mid, "g_steps"), 0);
    assert_eq!(moved(&before, &mid, "step"), 0);
    assert_eq!(mid["slow_next"], "g");
    assert!(s.slow_step().unwrap().starts_with("G step"));
    let after = s.state();
    assert_eq!(moved(&mid, &after, "g_steps"), 1);
    assert_eq!(
        moved(&mid, &after, "step"),
        1,
        "the G phase completes the iteration"
    );
    // With k = 3 the D phase is three critic steps.
    s.set("k", "3").unwrap();
    s.slow_step().unwrap();
    assert_eq!(moved(&after, &s.state(), "d_steps"), 3);
    s.set_running(false).unwrap();
    assert_eq!(s.state()["steps_per_s"], 0.0, "paused reads 0");
}

/// The meter: `(i₁ − i₀)/(t₁ − t₀)` between changes of the counter over the last 3 s
/// (with one change before as anchor); a counter that goes back (reset) starts again.
#[test]
fn the_speed_meter_reads_the_counter_between_its_changes() {
    use gan_playground::core::session::speed::SpeedMeter;
    let mut m = SpeedMeter::default();
    m.record(0.0, 0);
    assert_eq!(m.rate(), 0.0, "one reading is no rate");
    m.record(1000.0, 100);
    assert_eq!(m.rate(), 100.0);
    m.record(2000.0, 150);
    assert_eq!(m.rate(), 75.0);
    m.record(4000.0, 150);
    assert_eq!(
        m.rate(),
        50.0,
        "the change at 0 ms left the window; 1000 ms anchors it"
    );
    m.record(5500.0, 150);
    assert_eq!(m.rate(), 0.0, "standing still for 3 s reads 0");
    m.record(6000.0, 10);
    assert_eq!(m.rate(), 0.0, "a reset starts again");
    m.record(6050.0, 20);
    assert_eq!(m.rate(), 0.0, "under 100 ms is no rate yet");
    m.record(6250.0, 30);
    assert_eq!(m.rate(), 80.0);
    // Slow motion: one iteration per 1.6 s reads 0.625 between and at the changes.
    let mut slow = SpeedMeter::default();
    for i in 0..6 {
        for dt in [0.0, 400.0, 800.0, 1200.0] {
            slow.record(i as f64 * 1600.0 + dt, i);
            if i >= 1 {
                assert_eq!(slow.rate(), 0.625, "at {} ms", i as f64 * 1600.0 + dt);
            }
        }
    }
}

#[test]
fn metrics_and_frames_come_from_the_lab() {
    let mut s = session("#dataset=grid25");
    s.update_metrics().unwrap();
    let st = s.state();
    assert_eq!(st["modes_total"], 25);
    assert_eq!(st["metrics_step"], 0);
    // The mode histogram: one count per mode, and the covered ones are those holding 1%
    // of the 1,000 evaluation samples.
    let counts: Vec<u64> = st["mode_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(counts.len(), 25);
    assert!(counts.iter().sum::<u64>() <= 1000);
    let covered = counts.iter().filter(|&&c| c >= 10).count();
    assert_eq!(st["modes_covered"], covered);
    assert!(st["js"].as_f64().unwrap() > 0.0);
    assert_eq!(s.history().points().len(), 1);
    let all = Layers {
        real: true,
        fake: true,
        manifold: true,
        heatmap: true,
        arrows: true,
        optimal: true,
        fresh: true,
    };
    let f = s.frame(all).unwrap();
    let len = |name: &str| {
        f.floats
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.len())
    };
    assert_eq!(len("heatmap"), Some(60 * 60));
    assert_eq!(len("optimal"), Some(60 * 60));
    assert_eq!(len("manifold"), Some(2 * 20 * 20));
    assert_eq!(len("fake"), Some(2 * 500));
    assert_eq!(len("arrow_from"), len("arrow_push"));
    let f = s.frame(Layers::default()).unwrap();
    assert_eq!(f.floats.len(), 1, "only the view when every layer is off");
    // A restart forgets the run's history.
    s.reset().unwrap();
    assert!(s.history().points().is_empty());
}

/// Finding 4: drawn points were written with 3 decimals and the first live change after
/// a click restarted. Random points (any f32 the data set accepts) round-trip exactly
/// through a link, and after reopening, no live change and no unchanged model setting
/// restarts.
#[test]
fn random_custom_points_round_trip_and_live_changes_never_restart() {
    use gan_playground::core::plane::data::Dataset;
    use gan_playground::core::rng::SeededRng;
    let mut rng = SeededRng::new(11);
    for round in 0..20 {
        let n = 1 + rng.below(60);
        let points: Vec<[f32; 2]> = (0..n)
            .map(|_| {
                let scale = [1e-7f32, 1e-3, 0.1, 1.0, 3.0][rng.below(5)];
                [rng.normal() * scale, rng.uniform(-4.0, 4.0)]
            })
            .collect();
        let model = PlaneModel {
            dataset: Dataset::custom(points.clone()).unwrap(),
            ..PlaneModel::default()
        };
        let link = plane_hash(&model, &TrainConfig::default());
        let (m2, _, notes) =
            read_plane_hash(&link, (&PlaneModel::default(), &TrainConfig::default()));
        assert!(notes.is_empty(), "round {round}: {notes:?}");
        assert_eq!(m2, model, "round {round}: {link}");

        let mut s = session(&link);
        s.step_once("both").unwrap();
        for (key, value) in [
            ("loss", "hinge"),
            ("k", "2"),
            ("lrd", "0.0005"),
            ("batch", "128"),
        ] {
            assert_eq!(s.set(key, value).unwrap(), "", "{key} restarted");
        }
        // Every model setting set to the value it has is no restart either.
        for setting in PLANE_SETTINGS {
            let value = (setting.get)(&m2).to_text();
            assert_eq!(
                s.set(setting.key, &value).unwrap(),
                "",
                "{} restarted",
                setting.key
            );
        }
        assert_eq!(s.state()["step"], 1, "round {round}: a change restarted");
    }
}

/// Finding 5: `#mode=mnist&model=dcgan&batch=8192` and Play ran the page out of memory.
/// A session with a memory limit refuses, before any step, a batch whose step would
/// not fit: at the link, at Play, at a step, at a live batch change, and when a restart
/// makes the networks bigger; what fits still trains.
#[test]
fn a_step_that_does_not_fit_the_memory_limit_is_refused_before_it_runs() {
    use gan_playground::core::game::MemoryLimit;
    fn limit() -> MemoryLimit {
        MemoryLimit {
            bytes: 2 << 20,
            what: "the test's 2 MiB".into(),
        }
    }
    let how = Opening {
        memory_limit: Some(limit),
        ..Opening::default()
    };
    let mut s = Session::open("batch=8192", &how).unwrap();
    assert!(s.notes().contains("the test's 2 MiB"), "{}", s.notes());
    let err = s.set_running(true).unwrap_err().to_string();
    assert!(
        err.contains("batch 8192") && err.contains("at most batch"),
        "{err}"
    );
    assert!(!s.running());
    assert!(s.step_once("both").is_err());
    assert_eq!(s.state()["step"], 0, "nothing stepped");
    // A batch that fits trains; a live change back up is refused and changes nothing.
    assert_eq!(s.set("batch", "64").unwrap(), "");
    s.set_running(true).unwrap();
    s.step_once("both").unwrap();
    assert!(s
        .set("batch", "8192")
        .unwrap_err()
        .to_string()
        .contains("2 MiB"));
    assert_eq!(s.lab().game().config().batch, 64);
    // Wider networks at the same batch: the restart happens, training pauses, and says why.
    let note = s.set("hidden", "1024").unwrap();
    assert!(note.contains("paused") && note.contains("2 MiB"), "{note}");
    assert!(!s.running());
}

/// Play on a diverged run is refused with the reason, so pressing it does not replace
/// the page's explanation with nothing; Reset trains again.
#[test]
fn play_on_a_diverged_run_says_why_and_reset_recovers() {
    let mut s = session("optd=sgd&optg=sgd&lrd=10&lrg=10");
    let diverged = (0..200).any(|_| s.step_once("both").is_err());
    assert!(diverged, "SGD at lr 10 should diverge");
    let err = s.set_running(true).unwrap_err().to_string();
    assert!(err.contains("not finite") && err.contains("Reset"), "{err}");
    assert!(!s.running());
    s.reset().unwrap();
    s.set_running(true).unwrap();
    assert!(s.running());
}

/// Reset then Play on a run that diverged trains the same run again (same settings, same
/// seed), which diverges at the same step: the state says that it happened again and what
/// to change, rather than showing the very same error as if Reset had done nothing. A
/// changed setting, or a divergence elsewhere, is a new story.
#[test]
fn a_divergence_repeated_after_reset_is_said_to_repeat() {
    let until_diverged = |s: &mut gan_playground::core::session::Session| {
        assert!(
            (0..2000).any(|_| s.step_once("both").is_err()),
            "this link should diverge"
        );
        let error = s.state()["error"].as_str().unwrap().to_string();
        (s.state()["step"].as_u64().unwrap(), error)
    };
    let mut s = session("loss=f-reverse-kl&lrd=0.05&lrg=0.05");
    let (step, first) = until_diverged(&mut s);
    assert!(!first.contains("again"), "{first}");
    s.reset().unwrap();
    assert!(s.state()["error"].is_null(), "Reset clears the divergence");
    let (again_step, again) = until_diverged(&mut s);
    assert_eq!(again_step, step, "a run is deterministic");
    assert!(again.starts_with(&first), "{again}");
    assert!(
        again.contains(&format!("again at step {step}")) && again.contains("learning rate"),
        "{again}"
    );
    let refused = s.set_running(true).unwrap_err().to_string();
    assert!(refused.contains("again at step"), "{refused}");
    // Another seed: another run, whatever it does.
    s.reset().unwrap();
    s.set("seed", "2").unwrap();
    if (0..2000).any(|_| s.step_once("both").is_err()) {
        let e = s.state()["error"].as_str().unwrap().to_string();
        assert!(!e.contains("again"), "{e}");
    }
}

/// The loss chart gets every completed iteration, and the charts mark each live change
/// and the divergence; a restart forgets both.
#[test]
fn losses_of_every_step_and_markers_for_the_charts() {
    let mut s = session("");
    for _ in 0..5 {
        s.step_once("both").unwrap();
    }
    s.step_once("d").unwrap();
    assert_eq!(
        s.losses().count(),
        5,
        "a lone D step completes no iteration"
    );
    s.set("k", "3").unwrap();
    s.set("k", "3").unwrap();
    s.set("loss", "hinge").unwrap();
    let labels: Vec<(usize, &str)> = s
        .markers()
        .iter()
        .map(|m| (m.step, m.label.as_str()))
        .collect();
    assert_eq!(
        labels,
        vec![(5, "k 3"), (5, "loss hinge")],
        "an unchanged value marks nothing"
    );
    s.set_running(true).unwrap();
    s.tick(0.0);
    let n = s.train_for(30.0, clock) as usize;
    assert_eq!(s.losses().count(), 5 + n);
    s.set("seed", "9").unwrap();
    assert!(
        s.markers().is_empty() && s.losses().count() == 0,
        "a restart forgets them"
    );
    // A run that diverges is marked where it stopped.
    let mut d = session("#loss=f-kl&optd=sgd&optg=sgd&lrd=10&lrg=10");
    d.set_running(true).unwrap();
    for _ in 0..1000 {
        if !d.state()["error"].is_null() {
            break;
        }
        d.train_for(5.0, clock);
    }
    let last = d.markers().last().unwrap();
    assert_eq!(last.label, "diverged");
    assert_eq!(last.step, d.state()["step"].as_u64().unwrap() as usize);
}

/// The view (layers shown, speed, slow motion) travels in the link, changes nothing in
/// training, refuses bad values with their name, and shares no key with a setting (the
/// 2D depth is `layers`; the view's layers are `show`).
#[test]
fn the_view_is_in_the_link_and_never_restarts() {
    use gan_playground::core::digits::model::DIGIT_SETTINGS;
    use gan_playground::core::session::view::view_keys;
    let mut s = session("#show=real.optimal&speed=slow&slowmo=1&k=2");
    assert!(s.notes().is_empty(), "{}", s.notes());
    let v = &s.state()["view"];
    assert_eq!(v["speed"], "slow");
    assert_eq!(v["layers"], "real.optimal");
    assert_eq!(v["slowmo"], true);
    assert_eq!(v["budget_ms"], 1.0);
    let hash = s.state()["hash"].as_str().unwrap().to_string();
    assert!(
        hash.ends_with("&show=real.optimal&speed=slow&slowmo=1"),
        "{hash}"
    );
    s.step_once("both").unwrap();
    assert_eq!(s.set("show", "none").unwrap(), "");
    assert_eq!(s.set("speed", "full").unwrap(), "");
    assert_eq!(s.state()["step"], 1, "no restart");
    assert!(
        s.markers().is_empty(),
        "a view change is not a training event"
    );
    assert_eq!(s.state()["view"]["layers"], "none");
    let err = s.set("show", "real.bogus").unwrap_err().to_string();
    assert!(err.contains("unknown layer 'bogus'"), "{err}");
    assert!(s.set("speed", "warp").is_err());
    // A link with a bad view value opens with the default and a note.
    let t = session("#speed=warp");
    assert!(t.notes().contains("speed"), "{}", t.notes());
    assert_eq!(t.state()["view"]["speed"], "full");
    for key in view_keys() {
        let tables: [Vec<&str>; 3] = [
            TRAIN_SETTINGS.iter().map(|s| s.key).collect(),
            PLANE_SETTINGS.iter().map(|s| s.key).collect(),
            DIGIT_SETTINGS.iter().map(|s| s.key).collect(),
        ];
        assert!(
            tables.iter().all(|t| !t.contains(&key)),
            "{key} is also a setting"
        );
    }
}

/// k_G generator steps per iteration (GAN Lab's second k): an iteration is k critic
/// phases and k_G generator phases; with k_G = 0 the generator does not move, and D
/// alone trains. Slow motion's G phase is all k_G steps.
#[test]
fn generator_steps_per_iteration_are_live() {
    let mut s = session("#k=2&kg=3");
    assert!(s.notes().is_empty(), "{}", s.notes());
    s.step_once("both").unwrap();
    let st = s.state();
    assert_eq!(
        (
            st["step"].as_u64(),
            st["d_steps"].as_u64(),
            st["g_steps"].as_u64()
        ),
        (Some(1), Some(2), Some(3))
    );
    // Slow motion: a D phase of 2 steps, then a G phase of 3.
    s.slow_step().unwrap();
    s.slow_step().unwrap();
    let st = s.state();
    assert_eq!(
        (
            st["step"].as_u64(),
            st["d_steps"].as_u64(),
            st["g_steps"].as_u64()
        ),
        (Some(2), Some(4), Some(6))
    );
    // k_G = 0: ten iterations leave G's weights as they were.
    s.set("kg", "0").unwrap();
    let g_before = generator_weights(&mut s);
    for _ in 0..10 {
        s.step_once("both").unwrap();
    }
    assert_eq!(generator_weights(&mut s), g_before, "G stayed fixed");
    let st = s.state();
    assert_eq!(
        (
            st["step"].as_u64(),
            st["d_steps"].as_u64(),
            st["g_steps"].as_u64()
        ),
        (Some(12), Some(24), Some(6))
    );
    assert!(s.set("kg", "11").is_err(), "at most 10");
}

fn generator_weights(s: &mut Session) -> Vec<Vec<f32>> {
    let lab = s.lab_as::<PlaneLab>().unwrap();
    lab.trainer()
        .generator()
        .named_vars()
        .iter()
        .map(|(_, v)| v.flatten_all().unwrap().to_vec1::<f32>().unwrap())
        .collect()
}

/// Your points: the first starts a new data set (a restart); later ones join the data
/// while training goes on; switching to a preset and back brings them back; "clear"
/// makes the next point start a new set; a file's points replace them (a restart); and
/// up to 32 points are each a mode.
#[test]
fn your_points_join_live_survive_a_switch_and_clear() {
    let mut s = session("");
    let place = |s: &mut Session, fx: f64, fy: f64| {
        s.update_as(|lab: &mut PlaneLab| lab.add_point(fx, fy).map(|r| (r, r)))
            .unwrap()
    };
    assert!(
        place(&mut s, 0.3, 0.3),
        "the first point starts a new data set"
    );
    s.step_once("both").unwrap();
    s.step_once("both").unwrap();
    assert!(!place(&mut s, 0.7, 0.3), "later points join live");
    assert!(!place(&mut s, 0.5, 0.5));
    let st = s.state();
    assert_eq!(
        (st["step"].as_u64(), st["dataset"].as_str()),
        (Some(2), Some("custom"))
    );
    assert_eq!(
        (st["points"].as_u64(), st["has_modes"].as_bool()),
        (Some(3), Some(true))
    );
    assert!(st["hash"].as_str().unwrap().contains("points="));
    s.update_metrics().unwrap();
    assert_eq!(s.state()["modes_total"], 3, "each of your points is a mode");
    // Away and back.
    s.set("dataset", "spiral").unwrap();
    assert_eq!(s.state()["has_modes"], false, "the spiral has no modes");
    assert_eq!(s.state()["points"], 3, "kept while away");
    s.set("dataset", "custom").unwrap();
    assert_eq!(
        (s.state()["dataset"].as_str(), s.state()["points"].as_u64()),
        (Some("custom"), Some(3))
    );
    // Clear: the data stays until the next point, which starts a new set, live.
    s.update_as(|lab: &mut PlaneLab| {
        lab.clear_points();
        Ok(((), false))
    })
    .unwrap();
    assert_eq!(s.state()["points"], 3);
    assert!(!place(&mut s, 0.1, 0.9));
    assert_eq!(s.state()["points"], 1);
    // A file's points: a new data set.
    s.restart_as(|lab: &mut PlaneLab| lab.load_points(vec![[0.0, 0.0], [1.0, 1.0]]))
        .unwrap();
    assert_eq!(
        (s.state()["points"].as_u64(), s.state()["step"].as_u64()),
        (Some(2), Some(0))
    );
    // Custom with no points kept is refused, with what to do.
    let mut t = session("");
    let e = t.set("dataset", "custom").unwrap_err().to_string();
    assert!(e.contains("click on the plane or load a file"), "{e}");
}

/// 2D weights travel: saved from one session, they load into another of a different
/// width, which takes the file's shape and draws the same samples; a file that is not
/// a 2D GAN of ours is refused and nothing changes.
#[test]
fn two_d_weights_save_and_load_with_their_shape() {
    let mut a = session("#hidden=24&layers=3&noisedim=3");
    for _ in 0..20 {
        a.step_once("both").unwrap();
    }
    let bytes = a.save_weights().unwrap();
    let mut b = session("#hidden=8&seed=5");
    b.step_once("both").unwrap();
    let note = b.load_weights(&bytes, "w.safetensors").unwrap();
    assert!(
        note.starts_with("loaded w.safetensors: G 3-24×3-2"),
        "{note}"
    );
    let hash = b.state()["hash"].as_str().unwrap().to_string();
    assert!(
        hash.contains("hidden=24") && hash.contains("layers=3") && hash.contains("noisedim=3"),
        "{hash}"
    );
    assert_eq!(b.state()["step"], 0);
    let noise: Vec<f32> = (0..30).map(|i| (i as f32 * 0.37).sin()).collect();
    let gen = |s: &mut Session| {
        s.lab_as::<PlaneLab>()
            .unwrap()
            .trainer()
            .generate(&noise)
            .unwrap()
    };
    assert_eq!(gen(&mut a), gen(&mut b), "the same G");
    // Refused, and nothing changes: junk, and MNIST-shaped weights.
    assert!(b
        .load_weights(b"junk", "j")
        .unwrap_err()
        .to_string()
        .contains("not a readable safetensors"));
    let mnist = {
        use gan_playground::core::digits::data::Digits;
        use gan_playground::core::digits::{DigitModel, DigitTrainer};
        let d = std::sync::Arc::new(Digits::new(2, 2, vec![0], vec![0; 4]).unwrap());
        let t = DigitTrainer::new(
            DigitModel::default(),
            TrainConfig::default(),
            d,
            &candle_core::Device::Cpu,
        )
        .unwrap();
        gan_playground::core::weights::to_safetensors(t.tensors()).unwrap()
    };
    let e = b.load_weights(&mnist, "m").unwrap_err().to_string();
    assert!(e.contains("not a 2D GAN"), "{e}");
    assert_eq!(gen(&mut b), gen(&mut a), "unchanged after the refusals");
}
