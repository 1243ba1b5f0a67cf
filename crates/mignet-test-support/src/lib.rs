//! What the integration tests of the mignet crates share, so that no test file keeps its own copy:
//! the repository's paths (the Thailand example, the fixtures), copying a dataset folder, temporary
//! folders and unique names, the PostgreSQL server and the Python interpreter the environment names,
//! a process launched on a free port, and a plain HTTP/1.1 client for it.
//!
//! A dev-dependency only: no crate's normal build reaches it (scripts/check-architecture.sh).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

pub use tempfile::{TempDir, tempdir};

// ---------------------------------------------------------------- paths

/// The repository's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Thailand example dataset folder (`examples/thailand-2022`).
pub fn example() -> PathBuf {
    root().join("examples/thailand-2022")
}

/// A file or folder under the repository's shared fixtures (`tests/fixtures`).
pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/fixtures").join(path)
}

/// Copies the folder `from` into `to` (created if missing), subfolders included; a file already in `to`
/// is overwritten, so a fixture copied over the example replaces the example's files of the same name.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding a copy of the example with each of `overlays` (folders of the
/// repository's fixtures, as [`fixture`] names them) copied over it in turn; the dataset is in
/// `data` below the returned folder, which is removed when dropped.
pub fn example_with(overlays: &[&str]) -> (TempDir, PathBuf) {
    let dir = tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&example(), &data);
    for overlay in overlays {
        copy_dir(&fixture(overlay), &data);
    }
    (dir, data)
}

/// A name no other call in this process or in another running one returns: `prefix`, the process id,
/// a counter and the clock's nanoseconds (for temporary folders and databases).
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

// ---------------------------------------------------------------- the environment's services

/// The admin URL of the PostgreSQL server the tests use, from `MIGNET_TEST_POSTGRES`. A missing
/// variable fails the test: the tests that need PostgreSQL never skip.
pub fn postgres_admin_url() -> String {
    std::env::var("MIGNET_TEST_POSTGRES").expect(
        "MIGNET_TEST_POSTGRES is not set: start a server with `.ci/start-postgres.sh` and export \
         the URL it prints",
    )
}

/// A fresh, empty database on the server of [`postgres_admin_url`], named from `prefix` by
/// [`unique`]; returns its URL.
#[cfg(feature = "postgres")]
pub async fn postgres_database(prefix: &str) -> String {
    use sqlx::Connection;
    let admin = postgres_admin_url();
    sqlx::any::install_default_drivers();
    let name = unique(prefix);
    let mut conn = sqlx::AnyConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to MIGNET_TEST_POSTGRES ({admin}): {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("MIGNET_TEST_POSTGRES ends with a database name");
    format!("{base}/{name}")
}

/// Runs a Python snippet with arguments under `MIGNET_TEST_PYTHON` (default `python3`) and returns
/// what it printed. A missing interpreter or library fails the test (scripts/test.sh installs them).
pub fn python(script: &str, args: &[&Path]) -> String {
    let py = std::env::var("MIGNET_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&py)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {py}: {e} (set MIGNET_TEST_PYTHON)"));
    assert!(
        out.status.success(),
        "{py} failed (are openpyxl and libhxl installed?):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// [`python`], parsing what it printed as JSON.
pub fn python_json(script: &str, args: &[&Path]) -> serde_json::Value {
    let printed = python(script, args);
    serde_json::from_str(&printed)
        .unwrap_or_else(|e| panic!("the script printed no JSON ({e}):\n{printed}"))
}

/// Runs a third-party program, which must be installed and succeed, and returns its standard output.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is not installed ({e}); scripts/test.sh installs it"));
    assert!(
        out.status.success(),
        "{name} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// ---------------------------------------------------------------- processes on a free port

/// A child process killed when the test ends, however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a program told to listen on port 0 and reads the port it got from the first line of its
/// standard output that `port_of` understands; the rest of its output is drained in the background, so
/// it never blocks on a full pipe. Standard error is left as the command sets it. Port 0 rather than a
/// port picked beforehand: tests running at once can never race for one.
pub fn spawn_on_free_port(mut cmd: Command, port_of: fn(&str) -> Option<u16>) -> (Killed, u16) {
    let name = format!("{:?}", cmd.get_program());
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
    let out = child.stdout.take().expect("piped stdout");
    let child = Killed(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if !sent && let Some(port) = port_of(&line) {
                let _ = tx.send(port);
                sent = true;
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("{name} did not say which port it listens on"));
    (child, port)
}

/// The port in the line `mignet serve` prints once it listens:
/// `mignet is serving http://127.0.0.1:PORT (store: ...)`.
pub fn mignet_serving_port(line: &str) -> Option<u16> {
    line.trim()
        .strip_prefix("mignet is serving http://127.0.0.1:")?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

/// An HTTP answer: status, headers (lower-case names) and body.
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

/// A GET of `path` from the server on the loopback `port`, with extra headers (a session cookie, a
/// Bearer token), over a plain HTTP/1.1 connection; a chunked body is put together.
pub fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_folder_holds_the_same_files_and_an_overlay_replaces_those_of_the_same_name() {
        let (dir, data) = example_with(&["joint-2023"]);
        assert!(data.join("network.toml").is_file());
        for entry in std::fs::read_dir(fixture("joint-2023")).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                assert_eq!(
                    std::fs::read(entry.path()).unwrap(),
                    std::fs::read(data.join(entry.file_name())).unwrap()
                );
            }
        }
        drop(dir);
        assert!(!data.exists(), "the folder is removed when dropped");
    }

    #[test]
    fn unique_names_differ_within_one_process() {
        assert_ne!(unique("t"), unique("t"));
    }

    #[test]
    fn the_serving_port_is_read_from_the_line_mignet_serve_prints() {
        assert_eq!(
            mignet_serving_port("mignet is serving http://127.0.0.1:40123 (store: x.db)"),
            Some(40123)
        );
        assert_eq!(mignet_serving_port("loading the store"), None);
    }

    #[test]
    fn a_chunked_body_is_put_together() {
        assert_eq!(unchunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"), b"abcde");
    }
}

// ---------------------------------------------------------------- a mail server

/// A real SMTP server (aiosmtpd, run by `MIGNET_TEST_PYTHON`) that writes each message it accepts
/// into `dir`; on `port`, or a free one. Returns the process (stopped when dropped) and its port.
pub fn smtp_sink(dir: &Path, port: Option<u16>) -> (Killed, u16) {
    let py = std::env::var("MIGNET_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut cmd = Command::new(py);
    cmd.arg("-c")
        .arg(include_str!("smtp_sink.py"))
        .arg(dir)
        .arg(port.unwrap_or(0).to_string());
    spawn_on_free_port(cmd, |line| {
        line.trim()
            .strip_prefix("smtp sink listening on 127.0.0.1:")?
            .parse()
            .ok()
    })
}

/// A message the sink received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope's recipients.
    pub to: Vec<String>,
    /// The message's text, headers and body.
    pub message: String,
}

impl Received {
    /// The value of a header (the first of that name), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.message.split("\r\n\r\n").next()?.replace("\r\n ", " ");
        head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// Every message the sink wrote into `dir`, by the sink process that received it, then in order.
pub fn received(dir: &Path) -> Vec<Received> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            Received {
                to: v["to"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
                    .collect(),
                message: v["message"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}
