//! Values in words, in a language: the words around numbers (a qualifier such as "over", "per cent",
//! a milestone's status, progress against a target, how a derived figure is computed) for the brief
//! and the site alike, from the Fluent messages of `locales/{language}/values.ftl`; and the brief's
//! fixed wording (`brief.ftl`). The numbers themselves come from [`mignet_core::numbers`]: this module
//! only chooses the words around them.
//!
//! English is the language every other falls back to. A language is a folder under `locales/`,
//! found when the crate is built (docs/translations.md).

use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use mignet_core::model::*;
use mignet_core::numbers;
use mignet_core::vocab::Vocabulary;
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they would end up inside numbers, links and
        // the PDF's text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// English: the language of the dataset's own words and the fallback of every other.
pub const ENGLISH: &str = "en";

/// Whether these messages exist in `lang` (`th`, or `th-TH` narrowed to `th`): the language named
/// as the crate knows it, else `None`.
pub fn known(lang: &str) -> Option<String> {
    let wanted: LanguageIdentifier = lang.trim().parse().ok()?;
    LOCALES
        .locales()
        .find(|l| l.language == wanted.language)
        .map(ToString::to_string)
}

/// A message in `lang`, and whether it had to fall back to English; the id itself when no language
/// has it.
pub fn lookup(lang: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> (String, bool) {
    lookup_in(&LOCALES, lang, id, args).unwrap_or_else(|| (id.to_owned(), lang != ENGLISH))
}

/// A message of `loader`'s files in `lang`, else in its fallback (English), with whether it fell
/// back; `None` when no language has it. The site's messages are looked up with it too.
pub fn lookup_in(
    loader: &fluent_templates::StaticLoader,
    lang: &str,
    id: &str,
    args: &[(&str, FluentValue<'_>)],
) -> Option<(String, bool)> {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(k, v)| (Cow::Owned((*k).to_owned()), v.clone()))
        .collect();
    let args = (!args.is_empty()).then_some(&args);
    let lang_id: LanguageIdentifier = lang.parse().unwrap_or_default();
    match loader.lookup_single_language(&lang_id, id, args) {
        Ok(text) => Some((text, false)),
        Err(_) => loader
            .lookup_single_language(loader.fallback(), id, args)
            .ok()
            .map(|english| (english, lang != ENGLISH)),
    }
}

/// Whether any language has the message `id`.
pub fn has(id: &str) -> bool {
    LOCALES
        .lookup_single_language::<&str>(LOCALES.fallback(), id, None)
        .is_ok()
}

/// A message in `lang`.
pub fn text(lang: &str, id: &str) -> String {
    lookup(lang, id, &[]).0
}

/// [`text`] with arguments.
pub fn text_with(lang: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    lookup(lang, id, args).0
}

/// A month's name in `lang` (1 is January), `None` outside 1 to 12.
pub fn month_name(lang: &str, m: u32) -> Option<String> {
    if lang == ENGLISH {
        return numbers::month_name(m).map(str::to_owned);
    }
    (1..=12)
        .contains(&m)
        .then(|| text(lang, &format!("month-{m}")))
}

/// `2023-02-15` -> `15 February 2023` in English, `15 กุมภาพันธ์ 2023` in Thai; `2021-07` -> `July
/// 2021`; anything else as it is.
pub fn date_in_words(lang: &str, date: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    let month = |m: &str| m.parse::<u32>().ok().and_then(|m| month_name(lang, m));
    match parts.as_slice() {
        [y, m, d] => match (month(m), d.parse::<u32>()) {
            (Some(mn), Ok(d)) => format!("{d} {mn} {y}"),
            _ => date.to_owned(),
        },
        [y, m] if m.len() == 2 => {
            month(m).map_or_else(|| date.to_owned(), |mn| format!("{mn} {y}"))
        }
        _ => date.to_owned(),
    }
}

/// An indicator's actual in the reader's language (`4,200`, `not reported`, `achieved`): the words
/// of `mignet_core::progress::Actual::text`, through the messages of `locales/`.
pub fn actual_words(
    lang: &str,
    kind: IndicatorKind,
    actual: &mignet_core::progress::Actual,
) -> String {
    use mignet_core::progress::Actual;
    let achieved = |yes: bool| text(lang, if yes { "achieved" } else { "not-achieved" });
    match *actual {
        Actual::NotReported => text(lang, "not-reported"),
        Actual::Number { value } => match kind {
            IndicatorKind::Percentage => text_with(
                lang,
                "per-cent",
                &[("value", numbers::group_auto(value, 1).into())],
            ),
            IndicatorKind::Milestone => achieved(value >= 1.0),
            IndicatorKind::Count => numbers::group_auto(value, 2),
        },
        Actual::Milestone { achieved: yes } => achieved(yes),
        Actual::Withheld { below: Some(n) } => text_with(
            lang,
            "fewer-than",
            &[("n", numbers::group(n as f64, 0).into())],
        ),
        Actual::Withheld { below: None } => text(lang, "withheld"),
        Actual::NotCombined { figures } => {
            text_with(lang, "not-combined", &[("count", (figures as i64).into())])
        }
    }
}

/// One target's progress in words in the reader's language (`4,200 of 5,000 (84.0 per cent)`),
/// from the numbers `mignet_core::progress` computes.
pub fn progress_words(
    lang: &str,
    kind: IndicatorKind,
    p: &mignet_core::progress::Progress,
) -> String {
    use mignet_core::progress::Actual;
    let target = if p.milestone {
        text(lang, "achieved")
    } else {
        actual_words(lang, kind, &Actual::Number { value: p.target })
    };
    let by = if p.cumulative {
        text_with(
            lang,
            "progress-by",
            &[("period", p.target_period.as_str().into())],
        )
    } else {
        String::new()
    };
    let actual = actual_words(lang, kind, &p.actual);
    let percent = p
        .percent()
        .map(|v| numbers::group(v, mignet_core::progress::PERCENT_DECIMALS));
    let id = match (&p.actual, &percent) {
        (Actual::NotReported, _) => "progress-not-reported",
        (Actual::Milestone { .. }, _) if p.milestone => "progress-milestone",
        (_, Some(_)) => "progress-percent",
        (_, None) => "progress-of",
    };
    text_with(
        lang,
        id,
        &[
            ("actual", actual.into()),
            ("target", target.into()),
            ("by", by.into()),
            ("percent", percent.unwrap_or_default().into()),
        ],
    )
}

/// A figure's value as the source stated it (`numbers::format_figure`), in the reader's language:
/// the words around the number (a qualifier such as "over", a milestone's status, "per cent") come
/// from the messages of `locales/`, and a number the source wrote as a word is written in digits. Amounts
/// of money keep their currency code.
pub fn figure_value(lang: &str, f: &Figure) -> String {
    if lang == ENGLISH {
        return numbers::format_figure(f);
    }
    let s = &f.stated;
    let number = match f.value {
        FigureValue::Milestone { achieved } => {
            let status = match s.milestone {
                Some(m) => m.name(),
                None if achieved => "achieved",
                None => "not_achieved",
            };
            let status = text(lang, &format!("milestone-{status}"));
            return match &s.date {
                Some(d) => format!("{status} ({d})"),
                None => status,
            };
        }
        FigureValue::Withheld { below } => {
            return text_with(
                lang,
                "fewer-than",
                &[("n", numbers::group(below as f64, 0).into())],
            );
        }
        FigureValue::Percentage { value } => {
            let shown = match s.high {
                Some(h) => format!(
                    "{}–{}",
                    numbers::group_auto(value, 1),
                    numbers::group_auto(h, 1)
                ),
                None => numbers::group_auto(value, 1),
            };
            text_with(lang, "per-cent", &[("value", shown.into())])
        }
        FigureValue::Count { .. } => {
            let mut plain = f.clone();
            plain.stated.qualifier = None;
            plain.stated.in_words = false;
            numbers::format_figure(&plain)
        }
    };
    match s.qualifier {
        Some(q) => text_with(
            lang,
            &format!("qualifier-{}", q.name()),
            &[("number", number.into())],
        ),
        None => number,
    }
}

/// How a derived figure is computed, in the reader's language (`147.6 per cent is the change from
/// 231 to 572: (572 − 231) ÷ 231.`), from the numbers `mignet_core::numbers::derived_parts` gives.
pub fn derived_words(lang: &str, p: &PeriodData, d: &Derived) -> Option<String> {
    let parts = numbers::derived_parts(p, d)?;
    let id = match d.kind {
        DerivedKind::PercentChange => "derived-percent-change",
        DerivedKind::Difference => "derived-difference",
        DerivedKind::Share | DerivedKind::Coverage => "derived-share",
    };
    Some(text_with(
        lang,
        id,
        &[
            ("shown", parts.shown.into()),
            ("a", parts.a.into()),
            ("b", parts.b.into()),
        ],
    ))
}

/// A published number against the value computed for it, in the reader's language.
pub fn claim_words(lang: &str, published: f64, computed: f64) -> String {
    let id = if numbers::agrees(published, computed) {
        "claim-agrees"
    } else {
        "claim-disagrees"
    };
    text_with(
        lang,
        id,
        &[("published", numbers::group_auto(published, 6).into())],
    )
}

/// A part of a figure withheld from the public (`fewer than 5`, or `withheld`), in `lang`.
pub fn withheld_value(lang: &str, below: Option<u64>) -> String {
    match below {
        Some(n) => text_with(
            lang,
            "fewer-than",
            &[("n", numbers::group(n as f64, 0).into())],
        ),
        None => text(lang, "withheld"),
    }
}

/// A context statistic's value as `numbers::format_statistic` prints it, in the reader's language.
pub fn statistic_value(lang: &str, s: &Statistic) -> String {
    if lang == ENGLISH {
        return numbers::format_statistic(s);
    }
    let number = match s.display {
        Display::Plain => numbers::group_auto(s.value, 2),
        Display::Millions => text_with(
            lang,
            "millions",
            &[("value", numbers::group_auto(s.value / 1e6, 1).into())],
        ),
        Display::Percent => text_with(
            lang,
            "per-cent",
            &[("value", numbers::group_auto(s.value, 1).into())],
        ),
    };
    // A statistic's qualifier is the source's own word: one the figures know (`about`, `over`)
    // has its words in every language, any other stays as written.
    match s
        .qualifier
        .as_deref()
        .map(|q| (q, mignet_core::stated::Qualifier::parse(q)))
    {
        Some((_, Some(q))) => text_with(
            lang,
            &format!("qualifier-{}", q.name()),
            &[("number", number.into())],
        ),
        Some((q, None)) => format!("{q} {number}"),
        None => number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(ftl: &str) -> BTreeSet<&str> {
        ftl.lines()
            .filter_map(|l| l.split_once(" ="))
            .map(|(id, _)| id)
            .filter(|id| id.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .collect()
    }

    #[test]
    fn thai_has_every_english_message_and_no_other() {
        for (en, th) in [
            (
                include_str!("../locales/en/brief.ftl"),
                include_str!("../locales/th/brief.ftl"),
            ),
            (
                include_str!("../locales/en/values.ftl"),
                include_str!("../locales/th/values.ftl"),
            ),
        ] {
            let (en, th) = (ids(en), ids(th));
            assert!(en.len() > 20);
            assert_eq!(en.difference(&th).collect::<Vec<_>>(), Vec::<&&str>::new());
            assert_eq!(th.difference(&en).collect::<Vec<_>>(), Vec::<&&str>::new());
        }
    }

    #[test]
    fn plurals_follow_the_count_and_a_missing_language_is_english() {
        let n = |id: &str, c: i64| text_with("en", id, &[("count", c.into())]);
        assert_eq!(n("glance-organisations", 1), "organisation reporting");
        assert_eq!(n("glance-organisations", 2), "organisations reporting");
        assert_eq!(text("xx", "notes"), "Notes");
        assert_eq!(lookup("th", "notes", &[]), ("หมายเหตุ".to_owned(), false));
        assert_eq!(known("th-TH").as_deref(), Some("th"));
        assert_eq!(known("fr"), None);
    }

    #[test]
    fn dates_in_words_in_english_and_thai() {
        assert_eq!(date_in_words("en", "2021-07"), "July 2021");
        assert_eq!(date_in_words("th", "2023-02-15"), "15 กุมภาพันธ์ 2023");
        assert_eq!(date_in_words("en", "2022"), "2022");
        assert_eq!(date_in_words("en", "2022-13"), "2022-13");
    }
}
