//! `mignet reach`, `mignet pseudonymize`, `mignet keygen`: argument parsing
//! and messages only; the work is in the `mignet-reach` crate.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use mignet_reach::{OnError, Period, ReachError, ReachOptions, Validation};

/// Count people once across agencies: writes q1.csv..q4.csv.
#[derive(Args, Debug)]
pub struct ReachArgs {
    /// Service records (CSV with header
    /// record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality);
    /// `-` reads standard input.
    pub records: PathBuf,
    /// Directory for q1.csv (indicator x agency), q2.csv (indicator, with
    /// overlap), q3.csv (indicator x province x sex x age group), q4.csv
    /// (indicator x quarter).
    #[arg(long, short)]
    pub out: PathBuf,
    /// What to do with bad rows: `reject` (report them, write nothing, fail)
    /// or `skip` (leave them out and say how many).
    #[arg(long, default_value = "reject", value_parser = parse_on_error)]
    pub on_error: OnError,
    /// How many bad rows to describe with their line numbers.
    #[arg(long, default_value_t = 20)]
    pub max_errors: usize,
    /// Accept only these agencies (comma-separated), e.g. ILO,IOM,UNHCR.
    #[arg(long, value_delimiter = ',')]
    pub agencies: Option<Vec<String>>,
    /// Accept only these indicators (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub indicators: Option<Vec<String>>,
    /// Accept only dates in this period: a year (2022) or
    /// 2022-01-01..2022-06-30.
    #[arg(long, value_parser = parse_period)]
    pub period: Option<Period>,
    /// Threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// MiB of records kept in memory before spilling to a temporary file.
    #[arg(long, default_value_t = 160)]
    pub memory_mib: usize,
    /// Directory for the spill file (default: the system temp directory).
    #[arg(long)]
    pub temp_dir: Option<PathBuf>,
    /// Where to count: `in-process` (this program, the default) or `postgres` (the records are
    /// loaded into the PostgreSQL database given with --db, with COPY, and counted with SQL; same
    /// files, byte for byte). docs/reach.md says when to use which.
    #[arg(long, default_value = "in-process", value_parser = ["in-process", "postgres"])]
    pub engine: String,
}

fn parse_on_error(s: &str) -> Result<OnError, String> {
    s.parse()
}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
}

pub fn reach(args: ReachArgs, db: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let opts = ReachOptions {
        validation: Validation {
            agencies: args.agencies,
            indicators: args.indicators,
            period: args.period,
        },
        on_error: args.on_error,
        max_errors: args.max_errors,
        threads: args.threads,
        memory_budget: args.memory_mib.max(1) << 20,
        temp_dir: args.temp_dir,
        progress: std::io::stderr().is_terminal(),
    };
    let result = if args.engine == "postgres" {
        if !(db.starts_with("postgres://") || db.starts_with("postgresql://")) {
            bail!(
                "--engine postgres counts inside a PostgreSQL database: give it with \
                 --db postgres://user@host/database (or MIGNET_DB)"
            );
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the runtime")?;
        if args.records.as_os_str() == "-" {
            rt.block_on(mignet_app::reach::reach_in_postgres(
                db,
                std::io::stdin().lock(),
                &args.records,
                &opts,
            ))
        } else {
            let file = std::fs::File::open(&args.records)
                .with_context(|| format!("cannot open {}", args.records.display()))?;
            rt.block_on(mignet_app::reach::reach_in_postgres(
                db,
                file,
                &args.records,
                &opts,
            ))
        }
    } else if args.records.as_os_str() == "-" {
        mignet_reach::reach_reader(std::io::stdin(), &opts)
    } else {
        mignet_reach::reach_path(&args.records, &opts)
    };
    let tables = match result {
        Ok(t) => t,
        Err(ReachError::BadRows { errors, total }) => {
            for e in &errors {
                eprintln!("{}: {e}", args.records.display());
            }
            if total > errors.len() as u64 {
                eprintln!("... and {} more", total - errors.len() as u64);
            }
            bail!(
                "{total} bad row(s) in {}; nothing written (use --on-error skip to leave them out)",
                args.records.display()
            );
        }
        Err(e) => return Err(e).context("mignet reach"),
    };
    tables
        .write_csvs(&args.out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    for e in &tables.skipped_examples {
        eprintln!("{}: skipped {e}", args.records.display());
    }
    let skipped = if tables.skipped > 0 {
        format!(", {} bad rows skipped", tables.skipped)
    } else {
        String::new()
    };
    eprintln!(
        "reach: {} records, {} people, overlap {}{skipped} -> {} in {:.2} s",
        tables.records,
        tables.people,
        tables.total_overlap(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Replace identifying columns with one keyed pseudonym column.
#[derive(Args, Debug)]
pub struct PseudonymizeArgs {
    /// CSV file with identifying columns (`-` reads standard input).
    pub input: PathBuf,
    /// Where to write the pseudonymized CSV (written only if it succeeds).
    #[arg(long, short)]
    pub output: PathBuf,
    /// The network key file (from `mignet keygen`).
    #[arg(long)]
    pub key_file: PathBuf,
    /// Identifying columns, in the order the network agreed on, e.g.
    /// name,dob,document. They are normalised, hashed together and dropped.
    #[arg(long, value_delimiter = ',', required = true)]
    pub columns: Vec<String>,
    /// Name of the pseudonym column.
    #[arg(long, default_value = "beneficiary")]
    pub output_column: String,
    /// What to do with rows that cannot be pseudonymized: `reject` or `skip`.
    #[arg(long, default_value = "reject", value_parser = parse_on_error)]
    pub on_error: OnError,
    /// How many bad rows to describe with their line numbers.
    #[arg(long, default_value_t = 20)]
    pub max_errors: usize,
}

pub fn pseudonymize(args: PseudonymizeArgs) -> anyhow::Result<()> {
    use mignet_reach::pseudonym::{NetworkKey, PseudonymizeOptions, pseudonymize_file};
    let key = NetworkKey::read_file(&args.key_file)?;
    let opts = PseudonymizeOptions {
        columns: args.columns,
        output_column: args.output_column,
        on_error: args.on_error,
        max_errors: args.max_errors,
    };
    let input = if args.input.as_os_str() == "-" {
        PathBuf::from("/dev/stdin")
    } else {
        args.input.clone()
    };
    match pseudonymize_file(&key, &input, &args.output, &opts) {
        Ok(report) => {
            for e in &report.skipped_examples {
                eprintln!("{}: skipped {e}", args.input.display());
            }
            let skipped = if report.skipped > 0 {
                format!(", {} bad rows skipped", report.skipped)
            } else {
                String::new()
            };
            eprintln!(
                "pseudonymize: {} rows{skipped} -> {}",
                report.rows,
                args.output.display()
            );
            Ok(())
        }
        Err(ReachError::BadRows { errors, total }) => {
            for e in &errors {
                eprintln!("{}: {e}", args.input.display());
            }
            if total > errors.len() as u64 {
                eprintln!("... and {} more", total - errors.len() as u64);
            }
            bail!(
                "{total} bad row(s) in {}; nothing written (use --on-error skip to leave them out)",
                args.input.display()
            )
        }
        Err(e) => Err(e).context("mignet pseudonymize"),
    }
}

/// Write a new random network key.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// The key file to create (readable by its owner only; never
    /// overwritten).
    #[arg(long, short)]
    pub output: PathBuf,
}

pub fn keygen(args: KeygenArgs) -> anyhow::Result<()> {
    use mignet_reach::pseudonym::NetworkKey;
    if args.output.exists() {
        bail!(
            "{} already exists; a network key is never overwritten (pseudonyms made with it \
             could no longer be matched)",
            args.output.display()
        );
    }
    NetworkKey::generate()?.write_new_file(&args.output)?;
    eprintln!(
        "keygen: wrote a new 256-bit network key to {} (mode 0600). Share it only with the \
         agencies that pseudonymize, over a secure channel; keep a backup.",
        args.output.display()
    );
    Ok(())
}
