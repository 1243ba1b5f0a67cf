//! The `mignet` command line: parses arguments and calls the use cases in `mignet-app`.

mod reach_cmd;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "mignet", version, about = "Results monitoring and reporting for networks on migration")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count people once across agencies from pseudonymous service records.
    Reach(reach_cmd::ReachArgs),
    /// Replace identifying columns of a CSV with a keyed pseudonym.
    Pseudonymize(reach_cmd::PseudonymizeArgs),
    /// Make a new network key for pseudonyms.
    Keygen(reach_cmd::KeygenArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Reach(args) => reach_cmd::reach(args),
        Command::Pseudonymize(args) => reach_cmd::pseudonymize(args),
        Command::Keygen(args) => reach_cmd::keygen(args),
    }
}
