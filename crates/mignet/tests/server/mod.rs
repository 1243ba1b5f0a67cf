//! `mignet serve` on a sandbox's store and a plain HTTP/1.1 client for it, for the tests that read
//! what a server gives out (the public pages, files and API answers).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `mignet serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers (lower-case names) and body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Starts `mignet serve` on a free port over the store `db`.
pub fn serve(db: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mignet"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let port = loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "mignet serve stopped"
        );
        if let Some(rest) = line
            .trim()
            .strip_prefix("mignet is serving http://127.0.0.1:")
        {
            break rest.split(' ').next().unwrap().parse().unwrap();
        }
    };
    // Keep reading standard output so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = out.read_to_end(&mut sink);
    });
    Server { child, port }
}

impl Server {
    /// A GET with extra headers (a session cookie, a Bearer token).
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut conn = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        req.push_str("\r\n");
        conn.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut body = raw[split + 4..].to_vec();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            body = unchunk(&body);
        }
        Answer {
            status,
            headers,
            body,
        }
    }
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
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
