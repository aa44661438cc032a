//! Compare mode (`core::session::compare`): run B beside run A on the same data, seed and
//! initial weights, in lockstep, with live settings of its own; in the link; restarted,
//! reloaded and fed points with A; a divergence stops only the run that diverged.

use gan_playground::core::history::Chart;
use gan_playground::core::session::plane::PlaneLab;
use gan_playground::core::session::Session;

use crate::support;
use support::{clock, session};

fn step_of(s: &Session) -> usize {
    s.lab().game().counters().iteration
}

fn twin_step(s: &Session) -> usize {
    step_of(s.twin().expect("compare mode is on"))
}

/// Trains until run A has done `n` iterations. Each slice does at least one phase, so
/// the slice count bounds only a run that stopped progressing, however slow the machine.
fn train_until(s: &mut Session, n: usize) {
    s.set_running(true).unwrap();
    let mut slices = 0;
    while step_of(s) < n && s.running() && slices < 100 * n + 1000 {
        s.train_for(5.0, clock);
        slices += 1;
    }
}

#[test]
fn with_the_same_settings_both_runs_are_the_same_run() {
    let mut s = session("");
    for _ in 0..3 {
        s.step_once("both").unwrap();
    }
    let note = s.set("cmp", "1").unwrap();
    assert!(note.contains("step 0"), "{note}");
    assert_eq!((step_of(&s), twin_step(&s)), (0, 0), "both start again");
    let b = s.twin().unwrap();
    assert_eq!(
        s.save_weights().unwrap(),
        b.save_weights().unwrap(),
        "the same initial weights"
    );
    // Same data, seed, batches and settings: the same numbers, bit for bit.
    train_until(&mut s, 40);
    let (a, b) = (s.state(), s.state()["b"].clone());
    assert!(step_of(&s) >= 40);
    assert_eq!(a["step"], b["step"]);
    assert_eq!(a["d_loss"], b["d_loss"]);
    assert_eq!(a["g_loss"], b["g_loss"]);
    assert_eq!(
        s.save_weights().unwrap(),
        s.twin().unwrap().save_weights().unwrap()
    );
    assert_eq!(s.state()["compare"], true);
    // Off again: run A goes on where it was.
    let at = step_of(&s);
    s.set("cmp", "0").unwrap();
    assert!(s.twin().is_none());
    assert_eq!(step_of(&s), at);
    assert_eq!(s.state()["compare"], false);
}

#[test]
fn run_b_has_its_own_live_settings_and_stays_in_lockstep() {
    let mut s = session("");
    s.set("cmp", "1").unwrap();
    s.set("b.loss", "minimax").unwrap();
    s.set("b.k", "5").unwrap();
    assert_eq!(s.lab().game().config().loss.name(), "non-saturating");
    assert_eq!(s.lab().game().config().k, 1);
    let b = s.twin().unwrap().lab().game().config();
    assert_eq!((b.loss.name(), b.k), ("minimax".to_string(), 5));
    s.set_running(true).unwrap();
    for _ in 0..40 {
        s.train_for(3.0, clock);
        let (a, b) = (step_of(&s), twin_step(&s));
        assert_eq!(a, b, "lockstep: a slice ends with the runs level");
    }
    assert!(step_of(&s) > 10);
    // B's 5 critic steps per iteration against A's 1.
    let d_steps = |s: &Session| s.lab().game().counters().d_steps;
    let (da, db) = (d_steps(&s), d_steps(s.twin().unwrap()));
    assert!(db >= 4 * da, "B's D steps {db} against A's {da}");
    assert_ne!(
        s.save_weights().unwrap(),
        s.twin().unwrap().save_weights().unwrap()
    );
    // Each run's changes are marked on the charts, labelled with the run.
    s.set("k", "2").unwrap();
    let labels: Vec<String> = s.chart_markers().into_iter().map(|m| m.label).collect();
    for want in ["B: loss minimax", "B: k 5", "A: k 2"] {
        assert!(labels.iter().any(|l| l == want), "{want} in {labels:?}");
    }
    // The state carries B's readout beside A's.
    let state = s.state();
    assert_eq!(state["b"]["loss"], "minimax");
    assert_eq!(state["b"]["k"], 5);
    assert!(state["b"].get("hash").is_none());
}

#[test]
fn compare_mode_is_in_the_link() {
    let mut s = session("dataset=grid25&seed=3");
    s.set("cmp", "1").unwrap();
    s.set("b.loss", "hinge").unwrap();
    s.set("b.lrd", "0.0004").unwrap();
    let link = s.state()["hash"].as_str().unwrap().to_string();
    assert!(link.contains("cmp=1"), "{link}");
    assert!(
        link.contains("b.loss=hinge") && link.contains("b.lrd=0.0004"),
        "{link}"
    );
    assert!(!link.contains("b.k="), "only what differs from A: {link}");
    let again = session(&link);
    assert!(again.notes().is_empty(), "{}", again.notes());
    let b = again.twin().expect("the link opens compare mode");
    assert_eq!(
        b.lab().game().config(),
        s.twin().unwrap().lab().game().config()
    );
    assert_eq!(again.state()["hash"].as_str().unwrap(), link);
    // Hostile values: clamped or refused with a note, never a panic.
    let s = session("cmp=1&b.k=999&b.loss=nope");
    let notes = s.notes();
    assert!(notes.contains("run B: k: 999"), "{notes}");
    assert!(
        notes.contains("run B: ") && notes.contains("nope"),
        "{notes}"
    );
    assert_eq!(s.twin().unwrap().lab().game().config().k, 100);
    let s = session("cmp=2");
    assert!(s.twin().is_none());
    assert!(
        s.notes().contains("cmp: '2' is not 0, 1 or vae"),
        "{}",
        s.notes()
    );
    let s = session("b.dataset=spiral");
    assert!(
        s.notes().contains("unknown setting 'b.dataset'"),
        "{}",
        s.notes()
    );
}

#[test]
fn run_b_settings_are_refused_when_they_cannot_apply() {
    let mut s = session("");
    let err = s.set("b.k", "3").unwrap_err().to_string();
    assert!(err.contains("compare mode is off"), "{err}");
    s.set("cmp", "1").unwrap();
    let err = s.set("b.dataset", "spiral").unwrap_err().to_string();
    assert!(err.contains("only the live training settings"), "{err}");
    let err = s.set("b.k", "0").unwrap_err().to_string();
    assert!(err.contains("k: 0 is outside"), "{err}");
    let err = s.set("cmp", "yes").unwrap_err().to_string();
    assert!(err.contains("cmp: 'yes' is not 0, 1 or vae"), "{err}");
}

#[test]
fn a_restart_or_loaded_weights_start_both_runs_from_the_same_networks() {
    let mut s = session("");
    s.set("cmp", "1").unwrap();
    s.set("b.loss", "minimax").unwrap();
    train_until(&mut s, 20);
    s.set("dataset", "spiral").unwrap();
    assert_eq!((step_of(&s), twin_step(&s)), (0, 0));
    assert_eq!(s.state()["b"]["dataset"], "spiral");
    assert_eq!(
        s.state()["b"]["loss"],
        "minimax",
        "B keeps its own settings"
    );
    assert_eq!(
        s.save_weights().unwrap(),
        s.twin().unwrap().save_weights().unwrap()
    );
    // Weights trained elsewhere, loaded: both runs start from them.
    let mut other = session("dataset=spiral&seed=9");
    other.step_once("both").unwrap();
    let file = other.save_weights().unwrap();
    s.load_weights(&file, "w.safetensors").unwrap();
    assert_eq!(s.save_weights().unwrap(), file);
    assert_eq!(s.twin().unwrap().save_weights().unwrap(), file);
    // Reset, too.
    train_until(&mut s, 10);
    s.reset().unwrap();
    assert_eq!((step_of(&s), twin_step(&s)), (0, 0));
    assert_eq!(
        s.save_weights().unwrap(),
        s.twin().unwrap().save_weights().unwrap()
    );
}

#[test]
fn points_placed_live_reach_run_b() {
    let mut s = session("dataset=custom&points=0.5,0.5,-0.5,-0.5");
    s.set("cmp", "1").unwrap();
    let restarted = s
        .update_as(|lab: &mut PlaneLab| lab.add_point(0.25, 0.25).map(|r| (r, r)))
        .unwrap();
    assert!(!restarted, "a point joins live");
    assert_eq!(s.state()["points"], 3);
    assert_eq!(s.state()["b"]["points"], 3, "B trains on the same data");
}

#[test]
fn a_run_that_diverges_stops_alone() {
    let mut s = session("");
    s.set("cmp", "1").unwrap();
    for (k, v) in [
        ("b.optd", "sgd"),
        ("b.optg", "sgd"),
        ("b.lrd", "10"),
        ("b.lrg", "10"),
    ] {
        s.set(k, v).unwrap();
    }
    s.set_running(true).unwrap();
    let t0 = clock();
    while s.state()["b"]["error"].is_null() && clock() - t0 < 5000.0 {
        s.train_for(5.0, clock);
    }
    assert!(!s.state()["b"]["error"].is_null(), "SGD at lr 10 diverges");
    assert!(s.running(), "run A trains on");
    assert_eq!(s.state()["b"]["running"], false);
    let (a0, b0) = (step_of(&s), twin_step(&s));
    s.train_for(20.0, clock);
    assert!(step_of(&s) > a0, "A moves on");
    assert_eq!(twin_step(&s), b0, "B stays where it diverged");
    assert!(s
        .chart_markers()
        .iter()
        .any(|m| m.label == "B: diverged" && m.step == b0));
    s.step_once("both").unwrap();
    assert_eq!(twin_step(&s), b0);
    s.reset().unwrap();
    assert!(s.state()["b"]["error"].is_null());
}

#[test]
fn both_runs_export_as_one_table() {
    let a = "step,JS,KL\n0,0.5,1\n10,0.25,0.5\n";
    let b = "step,JS,KL\n0,0.5,1\n10,0.5,\n";
    let csv = Chart::csv_of_runs(&[("A", a), ("B", b)]);
    assert_eq!(
        csv,
        "run,step,JS,KL\nA,0,0.5,1\nA,10,0.25,0.5\nB,0,0.5,1\nB,10,0.5,\n"
    );
}

/// Step, D step and G step move both runs; with the same settings they stay equal.
#[test]
fn single_steps_move_both_runs() {
    let mut s = session("");
    s.set("cmp", "1").unwrap();
    for (i, which) in ["both", "d", "g", "both", "d", "d", "g"].iter().enumerate() {
        s.step_once(which).unwrap();
        let (a, b) = (s.state(), s.state()["b"].clone());
        for key in ["step", "d_steps", "g_steps", "d_loss", "g_loss"] {
            assert_eq!(a[key], b[key], "{key} after {i} steps");
        }
    }
    assert_eq!(
        step_of(&s),
        2,
        "D step and G step alone complete no iteration"
    );
}
