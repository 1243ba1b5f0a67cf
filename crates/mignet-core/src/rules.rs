//! The rules an item must meet on its own, written once. The dataset reader, the framework editor and
//! the check all call these, so that an item the reader accepts is one every later edit accepts, and
//! the other way round. Rules that relate an item to the rest of the dataset (its outcome exists, its
//! targets name periods) stay with the callers that have the dataset in hand.

use crate::codes::ItemId;
use crate::model::{Indicator, IndicatorKind};
use crate::tags;
use std::collections::BTreeSet;

/// One broken rule: the field it is about, a stable code for the check's findings, and a message for
/// the person who wrote the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub field: &'static str,
    pub rule: &'static str,
    pub message: String,
}

fn broken(field: &'static str, rule: &'static str, message: impl Into<String>) -> Broken {
    Broken {
        field,
        rule,
        message: message.into(),
    }
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
        ];
        for (i, field, rule) in cases {
            let b = indicator(&i);
            assert_eq!(b.len(), 1, "{rule}: {b:?}");
            assert_eq!((b[0].field, b[0].rule), (field, rule));
        }
    }

    #[test]
    fn a_milestone_needs_no_unit() {
        let i = indicator_with(|i| {
            i.kind = IndicatorKind::Milestone;
            i.unit.clear();
        });
        assert!(rules_broken(&i).is_empty());
    }
}
