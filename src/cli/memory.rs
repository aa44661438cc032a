//! The CLI's memory limit for a step ([`crate::core::game::check_step_memory`]): what the
//! system says is available, read from Linux's `/proc/meminfo` (`MemAvailable`, the
//! kernel's own estimate of what can be allocated without swapping). Elsewhere there is
//! no limit: the OS refuses what it cannot give.

use crate::core::error::Result;
use crate::core::game::{check_step_memory, format_bytes, Game, MemoryLimit};

pub fn system_memory_limit() -> Option<MemoryLimit> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let bytes = kib.saturating_mul(1024);
    Some(MemoryLimit {
        bytes,
        what: format!("this machine's available memory, {}", format_bytes(bytes)),
    })
}

/// Refuses a run whose step at its batch would need more than the system has available,
/// before the first step allocates it.
pub fn check_fits(game: &dyn Game) -> Result<()> {
    match system_memory_limit() {
        Some(limit) => check_step_memory(game, game.config().batch, &limit),
        None => Ok(()),
    }
}
