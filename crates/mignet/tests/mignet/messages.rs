//! The reporting cycle's e-mail through real processes: `mignet serve` with its scheduler, a real
//! SMTP server (aiosmtpd, `mignet_test_support::smtp_sink`), and the day moved by writing the file
//! the server reads it from (`--today @FILE`), never by waiting for it. What was written is read from
//! the store's outbox; what arrived, from the mail server's folder.

use mignet_app::{App, OutboxMessage};
use mignet_test_support::{
    Killed, Received, mignet_serving_port, received, smtp_sink, spawn_on_free_port,
};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `mignet serve --demo` on `db`, sending every second through the mail server on `smtp_port`,
/// trying a refused message again after a second, on the day written in `day`.
fn serve(db: &str, day: &Path, smtp_port: u16) -> Killed {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mignet"));
    cmd.args(["--db", db, "serve", "--demo", "--addr", "127.0.0.1:0"])
        .args(["--smtp", &format!("smtp://127.0.0.1:{smtp_port}")])
        .args(["--mail-every", "1", "--mail-retry", "1"])
        .args(["--today", &format!("@{}", day.display())]);
    spawn_on_free_port(cmd, mignet_serving_port).0
}

/// The store's outbox, as another process sees it.
struct Outbox {
    rt: tokio::runtime::Runtime,
    app: App,
}

impl Outbox {
    fn open(db: &str) -> Outbox {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let app = rt.block_on(App::open(db)).unwrap();
        Outbox { rt, app }
    }
    fn read(&self) -> Vec<OutboxMessage> {
        self.rt.block_on(self.app.outbox()).unwrap()
    }
    /// Polls, up to a minute, until `done` holds of the outbox; returns it then.
    fn until(&self, what: &str, done: impl Fn(&[OutboxMessage]) -> bool) -> Vec<OutboxMessage> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let o = self.read();
            if done(&o) {
                return o;
            }
            assert!(
                Instant::now() < deadline,
                "waited a minute for {what}: {o:#?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn all_sent(o: &[OutboxMessage]) -> bool {
    !o.is_empty() && o.iter().all(|m| m.sent_at.is_some())
}

/// A reminder of `when` (`before-7`, `overdue-0` ...) was written, and everything is sent.
fn reminded(when: &'static str) -> impl Fn(&[OutboxMessage]) -> bool {
    move |o| o.iter().any(|m| m.key.contains(&format!(":{when}:"))) && all_sent(o)
}

/// Each message of the outbox arrived exactly once, to its recipient, with its subject: found by its
/// Message-ID, which its key decides.
fn each_arrived_once(outbox: &[OutboxMessage], got: &[Received]) {
    assert_eq!(
        got.len(),
        outbox.len(),
        "as many arrived as were written: {got:#?}"
    );
    for m in outbox {
        let id = mignet_app::message_id(&m.key);
        let arrived: Vec<&Received> = got
            .iter()
            .filter(|r| r.header("Message-ID").as_deref() == Some(id.as_str()))
            .collect();
        assert_eq!(
            arrived.len(),
            1,
            "{} arrived {} times",
            m.key,
            arrived.len()
        );
        assert_eq!(arrived[0].to, std::slice::from_ref(&m.recipient));
        assert_eq!(
            arrived[0].header("Subject").as_deref(),
            Some(m.subject.as_str())
        );
    }
}

#[test]
fn reminders_written_while_the_mail_server_is_down_arrive_once_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mail.db").display().to_string();
    let mail = dir.path().join("mail");
    std::fs::create_dir(&mail).unwrap();
    let day = dir.path().join("day");
    // A week before the round's due date (2024-02-16).
    std::fs::write(&day, "2024-02-09\n").unwrap();
    // A port no server listens on: the sink's, once it has stopped.
    let port = smtp_sink(&mail, None).1;
    let _server = serve(&db, &day, port);
    let outbox = Outbox::open(&db);

    let failing = outbox.until("a reminder the mail server could not take", |o| {
        o.iter()
            .any(|m| m.sent_at.is_none() && m.attempts >= 2 && m.last_error.is_some())
    });
    assert!(
        failing.iter().any(|m| m.key.contains(":before-7:")),
        "{failing:#?}"
    );
    assert!(received(&mail).is_empty());

    // The mail server comes back on its port: what waited arrives, once.
    let _sink = smtp_sink(&mail, Some(port));
    let sent = outbox.until("the waiting reminders to be sent", all_sent);
    each_arrived_once(&sent, &received(&mail));

    // The day moves past the due date: the late agency's reminder follows, with nothing restarted.
    std::fs::write(&day, "2024-02-17\n").unwrap();
    let late = outbox.until("the overdue reminder", reminded("overdue-0"));
    assert!(late.len() > sent.len());
    each_arrived_once(&late, &received(&mail));
}

#[test]
fn two_servers_on_one_postgres_store_send_each_message_once() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt.block_on(mignet_test_support::postgres_database("mignet_mail"));
    drop(rt);
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("mail");
    std::fs::create_dir(&mail).unwrap();
    let day = dir.path().join("day");
    // Before the round opens: nothing to remind of while the two servers start.
    std::fs::write(&day, "2024-01-01\n").unwrap();
    let (_sink, port) = smtp_sink(&mail, None);
    let _first = serve(&url, &day, port);
    // The second finds the demo loaded by the first, and keeps it.
    let _second = serve(&url, &day, port);
    let outbox = Outbox::open(&url);

    // Each day both servers' schedulers run every second, on the same outbox.
    for (date, when) in [
        ("2024-02-09", "before-7"),
        ("2024-02-15", "before-1"),
        ("2024-02-17", "overdue-0"),
        ("2024-02-24", "overdue-1"),
    ] {
        std::fs::write(&day, format!("{date}\n")).unwrap();
        outbox.until(when, reminded(when));
    }
    each_arrived_once(&outbox.read(), &received(&mail));
}
