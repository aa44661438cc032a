//! The colours of everything drawn, in one place: the page's canvases and the CLI's PNGs
//! use the same ones, so a saved plot reads like the page.

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// Real samples, and the D loss / first series of a chart.
pub const REAL: Rgb = (30, 90, 200);
/// Generated samples, and the G loss.
pub const FAKE: Rgb = (230, 120, 20);
/// KL, and the Fréchet distance.
pub const RED: Rgb = (200, 40, 40);
/// Reverse KL.
pub const PURPLE: Rgb = (120, 60, 160);
/// W1.
pub const GREEN: Rgb = (40, 150, 60);
/// D's own estimate of its divergence.
pub const GREY: Rgb = (120, 120, 120);
/// The same divergence, measured from samples.
pub const INK: Rgb = (20, 20, 20);
/// The optimal discriminator's ½ contour.
pub const OPTIMAL: Rgb = (123, 45, 155);
/// The heatmap runs from white (σ(V) = 0, "fake") to this (σ(V) = 1, "real").
pub const HEAT_REAL: Rgb = (120, 200, 120);

/// The heatmap's colour for a value in `[0, 1]`; a non-finite value (a diverged critic) is
/// "no opinion", white, never NaN.
pub fn heat(v: f32) -> Rgb {
    let d = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |to: u8| (255.0 - (255.0 - to as f32) * d) as u8;
    (mix(HEAT_REAL.0), mix(HEAT_REAL.1), mix(HEAT_REAL.2))
}

/// `#rrggbb`, for canvas styles.
pub fn css(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
