//! Numbers: resolving `{ID}` references within a period, computing derived figures, and formatting
//! numbers the way a brief prints them.

use crate::model::{Derived, DerivedKind, Display, Figure, FigureValue, PeriodData, Statistic};

/// What a `{...}` reference in text points at.
#[derive(Debug, Clone, Copy)]
pub enum NumberRef<'a> {
    Figure(&'a Figure),
    /// One part of a figure's whole: the figure, the key and the value.
    Part(&'a Figure, &'a str, u64),
    Statistic(&'a Statistic),
    Derived(&'a Derived),
    /// A part of a figure that a public view withholds ([`crate::disclosure`]): the figure, the key,
    /// and the threshold the part is below, if it is a small count itself.
    WithheldPart(&'a Figure, &'a str, Option<u64>),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RefError {
    #[error("`{{{0}}}` names no figure, statistic or derived figure of the period")]
    Unknown(String),
    #[error("figure `{figure}` has no part `{key}` (its parts: {known})")]
    UnknownPart {
        figure: String,
        key: String,
        known: String,
    },
    #[error(
        "derived figure `{derived}` uses `{operand}`, which is no figure or statistic with a number"
    )]
    BadOperand { derived: String, operand: String },
    #[error("derived figure `{0}` divides by zero")]
    DivisionByZero(String),
    /// An operand is a small count withheld from the public, which the derived figure would reveal.
    #[error("derived figure `{0}` is withheld: it would reveal a small count")]
    Withheld(String),
}

impl PeriodData {
    /// Resolves the inside of a `{...}` reference. Ids may contain dots, so the whole text is tried as
    /// an id first and only then split at its last dot into a figure and a part.
    pub fn resolve(&self, raw: &str) -> Result<NumberRef<'_>, RefError> {
        if let Some(f) = self.figure(raw) {
            return Ok(NumberRef::Figure(f));
        }
        if let Some(s) = self.statistic(raw) {
            return Ok(NumberRef::Statistic(s));
        }
        if let Some(d) = self.derived(raw) {
            return Ok(NumberRef::Derived(d));
        }
        if let Some((id, key)) = raw.rsplit_once('.')
            && let Some(f) = self.figure(id)
        {
            if let Some((k, below)) = f.withheld_parts.iter().find(|(k, _)| k == key) {
                return Ok(NumberRef::WithheldPart(f, k.as_str(), *below));
            }
            return match f.disaggregation.iter().find(|(k, _)| k == key) {
                Some((k, v)) => Ok(NumberRef::Part(f, k.as_str(), *v)),
                None => Err(RefError::UnknownPart {
                    figure: id.to_owned(),
                    key: key.to_owned(),
                    known: f
                        .disaggregation
                        .iter()
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            };
        }
        Err(RefError::Unknown(raw.to_owned()))
    }

    /// The number behind an operand of a derived figure: a figure's value or a statistic's.
    fn operand(&self, d: &Derived, id: &str) -> Result<f64, RefError> {
        let bad = || RefError::BadOperand {
            derived: d.id.to_string(),
            operand: id.to_owned(),
        };
        match self.resolve(id).map_err(|_| bad())? {
            NumberRef::Figure(Figure {
                value: FigureValue::Withheld { .. },
                ..
            })
            | NumberRef::WithheldPart(..) => Err(RefError::Withheld(d.id.to_string())),
            NumberRef::Figure(f) => f.value.number().ok_or_else(bad),
            NumberRef::Part(_, _, v) => Ok(v as f64),
            NumberRef::Statistic(s) => Ok(s.value),
            NumberRef::Derived(_) => Err(bad()),
        }
    }

    /// Computes a derived figure from the stored values, unrounded.
    pub fn compute(&self, d: &Derived) -> Result<f64, RefError> {
        let a = self.operand(d, d.a.as_str())?;
        let b = self.operand(d, d.b.as_str())?;
        compute(d.kind, a, b).ok_or_else(|| RefError::DivisionByZero(d.id.to_string()))
    }
}

/// The arithmetic of derived figures: `a` is `from` or `part`, `b` is `to` or `whole`.
pub fn compute(kind: DerivedKind, a: f64, b: f64) -> Option<f64> {
    match kind {
        DerivedKind::PercentChange => (a != 0.0).then(|| (b - a) / a * 100.0),
        DerivedKind::Difference => Some(b - a),
        DerivedKind::Share | DerivedKind::Coverage => (b != 0.0).then(|| a / b * 100.0),
    }
}

/// Rounds half away from zero to `decimals` places.
pub fn round(value: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    (value * f).round() / f
}

/// How many decimals a published number was printed with (`134` -> 0, `47.5` -> 1).
pub fn decimals_of(value: f64) -> u8 {
    let s = format!("{value}");
    s.split_once('.')
        .map_or(0, |(_, frac)| frac.len().min(6) as u8)
}

/// Whether a published number agrees with the computed one at the precision it was published with.
pub fn agrees(published: f64, computed: f64) -> bool {
    let d = decimals_of(published);
    (round(computed, d) - published).abs() < 0.5 * 10f64.powi(-i32::from(d))
}

/// `74499` -> `74,499`; `1234.5` with one decimal -> `1,234.5`. Negative numbers keep their sign.
pub fn group(value: f64, decimals: u8) -> String {
    let rounded = round(value, decimals);
    let s = format!("{:.*}", usize::from(decimals), rounded.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The indicator's unit as it reads after the figure's value: singular after a plain count of one
/// ("1 campaign", "1 person"), as written otherwise ("2 campaigns", "over 1 campaigns").
pub fn unit_for(unit: &str, f: &Figure) -> String {
    let one = matches!(f.value, FigureValue::Count { value: 1 })
        && f.stated.high.is_none()
        && f.stated.qualifier.is_none()
        && f.stated.currency.is_none();
    if one { singular(unit) } else { unit.to_owned() }
}

/// An English plural phrase made singular word by word ("migrant workers" -> "migrant worker",
/// "people" -> "person", "facilities" -> "facility"). Written here because units are short
/// phrases of common nouns, for which these few rules hold; a word they do not know stays as it is.
pub fn singular(phrase: &str) -> String {
    phrase
        .split(' ')
        .map(|w| {
            let irregular = [
                ("people", "person"),
                ("children", "child"),
                ("women", "woman"),
                ("men", "man"),
                ("persons", "person"),
            ];
            if let Some((_, one)) = irregular.iter().find(|(many, _)| *many == w) {
                return (*one).to_owned();
            }
            let lower = w.to_ascii_lowercase();
            if w.len() > 3 && lower.ends_with("ies") {
                format!("{}y", &w[..w.len() - 3])
            } else if lower.ends_with("sses") || lower.ends_with("ches") || lower.ends_with("shes")
            {
                w[..w.len() - 2].to_owned()
            } else if w.len() > 2
                && lower.ends_with('s')
                && !lower.ends_with("ss")
                && !lower.ends_with("us")
                && !lower.ends_with("is")
            {
                w[..w.len() - 1].to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Formats a number with as few decimals as it needs (at most `max`).
pub fn group_auto(value: f64, max: u8) -> String {
    let d = decimals_of(round(value, max));
    group(value, d)
}

/// A figure's value as a brief prints it, as the source stated it: `over 65,000`, `100–130`,
/// `USD 19.1 million`, `six`, `47.5 per cent`, `delayed (2023-06)`.
pub fn format_figure(f: &Figure) -> String {
    let s = &f.stated;
    let count = |v: f64| match s.currency {
        Some(c) => money(c, v),
        None if s.in_words => crate::stated::in_words(v).map_or_else(|| group(v, 0), str::to_owned),
        None => group(v, 0),
    };
    let number = match f.value {
        FigureValue::Count { value } => match s.high {
            Some(h) => format!("{}–{}", count(value as f64), count(h)),
            None => count(value as f64),
        },
        FigureValue::Percentage { value } => match s.high {
            Some(h) => format!("{}–{} per cent", group_auto(value, 1), group_auto(h, 1)),
            None => format!("{} per cent", group_auto(value, 1)),
        },
        FigureValue::Milestone { achieved } => {
            let status = match s.milestone {
                Some(m) => crate::vocab::Vocabulary::label(m),
                None if achieved => "achieved",
                None => "not achieved",
            };
            return match &s.date {
                Some(d) => format!("{status} ({d})"),
                None => status.to_owned(),
            };
        }
        FigureValue::Withheld { below } => return fewer_than(below),
    };
    match s.qualifier {
        Some(q) => format!("{} {number}", crate::vocab::Vocabulary::label(q)),
        None => number,
    }
}

/// An amount of money as reports print it: `USD 19.1 million`, `THB 250,000`.
pub fn money(currency: crate::stated::Currency, value: f64) -> String {
    if value >= 1e9 {
        format!("{currency} {} billion", group_auto(value / 1e9, 2))
    } else if value >= 1e6 {
        format!("{currency} {} million", group_auto(value / 1e6, 2))
    } else {
        format!("{currency} {}", group_auto(value, 2))
    }
}

/// How a public output prints a small count it withholds: `fewer than 10`.
pub fn fewer_than(below: u64) -> String {
    format!("fewer than {}", group(below as f64, 0))
}

/// How a public output prints a withheld part: `fewer than 10`, or `withheld` for a part withheld so
/// that a smaller one cannot be computed from the total.
pub fn format_withheld(below: Option<u64>) -> String {
    below.map_or_else(|| "withheld".to_owned(), fewer_than)
}

/// Whatever a reference resolves to, as a brief prints it; a derived figure that would reveal a
/// withheld count prints `withheld`.
pub fn format_ref(p: &PeriodData, r: NumberRef<'_>) -> Result<String, RefError> {
    Ok(match r {
        NumberRef::Figure(f) => format_figure(f),
        NumberRef::Part(_, _, v) => group(v as f64, 0),
        NumberRef::WithheldPart(_, _, below) => format_withheld(below),
        NumberRef::Statistic(s) => format_statistic(s),
        NumberRef::Derived(d) => match p.compute(d) {
            Ok(v) => format_derived(d, v),
            Err(RefError::Withheld(_)) => "withheld".to_owned(),
            Err(e) => return Err(e),
        },
    })
}

/// A context statistic as a brief prints it, with its qualifier (`about 47 per cent`).
pub fn format_statistic(s: &Statistic) -> String {
    let number = match s.display {
        Display::Plain => group_auto(s.value, 2),
        Display::Millions => format!("{} million", group_auto(s.value / 1e6, 1)),
        Display::Percent => format!("{} per cent", group_auto(s.value, 1)),
    };
    match &s.qualifier {
        Some(q) => format!("{q} {number}"),
        None => number,
    }
}

/// A derived figure, rounded as it says. Per-cent kinds print the bare number: the text around the
/// reference says "per cent", as briefs do.
pub fn format_derived(d: &Derived, value: f64) -> String {
    group(value, d.decimals)
}

/// The English name of month `m` (1 to 12), as dates are printed in a brief and on the pages.
pub fn month_name(m: u32) -> Option<&'static str> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS
        .get(usize::try_from(m).ok()?.checked_sub(1)?)
        .copied()
}

/// How a derived figure was computed, in words, with the values it was computed from: `147.6 per cent
/// is the change from 231 to 572: (572 − 231) ÷ 231.` One sentence for the brief's notes, the
/// sources page and `mignet check`. `None` when it cannot be computed.
pub fn explain_derived(p: &PeriodData, d: &Derived) -> Option<String> {
    let DerivedParts { shown, a, b } = derived_parts(p, d)?;
    Some(match d.kind {
        DerivedKind::PercentChange => format!(
            "{shown} per cent is the change from {a} to {b}: ({b} \u{2212} {a}) \u{00f7} {a}."
        ),
        DerivedKind::Difference => format!("{shown} is {b} \u{2212} {a}."),
        DerivedKind::Share | DerivedKind::Coverage => {
            format!("{shown} per cent is {a} \u{00f7} {b}.")
        }
    })
}

/// The numbers a derived figure's explanation names, as printed: the result and its two inputs.
pub struct DerivedParts {
    pub shown: String,
    pub a: String,
    pub b: String,
}

/// [`DerivedParts`] of `d`, for an explanation in another language than [`explain_derived`]'s;
/// `None` when it cannot be computed from what the period holds.
pub fn derived_parts(p: &PeriodData, d: &Derived) -> Option<DerivedParts> {
    let v = p.compute(d).ok()?;
    let value_of = |id: &crate::ItemId| match p.resolve(id.as_str()) {
        Ok(NumberRef::Figure(f)) => f.value.number().map(|v| group_auto(v, 2)),
        Ok(NumberRef::Part(_, _, v)) => Some(group(v as f64, 0)),
        Ok(NumberRef::Statistic(s)) => Some(group_auto(s.value, 2)),
        _ => None,
    };
    Some(DerivedParts {
        a: value_of(&d.a)?,
        b: value_of(&d.b)?,
        shown: format_derived(d, v),
    })
}

/// What a published number is against the value computed for it: `It agrees with the 341
/// published.` or `It was first published as 134, which the stored values do not support.`
pub fn explain_claim(published: f64, computed: f64) -> String {
    if agrees(published, computed) {
        format!("It agrees with the {} published.", group_auto(published, 6))
    } else {
        format!(
            "It was first published as {}, which the stored values do not support.",
            group_auto(published, 6)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_change_of_the_trafficking_victims_is_147_6_not_134() {
        let v = compute(DerivedKind::PercentChange, 231.0, 572.0).unwrap();
        assert_eq!(round(v, 1), 147.6);
        assert!(!agrees(134.0, v));
        assert!(agrees(
            341.0,
            compute(DerivedKind::Difference, 231.0, 572.0).unwrap()
        ));
    }

    #[test]
    fn division_by_zero_gives_no_number() {
        assert_eq!(compute(DerivedKind::PercentChange, 0.0, 5.0), None);
        assert_eq!(compute(DerivedKind::Share, 5.0, 0.0), None);
    }

    #[test]
    fn a_unit_is_singular_after_a_plain_one_only() {
        assert_eq!(singular("campaigns"), "campaign");
        assert_eq!(singular("migrant workers"), "migrant worker");
        assert_eq!(singular("people"), "person");
        assert_eq!(singular("facilities"), "facility");
        assert_eq!(singular("MHVs"), "MHV");
        assert_eq!(singular("rounds of the survey"), "round of the survey");
        assert_eq!(singular("per cent"), "per cent");
        let mut f = crate::model::Figure::sample(&["IOM"], crate::model::FigureStatus::Approved);
        assert_eq!(unit_for("campaigns", &f), "campaign");
        f.value = FigureValue::Count { value: 2 };
        assert_eq!(unit_for("campaigns", &f), "campaigns");
        f.value = FigureValue::Count { value: 1 };
        f.stated.qualifier = Some(crate::stated::Qualifier::Over);
        assert_eq!(
            unit_for("campaigns", &f),
            "campaigns",
            "over 1 is more than one"
        );
    }

    #[test]
    fn agreement_is_judged_at_the_published_precision() {
        assert!(agrees(148.0, 147.619));
        assert!(agrees(147.6, 147.619));
        assert!(!agrees(147.7, 147.619));
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group(74499.0, 0), "74,499");
        assert_eq!(group(143727626.0, 0), "143,727,626");
        assert_eq!(group(999.0, 0), "999");
        assert_eq!(group(1234.56, 1), "1,234.6");
        assert_eq!(group(-341.0, 0), "-341");
        assert_eq!(group_auto(3.2, 2), "3.2");
        assert_eq!(group_auto(47.0, 2), "47");
    }

    #[test]
    fn statistics_print_in_millions_or_per_cent_with_their_qualifier() {
        let mut s = Statistic {
            id: crate::codes::ItemId::parse("S").unwrap(),
            label: String::new(),
            value: 3_900_000.0,
            unit: None,
            display: Display::Millions,
            qualifier: None,
            source: String::new(),
            source_org: None,
            as_of: None,
            footnote: None,
        };
        assert_eq!(format_statistic(&s), "3.9 million");
        s.value = 2_000_000.0;
        s.qualifier = Some("over".into());
        assert_eq!(format_statistic(&s), "over 2 million");
        s.value = 47.0;
        s.display = Display::Percent;
        s.qualifier = Some("about".into());
        assert_eq!(format_statistic(&s), "about 47 per cent");
    }
}
