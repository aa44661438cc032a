//! Weights as safetensors bytes, the one file format shared by the CLI and the page: the
//! page has no file system, so both sides go through bytes (Candle's own `save`/`load`
//! take paths).

use crate::core::error::{GanError, Result};
use candle_core::safetensors::Load;
use candle_core::{DType, Device, Tensor};
use safetensors::{Dtype, SafeTensors};
use std::collections::HashMap;

/// The largest weights file accepted (64 MiB), from the CLI or the page. The largest
/// preset (`mlp-large`) saves about 6 MB in F32; the cap leaves room for F64 files and
/// wide noise while keeping a hostile file from filling the page's memory.
pub const MAX_WEIGHTS_BYTES: usize = 64 << 20;

/// Serialises named tensors.
pub fn to_safetensors(tensors: Vec<(String, Tensor)>) -> Result<Vec<u8>> {
    safetensors::tensor::serialize(tensors, None)
        .map_err(|e| GanError::InvalidData(format!("cannot write safetensors: {e}")))
}

fn bad(msg: String) -> GanError {
    GanError::InvalidData(msg)
}

/// Parses a safetensors file into F32 tensors (what every network here holds). A file
/// that is not one is refused with the parser's reason; so is a file larger than
/// [`MAX_WEIGHTS_BYTES`], a tensor that is not of a float type (Candle would silently
/// convert integer and F8 tensors into weights), and a tensor with a value that is not
/// finite as an `f32` (a NaN weight would train and draw nothing but NaN). The errors
/// name the tensor. The dtype is read with the `safetensors` crate before Candle
/// converts anything.
pub fn from_safetensors(bytes: &[u8], device: &Device) -> Result<HashMap<String, Tensor>> {
    if bytes.len() > MAX_WEIGHTS_BYTES {
        return Err(bad(format!(
            "the weights file is {} bytes, more than the {} MiB a weights file may have",
            bytes.len(),
            MAX_WEIGHTS_BYTES >> 20
        )));
    }
    let file = SafeTensors::deserialize(bytes).map_err(|e| {
        let first = e.to_string();
        bad(format!(
            "not a readable safetensors file: {}",
            first.lines().next().unwrap_or("unknown error")
        ))
    })?;
    let mut out = HashMap::new();
    for (name, view) in file.tensors() {
        let dtype = view.dtype();
        if !matches!(dtype, Dtype::F16 | Dtype::BF16 | Dtype::F32 | Dtype::F64) {
            return Err(bad(format!(
                "tensor '{name}' is {dtype:?}; weights must be F16, BF16, F32 or F64"
            )));
        }
        let t = view.load(device)?.to_dtype(DType::F32)?;
        let finite = t
            .flatten_all()?
            .to_vec1::<f32>()?
            .iter()
            .all(|v| v.is_finite());
        if !finite {
            return Err(bad(format!(
                "tensor '{name}' holds a value that is not finite"
            )));
        }
        out.insert(name, t);
    }
    Ok(out)
}
