//! The shareable state: every setting as a typed key in the URL hash, TensorFlow
//! Playground's convention (`key=value&…`, enums by short name, the data seed included so
//! a link reproduces the same run). Keys and ranges come from the setting tables
//! ([`super::Setting`]); missing keys keep their defaults; a bad value is clamped or
//! ignored with a one-line message, never a panic.

use super::{clip_text, Setting};

/// The longest hash read; anything beyond is ignored (a hostile link cannot make us parse
/// megabytes).
pub const MAX_HASH_LEN: usize = 64 * 1024;

/// `key=value&…`, each value percent-encoded.
pub fn join(kv: &[(&str, String)]) -> String {
    kv.iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Every setting of `table` as `(key, value)`, in the table's order; empty values (no
/// custom points) are left out.
pub fn write<C>(table: &[Setting<C>], c: &C) -> Vec<(&'static str, String)> {
    table
        .iter()
        .map(|s| (s.key, (s.get)(c).to_text()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Reads the pairs that belong to `table` into `c`, in the table's order (so that a
/// setting can depend on one read before it), the last of repeated keys winning. Each
/// value that was clamped or refused adds a note; a refused one keeps the old value.
pub fn read<C>(
    table: &[Setting<C>],
    c: &mut C,
    pairs: &[(String, String)],
    notes: &mut Vec<String>,
) {
    for s in table {
        let Some((_, text)) = pairs.iter().rev().find(|(k, _)| k == s.key) else {
            continue;
        };
        match s.parse_clamped(text) {
            Ok((v, note)) => {
                notes.extend(note);
                if let Err(e) = (s.set)(c, v) {
                    notes.push(format!("{e}; kept the default"));
                }
            }
            Err(e) => notes.push(format!("{e}; kept the default")),
        }
    }
}

/// A note for each key of `pairs` that none of `known` holds.
pub fn unknown_keys(pairs: &[(String, String)], known: &[&str], notes: &mut Vec<String>) {
    for (k, _) in pairs {
        if !known.contains(&k.as_str()) {
            notes.push(format!("unknown setting '{}' ignored", clip_text(k)));
        }
    }
}

/// The `(key, decoded value)` pairs of a hash, at most [`MAX_HASH_LEN`] of it read.
pub fn pairs(hash: &str, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = if hash.len() > MAX_HASH_LEN {
        notes.push(format!(
            "the link is longer than {MAX_HASH_LEN} characters; the rest was ignored"
        ));
        &hash[..floor_char_boundary(hash, MAX_HASH_LEN)]
    } else {
        hash
    };
    hash.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_string(), decode(raw))
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3) and `,` and `=`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; a malformed escape is kept as text (it then fails validation).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
