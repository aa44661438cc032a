//! What the labs beyond the classic GAN share (the xy game's, the BiGAN's and the
//! CycleGAN's, which import this module): their links, written `game=<name>` first, then
//! the lab's own settings, then the live ones (read as every lab's is, by `link.rs`); the
//! frame helpers; their chart point.

use super::link::GAME_KEY;
use crate::core::game::{Game, TrainConfig, TRAIN_SETTINGS};
use crate::core::history::HistoryPoint;
use crate::core::plane::metrics::MetricsReport;
use crate::core::settings::{hash, Setting};

/// Cells per side of D's heatmap and of the optimal discriminator's grid.
pub const HEATMAP_CELLS: usize = 60;
/// The manifold mesh is `MANIFOLD_CELLS²` noise points (GAN Lab: 20 × 20).
pub const MANIFOLD_CELLS: usize = 20;
/// Fake and real samples shown.
pub const SHOWN: usize = 500;
/// Samples per live evaluation (exact W1 on
/// [`crate::core::plane::metrics::W1_SAMPLES_LIVE`] of them, a few ms).
pub const EVAL_SAMPLES: usize = 1000;

/// `game=<name>&` + the lab's settings + the live ones.
pub fn write_link<M>(game: &str, table: &[Setting<M>], model: &M, cfg: &TrainConfig) -> String {
    let mut kv = vec![(GAME_KEY, game.to_string())];
    kv.extend(hash::write(table, model));
    kv.extend(hash::write(TRAIN_SETTINGS, cfg));
    hash::join(&kv)
}

/// The chart point of a 2D evaluation `m` of `game`, with the game's own two measurements
/// (the BiGAN's reconstruction errors, the CycleGAN's cycle errors).
pub fn game_point(game: &dyn Game, m: &MetricsReport, own: [f64; 2]) -> HistoryPoint {
    let last = game.last();
    let mut point = m.history_point(
        game.counters().iteration,
        last.d_loss,
        last.g_loss,
        &game.config().loss,
    );
    point.game = [own[0], own[1], f64::NAN, f64::NAN];
    point
}

/// Points as `[x, y, x, y, …]`.
pub fn flat(points: &[[f32; 2]]) -> Vec<f32> {
    points.iter().flatten().copied().collect()
}

/// Segments `from[i] → to[i]` as `[x0, y0, x1, y1, …]`.
pub fn links(from: &[[f32; 2]], to: &[[f32; 2]]) -> Vec<f32> {
    from.iter()
        .zip(to)
        .flat_map(|(a, b)| [a[0], a[1], b[0], b[1]])
        .collect()
}

/// The frame's `view` entry for a square `(centre, half)` with `cells` per side.
pub fn view_entry(centre: [f32; 2], half: f32, cells: usize) -> Vec<f32> {
    vec![
        centre[0] - half,
        centre[1] - half,
        centre[0] + half,
        centre[1] + half,
        cells as f32,
    ]
}

/// The parts of [`super::Lab`] that every game lab of the plane writes the same way, for a
/// lab with fields `model` and `game` that is a [`super::link::LinkLab`]: its mode and
/// link from its row, its settings' table, its game, and itself as `Any`.
macro_rules! lab_basics {
    () => {
        fn mode(&self) -> &'static str {
            <Self as $crate::core::session::link::LinkLab>::LINK.key
        }
        fn game(&self) -> &dyn $crate::core::game::Game {
            &self.game
        }
        fn game_mut(&mut self) -> &mut dyn $crate::core::game::Game {
            &mut self.game
        }
        fn hash(&self) -> String {
            use $crate::core::game::Game as _;
            $crate::core::session::game_link::write_link(
                <Self as $crate::core::session::link::LinkLab>::LINK.key,
                <Self as $crate::core::session::link::LinkLab>::SETTINGS,
                &self.model,
                self.game.config(),
            )
        }
        fn settings(&self) -> Vec<$crate::core::settings::SettingInfo> {
            $crate::core::settings::describe(
                <Self as $crate::core::session::link::LinkLab>::SETTINGS,
            )
        }
        fn live_keys(&self) -> Option<&'static [&'static str]> {
            <Self as $crate::core::session::link::LinkLab>::LIVE
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
            self
        }
    };
}
pub(crate) use lab_basics;
