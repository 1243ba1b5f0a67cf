//! The HXL export of one period: CSV with a row of HXL hashtags under the header row, for the
//! humanitarian data tools that read HXL (libhxl, the HXL Proxy, HDX). The mapping and the reasons for it
//! are in docs/exports.md.
//!
//! One row per approved figure. A joint figure is one row naming all its organisations; a figure in
//! several provinces is one row listing them all. So every number appears once, and summing a column
//! never counts a figure twice. Numbers are in the column their unit calls for: counts of people in
//! `#reached+ind`, other counts in `#output+num`, and every figure's number in `#indicator+value+num`.

use mignet_core::model::{Dataset, Figure, FigureStatus, FigureValue, Indicator, IndicatorKind};

/// Separates the items of a list in one cell (organisations, provinces).
pub const LIST_SEPARATOR: &str = " | ";

/// Units that count people, by their last word: the figures of such an indicator are people reached
/// (`#reached`); all others are outputs (`#output`). A unit not recognised here counts as not people, so
/// that nothing that is not a person is ever added to people reached.
const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "migrants",
    "workers",
    "volunteers",
    "officials",
    "members",
    "stakeholders",
    "beneficiaries",
    "children",
    "women",
    "men",
    "girls",
    "boys",
    "youth",
    "refugees",
    "students",
    "learners",
    "users",
    "psychologists",
    "vots",
    "mhvs",
    "survivors",
    "victims",
];

/// Whether an indicator's unit counts people ("migrant workers", "social workers and psychologists").
pub fn counts_people(ind: &Indicator) -> bool {
    ind.kind == IndicatorKind::Count
        && ind
            .unit
            .split(|c: char| !c.is_alphanumeric())
            .rfind(|w| !w.is_empty())
            .is_some_and(|last| PEOPLE.contains(&last.to_lowercase().as_str()))
}

/// The HXL attribute for a disaggregation key: HXL's own where it has one, else the key itself made into
/// an attribute (lower case letters, digits and underscores).
fn part_attribute(key: &str) -> String {
    let known = match key {
        "children" | "child" => "children",
        "adults" => "adults",
        "adolescents" => "adolescents",
        "elderly" | "older_persons" => "elderly",
        "infants" => "infants",
        "women" | "female" | "girls" | "f" => "f",
        "men" | "male" | "boys" | "m" => "m",
        "refugees" => "refugees",
        "idps" => "idps",
        "displaced" => "displaced",
        "returnees" => "returnees",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    key.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A text cell a spreadsheet will not run: text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, as OWASP advises against CSV injection, so that a note such as
/// `=HYPERLINK(...)` is shown as the text it is. Numbers stay numbers (`-5` is not text).
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !plain_number(cell) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn join_note(first: &str, rest: &str) -> String {
    if rest.is_empty() {
        first.to_owned()
    } else {
        format!("{first} {rest}")
    }
}

/// `-12`, `+3.5`: a sign, digits and at most one decimal point, which a spreadsheet reads as a number.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.chars().all(|c| c.is_ascii_digit())
}

/// Writes the approved figures of `period` as HXL-tagged CSV.
pub fn csv(ds: &Dataset, period: &mignet_core::PeriodData) -> Vec<u8> {
    let figures: Vec<(&Figure, Option<&Indicator>)> = period
        .figures
        .iter()
        .filter(|f| f.status == FigureStatus::Approved)
        .map(|f| (f, ds.indicator(f.indicator.as_str())))
        .collect();

    // One column per (people?, part) pair that occurs, in order of first use.
    let mut parts: Vec<(bool, String)> = Vec::new();
    for (f, ind) in &figures {
        let people = ind.is_some_and(counts_people);
        for (key, _) in &f.disaggregation {
            if !parts.iter().any(|(p, k)| *p == people && k == key) {
                parts.push((people, key.clone()));
            }
        }
    }

    let mut header: Vec<String> = [
        "Figure",
        "Period starts",
        "Period ends",
        "Country",
        "Priority",
        "Outcome",
        "Indicator",
        "Indicator statement",
        "Unit",
        "Kind",
        "Organisations",
        "Organisation names",
        "Joint",
        "Value",
        "People reached",
        "Other outputs",
        "Achieved",
    ]
    .map(String::from)
    .to_vec();
    let mut tags: Vec<String> = [
        "#meta+id",
        "#date+start",
        "#date+end",
        "#country+code+v_iso2",
        "#indicator+priority+code",
        "#indicator+outcome+code",
        "#indicator+code",
        "#indicator+name",
        "#indicator+unit",
        "#indicator+type",
        "#org+code",
        "#org+name",
        "#meta+joint",
        "#indicator+value+num",
        "#reached+ind",
        "#output+num",
        "#indicator+achieved",
    ]
    .map(String::from)
    .to_vec();
    for (people, key) in &parts {
        let label = figures
            .iter()
            .filter_map(|(_, i)| i.as_ref())
            .flat_map(|i| i.disaggregations.iter())
            .find(|d| &d.key == key)
            .map_or(key.as_str(), |d| d.label.as_str());
        if *people {
            header.push(neutralise(&format!("People reached: {label}")));
            tags.push(format!("#reached+ind+{}", part_attribute(key)));
        } else {
            header.push(neutralise(&format!("Other outputs: {label}")));
            tags.push(format!("#output+num+{}", part_attribute(key)));
        }
    }
    // The places' word is the country's (`Province` in Thailand) when every place is a first-level
    // area, else `Place`.
    let one = ds
        .places_word(figures.iter().flat_map(|(f, _)| &f.places))
        .heading_one();
    header.extend([
        format!("{one} codes"),
        format!("{one} P-codes"),
        format!("{one} names"),
    ]);
    header.extend(
        [
            "Status",
            "Approved at",
            "Evidence",
            "Note",
            "Footnotes",
            "As stated",
            "Amount",
            "Currency",
        ]
        .map(String::from),
    );
    tags.extend(
        [
            "#adm1+code+v_iso3166_2",
            "#adm1+code+v_pcode",
            "#adm1+name",
            "#status",
            "#date+approved",
            "#meta+source+url",
            "#description+note",
            "#description+footnote",
            "#description+stated",
            "#value",
            "#currency",
        ]
        .map(String::from),
    );

    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("in memory");
    w.write_record(&tags).expect("in memory");
    let p = &period.period;
    for (f, ind) in &figures {
        let outcome = ind.and_then(|i| ds.outcome(i.outcome.as_str()));
        let people = ind.is_some_and(counts_people);
        let number = f.value.number().map(|v| format!("{v}")).unwrap_or_default();
        let count = matches!(f.value, FigureValue::Count { .. });
        let mut row: Vec<String> = vec![
            f.id.to_string(),
            p.starts.clone().unwrap_or_default(),
            p.ends.clone().unwrap_or_default(),
            neutralise(ds.network.country()),
            outcome.map(|o| o.priority.to_string()).unwrap_or_default(),
            outcome.map(|o| o.code.to_string()).unwrap_or_default(),
            f.indicator.to_string(),
            ind.map(|i| neutralise(&i.statement)).unwrap_or_default(),
            ind.map(|i| neutralise(&i.unit)).unwrap_or_default(),
            match f.value {
                FigureValue::Count { .. } | FigureValue::Withheld { .. } => "count",
                FigureValue::Percentage { .. } => "percentage",
                FigureValue::Milestone { .. } => "milestone",
            }
            .to_owned(),
            f.organisations
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            neutralise(
                &f.organisations
                    .iter()
                    .map(|o| {
                        ds.organisation(o.as_str())
                            .map_or(o.as_str(), |o| o.name.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(LIST_SEPARATOR),
            ),
            if f.is_joint() { "yes" } else { "no" }.to_owned(),
            number.clone(),
            if count && people {
                number.clone()
            } else {
                String::new()
            },
            if count && !people {
                number.clone()
            } else {
                String::new()
            },
            match f.value {
                FigureValue::Milestone { achieved } => if achieved { "yes" } else { "no" }.into(),
                _ => String::new(),
            },
        ];
        for (col_people, key) in &parts {
            row.push(if *col_people == people {
                f.part(key).map(|v| v.to_string()).unwrap_or_default()
            } else {
                String::new()
            });
        }
        row.push(
            f.places
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        );
        row.push(
            f.places
                .iter()
                .map(|c| pcode(ds, c.as_str()))
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        );
        row.push(
            f.places
                .iter()
                .map(|c| ds.place_name(c.as_str()))
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        );
        row.push(f.status.as_str().to_owned());
        row.push(
            f.status_at
                .as_deref()
                .map(|t| t.get(..10).unwrap_or(t))
                .unwrap_or_default()
                .to_owned(),
        );
        row.push(neutralise(f.evidence.as_deref().unwrap_or_default()));
        // A withheld small count has no number; the note says so, and which parts are withheld.
        let mut note = f.note.clone().unwrap_or_default();
        if let FigureValue::Withheld { below } = f.value {
            note = join_note(
                &format!(
                    "Value withheld: {} (a small count that could identify people).",
                    mignet_core::numbers::fewer_than(below)
                ),
                &note,
            );
        } else if !f.withheld_parts.is_empty() {
            let parts: Vec<String> = f
                .withheld_parts
                .iter()
                .map(|(k, b)| format!("{k} {}", mignet_core::numbers::format_withheld(*b)))
                .collect();
            note = join_note(&format!("Parts withheld: {}.", parts.join(", ")), &note);
        }
        row.push(neutralise(&note));
        row.push(neutralise(
            &f.footnotes
                .iter()
                .filter_map(|id| period.footnote(id.as_str()))
                .map(|n| n.text.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
        ));
        // The value as the source stated it ("over 65,000"); an amount of money also in the
        // columns HXL gives money (#value with #currency).
        row.push(neutralise(&mignet_core::numbers::format_figure(f)));
        let money = f.stated.currency.filter(|_| f.value.number().is_some());
        row.push(
            money
                .and(f.value.number())
                .map(|v| format!("{v}"))
                .unwrap_or_default(),
        );
        row.push(money.map(|c| c.to_string()).unwrap_or_default());
        w.write_record(&row).expect("in memory");
    }
    w.into_inner().expect("in memory")
}

/// The P-code of a place: a gazetteer's own P-code as it is; for a Thai province, the ISO 3166-2 code
/// without its hyphen (`TH-10` -> `TH10`), which holds for all 77 provinces of Thailand's Common
/// Operational Dataset. Pattaya (`TH-S`) is a special city, not a province, and has no P-code of its
/// own, nor has an ISO code of another country a P-code derived from it: their cell element is `-`.
fn pcode(ds: &Dataset, code: &str) -> String {
    if ds.gazetteer.area(code).is_some() {
        return code.to_owned();
    }
    match code.split_once('-') {
        Some(("TH", n)) if n.chars().all(|c| c.is_ascii_digit()) => format!("TH{n}"),
        _ => "-".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Dataset {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
        crate::dataset::read_dir(&dir).expect("the example dataset reads")
    }

    fn rows(ds: &Dataset) -> Vec<Vec<String>> {
        let out = csv(ds, ds.period("2022").unwrap());
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    fn cell<'r>(rows: &'r [Vec<String>], id: &str, tag: &str) -> &'r str {
        let col = rows[1].iter().position(|t| t == tag).expect(tag);
        let row = rows.iter().find(|r| r[0] == id).expect(id);
        &row[col]
    }

    #[test]
    fn the_hashtag_row_follows_the_header_and_every_column_has_a_tag() {
        let rows = rows(&example());
        assert_eq!(rows[0][0], "Figure");
        assert_eq!(rows[1][0], "#meta+id");
        assert_eq!(rows[0].len(), rows[1].len());
        assert!(rows[1].iter().all(|t| t.starts_with('#')));
        assert_eq!(rows.len(), 2 + 30, "one row per approved figure");
    }

    #[test]
    fn a_joint_figure_is_one_row_naming_all_its_organisations() {
        let rows = rows(&example());
        let joint: Vec<_> = rows.iter().filter(|r| r[0] == "F-COVID-SUPPORT").collect();
        assert_eq!(joint.len(), 1);
        assert_eq!(
            cell(&rows, "F-COVID-SUPPORT", "#org+code"),
            "ILO | IOM | UNWOMEN"
        );
        assert_eq!(cell(&rows, "F-COVID-SUPPORT", "#meta+joint"), "yes");
        assert_eq!(cell(&rows, "F-COVID-SUPPORT", "#reached+ind"), "13474");
    }

    #[test]
    fn a_figure_in_several_provinces_is_one_row_listing_them_with_its_value_once() {
        let rows = rows(&example());
        assert_eq!(rows.iter().filter(|r| r[0] == "F-PFA").count(), 1);
        assert_eq!(
            cell(&rows, "F-PFA", "#adm1+code+v_iso3166_2"),
            "TH-10 | TH-50 | TH-71 | TH-52"
        );
        assert_eq!(
            cell(&rows, "F-PFA", "#adm1+code+v_pcode"),
            "TH10 | TH50 | TH71 | TH52"
        );
        assert_eq!(
            cell(&rows, "F-PFA", "#adm1+name"),
            "Bangkok | Chiang Mai | Kanchanaburi | Lampang"
        );
        assert_eq!(cell(&rows, "F-PFA", "#reached+ind+children"), "2233");
    }

    #[test]
    fn counts_of_things_are_outputs_and_never_people_reached() {
        let rows = rows(&example());
        for id in [
            "F-IMD-CAMPAIGN",
            "F-XENO-VIEWS",
            "F-REPORTS",
            "F-VPS-ROUNDS",
        ] {
            assert_eq!(cell(&rows, id, "#reached+ind"), "", "{id}");
            assert_ne!(cell(&rows, id, "#output+num"), "", "{id}");
        }
        assert_eq!(cell(&rows, "F-HOTLINE", "#indicator+achieved"), "yes");
        assert_eq!(cell(&rows, "F-HOTLINE", "#indicator+value+num"), "");
    }

    #[test]
    fn a_figure_that_is_not_approved_is_left_out() {
        let mut ds = example();
        ds.periods[0].figures[0].status = FigureStatus::Returned;
        let id = ds.periods[0].figures[0].id.to_string();
        let rows = rows(&ds);
        assert!(rows.iter().all(|r| r[0] != id));
        assert_eq!(rows.len(), 2 + 29);
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_neutralised_and_numbers_stay() {
        let mut ds = example();
        let f = &mut ds.periods[0].figures[0];
        let id = f.id.to_string();
        f.note = Some("=HYPERLINK(\"https://evil.example\",\"x\")".into());
        f.evidence = Some("@SUM(1+1)".into());
        let rows = rows(&ds);
        assert_eq!(
            cell(&rows, &id, "#description+note"),
            "'=HYPERLINK(\"https://evil.example\",\"x\")"
        );
        assert_eq!(cell(&rows, &id, "#meta+source+url"), "'@SUM(1+1)");
        for bad in ["+cmd", "-cmd", "\tx", "\rx", "=1", "-inf", "-1e9", "- 5"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        for ok in ["-5", "+3.5", "12", "text", "", "a=b"] {
            assert_eq!(neutralise(ok), ok);
        }
        // No cell of the file starts a formula.
        for row in &rows[2..] {
            for c in row {
                assert!(
                    !c.starts_with(['=', '+', '@', '\t', '\r'])
                        && (!c.starts_with('-') || c == "-" || c.parse::<f64>().is_ok()),
                    "{c:?}"
                );
            }
        }
    }
}
