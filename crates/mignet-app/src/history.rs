//! What happened to the items (the audit trail and a figure's reviews) and finding them (search), read
//! for the front ends so that none of them reaches the store.

use crate::{App, AppError};
use mignet_store::{AuditEntry, AuditFilter, Review};

impl App {
    /// The audit entries `filter` selects (filters and limit applied by the store, in SQL).
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.store.audit_where(filter).await?)
    }

    /// The whole trail of one item, oldest first.
    pub async fn item_audit(&self, entity: &str, key: &str) -> Result<Vec<AuditEntry>, AppError> {
        self.audit(&AuditFilter::item(entity, key)).await
    }

    /// A figure's reviews (submissions, returns, approvals, confirmations), oldest first.
    pub async fn reviews(&self, period: &str, id: &str) -> Result<Vec<Review>, AppError> {
        Ok(self.store.reviews(period, id).await?)
    }

    /// The comment of the figure's latest return, shown to the agency while it corrects the figure.
    pub async fn return_comment(&self, period: &str, id: &str) -> Result<Option<String>, AppError> {
        Ok(self
            .reviews(period, id)
            .await?
            .into_iter()
            .rev()
            .find(|r| r.action == "return")
            .and_then(|r| r.comment))
    }

    /// The items that match `query`, as `reader` may see them: the public, approved figures with
    /// sensitive small counts withheld; a signed-in reader, what the role sees
    /// (`mignet_core::search`).
    pub async fn search(
        &self,
        reader: Option<&mignet_core::access::Actor>,
        query: &str,
    ) -> Result<Vec<mignet_core::search::Hit>, AppError> {
        let exact = reader.is_some_and(|a| a.sees_small_counts());
        let (ds, _) = self.dataset_and_versions(exact).await?;
        let query = query.to_owned();
        let reader = reader.cloned();
        crate::blocking(move || mignet_core::search::search(&ds, &query, reader.as_ref())).await
    }
}
