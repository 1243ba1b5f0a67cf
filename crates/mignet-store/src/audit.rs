//! The audit trail: who changed what, when, and the item before and after, as JSON.

use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// `create`, `update`, `delete` or `status`.
    pub action: String,
    /// `organisation`, `indicator`, `figure` ...
    pub entity: String,
    /// The item's key: a code, or `period/id` for the items of a period.
    pub entity_key: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The kinds of item the store writes, each recorded in the audit trail under its name. The items of
/// a dataset are one enum of their own, so that deleting and inserting them is a `match` with an arm
/// for each and no catch-all: a new kind of item cannot be written without saying where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Item(Item),
    Account,
    Comment,
    Edition,
}

/// The kinds of item a dataset holds, parents before children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Network,
    Place,
    Boundaries,
    Organisation,
    Role,
    Framework,
    Priority,
    Outcome,
    Indicator,
    Pledge,
    WorkingGroup,
    Period,
    Section,
    Footnote,
    Statistic,
    Figure,
    Derived,
    Claim,
    Line,
    Translation,
}

impl Item {
    #[cfg(test)]
    pub const ALL: [Item; 20] = [
        Item::Network,
        Item::Place,
        Item::Boundaries,
        Item::Organisation,
        Item::Role,
        Item::Framework,
        Item::Priority,
        Item::Outcome,
        Item::Indicator,
        Item::Pledge,
        Item::WorkingGroup,
        Item::Period,
        Item::Section,
        Item::Footnote,
        Item::Statistic,
        Item::Figure,
        Item::Derived,
        Item::Claim,
        Item::Line,
        Item::Translation,
    ];
}

impl Entity {
    /// The name the audit trail records (`working_group`, `figure`, `account`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Entity::Item(i) => match i {
                Item::Network => "network",
                Item::Place => "place",
                Item::Boundaries => "boundaries",
                Item::Organisation => "organisation",
                Item::Role => "role",
                Item::Framework => "framework",
                Item::Priority => "priority",
                Item::Outcome => "outcome",
                Item::Indicator => "indicator",
                Item::Pledge => "pledge",
                Item::WorkingGroup => "working_group",
                Item::Period => "period",
                Item::Section => "section",
                Item::Footnote => "footnote",
                Item::Statistic => "statistic",
                Item::Figure => "figure",
                Item::Derived => "derived",
                Item::Claim => "claim",
                Item::Line => "line",
                Item::Translation => "translation",
            },
            Entity::Account => "account",
            Entity::Comment => "comment",
            Entity::Edition => "edition",
        }
    }

    pub const FIGURE: Entity = Entity::Item(Item::Figure);
}

/// What a change did to its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    Delete,
    /// A review step: the figure's status changed (or, for an agency's approval, was confirmed).
    Status,
}

impl Action {
    /// The name the audit trail records.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Status => "status",
        }
    }
}

/// A change found by comparing the store with what is being written.
pub(crate) struct Change {
    pub action: Action,
    pub entity: Entity,
    pub key: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Compares two lists of items by key and yields a change for each item added, changed or removed.
pub(crate) fn diff<T: Serialize>(
    item: Item,
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    out: &mut Vec<Change>,
) {
    let entity = Entity::Item(item);
    let to_json = |t: &T| serde_json::to_value(t).expect("domain values serialise");
    let old: BTreeMap<String, Value> = old.iter().map(|t| (key(t), to_json(t))).collect();
    let new_map: BTreeMap<String, Value> = new.iter().map(|t| (key(t), to_json(t))).collect();
    for (k, after) in &new_map {
        match old.get(k) {
            None => out.push(Change {
                action: Action::Create,
                entity,
                key: k.clone(),
                before: None,
                after: Some(after.clone()),
            }),
            Some(before) if before != after => out.push(Change {
                action: Action::Update,
                entity,
                key: k.clone(),
                before: Some(before.clone()),
                after: Some(after.clone()),
            }),
            Some(_) => {}
        }
    }
    for (k, before) in old {
        if !new_map.contains_key(&k) {
            out.push(Change {
                action: Action::Delete,
                entity,
                key: k,
                before: Some(before),
                after: None,
            });
        }
    }
}

pub(crate) async fn record(
    tx: &mut sqlx::AnyConnection,
    actor: &str,
    at: &str,
    c: &Change,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit (at, actor, action, entity, entity_key, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(at)
        .bind(actor)
        .bind(c.action.as_str())
        .bind(c.entity.as_str())
        .bind(&c.key)
        .bind(c.before.as_ref().map(Value::to_string))
        .bind(c.after.as_ref().map(Value::to_string))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Records `changes` in their order, many to a statement (a large load makes one entry per item).
pub(crate) async fn record_all(
    tx: &mut sqlx::AnyConnection,
    actor: &str,
    at: &str,
    changes: &[Change],
) -> Result<(), sqlx::Error> {
    let mut rows = crate::batch::Rows::new(
        "audit",
        &[
            "at",
            "actor",
            "action",
            "entity",
            "entity_key",
            "before",
            "after",
        ],
    );
    for c in changes {
        rows.push([
            at.into(),
            actor.into(),
            c.action.as_str().into(),
            c.entity.as_str().into(),
            (&c.key).into(),
            c.before.as_ref().map(Value::to_string).into(),
            c.after.as_ref().map(Value::to_string).into(),
        ]);
        if rows.len() >= 2000 {
            rows.flush(tx).await?;
        }
    }
    rows.flush(tx).await
}

/// Which part of the audit trail to read. Filters and the limit run in SQL, so a page of a long
/// history costs what the page holds, not what the history holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Only this kind of item (`figure`, `account` ...).
    pub entity: Option<String>,
    /// Only the item with this key.
    pub key: Option<String>,
    /// Only entries after this id (paging forward, oldest first) or, with `newest_first`, before it.
    pub cursor: Option<i64>,
    /// Newest first (the accounts page's recent changes) rather than oldest first.
    pub newest_first: bool,
    /// At most this many entries.
    pub limit: Option<i64>,
}

impl AuditFilter {
    /// The whole trail of one item, oldest first.
    pub fn item(entity: &str, key: &str) -> AuditFilter {
        AuditFilter {
            entity: Some(entity.to_owned()),
            key: Some(key.to_owned()),
            ..AuditFilter::default()
        }
    }
}

impl Store {
    /// The trail of one item (`entity`, `key`), or of everything when `entity` is `None`, oldest first.
    pub async fn audit(&self, entity: Option<(&str, &str)>) -> Result<Vec<AuditEntry>, StoreError> {
        let filter = match entity {
            Some((e, k)) => AuditFilter::item(e, k),
            None => AuditFilter::default(),
        };
        self.audit_where(&filter).await
    }

    /// The entries `filter` selects, in its order.
    pub async fn audit_where(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut sql = String::from(
            "SELECT id, at, actor, action, entity, entity_key, before, after FROM audit WHERE 1 = 1",
        );
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if filter.entity.is_some() {
            sql += &format!(" AND entity = ${}", next());
        }
        if filter.key.is_some() {
            sql += &format!(" AND entity_key = ${}", next());
        }
        if filter.cursor.is_some() {
            let op = if filter.newest_first { "<" } else { ">" };
            sql += &format!(" AND id {op} ${}", next());
        }
        sql += if filter.newest_first {
            " ORDER BY id DESC"
        } else {
            " ORDER BY id"
        };
        if filter.limit.is_some() {
            sql += &format!(" LIMIT ${}", next());
        }
        // The text is made of the fixed fragments above only; every value is a bound parameter.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(e) = &filter.entity {
            q = q.bind(e.clone());
        }
        if let Some(k) = &filter.key {
            q = q.bind(k.clone());
        }
        if let Some(c) = filter.cursor {
            q = q.bind(c);
        }
        if let Some(l) = filter.limit {
            q = q.bind(l.max(0));
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let json = |col: &str| -> Result<Option<Value>, StoreError> {
                    let text: Option<String> = r.try_get(col)?;
                    text.map(|t: String| {
                        serde_json::from_str::<Value>(&t)
                            .map_err(|e| StoreError::Corrupt(format!("audit {col}: {e}")))
                    })
                    .transpose()
                };
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_key: r.try_get("entity_key")?,
                    before: json("before")?,
                    after: json("after")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_kind_of_item_has_its_own_name_in_the_trail() {
        let names: Vec<&str> = Item::ALL
            .iter()
            .map(|&i| Entity::Item(i))
            .chain([Entity::Account, Entity::Comment, Entity::Edition])
            .map(Entity::as_str)
            .collect();
        let distinct: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }
}
