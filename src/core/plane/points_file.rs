//! The user's own 2D data, from a file (TensorFlow Playground's most asked-for feature,
//! and GAN Lab's): CSV or JSON, read strictly. Anything the reader does not understand
//! is refused with one line naming what and where; nothing is half-read.

use crate::core::error::{GanError, Result};
use crate::core::settings::clip_text;

/// The largest file read.
pub const MAX_POINTS_FILE_BYTES: usize = 1 << 20;
/// The most points a file may hold: the link carries them (about 24 characters each,
/// within the hash's 64 KiB).
pub const MAX_FILE_POINTS: usize = 2000;

/// Reads 2D points from `bytes`: JSON when the first non-blank character is `[` or `{`,
/// else CSV.
/// - JSON: an array of `[x, y]` pairs or of `{"x": …, "y": …}` objects, or an object
///   with such an array under `"points"`.
/// - CSV: two numbers per line, separated by a comma, semicolon, tab or spaces; a
///   first line that is not numbers is a header and skipped; blank lines and lines
///   starting with `#` are skipped.
///
/// Refused: more than [`MAX_POINTS_FILE_BYTES`] or [`MAX_FILE_POINTS`], text that is not
/// UTF-8, a line or entry without exactly two numbers, a value that is not finite or
/// lies beyond ±1000, and a file with no point at all.
pub fn read_points_file(bytes: &[u8], name: &str) -> Result<Vec<[f32; 2]>> {
    let bad = |m: String| GanError::InvalidData(format!("{}: {m}", clip_text(name)));
    if bytes.len() > MAX_POINTS_FILE_BYTES {
        return Err(bad(format!(
            "{} bytes, at most {MAX_POINTS_FILE_BYTES} read",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8 text".into()))?;
    let json = matches!(text.trim_start().chars().next(), Some('[' | '{'));
    let points = if json {
        json_points(text).map_err(bad)?
    } else {
        csv_points(text).map_err(bad)?
    };
    if points.is_empty() {
        return Err(bad("no points in the file".into()));
    }
    if points.len() > MAX_FILE_POINTS {
        return Err(bad(format!(
            "{} points, at most {MAX_FILE_POINTS}",
            points.len()
        )));
    }
    Ok(points)
}

/// A checked coordinate.
fn coordinate(v: f64, at: &str) -> std::result::Result<f32, String> {
    if !v.is_finite() || v.abs() > 1e3 {
        return Err(format!("{at}: {v} is not a finite number within ±1000"));
    }
    Ok(v as f32)
}

fn json_points(text: &str) -> std::result::Result<Vec<[f32; 2]>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON ({e})"))?;
    let list = match &value {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("points") {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err("a JSON object needs a \"points\" array".into()),
        },
        _ => return Err("expected an array of points".into()),
    };
    let mut out = Vec::with_capacity(list.len().min(MAX_FILE_POINTS + 1));
    for (i, p) in list.iter().enumerate() {
        if out.len() > MAX_FILE_POINTS {
            break;
        }
        let at = format!("point {}", i + 1);
        let pair = match p {
            serde_json::Value::Array(xy) if xy.len() == 2 => (xy[0].as_f64(), xy[1].as_f64()),
            serde_json::Value::Object(o) => (
                o.get("x").and_then(|v| v.as_f64()),
                o.get("y").and_then(|v| v.as_f64()),
            ),
            _ => (None, None),
        };
        match pair {
            (Some(x), Some(y)) => out.push([coordinate(x, &at)?, coordinate(y, &at)?]),
            _ => {
                return Err(format!(
                    "{at} is not [x, y] or {{\"x\": …, \"y\": …}} with numbers"
                ))
            }
        }
    }
    Ok(out)
}

fn csv_points(text: &str) -> std::result::Result<Vec<[f32; 2]>, String> {
    let mut out = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line
            .split([',', ';', '\t', ' '])
            .filter(|c| !c.is_empty())
            .collect();
        let numbers: Vec<Option<f64>> = cells.iter().map(|c| c.parse::<f64>().ok()).collect();
        let header = first && numbers.iter().all(|n| n.is_none());
        first = false;
        if header {
            continue;
        }
        let at = format!("line {}", i + 1);
        match numbers.as_slice() {
            [Some(x), Some(y)] => out.push([coordinate(*x, &at)?, coordinate(*y, &at)?]),
            _ => {
                return Err(format!(
                    "{at} has {} column(s) '{}': expected two numbers, x and y",
                    cells.len(),
                    clip_text(line)
                ))
            }
        }
        if out.len() > MAX_FILE_POINTS {
            break;
        }
    }
    Ok(out)
}
