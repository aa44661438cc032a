//! Density estimates on a regular 2D grid, for the divergence metrics and the drawn fields.

/// A regular grid of `n × n` cells over `[lo, hi]`; values are stored row-major, `y`
/// major (`index = iy · n + ix`), cell centres at `lo + (i + ½)·cell`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub lo: [f64; 2],
    pub hi: [f64; 2],
    pub n: usize,
}

impl GridSpec {
    /// The square grid centred on `centre` with half width `half`.
    pub fn square(centre: [f32; 2], half: f32, n: usize) -> Self {
        let (c, h) = ([centre[0] as f64, centre[1] as f64], half as f64);
        Self {
            lo: [c[0] - h, c[1] - h],
            hi: [c[0] + h, c[1] + h],
            n,
        }
    }

    /// The smallest grid holding every point, padded by `pad` on each side.
    pub fn bounding(sets: &[&[[f32; 2]]], pad: f64, n: usize) -> Self {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in sets.iter().flat_map(|s| s.iter()) {
            for d in 0..2 {
                lo[d] = lo[d].min(p[d] as f64);
                hi[d] = hi[d].max(p[d] as f64);
            }
        }
        if lo[0] > hi[0] {
            (lo, hi) = ([0.0; 2], [0.0; 2]);
        }
        Self {
            lo: [lo[0] - pad, lo[1] - pad],
            hi: [hi[0] + pad, hi[1] + pad],
            n,
        }
    }

    pub fn cell(&self) -> [f64; 2] {
        let n = self.n as f64;
        [(self.hi[0] - self.lo[0]) / n, (self.hi[1] - self.lo[1]) / n]
    }

    pub fn centre(&self, ix: usize, iy: usize) -> [f64; 2] {
        let c = self.cell();
        [
            self.lo[0] + (ix as f64 + 0.5) * c[0],
            self.lo[1] + (iy as f64 + 0.5) * c[1],
        ]
    }

    /// Every cell centre, row-major.
    pub fn centres(&self) -> Vec<[f32; 2]> {
        let mut out = Vec::with_capacity(self.n * self.n);
        for iy in 0..self.n {
            for ix in 0..self.n {
                let c = self.centre(ix, iy);
                out.push([c[0] as f32, c[1] as f32]);
            }
        }
        out
    }
}

/// Scott's rule for a 2D Gaussian kernel: `h = σ̄ · n^{−1/6}`, with `σ̄` the root mean of
/// the two coordinate variances (Scott 1992, eq. 6.42 with d = 2).
pub fn scott_bandwidth(points: &[[f32; 2]]) -> f64 {
    let n = points.len().max(2) as f64;
    let mut var = 0.0;
    for d in 0..2 {
        let mean = points.iter().map(|p| p[d] as f64).sum::<f64>() / n;
        var += points
            .iter()
            .map(|p| (p[d] as f64 - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
    }
    (var / 2.0).sqrt().max(1e-6) * n.powf(-1.0 / 6.0)
}

/// Gaussian kernel density estimate `p̂(x) = (1/n) Σᵢ N(x; xᵢ, h²I)` at the cell centres,
/// by linear binning and a separable convolution (Wand 1994, "Fast computation of
/// multivariate kernel estimators"). Binning moves each point by at most half a cell, so
/// the error against the direct sum is `O(cell²/h²)`; the kernel is truncated at 4h
/// (mass lost < 1e-4). Points beyond the grid are dropped.
pub fn kde_on_grid(points: &[[f32; 2]], grid: &GridSpec, h: f64) -> Vec<f64> {
    let n = grid.n;
    let cell = grid.cell();
    let mut mass = vec![0.0f64; n * n];
    let w = 1.0 / points.len().max(1) as f64;
    for p in points {
        // Position in cell-centre coordinates.
        let fx = (p[0] as f64 - grid.lo[0]) / cell[0] - 0.5;
        let fy = (p[1] as f64 - grid.lo[1]) / cell[1] - 0.5;
        if !(fx > -1.0 && fy > -1.0 && fx < n as f64 && fy < n as f64) {
            continue;
        }
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (fx - x0, fy - y0);
        for (dx, wx) in [(0, 1.0 - tx), (1, tx)] {
            for (dy, wy) in [(0, 1.0 - ty), (1, ty)] {
                let (ix, iy) = (x0 as i64 + dx, y0 as i64 + dy);
                if ix >= 0 && iy >= 0 && (ix as usize) < n && (iy as usize) < n {
                    mass[iy as usize * n + ix as usize] += w * wx * wy;
                }
            }
        }
    }
    let kx = gaussian_kernel(h / cell[0]);
    let ky = gaussian_kernel(h / cell[1]);
    let blurred = convolve(&convolve(&mass, n, &ky, false), n, &kx, true);
    let area = cell[0] * cell[1];
    blurred.into_iter().map(|m| m / area).collect()
}

/// Discrete Gaussian weights over `±⌈4σ⌉` cells, normalised to sum 1.
fn gaussian_kernel(sigma_cells: f64) -> Vec<f64> {
    let sigma = sigma_cells.max(1e-3);
    let r = (4.0 * sigma).ceil() as i64;
    let mut k: Vec<f64> = (-r..=r)
        .map(|i| (-(i as f64).powi(2) / (2.0 * sigma * sigma)).exp())
        .collect();
    let s: f64 = k.iter().sum();
    k.iter_mut().for_each(|v| *v /= s);
    k
}

/// Convolves each row (`along_x`) or each column of an `n × n` row-major grid with `k`,
/// zero outside the grid.
fn convolve(a: &[f64], n: usize, k: &[f64], along_x: bool) -> Vec<f64> {
    let r = (k.len() / 2) as i64;
    let mut out = vec![0.0; n * n];
    for y in 0..n {
        for x in 0..n {
            let v = a[y * n + x];
            if v == 0.0 {
                continue;
            }
            for (j, kv) in k.iter().enumerate() {
                let shift = j as i64 - r;
                let (xx, yy) = if along_x {
                    (x as i64 + shift, y as i64)
                } else {
                    (x as i64, y as i64 + shift)
                };
                if xx >= 0 && yy >= 0 && (xx as usize) < n && (yy as usize) < n {
                    out[yy as usize * n + xx as usize] += v * kv;
                }
            }
        }
    }
    out
}
