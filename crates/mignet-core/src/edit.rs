//! Editing the results framework and a period's narrative one item at a time, with the rules that keep
//! what was published meaningful.
//!
//! A coordinator creates, changes and deletes organisations, priorities, outcomes, indicators, pledges,
//! working groups, and an open period's narrative sections and footnotes. [`apply`] changes a dataset
//! in memory and refuses, with an explanation per field, anything that would leave it inconsistent:
//!
//! - a reference to something that does not exist, or a deletion of something still referred to;
//! - a changed code (figures, workbooks and exports refer to codes, so codes are permanent);
//! - a change to what an indicator means (statement, unit, kind, outcome, disaggregations, baseline)
//!   once it has approved figures in a closed period: those figures were published under that meaning;
//! - any change to the narrative of a closed period, which is the published brief.

use crate::codes::{FrameworkCode, ItemId, OrgCode, PeriodCode};
use crate::markup::{self, Token};
use crate::model::*;
use serde::{Deserialize, Serialize};

/// The kinds of item a coordinator edits. Their names are the audit trail's entity names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Organisation,
    Priority,
    Outcome,
    Indicator,
    Pledge,
    WorkingGroup,
    Section,
    Footnote,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Priority,
        Kind::Outcome,
        Kind::Indicator,
        Kind::Organisation,
        Kind::Pledge,
        Kind::WorkingGroup,
        Kind::Section,
        Kind::Footnote,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Priority => "priority",
            Kind::Outcome => "outcome",
            Kind::Indicator => "indicator",
            Kind::Pledge => "pledge",
            Kind::WorkingGroup => "working_group",
            Kind::Section => "section",
            Kind::Footnote => "footnote",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// How a person names one of them.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::Priority => "priority",
            Kind::Outcome => "outcome",
            Kind::Indicator => "indicator",
            Kind::Pledge => "pledge",
            Kind::WorkingGroup => "working group",
            Kind::Section => "narrative section",
            Kind::Footnote => "footnote",
        }
    }
    /// The word for several items of this kind, as a heading says it.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Organisation => "organisations",
            Kind::Priority => "priorities",
            Kind::Outcome => "outcomes",
            Kind::Indicator => "indicators",
            Kind::Pledge => "pledges",
            Kind::WorkingGroup => "working groups",
            Kind::Section => "narrative sections",
            Kind::Footnote => "footnotes",
        }
    }
    /// Whether items of this kind belong to a period (and are keyed `PERIOD/ID`).
    pub fn in_period(self) -> bool {
        matches!(self, Kind::Section | Kind::Footnote)
    }
}

/// One item as a coordinator writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Organisation(Organisation),
    Priority(Priority),
    Outcome(Outcome),
    Indicator(Indicator),
    Pledge(Pledge),
    WorkingGroup(WorkingGroup),
    /// A block of narrative; its place in the period is its position, so sections have no code.
    Section {
        period: PeriodCode,
        section: Section,
    },
    Footnote {
        period: PeriodCode,
        footnote: Footnote,
    },
}

impl Item {
    pub fn kind(&self) -> Kind {
        match self {
            Item::Organisation(_) => Kind::Organisation,
            Item::Priority(_) => Kind::Priority,
            Item::Outcome(_) => Kind::Outcome,
            Item::Indicator(_) => Kind::Indicator,
            Item::Pledge(_) => Kind::Pledge,
            Item::WorkingGroup(_) => Kind::WorkingGroup,
            Item::Section { .. } => Kind::Section,
            Item::Footnote { .. } => Kind::Footnote,
        }
    }
}

/// A change to one item. Keys are codes, or `PERIOD/ID` and `PERIOD/POSITION` inside a period.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Create(Item),
    Update { key: String, item: Item },
    Delete { kind: Kind, key: String },
}

/// Why an edit was refused, against the field it concerns (`""` for the item as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: impl Into<String>) -> Problem {
    Problem {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// The item stored under `key`, as an [`Item`].
pub fn get(ds: &Dataset, kind: Kind, key: &str) -> Option<Item> {
    let fw = &ds.framework;
    match kind {
        Kind::Organisation => ds.organisation(key).cloned().map(Item::Organisation),
        Kind::Priority => fw
            .priorities
            .iter()
            .find(|p| p.code.as_str() == key)
            .cloned()
            .map(Item::Priority),
        Kind::Outcome => ds.outcome(key).cloned().map(Item::Outcome),
        Kind::Indicator => ds.indicator(key).cloned().map(Item::Indicator),
        Kind::Pledge => ds.pledge(key).cloned().map(Item::Pledge),
        Kind::WorkingGroup => ds
            .groups
            .iter()
            .find(|g| g.code.as_str() == key)
            .cloned()
            .map(Item::WorkingGroup),
        Kind::Section => {
            let (period, pos) = key.split_once('/')?;
            let p = ds.period(period)?;
            let s = p.sections.get(pos.parse::<usize>().ok()?)?;
            Some(Item::Section {
                period: p.period.code.clone(),
                section: s.clone(),
            })
        }
        Kind::Footnote => {
            let (period, id) = key.split_once('/')?;
            let p = ds.period(period)?;
            Some(Item::Footnote {
                period: p.period.code.clone(),
                footnote: p.footnote(id)?.clone(),
            })
        }
    }
}

/// The keys of every item of a kind, in the dataset's order.
pub fn keys(ds: &Dataset, kind: Kind) -> Vec<String> {
    let fw = &ds.framework;
    match kind {
        Kind::Organisation => ds
            .organisations
            .iter()
            .map(|o| o.code.to_string())
            .collect(),
        Kind::Priority => fw.priorities.iter().map(|p| p.code.to_string()).collect(),
        Kind::Outcome => fw.outcomes.iter().map(|p| p.code.to_string()).collect(),
        Kind::Indicator => fw.indicators.iter().map(|p| p.code.to_string()).collect(),
        Kind::Pledge => ds.pledges.iter().map(|p| p.id.to_string()).collect(),
        Kind::WorkingGroup => ds.groups.iter().map(|g| g.code.to_string()).collect(),
        Kind::Section => ds
            .periods
            .iter()
            .flat_map(|p| (0..p.sections.len()).map(move |i| format!("{}/{i}", p.period.code)))
            .collect(),
        Kind::Footnote => ds
            .periods
            .iter()
            .flat_map(|p| {
                p.footnotes
                    .iter()
                    .map(move |f| format!("{}/{}", p.period.code, f.id))
            })
            .collect(),
    }
}

/// The key an item is stored under once written (for a new section: the next position).
pub fn key_of(ds: &Dataset, item: &Item) -> String {
    match item {
        Item::Organisation(o) => o.code.to_string(),
        Item::Priority(p) => p.code.to_string(),
        Item::Outcome(o) => o.code.to_string(),
        Item::Indicator(i) => i.code.to_string(),
        Item::Pledge(p) => p.id.to_string(),
        Item::WorkingGroup(g) => g.code.to_string(),
        Item::Section { period, .. } => {
            let n = ds.period(period.as_str()).map_or(0, |p| p.sections.len());
            format!("{period}/{n}")
        }
        Item::Footnote { period, footnote } => format!("{period}/{}", footnote.id),
    }
}

/// Applies one edit to the dataset, or changes nothing and says why not.
pub fn apply(ds: &mut Dataset, edit: &Edit) -> Result<(), Vec<Problem>> {
    match edit {
        Edit::Create(item) => {
            let key = key_of(ds, item);
            if item.kind() != Kind::Section && get(ds, item.kind(), &key).is_some() {
                return Err(vec![problem(
                    code_field(item.kind()),
                    format!("a {} `{key}` already exists", item.kind().label()),
                )]);
            }
            validate(ds, item, None)?;
            put(ds, item, None);
            Ok(())
        }
        Edit::Update { key, item } => {
            let old = get(ds, item.kind(), key).ok_or_else(|| {
                vec![problem(
                    "",
                    format!("there is no {} `{key}`", item.kind().label()),
                )]
            })?;
            if item.kind() != Kind::Section && key_of(ds, item) != *key {
                return Err(vec![problem(
                    code_field(item.kind()),
                    format!(
                        "codes are permanent (figures, workbooks and exports refer to `{key}`); create a new {} instead",
                        item.kind().label()
                    ),
                )]);
            }
            if let (Item::Section { period: a, .. }, Item::Section { period: b, .. }) = (&old, item)
                && a != b
            {
                return Err(vec![problem(
                    "period",
                    "a section stays in its period; create it in the other period instead",
                )]);
            }
            validate(ds, item, Some(&old))?;
            put(ds, item, Some(key));
            Ok(())
        }
        Edit::Delete { kind, key } => {
            let old = get(ds, *kind, key).ok_or_else(|| {
                vec![problem("", format!("there is no {} `{key}`", kind.label()))]
            })?;
            let users = referrers(ds, &old);
            if !users.is_empty() {
                return Err(vec![problem(
                    "",
                    format!(
                        "{} `{key}` cannot be deleted while {} refer to it; change or delete those first",
                        kind.label(),
                        users.join(", ")
                    ),
                )]);
            }
            closed_period_guard(ds, &old)?;
            remove(ds, *kind, key);
            Ok(())
        }
    }
}

fn code_field(kind: Kind) -> &'static str {
    match kind {
        Kind::Pledge | Kind::Footnote => "id",
        Kind::Section => "",
        _ => "code",
    }
}

fn closed_period_guard(ds: &Dataset, item: &Item) -> Result<(), Vec<Problem>> {
    let period = match item {
        Item::Section { period, .. } | Item::Footnote { period, .. } => period,
        _ => return Ok(()),
    };
    match ds.period(period.as_str()) {
        None => Err(vec![problem(
            "period",
            format!("there is no period `{period}`"),
        )]),
        Some(p) if p.period.status == PeriodStatus::Closed => Err(vec![problem(
            "period",
            format!(
                "period {period} is closed: its narrative is the published brief and stays as it was; narrative is edited in an open period"
            ),
        )]),
        Some(_) => Ok(()),
    }
}

fn nonempty(out: &mut Vec<Problem>, field: &str, value: &str) {
    if value.trim().is_empty() {
        out.push(problem(field, "is required"));
    }
}

fn org_exists(ds: &Dataset, out: &mut Vec<Problem>, field: &str, code: &OrgCode) {
    if ds.organisation(code.as_str()).is_none() {
        out.push(problem(
            field,
            format!("`{code}` is not one of the network's organisations"),
        ));
    }
}

fn priority_exists(ds: &Dataset, out: &mut Vec<Problem>, field: &str, code: &FrameworkCode) {
    if !ds.framework.priorities.iter().any(|p| p.code == *code) {
        out.push(problem(
            field,
            format!("`{code}` is not a priority of the framework"),
        ));
    }
}

fn validate(ds: &Dataset, item: &Item, old: Option<&Item>) -> Result<(), Vec<Problem>> {
    closed_period_guard(ds, item)?;
    let mut out = Vec::new();
    match item {
        Item::Organisation(o) => {
            nonempty(&mut out, "short_name", &o.short_name);
            nonempty(&mut out, "name", &o.name);
            if let Some(parent) = &o.parent {
                if *parent == o.code {
                    out.push(problem(
                        "parent",
                        "an organisation cannot be its own parent",
                    ));
                } else {
                    org_exists(ds, &mut out, "parent", parent);
                }
            }
        }
        Item::Priority(p) => nonempty(&mut out, "title", &p.title),
        Item::Outcome(o) => {
            nonempty(&mut out, "statement", &o.statement);
            priority_exists(ds, &mut out, "priority", &o.priority);
        }
        Item::Indicator(i) => validate_indicator(ds, i, old, &mut out),
        Item::Pledge(p) => {
            nonempty(&mut out, "forum", &p.forum);
            nonempty(&mut out, "text", &p.text);
            if let Some(by) = &p.made_by {
                org_exists(ds, &mut out, "made_by", by);
            }
            for pr in &p.priorities {
                priority_exists(ds, &mut out, "priorities", pr);
            }
        }
        Item::WorkingGroup(g) => {
            nonempty(&mut out, "name", &g.name);
            nonempty(&mut out, "description", &g.description);
            for (field, list) in [
                ("co_chairs", &g.co_chairs),
                ("secretariat", &g.secretariat),
                ("members", &g.members),
            ] {
                for o in list {
                    org_exists(ds, &mut out, field, o);
                }
            }
            if g.status == GroupStatus::Renamed && g.renamed_to.is_none() {
                out.push(problem("renamed_to", "a renamed group needs its new name"));
            }
        }
        Item::Section { period, section } => {
            nonempty(&mut out, "text", &section.text);
            if let Some(pr) = &section.priority {
                priority_exists(ds, &mut out, "priority", pr);
            }
            if let Some(oc) = &section.outcome {
                match ds.outcome(oc.as_str()) {
                    None => out.push(problem(
                        "outcome",
                        format!("`{oc}` is not an outcome of the framework"),
                    )),
                    Some(o) if section.priority.as_ref().is_some_and(|p| *p != o.priority) => out
                        .push(problem(
                            "outcome",
                            format!(
                                "outcome {oc} is under priority {}, not the one chosen",
                                o.priority
                            ),
                        )),
                    Some(_) => {}
                }
            }
            if let Some(p) = ds.period(period.as_str()) {
                text_problems(ds, p, &section.text, "text", &mut out);
            }
        }
        Item::Footnote { period, footnote } => {
            nonempty(&mut out, "text", &footnote.text);
            if let Some(p) = ds.period(period.as_str()) {
                text_problems(ds, p, &footnote.text, "text", &mut out);
            }
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// The markup of narrative text parses and every reference in it resolves.
fn text_problems(ds: &Dataset, p: &PeriodData, text: &str, field: &str, out: &mut Vec<Problem>) {
    let tokens = match markup::parse(text) {
        Ok(t) => t,
        Err(e) => return out.push(problem(field, e.to_string())),
    };
    for e in markup::unsafe_links(&tokens) {
        out.push(problem(field, e.to_string()));
    }
    for t in tokens {
        match t {
            Token::Number(raw) => {
                if let Err(e) = p.resolve(&raw) {
                    out.push(problem(field, e.to_string()));
                }
            }
            Token::Pledge(id) if ds.pledge(&id).is_none() => out.push(problem(
                field,
                format!("quotes pledge `{id}`, which does not exist"),
            )),
            Token::Footnote(id) if p.footnote(&id).is_none() => out.push(problem(
                field,
                format!(
                    "refers to footnote `{id}`, which period {} does not have",
                    p.period.code
                ),
            )),
            _ => {}
        }
    }
}

fn validate_indicator(ds: &Dataset, i: &Indicator, old: Option<&Item>, out: &mut Vec<Problem>) {
    out.extend(
        crate::rules::indicator(i)
            .into_iter()
            .chain(crate::rules::indicator_places(ds, i))
            .map(|b| problem(b.field, b.message)),
    );
    if ds.outcome(i.outcome.as_str()).is_none() {
        out.push(problem(
            "outcome",
            format!("`{}` is not an outcome of the framework", i.outcome),
        ));
    }
    for t in &i.targets {
        if ds.period(t.period.as_str()).is_none() {
            out.push(problem(
                "targets",
                format!("period `{}` does not exist", t.period),
            ));
        }
    }
    if let Some(t) = i.threshold {
        if !(1..=1_000_000).contains(&t) {
            out.push(problem(
                "threshold",
                format!("{t} is not a threshold: it must be a whole number from 1 to 1,000,000"),
            ));
        } else if !i.sensitive {
            out.push(problem(
                "threshold",
                "a threshold applies to a sensitive indicator only: mark it sensitive, or leave the threshold empty",
            ));
        }
    }
    if i.sensitive && i.kind != IndicatorKind::Count {
        out.push(problem(
            "sensitive",
            "only a count can be sensitive: a percentage or milestone has no small count to withhold",
        ));
    }
    let Some(Item::Indicator(before)) = old else {
        return;
    };
    let figures: Vec<(&PeriodData, &Figure)> = ds
        .periods
        .iter()
        .flat_map(|p| p.figures.iter().map(move |f| (p, f)))
        .filter(|(_, f)| f.indicator == i.code)
        .collect();
    let published: Vec<String> = figures
        .iter()
        .filter(|(p, f)| {
            p.period.status == PeriodStatus::Closed && f.status == FigureStatus::Approved
        })
        .map(|(p, f)| format!("{}/{}", p.period.code, f.id))
        .collect();
    if !published.is_empty() {
        let frozen = [
            ("statement", before.statement != i.statement),
            ("unit", before.unit != i.unit),
            ("kind", before.kind != i.kind),
            ("outcome", before.outcome != i.outcome),
            (
                "disaggregations",
                before.disaggregations != i.disaggregations,
            ),
            ("baseline", before.baseline != i.baseline),
        ];
        for (field, changed) in frozen {
            if changed {
                out.push(problem(
                    field,
                    format!(
                        "indicator {} has {} approved figure(s) in a closed period ({}); they were published under this {field}, so it cannot change. Add a new indicator for the new wording and report on it from the next period",
                        i.code,
                        published.len(),
                        published.join(", ")
                    ),
                ));
            }
        }
    } else if !figures.is_empty() && before.kind != i.kind {
        out.push(problem(
            "kind",
            format!(
                "{} figure(s) report on indicator {} as a {:?}; the kind cannot change under them",
                figures.len(),
                i.code,
                before.kind
            ),
        ));
    }
    for (_, f) in &figures {
        for (key, _) in &f.disaggregation {
            if !i.disaggregations.iter().any(|d| d.key == *key) {
                out.push(problem(
                    "disaggregations",
                    format!(
                        "figure {} reports the part `{key}`, so it cannot be removed",
                        f.id
                    ),
                ));
            }
        }
    }
}

/// Who refers to an item, named for the person deleting it.
fn referrers(ds: &Dataset, item: &Item) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |what: String| {
        if !out.contains(&what) {
            out.push(what);
        }
    };
    let fw = &ds.framework;
    match item {
        Item::Organisation(o) => {
            let c = &o.code;
            for p in &ds.periods {
                for f in p.figures.iter().filter(|f| f.organisations.contains(c)) {
                    push(format!("figure {}/{}", p.period.code, f.id));
                }
                for s in p
                    .statistics
                    .iter()
                    .filter(|s| s.source_org.as_ref() == Some(c))
                {
                    push(format!("statistic {}/{}", p.period.code, s.id));
                }
            }
            for r in ds.roles.iter().filter(|r| r.organisation == *c) {
                push(format!("the network role {:?}", r.role).to_lowercase());
            }
            for x in ds
                .organisations
                .iter()
                .filter(|x| x.parent.as_ref() == Some(c))
            {
                push(format!("organisation {}", x.code));
            }
            for p in ds.pledges.iter().filter(|p| p.made_by.as_ref() == Some(c)) {
                push(format!("pledge {}", p.id));
            }
            for g in &ds.groups {
                if g.co_chairs.contains(c) || g.secretariat.contains(c) || g.members.contains(c) {
                    push(format!("working group {}", g.code));
                }
            }
        }
        Item::Priority(pr) => {
            for o in fw.outcomes.iter().filter(|o| o.priority == pr.code) {
                push(format!("outcome {}", o.code));
            }
            for p in ds
                .pledges
                .iter()
                .filter(|p| p.priorities.contains(&pr.code))
            {
                push(format!("pledge {}", p.id));
            }
            for p in &ds.periods {
                if p.sections
                    .iter()
                    .any(|s| s.priority.as_ref() == Some(&pr.code))
                {
                    push(format!("the narrative of {}", p.period.code));
                }
            }
        }
        Item::Outcome(oc) => {
            for i in fw.indicators.iter().filter(|i| i.outcome == oc.code) {
                push(format!("indicator {}", i.code));
            }
            for p in &ds.periods {
                if p.sections
                    .iter()
                    .any(|s| s.outcome.as_ref() == Some(&oc.code))
                    || p.lines.iter().any(|l| l.outcome == oc.code)
                {
                    push(format!("the narrative of {}", p.period.code));
                }
            }
        }
        Item::Indicator(i) => {
            for p in &ds.periods {
                for f in p.figures.iter().filter(|f| f.indicator == i.code) {
                    push(format!("figure {}/{}", p.period.code, f.id));
                }
            }
        }
        Item::Pledge(pl) => {
            for p in &ds.periods {
                if mentions(
                    p,
                    |t| matches!(t, Token::Pledge(id) if *id == pl.id.as_str()),
                ) {
                    push(format!("the narrative of {}", p.period.code));
                }
            }
        }
        Item::Footnote { period, footnote } => {
            if let Some(p) = ds.period(period.as_str()) {
                let id: &ItemId = &footnote.id;
                for f in p.figures.iter().filter(|f| f.footnotes.contains(id)) {
                    push(format!("figure {}/{}", p.period.code, f.id));
                }
                for s in p
                    .statistics
                    .iter()
                    .filter(|s| s.footnote.as_ref() == Some(id))
                {
                    push(format!("statistic {}/{}", p.period.code, s.id));
                }
                if mentions(p, |t| matches!(t, Token::Footnote(x) if *x == id.as_str())) {
                    push(format!("the narrative of {}", p.period.code));
                }
            }
        }
        Item::WorkingGroup(_) | Item::Section { .. } => {}
    }
    out
}

/// Whether any narrative text of the period holds a token.
fn mentions(p: &PeriodData, pred: impl Fn(&Token) -> bool) -> bool {
    let texts = p
        .sections
        .iter()
        .map(|s| s.text.as_str())
        .chain(p.lines.iter().map(|l| l.text.as_str()))
        .chain(p.footnotes.iter().map(|f| f.text.as_str()))
        .chain(p.claims.iter().map(|c| c.text.as_str()))
        .chain(p.period.introduction.as_deref());
    texts
        .filter_map(|t| markup::parse(t).ok())
        .any(|tokens| tokens.iter().any(&pred))
}

/// Writes the item in place of `key`, or adds it at the end.
fn put(ds: &mut Dataset, item: &Item, key: Option<&str>) {
    fn upsert<T: Clone>(list: &mut Vec<T>, item: &T, is_it: impl Fn(&T) -> bool) {
        match list.iter_mut().find(|x| is_it(x)) {
            Some(slot) => *slot = item.clone(),
            None => list.push(item.clone()),
        }
    }
    let fw = &mut ds.framework;
    match item {
        Item::Organisation(o) => upsert(&mut ds.organisations, o, |x| x.code == o.code),
        Item::Priority(p) => upsert(&mut fw.priorities, p, |x| x.code == p.code),
        Item::Outcome(o) => upsert(&mut fw.outcomes, o, |x| x.code == o.code),
        Item::Indicator(i) => upsert(&mut fw.indicators, i, |x| x.code == i.code),
        Item::Pledge(p) => upsert(&mut ds.pledges, p, |x| x.id == p.id),
        Item::WorkingGroup(g) => upsert(&mut ds.groups, g, |x| x.code == g.code),
        Item::Section { period, section } => {
            let Some(p) = ds.periods.iter_mut().find(|p| p.period.code == *period) else {
                return;
            };
            let at = key
                .and_then(|k| k.split_once('/'))
                .and_then(|(_, n)| n.parse::<usize>().ok());
            match at.and_then(|n| p.sections.get_mut(n)) {
                Some(slot) => *slot = section.clone(),
                None => p.sections.push(section.clone()),
            }
        }
        Item::Footnote { period, footnote } => {
            if let Some(p) = ds.periods.iter_mut().find(|p| p.period.code == *period) {
                upsert(&mut p.footnotes, footnote, |x| x.id == footnote.id);
            }
        }
    }
}

fn remove(ds: &mut Dataset, kind: Kind, key: &str) {
    let fw = &mut ds.framework;
    match kind {
        Kind::Organisation => ds.organisations.retain(|o| o.code.as_str() != key),
        Kind::Priority => fw.priorities.retain(|o| o.code.as_str() != key),
        Kind::Outcome => fw.outcomes.retain(|o| o.code.as_str() != key),
        Kind::Indicator => fw.indicators.retain(|o| o.code.as_str() != key),
        Kind::Pledge => ds.pledges.retain(|o| o.id.as_str() != key),
        Kind::WorkingGroup => ds.groups.retain(|o| o.code.as_str() != key),
        Kind::Section | Kind::Footnote => {
            let Some((period, rest)) = key.split_once('/') else {
                return;
            };
            let Some(p) = ds
                .periods
                .iter_mut()
                .find(|p| p.period.code.as_str() == period)
            else {
                return;
            };
            if kind == Kind::Section {
                if let Ok(n) = rest.parse::<usize>()
                    && n < p.sections.len()
                {
                    p.sections.remove(n);
                }
            } else {
                p.footnotes.retain(|f| f.id.as_str() != rest);
            }
        }
    }
}
