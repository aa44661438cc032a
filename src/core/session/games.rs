//! Which lab a link opens: `game=xy`, `game=bigan`, `game=cyclegan`, or (no `game`) the
//! classic GAN on 2D data.

use super::bigan::BiganLab;
use super::cyclegan::CycleLab;
use super::game_link::game_of;
use super::plane::PlaneLab;
use super::xy::XyLab;
use super::Lab;
use crate::core::error::{GanError, Result};

/// The games a link can name.
pub const GAMES: [&str; 3] = ["xy", "bigan", "cyclegan"];

/// The lab of `link`, and the notes of its values that could not be used. An unknown
/// game is refused in one line.
pub fn lab_from_link(link: &str) -> Result<(Box<dyn Lab>, Vec<String>)> {
    fn boxed<L: Lab>(r: Result<(L, Vec<String>)>) -> Result<(Box<dyn Lab>, Vec<String>)> {
        r.map(|(lab, notes)| (Box::new(lab) as Box<dyn Lab>, notes))
    }
    match game_of(link).as_deref() {
        None => boxed(PlaneLab::from_hash(link)),
        Some("xy") => boxed(XyLab::from_hash(link)),
        Some("bigan") => boxed(BiganLab::from_hash(link)),
        Some("cyclegan") => boxed(CycleLab::from_hash(link)),
        Some(other) => Err(GanError::InvalidConfig(format!(
            "game: unknown game '{}' (expected one of {})",
            other.chars().take(40).collect::<String>(),
            GAMES.join(", ")
        ))),
    }
}
