//! The fuzz targets' bodies, written once and used twice: by the cargo-fuzz crate in this
//! folder (`fuzz_targets/*.rs`, run long by `scripts/fuzz.sh`) and by the short smoke in
//! the test command (`tests/native/fuzz_smoke.rs`). Each takes any bytes and must neither panic
//! nor hang; what it accepts must be a valid object, as the comment of each says. A broken
//! invariant is a panic, which both runners report as a failure.
#![allow(dead_code)]

use candle_core::{Device, Tensor};
use gan_playground::core::digits::data::{Digits, MAX_PIXELS};
use gan_playground::core::digits::trainer::digit_train_config;
use gan_playground::core::digits::{DigitModel, DigitTrainer};
use gan_playground::core::game::TrainConfig;
use gan_playground::core::plane::data::{Dataset, MAX_CUSTOM_POINTS};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer, PLANE_SETTINGS};
use gan_playground::core::rng::SeededRng;
use gan_playground::core::session::digits::{digit_hash, read_digit_hash};
use gan_playground::core::session::plane::{plane_hash, read_plane_hash};
use gan_playground::core::settings;
use gan_playground::core::weights::from_safetensors;
use std::collections::HashMap;
use std::sync::Arc;

/// A target: any bytes in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, for runners that take them all.
pub const ALL: [(&str, Target); 6] = [
    ("hash", hash),
    ("digits", digits),
    ("idx", idx),
    ("weights", weights),
    ("points", points),
    ("points_file", points_file),
];

/// Whether an input also builds the networks its configuration asks for. Building costs
/// milliseconds against microseconds for parsing, so one input in 32 (chosen by its
/// bytes, so a run is reproducible) keeps the fuzzer fast while still building
/// hundreds of thousands of accepted configurations in a long run.
fn builds(data: &[u8]) -> bool {
    crc32fast::hash(data).is_multiple_of(32)
}

/// A URL hash, read as the page reads it: both sessions' readers take any text. What
/// they return validates, and writing it back and reading that again gives the same
/// configuration without a note (the link round-trips exactly).
pub fn hash(data: &[u8]) {
    let Ok(link) = std::str::from_utf8(data) else {
        return;
    };
    let (model, cfg, _) = read_plane(link);
    round_trips(&model, &cfg, PlaneModel::validate, plane_hash, read_plane);
    let (dmodel, dcfg, _) = read_digits(link);
    round_trips(
        &dmodel,
        &dcfg,
        DigitModel::validate,
        digit_hash,
        read_digits,
    );
    if builds(data) {
        PlaneTrainer::new(model, cfg, &Device::Cpu).expect("a valid plane configuration builds");
        DigitTrainer::new(dmodel, dcfg, tiny_digits(28, 28), &Device::Cpu)
            .expect("a valid digit configuration builds");
    }
}

fn read_plane(link: &str) -> (PlaneModel, TrainConfig, Vec<String>) {
    read_plane_hash(link, (&PlaneModel::default(), &TrainConfig::default()))
}

fn read_digits(link: &str) -> (DigitModel, TrainConfig, Vec<String>) {
    read_digit_hash(link, (&DigitModel::default(), &digit_train_config()))
}

/// A configuration a link reader returned validates, and the link written from it reads
/// back to it without a note.
fn round_trips<M: PartialEq + std::fmt::Debug>(
    model: &M,
    cfg: &TrainConfig,
    validate: fn(&M) -> gan_playground::core::error::Result<()>,
    write: fn(&M, &TrainConfig) -> String,
    read: fn(&str) -> (M, TrainConfig, Vec<String>),
) {
    validate(model).expect("the model read validates");
    cfg.validate().expect("the settings read validate");
    let link = write(model, cfg);
    let (model2, cfg2, notes) = read(&link);
    assert!(notes.is_empty(), "{link}: {notes:?}");
    assert_eq!((&model2, &cfg2), (model, cfg), "{link}");
}

/// Twenty digits of `rows × cols`, for building digit models without the MNIST files.
fn tiny_digits(rows: usize, cols: usize) -> Arc<Digits> {
    let labels: Vec<u8> = (0..20).map(|i| i % 10).collect();
    let pixels = (0..20 * rows * cols)
        .map(|i| (i * 37 % 256) as u8)
        .collect();
    Arc::new(Digits::new(rows, cols, labels, pixels).expect("valid digits"))
}

/// What any accepted digits must satisfy, and the compact file it writes reads back
/// the same.
fn check_digits(d: &Digits) {
    assert!(d.dim() >= 1 && d.dim() <= MAX_PIXELS);
    assert!(d.labels().iter().all(|&l| l < 10));
    for i in 0..d.len() {
        assert_eq!(d.image(i).len(), d.dim());
    }
    assert_eq!(&Digits::from_bytes(&d.to_bytes()).expect("re-read"), d);
}

/// The compact digits file: an accepted file is valid digits and is exactly the file
/// they write (the format has one way to write each set of digits).
pub fn digits(data: &[u8]) {
    if let Ok(d) = Digits::from_bytes(data) {
        check_digits(&d);
        assert_eq!(d.to_bytes(), data);
    }
}

/// The image and the label file of an `idx` input (see [`idx`]); `None` under 2 bytes.
pub fn idx_files(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (head, rest) = data.split_first_chunk::<2>()?;
    let split = u16::from_le_bytes(*head) as usize % (rest.len() + 1);
    Some(rest.split_at(split))
}

/// LeCun's IDX pair: the first two bytes (little-endian, modulo the rest's length + 1)
/// say where the image file ends and the label file begins.
pub fn idx(data: &[u8]) {
    let Some((images, labels)) = idx_files(data) else {
        return;
    };
    if let Ok(d) = Digits::from_idx(images, labels) {
        check_digits(&d);
        assert_eq!(
            d.len(),
            u32::from_be_bytes(labels[4..8].try_into().unwrap()) as usize
        );
    }
}

/// A small 2D model (the weights corpus holds its file) to load accepted weights into.
fn small_plane_model() -> PlaneModel {
    PlaneModel {
        hidden: 8,
        layers: 1,
        ..PlaneModel::default()
    }
}

/// Every value of the named tensors, to see whether a load changed anything.
fn values(named: Vec<(String, Tensor)>) -> Vec<(String, Vec<f32>)> {
    named
        .into_iter()
        .map(|(n, t)| (n, t.flatten_all().unwrap().to_vec1::<f32>().unwrap()))
        .collect()
}

/// A weights file: accepted tensors are finite F32s; loading them into a 2D model and
/// into the digit model they describe (on 2 × 2 digits, so that small files can be
/// one) either sets every weight to the file's values or refuses and changes nothing.
pub fn weights(data: &[u8]) {
    let Ok(tensors) = from_safetensors(data, &Device::Cpu) else {
        return;
    };
    for (name, t) in &tensors {
        assert_eq!(t.dtype(), candle_core::DType::F32, "{name}");
        let v = t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert!(v.iter().all(|x| x.is_finite()), "{name}");
    }
    let plane = PlaneTrainer::new(small_plane_model(), TrainConfig::default(), &Device::Cpu)
        .expect("the small model builds");
    for net in [plane.generator(), plane.discriminator()] {
        let named = || {
            net.named_vars()
                .into_iter()
                .map(|(n, v)| (n, v.as_tensor().clone()))
                .collect()
        };
        let before = values(named());
        let loaded = net.load(&tensors).is_ok();
        check_loaded(loaded, before, values(named()), &tensors);
    }
    let Ok(model) = DigitModel::default().from_tensors(&tensors) else {
        return;
    };
    let Ok(mut trainer) =
        DigitTrainer::new(model, digit_train_config(), tiny_digits(2, 2), &Device::Cpu)
    else {
        return;
    };
    let before = values(trainer.tensors());
    let loaded = trainer.load(&tensors).is_ok();
    check_loaded(loaded, before, values(trainer.tensors()), &tensors);
}

/// A load either set every weight to the file's values or changed nothing.
fn check_loaded(
    loaded: bool,
    before: Vec<(String, Vec<f32>)>,
    after: Vec<(String, Vec<f32>)>,
    file: &HashMap<String, Tensor>,
) {
    if loaded {
        for (name, v) in after {
            let want = file[&name].flatten_all().unwrap().to_vec1::<f32>().unwrap();
            assert_eq!(v, want, "{name}");
        }
    } else {
        assert_eq!(before, after, "a refused file changed the weights");
    }
}

/// The custom points (the hash's `points=` value, set live as the page does): accepted
/// points are finite, within ±1000 and at most [`MAX_CUSTOM_POINTS`]; the model
/// validates, its link reads back to the same points, and the data set samples finite
/// points.
pub fn points(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = settings::applied(PLANE_SETTINGS, &PlaneModel::default(), "points", text)
    else {
        return;
    };
    let Dataset::Custom(p) = &model.dataset else {
        assert_eq!(model, PlaneModel::default(), "no points, nothing changed");
        return;
    };
    assert!(!p.is_empty() && p.len() <= MAX_CUSTOM_POINTS);
    assert!(p.iter().flatten().all(|v| v.is_finite() && v.abs() <= 1e3));
    plane_round_trips(&model);
    let sample = model.dataset.sample(&mut SeededRng::new(1), 64);
    assert!(sample.iter().flatten().all(|v| v.is_finite()));
}

/// A CSV or JSON file of the user's 2D points, read as the page reads an upload. What is
/// accepted is between 1 and `MAX_FILE_POINTS` finite points within ±1000, and makes a
/// data set whose link round-trips.
pub fn points_file(data: &[u8]) {
    use gan_playground::core::plane::points_file::{read_points_file, MAX_FILE_POINTS};
    let Ok(p) = read_points_file(data, "fuzz.csv") else {
        return;
    };
    assert!(!p.is_empty() && p.len() <= MAX_FILE_POINTS);
    assert!(p.iter().flatten().all(|v| v.is_finite() && v.abs() <= 1e3));
    let model = PlaneModel {
        dataset: Dataset::custom(p).expect("a file's points make a data set"),
        ..PlaneModel::default()
    };
    plane_round_trips(&model);
}

/// A 2D model under the default live settings writes a link that reads back the same.
fn plane_round_trips(model: &PlaneModel) {
    round_trips(
        model,
        &TrainConfig::default(),
        PlaneModel::validate,
        plane_hash,
        read_plane,
    );
}
