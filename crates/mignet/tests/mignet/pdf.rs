//! `mignet report --format pdf` driven as a user drives it, and the PDF read back with poppler's tools
//! (`pdftotext`, `pdffonts`). The tools are required: a missing tool fails the test rather than skipping it
//! (`apt-get install poppler-utils`).

use crate::common::*;
use std::path::PathBuf;

/// The example loaded into a fresh store, and its 2022 Highlights written as a PDF beside it.
struct Brief {
    _sandbox: Sandbox,
    pdf: PathBuf,
}

impl Brief {
    fn rendered() -> Brief {
        let s = Sandbox::loaded();
        let pdf = s.ok_to(
            &["report", "--period", "2022", "--format", "pdf"],
            "highlights-2022.pdf",
        );
        Brief { _sandbox: s, pdf }
    }

    /// The text as `pdftotext -layout` extracts it.
    fn text(&self) -> String {
        tool("pdftotext", &["-layout", self.pdf.to_str().unwrap(), "-"])
    }
}

/// The names of a line made only of organisation chips, read greedily against the known short names
/// (longest first, so that `UN Women` is one name); `None` for any other line.
fn chip_row(line: &str, known: &[&str]) -> Option<Vec<String>> {
    let mut rest = line.trim();
    let mut names = Vec::new();
    while !rest.is_empty() {
        let name = known.iter().copied().filter(|k| {
            rest.starts_with(k)
                && rest[k.len()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        });
        let name = name.max_by_key(|k| k.len())?;
        names.push(name.to_owned());
        rest = rest[name.len()..].trim_start();
    }
    (!names.is_empty()).then_some(names)
}

/// The result bullets of the brief: each from its `•` to the row of organisation chips that closes it,
/// as (the bullet's text, the chips' names).
fn bullets(text: &str, known: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    let mut chips: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(row) = chip_row(line, known) {
            if open.is_some() {
                chips.extend(row);
                continue;
            }
        } else if !chips.is_empty() {
            out.push((open.take().unwrap(), std::mem::take(&mut chips)));
        }
        if let Some(i) = line.find('•') {
            if let Some(t) = open.take() {
                panic!("a bullet without organisation chips:\n{t}");
            }
            open = Some(line[i + '•'.len_utf8()..].trim().to_owned());
        } else if let Some(t) = open.as_mut() {
            t.push(' ');
            t.push_str(line.trim());
        }
    }
    if let (Some(t), false) = (open, chips.is_empty()) {
        out.push((t, chips));
    }
    out
}

#[test]
fn every_figure_of_the_seed_is_in_the_pdf_in_the_bullet_closed_by_its_organisations_chips() {
    let brief = Brief::rendered();
    let text = brief.text();
    let figures = seed_figures();
    assert_eq!(figures.len(), 31, "the fixture lists the seed's 31 figures");
    let mut known: Vec<&str> = figures
        .iter()
        .flat_map(|(_, orgs, _)| orgs.iter().map(String::as_str))
        .collect();
    known.sort_unstable();
    known.dedup();
    let bullets = bullets(&text, &known);
    let mut last = 0;
    for (number, orgs, phrase) in &figures {
        let found = bullets.iter().enumerate().skip(last).find(|(_, (t, o))| {
            o == orgs
                && if number.is_empty() {
                    t.contains(phrase.as_str())
                } else {
                    contains_number(t, number)
                }
        });
        let Some((i, _)) = found else {
            panic!(
                "`{number}` ({phrase}) by {} is not in a PDF bullet after bullet {last}; the bullets:\n{bullets:#?}",
                orgs.join(" | ")
            );
        };
        last = i;
    }
}

#[test]
fn the_pdf_names_the_psychological_first_aid_provinces_in_thai_as_pdftotext_extracts_them() {
    let text = Brief::rendered().text();
    for code in ["TH-10", "TH-50", "TH-71", "TH-52"] {
        let (_, english, thai) = mignet_core::provinces::PROVINCES
            .iter()
            .find(|(c, _, _)| *c == code)
            .unwrap();
        assert!(
            text.contains(&format!("{english} {thai}")),
            "{english} {thai} is not in the PDF's text"
        );
    }
    assert!(text.contains("กรุงเทพมหานคร"), "Bangkok's Thai name");
    assert!(!text.contains('\u{fffd}'), "no replacement characters");
}

#[test]
fn every_font_in_the_pdf_is_embedded_and_thai_is_set_in_loma() {
    let brief = Brief::rendered();
    let listing = tool("pdffonts", &[brief.pdf.to_str().unwrap()]);
    let rows: Vec<&str> = listing
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .collect();
    assert!(!rows.is_empty(), "pdffonts lists no fonts:\n{listing}");
    for row in &rows {
        // name type encoding emb sub uni object-id generation: `emb` is the fifth field from the end.
        let fields: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            fields[fields.len() - 5],
            "yes",
            "not embedded: {row}\n{listing}"
        );
    }
    assert!(rows.iter().any(|r| r.contains("Loma")), "{listing}");
    assert!(
        rows.iter().any(|r| r.contains("LiberationSans")),
        "{listing}"
    );
}

#[test]
fn the_pdf_prints_the_computed_increase_and_its_notes_as_footnotes_once_each() {
    let text = Brief::rendered().text();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("an increase of 147.6 per cent [published as 134] (341 VOTs)"),
        "{flat}"
    );
    assert!(!flat.contains("134 per cent"));
    assert!(flat.contains("first published as 134"));
    for note in [
        "Based on an estimated population of 3.9 million CLM migrants in Thailand",
        "These activities are preventive measures for those at risk of exploitation",
    ] {
        assert_eq!(flat.matches(note).count(), 1, "`{note}` once: {flat}");
    }
}

#[test]
fn the_pdf_opens_with_the_network_and_the_title_and_ends_with_the_members() {
    let text = Brief::rendered().text();
    let first_page = text.split('\u{c}').next().unwrap();
    assert!(
        first_page.contains("UNITED NATIONS THAILAND NETWORK ON MIGRATION"),
        "{first_page}"
    );
    assert!(first_page.contains("Highlights 2022"), "{first_page}");
    assert!(first_page.contains("Working Better Together"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Members: ILO, IOM, OHCHR"), "{flat}");
}
