//! The site in English and Thai: the language switch, `lang` attributes, and no English interface
//! word left on a public page read in Thai.

use crate::common::*;
use axum::http::{StatusCode, header};
use std::collections::BTreeSet;

/// The public pages, with one indicator, one figure and a search among them.
async fn public_pages(w: &World) -> Vec<String> {
    let ds = w.app.dataset().await.unwrap();
    let p = ds.periods.first().unwrap();
    let f = p
        .figures
        .iter()
        .find(|f| {
            f.status == mignet_core::model::FigureStatus::Approved && !f.disaggregation.is_empty()
        })
        .unwrap();
    vec![
        "/".into(),
        "/indicators".into(),
        format!("/indicators/{}", f.indicator),
        format!("/figures/{}/{}", p.period.code, f.id),
        format!("/sources?period={}", p.period.code),
        "/pledges".into(),
        "/groups".into(),
        "/gcm".into(),
        "/sdg".into(),
        "/search?q=migrants".into(),
        "/search?q=zzzz".into(),
        "/login".into(),
        "/downloads".into(),
        "/editions".into(),
    ]
}

/// What a page may print in English when read in Thai: the dataset's own words (the network's
/// names, statements, narrative), the names of places, and the titles of the GCM objectives and
/// SDG targets, which the site prints as those code lists write them. Lowercased, one per line.
struct Content {
    text: String,
    words: BTreeSet<String>,
}

fn content(ds: &mignet_core::Dataset) -> Content {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.replace("**", "")),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    walk(&serde_json::to_value(ds).unwrap(), &mut all);
    // Narrative as pages print it: its references to stored values resolved, in the narrative's
    // own language (`3.9 million CLM migrants`).
    let mut resolved = Vec::new();
    for p in &ds.periods {
        for s in &all {
            if s.contains('{') {
                resolved.push(mignet_core::markup::plain_text(s, p));
            }
        }
    }
    all.extend(resolved);
    let places: Vec<String> = all.iter().map(|s| ds.place_name(s).to_owned()).collect();
    all.extend(places);
    for n in 1..=23 {
        if let Some((title, short)) = mignet_core::tags::gcm_objective(n) {
            all.extend([title.to_owned(), short.to_owned()]);
        }
    }
    for i in &ds.framework.indicators {
        all.extend(
            i.sdg
                .iter()
                .filter_map(|c| mignet_core::tags::sdg_target(c).map(str::to_owned)),
        );
    }
    // The reader's own words, echoed by the search page, and the names of file formats.
    all.extend(["migrants", "zzzz", "Excel"].map(str::to_owned));
    let text = all
        .iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let words = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    Content { text, words }
}

/// Runs of English on `page` that are not content: its visible text and its `alt`, `aria-label`,
/// `title` and `placeholder` attributes are cut into runs of Latin words (at Thai text, numbers and
/// punctuation between phrases); a run of several words is content when the content holds it, a
/// single word when the content has that word. The language switch, which names English in
/// English, and the product's name are left out.
fn english_left(html: &str, content: &Content) -> BTreeSet<String> {
    let mut html = html.to_owned();
    if let Some(at) = html.find("<nav class=\"languages\"")
        && let Some(end) = html[at..].find("</nav>")
    {
        html.replace_range(at..at + end + "</nav>".len(), " ");
    }
    // Each tag ends a run: the items of a list or the cells of a table are separate pieces of text.
    let mut text = without_tags(&html, '|');
    for attr in ["alt=\"", "aria-label=\"", "title=\"", "placeholder=\""] {
        for part in html.split(attr).skip(1) {
            if let Some(end) = part.find('"') {
                text.push_str(" | ");
                text.push_str(&part[..end]);
            }
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let mut left = BTreeSet::new();
    for run in text.split(|c: char| {
        !(c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-' | '/' | '&'))
    }) {
        let run = run.trim_matches(|c: char| !c.is_ascii_alphabetic());
        // Codes and acronyms (`P1.O1.I02`, `GCM`, `IOM`) are names in every language.
        if !run.chars().any(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let run = run.to_lowercase();
        let words: Vec<&str> = run
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() > 1)
            .collect();
        if words.is_empty() || run == "mignet" {
            continue;
        }
        let known = if words.len() == 1 {
            content.words.contains(words[0])
        } else {
            content.text.contains(&words.join(" ")) || content.text.contains(&run)
        };
        if !known {
            left.insert(run);
        }
    }
    left
}

#[tokio::test]
async fn the_switch_remembers_the_choice_and_brings_the_reader_back() {
    let w = world().await;
    let r = w
        .fetch(
            &Browser::default(),
            "/language/th?next=%2Findicators%3Fx%3D1",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header(header::LOCATION), "/indicators?x=1");
    let cookie = r.header(header::SET_COOKIE).to_owned();
    assert!(cookie.starts_with("mignet_lang=th;"), "{cookie}");
    assert!(cookie.contains("Max-Age=31536000"), "{cookie}");

    // Only a path on this site: never another site.
    for next in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let r = w
            .fetch(&Browser::default(), &format!("/language/th?next={next}"))
            .await;
        assert_eq!(r.header(header::LOCATION), "/", "{next}");
    }
    let r = w.fetch(&Browser::default(), "/language/xx").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The chosen language is the page's, in its `lang` and in its words; the switch names each
    // language in itself, with its own `lang`.
    let thai = Browser {
        cookie: Some("mignet_lang=th".into()),
        ..Browser::default()
    };
    let (_, html, _) = w.get(&thai, "/indicators").await;
    assert!(html.contains("<html lang=\"th\">"), "{}", &html[..200]);
    assert!(html.contains("<h1>ตัวชี้วัด</h1>"));
    assert!(html.contains("lang=\"en\" hreflang=\"en\">English</a>"));
    assert!(html.contains("<span aria-current=\"true\" lang=\"th\">ไทย</span>"));
    let (_, html, _) = w.get(&Browser::default(), "/indicators").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h1>Indicators</h1>"));
}

#[tokio::test]
async fn a_browser_that_prefers_thai_reads_thai_until_the_reader_chooses() {
    let w = world().await;
    let req = |cookie: Option<&str>| {
        let mut r = axum::http::Request::get("/")
            .header(header::ACCEPT_LANGUAGE, "th-TH,th;q=0.9,en;q=0.5");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        r.body(axum::body::Body::empty()).unwrap()
    };
    let (_, html, _) = w.send(req(None)).await;
    assert!(html.contains("<html lang=\"th\">"));
    assert!(html.contains(">ภาพรวม</a>"));
    let (_, html, _) = w.send(req(Some("mignet_lang=en"))).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains(">Overview</a>"));
}

#[tokio::test]
async fn no_english_interface_word_is_left_on_a_public_page_read_in_thai() {
    let w = world().await;
    let ds = w.app.dataset().await.unwrap();
    let content = content(&ds);
    let thai = Browser {
        cookie: Some("mignet_lang=th".into()),
        ..Browser::default()
    };
    let mut left = Vec::new();
    for path in public_pages(&w).await {
        let (status, html, _) = w.get(&thai, &path).await;
        if std::env::var("SHOW").is_ok() {
            eprintln!("== {path}");
        }
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains("<html lang=\"th\">"), "{path}");
        let words = english_left(&html, &content);
        if !words.is_empty() {
            left.push(format!("{path}: {words:?}"));
        }
        // The check can fail: the same page in English has English words of its own.
        let (_, english, _) = w.get(&Browser::default(), &path).await;
        assert!(
            !english_left(&english, &content).is_empty(),
            "{path} in English has no interface words to find"
        );
    }
    assert!(
        left.is_empty(),
        "English left on Thai pages:\n{}",
        left.join("\n")
    );
}

#[tokio::test]
async fn an_error_page_speaks_the_readers_language_and_marks_the_english_detail() {
    let w = world().await;
    let thai = Browser {
        cookie: Some("mignet_lang=th".into()),
        ..Browser::default()
    };
    let (status, html, _) = w.get(&thai, "/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html lang=\"th\">"), "{html}");
    assert!(html.contains("<h1>ไม่พบหน้านี้</h1>"), "{html}");
    assert!(
        html.contains("<p class=\"message\" lang=\"en\">no such page</p>"),
        "{html}"
    );
    let (_, html, _) = w.get(&Browser::default(), "/no-such-page").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h1>Not found</h1>"));
    assert!(html.contains("There is nothing at this address."));
}

/// The dataset's texts in Thai: a title `translations.toml` translates is Thai on the Thai pages,
/// one it does not is printed in English and marked so; the web Highlights speaks Thai too.
#[tokio::test]
async fn the_datasets_translated_texts_are_thai_and_the_rest_is_marked_english() {
    let w = world().await;
    let thai = Browser {
        cookie: Some("mignet_lang=th".into()),
        ..Browser::default()
    };
    let (_, html, _) = w.get(&thai, "/").await;
    assert!(html.contains("คุ้มครองผู้ย้ายถิ่นที่อยู่ในสถานการณ์เปราะบาง"));
    assert!(html.contains("<span lang=\"en\">The rights of migrants in detention settings"));
    let (_, english, _) = w.get(&Browser::default(), "/").await;
    assert!(
        english.contains("Ensuring the protection of migrants in situations of vulnerability.")
    );
    assert!(!english.contains("<span lang=\"en\">"));

    let (status, html, _) = w.get(&thai, "/highlights/2022").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ประเด็นสำคัญที่ 1"));
    assert!(html.contains("สรุปผลการดำเนินงาน 2022"));
}

/// The coordinator translates a text on the translations page; the public page shows it at once,
/// the change is in the audit trail, and a narrative translation that drops a number is refused
/// with the reason, keeping what was typed.
#[tokio::test]
async fn the_coordinator_translates_a_text_and_the_public_page_shows_it() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let (status, html, _) = w.get(&coord, "/admin/translations?lang=th").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(" texts translated."));
    let ds = w.app.dataset().await.unwrap();
    let indicator = &ds.framework.indicators[0];
    let (status, _, location) = w
        .post(
            &coord,
            "/admin/translations",
            &[
                ("lang", "th"),
                ("page", "1"),
                ("n", "3"),
                ("source", &indicator.statement),
                ("text", "จำนวนผู้ย้ายถิ่นที่ได้รับข้อมูลเรื่องโควิด-19"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/admin/translations?lang=th&page=1#text-3")
    );
    let thai = Browser {
        cookie: Some("mignet_lang=th".into()),
        ..Browser::default()
    };
    let (_, html, _) = w.get(&thai, "/indicators").await;
    assert!(html.contains("จำนวนผู้ย้ายถิ่นที่ได้รับข้อมูลเรื่องโควิด-19"));
    let trail = w
        .app
        .audit(&mignet_app::AuditFilter {
            entity: Some("translation".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let by_coordinator: Vec<_> = trail.iter().filter(|a| a.actor == "coord@x.org").collect();
    assert_eq!(by_coordinator.len(), 1);
    assert_eq!(by_coordinator[0].action, "create");

    // A result line quotes a figure: its translation must too.
    let line = &ds.periods[0].lines[0].text;
    let (status, html, _) = w
        .post(
            &coord,
            "/admin/translations",
            &[
                ("lang", "th"),
                ("source", line),
                ("text", "เข้าถึงผู้ย้ายถิ่นจำนวนมาก"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("quotes the same numbers"), "{html}");
    assert!(html.contains("เข้าถึงผู้ย้ายถิ่นจำนวนมาก</textarea>"));

    // Only the coordinator translates.
    let iom = w.browser("iom@x.org").await;
    let (status, _, _) = w.get(&iom, "/admin/translations").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
