//! Progress against targets: for an indicator and a period, what it aimed at, what was reported and
//! the per cent of the target reached, computed once for every output (the brief, the pages, the API,
//! the exports).
//!
//! - The **actual** of a period is the sum of the indicator's approved figures in it; a joint figure
//!   is one figure, its value already counted once. A percentage is one organisation's figure: several
//!   do not add up, so they are not combined. A milestone is achieved when an approved figure says so.
//! - An **annual** target is compared with the actual of its own period.
//! - A **cumulative** target (counts only) is compared with the sum of the actuals from the baseline
//!   year (or the first period, without a baseline) up to the period shown; a period before the
//!   target's own shows progress towards the next cumulative target.
//! - **Per cent of target** is `actual / target`, rounded half away from zero to one decimal like a
//!   derived figure ([`crate::numbers`]); none when the target is 0, nothing was reported, or the actual
//!   is withheld (a per cent would give the small count away).
//! - A milestone's target is 1: achieved is 100 per cent, not achieved 0.
//!
//! ```
//! use mignet_core::progress::{Actual, Progress};
//! # use mignet_core::PeriodCode;
//! let p = Progress {
//!     indicator: mignet_core::FrameworkCode::parse("P1.O1.I01").unwrap(),
//!     period: PeriodCode::parse("2023").unwrap(),
//!     target_period: PeriodCode::parse("2023").unwrap(),
//!     cumulative: false,
//!     target: 5000.0,
//!     actual: Actual::Number { value: 4200.0 },
//!     milestone: false,
//! };
//! assert_eq!(p.percent(), Some(84.0));
//! assert_eq!(p.text(), "4,200 of 5,000 (84.0 per cent)");
//! ```

use crate::codes::{FrameworkCode, PeriodCode};
use crate::model::{Dataset, FigureStatus, FigureValue, Indicator, IndicatorKind, PeriodData};
use crate::numbers;
use serde::Serialize;

/// Decimals of a per cent of target, as a derived figure's default.
pub const PERCENT_DECIMALS: u8 = 1;

/// What a period reported for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actual {
    /// No approved figure.
    NotReported,
    Number {
        value: f64,
    },
    Milestone {
        achieved: bool,
    },
    /// A count withheld from the public ([`crate::disclosure`]): `below` for one figure below the
    /// threshold, none for a sum with a withheld figure in it.
    Withheld {
        below: Option<u64>,
    },
    /// Several organisations reported a percentage: percentages do not add up.
    NotCombined {
        figures: usize,
    },
}

impl Actual {
    /// The number compared with a target, where there is one (a milestone achieved is 1).
    pub fn number(&self) -> Option<f64> {
        match *self {
            Self::Number { value } => Some(value),
            Self::Milestone { achieved } => Some(if achieved { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// As a brief prints it: `4,200`, `62.5 per cent`, `achieved`, `fewer than 10`, `not reported`.
    pub fn text(&self, kind: IndicatorKind) -> String {
        match *self {
            Self::NotReported => "not reported".to_owned(),
            Self::Number { value } => format_value(kind, value),
            Self::Milestone { achieved: true } => "achieved".to_owned(),
            Self::Milestone { achieved: false } => "not achieved".to_owned(),
            Self::Withheld { below } => numbers::format_withheld(below),
            Self::NotCombined { figures } => format!("{figures} figures, not combined"),
        }
    }
}

/// A number of an indicator as a brief prints it.
pub fn format_value(kind: IndicatorKind, value: f64) -> String {
    match kind {
        IndicatorKind::Percentage => format!("{} per cent", numbers::group_auto(value, 1)),
        IndicatorKind::Milestone if value >= 1.0 => "achieved".to_owned(),
        IndicatorKind::Milestone => "not achieved".to_owned(),
        IndicatorKind::Count => numbers::group_auto(value, 2),
    }
}

/// One target of an indicator as a period sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub indicator: FrameworkCode,
    /// The period shown.
    pub period: PeriodCode,
    /// The target's own period: the period shown, or a later one for a cumulative target.
    pub target_period: PeriodCode,
    pub cumulative: bool,
    pub target: f64,
    /// The period's actual, or for a cumulative target the sum up to the period.
    pub actual: Actual,
    /// The indicator is a milestone (the target is achieved).
    pub milestone: bool,
}

impl Progress {
    /// Per cent of the target reached, rounded to [`PERCENT_DECIMALS`].
    pub fn percent(&self) -> Option<f64> {
        let a = self.actual.number()?;
        numbers::compute(crate::model::DerivedKind::Share, a, self.target)
            .map(|v| numbers::round(v, PERCENT_DECIMALS))
    }

    fn kind(&self) -> IndicatorKind {
        if self.milestone {
            IndicatorKind::Milestone
        } else {
            IndicatorKind::Count
        }
    }

    /// The target as printed: `5,000`, `achieved`; a percentage indicator's prints through
    /// [`Progress::text_for`].
    pub fn target_text(&self, kind: IndicatorKind) -> String {
        format_value(kind, self.target)
    }

    /// `4,200 of 5,000 (84.0 per cent)`, `not reported (target 5,000)`, `fewer than 10 of 5,000`,
    /// `achieved (target: achieved)`;
    /// for a cumulative target `12,400 of 20,000 by 2025 (62.0 per cent)`.
    pub fn text_for(&self, kind: IndicatorKind) -> String {
        let target = self.target_text(kind);
        let by = if self.cumulative {
            format!(" by {}", self.target_period)
        } else {
            String::new()
        };
        match (self.actual, self.percent()) {
            (Actual::NotReported, _) => format!("not reported (target {target}{by})"),
            (Actual::Milestone { achieved }, _) if self.milestone => format!(
                "{} (target: achieved{by})",
                if achieved { "achieved" } else { "not achieved" }
            ),
            (a, Some(p)) => format!(
                "{} of {target}{by} ({} per cent)",
                a.text(kind),
                numbers::group(p, PERCENT_DECIMALS)
            ),
            (a, None) => format!("{} of {target}{by}", a.text(kind)),
        }
    }

    /// [`Progress::text_for`] for a count or milestone.
    pub fn text(&self) -> String {
        self.text_for(self.kind())
    }
}

/// The year a period belongs to: its start date's, else its code's first four digits.
pub fn period_year(p: &PeriodData) -> Option<i32> {
    let from = |s: &str| s.get(..4).and_then(|y| y.parse().ok());
    p.period
        .starts
        .as_deref()
        .and_then(from)
        .or_else(|| from(p.period.code.as_str()))
}

/// What `period` reported for `ind`: the sum of its approved figures ([`Actual`]).
pub fn actual(ind: &Indicator, period: &PeriodData) -> Actual {
    let figures: Vec<&FigureValue> = period
        .figures
        .iter()
        .filter(|f| f.indicator == ind.code && f.status == FigureStatus::Approved)
        .map(|f| &f.value)
        .collect();
    let Some(first) = figures.first() else {
        return Actual::NotReported;
    };
    if figures.len() == 1
        && let FigureValue::Withheld { below } = first
    {
        return Actual::Withheld {
            below: Some(*below),
        };
    }
    if figures
        .iter()
        .any(|v| matches!(v, FigureValue::Withheld { .. }))
    {
        return Actual::Withheld { below: None };
    }
    match ind.kind {
        IndicatorKind::Milestone => Actual::Milestone {
            achieved: figures
                .iter()
                .any(|v| matches!(v, FigureValue::Milestone { achieved: true })),
        },
        IndicatorKind::Percentage if figures.len() > 1 => Actual::NotCombined {
            figures: figures.len(),
        },
        _ => match figures.iter().map(|v| v.number()).sum::<Option<f64>>() {
            Some(value) => Actual::Number { value },
            None => Actual::NotCombined {
                figures: figures.len(),
            },
        },
    }
}

/// Whether `period` reports `ind` as a total to date: an approved figure of it is marked cumulative
/// (counted since the start of the work rather than within the period).
fn to_date(ind: &Indicator, period: &PeriodData) -> bool {
    period.figures.iter().any(|f| {
        f.indicator == ind.code && f.status == FigureStatus::Approved && f.stated.cumulative
    })
}

/// The actual summed over the periods from the baseline year (or the first period) up to and
/// including `upto` (an index into `ds.periods`). A period that reported nothing adds nothing; a
/// withheld one withholds the sum; a period whose figures are totals to date replaces the sum
/// rather than adding to it.
fn cumulative_actual(ds: &Dataset, ind: &Indicator, upto: usize) -> Actual {
    let from = ind.baseline.as_ref().map(|b| b.year);
    let mut sum = 0.0;
    let mut any = false;
    for p in &ds.periods[..=upto] {
        if let (Some(from), Some(year)) = (from, period_year(p))
            && year < from
        {
            continue;
        }
        match actual(ind, p) {
            Actual::NotReported => {}
            Actual::Number { value } if to_date(ind, p) => {
                sum = value;
                any = true;
            }
            Actual::Number { value } => {
                sum += value;
                any = true;
            }
            Actual::Withheld { .. } => return Actual::Withheld { below: None },
            other => return other,
        }
    }
    if any {
        Actual::Number { value: sum }
    } else {
        Actual::NotReported
    }
}

/// The targets `ind` has in period `code`, each with its progress: the period's annual target, and
/// the cumulative target of the period or, before it, the next one. Empty when none applies.
pub fn progress(ds: &Dataset, ind: &Indicator, code: &str) -> Vec<Progress> {
    let Some(at) = ds
        .periods
        .iter()
        .position(|p| p.period.code.as_str() == code)
    else {
        return Vec::new();
    };
    let period = &ds.periods[at];
    let index = |c: &PeriodCode| {
        ds.periods
            .iter()
            .position(|p| &p.period.code == c)
            .unwrap_or(usize::MAX)
    };
    let mut out = Vec::new();
    let make = |t: &crate::model::Target, actual| Progress {
        indicator: ind.code.clone(),
        period: period.period.code.clone(),
        target_period: t.period.clone(),
        cumulative: t.cumulative,
        target: t.value,
        actual,
        milestone: ind.kind == IndicatorKind::Milestone,
    };
    if let Some(t) = ind
        .targets
        .iter()
        .find(|t| !t.cumulative && t.period == period.period.code)
    {
        out.push(make(t, actual(ind, period)));
    }
    if let Some(t) = ind
        .targets
        .iter()
        .filter(|t| t.cumulative && index(&t.period) != usize::MAX && index(&t.period) >= at)
        .min_by_key(|t| index(&t.period))
    {
        out.push(make(t, cumulative_actual(ds, ind, at)));
    }
    out
}

/// Every target of the period, indicator by indicator in the framework's order.
pub fn of_period(ds: &Dataset, code: &str) -> Vec<Progress> {
    ds.framework
        .indicators
        .iter()
        .flat_map(|i| progress(ds, i, code))
        .collect()
}

/// One period of an indicator's series: what it reported and its targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub period: PeriodCode,
    pub actual: Actual,
    pub targets: Vec<Progress>,
}

/// An indicator's series across the dataset's periods, first to latest (the baseline is the
/// indicator's own).
pub fn series(ds: &Dataset, ind: &Indicator) -> Vec<Point> {
    ds.periods
        .iter()
        .map(|p| Point {
            period: p.period.code.clone(),
            actual: actual(ind, p),
            targets: progress(ds, ind, p.period.code.as_str()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Baseline;

    fn dataset(
        kind: &str,
        targets: serde_json::Value,
        figures: &[(&str, serde_json::Value)],
    ) -> Dataset {
        let period = |code: &str| {
            let figs: Vec<serde_json::Value> = figures
                .iter()
                .enumerate()
                .filter(|(_, (p, _))| *p == code)
                .map(|(n, (_, v))| {
                    let mut f = serde_json::json!({
                        "id": format!("F-{n}"), "indicator": "1.1.1", "organisations": ["IOM"],
                        "value": v, "disaggregation": [], "places": [], "note": null,
                        "evidence": null, "footnotes": [], "status": "approved",
                        "status_by": null, "status_at": null
                    });
                    if v.get("draft").is_some() {
                        f["status"] = "draft".into();
                        f["value"].as_object_mut().unwrap().remove("draft");
                    }
                    f
                })
                .collect();
            serde_json::json!({
                "period": {"code": code, "title": code, "starts": format!("{code}-01-01"),
                           "ends": null, "status": "open", "framework": "1", "introduction": null},
                "sections": [], "statistics": [], "footnotes": [], "derived": [], "claims": [],
                "figures": figs, "lines": []
            })
        };
        serde_json::from_value(serde_json::json!({
            "network": {"code": "N", "name": "N", "short_name": "N", "tagline": null, "country": "TH"},
            "organisations": [], "roles": [], "pledges": [], "groups": [],
            "periods": [period("2022"), period("2023"), period("2024"), period("2025")],
            "framework": {"version": "1", "title": null, "priorities": [], "outcomes": [],
                "indicators": [
                    {"code": "1.1.1", "outcome": "1.1", "statement": "s", "unit": "people", "kind": kind,
                     "disaggregations": [], "places": [], "gcm": [], "sdg": [],
                     "figure_source_required": false, "baseline": null, "targets": targets}
                ]}
        }))
        .unwrap()
    }

    fn count(v: u64) -> serde_json::Value {
        serde_json::json!({"kind": "count", "value": v})
    }

    #[test]
    fn an_annual_target_is_compared_with_the_sum_of_the_periods_approved_figures() {
        let mut draft = count(1000);
        draft["draft"] = true.into();
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 5000}]),
            &[
                ("2023", count(3000)),
                ("2023", count(1200)),
                ("2023", draft),
                ("2022", count(9)),
            ],
        );
        let p = progress(&ds, &ds.framework.indicators[0], "2023");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].actual, Actual::Number { value: 4200.0 });
        assert_eq!(p[0].percent(), Some(84.0));
        assert_eq!(p[0].text(), "4,200 of 5,000 (84.0 per cent)");
        // 2022 has no target: nothing to show.
        assert!(progress(&ds, &ds.framework.indicators[0], "2022").is_empty());
    }

    #[test]
    fn per_cent_of_target_rounds_half_away_from_zero_like_a_derived_figure() {
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 3}]),
            &[("2023", count(2))],
        );
        let p = &progress(&ds, &ds.framework.indicators[0], "2023")[0];
        assert_eq!(p.percent(), Some(66.7));
        assert_eq!(p.text(), "2 of 3 (66.7 per cent)");
    }

    #[test]
    fn a_cumulative_target_adds_up_the_periods_from_the_baseline_year() {
        let mut ds = dataset(
            "count",
            serde_json::json!([{"period": "2025", "value": 20000, "cumulative": true}]),
            &[
                ("2022", count(500)),
                ("2023", count(4000)),
                ("2024", count(8400)),
                ("2025", count(100)),
            ],
        );
        let ind = ds.framework.indicators[0].clone();
        // Without a baseline, from the first period: 2022 to 2024 towards the 2025 target.
        let p = &progress(&ds, &ind, "2024")[0];
        assert!(p.cumulative);
        assert_eq!(p.target_period.as_str(), "2025");
        assert_eq!(p.actual, Actual::Number { value: 12900.0 });
        assert_eq!(p.text(), "12,900 of 20,000 by 2025 (64.5 per cent)");
        // With a baseline in 2023, 2022 is before it and does not count.
        ds.framework.indicators[0].baseline = Some(Baseline {
            value: 0.0,
            year: 2023,
            note: None,
        });
        let ind = ds.framework.indicators[0].clone();
        assert_eq!(
            progress(&ds, &ind, "2025")[0].actual,
            Actual::Number { value: 12500.0 }
        );
    }

    #[test]
    fn a_total_to_date_replaces_the_running_sum_instead_of_adding_to_it() {
        let mut ds = dataset(
            "count",
            serde_json::json!([{"period": "2024", "value": 20000, "cumulative": true}]),
            &[
                ("2022", count(500)),
                ("2023", count(4000)),
                ("2024", count(3000)),
            ],
        );
        // 2023 reports 4,000 since the work began: 2022's 500 are in it.
        ds.periods[1].figures[0].stated.cumulative = true;
        let ind = ds.framework.indicators[0].clone();
        let p = &progress(&ds, &ind, "2024")[0];
        assert_eq!(p.actual, Actual::Number { value: 7000.0 });
    }

    #[test]
    fn a_period_after_the_last_cumulative_target_has_none() {
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 100, "cumulative": true}]),
            &[("2024", count(10))],
        );
        assert!(progress(&ds, &ds.framework.indicators[0], "2024").is_empty());
        assert_eq!(progress(&ds, &ds.framework.indicators[0], "2023").len(), 1);
    }

    #[test]
    fn a_milestone_is_achieved_or_not_against_a_target_of_one() {
        let t = serde_json::json!([{"period": "2023", "value": 1}, {"period": "2024", "value": 1}]);
        let ds = dataset(
            "milestone",
            t,
            &[
                (
                    "2023",
                    serde_json::json!({"kind": "milestone", "achieved": true}),
                ),
                (
                    "2024",
                    serde_json::json!({"kind": "milestone", "achieved": false}),
                ),
            ],
        );
        let ind = &ds.framework.indicators[0];
        let y23 = &progress(&ds, ind, "2023")[0];
        assert_eq!(y23.percent(), Some(100.0));
        assert_eq!(y23.text(), "achieved (target: achieved)");
        let y24 = &progress(&ds, ind, "2024")[0];
        assert_eq!(y24.percent(), Some(0.0));
        assert_eq!(y24.text(), "not achieved (target: achieved)");
    }

    #[test]
    fn a_target_without_a_figure_is_not_reported_and_has_no_per_cent() {
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 5000}]),
            &[("2022", count(10))],
        );
        let p = &progress(&ds, &ds.framework.indicators[0], "2023")[0];
        assert_eq!(p.actual, Actual::NotReported);
        assert_eq!(p.percent(), None);
        assert_eq!(p.text(), "not reported (target 5,000)");
    }

    #[test]
    fn a_withheld_count_gives_no_per_cent_and_percentages_are_not_added() {
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 500}]),
            &[("2023", serde_json::json!({"kind": "withheld", "below": 10}))],
        );
        let p = &progress(&ds, &ds.framework.indicators[0], "2023")[0];
        assert_eq!(p.percent(), None);
        assert_eq!(p.text(), "fewer than 10 of 500");

        let pct = |v: f64| serde_json::json!({"kind": "percentage", "value": v});
        let ds = dataset(
            "percentage",
            serde_json::json!([{"period": "2023", "value": 80}, {"period": "2024", "value": 80}]),
            &[
                ("2023", pct(40.0)),
                ("2023", pct(60.0)),
                ("2024", pct(60.0)),
            ],
        );
        let ind = &ds.framework.indicators[0];
        let p = &progress(&ds, ind, "2023")[0];
        assert_eq!(p.actual, Actual::NotCombined { figures: 2 });
        assert_eq!(p.percent(), None);
        let p = &progress(&ds, ind, "2024")[0];
        assert_eq!(p.percent(), Some(75.0));
        assert_eq!(
            p.text_for(IndicatorKind::Percentage),
            "60 per cent of 80 per cent (75.0 per cent)"
        );
    }

    #[test]
    fn the_series_runs_over_every_period() {
        let ds = dataset(
            "count",
            serde_json::json!([{"period": "2023", "value": 5000}]),
            &[("2022", count(10)), ("2023", count(6000))],
        );
        let s = series(&ds, &ds.framework.indicators[0]);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].actual, Actual::Number { value: 10.0 });
        assert!(s[0].targets.is_empty());
        assert_eq!(s[1].targets[0].percent(), Some(120.0));
        assert_eq!(s[2].actual, Actual::NotReported);
    }
}
