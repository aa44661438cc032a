//! How the page shows a session, kept in its link beside the settings: the plane's
//! layers, the training speed and slow motion. Nothing here changes training; a link
//! that carries them opens the page as it was shared.

use crate::core::error::{GanError, Result};
use crate::core::settings::{self, choice_setting, flag_setting, Kind, Setting, Value};

/// The plane's layers, in the order the page lists them.
pub const LAYERS: [&str; 6] = ["real", "fake", "manifold", "heatmap", "arrows", "optimal"];

/// The page's speeds: the training budget of each 16 ms frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// 12 ms of every frame.
    Full,
    /// 4 ms.
    Third,
    /// 1 ms.
    Slow,
}

impl Speed {
    pub const NAMES: [&'static str; 3] = ["full", "third", "slow"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "full" => Ok(Self::Full),
            "third" => Ok(Self::Third),
            "slow" => Ok(Self::Slow),
            o => Err(GanError::InvalidConfig(format!(
                "unknown speed '{}' (expected full, third or slow)",
                settings::clip_text(o)
            ))),
        }
    }
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
    /// Milliseconds of training per frame.
    pub fn budget_ms(self) -> f64 {
        match self {
            Self::Full => 12.0,
            Self::Third => 4.0,
            Self::Slow => 1.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// One flag per name of [`LAYERS`].
    pub layers: [bool; 6],
    pub speed: Speed,
    pub slow_motion: bool,
}

impl Default for View {
    /// Real and fake points over D's heatmap, at full speed (GAN Lab's first screen).
    fn default() -> Self {
        Self {
            layers: [true, true, false, true, false, false],
            speed: Speed::Full,
            slow_motion: false,
        }
    }
}

impl View {
    /// The layers that are on, as the link writes them: `real.fake.heatmap` (`none`
    /// for no layer).
    pub fn layers_text(&self) -> String {
        let on: Vec<&str> = LAYERS
            .iter()
            .zip(self.layers)
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect();
        if on.is_empty() {
            "none".into()
        } else {
            on.join(".")
        }
    }

    /// Reads [`View::layers_text`]; an unknown name is refused, naming it.
    pub fn parse_layers(text: &str) -> Result<[bool; 6]> {
        let mut out = [false; 6];
        if text == "none" {
            return Ok(out);
        }
        for name in text.split('.').filter(|n| !n.is_empty()) {
            let i = LAYERS.iter().position(|l| *l == name).ok_or_else(|| {
                GanError::InvalidConfig(format!(
                    "show: unknown layer '{}' (expected {})",
                    settings::clip_text(name),
                    LAYERS.join(", ")
                ))
            })?;
            out[i] = true;
        }
        Ok(out)
    }
}

fn layer_options() -> Vec<(String, String)> {
    settings::named(&LAYERS)
}

/// The view's settings: in the link, never restarting.
pub const VIEW_SETTINGS: &[Setting<View>] = &[
    Setting {
        // Not "layers": that is the 2D networks' depth.
        key: "show",
        label: "layers shown",
        kind: Kind::Choice {
            options: layer_options,
        },
        restarts: false,
        get: |v| Value::Text(v.layers_text()),
        set: |v, x| {
            v.layers = View::parse_layers(x.text())?;
            Ok(())
        },
    },
    choice_setting!("speed", "speed", || settings::named(&Speed::NAMES), restarts: false, speed: Speed),
    flag_setting!("slowmo", "slow motion", restarts: false, slow_motion),
];

/// The view's keys, which the labs' link readers accept as known.
pub fn view_keys() -> impl Iterator<Item = &'static str> {
    VIEW_SETTINGS.iter().map(|s| s.key)
}
