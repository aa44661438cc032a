//! A small DCGAN-style pair for 28×28 digits (Radford et al. 2016, without batch norm):
//! G is `z → linear → C₁×7×7 → ×2 → conv 3×3 → C₂×14×14 → ×2 → conv 3×3 → 1×28×28, tanh`
//! (nearest-neighbour upsampling then convolution: Odena et al. 2016's fix for the
//! checkerboard of strided transposed convolutions); D is `1×28×28 → conv 4×4 /2 → C₁×14×14
//! → conv 4×4 /2 → C₂×7×7 → linear → V(x)`, leaky ReLU (0.2) in both. Inputs and outputs
//! are flat rows (`[n, 784]`), as for the MLPs, so the trainer need not know the shape.

use crate::core::error::{GanError, Result};
use crate::core::nn::mlp::LEAKY_SLOPE;
use crate::core::rng::SeededRng;
use candle_core::{DType, Device, Tensor, Var};

/// Image side; the nets are built for 28×28 (two halvings to 7×7).
pub const SIDE: usize = 28;
const QUARTER: usize = SIDE / 4;

fn leaky(a: &Tensor) -> Result<Tensor> {
    Ok(a.maximum(&(a * LEAKY_SLOPE)?)?)
}

/// `σ'(a)` of the leaky ReLU as a constant mask.
fn leaky_mask(a: &Tensor) -> Result<Tensor> {
    Ok(((a.gt(0.0)?.to_dtype(DType::F32)? * (1.0 - LEAKY_SLOPE))? + LEAKY_SLOPE)?)
}

/// A weight of the given shape and its bias, PyTorch's default init
/// `U(−1/√fan_in, 1/√fan_in)`, from the engine's seeded stream.
fn param(shape: &[usize], fan_in: usize, rng: &mut SeededRng, dev: &Device) -> Result<(Var, Var)> {
    let bound = 1.0 / (fan_in as f32).sqrt();
    let n: usize = shape.iter().product();
    let w: Vec<f32> = (0..n).map(|_| rng.uniform(-bound, bound)).collect();
    let b: Vec<f32> = (0..shape[0]).map(|_| rng.uniform(-bound, bound)).collect();
    Ok((
        Var::from_tensor(&Tensor::from_vec(w, shape, dev)?)?,
        Var::from_tensor(&Tensor::from_vec(b, shape[0], dev)?)?,
    ))
}

fn conv(x: &Tensor, (w, b): &(Var, Var), padding: usize, stride: usize) -> Result<Tensor> {
    let c = b.dim(0)?;
    Ok(x.conv2d(w.as_tensor(), padding, stride, 1, 1)?
        .broadcast_add(&b.as_tensor().reshape((1, c, 1, 1))?)?)
}

fn linear(x: &Tensor, (w, b): &(Var, Var)) -> Result<Tensor> {
    Ok(x.matmul(&w.as_tensor().t()?)?
        .broadcast_add(b.as_tensor())?)
}

fn named(prefix: &str, parts: &[(&str, &(Var, Var))]) -> Vec<(String, Var)> {
    parts
        .iter()
        .flat_map(|(name, (w, b))| {
            [
                (format!("{prefix}.{name}.weight"), w.clone()),
                (format!("{prefix}.{name}.bias"), b.clone()),
            ]
        })
        .collect()
}

/// The generator: `inputs` (noise and condition) to 784 pixels in `[−1, 1]`.
pub struct ConvGenerator {
    fc: (Var, Var),
    c1: (Var, Var),
    c2: (Var, Var),
    channels: (usize, usize),
    prefix: String,
}

impl ConvGenerator {
    pub fn new(
        inputs: usize,
        channels: (usize, usize),
        prefix: &str,
        rng: &mut SeededRng,
        dev: &Device,
    ) -> Result<Self> {
        let (c1, c2) = channels;
        Ok(Self {
            fc: param(&[c1 * QUARTER * QUARTER, inputs], inputs, rng, dev)?,
            c1: param(&[c2, c1, 3, 3], c1 * 9, rng, dev)?,
            c2: param(&[1, c2, 3, 3], c2 * 9, rng, dev)?,
            channels,
            prefix: prefix.to_string(),
        })
    }

    /// `(fc, c1, c2)`: the weights and biases, for the fused pass.
    pub fn layers(&self) -> [&(Var, Var); 3] {
        [&self.fc, &self.c1, &self.c2]
    }

    /// `(C₁, C₂)`, the channels of its two feature maps.
    pub fn channels(&self) -> (usize, usize) {
        self.channels
    }

    /// Values in its widest layer, the first feature map.
    pub fn width(&self) -> usize {
        self.channels.0 * QUARTER * QUARTER
    }

    /// Multiply-adds of one forward pass per sample.
    pub fn macs(&self) -> usize {
        let (c1, c2) = self.channels;
        let inputs = self.fc.0.dim(1).unwrap_or(0);
        let q = QUARTER * QUARTER;
        inputs * c1 * q + (4 * q) * c2 * c1 * 9 + (16 * q) * c2 * 9
    }

    /// Values one sample's forward pass holds: its input, each layer's output and
    /// upsampled copy (Candle's CPU convolution tiles its im2col buffers: measured, they
    /// do not scale with the batch).
    pub fn values_per_sample(&self) -> usize {
        let (c1, c2) = self.channels;
        let q = QUARTER * QUARTER;
        self.fc.0.dim(1).unwrap_or(0) + c1 * q + c1 * 4 * q + c2 * 4 * q + c2 * 16 * q + 16 * q
    }

    pub fn forward(&self, z: &Tensor) -> Result<Tensor> {
        let n = z.dim(0)?;
        let h = leaky(&linear(z, &self.fc)?)?.reshape((n, self.channels.0, QUARTER, QUARTER))?;
        let h = h.upsample_nearest2d(2 * QUARTER, 2 * QUARTER)?;
        let h = leaky(&conv(&h, &self.c1, 1, 1)?)?;
        let h = h.upsample_nearest2d(SIDE, SIDE)?;
        Ok(conv(&h, &self.c2, 1, 1)?
            .tanh()?
            .reshape((n, SIDE * SIDE))?)
    }

    pub fn named_vars(&self) -> Vec<(String, Var)> {
        named(
            &self.prefix,
            &[("fc", &self.fc), ("c1", &self.c1), ("c2", &self.c2)],
        )
    }
}

/// The critic: 784 pixels to one raw value.
pub struct ConvCritic {
    c1: (Var, Var),
    c2: (Var, Var),
    fc: (Var, Var),
    prefix: String,
}

/// `(pre-activation, activation)` of each convolution, and the output.
type CriticPass = (Tensor, [(Tensor, Tensor); 2]);

impl ConvCritic {
    pub fn new(
        channels: (usize, usize),
        prefix: &str,
        rng: &mut SeededRng,
        dev: &Device,
    ) -> Result<Self> {
        let (c1, c2) = channels;
        Ok(Self {
            c1: param(&[c1, 1, 4, 4], 16, rng, dev)?,
            c2: param(&[c2, c1, 4, 4], c1 * 16, rng, dev)?,
            fc: param(
                &[1, c2 * QUARTER * QUARTER],
                c2 * QUARTER * QUARTER,
                rng,
                dev,
            )?,
            prefix: prefix.to_string(),
        })
    }

    /// `(c1, c2, fc)`: the weights and biases, for the fused pass.
    pub fn layers(&self) -> [&(Var, Var); 3] {
        [&self.c1, &self.c2, &self.fc]
    }

    /// Multiply-adds of one forward pass per sample.
    pub fn macs(&self) -> usize {
        let dims = |v: &Var| v.dims().to_vec();
        let (w1, w2) = (dims(&self.c1.0), dims(&self.c2.0));
        let q = QUARTER * QUARTER;
        (4 * q) * w1[0] * w1[1] * 16 + q * w2[0] * w2[1] * 16 + self.features()
    }

    /// Width of the features `φ` (the flattened last feature map).
    /// Values one sample's forward pass holds: the image and each layer's output (as
    /// for [`ConvGenerator::values_per_sample`]).
    pub fn values_per_sample(&self) -> usize {
        let c1 = self.c1.0.dim(0).unwrap_or(0);
        SIDE * SIDE + c1 * 4 * QUARTER * QUARTER + self.features() + 1
    }

    pub fn features(&self) -> usize {
        self.fc.0.dim(1).unwrap_or(0)
    }

    fn pass(&self, x: &Tensor) -> Result<CriticPass> {
        let n = x.dim(0)?;
        if x.dim(1)? != SIDE * SIDE {
            return Err(GanError::InvalidData(format!(
                "the convolutional critic takes {SIDE}×{SIDE} images, got rows of {}",
                x.dim(1)?
            )));
        }
        let img = x.reshape((n, 1, SIDE, SIDE))?;
        let a1 = conv(&img, &self.c1, 1, 2)?;
        let h1 = leaky(&a1)?;
        let a2 = conv(&h1, &self.c2, 1, 2)?;
        let h2 = leaky(&a2)?;
        let v = linear(&h2.flatten_from(1)?, &self.fc)?;
        Ok((v, [(a1, h1), (a2, h2)]))
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(self.pass(x)?.0)
    }

    /// `(V(x), φ(x))`, `φ` the flattened last feature map (for the projection).
    pub fn forward_with_features(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let (v, [_, (_, h2)]) = self.pass(x)?;
        Ok((v, h2.flatten_from(1)?))
    }

    /// `(V(x), ∇ₓV(x))` with `V(x) = w·φ(x) + b (+ p·φ(x))`, the gradient written as
    /// forward ops so that a gradient penalty can be differentiated (as
    /// [`crate::core::nn::mlp::Mlp::projected_value_and_input_gradient`]). The backward of a
    /// stride-2 convolution is the transposed convolution with the same kernel.
    pub fn projected_value_and_input_gradient(
        &self,
        x: &Tensor,
        projection: Option<&Tensor>,
    ) -> Result<(Tensor, Tensor)> {
        let n = x.dim(0)?;
        let (v, [(a1, _), (a2, h2)]) = self.pass(x)?;
        let w = self.fc.0.as_tensor();
        let mut g = w.broadcast_as((n, w.dim(1)?))?.contiguous()?;
        let v = match projection {
            Some(p) => {
                let phi = h2.flatten_from(1)?;
                g = (g + p)?;
                (v + (p * phi)?.sum_keepdim(1)?)?
            }
            None => v,
        };
        let g2 = (g.reshape(a2.shape())? * leaky_mask(&a2)?)?;
        let g1 = (g2.conv_transpose2d(self.c2.0.as_tensor(), 1, 0, 2, 1)? * leaky_mask(&a1)?)?;
        let gx = g1.conv_transpose2d(self.c1.0.as_tensor(), 1, 0, 2, 1)?;
        Ok((v, gx.reshape((n, SIDE * SIDE))?))
    }

    pub fn named_vars(&self) -> Vec<(String, Var)> {
        named(
            &self.prefix,
            &[("c1", &self.c1), ("c2", &self.c2), ("fc", &self.fc)],
        )
    }
}
