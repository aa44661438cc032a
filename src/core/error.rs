//! One error type for the engine: every path from user input ends here, never in a panic.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum GanError {
    /// A setting outside its valid range; the message names the setting and the range.
    InvalidConfig(String),
    /// A non-finite value appeared; training stops and nothing was updated by that step.
    Diverged { step: usize, what: String },
    /// Bad input data (an empty point set, a corrupt file).
    InvalidData(String),
    /// An error raised inside Candle (device, shape).
    Candle(String),
}

impl fmt::Display for GanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GanError::InvalidConfig(m) => write!(f, "invalid setting: {m}"),
            GanError::Diverged { step, what } => {
                write!(f, "diverged at step {step}: {what} is not finite")
            }
            GanError::InvalidData(m) => write!(f, "invalid data: {m}"),
            GanError::Candle(m) => write!(f, "tensor error: {m}"),
        }
    }
}

impl std::error::Error for GanError {}

impl From<candle_core::Error> for GanError {
    fn from(e: candle_core::Error) -> Self {
        // Candle's errors can span many lines (backtraces); keep the first for the user.
        let text = e.to_string();
        GanError::Candle(text.lines().next().unwrap_or("unknown").to_string())
    }
}

pub type Result<T> = std::result::Result<T, GanError>;
