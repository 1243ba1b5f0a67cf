//! The XLSX export of one period: a workbook for the secretariat, to read, sort and filter the period's
//! data in a spreadsheet. The sheets and the reasons for them are in docs/exports.md.
//!
//! Unlike the public exports it holds every figure, whatever its status, with who set the status and
//! when, because the secretariat reviews drafts and submissions too. A joint figure is one row naming all
//! its organisations, never one row per organisation, so that a sum of the value column counts it once.
//! Numbers are written as numbers, so that the spreadsheet can add them.

use mignet_core::model::{Dataset, DerivedKind, Figure, FigureValue, IndicatorKind, PeriodData};
use mignet_core::numbers;
use mignet_core::vocab::Vocabulary;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a sheet.
enum Cell {
    Text(String),
    /// A whole number, shown with thousands separators.
    Count(f64),
    /// Any other number, shown as stored.
    Number(f64),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
    fn number(v: Option<f64>) -> Cell {
        match v {
            Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => Cell::Count(v),
            Some(v) => Cell::Number(v),
            None => Cell::Empty,
        }
    }
    fn yes_no(b: bool) -> Cell {
        Cell::text(if b { "yes" } else { "no" })
    }
    /// How many characters wide the cell shows, for the column width.
    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => s.chars().count(),
            Cell::Count(v) => numbers::group(*v, 0).len(),
            Cell::Number(v) => format!("{v}").len(),
            Cell::Empty => 0,
        }
    }
}

struct Sheet {
    name: &'static str,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

/// Widest a column is set, in characters; longer text wraps.
const MAX_WIDTH: usize = 60;

/// A new workbook whose bytes depend on its content alone: the creation time every XLSX file
/// carries is fixed (2000-01-01) rather than the moment of writing, so the same data gives the same
/// file (a template downloaded twice, an export compared with an earlier one).
pub(crate) fn reproducible_workbook() -> Workbook {
    let fixed = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date");
    let mut wb = Workbook::new();
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&fixed));
    wb
}

/// Writes every figure of `period`, with the framework, context statistics, derived figures and claims,
/// as an XLSX workbook.
pub fn workbook(ds: &Dataset, period: &PeriodData) -> Result<Vec<u8>, XlsxError> {
    let sheets = [
        figures(ds, period),
        indicators(ds, period),
        statistics(period),
        derived(period),
        claims(period),
        progress(ds, period),
    ];
    write(&sheets)
}

/// A round's completeness (`mignet_core::completeness`) as a workbook for the secretariat: one row
/// per organisation with its counts, and one per assignment with its stage.
pub fn completeness_workbook(
    ds: &Dataset,
    c: &mignet_core::completeness::Completeness,
) -> Result<Vec<u8>, XlsxError> {
    let name_of = |o: &mignet_core::OrgCode| {
        ds.organisation(o.as_str())
            .map_or_else(|| o.to_string(), |x| x.name.clone())
    };
    let organisations = Sheet {
        name: "Organisations",
        headers: [
            "organisation",
            "name",
            "assigned",
            "not started",
            "draft",
            "returned",
            "submitted",
            "approved",
            "per cent reported",
            "overdue",
            "last activity",
        ]
        .map(String::from)
        .to_vec(),
        rows: c
            .organisations
            .iter()
            .map(|o| {
                let n = |v: usize| Cell::Count(v as f64);
                vec![
                    Cell::text(o.organisation.as_str()),
                    Cell::text(name_of(&o.organisation)),
                    n(o.assigned),
                    n(o.not_started),
                    n(o.draft),
                    n(o.returned),
                    n(o.submitted),
                    n(o.approved),
                    Cell::Count(f64::from(o.per_cent)),
                    n(o.overdue),
                    Cell::opt(o.last_activity.clone()),
                ]
            })
            .collect(),
    };
    let assignments = Sheet {
        name: "Assignments",
        headers: [
            "organisation",
            "indicator",
            "statement",
            "stage",
            "figures",
            "overdue",
            "last activity",
        ]
        .map(String::from)
        .to_vec(),
        rows: c
            .organisations
            .iter()
            .flat_map(|o| &o.cells)
            .map(|cell| {
                vec![
                    Cell::text(cell.organisation.as_str()),
                    Cell::text(cell.indicator.as_str()),
                    Cell::opt(
                        ds.indicator(cell.indicator.as_str())
                            .map(|i| i.statement.clone()),
                    ),
                    Cell::text(cell.stage.words()),
                    Cell::text(
                        cell.figures
                            .iter()
                            .map(|f| f.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::yes_no(cell.overdue),
                    Cell::opt(cell.last_activity.clone()),
                ]
            })
            .collect(),
    };
    write(&[organisations, assignments])
}

/// The sheets as one workbook: bold headers, frozen and filterable, columns as wide as their text.
fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = reproducible_workbook();
    let bold = Format::new().set_bold();
    let count = Format::new().set_num_format("#,##0");
    let wrap = Format::new().set_text_wrap();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        for (col, header) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, header, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(s) if s.chars().count() > MAX_WIDTH => {
                        ws.write_string_with_format(r, col, s, &wrap)?;
                    }
                    Cell::Text(s) => {
                        ws.write_string(r, col, s)?;
                    }
                    Cell::Count(v) => {
                        ws.write_number_with_format(r, col, *v, &count)?;
                    }
                    Cell::Number(v) => {
                        ws.write_number(r, col, *v)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        for (col, header) in sheet.headers.iter().enumerate() {
            let widest = sheet
                .rows
                .iter()
                .filter_map(|row| row.get(col))
                .map(Cell::width)
                .chain([header.chars().count()])
                .max()
                .unwrap_or(0);
            ws.set_column_width(col as u16, (widest.clamp(6, MAX_WIDTH) + 2) as f64)?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !sheet.rows.is_empty() {
            ws.autofilter(
                0,
                0,
                sheet.rows.len() as u32,
                sheet.headers.len() as u16 - 1,
            )?;
        }
    }
    wb.save_to_buffer()
}

fn figures(ds: &Dataset, period: &PeriodData) -> Sheet {
    // One column per disaggregation key in use, in order of first use.
    let mut parts: Vec<(String, String)> = Vec::new();
    for f in &period.figures {
        for (key, _) in &f.disaggregation {
            if !parts.iter().any(|(k, _)| k == key) {
                let label = ds
                    .indicator(f.indicator.as_str())
                    .and_then(|i| i.disaggregations.iter().find(|d| &d.key == key))
                    .map_or(key.clone(), |d| d.label.clone());
                parts.push((key.clone(), label));
            }
        }
    }
    let mut headers: Vec<String> = [
        "Figure",
        "Priority",
        "Outcome",
        "Indicator",
        "Indicator statement",
        "Organisations",
        "Organisation codes",
        "Joint",
        "Value",
        "Unit",
        "Kind",
        "Achieved",
    ]
    .map(String::from)
    .to_vec();
    headers.extend(parts.iter().map(|(_, label)| format!("Of which: {label}")));
    // The places' word is the country's (`Provinces` in Thailand) when every place is a
    // first-level area, else `Places`.
    let word = ds.places_word(period.figures.iter().flat_map(|f| &f.places));
    headers.extend([word.heading(), format!("{} codes", word.heading_one())]);
    headers.extend(
        [
            "Status",
            "Status set by",
            "Status set at",
            "Evidence",
            "Note",
            "Footnotes",
            "As stated",
            "Qualifier",
            "Range top",
            "Currency",
            "Numerator",
            "Denominator",
            "Milestone status",
            "Milestone date",
            "Cumulative",
        ]
        .map(String::from),
    );
    let rows = period
        .figures
        .iter()
        .map(|f| {
            let ind = ds.indicator(f.indicator.as_str());
            let outcome = ind.and_then(|i| ds.outcome(i.outcome.as_str()));
            let mut row = vec![
                Cell::text(f.id.as_str()),
                Cell::opt(outcome.map(|o| o.priority.to_string())),
                Cell::opt(outcome.map(|o| o.code.to_string())),
                Cell::text(f.indicator.as_str()),
                Cell::opt(ind.map(|i| i.statement.clone())),
                Cell::text(org_names(ds, f)),
                Cell::text(
                    f.organisations
                        .iter()
                        .map(|o| o.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::yes_no(f.is_joint()),
                Cell::number(f.value.number()),
                Cell::opt(ind.map(|i| i.unit.clone())),
                Cell::text(match f.value {
                    FigureValue::Count { .. } | FigureValue::Withheld { .. } => "count",
                    FigureValue::Percentage { .. } => "percentage",
                    FigureValue::Milestone { .. } => "milestone",
                }),
                match f.value {
                    FigureValue::Milestone { achieved } => Cell::yes_no(achieved),
                    _ => Cell::Empty,
                },
            ];
            row.extend(
                parts
                    .iter()
                    .map(|(key, _)| Cell::number(f.part(key).map(|v| v as f64))),
            );
            row.extend([
                Cell::text(
                    f.places
                        .iter()
                        .map(|p| ds.place_name(p.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(
                    f.places
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(f.status.as_str()),
                Cell::opt(f.status_by.clone()),
                Cell::opt(f.status_at.clone()),
                Cell::opt(f.evidence.clone()),
                Cell::opt(f.note.clone()),
                Cell::text(
                    f.footnotes
                        .iter()
                        .filter_map(|id| period.footnote(id.as_str()))
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            ]);
            // How the source stated the value: kept beside the number, never lost.
            let st = &f.stated;
            row.extend([
                Cell::text(mignet_core::numbers::format_figure(f)),
                Cell::opt(st.qualifier.map(|q| q.label().to_owned())),
                Cell::number(st.high),
                Cell::opt(st.currency.map(|c| c.to_string())),
                Cell::number(st.numerator),
                Cell::number(st.denominator),
                Cell::opt(st.milestone.map(|m| m.label().to_owned())),
                Cell::opt(st.date.clone()),
                Cell::yes_no(st.cumulative),
            ]);
            row
        })
        .collect();
    Sheet {
        name: "Figures",
        headers,
        rows,
    }
}

fn org_names(ds: &Dataset, f: &Figure) -> String {
    f.organisations
        .iter()
        .map(|o| {
            ds.organisation(o.as_str())
                .map_or(o.as_str(), |o| o.short_name.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn indicators(ds: &Dataset, period: &PeriodData) -> Sheet {
    let indicator_places = ds
        .places_word(ds.framework.indicators.iter().flat_map(|i| &i.places))
        .heading();
    let headers = [
        "Indicator",
        "Priority",
        "Outcome",
        "Statement",
        "Unit",
        "Kind",
        "Disaggregations",
        indicator_places.as_str(),
        "GCM objectives",
        "SDG targets",
        "Evidence required",
        "Baseline",
        "Baseline year",
        "Baseline note",
        "Target this period",
        "Figures this period",
    ]
    .map(String::from)
    .to_vec();
    let code = &period.period.code;
    let rows = ds
        .framework
        .indicators
        .iter()
        .map(|i| {
            let priority = ds
                .outcome(i.outcome.as_str())
                .map(|o| o.priority.to_string());
            vec![
                Cell::text(i.code.as_str()),
                Cell::opt(priority),
                Cell::text(i.outcome.as_str()),
                Cell::text(&i.statement),
                Cell::text(&i.unit),
                Cell::text(match i.kind {
                    IndicatorKind::Count => "count",
                    IndicatorKind::Percentage => "percentage",
                    IndicatorKind::Milestone => "milestone",
                }),
                Cell::text(
                    i.disaggregations
                        .iter()
                        .map(|d| d.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(
                    i.places
                        .iter()
                        .map(|p| ds.place_name(p.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(
                    i.gcm
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::text(i.sdg.join(", ")),
                Cell::yes_no(i.figure_source_required),
                Cell::number(i.baseline.as_ref().map(|b| b.value)),
                Cell::number(i.baseline.as_ref().map(|b| f64::from(b.year))),
                Cell::opt(i.baseline.as_ref().and_then(|b| b.note.clone())),
                Cell::number(
                    i.targets
                        .iter()
                        .find(|t| &t.period == code && !t.cumulative)
                        .map(|t| t.value),
                ),
                Cell::Count(
                    period
                        .figures
                        .iter()
                        .filter(|f| f.indicator == i.code)
                        .count() as f64,
                ),
            ]
        })
        .collect();
    Sheet {
        name: "Indicators",
        headers,
        rows,
    }
}

/// One row per target the period has ([`mignet_core::progress`]): the period's annual target and the
/// cumulative one it counts towards, with the actual of approved figures and the per cent reached.
fn progress(ds: &Dataset, period: &PeriodData) -> Sheet {
    use mignet_core::progress::Actual;
    let headers = [
        "Indicator",
        "Statement",
        "Unit",
        "Target kind",
        "Target period",
        "Target",
        "Actual (approved figures)",
        "Reported",
        "Per cent of target",
        "Baseline",
        "Baseline year",
        "Progress",
    ]
    .map(String::from)
    .to_vec();
    let rows = ds
        .framework
        .indicators
        .iter()
        .flat_map(|i| {
            mignet_core::progress::progress(ds, i, period.period.code.as_str())
                .into_iter()
                .map(move |p| {
                    vec![
                        Cell::text(i.code.as_str()),
                        Cell::text(&i.statement),
                        Cell::text(&i.unit),
                        Cell::text(if p.cumulative { "cumulative" } else { "annual" }),
                        Cell::text(p.target_period.as_str()),
                        Cell::number(Some(p.target)),
                        Cell::number(p.actual.number()),
                        Cell::yes_no(p.actual != Actual::NotReported),
                        Cell::number(p.percent()),
                        Cell::number(i.baseline.as_ref().map(|b| b.value)),
                        Cell::number(i.baseline.as_ref().map(|b| f64::from(b.year))),
                        Cell::text(p.text_for(i.kind)),
                    ]
                })
        })
        .collect();
    Sheet {
        name: "Progress",
        headers,
        rows,
    }
}

fn statistics(period: &PeriodData) -> Sheet {
    let headers = [
        "Statistic",
        "Label",
        "Value",
        "Unit",
        "Shown as",
        "Qualifier",
        "Source",
        "Source organisation",
        "As of",
        "Footnote",
    ]
    .map(String::from)
    .to_vec();
    let rows = period
        .statistics
        .iter()
        .map(|s| {
            vec![
                Cell::text(s.id.as_str()),
                Cell::text(&s.label),
                Cell::number(Some(s.value)),
                Cell::opt(s.unit.clone()),
                Cell::text(numbers::format_statistic(s)),
                Cell::opt(s.qualifier.clone()),
                Cell::text(&s.source),
                Cell::opt(s.source_org.as_ref().map(|o| o.to_string())),
                Cell::opt(s.as_of.clone()),
                Cell::opt(
                    s.footnote
                        .as_ref()
                        .and_then(|id| period.footnote(id.as_str()))
                        .map(|n| match &n.marker {
                            Some(m) => format!("{m} {}", n.text),
                            None => n.text.clone(),
                        }),
                ),
            ]
        })
        .collect();
    Sheet {
        name: "Context statistics",
        headers,
        rows,
    }
}

fn derived(period: &PeriodData) -> Sheet {
    let headers = [
        "Derived figure",
        "Kind",
        "Formula",
        "A",
        "A value",
        "B",
        "B value",
        "Decimals",
        "Computed value",
    ]
    .map(String::from)
    .to_vec();
    let rows = period
        .derived
        .iter()
        .map(|d| {
            let operand = |id: &str| match period.resolve(id) {
                Ok(numbers::NumberRef::Figure(f)) => f.value.number(),
                Ok(numbers::NumberRef::Part(_, _, v)) => Some(v as f64),
                Ok(numbers::NumberRef::Statistic(s)) => Some(s.value),
                _ => None,
            };
            let (a, b) = (d.a.as_str(), d.b.as_str());
            let formula = match d.kind {
                DerivedKind::PercentChange => format!("({b} - {a}) / {a} × 100"),
                DerivedKind::Difference => format!("{b} - {a}"),
                DerivedKind::Share | DerivedKind::Coverage => format!("{a} / {b} × 100"),
            };
            vec![
                Cell::text(d.id.as_str()),
                Cell::text(match d.kind {
                    DerivedKind::PercentChange => "percent change",
                    DerivedKind::Difference => "difference",
                    DerivedKind::Share => "share",
                    DerivedKind::Coverage => "coverage",
                }),
                Cell::text(format!("{formula}, rounded to {} decimal(s)", d.decimals)),
                Cell::text(a),
                Cell::number(operand(a)),
                Cell::text(b),
                Cell::number(operand(b)),
                Cell::Count(f64::from(d.decimals)),
                Cell::number(
                    period
                        .compute(d)
                        .ok()
                        .map(|v| numbers::round(v, d.decimals)),
                ),
            ]
        })
        .collect();
    Sheet {
        name: "Derived figures",
        headers,
        rows,
    }
}

fn claims(period: &PeriodData) -> Sheet {
    let headers = [
        "Claim",
        "Derived figure",
        "Text",
        "Where",
        "Published",
        "Computed",
        "Agrees",
    ]
    .map(String::from)
    .to_vec();
    let rows = period
        .claims
        .iter()
        .map(|c| {
            let computed = period
                .derived(c.derived.as_str())
                .and_then(|d| period.compute(d).ok().map(|v| (v, d.decimals)));
            vec![
                Cell::text(c.id.as_str()),
                Cell::text(c.derived.as_str()),
                Cell::text(&c.text),
                Cell::opt(c.location.clone()),
                Cell::number(Some(c.published)),
                Cell::number(computed.map(|(v, d)| numbers::round(v, d))),
                computed.map_or(Cell::Empty, |(v, _)| {
                    Cell::yes_no(numbers::agrees(c.published, v))
                }),
            ]
        })
        .collect();
    Sheet {
        name: "Claims",
        headers,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mignet_core::model::FigureStatus;

    fn example() -> Dataset {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/thailand-2022");
        crate::dataset::read_dir(&dir).expect("the example dataset reads")
    }

    fn column(sheet: &Sheet, header: &str) -> usize {
        sheet
            .headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header}"))
    }

    #[test]
    fn every_figure_is_one_row_whatever_its_status_and_a_joint_one_names_all_its_organisations() {
        let mut ds = example();
        ds.periods[0].figures[1].status = FigureStatus::Draft;
        let p = ds.period("2022").unwrap();
        let sheet = figures(&ds, p);
        assert_eq!(sheet.rows.len(), p.figures.len());
        let status = column(&sheet, "Status");
        assert!(matches!(&sheet.rows[1][status], Cell::Text(s) if s == "draft"));
        let orgs = column(&sheet, "Organisations");
        let row = sheet
            .rows
            .iter()
            .find(|r| matches!(&r[0], Cell::Text(id) if id == "F-COVID-SUPPORT"))
            .unwrap();
        assert!(matches!(&row[orgs], Cell::Text(s) if s == "ILO, IOM, UN Women"));
        assert!(matches!(row[column(&sheet, "Value")], Cell::Count(v) if v == 13474.0));
        assert!(matches!(&row[column(&sheet, "Joint")], Cell::Text(s) if s == "yes"));
    }

    #[test]
    fn the_claims_sheet_shows_the_published_134_against_the_computed_147_6() {
        let ds = example();
        let sheet = claims(ds.period("2022").unwrap());
        let row = sheet
            .rows
            .iter()
            .find(|r| matches!(&r[0], Cell::Text(id) if id == "C-VOT-INCREASE"))
            .unwrap();
        assert!(matches!(row[4], Cell::Count(v) if v == 134.0));
        assert!(matches!(row[5], Cell::Number(v) if v == 147.6));
        assert!(matches!(&row[6], Cell::Text(s) if s == "no"));
    }

    #[test]
    fn the_workbook_is_a_zip_with_the_six_sheets() {
        let ds = example();
        let bytes = workbook(&ds, ds.period("2022").unwrap()).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet6.xml"));
        assert!(!text.contains("xl/worksheets/sheet7.xml"));
    }
}
