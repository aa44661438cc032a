//! The engine in headless Chrome (`wasm-pack test --headless --chrome`): the same numbers
//! as native for the first steps, and a smaller ring8 training run.
#![cfg(target_arch = "wasm32")]

use candle_core::Device;
use gan_playground::core::train::{ModelConfig, TrainConfig, Trainer};
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
    let model = ModelConfig {
        seed: 7,
        ..ModelConfig::default()
    };
    let mut t = Trainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    for (i, expected) in native.iter().enumerate() {
        let s = t.step().unwrap();
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
    let model = ModelConfig {
        seed: 1,
        ..ModelConfig::default()
    };
    let mut t = Trainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    let before = t.evaluate(2500).unwrap();
    for _ in 0..3000 {
        t.step().unwrap();
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
