//! The page's half: paints what the worker posted. No training and no model here; each
//! function takes the arrays of one frame (see `WorkerSession::frame`) and a canvas.

use super::draw::{self, Scene};
use super::js_err;
use crate::charts::{draw_chart, ChartData};
use crate::core::history::{Chart, HistoryPoint, Marker};
use crate::core::plane::density::GridSpec;
use crate::core::step_means::MeanPoint;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData};

/// `[x, y, x, y, …]` as points.
fn points(v: &[f32]) -> Vec<[f32; 2]> {
    v.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
}

/// Paints the plane: `view` is `[x_lo, y_lo, x_hi, y_hi, cells]`; every other array is a
/// layer the worker sent (absent when off). A field whose length does not match the grid
/// is refused rather than drawn wrong.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn paint_plane(
    canvas: &HtmlCanvasElement,
    view: &[f32],
    heatmap: Option<Vec<f32>>,
    optimal: Option<Vec<f32>>,
    manifold: Option<Vec<f32>>,
    arrow_from: Option<Vec<f32>>,
    arrow_push: Option<Vec<f32>>,
    real: Option<Vec<f32>>,
    fake: Option<Vec<f32>>,
    source: Option<Vec<f32>>,
    links: Option<Vec<f32>>,
    trail_a: Option<Vec<f32>>,
    trail_b: Option<Vec<f32>>,
) -> Result<(), JsValue> {
    let [x0, y0, x1, y1, n] = view else {
        return Err(js_err("the plane's view needs 5 numbers"));
    };
    let grid = GridSpec {
        lo: [*x0 as f64, *y0 as f64],
        hi: [*x1 as f64, *y1 as f64],
        n: *n as usize,
    };
    let cells = grid.n * grid.n;
    for (name, field) in [("heatmap", &heatmap), ("optimal", &optimal)] {
        if field.as_ref().is_some_and(|f| f.len() != cells) {
            return Err(js_err(format!("the {name} does not fit the grid")));
        }
    }
    let mesh = manifold.as_deref().map(points);
    let side = mesh
        .as_ref()
        .map_or(0, |m| (m.len() as f64).sqrt().round() as usize);
    let (from, push) = (
        arrow_from.as_deref().map(points),
        arrow_push.as_deref().map(points),
    );
    let (real, fake) = (real.as_deref().map(points), fake.as_deref().map(points));
    let source = source.as_deref().map(points);
    let links: Option<Vec<[[f32; 2]; 2]>> = links.as_deref().map(|v| {
        v.chunks_exact(4)
            .map(|c| [[c[0], c[1]], [c[2], c[3]]])
            .collect()
    });
    let trails = [
        trail_a.as_deref().map(points),
        trail_b.as_deref().map(points),
    ];
    let scene = Scene {
        grid: &grid,
        heatmap: heatmap.as_deref(),
        optimal: optimal.as_deref(),
        real: real.as_deref(),
        fake: fake.as_deref(),
        manifold: mesh
            .as_deref()
            .filter(|m| side * side == m.len())
            .map(|m| (m, side)),
        arrows: from.as_deref().zip(push.as_deref()),
        source: source.as_deref(),
        links: links.as_deref(),
        trails: [trails[0].as_deref(), trails[1].as_deref()],
    };
    draw::plane(canvas, &scene)
}

/// Puts grey bytes on a canvas sized to them (CSS scales it; `image-rendering: pixelated`).
#[wasm_bindgen]
pub fn paint_grey(canvas: &HtmlCanvasElement, grey: &[u8], w: u32, h: u32) -> Result<(), JsValue> {
    if grey.len() != (w * h) as usize {
        return Err(js_err("the image does not fit its size"));
    }
    let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx = draw::context(canvas)?;
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h)?;
    ctx.put_image_data(&img, 0.0, 0.0)
}

/// The history rows as points (see `WorkerSession::history`).
fn history_points(rows: &[f64]) -> Vec<HistoryPoint> {
    rows.chunks_exact(HistoryPoint::ROW)
        .filter_map(HistoryPoint::from_row)
        .collect()
}

/// The loss means as `[step, d_loss, g_loss]` rows (see `WorkerSession::losses`).
fn mean_points(rows: &[f64]) -> Vec<MeanPoint> {
    rows.chunks_exact(3)
        .map(|r| MeanPoint {
            step: r[0],
            d_loss: r[1],
            g_loss: r[2],
        })
        .collect()
}

/// Draws the charts named in `names` (comma-separated, as `WorkerSession::charts`) over
/// the history `rows`, the loss means `losses` and the `markers` (JSON, as
/// `WorkerSession::markers`), one per canvas, with plotters; in compare mode run B's
/// history and loss means too (`rows_b`, `losses_b`), dotted.
#[wasm_bindgen]
pub fn paint_charts(
    canvases: Vec<HtmlCanvasElement>,
    names: &str,
    rows: &[f64],
    losses: &[f64],
    markers: &str,
    rows_b: Option<Vec<f64>>,
    losses_b: Option<Vec<f64>>,
) -> Result<(), JsValue> {
    let history = history_points(rows);
    let means = mean_points(losses);
    let twin = rows_b.as_deref().map(history_points);
    let twin_means = losses_b.as_deref().map(mean_points);
    let markers: Vec<Marker> = serde_json::from_str::<Vec<(usize, String)>>(markers)
        .map_err(js_err)?
        .into_iter()
        .map(|(step, label)| Marker { step, label })
        .collect();
    let data = ChartData {
        points: &history,
        losses: Some(&means),
        markers: &markers,
        twin: twin.as_deref().map(|p| (p, twin_means.as_deref())),
    };
    for (canvas, name) in canvases.into_iter().zip(names.split(',')) {
        let chart = Chart::parse(name).ok_or_else(|| js_err(format!("unknown chart '{name}'")))?;
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| js_err("a chart canvas has no 2D context"))?;
        let area = plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
        draw_chart(&area, chart, &data).map_err(js_err)?;
    }
    Ok(())
}

/// A chart's data as CSV (`core::history::Chart::csv`), for the page's export.
/// In compare mode (`rows_b`, `losses_b`) with both runs, a `run` column first.
#[wasm_bindgen]
pub fn chart_csv(
    name: &str,
    rows: &[f64],
    losses: &[f64],
    rows_b: Option<Vec<f64>>,
    losses_b: Option<Vec<f64>>,
) -> Result<String, JsValue> {
    let chart = Chart::parse(name).ok_or_else(|| js_err(format!("unknown chart '{name}'")))?;
    let a = chart.csv(&history_points(rows), Some(&mean_points(losses)));
    match rows_b {
        None => Ok(a),
        Some(rows_b) => {
            let means_b = losses_b.as_deref().map(mean_points);
            let b = chart.csv(&history_points(&rows_b), means_b.as_deref());
            Ok(Chart::csv_of_runs(&[("A", &a), ("B", &b)]))
        }
    }
}

/// Paints the heatmap's colour bar, D(x) from 0 (left) to 1 (right), with the same
/// colours as the heatmap (`core::palette::heat`).
#[wasm_bindgen]
pub fn paint_colour_bar(canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    let (w, h) = (canvas.width().max(2), canvas.height().max(1));
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for _ in 0..h {
        for x in 0..w {
            let (r, g, b) = crate::core::palette::heat(x as f32 / (w - 1) as f32);
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
    }
    let img = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h)?;
    draw::context(canvas)?.put_image_data(&img, 0.0, 0.0)
}

/// The named colours as JSON `{"real": "#1e5ac8", …}` (`core::palette::named`): the
/// page sets them as CSS variables for its legends.
#[wasm_bindgen]
pub fn palette_css() -> String {
    let map: serde_json::Map<String, serde_json::Value> = crate::core::palette::named()
        .into_iter()
        .map(|(n, c)| (n.to_string(), c.into()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// What a chart shows (`core::history::Chart::help`), for its hover text.
#[wasm_bindgen]
pub fn chart_help(name: &str) -> String {
    Chart::parse(name).map_or_else(String::new, |c| c.help().to_string())
}

/// Numbers per history point in the rows the worker posts (`HistoryPoint::ROW`).
#[wasm_bindgen]
pub fn history_row() -> usize {
    HistoryPoint::ROW
}
