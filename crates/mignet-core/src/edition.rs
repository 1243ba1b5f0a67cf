//! Published editions: what a period's published figures say, line by line, and what changed from
//! one edition to the next (its errata).
//!
//! An edition freezes a period's files; these lines are kept with it so that the next edition can
//! name the figures it corrects, adds or withdraws without reading the old files back.

use crate::model::{Dataset, Figure};
use crate::{access, numbers};
use serde::{Deserialize, Serialize};

/// What an edition's files are made from: `public` (the public view, [`crate::disclosure::protect`])
/// with each period's approved figures only, and no member of staff named on them (who approved a
/// figure stays in the audit trail).
pub fn published_view(public: &Dataset) -> Dataset {
    let mut out = public.clone();
    for p in &mut out.periods {
        p.figures.retain(access::is_public);
        for f in &mut p.figures {
            f.status_by = None;
        }
    }
    out
}

/// One published figure as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The figure's id.
    pub figure: String,
    /// What it counts and who reported it: "Migrants reached with COVID-19 information (IOM, WHO)".
    pub label: String,
    /// Its value as printed, with the unit and the parts named: "74,499 people (children: 1,200)".
    pub value: String,
}

/// The published (approved) figures of `period`, in the dataset's order; none for a period the
/// dataset does not hold.
pub fn lines(ds: &Dataset, period: &str) -> Vec<Line> {
    let Some(p) = ds.period(period) else {
        return Vec::new();
    };
    p.figures
        .iter()
        .filter(|f| access::is_public(f))
        .map(|f| line(ds, f))
        .collect()
}

/// One figure as a reader sees it ([`Line`]).
pub fn line(ds: &Dataset, f: &Figure) -> Line {
    let indicator = ds.indicator(f.indicator.as_str());
    let title = indicator.map_or(f.indicator.as_str(), |i| i.statement.as_str());
    let organisations = f
        .organisations
        .iter()
        .map(|o| {
            ds.organisation(o.as_str())
                .map_or(o.as_str(), |org| org.short_name.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut value = numbers::format_figure(f);
    if let Some(unit) = indicator.map(|i| i.unit.as_str()).filter(|u| !u.is_empty())
        && !value.ends_with("per cent")
        && matches!(f.value, crate::model::FigureValue::Count { .. })
    {
        value = format!("{value} {unit}");
    }
    if !f.disaggregation.is_empty() {
        let parts = f
            .disaggregation
            .iter()
            .map(|(k, v)| format!("{k}: {}", numbers::group(*v as f64, 0)))
            .collect::<Vec<_>>()
            .join("; ");
        value = format!("{value} ({parts})");
    }
    Line {
        figure: f.id.to_string(),
        label: format!("{title} ({organisations})"),
        value,
    }
}

/// One change an edition makes to the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erratum {
    pub figure: String,
    pub label: String,
    /// The value the earlier edition printed; `None` for a figure it did not have.
    pub was: Option<String>,
    /// The value this edition prints; `None` for a figure it withdraws.
    pub now: Option<String>,
}

impl Erratum {
    /// The erratum as a reader's sentence.
    pub fn sentence(&self) -> String {
        match (&self.was, &self.now) {
            (Some(was), Some(now)) => format!("{}: corrected from {was} to {now}", self.label),
            (None, Some(now)) => format!("{}: added, {now}", self.label),
            (Some(was), None) => format!("{}: withdrawn (was {was})", self.label),
            (None, None) => self.label.clone(),
        }
    }
}

/// What changed from `before` (the earlier edition's lines) to `after`: corrected values and added
/// figures in `after`'s order, then withdrawn figures in `before`'s. A figure whose label changed
/// but whose value did not is corrected too: the reader sees it under another name.
pub fn errata(before: &[Line], after: &[Line]) -> Vec<Erratum> {
    let old: std::collections::HashMap<&str, &Line> =
        before.iter().map(|l| (l.figure.as_str(), l)).collect();
    let new: std::collections::HashSet<&str> = after.iter().map(|l| l.figure.as_str()).collect();
    let mut out = Vec::new();
    for l in after {
        match old.get(l.figure.as_str()) {
            Some(o) if *o == l => {}
            Some(o) => out.push(Erratum {
                figure: l.figure.clone(),
                label: l.label.clone(),
                was: Some(if o.label == l.label {
                    o.value.clone()
                } else {
                    format!("{} as {}", o.value, o.label)
                }),
                now: Some(l.value.clone()),
            }),
            None => out.push(Erratum {
                figure: l.figure.clone(),
                label: l.label.clone(),
                was: None,
                now: Some(l.value.clone()),
            }),
        }
    }
    for o in before.iter().filter(|o| !new.contains(o.figure.as_str())) {
        out.push(Erratum {
            figure: o.figure.clone(),
            label: o.label.clone(),
            was: Some(o.value.clone()),
            now: None,
        });
    }
    out
}

/// What an edition says when its files changed but none of its figures did: the brief's text, a
/// context statistic or a source was corrected.
pub const OTHER_CHANGES: &str =
    "the brief's text, context statistics or sources changed; no published figure did";

#[cfg(test)]
mod tests {
    use super::*;

    fn l(figure: &str, value: &str) -> Line {
        Line {
            figure: figure.into(),
            label: format!("Indicator of {figure} (IOM)"),
            value: value.into(),
        }
    }

    #[test]
    fn errata_name_corrected_added_and_withdrawn_figures_and_nothing_else() {
        let before = [
            l("F1", "100 people"),
            l("F2", "5 people"),
            l("F3", "7 people"),
        ];
        let after = [
            l("F1", "120 people"),
            l("F2", "5 people"),
            l("F4", "9 people"),
        ];
        let e = errata(&before, &after);
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(
            e[0].sentence(),
            "Indicator of F1 (IOM): corrected from 100 people to 120 people"
        );
        assert_eq!(e[1].sentence(), "Indicator of F4 (IOM): added, 9 people");
        assert_eq!(
            e[2].sentence(),
            "Indicator of F3 (IOM): withdrawn (was 7 people)"
        );
        assert!(errata(&after, &after).is_empty());
    }

    #[test]
    fn a_figure_moved_to_another_indicator_is_named_as_it_was() {
        let before = [l("F1", "100 people")];
        let mut moved = l("F1", "100 people");
        moved.label = "Another indicator (IOM)".into();
        let e = errata(&before, &[moved]);
        assert_eq!(
            e[0].was.as_deref(),
            Some("100 people as Indicator of F1 (IOM)")
        );
    }
}
