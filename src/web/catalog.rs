//! What the page and its worker list, from the core's tables: the sessions the game menu
//! offers (`core::session::games::CATALOG`) and the plane's layers
//! (`core::session::view::LAYERS`). No JS file names a game or a layer, so a row added
//! to either table reaches the menu, the worker and the layers sent for a frame unchanged.

use crate::core::session::games::{self, row_of, CATALOG};
use crate::core::session::link::Link;
use crate::core::session::view::LAYERS;
use serde_json::json;
use wasm_bindgen::prelude::*;

/// `{sessions: [{key, label, about, link, plane, digits, compare}, …], layers: [name, …]}`
/// as JSON. The sessions are in the menu's order, the first being the one a link that
/// names none opens; `link` opens a session with its defaults (`""`, `mode=mnist`,
/// `game=xy`), `plane` says whether it paints the 2D plane (the page's elements marked
/// `data-mode="plane"` show with it), `digits` whether it needs the digits files.
#[wasm_bindgen]
pub fn catalog() -> String {
    json!({ "sessions": games::catalog(), "layers": LAYERS }).to_string()
}

/// The key of the session a link opens (`game=xy`: the xy game; `mode=mnist`: MNIST; a
/// link that names none, or an unknown game: the first).
#[wasm_bindgen]
pub fn link_session(link: &str) -> String {
    row_of(&Link::parse(link))
        .map_or(CATALOG[0].key(), |row| row.key())
        .to_string()
}
