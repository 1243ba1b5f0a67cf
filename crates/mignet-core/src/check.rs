//! The validation rules. A check run yields findings, not an error: trouble in the data is an
//! outcome to report, each finding with its level, the item it concerns and a plain message.

use crate::markup::{self, Token};
use crate::model::{Dataset, FigureStatus, PeriodData};
use crate::numbers::{self, NumberRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub level: Level,
    /// A stable machine code for the rule (`claim_disagrees`).
    pub rule: &'static str,
    /// What the finding concerns: `figure F-PFA`, `claim C-VOT`, `line 3 of P1.O1`.
    pub subject: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.level.as_str(),
            self.rule,
            self.subject,
            self.message
        )
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn push(
        &mut self,
        level: Level,
        rule: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.0.push(Finding {
            level,
            rule,
            subject: subject.into(),
            message: message.into(),
        });
    }
    fn error(
        &mut self,
        rule: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Level::Error, rule, subject, message);
    }
    fn warning(
        &mut self,
        rule: &'static str,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Level::Warning, rule, subject, message);
    }
}

/// Runs every rule over the dataset, or over one period of it (the framework-wide rules always run).
pub fn check(ds: &Dataset, period: Option<&str>) -> Vec<Finding> {
    let mut out = Findings(Vec::new());
    check_framework(ds, &mut out);
    for p in ds
        .periods
        .iter()
        .filter(|p| period.is_none_or(|c| p.period.code.as_str() == c))
    {
        check_period(ds, p, &mut out);
    }
    out.0.sort_by_key(|f| f.level);
    out.0
}

fn check_framework(ds: &Dataset, out: &mut Findings) {
    let fw = &ds.framework;
    for o in &fw.outcomes {
        if !fw.priorities.iter().any(|p| p.code == o.priority) {
            out.error(
                "unknown_priority",
                format!("outcome {}", o.code),
                format!(
                    "names priority `{}`, which the framework does not have",
                    o.priority
                ),
            );
        }
    }
    for i in &fw.indicators {
        if ds.outcome(i.outcome.as_str()).is_none() {
            out.error(
                "unknown_outcome",
                format!("indicator {}", i.code),
                format!(
                    "names outcome `{}`, which the framework does not have",
                    i.outcome
                ),
            );
        }
        for b in crate::rules::indicator(i)
            .into_iter()
            .chain(crate::rules::indicator_places(ds, i))
        {
            out.error(
                b.rule,
                format!("indicator {}", i.code),
                format!("{}: {}", b.field, b.message),
            );
        }
    }
    for b in crate::rules::network(&ds.network, "countries") {
        out.error(b.rule, "the network", b.message);
    }
    for (i, b) in crate::rules::gazetteer(&ds.network, &ds.gazetteer) {
        out.error(
            b.rule,
            format!("place {} (row {})", b.key.as_deref().unwrap_or(""), i + 1),
            format!("{}: {}", b.field, b.message),
        );
    }
    for g in &ds.groups {
        for org in g.co_chairs.iter().chain(&g.secretariat).chain(&g.members) {
            if ds.organisation(org.as_str()).is_none() {
                out.error(
                    "unknown_organisation",
                    format!("working group {}", g.code),
                    format!("names organisation `{org}`, which is not in the network's list"),
                );
            }
        }
    }
    for p in &ds.pledges {
        for pr in &p.priorities {
            if !fw.priorities.iter().any(|x| &x.code == pr) {
                out.error(
                    "unknown_priority",
                    format!("pledge {}", p.id),
                    format!("names priority `{pr}`, which the framework does not have"),
                );
            }
        }
    }
}

fn check_period(ds: &Dataset, p: &PeriodData, out: &mut Findings) {
    let mut ids = BTreeMap::new();
    let all_ids = p
        .figures
        .iter()
        .map(|f| ("figure", f.id.as_str()))
        .chain(p.statistics.iter().map(|s| ("statistic", s.id.as_str())))
        .chain(p.derived.iter().map(|d| ("derived figure", d.id.as_str())));
    for (kind, id) in all_ids {
        if let Some(first) = ids.insert(id, kind) {
            out.error(
                "duplicate_id",
                format!("{kind} {id}"),
                format!(
                    "the id is also used by a {first} of period {}",
                    p.period.code
                ),
            );
        }
    }
    check_figures(ds, p, out);
    for d in &p.derived {
        if let Err(e) = p.compute(d) {
            out.error(
                "derived_not_computable",
                format!("derived figure {}", d.id),
                e.to_string(),
            );
        }
    }
    for c in &p.claims {
        let subject = format!("claim {}", c.id);
        let Some(d) = p.derived(c.derived.as_str()) else {
            out.error(
                "unknown_reference",
                subject,
                format!(
                    "checks derived figure `{}`, which the period does not have",
                    c.derived
                ),
            );
            continue;
        };
        if let Ok(v) = p.compute(d) {
            let computed = numbers::round(v, d.decimals);
            if !numbers::agrees(c.published, v) {
                out.error(
                    "claim_disagrees",
                    subject,
                    format!(
                        "published as {} but the stored values give {} ({}): \"{}\"",
                        numbers::group_auto(c.published, 6),
                        numbers::group(computed, d.decimals),
                        numbers::explain_derived(p, d)
                            .unwrap_or_default()
                            .trim_end_matches('.'),
                        c.text
                    ),
                );
            }
        }
    }
    check_texts(ds, p, out);
    for w in crate::quality::check(ds, p) {
        out.warning(w.rule, w.subject, w.message);
    }
}

fn check_figures(ds: &Dataset, p: &PeriodData, out: &mut Findings) {
    let mut by_indicator: BTreeMap<&str, Vec<&crate::model::Figure>> = BTreeMap::new();
    for f in &p.figures {
        let subject = format!("figure {}", f.id);
        by_indicator
            .entry(f.indicator.as_str())
            .or_default()
            .push(f);
        for b in crate::rules::figure(ds, f) {
            let level = match b.severity {
                crate::rules::Severity::Warning => Level::Warning,
                _ => Level::Error,
            };
            out.push(
                level,
                b.rule,
                &subject,
                format!("{}: {}", b.field, b.message),
            );
        }
        for fnote in &f.footnotes {
            if p.footnote(fnote.as_str()).is_none() {
                out.error(
                    "unknown_reference",
                    &subject,
                    format!("names footnote `{fnote}`, which the period does not have"),
                );
            }
        }
    }
    // Two figures on one indicator from overlapping organisations risk counting the same people twice.
    for (ind, figs) in by_indicator {
        for (i, a) in figs.iter().enumerate() {
            for b in &figs[i + 1..] {
                let shared: Vec<&str> = a
                    .organisations
                    .iter()
                    .filter(|o| b.organisations.contains(o))
                    .map(|o| o.as_str())
                    .collect();
                if !shared.is_empty() {
                    out.warning("possible_double_count", format!("figure {}", b.id), format!("and figure {} both report indicator {ind} for {}: the same people may be counted twice", a.id, shared.join(", ")));
                }
            }
        }
    }
}

fn check_texts(ds: &Dataset, p: &PeriodData, out: &mut Findings) {
    let mut texts: Vec<(String, &str)> = Vec::new();
    if let Some(t) = &p.period.introduction {
        texts.push(("the introduction".into(), t));
    }
    for (i, s) in p.sections.iter().enumerate() {
        texts.push((format!("section {} ({:?})", i + 1, s.kind), &s.text));
    }
    for f in &p.footnotes {
        texts.push((format!("footnote {}", f.id), &f.text));
    }
    for g in &ds.groups {
        texts.push((format!("working group {}", g.code), &g.description));
    }
    let mut quoted = BTreeSet::new();
    for (i, l) in p.lines.iter().enumerate() {
        let subject = format!("line {} of the highlights", i + 1);
        texts.push((subject.clone(), &l.text));
        if ds.outcome(l.outcome.as_str()).is_none() {
            out.error(
                "unknown_outcome",
                &subject,
                format!(
                    "is under outcome `{}`, which the framework does not have",
                    l.outcome
                ),
            );
        }
        for fid in &l.figures {
            quoted.insert(fid.as_str());
            match p.figure(fid.as_str()) {
                None => out.error("unknown_reference", &subject, format!("quotes figure `{fid}`, which the period does not have")),
                Some(f) if f.status != FigureStatus::Approved => out.warning("line_not_printable", &subject, format!("quotes figure {fid}, which is {}: the line is left out of the brief until it is approved", f.status.as_str())),
                Some(_) => {}
            }
        }
    }
    let mut shown = Shown::default();
    for (subject, text) in texts {
        let tokens = match markup::parse(text) {
            Ok(t) => t,
            Err(e) => {
                out.error("bad_markup", subject, e.to_string());
                continue;
            }
        };
        for e in markup::unsafe_links(&tokens) {
            out.error("unsafe_link", &subject, e.to_string());
        }
        for t in &tokens {
            match t {
                Token::Number(raw) => match p.resolve(raw) {
                    Ok(NumberRef::Statistic(st)) => {
                        shown.statistics.insert(st.id.as_str());
                    }
                    Ok(NumberRef::Derived(d)) => {
                        shown.derived.insert(d.id.as_str());
                    }
                    Ok(_) => {}
                    Err(e) => out.error("unknown_reference", &subject, e.to_string()),
                },
                Token::Footnote(id) => {
                    if let Some(f) = p.footnote(id) {
                        shown.footnotes.insert(f.id.as_str());
                    } else {
                        out.error(
                            "unknown_reference",
                            &subject,
                            format!("refers to footnote `{id}`, which the period does not have"),
                        );
                    }
                }
                Token::Pledge(id) if ds.pledge(id).is_none() => {
                    out.error(
                        "unknown_reference",
                        &subject,
                        format!("quotes pledge `{id}`, which is not in the list of pledges"),
                    );
                }
                _ => {}
            }
        }
    }
    check_shown(p, shown, out);
}

/// What the period's texts quote, so that what they do not quote can be named.
#[derive(Default)]
struct Shown<'a> {
    statistics: BTreeSet<&'a str>,
    derived: BTreeSet<&'a str>,
    footnotes: BTreeSet<&'a str>,
}

/// Nothing stored is dropped silently: a statistic, a derived figure or a footnote that no text of
/// the period quotes (directly, as an operand of a quoted derived figure, or as the footnote of a
/// figure or a quoted statistic) is shown by no brief, and is named.
fn check_shown<'a>(p: &'a PeriodData, mut shown: Shown<'a>, out: &mut Findings) {
    for d in p
        .derived
        .iter()
        .filter(|d| shown.derived.contains(d.id.as_str()))
    {
        for operand in [&d.a, &d.b] {
            if p.statistic(operand.as_str()).is_some() {
                shown.statistics.insert(operand.as_str());
            }
        }
    }
    for st in &p.statistics {
        if shown.statistics.contains(st.id.as_str()) {
            shown
                .footnotes
                .extend(st.footnote.as_ref().map(|f| f.as_str()));
        }
    }
    for f in &p.figures {
        shown
            .footnotes
            .extend(f.footnotes.iter().map(|n| n.as_str()));
    }
    let unshown = |kind: &str, id: &str| {
        (
            format!("{kind} {id}"),
            format!(
                "is stored for period {} but no text of the period quotes it, so no brief shows it: quote it as {{{id}}} where it belongs, or remove it",
                p.period.code
            ),
        )
    };
    for st in p
        .statistics
        .iter()
        .filter(|s| !shown.statistics.contains(s.id.as_str()))
    {
        let (subject, message) = unshown("statistic", st.id.as_str());
        out.warning("not_shown", subject, message);
    }
    for d in p
        .derived
        .iter()
        .filter(|d| !shown.derived.contains(d.id.as_str()))
    {
        // A derived figure kept only to check a published claim is shown by the claim's check.
        if p.claims.iter().any(|c| c.derived == d.id) {
            continue;
        }
        let (subject, message) = unshown("derived figure", d.id.as_str());
        out.warning("not_shown", subject, message);
    }
    for f in p
        .footnotes
        .iter()
        .filter(|f| !shown.footnotes.contains(f.id.as_str()))
    {
        out.warning(
            "not_shown",
            format!("footnote {}", f.id),
            format!(
                "is stored for period {} but nothing refers to it, so no brief prints it: refer to it as [^{}] where it belongs, or remove it",
                p.period.code, f.id
            ),
        );
    }
}
