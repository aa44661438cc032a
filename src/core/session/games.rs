//! The sessions a link can open, as one table ([`CATALOG`]): the classic GAN on 2D points
//! (a link that names no game), on MNIST (`mode=mnist`), and the games beyond it
//! (`game=xy|bigan|cyclegan`). The page's menu, the worker, the CLI's `--game` and the
//! tests read it; [`Session::open`] opens a link's session in one place. A new game is its
//! lab (a module implementing [`LinkLab`]) and one row here.

use super::bigan::BiganLab;
use super::cyclegan::CycleLab;
use super::digits::{open_digits, DIGITS_LINK};
use super::link::{open_boxed, DigitAssets, Link, LinkFormat, LinkLab, Named, Opened};
use super::link::{GAME_KEY, LESSON_KEY};
use super::pix2pix::Pix2PixLab;
use super::plane::PlaneLab;
use super::vae::VaeLab;
use super::vae_digits::{open_vae_digits, vae_digits_settings, VAE_DIGITS_LINK};
use super::xy::XyLab;
use super::{Observer, Session};
use crate::core::digits::DIGIT_SETTINGS;
use crate::core::error::{GanError, Result};
use crate::core::game::vae::VAE_LIVE;
use crate::core::game::MemoryLimit;
use crate::core::settings::{self, SettingInfo};
use serde::Serialize;

/// One session a link can open.
pub struct GameRow {
    pub link: LinkFormat,
    /// The page's menu's name of it.
    pub label: &'static str,
    /// What it shows, in a line.
    pub about: &'static str,
    /// Whether it paints the 2D plane (the page's plane, layers and arrows).
    pub plane: bool,
    /// Whether it needs the digits files ([`DigitAssets`]) to open.
    pub digits: bool,
    /// Its own settings (the live ones are `game::TRAIN_SETTINGS`), for controls and flags.
    pub settings: fn() -> Vec<SettingInfo>,
    /// The live settings its game honours ([`LinkLab::LIVE`]); `None`: every one.
    pub live: Option<&'static [&'static str]>,
    /// The plane's layers it draws ([`LinkLab::LAYERS`]; none without a plane).
    pub layers: &'static [&'static str],
    /// Its model in a line for the strip ([`LinkLab::STRIP`]); `None`: the GAN's graph.
    pub strip: Option<&'static str>,
    /// What its plane's axes are ([`LinkLab::AXES`]); `None`: unlabelled.
    pub axes: Option<&'static str>,
    /// Its lab from a link that names it, with a note per value that could not be used.
    pub open: fn(&Link, Option<&DigitAssets>) -> Opened,
}

impl GameRow {
    /// The session's key (the menu's value, [`super::Lab::mode`]).
    pub fn key(&self) -> &'static str {
        self.link.key
    }
}

/// The row of a lab that opens from its link alone.
const fn lab_row<L: LinkLab>(label: &'static str, about: &'static str) -> GameRow {
    GameRow {
        link: L::LINK,
        label,
        about,
        plane: true,
        digits: false,
        settings: settings_of::<L>,
        live: L::LIVE,
        layers: L::LAYERS,
        strip: L::STRIP,
        axes: L::AXES,
        open: open_boxed::<L>,
    }
}

fn settings_of<L: LinkLab>() -> Vec<SettingInfo> {
    settings::describe(L::SETTINGS)
}

/// Every session, in the menu's order; the first is the one a link that names none opens.
pub const CATALOG: &[GameRow] = &[
    lab_row::<PlaneLab>(
        "GAN, 2D",
        "the classic GAN on 2D points: samples over D's heatmap, D*, G's manifold, the gradient arrows",
    ),
    GameRow {
        link: DIGITS_LINK,
        label: "GAN, MNIST",
        about: "the classic GAN on MNIST digits: a 10×10 sample grid, a latent interpolation, real digits",
        plane: false,
        digits: true,
        settings: || settings::describe(DIGIT_SETTINGS),
        live: None,
        layers: &[],
        strip: None,
        axes: None,
        open: open_digits,
    },
    lab_row::<XyLab>(
        "xy game",
        "min_x max_y x·y: simultaneous steps spiral out, alternating ones stay on an ellipse",
    ),
    lab_row::<BiganLab>(
        "BiGAN, 2D",
        "G, an encoder E and a critic of (x, z) pairs: the data plane and the latent plane",
    ),
    lab_row::<CycleLab>(
        "CycleGAN, 2D",
        "two unpaired point sets, G: X → Y and F: Y → X with the cycle loss: the translation and the way back",
    ),
    lab_row::<Pix2PixLab>(
        "pix2pix, 2D",
        "paired translation y = G(x, z) with a critic of pairs: L1 alone, the adversary alone, or both",
    ),
    lab_row::<VaeLab>(
        "VAE, 2D",
        "a variational autoencoder of the GAN's sizes on the same points: the ELBO's two terms, samples that blur between the modes",
    ),
    GameRow {
        link: VAE_DIGITS_LINK,
        label: "VAE, MNIST",
        about: "a variational autoencoder of the MNIST GAN's sizes: a Bernoulli decoder, the ELBO's two terms, grey samples",
        plane: false,
        digits: true,
        settings: vae_digits_settings,
        live: Some(VAE_LIVE),
        layers: &[],
        strip: Some("VAE: x → encoder → μ, σ → z = μ + σ·ε → decoder → pixel probabilities; max ELBO = E_q log p(x|z) − β·KL(q(z|x) ‖ N(0, I)); samples: the decoder's means at z ~ N(0, I)"),
        axes: None,
        open: open_vae_digits,
    },
];

const GAME_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < CATALOG.len() {
        if matches!(CATALOG[i].link.named, Named::Game) {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The games a link names with `game=`, in the table's order.
pub const GAMES: [&str; GAME_COUNT] = {
    let mut out = [""; GAME_COUNT];
    let (mut n, mut i) = (0, 0);
    while i < CATALOG.len() {
        if matches!(CATALOG[i].link.named, Named::Game) {
            out[n] = CATALOG[i].link.key;
            n += 1;
        }
        i += 1;
    }
    out
};

/// The row of the session `key`.
pub fn row(key: &str) -> Option<&'static GameRow> {
    CATALOG.iter().find(|r| r.key() == key)
}

/// The session a link names: `game=<key>` first (an unknown game is refused in one line),
/// then `mode=<key>`, else the first row.
pub fn row_of(link: &Link) -> Result<&'static GameRow> {
    if let Some(name) = link.first(GAME_KEY) {
        return CATALOG
            .iter()
            .find(|r| r.link.named == Named::Game && r.key() == name)
            .ok_or_else(|| unknown_game(name));
    }
    Ok(CATALOG
        .iter()
        .find(|r| {
            r.link.named == Named::Mode
                && r.link.naming_key().is_some_and(|k| link.has(k, r.link.key))
        })
        .unwrap_or(&CATALOG[0]))
}

fn unknown_game(name: &str) -> GanError {
    GanError::InvalidConfig(format!(
        "game: unknown game '{}' (expected one of {})",
        name.chars().take(40).collect::<String>(),
        GAMES.join(", ")
    ))
}

/// The lab of `link` among the games and the 2D GAN (the game it names, else the 2D GAN),
/// and the notes of its values that could not be used. An unknown game is refused in one
/// line. MNIST needs its files: [`Session::open`].
pub fn lab_from_link(link: &str) -> Opened {
    let link = Link::parse(link);
    let row = match link.first(GAME_KEY) {
        Some(_) => row_of(&link)?,
        None => &CATALOG[0],
    };
    (row.open)(&link, None)
}

/// A row as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GameInfo {
    pub key: &'static str,
    pub label: &'static str,
    pub about: &'static str,
    /// The link that opens it with its defaults (`""`, `mode=mnist`, `game=xy`).
    pub link: String,
    pub plane: bool,
    pub digits: bool,
    /// Its link may carry compare mode.
    pub compare: bool,
    /// The plane's layers it draws.
    pub layers: &'static [&'static str],
    /// Its model in a line; absent: the GAN's graph.
    pub strip: Option<&'static str>,
    /// What its plane's axes are; absent: unlabelled.
    pub axes: Option<&'static str>,
}

/// Every session, in the menu's order, for the page.
pub fn catalog() -> Vec<GameInfo> {
    CATALOG
        .iter()
        .map(|r| GameInfo {
            key: r.key(),
            label: r.label,
            about: r.about,
            link: r.link.default_link(),
            plane: r.plane,
            digits: r.digits,
            compare: r.link.compare,
            layers: r.layers,
            strip: r.strip,
            axes: r.axes,
        })
        .collect()
}

/// The observer of the lesson with this id (`core::lesson::observer_of`), or a note where
/// there is no such lesson. The lessons import the session, so they come in as this.
pub type Lessons = fn(&str) -> (Option<Box<dyn Observer>>, Option<String>);

/// What opening a session takes besides its link; the default is none of it.
#[derive(Clone, Copy, Default)]
pub struct Opening<'a> {
    /// The MNIST session's files; a link that names MNIST is refused without them.
    pub digits: Option<DigitAssets<'a>>,
    /// What a step may allocate ([`Session::with_memory_limit`]).
    pub memory_limit: Option<fn() -> MemoryLimit>,
    /// The lesson a link names watches the session.
    pub lessons: Option<Lessons>,
}

impl Session {
    /// The session a link names ([`row_of`]), its lab built from the link's settings
    /// (read once), then its memory limit, view, compare mode and lesson: what the page's
    /// worker opens. Values that cannot be used are notes; an unknown game, or MNIST
    /// without its files, is an error.
    pub fn open(link: &str, how: &Opening) -> Result<Session> {
        let read = Link::parse(link);
        let row = row_of(&read)?;
        let (lab, notes) = (row.open)(&read, how.digits.as_ref())?;
        let mut s = Session::new(lab, notes);
        if let Some(limit) = how.memory_limit {
            s = s.with_memory_limit(limit);
        }
        s.read_view(&read);
        if row.link.compare {
            s.read_compare(read.pairs());
        }
        if let (Some(lessons), Some(id)) = (how.lessons, read.first(LESSON_KEY)) {
            s = match lessons(id) {
                (Some(observer), _) => s.with_observer(observer),
                (None, Some(note)) => s.with_note(note),
                (None, None) => s,
            };
        }
        Ok(s)
    }
}
