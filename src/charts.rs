//! The metric charts, drawn with plotters on any backend: PNG files in the CLI, canvases
//! in the page. The numbers come from `core::history`.

use crate::core::history::{Chart, HistoryPoint};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Draws one chart over the whole history into `area`; non-finite values are left out.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: Chart,
    points: &[HistoryPoint],
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    area.fill(&WHITE).map_err(err)?;
    let (title, series) = chart.series();
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| points.iter().map(s.value))
        .filter(|v| v.is_finite())
        .collect();
    let lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if matches!(chart, Chart::Modes | Chart::Classes) {
        // Modes are counted out of the data set's total: the axis runs to it.
        hi = hi.max(points.last().map_or(0, |p| p.modes_total) as f64);
    }
    if !hi.is_finite() || hi <= lo {
        hi = lo + 1.0;
    }
    let last = points.last().map_or(1, |p| p.step.max(1)) as f64;
    // Steps are whole numbers; before step 10 the ticks fall between them.
    let x_format = move |x: &f64| {
        if last >= 10.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    };
    // Mode counts are whole numbers: label only the whole ticks.
    let y_format = move |y: &f64| {
        if !matches!(chart, Chart::Modes | Chart::Classes) {
            let s = format!("{y:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else if (y - y.round()).abs() < 1e-9 {
            format!("{y:.0}")
        } else {
            String::new()
        }
    };
    let mut ctx = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 15))
        .margin(6)
        .x_label_area_size(22)
        .y_label_area_size(45)
        .build_cartesian_2d(0.0..last, lo..hi * 1.05)
        .map_err(err)?;
    ctx.configure_mesh()
        .max_light_lines(0)
        .x_labels(5)
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .label_style(("sans-serif", 11))
        .draw()
        .map_err(err)?;
    for s in series {
        let (r, g, b) = s.colour;
        let color = RGBColor(r, g, b);
        let line = points
            .iter()
            .map(|p| (p.step as f64, (s.value)(p)))
            .filter(|(_, v)| v.is_finite());
        let drawn = if s.dashed {
            ctx.draw_series(DashedLineSeries::new(line, 6, 4, color.stroke_width(2)))
        } else {
            ctx.draw_series(LineSeries::new(line, color.stroke_width(2)))
        };
        drawn
            .map_err(err)?
            .label(s.name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 15, y)], color.stroke_width(2)));
    }
    ctx.configure_series_labels()
        .label_font(("sans-serif", 11))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)?;
    Ok(())
}
