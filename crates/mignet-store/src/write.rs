//! Writing a whole dataset in one transaction.
//!
//! The store is compared with the dataset item by item; only what differs is rewritten, and each
//! difference is recorded in the audit trail. So loading the same dataset twice changes nothing the
//! second time, and a failure anywhere rolls everything back.

use crate::audit::{self, Change};
use crate::{Store, StoreError};
use mignet_core::JointMethod;
use mignet_core::model::*;
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

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
                Ok(Ok(summary)) => {
                    self.wrote();
                    return Ok(Ok(summary));
                }
                other => return other,
            }
        }
    }

    async fn rewrite_once<E>(
        &self,
        actor: &str,
        make: &mut impl FnMut(Option<&Dataset>) -> Result<Dataset, E>,
    ) -> Result<Result<LoadSummary, E>, StoreError> {
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
        for c in changes.iter().rev().filter(|c| c.action != "create") {
            delete(&mut tx, c.entity, &c.key).await?;
        }
        for c in changes.iter().filter(|c| c.action != "delete") {
            insert(&mut tx, ds, c.entity, &c.key).await?;
        }
        for c in &changes {
            audit::record(&mut tx, actor, &at, c).await?;
        }
        write_positions(&mut tx, ds).await?;
        if !changes.is_empty() {
            crate::figures::bump_generation(&mut tx).await?;
        }
        crate::tx::commit(tx, || "the store refused the dataset".to_owned()).await?;

        let mut s = LoadSummary::default();
        for c in &changes {
            let slot = match c.action {
                "create" => 0,
                "update" => 1,
                _ => 2,
            };
            s.by_entity.entry(c.entity.to_owned()).or_default()[slot] += 1;
        }
        s.created = s.by_entity.values().map(|v| v[0]).sum();
        s.updated = s.by_entity.values().map(|v| v[1]).sum();
        s.deleted = s.by_entity.values().map(|v| v[2]).sum();
        s.unchanged = total - s.created - s.updated;
        Ok(Ok(s))
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
        + ds.roles.len()
        + ds.framework.priorities.len()
        + ds.framework.outcomes.len()
        + ds.framework.indicators.len()
        + ds.pledges.len()
        + ds.groups.len()
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
        ($entity:literal, $old:expr, $new:expr, $key:expr) => {
            audit::diff($entity, $old, $new, $key, &mut out)
        };
    }
    let old_net: Vec<Network> = old.map(|d| vec![d.network.clone()]).unwrap_or_default();
    d!(
        "network",
        &old_net,
        std::slice::from_ref(&new.network),
        |n: &Network| n.code.clone()
    );
    d!(
        "organisation",
        old.map_or(&[][..], |d| &d.organisations),
        &new.organisations,
        |o: &Organisation| o.code.to_string()
    );
    d!(
        "role",
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
        "framework",
        &old.map(|d| fw_head(&d.framework)).unwrap_or_default(),
        &fw_head(&new.framework),
        |f: &(String, Option<String>)| f.0.clone()
    );
    d!(
        "priority",
        &old_fw.priorities,
        &new.framework.priorities,
        |p: &Priority| p.code.to_string()
    );
    d!(
        "outcome",
        &old_fw.outcomes,
        &new.framework.outcomes,
        |p: &Outcome| p.code.to_string()
    );
    d!(
        "indicator",
        &old_fw.indicators,
        &new.framework.indicators,
        |p: &Indicator| p.code.to_string()
    );
    d!(
        "pledge",
        old.map_or(&[][..], |d| &d.pledges),
        &new.pledges,
        |p: &Pledge| p.id.to_string()
    );
    d!(
        "working_group",
        old.map_or(&[][..], |d| &d.groups),
        &new.groups,
        |g: &WorkingGroup| g.code.to_string()
    );
    for p in &new.periods {
        let code = p.period.code.clone();
        let oldp = old.and_then(|d| d.period(code.as_str()));
        d!(
            "period",
            oldp.map_or(&[][..], |x| std::slice::from_ref(&x.period)),
            std::slice::from_ref(&p.period),
            |x: &Period| x.code.to_string()
        );
        let c = &code;
        let indexed = |v: &[Section]| v.iter().cloned().enumerate().collect::<Vec<_>>();
        d!(
            "section",
            &oldp.map(|x| indexed(&x.sections)).unwrap_or_default(),
            &indexed(&p.sections),
            |s: &(usize, Section)| key2(c, &s.0)
        );
        d!(
            "footnote",
            oldp.map_or(&[][..], |x| &x.footnotes),
            &p.footnotes,
            |f: &Footnote| key2(c, &f.id)
        );
        d!(
            "statistic",
            oldp.map_or(&[][..], |x| &x.statistics),
            &p.statistics,
            |f: &Statistic| key2(c, &f.id)
        );
        d!(
            "figure",
            oldp.map_or(&[][..], |x| &x.figures),
            &p.figures,
            |f: &Figure| key2(c, &f.id)
        );
        d!(
            "derived",
            oldp.map_or(&[][..], |x| &x.derived),
            &p.derived,
            |f: &Derived| key2(c, &f.id)
        );
        d!(
            "claim",
            oldp.map_or(&[][..], |x| &x.claims),
            &p.claims,
            |f: &Claim| key2(c, &f.id)
        );
        let indexed = |v: &[Line]| v.iter().cloned().enumerate().collect::<Vec<_>>();
        d!(
            "line",
            &oldp.map(|x| indexed(&x.lines)).unwrap_or_default(),
            &indexed(&p.lines),
            |s: &(usize, Line)| key2(c, &s.0)
        );
    }
    out
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
    entity: &str,
    key: &str,
) -> Result<(), sqlx::Error> {
    let (a, b) = split_key(key);
    let stmts: &[&'static str] = match entity {
        "network" => &["DELETE FROM network WHERE code = $1"],
        "organisation" => &["DELETE FROM organisations WHERE code = $1"],
        "role" => &["DELETE FROM roles WHERE role = $1 AND organisation = $2"],
        "framework" => &["DELETE FROM frameworks WHERE version = $1"],
        "priority" => &["DELETE FROM priorities WHERE code = $1"],
        "outcome" => &["DELETE FROM outcomes WHERE code = $1"],
        "indicator" => &[
            "DELETE FROM indicator_disaggregations WHERE indicator = $1",
            "DELETE FROM indicator_places WHERE indicator = $1",
            "DELETE FROM indicator_tags WHERE indicator = $1",
            "DELETE FROM indicator_targets WHERE indicator = $1",
            "DELETE FROM indicators WHERE code = $1",
        ],
        "pledge" => &[
            "DELETE FROM pledge_priorities WHERE pledge = $1",
            "DELETE FROM pledges WHERE id = $1",
        ],
        "working_group" => &[
            "DELETE FROM working_group_members WHERE grp = $1",
            "DELETE FROM working_groups WHERE code = $1",
        ],
        "period" => &["DELETE FROM periods WHERE code = $1"],
        "section" => &["DELETE FROM sections WHERE period = $1 AND position = CAST($2 AS BIGINT)"],
        "footnote" => &["DELETE FROM footnotes WHERE period = $1 AND id = $2"],
        "statistic" => &["DELETE FROM statistics WHERE period = $1 AND id = $2"],
        "derived" => &["DELETE FROM derived WHERE period = $1 AND id = $2"],
        "claim" => &["DELETE FROM claims WHERE period = $1 AND id = $2"],
        "figure" => &[
            "DELETE FROM figure_organisations WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_parts WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_places WHERE period = $1 AND figure = $2",
            "DELETE FROM figure_footnotes WHERE period = $1 AND figure = $2",
            "DELETE FROM figures WHERE period = $1 AND id = $2",
        ],
        "line" => &[
            "DELETE FROM line_figures WHERE period = $1 AND line = CAST($2 AS BIGINT)",
            "DELETE FROM lines WHERE period = $1 AND position = CAST($2 AS BIGINT)",
        ],
        other => unreachable!("no table for {other}"),
    };
    for s in stmts {
        exec(tx, s, a, b).await?;
    }
    Ok(())
}

/// Inserts one item of `ds`, named by its entity and key, with its child rows.
async fn insert(
    tx: &mut AnyConnection,
    ds: &Dataset,
    entity: &str,
    key: &str,
) -> Result<(), sqlx::Error> {
    let (pk, id) = split_key(key);
    let period = || ds.period(pk).expect("changes come from the dataset");
    match entity {
        "network" => {
            let n = &ds.network;
            sqlx::query("INSERT INTO network (code, name, short_name, tagline, country, small_count_threshold, separation_of_duties) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&n.code).bind(&n.name).bind(&n.short_name).bind(&n.tagline).bind(&n.country).bind(count(n.small_count_threshold)).bind(flag(n.separation_of_duties))
                .execute(&mut *tx).await?;
        }
        "organisation" => {
            let o = ds.organisation(key).expect("organisation");
            sqlx::query("INSERT INTO organisations (code, short_name, name, kind, member, parent, position) VALUES ($1, $2, $3, $4, $5, $6, 0)")
                .bind(o.code.as_str()).bind(&o.short_name).bind(&o.name).bind(name(o.kind)).bind(flag(o.member)).bind(o.parent.as_ref().map(|p| p.to_string()))
                .execute(&mut *tx).await?;
        }
        "role" => {
            let r = ds
                .roles
                .iter()
                .find(|r| name(r.role) == pk && r.organisation.as_str() == id)
                .expect("role");
            sqlx::query(
                "INSERT INTO roles (role, organisation, note, position) VALUES ($1, $2, $3, 0)",
            )
            .bind(name(r.role))
            .bind(r.organisation.as_str())
            .bind(&r.note)
            .execute(&mut *tx)
            .await?;
        }
        "framework" => {
            sqlx::query("INSERT INTO frameworks (version, title) VALUES ($1, $2)")
                .bind(&ds.framework.version)
                .bind(&ds.framework.title)
                .execute(&mut *tx)
                .await?;
        }
        "priority" => {
            let p = ds
                .framework
                .priorities
                .iter()
                .find(|p| p.code.as_str() == key)
                .expect("priority");
            sqlx::query(
                "INSERT INTO priorities (code, title, summary, position) VALUES ($1, $2, $3, 0)",
            )
            .bind(p.code.as_str())
            .bind(&p.title)
            .bind(&p.summary)
            .execute(&mut *tx)
            .await?;
        }
        "outcome" => {
            let o = ds.outcome(key).expect("outcome");
            sqlx::query(
                "INSERT INTO outcomes (code, priority, statement, position) VALUES ($1, $2, $3, 0)",
            )
            .bind(o.code.as_str())
            .bind(o.priority.as_str())
            .bind(&o.statement)
            .execute(&mut *tx)
            .await?;
        }
        "indicator" => insert_indicator(tx, ds.indicator(key).expect("indicator")).await?,
        "pledge" => {
            let p = ds.pledge(key).expect("pledge");
            sqlx::query("INSERT INTO pledges (id, forum, made_by, text, wording, source, position) VALUES ($1, $2, $3, $4, $5, $6, 0)")
                .bind(p.id.as_str()).bind(&p.forum).bind(p.made_by.as_ref().map(|m| m.to_string())).bind(&p.text).bind(name(p.wording)).bind(&p.source)
                .execute(&mut *tx).await?;
            for pr in &p.priorities {
                sqlx::query("INSERT INTO pledge_priorities (pledge, priority) VALUES ($1, $2)")
                    .bind(p.id.as_str())
                    .bind(pr.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        "working_group" => {
            let g = ds
                .groups
                .iter()
                .find(|g| g.code.as_str() == key)
                .expect("group");
            sqlx::query("INSERT INTO working_groups (code, name, established, status, renamed_to, renamed_in, members_note, description, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)")
                .bind(g.code.as_str()).bind(&g.name).bind(&g.established).bind(name(g.status)).bind(&g.renamed_to).bind(&g.renamed_in).bind(&g.members_note).bind(&g.description)
                .execute(&mut *tx).await?;
            for (role, list) in [
                ("co_chair", &g.co_chairs),
                ("secretariat", &g.secretariat),
                ("member", &g.members),
            ] {
                for (i, o) in list.iter().enumerate() {
                    sqlx::query("INSERT INTO working_group_members (grp, organisation, role, position) VALUES ($1, $2, $3, $4)")
                        .bind(g.code.as_str()).bind(o.as_str()).bind(role).bind(i as i64)
                        .execute(&mut *tx).await?;
                }
            }
        }
        "period" => {
            let p = &ds.period(key).expect("period").period;
            sqlx::query("INSERT INTO periods (code, title, starts, ends, status, framework, introduction) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(p.code.as_str()).bind(&p.title).bind(&p.starts).bind(&p.ends).bind(name(p.status)).bind(&p.framework).bind(&p.introduction)
                .execute(&mut *tx).await?;
        }
        "section" => {
            let pos: usize = id.parse().expect("position");
            let s = &period().sections[pos];
            sqlx::query("INSERT INTO sections (period, position, priority, outcome, kind, text) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(pk).bind(pos as i64).bind(s.priority.as_ref().map(|c| c.to_string())).bind(s.outcome.as_ref().map(|c| c.to_string())).bind(name(s.kind)).bind(&s.text)
                .execute(&mut *tx).await?;
        }
        "footnote" => {
            let f = period().footnote(id).expect("footnote");
            sqlx::query("INSERT INTO footnotes (period, id, marker, text, position) VALUES ($1, $2, $3, $4, 0)").bind(pk).bind(id).bind(&f.marker).bind(&f.text).execute(&mut *tx).await?;
        }
        "statistic" => {
            let s = period().statistic(id).expect("statistic");
            sqlx::query("INSERT INTO statistics (period, id, label, value, unit, display, qualifier, source, source_org, as_of, footnote, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)")
                .bind(pk).bind(id).bind(&s.label).bind(s.value).bind(&s.unit).bind(name(s.display)).bind(&s.qualifier).bind(&s.source)
                .bind(s.source_org.as_ref().map(|o| o.to_string())).bind(&s.as_of).bind(s.footnote.as_ref().map(|f| f.to_string()))
                .execute(&mut *tx).await?;
        }
        "derived" => {
            let d = period().derived(id).expect("derived");
            sqlx::query("INSERT INTO derived (period, id, kind, a, b, decimals, position) VALUES ($1, $2, $3, $4, $5, $6, 0)")
                .bind(pk).bind(id).bind(name(d.kind)).bind(d.a.as_str()).bind(d.b.as_str()).bind(i64::from(d.decimals))
                .execute(&mut *tx).await?;
        }
        "claim" => {
            let c = period()
                .claims
                .iter()
                .find(|c| c.id.as_str() == id)
                .expect("claim");
            sqlx::query("INSERT INTO claims (period, id, derived, published, text, location, position) VALUES ($1, $2, $3, $4, $5, $6, 0)")
                .bind(pk).bind(id).bind(c.derived.as_str()).bind(c.published).bind(&c.text).bind(&c.location)
                .execute(&mut *tx).await?;
        }
        "figure" => insert_figure(tx, pk, period().figure(id).expect("figure")).await?,
        "line" => {
            let pos: usize = id.parse().expect("position");
            let l = &period().lines[pos];
            sqlx::query(
                "INSERT INTO lines (period, position, outcome, text) VALUES ($1, $2, $3, $4)",
            )
            .bind(pk)
            .bind(pos as i64)
            .bind(l.outcome.as_str())
            .bind(&l.text)
            .execute(&mut *tx)
            .await?;
            for (i, f) in l.figures.iter().enumerate() {
                sqlx::query("INSERT INTO line_figures (period, line, figure, position) VALUES ($1, $2, $3, $4)").bind(pk).bind(pos as i64).bind(f.as_str()).bind(i as i64).execute(&mut *tx).await?;
            }
        }
        other => unreachable!("no table for {other}"),
    }
    Ok(())
}

async fn insert_indicator(tx: &mut AnyConnection, i: &Indicator) -> Result<(), sqlx::Error> {
    let code = i.code.as_str();
    sqlx::query("INSERT INTO indicators (code, outcome, statement, unit, kind, figure_source_required, baseline_value, baseline_year, baseline_note, sensitive, small_count_threshold, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)")
        .bind(code).bind(i.outcome.as_str()).bind(&i.statement).bind(&i.unit).bind(name(i.kind)).bind(flag(i.figure_source_required))
        .bind(i.baseline.as_ref().map(|b| b.value)).bind(i.baseline.as_ref().map(|b| i64::from(b.year))).bind(i.baseline.as_ref().and_then(|b| b.note.clone()))
        .bind(flag(i.sensitive)).bind(i.threshold.map(count))
        .execute(&mut *tx).await?;
    for (n, d) in i.disaggregations.iter().enumerate() {
        sqlx::query("INSERT INTO indicator_disaggregations (indicator, key, label, position) VALUES ($1, $2, $3, $4)").bind(code).bind(&d.key).bind(&d.label).bind(n as i64).execute(&mut *tx).await?;
    }
    for (n, p) in i.places.iter().enumerate() {
        sqlx::query(
            "INSERT INTO indicator_places (indicator, province, position) VALUES ($1, $2, $3)",
        )
        .bind(code)
        .bind(p.as_str())
        .bind(n as i64)
        .execute(&mut *tx)
        .await?;
    }
    let tags = i
        .gcm
        .iter()
        .map(|g| ("gcm", g.to_string()))
        .chain(i.sdg.iter().map(|s| ("sdg", s.clone())));
    for (n, (scheme, tag)) in tags.enumerate() {
        sqlx::query("INSERT INTO indicator_tags (indicator, scheme, code, position) VALUES ($1, $2, $3, $4)").bind(code).bind(scheme).bind(tag).bind(n as i64).execute(&mut *tx).await?;
    }
    for t in &i.targets {
        sqlx::query("INSERT INTO indicator_targets (indicator, period, value) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(t.period.as_str())
            .bind(t.value)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn insert_figure(
    tx: &mut AnyConnection,
    period: &str,
    f: &Figure,
) -> Result<(), sqlx::Error> {
    let id = f.id.as_str();
    let (kind, count, percent, achieved) = match f.value {
        FigureValue::Count { value } => ("count", Some(value as i64), None, None),
        FigureValue::Percentage { value } => ("percentage", None, Some(value), None),
        FigureValue::Milestone { achieved } => ("milestone", None, None, Some(flag(achieved))),
        // Only a public view holds withheld values; it is never written back.
        FigureValue::Withheld { .. } => {
            return Err(sqlx::Error::Encode(
                format!("figure {id} is a public view of a withheld count, never stored").into(),
            ));
        }
    };
    sqlx::query("INSERT INTO figures (period, id, indicator, value_kind, value_count, value_percent, achieved, note, evidence, status, status_by, status_at, version, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, 0)")
        .bind(period).bind(id).bind(f.indicator.as_str()).bind(kind).bind(count).bind(percent).bind(achieved).bind(&f.note).bind(&f.evidence)
        .bind(f.status.as_str()).bind(&f.status_by).bind(&f.status_at)
        .execute(&mut *tx).await?;
    if let JointMethod::Withheld { .. } = f.joint {
        return Err(sqlx::Error::Encode(
            format!("figure {id} is a public view with withheld counts, never stored").into(),
        ));
    }
    // The joint method is written apart from the row (its columns came with migration 0004), and
    // only when it is not the columns' default, `reported`.
    if f.joint != JointMethod::Reported {
        sqlx::query("UPDATE figures SET joint_method = $1, joint_records = $2, joint_overlap = $3 WHERE period = $4 AND id = $5")
            .bind(f.joint.name()).bind(f.joint.records().map(|n| n as i64)).bind(f.joint.overlap().map(|n| n as i64))
            .bind(period).bind(id)
            .execute(&mut *tx).await?;
    }
    for (n, o) in f.organisations.iter().enumerate() {
        sqlx::query("INSERT INTO figure_organisations (period, figure, organisation, position) VALUES ($1, $2, $3, $4)").bind(period).bind(id).bind(o.as_str()).bind(n as i64).execute(&mut *tx).await?;
    }
    for (k, v) in &f.disaggregation {
        sqlx::query(
            "INSERT INTO figure_parts (period, figure, key, value) VALUES ($1, $2, $3, $4)",
        )
        .bind(period)
        .bind(id)
        .bind(k)
        .bind(*v as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (n, p) in f.places.iter().enumerate() {
        sqlx::query("INSERT INTO figure_places (period, figure, province, position) VALUES ($1, $2, $3, $4)").bind(period).bind(id).bind(p.as_str()).bind(n as i64).execute(&mut *tx).await?;
    }
    for (n, fnote) in f.footnotes.iter().enumerate() {
        sqlx::query("INSERT INTO figure_footnotes (period, figure, footnote, position) VALUES ($1, $2, $3, $4)").bind(period).bind(id).bind(fnote.as_str()).bind(n as i64).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Orders follow the dataset: an item moved in a file moves in every report.
async fn write_positions(tx: &mut AnyConnection, ds: &Dataset) -> Result<(), sqlx::Error> {
    async fn set(
        tx: &mut AnyConnection,
        sql: &'static str,
        pos: usize,
        a: &str,
        b: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let q = sqlx::query(sql).bind(pos as i64).bind(a.to_owned());
        let q = match b {
            Some(b) => q.bind(b.to_owned()),
            None => q,
        };
        q.execute(&mut *tx).await?;
        Ok(())
    }
    for (i, o) in ds.organisations.iter().enumerate() {
        set(
            tx,
            "UPDATE organisations SET position = $1 WHERE code = $2 AND position <> $1",
            i,
            o.code.as_str(),
            None,
        )
        .await?;
    }
    for (i, r) in ds.roles.iter().enumerate() {
        set(tx, "UPDATE roles SET position = $1 WHERE role = $2 AND organisation = $3 AND position <> $1", i, &name(r.role), Some(r.organisation.as_str())).await?;
    }
    for (i, p) in ds.framework.priorities.iter().enumerate() {
        set(
            tx,
            "UPDATE priorities SET position = $1 WHERE code = $2 AND position <> $1",
            i,
            p.code.as_str(),
            None,
        )
        .await?;
    }
    for (i, p) in ds.framework.outcomes.iter().enumerate() {
        set(
            tx,
            "UPDATE outcomes SET position = $1 WHERE code = $2 AND position <> $1",
            i,
            p.code.as_str(),
            None,
        )
        .await?;
    }
    for (i, p) in ds.framework.indicators.iter().enumerate() {
        set(
            tx,
            "UPDATE indicators SET position = $1 WHERE code = $2 AND position <> $1",
            i,
            p.code.as_str(),
            None,
        )
        .await?;
    }
    for (i, p) in ds.pledges.iter().enumerate() {
        set(
            tx,
            "UPDATE pledges SET position = $1 WHERE id = $2 AND position <> $1",
            i,
            p.id.as_str(),
            None,
        )
        .await?;
    }
    for (i, g) in ds.groups.iter().enumerate() {
        set(
            tx,
            "UPDATE working_groups SET position = $1 WHERE code = $2 AND position <> $1",
            i,
            g.code.as_str(),
            None,
        )
        .await?;
    }
    for p in &ds.periods {
        let c = p.period.code.as_str();
        for (i, x) in p.footnotes.iter().enumerate() {
            set(tx, "UPDATE footnotes SET position = $1 WHERE period = $2 AND id = $3 AND position <> $1", i, c, Some(x.id.as_str())).await?;
        }
        for (i, x) in p.statistics.iter().enumerate() {
            set(tx, "UPDATE statistics SET position = $1 WHERE period = $2 AND id = $3 AND position <> $1", i, c, Some(x.id.as_str())).await?;
        }
        for (i, x) in p.derived.iter().enumerate() {
            set(
                tx,
                "UPDATE derived SET position = $1 WHERE period = $2 AND id = $3 AND position <> $1",
                i,
                c,
                Some(x.id.as_str()),
            )
            .await?;
        }
        for (i, x) in p.claims.iter().enumerate() {
            set(
                tx,
                "UPDATE claims SET position = $1 WHERE period = $2 AND id = $3 AND position <> $1",
                i,
                c,
                Some(x.id.as_str()),
            )
            .await?;
        }
        for (i, x) in p.figures.iter().enumerate() {
            set(
                tx,
                "UPDATE figures SET position = $1 WHERE period = $2 AND id = $3 AND position <> $1",
                i,
                c,
                Some(x.id.as_str()),
            )
            .await?;
        }
    }
    Ok(())
}
