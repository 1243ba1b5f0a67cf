//! `mignet publish` and `mignet editions`: a period's published editions from the command line.

use clap::Args;
use mignet_app::App;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet publish --period 2022\n  mignet publish --period 2022 --actor \"A. Coordinator\"\n\nThe Highlights (HTML, PDF) and the exports (JSON, XLSX, HXL, IATI) of the period's approved\nfigures are frozen as its next edition, with a content hash; after a correction, the next\nedition lists its errata. Publishing again with nothing changed is refused (exit status 1)."
)]
pub struct PublishArgs {
    #[arg(long)]
    period: String,
    /// Who publishes, as the audit trail records it
    #[arg(long, default_value = "cli")]
    actor: String,
}

#[derive(Args)]
#[command(
    after_help = "Examples:\n  mignet editions\n  mignet editions --period 2022 --format json\n  mignet editions --period 2022 --number 1 --file highlights-2022.pdf -o brief.pdf"
)]
pub struct EditionsArgs {
    /// Only this period's editions
    #[arg(long)]
    period: Option<String>,
    /// text or json
    #[arg(long, default_value = "text")]
    format: String,
    /// With --period and --file: the edition to take the file from
    #[arg(long, requires_all = ["period", "file"])]
    number: Option<i64>,
    /// With --period and --number: write this file of the edition, as published
    #[arg(long, requires = "number")]
    file: Option<String>,
    /// Write here instead of to standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub async fn publish(args: PublishArgs, db: &str) -> anyhow::Result<ExitCode> {
    let app = App::open(db).await?;
    let e = app.publish_as(&args.actor, &args.period).await?;
    print!("{}", describe(&e));
    Ok(ExitCode::SUCCESS)
}

pub async fn editions(args: EditionsArgs, db: &str) -> anyhow::Result<ExitCode> {
    let app = App::open(db).await?;
    if let (Some(period), Some(number), Some(name)) = (&args.period, args.number, &args.file) {
        let f = app.edition_file(period, number, name).await?;
        crate::write_out(args.output.as_deref(), &f.bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let editions = app.editions(args.period.as_deref()).await?;
    let bytes = match args.format.as_str() {
        "json" => {
            let mut out = serde_json::to_vec_pretty(&editions)?;
            out.push(b'\n');
            out
        }
        "text" if editions.is_empty() => b"no edition published yet\n".to_vec(),
        "text" => editions
            .iter()
            .map(describe)
            .collect::<String>()
            .into_bytes(),
        other => anyhow::bail!("unknown format `{other}`: use one of text, json"),
    };
    crate::write_out(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// An edition as lines for a terminal: its number, hash, files and errata.
fn describe(e: &mignet_app::PublishedEdition) -> String {
    use std::fmt::Write;
    let d = &e.edition;
    let mut out = format!(
        "{} edition {}, published {} by {}\n  content hash {}\n",
        d.period, d.number, d.published_at, d.published_by, d.content_hash
    );
    for f in &d.files {
        let _ = writeln!(out, "  {:<28} {:>10} bytes  {}", f.name, f.size, f.sha256);
    }
    for x in &e.errata {
        let _ = writeln!(out, "  erratum: {}", x.sentence());
    }
    out
}
