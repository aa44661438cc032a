//! Weights as safetensors bytes, the one file format shared by the CLI and the page: the
//! page has no file system, so both sides go through bytes (Candle's own `save`/`load`
//! take paths).

use crate::core::error::{GanError, Result};
use candle_core::{Device, Tensor};
use std::collections::HashMap;

/// Serialises named tensors.
pub fn to_safetensors(tensors: Vec<(String, Tensor)>) -> Result<Vec<u8>> {
    safetensors::tensor::serialize(tensors, None)
        .map_err(|e| GanError::InvalidData(format!("cannot write safetensors: {e}")))
}

/// Parses a safetensors file; a file that is not one is refused with the parser's reason.
pub fn from_safetensors(bytes: &[u8], device: &Device) -> Result<HashMap<String, Tensor>> {
    candle_core::safetensors::load_buffer(bytes, device).map_err(|e| {
        let first = e.to_string();
        GanError::InvalidData(format!(
            "not a readable safetensors file: {}",
            first.lines().next().unwrap_or("unknown error")
        ))
    })
}
