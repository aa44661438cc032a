//! The pretrained starting points the page ships (`www/pretrained/`, made by
//! `scripts/pretrain.sh` with the project's CLI): every 2D preset and the MNIST mlp-small
//! networks have one; each loads the way the page loads it (a 2D session's Load, or a
//! digit trainer), measures what its manifest says the CLI measured when it trained it
//! (on a fresh evaluation sample, so within sampling tolerances), and is far better than
//! the untrained networks it replaces.

use candle_core::Device;
use gan_playground::core::digits::classifier::Classifier;
use gan_playground::core::digits::data::Digits;
use gan_playground::core::digits::trainer::digit_train_config;
use gan_playground::core::digits::{DigitArch, DigitModel, DigitTrainer};
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::session::plane::PlaneLab;
use gan_playground::core::weights::from_safetensors;
use serde_json::Value;
use std::sync::Arc;

use crate::support;
use support::session;

const DIR: &str = "www/pretrained";
/// The 2D presets (the page's data set menu, less "your points").
const PRESETS: [&str; 7] = Dataset::PRESETS;
/// Samples per evaluation, as the CLI's final one.
const EVAL: usize = 2500;

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{DIR}/manifest.json")).unwrap();
    let m: Value = serde_json::from_str(&text).unwrap();
    m["entries"].as_array().unwrap().clone()
}

fn bytes(entry: &Value) -> Vec<u8> {
    let file = entry["file"].as_str().unwrap();
    assert!(
        !file.contains('/') && file.ends_with(".safetensors"),
        "{file}"
    );
    std::fs::read(format!("{DIR}/{file}")).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn every_preset_has_a_starting_point_and_every_file_an_entry() {
    let entries = manifest();
    for ds in PRESETS {
        let n = entries.iter().filter(|e| e["data"] == ds).count();
        assert_eq!(n, 1, "{ds}: {n} entries");
    }
    for networks in ["mlp-small", "mlp-small, conditional"] {
        assert!(entries
            .iter()
            .any(|e| e["data"] == "mnist" && e["networks"] == networks));
    }
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|f| f.unwrap().file_name().into_string().unwrap())
        .filter(|f| f.ends_with(".safetensors"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = entries
        .iter()
        .map(|e| e["file"].as_str().unwrap().to_string())
        .collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "a file without an entry, or an entry without its file"
    );
    for e in &entries {
        let cmd = e["command"].as_str().unwrap();
        let data = e["data"].as_str().unwrap();
        assert!(
            cmd.starts_with(&format!("gan-playground train --dataset {data} ")),
            "{cmd}"
        );
        // The page's weights loader takes files up to 64 MiB; these stay small.
        assert!(bytes(e).len() < 2 << 20, "{}", e["file"]);
    }
}

#[test]
fn each_2d_starting_point_measures_what_its_manifest_says() {
    for e in manifest().iter().filter(|e| e["data"] != "mnist") {
        let ds = e["data"].as_str().unwrap();
        let want = &e["metrics"];
        let mut s = session(&format!("dataset={ds}"));
        let untrained = lab(&mut s).trainer().evaluate(EVAL).unwrap();
        let note = s
            .load_weights(&bytes(e), e["file"].as_str().unwrap())
            .unwrap();
        assert!(note.contains("G 2-32×2-2"), "{ds}: {note}");
        let got = lab(&mut s).trainer().evaluate(EVAL).unwrap();
        let (w1, js) = (num(&want["w1"]), num(&want["js"]));
        println!(
            "{ds}: W1 {:.3} (manifest {w1:.3}, untrained {:.3}), JS {:.4} (manifest {js:.4}), modes {}/{} (manifest {})",
            got.w1, untrained.w1, got.js, got.modes_covered, got.modes_total, want["modes_covered"]
        );
        // The exact W1 on 500 samples is a noisy number: eight evaluation draws of the
        // moons file gave 0.11 to 0.20 (the manifest's draw: 0.085), so it is held to a
        // factor; JS, from all 2,500 samples, to a tighter band.
        assert!(
            got.w1 <= 2.5 * w1 + 0.02 && got.w1 >= w1 / 2.5 - 0.02,
            "{ds}: W1 {} against the manifest's {w1}",
            got.w1
        );
        assert!(
            (got.js - js).abs() <= 0.3 * js + 0.01,
            "{ds}: JS {} against the manifest's {js}",
            got.js
        );
        let modes = want["modes_covered"].as_u64().unwrap() as usize;
        assert!(
            got.modes_covered + 1 >= modes,
            "{ds}: modes {} < {modes}",
            got.modes_covered
        );
        assert!(
            got.w1 < 0.5 * untrained.w1,
            "{ds}: W1 {} is not far below the untrained {}",
            got.w1,
            untrained.w1
        );
    }
}

fn lab(s: &mut gan_playground::core::session::Session) -> &mut PlaneLab {
    s.lab_as::<PlaneLab>().unwrap()
}

/// The data and the classifier the CLI evaluates with (`scripts/setup.sh` makes them).
fn mnist() -> (Arc<Digits>, Classifier) {
    let read = |p: &str| {
        std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}; run bash scripts/setup.sh"))
    };
    let digits = Digits::from_bytes(&read(".cache/mnist/train.digits")).unwrap();
    let t = from_safetensors(&read(".cache/digits/classifier.safetensors"), &Device::Cpu).unwrap();
    (
        Arc::new(digits),
        Classifier::load(784, &t, &Device::Cpu).unwrap(),
    )
}

#[test]
fn each_mnist_starting_point_measures_what_its_manifest_says() {
    let (digits, clf) = mnist();
    for e in manifest().iter().filter(|e| e["data"] == "mnist") {
        let conditional = e["networks"].as_str().unwrap().contains("conditional");
        let model = DigitModel {
            arch: DigitArch::MlpSmall,
            conditional,
            ..DigitModel::default()
        };
        let mut t =
            DigitTrainer::new(model, digit_train_config(), digits.clone(), &Device::Cpu).unwrap();
        let untrained = t.evaluate(&clf, 1000).unwrap();
        t.load(&from_safetensors(&bytes(e), &Device::Cpu).unwrap())
            .unwrap();
        let got = t.evaluate(&clf, 1000).unwrap();
        let want = &e["metrics"];
        let frechet = num(&want["frechet"]);
        println!(
            "{}: Fréchet {:.1} (manifest {frechet:.1}, untrained {:.1}), classes {} (manifest {}), asked-for {:?}",
            e["file"], got.frechet, untrained.frechet, got.classes_covered, want["classes_covered"], got.condition_accuracy
        );
        assert!(
            (got.frechet - frechet).abs() <= 0.25 * frechet,
            "{}: Fréchet {} against the manifest's {frechet}",
            e["file"],
            got.frechet
        );
        assert!(got.frechet < 0.5 * untrained.frechet);
        let classes = want["classes_covered"].as_u64().unwrap() as usize;
        assert!(got.classes_covered + 1 >= classes);
        if conditional {
            let want = num(&want["condition_accuracy"]);
            let got = got.condition_accuracy.unwrap();
            assert!(got >= want - 0.1, "asked-for digit {got} against {want}");
        }
    }
}
