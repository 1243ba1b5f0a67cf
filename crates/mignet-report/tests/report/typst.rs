//! The report model built for typst: narrative as escaped typst markup with real footnotes, plain fields
//! as they are, places with their Thai names, and the charts drawn from the same data.

use mignet_report::{Format, ReportModel, build, charts, escape_typst};

fn example() -> mignet_core::Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example())
        .expect("the example dataset is valid")
}

fn model() -> ReportModel {
    build(&example(), "2022", Format::Typst).unwrap()
}

fn lines(m: &ReportModel) -> impl Iterator<Item = &mignet_report::LineBlock> {
    m.priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .flat_map(|o| &o.lines)
}

#[test]
fn escaping_leaves_no_typst_syntax_unescaped() {
    assert_eq!(escape_typst("a#b*c_d"), "a\\#b\\*c\\_d");
    assert_eq!(escape_typst("1. x\n- y"), "1\\. x \\- y");
    assert_eq!(
        escape_typst("see https://x.org"),
        "see https\\:\\/\\/x\\.org"
    );
    assert_eq!(escape_typst("Thai ไทย"), "Thai ไทย");
}

#[test]
fn bold_figures_become_strong_and_numbers_are_escaped_text() {
    let m = model();
    let first = lines(&m).next().unwrap();
    assert!(
        first.text.starts_with("#strong[74,499 migrants reached]"),
        "{}",
        first.text
    );
}

#[test]
fn a_note_is_a_footnote_with_the_briefs_marker_the_first_time_and_a_reference_after() {
    let m = model();
    let texts: Vec<&str> = lines(&m).map(|l| l.text.as_str()).collect();
    let star: Vec<&&str> = texts
        .iter()
        .filter(|t| t.contains("<note-fn-star>"))
        .collect();
    assert_eq!(star.len(), 2, "{star:#?}");
    assert!(star[0].contains("#footnote(numbering: n => \"*\")[These activities are preventive"));
    assert!(star[1].contains("#footnote(numbering: n => \"*\", <note-fn-star>)"));
    let context: String = m.priorities[0].context.join(" ");
    assert!(
        context.contains(
            "#footnote(numbering: n => \"1\")[Based on an estimated population of 3\\.9 million"
        ),
        "{context}"
    );
}

#[test]
fn plain_fields_stay_as_the_data_spells_them() {
    let m = model();
    assert_eq!(
        m.network_name,
        "United Nations Thailand Network on Migration"
    );
    assert!(lines(&m).any(|l| l.organisations == ["ILO", "IOM", "UN Women"]));
}

#[test]
fn a_line_carries_its_provinces_with_their_thai_names() {
    let m = model();
    let pfa = lines(&m).find(|l| l.figures == ["F-PFA"]).unwrap();
    assert_eq!(pfa.places_label, "Provinces");
    assert!(pfa.places.iter().all(|p| p.lang.as_deref() == Some("th")));
    let names: Vec<(&str, &str)> = pfa
        .places
        .iter()
        .map(|p| (p.name.as_str(), p.local_name.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        names,
        [
            ("Bangkok", "กรุงเทพมหานคร"),
            ("Chiang Mai", "เชียงใหม่"),
            ("Kanchanaburi", "กาญจนบุรี"),
            ("Lampang", "ลำปาง"),
        ]
    );
}

/// The brief's one chart: the eight largest counts of people, largest first, named for screen
/// readers with each bar's label and value; no chart counts organisations' results against each
/// other.
#[test]
fn the_brief_charts_the_largest_counts_of_people_described_for_screen_readers() {
    let ds = example();
    let bars = charts::largest_counts_of_people(&ds, "2022", charts::LARGEST, "en");
    assert_eq!(bars.len(), 8);
    assert!(bars.windows(2).all(|w| w[0].value >= w[1].value));
    let svg = charts::people_chart(&ds, "2022").expect("the example counts people");
    assert!(svg.contains(&format!(">{}</text>", bars[0].shown)), "{svg}");
    assert!(
        svg.contains("aria-label=\"People reached: the 8 largest counts of people in 2022\""),
        "{svg}"
    );
    let title = svg
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    for b in &bars {
        assert!(
            title.contains(&b.shown),
            "{} not described in {title}",
            b.shown
        );
    }
    let m = build(&ds, "2022", Format::Html).unwrap();
    assert_eq!(
        m.chart.as_deref(),
        Some(svg.as_str()),
        "the HTML brief carries it"
    );
    let html = mignet_report::render(&ds, "2022", Format::Html).unwrap();
    assert!(html.contains("<figure class=\"chart\">"));
    assert!(!html.contains("Results by organisation"));
}

#[test]
fn the_typst_format_has_no_text_template() {
    let err = mignet_report::render(&example(), "2022", Format::Typst).unwrap_err();
    assert!(err.to_string().contains("mignet-pdf"), "{err}");
}

#[test]
fn a_script_link_held_in_the_data_becomes_its_label_in_every_format() {
    let mut ds = example();
    let p = &mut ds.periods[0];
    let line = p
        .lines
        .iter_mut()
        .find(|l| l.figures.iter().any(|f| f.as_str() == "F-PFA"))
        .unwrap();
    line.text
        .push_str(" See [the report](javascript:alert(1)) and [the site](https://example.org/r).");
    for format in [Format::Typst, Format::Html, Format::Markdown] {
        let m = build(&ds, "2022", format).unwrap();
        let text = lines(&m)
            .map(|l| l.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!text.contains("javascript"), "{format:?}: {text}");
        assert!(text.contains("report"), "{format:?}: the label stays");
        assert!(
            text.contains("example.org/r"),
            "{format:?}: a web link stays"
        );
    }
    let typst = lines(&build(&ds, "2022", Format::Typst).unwrap())
        .map(|l| l.text.clone())
        .collect::<String>();
    assert!(
        typst.contains("#link(\"https://example.org/r\")"),
        "{typst}"
    );
}

/// The web's overview chart takes its bars from here: counts of people only, one unit on the axis,
/// largest first, a subset of the largest counts of any unit.
#[test]
fn the_chart_of_people_reached_holds_counts_of_people_only() {
    use mignet_core::model::{FigureStatus, FigureValue};
    let ds = example();
    let people = charts::largest_counts_of_people(&ds, "2022", 8, "en");
    let counts: Vec<f64> = ds
        .period("2022")
        .unwrap()
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
        .filter_map(|f| match f.value {
            FigureValue::Count { value } => Some(value as f64),
            _ => None,
        })
        .collect();
    assert!(!people.is_empty());
    assert!(people.windows(2).all(|w| w[0].value >= w[1].value));
    let of_people: Vec<f64> = ds
        .period("2022")
        .unwrap()
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
        .filter(|f| {
            ds.indicator(f.indicator.as_str())
                .is_some_and(|i| i.counts_people())
        })
        .filter_map(|f| match f.value {
            FigureValue::Count { value } => Some(value as f64),
            _ => None,
        })
        .collect();
    for bar in &people {
        assert!(
            counts.contains(&bar.value),
            "{bar:?} is not an approved count"
        );
        assert!(
            of_people.contains(&bar.value),
            "{bar:?} does not count people"
        );
    }
    assert!(
        counts.len() > of_people.len(),
        "the example has counts of things other than people, which the chart leaves out"
    );
}
