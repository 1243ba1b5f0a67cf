//! Every joint figure in a report counted otherwise than by a plain joint report says, in the notes,
//! how its value was obtained, in counts, never in people; no line carries a caption about it.

use mignet_report::{Format, render};

/// The example with the joint-figures fixture (tests/fixtures/joint-2023) over it.
fn dataset() -> mignet_core::Dataset {
    let (_dir, data) = mignet_test_support::example_with(&["joint-2023"]);
    mignet_formats::dataset::read_dir(&data).expect("the fixture reads")
}

const METHODS: [&str; 4] = [
    "10 (IOM, UNICEF and WHO): exact, from 24 records, overlap 3.",
    "200 (IOM and UNICEF): sum of agencies' figures (may double count).",
    "120 (IOM and UNICEF): largest agency figure (may under count).",
    "170 (IOM and UNICEF): sum less declared overlap of 30.",
];

#[test]
fn the_markdown_and_html_reports_say_each_joint_figures_method() {
    let ds = dataset();
    let md = render(&ds, "2023", Format::Markdown).unwrap();
    let html = render(&ds, "2023", Format::Html).unwrap();
    for m in METHODS {
        assert!(md.contains(m), "{m}\n{md}");
        assert!(html.contains(&m.replace('\'', "&#39;")), "{m}");
    }
    for text in [&md, &html] {
        assert!(text.contains("How joint figures were counted."));
        assert!(
            !text.contains("jointly reported"),
            "a plain joint report has no note"
        );
        assert!(
            !text.to_lowercase().contains("joint figure "),
            "no caption under a line"
        );
    }
    // Counts only: no pseudonym from the records file reaches the report.
    let records = std::fs::read_to_string(mignet_test_support::fixture(
        "joint-2023/records/services-2023.csv",
    ))
    .unwrap();
    for line in records.lines().skip(1) {
        let pseudonym = line.split(',').nth(5).unwrap();
        assert!(!md.contains(pseudonym) && !html.contains(pseudonym));
    }
}

#[test]
fn the_typst_model_carries_the_methods_as_plain_text() {
    let m = mignet_report::build(&dataset(), "2023", Format::Typst).unwrap();
    let notes: Vec<String> = m
        .joint_notes
        .iter()
        .map(|j| format!("{} ({}): {}.", j.value, j.organisations, j.method))
        .collect();
    assert_eq!(notes.len(), METHODS.len(), "{notes:?}");
    for want in METHODS {
        assert!(notes.iter().any(|n| n == want), "{want} in {notes:?}");
    }
}
