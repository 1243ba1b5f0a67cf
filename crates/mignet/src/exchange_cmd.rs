//! `mignet template` and `mignet import`: the reporting workbook out to an organisation, and back in.

use anyhow::Context;
use clap::Args;
use mignet_app::{App, ExchangeError, MAX_IMPORT_BYTES, Selection};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Make the reporting workbook (.xlsx) of one organisation for one period.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet template --org IOM --period 2023 -o iom-2023.xlsx\n  mignet template --org UNICEF --period 2023 --all -o unicef-2023.xlsx\n\nThe workbook lists the indicators the organisation has reported on in any period (every indicator\nwhen it has reported on none yet, or with --all). The period need not be in the store yet; the\nimport needs it there, and open. Layout and rules: docs/workbook.md."
)]
pub struct TemplateArgs {
    /// The reporting organisation's code
    #[arg(long)]
    org: String,
    /// The period the workbook reports (2023)
    #[arg(long)]
    period: String,
    /// List every indicator of the framework
    #[arg(long)]
    all: bool,
    /// Where to write the workbook [default: ORG-PERIOD.xlsx]
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Import a filled-in workbook (.xlsx) or its CSV form: every problem at once, or all figures.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet import iom-2023.xlsx\n  mignet import --actor \"A. Coordinator\" iom-2023.csv\n\nA file with any problem writes nothing; every problem is printed with its sheet, row and column.\nImporting the same file again changes nothing. Figures enter as submitted, with ids\nIMP-<organisation>-<indicator>, the file as their evidence and the actor in the audit trail.\nThe period must be in the store and open. Layout, CSV columns and rules: docs/workbook.md."
)]
pub struct ImportArgs {
    /// The filled-in workbook (.xlsx) or CSV file (.csv)
    file: PathBuf,
    /// Who imports, for the audit trail [default: $USER, else "mignet import"]
    #[arg(long)]
    actor: Option<String>,
}

pub async fn template(args: TemplateArgs, db: &str) -> anyhow::Result<ExitCode> {
    let app = App::open(db).await?;
    let out = match app.template(&args.org, &args.period, args.all).await {
        Ok(out) => out,
        Err(e) => return Err(e.into()),
    };
    let path = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{}-{}.xlsx", args.org, args.period)));
    crate::write_out(Some(&path), &out.bytes)?;
    let why = match out.selection {
        Selection::Reported => format!(
            "the {} indicators {} has reported on",
            out.indicators, args.org
        ),
        Selection::AllNoneReported => format!(
            "all {} indicators ({} has reported on none yet)",
            out.indicators, args.org
        ),
        Selection::All => format!("all {} indicators", out.indicators),
    };
    println!(
        "{}: {} for {}, {why}",
        path.display(),
        args.org,
        args.period
    );
    if !out.period_in_store {
        println!(
            "note: the store has no period {} yet; open it before importing the filled-in workbook",
            args.period
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn import(args: ImportArgs, db: &str) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    // Never more than the limit in memory, whatever the file's size.
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file")
        .to_owned();
    let actor = args
        .actor
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "mignet import".to_owned());
    let app = App::open(db).await?;
    match app.import(&name, &bytes, &actor).await {
        Ok(o) => {
            if o.created + o.updated == 0 {
                println!(
                    "{name}: {} figure(s) of {} for {} already in the store: nothing changed",
                    o.unchanged, o.organisation, o.period
                );
            } else {
                let waiting = o.notes.iter().any(|n| n.contains("stays a draft"));
                println!(
                    "imported {name} ({} for {}): {} created, {} updated, {} unchanged; {}",
                    o.organisation,
                    o.period,
                    o.created,
                    o.updated,
                    o.unchanged,
                    if waiting {
                        "submitted for review, but for joint figures waiting for their partners' confirmation (notes below)"
                    } else {
                        "all submitted for review"
                    }
                );
            }
            for n in &o.notes {
                println!("note: {n}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ExchangeError::Problems { file, problems }) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!(
                "{} problem(s) in {file}; nothing was written",
                problems.len()
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}
