//! The engine in headless Chromium (`cargo test --target wasm32-unknown-unknown --test
//! wasm`, with wasm-bindgen-test-runner as the runner): the same numbers
//! as native for the first steps, and a smaller ring8 training run.
#![cfg(target_arch = "wasm32")]

use candle_core::Device;
use gan_playground::core::game::TrainConfig;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Relative tolerance between native and wasm losses over the first iterations: both run
/// the same f32 ops on the same seeded inputs, but the matrix kernels sum in different
/// orders (gemm's native kernels vs wasm simd128), which changes the last bits.
const TOLERANCE: f64 = 1e-4;

#[wasm_bindgen_test]
fn first_steps_match_native() {
    // scripts/test.sh runs the native CLI with `--seed 7 --trace 10` and passes its
    // trace here; without it this test fails rather than pass vacuously.
    let Some(reference) = option_env!("GAN_NATIVE_TRACE") else {
        panic!("GAN_NATIVE_TRACE is not set: run the tests through scripts/test.sh");
    };
    let native: Vec<[f64; 2]> =
        serde_json::from_str(reference).expect("GAN_NATIVE_TRACE is not a JSON trace");
    assert_eq!(native.len(), 10);
    let model = PlaneModel {
        seed: 7,
        ..PlaneModel::default()
    };
    let mut t = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    for (i, expected) in native.iter().enumerate() {
        let s = t.game_mut().step().unwrap();
        for (got, want) in [(s.d_loss, expected[0]), (s.g_loss, expected[1])] {
            assert!(
                (got - want).abs() <= TOLERANCE * want.abs().max(1.0),
                "step {i}: wasm {got} vs native {want}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn ring8_training_improves_in_the_browser() {
    // Smaller than the native test: 3,000 iterations of the default configuration.
    let model = PlaneModel {
        seed: 1,
        ..PlaneModel::default()
    };
    let mut t = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    let before = t.evaluate(2500).unwrap();
    for _ in 0..3000 {
        t.game_mut().step().unwrap();
    }
    let after = t.evaluate(2500).unwrap();
    assert!(
        after.js < before.js / 4.0,
        "JS {} -> {}",
        before.js,
        after.js
    );
    assert!(after.modes_covered >= 2, "modes {}", after.modes_covered);
    assert!(
        after.w1 < before.w1 / 2.0,
        "W1 {} -> {}",
        before.w1,
        after.w1
    );
}

#[wasm_bindgen_test]
fn url_hash_round_trips_in_the_browser() {
    use gan_playground::core::loss::Loss;
    use gan_playground::core::session::plane::{
        plane_hash as to_hash, read_plane_hash as from_hash,
    };
    let (m, c) = (PlaneModel::default(), TrainConfig::default());
    let c2 = TrainConfig {
        loss: Loss::parse("f-alpha=2.5-sat").unwrap(),
        k: 4,
        ..c
    };
    let (m3, c3, notes) = from_hash(&format!("#{}", to_hash(&m, &c2)), (&m, &c));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((m3, c3), (m.clone(), c2));
    let (_, c4, notes) = from_hash("k=%F0%9F&lrd=NaN", (&m, &c));
    assert_eq!(c4, c);
    assert_eq!(notes.len(), 2);
}

#[wasm_bindgen_test]
fn heatmap_buffer_maps_values_to_colours_with_y_up() {
    use gan_playground::core::palette;
    use gan_playground::web::draw::heatmap_rgba;
    // A 2×2 field: bottom row 0 and 1, top row NaN and 0.5 (row-major, y up).
    let px = heatmap_rgba(&[0.0, 1.0, f32::NAN, 0.5], 2);
    assert_eq!(px.len(), 16);
    // The top-left pixel is the field's top row (iy = 1), first cell: NaN drawn as
    // white, "no opinion"; the top-right is ½, white too: the diverging map's centre.
    assert_eq!(&px[0..4], &[255, 255, 255, 255]);
    assert_eq!(&px[4..8], &[255, 255, 255, 255]);
    // The bottom-right pixel is field[1] = 1: the real end; the bottom-left, 0: the fake end.
    let (r, f) = (palette::HEAT_REAL, palette::HEAT_FAKE);
    assert_eq!(&px[12..16], &[r.0, r.1, r.2, 255]);
    assert_eq!(&px[8..12], &[f.0, f.1, f.2, 255]);
    assert!(px.chunks(4).all(|p| p[3] == 255));
}

#[wasm_bindgen_test]
fn worker_session_state_and_live_settings() {
    use gan_playground::web::worker::WorkerSession;
    let mut pg = WorkerSession::open("#k=2&loss=hinge", None, None).unwrap();
    let s: serde_json::Value = serde_json::from_str(&pg.state()).unwrap();
    assert_eq!(s["loss"], "hinge");
    assert_eq!(s["k"], 2);
    assert_eq!(s["running"], false, "the page opens paused");
    assert_eq!(pg.train_for(5.0), 0, "nothing trains while paused");
    pg.set_running(true).unwrap();
    let ran: u32 = (0..20).map(|_| pg.train_for(5.0)).sum();
    assert!(ran > 0, "{}", pg.state());
    // A restart keeps the session playing.
    pg.reset().unwrap();
    let s: serde_json::Value = serde_json::from_str(&pg.state()).unwrap();
    assert_eq!(
        (s["step"].as_u64(), s["running"].as_bool()),
        (Some(0), Some(true))
    );
    pg.step_once("both").unwrap();
    assert_eq!(pg.set("loss", "lsgan").unwrap(), "");
    let s: serde_json::Value = serde_json::from_str(&pg.state()).unwrap();
    assert_eq!(
        (s["loss"].as_str(), s["step"].as_u64()),
        (Some("lsgan"), Some(1))
    );
    assert!(pg.set("k", "0").is_err(), "an out-of-range k is refused");
    assert!(pg.set("dataset", "grid25").unwrap().contains("restarted"));
    assert!(pg.step_once("sideways").is_err());
    assert!(pg.add_point(2.0, 0.5).is_err());
    assert!(
        pg.set_digit(3).is_err(),
        "no digit picker in the 2D session"
    );
    // A frame holds the layers asked for (by name: every layer, and fresh), sized to the grid.
    use gan_playground::core::session::view::LAYERS;
    let want = js_sys::Object::new();
    for name in LAYERS.iter().chain(&["fresh"]) {
        js_sys::Reflect::set(&want, &(*name).into(), &true.into()).unwrap();
    }
    let frame = pg.frame(&want).unwrap();
    let floats = js_sys::Reflect::get(&frame, &"floats".into()).unwrap();
    let heat = js_sys::Reflect::get(&floats, &"heatmap".into()).unwrap();
    assert_eq!(js_sys::Float32Array::from(heat).length(), 60 * 60);
    let fake = js_sys::Reflect::get(&floats, &"fake".into()).unwrap();
    assert_eq!(js_sys::Float32Array::from(fake).length(), 2 * 500);
    // The view and all seven layers.
    assert_eq!(js_sys::Object::keys(&floats.into()).length(), 8);
}

#[wasm_bindgen_test]
fn the_catalog_lists_the_core_tables_and_the_painter_reads_layers_by_name() {
    use gan_playground::core::session::{games::GAMES, view::LAYERS};
    use gan_playground::web::catalog::{catalog, link_session};
    use gan_playground::web::paint::paint_plane;
    use wasm_bindgen::JsCast;
    let c: serde_json::Value = serde_json::from_str(&catalog()).unwrap();
    let keys: Vec<&str> = c["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys[..2], ["2d", "mnist"], "the 2D session first");
    assert_eq!(keys[2..], GAMES);
    assert_eq!(c["layers"], serde_json::json!(LAYERS));
    assert_eq!(link_session("#game=bigan&seed=2"), "bigan");
    assert_eq!(link_session("#mode=mnist&model=dcgan"), "mnist");
    assert_eq!(link_session("#game=nope"), "2d");
    assert_eq!(link_session(""), "2d");
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()
        .and_then(|w| w.document())
        .unwrap()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    let floats = js_sys::Object::new();
    let set = |name: &str, v: &[f32]| {
        js_sys::Reflect::set(&floats, &name.into(), &js_sys::Float32Array::from(v)).unwrap();
    };
    assert!(
        paint_plane(&canvas, &floats).is_ok(),
        "no view: nothing to paint"
    );
    set("view", &[-1.0, -1.0, 1.0, 1.0, 2.0]);
    set("heatmap", &[0.0, 0.5, 1.0, 0.5]);
    set("fake", &[0.0, 0.0, 0.5, 0.5]);
    assert!(paint_plane(&canvas, &floats).is_ok());
    set("optimal", &[0.5; 3]);
    let refused = paint_plane(&canvas, &floats).unwrap_err().as_string();
    assert_eq!(
        refused.as_deref(),
        Some("the optimal does not fit the grid")
    );
}

#[wasm_bindgen_test]
fn the_loss_menu_holds_every_loss_once_by_family() {
    use gan_playground::core::loss::Loss;
    use gan_playground::web::worker::WorkerSession;
    let settings: serde_json::Value =
        serde_json::from_str(&WorkerSession::open("", None, None).unwrap().settings()).unwrap();
    let loss = settings
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "loss")
        .unwrap();
    let groups: Vec<(String, String)> = serde_json::from_value(loss["options"].clone()).unwrap();
    assert_eq!(groups.len(), Loss::all().len());
    let mut names = std::collections::HashSet::new();
    for (name, family) in &groups {
        let l = Loss::parse(name).unwrap();
        assert_eq!(l.family(), family);
        assert!(names.insert(name.clone()), "{name} listed twice");
    }
    // Families are contiguous, so the menu's groups are too.
    let mut seen: Vec<&str> = Vec::new();
    for (_, f) in &groups {
        if seen.last() != Some(&f.as_str()) {
            assert!(!seen.contains(&f.as_str()), "{f} is split in two");
            seen.push(f);
        }
    }
    // The k control's limits come from the table.
    let k = settings
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "k")
        .unwrap();
    assert_eq!(
        (k["min"].as_f64(), k["max"].as_f64()),
        (Some(1.0), Some(100.0))
    );
}

#[wasm_bindgen_test]
fn native_digit_weights_load_in_wasm_and_draw_the_same_digits() {
    use gan_playground::core::digits::data::Digits;
    use gan_playground::core::digits::trainer::{digit_train_config, grid_digest};
    use gan_playground::core::digits::{DigitModel, DigitTrainer};
    use gan_playground::core::weights::from_safetensors;
    // scripts/test.sh trains natively (`train --dataset mnist --out …`) and passes the
    // weights file and the grid digest the CLI printed.
    let bytes: &[u8] = include_bytes!(env!("GAN_NATIVE_DIGIT_WEIGHTS"));
    let native: Vec<f64> = serde_json::from_str(env!("GAN_NATIVE_DIGIT_DIGEST")).unwrap();
    // Generating needs no data: one blank digit stands in for the training set.
    let blank = std::sync::Arc::new(Digits::new(28, 28, vec![0], vec![0; 784]).unwrap());
    let tensors = from_safetensors(bytes, &Device::Cpu).unwrap();
    let model = DigitModel::default().from_tensors(&tensors).unwrap();
    let mut t = DigitTrainer::new(model, digit_train_config(), blank, &Device::Cpu).unwrap();
    let before = grid_digest(&t.grid(1, 1).unwrap(), 784);
    t.load(&tensors).unwrap();
    let after = grid_digest(&t.grid(1, 1).unwrap(), 784);
    assert_eq!(after.len(), 10);
    for (i, (w, n)) in after.iter().zip(&native).enumerate() {
        assert!((w - n).abs() < 1e-4, "image {i}: wasm {w} native {n}");
        assert!(
            (before[i] - n).abs() > 1e-3,
            "image {i} was already the same before loading"
        );
    }
}

/// A batch whose step would not fit in the page's 4 GiB is refused before any step, in
/// the real wasm module (an allocation failure there is a trap that kills it); a batch
/// that fits trains.
#[wasm_bindgen_test]
fn a_batch_too_big_for_the_page_is_refused_before_it_allocates() {
    use gan_playground::web::worker::WorkerSession;
    let mut pg = WorkerSession::open("#batch=8192&hidden=1024&layers=8", None, None).unwrap();
    assert!(pg.notes().contains("page's memory"), "{}", pg.notes());
    let err = pg.set_running(true).unwrap_err().as_string().unwrap();
    assert!(
        err.contains("batch 8192") && err.contains("page's memory"),
        "{err}"
    );
    assert!(pg.step_once("both").is_err());
    assert_eq!(pg.set("batch", "64").unwrap(), "");
    pg.set_running(true).unwrap();
    pg.step_once("both").unwrap();
}
