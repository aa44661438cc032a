//! Compare mode: a second run, "B", trained in lockstep beside the session's own, "A", on
//! the same data, seed and initial weights, with live settings of its own (its loss, k,
//! learning rates…). It is what a lecturer needs to show "minimax versus non-saturating"
//! or "k = 1 versus k = 5" on one screen; no other GAN playground has it.
//!
//! B is a [`Session`] of its own (its lab, history, loss means and markers), held by A's
//! session: A's play, pause, steps, slow motion, reset, data and architecture drive both,
//! and every restart of A builds B again from A's networks ([`Lab::twin`]), so the two
//! always start from the same weights. Lockstep is kept by whole iterations: B completes
//! one, then A (`Session::train_for`), so both are at the same step whenever the page
//! looks. A run that diverges stops alone, with its own banner; the other trains on.
//!
//! In the link: `cmp=1`, then B's live settings that differ from A's as `b.<key>=value`
//! (`b.loss=minimax&b.k=5`); a B setting missing from the link is A's.

use super::{Lab, Session};
use crate::core::error::{GanError, Result};
use crate::core::game::{TrainConfig, TRAIN_SETTINGS};
use crate::core::history::Marker;
use crate::core::settings::{self, hash};

/// The link's key that turns compare mode on (`cmp=1`).
pub const COMPARE_KEY: &str = "cmp";
/// The prefix of run B's settings, in the link and in the page's controls (`b.loss`).
pub const TWIN_PREFIX: &str = "b.";

/// The keys compare mode adds to a link: [`COMPARE_KEY`] and B's live settings (the labs'
/// link readers accept them as known).
pub fn compare_keys() -> Vec<String> {
    std::iter::once(COMPARE_KEY.to_string())
        .chain(
            TRAIN_SETTINGS
                .iter()
                .map(|s| format!("{TWIN_PREFIX}{}", s.key)),
        )
        .collect()
}

/// What run B is: a GAN with its own live settings (`cmp=1`), or a VAE of the GAN's sizes
/// on the same data and seed (`cmp=vae`, built by [`Lab::vae_twin`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Twin {
    Gan,
    Vae,
}

impl Twin {
    /// `cmp`'s values: `0` (off), `1` (a GAN) or `vae`.
    pub const VALUES: [&'static str; 3] = ["0", "1", "vae"];

    /// Reads `cmp`'s value: `None` for off.
    pub fn parse(value: &str) -> Result<Option<Twin>> {
        match value {
            "0" => Ok(None),
            "1" => Ok(Some(Twin::Gan)),
            "vae" => Ok(Some(Twin::Vae)),
            o => Err(GanError::InvalidConfig(format!(
                "{COMPARE_KEY}: '{}' is not 0, 1 or vae",
                settings::clip_text(o)
            ))),
        }
    }

    /// `cmp`'s value for this run B.
    pub fn value(self) -> &'static str {
        match self {
            Twin::Gan => "1",
            Twin::Vae => "vae",
        }
    }

    /// The kind of run B a lab is: a VAE is the run B without a critic.
    fn of(lab: &dyn Lab) -> Twin {
        if !lab.game().has_critic() {
            Twin::Vae
        } else {
            Twin::Gan
        }
    }
}

impl Session {
    /// Run B, when compare mode is on.
    pub fn twin(&self) -> Option<&Session> {
        self.twin.as_deref()
    }

    /// B from A's lab as it is now (its data and its current weights) with `cfg`.
    fn start_twin(&mut self, cfg: TrainConfig, kind: Twin) -> Result<()> {
        let mut twin = Session::new(self.make_twin(cfg, kind)?, Vec::new());
        twin.memory_limit = self.memory_limit;
        self.twin = Some(Box::new(twin));
        Ok(())
    }

    /// Run B's lab of this kind, from A's.
    fn make_twin(&self, cfg: TrainConfig, kind: Twin) -> Result<Box<dyn Lab>> {
        match kind {
            Twin::Gan => self.lab.twin(cfg),
            Twin::Vae => self.lab.vae_twin(cfg),
        }
    }

    /// After A restarted (new data, networks or weights): B again from A's networks, with
    /// B's own live settings.
    pub(super) fn restart_twin(&mut self) -> Result<()> {
        if let Some((cfg, kind)) = self
            .twin
            .as_ref()
            .map(|t| (*t.lab.game().config(), Twin::of(t.lab.as_ref())))
        {
            self.start_twin(cfg, kind)?;
        }
        Ok(())
    }

    /// After a live change of A's data (a point placed): B takes the same data.
    pub(super) fn twin_follows(&mut self) -> Result<()> {
        match self.twin.as_mut() {
            Some(t) => t.lab.follow(self.lab.as_ref()),
            None => Ok(()),
        }
    }

    /// Turns compare mode on (B as a copy of A's settings, or a VAE; both start again at
    /// step 0 from the same weights and seed), changes what B is, or turns it off (B is
    /// dropped, A trains on). Returns the page's message.
    pub(super) fn set_compare(&mut self, value: &str) -> Result<String> {
        let wanted = Twin::parse(value)?;
        let now = self.twin.as_ref().map(|t| Twin::of(t.lab.as_ref()));
        match wanted {
            _ if wanted == now => Ok(String::new()),
            Some(kind) => {
                let cfg = *self.lab.game().config();
                // Refused here, before anything changes, where the lab has no such run B.
                self.make_twin(cfg, kind)?;
                self.lab.reset()?;
                self.forget_run();
                self.start_twin(cfg, kind)?;
                Ok(match kind {
                    Twin::Gan => "compare: run B trains in lockstep beside run A, on the same data, seed and \
                        initial weights; both started again at step 0. Set B's loss, k and rates \
                        under “compare”",
                    Twin::Vae => "compare: run B is a VAE with the GAN's data, seed and network sizes \
                        (encoder as D, decoder as G, latent as the noise), trained in lockstep; both \
                        started again at step 0",
                }
                .into())
            }
            None => {
                self.twin = None;
                Ok("compare off: run A trains on alone".into())
            }
        }
    }

    /// One of B's live settings (`key` without the [`TWIN_PREFIX`]).
    pub(super) fn set_twin(&mut self, key: &str, value: &str) -> Result<String> {
        let full = format!("{TWIN_PREFIX}{key}");
        if settings::find(TRAIN_SETTINGS, key).is_none() {
            return Err(GanError::InvalidConfig(format!(
                "{}: run B shares run A's data and networks; only the live training settings \
                 can differ",
                settings::clip_text(&full)
            )));
        }
        let twin = self.twin.as_mut().ok_or_else(|| {
            GanError::InvalidConfig(format!(
                "{full}: compare mode is off (tick “compare two runs” first)"
            ))
        })?;
        if !honours(twin, key) {
            return Err(GanError::InvalidConfig(format!(
                "{}: run B is a {}, which has no such setting",
                settings::clip_text(&full),
                twin.lab.mode()
            )));
        }
        twin.set(key, value)
    }

    /// `&cmp=1&b.loss=…` for B's settings that differ from A's; empty without B.
    pub(super) fn twin_hash(&self) -> String {
        let Some(t) = &self.twin else {
            return String::new();
        };
        let a = hash::write(TRAIN_SETTINGS, self.lab.game().config());
        let b = hash::write(TRAIN_SETTINGS, t.lab.game().config());
        let differ: Vec<(String, String)> = b
            .into_iter()
            .filter(|kv| !a.contains(kv) && honours(t, kv.0))
            .map(|(k, v)| (format!("{TWIN_PREFIX}{k}"), v))
            .collect();
        let mut out = format!("&{COMPARE_KEY}={}", Twin::of(t.lab.as_ref()).value());
        for (k, v) in &differ {
            out.push_str(&format!("&{k}={}", hash::encode(v)));
        }
        out
    }

    /// Reads compare mode from a link's pairs: with `cmp=1`, B starts from A's settings and the
    /// link's `b.` values (clamped with a note, as every link value). Where the lab has no
    /// second run (MNIST), a note says so.
    pub(super) fn read_compare(&mut self, pairs: &[(String, String)]) {
        let Some((_, flag)) = pairs.iter().rev().find(|(k, _)| k == COMPARE_KEY) else {
            return;
        };
        let kind = match Twin::parse(flag) {
            Ok(Some(kind)) => kind,
            Ok(None) => return,
            Err(e) => {
                self.notes.push(format!("{e}; compare mode stays off"));
                return;
            }
        };
        let own: Vec<(String, String)> = pairs
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(TWIN_PREFIX)?.to_string(), v.clone())))
            .collect();
        let mut cfg = *self.lab.game().config();
        let mut notes = Vec::new();
        hash::read(TRAIN_SETTINGS, &mut cfg, &own, &mut notes);
        self.notes
            .extend(notes.into_iter().map(|n| format!("run B: {n}")));
        if let Err(e) = self.start_twin(cfg, kind) {
            self.notes.push(format!("{e}; compare mode stays off"));
        }
    }

    /// What run B is, in compare mode.
    pub fn twin_kind(&self) -> Option<Twin> {
        self.twin.as_ref().map(|t| Twin::of(t.lab.as_ref()))
    }

    /// The charts' markers of both runs, each labelled with its run in compare mode
    /// ("A: k 5", "B: diverged").
    pub fn chart_markers(&self) -> Vec<Marker> {
        let Some(t) = &self.twin else {
            return self.markers.clone();
        };
        let label = |run: &str, m: &Marker| Marker {
            step: m.step,
            label: format!("{run}: {}", m.label),
        };
        let mut all: Vec<Marker> = self.markers.iter().map(|m| label("A", m)).collect();
        all.extend(t.markers.iter().map(|m| label("B", m)));
        all.sort_by_key(|m| m.step);
        all
    }
}

/// Whether run B's game reads the live setting `key` (a VAE reads only its optimiser's).
fn honours(twin: &Session, key: &str) -> bool {
    twin.lab.live_keys().is_none_or(|keys| keys.contains(&key))
}
