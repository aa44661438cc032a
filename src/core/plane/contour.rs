//! Level sets of a field on the plane's grid, as line segments: the optimal
//! discriminator's `D* = ½` contour (where `p_data = p_g`) is drawn as a line.

use super::density::GridSpec;

/// A segment of a level set, between two points of the plane.
pub type Segment = [[f64; 2]; 2];

/// The segments where `field` crosses `level`, by marching squares (Lorensen & Cline
/// 1987) over the cells between four neighbouring grid centres, each crossing placed by
/// linear interpolation along its edge: on an edge from value `a` to `b` the crossing
/// lies at `t = (level − a)/(b − a)`. A square whose four corners are not all finite is
/// skipped. The saddle cases (diagonal corners on the same side) are split by the
/// centre's mean value.
pub fn level_segments(field: &[f32], grid: &GridSpec, level: f32) -> Vec<Segment> {
    let n = grid.n;
    let mut out = Vec::new();
    if n < 2 || field.len() != n * n {
        return out;
    }
    let at = |ix: usize, iy: usize| field[iy * n + ix];
    for iy in 0..n - 1 {
        for ix in 0..n - 1 {
            // Corners counter-clockwise from the bottom left.
            let corner = [(ix, iy), (ix + 1, iy), (ix + 1, iy + 1), (ix, iy + 1)];
            let v = corner.map(|(x, y)| at(x, y));
            if v.iter().any(|x| !x.is_finite()) {
                continue;
            }
            let p = corner.map(|(x, y)| grid.centre(x, y));
            // The crossing on edge i (from corner i to corner i + 1), if any.
            let cross = |i: usize| -> Option<[f64; 2]> {
                let (a, b) = (v[i] - level, v[(i + 1) % 4] - level);
                if (a < 0.0) == (b < 0.0) {
                    return None;
                }
                let t = (a / (a - b)) as f64;
                let (p0, p1) = (p[i], p[(i + 1) % 4]);
                Some([p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1])])
            };
            let hits: Vec<(usize, [f64; 2])> =
                (0..4).filter_map(|i| cross(i).map(|q| (i, q))).collect();
            match hits.len() {
                2 => out.push([hits[0].1, hits[1].1]),
                4 => {
                    // A saddle: join the edges around the corners on the centre's side.
                    let centre_above = v.iter().sum::<f32>() / 4.0 >= level;
                    let corner0_above = v[0] >= level;
                    let q = |i: usize| hits[i].1;
                    if centre_above == corner0_above {
                        out.push([q(0), q(1)]);
                        out.push([q(2), q(3)]);
                    } else {
                        out.push([q(3), q(0)]);
                        out.push([q(1), q(2)]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}
