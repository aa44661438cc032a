//! The D and G steps on the CPU through the fused passes ([`crate::core::nn::host`]: the
//! MLPs' and the DCGAN pair's) instead of Candle's autograd graph: the same batches, the
//! same loss, the same optimiser update, with only the needed gradients computed and no
//! tensor allocated per op. [`Gan::step`] takes this path whenever it applies
//! ([`Gan::fusable`]); a test holds it equal to the autograd path.

use super::{Gan, Gradients, Phases, Player, Probe};
use crate::core::error::{GanError, Result};
use crate::core::health::{first_non_finite, GENERATOR_OUTPUT};
use crate::core::loss::Loss;
use crate::core::nn::host::HostNet;
use crate::core::nn::net::Net;
use crate::core::nn::pass::{Grads, Scratch, Tape};
use crate::core::tensor::HostRead;
use candle_core::{Device, Tensor};

/// Buffers kept from step to step, so that a step allocates nothing once they have grown.
#[derive(Default)]
pub(super) struct Buffers {
    g_tape: Tape,
    d_tape: Tape,
    /// D's input: the real batch above the fakes.
    x: Vec<f32>,
    /// `∂L/∂v` for D's outputs.
    dv: Vec<f32>,
    /// `∂L/∂x` of D's input (the fakes), in G's step.
    dx: Vec<f32>,
    /// G's `∂L/∂v` below zeros for the real rows, in a simultaneous update.
    dv_g: Vec<f32>,
    scratch: Scratch,
    g_grads: Grads,
    d_grads: Grads,
}

impl Buffers {
    /// G forward on `z`, then D forward on the real batch stacked above the fakes; fills
    /// `dv` with D's loss gradient and returns D's loss.
    fn d_forward(
        &mut self,
        wg: &HostNet,
        wd: &HostNet,
        real: &[f32],
        z: &[f32],
        loss: Loss,
        n: usize,
    ) -> Result<f64> {
        wg.forward(z, n, &mut self.g_tape)?;
        self.x.clear();
        self.x.extend_from_slice(real);
        self.x.extend_from_slice(self.g_tape.output());
        wd.forward(&self.x, 2 * n, &mut self.d_tape)?;
        let (v_real, v_fake) = self.d_tape.output().split_at(n);
        loss.d_loss_and_grad(v_real, v_fake, &mut self.dv)
    }

    /// D's weight gradients from `dv` over the stacked batch.
    fn d_weight_grads(&mut self, wd: &HostNet) -> Result<()> {
        wd.backward(
            &self.x,
            &self.d_tape,
            &self.dv,
            &mut self.scratch,
            Some(&mut self.d_grads),
            None,
        )
    }

    /// G's weight gradients through D: from `dv` over the fakes alone (G's step), or from
    /// `dv_g` over the stacked batch (a simultaneous update, where the real rows' part
    /// is zero and their input gradient is skipped).
    fn g_weight_grads(
        &mut self,
        wg: &HostNet,
        wd: &HostNet,
        z: &[f32],
        stacked: bool,
    ) -> Result<()> {
        let (x, dv, skip) = if stacked {
            (self.x.as_slice(), &self.dv_g, self.x.len() / 2)
        } else {
            (self.g_tape.output(), &self.dv, 0)
        };
        wd.backward(
            x,
            &self.d_tape,
            dv,
            &mut self.scratch,
            None,
            Some(&mut self.dx),
        )?;
        wg.backward(
            z,
            &self.g_tape,
            &self.dx[skip..],
            &mut self.scratch,
            Some(&mut self.g_grads),
            None,
        )
    }
}

/// Adds the time since `t` to one phase, as [`Gan::time`], for use while the networks
/// are borrowed.
fn lap(
    probe: &mut Option<Probe>,
    device: &Device,
    t: &mut f64,
    phase: fn(&mut Phases) -> &mut f64,
) {
    if let Some(p) = probe.as_mut() {
        let _ = device.synchronize();
        let dt = p.lap(t);
        *phase(&mut p.phases) += dt;
    }
}

/// G's and D's weights, read in place for one step.
fn host_nets<'a>(gen: &'a Net, disc: &'a Net) -> Result<(HostNet<'a>, HostNet<'a>)> {
    match (gen, disc) {
        (Net::Mlp(_), Net::Mlp(_)) | (Net::ConvGenerator(_), Net::ConvCritic(_)) => {
            Ok((HostNet::new(gen)?, HostNet::new(disc)?))
        }
        _ => Err(GanError::InvalidConfig(
            "the fused step needs two MLPs or the DCGAN pair".into(),
        )),
    }
}

impl Gan {
    /// Whether a step can take the fused path: two MLPs or the DCGAN pair on the CPU, no class embedding
    /// (the projection discriminator stays with autograd), no gradient penalty (its
    /// second-order gradient does too), and the fused path not switched off.
    pub fn fusable(&self) -> bool {
        let penalty = (self.cfg.loss.gradient_penalty_kind().is_some() && self.cfg.gp_lambda > 0.0)
            || self.cfg.r1_gamma > 0.0;
        self.fused_enabled
            && self.device.is_cpu()
            && self.embed.is_none()
            && !penalty
            && !self.reads_batches()
            && self.cfg.unroll == 0
            && self.gen.is_plain()
            && self.disc.is_plain()
            && matches!(
                (&self.gen, &self.disc),
                (Net::Mlp(_), Net::Mlp(_)) | (Net::ConvGenerator(_), Net::ConvCritic(_))
            )
    }

    /// Stops the game when the fakes of the last forward pass are not all finite.
    fn guard_fakes(&mut self, b: &Buffers) -> Result<()> {
        if first_non_finite(b.g_tape.output()).is_none() {
            return Ok(());
        }
        self.stop(GENERATOR_OUTPUT.into())
    }

    /// D's step on a real batch and the noise for its fakes; returns D's loss.
    pub(super) fn fused_d_step(&mut self, real: &Tensor, z: &Tensor, t: &mut f64) -> Result<f64> {
        self.with_buffers(|gan, b| gan.fused_d_step_with(b, real, z, t))
    }

    /// Runs `f` with the step buffers (made on first use), and keeps them for the next.
    fn with_buffers<R>(
        &mut self,
        f: impl FnOnce(&mut Self, &mut Buffers) -> Result<R>,
    ) -> Result<R> {
        let mut b = self.fused.take().unwrap_or_default();
        let result = f(self, &mut b);
        self.fused = Some(b);
        result
    }

    fn fused_d_step_with(
        &mut self,
        b: &mut Buffers,
        real: &Tensor,
        z: &Tensor,
        t: &mut f64,
    ) -> Result<f64> {
        let n = self.cfg.batch;
        let d_loss = {
            let (wg, wd) = host_nets(&self.gen, &self.disc)?;
            let (real, z) = (HostRead::new(real)?, HostRead::new(z)?);
            let d_loss = b.d_forward(&wg, &wd, real.slice()?, z.slice()?, self.cfg.loss, n)?;
            lap(&mut self.probe, &self.device, t, |p| &mut p.d_forward);
            if d_loss.is_finite() {
                b.d_weight_grads(&wd)?;
            }
            lap(&mut self.probe, &self.device, t, |p| &mut p.d_backward);
            d_loss
        };
        self.guard_fakes(b)?;
        self.guard("discriminator loss", d_loss)?;
        self.update(Player::Critic, Gradients::Host(b.d_grads.slices()))?;
        self.time(t, |p| &mut p.d_update);
        Ok(d_loss)
    }

    /// G's step on a noise batch; returns G's loss.
    pub(super) fn fused_g_step(&mut self, z: &Tensor, t: &mut f64) -> Result<f64> {
        self.with_buffers(|gan, b| gan.fused_g_step_with(b, z, t))
    }

    fn fused_g_step_with(&mut self, b: &mut Buffers, z: &Tensor, t: &mut f64) -> Result<f64> {
        let n = self.cfg.batch;
        let g_loss = {
            let (wg, wd) = host_nets(&self.gen, &self.disc)?;
            let z = HostRead::new(z)?;
            let z = z.slice()?;
            wg.forward(z, n, &mut b.g_tape)?;
            wd.forward(b.g_tape.output(), n, &mut b.d_tape)?;
            let g_loss = self
                .cfg
                .loss
                .g_loss_and_grad(b.d_tape.output(), &mut b.dv)?;
            lap(&mut self.probe, &self.device, t, |p| &mut p.g_forward);
            if g_loss.is_finite() {
                b.g_weight_grads(&wg, &wd, z, false)?;
            }
            lap(&mut self.probe, &self.device, t, |p| &mut p.g_backward);
            g_loss
        };
        self.guard_fakes(b)?;
        self.guard("generator loss", g_loss)?;
        self.update(Player::Generator, Gradients::Host(b.g_grads.slices()))?;
        self.time(t, |p| &mut p.g_update);
        Ok(g_loss)
    }

    /// One simultaneous update: both gradients from the same parameters, then both
    /// updates. Returns `(D's loss, G's loss)`.
    pub(super) fn fused_simultaneous(&mut self, real: &Tensor, z: &Tensor) -> Result<(f64, f64)> {
        self.with_buffers(|gan, b| gan.fused_simultaneous_with(b, real, z))
    }

    fn fused_simultaneous_with(
        &mut self,
        b: &mut Buffers,
        real: &Tensor,
        z: &Tensor,
    ) -> Result<(f64, f64)> {
        let n = self.cfg.batch;
        let (d_loss, g_loss) = {
            let (wg, wd) = host_nets(&self.gen, &self.disc)?;
            let (real, z) = (HostRead::new(real)?, HostRead::new(z)?);
            let z = z.slice()?;
            let d_loss = b.d_forward(&wg, &wd, real.slice()?, z, self.cfg.loss, n)?;
            let g_loss = self
                .cfg
                .loss
                .g_loss_and_grad(&b.d_tape.output()[n..], &mut b.dx)?;
            if d_loss.is_finite() && g_loss.is_finite() {
                b.d_weight_grads(&wd)?;
                // G's loss reaches D's input through the fake rows only.
                b.dv_g.clear();
                b.dv_g.resize(n, 0.0);
                b.dv_g.extend_from_slice(&b.dx);
                b.g_weight_grads(&wg, &wd, z, true)?;
            }
            (d_loss, g_loss)
        };
        self.guard_fakes(b)?;
        self.guard("discriminator loss", d_loss)?;
        self.guard("generator loss", g_loss)?;
        self.update(Player::Critic, Gradients::Host(b.d_grads.slices()))?;
        self.update(Player::Generator, Gradients::Host(b.g_grads.slices()))?;
        Ok((d_loss, g_loss))
    }
}
