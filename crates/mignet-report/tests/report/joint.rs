//! Every joint figure in a report says how its value was obtained, in counts, never in people.

use mignet_report::{Format, render};

/// The example with the joint-figures fixture (tests/fixtures/joint-2023) over it.
fn dataset() -> mignet_core::Dataset {
    let (_dir, data) = mignet_test_support::example_with(&["joint-2023"]);
    mignet_formats::dataset::read_dir(&data).expect("the fixture reads")
}

const METHODS: [&str; 5] = [
    "joint figure 10: exact, from 24 records, overlap 3",
    "joint figure 200: sum of agencies' figures (may double count)",
    "joint figure 120: largest agency figure (may under count)",
    "joint figure 170: sum less declared overlap of 30",
    "joint figure 150: jointly reported",
];

#[test]
fn the_markdown_and_html_reports_say_each_joint_figures_method() {
    let ds = dataset();
    let md = render(&ds, "2023", Format::Markdown).unwrap();
    let html = render(&ds, "2023", Format::Html).unwrap();
    for m in METHODS {
        assert!(md.contains(&format!("  - {m}\n")), "{m}\n{md}");
        assert!(html.contains(&m.replace('\'', "&#39;")), "{m}");
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
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.lines)
        .flat_map(|l| &l.joint_methods)
        .map(|j| format!("joint figure {}: {}", j.value, j.method))
        .collect();
    for want in METHODS {
        assert!(notes.iter().any(|n| n == want), "{want} in {notes:?}");
    }
}
