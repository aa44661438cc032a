//! The metric charts, drawn with plotters on any backend: PNG files in the CLI, canvases
//! in the page. The numbers come from `core::history` and `core::step_means`; the tick
//! labels from `core::format`.

use crate::core::format::human_number;
use crate::core::history::{Chart, HistoryPoint, Marker, Series};
use crate::core::step_means::MeanPoint;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;

/// What a chart is drawn from.
#[derive(Clone, Copy, Default)]
pub struct ChartData<'a> {
    /// The metrics at each evaluation.
    pub points: &'a [HistoryPoint],
    /// The losses of every step as means (the loss chart uses them where given).
    pub losses: Option<&'a [MeanPoint]>,
    /// Live setting changes and the divergence, drawn as dashed vertical lines.
    pub markers: &'a [Marker],
    /// Compare mode's run B (its metrics and loss means), drawn dotted on the same axes.
    pub twin: Option<(&'a [HistoryPoint], Option<&'a [MeanPoint]>)>,
}

/// The points a chart draws of one run: the loss chart draws every step's mean (where
/// given), not the losses at evaluations.
fn run_points(
    chart: Chart,
    points: &[HistoryPoint],
    losses: Option<&[MeanPoint]>,
) -> Vec<HistoryPoint> {
    match (chart, losses) {
        (Chart::Losses, Some(means)) => means
            .iter()
            .map(|m| HistoryPoint {
                step: m.step.round().max(0.0) as usize,
                d_loss: m.d_loss,
                g_loss: m.g_loss,
                ..HistoryPoint::default()
            })
            .collect(),
        _ => points.to_vec(),
    }
}

/// Width of the legend beside the plot, in pixels: outside the data, never over it.
const LEGEND_WIDTH: u32 = 96;
/// The divergences' log axis starts here: a value at or below it is drawn on the floor.
const LOG_FLOOR: f64 = 1e-3;

/// Draws one chart over the whole run into `area`; non-finite values are left out.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: Chart,
    data: &ChartData,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&WHITE).map_err(err)?;
    let (title, series) = chart.series();
    let area = area.titled(title, ("sans-serif", 14)).map_err(err)?;
    let width = area.dim_in_pixel().0;
    let (plot, legend) = area.split_horizontally(width.saturating_sub(LEGEND_WIDTH));
    let points = run_points(chart, data.points, data.losses);
    let twin = data.twin.map(|(p, l)| run_points(chart, p, l));
    let runs: Vec<&[HistoryPoint]> = std::iter::once(&points[..])
        .chain(twin.as_deref())
        .collect();
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| runs.iter().flat_map(|r| r.iter().map(s.value)))
        .filter(|v| v.is_finite())
        .collect();
    let counts = matches!(chart, Chart::Modes | Chart::Classes);
    // Steps are whole numbers: the axis spans at least 10 so its ticks are too.
    let last = runs
        .iter()
        .flat_map(|r| r.iter().map(|p| p.step))
        .chain(data.markers.iter().map(|m| m.step))
        .max()
        .unwrap_or(0)
        .max(10) as f64;
    let x_format = |x: &f64| format!("{:.0}", x.max(0.0));
    if matches!(chart, Chart::Divergences | Chart::Radius) {
        let hi = values.iter().copied().fold(LOG_FLOOR * 10.0, f64::max) * 1.5;
        let lo = values
            .iter()
            .copied()
            .filter(|v| *v > LOG_FLOOR)
            .fold(hi, f64::min)
            .max(LOG_FLOOR)
            / 1.5;
        let floor = lo;
        let y = (lo..hi).log_scale();
        let y_format = |v: &f64| human_number(*v, 2);
        return lines(
            &plot,
            &legend,
            (0.0..last, y),
            &series,
            &runs,
            data.markers,
            &x_format,
            &y_format,
            Some(floor),
        );
    }
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if counts {
        // Modes are counted out of the data set's total: the axis runs to it.
        hi = hi.max(points.last().map_or(0, |p| p.modes_total) as f64);
    }
    if !hi.is_finite() || hi <= lo {
        hi = lo + 1.0;
    }
    let span = hi - lo;
    let y_format = move |v: &f64| {
        if counts {
            // Mode counts are whole numbers: label only the whole ticks.
            if (v - v.round()).abs() < 1e-9 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        } else if v.abs() < 1e-9 * span {
            // A tick at zero computed as ±1e-17 is "0", never "-0" or "1.0×10⁻¹⁷".
            "0".into()
        } else {
            human_number(*v, 2)
        }
    };
    let hi = hi + 0.05 * span;
    lines(
        &plot,
        &legend,
        (0.0..last, lo..hi),
        &series,
        &runs,
        data.markers,
        &x_format,
        &y_format,
        None,
    )
}

/// The plot with its axes, lines and markers in `plot`, and the legend in `legend`. With
/// `floor`, values below it (a log axis) are drawn on it.
#[allow(clippy::too_many_arguments)]
fn lines<DB: DrawingBackend, Y>(
    plot: &DrawingArea<DB, Shift>,
    legend: &DrawingArea<DB, Shift>,
    (x, y): (std::ops::Range<f64>, Y),
    series: &[Series],
    runs: &[&[HistoryPoint]],
    markers: &[Marker],
    x_format: &dyn Fn(&f64) -> String,
    y_format: &dyn Fn(&f64) -> String,
    floor: Option<f64>,
) -> Result<(), String>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let mut ctx = ChartBuilder::on(plot)
        .margin(6)
        .x_label_area_size(20)
        .y_label_area_size(54)
        .build_cartesian_2d::<std::ops::Range<f64>, Y>(x, y)
        .map_err(err)?;
    ctx.configure_mesh()
        .max_light_lines(0)
        .x_labels(4)
        .y_labels(5)
        .x_label_formatter(x_format)
        .y_label_formatter(y_format)
        .label_style(("sans-serif", 11))
        .draw()
        .map_err(err)?;
    let (y_lo, y_hi) = {
        let r = ctx.y_range();
        (r.start, r.end)
    };
    // Changes at the same step share one line and one label ("B: loss minimax · B: k 5"),
    // so that their texts do not print over each other.
    let mut merged: Vec<Marker> = Vec::new();
    for m in markers {
        match merged.last_mut() {
            Some(last) if last.step == m.step => {
                last.label = format!("{} · {}", last.label, m.label)
            }
            _ => merged.push(m.clone()),
        }
    }
    for m in &merged {
        let at = m.step as f64;
        let grey = RGBColor(110, 110, 110);
        ctx.draw_series(DashedLineSeries::new(
            [(at, y_lo), (at, y_hi)],
            3,
            3,
            grey.stroke_width(1),
        ))
        .map_err(err)?;
        ctx.draw_series(std::iter::once(Text::new(
            m.label.clone(),
            (at, y_hi),
            ("sans-serif", 10).into_font().color(&grey),
        )))
        .map_err(err)?;
    }
    // Run A's lines as the series say; run B's (compare mode) dotted, in the same colours.
    for (run, points) in runs.iter().enumerate() {
        for s in series {
            let (r, g, b) = s.colour;
            let color = RGBColor(r, g, b);
            let line = points
                .iter()
                .map(|p| (p.step as f64, (s.value)(p)))
                .filter(|(_, v)| v.is_finite())
                .map(|(x, v)| (x, floor.map_or(v, |f| v.max(f))));
            let style = color.stroke_width(s.width);
            if run > 0 {
                ctx.draw_series(DashedLineSeries::new(line, 2, 3, style))
                    .map_err(err)?;
            } else if s.dashed {
                ctx.draw_series(DashedLineSeries::new(line, 6, 4, style))
                    .map_err(err)?;
            } else {
                ctx.draw_series(LineSeries::new(line, style)).map_err(err)?;
            }
        }
    }
    // The legend: a short line in each series' colour and style, and its name.
    for (i, s) in series.iter().enumerate() {
        let (r, g, b) = s.colour;
        let color = RGBColor(r, g, b);
        let y0 = 14 + 15 * i as i32;
        let seg = if s.dashed {
            [(2, y0), (8, y0)]
        } else {
            [(2, y0), (16, y0)]
        };
        legend
            .draw(&PathElement::new(seg, color.stroke_width(2)))
            .map_err(err)?;
        if s.dashed {
            legend
                .draw(&PathElement::new(
                    [(11, y0), (16, y0)],
                    color.stroke_width(2),
                ))
                .map_err(err)?;
        }
        legend
            .draw(&Text::new(
                s.name,
                (20, y0 - 6),
                ("sans-serif", 11).into_font(),
            ))
            .map_err(err)?;
    }
    if runs.len() > 1 {
        // Which run is which: A solid, B dotted.
        let y0 = 14 + 15 * series.len() as i32 + 4;
        let ink = RGBColor(40, 40, 40).stroke_width(2);
        legend
            .draw(&PathElement::new([(2, y0), (16, y0)], ink))
            .map_err(err)?;
        for x in (2..16).step_by(5) {
            legend
                .draw(&PathElement::new([(x, y0 + 15), (x + 2, y0 + 15)], ink))
                .map_err(err)?;
        }
        for (i, name) in ["run A", "run B"].into_iter().enumerate() {
            legend
                .draw(&Text::new(
                    name,
                    (20, y0 - 6 + 15 * i as i32),
                    ("sans-serif", 11).into_font(),
                ))
                .map_err(err)?;
        }
    }
    Ok(())
}
