//! A strided matrix view over a slice: what the products take, through `gemm`
//! (`matmul.rs`) and the relaxed-SIMD kernel (`fma.rs`) alike.

use crate::core::error::{GanError, Result};

/// A strided view of a matrix stored in a slice: element `(r, c)` is
/// `data[r·row_stride + c·col_stride]`.
#[derive(Clone, Copy)]
pub struct Mat<'a> {
    pub(super) data: &'a [f32],
    pub(super) rows: usize,
    pub(super) cols: usize,
    pub(super) row_stride: usize,
    pub(super) col_stride: usize,
}

impl<'a> Mat<'a> {
    /// A row-major `rows × cols` matrix at the start of `data`.
    pub fn rows(data: &'a [f32], rows: usize, cols: usize) -> Result<Self> {
        if data.len() < rows * cols {
            return Err(GanError::InvalidData(format!(
                "a {rows}×{cols} matrix needs {} values, got {}",
                rows * cols,
                data.len()
            )));
        }
        Ok(Self {
            data,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        })
    }

    /// The transpose, as a view (no copy).
    pub fn t(self) -> Self {
        Self {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }
}
