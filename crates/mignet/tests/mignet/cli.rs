//! The `mignet` binary driven as a user drives it, on temporary folders and stores.

use crate::common::*;
use std::path::PathBuf;

/// A copy of the example dataset with one edit, inside the sandbox.
fn edited_example(s: &Sandbox, file: &str, from: &str, to: &str) -> PathBuf {
    let target = s.path("edited");
    copy_dir(&example(), &target);
    let path = target.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} must contain {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    target
}

/// The bullets of the Markdown brief: (text, organisations).
fn md_bullets(md: &str) -> Vec<(String, Vec<String>)> {
    md.lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|l| l.rsplit_once(" — *"))
        .map(|(text, orgs)| {
            (
                text.to_owned(),
                orgs.trim_end_matches('*')
                    .split(" | ")
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn every_figure_of_the_seed_appears_in_the_highlights_next_to_the_same_organisations_in_order() {
    let s = Sandbox::loaded();
    let md = s.ok(&["report", "--period", "2022", "--format", "md"]);
    let bullets = md_bullets(&md);
    let figures = seed_figures();
    assert_eq!(figures.len(), 31, "the fixture lists the seed's 31 figures");
    let mut last = 0;
    for (number, orgs, phrase) in &figures {
        let found = bullets
            .iter()
            .enumerate()
            .skip(last)
            .find(|(_, (text, o))| {
                o == orgs
                    && if number.is_empty() {
                        text.contains(phrase.as_str())
                    } else {
                        contains_number(text, number)
                    }
            });
        let Some((i, _)) = found else {
            panic!(
                "`{number}` ({phrase}) by {} is not in the brief after bullet {last}:\n{md}",
                orgs.join(" | ")
            );
        };
        last = i;
    }
}

#[test]
fn the_html_highlights_show_each_figure_inside_its_organisations_item() {
    let s = Sandbox::loaded();
    let html = s.ok(&["report", "--period", "2022", "--format", "html"]);
    let items: Vec<&str> = html
        .split("<li id=\"F-")
        .skip(1)
        .map(|chunk| chunk.split("</ul>\n").next().unwrap())
        .collect();
    for (number, orgs, phrase) in seed_figures() {
        let chips: String = orgs.iter().map(|o| format!("<li>{o}</li>")).collect();
        let ok = items.iter().any(|item| {
            item.contains(&chips)
                && (number.is_empty() && item.contains(&phrase)
                    || !number.is_empty() && item.contains(&format!(">{number}<")))
        });
        assert!(
            ok,
            "`{number}` ({phrase}) with {orgs:?} not found in one HTML item"
        );
    }
    assert!(html.starts_with("<!doctype html>") && html.contains("<html lang=\"en\">"));
}

#[test]
fn the_html_and_markdown_briefs_name_the_provinces_of_a_figure_as_the_pdf_does() {
    let s = Sandbox::loaded();
    let md = s.ok(&["report", "--period", "2022", "--format", "md"]);
    let html = s.ok(&["report", "--period", "2022", "--format", "html"]);
    let pfa = html
        .split("<li id=\"F-PFA\">")
        .nth(1)
        .expect("the PFA figure's item");
    let pfa = pfa.split("</ul>").next().unwrap();
    for (en, th) in [
        ("Bangkok", "กรุงเทพมหานคร"),
        ("Chiang Mai", "เชียงใหม่"),
        ("Kanchanaburi", "กาญจนบุรี"),
        ("Lampang", "ลำปาง"),
    ] {
        assert!(
            pfa.contains(&format!("{en} <span lang=\"th\">{th}</span>")),
            "{en} in the HTML item: {pfa}"
        );
        assert!(
            md.contains(&format!("{en} ({th})")),
            "{en} in the Markdown brief"
        );
    }
    assert_eq!(
        html.matches("class=\"places\"").count(),
        1,
        "only the figure with places has the line"
    );
}

#[test]
fn the_highlights_print_the_computed_increase_not_the_published_one() {
    let s = Sandbox::loaded();
    let md = s.ok(&["report", "--period", "2022", "--format", "md"]);
    assert!(
        md.contains("an increase of 147.6 per cent [published as 134] (341 VOTs)"),
        "{md}"
    );
    assert!(!md.contains("134 per cent"));
    assert!(md.contains("first published as 134"));
    for context in [
        "143,727,626",
        "5,479,363",
        "2,242,865",
        "about 47 per cent",
        "3.9 million",
        "3.2 per cent",
        "over 2 million",
    ] {
        assert!(md.contains(context), "context figure {context} missing");
    }
}

#[test]
fn check_reports_the_published_134_against_the_computed_147_6_and_exits_1() {
    let s = Sandbox::loaded();
    let out = s.mignet(&["check", "--period", "2022"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("error[claim_disagrees] claim C-VOT-INCREASE: published as 134 but the stored values give 147.6"), "{stdout}");
    assert!(
        !stdout.contains("C-VOT-DIFF"),
        "341 agrees and is not reported: {stdout}"
    );
}

#[test]
fn load_refuses_a_part_larger_than_its_whole_and_a_joint_figure_with_a_non_member() {
    // The figure rules of mignet_core::rules, which figure entry and the workbook import also apply:
    // a folder cannot put into the store a figure those paths would refuse.
    let s = Sandbox::new();
    let dir = edited_example(
        &s,
        "periods/2022/figures.toml",
        "children = 2233",
        "children = 5000",
    );
    let text = std::fs::read_to_string(dir.join("periods/2022/figures.toml")).unwrap();
    std::fs::write(
        dir.join("periods/2022/figures.toml"),
        text.replacen(
            "organisations = [\"IOM\", \"UNHCR\"]",
            "organisations = [\"IOM\", \"IDC\"]",
            1,
        ),
    )
    .unwrap();
    let err = s.fails(&["load", dir.to_str().unwrap()]);
    assert!(
        err.contains(
            "field `disaggregation`: 5,000 children is more than the whole of 4,805 people"
        ),
        "{err}"
    );
    assert!(
        err.contains("field `organisations`: IDC is not a member of the network"),
        "{err}"
    );
    assert_eq!(
        err.matches("periods/2022/figures.toml, line").count(),
        2,
        "one error for each mistake: {err}"
    );
}

#[test]
fn loading_twice_changes_nothing_the_second_time() {
    let s = Sandbox::loaded();
    let before = s.ok(&["export", "--period", "2022"]);
    let second = s.ok(&["load", example().to_str().unwrap()]);
    assert!(second.contains("nothing changed"), "{second}");
    assert_eq!(s.ok(&["export", "--period", "2022"]), before);
}

#[test]
fn bad_input_is_reported_with_file_line_and_field_and_leaves_the_store_as_it_was() {
    let s = Sandbox::loaded();
    let before = s.ok(&["export", "--period", "2022"]);
    let cases = [
        (
            "framework.toml",
            "[[indicator]]",
            "[[indicator]",
            "framework.toml, line",
        ),
        (
            "periods/2022/figures.toml",
            "\"UNHCR\"",
            "\"UNHRC\"",
            "field `organisations`: unknown organisation `UNHRC` (did you mean `UNHCR`?)",
        ),
        (
            "periods/2022/figures.toml",
            "indicator = \"P1.O1.I01\"",
            "indicator = \"P1.O1.I99\"",
            "field `indicator`: unknown indicator `P1.O1.I99`",
        ),
        (
            "periods/2022/figures.toml",
            "value = 74499",
            "value = -74499",
            "field `value`: -74499 is negative",
        ),
        (
            "network.toml",
            "code = \"UNODC\"",
            "code = \"UNHCR\"",
            "field `code`: duplicate organisation code `UNHCR`",
        ),
    ];
    for (i, (file, from, to, expected)) in cases.into_iter().enumerate() {
        let dir = edited_example(&s, file, from, to);
        let out = s.mignet(&["load", dir.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "case {i}: {stderr}");
        assert!(
            stderr.contains(expected),
            "case {i}: expected `{expected}` in:\n{stderr}"
        );
        assert!(stderr.contains("nothing was written"), "case {i}: {stderr}");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            s.ok(&["export", "--period", "2022"]),
            before,
            "case {i} changed the store"
        );
    }
}

#[test]
fn the_json_export_holds_the_period_with_computed_derived_figures() {
    let s = Sandbox::loaded();
    let path = s.dir.path().join("2022.json");
    s.ok(&[
        "export",
        "--period",
        "2022",
        "--format",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc["format"], "mignet.period.v1");
    assert_eq!(doc["period"]["code"], "2022");
    assert_eq!(doc["figures"].as_array().unwrap().len(), 30);
    let pfa = doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "F-PFA")
        .unwrap();
    assert_eq!(
        pfa["value"],
        serde_json::json!({"kind": "count", "value": 4805})
    );
    assert_eq!(pfa["disaggregation"]["children"], 2233);
    let inc = doc["derived"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "D-VOT-INCREASE")
        .unwrap();
    assert_eq!(inc["value"], 147.6);
    let claim = doc["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "C-VOT-INCREASE")
        .unwrap();
    assert_eq!(
        (claim["published"].as_f64(), claim["agrees"].as_bool()),
        (Some(134.0), Some(false))
    );
}

#[test]
fn an_unknown_period_and_an_empty_store_get_plain_errors() {
    let s = Sandbox::new();
    let out = s.mignet(&["report", "--period", "2022"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the store is empty: load a dataset first")
    );
    let s = Sandbox::loaded();
    let out = s.mignet(&["report", "--period", "2031"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no period `2031` (it has: 2022, 2023)"));
}

#[test]
fn every_command_answers_help_with_examples() {
    let s = Sandbox::new();
    for cmd in ["load", "report", "check", "export"] {
        let out = s.ok(&[cmd, "--help"]);
        assert!(out.contains("Examples:"), "{cmd} --help: {out}");
        assert!(out.contains("--db"), "{cmd} --help has no --db: {out}");
    }
}
