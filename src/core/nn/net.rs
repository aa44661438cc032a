//! A network of the engine, whichever its kind: the trainer and the game
//! ([`crate::core::game`]) hold these, so the same step serves MLPs and convolutional nets.

use crate::core::error::{GanError, Result};
use crate::core::nn::conv::{ConvCritic, ConvGenerator, SIDE};
use crate::core::nn::conv_pass::{gen_forward, GenWeights};
use crate::core::nn::energy::EnergyCritic;
use crate::core::nn::mlp::{check_named, load_named, Mlp};
use crate::core::nn::pass::Tape;
use crate::core::tensor::HostRead;
use candle_core::{Tensor, Var};
use std::collections::HashMap;

pub enum Net {
    Mlp(Mlp),
    ConvGenerator(ConvGenerator),
    ConvCritic(ConvCritic),
    /// EBGAN's autoencoder critic ([`super::energy`]).
    Energy(EnergyCritic),
}

impl Net {
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Net::Mlp(m) => m.forward(x),
            Net::ConvGenerator(g) => g.forward(x),
            Net::ConvCritic(d) => d.forward(x),
            Net::Energy(e) => e.forward(x),
        }
    }

    /// As [`Net::forward`], for drawing and metrics (nothing differentiates it): the DCGAN
    /// generator on the CPU takes its fused pass (`conv_pass.rs`). Through Candle's
    /// `conv2d` one forward pass of 64 digits took about 45 ms, and the page's DCGAN trained
    /// at a third of its benchmark rate, drawing and measuring its samples that way.
    pub fn infer(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Net::ConvGenerator(g) if x.device().is_cpu() => {
                let rows = x.dim(0)?;
                let x = x.contiguous()?;
                let input = HostRead::new(&x)?;
                let mut tape = Tape::default();
                gen_forward(&GenWeights::new(g)?, input.slice()?, rows, &mut tape)?;
                Ok(Tensor::from_slice(
                    tape.output(),
                    (rows, SIDE * SIDE),
                    x.device(),
                )?)
            }
            _ => self.forward(x),
        }
    }

    /// The forward pass of a training step: as [`Net::forward`] except that batch norm
    /// uses the batch's statistics.
    pub fn forward_train(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Net::Mlp(m) => m.forward_train(x),
            _ => self.forward(x),
        }
    }

    /// Switches spectral normalisation of its layers on or off; only MLPs have it.
    pub fn set_spectral_norm(&self, on: bool) -> Result<()> {
        match self {
            Net::Mlp(m) => m.set_spectral_norm(on),
            Net::Energy(e) => e.autoencoder().set_spectral_norm(on),
            _ if !on => Ok(()),
            _ => Err(GanError::InvalidConfig(
                "spectral normalisation: only MLP critics have it (not the DCGAN's)".into(),
            )),
        }
    }

    /// Whether it is a plain network (no batch norm, no spectral normalisation).
    pub fn is_plain(&self) -> bool {
        match self {
            Net::Mlp(m) => m.is_plain(),
            // Its value is not a network's output: the fused pass does not compute it.
            Net::Energy(_) => false,
            _ => true,
        }
    }

    /// One power iteration of spectral normalisation, if it is on.
    pub fn power_iterate(&self) -> Result<()> {
        match self {
            Net::Mlp(m) => m.power_iterate(),
            Net::Energy(e) => e.autoencoder().power_iterate(),
            _ => Ok(()),
        }
    }

    /// `(output, features)`: the last hidden layer of a critic (for the projection).
    pub fn forward_with_features(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        match self {
            Net::Mlp(m) => m.forward_with_features(x),
            Net::ConvCritic(d) => d.forward_with_features(x),
            Net::Energy(e) => e.forward_with_features(x),
            Net::ConvGenerator(_) => Err(GanError::InvalidConfig(
                "a generator has no critic features".into(),
            )),
        }
    }

    /// `(V(x), ∇ₓV(x))` of a critic, plus a projection term (see
    /// [`Mlp::projected_value_and_input_gradient`]), as forward ops.
    pub fn projected_value_and_input_gradient(
        &self,
        x: &Tensor,
        projection: Option<&Tensor>,
    ) -> Result<(Tensor, Tensor)> {
        match self {
            Net::Mlp(m) => m.projected_value_and_input_gradient(x, projection),
            Net::ConvCritic(d) => d.projected_value_and_input_gradient(x, projection),
            Net::Energy(e) if projection.is_none() => e.value_and_input_gradient(x),
            Net::Energy(_) => Err(GanError::InvalidConfig(
                "the energy critic is not a projection critic".into(),
            )),
            Net::ConvGenerator(_) => Err(GanError::InvalidConfig(
                "input gradient needs a critic".into(),
            )),
        }
    }

    pub fn value_and_input_gradient(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        self.projected_value_and_input_gradient(x, None)
    }

    /// `(name, var)` pairs in a fixed order, named as in the safetensors files.
    pub fn named_vars(&self) -> Vec<(String, Var)> {
        match self {
            Net::Mlp(m) => m.named_vars(),
            Net::ConvGenerator(g) => g.named_vars(),
            Net::ConvCritic(d) => d.named_vars(),
            Net::Energy(e) => e.autoencoder().named_vars(),
        }
    }

    /// Multiply-adds of one forward pass per sample.
    pub fn macs(&self) -> usize {
        match self {
            Net::Mlp(m) => m.spec().macs(),
            Net::ConvGenerator(g) => g.macs(),
            Net::ConvCritic(d) => d.macs(),
            Net::Energy(e) => e.autoencoder().spec().macs(),
        }
    }

    /// Values one sample's forward pass holds (inputs, layer outputs, im2col buffers).
    pub fn values_per_sample(&self) -> usize {
        match self {
            Net::Mlp(m) => m.spec().values_per_sample(),
            Net::ConvGenerator(g) => g.values_per_sample(),
            Net::ConvCritic(d) => d.values_per_sample(),
            Net::Energy(e) => e.autoencoder().spec().values_per_sample(),
        }
    }

    /// Its number of weights.
    pub fn parameters(&self) -> usize {
        self.vars().iter().map(|v| v.elem_count()).sum()
    }

    /// The width of its widest hidden layer (what decides whether CPU threads pay).
    pub fn width(&self) -> usize {
        match self {
            Net::Mlp(m) => m.spec().hidden,
            Net::ConvGenerator(g) => g.width(),
            Net::ConvCritic(d) => d.features(),
            Net::Energy(e) => e.autoencoder().spec().hidden,
        }
    }

    pub fn vars(&self) -> Vec<Var> {
        self.named_vars().into_iter().map(|(_, v)| v).collect()
    }

    /// Checks that `tensors` holds every weight with the right shape.
    pub fn check(&self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        check_named(&self.named_vars(), tensors)
    }

    /// Replaces every weight after checking all of them.
    pub fn load(&self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        load_named(&self.named_vars(), tensors)
    }
}
