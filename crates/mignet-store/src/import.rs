//! Several figures written at once, all or nothing: the write of an import.
//!
//! Each figure is written as `put_figure` writes one (`figures::write_figure`: versions, positions,
//! audit), but all inside one transaction, so a file with a figure the store refuses leaves the store
//! as it was. An unchanged figure is not rewritten, so importing the same file twice changes nothing
//! the second time.

use crate::figures::Written;
use crate::{Store, StoreError};
use mignet_core::model::Figure;

impl Store {
    /// Creates or replaces each figure in `period`, in one transaction. Each comes with the version the
    /// writer read (0 for a new figure, `None` to skip the check); a figure changed since is refused
    /// with [`StoreError::Conflict`] and nothing is written. `source` (the imported file) is kept in
    /// each audit entry beside the figure after the change.
    pub async fn put_figures(
        &self,
        period: &str,
        figures: &[(Figure, Option<i64>)],
        actor: &str,
        source: &str,
    ) -> Result<Vec<Written>, StoreError> {
        let out = self
            .retrying(|| self.put_figures_once(period, figures, actor, source))
            .await?;
        if let Some(g) = out.iter().find_map(|w| w.generation) {
            self.wrote(g);
        }
        Ok(out)
    }

    async fn put_figures_once(
        &self,
        period: &str,
        figures: &[(Figure, Option<i64>)],
        actor: &str,
        source: &str,
    ) -> Result<Vec<Written>, StoreError> {
        let mut tx = crate::figures::begin(self).await?;
        let mut out = Vec::with_capacity(figures.len());
        let mut any = false;
        for (figure, expected) in figures {
            let written = crate::figures::write_figure(
                &mut tx,
                period,
                figure,
                *expected,
                actor,
                Some(source),
            )
            .await?;
            any |= written.changed;
            out.push(written);
        }
        if any {
            // The batch's generation, on every figure it changed.
            let g = crate::figures::bump_generation(&mut tx).await?;
            for w in out.iter_mut().filter(|w| w.changed) {
                w.generation = Some(g);
            }
        }
        crate::tx::commit(tx, || {
            format!("the store refused the figures of {source} for period {period}")
        })
        .await?;
        Ok(out)
    }
}
