//! What the tests share: a millisecond clock, a session opened from a link as the
//! page's worker opens it, and the finite-difference check of a penalty's weight
//! gradients.
// Each test crate that includes this module uses part of it.
#![allow(dead_code)]

use candle_core::{DType, Device, Tensor, Var};
use gan_playground::core::session::games::Opening;
use gan_playground::core::session::Session;

/// Milliseconds since the first call (the session's clock is a plain `fn`).
pub fn clock() -> f64 {
    static T0: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    T0.get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// The session `link` names, opened as the page's worker opens it (without a memory
/// limit or lessons): the lab's settings, the view and compare mode.
pub fn session(link: &str) -> Session {
    Session::open(link, &Opening::default()).unwrap()
}

/// Every value of each var, flattened (to compare weights before and after).
pub fn var_values(vars: &[Var]) -> Vec<Vec<f32>> {
    vars.iter()
        .map(|v| {
            v.as_tensor()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
        })
        .collect()
}

/// Asserts that autograd's gradient of `value()` with respect to every `stride`-th weight
/// of `vars` matches central differences (step 1e-3: small enough for the truncation
/// error, large enough for f32 rounding) within `2e-2·|fd| + 2e-3`; returns how many
/// weights it checked. A var without a gradient is one `value` does not depend on (e.g.
/// the output bias of an input-gradient penalty): zeros.
pub fn assert_weight_gradients_match(
    vars: &[Var],
    stride: usize,
    value: impl Fn() -> Tensor,
    what: &str,
) -> usize {
    let scalar = |t: Tensor| t.to_dtype(DType::F64).unwrap().to_scalar::<f64>().unwrap();
    let grads = value().backward().unwrap();
    let mut checked = 0;
    for var in vars {
        let base = var
            .as_tensor()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let analytic = match grads.get(var.as_tensor()) {
            Some(g) => g.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            None => vec![0.0; base.len()],
        };
        let set = |w: Vec<f32>| {
            var.set(&Tensor::from_vec(w, var.shape(), &Device::Cpu).unwrap())
                .unwrap()
        };
        for idx in (0..base.len()).step_by(stride) {
            let eval = |s: f32| {
                let mut w = base.clone();
                w[idx] += s;
                set(w);
                let v = scalar(value());
                set(base.clone());
                v
            };
            let eps = 1e-3f32;
            let fd = (eval(eps) - eval(-eps)) / (2.0 * eps as f64);
            let a = analytic[idx] as f64;
            assert!(
                (a - fd).abs() < 2e-2 * fd.abs() + 2e-3,
                "{what}, weight {idx}: autograd {a}, finite differences {fd}"
            );
            checked += 1;
        }
    }
    checked
}

/// A source no test reads: games that refuse their configuration before any data.
pub struct NoData;
impl gan_playground::core::game::Source for NoData {
    fn real(
        &self,
        _: &mut gan_playground::core::rng::SeededRng,
        _: usize,
        _: &candle_core::Device,
    ) -> gan_playground::core::error::Result<(candle_core::Tensor, Option<candle_core::Tensor>)>
    {
        unreachable!()
    }
    fn noise(
        &self,
        _: &mut gan_playground::core::rng::SeededRng,
        _: usize,
        _: &candle_core::Device,
    ) -> gan_playground::core::error::Result<candle_core::Tensor> {
        unreachable!()
    }
    fn conditions(
        &self,
        _: &mut gan_playground::core::rng::SeededRng,
        _: usize,
        _: &candle_core::Device,
    ) -> gan_playground::core::error::Result<Option<candle_core::Tensor>> {
        unreachable!()
    }
}
