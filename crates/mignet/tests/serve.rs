//! `mignet serve` as an operator runs it: SIGTERM lets the requests in flight finish, logs go to
//! standard error as JSON on request, and `mignet user add` refuses a common password.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `mignet serve` on port 0 over the sandbox's store, and the port it took.
fn serve(s: &Sandbox, extra: &[&str]) -> (Child, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mignet"))
        .args(["--db", &s.db(), "serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
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
        // `mignet is serving http://127.0.0.1:PORT (store: ...)`
        if let Some(rest) = line
            .trim()
            .strip_prefix("mignet is serving http://127.0.0.1:")
        {
            break rest.split(' ').next().unwrap().parse().unwrap();
        }
    };
    (child, port)
}

fn terminate(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -TERM");
}

fn wait(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(start.elapsed() < within, "mignet serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_slow_request_in_flight_is_answered_after_sigterm_and_then_the_server_stops() {
    let s = Sandbox::loaded();
    let (mut child, port) = serve(&s, &["--log-format", "json"]);
    let body = "email=a%40b.org&password=x&csrf=y";
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        conn,
        "POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&child);
    // The request is still arriving when the signal comes; the rest of its body follows.
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server waits for the request in flight"
    );
    conn.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 403"),
        "the request is answered (the sign-in form's token is missing): {answer:.200}"
    );
    assert!(
        answer.to_ascii_lowercase().contains("x-request-id: "),
        "{answer:.400}"
    );
    let status = wait(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    // JSON lines: the refused sign-in (a write) with its request id, then the stop.
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["message"] == "a write was refused"
            && l["code"] == "sign_in_refused"
            && l["span"]["id"].as_str().is_some_and(|id| !id.is_empty())),
        "{log}"
    );
    assert!(
        lines.iter().any(|l| l["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("stopped"))),
        "{log}"
    );
}

#[test]
fn a_new_account_with_a_common_password_is_refused_on_the_command_line() {
    let s = Sandbox::loaded();
    let out = Command::new(env!("CARGO_BIN_EXE_mignet"))
        .args([
            "--db",
            &s.db(),
            "user",
            "add",
            "--email",
            "a@b.org",
            "--name",
            "A",
            "--role",
            "viewer",
        ])
        .env("MIGNET_PASSWORD", "qwertyuiop")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("most common passwords"), "{err}");
}
