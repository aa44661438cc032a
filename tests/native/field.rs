//! The fields drawn over the plane.

use candle_core::Device;
use gan_playground::core::game::TrainConfig;
use gan_playground::core::plane::data::Dataset;
use gan_playground::core::plane::density::GridSpec;
use gan_playground::core::plane::field::{
    discriminator_field, manifold, optimal_discriminator_field,
};
use gan_playground::core::plane::{PlaneModel, PlaneTrainer};

fn trainer() -> PlaneTrainer {
    let model = PlaneModel {
        dataset: Dataset::Ring8,
        ..PlaneModel::default()
    };
    PlaneTrainer::new(model, TrainConfig::default(), &Device::Cpu).unwrap()
}

#[test]
fn discriminator_field_is_sigma_of_the_critic() {
    let t = trainer();
    let grid = GridSpec::square([0.0, 0.0], 1.5, 10);
    let field = discriminator_field(&t, &grid).unwrap();
    let raw = t.discriminate(&grid.centres()).unwrap();
    assert_eq!(field.len(), 100);
    for (f, v) in field.iter().zip(raw) {
        assert!((f - 1.0 / (1.0 + (-v).exp())).abs() < 1e-6);
    }
}

#[test]
fn optimal_discriminator_is_near_one_on_data_and_near_zero_on_generator_only_regions() {
    let t = trainer();
    let grid = GridSpec::square([0.0, 0.0], 1.5, 60);
    let (real, _) = t.eval_samples(2000).unwrap();
    // A generator that puts everything near the origin, far from the ring.
    let fake: Vec<[f32; 2]> = real.iter().map(|p| [p[0] * 0.05, p[1] * 0.05]).collect();
    let d = optimal_discriminator_field(&t, &grid, &real, &fake);
    let at = |x: f32, y: f32| {
        let i = grid
            .centres()
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let da = (a.1[0] - x).hypot(a.1[1] - y);
                let db = (b.1[0] - x).hypot(b.1[1] - y);
                da.total_cmp(&db)
            })
            .unwrap()
            .0;
        d[i]
    };
    // Defined in [0, 1] where either distribution has mass; NaN (undetermined) only far
    // from both, as in the plane's corners.
    assert!(d.iter().all(|v| v.is_nan() || (0.0..=1.0).contains(v)));
    assert!(
        at(1.4, 1.4).is_nan(),
        "a corner, far from both: {}",
        at(1.4, 1.4)
    );
    assert!(at(1.0, 0.0) > 0.99, "on a mode: {}", at(1.0, 0.0));
    assert!(at(0.0, 0.0) < 0.01, "on the generator: {}", at(0.0, 0.0));
}

#[test]
fn manifold_is_the_generator_on_a_noise_grid() {
    let t = trainer();
    let m = manifold(&t, 5).unwrap();
    assert_eq!(m.len(), 25);
    // Its corner is G at noise (−2, −2) (Gaussian noise spans ±2).
    // (Up to rounding: a batch of 25 and a batch of 1 sum in different orders.)
    let close = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5;
    assert!(close(m[0], t.generate(&[-2.0, -2.0]).unwrap()[0]));
    assert!(close(m[24], t.generate(&[2.0, 2.0]).unwrap()[0]));
    assert!(!close(m[0], m[24]));
}

#[test]
fn generator_push_is_minus_the_loss_gradient() {
    // Non-saturating: L = softplus(−V(x)) per sample, so −∂L/∂x = σ(−V)·∇V.
    let t = trainer();
    let pts = [[0.3f32, -0.4], [1.0, 0.2], [-0.7, 0.9]];
    let push = t.generator_push(&pts).unwrap();
    let v = t.discriminate(&pts).unwrap();
    let grad = t.critic_gradients(&pts).unwrap();
    for i in 0..3 {
        let s = 1.0 / (1.0 + v[i].exp());
        for d in 0..2 {
            assert!(
                (push[i][d] - s * grad[i][d]).abs() < 1e-5,
                "{i},{d}: {} vs {}",
                push[i][d],
                s * grad[i][d]
            );
        }
    }
}

/// Marching squares against fields whose level sets are known: a straight line, a
/// circle (its length 2πr within 1%), a saddle, and cells with a non-finite corner.
#[test]
fn level_segments_trace_known_contours() {
    use gan_playground::core::plane::contour::level_segments;
    let grid = GridSpec::square([0.0, 0.0], 1.0, 41);
    let centres = grid.centres();
    let field =
        |f: &dyn Fn(f32, f32) -> f32| centres.iter().map(|c| f(c[0], c[1])).collect::<Vec<f32>>();
    let length = |segs: &[[[f64; 2]; 2]]| {
        segs.iter()
            .map(|[a, b]| (a[0] - b[0]).hypot(a[1] - b[1]))
            .sum::<f64>()
    };
    // x = 0.1: a vertical line from the lowest row of centres to the highest.
    let line = level_segments(&field(&|x, _| x), &grid, 0.1);
    assert_eq!(line.len(), 40, "one segment per row of cells");
    assert!(
        line.iter().flatten().all(|p| (p[0] - 0.1).abs() < 1e-6),
        "{line:?}"
    );
    let span = 40.0 * grid.cell()[1];
    assert!((length(&line) - span).abs() < 1e-6);
    // x² + y² = 0.25: a circle of radius ½.
    let circle = level_segments(&field(&|x, y| x * x + y * y), &grid, 0.25);
    assert!(circle
        .iter()
        .flatten()
        .all(|p| (p[0].hypot(p[1]) - 0.5).abs() < 0.01));
    let want = std::f64::consts::PI;
    assert!(
        (length(&circle) / want - 1.0).abs() < 0.01,
        "{}",
        length(&circle)
    );
    // A saddle: the two corners above ½ are joined through the centre (mean ½).
    let two = GridSpec::square([0.0, 0.0], 1.0, 2);
    assert_eq!(level_segments(&[1.0, 0.0, 0.0, 1.0], &two, 0.5).len(), 2);
    // A non-finite corner skips its cells; a field of the wrong size gives nothing.
    let mut holed = field(&|x, _| x);
    holed[20 * 41 + 22] = f32::NAN;
    assert_eq!(level_segments(&holed, &grid, 0.1).len(), 40 - 2);
    assert!(level_segments(&[0.0; 5], &grid, 0.5).is_empty());
}
