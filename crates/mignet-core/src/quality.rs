//! Data-quality rules of `mignet check`: values that are allowed but implausible, each a warning that
//! names the values that set it off. A coordinator reads them before approving; none refuses data.
//!
//! - `outlier`: a figure far from the same organisations' figures for its indicator in earlier periods;
//! - `statistic_jump`: a context statistic far from its value (same id) in earlier periods;
//! - `above_target`: an indicator's approved figures far above the period's target;
//! - `percentage_over_100`: a statistic shown as a percentage above 100, or a share or coverage that
//!   comes out above 100 (a part larger than its whole);
//! - `date_outside_period`: a milestone's date outside its period;
//! - `number_in_narrative`: a stored value typed into narrative text, where a reference to it belongs.

use crate::markup::{self, Token};
use crate::model::{Dataset, DerivedKind, Display, Figure, FigureStatus, PeriodData};
use crate::numbers::group_auto;
use std::collections::HashMap;

/// How many times larger (or smaller) than its usual value a number must be to be called implausible.
pub const JUMP_FACTOR: f64 = 5.0;

/// Below this, a jump is not worth a warning: 3 after 0 is not news.
const SMALL: f64 = 20.0;

/// One data-quality finding: the rule, the subject and the message with the values.
pub struct Warning {
    pub rule: &'static str,
    pub subject: String,
    pub message: String,
}

/// The periods before `p`, in order, as the dataset lists them by code.
fn earlier<'d>(ds: &'d Dataset, p: &PeriodData) -> Vec<&'d PeriodData> {
    let mut before: Vec<&PeriodData> = ds
        .periods
        .iter()
        .filter(|q| q.period.code < p.period.code)
        .collect();
    before.sort_by(|a, b| a.period.code.cmp(&b.period.code));
    before
}

/// The middle of the earlier values (the mean of the two middle ones for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Whether `value` is implausibly far from `usual`.
fn jumps(usual: f64, value: f64) -> bool {
    usual.max(value) >= SMALL && (value > usual * JUMP_FACTOR || value * JUMP_FACTOR < usual)
}

fn series(history: &[(String, f64)]) -> String {
    history
        .iter()
        .map(|(period, v)| format!("{} in {period}", group_auto(*v, 2)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A period's figure values by indicator and reporting organisations.
type ByReporters<'d> = HashMap<(&'d str, Vec<&'d str>), f64>;

/// The organisations of a figure, in one order whatever the order they were named in.
fn reporters(f: &Figure) -> Vec<&str> {
    let mut x: Vec<&str> = f.organisations.iter().map(|o| o.as_str()).collect();
    x.sort_unstable();
    x
}

/// Every data-quality warning of period `p`.
pub fn check(ds: &Dataset, p: &PeriodData) -> Vec<Warning> {
    let mut out = Vec::new();
    let before = earlier(ds, p);
    let code = p.period.code.as_str();

    // Each earlier period's figures by indicator and reporting organisations, looked up once per
    // figure (a search per figure and period was quadratic in a period's figures).
    let by_reporters: Vec<(String, ByReporters)> = before
        .iter()
        .map(|q| {
            let mut m = HashMap::new();
            for g in &q.figures {
                if let Some(v) = g.value.number() {
                    m.entry((g.indicator.as_str(), reporters(g))).or_insert(v);
                }
            }
            (q.period.code.to_string(), m)
        })
        .collect();
    for f in &p.figures {
        let Some(value) = f.value.number() else {
            continue;
        };
        let key = (f.indicator.as_str(), reporters(f));
        let history: Vec<(String, f64)> = by_reporters
            .iter()
            .filter_map(|(period, m)| m.get(&key).map(|v| (period.clone(), *v)))
            .collect();
        if history.is_empty() {
            continue;
        }
        let usual = median(&history.iter().map(|(_, v)| *v).collect::<Vec<_>>());
        if jumps(usual, value) {
            out.push(Warning {
                rule: "outlier",
                subject: format!("figure {}", f.id),
                message: format!(
                    "{} in {code} is far from the same organisations' earlier figures for indicator {} ({}): check it was typed as meant",
                    group_auto(value, 2),
                    f.indicator,
                    series(&history)
                ),
            });
        }
    }

    for s in &p.statistics {
        let history: Vec<(String, f64)> = before
            .iter()
            .filter_map(|q| {
                q.statistic(s.id.as_str())
                    .map(|old| (q.period.code.to_string(), old.value))
            })
            .collect();
        if !history.is_empty() {
            let usual = median(&history.iter().map(|(_, v)| *v).collect::<Vec<_>>());
            if jumps(usual, s.value) {
                out.push(Warning {
                    rule: "statistic_jump",
                    subject: format!("statistic {}", s.id),
                    message: format!(
                        "{} in {code} is far from its earlier values ({}): check the source and the unit",
                        group_auto(s.value, 2),
                        series(&history)
                    ),
                });
            }
        }
        if s.display == Display::Percent && s.value > 100.0 {
            out.push(Warning {
                rule: "percentage_over_100",
                subject: format!("statistic {}", s.id),
                message: format!(
                    "{} per cent is more than the whole: check the value or how it is displayed",
                    group_auto(s.value, 2)
                ),
            });
        }
    }

    for d in &p.derived {
        if matches!(d.kind, DerivedKind::Share | DerivedKind::Coverage)
            && let Ok(v) = p.compute(d)
            && v > 100.0
        {
            out.push(Warning {
                rule: "percentage_over_100",
                subject: format!("derived figure {}", d.id),
                message: format!(
                    "{} is {} per cent of {}: a part larger than its whole",
                    d.a,
                    group_auto(v, 1),
                    d.b
                ),
            });
        }
    }

    let mut approved: HashMap<&str, f64> = HashMap::new();
    for f in p
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
    {
        if let Some(v) = f.value.number() {
            *approved.entry(f.indicator.as_str()).or_default() += v;
        }
    }
    for ind in &ds.framework.indicators {
        let Some(target) = ind
            .targets
            .iter()
            .find(|t| t.period.as_str() == code && !t.cumulative)
        else {
            continue;
        };
        let reached = approved.get(ind.code.as_str()).copied().unwrap_or(0.0);
        if target.value > 0.0 && reached > target.value * JUMP_FACTOR {
            out.push(Warning {
                rule: "above_target",
                subject: format!("indicator {}", ind.code),
                message: format!(
                    "the approved figures of {code} add up to {}, {} times the target of {}: check the figures or the target",
                    group_auto(reached, 2),
                    group_auto(reached / target.value, 1),
                    group_auto(target.value, 2)
                ),
            });
        }
    }

    for f in &p.figures {
        let Some(date) = &f.stated.date else { continue };
        let starts = p.period.starts.as_deref().unwrap_or("");
        let ends = p.period.ends.as_deref().unwrap_or("");
        // Dates compare as text at the precision given: "2023-06" is within 2023-01-01..2023-12-31.
        let before_start =
            !starts.is_empty() && date.as_str() < &starts[..date.len().min(starts.len())];
        let after_end = !ends.is_empty() && date.as_str() > &ends[..date.len().min(ends.len())];
        if before_start || after_end {
            out.push(Warning {
                rule: "date_outside_period",
                subject: format!("figure {}", f.id),
                message: format!(
                    "the milestone's date {date} is outside period {code} ({starts} to {ends})"
                ),
            });
        }
    }

    narrative_numbers(p, &mut out);
    out
}

/// Numbers typed into narrative text that are a stored value of the period: a reference (`{F-X}`)
/// prints the same number and stays true when the value changes.
fn narrative_numbers(p: &PeriodData, out: &mut Vec<Warning>) {
    let mut stored: Vec<(f64, String)> = Vec::new();
    for f in &p.figures {
        if let Some(v) = f.value.number() {
            stored.push((v, f.id.to_string()));
        }
    }
    for s in &p.statistics {
        stored.push((s.value, s.id.to_string()));
    }
    let mut texts: Vec<(String, &str)> = Vec::new();
    for (i, l) in p.lines.iter().enumerate() {
        texts.push((format!("line {} of the highlights", i + 1), &l.text));
    }
    for (i, s) in p.sections.iter().enumerate() {
        texts.push((format!("section {}", i + 1), &s.text));
    }
    for (subject, text) in texts {
        let Ok(tokens) = markup::parse(text) else {
            continue;
        };
        for t in tokens {
            let Token::Text(t) = t else { continue };
            for typed in typed_numbers(&t) {
                if let Some((_, id)) = stored.iter().find(|(v, _)| *v == typed) {
                    out.push(Warning {
                        rule: "number_in_narrative",
                        subject: subject.clone(),
                        message: format!(
                            "{} is typed into the text, and is the stored value of {id}: write {{{id}}} so that the text follows the data",
                            group_auto(typed, 2)
                        ),
                    });
                }
            }
        }
    }
}

/// The numbers written with thousands separators in a text (`74,499`, `1,234.5`): years, list
/// numbers and other small numbers are not taken for stored values.
fn typed_numbers(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<f64>| {
        let w = word.trim_end_matches(['.', ',']);
        if w.contains(',')
            && w.split('.').next().is_some_and(|int| {
                let groups: Vec<&str> = int.split(',').collect();
                groups.len() > 1
                    && !groups[0].is_empty()
                    && groups[0].len() <= 3
                    && groups[1..].iter().all(|g| g.len() == 3)
            })
            && let Ok(v) = w.replace(',', "").parse::<f64>()
        {
            out.push(v);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || c == ',' || c == '.' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_those_with_thousands_separators() {
        assert_eq!(
            typed_numbers("reached 74,499 migrants in 2022, and 1,234.5 more."),
            vec![74499.0, 1234.5]
        );
        assert!(typed_numbers("in 2022, 3 reports and 77 provinces").is_empty());
    }

    #[test]
    fn a_jump_is_far_and_not_small() {
        assert!(jumps(100.0, 900.0));
        assert!(jumps(1000.0, 150.0));
        assert!(!jumps(100.0, 300.0));
        assert!(!jumps(2.0, 15.0), "small numbers move a lot without news");
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[1.0, 2.0, 3.0, 10.0]), 2.5);
    }
}
