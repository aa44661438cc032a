//! The losses of every iteration of a run, kept at bounded size for the loss chart: each
//! bin holds the mean of `stride` consecutive iterations; when there are more bins than
//! the capacity, neighbours merge and the stride doubles. So the chart spans the whole
//! run at every moment, each vertex an exact mean of the steps it stands for (the
//! metrics, sampled once a second, gave a 5,000-step loss curve four vertices).

/// `count` iterations, and the sums of their steps and losses.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Bin {
    count: usize,
    steps: f64,
    d: f64,
    g: f64,
}

impl Bin {
    fn merged(self, o: Bin) -> Bin {
        Bin {
            count: self.count + o.count,
            steps: self.steps + o.steps,
            d: self.d + o.d,
            g: self.g + o.g,
        }
    }
}

/// One vertex of the loss chart: the mean step of a bin and its mean losses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanPoint {
    pub step: f64,
    pub d_loss: f64,
    pub g_loss: f64,
}

#[derive(Clone, Debug)]
pub struct StepMeans {
    bins: Vec<Bin>,
    open: Option<Bin>,
    capacity: usize,
    stride: usize,
}

impl StepMeans {
    /// At most `capacity` (at least 4) closed bins, plus the one filling.
    pub fn new(capacity: usize) -> Self {
        Self {
            bins: Vec::new(),
            open: None,
            capacity: capacity.max(4),
            stride: 1,
        }
    }

    /// Adds iteration `step`'s losses. A non-finite pair (a diverging step) is left out,
    /// so that it cannot make a bin's mean NaN or infinite.
    pub fn push(&mut self, step: usize, d_loss: f64, g_loss: f64) {
        if !(d_loss.is_finite() && g_loss.is_finite()) {
            return;
        }
        let bin = self.open.get_or_insert_with(Bin::default);
        bin.count += 1;
        bin.steps += step as f64;
        bin.d += d_loss;
        bin.g += g_loss;
        if bin.count >= self.stride {
            self.bins.push(*bin);
            self.open = None;
            if self.bins.len() > self.capacity {
                self.bins = self
                    .bins
                    .chunks(2)
                    .map(|p| p.iter().copied().reduce(Bin::merged).unwrap_or_default())
                    .collect();
                self.stride *= 2;
            }
        }
    }

    /// The chart's vertices, oldest first: each bin's mean step and mean losses, the
    /// filling bin included.
    pub fn points(&self) -> Vec<MeanPoint> {
        self.bins
            .iter()
            .chain(self.open.as_ref())
            .filter(|b| b.count > 0)
            .map(|b| {
                let n = b.count as f64;
                MeanPoint {
                    step: b.steps / n,
                    d_loss: b.d / n,
                    g_loss: b.g / n,
                }
            })
            .collect()
    }

    /// Iterations counted (finite ones).
    pub fn count(&self) -> usize {
        self.bins
            .iter()
            .chain(self.open.as_ref())
            .map(|b| b.count)
            .sum()
    }
}
