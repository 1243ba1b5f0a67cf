//! A period's headline results in plain words, for the front of the public site: `74,499 migrants
//! reached with COVID-19 information, education and …`, each a figure a reader can open.

use mignet_core::model::{Dataset, Indicator};
use mignet_core::numbers;
use serde::Serialize;

/// One headline: the figure it comes from, its number as printed, and what it counts in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub figure: String,
    pub period: String,
    pub value: String,
    /// What the number counts, lower-cased as it follows the number: `migrants reached with …`.
    pub words: String,
}

/// The longest a headline's words run before they are cut at a word.
const WORDS: usize = 90;

/// One headline per priority, in the framework's order: the largest approved count of people under
/// it, or, where it counts no people, its largest approved count. At most `n`.
pub fn headlines(ds: &Dataset, period: &str, n: usize) -> Vec<Headline> {
    let Some(p) = ds.period(period) else {
        return Vec::new();
    };
    let priority_of = |i: &Indicator| {
        ds.framework
            .outcomes
            .iter()
            .find(|o| o.code == i.outcome)
            .map(|o| o.priority.clone())
    };
    let mut out = Vec::new();
    for pr in &ds.framework.priorities {
        let counts: Vec<_> = crate::charts::approved_counts(ds, p)
            .filter(|(_, ind, _)| priority_of(ind).as_ref() == Some(&pr.code))
            .collect();
        let best = counts
            .iter()
            .filter(|(_, i, _)| i.counts_people())
            .max_by_key(|(_, _, v)| *v)
            .or_else(|| counts.iter().max_by_key(|(_, _, v)| *v));
        if let Some((f, ind, value)) = best {
            out.push(Headline {
                figure: f.id.to_string(),
                period: period.to_owned(),
                value: numbers::group(*value as f64, 0),
                words: words_of(&ind.statement),
            });
        }
    }
    out.truncate(n);
    out
}

/// `Number of migrants reached with …` -> `migrants reached with …`; an acronym keeps its capitals.
fn words_of(statement: &str) -> String {
    let rest = crate::charts::what_it_counts(statement);
    let mut chars = rest.chars();
    let words: String = match (chars.next(), chars.clone().next()) {
        (Some(c), Some(d)) if !d.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => rest.to_owned(),
    };
    crate::charts::shorten(words, WORDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_becomes_the_words_after_its_number() {
        assert_eq!(
            words_of("Number of migrants reached with COVID-19 information"),
            "migrants reached with COVID-19 information"
        );
        assert_eq!(
            words_of("MHVs trained in their communities"),
            "MHVs trained in their communities"
        );
        let long = words_of(&format!(
            "Number of people {}",
            "who were reached ".repeat(10)
        ));
        assert!(
            long.ends_with('\u{2026}') && long.chars().count() <= WORDS + 1,
            "{long}"
        );
    }
}
