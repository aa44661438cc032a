//! The shareable state: every setting as a typed key in the URL hash, TensorFlow
//! Playground's convention (`key=value&…`, enums by short name, the data seed included so
//! a link reproduces the same run). Missing keys keep their defaults; a bad value is
//! clamped or ignored with a one-line message, never a panic.

use super::data::{Dataset, MAX_CUSTOM_POINTS};
use super::digit_train::{DigitArch, DigitModel, MAX_DIGIT_NOISE_DIM};
use super::loss::Loss;
use super::nets::{Activation, MAX_LAYERS, MAX_WIDTH};
use super::optim::OptimizerKind;
use super::train::{
    ModelConfig, NoiseKind, TrainConfig, UpdateMode, MAX_BATCH, MAX_K, MAX_NOISE_DIM,
};

/// The longest hash read; anything beyond is ignored (a hostile link cannot make us parse
/// megabytes).
pub const MAX_HASH_LEN: usize = 64 * 1024;

/// The hash for a configuration (without the leading `#`).
pub fn to_hash(model: &ModelConfig, cfg: &TrainConfig) -> String {
    let mut kv: Vec<(&str, String)> = vec![("dataset", model.dataset.name().to_string())];
    kv.extend(train_pairs(cfg));
    kv.extend([
        ("hidden", model.hidden.to_string()),
        ("layers", model.layers.to_string()),
        ("act", model.activation.name().to_string()),
        ("noise", model.noise.name().to_string()),
        ("noisedim", model.noise_dim.to_string()),
        ("seed", model.seed.to_string()),
    ]);
    if let Dataset::Custom(points) = &model.dataset {
        let pts: Vec<String> = points
            .iter()
            .map(|p| format!("{},{}", round3(p[0]), round3(p[1])))
            .collect();
        kv.push(("points", pts.join(",")));
    }
    join_pairs(&kv)
}

fn join_pairs(kv: &[(&str, String)]) -> String {
    kv.iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The live settings, the same keys for 2D and for digits.
fn train_pairs(cfg: &TrainConfig) -> Vec<(&'static str, String)> {
    vec![
        ("loss", cfg.loss.name()),
        ("k", cfg.k.to_string()),
        ("update", cfg.update.name().to_string()),
        ("optd", cfg.d_opt.kind.name().to_string()),
        ("optg", cfg.g_opt.kind.name().to_string()),
        ("lrd", cfg.d_opt.lr.to_string()),
        ("lrg", cfg.g_opt.lr.to_string()),
        ("batch", cfg.batch.to_string()),
        ("gp", cfg.gp_lambda.to_string()),
        ("clip", cfg.clip.to_string()),
    ]
}

/// Reads one live setting into `cfg`: `None` when `key` is not a live setting, else the
/// message about its value (if any).
fn train_setting(key: &str, value: &str, cfg: &mut TrainConfig) -> Option<Option<String>> {
    Some(match key {
        "loss" => set_parsed(Loss::parse(value), &mut cfg.loss, key),
        "k" => set_int(value, 1, MAX_K, &mut cfg.k, key),
        "batch" => set_int(value, 1, MAX_BATCH, &mut cfg.batch, key),
        "lrd" => set_float(value, 1e-6, 10.0, &mut cfg.d_opt.lr, key),
        "lrg" => set_float(value, 1e-6, 10.0, &mut cfg.g_opt.lr, key),
        "gp" => set_float(value, 0.0, 1e4, &mut cfg.gp_lambda, key),
        "clip" => set_float(value, 1e-4, 100.0, &mut cfg.clip, key),
        "update" => set_parsed(UpdateMode::parse(value), &mut cfg.update, key),
        "optd" => set_parsed(OptimizerKind::parse(value), &mut cfg.d_opt.kind, key),
        "optg" => set_parsed(OptimizerKind::parse(value), &mut cfg.g_opt.kind, key),
        _ => return None,
    })
}

/// The `(key, decoded value)` pairs of a hash, at most [`MAX_HASH_LEN`] of it read.
fn pairs(hash: &str, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = if hash.len() > MAX_HASH_LEN {
        notes.push(format!(
            "the link is longer than {MAX_HASH_LEN} characters; the rest was ignored"
        ));
        &hash[..floor_char_boundary(hash, MAX_HASH_LEN)]
    } else {
        hash
    };
    hash.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_string(), decode(raw))
        })
        .collect()
}

fn seed_setting(value: &str, seed: &mut u64, key: &str) -> Option<String> {
    match value.parse::<u64>() {
        Ok(s) => {
            *seed = s;
            None
        }
        Err(_) => Some(format!(
            "{key}: '{}' is not a non-negative integer; kept the default",
            clip_text(value)
        )),
    }
}

/// The hash of a digit (MNIST) session: `mode=mnist`, the model, then the live settings.
pub fn digit_to_hash(model: &DigitModel, cfg: &TrainConfig) -> String {
    let mut kv: Vec<(&str, String)> = vec![
        ("mode", "mnist".into()),
        ("model", model.arch.name().into()),
        ("cond", (model.conditional as u8).to_string()),
        ("noisedim", model.noise_dim.to_string()),
        ("seed", model.seed.to_string()),
    ];
    kv.extend(train_pairs(cfg));
    join_pairs(&kv)
}

/// Reads a digit session's hash over `defaults`, as [`from_hash`] does for 2D.
pub fn digit_from_hash(
    hash: &str,
    defaults: (&DigitModel, &TrainConfig),
) -> (DigitModel, TrainConfig, Vec<String>) {
    let (mut model, mut cfg) = (*defaults.0, *defaults.1);
    let mut notes = Vec::new();
    for (key, value) in pairs(hash, &mut notes) {
        let key = key.as_str();
        if let Some(note) = train_setting(key, &value, &mut cfg) {
            notes.extend(note);
            continue;
        }
        let note = match key {
            "mode" => None,
            "model" => set_parsed(DigitArch::parse(&value), &mut model.arch, key),
            "cond" => match value.as_str() {
                "0" | "1" => {
                    model.conditional = value == "1";
                    None
                }
                _ => Some(format!(
                    "cond: '{}' is not 0 or 1; kept the default",
                    clip_text(&value)
                )),
            },
            "noisedim" => set_int(&value, 1, MAX_DIGIT_NOISE_DIM, &mut model.noise_dim, key),
            "seed" => seed_setting(&value, &mut model.seed, key),
            _ => Some(format!("unknown setting '{}' ignored", clip_text(key))),
        };
        notes.extend(note);
    }
    (model, cfg, notes)
}

/// Reads a hash over `defaults`. Returns the configuration and one message per value that
/// was rejected or clamped.
pub fn from_hash(
    hash: &str,
    defaults: (&ModelConfig, &TrainConfig),
) -> (ModelConfig, TrainConfig, Vec<String>) {
    let (mut model, mut cfg) = (defaults.0.clone(), *defaults.1);
    let mut notes = Vec::new();
    let mut custom_points: Option<Vec<[f32; 2]>> = None;
    let mut dataset_name: Option<String> = None;
    for (key, value) in pairs(hash, &mut notes) {
        let key = key.as_str();
        if let Some(note) = train_setting(key, &value, &mut cfg) {
            notes.extend(note);
            continue;
        }
        let bad = |what: String| Some(format!("{key}: {what}; kept the default"));
        let note: Option<String> = match key {
            "dataset" => {
                dataset_name = Some(value);
                None
            }
            "hidden" => set_int(&value, 1, MAX_WIDTH, &mut model.hidden, key),
            "layers" => set_int(&value, 0, MAX_LAYERS, &mut model.layers, key),
            "noisedim" => set_int(&value, 1, MAX_NOISE_DIM, &mut model.noise_dim, key),
            "act" => set_parsed(Activation::parse(&value), &mut model.activation, key),
            "noise" => set_parsed(NoiseKind::parse(&value), &mut model.noise, key),
            "seed" => seed_setting(&value, &mut model.seed, key),
            "points" => match parse_points(&value) {
                Ok(p) => {
                    custom_points = Some(p);
                    None
                }
                Err(e) => bad(e),
            },
            _ => Some(format!("unknown setting '{}' ignored", clip_text(key))),
        };
        notes.extend(note);
    }
    match (dataset_name.as_deref(), custom_points) {
        (Some("custom"), Some(points)) => match Dataset::custom(points) {
            Ok(d) => model.dataset = d,
            Err(e) => notes.push(format!("points: {e}; kept the default data set")),
        },
        (Some("custom"), None) => {
            notes.push("dataset: custom needs points; kept the default".into())
        }
        (Some(name), _) => match Dataset::parse(name) {
            Ok(d) => model.dataset = d,
            Err(e) => notes.push(format!("dataset: {e}; kept the default")),
        },
        (None, _) => {}
    }
    (model, cfg, notes)
}

/// Takes a parsed setting, or reports why it was rejected (the old value stays).
fn set_parsed<T>(parsed: super::error::Result<T>, slot: &mut T, key: &str) -> Option<String> {
    match parsed {
        Ok(v) => {
            *slot = v;
            None
        }
        Err(e) => Some(format!("{key}: {e}; kept the default")),
    }
}

fn set_int(value: &str, lo: usize, hi: usize, slot: &mut usize, key: &str) -> Option<String> {
    match value.parse::<i64>() {
        Ok(v) => {
            let clamped = v.clamp(lo as i64, hi as i64) as usize;
            *slot = clamped;
            (clamped as i64 != v)
                .then(|| format!("{key}: {v} is outside {lo}..={hi}; using {clamped}"))
        }
        Err(_) => Some(format!(
            "{key}: '{}' is not an integer; kept the default",
            clip_text(value)
        )),
    }
}

fn set_float(value: &str, lo: f64, hi: f64, slot: &mut f64, key: &str) -> Option<String> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let clamped = v.clamp(lo, hi);
            *slot = clamped;
            (clamped != v).then(|| format!("{key}: {v} is outside [{lo}, {hi}]; using {clamped}"))
        }
        _ => Some(format!(
            "{key}: '{}' is not a finite number; kept the default",
            clip_text(value)
        )),
    }
}

fn parse_points(value: &str) -> Result<Vec<[f32; 2]>, String> {
    let nums: Result<Vec<f32>, _> = value.split(',').map(|s| s.trim().parse::<f32>()).collect();
    let nums = nums.map_err(|_| "a coordinate is not a number".to_string())?;
    if nums.len() % 2 != 0 {
        return Err("an odd number of coordinates".into());
    }
    if nums.len() / 2 > MAX_CUSTOM_POINTS {
        return Err(format!("more than {MAX_CUSTOM_POINTS} points"));
    }
    Ok(nums.chunks(2).map(|c| [c[0], c[1]]).collect())
}

fn round3(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3) and `,` and `=`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; a malformed escape is kept as text (it then fails validation).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value shown in a message, cut to 40 characters.
fn clip_text(s: &str) -> String {
    s.chars().take(40).collect()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
