//! A brief of a period with targets prints each target's progress, and an outcome whose indicators
//! have targets but no approved figure lists them as not reported instead of disappearing.

use mignet_report::{Format, render};

/// The example with the targets fixture (tests/fixtures/targets-2023) over it.
fn dataset() -> mignet_core::Dataset {
    let (_dir, data) = mignet_test_support::example_with(&["targets-2023"]);
    mignet_formats::dataset::read_dir(&data).expect("the fixture reads")
}

#[test]
fn the_markdown_brief_prints_actual_of_target_and_per_cent_and_not_reported() {
    let ds = dataset();
    let md = render(&ds, "2023", Format::Markdown).unwrap();
    for want in [
        ": 52,000 of 60,000 (86.7 per cent) migrants\n",
        "(cumulative): 126,499 of 150,000 by 2023 (84.3 per cent) migrants\n",
        // The draft of 1,000 does not count.
        ": 6,300 of 6,000 (105.0 per cent) people\n",
        ": achieved (target: achieved)\n",
        ": not reported (target 70)\n",
    ] {
        assert!(md.contains(want), "{want:?} in\n{md}");
    }
    // P2.O3 has no figure in 2023: it is printed for its target rather than left out.
    assert!(
        md.contains("Migrant Learning Centres (MLCs) that provided education"),
        "{md}"
    );
    let heading = ds.outcome("P2.O3").unwrap().statement.clone();
    assert!(md.contains(&heading), "the outcome P2.O3 is printed");
}

#[test]
fn the_second_year_shows_progress_and_the_first_its_own_target() {
    let md = render(&dataset(), "2022", Format::Markdown).unwrap();
    assert!(
        md.contains(": 74,499 of 70,000 (106.4 per cent) migrants\n"),
        "{md}"
    );
    assert!(
        md.contains("(cumulative): 74,499 of 150,000 by 2023 (49.7 per cent) migrants\n"),
        "{md}"
    );
    assert!(
        !md.contains("not reported"),
        "2022 has a figure for every target"
    );
}

#[test]
fn the_html_and_typst_briefs_carry_the_same_progress() {
    let ds = dataset();
    let html = render(&ds, "2023", Format::Html).unwrap();
    assert!(
        html.contains(">52,000 of 60,000 (86.7 per cent)</td>"),
        "{html}"
    );
    assert!(html.contains("class=\"not-reported\""));
    assert!(html.contains(">not reported (target 70)</td>"));
    let m = mignet_report::build(&ds, "2023", Format::Typst).unwrap();
    let t: Vec<(&str, bool, Option<&str>)> = m
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.targets)
        .map(|t| (t.indicator.as_str(), t.reported, t.percent.as_deref()))
        .collect();
    assert_eq!(
        t,
        [
            ("P1.O1.I01", true, Some("86.7")),
            ("P1.O1.I01", true, Some("84.3")),
            ("P1.O1.I02", true, Some("105.0")),
            ("P1.O1.I07", true, Some("100.0")),
            ("P2.O3.I01", false, None),
        ]
    );
}

#[test]
fn the_example_without_targets_prints_no_target() {
    let ds = mignet_formats::dataset::read_dir(&mignet_test_support::example()).unwrap();
    let md = render(&ds, "2022", Format::Markdown).unwrap();
    assert!(!md.contains("**Targets.**") && !md.contains("not reported"));
}
