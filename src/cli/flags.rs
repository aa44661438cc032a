//! The settings' flags of `train` (and `benchmark`), built from the setting tables: one
//! flag per row of `game::TRAIN_SETTINGS`, `plane::PLANE_SETTINGS` and
//! `digits::DIGIT_SETTINGS`, named by the row's key or by its long name in [`LONG_NAMES`],
//! its help from the row's label, range and default, its value checked by the row
//! (`Setting::parse`, strict, as the page's controls are) and applied by the row's setter
//! in the table's order. A row added to a table is a flag; no code here names a setting
//! but the long names and the two flags that set both networks at once ([`BOTH`]).

use crate::core::digits::trainer::digit_train_config;
use crate::core::digits::{DigitModel, DIGIT_SETTINGS};
use crate::core::error::{GanError, Result};
use crate::core::game::{TrainConfig, TRAIN_SETTINGS};
use crate::core::plane::{PlaneModel, PLANE_SETTINGS};
use crate::core::settings::{Kind, Setting};
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::sync::Arc;

/// The flags whose names are not their keys: readable names for the links' short keys
/// (and the names the flags had before the tables made them).
pub const LONG_NAMES: &[(&str, &str)] = &[
    ("lrd", "lr-d"),
    ("lrg", "lr-g"),
    ("gp", "gp-lambda"),
    ("optd", "opt-d"),
    ("optg", "opt-g"),
    ("b1d", "beta1-d"),
    ("b1g", "beta1-g"),
    ("act", "activation"),
    ("noisedim", "noise-dim"),
    ("gbn", "g-batch-norm"),
    ("dhidden", "d-hidden"),
    ("dlayers", "d-layers"),
    ("cond", "conditional"),
];

/// Flags that set one setting of both networks: `--optimizer adam` is `--opt-d adam
/// --opt-g adam`; a network's own flag wins.
pub const BOTH: &[(&str, [&str; 2])] =
    &[("optimizer", ["optd", "optg"]), ("beta1", ["b1d", "b1g"])];

/// What the command line adds to a row's help.
const MORE_HELP: &[(&str, &str)] = &[
    ("dataset", "or mnist: the digits (--model, --conditional)"),
    ("points", "the data of --dataset custom"),
];

/// The flag of the setting `key`.
pub fn long_name(key: &str) -> &str {
    LONG_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, long)| long)
}

type Parse = Arc<dyn Fn(&str) -> Result<()> + Send + Sync>;

/// A row of a table, without its configuration's type.
struct Row {
    /// `""` for the live settings, else the data the table is for (`2D`, `mnist`).
    table: &'static str,
    label: &'static str,
    kind: Kind,
    /// The row's value in its table's defaults, and in MNIST's where that differs.
    default: String,
    /// [`Setting::parse`], strict.
    strict: Parse,
    /// [`Setting::parse_clamped`]: whether the value can be read at all.
    readable: Parse,
}

/// One flag: the rows of every table that have its key.
struct Flag {
    long: &'static str,
    key: &'static str,
    rows: Vec<Row>,
}

fn rows_of<C: 'static>(
    table: &'static [Setting<C>],
    name: &'static str,
    defaults: &[&C],
) -> Vec<(&'static str, Row)> {
    table
        .iter()
        .map(|s| {
            let mut values: Vec<String> = Vec::new();
            for d in defaults {
                let v = (s.get)(d).to_text();
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            let default = match values.as_slice() {
                [one] if one.is_empty() => String::new(),
                [one] => one.clone(),
                [two_d, mnist] => format!("{two_d}; mnist: {mnist}"),
                _ => String::new(),
            };
            let row = Row {
                table: name,
                label: s.label,
                kind: s.kind,
                default,
                strict: Arc::new(move |t| s.parse(t).map(|_| ())),
                readable: Arc::new(move |t| s.parse_clamped(t).map(|_| ())),
            };
            (s.key, row)
        })
        .collect()
}

/// Every setting's flag, the live settings first, in the tables' order.
fn flags() -> Vec<Flag> {
    let (train, digits) = (TrainConfig::default(), digit_train_config());
    let rows = rows_of(TRAIN_SETTINGS, "", &[&train, &digits])
        .into_iter()
        .chain(rows_of(PLANE_SETTINGS, "2D", &[&PlaneModel::default()]))
        .chain(rows_of(DIGIT_SETTINGS, "mnist", &[&DigitModel::default()]));
    let mut out: Vec<Flag> = Vec::new();
    for (key, row) in rows {
        match out.iter_mut().find(|f| f.key == key) {
            Some(f) => f.rows.push(row),
            None => out.push(Flag {
                long: long_name(key),
                key,
                rows: vec![row],
            }),
        }
    }
    out
}

/// A range or a menu as the help says it.
fn range(kind: Kind) -> String {
    match kind {
        Kind::Int { lo, hi } => format!("{lo}..={hi}"),
        Kind::Float { lo, hi } => format!("{lo} to {hi}"),
        Kind::Choice { options } => choices(&options()),
        Kind::Seed => "a non-negative integer".into(),
        Kind::Flag => "alone for on, or =0|1".into(),
        Kind::Points { max } => format!("x,y,x,y,… (at most {max} points)"),
    }
}

/// A menu's values, grouped by label where labels are shared (the losses' families).
fn choices(options: &[(String, String)]) -> String {
    let grouped = options
        .iter()
        .enumerate()
        .any(|(i, (_, l))| options[..i].iter().any(|(_, m)| m == l));
    if !grouped {
        let names: Vec<&str> = options.iter().map(|(v, _)| v.as_str()).collect();
        return names.join(", ");
    }
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (v, l) in options {
        match groups.iter_mut().find(|(g, _)| g == l) {
            Some((_, vs)) => vs.push(v),
            None => groups.push((l, vec![v])),
        }
    }
    groups
        .iter()
        .map(|(g, vs)| format!("{g}: {}", vs.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn value_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Int { .. } => "N",
        Kind::Float { .. } => "X",
        Kind::Choice { .. } => "NAME",
        Kind::Seed => "SEED",
        Kind::Flag => "0|1",
        Kind::Points { .. } => "POINTS",
    }
}

impl Flag {
    /// `label (range) [default: …]`, with the range and default per table where the
    /// tables differ.
    fn help(&self) -> String {
        let first = &self.rows[0];
        let same = self
            .rows
            .iter()
            .all(|r| range(r.kind) == range(first.kind) && r.default == first.default);
        let text = if same {
            let table = match self.rows.as_slice() {
                [one] if !one.table.is_empty() => format!("{}: ", one.table),
                _ => String::new(),
            };
            let default = if first.default.is_empty() {
                String::new()
            } else {
                format!(" [default: {}]", first.default)
            };
            format!("{table}{} ({}){default}", first.label, range(first.kind))
        } else {
            let per_table: Vec<String> = self
                .rows
                .iter()
                .map(|r| format!("{}: {}, default {}", r.table, range(r.kind), r.default))
                .collect();
            format!("{} ({})", first.label, per_table.join("; "))
        };
        MORE_HELP
            .iter()
            .filter(|(k, _)| *k == self.key)
            .fold(text, |text, (_, more)| format!("{text}; {more}"))
    }

    fn arg(&self) -> Arg {
        let kind = self.rows[0].kind;
        // A flag of one row is checked whole here; one that several tables share (the
        // seed, the noise dimension), only for being readable, and by its table's range
        // once the data says which table applies.
        let checks: Vec<Parse> = match self.rows.as_slice() {
            [one] => vec![one.strict.clone()],
            rows => rows.iter().map(|r| r.readable.clone()).collect(),
        };
        let parser = move |text: &str| -> std::result::Result<String, String> {
            let mut first = None;
            for check in &checks {
                match check(text) {
                    Ok(()) => return Ok(text.to_string()),
                    Err(e) => {
                        first.get_or_insert(e.to_string());
                    }
                }
            }
            Err(first.unwrap_or_default())
        };
        let arg = Arg::new(self.long)
            .long(self.long)
            .value_name(value_name(kind))
            .help(self.help())
            .action(ArgAction::Set)
            .value_parser(parser);
        match kind {
            Kind::Flag => arg
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("1"),
            Kind::Int { .. } | Kind::Float { .. } => arg.allow_negative_numbers(true),
            Kind::Points { .. } => arg.allow_hyphen_values(true),
            _ => arg,
        }
    }
}

/// The settings' flags given on a command line, as `(key, text)`, checked as the flag's
/// row reads them.
#[derive(Clone, Debug, Default)]
pub struct SettingFlags {
    given: Vec<(&'static str, String)>,
}

impl SettingFlags {
    /// The text given for the setting `key` (by its flag, or by a flag of [`BOTH`]).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every setting given, as `(key, text)`.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.given
    }

    /// Applies the flags of `table`'s rows to `c`, strictly, in the table's order (so
    /// that a row may depend on one before it, as in a link: `--points` before
    /// `--dataset custom`).
    pub fn apply<C>(&self, table: &[Setting<C>], c: &mut C) -> Result<()> {
        for s in table {
            if let Some(text) = self.get(s.key) {
                s.apply(c, text)?;
            }
        }
        Ok(())
    }

    /// Refuses the flags given for settings that none of `tables` has (each a list of
    /// keys), saying `why`.
    pub fn refuse_outside(&self, tables: &[&[&str]], why: &str) -> Result<()> {
        let outside: Vec<String> = self
            .given
            .iter()
            .filter(|(k, _)| !tables.iter().any(|t| t.contains(k)))
            .map(|(k, _)| format!("--{}", long_name(k)))
            .collect();
        match outside.as_slice() {
            [] => Ok(()),
            some => Err(GanError::InvalidConfig(format!(
                "{}: {why}",
                some.join(", ")
            ))),
        }
    }

    fn read(m: &ArgMatches) -> Self {
        let mut given: Vec<(&'static str, String)> = flags()
            .into_iter()
            .filter_map(|f| m.get_one::<String>(f.long).map(|v| (f.key, v.clone())))
            .collect();
        for (long, keys) in BOTH {
            if let Some(v) = m.get_one::<String>(long) {
                for key in keys {
                    if !given.iter().any(|(k, _)| k == key) {
                        given.push((key, v.clone()));
                    }
                }
            }
        }
        Self { given }
    }
}

/// `--optimizer`, `--beta1`: the rows of both networks, checked by the first.
fn both_args(flags: &[Flag]) -> Vec<Arg> {
    BOTH.iter()
        .filter_map(|(long, keys)| {
            let rows: Vec<&Flag> = keys
                .iter()
                .filter_map(|k| flags.iter().find(|f| f.key == *k))
                .collect();
            let first = rows.first()?;
            let names: Vec<String> = rows.iter().map(|f| format!("--{}", f.long)).collect();
            let help = format!(
                "{} at once ({})",
                names.join(" and "),
                range(first.rows[0].kind)
            );
            Some(
                first
                    .arg()
                    .id(*long)
                    .long(*long)
                    .help(help)
                    .num_args(1)
                    .require_equals(false),
            )
        })
        .collect()
}

impl clap::FromArgMatches for SettingFlags {
    fn from_arg_matches(m: &ArgMatches) -> std::result::Result<Self, clap::Error> {
        Ok(Self::read(m))
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> std::result::Result<(), clap::Error> {
        *self = Self::read(m);
        Ok(())
    }
}

impl clap::Args for SettingFlags {
    fn augment_args(cmd: Command) -> Command {
        let flags = flags();
        let cmd = flags.iter().fold(cmd, |cmd, f| cmd.arg(f.arg()));
        both_args(&flags).into_iter().fold(cmd, Command::arg)
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

/// The keys of a table, for [`SettingFlags::refuse_outside`].
pub fn keys<C>(table: &[Setting<C>]) -> Vec<&'static str> {
    table.iter().map(|s| s.key).collect()
}
