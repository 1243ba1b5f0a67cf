//! `mignet serve` as an operator runs it: SIGTERM lets the requests in flight finish, logs go to
//! standard error as JSON on request, and `mignet user add` refuses a common password.

use crate::common::*;
use mignet_test_support::{Killed, mignet_serving_port, spawn_on_free_port};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `mignet serve` on port 0 over the sandbox's store, its standard error kept for reading, and the
/// port it took.
fn serve(s: &Sandbox, extra: &[&str]) -> (Killed, u16) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mignet"));
    cmd.args(["--db", &s.db(), "serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped());
    spawn_on_free_port(cmd, mignet_serving_port)
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
    let (mut server, port) = serve(&s, &["--log-format", "json"]);
    let child = &mut server.0;
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
    terminate(child);
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
    let status = wait(child, Duration::from_secs(10));
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
