//! PNG plots with plotters' bitmap backend: samples over the discriminator's heatmap, and
//! the metric curves.

use crate::charts::{draw_chart, ChartData};
use crate::core::digits::data::to_grey;
use crate::core::digits::DigitTrainer;
use crate::core::error::{GanError, Result};
use crate::core::game::Game;
use crate::core::history::{Chart, HistoryPoint};
use crate::core::palette::{self, Rgb};
use crate::core::plane::density::GridSpec;
use crate::core::plane::field::discriminator_field;
use crate::core::plane::PlaneTrainer;
use plotters::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

const FONT_PATHS: [&str; 2] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
];

/// plotters' ab_glyph backend needs a font registered from bytes; use the system's
/// DejaVu Sans (installed by scripts/setup.sh as fonts-dejavu-core).
fn ensure_font() -> Result<()> {
    static FONT: OnceLock<bool> = OnceLock::new();
    let ok = *FONT.get_or_init(|| {
        FONT_PATHS.iter().any(|p| match std::fs::read(p) {
            Ok(bytes) => {
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok()
            }
            Err(_) => false,
        })
    });
    if ok {
        Ok(())
    } else {
        Err(GanError::InvalidData(
            "plots need the DejaVu Sans font (apt-get install fonts-dejavu-core)".into(),
        ))
    }
}

fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

fn plot_err<E: std::fmt::Display>(e: E) -> GanError {
    GanError::InvalidData(format!("plotting failed: {e}"))
}

/// Real samples (blue) and generated samples (orange) over `σ(V(x))` (white = fake,
/// green = real).
pub fn samples_png(path: &Path, trainer: &PlaneTrainer) -> Result<()> {
    ensure_font()?;
    let (centre, half) = trainer.model().dataset.view();
    let grid = GridSpec::square(centre, half, 120);
    let field = discriminator_field(trainer, &grid)?;
    let (real, fake) = trainer.eval_samples(1000)?;

    let root = BitMapBackend::new(path, (640, 640)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let (x0, x1) = (grid.lo[0] as f32, grid.hi[0] as f32);
    let (y0, y1) = (grid.lo[1] as f32, grid.hi[1] as f32);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "{} — {}, step {}",
                trainer.model().dataset.name(),
                trainer.game().config().loss.name(),
                trainer.game().counters().iteration
            ),
            ("sans-serif", 18),
        )
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(plot_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .draw()
        .map_err(plot_err)?;
    let cell = grid.cell();
    chart
        .draw_series(field.iter().enumerate().map(|(i, &d)| {
            let (ix, iy) = (i % grid.n, i / grid.n);
            let c = grid.centre(ix, iy);
            let (hx, hy) = (cell[0] / 2.0, cell[1] / 2.0);
            let color = rgb(palette::heat(d));
            Rectangle::new(
                [
                    ((c[0] - hx) as f32, (c[1] - hy) as f32),
                    ((c[0] + hx) as f32, (c[1] + hy) as f32),
                ],
                color.filled(),
            )
        }))
        .map_err(plot_err)?;
    chart
        .draw_series(
            real.iter()
                .map(|p| Circle::new((p[0], p[1]), 2, rgb(palette::REAL).filled())),
        )
        .map_err(plot_err)?
        .label("data")
        .legend(|(x, y)| Circle::new((x, y), 3, rgb(palette::REAL).filled()));
    chart
        .draw_series(
            fake.iter()
                .map(|p| Circle::new((p[0], p[1]), 2, rgb(palette::FAKE).filled())),
        )
        .map_err(plot_err)?
        .label("generator")
        .legend(|(x, y)| Circle::new((x, y), 3, rgb(palette::FAKE).filled()));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(plot_err)?;
    root.present().map_err(plot_err)?;
    Ok(())
}

/// Three panels over steps: losses; JS / KL / reverse KL / W1 / D's estimate; modes.
pub fn curves_png(path: &Path, curves: &[HistoryPoint]) -> Result<()> {
    charts_png(
        path,
        curves,
        &[Chart::Losses, Chart::Divergences, Chart::Modes],
    )
}

/// The MNIST run's charts: losses, Fréchet distance, classes covered.
pub fn curves_png_digits(path: &Path, curves: &[HistoryPoint]) -> Result<()> {
    charts_png(
        path,
        curves,
        &[Chart::Losses, Chart::DigitQuality, Chart::Classes],
    )
}

fn charts_png(path: &Path, curves: &[HistoryPoint], charts: &[Chart]) -> Result<()> {
    ensure_font()?;
    let root = BitMapBackend::new(path, (900, 300 * charts.len() as u32)).into_drawing_area();
    let panels = root.split_evenly((charts.len(), 1));
    for (panel, &chart) in panels.iter().zip(charts) {
        let data = ChartData {
            points: curves,
            ..ChartData::default()
        };
        draw_chart(panel, chart, &data).map_err(plot_err)?;
    }
    root.present().map_err(plot_err)?;
    Ok(())
}

/// The 10×10 sample grid of a digit GAN ([`DigitTrainer::grid`]), 3× scaled, white ink on
/// black as MNIST is stored.
pub fn digits_png(path: &Path, trainer: &DigitTrainer, seed: u64) -> Result<()> {
    const SCALE: u32 = 3;
    const GAP: u32 = 2;
    let (rows, cols) = (
        trainer.digits().rows() as u32,
        trainer.digits().cols() as u32,
    );
    let images = trainer.grid(10, seed)?;
    let cell = (cols * SCALE + GAP, rows * SCALE + GAP);
    let root = BitMapBackend::new(path, (10 * cell.0 + GAP, 10 * cell.1 + GAP)).into_drawing_area();
    root.fill(&RGBColor(60, 60, 60)).map_err(plot_err)?;
    let pixels = (rows * cols) as usize;
    for (i, img) in images.chunks(pixels).enumerate() {
        let (gx, gy) = (
            (i as u32 % 10) * cell.0 + GAP,
            (i as u32 / 10) * cell.1 + GAP,
        );
        for (p, &v) in img.iter().enumerate() {
            let g = to_grey(v);
            let (px, py) = (p as u32 % cols, p as u32 / cols);
            root.draw(&Rectangle::new(
                [
                    ((gx + px * SCALE) as i32, (gy + py * SCALE) as i32),
                    (
                        (gx + (px + 1) * SCALE) as i32,
                        (gy + (py + 1) * SCALE) as i32,
                    ),
                ],
                RGBColor(g, g, g).filled(),
            ))
            .map_err(plot_err)?;
        }
    }
    root.present().map_err(plot_err)?;
    Ok(())
}
