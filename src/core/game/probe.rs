//! Where an iteration's time goes (BENCHMARKS.md's profiles): a clock and the phases
//! measured with it.

/// Where an iteration's time goes, in milliseconds, summed over the steps timed since the
/// probe was set (BENCHMARKS.md's profile). Phases are separated by reading a scalar
/// (the loss), which waits for the device, so the split is honest on CUDA as well.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Phases {
    /// Real batch, noise and conditions, built on the host and copied to tensors.
    pub data: f64,
    /// G forward for the fakes, D forward on both batches, the loss (and the penalty).
    pub d_forward: f64,
    pub d_backward: f64,
    /// The optimiser update of D (and weight clipping).
    pub d_update: f64,
    /// G forward, D forward, the loss.
    pub g_forward: f64,
    pub g_backward: f64,
    pub g_update: f64,
}

impl Phases {
    /// The phases of one iteration, from their sums over `iterations`.
    pub fn per_iteration(self, iterations: usize) -> Phases {
        let n = iterations.max(1) as f64;
        Phases {
            data: self.data / n,
            d_forward: self.d_forward / n,
            d_backward: self.d_backward / n,
            d_update: self.d_update / n,
            g_forward: self.g_forward / n,
            g_backward: self.g_backward / n,
            g_update: self.g_update / n,
        }
    }
}

/// A clock in milliseconds (`std::time::Instant` natively, `performance.now()` in the
/// page) and the phases measured with it.
pub struct Probe {
    pub clock: fn() -> f64,
    pub phases: Phases,
}

impl Probe {
    pub(super) fn lap(&self, t: &mut f64) -> f64 {
        let now = (self.clock)();
        let dt = now - *t;
        *t = now;
        dt
    }
}
