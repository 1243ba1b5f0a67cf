//! The rules an item must meet, written once. The dataset reader, the framework editor, figure entry
//! (pages and API), the workbook import and the check all call these, so that an item one path
//! accepts is one every other path accepts, and the other way round. Each path only turns its own
//! representation (TOML, typed text, spreadsheet cells) into the model's values first; what those
//! values must be is decided here. Rules that need the period (footnotes a figure names) stay with
//! the callers that have the period in hand.

use crate::codes::{ItemId, PlaceCode};
use crate::model::{Dataset, Figure, FigureValue, Gazetteer, Indicator, IndicatorKind, Network};
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
    out.extend(f.places.iter().filter_map(|p| place(ds, p)));
    out.extend(sites(&f.sites));
    out.extend(locations(ds, f.locations, f.in_areas));
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
                        ds.place_name(place.as_str()),
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

/// Whether a place is the network's: an ISO 3166-2 subdivision (any level) of one of its countries,
/// or a P-code of its gazetteer. Refused otherwise, with the nearest such code.
pub fn place(ds: &Dataset, p: &PlaceCode) -> Option<Broken> {
    place_in(&ds.network.countries, &ds.gazetteer, p)
}

/// [`place`] for a reader that has the network's countries and gazetteer but no dataset yet.
pub fn place_in(countries: &[String], g: &Gazetteer, p: &PlaceCode) -> Option<Broken> {
    if g.knows(countries, p.as_str()) {
        return None;
    }
    let many = countries.len() != 1;
    let list = countries.join(", ");
    let whose = match crate::places::subdivision(p.as_str()) {
        Some(s) => format!(
            "{} ({}) is in {}, not in the network's {} ({list})",
            crate::places::name(p.as_str()).unwrap_or(&s.name),
            p,
            crate::places::country(s.country()).map_or(s.country(), |c| c.name.as_str()),
            if many { "countries" } else { "country" },
        ),
        None => format!(
            "`{p}` is neither an ISO 3166-2 subdivision of {list} nor a P-code of the network's gazetteer{}",
            did_you_mean(p.as_str(), g.codes(countries))
        ),
    };
    Some(broken("places", "unknown_place", whose).key(p.as_str()))
}

/// The longest name of a site.
pub const MAX_SITE: usize = 200;

/// Named sites: each a name of at most [`MAX_SITE`] characters, named once.
pub fn sites(list: &[String]) -> Vec<Broken> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for s in list {
        if s.trim().is_empty() {
            out.push(broken(
                "sites",
                "empty_site",
                "a site needs a name (such as `Mae Sot hospital`)",
            ));
        } else if s.chars().count() > MAX_SITE {
            out.push(
                broken(
                    "sites",
                    "too_long",
                    format!("a site's name has at most {MAX_SITE} characters"),
                )
                .key(s.as_str()),
            );
        } else if !seen.insert(s.trim()) {
            out.push(
                broken("sites", "duplicate_site", format!("`{s}` is named twice")).key(s.as_str()),
            );
        }
    }
    out
}

/// A count of places without their names: `locations`, and `in_areas` first-level areas that hold
/// them, which needs `locations` and cannot be more.
pub fn locations(ds: &Dataset, locations: Option<u64>, in_areas: Option<u64>) -> Vec<Broken> {
    if in_areas.is_none() && locations != Some(0) {
        return vec![];
    }
    // Only now: the word is looked up in the tables of every subdivision.
    let word = ds.area_word();
    match (locations, in_areas) {
        (Some(0), _) => vec![broken(
            "locations",
            "no_locations",
            "give the number of locations, 1 or more, or leave `locations` out",
        )],
        (_, Some(0)) => vec![broken(
            "in_areas",
            "no_areas",
            format!(
                "give the number of {}, 1 or more, or leave `in_areas` out",
                word.many
            ),
        )],
        (None, Some(_)) => vec![broken(
            "in_areas",
            "areas_without_locations",
            format!(
                "`in_areas` counts the {} of the locations: give `locations` too",
                word.many
            ),
        )],
        (Some(l), Some(a)) if a > l => vec![broken(
            "in_areas",
            "areas_exceed_locations",
            format!(
                "{} cannot hold only {l} location{}",
                word.count(a),
                if l == 1 { "" } else { "s" }
            ),
        )],
        _ => vec![],
    }
}

/// An indicator's places ([`place`]): what it must be against the network, beside
/// [`indicator`]'s rules of its own.
pub fn indicator_places(ds: &Dataset, i: &Indicator) -> Vec<Broken> {
    i.places.iter().filter_map(|p| place(ds, p)).collect()
}

/// What a network must be: at least one country, each an ISO 3166-1 two-letter code, named once.
/// `field` is the key the network was written with (`country` or `countries`).
pub fn network(n: &Network, field: &'static str) -> Vec<Broken> {
    let mut out = Vec::new();
    if n.countries.is_empty() {
        out.push(broken(
            field,
            "no_country",
            "name the network's country, an ISO 3166-1 code such as `KH`, or its countries as a list",
        ));
    }
    let mut seen = BTreeSet::new();
    for c in &n.countries {
        if crate::places::country(c).is_none() {
            let hint = match crate::places::country_by_alpha_3(c) {
                Some(known) => format!(" (did you mean `{}`, {}?)", known.alpha_2, known.name),
                None => did_you_mean(
                    c,
                    crate::places::countries()
                        .iter()
                        .map(|k| k.alpha_2.as_str()),
                ),
            };
            out.push(
                broken(
                    field,
                    "unknown_country",
                    format!("`{c}` is not an ISO 3166-1 two-letter country code{hint}"),
                )
                .key(c.as_str()),
            );
        } else if !seen.insert(c.as_str()) {
            out.push(
                broken(field, "duplicate_country", format!("`{c}` is named twice")).key(c.as_str()),
            );
        }
    }
    if let Some(z) = &n.time_zone
        && !crate::time::known_zone(z)
    {
        out.push(broken(
            "time_zone",
            "unknown_time_zone",
            format!("`{z}` is not a time zone: write an IANA name such as `Asia/Bangkok` or `Asia/Yangon`"),
        ));
    }
    out
}

/// What a gazetteer must be, against the network's countries: each area's P-code well spelt and
/// used once, a name, a level from 1 to 3, and a parent one level up (for level 1, an ISO 3166-2
/// subdivision of one of the countries, or none). The broken rules come with the area's place in the
/// list.
pub fn gazetteer(n: &Network, g: &Gazetteer) -> Vec<(usize, Broken)> {
    let mut out = Vec::new();
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, a) in g.areas.iter().enumerate() {
        if let Some(&j) = first.get(a.pcode.as_str()) {
            out.push((
                i,
                broken(
                    "pcode",
                    "duplicate_pcode",
                    format!("`{}` is already the P-code of row {}", a.pcode, j + 1),
                )
                .key(a.pcode.as_str()),
            ));
        } else {
            first.insert(a.pcode.as_str(), i);
        }
    }
    for (i, a) in g.areas.iter().enumerate() {
        let mut push = |b: Broken| out.push((i, b.key(a.pcode.as_str())));
        if let Err(e) = PlaceCode::parse(&a.pcode) {
            push(broken("pcode", "bad_pcode", e.to_string()));
        } else if crate::places::subdivision(&a.pcode).is_some()
            || crate::places::unknown_iso(&a.pcode)
        {
            push(broken(
                "pcode",
                "pcode_is_iso",
                format!(
                    "`{}` is written as an ISO 3166-2 code (two letters and `-`): a gazetteer lists the network's own P-codes, written otherwise (such as `MMR013`)",
                    a.pcode
                ),
            ));
        }
        if a.name.trim().is_empty() {
            push(broken("name", "missing_name", "an area needs a name"));
        }
        if !(1..=3).contains(&a.level) {
            push(broken(
                "level",
                "bad_level",
                format!(
                    "level {} is not 1, 2 or 3 (province, district, sub-district or their like)",
                    a.level
                ),
            ));
            continue;
        }
        let parent = a.parent.as_deref().filter(|p| !p.is_empty());
        match (a.level, parent) {
            (1, None) => {}
            (1, Some(p)) => match crate::places::subdivision(p) {
                Some(s) if n.countries.iter().any(|c| c == s.country()) => {}
                _ => push(broken(
                    "parent",
                    "bad_parent",
                    format!(
                        "a level-1 area lies in an ISO 3166-2 subdivision of {} or in none; `{p}` is neither{}",
                        n.countries.join(", "),
                        did_you_mean(
                            p,
                            n.countries.iter().flat_map(
                                |c| crate::places::subdivisions(c).map(|s| s.code.as_str())
                            )
                        )
                    ),
                )),
            },
            (level, None) => push(broken(
                "parent",
                "missing_parent",
                format!("a level-{level} area needs its level-{} parent", level - 1),
            )),
            (level, Some(p)) => match first.get(p).map(|&j| &g.areas[j]) {
                None => push(broken(
                    "parent",
                    "unknown_parent",
                    format!(
                        "`{p}` is not a P-code of the gazetteer{}",
                        did_you_mean(
                            p,
                            g.areas
                                .iter()
                                .filter(|x| x.level + 1 == level)
                                .map(|x| x.pcode.as_str())
                        )
                    ),
                )),
                Some(up) if up.level + 1 != level => push(broken(
                    "parent",
                    "parent_level",
                    format!(
                        "`{p}` is at level {}: the parent of a level-{level} area is at level {}",
                        up.level,
                        level - 1
                    ),
                )),
                Some(_) => {}
            },
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

/// Whether `s` is a calendar date written `YYYY-MM-DD` (a month of 1 to 12, a day of 1 to 31).
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

/// What a reporting round's dates must be: dates, and in order (it opens, figures are due, the
/// edition is published).
pub fn round_dates(round: &crate::model::Round) -> Vec<Broken> {
    let dates = [
        ("opens", &round.opens),
        ("due", &round.due),
        ("publishes", &round.publishes),
    ];
    let mut out = Vec::new();
    for (field, date) in dates {
        if let Some(d) = date
            && !is_iso_date(d)
        {
            out.push(broken(
                field,
                "date",
                format!("`{d}` is not a date: write it as YYYY-MM-DD, for example 2023-02-15"),
            ));
        }
    }
    if !out.is_empty() {
        return out;
    }
    let set: Vec<(&str, &str)> = dates
        .iter()
        .filter_map(|(f, d)| Some((*f, d.as_deref()?)))
        .collect();
    for pair in set.windows(2) {
        let ((a, da), (b, db)) = (pair[0], pair[1]);
        if db < da {
            out.push(broken(
                b,
                "round_order",
                format!("the round {b} on {db}, before it {a} on {da}"),
            ));
        }
    }
    out
}

/// What one assignment must name: an organisation of the network and an indicator of the framework.
pub fn assignment(ds: &Dataset, organisation: &str, indicator: &str) -> Vec<Broken> {
    let mut out = Vec::new();
    if ds.organisation(organisation).is_none() {
        out.push(broken(
            "organisation",
            "unknown_organisation",
            format!(
                "unknown organisation `{organisation}`{}",
                did_you_mean(
                    organisation,
                    ds.organisations.iter().map(|o| o.code.as_str())
                )
            ),
        ));
    }
    if ds.indicator(indicator).is_none() {
        out.push(unknown_indicator(ds, indicator).key(indicator));
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
                figure_with(|f| f.places = vec![crate::PlaceCode::parse("TH-50").unwrap()]),
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

    fn place(code: &str) -> crate::PlaceCode {
        crate::PlaceCode::parse(code).unwrap()
    }

    fn in_network(countries: &[&str], ds: &mut Dataset) {
        ds.network.countries = countries.iter().map(|c| c.to_string()).collect();
    }

    fn area(pcode: &str, parent: Option<&str>, level: u8) -> crate::model::Area {
        crate::model::Area {
            pcode: pcode.into(),
            name: format!("area {pcode}"),
            local_name: None,
            parent: parent.map(str::to_owned),
            level,
        }
    }

    #[test]
    fn places_are_held_to_the_networks_countries_and_gazetteer() {
        let mut ds = network();
        ds.framework.indicators[0].places.clear();
        let with_places =
            |codes: &[&str]| figure_with(|f| f.places = codes.iter().map(|c| place(c)).collect());
        // Thailand's network: a Thai province passes, Yangon does not, and the message says why.
        assert_eq!(figure(&ds, &with_places(&["TH-10", "TH-S"])), vec![]);
        let b = figure(&ds, &with_places(&["MM-06"]));
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(
            (b[0].field, b[0].rule, b[0].key.as_deref()),
            ("places", "unknown_place", Some("MM-06"))
        );
        assert!(
            b[0].message.contains("Yangon (MM-06) is in Myanmar"),
            "{}",
            b[0].message
        );
        assert!(b[0].refuses());
        let b = figure(&ds, &with_places(&["TH-99"]));
        assert!(
            b[0].message.contains("did you mean `TH-"),
            "{}",
            b[0].message
        );
        // A network of Myanmar and Thailand takes both; one of Cambodia, neither.
        in_network(&["TH", "MM"], &mut ds);
        assert_eq!(figure(&ds, &with_places(&["MM-06", "TH-63"])), vec![]);
        in_network(&["KH"], &mut ds);
        assert_eq!(figure(&ds, &with_places(&["KH-12"])), vec![]);
        assert_eq!(refused(&ds, &with_places(&["TH-10", "KH-12"])).len(), 1);
        // A P-code counts once the gazetteer lists it.
        let b = figure(&ds, &with_places(&["KH1201"]));
        assert_eq!(b[0].rule, "unknown_place");
        ds.gazetteer.areas = vec![
            area("KH12", Some("KH-12"), 1),
            area("KH1201", Some("KH12"), 2),
        ];
        assert_eq!(figure(&ds, &with_places(&["KH1201"])), vec![]);
        assert_eq!(ds.place_name("KH1201"), "area KH1201");
        assert_eq!(ds.place_name("KH-12"), "Phnom Penh");
        assert_eq!(ds.place_ancestors("KH1201"), ["KH12", "KH-12"]);
        assert_eq!(ds.place_ancestors("KH-12"), Vec::<String>::new());
        let b = figure(&ds, &with_places(&["KH1210"]));
        assert!(
            b[0].message.contains("did you mean `KH1201`?"),
            "{}",
            b[0].message
        );
    }

    #[test]
    fn sites_and_counted_locations_have_rules_of_their_own() {
        let ds = network();
        let rules_of = |f: Figure| {
            figure(&ds, &f)
                .into_iter()
                .map(|b| (b.field, b.rule))
                .collect::<Vec<_>>()
        };
        let ok = figure_with(|f| {
            f.sites = vec!["Mae Sot hospital".into()];
            f.locations = Some(12);
            f.in_areas = Some(4);
        });
        assert_eq!(rules_of(ok), vec![]);
        assert_eq!(
            rules_of(figure_with(|f| f.sites = vec![" ".into()])),
            vec![("sites", "empty_site")]
        );
        assert_eq!(
            rules_of(figure_with(|f| f.sites = vec!["camp".into(), "camp".into()])),
            vec![("sites", "duplicate_site")]
        );
        assert_eq!(
            rules_of(figure_with(|f| f.sites = vec!["x".repeat(MAX_SITE + 1)])),
            vec![("sites", "too_long")]
        );
        assert_eq!(
            rules_of(figure_with(|f| f.in_areas = Some(2))),
            vec![("in_areas", "areas_without_locations")]
        );
        assert_eq!(
            rules_of(figure_with(|f| f.locations = Some(0))),
            vec![("locations", "no_locations")]
        );
        let b = figure(
            &ds,
            &figure_with(|f| {
                f.locations = Some(3);
                f.in_areas = Some(4);
            }),
        );
        assert_eq!(
            (b[0].field, b[0].rule),
            ("in_areas", "areas_exceed_locations")
        );
        assert_eq!(b[0].message, "4 provinces cannot hold only 3 locations");
    }

    #[test]
    fn a_network_names_iso_3166_1_countries_once() {
        let mut n = network().network;
        assert_eq!(network_rules(&n), Vec::<&str>::new());
        n.countries = vec!["MM".into(), "TH".into()];
        assert_eq!(network_rules(&n), Vec::<&str>::new());
        n.countries = vec![];
        assert_eq!(network_rules(&n), vec!["no_country"]);
        n.countries = vec!["TH".into(), "TH".into()];
        assert_eq!(network_rules(&n), vec!["duplicate_country"]);
        n.countries = vec!["THA".into()];
        let b = super::network(&n, "country");
        assert_eq!((b[0].field, b[0].rule), ("country", "unknown_country"));
        assert!(
            b[0].message.contains("did you mean `TH`, Thailand?"),
            "{}",
            b[0].message
        );
        n.countries = vec!["MN".into(), "XM".into()];
        let b = super::network(&n, "countries");
        assert_eq!(b.len(), 1);
        assert!(
            b[0].message.contains("`XM` is not an ISO 3166-1"),
            "{}",
            b[0].message
        );
    }

    fn network_rules(n: &Network) -> Vec<&'static str> {
        super::network(n, "countries")
            .into_iter()
            .map(|b| b.rule)
            .collect()
    }

    #[test]
    fn a_gazetteer_has_parents_one_level_up() {
        let mut n = network().network;
        n.countries = vec!["MM".into()];
        let check = |areas: Vec<crate::model::Area>| {
            gazetteer(
                &n,
                &Gazetteer {
                    areas,
                    boundaries: None,
                },
            )
            .into_iter()
            .map(|(i, b)| (i, b.field, b.rule))
            .collect::<Vec<_>>()
        };
        let sound = vec![
            area("MMR013", Some("MM-06"), 1),
            area("MMR013D001", Some("MMR013"), 2),
            area("MMR013D001S001", Some("MMR013D001"), 3),
            area("MMR017", None, 1),
        ];
        assert_eq!(check(sound.clone()), vec![]);
        let with = |i: usize, f: &dyn Fn(&mut crate::model::Area)| {
            let mut a = sound.clone();
            f(&mut a[i]);
            check(a)
        };
        assert_eq!(
            with(1, &|a| a.parent = Some("MMR099".into())),
            vec![(1, "parent", "unknown_parent")]
        );
        assert_eq!(
            with(2, &|a| a.parent = Some("MMR013".into())),
            vec![(2, "parent", "parent_level")]
        );
        assert_eq!(
            with(1, &|a| a.parent = None),
            vec![(1, "parent", "missing_parent")]
        );
        assert_eq!(
            with(0, &|a| a.parent = Some("TH-10".into())),
            vec![(0, "parent", "bad_parent")]
        );
        assert_eq!(with(3, &|a| a.level = 4), vec![(3, "level", "bad_level")]);
        assert_eq!(with(3, &|a| a.level = 0), vec![(3, "level", "bad_level")]);
        assert_eq!(
            with(3, &|a| a.pcode = "MMR013".into()),
            vec![(3, "pcode", "duplicate_pcode")]
        );
        assert_eq!(
            with(3, &|a| a.pcode = "MM-06".into()),
            vec![(3, "pcode", "pcode_is_iso")]
        );
        assert_eq!(
            with(3, &|a| a.pcode = "MM-99".into()),
            vec![(3, "pcode", "pcode_is_iso")]
        );
        assert_eq!(
            with(3, &|a| a.pcode = "mm r".into()),
            vec![(3, "pcode", "bad_pcode")]
        );
        assert_eq!(
            with(3, &|a| a.name = String::new()),
            vec![(3, "name", "missing_name")]
        );
    }
}
