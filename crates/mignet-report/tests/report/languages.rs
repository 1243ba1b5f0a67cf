//! The brief in Thai: its own words from `locales/th`, the dataset's texts from the example's
//! `translations.toml`, English where a text is not translated (marked `lang="en"` in HTML), and
//! every number the English brief prints.

use mignet_report::{Format, render, render_in};

fn example() -> mignet_core::Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example()).expect("the example reads")
}

/// The HTML without what is marked as English: each element with `lang="en"` (a `span` of
/// narrative, a chart's `text`), with what it holds.
fn without_english(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(attr) = rest.find(" lang=\"en\"") {
        let open = rest[..attr]
            .rfind('<')
            .expect("an attribute is inside a tag");
        let name: String = rest[open + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        // The element's end, counting nested elements of the same name.
        let (start, end) = (format!("<{name}"), format!("</{name}>"));
        let mut depth = 0;
        let mut i = 0;
        while i < rest.len() {
            if rest[i..].starts_with(&start) {
                depth += 1;
            } else if rest[i..].starts_with(&end) {
                depth -= 1;
                if depth == 0 {
                    i += end.len();
                    break;
                }
            }
            i += rest[i..].chars().next().map_or(1, char::len_utf8);
        }
        rest = &rest[i..];
    }
    out.push_str(rest);
    out
}

/// The text of the HTML's elements, tags dropped.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `words` stand in `text` as words: not inside a longer word (`over` in `government`).
fn has_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

#[test]
fn the_thai_brief_has_thai_headings_and_the_translated_titles() {
    let html = render_in(&example(), "2022", Format::Html, "th").unwrap();
    assert!(html.contains("<html lang=\"th\">"));
    assert!(html.contains("<article class=\"brief\" lang=\"th\""));
    for want in [
        "ผลการดำเนินงานของภาคีเครือข่ายในปี 2022",
        "ประเด็นสำคัญที่ 1",
        "คณะทำงานย่อย",
        "หมายเหตุ",
        // From translations.toml: the network, the period and a priority.
        "เครือข่ายสหประชาชาติว่าด้วยการย้ายถิ่นฐานในประเทศไทย",
        "สรุปผลการดำเนินงาน 2022",
        "คุ้มครองผู้ย้ายถิ่นที่อยู่ในสถานการณ์เปราะบาง",
        // A translated line keeps its number, resolved from the figure.
        "เข้าถึงผู้ย้ายถิ่น <span class=\"num\"",
        // The computed figure's explanation and its correction, in Thai.
        "ร้อยละ 147.6 คือการเปลี่ยนแปลงจาก 231 เป็น 572",
        "[เดิมเผยแพร่เป็น 134]",
    ] {
        assert!(html.contains(want), "missing {want:?}");
    }
    // The outcome on detention has no translation in the example: it prints in English, marked.
    assert!(html.contains("<span lang=\"en\">The rights of migrants in detention settings"));
}

#[test]
fn the_thai_brief_prints_every_number_of_the_english_one() {
    let ds = example();
    let numbers = |html: &str| -> Vec<String> {
        html.split("class=\"num\"")
            .skip(1)
            .map(|rest| {
                let start = rest.find('>').unwrap() + 1;
                let end = rest[start..].find('<').unwrap();
                // The digits: the words around them are the language's (`ร้อยละ 3.2`).
                rest[start..start + end]
                    .chars()
                    .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
                    .collect::<String>()
            })
            .collect()
    };
    let en = numbers(&render(&ds, "2022", Format::Html).unwrap());
    let th = numbers(&render_in(&ds, "2022", Format::Html, "th").unwrap());
    assert!(en.len() > 40, "{} numbers", en.len());
    let mut en_sorted = en.clone();
    let mut th_sorted = th.clone();
    en_sorted.sort();
    th_sorted.sort();
    assert_eq!(en_sorted, th_sorted);
}

/// Every word the brief makes itself has its Thai: no English message of `locales/en` appears on
/// the Thai brief outside what is marked as English (the dataset's untranslated texts).
#[test]
fn no_english_word_of_the_brief_is_left_on_the_thai_brief() {
    let html = render_in(&example(), "2022", Format::Html, "th").unwrap();
    let body = &html[html.find("<body>").expect("a body")..];
    let thai = text_of(&without_english(body));
    let english: Vec<&str> = [
        include_str!("../../locales/en/brief.ftl"),
        include_str!("../../locales/en/values.ftl"),
    ]
    .into_iter()
    .flat_map(str::lines)
    .filter_map(|l| l.split_once(" = ").map(|(_, v)| v.trim()))
    // Whole words of a message, before any argument: `Ways Forward`, `Reported by`, `Notes`.
    .filter_map(|v| v.split('{').next().map(str::trim))
    .filter(|v| v.len() >= 4 && v.chars().any(char::is_alphabetic))
    .collect();
    assert!(english.len() > 20, "{english:?}");
    for word in english {
        assert!(
            !has_words(&thai, word),
            "English {word:?} on the Thai brief"
        );
    }
}

#[test]
fn a_language_the_brief_does_not_speak_gets_english() {
    let ds = example();
    let en = render(&ds, "2022", Format::Markdown).unwrap();
    assert_eq!(render_in(&ds, "2022", Format::Markdown, "xx").unwrap(), en);
    assert!(en.contains("## Achievements of Network partners in 2022"));
}
