//! The page's half: paints what the worker posted. No training and no model here; each
//! function takes a canvas and a part of one frame as the worker posted it (see
//! `WorkerSession::frame`), reading its fields by name (`web::named`).

use super::draw::{self, Scene};
use super::{js_err, named};
use crate::charts::{draw_chart, ChartData};
use crate::core::history::{Chart, HistoryPoint, Marker};
use crate::core::palette::{self, css};
use crate::core::plane::data::Dataset;
use crate::core::plane::density::GridSpec;
use crate::core::step_means::MeanPoint;
use js_sys::Object;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// `[x, y, x, y, …]` as points.
fn points(v: &[f32]) -> Vec<[f32; 2]> {
    v.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
}

/// Paints the plane from a frame's `floats` (see `WorkerSession::frame`), each layer read
/// by its name: `view` is `[x_lo, y_lo, x_hi, y_hi, cells]`, every other array a layer the
/// worker sent (absent when off). A frame without a view (the digits') paints nothing. A
/// field whose length does not match the grid is refused rather than drawn wrong.
#[wasm_bindgen]
pub fn paint_plane(canvas: &HtmlCanvasElement, floats: &Object) -> Result<(), JsValue> {
    let layer = |name: &str| named::f32s(floats, name);
    let pairs = |name: &str| Ok::<_, JsValue>(layer(name)?.as_deref().map(points));
    let Some(view) = layer("view")? else {
        return Ok(());
    };
    let [x0, y0, x1, y1, n] = view[..] else {
        return Err(js_err("the plane's view needs 5 numbers"));
    };
    let grid = GridSpec {
        lo: [x0 as f64, y0 as f64],
        hi: [x1 as f64, y1 as f64],
        n: n as usize,
    };
    let cells = grid.n * grid.n;
    let (heatmap, optimal) = (layer("heatmap")?, layer("optimal")?);
    for (name, field) in [("heatmap", &heatmap), ("optimal", &optimal)] {
        if field.as_ref().is_some_and(|f| f.len() != cells) {
            return Err(js_err(format!("the {name} does not fit the grid")));
        }
    }
    let mesh = pairs("manifold")?;
    let side = mesh
        .as_ref()
        .map_or(0, |m| (m.len() as f64).sqrt().round() as usize);
    let (from, push) = (pairs("arrow_from")?, pairs("arrow_push")?);
    let (real, fake, source) = (pairs("real")?, pairs("fake")?, pairs("source")?);
    let links: Option<Vec<[[f32; 2]; 2]>> = layer("links")?.map(|v| {
        v.chunks_exact(4)
            .map(|c| [[c[0], c[1]], [c[2], c[3]]])
            .collect()
    });
    let trails = [pairs("trail_a")?, pairs("trail_b")?];
    let (real_labels, fake_labels) = (layer("real_labels")?, layer("fake_labels")?);
    let classes = layer("classes")?
        .and_then(|c| c.first().copied())
        .unwrap_or(0.0) as usize;
    let fits = |labels: &Option<Vec<f32>>, points: &Option<Vec<[f32; 2]>>| {
        labels.is_some() && labels.as_ref().map(Vec::len) == points.as_ref().map(Vec::len)
    };
    let ticks = layer("ticks")?;
    let scene = Scene {
        grid: &grid,
        heatmap: heatmap.as_deref(),
        optimal: optimal.as_deref(),
        real: real.as_deref(),
        fake: fake.as_deref(),
        labels: [
            real_labels
                .as_deref()
                .filter(|_| classes > 0 && fits(&real_labels, &real)),
            fake_labels
                .as_deref()
                .filter(|_| classes > 0 && fits(&fake_labels, &fake)),
        ],
        classes,
        manifold: mesh
            .as_deref()
            .filter(|m| side * side == m.len())
            .map(|m| (m, side)),
        arrows: from.as_deref().zip(push.as_deref()),
        source: source.as_deref(),
        links: links.as_deref(),
        trails: [trails[0].as_deref(), trails[1].as_deref()],
        ticks: ticks.as_deref(),
    };
    draw::plane(canvas, &scene)
}

/// Puts a frame's grey image `{grey, w, h}` on a canvas sized to it (CSS scales it;
/// `image-rendering: pixelated`).
#[wasm_bindgen]
pub fn paint_grey(canvas: &HtmlCanvasElement, image: &Object) -> Result<(), JsValue> {
    let grey = named::required(named::grey(image, "grey")?, "grey")?;
    let (w, h) = (named::number(image, "w")?, named::number(image, "h")?);
    let (w, h) = (w as u32, h as u32);
    if grey.len() != (w as usize) * (h as usize) {
        return Err(js_err("the image does not fit its size"));
    }
    let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx = draw::context(canvas)?;
    let img = draw::image_data(&rgba, w, h)?;
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

/// The charts data as the worker posts it, `{names, rows, losses, markers, rows_b,
/// losses_b}` (see `WorkerSession::charts`, `history`, `losses`, `markers`; run B's rows
/// only in compare mode), less the markers, which only the drawing reads.
struct ChartRows {
    names: String,
    history: Vec<HistoryPoint>,
    means: Vec<MeanPoint>,
    twin: Option<(Vec<HistoryPoint>, Option<Vec<MeanPoint>>)>,
}

impl ChartRows {
    fn read(charts: &Object) -> Result<Self, JsValue> {
        let rows = |name: &str| named::required(named::f64s(charts, name)?, name);
        let twin = named::f64s(charts, "rows_b")?.map(|rows_b| {
            Ok::<_, JsValue>((
                history_points(&rows_b),
                named::f64s(charts, "losses_b")?.as_deref().map(mean_points),
            ))
        });
        Ok(Self {
            names: named::text(charts, "names")?,
            history: history_points(&rows("rows")?),
            means: mean_points(&rows("losses")?),
            twin: twin.transpose()?,
        })
    }
}

fn chart_of(name: &str) -> Result<Chart, JsValue> {
    Chart::parse(name).ok_or_else(|| js_err(format!("unknown chart '{name}'")))
}

/// Draws the charts named in the data's `names` (comma-separated), one per canvas, with
/// plotters: the history, the loss means and the markers (JSON `[[step, label], …]`); in
/// compare mode run B's history and loss means too, dotted.
#[wasm_bindgen]
pub fn paint_charts(canvases: Vec<HtmlCanvasElement>, charts: &Object) -> Result<(), JsValue> {
    let c = ChartRows::read(charts)?;
    let markers: Vec<Marker> =
        serde_json::from_str::<Vec<(usize, String)>>(&named::text(charts, "markers")?)
            .map_err(js_err)?
            .into_iter()
            .map(|(step, label)| Marker { step, label })
            .collect();
    let data = ChartData {
        points: &c.history,
        losses: Some(&c.means),
        markers: &markers,
        twin: c.twin.as_ref().map(|(p, m)| (&p[..], m.as_deref())),
    };
    for (canvas, name) in canvases.into_iter().zip(c.names.split(',')) {
        let chart = chart_of(name)?;
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| js_err("a chart canvas has no 2D context"))?;
        let area = plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
        draw_chart(&area, chart, &data).map_err(js_err)?;
    }
    Ok(())
}

/// The chart `name`'s data as CSV (`core::history::Chart::csv`), for the page's export,
/// from the charts data as [`paint_charts`] takes it; in compare mode with both runs, a
/// `run` column first.
#[wasm_bindgen]
pub fn chart_csv(name: &str, charts: &Object) -> Result<String, JsValue> {
    let chart = chart_of(name)?;
    let c = ChartRows::read(charts)?;
    let a = chart.csv(&c.history, Some(&c.means));
    match &c.twin {
        None => Ok(a),
        Some((history_b, means_b)) => {
            let b = chart.csv(history_b, means_b.as_deref());
            Ok(Chart::csv_of_runs(&[("A", &a), ("B", &b)]))
        }
    }
}

/// The chart `name` in words (`core::history::Chart::describe`), run A's, for its canvas's
/// text alternative, from the charts data as [`paint_charts`] takes it.
#[wasm_bindgen]
pub fn chart_words(name: &str, charts: &Object) -> Result<String, JsValue> {
    let c = ChartRows::read(charts)?;
    Ok(chart_of(name)?.describe(&c.history, Some(&c.means)))
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
    let img = draw::image_data(&rgba, w, h)?;
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

/// The thumbnail of the data set `name` (a preset's short name) for the page's data-set
/// picker: its points ([`Dataset::thumbnail`]) as dots in the real colour on white, y up
/// as on the plane.
#[wasm_bindgen]
pub fn paint_thumbnail(canvas: &HtmlCanvasElement, name: &str) -> Result<(), JsValue> {
    let points = Dataset::parse(name)
        .map_err(js_err)?
        .thumbnail(THUMBNAIL_POINTS);
    let ctx = draw::context(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_fill_style_str(&css(palette::REAL));
    for [x, y] in points {
        ctx.fill_rect(x as f64 * w - 1.0, (1.0 - y as f64) * h - 1.0, 2.0, 2.0);
    }
    Ok(())
}

/// Dots in a thumbnail: enough to show the shape at 48 px, few enough not to fill it.
const THUMBNAIL_POINTS: usize = 300;
