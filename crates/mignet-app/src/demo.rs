//! The demo: the Thailand 2022 example and one account per role, put into an empty store. The example
//! is compiled into the binary, so an installed `mignet serve --demo` finds it wherever it runs.

use crate::{App, AppError};
use mignet_core::access::Role;
use std::path::Path;

/// The Thailand 2022 example folder, as it is in the repository.
static EXAMPLE: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../examples/thailand-2022");

/// The demo's accounts: (e-mail, name, role, organisation).
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    (
        "admin@example.org",
        "Demo administrator",
        Role::Administrator,
        None,
    ),
    (
        "coordinator@example.org",
        "Network coordinator (demo)",
        Role::Coordinator,
        None,
    ),
    (
        "iom@example.org",
        "IOM focal point (demo)",
        Role::FocalPoint,
        Some("IOM"),
    ),
    (
        "unhcr@example.org",
        "UNHCR focal point (demo)",
        Role::FocalPoint,
        Some("UNHCR"),
    ),
    ("viewer@example.org", "Demo viewer", Role::Viewer, None),
];

/// The demo accounts' password: printed at start, for a local demo only.
pub const DEMO_PASSWORD: &str = "mignet-demo-2026";

/// What seeding the demo did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoOutcome {
    /// Items created by loading the example; `None` when the store already held a dataset.
    pub loaded: Option<usize>,
    /// The demo accounts created now (those that existed are left alone).
    pub accounts_created: usize,
}

impl App {
    /// Fills an empty store with the example (from `dir`, or the one compiled in), publishes its
    /// closed periods as their first editions, and creates the demo accounts that do not exist yet.
    /// A store that holds a dataset keeps it.
    pub async fn seed_demo(
        &self,
        dir: Option<&Path>,
        actor: &str,
    ) -> Result<DemoOutcome, AppError> {
        let mut outcome = DemoOutcome::default();
        if self.store.dataset().await?.is_none() {
            let loaded = match dir {
                Some(dir) => self.load(dir, actor).await?,
                None => {
                    let tmp = tempfile::tempdir().map_err(|e| AppError::Io {
                        path: std::env::temp_dir(),
                        source: e,
                    })?;
                    EXAMPLE.extract(tmp.path()).map_err(|e| AppError::Io {
                        path: tmp.path().to_owned(),
                        source: e,
                    })?;
                    self.load(tmp.path(), actor).await?
                }
            };
            outcome.loaded = Some(loaded.summary.created);
            // The example's closed periods were published: each is its first edition.
            let ds = self.dataset().await?;
            for p in ds.periods.iter().filter(|p| {
                p.period.status == mignet_core::model::PeriodStatus::Closed
                    && p.figures.iter().any(mignet_core::access::is_public)
            }) {
                self.publish_as(actor, p.period.code.as_str()).await?;
            }
        }
        for (email, name, role, org) in DEMO_ACCOUNTS {
            if self.store.account_for_login(email).await?.is_none() {
                self.add_account(email, name, DEMO_PASSWORD, *role, *org, actor)
                    .await?;
                outcome.accounts_created += 1;
            }
        }
        Ok(outcome)
    }
}
