//! The module graph of `src`: no module imports one that imports it back, the game
//! imports neither trainer, and `core` uses no browser or file-system API. Read from the
//! sources as text (`use` and `crate::`/`super::` paths outside comments).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `core::game::gan` for `src/core/game/gan.rs`; `core::game` for its `mod.rs`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into()).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The module graph: file module -> the file modules it names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut paths = Vec::new();
    files(Path::new("src"), &mut paths);
    let modules: BTreeMap<String, PathBuf> =
        paths.iter().map(|p| (module_of(p), p.clone())).collect();
    let resolve = |from: &str, path: &str| -> Option<String> {
        let mut segs: Vec<&str> = path.split("::").collect();
        let mut base: Vec<&str> = if segs[0] == "crate" {
            segs.remove(0);
            vec![]
        } else {
            let mut b: Vec<&str> = from.split("::").collect();
            // A `mod.rs` module's `super` is its parent; a leaf file's too.
            while segs.first() == Some(&"super") {
                segs.remove(0);
                b.pop();
            }
            b
        };
        base.extend(segs);
        (1..=base.len())
            .rev()
            .map(|n| base[..n].join("::"))
            .find(|m| modules.contains_key(m) && m != from)
    };
    let mut g = BTreeMap::new();
    for (m, p) in &modules {
        let text = std::fs::read_to_string(p).unwrap();
        let code: String = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut deps = BTreeSet::new();
        let bytes = code.as_bytes();
        for start in ["crate::", "super::"] {
            let mut i = 0;
            while let Some(k) = code[i..].find(start) {
                let s = i + k;
                let mut e = s;
                while e < bytes.len()
                    && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'_' || bytes[e] == b':')
                {
                    e += 1;
                }
                let mut path = code[s..e].trim_end_matches(':').to_string();
                // `use super::{a, b}`: each item.
                if code[e..].starts_with('{') && code[s..e].ends_with("::") {
                    let close = code[e..].find('}').map_or(e, |c| e + c);
                    for item in code[e + 1..close].split(',') {
                        let item = item.trim().split("::").next().unwrap_or("").trim();
                        if !item.is_empty() && item != "self" {
                            deps.extend(resolve(m, &format!("{path}::{item}")));
                        }
                    }
                }
                if path.ends_with("::") {
                    path.truncate(path.len() - 2);
                }
                if let Some(t) = resolve(m, &path) {
                    if !t.starts_with(&format!("{m}::")) && !m.starts_with(&format!("{t}::")) {
                        deps.insert(t);
                    }
                }
                i = e.max(s + 1);
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    assert!(g.len() > 40, "read {} modules", g.len());
    // Every module that reaches itself through its imports is on a circle.
    for start in g.keys() {
        let mut stack: Vec<&String> = g[start].iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(m) = stack.pop() {
            assert_ne!(m, start, "{start} reaches itself through its imports");
            if seen.insert(m) {
                stack.extend(g.get(m).into_iter().flatten());
            }
        }
    }
}

#[test]
fn the_game_imports_neither_trainer_and_core_no_shell() {
    let g = graph();
    for (m, deps) in &g {
        if m.starts_with("core::game") {
            for d in deps {
                assert!(
                    !d.starts_with("core::plane")
                        && !d.starts_with("core::digits")
                        && !d.starts_with("core::session"),
                    "{m} imports {d}"
                );
            }
        }
        if m.starts_with("core") {
            for d in deps {
                assert!(d.starts_with("core"), "{m} imports {d}, outside core");
            }
            let text = std::fs::read_to_string(format!("src/{}.rs", m.replace("::", "/")))
                .or_else(|_| {
                    std::fs::read_to_string(format!("src/{}/mod.rs", m.replace("::", "/")))
                })
                .unwrap();
            let text: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            for banned in ["web_sys", "wasm_bindgen", "std::fs", "std::time::Instant"] {
                assert!(!text.contains(banned), "{m} uses {banned}");
            }
        }
    }
}
