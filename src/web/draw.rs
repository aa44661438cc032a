//! Canvas drawing of the plane, on the page's thread. The heatmap is an RGBA buffer
//! filled in Rust and put once, scaled by an offscreen canvas: plotters-canvas would fill
//! it cell by cell, one `fill_rect` per cell, far too slow for every frame.

use crate::core::palette::{self, css};
use crate::core::plane::contour::level_segments;
use crate::core::plane::density::GridSpec;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

pub const HEATMAP_CELLS: usize = 60;

thread_local! {
    /// The n×n canvas the heatmap is put into before scaling: made once, not per frame.
    static OFFSCREEN: std::cell::RefCell<Option<HtmlCanvasElement>> = const { std::cell::RefCell::new(None) };
}

fn offscreen(n: u32) -> Result<HtmlCanvasElement, JsValue> {
    OFFSCREEN.with(|cell| {
        if let Some(c) = cell.borrow().as_ref() {
            if c.width() == n && c.height() == n {
                return Ok(c.clone());
            }
        }
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let c: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
        c.set_width(n);
        c.set_height(n);
        *cell.borrow_mut() = Some(c.clone());
        Ok(c)
    })
}

pub(crate) fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
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
            let (r, g, b) = palette::heat(field[iy * n + ix]);
            let o = ((n - 1 - iy) * n + ix) * 4;
            px[o..o + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
    px
}

type Points<'a> = &'a [[f32; 2]];

/// What to draw over the plane; each layer is toggled by the page.
pub struct Scene<'a> {
    pub grid: &'a GridSpec,
    /// D's heatmap, σ(V(x)), when that layer is on.
    pub heatmap: Option<&'a [f32]>,
    /// D* = p/(p+q) on the same grid, drawn as its ½ contour line, when on.
    pub optimal: Option<&'a [f32]>,
    pub real: Option<&'a [[f32; 2]]>,
    pub fake: Option<&'a [[f32; 2]]>,
    /// A conditional model's labels of the real and of the fake points (each as long as
    /// its points), and how many labels there are: each label its own colour
    /// ([`palette::label`]), the real ones paler.
    pub labels: [Option<&'a [f32]>; 2],
    pub classes: usize,
    /// The generator's manifold: an `m × m` mesh, row-major.
    pub manifold: Option<(&'a [[f32; 2]], usize)>,
    /// `(sample, push)` arrows.
    pub arrows: Option<(Points<'a>, Points<'a>)>,
    /// The points a map starts from (a CycleGAN's X), in green.
    pub source: Option<Points<'a>>,
    /// Thin segments `[from, to]`: where a map sends each point (x → G(x), x → G(E(x))).
    pub links: Option<&'a [[[f32; 2]; 2]]>,
    /// Two trajectories, as polylines in the fake and the real colour (the xy game's
    /// simultaneous and alternating players), each ending in a dot.
    pub trails: [Option<Points<'a>>; 2],
    /// Tick values for both axes (a view square about 0, the xy game's): the axes are
    /// drawn through 0, with the values along the bottom and left edges.
    pub ticks: Option<&'a [f32]>,
}

/// An `ImageData` of `rgba`, copied into JavaScript's memory first: in the threaded build
/// the module's memory is shared, and browsers refuse an image over shared memory (the
/// page's thread runs the same module as the worker, downloaded once).
pub fn image_data(rgba: &[u8], w: u32, h: u32) -> Result<web_sys::ImageData, JsValue> {
    let copy = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
    copy.copy_from(rgba);
    web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&copy, w, h)
}

/// The axes through 0 in grey, a mark at each tick, and the tick values along the bottom
/// (x) and the left (y) edges.
fn axes(
    ctx: &CanvasRenderingContext2d,
    ticks: &[f32],
    to_px: &dyn Fn(&[f32; 2]) -> (f64, f64),
    (w, h): (f64, f64),
) -> Result<(), JsValue> {
    let (ox, oy) = to_px(&[0.0, 0.0]);
    ctx.set_stroke_style_str(AXIS_GREY);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(0.0, oy);
    ctx.line_to(w, oy);
    ctx.move_to(ox, 0.0);
    ctx.line_to(ox, h);
    for &t in ticks {
        let (x, y) = (to_px(&[t, 0.0]).0, to_px(&[0.0, t]).1);
        ctx.move_to(x, oy - 4.0);
        ctx.line_to(x, oy + 4.0);
        ctx.move_to(ox - 4.0, y);
        ctx.line_to(ox + 4.0, y);
    }
    ctx.stroke();
    ctx.set_fill_style_str(AXIS_GREY);
    ctx.set_font("12px sans-serif");
    for &t in ticks {
        let label = format!("{t}");
        let (x, y) = (to_px(&[t, 0.0]).0, to_px(&[0.0, t]).1);
        ctx.set_text_align("center");
        ctx.fill_text(&label, x, h - 4.0)?;
        if t != 0.0 {
            ctx.set_text_align("left");
            ctx.fill_text(&label, 4.0, y + 4.0)?;
        }
    }
    Ok(())
}

/// The axes' grey: the page's secondary text colour, 7:1 on white.
const AXIS_GREY: &str = "#595959";

pub fn plane(canvas: &HtmlCanvasElement, scene: &Scene) -> Result<(), JsValue> {
    let ctx = context(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let grid = scene.grid;
    let n = grid.n;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    if let Some(field) = scene.heatmap {
        let off = offscreen(n as u32)?;
        let px = heatmap_rgba(field, n);
        let img = image_data(&px, n as u32, n as u32)?;
        context(&off)?.put_image_data(&img, 0.0, 0.0)?;
        ctx.set_image_smoothing_enabled(true);
        ctx.draw_image_with_html_canvas_element_and_dw_and_dh(&off, 0.0, 0.0, w, h)?;
    }
    let to_px = |p: &[f32; 2]| {
        let x = (p[0] as f64 - grid.lo[0]) / (grid.hi[0] - grid.lo[0]) * w;
        let y = (1.0 - (p[1] as f64 - grid.lo[1]) / (grid.hi[1] - grid.lo[1])) * h;
        (x, y)
    };
    let finite = |p: &[f32; 2]| p[0].is_finite() && p[1].is_finite();
    if let Some(ticks) = scene.ticks {
        axes(&ctx, ticks, &to_px, (w, h))?;
    }
    if let Some(dstar) = scene.optimal {
        // The ½ level set of D*, where p_data = p_g, as a line (core::plane::contour).
        ctx.set_stroke_style_str(&css(palette::OPTIMAL));
        ctx.set_line_width(2.0);
        ctx.begin_path();
        for [a, b] in level_segments(dstar, grid, 0.5) {
            let (x0, y0) = to_px(&[a[0] as f32, a[1] as f32]);
            let (x1, y1) = to_px(&[b[0] as f32, b[1] as f32]);
            ctx.move_to(x0, y0);
            ctx.line_to(x1, y1);
        }
        ctx.stroke();
        ctx.set_line_width(1.0);
    }
    if let Some((mesh, m)) = scene.manifold {
        ctx.set_stroke_style_str("rgba(120, 120, 120, 0.6)");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        for line in 0..m {
            for (along_rows, i0) in [(true, line * m), (false, line)] {
                let step = if along_rows { 1 } else { m };
                for j in 0..m {
                    let p = &mesh[i0 + j * step];
                    if !finite(p) {
                        continue;
                    }
                    let (x, y) = to_px(p);
                    if j == 0 {
                        ctx.move_to(x, y);
                    } else {
                        ctx.line_to(x, y);
                    }
                }
            }
        }
        ctx.stroke();
    }
    if let Some(links) = scene.links {
        ctx.set_stroke_style_str("rgba(90, 90, 90, 0.45)");
        ctx.set_line_width(1.0);
        ctx.begin_path();
        for [a, b] in links.iter().filter(|[a, b]| finite(a) && finite(b)) {
            let ((x0, y0), (x1, y1)) = (to_px(a), to_px(b));
            ctx.move_to(x0, y0);
            ctx.line_to(x1, y1);
        }
        ctx.stroke();
    }
    for (trail, color) in scene.trails.iter().zip([palette::FAKE, palette::REAL]) {
        let Some(trail) = trail else { continue };
        ctx.set_stroke_style_str(&css(color));
        ctx.set_line_width(1.5);
        ctx.begin_path();
        for (i, p) in trail.iter().filter(|p| finite(p)).enumerate() {
            let (x, y) = to_px(p);
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        ctx.set_line_width(1.0);
    }
    let label = |l: &f32| palette::label(*l as usize, scene.classes);
    for (points, labels, size, pale) in [
        (scene.real, scene.labels[0], 3.0, true),
        (scene.fake, scene.labels[1], 4.0, false),
    ] {
        let (Some(points), Some(labels)) = (points, labels) else {
            continue;
        };
        for (p, l) in points.iter().zip(labels).filter(|(p, _)| finite(p)) {
            let c = if pale {
                palette::pale(label(l))
            } else {
                label(l)
            };
            ctx.set_fill_style_str(&css(c));
            let (x, y) = to_px(p);
            ctx.fill_rect(x - size / 2.0, y - size / 2.0, size, size);
        }
    }
    for (points, color) in [
        (scene.source, palette::GREEN),
        (
            scene.real.filter(|_| scene.labels[0].is_none()),
            palette::REAL,
        ),
        (
            scene.fake.filter(|_| scene.labels[1].is_none()),
            palette::FAKE,
        ),
    ] {
        let Some(points) = points else { continue };
        ctx.set_fill_style_str(&css(color));
        for p in points.iter().filter(|p| finite(p)) {
            let (x, y) = to_px(p);
            ctx.fill_rect(x - 1.5, y - 1.5, 3.0, 3.0);
        }
    }
    if let Some((from, push)) = scene.arrows {
        // Longest arrow 30 px; the others in proportion.
        let longest = push
            .iter()
            .map(|g| g[0].hypot(g[1]))
            .filter(|l| l.is_finite())
            .fold(0.0f32, f32::max);
        if longest > 0.0 {
            let scale = 30.0 / longest as f64;
            ctx.set_stroke_style_str("rgba(60, 60, 60, 0.8)");
            ctx.begin_path();
            for (p, g) in from
                .iter()
                .zip(push)
                .filter(|(p, g)| finite(p) && finite(g))
            {
                let (x, y) = to_px(p);
                let (dx, dy) = (g[0] as f64 * scale, -(g[1] as f64) * scale);
                ctx.move_to(x, y);
                ctx.line_to(x + dx, y + dy);
                // An arrowhead: two 5 px strokes back from the tip at ±25°.
                let len = dx.hypot(dy);
                if len >= 3.0 {
                    let (ux, uy) = (dx / len, dy / len);
                    let (c, s) = (25f64.to_radians().cos(), 25f64.to_radians().sin());
                    for side in [1.0, -1.0] {
                        let (bx, by) = (-(ux * c - side * uy * s), -(uy * c + side * ux * s));
                        ctx.move_to(x + dx, y + dy);
                        ctx.line_to(x + dx + 5.0 * bx, y + dy + 5.0 * by);
                    }
                }
            }
            ctx.stroke();
        }
    }
    Ok(())
}
