//! Values as reports state them: "over 65,000", "100–130", "USD 19.1 million", "six reports", a
//! milestone "delayed" since a date. A figure keeps its number ([`crate::FigureValue`]) for every sum
//! and derived figure, and beside it, in [`Stated`], how the source put it, so that nothing the report
//! said is lost and every output prints it the same way.
//!
//! [`parse`] reads a value as a person types it (in a dataset file, an entry form or a workbook cell);
//! [`crate::numbers::format_figure`] prints it back.

use crate::model::{Figure, FigureValue, Indicator, IndicatorKind};
use crate::rules::Broken;
use crate::vocab::Vocabulary;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A word a report puts before a number it does not state exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Over,
    MoreThan,
    AtLeast,
    Nearly,
    Almost,
    About,
    Approximately,
    Around,
    Some,
    UpTo,
    Under,
}

impl Qualifier {
    /// A written name or the printed words, any case (`More than`, `more_than`).
    pub fn parse(s: &str) -> Option<Qualifier> {
        let s = s.trim().to_lowercase().replace('_', " ");
        Self::ALL.iter().copied().find(|q| q.label() == s)
    }
}

/// Where a milestone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    Planned,
    Ongoing,
    Achieved,
    NotAchieved,
    Delayed,
}

impl MilestoneStatus {
    pub fn parse(s: &str) -> Option<MilestoneStatus> {
        let s = s.trim().to_lowercase().replace('_', " ");
        Self::ALL.iter().copied().find(|m| m.label() == s)
    }
}

/// An ISO 4217 currency code (`USD`), one of [`crate::currencies::CURRENCIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    pub fn parse(s: &str) -> Option<Currency> {
        let code = crate::currencies::CURRENCIES
            .iter()
            .find(|(c, _)| *c == s)?
            .0
            .as_bytes();
        Some(Currency([code[0], code[1], code[2]]))
    }
    pub fn as_str(&self) -> &str {
        // Always ASCII: made only from the table's codes.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is no ISO 4217 currency code")))
    }
}

/// How the source states a figure beyond its number. Empty for a plain number, and then left out of
/// the figure's serialised form, so that figures stored before it existed keep their content hash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stated {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// The top of a range whose bottom is the figure's value ("100–130"). Sums and derived figures
    /// use the value, the bottom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// The currency of an amount of money: an indicator whose unit is an ISO 4217 code counts money.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// A percentage's numerator and denominator, where the source gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
    /// Where a milestone stands, and since when (an ISO 8601 date, `2023-06` or `2023-06-30`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<MilestoneStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Counted since the start of the work rather than within the period.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cumulative: bool,
    /// The source writes the number as a word ("six reports"), and so does the brief.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_words: bool,
}

impl Stated {
    /// Nothing beyond the number.
    pub fn is_plain(&self) -> bool {
        *self == Stated::default()
    }
}

/// A value as typed, read: the number and how it was put.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: f64,
    pub high: Option<f64>,
    pub qualifier: Option<Qualifier>,
    pub currency: Option<Currency>,
    /// Typed with a per-cent sign or "per cent".
    pub percent: bool,
    pub in_words: bool,
}

/// Reads a value as reports write it: an optional qualifier ("over", "nearly", "at least" ...), an
/// optional ISO 4217 currency code, a number with thousands separators ("65,000"), a word ("six") or
/// a scale ("19.1 million"), an optional range ("100–130", "100 to 130") and an optional "%" or
/// "per cent". The error says what was found and what to write.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let original = text.trim();
    if original.is_empty() {
        return Err("the value is empty: write a number, such as 1,250".into());
    }
    let mut rest = original.to_lowercase();
    let mut qualifier = None;
    // The longest words first, so that "more than" is not read as "more".
    let mut words: Vec<Qualifier> = Qualifier::ALL.to_vec();
    words.sort_by_key(|q| std::cmp::Reverse(q.label().len()));
    for q in words {
        if let Some(after) = rest.strip_prefix(q.label())
            && after.starts_with(' ')
        {
            qualifier = Some(q);
            rest = after.trim_start().to_owned();
            break;
        }
    }
    let mut currency = None;
    if rest.len() > 3 && rest.as_bytes()[3] == b' ' {
        let code = rest[..3].to_uppercase();
        if let Some(c) = Currency::parse(&code) {
            currency = Some(c);
            rest = rest[4..].trim_start().to_owned();
        }
    }
    let mut percent = false;
    for sign in ["per cent", "percent", "%"] {
        if let Some(before) = rest.strip_suffix(sign) {
            percent = true;
            rest = before.trim_end().to_owned();
            break;
        }
    }
    let (low, high) = split_range(&rest);
    let bad = |what: &str| {
        format!(
            "`{original}` is not a number as mignet reads one ({what}): write it as 65,000, \
             over 65,000, 100-130, 19.1 million, USD 250,000 or 45%"
        )
    };
    let (value, in_words) = number(low).ok_or_else(|| bad("the number is not clear"))?;
    let high = match high {
        Some(h) => Some(
            number(h)
                .ok_or_else(|| bad("the top of the range is not clear"))?
                .0,
        ),
        None => None,
    };
    if let Some(h) = high
        && h <= value
    {
        return Err(format!(
            "`{original}`: the top of a range must be above its bottom; write the smaller number first"
        ));
    }
    if value < 0.0 {
        return Err(format!(
            "`{original}` is below zero: a figure counts or measures something, from 0 up"
        ));
    }
    Ok(Parsed {
        value,
        high,
        qualifier,
        currency,
        percent,
        in_words,
    })
}

/// "100-130", "100–130", "100 to 130" into its two ends.
fn split_range(s: &str) -> (&str, Option<&str>) {
    for sep in ["–", "—", " to ", "-"] {
        if let Some((a, b)) = s.split_once(sep)
            && !a.trim().is_empty()
        {
            return (a.trim(), Some(b.trim()));
        }
    }
    (s.trim(), None)
}

/// The numbers reports write as words, from one to twenty and the tens.
const WORDS: [(&str, u64); 28] = [
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// The word for `n`, if reports write it as one.
pub fn in_words(n: f64) -> Option<&'static str> {
    WORDS.iter().find(|(_, v)| *v as f64 == n).map(|(w, _)| *w)
}

/// One number: digits with commas and a decimal point, optionally followed by a scale word, or a
/// word for a small number. Returns the number and whether it was a word.
fn number(s: &str) -> Option<(f64, bool)> {
    let s = s.trim();
    if let Some((_, n)) = WORDS.iter().find(|(w, _)| *w == s) {
        return Some((*n as f64, true));
    }
    let (digits, scale) = match s.rsplit_once(' ') {
        Some((d, "thousand")) => (d, 1e3),
        Some((d, "million")) => (d, 1e6),
        Some((d, "billion")) => (d, 1e9),
        _ => (s, 1.0),
    };
    let digits = digits.trim();
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        || !digits.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    // Thousands separators only between groups of three digits.
    let int = digits.split('.').next().unwrap_or("");
    if int.contains(',') && int.split(',').skip(1).any(|g| g.len() != 3) {
        return None;
    }
    let v: f64 = digits.replace(',', "").parse().ok()?;
    Some(((v * scale * 1e6).round() / 1e6, false))
}

/// The currency an indicator counts, if its unit is an ISO 4217 code (`unit = "USD"`): its figures are
/// amounts of money.
pub fn money_of(unit: &str) -> Option<Currency> {
    Currency::parse(unit.trim())
}

/// A value typed for an indicator ("over 65,000", "USD 19.1 million", "delayed"), read into the
/// figure's value and how it was stated. Every path that takes typed text (the entry form, the API,
/// a workbook cell, a dataset file) reads it here. The error says what to write instead.
pub fn read_value(ind: &Indicator, text: &str) -> Result<(FigureValue, Stated), String> {
    let money = money_of(&ind.unit);
    let mut stated = Stated {
        currency: money,
        ..Stated::default()
    };
    if ind.kind == IndicatorKind::Milestone {
        let status = MilestoneStatus::parse(text).ok_or_else(|| {
            format!(
                "`{}` is not where a milestone stands: write one of {}",
                text.trim(),
                MilestoneStatus::ALL
                    .iter()
                    .map(|m| m.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        stated.milestone = Some(status);
        let achieved = status == MilestoneStatus::Achieved;
        return Ok((FigureValue::Milestone { achieved }, stated));
    }
    let p = parse(text)?;
    stated.qualifier = p.qualifier;
    stated.high = p.high;
    stated.in_words = p.in_words;
    match (p.currency, money) {
        (Some(c), Some(m)) if c != m => {
            return Err(format!(
                "indicator {} counts {m}, not {c}: give the amount in {m}",
                ind.code
            ));
        }
        (Some(c), None) => {
            return Err(format!(
                "indicator {} counts {}, not an amount of {c}: leave the currency out, or \
                 ask the coordinator for an indicator whose unit is {c}",
                ind.code, ind.unit
            ));
        }
        _ => {}
    }
    match ind.kind {
        IndicatorKind::Count => {
            if p.percent {
                return Err(format!(
                    "indicator {} counts {}, not a percentage: give the number",
                    ind.code, ind.unit
                ));
            }
            let whole = |v: f64| v.fract() == 0.0 && v <= i64::MAX as f64;
            if !whole(p.value) || p.high.is_some_and(|h| !whole(h)) {
                return Err(format!(
                    "`{}` is not a whole number of {}",
                    text.trim(),
                    ind.unit
                ));
            }
            Ok((
                FigureValue::Count {
                    value: p.value as u64,
                },
                stated,
            ))
        }
        IndicatorKind::Percentage => Ok((FigureValue::Percentage { value: p.value }, stated)),
        IndicatorKind::Milestone => unreachable!("read above"),
    }
}

/// A figure's value written back as a person would type it, exactly, so that [`read_value`] reads the
/// same value and the same statement again (`over USD 19,123,456`, `100–130`, `six`, `delayed`).
/// The fields that are not part of the value (numerator, date, cumulative) are not in it.
pub fn as_typed(value: &FigureValue, stated: &Stated) -> Option<String> {
    let exact = |v: f64| crate::numbers::group_auto(v, 6);
    let number = match *value {
        FigureValue::Count { value } if stated.in_words => {
            in_words(value as f64).map_or_else(|| exact(value as f64), str::to_owned)
        }
        FigureValue::Count { value } => exact(value as f64),
        FigureValue::Percentage { value } => exact(value),
        FigureValue::Milestone { achieved } => {
            return Some(
                stated
                    .milestone
                    .unwrap_or(if achieved {
                        MilestoneStatus::Achieved
                    } else {
                        MilestoneStatus::NotAchieved
                    })
                    .label()
                    .to_owned(),
            );
        }
        FigureValue::Withheld { .. } => return None,
    };
    let mut out = String::new();
    if let Some(q) = stated.qualifier {
        out.push_str(q.label());
        out.push(' ');
    }
    if let Some(c) = stated.currency {
        out.push_str(c.as_str());
        out.push(' ');
    }
    out.push_str(&number);
    if let Some(h) = stated.high {
        out.push('–');
        out.push_str(&exact(h));
    }
    Some(out)
}

/// Whether `d` is an ISO 8601 date a report gives for a milestone: a year, a month or a day.
fn is_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, len: usize, max: u32| {
        s.len() == len
            && s.chars().all(|c| c.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n >= 1 && n <= max)
    };
    match parts.as_slice() {
        [y] => num(y, 4, 9999),
        [y, m] => num(y, 4, 9999) && num(m, 2, 12),
        [y, m, day] => num(y, 4, 9999) && num(m, 2, 12) && num(day, 2, 31),
        _ => false,
    }
}

/// What [`Stated`] must agree with: the indicator's kind and unit, and the figure's own value.
pub(crate) fn rules(ind: &Indicator, f: &Figure) -> Vec<Broken> {
    use crate::rules::broken;
    let s = &f.stated;
    let mut out = Vec::new();
    let milestone = ind.kind == IndicatorKind::Milestone;
    if milestone {
        for (given, field) in [
            (s.qualifier.is_some(), "qualifier"),
            (s.high.is_some(), "high"),
            (s.in_words, "in_words"),
        ] {
            if given {
                out.push(broken(
                    field,
                    "stated_not_for_milestone",
                    format!(
                        "`{field}` goes with a number; indicator {} is a milestone",
                        ind.code
                    ),
                ));
            }
        }
    } else {
        for (given, field) in [
            (s.milestone.is_some(), "milestone"),
            (s.date.is_some(), "date"),
        ] {
            if given {
                out.push(broken(
                    field,
                    "milestone_field_on_number",
                    format!(
                        "`{field}` goes with a milestone; indicator {} {}",
                        ind.code,
                        if ind.kind == IndicatorKind::Count {
                            format!("counts {}", ind.unit)
                        } else {
                            "is a percentage".to_owned()
                        }
                    ),
                ));
            }
        }
    }
    if let (FigureValue::Milestone { achieved }, Some(m)) = (f.value, s.milestone)
        && achieved != (m == MilestoneStatus::Achieved)
    {
        out.push(broken(
            "milestone",
            "milestone_status_disagrees",
            format!(
                "the milestone is `{}` but `achieved` says {}: give one of them",
                m.name(),
                if achieved { "yes" } else { "no" }
            ),
        ));
    }
    if let Some(d) = &s.date
        && !is_date(d)
    {
        out.push(broken(
            "date",
            "bad_date",
            format!("`{d}` is not a date: write 2023, 2023-06 or 2023-06-30"),
        ));
    }
    if let (Some(h), Some(v)) = (s.high, f.value.number())
        && h <= v
    {
        out.push(broken(
            "high",
            "range_upside_down",
            format!(
                "the top of the range, {}, is not above the value, {}: write the smaller number as the value",
                crate::numbers::group_auto(h, 2),
                crate::numbers::group_auto(v, 2)
            ),
        ));
    }
    let money = money_of(&ind.unit);
    if s.currency != money && !matches!(f.value, FigureValue::Withheld { .. }) {
        out.push(broken(
            "currency",
            "currency_mismatch",
            match (money, s.currency) {
                (Some(m), Some(c)) => format!("indicator {} counts {m}, not {c}", ind.code),
                (Some(m), None) => format!(
                    "indicator {} counts money: give the currency, {m}",
                    ind.code
                ),
                (None, Some(c)) => format!(
                    "indicator {} counts {}, not an amount of {c}: leave the currency out",
                    ind.code, ind.unit
                ),
                (None, None) => unreachable!("equal"),
            },
        ));
    }
    if s.in_words
        && let Some(v) = f.value.number()
        && in_words(v).is_none()
    {
        out.push(broken(
            "in_words",
            "no_word",
            format!(
                "{} is not a number reports write as a word (zero to twenty and the tens): leave `in_words` out",
                crate::numbers::group_auto(v, 2)
            ),
        ));
    }
    match (s.numerator, s.denominator) {
        (None, None) => {}
        (Some(n), Some(d)) => {
            if let FigureValue::Percentage { value } = f.value {
                if d <= 0.0 || n < 0.0 {
                    out.push(broken(
                        "denominator",
                        "bad_fraction",
                        "the denominator must be above 0 and the numerator 0 or more",
                    ));
                } else if !crate::numbers::agrees(value, n / d * 100.0) {
                    out.push(broken(
                        "value",
                        "percentage_disagrees",
                        format!(
                            "{} per cent is not {} of {} ({} per cent): correct the value or the numbers",
                            crate::numbers::group_auto(value, 2),
                            crate::numbers::group_auto(n, 2),
                            crate::numbers::group_auto(d, 2),
                            crate::numbers::group_auto(n / d * 100.0, 1)
                        ),
                    ));
                }
            } else {
                out.push(broken(
                    "numerator",
                    "fraction_not_for_kind",
                    format!(
                        "a numerator and denominator go with a percentage; indicator {} is not one",
                        ind.code
                    ),
                ));
            }
        }
        (n, _) => out.push(broken(
            if n.is_some() {
                "denominator"
            } else {
                "numerator"
            },
            "half_a_fraction",
            "give both the numerator and the denominator, or neither",
        )),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Parsed {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn reads_values_as_reports_write_them() {
        let over = p("over 65,000");
        assert_eq!(
            (over.value, over.qualifier, over.high),
            (65000.0, Some(Qualifier::Over), None)
        );
        assert_eq!(p("More than 1,200").qualifier, Some(Qualifier::MoreThan));
        assert_eq!(p("nearly 800").value, 800.0);
        let range = p("100–130");
        assert_eq!((range.value, range.high), (100.0, Some(130.0)));
        assert_eq!(p("100 to 130").high, Some(130.0));
        assert_eq!(p("100-130").high, Some(130.0));
        let money = p("USD 19.1 million");
        assert_eq!(money.value, 19_100_000.0);
        assert_eq!(
            money.currency.map(|c| c.to_string()).as_deref(),
            Some("USD")
        );
        let pc = p("47.5%");
        assert!(pc.percent);
        assert_eq!(pc.value, 47.5);
        assert!(p("12 per cent").percent);
        let six = p("six");
        assert_eq!((six.value, six.in_words), (6.0, true));
        assert_eq!(p("at least 3").qualifier, Some(Qualifier::AtLeast));
    }

    #[test]
    fn refuses_what_is_not_a_number_and_says_what_to_write() {
        for bad in ["", "many", "12,34", "-5", "130-100", "1.2.3", "USD"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("write") || e.contains("zero"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_value_typed_back_reads_the_same() {
        let ind = |kind, unit: &str| Indicator {
            code: crate::FrameworkCode::parse("P1.O1.I01").unwrap(),
            outcome: crate::FrameworkCode::parse("P1.O1").unwrap(),
            statement: "s".into(),
            unit: unit.into(),
            kind,
            disaggregations: vec![],
            places: vec![],
            gcm: vec![],
            sdg: vec![],
            figure_source_required: false,
            baseline: None,
            targets: vec![],
            sensitive: false,
            threshold: None,
        };
        for (kind, unit, typed) in [
            (IndicatorKind::Count, "people", "over 65,000"),
            (IndicatorKind::Count, "people", "100-130"),
            (IndicatorKind::Count, "reports", "six"),
            (IndicatorKind::Count, "USD", "USD 19,123,456"),
            (IndicatorKind::Count, "USD", "nearly USD 19.1 million"),
            (IndicatorKind::Percentage, "per cent", "about 47.5%"),
            (IndicatorKind::Milestone, "", "delayed"),
        ] {
            let i = ind(kind, unit);
            let (v, st) = read_value(&i, typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            let back = as_typed(&v, &st).unwrap();
            assert_eq!(read_value(&i, &back).unwrap(), (v, st), "{typed} -> {back}");
        }
        let money = ind(IndicatorKind::Count, "USD");
        let (v, st) = read_value(&money, "19.1 million").unwrap();
        assert_eq!(v, FigureValue::Count { value: 19_100_000 });
        assert_eq!(st.currency, Currency::parse("USD"));
        assert!(
            read_value(&money, "EUR 5")
                .unwrap_err()
                .contains("counts USD")
        );
        assert!(read_value(&ind(IndicatorKind::Count, "people"), "12.5").is_err());
        assert!(
            read_value(&ind(IndicatorKind::Milestone, ""), "soon")
                .unwrap_err()
                .contains("planned")
        );
    }

    #[test]
    fn names_round_trip() {
        for &q in Qualifier::ALL {
            assert_eq!(Qualifier::parse(q.name()), Some(q));
            assert_eq!(Qualifier::parse(q.label()), Some(q));
        }
        for &m in MilestoneStatus::ALL {
            assert_eq!(MilestoneStatus::parse(m.name()), Some(m));
        }
        assert!(Currency::parse("THB").is_some());
        assert!(Currency::parse("XYZ").is_none());
        assert_eq!(in_words(6.0), Some("six"));
        assert_eq!(in_words(21.0), None);
    }
}
