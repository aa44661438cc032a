//! [`Gan`]: the classic game of two networks, a generator G and a critic D, each with its
//! own optimiser, on batches from a [`Source`]. The 2D and the digit trainers build one
//! each and add what is particular to their data; the step, the live configuration and
//! the counters are this one code.
//!
//! A conditional GAN (Mirza & Osindero 2014; the lecture notes' "conditional GAN") gives G
//! the condition as extra input columns, `[z, c]` with `c` one-hot. D gets it either the
//! same way, `[x, c]`, or through a projection (Miyato & Koyama 2018):
//! `V(x, c) = w·φ(x) + b + cᵀEφ(x)`, with `φ` D's last hidden layer and `E` a learned
//! class embedding. Concatenation only adds a per-class bias to D's first layer, and in
//! our runs a D built that way never made G follow its condition (digits classified as
//! the one asked for: 11% after 4,000 iterations, chance is 10%); the projection's
//! product of class and features is what makes D check that they agree.

use super::config::{StepStats, TrainConfig, UpdateMode};
use super::pack::{minibatch_stddev, pack_samples, repeat_for_pack, with_stddev, MAX_PACK};
use super::probe::{Phases, Probe};
use super::{Counters, Game, Player, Source};
use crate::core::error::{GanError, Result};
use crate::core::health::{all_finite, GENERATOR_OUTPUT};
use crate::core::loss::{gradient_penalty, r1_penalty};
use crate::core::nn::energy::{pulling_away, EnergyCritic};
use crate::core::nn::net::Net;
use crate::core::nn::optim::{Optimizer, Update};
use crate::core::rng::SeededRng;
use crate::core::tensor::scalar;
use candle_core::{Device, Tensor, Var};
use std::collections::HashMap;

/// The name of the projection discriminator's class embedding in a weights file.
pub const EMBED: &str = "discriminator.embed";

mod fused;

/// A step's gradients: autograd's, or the fused pass's host slices (one per variable).
pub(crate) enum Gradients<'a> {
    Graph(&'a candle_core::backprop::GradStore),
    Host(Vec<&'a [f32]>),
}

pub struct Gan {
    source: Box<dyn Source>,
    /// Set to time the phases of each step (off by default: no clock reads).
    pub probe: Option<Probe>,
    pub(crate) gen: Net,
    pub(crate) disc: Net,
    /// The projection discriminator's class embedding `E` `[classes, hidden]`, if any.
    pub(crate) embed: Option<Var>,
    opt_d: Optimizer,
    opt_g: Optimizer,
    pub(crate) cfg: TrainConfig,
    pub(crate) device: Device,
    rng: SeededRng,
    iteration: usize,
    /// Critic and generator steps already taken in the iteration under way
    /// ([`Game::step_phase`]).
    phase_critic_steps: usize,
    phase_generator_steps: usize,
    d_steps: usize,
    g_steps: usize,
    last: StepStats,
    diverged: Option<GanError>,
    /// Whether steps may take the fused MLP path ([`Gan::fusable`]); on by default.
    fused_enabled: bool,
    fused: Option<Box<fused::Buffers>>,
    /// Samples per critic input (PacGAN's packing degree; 1 is none).
    pack: usize,
    /// Whether the critic reads the minibatch standard deviation as an extra feature.
    mbstd: bool,
    /// The minibatch standard deviation of the last training fakes: what the page's
    /// pictures of the critic use for that feature (a point of the plane has no batch).
    shown_stddev: f64,
    /// The critic the loss does not use now, with its optimiser: the classifier while an
    /// energy loss trains EBGAN's autoencoder, and back ([`Gan::fit_critic`]).
    parked: Option<(Net, Optimizer)>,
}

/// A lookahead's saved critic: its weights, its optimiser and the losses shown.
struct Lookahead {
    weights: Vec<Tensor>,
    opt: Optimizer,
    last: StepStats,
    d_steps: usize,
}

/// Packing and the minibatch deviation read samples without their conditions.
fn unconditional_only() -> GanError {
    GanError::InvalidConfig(
        "packing and the minibatch deviation are for unconditional critics".into(),
    )
}

/// The projection critic's class embedding `E` `[classes, features]`, initialised like a
/// layer (`U(−1/√features, 1/√features)`) from `rng`; `None` without classes.
pub fn class_embedding(
    classes: usize,
    features: usize,
    rng: &mut SeededRng,
    device: &Device,
) -> Result<Option<Var>> {
    if classes == 0 {
        return Ok(None);
    }
    let bound = 1.0 / (features as f32).sqrt();
    let e: Vec<f32> = (0..classes * features)
        .map(|_| rng.uniform(-bound, bound))
        .collect();
    Ok(Some(Var::from_tensor(&Tensor::from_vec(
        e,
        (classes, features),
        device,
    )?)?))
}

/// `[a, c]` side by side, or `a` alone.
pub fn with_condition(a: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
    Ok(match c {
        Some(c) => Tensor::cat(&[a, c], 1)?,
        None => a.clone(),
    })
}

impl Gan {
    pub fn new(
        source: Box<dyn Source>,
        gen: Net,
        disc: Net,
        embed: Option<Var>,
        cfg: TrainConfig,
        rng: SeededRng,
        device: &Device,
    ) -> Result<Self> {
        cfg.validate()?;
        let mut d_vars = disc.vars();
        d_vars.extend(embed.clone());
        let mut gan = Self {
            source,
            probe: None,
            opt_d: Optimizer::new(d_vars),
            opt_g: Optimizer::new(gen.vars()),
            gen,
            disc,
            embed,
            cfg,
            device: device.clone(),
            rng,
            iteration: 0,
            d_steps: 0,
            g_steps: 0,
            phase_critic_steps: 0,
            phase_generator_steps: 0,
            last: StepStats::default(),
            diverged: None,
            fused_enabled: true,
            fused: None,
            pack: 1,
            mbstd: false,
            shown_stddev: 0.0,
            parked: None,
        };
        gan.fit_critic(&cfg)?;
        gan.disc.set_spectral_norm(cfg.spectral_norm)?;
        Ok(gan)
    }

    /// Puts in place the critic `cfg`'s loss is computed on: the classifier, or EBGAN's
    /// autoencoder, made on first use from the training stream in the classifier's shape
    /// (input, widths, activation). The other is kept with its optimiser, so a loss
    /// switched back resumes its critic where it was left.
    fn fit_critic(&mut self, cfg: &TrainConfig) -> Result<()> {
        let energy = cfg.loss.energy_critic();
        if energy != matches!(self.disc, Net::Energy(_)) {
            let (net, opt) = match self.parked.take() {
                Some(parked) => parked,
                None => {
                    let refuse = |why: &str| {
                        Err(GanError::InvalidConfig(format!(
                            "{}: its critic is an autoencoder of the MLP critic's shape; {why}",
                            cfg.loss.name()
                        )))
                    };
                    let Net::Mlp(classifier) = &self.disc else {
                        return refuse("this critic is convolutional (choose an MLP model)");
                    };
                    if self.embed.is_some() {
                        return refuse("it reads no condition (turn conditioning off)");
                    }
                    let spec = classifier.spec();
                    let net = Net::Energy(EnergyCritic::new(
                        spec,
                        cfg.margin,
                        &mut self.rng,
                        &self.device,
                    )?);
                    let opt = Optimizer::new(net.vars());
                    (net, opt)
                }
            };
            let old_net = std::mem::replace(&mut self.disc, net);
            let old_opt = std::mem::replace(&mut self.opt_d, opt);
            self.parked = Some((old_net, old_opt));
            self.fused = None;
        }
        if let Net::Energy(e) = &self.disc {
            e.set_margin(cfg.margin);
        }
        Ok(())
    }

    /// G's objective on its fakes: the loss's G term, plus EBGAN's pulling-away term on
    /// the autoencoder's codes of the fakes when it is on.
    fn g_objective(&self, fake: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        let loss = self.cfg.loss.g_loss(&self.critic_batch(fake, c)?)?;
        match &self.disc {
            Net::Energy(e) if self.cfg.pull_away > 0.0 && !self.reads_batches() => {
                let (_, codes) = e.forward_with_features(fake)?;
                Ok((loss + (pulling_away(&codes)? * self.cfg.pull_away)?)?)
            }
            _ => Ok(loss),
        }
    }

    /// A critic that reads `pack` samples at once (PacGAN) and, with `mbstd`, the batch's
    /// standard deviation as an extra feature; its input must be `pack · dim (+ 1)` wide.
    /// A D step then draws `pack · batch` real and fake samples, so that the critic sees
    /// `batch` packs whatever `pack` is. Neither goes with a conditional critic.
    pub fn with_critic_input(mut self, pack: usize, mbstd: bool) -> Result<Self> {
        if !(1..=MAX_PACK).contains(&pack) {
            return Err(GanError::InvalidConfig(format!(
                "pack: {pack} is outside 1..={MAX_PACK}"
            )));
        }
        if self.embed.is_some() && (pack > 1 || mbstd) {
            return Err(unconditional_only());
        }
        self.pack = pack;
        self.mbstd = mbstd;
        Ok(self)
    }

    /// Whether the critic reads more than one sample per value (packing or the minibatch
    /// deviation).
    fn reads_batches(&self) -> bool {
        self.pack > 1 || self.mbstd
    }

    /// The critic's input for a training batch `x [pack · n, dim]`: packed, with the
    /// batch's standard deviation appended.
    fn batch_input(&self, x: &Tensor) -> Result<Tensor> {
        let packed = pack_samples(x, self.pack)?;
        if !self.mbstd {
            return Ok(packed);
        }
        let s = minibatch_stddev(&packed)?;
        with_stddev(&packed, &s)
    }

    /// The critic's input for points `x [n, dim]` seen one at a time (the page's
    /// pictures): each a pack of copies of itself, with the last training fakes'
    /// standard deviation.
    fn point_input(&self, x: &Tensor) -> Result<Tensor> {
        let packed = repeat_for_pack(x, self.pack)?;
        if !self.mbstd {
            return Ok(packed);
        }
        let s = Tensor::new(&[[self.shown_stddev as f32]], x.device())?;
        with_stddev(&packed, &s)
    }

    /// `V` on a training batch: per pack of samples when the critic packs them.
    fn critic_batch(&self, x: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        if !self.reads_batches() {
            return self.critic(x, c);
        }
        if c.is_some() {
            return Err(unconditional_only());
        }
        self.disc.forward(&self.batch_input(x)?)
    }

    /// Remembers the fakes' standard deviation for the pictures of the critic.
    fn note_fakes(&mut self, fake: &Tensor) -> Result<()> {
        if self.mbstd {
            let s = minibatch_stddev(&pack_samples(&fake.detach(), self.pack)?)?;
            self.shown_stddev = scalar(&s.reshape(())?)?;
        }
        Ok(())
    }

    /// `(V(x), ∇ₓV(x))` at points of the plane seen one at a time ([`Gan::critic`]'s
    /// view): the gradient through every copy of a packed point, summed (the chain rule
    /// through the repetition); the standard-deviation feature is held fixed.
    pub fn critic_value_and_gradient(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let dim = x.dims2()?.1;
        let (v, g) = self.disc.value_and_input_gradient(&self.point_input(x)?)?;
        let mut sum = g.narrow(1, 0, dim)?;
        for i in 1..self.pack {
            sum = (sum + g.narrow(1, i * dim, dim)?)?;
        }
        Ok((v, sum))
    }

    /// `∇ₓV(x | c)` at points of the plane: [`Gan::critic_value_and_gradient`]'s without
    /// a condition, the projection critic's with one (`c` may be a soft label: the
    /// projection averaged over the labels).
    pub fn critic_gradient(&self, x: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        match c {
            Some(c) => self.critic_input_gradient(x, Some(c)),
            None => Ok(self.critic_value_and_gradient(x)?.1),
        }
    }

    /// Floating-point operations of one iteration, counting a forward pass as 2 FLOPs per
    /// multiply-add and a backward pass as twice its forward (input and weight gradients).
    /// Alternating, per iteration of batch B and per-sample MACs `g`, `d` (the G-step term
    /// below counts once per each of the k_G generator steps): each of k D
    /// steps runs G forward on B and D forward and backward on 2B: `2B(g + 6d)`; the G step
    /// runs G and D forward and backward on B: `6B(g + d)`. Simultaneous updates run G
    /// forward and backward once and D on 2B and B. For the 2D default
    /// (g = 1,152, d = 1,120, B = 256, k = 1) that is 7.5 MFLOP, the 7.4.
    pub fn flops_per_iteration(&self) -> f64 {
        // A packed critic's B inputs hold `pack · B` samples, each made by G.
        let (g, d, b) = (
            self.gen.macs() as f64 * self.pack as f64,
            self.disc.macs() as f64,
            self.cfg.batch as f64,
        );
        let d_step = 2.0 * b * (g + 6.0 * d);
        match self.cfg.update {
            UpdateMode::Alternating => {
                self.cfg.k as f64 * d_step
                    + self.cfg.kg as f64 * (6.0 * b * (g + d) + self.cfg.unroll as f64 * d_step)
            }
            UpdateMode::Simultaneous => 2.0 * b * (3.0 * g + 6.0 * d + 3.0 * d),
        }
    }

    /// An upper estimate of one step's allocations under `cfg` ([`Game::step_bytes`]):
    /// `4 B × (F · batch · values + 3 · weights)`. `values` is what the step's passes
    /// hold per sample: G's pass and D's pass on the real batch and the fakes (`g + 2d`;
    /// a simultaneous update also runs D on the fakes for G: `g + 3d`; a gradient
    /// penalty runs D and its input gradient once more: `+ 2d`). `F` covers what
    /// autograd keeps beside each value (pre-activations, masks, gradients); measured
    /// on the 2D MLP, the MNIST MLPs and the DCGAN (tests/memory.rs), the peak was at
    /// most 1/1.5 of this estimate. The weights term is their gradients and the
    /// optimiser's two moments.
    pub fn step_bytes(&self, cfg: &TrainConfig) -> u64 {
        const F: u64 = 6;
        let (g, d) = (
            (self.gen.values_per_sample() * self.pack) as u64,
            self.disc.values_per_sample() as u64,
        );
        let mut values = g + 2 * d;
        if cfg.update == UpdateMode::Simultaneous {
            values += d;
        }
        if cfg.loss.gradient_penalty_kind().is_some() && cfg.gp_lambda > 0.0 {
            values += 2 * d;
        }
        if cfg.r1_gamma > 0.0 {
            values += 2 * d;
        }
        let weights = (self.gen.parameters() + self.disc.parameters()) as u64;
        4 * (F * cfg.batch as u64 * values + 3 * weights)
    }

    /// Replaces where the batches come from, between two steps: the players, their
    /// optimisers and the counters are kept (new data points while training).
    pub fn set_source(&mut self, source: Box<dyn Source>) {
        self.source = source;
    }

    /// The generator network.
    pub fn generator(&self) -> &Net {
        &self.gen
    }

    /// `G(z | c)`, as evaluated (batch norm from its running statistics).
    pub fn generate(&self, z: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        self.gen.infer(&with_condition(z, c)?)
    }

    /// `G(z | c)` in a training step (batch norm from the batch's statistics).
    fn generate_train(&self, z: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        self.gen.forward_train(&with_condition(z, c)?)
    }

    /// `V(x | c)`, the critic's raw value at each row of `x` (a packed critic's at a pack
    /// of copies of the row; see [`Gan::point_input`]).
    pub fn critic(&self, x: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        if self.reads_batches() && c.is_none() {
            return self.disc.forward(&self.point_input(x)?);
        }
        match (c, &self.embed) {
            (Some(c), Some(e)) => {
                let (v, phi) = self.disc.forward_with_features(x)?;
                Ok((v + (c.matmul(e.as_tensor())? * phi)?.sum_keepdim(1)?)?)
            }
            _ => self.disc.forward(&with_condition(x, c)?),
        }
    }

    /// G's and D's weights, named as in the safetensors files.
    pub fn named_vars(&self) -> Vec<(String, Var)> {
        let mut v = self.gen.named_vars();
        v.extend(self.disc.named_vars());
        v
    }

    /// Every weight as a named tensor (`generator.l{i}.*`, `discriminator.l{i}.*`, and
    /// for a conditional model `discriminator.embed`): what a weights file holds.
    pub fn named_tensors(&self) -> Vec<(String, Tensor)> {
        self.gen
            .named_vars()
            .into_iter()
            .chain(self.disc.named_vars())
            .chain(self.embed.iter().map(|e| (EMBED.to_string(), e.clone())))
            .map(|(n, v)| (n, v.as_tensor().clone()))
            .collect()
    }

    /// Loads weights saved by [`Gan::named_tensors`] (from either side), checking every
    /// name and shape before anything is replaced.
    pub fn load_named_tensors(&mut self, tensors: &HashMap<String, Tensor>) -> Result<()> {
        for net in [&self.gen, &self.disc] {
            net.check(tensors)?;
        }
        let embed = match &self.embed {
            Some(e) => {
                let t = tensors.get(EMBED).ok_or_else(|| {
                    GanError::InvalidData(format!(
                        "missing tensor '{EMBED}' (the file is not from a conditional model)"
                    ))
                })?;
                if t.dims() != e.dims() {
                    return Err(GanError::InvalidData(format!(
                        "tensor '{EMBED}' has shape {:?}, the model needs {:?}",
                        t.dims(),
                        e.dims()
                    )));
                }
                Some((e, t))
            }
            None => None,
        };
        self.gen.load(tensors)?;
        self.disc.load(tensors)?;
        if let Some((e, t)) = embed {
            e.set(&t.to_dtype(candle_core::DType::F32)?)?;
        }
        Ok(())
    }

    /// The critic's weights, the class embedding included.
    pub fn critic_vars(&self) -> Vec<Var> {
        let mut v = self.disc.vars();
        v.extend(self.embed.clone());
        v
    }

    /// One iteration: k D steps then k_G G steps, or one simultaneous update. An
    /// iteration begun with [`Game::step_phase`] is completed.
    pub fn step(&mut self) -> Result<StepStats> {
        while !self.step_phase()? {}
        Ok(self.last)
    }

    /// One phase of the iteration under way; `true` when it completed the iteration:
    /// alternating, each of the k critic steps and then each of the k_G generator steps
    /// is a phase (with k_G = 0 the last critic step completes it); simultaneous, the
    /// one joint update.
    pub fn step_phase(&mut self) -> Result<bool> {
        self.check_alive()?;
        if self.cfg.update == UpdateMode::Simultaneous {
            self.step_simultaneous()?;
            return Ok(self.complete_iteration());
        }
        if self.phase_critic_steps < self.cfg.k {
            self.step_d()?;
            self.phase_critic_steps += 1;
        } else {
            self.step_g()?;
            self.phase_generator_steps += 1;
        }
        let done =
            self.phase_critic_steps >= self.cfg.k && self.phase_generator_steps >= self.cfg.kg;
        Ok(done && self.complete_iteration())
    }

    /// Ends the iteration under way; always `true`.
    fn complete_iteration(&mut self) -> bool {
        self.phase_critic_steps = 0;
        self.phase_generator_steps = 0;
        self.iteration += 1;
        true
    }

    /// One discriminator step only. The fakes are made under the real batch's conditions,
    /// so that a conditional critic compares like with like.
    pub fn step_d(&mut self) -> Result<StepStats> {
        self.check_alive()?;
        let mut t = self.probe.as_ref().map_or(0.0, |p| (p.clock)());
        let (real, c, z) = self.d_batch()?;
        self.time(&mut t, |p| &mut p.data);
        let (d_loss, penalty) = if c.is_none() && self.fusable() {
            (self.fused_d_step(&real, &z, &mut t)?, 0.0)
        } else {
            self.disc.power_iterate()?;
            let fake = self.generate_train(&z, c.as_ref())?.detach();
            self.guard_output(&fake)?;
            self.note_fakes(&fake)?;
            let (loss, d_loss, penalty) = self.d_objective(&real, &fake, c.as_ref())?;
            self.guard("discriminator loss", d_loss + penalty)?;
            self.time(&mut t, |p| &mut p.d_forward);
            let grads = loss.backward()?;
            self.time(&mut t, |p| &mut p.d_backward);
            self.update(Player::Critic, Gradients::Graph(&grads))?;
            self.time(&mut t, |p| &mut p.d_update);
            (d_loss, penalty)
        };
        self.d_steps += 1;
        self.last.d_loss = d_loss;
        self.last.penalty = penalty;
        Ok(self.last)
    }

    /// One generator step only. With an unrolled critic (`unroll` = K > 0), the critic
    /// first takes K steps on fresh batches, G steps against that critic, and the critic's
    /// weights and optimiser are put back (Metz et al. 2017, "Unrolled Generative
    /// Adversarial Networks", eq. 6–7). G's gradient is the *surrogate* one: it is taken
    /// at the unrolled critic's weights held constant, without the term through the K
    /// updates (`∂θ_D^K/∂θ_G`), which needs second derivatives that Candle's first-order
    /// autograd does not give. Metz et al. report that the surrogate also prevents
    /// collapse on the ring, less strongly than the full gradient.
    pub fn step_g(&mut self) -> Result<StepStats> {
        self.check_alive()?;
        let lookahead = self.unroll_critic()?;
        let stepped = self.step_g_now();
        if let Some(saved) = lookahead {
            self.restore_critic(saved)?;
        }
        stepped
    }

    /// K critic steps whose effect [`Gan::restore_critic`] undoes; `None` without unrolling.
    fn unroll_critic(&mut self) -> Result<Option<Lookahead>> {
        if self.cfg.unroll == 0 {
            return Ok(None);
        }
        let saved = Lookahead {
            weights: self
                .critic_vars()
                .iter()
                .map(|v| v.as_tensor().copy())
                .collect::<candle_core::Result<_>>()?,
            opt: self.opt_d.clone(),
            last: self.last,
            d_steps: self.d_steps,
        };
        for _ in 0..self.cfg.unroll {
            self.step_d()?;
        }
        Ok(Some(saved))
    }

    fn restore_critic(&mut self, saved: Lookahead) -> Result<()> {
        for (v, w) in self.critic_vars().iter().zip(&saved.weights) {
            v.set(w)?;
        }
        self.opt_d = saved.opt;
        self.d_steps = saved.d_steps;
        self.last.d_loss = saved.last.d_loss;
        self.last.penalty = saved.last.penalty;
        Ok(())
    }

    fn step_g_now(&mut self) -> Result<StepStats> {
        let mut t = self.probe.as_ref().map_or(0.0, |p| (p.clock)());
        let z = self
            .source
            .noise(&mut self.rng, self.cfg.batch * self.pack, &self.device)?;
        let c = self
            .source
            .conditions(&mut self.rng, self.cfg.batch, &self.device)?;
        self.time(&mut t, |p| &mut p.data);
        let g_loss = if c.is_none() && self.fusable() {
            self.fused_g_step(&z, &mut t)?
        } else {
            let fake = self.generate_train(&z, c.as_ref())?;
            self.guard_output(&fake)?;
            self.note_fakes(&fake)?;
            let loss = self.g_objective(&fake, c.as_ref())?;
            let g_loss = scalar(&loss)?;
            self.guard("generator loss", g_loss)?;
            self.time(&mut t, |p| &mut p.g_forward);
            let grads = loss.backward()?;
            self.time(&mut t, |p| &mut p.g_backward);
            self.update(Player::Generator, Gradients::Graph(&grads))?;
            self.time(&mut t, |p| &mut p.g_update);
            g_loss
        };
        self.g_steps += 1;
        self.last.g_loss = g_loss;
        Ok(self.last)
    }

    /// Adds the time since `t` to one phase of the probe, if there is one. The device is
    /// synchronised first, so asynchronous (CUDA) work is charged to its own phase.
    fn time(&mut self, t: &mut f64, phase: fn(&mut Phases) -> &mut f64) {
        if let Some(p) = self.probe.as_mut() {
            let _ = self.device.synchronize();
            let dt = p.lap(t);
            *phase(&mut p.phases) += dt;
        }
    }

    /// A discriminator step's inputs: a real batch, its conditions, and the noise for
    /// the fakes (drawn in this order from the training stream).
    fn d_batch(&mut self) -> Result<(Tensor, Option<Tensor>, Tensor)> {
        let n = self.cfg.batch * self.pack;
        let (real, c) = self.source.real(&mut self.rng, n, &self.device)?;
        let z = self.source.noise(&mut self.rng, n, &self.device)?;
        Ok((real, c, z))
    }

    fn step_simultaneous(&mut self) -> Result<()> {
        let (real, c, z) = self.d_batch()?;
        if c.is_none() && self.fusable() {
            let (d_loss, g_loss) = self.fused_simultaneous(&real, &z)?;
            self.d_steps += 1;
            self.g_steps += 1;
            self.last = StepStats {
                d_loss,
                g_loss,
                penalty: 0.0,
            };
            return Ok(());
        }
        self.disc.power_iterate()?;
        let fake = self.generate_train(&z, c.as_ref())?;
        self.guard_output(&fake)?;
        self.note_fakes(&fake)?;
        let (d_total, d_loss, penalty) = self.d_objective(&real, &fake, c.as_ref())?;
        let g_total = self.g_objective(&fake, c.as_ref())?;
        let g_loss = scalar(&g_total)?;
        self.guard("discriminator loss", d_loss + penalty)?;
        self.guard("generator loss", g_loss)?;
        // Both gradients come from the same parameters, before either update.
        let d_grads = d_total.backward()?;
        let g_grads = g_total.backward()?;
        // Each update is refused whole when it would leave a non-finite weight; a refused
        // G update after D's leaves D's new (finite) weights in place.
        self.update(Player::Critic, Gradients::Graph(&d_grads))?;
        self.update(Player::Generator, Gradients::Graph(&g_grads))?;
        self.d_steps += 1;
        self.g_steps += 1;
        self.last = StepStats {
            d_loss,
            g_loss,
            penalty,
        };
        Ok(())
    }

    /// The discriminator's objective: `(total, loss without penalty, weighted penalty)`.
    fn d_objective(
        &mut self,
        real: &Tensor,
        fake: &Tensor,
        c: Option<&Tensor>,
    ) -> Result<(Tensor, f64, f64)> {
        let v_real = self.critic_batch(real, c)?;
        let v_fake = self.critic_batch(fake, c)?;
        let mut loss = self.cfg.loss.d_loss(&v_real, &v_fake)?;
        let d_loss = scalar(&loss)?;
        let mut penalties = 0.0;
        if let Some(one_sided) = self.cfg.loss.gradient_penalty_kind() {
            if self.cfg.gp_lambda > 0.0 {
                let n = real.dims2()?.0;
                let eps: Vec<f32> = (0..n).map(|_| self.rng.uniform(0.0, 1.0)).collect();
                let eps = Tensor::from_vec(eps, (n, 1), &self.device)?;
                let x_hat =
                    (real.broadcast_mul(&eps)? + fake.detach().broadcast_mul(&(1.0 - &eps)?)?)?;
                let grad = self.critic_input_gradient(&x_hat, c)?;
                let penalty = (gradient_penalty(&grad, one_sided)? * self.cfg.gp_lambda)?;
                penalties += scalar(&penalty)?;
                loss = (loss + penalty)?;
            }
        }
        if self.cfg.r1_gamma > 0.0 {
            let grad = self.critic_input_gradient(real, c)?;
            let penalty = r1_penalty(&grad, self.cfg.r1_gamma)?;
            penalties += scalar(&penalty)?;
            loss = (loss + penalty)?;
        }
        Ok((loss, d_loss, penalties))
    }

    /// `∇ₓ V(x)` at each row of `x`, built from forward ops so that a penalty on it has
    /// exact weight gradients (Candle's backward is first order). The condition is
    /// constant: only the gradient in x is taken.
    /// A critic that reads batches takes it at its packed input (per pack), the
    /// standard-deviation feature held constant.
    fn critic_input_gradient(&self, x: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        if self.reads_batches() {
            let width = self.pack * x.dims2()?.1;
            let input = self.batch_input(x)?;
            return Ok(self
                .disc
                .value_and_input_gradient(&input)?
                .1
                .narrow(1, 0, width)?);
        }
        let dim = x.dims2()?.1;
        Ok(match (c, &self.embed) {
            (Some(c), Some(e)) => {
                let p = c.matmul(e.as_tensor())?;
                self.disc.projected_value_and_input_gradient(x, Some(&p))?.1
            }
            _ => self
                .disc
                .value_and_input_gradient(&with_condition(x, c)?)?
                .1
                .narrow(1, 0, dim)?,
        })
    }

    fn after_d_update(&self) -> Result<()> {
        if self.cfg.loss.clips_weights() {
            let c = self.cfg.clip;
            for var in self.critic_vars() {
                var.set(&var.as_detached_tensor().clamp(-c, c)?)?;
            }
        }
        Ok(())
    }

    fn check_alive(&self) -> Result<()> {
        match &self.diverged {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Stop on a non-finite value, before any update is applied.
    fn guard(&mut self, what: &str, value: f64) -> Result<()> {
        if value.is_finite() {
            return Ok(());
        }
        self.stop(what.to_string())
    }

    /// Stop when a generated sample is not finite: the critic's losses can stay finite
    /// while every fake is NaN ([`crate::core::health`]).
    fn guard_output(&mut self, fake: &Tensor) -> Result<()> {
        if all_finite(fake)? {
            return Ok(());
        }
        self.stop(GENERATOR_OUTPUT.into())
    }

    /// One player's optimiser step (and, for the critic, the WGAN weight clipping). An
    /// update the optimiser refused, because it would have left a weight non-finite,
    /// stops the game; the weights stay those of the last healthy step.
    pub(crate) fn update(&mut self, player: Player, grads: Gradients) -> Result<()> {
        let (opt, cfg) = match player {
            Player::Critic => (&mut self.opt_d, &self.cfg.d_opt),
            Player::Generator => (&mut self.opt_g, &self.cfg.g_opt),
        };
        let update = match grads {
            Gradients::Graph(g) => opt.step(g, cfg)?,
            Gradients::Host(g) => opt.step_host(&g, cfg)?,
        };
        if let Update::Refused(i) = update {
            let net = match player {
                Player::Generator => &self.gen,
                Player::Critic => &self.disc,
            };
            let name = net
                .named_vars()
                .get(i)
                .map_or("embedding".into(), |(n, _)| n.clone());
            return self.stop(format!("the update of '{name}'"));
        }
        if player == Player::Critic {
            self.after_d_update()?;
        }
        Ok(())
    }

    /// Marks the game diverged at this step because `what` is not finite.
    fn stop(&mut self, what: String) -> Result<()> {
        let err = GanError::Diverged {
            step: self.iteration,
            what,
        };
        self.diverged = Some(err.clone());
        Err(err)
    }
}

impl Game for Gan {
    fn step(&mut self) -> Result<StepStats> {
        Gan::step(self)
    }
    fn step_phase(&mut self) -> Result<bool> {
        Gan::step_phase(self)
    }
    fn step_player(&mut self, player: Player) -> Result<StepStats> {
        match player {
            Player::Critic => self.step_d(),
            Player::Generator => self.step_g(),
        }
    }
    fn next_player(&self) -> Player {
        match self.cfg.update {
            UpdateMode::Alternating if self.phase_critic_steps >= self.cfg.k && self.cfg.kg > 0 => {
                Player::Generator
            }
            _ => Player::Critic,
        }
    }
    fn config(&self) -> &TrainConfig {
        &self.cfg
    }
    fn set_config(&mut self, cfg: TrainConfig) -> Result<()> {
        cfg.validate()?;
        self.fit_critic(&cfg)?;
        self.disc.set_spectral_norm(cfg.spectral_norm)?;
        self.cfg = cfg;
        Ok(())
    }
    fn counters(&self) -> Counters {
        Counters {
            iteration: self.iteration,
            d_steps: self.d_steps,
            g_steps: self.g_steps,
        }
    }
    fn last(&self) -> StepStats {
        self.last
    }
    fn diverged(&self) -> Option<&GanError> {
        self.diverged.as_ref()
    }
    fn halt(&mut self, err: GanError) {
        self.diverged = Some(err);
    }
    fn flops_per_iteration(&self) -> f64 {
        Gan::flops_per_iteration(self)
    }
    fn step_bytes(&self, cfg: &TrainConfig) -> u64 {
        Gan::step_bytes(self, cfg)
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn prefers_one_thread(&self) -> bool {
        // Measured: the 2D default (32 × 256) and every MNIST MLP preset at batch 64 are
        // faster on one thread. The convolutional pass splits its work in two itself
        // (`conv_pass.rs`), and gains from a second thread.
        let conv = matches!(self.gen, Net::ConvGenerator(_));
        !conv && self.gen.width().max(self.disc.width()) * self.cfg.batch <= 128 * 1024
    }
    fn path(&self) -> &'static str {
        if self.fusable() {
            "fused"
        } else {
            "autograd"
        }
    }
    fn set_fused(&mut self, on: bool) {
        self.fused_enabled = on;
    }
    fn probe_mut(&mut self) -> Option<&mut Option<Probe>> {
        Some(&mut self.probe)
    }
}
