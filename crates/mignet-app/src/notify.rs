//! Messages of the reporting cycle: written to the store's outbox from the review log, the audit
//! trail and the round's calendar, then sent over SMTP until the mail server accepts them. The same
//! cycle runs inside `mignet serve` (a scheduler) and from `mignet remind` (for cron).

use crate::{App, AppError, Clock};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mignet_core::access::Actor;
use mignet_core::notify::{self, Message, ReminderPolicy, ReviewStep};
use mignet_store::{NewMessage, OutboxCounts, OutboxMessage};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a sender holds the messages it claimed before another may take them (seconds).
const LEASE_SECONDS: i64 = 120;

/// How many messages a sender claims at a time.
const CLAIM_AT_ONCE: i64 = 20;

/// How many log entries are read at a time when looking for events.
const LOG_PAGE: i64 = 2000;

/// The longest wait before a failed message is tried again (seconds).
const LONGEST_RETRY: i64 = 3600;

/// An SMTP server and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The transport holds the server's credentials: only the sender is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `url`: `smtp://host:port` (plain, for a relay on the same host or network),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465`, with `user:password@` where the
    /// server asks for them. `from` is the sender, `Name <address>` or an address.
    pub fn new(url: &str, from: &str) -> Result<Mailer, AppError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| {
                AppError::invalid(
                    "smtp",
                    format!(
                        "`{}` is not a mail server address ({e}): write it as smtp://host:25, smtp://host:587?tls=required or smtps://host:465",
                        redact(url)
                    ),
                )
            })?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| {
            AppError::invalid(
                "mail-from",
                format!("`{from}` is not an e-mail address ({e}): write it as `mignet <network@example.org>`"),
            )
        })?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, m: &OutboxMessage, site: Option<&str>) -> Result<(), String> {
        let to = m
            .recipient
            .parse::<Mailbox>()
            .map_err(|e| format!("`{}` is not an e-mail address: {e}", m.recipient))?;
        let mut body = m.body.clone();
        if let Some(site) = site {
            body.push_str(&format!(
                "\n\nOpen it: {}{}\n",
                site.trim_end_matches('/'),
                m.link
            ));
        }
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(message_id(&m.key)))
            .body(body)
            .map_err(|e| format!("cannot write the message: {e}"))?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The Message-ID of the message with `key`: the same for every try, so that a mail server or reader
/// that sees it twice (sent, but the store never heard) can tell.
pub fn message_id(key: &str) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(key.as_bytes());
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@mignet>")
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_owned(),
    }
}

/// How the reporting cycle's messages go out.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The mail server; without one, messages stay in the outbox and the in-app list.
    pub mailer: Option<Mailer>,
    pub policy: ReminderPolicy,
    /// The site's public address, for the link in each message (`https://mignet.example.org`).
    pub site: Option<String>,
    /// How long after a first failure a message is tried again; the wait doubles with each failure,
    /// up to an hour.
    pub first_retry: Duration,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            mailer: None,
            policy: ReminderPolicy::default(),
            site: None,
            first_retry: Duration::from_secs(30),
        }
    }
}

/// What one run of the cycle did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CycleReport {
    /// Messages written for review steps and saved joint figures.
    pub events: u64,
    /// Reminders written.
    pub reminders: u64,
    pub sent: u64,
    pub failed: u64,
    /// The outbox after the run.
    pub outbox: OutboxCounts,
}

fn epoch_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn new_messages(messages: &[Message]) -> Vec<NewMessage<'_>> {
    messages
        .iter()
        .map(|m| NewMessage {
            key: &m.key,
            recipient: &m.recipient,
            subject: &m.subject,
            body: &m.body,
            link: &m.link,
        })
        .collect()
}

impl App {
    async fn enabled_actors(&self) -> Result<Vec<Actor>, AppError> {
        Ok(self
            .all_accounts()
            .await?
            .into_iter()
            .filter(|a| !a.disabled)
            .map(|a| a.actor)
            .collect())
    }

    /// Writes the messages of the review steps and joint figures saved since the last reading of the
    /// logs, and moves past them. Several readers at once (in this process or others) write each
    /// message once. Returns how many were new.
    pub async fn gather_messages(&self) -> Result<u64, AppError> {
        let _one_reader = self.gathering.lock().await;
        let accounts = self.enabled_actors().await?;
        let ds = self.dataset().await?;
        let mut new = 0;
        loop {
            let (review_cursor, audit_cursor) = self.store().outbox_cursors().await?;
            let reviews = self.store().reviews_after(review_cursor, LOG_PAGE).await?;
            let (saves, audit_last) = self
                .store()
                .figure_saves_after(audit_cursor, LOG_PAGE)
                .await?;
            if reviews.is_empty() && audit_last == audit_cursor {
                return Ok(new);
            }
            let mut messages = Vec::new();
            for r in &reviews {
                let Some(f) = ds.period(&r.period).and_then(|p| p.figure(&r.figure)) else {
                    continue;
                };
                messages.extend(notify::for_review(
                    &ds,
                    &ReviewStep {
                        id: r.id,
                        period: &r.period,
                        figure: f,
                        action: &r.action,
                        actor: &r.actor,
                        organisation: r.organisation.as_deref(),
                        comment: r.comment.as_deref(),
                    },
                    &accounts,
                ));
            }
            for s in &saves {
                let Some((period, rest)) = s.key.split_once('/') else {
                    continue;
                };
                // A comment's key is PERIOD/FIGURE/N; a figure id has no slash.
                let id = rest.split('/').next().unwrap_or(rest);
                // Who saved it first: only a person's save is told to anyone, and the saves of a
                // dataset load (150,000 on a large network, none by an account) then cost nothing.
                // Finding the figure is a walk through its period, so it comes second: in the other
                // order the first cycle after a large load walked 150,000 times through 15,000
                // figures (about 10 s on two cores, `mignet remind` on bench/scale's network).
                let Some(actor) = accounts.iter().find(|a| a.email == s.actor) else {
                    continue;
                };
                let Some(f) = ds.period(period).and_then(|p| p.figure(id)) else {
                    continue;
                };
                match &s.comment {
                    Some(text) => messages.extend(notify::for_comment(
                        &ds, s.id, period, f, actor, text, &accounts,
                    )),
                    None => messages.extend(notify::for_joint_save(
                        &ds, s.id, period, f, actor, &accounts,
                    )),
                }
            }
            let review_last = reviews.last().map_or(review_cursor, |r| r.id);
            new += self
                .store()
                .enqueue(&new_messages(&messages), Some((review_last, audit_last)))
                .await?;
        }
    }

    /// Writes the reminders due on `today` for every open period's round.
    pub async fn queue_reminders(
        &self,
        today: &str,
        policy: &ReminderPolicy,
    ) -> Result<u64, AppError> {
        let accounts = self.enabled_actors().await?;
        let ds = self.dataset().await?;
        let messages: Vec<Message> = ds
            .periods
            .iter()
            .flat_map(|p| notify::reminders(&ds, p, today, policy, &accounts))
            .collect();
        Ok(self.store().enqueue(&new_messages(&messages), None).await?)
    }

    /// Sends the outbox's waiting messages, each once, oldest first. A message that fails is tried
    /// again later, sooner after its first failures; with `now_all`, every waiting message is tried
    /// now (an operator's or cron's run).
    pub async fn deliver(
        &self,
        mailer: &Mailer,
        settings: &MailSettings,
        now_all: bool,
    ) -> Result<(u64, u64), AppError> {
        let site = settings.site.as_deref();
        let first = settings.first_retry.as_secs().max(1) as i64;
        let (mut sent, mut failed) = (0, 0);
        let mut after = 0;
        loop {
            let now = epoch_seconds();
            let due_by = if now_all { i64::MAX } else { now };
            let batch = self
                .store()
                .claim_outbox(now, due_by, after, LEASE_SECONDS, CLAIM_AT_ONCE)
                .await?;
            let Some(last) = batch.last() else {
                return Ok((sent, failed));
            };
            after = last.id;
            for m in &batch {
                match mailer.send(m, site).await {
                    Ok(()) => {
                        self.store().outbox_sent(m.id).await?;
                        sent += 1;
                    }
                    Err(e) => {
                        let wait = (first << (m.attempts - 1).clamp(0, 10)).min(LONGEST_RETRY);
                        tracing::warn!(message = m.id, recipient = %m.recipient, error = %e, retry_in_s = wait, "a message was not sent");
                        self.store()
                            .outbox_failed(m.id, &e, epoch_seconds() + wait)
                            .await?;
                        failed += 1;
                    }
                }
            }
        }
    }

    /// One run of the cycle on `today`: messages of new events, the day's reminders, then delivery
    /// if there is a mail server.
    pub async fn message_cycle(
        &self,
        today: &str,
        settings: &MailSettings,
        now_all: bool,
    ) -> Result<CycleReport, AppError> {
        let events = self.gather_messages().await?;
        let reminders = self.queue_reminders(today, &settings.policy).await?;
        let (sent, failed) = match &settings.mailer {
            Some(m) => self.deliver(m, settings, now_all).await?,
            None => (0, 0),
        };
        Ok(CycleReport {
            events,
            reminders,
            sent,
            failed,
            outbox: self.store().outbox_counts().await?,
        })
    }

    /// The newest messages to the actor, for the in-app list.
    pub async fn messages_for(&self, actor: &Actor) -> Result<Vec<OutboxMessage>, AppError> {
        Ok(self.store().messages_to(&actor.email, 100).await?)
    }

    /// Every message of the outbox, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>, AppError> {
        Ok(self.store().outbox().await?)
    }

    /// Writes the messages of a step just taken; a failure is logged, never the step's: the scheduler
    /// reads the same logs again.
    pub(crate) async fn announce(&self) {
        if let Err(e) = self.gather_messages().await {
            tracing::warn!(error = %e, "messages of a review step were not written yet; the next cycle writes them");
        }
    }
}

/// Runs the cycle every `every` until the process stops (inside `mignet serve`). A failed run is
/// logged and the next one tries again.
pub async fn run_scheduler(app: Arc<App>, clock: Clock, settings: MailSettings, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app.message_cycle(&clock.today(), &settings, false).await {
            Ok(r) if r.events + r.reminders + r.sent + r.failed > 0 => {
                tracing::info!(
                    events = r.events,
                    reminders = r.reminders,
                    sent = r.sent,
                    failed = r.failed,
                    waiting = r.outbox.waiting,
                    "messages"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the message cycle failed; it runs again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact("smtp://u:secret@mail:25"), "smtp://***@mail:25");
        assert_eq!(redact("smtp://mail:25"), "smtp://mail:25");
    }

    #[test]
    fn a_wrong_sender_says_what_to_write() {
        let e = Mailer::new("smtp://127.0.0.1:25", "not an address")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("mail-from") && e.contains("example.org"), "{e}");
        let e = Mailer::new("ftp://x", "a@b.org").err().unwrap().to_string();
        assert!(e.contains("smtp://"), "{e}");
    }
}
