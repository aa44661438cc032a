//! MLP generator and discriminator, with an exact input gradient written as forward ops.

use crate::core::error::{GanError, Result};
use crate::core::nn::batch_norm::BatchNorm;
use crate::core::nn::spectral::SpectralNorm;
use crate::core::rng::SeededRng;
use candle_core::{DType, Device, Tensor, Var, D};
use std::collections::HashMap;
use std::sync::Mutex;

/// Slope of the leaky ReLU for negative inputs (DCGAN's value).
pub const LEAKY_SLOPE: f64 = 0.2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    LeakyRelu,
    Tanh,
}

impl Activation {
    pub const NAMES: [&'static str; 3] = ["relu", "leaky-relu", "tanh"];

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "relu" => Ok(Self::Relu),
            "leaky-relu" | "leaky" => Ok(Self::LeakyRelu),
            "tanh" => Ok(Self::Tanh),
            o => Err(GanError::InvalidConfig(format!(
                "unknown activation '{o}' (expected relu, leaky-relu or tanh)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn apply(self, a: &Tensor) -> Result<Tensor> {
        Ok(match self {
            Self::Relu => a.relu()?,
            Self::LeakyRelu => a.maximum(&(a * LEAKY_SLOPE)?)?,
            Self::Tanh => a.tanh()?,
        })
    }

    /// `σ'(a)` given the pre-activation `a` and the activation `h = σ(a)`. For the
    /// piecewise-linear ones it is a constant mask (its derivative is zero almost
    /// everywhere); for tanh it is `1 − h²`, kept differentiable, which is the
    /// second-order term a gradient penalty needs.
    fn derivative(self, a: &Tensor, h: &Tensor) -> Result<Tensor> {
        Ok(match self {
            Self::Relu => a.gt(0.0)?.to_dtype(DType::F32)?,
            Self::LeakyRelu => {
                ((a.gt(0.0)?.to_dtype(DType::F32)? * (1.0 - LEAKY_SLOPE))? + LEAKY_SLOPE)?
            }
            Self::Tanh => (1.0 - h.sqr()?)?,
        })
    }
}

/// Shape and activation of an MLP: `input → [hidden × layers] → output`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MlpSpec {
    pub input: usize,
    pub hidden: usize,
    /// Number of hidden layers (0 = a single linear map).
    pub layers: usize,
    pub output: usize,
    pub activation: Activation,
    /// tanh on the output (an image generator's pixels in `[−1, 1]`); linear otherwise.
    pub output_tanh: bool,
    /// Batch normalisation of every hidden layer's pre-activations
    /// ([`crate::core::nn::batch_norm`]); for generators.
    pub batch_norm: bool,
}

pub const MAX_WIDTH: usize = 1024;
pub const MAX_LAYERS: usize = 8;

impl MlpSpec {
    /// `input → [hidden × layers] → output`, linear out, no batch norm: the games'
    /// networks on the plane.
    pub const fn plain(
        input: usize,
        hidden: usize,
        layers: usize,
        output: usize,
        activation: Activation,
    ) -> Self {
        Self {
            input,
            hidden,
            layers,
            output,
            activation,
            output_tanh: false,
            batch_norm: false,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.hidden == 0 || self.hidden > MAX_WIDTH {
            return Err(GanError::InvalidConfig(format!(
                "width {} out of range 1..={MAX_WIDTH}",
                self.hidden
            )));
        }
        if self.layers > MAX_LAYERS {
            return Err(GanError::InvalidConfig(format!(
                "layers {} out of range 0..={MAX_LAYERS}",
                self.layers
            )));
        }
        Ok(())
    }

    /// `(fan_in, fan_out)` of each layer.
    pub fn dims(&self) -> Vec<(usize, usize)> {
        let mut dims = Vec::with_capacity(self.layers + 1);
        let mut fan_in = self.input;
        for _ in 0..self.layers {
            dims.push((fan_in, self.hidden));
            fan_in = self.hidden;
        }
        dims.push((fan_in, self.output));
        dims
    }

    /// Multiply-adds of one forward pass per sample (for FLOP accounting).
    pub fn macs(&self) -> usize {
        self.dims().iter().map(|(i, o)| i * o).sum()
    }

    /// Values one sample's forward pass holds: its input and every layer's output (for
    /// the step's memory estimate), and the normalised values of batch norm.
    pub fn values_per_sample(&self) -> usize {
        let outputs = self.dims().iter().map(|(_, o)| o).sum::<usize>();
        let norm = if self.batch_norm {
            self.layers * self.hidden
        } else {
            0
        };
        self.input + outputs + norm
    }
}

/// A fully connected network; weights are `Var`s named like candle-nn's VarBuilder paths
/// (`{prefix}.l{i}.weight`, `{prefix}.l{i}.bias`) so safetensors files stay compatible.
pub struct Mlp {
    spec: MlpSpec,
    /// `(weight [out, in], bias [out])` per layer.
    layers: Vec<(Var, Var)>,
    /// Each hidden layer's batch norm, when the spec asks for it.
    norms: Vec<BatchNorm>,
    /// The power iteration's state while spectral normalisation is on.
    spectral: Mutex<Option<SpectralNorm>>,
    prefix: String,
}

impl Mlp {
    /// PyTorch's default `Linear` initialisation, `U(−1/√fan_in, 1/√fan_in)` for weights
    /// and biases, drawn from the engine's seeded RNG.
    pub fn new(spec: MlpSpec, prefix: &str, rng: &mut SeededRng, device: &Device) -> Result<Self> {
        spec.validate()?;
        let mut layers = Vec::new();
        for (fan_in, fan_out) in spec.dims() {
            let bound = 1.0 / (fan_in as f32).sqrt();
            let w: Vec<f32> = (0..fan_in * fan_out)
                .map(|_| rng.uniform(-bound, bound))
                .collect();
            let b: Vec<f32> = (0..fan_out).map(|_| rng.uniform(-bound, bound)).collect();
            let w = Var::from_tensor(&Tensor::from_vec(w, (fan_out, fan_in), device)?)?;
            let b = Var::from_tensor(&Tensor::from_vec(b, fan_out, device)?)?;
            layers.push((w, b));
        }
        let norms = if spec.batch_norm {
            (0..spec.layers)
                .map(|_| BatchNorm::new(spec.hidden, device))
                .collect::<Result<_>>()?
        } else {
            Vec::new()
        };
        Ok(Self {
            spec,
            layers,
            norms,
            spectral: Mutex::new(None),
            prefix: prefix.to_string(),
        })
    }

    /// Switches spectral normalisation of every layer on or off
    /// ([`crate::core::nn::spectral`]); switching it on starts the power iteration anew.
    pub fn set_spectral_norm(&self, on: bool) -> Result<()> {
        let mut sn = self.spectral.lock().unwrap_or_else(|e| e.into_inner());
        match (on, sn.is_some()) {
            (true, false) => *sn = Some(SpectralNorm::new(&self.raw_weights())?),
            (false, true) => *sn = None,
            _ => {}
        }
        Ok(())
    }

    pub fn spectral_norm(&self) -> bool {
        self.spectral
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// One power iteration of spectral normalisation (a critic step's), if it is on.
    pub fn power_iterate(&self) -> Result<()> {
        match self
            .spectral
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            Some(sn) => sn.iterate(&self.raw_weights()),
            None => Ok(()),
        }
    }

    /// Whether it is a plain MLP (no batch norm, no spectral normalisation): what the
    /// fused pass computes.
    pub fn is_plain(&self) -> bool {
        !self.spec.batch_norm && !self.spectral_norm()
    }

    fn raw_weights(&self) -> Vec<Tensor> {
        self.layers
            .iter()
            .map(|(w, _)| w.as_tensor().clone())
            .collect()
    }

    /// The weights each layer multiplies by: `W`, or `W / σ(W)` under spectral
    /// normalisation.
    fn weights(&self) -> Result<Vec<Tensor>> {
        let raw = self.raw_weights();
        match &*self.spectral.lock().unwrap_or_else(|e| e.into_inner()) {
            Some(sn) => raw
                .iter()
                .enumerate()
                .map(|(i, w)| sn.normalized(i, w))
                .collect(),
            None => Ok(raw),
        }
    }

    pub fn spec(&self) -> MlpSpec {
        self.spec
    }

    /// `(weight [out, in], bias [out])` per layer.
    pub fn layer_vars(&self) -> &[(Var, Var)] {
        &self.layers
    }

    pub fn vars(&self) -> Vec<Var> {
        self.named_vars().into_iter().map(|(_, v)| v).collect()
    }

    /// `(name, var)` pairs in a fixed order: each layer's weight and bias, then its batch
    /// norm's `γ` and `β` (`{prefix}.l{i}.bn.weight`, `.bn.bias`) if it has one.
    pub fn named_vars(&self) -> Vec<(String, Var)> {
        let mut out = Vec::new();
        for (i, (w, b)) in self.layers.iter().enumerate() {
            out.push((format!("{}.l{i}.weight", self.prefix), w.clone()));
            out.push((format!("{}.l{i}.bias", self.prefix), b.clone()));
            if let Some(n) = self.norms.get(i) {
                out.push((format!("{}.l{i}.bn.weight", self.prefix), n.gamma.clone()));
                out.push((format!("{}.l{i}.bn.bias", self.prefix), n.beta.clone()));
            }
        }
        out
    }

    /// The forward pass as evaluated (batch norm from its running statistics); the output
    /// layer is linear (raw values) unless `output_tanh`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_in(x, false)
    }

    /// The forward pass of a training step (batch norm from the batch's statistics).
    pub fn forward_train(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_in(x, true)
    }

    fn forward_in(&self, x: &Tensor, train: bool) -> Result<Tensor> {
        let out = self.forward_with_hidden(x, train)?.0;
        Ok(if self.spec.output_tanh {
            out.tanh()?
        } else {
            out
        })
    }

    /// `(output, last hidden activation)`: a classifier's logits and its features.
    pub fn forward_with_features(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let (out, mut hidden) = self.forward_with_hidden(x, false)?;
        let features = match hidden.pop() {
            Some((_, h)) => h,
            None => x.clone(),
        };
        Ok((out, features))
    }

    /// Output plus each hidden layer's `(pre-activation, activation)` (the
    /// pre-activation after batch norm, if any), with the weights of
    /// [`Mlp::weights`].
    fn forward_with_hidden(
        &self,
        x: &Tensor,
        train: bool,
    ) -> Result<(Tensor, Vec<(Tensor, Tensor)>)> {
        let weights = self.weights()?;
        let mut h = x.clone();
        let mut hidden = Vec::with_capacity(self.spec.layers);
        let last = self.layers.len() - 1;
        for (i, ((_, b), w)) in self.layers.iter().zip(&weights).enumerate().take(last) {
            let mut a = linear(&h, w, b)?;
            if let Some(n) = self.norms.get(i) {
                a = if train {
                    n.forward_train(&a)?
                } else {
                    n.forward_eval(&a)?
                };
            }
            h = self.spec.activation.apply(&a)?;
            hidden.push((a, h.clone()));
        }
        Ok((linear(&h, &weights[last], &self.layers[last].1)?, hidden))
    }

    /// `(V(x), ∇ₓV(x))` for a scalar-output network, the gradient built from forward ops
    /// so that it can itself be differentiated (Candle's backward pass is not: docs/ARCHITECTURE.md).
    /// Backpropagation by hand: `g_L = w_out`, `g_{i−1} = (g_i ⊙ σ'(a_i)) W_i`.
    pub fn value_and_input_gradient(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        self.projected_value_and_input_gradient(x, None)
    }

    /// As [`Mlp::value_and_input_gradient`] for `V(x) = out(x) + Σ_j p_j ⊙ φ_j(x)`, where
    /// `φ` is the last hidden layer and `p` `[n, hidden]` a per-sample projection (the
    /// projection discriminator's `yᵀEφ(x)`): the backward pass starts from
    /// `g_L = w_out + p` instead of `w_out`.
    pub fn projected_value_and_input_gradient(
        &self,
        x: &Tensor,
        projection: Option<&Tensor>,
    ) -> Result<(Tensor, Tensor)> {
        if self.spec.output != 1
            || self.spec.output_tanh
            || self.spec.layers == 0
            || self.spec.batch_norm
        {
            return Err(GanError::InvalidConfig(
                "input gradient needs a scalar, linear-output network with a hidden layer and no batch norm".into(),
            ));
        }
        let weights = self.weights()?;
        let (v, hidden) = self.forward_with_hidden(x, false)?;
        let batch = x.dim(0)?;
        let w_out = &weights[weights.len() - 1];
        let mut g = w_out.broadcast_as((batch, w_out.dim(D::Minus1)?))?;
        let v = match projection {
            Some(p) => {
                let phi = &hidden[hidden.len() - 1].1;
                g = (g + p)?;
                (v + (p * phi)?.sum_keepdim(1)?)?
            }
            None => v,
        };
        for (i, (a, h)) in hidden.iter().enumerate().rev() {
            let s = self.spec.activation.derivative(a, h)?;
            g = (g * s)?.matmul(&weights[i])?;
        }
        Ok((v, g))
    }

    /// Replace all weights (e.g. from a file), after checking every name and shape, so a
    /// wrong file changes nothing.
    pub fn load(&self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        load_named(&self.named_vars(), tensors)
    }
}

/// Every var of `vars` is in `tensors` with its shape; the error names the first that is
/// missing or has another shape.
pub fn check_named(vars: &[(String, Var)], tensors: &HashMap<String, Tensor>) -> Result<()> {
    for (name, var) in vars {
        let t = tensors
            .get(name)
            .ok_or_else(|| GanError::InvalidData(format!("missing tensor '{name}'")))?;
        if t.dims() != var.dims() {
            return Err(GanError::InvalidData(format!(
                "tensor '{name}' has shape {:?}, the model needs {:?}",
                t.dims(),
                var.dims()
            )));
        }
    }
    Ok(())
}

/// Checks all of `vars` against `tensors` first, then sets them: a wrong file changes
/// nothing.
pub fn load_named(vars: &[(String, Var)], tensors: &HashMap<String, Tensor>) -> Result<()> {
    check_named(vars, tensors)?;
    for (name, var) in vars {
        if let Some(t) = tensors.get(name) {
            var.set(&t.to_dtype(DType::F32)?.to_device(var.device())?)?;
        }
    }
    Ok(())
}

/// `x Wᵀ + b`; `matmul` with the transposed weight view does not copy (read in Candle 0.11's source).
fn linear(x: &Tensor, w: &Tensor, b: &Var) -> Result<Tensor> {
    Ok(x.matmul(&w.t()?)?.broadcast_add(b.as_tensor())?)
}
