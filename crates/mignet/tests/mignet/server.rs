//! `mignet serve` on a sandbox's store and a plain HTTP/1.1 client for it, for the tests that read
//! what a server gives out (the public pages, files and API answers).

use mignet_test_support::{Killed, mignet_serving_port, spawn_on_free_port};
use std::process::{Command, Stdio};

pub use mignet_test_support::Answer;

/// A running `mignet serve`, stopped when dropped.
pub struct Server {
    _child: Killed,
    pub port: u16,
}

/// Starts `mignet serve` on a free port over the store `db`.
pub fn serve(db: &str) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mignet"));
    cmd.args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .stderr(Stdio::null());
    let (child, port) = spawn_on_free_port(cmd, mignet_serving_port);
    Server {
        _child: child,
        port,
    }
}

impl Server {
    /// A GET with extra headers (a session cookie, a Bearer token).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        mignet_test_support::http_get(self.port, path, headers)
    }
}

/// What a reader is told by an HTML or XML document: the text between tags and the values of
/// attributes, leaving out drawing geometry (coordinates and sizes of SVG shapes), which carries no
/// figure.
pub fn markup_strings(doc: &str) -> Vec<String> {
    const GEOMETRY: &[&str] = &[
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "width",
        "height",
        "d",
        "viewbox",
        "points",
        "transform",
        "style",
        "class",
        "font-size",
        "stroke-width",
        "dx",
        "dy",
    ];
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(open) = rest.find('<') {
        out.push(rest[..open].to_owned());
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        // name="value" pairs
        let mut t = tag;
        while let Some(eq) = t.find("=\"") {
            let name = t[..eq]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let after = &t[eq + 2..];
            let end = after.find('"').unwrap_or(after.len());
            if !GEOMETRY.contains(&name.as_str()) {
                out.push(after[..end].to_owned());
            }
            t = &after[(end + 1).min(after.len())..];
        }
        rest = &rest[open + close + 1..];
    }
    out.push(rest.to_owned());
    out
}

/// The whole numbers a text states, with or without thousands separators (`4,805` and `4805` are
/// both 4805; so is the `4805` of `4805.0`).
pub fn numbers_in(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for run in text.split(|c: char| !(c.is_ascii_digit() || c == ',')) {
        let run = run.trim_matches(',');
        if run.is_empty() {
            continue;
        }
        if let Ok(n) = run.replace(',', "").parse() {
            out.push(n);
        }
        if run.contains(',') {
            out.extend(run.split(',').filter_map(|p| p.parse::<u64>().ok()));
        }
    }
    out
}

/// Every number a JSON value states: numbers, and the numbers in its strings.
pub fn json_numbers(v: &serde_json::Value) -> Vec<u64> {
    use serde_json::Value;
    match v {
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| vec![f as u64])
            .unwrap_or_default(),
        Value::String(s) => numbers_in(s),
        Value::Array(a) => a.iter().flat_map(json_numbers).collect(),
        Value::Object(o) => o
            .iter()
            .flat_map(|(k, v)| numbers_in(k).into_iter().chain(json_numbers(v)))
            .collect(),
        _ => Vec::new(),
    }
}
