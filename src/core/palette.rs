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
/// The heatmap's end at D(x) = 1 ("real"): a light tint of [`REAL`], so that the real
/// points stay visible on it.
pub const HEAT_REAL: Rgb = (150, 190, 245);
/// The heatmap's end at D(x) = 0 ("fake"): a light tint of [`FAKE`].
pub const HEAT_FAKE: Rgb = (250, 210, 170);

/// The heatmap's colour for a value `d` in `[0, 1]`, a diverging map with white at
/// `d = ½`, where D cannot tell real from fake (the equilibrium, `D* = ½` where
/// `p_data = p_g`): towards [`HEAT_FAKE`] below, [`HEAT_REAL`] above, linearly in
/// `|2d − 1|`. A non-finite value (a diverged critic) is "no opinion", white, never NaN.
pub fn heat(v: f32) -> Rgb {
    let d = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (to, t) = if d >= 0.5 {
        (HEAT_REAL, 2.0 * d - 1.0)
    } else {
        (HEAT_FAKE, 1.0 - 2.0 * d)
    };
    let mix = |c: u8| (255.0 - (255.0 - c as f32) * t).round() as u8;
    (mix(to.0), mix(to.1), mix(to.2))
}

/// The colour of label `i` of `n` in a conditional model: hues spread evenly round the
/// colour wheel (HSL, saturation 0.7, lightness 0.42), so that neighbouring labels differ.
pub fn label(i: usize, n: usize) -> Rgb {
    let h = 6.0 * (i % n.max(1)) as f32 / n.max(1) as f32;
    let (s, l) = (0.7f32, 0.42f32);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (byte(r), byte(g), byte(b))
}

/// `c` mixed halfway to white: a label's real samples, beside its fakes in the full colour.
pub fn pale(c: Rgb) -> Rgb {
    let mix = |v: u8| ((v as u16 + 255) / 2) as u8;
    (mix(c.0), mix(c.1), mix(c.2))
}

/// Every named colour as `(name, #rrggbb)`: the page sets them as CSS variables
/// (`--real`, …), so its legends and swatches are these colours.
pub fn named() -> Vec<(&'static str, String)> {
    [
        ("real", REAL),
        ("fake", FAKE),
        ("red", RED),
        ("purple", PURPLE),
        ("green", GREEN),
        ("grey", GREY),
        ("ink", INK),
        ("optimal", OPTIMAL),
        ("heat-real", HEAT_REAL),
        ("heat-fake", HEAT_FAKE),
    ]
    .into_iter()
    .map(|(n, c)| (n, css(c)))
    .collect()
}

/// `#rrggbb`, for canvas styles.
pub fn css(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
