//! Numbers as people read them on the page: a few significant digits in plain notation
//! where that is short, a power of ten where it is not (`6.6×10²⁶`, never `6.646e+26`),
//! and a dash for a number that does not exist (never `NaN`).

/// `v` with `digits` significant digits (1 to 6): plain between 10⁻³ and 10⁵ (trailing
/// zeros of the fraction kept, so a column of numbers lines up), else `m×10ᵉ` with two
/// significant digits in `m`; zero is `0`; a non-finite value is `–`.
pub fn human_number(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let digits = digits.clamp(1, 6) as i32;
    let a = v.abs();
    if (1e-3..1e5).contains(&a) {
        let decimals = (digits - 1 - a.log10().floor() as i32).max(0) as usize;
        return format!("{v:.decimals$}");
    }
    let mut exp = a.log10().floor() as i32;
    let mut mantissa = v / 10f64.powi(exp);
    // 9.96×10⁵ rounds to 10.0: carry into the exponent.
    if format!("{:.1}", mantissa.abs()) == "10.0" {
        exp += 1;
        mantissa = v / 10f64.powi(exp);
    }
    format!("{mantissa:.1}×10{}", superscript(exp))
}

fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if n < 0 {
        s.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        s.push(DIGITS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    s
}
