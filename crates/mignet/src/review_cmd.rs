//! `mignet review`: the coordinator's review from the command line, the same use cases as the review
//! page: the submitted figures in context, filtered; approving several, returning one with its
//! reason, writing in a figure's thread.

use clap::Args;
use mignet_app::{App, ReviewFilter, ReviewItem};
use mignet_core::workflow::ReviewAction;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet review --as coordinator@example.org\n  mignet review --as coordinator@example.org --organisation IOM --outcome P1.O1 --format json\n  mignet review --as coordinator@example.org --approve IOM-P1.O1.I03,UNHCR-P2.O1.I02 --comment \"Thank you\"\n  mignet review --as coordinator@example.org --return IOM-P2.O1.I04 --comment \"Which months does this cover?\"\n  mignet review --as iom@example.org --period 2023 --reply IOM-P2.O1.I04 --comment \"January to June\"\n\nActs as the account named by --as, with its role's permissions; every step is in the audit trail\nunder that account. Exit status 1 when any step is refused."
)]
pub struct ReviewArgs {
    /// The account to act as (its e-mail)
    #[arg(long = "as", value_name = "EMAIL")]
    actor: String,
    /// Only this open period
    #[arg(long)]
    period: Option<String>,
    /// Only figures naming this organisation
    #[arg(long)]
    organisation: Option<String>,
    /// Only figures on this outcome's indicators (P1.O1)
    #[arg(long)]
    outcome: Option<String>,
    /// text or json (the list)
    #[arg(long, default_value = "text")]
    format: String,
    /// Approve these submitted figures (ids, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "IDS", conflicts_with_all = ["return_id", "reply"])]
    approve: Vec<String>,
    /// Return this submitted figure to its organisation (needs --comment)
    #[arg(
        long = "return",
        value_name = "ID",
        requires = "comment",
        conflicts_with = "reply"
    )]
    return_id: Option<String>,
    /// Write --comment in this figure's thread (needs --period)
    #[arg(long, value_name = "ID", requires_all = ["comment", "period"])]
    reply: Option<String>,
    /// The reason of a return, the comment of an approval, or the text of a reply
    #[arg(long)]
    comment: Option<String>,
}

pub async fn review(args: ReviewArgs, db: &str) -> anyhow::Result<ExitCode> {
    let app = App::open(db).await?;
    let account = app
        .account_by_email(&args.actor)
        .await?
        .filter(|a| !a.disabled)
        .ok_or_else(|| anyhow::anyhow!("--as: no enabled account {}", args.actor))?;
    let actor = account.actor;
    if let (Some(id), Some(period), Some(text)) = (&args.reply, &args.period, &args.comment) {
        app.comment(&actor, period, id, text).await?;
        println!("{id}: comment added");
        return Ok(ExitCode::SUCCESS);
    }
    let filter = ReviewFilter {
        period: args.period.clone(),
        organisation: args.organisation.clone(),
        outcome: args.outcome.clone(),
    };
    let queue = app.review_queue(&actor, &filter).await?;
    // The steps act on the versions just read: a figure changed meanwhile is refused, not overridden.
    let read = |id: &str| -> anyhow::Result<(String, String, i64)> {
        let item = queue
            .iter()
            .find(|i| i.figure.id.as_str() == id)
            .ok_or_else(|| {
                anyhow::anyhow!("{id} is not waiting for review among the figures selected")
            })?;
        let version = item
            .version
            .ok_or_else(|| anyhow::anyhow!("{id} has no version in the store"))?;
        Ok((item.period.clone(), id.to_owned(), version))
    };
    if let Some(id) = &args.return_id {
        let (period, id, version) = read(id)?;
        app.review(
            &actor,
            &period,
            &id,
            ReviewAction::Return,
            args.comment.as_deref(),
            version,
        )
        .await?;
        println!("{id}: returned");
        return Ok(ExitCode::SUCCESS);
    }
    if !args.approve.is_empty() {
        let figures = args
            .approve
            .iter()
            .map(|id| read(id.trim()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut code = ExitCode::SUCCESS;
        for (id, r) in app
            .approve_many(&actor, &figures, args.comment.as_deref())
            .await
        {
            match r {
                Ok(()) => println!("{id}: approved"),
                Err(e) => {
                    eprintln!("{id}: not approved: {e}");
                    code = ExitCode::FAILURE;
                }
            }
        }
        return Ok(code);
    }
    let out = match args.format.as_str() {
        "json" => serde_json::to_string_pretty(&queue)? + "\n",
        "text" if queue.is_empty() => "nothing is waiting for review\n".into(),
        "text" => queue.iter().map(describe).collect(),
        other => anyhow::bail!("unknown format `{other}`: use one of text, json"),
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// A figure under review as lines for a terminal.
fn describe(i: &ReviewItem) -> String {
    use std::fmt::Write;
    let f = &i.figure;
    let orgs: Vec<&str> = f.organisations.iter().map(|o| o.as_str()).collect();
    let mut out = format!(
        "{} {} ({}, {}): {}\n",
        i.period,
        f.id,
        f.indicator,
        orgs.join(", "),
        mignet_core::numbers::format_figure(f)
    );
    if i.resubmitted {
        let _ = writeln!(
            out,
            "  submitted again; {} change(s) since the previous submission",
            i.changes.len()
        );
        for c in &i.changes {
            let _ = writeln!(
                out,
                "    {} {}: {}",
                c.at,
                c.actor,
                c.after.as_ref().map_or(String::new(), |v| v.to_string())
            );
        }
    }
    for e in &i.earlier {
        let _ = writeln!(out, "  {}: {}", e.period, e.value);
    }
    for t in &i.targets {
        let _ = writeln!(out, "  {t}");
    }
    for x in &i.findings {
        let _ = writeln!(out, "  {:?}: {}", x.level, x.message);
    }
    for t in &i.thread {
        let _ = writeln!(
            out,
            "  {} {} {}{}",
            t.at,
            t.actor,
            t.kind,
            t.text
                .as_deref()
                .map_or(String::new(), |c| format!(": {c}"))
        );
    }
    if !i.unconfirmed.is_empty() {
        let _ = writeln!(
            out,
            "  waiting for confirmation by {}",
            i.unconfirmed.join(", ")
        );
    }
    out
}
