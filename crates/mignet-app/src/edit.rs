//! The coordinator's edits to the results framework and to a period's narrative: one use case for the
//! web forms and the API. The rules live in `mignet_core::edit`; this layer checks who may edit, reads
//! and writes in one store transaction, and turns refusals into field errors.

use crate::{App, AppError, FieldError};
use mignet_core::access::Actor;
use mignet_core::edit::{self, Edit, Item, Kind};
use mignet_store::LoadSummary;
use sha2::{Digest, Sha256};

/// An item's own fields as JSON, as the JSON export and the API show them (a section or footnote
/// without its period).
pub fn item_json(item: &Item) -> serde_json::Value {
    let v = match item {
        Item::Organisation(x) => serde_json::to_value(x),
        Item::Priority(x) => serde_json::to_value(x),
        Item::Outcome(x) => serde_json::to_value(x),
        Item::Indicator(x) => serde_json::to_value(x),
        Item::Pledge(x) => serde_json::to_value(x),
        Item::WorkingGroup(x) => serde_json::to_value(x),
        Item::Section { section, .. } => serde_json::to_value(section),
        Item::Footnote { footnote, .. } => serde_json::to_value(footnote),
    };
    v.unwrap_or(serde_json::Value::Null)
}

/// A short digest of an item as stored. A form carries the digest of what the person opened; saving
/// over an item that has changed since is refused rather than silently undoing someone's change.
pub fn fingerprint(item: &Item) -> String {
    let period = match item {
        Item::Section { period, .. } | Item::Footnote { period, .. } => period.as_str(),
        _ => "",
    };
    let json = format!("{period}\n{}", item_json(item));
    let digest = Sha256::digest(json.as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// One item as stored, with its fingerprint.
    pub async fn item(&self, kind: Kind, key: &str) -> Result<(Item, String), AppError> {
        let ds = self.dataset().await?;
        let item = edit::get(&ds, kind, key)
            .ok_or_else(|| AppError::NotFound(format!("{} `{key}`", kind.label())))?;
        let fp = fingerprint(&item);
        Ok((item, fp))
    }

    /// Applies one edit as `actor`. `seen` is the fingerprint of the item as the person saw it, which an
    /// update or a deletion must carry (without it, the change could undo someone else's unseen); when
    /// the item changed since, nothing is written and the answer is [`AppError::Changed`]. Returns the
    /// item's key and what was written.
    pub async fn edit(
        &self,
        actor: &Actor,
        change: &Edit,
        seen: Option<&str>,
    ) -> Result<(String, LoadSummary), AppError> {
        if !actor.may_edit_framework() {
            return Err(AppError::Forbidden(
                "only the network's coordinator edits the framework and the narrative".into(),
            ));
        }
        if seen.is_none() && !matches!(change, Edit::Create(_)) {
            return Err(AppError::invalid(
                "fingerprint",
                "send the fingerprint of the item as you read it (GET the item first): a change or deletion without it could undo someone else's change",
            ));
        }
        let mut key = String::new();
        let outcome = self
            .store()
            .edit_dataset(&actor.email, |ds| {
                let (kind, existing) = match change {
                    Edit::Create(item) => (item.kind(), None),
                    Edit::Update { key, item } => (item.kind(), Some(key.as_str())),
                    Edit::Delete { kind, key } => (*kind, Some(key.as_str())),
                };
                if let (Some(k), Some(seen)) = (existing, seen)
                    && let Some(now) = edit::get(ds, kind, k)
                    && fingerprint(&now) != seen
                {
                    return Err(AppError::Changed(format!(
                        "{} `{k}` was changed by someone else since you opened it; reload it to see their change, then make yours again",
                        kind.label()
                    )));
                }
                key = match change {
                    Edit::Create(item) => edit::key_of(ds, item),
                    Edit::Update { key, .. } | Edit::Delete { key, .. } => key.clone(),
                };
                // Texts over their length limit that this edit brings in (those already in the
                // store, from before the limits, do not stop other edits).
                let over = |ds: &mignet_core::Dataset| -> Vec<(String, String)> {
                    mignet_core::limits::dataset(ds)
                        .into_iter()
                        .map(|e| (e.field, e.message))
                        .collect()
                };
                let before = over(ds);
                edit::apply(ds, change).map_err(|problems| {
                    AppError::Invalid(
                        problems
                            .into_iter()
                            .map(|p| FieldError {
                                field: p.field,
                                message: p.message,
                            })
                            .collect(),
                    )
                })?;
                let new: Vec<FieldError> = over(ds)
                    .into_iter()
                    .filter(|p| !before.contains(p))
                    .map(|(at, message)| FieldError {
                        // The form's field is the last part (`text`, `title`, `note`); the message
                        // says which item.
                        field: at.rsplit(": ").next().unwrap_or(&at).to_owned(),
                        message: format!("{at} {message}"),
                    })
                    .collect();
                if !new.is_empty() {
                    return Err(AppError::Invalid(new));
                }
                Ok(())
            })
            .await?;
        Ok((key, outcome?))
    }
}
