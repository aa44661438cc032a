//! Canvas drawing. The heatmap is an RGBA buffer filled in Rust and put once, scaled by
//! an offscreen canvas: plotters-canvas would fill it cell by cell (DESIGN.md).

use crate::core::density::GridSpec;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub const HEATMAP_CELLS: usize = 60;

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| JsValue::from_str("not a 2D context"))
}

/// RGBA pixels for a field of values in [0, 1], rows flipped so that `y` points up.
pub fn heatmap_rgba(field: &[f32], n: usize) -> Vec<u8> {
    let mut px = vec![0u8; n * n * 4];
    for iy in 0..n {
        for ix in 0..n {
            let d = field[iy * n + ix].clamp(0.0, 1.0);
            let o = ((n - 1 - iy) * n + ix) * 4;
            px[o] = (255.0 - 135.0 * d) as u8;
            px[o + 1] = (255.0 - 55.0 * d) as u8;
            px[o + 2] = (255.0 - 135.0 * d) as u8;
            px[o + 3] = 255;
        }
    }
    px
}

pub fn plane(
    canvas: &HtmlCanvasElement,
    grid: &GridSpec,
    field: &[f32],
    real: &[[f32; 2]],
    fake: &[[f32; 2]],
) -> Result<(), JsValue> {
    let ctx = context(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let n = grid.n;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let off: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    off.set_width(n as u32);
    off.set_height(n as u32);
    let px = heatmap_rgba(field, n);
    let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(&px),
        n as u32,
        n as u32,
    )?;
    context(&off)?.put_image_data(&img, 0.0, 0.0)?;
    ctx.set_image_smoothing_enabled(true);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&off, 0.0, 0.0, w, h)?;

    let to_px = |p: &[f32; 2]| {
        let x = (p[0] as f64 - grid.lo[0]) / (grid.hi[0] - grid.lo[0]) * w;
        let y = (1.0 - (p[1] as f64 - grid.lo[1]) / (grid.hi[1] - grid.lo[1])) * h;
        (x, y)
    };
    for (points, color) in [(real, "#1e5ac8"), (fake, "#e67814")] {
        ctx.set_fill_style_str(color);
        for p in points
            .iter()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
        {
            let (x, y) = to_px(p);
            ctx.fill_rect(x - 1.5, y - 1.5, 3.0, 3.0);
        }
    }
    Ok(())
}
