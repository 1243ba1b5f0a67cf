//! The site's languages: its words in Fluent files (`locales/{language}/site.ftl`), the reader's
//! choice of language, and the `t` function templates print them with.
//!
//! A language is a folder of `.ftl` files: the loader finds every folder under `locales/` when the
//! binary is built, so adding Burmese or Khmer is adding `locales/my/site.ftl` or `locales/km/site.ftl`
//! (docs/translations.md). English is the language every other falls back to; a message a language
//! lacks is printed in English inside `<span lang="en">`, so that screen readers pronounce it as
//! English and a translator sees what is missing.

use axum::http::HeaderMap;
use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: the pages are HTML, whose `dir` and `lang`
        // attributes do that work, and the marks would end up inside numbers and links.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers a reader's choice of language.
pub const LANG_COOKIE: &str = "mignet_lang";

/// English: the language of the dataset's own words and the fallback of every other.
pub const ENGLISH: &str = "en";

/// The languages the site speaks, English first, each with its own name for itself; found once.
pub fn languages() -> &'static [(String, String)] {
    static LANGUAGES: std::sync::LazyLock<Vec<(String, String)>> =
        std::sync::LazyLock::new(find_languages);
    &LANGUAGES
}

/// The language switch as a page prints it: each language, its name, and whether it is `lang`.
pub fn switch(lang: &str) -> serde_json::Value {
    languages()
        .iter()
        .map(
            |(code, name)| serde_json::json!({"code": code, "name": name, "current": code == lang}),
        )
        .collect()
}

fn find_languages() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = LOCALES
        .locales()
        .map(|l| {
            let code = l.to_string();
            let name = LOCALES
                .lookup_single_language::<&str>(l, "language-name", None)
                .unwrap_or_else(|_| code.clone());
            (code, name)
        })
        .collect();
    out.sort_by_key(|(code, _)| (code != ENGLISH, code.clone()));
    out
}

/// `code` when the site speaks it (`th`, or `th-TH` narrowed to `th`), else `None`.
pub fn known(code: &str) -> Option<String> {
    let wanted: LanguageIdentifier = code.trim().parse().ok()?;
    LOCALES
        .locales()
        .find(|l| l.language == wanted.language)
        .map(ToString::to_string)
}

/// The reader's language: the one they chose (the cookie), else the first of their browser's
/// languages that the site speaks, else English.
pub fn of_request(headers: &HeaderMap) -> String {
    if let Some(chosen) = crate::auth::cookie(headers, LANG_COOKIE).and_then(known) {
        return chosen;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|accept| {
            // `th-TH,th;q=0.9,en;q=0.8`: in the order given, which browsers send by preference.
            accept
                .split(',')
                .filter_map(|part| part.split(';').next())
                .find_map(known)
        })
        .unwrap_or_else(|| ENGLISH.to_owned())
}

tokio::task_local! {
    /// The language of the request being answered, for what is written without the request at
    /// hand: an error's page is made from the error alone.
    static REQUEST_LANG: String;
}

/// The layer that notes each request's language for [`current`], and says in each page's `Vary`
/// header what its language depends on.
pub async fn remember(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let lang = of_request(req.headers());
    let mut res = REQUEST_LANG.scope(lang, next.run(req)).await;
    // A page's words depend on the reader's choice and browser: a shared cache must keep one copy
    // per language, never serve one reader's Thai page to another's English request.
    let html = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        res.headers_mut().append(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("Cookie, Accept-Language"),
        );
    }
    res
}

/// The language of the request being answered; English outside a request.
pub fn current() -> String {
    REQUEST_LANG
        .try_with(Clone::clone)
        .unwrap_or_else(|_| ENGLISH.to_owned())
}

/// A message in `lang`, and whether it had to fall back to English: the site's own, else the
/// report's (the words around values live with the brief, once).
pub fn lookup(lang: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> (String, bool) {
    mignet_report::words::lookup_in(&LOCALES, lang, id, args)
        .unwrap_or_else(|| mignet_report::words::lookup(lang, id, args))
}

/// A message in `lang` as plain text, for words made outside templates (titles, chart labels).
pub fn text(lang: &str, id: &str) -> String {
    lookup(lang, id, &[]).0
}

/// [`text`] with arguments.
pub fn text_with(lang: &str, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    lookup(lang, id, args).0
}

/// The `t` function of templates: `{{ t("read-highlights", period=period.code) }}` prints the
/// message in the page's language (the template's `lang`), escaped; a message that fell back to
/// English comes marked as English.
pub fn template_function(
    state: &minijinja::State,
    id: &str,
    kwargs: minijinja::value::Kwargs,
) -> Result<minijinja::Value, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| ENGLISH.to_owned());
    let mut args: Vec<(&str, FluentValue<'_>)> = Vec::new();
    let keys: Vec<&str> = kwargs.args().collect();
    for k in &keys {
        let v: minijinja::Value = kwargs.get(k)?;
        let value = match v.as_i64() {
            Some(n) if v.kind() == minijinja::value::ValueKind::Number => FluentValue::from(n),
            _ => FluentValue::from(v.to_string()),
        };
        args.push((k, value));
    }
    kwargs.assert_all_used()?;
    let (text, fell_back) = lookup(&lang, id, &args);
    let escaped = minijinja::HtmlEscape(&text).to_string();
    Ok(minijinja::Value::from_safe_string(if fell_back {
        format!("<span lang=\"en\">{escaped}</span>")
    } else {
        escaped
    }))
}

/// The `own` filter of templates: a text of the dataset (a title, a statement, a name) in the
/// page's language. Its translation when the page carries the dataset's translations
/// ([`crate::views::Page::translating`]), else the text as stored inside `<span lang="en">` on a page
/// in another language, so that readers and screen readers know it is English. Escaped.
pub fn own_filter(state: &minijinja::State, text: &str) -> minijinja::Value {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| ENGLISH.to_owned());
    if lang == ENGLISH || text.is_empty() {
        return minijinja::Value::from_safe_string(crate::html_escape(text));
    }
    let translated = state
        .lookup("translations")
        .and_then(|t| t.get_attr(text).ok())
        .and_then(|v| v.as_str().map(str::to_owned));
    minijinja::Value::from_safe_string(match translated {
        Some(t) => crate::html_escape(&t),
        None => format!("<span lang=\"en\">{}</span>", crate::html_escape(text)),
    })
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
    fn every_language_has_every_english_message_and_no_other() {
        let english = ids(include_str!("../locales/en/site.ftl"));
        let thai = ids(include_str!("../locales/th/site.ftl"));
        assert_eq!(
            english.difference(&thai).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "messages missing in Thai"
        );
        assert_eq!(
            thai.difference(&english).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "Thai messages English does not have"
        );
    }

    #[test]
    fn the_site_speaks_english_and_thai_and_names_each_in_itself() {
        assert_eq!(
            languages(),
            [("en".into(), "English".into()), ("th".into(), "ไทย".into())]
        );
    }

    #[test]
    fn a_choice_beats_the_browser_and_an_unknown_language_is_english() {
        let mut h = HeaderMap::new();
        h.insert(
            "accept-language",
            "fr-FR,th;q=0.9,en;q=0.8".parse().unwrap(),
        );
        assert_eq!(of_request(&h), "th");
        h.insert("cookie", "mignet_lang=en".parse().unwrap());
        assert_eq!(of_request(&h), "en");
        h.insert("cookie", "mignet_lang=xx".parse().unwrap());
        assert_eq!(of_request(&h), "th", "an unknown choice is ignored");
        assert_eq!(of_request(&HeaderMap::new()), "en");
        assert_eq!(known("th-TH").as_deref(), Some("th"));
    }

    #[test]
    fn arguments_and_plurals_are_filled_in() {
        assert_eq!(
            text_with("en", "search-count", &[("count", 1.into())]),
            "1 item matches"
        );
        assert_eq!(
            text_with("en", "search-count", &[("count", 3.into())]),
            "3 items match"
        );
        assert_eq!(
            text_with("th", "read-highlights", &[("period", "2022".into())]),
            "อ่านรายงานสรุปผล 2022"
        );
    }

    #[test]
    fn a_message_a_language_lacks_is_english_and_says_so() {
        let (text, fell_back) = lookup("th", "no-such-message-anywhere", &[]);
        assert!(fell_back);
        assert_eq!(text, "no-such-message-anywhere");
        let (_, fell_back) = lookup("en", "nav-overview", &[]);
        assert!(!fell_back);
    }
}
