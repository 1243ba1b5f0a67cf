//! Writing a whole dataset in one transaction.
//!
//! The store is compared with the dataset item by item; only what differs is rewritten, and each
//! difference is recorded in the audit trail. So loading the same dataset twice changes nothing the
//! second time, and a failure anywhere rolls everything back.

use crate::audit::{self, Action, Change, Entity, Item};
use crate::batch::Rows;
use crate::{Store, StoreError};
use mignet_core::JointMethod;
use mignet_core::model::*;
use mignet_core::vocab::Vocabulary;
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a load did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
    pub unchanged: usize,
    /// Changes by kind of item, for the one-line report (`figure: 30 created`).
    pub by_entity: BTreeMap<String, [usize; 3]>,
}

impl LoadSummary {
    pub fn is_unchanged(&self) -> bool {
        self.created + self.updated + self.deleted == 0
    }
}

fn key2(a: &impl std::fmt::Display, b: &impl std::fmt::Display) -> String {
    format!("{a}/{b}")
}

impl Store {
    /// Writes `ds` into the store. Network-wide items not in `ds` are deleted; periods not in `ds` are
    /// left as they are, and a period in `ds` is made equal to it.
    pub async fn save_dataset(&self, ds: &Dataset, actor: &str) -> Result<LoadSummary, StoreError> {
        match self
            .rewrite(actor, |_| Ok::<_, std::convert::Infallible>(ds.clone()))
            .await?
        {
            Ok(summary) => Ok(summary),
            Err(never) => match never {},
        }
    }

    /// Reads the dataset inside one transaction, lets `edit` change it, and writes back only what
    /// changed, with its audit entries. Reading and writing in one transaction means that a figure
    /// someone saved meanwhile is never overwritten by an edit elsewhere in the dataset. When `edit`
    /// refuses, nothing is written and its error comes back as the inner `Err`. `edit` may be called
    /// again, on the dataset as it is then, when the write is retried (`tx.rs`).
    pub async fn edit_dataset<E>(
        &self,
        actor: &str,
        mut edit: impl FnMut(&mut Dataset) -> Result<(), E>,
    ) -> Result<Result<LoadSummary, E>, StoreError> {
        let outcome = self
            .rewrite(actor, |old| {
                let mut ds = old.cloned().ok_or(None)?;
                edit(&mut ds).map_err(Some)?;
                Ok(ds)
            })
            .await?;
        match outcome {
            Ok(summary) => Ok(Ok(summary)),
            Err(Some(e)) => Ok(Err(e)),
            Err(None) => Err(StoreError::Refused(
                "the store is empty: load a dataset first".into(),
            )),
        }
    }

    /// The one write path of whole-dataset changes: `make` turns what the store holds into what it
    /// should hold, and the difference is written and audited. Retried whole, `make` included, when
    /// the database could not order the write with another (`tx.rs`).
    async fn rewrite<E>(
        &self,
        actor: &str,
        mut make: impl FnMut(Option<&Dataset>) -> Result<Dataset, E>,
    ) -> Result<Result<LoadSummary, E>, StoreError> {
        let _turn = self.writers.lock().await;
        let mut backoff = crate::tx::Backoff::default();
        loop {
            match self.rewrite_once(actor, &mut make).await {
                Err(e) if backoff.again(&e).await => continue,
                Ok(Ok((summary, generation))) => {
                    if let Some(g) = generation {
                        self.wrote(g);
                    }
                    return Ok(Ok(summary));
                }
                Ok(Err(e)) => return Ok(Err(e)),
                Err(e) => return Err(e),
            }
        }
    }

    async fn rewrite_once<E>(
        &self,
        actor: &str,
        make: &mut impl FnMut(Option<&Dataset>) -> Result<Dataset, E>,
    ) -> Result<Result<(LoadSummary, Option<i64>), E>, StoreError> {
        let mut tx = crate::figures::begin(self).await?;
        let old = crate::read::read_dataset(&mut tx).await?;
        let new = match make(old.as_ref()) {
            Ok(new) => new,
            Err(e) => return Ok(Err(e)),
        };
        let ds = &new;
        let changes = changes(old.as_ref(), ds);
        let total = count_items(ds);
        let at = crate::now();
        // Deletions of children first, then of parents; creations the other way round.
        for c in changes.iter().rev().filter(|c| c.action != Action::Create) {
            if let Entity::Item(item) = c.entity {
                delete(&mut tx, item, &c.key).await?;
            }
        }
        insert_items(&mut tx, ds, &changes).await?;
        audit::record_all(&mut tx, actor, &at, &changes).await?;
        write_positions(&mut tx, ds).await?;
        let generation = if changes.is_empty() {
            None
        } else {
            Some(crate::figures::bump_generation(&mut tx).await?)
        };
        crate::tx::commit(tx, || "the store refused the dataset".to_owned()).await?;

        let mut s = LoadSummary::default();
        for c in &changes {
            let slot = match c.action {
                Action::Create => 0,
                Action::Update => 1,
                Action::Delete | Action::Status => 2,
            };
            s.by_entity.entry(c.entity.as_str().to_owned()).or_default()[slot] += 1;
        }
        s.created = s.by_entity.values().map(|v| v[0]).sum();
        s.updated = s.by_entity.values().map(|v| v[1]).sum();
        s.deleted = s.by_entity.values().map(|v| v[2]).sum();
        s.unchanged = total - s.created - s.updated;
        Ok(Ok((s, generation)))
    }
}

fn count_items(ds: &Dataset) -> usize {
    let per_period: usize = ds
        .periods
        .iter()
        .map(|p| {
            1 + p.sections.len()
                + p.statistics.len()
                + p.footnotes.len()
                + p.derived.len()
                + p.claims.len()
                + p.figures.len()
                + p.lines.len()
        })
        .sum();
    2 + ds.organisations.len()
        + ds.gazetteer.areas.len()
        + usize::from(ds.gazetteer.boundaries.is_some())
        + ds.roles.len()
        + ds.framework.priorities.len()
        + ds.framework.outcomes.len()
        + ds.framework.indicators.len()
        + ds.pledges.len()
        + ds.groups.len()
        + ds.translations.len()
        + per_period
}

/// The differences between the store and the dataset, parents before children.
fn changes(old: Option<&Dataset>, new: &Dataset) -> Vec<Change> {
    let mut out = Vec::new();
    let empty_fw = Framework {
        version: String::new(),
        title: None,
        priorities: vec![],
        outcomes: vec![],
        indicators: vec![],
    };
    macro_rules! d {
        ($item:ident, $old:expr, $new:expr, $key:expr) => {
            audit::diff(Item::$item, $old, $new, $key, &mut out)
        };
    }
    let old_net: Vec<Network> = old.map(|d| vec![d.network.clone()]).unwrap_or_default();
    d!(
        Network,
        &old_net,
        std::slice::from_ref(&new.network),
        |n: &Network| n.code.clone()
    );
    d!(
        Place,
        old.map_or(&[][..], |d| &d.gazetteer.areas),
        &new.gazetteer.areas,
        |a: &Area| a.pcode.clone()
    );
    // The boundaries are compared whole but recorded by their size and a digest: the audit trail
    // keeps who changed the map and when, not every copy of a file of megabytes.
    let boundaries = |d: &Dataset| {
        d.gazetteer
            .boundaries
            .as_deref()
            .map(|b| vec![BoundariesRecord::of(b)])
            .unwrap_or_default()
    };
    d!(
        Boundaries,
        &old.map(boundaries).unwrap_or_default(),
        &boundaries(new),
        |_: &BoundariesRecord| "boundaries".to_owned()
    );
    d!(
        Organisation,
        old.map_or(&[][..], |d| &d.organisations),
        &new.organisations,
        |o: &Organisation| o.code.to_string()
    );
    d!(
        Role,
        old.map_or(&[][..], |d| &d.roles),
        &new.roles,
        |r: &Role| format!(
            "{}/{}",
            serde_json::to_value(r.role).unwrap().as_str().unwrap_or(""),
            r.organisation
        )
    );
    let old_fw = old.map_or(&empty_fw, |d| &d.framework);
    let fw_head = |f: &Framework| vec![(f.version.clone(), f.title.clone())];
    d!(
        Framework,
        &old.map(|d| fw_head(&d.framework)).unwrap_or_default(),
        &fw_head(&new.framework),
        |f: &(String, Option<String>)| f.0.clone()
    );
    d!(
        Priority,
        &old_fw.priorities,
        &new.framework.priorities,
        |p: &Priority| p.code.to_string()
    );
    d!(
        Outcome,
        &old_fw.outcomes,
        &new.framework.outcomes,
        |p: &Outcome| p.code.to_string()
    );
    d!(
        Indicator,
        &old_fw.indicators,
        &new.framework.indicators,
        |p: &Indicator| p.code.to_string()
    );
    d!(
        Pledge,
        old.map_or(&[][..], |d| &d.pledges),
        &new.pledges,
        |p: &Pledge| p.id.to_string()
    );
    d!(
        WorkingGroup,
        old.map_or(&[][..], |d| &d.groups),
        &new.groups,
        |g: &WorkingGroup| g.code.to_string()
    );
    d!(
        Translation,
        &old.map(translation_records).unwrap_or_default(),
        &translation_records(new),
        TranslationRecord::key
    );
    for p in &new.periods {
        let code = p.period.code.clone();
        let oldp = old.and_then(|d| d.period(code.as_str()));
        d!(
            Period,
            oldp.map_or(&[][..], |x| std::slice::from_ref(&x.period)),
            std::slice::from_ref(&p.period),
            |x: &Period| x.code.to_string()
        );
        let c = &code;
        let indexed = |v: &[Section]| v.iter().cloned().enumerate().collect::<Vec<_>>();
        d!(
            Section,
            &oldp.map(|x| indexed(&x.sections)).unwrap_or_default(),
            &indexed(&p.sections),
            |s: &(usize, Section)| key2(c, &s.0)
        );
        d!(
            Footnote,
            oldp.map_or(&[][..], |x| &x.footnotes),
            &p.footnotes,
            |f: &Footnote| key2(c, &f.id)
        );
        d!(
            Statistic,
            oldp.map_or(&[][..], |x| &x.statistics),
            &p.statistics,
            |f: &Statistic| key2(c, &f.id)
        );
        d!(
            Figure,
            oldp.map_or(&[][..], |x| &x.figures),
            &p.figures,
            |f: &Figure| key2(c, &f.id)
        );
        d!(
            Derived,
            oldp.map_or(&[][..], |x| &x.derived),
            &p.derived,
            |f: &Derived| key2(c, &f.id)
        );
        d!(
            Claim,
            oldp.map_or(&[][..], |x| &x.claims),
            &p.claims,
            |f: &Claim| key2(c, &f.id)
        );
        let indexed = |v: &[Line]| v.iter().cloned().enumerate().collect::<Vec<_>>();
        d!(
            Line,
            &oldp.map(|x| indexed(&x.lines)).unwrap_or_default(),
            &indexed(&p.lines),
            |s: &(usize, Line)| key2(c, &s.0)
        );
    }
    out
}

/// A translation as the store keys it and the audit trail records it.
#[derive(Serialize)]
struct TranslationRecord {
    lang: String,
    source: String,
    text: String,
}

impl TranslationRecord {
    /// `th/` and the SHA-256 of the source, in hex: the translations table's key.
    fn key(&self) -> String {
        format!("{}/{}", self.lang, digest(&self.source))
    }
}

fn translation_records(ds: &Dataset) -> Vec<TranslationRecord> {
    ds.translations
        .iter()
        .map(|t| TranslationRecord {
            lang: t.lang.to_owned(),
            source: t.source.to_owned(),
            text: t.text.to_owned(),
        })
        .collect()
}

/// The SHA-256 of a text, in hex.
fn digest(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the audit trail records of a boundaries file.
#[derive(Serialize)]
struct BoundariesRecord {
    bytes: usize,
    /// FNV-1a, 64 bits: enough to tell two versions of one file apart.
    digest: String,
}

impl BoundariesRecord {
    fn of(text: &str) -> Self {
        let digest = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        BoundariesRecord {
            bytes: text.len(),
            digest: format!("{digest:016x}"),
        }
    }
}

fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or((key, ""))
}

/// A count as the store keeps it (64-bit signed); thresholds are checked to be far below the limit.
fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// The serde name of an enum value (`un_agency`), which is what the tables hold.
fn name<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn exec(
    tx: &mut AnyConnection,
    sql: &'static str,
    a: &str,
    b: &str,
) -> Result<(), sqlx::Error> {
    let q = sqlx::query(sql).bind(a.to_owned());
    let q = if sql.contains("$2") {
        q.bind(b.to_owned())
    } else {
        q
    };
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Deletes one item and its child rows.
pub(crate) async fn delete(
    tx: &mut AnyConnection,
    item: Item,
    key: &str,
) -> Result<(), sqlx::Error> {
    let (a, b) = split_key(key);
    let stmts: &[&'static str] = match item {
        Item::Network => &[
            "DELETE FROM network_countries",
            "DELETE FROM network WHERE code = $1",
        ],
        Item::Place => &["DELETE FROM gazetteer WHERE pcode = $1"],
        Item::Boundaries => &["DELETE FROM boundaries"],
        Item::Organisation => &["DELETE FROM organisations WHERE code = $1"],
        Item::Role => &["DELETE FROM roles WHERE role = $1 AND organisation = $2"],
        Item::Framework => &["DELETE FROM frameworks WHERE version = $1"],
        Item::Priority => &["DELETE FROM priorities WHERE code = $1"],
        Item::Outcome => &["DELETE FROM outcomes WHERE code = $1"],
        Item::Indicator => &[
            "DELETE FROM indicator_disaggregations WHERE indicator = $1",
            "DELETE FROM indicator_places WHERE indicator = $1",
            "DELETE FROM indicator_tags WHERE indicator = $1",
            "DELETE FROM indicator_targets WHERE indicator = $1",
            "DELETE FROM indicators WHERE code = $1",
        ],
        Item::Pledge => &[
            "DELETE FROM pledge_priorities WHERE pledge = $1",
            "DELETE FROM pledges WHERE id = $1",
        ],
        Item::WorkingGroup => &[
            "DELETE FROM working_group_members WHERE grp = $1",
            "DELETE FROM working_groups WHERE code = $1",
        ],
        Item::Period => &[
            "DELETE FROM period_assignments WHERE period = $1",
            "DELETE FROM periods WHERE code = $1",
        ],
        Item::Section => {
            &["DELETE FROM sections WHERE period = $1 AND position = CAST($2 AS BIGINT)"]
        }
        Item::Footnote => &["DELETE FROM footnotes WHERE period = $1 AND id = $2"],
        Item::Statistic => &["DELETE FROM statistics WHERE period = $1 AND id = $2"],
        Item::Derived => &["DELETE FROM derived WHERE period = $1 AND id = $2"],
        Item::Claim => &["DELETE FROM claims WHERE period = $1 AND id = $2"],
        Item::Figure => &[
            "DELETE FROM figure_organisations WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_parts WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_places WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_sites WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_footnotes WHERE period = $1 AND figure = $2",
            "DELETE FROM figures WHERE period = $1 AND id = $2",
        ],
        Item::Translation => &["DELETE FROM translations WHERE lang = $1 AND digest = $2"],
        Item::Line => &[
            "DELETE FROM line_figures WHERE period = $1 AND line = CAST($2 AS BIGINT)",
            "DELETE FROM lines WHERE period = $1 AND position = CAST($2 AS BIGINT)",
        ],
    };
    for s in stmts {
        exec(tx, s, a, b).await?;
    }
    Ok(())
}

/// Inserts the items of `ds` that `changes` create or update (an updated item was deleted first),
/// with their child rows, each at its place in the dataset. The dataset is walked once, table by
/// table, parents before children, and each table's rows go in as few multi-row statements as the
/// databases allow (`batch.rs`): loading a large network is a few hundred statements.
async fn insert_items(
    tx: &mut AnyConnection,
    ds: &Dataset,
    changes: &[Change],
) -> Result<(), sqlx::Error> {
    let wanted: HashSet<(Item, &str)> = changes
        .iter()
        .filter(|c| c.action != Action::Delete)
        .filter_map(|c| match c.entity {
            Entity::Item(item) => Some((item, c.key.as_str())),
            _ => None,
        })
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let w = |item: Item, key: &str| wanted.contains(&(item, key));

    let mut rows = Rows::new(
        "network",
        &[
            "code",
            "name",
            "short_name",
            "tagline",
            "country",
            "small_count_threshold",
            "separation_of_duties",
            "agency_approval",
            "time_zone",
        ],
    );
    let n = &ds.network;
    if w(Item::Network, &n.code) {
        rows.push([
            n.code.as_str().into(),
            (&n.name).into(),
            (&n.short_name).into(),
            (&n.tagline).into(),
            n.country().into(),
            count(n.small_count_threshold).into(),
            flag(n.separation_of_duties).into(),
            flag(n.agency_approval).into(),
            (&n.time_zone).into(),
        ]);
    }
    rows.flush(tx).await?;
    let mut rows = Rows::new("network_countries", &["code", "position"]);
    if w(Item::Network, &n.code) {
        for (i, c) in n.countries.iter().enumerate() {
            rows.push([c.into(), i.into()]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "gazetteer",
        &["pcode", "name", "local_name", "parent", "level", "position"],
    );
    for (i, a) in ds.gazetteer.areas.iter().enumerate() {
        if w(Item::Place, &a.pcode) {
            rows.push([
                (&a.pcode).into(),
                (&a.name).into(),
                (&a.local_name).into(),
                (&a.parent).into(),
                i64::from(a.level).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;
    let mut rows = Rows::new("translations", &["lang", "digest", "source", "text"]);
    for t in ds.translations.iter() {
        let digest = digest(t.source);
        if w(Item::Translation, &format!("{}/{digest}", t.lang)) {
            rows.push([t.lang.into(), digest.into(), t.source.into(), t.text.into()]);
        }
    }
    rows.flush(tx).await?;
    let mut rows = Rows::new("boundaries", &["id", "geojson"]);
    if let Some(b) = &ds.gazetteer.boundaries
        && w(Item::Boundaries, "boundaries")
    {
        rows.push([1_i64.into(), b.into()]);
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "organisations",
        &[
            "code",
            "short_name",
            "name",
            "kind",
            "member",
            "parent",
            "position",
        ],
    );
    for (i, o) in ds.organisations.iter().enumerate() {
        if w(Item::Organisation, o.code.as_str()) {
            rows.push([
                o.code.as_str().into(),
                (&o.short_name).into(),
                (&o.name).into(),
                name(o.kind).into(),
                flag(o.member).into(),
                o.parent.as_ref().map(|p| p.to_string()).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new("roles", &["role", "organisation", "note", "position"]);
    for (i, r) in ds.roles.iter().enumerate() {
        if w(Item::Role, &key2(&name(r.role), &r.organisation)) {
            rows.push([
                name(r.role).into(),
                r.organisation.as_str().into(),
                (&r.note).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let fw = &ds.framework;
    let mut rows = Rows::new("frameworks", &["version", "title"]);
    if w(Item::Framework, &fw.version) {
        rows.push([(&fw.version).into(), (&fw.title).into()]);
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new("priorities", &["code", "title", "summary", "position"]);
    for (i, p) in fw.priorities.iter().enumerate() {
        if w(Item::Priority, p.code.as_str()) {
            rows.push([
                p.code.as_str().into(),
                (&p.title).into(),
                (&p.summary).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new("outcomes", &["code", "priority", "statement", "position"]);
    for (i, o) in fw.outcomes.iter().enumerate() {
        if w(Item::Outcome, o.code.as_str()) {
            rows.push([
                o.code.as_str().into(),
                o.priority.as_str().into(),
                (&o.statement).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "indicators",
        &[
            "code",
            "outcome",
            "statement",
            "unit",
            "kind",
            "figure_source_required",
            "baseline_value",
            "baseline_year",
            "baseline_note",
            "sensitive",
            "small_count_threshold",
            "position",
        ],
    );
    let mut disaggs = Rows::new(
        "indicator_disaggregations",
        &["indicator", "key", "label", "position"],
    );
    let mut places = Rows::new("indicator_places", &["indicator", "province", "position"]);
    let mut tags = Rows::new(
        "indicator_tags",
        &["indicator", "scheme", "code", "position"],
    );
    let mut targets = Rows::new(
        "indicator_targets",
        &["indicator", "period", "value", "cumulative", "position"],
    );
    for (pos, i) in fw.indicators.iter().enumerate() {
        let code = i.code.as_str();
        if !w(Item::Indicator, code) {
            continue;
        }
        rows.push([
            code.into(),
            i.outcome.as_str().into(),
            (&i.statement).into(),
            (&i.unit).into(),
            name(i.kind).into(),
            flag(i.figure_source_required).into(),
            i.baseline.as_ref().map(|b| b.value).into(),
            i.baseline.as_ref().map(|b| i64::from(b.year)).into(),
            i.baseline.as_ref().and_then(|b| b.note.clone()).into(),
            flag(i.sensitive).into(),
            i.threshold.map(count).into(),
            pos.into(),
        ]);
        for (n, d) in i.disaggregations.iter().enumerate() {
            disaggs.push([code.into(), (&d.key).into(), (&d.label).into(), n.into()]);
        }
        for (n, p) in i.places.iter().enumerate() {
            places.push([code.into(), p.as_str().into(), n.into()]);
        }
        let schemes = i
            .gcm
            .iter()
            .map(|g| ("gcm", g.to_string()))
            .chain(i.sdg.iter().map(|s| ("sdg", s.clone())));
        for (n, (scheme, tag)) in schemes.enumerate() {
            tags.push([code.into(), scheme.into(), tag.into(), n.into()]);
        }
        for (n, t) in i.targets.iter().enumerate() {
            targets.push([
                code.into(),
                t.period.as_str().into(),
                t.value.into(),
                flag(t.cumulative).into(),
                n.into(),
            ]);
        }
    }
    for r in [
        &mut rows,
        &mut disaggs,
        &mut places,
        &mut tags,
        &mut targets,
    ] {
        r.flush(tx).await?;
    }

    let mut rows = Rows::new(
        "pledges",
        &[
            "id", "forum", "made_by", "text", "wording", "source", "position",
        ],
    );
    let mut priorities = Rows::new("pledge_priorities", &["pledge", "priority"]);
    for (i, p) in ds.pledges.iter().enumerate() {
        if !w(Item::Pledge, p.id.as_str()) {
            continue;
        }
        rows.push([
            p.id.as_str().into(),
            (&p.forum).into(),
            p.made_by.as_ref().map(|m| m.to_string()).into(),
            (&p.text).into(),
            name(p.wording).into(),
            (&p.source).into(),
            i.into(),
        ]);
        for pr in &p.priorities {
            priorities.push([p.id.as_str().into(), pr.as_str().into()]);
        }
    }
    rows.flush(tx).await?;
    priorities.flush(tx).await?;

    let mut rows = Rows::new(
        "working_groups",
        &[
            "code",
            "name",
            "established",
            "status",
            "renamed_to",
            "renamed_in",
            "members_note",
            "description",
            "position",
        ],
    );
    let mut members = Rows::new(
        "working_group_members",
        &["grp", "organisation", "role", "position"],
    );
    for (i, g) in ds.groups.iter().enumerate() {
        if !w(Item::WorkingGroup, g.code.as_str()) {
            continue;
        }
        rows.push([
            g.code.as_str().into(),
            (&g.name).into(),
            (&g.established).into(),
            name(g.status).into(),
            (&g.renamed_to).into(),
            (&g.renamed_in).into(),
            (&g.members_note).into(),
            (&g.description).into(),
            i.into(),
        ]);
        for (role, list) in [
            ("co_chair", &g.co_chairs),
            ("secretariat", &g.secretariat),
            ("member", &g.members),
        ] {
            for (n, o) in list.iter().enumerate() {
                members.push([
                    g.code.as_str().into(),
                    o.as_str().into(),
                    role.into(),
                    n.into(),
                ]);
            }
        }
    }
    rows.flush(tx).await?;
    members.flush(tx).await?;

    let mut rows = Rows::new(
        "periods",
        &[
            "code",
            "title",
            "starts",
            "ends",
            "status",
            "framework",
            "introduction",
            "opens",
            "due",
            "publishes",
        ],
    );
    let mut assignments = Rows::new(
        "period_assignments",
        &["period", "organisation", "indicator", "position"],
    );
    for p in &ds.periods {
        let p = &p.period;
        if w(Item::Period, p.code.as_str()) {
            rows.push([
                p.code.as_str().into(),
                (&p.title).into(),
                (&p.starts).into(),
                (&p.ends).into(),
                name(p.status).into(),
                (&p.framework).into(),
                (&p.introduction).into(),
                (&p.round.opens).into(),
                (&p.round.due).into(),
                (&p.round.publishes).into(),
            ]);
            for (n, a) in p.round.assignments.iter().enumerate() {
                assignments.push([
                    p.code.as_str().into(),
                    a.organisation.as_str().into(),
                    a.indicator.as_str().into(),
                    count(n as u64).into(),
                ]);
            }
        }
    }
    rows.flush(tx).await?;
    assignments.flush(tx).await?;

    for pd in &ds.periods {
        insert_period_items(tx, pd, &w).await?;
    }
    Ok(())
}

/// The items of one period that `w` (entity, key) selects, as [`insert_items`] writes them.
async fn insert_period_items(
    tx: &mut AnyConnection,
    pd: &PeriodData,
    w: &impl Fn(Item, &str) -> bool,
) -> Result<(), sqlx::Error> {
    let pk = pd.period.code.as_str();
    let mut rows = Rows::new(
        "sections",
        &["period", "position", "priority", "outcome", "kind", "text"],
    );
    for (pos, s) in pd.sections.iter().enumerate() {
        if w(Item::Section, &key2(&pk, &pos)) {
            rows.push([
                pk.into(),
                pos.into(),
                s.priority.as_ref().map(|c| c.to_string()).into(),
                s.outcome.as_ref().map(|c| c.to_string()).into(),
                name(s.kind).into(),
                (&s.text).into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new("footnotes", &["period", "id", "marker", "text", "position"]);
    for (i, f) in pd.footnotes.iter().enumerate() {
        if w(Item::Footnote, &key2(&pk, &f.id)) {
            rows.push([
                pk.into(),
                f.id.as_str().into(),
                (&f.marker).into(),
                (&f.text).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "statistics",
        &[
            "period",
            "id",
            "label",
            "value",
            "unit",
            "display",
            "qualifier",
            "source",
            "source_org",
            "as_of",
            "footnote",
            "position",
        ],
    );
    for (i, s) in pd.statistics.iter().enumerate() {
        if w(Item::Statistic, &key2(&pk, &s.id)) {
            rows.push([
                pk.into(),
                s.id.as_str().into(),
                (&s.label).into(),
                s.value.into(),
                (&s.unit).into(),
                name(s.display).into(),
                (&s.qualifier).into(),
                (&s.source).into(),
                s.source_org.as_ref().map(|o| o.to_string()).into(),
                (&s.as_of).into(),
                s.footnote.as_ref().map(|f| f.to_string()).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "derived",
        &["period", "id", "kind", "a", "b", "decimals", "position"],
    );
    for (i, d) in pd.derived.iter().enumerate() {
        if w(Item::Derived, &key2(&pk, &d.id)) {
            rows.push([
                pk.into(),
                d.id.as_str().into(),
                name(d.kind).into(),
                d.a.as_str().into(),
                d.b.as_str().into(),
                i64::from(d.decimals).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut rows = Rows::new(
        "claims",
        &[
            "period",
            "id",
            "derived",
            "published",
            "text",
            "location",
            "position",
        ],
    );
    for (i, c) in pd.claims.iter().enumerate() {
        if w(Item::Claim, &key2(&pk, &c.id)) {
            rows.push([
                pk.into(),
                c.id.as_str().into(),
                c.derived.as_str().into(),
                c.published.into(),
                (&c.text).into(),
                (&c.location).into(),
                i.into(),
            ]);
        }
    }
    rows.flush(tx).await?;

    let mut figures = FigureRows::default();
    for (i, f) in pd.figures.iter().enumerate() {
        if w(Item::Figure, &key2(&pk, &f.id)) {
            figures.push(pk, f, i, 1)?;
        }
    }
    figures.flush(tx).await?;

    let mut rows = Rows::new("lines", &["period", "position", "outcome", "text"]);
    let mut line_figures = Rows::new("line_figures", &["period", "line", "figure", "position"]);
    for (pos, l) in pd.lines.iter().enumerate() {
        if !w(Item::Line, &key2(&pk, &pos)) {
            continue;
        }
        rows.push([
            pk.into(),
            pos.into(),
            l.outcome.as_str().into(),
            (&l.text).into(),
        ]);
        for (i, f) in l.figures.iter().enumerate() {
            line_figures.push([pk.into(), pos.into(), f.as_str().into(), i.into()]);
        }
    }
    rows.flush(tx).await?;
    line_figures.flush(tx).await?;
    Ok(())
}

/// The rows of figures and of their child tables, written figures first.
struct FigureRows {
    figures: Rows,
    organisations: Rows,
    parts: Rows,
    places: Rows,
    sites: Rows,
    footnotes: Rows,
}

impl Default for FigureRows {
    fn default() -> FigureRows {
        FigureRows {
            figures: Rows::new(
                "figures",
                &[
                    "period",
                    "id",
                    "indicator",
                    "value_kind",
                    "value_count",
                    "value_percent",
                    "achieved",
                    "note",
                    "evidence",
                    "status",
                    "status_by",
                    "status_at",
                    "version",
                    "position",
                    "joint_method",
                    "joint_records",
                    "joint_overlap",
                    "qualifier",
                    "value_high",
                    "currency",
                    "numerator",
                    "denominator",
                    "milestone",
                    "milestone_date",
                    "cumulative",
                    "in_words",
                    "locations",
                    "in_areas",
                ],
            ),
            organisations: Rows::new(
                "figure_organisations",
                &["period", "figure", "organisation", "position"],
            ),
            parts: Rows::new("figure_parts", &["period", "figure", "key", "value"]),
            places: Rows::new(
                "figure_places",
                &["period", "figure", "province", "position"],
            ),
            sites: Rows::new("figure_sites", &["period", "figure", "site", "position"]),
            footnotes: Rows::new(
                "figure_footnotes",
                &["period", "figure", "footnote", "position"],
            ),
        }
    }
}

impl FigureRows {
    /// Adds a figure of `period` at `position` with `version`. A public view's withheld value is
    /// refused: it is never stored.
    fn push(
        &mut self,
        period: &str,
        f: &Figure,
        position: usize,
        version: i64,
    ) -> Result<(), sqlx::Error> {
        let id = f.id.as_str();
        let (kind, count, percent, achieved) = match f.value {
            FigureValue::Count { value } => ("count", Some(value as i64), None, None),
            FigureValue::Percentage { value } => ("percentage", None, Some(value), None),
            FigureValue::Milestone { achieved } => ("milestone", None, None, Some(flag(achieved))),
            // Only a public view holds withheld values; it is never written back.
            FigureValue::Withheld { .. } => {
                return Err(sqlx::Error::Encode(
                    format!("figure {id} is a public view of a withheld count, never stored")
                        .into(),
                ));
            }
        };
        if let JointMethod::Withheld { .. } = f.joint {
            return Err(sqlx::Error::Encode(
                format!("figure {id} is a public view with withheld counts, never stored").into(),
            ));
        }
        let st = &f.stated;
        self.figures.push([
            period.into(),
            id.into(),
            f.indicator.as_str().into(),
            kind.into(),
            count.into(),
            percent.into(),
            achieved.into(),
            (&f.note).into(),
            (&f.evidence).into(),
            f.status.as_str().into(),
            (&f.status_by).into(),
            (&f.status_at).into(),
            version.into(),
            position.into(),
            f.joint.name().into(),
            f.joint.records().map(|n| n as i64).into(),
            f.joint.overlap().map(|n| n as i64).into(),
            st.qualifier.map(|q| q.name().to_owned()).into(),
            st.high.into(),
            st.currency.map(|c| c.to_string()).into(),
            st.numerator.into(),
            st.denominator.into(),
            st.milestone.map(|m| m.name().to_owned()).into(),
            (&st.date).into(),
            flag(st.cumulative).into(),
            flag(st.in_words).into(),
            f.locations.map(self::count).into(),
            f.in_areas.map(self::count).into(),
        ]);
        for (n, o) in f.organisations.iter().enumerate() {
            self.organisations
                .push([period.into(), id.into(), o.as_str().into(), n.into()]);
        }
        for (k, v) in &f.disaggregation {
            self.parts
                .push([period.into(), id.into(), k.into(), (*v as i64).into()]);
        }
        for (n, p) in f.places.iter().enumerate() {
            self.places
                .push([period.into(), id.into(), p.as_str().into(), n.into()]);
        }
        for (n, s) in f.sites.iter().enumerate() {
            self.sites
                .push([period.into(), id.into(), s.into(), n.into()]);
        }
        for (n, fnote) in f.footnotes.iter().enumerate() {
            self.footnotes
                .push([period.into(), id.into(), fnote.as_str().into(), n.into()]);
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut AnyConnection) -> Result<(), sqlx::Error> {
        self.figures.flush(tx).await?;
        self.organisations.flush(tx).await?;
        self.parts.flush(tx).await?;
        self.places.flush(tx).await?;
        self.sites.flush(tx).await?;
        self.footnotes.flush(tx).await
    }
}

/// Writes one figure of `period` at `position` with `version`, with its child rows.
pub(crate) async fn insert_figure(
    tx: &mut AnyConnection,
    period: &str,
    f: &Figure,
    position: i64,
    version: i64,
) -> Result<(), sqlx::Error> {
    let mut rows = FigureRows::default();
    rows.push(period, f, usize::try_from(position).unwrap_or(0), version)?;
    rows.flush(tx).await
}

/// Orders follow the dataset: an item moved in a file moves in every report. The stored places are
/// read once per table and only the rows whose place differs are rewritten (items just inserted are
/// already in place), so an unchanged dataset costs a read per table, not a statement per item.
async fn write_positions(tx: &mut AnyConnection, ds: &Dataset) -> Result<(), sqlx::Error> {
    let one = |code: &str| vec![code.to_owned()];
    reposition(
        tx,
        "gazetteer",
        &["pcode"],
        ds.gazetteer.areas.iter().map(|a| one(&a.pcode)),
    )
    .await?;
    reposition(
        tx,
        "organisations",
        &["code"],
        ds.organisations.iter().map(|o| one(o.code.as_str())),
    )
    .await?;
    reposition(
        tx,
        "roles",
        &["role", "organisation"],
        ds.roles
            .iter()
            .map(|r| vec![name(r.role), r.organisation.to_string()]),
    )
    .await?;
    let fw = &ds.framework;
    reposition(
        tx,
        "priorities",
        &["code"],
        fw.priorities.iter().map(|p| one(p.code.as_str())),
    )
    .await?;
    reposition(
        tx,
        "outcomes",
        &["code"],
        fw.outcomes.iter().map(|p| one(p.code.as_str())),
    )
    .await?;
    reposition(
        tx,
        "indicators",
        &["code"],
        fw.indicators.iter().map(|p| one(p.code.as_str())),
    )
    .await?;
    reposition(
        tx,
        "pledges",
        &["id"],
        ds.pledges.iter().map(|p| one(p.id.as_str())),
    )
    .await?;
    reposition(
        tx,
        "working_groups",
        &["code"],
        ds.groups.iter().map(|g| one(g.code.as_str())),
    )
    .await?;
    /// The keys of one kind of item of every period, each list in its period's order.
    fn of_periods<'d, T: 'd>(
        ds: &'d Dataset,
        items: impl Fn(&'d PeriodData) -> &'d [T],
        id: impl Fn(&T) -> &str,
    ) -> Vec<Vec<Vec<String>>> {
        ds.periods
            .iter()
            .map(|p| {
                items(p)
                    .iter()
                    .map(|x| vec![p.period.code.to_string(), id(x).to_owned()])
                    .collect()
            })
            .collect()
    }
    for (table, keys) in [
        (
            "footnotes",
            of_periods(ds, |p| &p.footnotes, |x| x.id.as_str()),
        ),
        (
            "statistics",
            of_periods(ds, |p| &p.statistics, |x| x.id.as_str()),
        ),
        ("derived", of_periods(ds, |p| &p.derived, |x| x.id.as_str())),
        ("claims", of_periods(ds, |p| &p.claims, |x| x.id.as_str())),
        ("figures", of_periods(ds, |p| &p.figures, |x| x.id.as_str())),
    ] {
        reposition_periods(tx, table, keys).await?;
    }
    Ok(())
}

/// The stored place of every row of `table`, by its key columns.
async fn positions(
    tx: &mut AnyConnection,
    table: &str,
    key: &[&str],
) -> Result<HashMap<Vec<String>, i64>, sqlx::Error> {
    use sqlx::Row;
    let sql = format!("SELECT {}, position FROM {table}", key.join(", "));
    let mut out = HashMap::new();
    // `table` and `key` are this module's constants.
    for r in sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *tx)
        .await?
    {
        let k = (0..key.len())
            .map(|i| r.try_get::<String, _>(i))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(k, r.try_get::<i64, _>(key.len())?);
    }
    Ok(out)
}

/// Gives the rows of `table` with the keys `order` the places 0, 1, 2 ... where they have others.
async fn reposition(
    tx: &mut AnyConnection,
    table: &str,
    key: &[&str],
    order: impl Iterator<Item = Vec<String>>,
) -> Result<(), sqlx::Error> {
    let order: Vec<Vec<String>> = order.collect();
    if order.is_empty() {
        return Ok(());
    }
    let stored = positions(tx, table, key).await?;
    update_positions(tx, table, key, &stored, &order).await
}

/// [`reposition`] for the items of periods: the places count from 0 in each period.
async fn reposition_periods(
    tx: &mut AnyConnection,
    table: &str,
    per_period: Vec<Vec<Vec<String>>>,
) -> Result<(), sqlx::Error> {
    if per_period.iter().all(Vec::is_empty) {
        return Ok(());
    }
    let key = ["period", "id"];
    let stored = positions(tx, table, &key).await?;
    for order in &per_period {
        update_positions(tx, table, &key, &stored, order).await?;
    }
    Ok(())
}

async fn update_positions(
    tx: &mut AnyConnection,
    table: &str,
    key: &[&str],
    stored: &HashMap<Vec<String>, i64>,
    order: &[Vec<String>],
) -> Result<(), sqlx::Error> {
    let mut sql = format!("UPDATE {table} SET position = $1 WHERE ");
    for (i, k) in key.iter().enumerate() {
        if i > 0 {
            sql += " AND ";
        }
        sql += &format!("{k} = ${}", i + 2);
    }
    for (i, k) in order.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(i64::MAX);
        if stored.get(k) == Some(&i) {
            continue;
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(i);
        for part in k {
            q = q.bind(part.clone());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}
