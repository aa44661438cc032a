//! A short fuzz in the test command: every target of `tests/fuzz/targets.rs` on its seed
//! corpus (`tests/fuzz/corpus/<target>/`) and on a few thousand seeded mutations of it.
//! The long runs are libFuzzer's (`scripts/fuzz.sh`, docs/FUZZING.md); this keeps the
//! targets compiling and the seeds (the hostile cases reported and every crash found)
//! passing on stable Rust, without libFuzzer.

#[path = "../fuzz/targets.rs"]
mod targets;

use candle_core::Device;
use gan_playground::core::digits::data::Digits;
use gan_playground::core::digits::trainer::digit_train_config;
use gan_playground::core::digits::{DigitModel, DigitTrainer};
use gan_playground::core::game::TrainConfig;
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};
use gan_playground::core::session::digits::digit_hash;
use gan_playground::core::session::plane::plane_hash;
use gan_playground::core::weights::to_safetensors;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Mutations per target on top of the seeds (about a second in all, release build).
const MUTATIONS: usize = 10_000;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target)
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = corpus_dir(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// The values libFuzzer also tries first: the edges of bytes and of 32-bit sizes.
const INTERESTING: [u32; 5] = [0, 0xff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff];

/// One to four random edits of `seed`: bit flips, byte inserts and deletes, an
/// interesting 32-bit value written (either byte order) over four bytes, or a splice of
/// another seed. Hand-written because libFuzzer's mutator needs a nightly toolchain and
/// the test command runs on stable; it is a few lines and `rand_chacha` makes it
/// reproducible.
fn mutate(rng: &mut ChaCha8Rng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let at = rng.random_range(0..=b.len());
        match rng.random_range(0..5) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.random_range(0..8);
            }
            1 => b.insert(at, rng.random()),
            2 if at < b.len() => {
                b.remove(at);
            }
            3 if b.len() >= 4 => {
                let v = INTERESTING[rng.random_range(0..INTERESTING.len())];
                let bytes = if rng.random() {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                };
                let i = at.min(b.len() - 4);
                b[i..i + 4].copy_from_slice(&bytes);
            }
            _ => {
                let other = &others[rng.random_range(0..others.len())];
                let from = rng.random_range(0..=other.len());
                b.truncate(at);
                b.extend_from_slice(&other[from..]);
            }
        }
    }
    b
}

#[test]
fn every_fuzz_target_holds_on_its_seeds_and_their_mutations() {
    for (name, target) in targets::ALL {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "no seeds for {name}");
        for s in &seeds {
            target(s);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..MUTATIONS {
            let seed = &seeds[rng.random_range(0..seeds.len())];
            target(&mutate(&mut rng, seed, &seeds));
        }
    }
}

/// The seeds are what their names say: the reported hostile cases are refused (or, for a
/// link, read with a note), the valid files and links are accepted as they are. A seed
/// that stopped meaning its case would otherwise go on passing the targets unnoticed.
#[test]
fn the_seeds_are_refused_or_accepted_as_their_names_say() {
    use gan_playground::core::plane::PLANE_SETTINGS;
    use gan_playground::core::session::digits::{read_digit_hash, wants_digits};
    use gan_playground::core::session::plane::read_plane_hash;
    use gan_playground::core::weights::from_safetensors;
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
    let accepts = |target: &str, b: &[u8]| -> bool {
        match target {
            "digits" => Digits::from_bytes(b).is_ok(),
            "idx" => targets::idx_files(b).is_some_and(|(i, l)| Digits::from_idx(i, l).is_ok()),
            "weights" => from_safetensors(b, &Device::Cpu).is_ok(),
            "points" => gan_playground::core::settings::applied(
                PLANE_SETTINGS,
                &PlaneModel::default(),
                "points",
                &text(b),
            )
            .is_ok(),
            "points_file" => {
                gan_playground::core::plane::points_file::read_points_file(b, "seed").is_ok()
            }
            "hash" if wants_digits(&text(b)) => {
                read_digit_hash(&text(b), (&DigitModel::default(), &digit_train_config()))
                    .2
                    .is_empty()
            }
            "hash" => read_plane_hash(&text(b), (&PlaneModel::default(), &TrainConfig::default()))
                .2
                .is_empty(),
            other => panic!("no expectation for target {other}"),
        }
    };
    let accepted = [
        "digits/three-real",
        "digits/two-by-two",
        "idx/one-2x2",
        "idx/three-real",
        "weights/bf16",
        "weights/digits-2x2-noise-1",
        "weights/plane-small",
        "points/valid",
        "points_file/valid-csv",
        "points_file/valid-json",
        "points_file/valid-json-object",
        "hash/big-batch-dcgan",
        "hash/custom-points",
        "hash/digits-default",
        "hash/plane-default",
        "hash/sgd-lr-10",
    ];
    let mut seen = 0;
    for (target, _) in targets::ALL {
        let dir = corpus_dir(target);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = format!("{target}/{}", path.file_name().unwrap().to_string_lossy());
            let expected = accepted.contains(&name.as_str());
            assert_eq!(
                accepts(target, &std::fs::read(&path).unwrap()),
                expected,
                "{name}"
            );
            seen += 1;
        }
    }
    assert_eq!(
        seen, 37,
        "a seed was added or removed: give it an expectation here"
    );
}

/// The cargo-fuzz crate has one binary per target, each running that target and nothing
/// else, and every target has seeds: a target added to `targets.rs` but not to the
/// crate (or the reverse) would be fuzzed by one runner only.
#[test]
fn the_fuzz_crate_runs_every_target_and_only_those() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let bins: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .map(|b| {
            b.lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .and_then(|l| l.strip_suffix('"'))
                .unwrap()
        })
        .collect();
    let names: Vec<&str> = targets::ALL.iter().map(|(n, _)| *n).collect();
    assert_eq!(bins, names);
    for name in names {
        assert!(manifest.contains(&format!("path = \"fuzz_targets/{name}.rs\"")));
        let body = std::fs::read_to_string(dir.join(format!("fuzz_targets/{name}.rs"))).unwrap();
        assert!(body.contains("fuzz_target!"), "{name}");
        assert!(
            body.contains(&format!("targets::{name}(data)")),
            "{name}: {body}"
        );
        assert!(!seeds(name).is_empty(), "{name} has no seeds");
    }
}

// ---- The structured seeds, written by `cargo test --release --test fuzz_smoke -- --ignored` ----

/// A 2D model's weights, small enough for a seed (hidden 8, one layer).
fn plane_weights() -> Vec<u8> {
    let model = PlaneModel {
        hidden: 8,
        layers: 1,
        ..PlaneModel::default()
    };
    let t = PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap();
    let named = t
        .game()
        .named_vars()
        .into_iter()
        .map(|(n, v)| (n, v.as_tensor().clone()))
        .collect();
    to_safetensors(named).unwrap()
}

/// A digit GAN's weights for 2 × 2 digits with one noise input (a 6 KB file).
fn tiny_digit_weights() -> Vec<u8> {
    let digits = Digits::new(2, 2, vec![0, 1], vec![0; 8]).unwrap();
    let model = DigitModel {
        noise_dim: 1,
        ..DigitModel::default()
    };
    let t = DigitTrainer::new(model, digit_train_config(), Arc::new(digits), &Device::Cpu).unwrap();
    to_safetensors(t.tensors()).unwrap()
}

/// `file` with tensor `name` rewritten as `dtype`, its bytes `fill` repeated.
fn retyped(file: &[u8], name: &str, dtype: Dtype, fill: &[u8]) -> Vec<u8> {
    let st = SafeTensors::deserialize(file).unwrap();
    let owned: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = st
        .tensors()
        .into_iter()
        .map(|(n, v)| {
            if n == name {
                let len = v.shape().iter().product::<usize>() * dtype.bitsize() / 8;
                let data = fill.iter().copied().cycle().take(len).collect();
                (n, dtype, v.shape().to_vec(), data)
            } else {
                (n, v.dtype(), v.shape().to_vec(), v.data().to_vec())
            }
        })
        .collect();
    let views: Vec<(&str, TensorView)> = owned
        .iter()
        .map(|(n, d, s, b)| (n.as_str(), TensorView::new(*d, s.clone(), b).unwrap()))
        .collect();
    safetensors::tensor::serialize(views, None).unwrap()
}

/// A compact digits header with an empty body.
fn digits_header(count: u32, rows: u32, cols: u32) -> Vec<u8> {
    let mut out = b"GANDIGIT".to_vec();
    for v in [1, count, rows, cols, 0] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// An IDX pair as the `idx` target reads it: the split, then images, then labels.
fn idx_pair(n: u32, rows: u32, cols: u32, pixels: &[u8], labels: &[u8]) -> Vec<u8> {
    let images = [
        &[0, 0, 8, 3][..],
        &n.to_be_bytes(),
        &rows.to_be_bytes(),
        &cols.to_be_bytes(),
        pixels,
    ]
    .concat();
    let labels = [&[0, 0, 8, 1][..], &n.to_be_bytes(), labels].concat();
    [&(images.len() as u16).to_le_bytes()[..], &images, &labels].concat()
}

#[test]
#[ignore = "writes the seed corpus; run by hand when the formats change"]
fn write_seed_corpus() {
    let real = Digits::from_bytes(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/digits/page.digits"))
            .expect("the page digits (bash scripts/setup.sh)"),
    )
    .unwrap()
    .first(3);
    let real_pixels: Vec<u8> = (0..3).flat_map(|i| real.image(i).to_vec()).collect();
    let plane = plane_weights();
    let thirty_thousand = "0,0,".repeat(30_000);
    let seeds: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "hash",
            "sgd-lr-10",
            b"#optd=sgd&optg=sgd&lrd=10&lrg=10".to_vec(),
        ),
        ("hash", "nan-point", b"dataset=custom&points=NaN,0".to_vec()),
        (
            "hash",
            "big-batch-dcgan",
            b"batch=8192&mode=mnist&model=dcgan".to_vec(),
        ),
        (
            "hash",
            "custom-points",
            b"dataset=custom&points=0.1,0.2,-0.3,0.4&hidden=64&layers=3".to_vec(),
        ),
        (
            "hash",
            "out-of-range",
            b"lrd=1e-400&batch=-1&k=99999999999999999999&seed=18446744073709551616&hidden=0"
                .to_vec(),
        ),
        (
            "hash",
            "odd-pairs",
            b"%zz&&==&mode=mnist&conditional=1&noisedim=0&dataset=custom".to_vec(),
        ),
        (
            "hash",
            "plane-default",
            plane_hash(&PlaneModel::default(), &TrainConfig::default()).into_bytes(),
        ),
        (
            "hash",
            "digits-default",
            digit_hash(&DigitModel::default(), &digit_train_config()).into_bytes(),
        ),
        ("points", "nan", b"NaN,0".to_vec()),
        ("points", "30000-points", thirty_thousand.into_bytes()),
        ("points", "too-far", b"1e39,0,1001,0".to_vec()),
        (
            "points",
            "valid",
            b"0.5,-0.25,1000,-1000, 0.125 ,3".to_vec(),
        ),
        ("points", "odd", b"1,2,3".to_vec()),
        (
            "digits",
            "wraps-to-28-bytes",
            digits_header(1 << 31, 14329, 599479),
        ),
        ("digits", "huge-count", digits_header(u32::MAX, 28, 28)),
        ("digits", "three-real", real.to_bytes()),
        (
            "digits",
            "two-by-two",
            Digits::new(2, 2, vec![3, 7], (0..8).collect())
                .unwrap()
                .to_bytes(),
        ),
        (
            "idx",
            "three-real",
            idx_pair(3, 28, 28, &real_pixels, real.labels()),
        ),
        (
            "idx",
            "overflow",
            idx_pair(1 << 16, 1 << 24, 1 << 24, &[], &[]),
        ),
        ("idx", "wraps-32-bit", idx_pair(1 << 20, 64, 64, &[], &[])),
        ("idx", "one-2x2", idx_pair(1, 2, 2, &[1, 2, 3, 4], &[5])),
        ("weights", "plane-small", plane.clone()),
        ("weights", "digits-2x2-noise-1", tiny_digit_weights()),
        (
            "weights",
            "nan",
            retyped(
                &plane,
                "generator.l0.weight",
                Dtype::F32,
                &f32::NAN.to_le_bytes(),
            ),
        ),
        (
            "weights",
            "i64",
            retyped(&plane, "generator.l0.weight", Dtype::I64, &[1]),
        ),
        (
            "weights",
            "f8",
            retyped(&plane, "generator.l0.weight", Dtype::F8_E4M3, &[0x38]),
        ),
        (
            "weights",
            "f64-huge",
            retyped(
                &plane,
                "discriminator.l1.bias",
                Dtype::F64,
                &1e300f64.to_le_bytes(),
            ),
        ),
        (
            "weights",
            "bf16",
            retyped(
                &plane,
                "discriminator.l0.weight",
                Dtype::BF16,
                &[0x80, 0x3f],
            ),
        ),
    ];
    for (target, name, bytes) in seeds {
        let dir = corpus_dir(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}
