//! What one training step may allocate, checked before the step is taken: a batch too
//! large for the page's wasm memory aborts the module (Rust's allocation failure is a
//! trap in wasm, and every later call fails), and natively it can take the machine's
//! memory. The estimate is [`Game::step_bytes`]; the limit comes from the shell (the
//! page: wasm's 4 GiB address space less what is in use; the CLI: the memory the system
//! says is available).

use super::Game;
use crate::core::error::{GanError, Result};

/// What a step may use: `bytes`, and what that limit is, for the refusal's message.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryLimit {
    pub bytes: u64,
    /// E.g. "the page's memory (wasm's 4 GiB less 120 MiB in use)".
    pub what: String,
}

/// `bytes` for people: `512 MiB`, `4.3 GiB`.
pub fn format_bytes(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    let mib = bytes as f64 / MIB;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{:.0} MiB", mib.ceil())
    }
}

/// `Ok` when a step at `batch` fits in `limit`; otherwise a one-line refusal naming the
/// need, the limit and the largest batch that fits (the need grows linearly in the
/// batch, from what the step needs at batch 1).
pub fn check_step_memory(game: &dyn Game, batch: usize, limit: &MemoryLimit) -> Result<()> {
    let mut cfg = *game.config();
    cfg.batch = batch;
    let need = game.step_bytes(&cfg);
    if need <= limit.bytes {
        return Ok(());
    }
    cfg.batch = 1;
    let one = game.step_bytes(&cfg).max(1);
    cfg.batch = 0;
    let fixed = game.step_bytes(&cfg);
    let fits = limit.bytes.saturating_sub(fixed) / (one - fixed).max(1);
    Err(GanError::InvalidConfig(format!(
        "batch {batch} needs about {} per step with these networks, more than {} ({}); \
         at most batch {fits} fits",
        format_bytes(need),
        format_bytes(limit.bytes),
        limit.what
    )))
}
