//! Reading a session's link, once: [`Link`] holds its decoded pairs, and every reader
//! (the lab's settings, the live ones, the view, compare mode) takes them from there.
//! A lab that a link opens says how ([`LinkLab`]): the key that names it, its own setting
//! table and defaults, and its constructor; [`open_lab`] reads the table and the live
//! settings over the defaults into the typed model and configuration and builds the lab.

use super::compare::compare_keys;
use super::view::view_keys;
use super::Lab;
use crate::core::error::Result;
use crate::core::game::{TrainConfig, TRAIN_SETTINGS};
use crate::core::settings::{hash, Setting};

/// The key that names the MNIST session in its link (`mode=mnist`).
pub const MODE_KEY: &str = "mode";

/// The key that names the game of a link (`game=xy`); absent for the classic GAN.
pub const GAME_KEY: &str = "game";
/// The key that names the lesson a link opens (`lesson=xy-game`).
pub const LESSON_KEY: &str = "lesson";

/// A link's decoded `(key, value)` pairs, and the notes of what could not be read of it
/// (a link cut at [`hash::MAX_HASH_LEN`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    pairs: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Link {
    pub fn parse(text: &str) -> Self {
        let mut notes = Vec::new();
        let pairs = hash::pairs(text, &mut notes);
        Self { pairs, notes }
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// What could not be read of the link itself.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The first value of `key`.
    pub fn first(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the link holds the pair `key=value`.
    pub fn has(&self, key: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == key && v == value)
    }
}

/// How a link names a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// A link that names no session opens it (the classic GAN on 2D points).
    ByDefault,
    /// `mode=<key>` (the MNIST session).
    Mode,
    /// `game=<key>` (the games beyond the classic GAN).
    Game,
}

/// A session's link: the key that names it and what it may carry besides the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkFormat {
    /// The session's key: [`Lab::mode`], the page menu's value, and the value of
    /// `game=` or `mode=` in a link, as [`LinkFormat::named`] says.
    pub key: &'static str,
    pub named: Named,
    /// Its link may carry compare mode (`cmp=1`, `b.<key>`); where the lab has no run B
    /// ([`Lab::twin`]) the session says so in a note.
    pub compare: bool,
}

impl LinkFormat {
    /// The key of the pair that names the session in a link, if any.
    pub fn naming_key(&self) -> Option<&'static str> {
        match self.named {
            Named::ByDefault => None,
            Named::Mode => Some(MODE_KEY),
            Named::Game => Some(GAME_KEY),
        }
    }

    /// The link of the session with every setting at its default.
    pub fn default_link(&self) -> String {
        self.naming_key()
            .map_or(String::new(), |k| format!("{k}={}", self.key))
    }

    /// Every key a link of this session may hold besides `table`'s: the live settings,
    /// the view, the lesson, the key that names it and compare mode's.
    fn known_keys(&self, table: impl Iterator<Item = &'static str>) -> Vec<String> {
        let mut known: Vec<String> = table
            .chain(TRAIN_SETTINGS.iter().map(|s| s.key))
            .chain(view_keys())
            .chain([LESSON_KEY])
            .chain(self.naming_key())
            .map(String::from)
            .collect();
        if self.compare {
            known.extend(compare_keys());
        }
        known
    }
}

/// The files the MNIST session needs (the set-up makes both): the digits and the
/// classifier's weights.
#[derive(Clone, Copy, Debug)]
pub struct DigitAssets<'a> {
    pub digits: &'a [u8],
    pub classifier: &'a [u8],
}

/// A lab that opens from its link: its link's format, its own setting table and
/// defaults, and how it is built from the typed settings.
pub trait LinkLab: Lab + Sized {
    const LINK: LinkFormat;
    /// What fixes its networks and data.
    type Model: Clone + Default;
    /// The lab's own settings, read from its link beside the live `TRAIN_SETTINGS`.
    const SETTINGS: &'static [Setting<Self::Model>];
    /// The live settings (`TRAIN_SETTINGS` keys) its game honours; `None`: every one. The
    /// page shows no control for the others.
    const LIVE: Option<&'static [&'static str]> = None;
    /// The plane's layers its frames draw (of `view::LAYERS`).
    const LAYERS: &'static [&'static str] = &super::view::LAYERS;
    /// Its model in a line, for the strip over the plane; `None`: the GAN's own graph
    /// (noise z → G → G(z) → D ← data x).
    const STRIP: Option<&'static str> = None;
    /// What the plane's axes are, in a line under it, where they mean something of their
    /// own (the xy game's players); its frames then carry ticks ([`crate::core::plane::axes`]).
    /// `None`: the data's plane, whose coordinates the page leaves unlabelled.
    const AXES: Option<&'static str> = None;
    /// The model and the live settings of a link that says nothing: the defaults, unless a
    /// game trains best from other live settings.
    fn defaults() -> (Self::Model, TrainConfig) {
        (Self::Model::default(), TrainConfig::default())
    }
    fn build(model: Self::Model, cfg: TrainConfig) -> Result<Self>;
}

/// Reads `table` and the live settings of a `format` session's `link` over `defaults`;
/// one note per value that was clamped or refused and per key the session does not know.
pub fn read<M: Clone>(
    link: &Link,
    format: &LinkFormat,
    table: &[Setting<M>],
    defaults: (&M, &TrainConfig),
) -> (M, TrainConfig, Vec<String>) {
    let (mut model, mut cfg) = (defaults.0.clone(), *defaults.1);
    let mut notes = link.notes.clone();
    hash::read(table, &mut model, &link.pairs, &mut notes);
    hash::read(TRAIN_SETTINGS, &mut cfg, &link.pairs, &mut notes);
    let known = format.known_keys(table.iter().map(|s| s.key));
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    hash::unknown_keys(&link.pairs, &known, &mut notes);
    (model, cfg, notes)
}

/// The lab of `link` and its notes; settings that each read but that the lab refuses
/// together fall back to the defaults, with a note.
pub fn open_lab<L: LinkLab>(link: &Link) -> Result<(L, Vec<String>)> {
    let (model, cfg) = L::defaults();
    let (m, c, mut notes) = read(link, &L::LINK, L::SETTINGS, (&model, &cfg));
    match L::build(m, c) {
        Ok(lab) => Ok((lab, notes)),
        Err(e) => {
            notes.push(format!("{e}; started with the defaults"));
            Ok((L::build(model, cfg)?, notes))
        }
    }
}

/// A lab a link opened, and the notes of the values it could not use.
pub type Opened = Result<(Box<dyn Lab>, Vec<String>)>;

/// [`open_lab`] as a row of the games' table opens it.
pub fn open_boxed<L: LinkLab>(link: &Link, _: Option<&DigitAssets>) -> Opened {
    open_lab::<L>(link).map(|(lab, notes)| (Box::new(lab) as Box<dyn Lab>, notes))
}
