//! Fields of the plain objects that cross between the worker, the page and the engine: a
//! frame (`{floats: {view, heatmap, …}, images, charts}`) and what the worker asks of a
//! frame (`{real: true, …, fresh}`).
//!
//! Read by name with `Reflect` rather than taken as a `#[wasm_bindgen]` struct: these
//! objects arrive through `postMessage`, whose structured clone keeps plain objects and
//! typed arrays but no class, so a struct would have to be rebuilt on the page field by
//! field; read by name, the painter takes the frame as the worker posted it, and a new
//! field is one more name read here and nowhere in JS.

use super::js_err;
use js_sys::{Float32Array, Float64Array, Object, Reflect, Uint8ClampedArray};
use wasm_bindgen::{JsCast, JsValue};

/// The field `name` of `obj`; `None` when it is absent (undefined or null).
fn field(obj: &Object, name: &str) -> Result<Option<JsValue>, JsValue> {
    let v = Reflect::get(obj, &JsValue::from_str(name))?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

/// A typed array field, copied out of the JS heap; refused when it is another kind.
fn typed<A: JsCast, T>(
    obj: &Object,
    name: &str,
    kind: &str,
    copy: impl Fn(&A) -> Vec<T>,
) -> Result<Option<Vec<T>>, JsValue> {
    field(obj, name)?
        .map(|v| {
            v.dyn_ref::<A>()
                .map(&copy)
                .ok_or_else(|| js_err(format!("{name}: expected a {kind}")))
        })
        .transpose()
}

pub(crate) fn f32s(obj: &Object, name: &str) -> Result<Option<Vec<f32>>, JsValue> {
    typed(obj, name, "Float32Array", Float32Array::to_vec)
}

pub(crate) fn f64s(obj: &Object, name: &str) -> Result<Option<Vec<f64>>, JsValue> {
    typed(obj, name, "Float64Array", Float64Array::to_vec)
}

pub(crate) fn grey(obj: &Object, name: &str) -> Result<Option<Vec<u8>>, JsValue> {
    typed(obj, name, "Uint8ClampedArray", Uint8ClampedArray::to_vec)
}

/// A field that must be there.
pub(crate) fn required<T>(v: Option<T>, name: &str) -> Result<T, JsValue> {
    v.ok_or_else(|| js_err(format!("{name} is missing")))
}

pub(crate) fn text(obj: &Object, name: &str) -> Result<String, JsValue> {
    field(obj, name)?
        .and_then(|v| v.as_string())
        .ok_or_else(|| js_err(format!("{name}: expected a string")))
}

pub(crate) fn number(obj: &Object, name: &str) -> Result<f64, JsValue> {
    field(obj, name)?
        .and_then(|v| v.as_f64())
        .ok_or_else(|| js_err(format!("{name}: expected a number")))
}

/// A flag: `true` only when the field is `true` (absent is off).
pub(crate) fn flag(obj: &Object, name: &str) -> bool {
    field(obj, name)
        .ok()
        .flatten()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
