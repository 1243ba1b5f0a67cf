//! The rules an item must meet, written once. The dataset reader, the framework editor, figure entry
//! (pages and API), the workbook import and the check all call these, so that an item one path
//! accepts is one every other path accepts, and the other way round. Each path only turns its own
//! representation (TOML, typed text, spreadsheet cells) into the model's values first; what those
//! values must be is decided here. Rules that need the period (footnotes a figure names) stay with
//! the callers that have the period in hand.

use crate::codes::ItemId;
use crate::model::{Dataset, Figure, FigureValue, Indicator, IndicatorKind};
use crate::suggest::did_you_mean;
use crate::{limits, links, numbers, tags};
use std::collections::BTreeSet;

/// How much a broken rule weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The item cannot be stored as it is: every input path refuses it.
    Invalid,
    /// The item can be kept as a draft, but the period cannot be published with it (the check's
    /// error): a figure without the evidence its indicator requires.
    Incomplete,
    /// Worth a look, never refused (the check's warning).
    Warning,
}

/// One broken rule: the field it is about (and, for a field that holds several values, which one:
/// a disaggregation key or an organisation code), a stable code for the check's findings, how much
/// it weighs and a message for the person who wrote the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub field: &'static str,
    pub key: Option<String>,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
}

pub(crate) fn broken(
    field: &'static str,
    rule: &'static str,
    message: impl Into<String>,
) -> Broken {
    Broken {
        field,
        key: None,
        rule,
        severity: Severity::Invalid,
        message: message.into(),
    }
}

impl Broken {
    fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
    fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    /// Whether every input path refuses the item.
    pub fn refuses(&self) -> bool {
        self.severity == Severity::Invalid
    }
}

/// The message for a figure on an indicator the framework does not have. Every path must know the
/// indicator to read a figure's value at all, so it looks the indicator up itself and says so with
/// these words.
pub fn unknown_indicator(ds: &Dataset, code: &str) -> Broken {
    broken(
        "indicator",
        "unknown_indicator",
        format!(
            "unknown indicator `{code}`{}",
            did_you_mean(
                code,
                ds.framework.indicators.iter().map(|i| i.code.as_str())
            )
        ),
    )
}

/// What a figure must be, against the framework and the organisations of `ds`: an indicator of the
/// framework and a value of the kind it counts; at least one organisation, each of the network,
/// named once and a member (only members report figures); parts that are the indicator's
/// disaggregations and no larger than the whole; safe evidence links and texts within their limits.
/// Not refused, but reported: evidence missing where the indicator requires it, and places the
/// indicator does not cover.
pub fn figure(ds: &Dataset, f: &Figure) -> Vec<Broken> {
    let mut out = Vec::new();
    if f.organisations.is_empty() {
        out.push(broken(
            "organisations",
            "no_organisation",
            "a figure needs at least one organisation",
        ));
    }
    let mut seen = BTreeSet::new();
    for org in &f.organisations {
        if !seen.insert(org.as_str()) {
            out.push(
                broken(
                    "organisations",
                    "duplicate_organisation",
                    format!("{org} is named twice: a joint figure names each organisation once"),
                )
                .key(org.as_str()),
            );
            continue;
        }
        match ds.organisation(org.as_str()) {
            None => out.push(
                broken(
                    "organisations",
                    "unknown_organisation",
                    format!(
                        "unknown organisation `{org}`{}",
                        did_you_mean(
                            org.as_str(),
                            ds.organisations.iter().map(|o| o.code.as_str())
                        )
                    ),
                )
                .key(org.as_str()),
            ),
            Some(o) if !o.member => out.push(
                broken(
                    "organisations",
                    if f.is_joint() {
                        "joint_non_member"
                    } else {
                        "non_member_figure"
                    },
                    format!(
                        "{} is not a member of the network: only members report figures{}",
                        o.short_name,
                        if f.is_joint() {
                            " (a partner's contribution belongs in the figure's note)"
                        } else {
                            ""
                        }
                    ),
                )
                .key(org.as_str()),
            ),
            Some(_) => {}
        }
    }
    if let Some(e) = &f.evidence
        && let Err(bad) = links::check(e)
    {
        out.push(broken("evidence", "unsafe_link", bad.to_string()));
    }
    for (field, kind, text) in [
        ("note", limits::Text::Note, &f.note),
        ("evidence", limits::Text::Evidence, &f.evidence),
    ] {
        if let Err(too_long) = limits::check_opt(field, kind, text.as_deref()) {
            out.push(broken(field, "too_long", too_long.message));
        }
    }
    let Some(ind) = ds.indicator(f.indicator.as_str()) else {
        out.push(unknown_indicator(ds, f.indicator.as_str()));
        return out;
    };
    match (ind.kind, f.value) {
        (IndicatorKind::Count, FigureValue::Count { .. } | FigureValue::Withheld { .. }) => {}
        (IndicatorKind::Percentage, FigureValue::Percentage { value }) => {
            if !(0.0..=100.0).contains(&value) {
                out.push(broken(
                    "value",
                    "percentage_out_of_range",
                    format!("{value} is not a percentage between 0 and 100"),
                ));
            }
        }
        (IndicatorKind::Milestone, FigureValue::Milestone { .. }) => {}
        (kind, _) => out.push(broken(
            "value",
            "value_kind_mismatch",
            format!(
                "indicator {} {}: {}",
                ind.code,
                match kind {
                    IndicatorKind::Count => format!("counts {}", ind.unit),
                    IndicatorKind::Percentage => "is a percentage".to_owned(),
                    IndicatorKind::Milestone => "is a milestone".to_owned(),
                },
                match kind {
                    IndicatorKind::Count => "give a whole number of 0 or more",
                    IndicatorKind::Percentage => "give a number from 0 to 100",
                    IndicatorKind::Milestone => "say whether it was achieved (yes or no)",
                }
            ),
        )),
    }
    out.extend(crate::stated::rules(ind, f));
    let mut parts = BTreeSet::new();
    for (key, part) in &f.disaggregation {
        let Some(def) = ind.disaggregations.iter().find(|d| &d.key == key) else {
            let known: Vec<&str> = ind.disaggregations.iter().map(|d| d.key.as_str()).collect();
            out.push(
                broken(
                    "disaggregation",
                    "unknown_part",
                    format!(
                        "indicator {} has no disaggregation `{key}` (it has: {})",
                        ind.code,
                        if known.is_empty() {
                            "none".to_owned()
                        } else {
                            known.join(", ")
                        }
                    ),
                )
                .key(key.as_str()),
            );
            continue;
        };
        if !parts.insert(key.as_str()) {
            out.push(
                broken(
                    "disaggregation",
                    "duplicate_part",
                    format!("`{key}` is given twice"),
                )
                .key(key.as_str()),
            );
        }
        if let FigureValue::Count { value: whole } = f.value
            && *part > whole
        {
            out.push(
                broken(
                    "disaggregation",
                    "part_exceeds_whole",
                    format!(
                        "{} {} is more than the whole of {} {}",
                        numbers::group(*part as f64, 0),
                        def.label,
                        numbers::group(whole as f64, 0),
                        ind.unit
                    ),
                )
                .key(key.as_str()),
            );
        }
    }
    if ind.figure_source_required && f.evidence.as_deref().is_none_or(|e| e.trim().is_empty()) {
        out.push(
            broken(
                "evidence",
                "missing_source",
                format!("indicator {} requires an evidence link", ind.code),
            )
            .severity(Severity::Incomplete),
        );
    }
    if !ind.places.is_empty() {
        for place in f.places.iter().filter(|pl| !ind.places.contains(pl)) {
            out.push(
                broken(
                    "places",
                    "place_outside_indicator",
                    format!(
                        "{} ({place}) is not a place indicator {} covers",
                        place.name(),
                        ind.code
                    ),
                )
                .key(place.as_str())
                .severity(Severity::Warning),
            );
        }
    }
    out
}

/// Only the broken rules that every input path refuses.
pub fn refused(ds: &Dataset, f: &Figure) -> Vec<Broken> {
    figure(ds, f).into_iter().filter(Broken::refuses).collect()
}

/// What an indicator must be on its own: a statement, a unit for what it counts, distinct and
/// well-formed disaggregations, Global Compact objectives that exist and SDG targets that exist.
pub fn indicator(i: &Indicator) -> Vec<Broken> {
    let mut out = Vec::new();
    if i.statement.trim().is_empty() {
        out.push(broken("statement", "missing_statement", "is required"));
    }
    if i.kind != IndicatorKind::Milestone && i.unit.trim().is_empty() {
        out.push(broken(
            "unit",
            "missing_unit",
            "a count or percentage indicator needs a unit (people, officials, reports ...)",
        ));
    }
    let mut keys = BTreeSet::new();
    for d in &i.disaggregations {
        if ItemId::parse(&d.key).is_err() || d.label.trim().is_empty() {
            out.push(broken(
                "disaggregations",
                "bad_disaggregation",
                format!(
                    "`{}` needs a key of letters, digits, `-` or `_` and a label",
                    d.key
                ),
            ));
        } else if !keys.insert(d.key.as_str()) {
            out.push(broken(
                "disaggregations",
                "duplicate_disaggregation",
                format!("disaggregation `{}` is listed twice", d.key),
            ));
        }
    }
    for g in &i.gcm {
        if tags::gcm_objective(*g).is_none() {
            out.push(broken(
                "gcm",
                "unknown_gcm_objective",
                format!(
                    "{g} is not a Global Compact for Migration objective: they are numbered 1 to 23"
                ),
            ));
        }
    }
    for s in &i.sdg {
        if tags::sdg_target(s).is_none() {
            out.push(broken(
                "sdg",
                "unknown_sdg_target",
                format!("`{s}` is not an SDG target: write one such as `10.7` or `16.2`"),
            ));
        }
    }
    out.extend(targets(i));
    out
}

/// What an indicator's targets must be: a number that is not negative, at most 100 for a percentage,
/// 1 (achieved) for a milestone; cumulative for counts only; one target of each kind per period.
fn targets(i: &Indicator) -> Vec<Broken> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for t in &i.targets {
        let v = t.value;
        let problem = if !v.is_finite() || v < 0.0 {
            Some((
                "negative_target",
                format!(
                    "the target for `{}` is {}: a target cannot be negative",
                    t.period,
                    numbers::group_auto(v, 2)
                ),
            ))
        } else if i.kind == IndicatorKind::Percentage && v > 100.0 {
            Some((
                "target_over_100",
                format!(
                    "the target for `{}` is {} per cent: a percentage target is at most 100",
                    t.period,
                    numbers::group_auto(v, 2)
                ),
            ))
        } else if i.kind == IndicatorKind::Milestone && v != 1.0 {
            Some((
                "bad_milestone_target",
                format!(
                    "the target for `{}` is {}: a milestone's target is 1 (achieved)",
                    t.period,
                    numbers::group_auto(v, 2)
                ),
            ))
        } else if t.cumulative && i.kind != IndicatorKind::Count {
            Some((
                "cumulative_not_count",
                format!(
                    "the target for `{}` is cumulative: only counts add up across periods",
                    t.period
                ),
            ))
        } else if !seen.insert((t.period.as_str(), t.cumulative)) {
            Some((
                "duplicate_target",
                format!(
                    "`{}` has two {} targets: keep one",
                    t.period,
                    if t.cumulative { "cumulative" } else { "annual" }
                ),
            ))
        } else {
            None
        };
        if let Some((rule, message)) = problem {
            out.push(broken("targets", rule, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::FrameworkCode;
    use crate::model::Disaggregation;

    fn indicator_with(f: impl FnOnce(&mut Indicator)) -> Indicator {
        let mut i = Indicator {
            code: FrameworkCode::parse("P1.1.1").unwrap(),
            outcome: FrameworkCode::parse("P1.1").unwrap(),
            statement: "Migrants reached with information".into(),
            unit: "people".into(),
            kind: IndicatorKind::Count,
            disaggregations: vec![],
            places: vec![],
            gcm: vec![3],
            sdg: vec!["10.7".into()],
            figure_source_required: false,
            baseline: None,
            targets: vec![],
            sensitive: false,
            threshold: None,
        };
        f(&mut i);
        i
    }

    fn rules_broken(i: &Indicator) -> Vec<&'static str> {
        indicator(i).into_iter().map(|b| b.rule).collect()
    }

    #[test]
    fn a_sound_indicator_breaks_no_rule() {
        assert!(indicator(&indicator_with(|_| {})).is_empty());
    }

    #[test]
    fn each_rule_names_its_field() {
        let cases: Vec<(Indicator, &str, &str)> = vec![
            (indicator_with(|i| i.unit.clear()), "unit", "missing_unit"),
            (
                indicator_with(|i| i.statement = " ".into()),
                "statement",
                "missing_statement",
            ),
            (
                indicator_with(|i| i.gcm = vec![24]),
                "gcm",
                "unknown_gcm_objective",
            ),
            (
                indicator_with(|i| i.gcm = vec![0]),
                "gcm",
                "unknown_gcm_objective",
            ),
            (
                indicator_with(|i| i.sdg = vec!["10.99".into()]),
                "sdg",
                "unknown_sdg_target",
            ),
            (
                indicator_with(|i| {
                    let d = Disaggregation {
                        key: "children".into(),
                        label: "children".into(),
                    };
                    i.disaggregations = vec![d.clone(), d];
                }),
                "disaggregations",
                "duplicate_disaggregation",
            ),
            (
                indicator_with(|i| i.targets = vec![target("2023", -5.0, false)]),
                "targets",
                "negative_target",
            ),
            (
                indicator_with(|i| {
                    i.kind = IndicatorKind::Percentage;
                    i.targets = vec![target("2023", 120.0, false)];
                }),
                "targets",
                "target_over_100",
            ),
            (
                indicator_with(|i| {
                    i.kind = IndicatorKind::Milestone;
                    i.targets = vec![target("2023", 2.0, false)];
                }),
                "targets",
                "bad_milestone_target",
            ),
            (
                indicator_with(|i| {
                    i.kind = IndicatorKind::Percentage;
                    i.targets = vec![target("2023", 50.0, true)];
                }),
                "targets",
                "cumulative_not_count",
            ),
            (
                indicator_with(|i| {
                    i.targets = vec![target("2023", 5.0, false), target("2023", 6.0, false)]
                }),
                "targets",
                "duplicate_target",
            ),
        ];
        for (i, field, rule) in cases {
            let b = indicator(&i);
            assert_eq!(b.len(), 1, "{rule}: {b:?}");
            assert_eq!((b[0].field, b[0].rule), (field, rule));
        }
    }

    fn target(period: &str, value: f64, cumulative: bool) -> crate::model::Target {
        crate::model::Target {
            period: crate::codes::PeriodCode::parse(period).unwrap(),
            value,
            cumulative,
        }
    }

    #[test]
    fn an_annual_and_a_cumulative_target_may_share_a_period() {
        let i = indicator_with(|i| {
            i.targets = vec![target("2025", 5000.0, false), target("2025", 20000.0, true)]
        });
        assert!(rules_broken(&i).is_empty());
    }

    #[test]
    fn a_milestone_needs_no_unit() {
        let i = indicator_with(|i| {
            i.kind = IndicatorKind::Milestone;
            i.unit.clear();
        });
        assert!(rules_broken(&i).is_empty());
    }

    fn network() -> Dataset {
        serde_json::from_value(serde_json::json!({
            "network": {"code": "N", "name": "N", "short_name": "N", "tagline": null, "country": "TH"},
            "organisations": [
                {"code": "IOM", "short_name": "IOM", "name": "IOM", "kind": "un_agency", "member": true, "parent": null},
                {"code": "UNHCR", "short_name": "UNHCR", "name": "UNHCR", "kind": "un_agency", "member": true, "parent": null},
                {"code": "RTG", "short_name": "RTG", "name": "Government", "kind": "government", "member": false, "parent": null}
            ],
            "roles": [], "pledges": [], "groups": [], "periods": [],
            "framework": {"version": "1", "title": null, "priorities": [], "outcomes": [],
                "indicators": [
                    {"code": "1.1.1", "outcome": "1.1", "statement": "s", "unit": "people", "kind": "count",
                     "disaggregations": [{"key": "children", "label": "children"}], "places": ["TH-10"],
                     "gcm": [], "sdg": [], "figure_source_required": true, "baseline": null, "targets": []},
                    {"code": "1.1.2", "outcome": "1.1", "statement": "s", "unit": "%", "kind": "percentage",
                     "disaggregations": [], "places": [], "gcm": [], "sdg": [], "figure_source_required": false,
                     "baseline": null, "targets": []}
                ]}
        }))
        .unwrap()
    }

    fn figure_with(f: impl FnOnce(&mut Figure)) -> Figure {
        let mut fig: Figure = serde_json::from_value(serde_json::json!({
            "id": "F-1", "indicator": "1.1.1", "organisations": ["IOM"],
            "value": {"kind": "count", "value": 100}, "disaggregation": [["children", 40]],
            "places": ["TH-10"], "note": null, "evidence": "https://example.org/report",
            "footnotes": [], "status": "draft", "status_by": null, "status_at": null
        }))
        .unwrap();
        f(&mut fig);
        fig
    }

    fn org(code: &str) -> crate::codes::OrgCode {
        crate::codes::OrgCode::parse(code).unwrap()
    }

    #[test]
    fn a_sound_figure_breaks_no_rule() {
        assert_eq!(figure(&network(), &figure_with(|_| {})), vec![]);
    }

    #[test]
    fn each_figure_rule_names_its_field_key_and_weight() {
        use Severity::*;
        let cases: Vec<(Figure, &str, Option<&str>, &str, Severity)> = vec![
            (
                figure_with(|f| f.organisations.clear()),
                "organisations",
                None,
                "no_organisation",
                Invalid,
            ),
            (
                figure_with(|f| f.organisations = vec![org("IOM"), org("IOM")]),
                "organisations",
                Some("IOM"),
                "duplicate_organisation",
                Invalid,
            ),
            (
                figure_with(|f| f.organisations = vec![org("UNHRC")]),
                "organisations",
                Some("UNHRC"),
                "unknown_organisation",
                Invalid,
            ),
            (
                figure_with(|f| f.organisations = vec![org("RTG")]),
                "organisations",
                Some("RTG"),
                "non_member_figure",
                Invalid,
            ),
            (
                figure_with(|f| f.organisations = vec![org("IOM"), org("RTG")]),
                "organisations",
                Some("RTG"),
                "joint_non_member",
                Invalid,
            ),
            (
                figure_with(|f| f.indicator = crate::FrameworkCode::parse("1.1.9").unwrap()),
                "indicator",
                None,
                "unknown_indicator",
                Invalid,
            ),
            (
                figure_with(|f| f.value = FigureValue::Milestone { achieved: true }),
                "value",
                None,
                "value_kind_mismatch",
                Invalid,
            ),
            (
                figure_with(|f| f.disaggregation = vec![("children".into(), 101)]),
                "disaggregation",
                Some("children"),
                "part_exceeds_whole",
                Invalid,
            ),
            (
                figure_with(|f| f.disaggregation = vec![("women".into(), 1)]),
                "disaggregation",
                Some("women"),
                "unknown_part",
                Invalid,
            ),
            (
                figure_with(|f| f.evidence = Some("javascript:alert(1)".into())),
                "evidence",
                None,
                "unsafe_link",
                Invalid,
            ),
            (
                figure_with(|f| f.note = Some("x".repeat(crate::limits::MAX_NOTE + 1))),
                "note",
                None,
                "too_long",
                Invalid,
            ),
            (
                figure_with(|f| f.evidence = None),
                "evidence",
                None,
                "missing_source",
                Incomplete,
            ),
            (
                figure_with(|f| f.places = vec![crate::ProvinceCode::parse("TH-50").unwrap()]),
                "places",
                Some("TH-50"),
                "place_outside_indicator",
                Warning,
            ),
        ];
        for (f, field, key, rule, severity) in cases {
            let b = figure(&network(), &f);
            assert_eq!(b.len(), 1, "{rule}: {b:?}");
            assert_eq!(
                (b[0].field, b[0].key.as_deref(), b[0].rule, b[0].severity),
                (field, key, rule, severity)
            );
            assert_eq!(
                refused(&network(), &f).len(),
                usize::from(severity == Invalid)
            );
        }
    }

    #[test]
    fn a_percentage_is_held_to_0_to_100_and_suggestions_name_the_near_code() {
        let ds = network();
        let pct = |v: f64| {
            figure_with(|f| {
                f.indicator = crate::FrameworkCode::parse("1.1.2").unwrap();
                f.value = FigureValue::Percentage { value: v };
                f.disaggregation.clear();
                f.places.clear();
            })
        };
        assert!(figure(&ds, &pct(47.5)).is_empty());
        assert_eq!(figure(&ds, &pct(100.5))[0].rule, "percentage_out_of_range");
        let b = figure(&ds, &figure_with(|f| f.organisations = vec![org("UNHRC")]));
        assert!(b[0].message.contains("did you mean `UNHCR`?"), "{b:?}");
    }
}
