//! A network's fused pass on the CPU, whichever its kind: the MLP pass ([`super::pass`])
//! or the DCGAN pair's ([`super::conv_pass`]) behind one forward and one backward, so
//! that the fused GAN step serves both.

use super::conv_pass::{
    critic_backward, critic_forward, gen_backward, gen_forward, CriticWeights, GenWeights,
};
use super::net::Net;
use super::pass::{backward, forward, Grads, Scratch, Tape, Weights};
use crate::core::error::{GanError, Result};

/// A network's weights, read-locked in place for one pass.
pub enum HostNet<'a> {
    Mlp(Weights<'a>),
    ConvGenerator(GenWeights<'a>),
    ConvCritic(CriticWeights<'a>),
}

impl<'a> HostNet<'a> {
    pub fn new(net: &'a Net) -> Result<Self> {
        Ok(match net {
            Net::Mlp(m) => Self::Mlp(Weights::new(m)?),
            Net::ConvGenerator(g) => Self::ConvGenerator(GenWeights::new(g)?),
            Net::ConvCritic(d) => Self::ConvCritic(CriticWeights::new(d)?),
            Net::Energy(_) => {
                return Err(GanError::InvalidConfig(
                    "the fused pass does not compute the energy critic".into(),
                ))
            }
        })
    }

    /// Forward pass of `rows` inputs `x` `[rows, input]`; the output is
    /// [`Tape::output`].
    pub fn forward(&self, x: &[f32], rows: usize, tape: &mut Tape) -> Result<()> {
        match self {
            Self::Mlp(w) => forward(w, x, rows, tape),
            Self::ConvGenerator(w) => gen_forward(w, x, rows, tape),
            Self::ConvCritic(w) => critic_forward(w, x, rows, tape),
        }
    }

    /// Backward pass from `∂L/∂output` of the last [`HostNet::forward`] on `x`: weight
    /// gradients into `grads` and `∂L/∂x` into `dx`, each only when given.
    pub fn backward(
        &self,
        x: &[f32],
        tape: &Tape,
        d_out: &[f32],
        scratch: &mut Scratch,
        grads: Option<&mut Grads>,
        dx: Option<&mut Vec<f32>>,
    ) -> Result<()> {
        match self {
            Self::Mlp(w) => backward(w, x, tape, d_out, scratch, grads, dx),
            Self::ConvGenerator(w) => gen_backward(w, x, tape, d_out, scratch, grads, dx),
            Self::ConvCritic(w) => critic_backward(w, tape, d_out, scratch, grads, dx),
        }
    }
}
