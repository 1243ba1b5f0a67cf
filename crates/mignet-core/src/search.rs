//! Search across what a network publishes: indicators, figures, organisations, pledges, working
//! groups and the narrative of each period.
//!
//! Written by hand rather than with a search engine: a network holds thousands of items, not
//! millions, and each is a few sentences, so a scan of the dataset in memory answers in
//! milliseconds and needs no index to keep in step with every edit. A query's words must all occur
//! in an item (case folded, so "covid" finds "COVID-19"; as substrings, so Thai, written without
//! spaces between words, is found too). Items whose title holds the words come first.

use crate::access::{self, Actor};
use crate::markup::plain_text;
use crate::model::Dataset;
use crate::numbers;
use serde::Serialize;

/// What kind of item a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Indicator,
    Figure,
    Organisation,
    Pledge,
    WorkingGroup,
    Narrative,
}

impl HitKind {
    /// The kind in words, for a reader.
    pub fn label(self) -> &'static str {
        match self {
            HitKind::Indicator => "Indicator",
            HitKind::Figure => "Result",
            HitKind::Organisation => "Organisation",
            HitKind::Pledge => "Pledge",
            HitKind::WorkingGroup => "Working group",
            HitKind::Narrative => "Highlights",
        }
    }
}

/// One item that matches a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub title: String,
    /// A few words around the first match in the item's text.
    pub excerpt: String,
    /// The site's page of the item (a path).
    pub href: String,
}

/// The most hits a search gives.
pub const MAX_HITS: usize = 50;

/// The longest query taken, in characters; the rest is ignored.
pub const MAX_QUERY: usize = 200;

fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// The words of a query, folded; empty for a query of nothing but spaces.
pub fn words(query: &str) -> Vec<String> {
    query
        .chars()
        .take(MAX_QUERY)
        .collect::<String>()
        .split_whitespace()
        .map(fold)
        .collect()
}

/// Up to `around` characters either side of the first of `words` in `text`, on one line.
fn excerpt(text: &str, words: &[String], around: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = flat.chars().collect();
    let folded: Vec<char> = chars
        .iter()
        .map(|c| fold(&c.to_string()).chars().next().unwrap_or(*c))
        .collect();
    let hay: String = folded.iter().collect();
    let at = words
        .iter()
        .filter_map(|w| hay.find(w.as_str()))
        .min()
        .map_or(0, |byte| hay[..byte].chars().count());
    let start = at.saturating_sub(around);
    let end = (at + around * 2).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out = format!("…{out}");
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The items of `ds` that hold every word of `query`, as `reader` may see them (the public sees
/// approved figures only), the best first, at most [`MAX_HITS`].
pub fn search(ds: &Dataset, query: &str, reader: Option<&Actor>) -> Vec<Hit> {
    let words = words(query);
    if words.is_empty() {
        return Vec::new();
    }
    // (title matches, hit)
    let mut found: Vec<(bool, Hit)> = Vec::new();
    let mut consider = |kind: HitKind, title: String, body: String, href: String| {
        let t = fold(&title);
        let all = format!("{t}\n{}", fold(&body));
        if words.iter().all(|w| all.contains(w.as_str())) {
            let in_title = words.iter().all(|w| t.contains(w.as_str()));
            let text = if body.is_empty() { &title } else { &body };
            found.push((
                in_title,
                Hit {
                    kind,
                    excerpt: excerpt(text, &words, 60),
                    title,
                    href,
                },
            ));
        }
    };
    for i in &ds.framework.indicators {
        consider(
            HitKind::Indicator,
            i.statement.clone(),
            format!("{} {}", i.code, i.unit),
            format!("/indicators/{}", i.code),
        );
    }
    for o in &ds.organisations {
        consider(
            HitKind::Organisation,
            format!("{} ({})", o.name, o.short_name),
            o.code.to_string(),
            "/#members-h".to_owned(),
        );
    }
    for p in &ds.pledges {
        consider(
            HitKind::Pledge,
            p.text.clone(),
            p.forum.clone(),
            format!("/pledges#{}", p.id),
        );
    }
    for g in &ds.groups {
        consider(
            HitKind::WorkingGroup,
            g.name.clone(),
            g.description.clone(),
            format!("/groups#{}", g.code),
        );
    }
    // The newest period first: its results are the ones a reader most likely wants.
    for p in ds.periods.iter().rev() {
        let period = p.period.code.as_str();
        for f in p.figures.iter().filter(|f| access::may_see(reader, f)) {
            let Some(ind) = ds.indicator(f.indicator.as_str()) else {
                continue;
            };
            let orgs: Vec<&str> = f
                .organisations
                .iter()
                .map(|o| {
                    ds.organisation(o.as_str())
                        .map_or(o.as_str(), |x| x.short_name.as_str())
                })
                .collect();
            consider(
                HitKind::Figure,
                format!(
                    "{} {} — {}",
                    numbers::format_figure(f),
                    numbers::unit_for(&ind.unit, f),
                    ind.statement
                ),
                format!(
                    "{period} {} {}",
                    orgs.join(", "),
                    f.note.as_deref().unwrap_or("")
                ),
                format!("/figures/{period}/{}", f.id),
            );
        }
        for s in &p.sections {
            consider(
                HitKind::Narrative,
                p.period.title.clone(),
                plain_text(&s.text, p),
                format!("/highlights/{period}"),
            );
        }
    }
    // Stable: within each group, the order above.
    found.sort_by_key(|(in_title, _)| !*in_title);
    found.into_iter().take(MAX_HITS).map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_folded_and_split_into_words_and_bounded() {
        assert_eq!(words("  COVID  hotline "), ["covid", "hotline"]);
        assert!(words("   ").is_empty());
        assert_eq!(words(&"a".repeat(1000))[0].len(), MAX_QUERY);
    }

    #[test]
    fn an_excerpt_shows_the_words_around_the_first_match() {
        let text = "The network trained volunteers. Later the COVID-19 hotline opened in Tak.";
        let e = excerpt(text, &["hotline".into()], 10);
        assert!(e.contains("hotline") && e.starts_with('…'), "{e}");
    }
}
