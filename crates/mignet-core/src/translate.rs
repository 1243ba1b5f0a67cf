//! The dataset's own texts in other languages: the network's name, titles, statements, narrative.
//!
//! A translation is keyed by the text it translates, as stored (English), the way message catalogues
//! such as gettext key theirs: sections and lines have no ids of their own, and a text that changes
//! loses its translation until a translator looks at it again, instead of showing a translation of
//! words that are no longer there. Whoever prints a text asks [`Translations::get`] and prints the
//! English, marked as English, when there is none.
//!
//! Narrative is markup (`{FIGURE-ID}`, `**bold**`, links, footnotes): a translation must quote the
//! same numbers, pledges and footnotes as its source, so that no language prints a number another
//! lacks ([`check`]).

use crate::markup::{self, Token};
use crate::model::{Dataset, SectionKind};
use crate::rules::{Broken, broken};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The translations of a dataset: per language (`th`), per source text, the translated text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Translations(BTreeMap<String, BTreeMap<String, String>>);

impl Translations {
    /// `source` in `lang`, when translated.
    pub fn get(&self, lang: &str, source: &str) -> Option<&str> {
        self.0.get(lang)?.get(source).map(String::as_str)
    }

    /// Sets the translation of `source` into `lang`; an empty `text` removes it.
    pub fn set(&mut self, lang: &str, source: &str, text: &str) {
        if text.trim().is_empty() {
            if let Some(texts) = self.0.get_mut(lang) {
                texts.remove(source);
                if texts.is_empty() {
                    self.0.remove(lang);
                }
            }
        } else {
            self.0
                .entry(lang.to_owned())
                .or_default()
                .insert(source.to_owned(), text.to_owned());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many translations there are, in every language.
    pub fn len(&self) -> usize {
        self.0.values().map(BTreeMap::len).sum()
    }

    /// Every translation: language, source, text.
    pub fn iter(&self) -> impl Iterator<Item = Translation<'_>> {
        self.0.iter().flat_map(|(lang, texts)| {
            texts
                .iter()
                .map(move |(source, text)| Translation { lang, source, text })
        })
    }
}

/// One translation, borrowed from [`Translations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Translation<'a> {
    pub lang: &'a str,
    pub source: &'a str,
    pub text: &'a str,
}

/// A text of the dataset a translator may translate: where it is, in words
/// (`Priority P1: title`), the text, and whether it is narrative markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Translatable {
    pub place: String,
    pub source: String,
    pub markup: bool,
}

/// Every text of the dataset that a reader sees and a translator may translate, in the order a
/// reader meets them, each once (a text used twice is translated once).
pub fn translatable(ds: &Dataset) -> Vec<Translatable> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |place: String, source: &str, markup: bool| {
        if !source.trim().is_empty() && seen.insert(source.to_owned()) {
            out.push(Translatable {
                place,
                source: source.to_owned(),
                markup,
            });
        }
    };
    let n = &ds.network;
    add("Network: name".into(), &n.name, false);
    add("Network: short name".into(), &n.short_name, false);
    if let Some(t) = &n.tagline {
        add("Network: tagline".into(), t, false);
    }
    for p in &ds.framework.priorities {
        add(format!("Priority {}: title", p.code), &p.title, false);
    }
    for o in &ds.framework.outcomes {
        add(
            format!("Outcome {}: statement", o.code),
            &o.statement,
            false,
        );
    }
    for i in &ds.framework.indicators {
        add(
            format!("Indicator {}: statement", i.code),
            &i.statement,
            false,
        );
    }
    for g in &ds.groups {
        add(format!("Working group {}: name", g.code), &g.name, false);
        add(
            format!("Working group {}: description", g.code),
            &g.description,
            true,
        );
    }
    for p in &ds.periods {
        let code = &p.period.code;
        add(format!("Period {code}: title"), &p.period.title, false);
        if let Some(t) = &p.period.introduction {
            add(format!("Period {code}: introduction"), t, true);
        }
        for s in &p.sections {
            let kind = match s.kind {
                SectionKind::Context => "context",
                SectionKind::Lead => "lead",
                SectionKind::WaysForward => "ways forward",
                SectionKind::Closing => "closing",
            };
            let of = match (&s.priority, &s.outcome) {
                (_, Some(o)) => format!(", outcome {o}"),
                (Some(pr), None) => format!(", priority {pr}"),
                (None, None) => String::new(),
            };
            add(format!("Period {code}{of}: {kind}"), &s.text, true);
        }
        for l in &p.lines {
            add(
                format!("Period {code}, outcome {}: result", l.outcome),
                &l.text,
                true,
            );
        }
    }
    out
}

/// What a text quotes: its numbers, pledges and footnotes, each as often as it quotes them.
fn quoted(text: &str) -> Option<BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    for t in markup::parse(text).ok()? {
        let key = match t {
            Token::Number(id) => format!("{{{id}}}"),
            Token::Pledge(id) => format!("{{pledge:{id}}}"),
            Token::Footnote(id) => format!("{{note:{id}}}"),
            _ => continue,
        };
        *out.entry(key).or_default() += 1;
    }
    Some(out)
}

/// Checks a translation of `source` into `lang` before it is stored: a language code of two or
/// three letters other than English, and, for narrative, markup that parses and quotes exactly what
/// the source quotes.
pub fn check(lang: &str, source: &str, text: &str, is_markup: bool) -> Result<(), Broken> {
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
    if !lang_ok {
        return Err(broken(
            "lang",
            "translation-language",
            format!(
                "`{lang}` is not a language code: write two or three lower-case letters, such as `th` or `my`"
            ),
        ));
    }
    if lang == "en" {
        return Err(broken(
            "lang",
            "translation-language",
            "the dataset's texts are English already: translate them into another language",
        ));
    }
    if !is_markup {
        return Ok(());
    }
    if let Err(e) = markup::parse(text) {
        return Err(broken("text", "translation-markup", e.to_string()));
    }
    let (Some(want), Some(got)) = (quoted(source), quoted(text)) else {
        return Ok(());
    };
    if want != got {
        let list = |m: &BTreeMap<String, usize>| {
            if m.is_empty() {
                "nothing".to_owned()
            } else {
                m.keys().cloned().collect::<Vec<_>>().join(", ")
            }
        };
        return Err(broken(
            "text",
            "translation-references",
            format!(
                "a translation quotes the same numbers, pledges and footnotes as the English: the English quotes {}, this text quotes {}",
                list(&want),
                list(&got)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_found_by_its_language_and_its_source_and_removed_when_emptied() {
        let mut t = Translations::default();
        t.set("th", "Protection", "การคุ้มครอง");
        assert_eq!(t.get("th", "Protection"), Some("การคุ้มครอง"));
        assert_eq!(t.get("my", "Protection"), None);
        assert_eq!(t.get("th", "Protection."), None);
        assert_eq!(t.len(), 1);
        t.set("th", "Protection", "  ");
        assert!(t.is_empty());
    }

    #[test]
    fn narrative_must_quote_what_its_source_quotes() {
        let en = "**{F-1}** migrants reached, with {F-2.children} children[^n1]";
        let good = "เข้าถึงแรงงานข้ามชาติ **{F-1}** คน รวมเด็ก {F-2.children} คน[^n1]";
        assert_eq!(check("th", en, good, true), Ok(()));
        let lost = "เข้าถึงแรงงานข้ามชาติ **{F-1}** คน[^n1]";
        let e = check("th", en, lost, true).unwrap_err();
        assert_eq!(e.field, "text");
        assert!(e.message.contains("{F-2.children}"), "{}", e.message);
        // A title is no markup: braces in it are words.
        assert_eq!(check("th", "Title", "ชื่อ {", false), Ok(()));
    }

    #[test]
    fn a_translation_names_a_language_other_than_english() {
        assert_eq!(check("en", "A", "B", false).unwrap_err().field, "lang");
        assert_eq!(check("Thai", "A", "B", false).unwrap_err().field, "lang");
        assert!(check("th", "A", "B", false).is_ok());
    }
}
