//! Settings as tables, in the spirit of TensorFlow Playground's `State.PROPS`: each setting
//! is declared once, beside the configuration it configures, as a [`Setting`] — its key
//! (the URL-hash key and the CLI's name), its label, its kind and range, whether changing
//! it restarts training, and the typed getter and setter through which it applies.
//!
//! Everything that reads or writes a setting goes through these tables:
//! - the URL hash ([`hash`]) writes every setting of a session and reads a link over the
//!   defaults, clamping numbers into range with a note;
//! - a live change from the page is [`Setting::parse`] (strict: out of range is refused
//!   with a one-line message) then the setter, on a copy of the configuration;
//! - `validate` of each configuration checks every value against its setting's range
//!   ([`validate`]), which is what the CLI's flags and the engine's constructors call;
//! - the page builds its controls' limits and menus from [`describe`].
//!
//! The tables: `game::config::TRAIN_SETTINGS` (the live settings, shared by every game),
//! `plane::model::PLANE_SETTINGS` and `digits::model::DIGIT_SETTINGS` (what fixes the
//! networks and the data; changing one restarts).

pub mod hash;

use super::error::{GanError, Result};
use serde::Serialize;

/// What a setting holds, and its range.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A whole number in `lo..=hi`.
    Int { lo: i64, hi: i64 },
    /// A finite number in `[lo, hi]`.
    Float { lo: f64, hi: f64 },
    /// One of a set of names; `options` lists `(value, label)` for a menu (the setter's
    /// parser is the judge, so parametrised names such as `f-alpha=2.5` are accepted).
    Choice {
        options: fn() -> Vec<(String, String)>,
    },
    /// Any non-negative 64-bit integer (a seed).
    Seed,
    /// 0 or 1.
    Flag,
    /// 2D points, `x,y,x,y,…`, at most `max` of them.
    Points { max: usize },
}

/// A setting's value, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Text(String),
    Seed(u64),
    Flag(bool),
    Points(Vec<[f32; 2]>),
}

impl Value {
    /// The value as the URL hash writes it.
    pub fn to_text(&self) -> String {
        match self {
            Value::Int(v) => v.to_string(),
            Value::Float(v) => v.to_string(),
            Value::Text(s) => s.clone(),
            Value::Seed(v) => v.to_string(),
            Value::Flag(b) => (*b as u8).to_string(),
            // Full f32 precision, so that a link reproduces the data exactly.
            Value::Points(p) => p
                .iter()
                .map(|p| format!("{},{}", p[0], p[1]))
                .collect::<Vec<_>>()
                .join(","),
        }
    }
    pub fn int(&self) -> i64 {
        match self {
            Value::Int(v) => *v,
            _ => 0,
        }
    }
    pub fn float(&self) -> f64 {
        match self {
            Value::Float(v) => *v,
            Value::Int(v) => *v as f64,
            _ => f64::NAN,
        }
    }
    pub fn text(&self) -> &str {
        match self {
            Value::Text(s) => s,
            _ => "",
        }
    }
}

/// One setting of a configuration `C`.
pub struct Setting<C> {
    /// The URL-hash key (and the page control's `data-key`).
    pub key: &'static str,
    /// What the page calls it.
    pub label: &'static str,
    pub kind: Kind,
    /// Changing it rebuilds the networks or the data, i.e. restarts training.
    pub restarts: bool,
    pub get: fn(&C) -> Value,
    /// Applies a value that [`Setting::parse`] accepted; may still refuse it (an unknown
    /// name for a [`Kind::Choice`]) with a message.
    pub set: fn(&mut C, Value) -> Result<()>,
}

impl<C> Setting<C> {
    /// Parses `text` strictly: a value outside the range is refused, naming the setting
    /// and the range.
    pub fn parse(&self, text: &str) -> Result<Value> {
        let (value, clamped) = self.parse_clamped(text)?;
        match clamped {
            None => Ok(value),
            Some(_) => Err(self.out_of_range(text.trim())),
        }
    }

    /// Parses `text`, clamping a number into range; the second value is the note saying
    /// so. A value that cannot be read at all is an error.
    pub fn parse_clamped(&self, text: &str) -> Result<(Value, Option<String>)> {
        let key = self.key;
        let t = text.trim();
        let bad = |what: &str| {
            GanError::InvalidConfig(format!("{key}: '{}' is not {what}", clip_text(text)))
        };
        Ok(match self.kind {
            Kind::Int { lo, hi } => {
                let v: i64 = t.parse().map_err(|_| bad("a whole number"))?;
                let c = v.clamp(lo, hi);
                let note =
                    (c != v).then(|| format!("{key}: {v} is outside {lo}..={hi}; using {c}"));
                (Value::Int(c), note)
            }
            Kind::Float { lo, hi } => {
                let v: f64 = t
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| bad("a finite number"))?;
                let c = v.clamp(lo, hi);
                let note =
                    (c != v).then(|| format!("{key}: {v} is outside [{lo}, {hi}]; using {c}"));
                (Value::Float(c), note)
            }
            Kind::Choice { .. } => (Value::Text(t.to_string()), None),
            Kind::Seed => (
                Value::Seed(t.parse().map_err(|_| bad("a non-negative integer"))?),
                None,
            ),
            Kind::Flag => match t {
                "0" | "false" => (Value::Flag(false), None),
                "1" | "true" => (Value::Flag(true), None),
                _ => return Err(bad("0 or 1")),
            },
            Kind::Points { max } => (Value::Points(parse_points(t, max, key)?), None),
        })
    }

    /// Checks a value against the range (what `validate` of a configuration calls).
    pub fn check(&self, v: &Value) -> Result<()> {
        let ok = match (self.kind, v) {
            (Kind::Int { lo, hi }, Value::Int(x)) => (lo..=hi).contains(x),
            (Kind::Float { lo, hi }, Value::Float(x)) => x.is_finite() && *x >= lo && *x <= hi,
            (Kind::Points { max }, Value::Points(p)) => p.len() <= max,
            _ => true,
        };
        if ok {
            Ok(())
        } else {
            Err(self.out_of_range(&v.to_text()))
        }
    }

    fn out_of_range(&self, shown: &str) -> GanError {
        let range = match self.kind {
            Kind::Int { lo, hi } => format!("{lo}..={hi}"),
            Kind::Float { lo, hi } => format!("[{lo}, {hi}]"),
            Kind::Points { max } => format!("at most {max} points"),
            _ => "its range".into(),
        };
        GanError::InvalidConfig(format!(
            "{}: {} is outside {range}",
            self.key,
            clip_text(shown)
        ))
    }

    /// Parses `text` strictly and applies it to `c`.
    pub fn apply(&self, c: &mut C, text: &str) -> Result<()> {
        let v = self.parse(text)?;
        (self.set)(c, v)
    }
}

// The tables' rows, by the type of the field they set: each builds the getter and the
// setter from the field's path, so a row says only what differs (key, label, range).

/// A `usize` field in `lo..=hi`.
macro_rules! count_setting {
    ($key:literal, $label:literal, $lo:expr, $hi:expr, restarts: $r:expr, $($f:ident).+) => {
        $crate::core::settings::Setting {
            key: $key,
            label: $label,
            kind: $crate::core::settings::Kind::Int { lo: $lo as i64, hi: $hi as i64 },
            restarts: $r,
            get: |c| $crate::core::settings::Value::Int(c.$($f).+ as i64),
            set: |c, v| {
                c.$($f).+ = v.int() as usize;
                Ok(())
            },
        }
    };
}

/// An `f64` field in `[lo, hi]`.
macro_rules! float_setting {
    ($key:literal, $label:literal, $lo:expr, $hi:expr, restarts: $r:expr, $($f:ident).+) => {
        $crate::core::settings::Setting {
            key: $key,
            label: $label,
            kind: $crate::core::settings::Kind::Float { lo: $lo, hi: $hi },
            restarts: $r,
            get: |c| $crate::core::settings::Value::Float(c.$($f).+),
            set: |c, v| {
                c.$($f).+ = v.float();
                Ok(())
            },
        }
    };
}

/// A field of a type with `name()` and `parse()`, one of `options`.
macro_rules! choice_setting {
    ($key:literal, $label:literal, $options:expr, restarts: $r:expr, $($f:ident).+ : $ty:ty) => {
        $crate::core::settings::Setting {
            key: $key,
            label: $label,
            kind: $crate::core::settings::Kind::Choice { options: $options },
            restarts: $r,
            get: |c| $crate::core::settings::Value::Text(c.$($f).+.name().into()),
            set: |c, v| {
                c.$($f).+ = <$ty>::parse(v.text())?;
                Ok(())
            },
        }
    };
}

/// A `bool` field, written 0 or 1.
macro_rules! flag_setting {
    ($key:literal, $label:literal, restarts: $r:expr, $($f:ident).+) => {
        $crate::core::settings::Setting {
            key: $key,
            label: $label,
            kind: $crate::core::settings::Kind::Flag,
            restarts: $r,
            get: |c| $crate::core::settings::Value::Flag(c.$($f).+),
            set: |c, v| {
                c.$($f).+ = v == $crate::core::settings::Value::Flag(true);
                Ok(())
            },
        }
    };
}

/// A `u64` seed field (restarts training).
macro_rules! seed_setting {
    ($($f:ident).+) => {
        $crate::core::settings::Setting {
            key: "seed",
            label: "seed",
            kind: $crate::core::settings::Kind::Seed,
            restarts: true,
            get: |c| $crate::core::settings::Value::Seed(c.$($f).+),
            set: |c, v| {
                if let $crate::core::settings::Value::Seed(s) = v {
                    c.$($f).+ = s;
                }
                Ok(())
            },
        }
    };
}

pub(crate) use {choice_setting, count_setting, flag_setting, float_setting, seed_setting};

/// The setting named `key` in `table`.
/// Whether changing `key` restarts training (its row says so; a key not in `table` does
/// not): the labs apply the others live.
pub fn restarts<C>(table: &[Setting<C>], key: &str) -> bool {
    find(table, key).is_some_and(|s| s.restarts)
}

pub fn find<'a, C>(table: &'a [Setting<C>], key: &str) -> Option<&'a Setting<C>> {
    table.iter().find(|s| s.key == key)
}

/// A copy of `c` with the setting `key` set to `value` (strictly parsed); an unknown key
/// or a refused value is an error and `c` is untouched.
pub fn applied<C: Clone>(table: &[Setting<C>], c: &C, key: &str, value: &str) -> Result<C> {
    let s = find(table, key)
        .ok_or_else(|| GanError::InvalidConfig(format!("unknown setting '{}'", clip_text(key))))?;
    let mut copy = c.clone();
    s.apply(&mut copy, value)?;
    Ok(copy)
}

/// Checks every setting of `c` against its range.
pub fn validate<C>(table: &[Setting<C>], c: &C) -> Result<()> {
    table.iter().try_for_each(|s| s.check(&(s.get)(c)))
}

/// A setting as the page sees it: how to build and bound its control.
#[derive(Clone, Debug, Serialize)]
pub struct SettingInfo {
    pub key: &'static str,
    pub label: &'static str,
    /// `int`, `float`, `choice`, `seed`, `flag` or `points`.
    pub kind: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub options: Vec<(String, String)>,
    pub restarts: bool,
}

/// The page's view of a table.
pub fn describe<C>(table: &[Setting<C>]) -> Vec<SettingInfo> {
    table
        .iter()
        .map(|s| {
            let (kind, min, max, options) = match s.kind {
                Kind::Int { lo, hi } => ("int", Some(lo as f64), Some(hi as f64), vec![]),
                Kind::Float { lo, hi } => ("float", Some(lo), Some(hi), vec![]),
                Kind::Choice { options } => ("choice", None, None, options()),
                Kind::Seed => ("seed", Some(0.0), None, vec![]),
                Kind::Flag => ("flag", Some(0.0), Some(1.0), vec![]),
                Kind::Points { max } => ("points", None, Some(max as f64), vec![]),
            };
            SettingInfo {
                key: s.key,
                label: s.label,
                kind,
                min,
                max,
                options,
                restarts: s.restarts,
            }
        })
        .collect()
}

/// `(value, label)` pairs where the value is its own label.
pub fn named(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|n| (n.to_string(), n.to_string()))
        .collect()
}

fn parse_points(value: &str, max: usize, key: &str) -> Result<Vec<[f32; 2]>> {
    let bad = |m: &str| GanError::InvalidConfig(format!("{key}: {m}"));
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let nums: std::result::Result<Vec<f32>, _> =
        value.split(',').map(|s| s.trim().parse::<f32>()).collect();
    let nums = nums.map_err(|_| bad("a coordinate is not a number"))?;
    if nums.iter().any(|v| !v.is_finite()) {
        return Err(bad("a coordinate is not finite"));
    }
    if nums.len() % 2 != 0 {
        return Err(bad("an odd number of coordinates"));
    }
    if nums.len() / 2 > max {
        return Err(bad(&format!("more than {max} points")));
    }
    Ok(nums.chunks(2).map(|c| [c[0], c[1]]).collect())
}

/// A value shown in a message, cut to 40 characters.
pub fn clip_text(s: &str) -> String {
    s.chars().take(40).collect()
}
