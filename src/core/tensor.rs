//! Small conversions between tensors and host values, shared by every layer.

use super::error::{GanError, Result};
use candle_core::{CpuStorage, DType, Layout, Storage, StorageRef, Tensor};

/// A one-element tensor as `f64` (a loss, a penalty).
pub fn scalar(t: &Tensor) -> Result<f64> {
    Ok(t.to_dtype(DType::F64)?.to_scalar::<f64>()?)
}

/// A tensor's values, read-locked in place. The tensor must live on the CPU, in f32.
pub struct HostRead<'a> {
    guard: StorageRef<'a>,
    layout: &'a Layout,
}

impl<'a> HostRead<'a> {
    pub fn new(t: &'a Tensor) -> Result<Self> {
        let (guard, layout) = t.storage_and_layout();
        Ok(Self { guard, layout })
    }

    pub fn slice(&self) -> Result<&[f32]> {
        let (start, end) = self.layout.contiguous_offsets().ok_or_else(|| {
            GanError::InvalidData("the fused pass needs contiguous tensors".into())
        })?;
        match &*self.guard {
            Storage::Cpu(CpuStorage::F32(v)) => Ok(&v[start..end]),
            _ => Err(GanError::InvalidData(
                "the fused pass needs f32 tensors on the CPU".into(),
            )),
        }
    }
}

/// One-hot rows `[n, classes]` for `labels` (a label past the last class is the last).
pub fn one_hot(labels: &[usize], classes: usize, dev: &candle_core::Device) -> Result<Tensor> {
    let mut v = vec![0f32; labels.len() * classes];
    for (i, &l) in labels.iter().enumerate() {
        v[i * classes + l.min(classes.saturating_sub(1))] = 1.0;
    }
    Ok(Tensor::from_vec(v, (labels.len(), classes), dev)?)
}
