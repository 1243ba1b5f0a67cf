//! `mignet remind` and the mail flags it shares with `mignet serve`: the reporting cycle's messages.

use clap::Args;
use mignet_app::{App, MailSettings, Mailer};
use mignet_core::notify::ReminderPolicy;
use std::process::ExitCode;

/// Where messages go and when reminders are due; the same flags for `serve` and `remind`.
#[derive(Args, Clone)]
pub struct MailArgs {
    /// The mail server: smtp://host:25, smtp://host:587?tls=required (STARTTLS) or smtps://host:465,
    /// with user:password@ where it asks for them. Without one, messages wait in the outbox and show
    /// in each person's list of messages.
    #[arg(long, env = "MIGNET_SMTP", value_name = "URL")]
    smtp: Option<String>,
    /// The sender of the messages
    #[arg(
        long,
        env = "MIGNET_MAIL_FROM",
        default_value = "mignet <mignet@localhost>"
    )]
    mail_from: String,
    /// Days before a round's due date on which organisations that have not reported are reminded
    #[arg(
        long,
        env = "MIGNET_REMIND_DAYS",
        default_value = "7,1",
        value_name = "DAYS"
    )]
    remind_days: String,
    /// Days between reminders to an organisation past its due date
    #[arg(
        long,
        env = "MIGNET_OVERDUE_EVERY",
        default_value_t = 7,
        value_name = "DAYS"
    )]
    overdue_every: u32,
    /// Seconds before a message the mail server refused is tried again; the wait doubles with each
    /// failure, up to an hour
    #[arg(
        long,
        env = "MIGNET_MAIL_RETRY",
        default_value_t = 30,
        value_name = "SECONDS"
    )]
    mail_retry: u64,
    /// The site's public address, for the link in each message (https://mignet.example.org)
    #[arg(long, env = "MIGNET_SITE_URL", value_name = "URL")]
    site_url: Option<String>,
}

impl MailArgs {
    pub fn settings(&self) -> anyhow::Result<MailSettings> {
        let days_before = ReminderPolicy::parse_days(&self.remind_days)
            .map_err(|e| anyhow::anyhow!("--remind-days: {e}"))?;
        let mailer = self
            .smtp
            .as_deref()
            .map(|url| Mailer::new(url, &self.mail_from))
            .transpose()?;
        Ok(MailSettings {
            mailer,
            policy: ReminderPolicy {
                days_before,
                overdue_every: self.overdue_every.max(1),
            },
            site: self.site_url.clone(),
            first_retry: std::time::Duration::from_secs(self.mail_retry.max(1)),
        })
    }
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet remind --smtp smtp://mail.example.org:25\n  mignet remind --today 2024-02-17 --format json\n  # in cron, every morning at 7:\n  0 7 * * * MIGNET_DB=/srv/mignet.db MIGNET_SMTP=smtp://localhost:25 mignet remind\n\nIt writes the messages of review steps not yet announced and the reminders due today, then sends every\nwaiting message. Run it as often as you like: each message is written and sent once, also when\n`mignet serve` sends them too."
)]
pub struct RemindArgs {
    #[command(flatten)]
    mail: MailArgs,
    /// The day to remind on (YYYY-MM-DD, or @FILE holding one) instead of today's date
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// text or json
    #[arg(long, default_value = "text")]
    format: String,
}

/// Runs the message cycle once. Fails (exit code 1) while messages could not be sent, so that cron
/// tells the operator; they stay in the outbox and go with the next run.
pub async fn remind(args: RemindArgs, db: &str) -> anyhow::Result<ExitCode> {
    let today = match &args.today {
        Some(d) => mignet_app::Clock::parse(d)?,
        None => mignet_app::Clock::System,
    }
    .today();
    if !matches!(args.format.as_str(), "text" | "json") {
        anyhow::bail!("unknown format `{}`: use text or json", args.format);
    }
    let settings = args.mail.settings()?;
    let app = App::open(db).await?;
    let r = app.message_cycle(&today, &settings, true).await?;
    if args.format == "json" {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        println!(
            "{today}: {} new message(s) of review steps, {} reminder(s); sent {}, failed {}; {} waiting in the outbox",
            r.events, r.reminders, r.sent, r.failed, r.outbox.waiting
        );
        if settings.mailer.is_none() && r.outbox.waiting > 0 {
            println!(
                "no mail server is set (--smtp or MIGNET_SMTP): messages show in the site only"
            );
        }
    }
    Ok(if r.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
