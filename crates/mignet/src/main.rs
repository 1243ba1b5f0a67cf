//! The `mignet` command line: parses arguments and calls the use cases in `mignet-app`.

mod edition_cmd;
mod exchange_cmd;
mod mail_cmd;
mod reach_cmd;
mod review_cmd;
mod serve_cmd;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use mignet_app::{App, AppError, ExportFormat, ReportFormat};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mignet",
    version,
    about = "Results monitoring and reporting for networks on migration",
    after_help = "Examples:\n  mignet load examples/thailand-2022\n  mignet report --period 2022 --format html -o highlights-2022.html\n  mignet check --period 2022\n  mignet export --period 2022 --format json -o 2022.json\n  mignet --db postgres://user@host/mignet load examples/thailand-2022"
)]
struct Cli {
    #[command(flatten)]
    db: Db,
    /// How log lines are written on standard error: `text` for people, `json` (one object a line)
    /// for log collectors. The level comes from RUST_LOG (such as `info` or `mignet_web=debug`).
    #[arg(long, env = "MIGNET_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Installs the one log subscriber of the process, on standard error (standard output carries the
/// commands' results). Without RUST_LOG, the server logs at info (each refused write, each failure,
/// start and stop) and every other command only warnings.
fn install_logging(format: LogFormat, serving: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(if serving {
            "info,sqlx=warn,tower_http=warn"
        } else {
            "warn"
        })
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // Only one subscriber is ever installed; `try_init` fails only if one already is.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Where the store is: an SQLite file (created when missing) or a PostgreSQL URL.
#[derive(Args, Clone)]
struct Db {
    /// An SQLite file path, or postgres://user@host/database
    #[arg(long, env = "MIGNET_DB", default_value = "mignet.db", global = true)]
    db: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application: public dashboard, data entry, review, JSON API.
    Serve(serve_cmd::ServeArgs),
    /// Manage accounts: add, token, list.
    User(serve_cmd::UserArgs),
    /// Load a dataset folder into the store, in one transaction.
    #[command(
        after_help = "Examples:\n  mignet load examples/thailand-2022\n  MIGNET_DB=network.db mignet load my-network/\n\nA folder with any error writes nothing; every error is printed with its file, line and field.\nLoading the same folder again changes nothing. The folder's format: docs/dataset-format.md."
    )]
    Load {
        /// The dataset folder (network.toml, framework.toml, periods/...)
        dir: PathBuf,
    },
    /// Render the Highlights of a period from the store.
    #[command(
        after_help = "Examples:\n  mignet report --period 2022 --format html -o highlights-2022.html\n  mignet report --period 2022 --format pdf -o highlights-2022.pdf\n  mignet report --period 2022 --format md | less\n  mignet report --period 2022 --format pdf --lang th -o highlights-2022-th.pdf\n\nWith --lang, the brief's own words are in that language and the dataset's texts too where\ntranslations.toml translates them (docs/translations.md); the rest stays in English."
    )]
    Report {
        #[arg(long)]
        period: String,
        /// md, html or pdf
        #[arg(long, default_value = "html")]
        format: String,
        /// The brief's language: en or th
        #[arg(long, default_value = "en")]
        lang: String,
        /// Write here instead of to standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Run the validation rules; exit status 1 when any finding is an error.
    #[command(
        after_help = "Examples:\n  mignet check\n  mignet check --period 2022\n  mignet check --period 2022 --json"
    )]
    Check {
        #[arg(long)]
        period: Option<String>,
        /// Print the findings as JSON
        #[arg(long)]
        json: bool,
    },
    /// Export a period's data.
    #[command(
        after_help = "Examples:\n  mignet export --period 2022 --format json -o 2022.json\n  mignet export --period 2022 --format json | jq '.figures | length'\n  mignet export --period 2022 --format xlsx -o 2022.xlsx\n  mignet export --period 2022 --format hxl -o 2022.hxl.csv\n  mignet export --period 2022 --format iati -o 2022-iati.xml\n\nThe JSON shape is documented in docs/json-export.md; XLSX, HXL and IATI in docs/exports.md.\nHXL and IATI carry approved figures only; XLSX carries every figure with its status."
    )]
    Export {
        #[arg(long)]
        period: String,
        /// json, xlsx, hxl or iati
        #[arg(long, default_value = "json")]
        format: String,
        /// Write here instead of to standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Count people once across agencies from pseudonymous service records.
    Reach(reach_cmd::ReachArgs),
    /// Replace identifying columns of a CSV with a keyed pseudonym.
    Pseudonymize(reach_cmd::PseudonymizeArgs),
    /// Make a new network key for pseudonyms.
    Keygen(reach_cmd::KeygenArgs),
    /// Make the reporting workbook (.xlsx) of one organisation for one period.
    Template(exchange_cmd::TemplateArgs),
    /// Import a filled-in workbook (.xlsx) or its CSV form.
    Import(exchange_cmd::ImportArgs),
    /// Write and send the reporting cycle's messages: review steps, reminders before and after the
    /// due date.
    Remind(mail_cmd::RemindArgs),
    /// Review submitted figures in context; approve, return, or write in a figure's thread.
    Review(review_cmd::ReviewArgs),
    /// Publish a period: freeze its Highlights and exports as its next edition.
    Publish(edition_cmd::PublishArgs),
    /// List the published editions, or write one of their files as published.
    Editions(edition_cmd::EditionsArgs),
    /// How complete a period's reporting round is: each organisation's assignments by stage.
    #[command(
        after_help = "Examples:\n  mignet completeness --period 2023\n  mignet completeness --period 2023 --today 2023-02-20\n  mignet completeness --period 2023 --format xlsx -o round-2023.xlsx\n  mignet completeness --period 2023 --format json | jq '.organisations[] | select(.overdue > 0)'\n\nAssignments and the due date are written in the period's period.toml (docs/dataset-format.md, \"Reporting rounds\")."
    )]
    Completeness {
        #[arg(long)]
        period: String,
        /// The day to count on (YYYY-MM-DD, or @FILE holding one) instead of today's date
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// text, json or xlsx
        #[arg(long, default_value = "text")]
        format: String,
        /// Write here instead of to standard output
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    install_logging(cli.log_format, matches!(cli.command, Command::Serve(_)));
    let result = match cli.command {
        Command::Reach(args) => reach_cmd::reach(args, &cli.db.db).map(|()| ExitCode::SUCCESS),
        Command::Pseudonymize(args) => reach_cmd::pseudonymize(args).map(|()| ExitCode::SUCCESS),
        Command::Keygen(args) => reach_cmd::keygen(args).map(|()| ExitCode::SUCCESS),
        store_command => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the runtime")
            .and_then(|rt| rt.block_on(run(store_command, &cli.db.db))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, db: &str) -> anyhow::Result<ExitCode> {
    match command {
        Command::Load { dir } => {
            let app = App::open(db).await?;
            match app.load(&dir, "mignet load").await {
                Ok(outcome) => {
                    let s = &outcome.summary;
                    if s.is_unchanged() {
                        println!("{} is already in {}: nothing changed", dir.display(), db);
                    } else {
                        println!(
                            "loaded {} into {}: {} created, {} updated, {} deleted, {} unchanged",
                            dir.display(),
                            db,
                            s.created,
                            s.updated,
                            s.deleted,
                            s.unchanged
                        );
                    }
                    let errors = outcome
                        .findings
                        .iter()
                        .filter(|f| f.level == mignet_core::Level::Error)
                        .count();
                    let warnings = outcome.findings.len() - errors;
                    if !outcome.findings.is_empty() {
                        println!(
                            "check: {errors} error(s), {warnings} warning(s); `mignet check` lists them"
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Dataset(errors)) => {
                    for e in &errors {
                        eprintln!("error: {e}");
                    }
                    eprintln!(
                        "{} error(s) in {}; nothing was written",
                        errors.len(),
                        dir.display()
                    );
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Report {
            period,
            format,
            lang,
            output,
        } => {
            let lang = mignet_report::words::known(&lang).with_context(|| {
                format!("the brief is not written in `{lang}`: use en or th (docs/translations.md)")
            })?;
            let format = ReportFormat::parse(&format).with_context(|| {
                format!(
                    "unknown report format `{format}`: use one of {}",
                    ReportFormat::NAMES
                )
            })?;
            let app = App::open(db).await?;
            let bytes = app.report(&period, format, &lang).await?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { period, json } => {
            let app = App::open(db).await?;
            let findings = app.check(period.as_deref()).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&findings)?);
            } else {
                for f in &findings {
                    println!("{f}");
                }
                let errors = findings
                    .iter()
                    .filter(|f| f.level == mignet_core::Level::Error)
                    .count();
                println!(
                    "{} error(s), {} warning(s)",
                    errors,
                    findings.len() - errors
                );
            }
            let failed = findings
                .iter()
                .any(|f| f.level == mignet_core::Level::Error);
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Export {
            period,
            format,
            output,
        } => {
            let format = ExportFormat::parse(&format).with_context(|| {
                format!(
                    "unknown export format `{format}`: use one of {}",
                    ExportFormat::NAMES
                )
            })?;
            let app = App::open(db).await?;
            let bytes = app.export(&period, format).await?;
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completeness {
            period,
            today,
            format,
            output,
        } => {
            let today = match today {
                Some(d) => mignet_app::Clock::parse(&d)?,
                None => mignet_app::Clock::System,
            }
            .today();
            let app = App::open(db).await?;
            let bytes = match format.as_str() {
                "xlsx" => app.completeness_workbook(&period, &today).await?,
                "json" => {
                    let mut out =
                        serde_json::to_vec_pretty(&app.completeness(&period, &today).await?)?;
                    out.push(b'\n');
                    out
                }
                "text" => completeness_text(&app.completeness(&period, &today).await?).into_bytes(),
                other => anyhow::bail!("unknown format `{other}`: use one of text, json, xlsx"),
            };
            write_out(output.as_deref(), &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Template(args) => exchange_cmd::template(args, db).await,
        Command::Serve(args) => serve_cmd::serve(args, db).await.map(|()| ExitCode::SUCCESS),
        Command::User(args) => serve_cmd::user(args, db).await.map(|()| ExitCode::SUCCESS),
        Command::Import(args) => exchange_cmd::import(args, db).await,
        Command::Remind(args) => mail_cmd::remind(args, db).await,
        Command::Publish(args) => edition_cmd::publish(args, db).await,
        Command::Review(args) => review_cmd::review(args, db).await,
        Command::Editions(args) => edition_cmd::editions(args, db).await,
        Command::Reach(_) | Command::Pseudonymize(_) | Command::Keygen(_) => {
            unreachable!("run without the store")
        }
    }
}

/// A round's completeness as lines for a terminal: one per organisation, then what is overdue and
/// what was returned.
fn completeness_text(c: &mignet_core::completeness::Completeness) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Period {} on {}: {} of {} assignments reported{}",
        c.period,
        c.today,
        c.reported,
        c.assigned,
        match &c.due {
            Some(d) if c.past_due => format!(" (due {d}, past due)"),
            Some(d) => format!(" (due {d})"),
            None => String::new(),
        }
    );
    if c.organisations.is_empty() {
        out.push_str("No organisation has assignments in this period.\n");
    }
    for o in &c.organisations {
        let _ = writeln!(
            out,
            "  {:<12} {:>3} per cent  assigned {}, not started {}, draft {}, returned {}, submitted {}, approved {}{}",
            o.organisation.as_str(),
            o.per_cent,
            o.assigned,
            o.not_started,
            o.draft,
            o.returned,
            o.submitted,
            o.approved,
            if o.overdue > 0 {
                format!(", {} overdue", o.overdue)
            } else {
                String::new()
            }
        );
    }
    for cell in c.organisations.iter().flat_map(|o| &o.cells) {
        if cell.overdue {
            let _ = writeln!(
                out,
                "overdue: {} {} ({})",
                cell.organisation.as_str(),
                cell.indicator.as_str(),
                cell.stage.words()
            );
        }
    }
    for cell in &c.returned {
        let _ = writeln!(
            out,
            "returned, awaiting the agency: {} {}",
            cell.organisation.as_str(),
            cell.indicator.as_str()
        );
    }
    out
}

/// Writes to a file (whole or not at all: a temporary file renamed into place) or to standard output.
pub(crate) fn write_out(path: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match path {
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let tmp = dir.join(format!(
                ".{}.tmp",
                p.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("mignet-out")
            ));
            std::fs::write(&tmp, bytes)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!("wrote {}", p.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                // A reader that stops early (`| head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
        }
    }
    Ok(())
}
