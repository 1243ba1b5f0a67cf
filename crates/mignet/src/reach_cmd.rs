//! `mignet reach`, `mignet pseudonymize`, `mignet keygen` (placeholder until the reach crate lands).
use clap::Args;

#[derive(Args)]
pub struct ReachArgs {}
#[derive(Args)]
pub struct PseudonymizeArgs {}
#[derive(Args)]
pub struct KeygenArgs {}

pub fn reach(_: ReachArgs) -> anyhow::Result<()> { anyhow::bail!("not yet") }
pub fn pseudonymize(_: PseudonymizeArgs) -> anyhow::Result<()> { anyhow::bail!("not yet") }
pub fn keygen(_: KeygenArgs) -> anyhow::Result<()> { anyhow::bail!("not yet") }
