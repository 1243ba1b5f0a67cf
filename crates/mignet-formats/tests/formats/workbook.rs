//! The reporting workbook, read by a third-party reader (openpyxl) and filled in as an agency would,
//! then read back; and the hostile files an importer must refuse without crashing.
//!
//! Python is found through `MIGNET_TEST_PYTHON` (default `python3`); without openpyxl these tests fail.

use mignet_core::model::{Dataset, FigureValue, IndicatorKind};
use mignet_core::{OrgCode, PeriodCode};
use mignet_formats::workbook::{self, ImportError, Submission, csv, template, xlsx};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> Dataset {
    mignet_formats::dataset::read_dir(&mignet_test_support::example()).expect("the example loads")
}

/// The IOM template for 2023 listing every indicator, written into `dir`.
fn template_file(ds: &Dataset, dir: &Path) -> PathBuf {
    let inds: Vec<_> = ds.framework.indicators.iter().collect();
    let bytes = template::write(
        ds,
        &OrgCode::parse("IOM").unwrap(),
        &PeriodCode::parse("2023").unwrap(),
        &inds,
    )
    .unwrap();
    let path = dir.join("iom-2023.xlsx");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Runs a Python script with openpyxl; its standard output. Fails the test if Python or openpyxl is
/// missing.
fn python(script: &str, args: &[&Path]) -> String {
    mignet_test_support::python(&format!("import sys, openpyxl\n{script}"), args)
}

/// Fills the template as an agency would, with openpyxl: `edits` is Python code run with `ws` the data
/// sheet and `col` the column letter of a header, before the file is saved to `out`.
fn filled(template: &Path, out: &Path, edits: &str) -> Vec<u8> {
    let script = format!(
        r#"
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Figures"]
heads = {{c.value: c.column_letter for c in ws[1]}}
def col(h): return heads[h]
def row(code):
    for r in range(2, ws.max_row + 1):
        if ws[f"C{{r}}"].value == code: return r
    raise KeyError(code)
{edits}
wb.save(sys.argv[2])
"#
    );
    python(&script, &[template, out]);
    std::fs::read(out).unwrap()
}

fn problems(r: Result<Submission, Vec<ImportError>>) -> Vec<String> {
    r.expect_err("the file must be refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_template_opens_in_openpyxl_with_its_sheets_locked_columns_and_validations() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let out = python(
        r#"
wb = openpyxl.load_workbook(sys.argv[1])
print([(ws.title, ws.sheet_state) for ws in wb.worksheets])
ws = wb["Figures"]
print([c.value for c in ws[1]])
print(ws.max_row - 1, ws.protection.sheet)
kinds = {}
for dv in ws.data_validations.dataValidation:
    kinds.setdefault(dv.type, 0); kinds[dv.type] += 1
print(sorted(kinds.items()))
print(ws["C2"].protection.locked, ws["I2"].protection.locked)
meta = wb["mignet"]
print({r[0].value: r[1].value for r in meta.iter_rows()})
"#,
        &[&t],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "[('Instructions', 'visible'), ('Figures', 'visible'), ('Lists', 'visible'), ('mignet', 'hidden')]"
    );
    assert!(lines[1].starts_with("['organisation', 'period', 'indicator', 'statement', 'unit', 'kind', 'disaggregations', 'indicator places', 'value', 'part:children', 'place 1'"), "{}", lines[1]);
    assert!(
        lines[1].ends_with("'co-reporting 8', 'note', 'evidence']"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], format!("{} True", ds.framework.indicators.len()));
    // Counts are whole numbers, percentages decimals, milestones a list; places and partners lists.
    assert!(
        lines[3].contains("('whole',") && lines[3].contains("('list',"),
        "{}",
        lines[3]
    );
    assert_eq!(
        lines[4], "True False",
        "indicator cells locked, value cells open"
    );
    assert!(
        lines[5].contains("'framework': '2022.1'")
            && lines[5].contains("'format': 'mignet-workbook/1'"),
        "{}",
        lines[5]
    );
    assert!(
        lines[5].contains(&format!(
            "'fingerprint': '{}'",
            workbook::fingerprint(&ds.framework.indicators)
        )),
        "{}",
        lines[5]
    );
}

#[test]
fn a_template_filled_in_by_openpyxl_reads_back_as_the_values_typed() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let count = ds
        .framework
        .indicators
        .iter()
        .find(|i| i.kind == IndicatorKind::Count && !i.disaggregations.is_empty())
        .unwrap();
    let bytes = filled(
        &t,
        &dir.path().join("filled.xlsx"),
        &format!(
            r#"
r = row("{code}")
ws[f"{{col('value')}}{{r}}"] = 4805
ws[f"{{col('part:children')}}{{r}}"] = 2233
ws[f"{{col('place 1')}}{{r}}"] = "TH-10"
ws[f"{{col('place 2')}}{{r}}"] = "TH-50"
ws[f"{{col('co-reporting 1')}}{{r}}"] = "UNICEF"
ws[f"{{col('note')}}{{r}}"] = "ทดสอบ: Thai text survives"
ws[f"{{col('evidence')}}{{r}}"] = "https://example.org/report.pdf"
"#,
            code = count.code
        ),
    );
    let sub = xlsx::read(&bytes).unwrap();
    assert_eq!(sub.organisation.as_str(), "IOM");
    assert_eq!(sub.period.as_str(), "2023");
    assert_eq!(sub.listed.len(), ds.framework.indicators.len());
    assert_eq!(sub.same_framework(&ds), Some(true));
    assert_eq!(sub.entries.len(), 1, "empty rows are not reported");
    let figs = sub.figures(&ds, "import:filled.xlsx").unwrap();
    let f = &figs[0];
    assert_eq!(f.id.as_str(), format!("IMP-IOM-{}", count.code));
    assert_eq!(f.value, FigureValue::Count { value: 4805 });
    assert_eq!(f.disaggregation, vec![("children".to_owned(), 2233)]);
    assert_eq!(
        f.places.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["TH-10", "TH-50"]
    );
    assert_eq!(
        f.organisations
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>(),
        ["IOM", "UNICEF"]
    );
    assert_eq!(f.note.as_deref(), Some("ทดสอบ: Thai text survives"));
    assert_eq!(
        f.evidence.as_deref(),
        Some("https://example.org/report.pdf")
    );
}

#[test]
fn every_problem_of_a_workbook_is_reported_at_once_with_sheet_row_column_and_expectation() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let pct = ds
        .framework
        .indicators
        .iter()
        .position(|i| i.kind == IndicatorKind::Percentage);
    let cnt = ds
        .framework
        .indicators
        .iter()
        .position(|i| i.kind == IndicatorKind::Count)
        .unwrap();
    let mut edits = format!(
        "ws[f\"{{col('value')}}{r}\"] = \"lots\"\nws[f\"{{col('place 1')}}{r}\"] = \"th 99\"\n",
        r = cnt + 2
    );
    if let Some(p) = pct {
        edits += &format!("ws[f\"{{col('value')}}{}\"] = 140\n", p + 2);
    }
    let bytes = filled(&t, &dir.path().join("bad.xlsx"), &edits);
    let p = problems(xlsx::read(&bytes));
    let r = cnt + 2;
    assert!(p.contains(&format!("sheet `Figures`, row {r}, column `value` (cell I{r}): `lots` is not a whole number; expected a whole number of 0 or more, typed without separators (4805)")), "{p:#?}");
    assert!(
        p.iter()
            .any(|m| m.contains(&format!("row {r}, column `place 1`"))
                && m.contains("`th 99` is not a place code")),
        "{p:#?}"
    );
    if let Some(pr) = pct {
        assert!(
            p.iter().any(|m| m.contains(&format!("(cell I{})", pr + 2))
                && m.contains("140 is outside 0 to 100")),
            "{p:#?}"
        );
    }
}

#[test]
fn a_place_of_another_country_is_refused_with_its_row_and_column() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let count = ds
        .framework
        .indicators
        .iter()
        .find(|i| i.kind == IndicatorKind::Count && i.places.is_empty())
        .unwrap();
    let bytes = filled(
        &t,
        &dir.path().join("foreign.xlsx"),
        &format!(
            r#"
r = row("{code}")
ws[f"{{col('value')}}{{r}}"] = 12
ws[f"{{col('place 1')}}{{r}}"] = "TH-63"
ws[f"{{col('place 2')}}{{r}}"] = "MM-06"
"#,
            code = count.code
        ),
    );
    // Well spelt, so the file reads; the network's rules refuse the place of Myanmar.
    let sub = xlsx::read(&bytes).unwrap();
    let errs: Vec<String> = sub
        .figures(&ds, "import:foreign.xlsx")
        .expect_err("a Thai network's figure in Yangon is refused")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("column `place 2`") && errs[0].contains("Yangon (MM-06) is in Myanmar"),
        "{errs:#?}"
    );
}

#[test]
fn a_formula_where_a_number_belongs_is_refused_with_its_cell() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let bytes = filled(&t, &dir.path().join("f.xlsx"), "ws[\"I2\"] = \"=2+3\"\n");
    let p = problems(xlsx::read(&bytes));
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].contains("cell I2 holds a formula") && p[0].contains("type the number"),
        "{p:#?}"
    );
}

#[test]
fn merged_cells_are_refused() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let bytes = filled(
        &t,
        &dir.path().join("m.xlsx"),
        "ws[\"I2\"] = 5\nws.merge_cells(\"I2:I3\")\n",
    );
    let p = problems(xlsx::read(&bytes));
    assert!(
        p.iter()
            .any(|m| m.contains("cells I2:I3 are merged") && m.contains("unmerge")),
        "{p:#?}"
    );
}

#[test]
fn a_hidden_row_with_data_is_refused_never_imported_silently() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let bytes = filled(
        &t,
        &dir.path().join("h.xlsx"),
        "ws[\"I3\"] = 7\nws.row_dimensions[3].hidden = True\n",
    );
    let p = problems(xlsx::read(&bytes));
    assert_eq!(
        p,
        [
            "sheet `Figures`, row 3: the row is hidden and holds data; expected every row with data visible: unhide it, or delete it if it is not meant to be sent"
        ]
    );
}

#[test]
fn a_workbook_from_a_framework_where_an_indicator_changed_kind_is_refused_with_the_reason() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let i = ds
        .framework
        .indicators
        .iter()
        .position(|i| i.kind == IndicatorKind::Count)
        .unwrap();
    let bytes = filled(
        &t,
        &dir.path().join("old.xlsx"),
        &format!("ws[\"I{}\"] = 12\n", i + 2),
    );
    let sub = xlsx::read(&bytes).unwrap();
    let mut newer = ds.clone();
    newer.framework.version = "2023.1".into();
    newer.framework.indicators[i].kind = IndicatorKind::Percentage;
    let e = sub.figures(&newer, "x").unwrap_err();
    assert_eq!(e.len(), 1);
    let m = e[0].to_string();
    assert!(
        m.contains("as a count, but the framework makes it a percentage"),
        "{m}"
    );
    assert!(
        m.contains("made from framework 2022.1, the store has 2023.1"),
        "{m}"
    );
    // The same codes and kinds under a new version: matched, and said so.
    let mut renamed = ds.clone();
    renamed.framework.version = "2023.1".into();
    assert_eq!(sub.same_framework(&renamed), Some(false));
    assert_eq!(sub.figures(&renamed, "x").unwrap().len(), 1);
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.xlsx");
    python(
        "import zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\nz.writestr('xl/worksheets/sheet1.xml', b'\\0' * (200 * 1024 * 1024))\nz.close()",
        &[&bomb],
    );
    let bytes = std::fs::read(&bomb).unwrap();
    assert!(bytes.len() < 1024 * 1024, "the bomb is small");
    let p = problems(xlsx::read(&bytes));
    assert!(
        p[0].contains("inflates to more than 32 MiB (a zip bomb?)"),
        "{p:#?}"
    );
}

#[test]
fn a_workbook_declaring_a_billion_texts_is_refused_before_calamine_reserves_memory_for_them() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let out = dir.path().join("sst.xlsx");
    python(
        r#"
import zipfile, re
zin = zipfile.ZipFile(sys.argv[1]); zout = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)
for i in zin.infolist():
    data = zin.read(i.filename)
    if i.filename == 'xl/sharedStrings.xml':
        data = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="999999999999999"', data)
    zout.writestr(i, data)
zout.close()
"#,
        &[&t, &out],
    );
    let p = problems(xlsx::read(&std::fs::read(&out).unwrap()));
    assert!(p[0].contains("declares `999999999999999` texts"), "{p:#?}");
}

#[test]
fn a_value_far_outside_the_sheet_is_refused_without_allocating_the_sheet() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let bytes = filled(&t, &dir.path().join("far.xlsx"), "ws[\"XFD1048576\"] = 1\n");
    let p = problems(xlsx::read(&bytes));
    assert!(
        p.iter()
            .any(|m| m.contains("cell XFD1048576 holds data outside the sheet's area")),
        "{p:#?}"
    );
}

#[test]
fn files_that_are_not_workbooks_are_refused_with_a_reason() {
    let p = problems(xlsx::read(b"organisation,period\n"));
    assert!(p[0].contains("not a readable .xlsx workbook"), "{p:#?}");
    let p = problems(xlsx::read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]));
    assert!(p[0].contains("encrypted workbook or an old .xls"), "{p:#?}");
}

const CSV_HEADER: &str = "organisation,period,indicator,statement,unit,kind,disaggregations,indicator places,value,part:children,place 1,place 2,co-reporting 1,note,evidence\n";

#[test]
fn a_csv_with_the_data_sheet_columns_reads_like_the_workbook() {
    let ds = example();
    let i = ds
        .framework
        .indicators
        .iter()
        .find(|i| !i.disaggregations.is_empty())
        .unwrap();
    let text = format!(
        "{CSV_HEADER}IOM,2023,{},\"a statement, with a comma\",people,count,children,,4805,2233,TH-10,TH-50,UNICEF,\"ทดสอบ\",https://example.org\n",
        i.code
    );
    let sub = csv::read(text.as_bytes()).unwrap();
    assert_eq!(
        sub.same_framework(&ds),
        None,
        "a CSV does not say its framework"
    );
    let f = &sub.figures(&ds, "import:x.csv").unwrap()[0];
    assert_eq!(f.value, FigureValue::Count { value: 4805 });
    assert_eq!(f.disaggregation, vec![("children".to_owned(), 2233)]);
    assert_eq!(f.organisations.len(), 2);
    assert_eq!(f.note.as_deref(), Some("ทดสอบ"));
}

#[test]
fn a_csv_reports_every_bad_line_with_its_line_and_column() {
    let text = format!(
        "{CSV_HEADER}IOM,2023,P1.O1.I01,,,count,,,12.5,,,,,,\nIOM,2024,P1.O1.I02,,,count,,,3,,TH-10,TH-10,IOM,,\n"
    );
    let p = problems(csv::read(text.as_bytes()));
    assert!(p.contains(&"csv, line 2, column `value`: 12.5 is not a whole number of 0 or more; expected a whole number of 0 or more, typed without separators (4805)".to_owned()) || p.iter().any(|m| m.starts_with("csv, line 2, column `value`: `12.5` is not a whole number")), "{p:#?}");
    assert!(
        p.iter().any(
            |m| m.starts_with("csv, line 3, column `period`: `2024` differs from `2023` above")
        ),
        "{p:#?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("csv, line 3, column `place 2`: TH-10 is given twice")),
        "{p:#?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("csv, line 3, column `co-reporting 1`: IOM is named twice")),
        "{p:#?}"
    );
}

#[test]
fn a_csv_with_a_100_mb_line_is_refused_after_reading_64_kib() {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(CSV_HEADER.as_bytes()).unwrap();
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    let p = problems(csv::read(std::fs::File::open(f.path()).unwrap()));
    assert_eq!(
        p,
        [
            "csv, line 2: the line is longer than 64 KiB; expected one indicator per line; is this the right file?"
        ]
    );
}

#[test]
fn a_csv_in_latin_1_or_utf_16_is_refused_with_how_to_save_it() {
    let latin1 = [
        CSV_HEADER.as_bytes(),
        b"IOM,2023,P1.O1.I01,,,count,,,1,,,,,caf\xe9,\n",
    ]
    .concat();
    let p = problems(csv::read(latin1.as_slice()));
    assert!(
        p[0].starts_with("csv, line 2: byte 39 of the line (0xE9) is not UTF-8"),
        "{p:#?}"
    );
    assert!(p[0].contains("CSV UTF-8"), "{p:#?}");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(CSV_HEADER.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    assert!(problems(csv::read(utf16.as_slice()))[0].contains("UTF-16"));
}

#[test]
fn libreoffice_converts_the_template_to_csv_without_complaint_and_the_csv_reads_back() {
    // LibreOffice is installed by scripts/test.sh (libreoffice-calc-nogui); this test fails without it.
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let t = template_file(&ds, dir.path());
    let soffice = std::env::var("MIGNET_TEST_SOFFICE").unwrap_or_else(|_| "soffice".into());
    let out = Command::new(&soffice)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&t)
        .env("HOME", dir.path())
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {soffice}: {e} (apt-get install libreoffice-calc-nogui)")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // With sheet selection 2, LibreOffice writes the second sheet (Figures) as <name>-Figures.csv.
    let csv_path = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("LibreOffice wrote a CSV");
    let sub = csv::read(std::fs::File::open(&csv_path).unwrap()).unwrap();
    assert_eq!(sub.listed.len(), ds.framework.indicators.len());
    assert!(sub.entries.is_empty(), "an empty template has no figures");
}

/// A workbook's bytes depend on its content alone: its creation time is fixed, not the moment it was
/// written (a template downloaded twice, in two different seconds, used to differ).
#[test]
fn a_template_and_an_export_carry_a_fixed_creation_time() {
    let ds = example();
    let dir = tempfile::tempdir().unwrap();
    let template = template_file(&ds, dir.path());
    let export = dir.path().join("export.xlsx");
    std::fs::write(
        &export,
        mignet_formats::xlsx::workbook(&ds, ds.period("2022").unwrap()).unwrap(),
    )
    .unwrap();
    let created = python(
        "print(*[openpyxl.load_workbook(p).properties.created.isoformat() for p in sys.argv[1:]])",
        &[&template, &export],
    );
    assert_eq!(created.trim(), "2000-01-01T00:00:00 2000-01-01T00:00:00");
}

/// The workbook of a network of another country lists its own places and speaks of no province.
#[test]
fn the_workbook_of_another_country_lists_its_places_and_no_thai_ones() {
    let ds = mignet_formats::dataset::read_dir(
        &mignet_test_support::root().join("examples/myanmar-2024"),
    )
    .expect("the Myanmar example loads");
    let inds: Vec<_> = ds.framework.indicators.iter().collect();
    let bytes = template::write(
        &ds,
        &OrgCode::parse("IOM").unwrap(),
        &PeriodCode::parse("2024").unwrap(),
        &inds,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iom-2024.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let out = python(
        r#"
wb = openpyxl.load_workbook(sys.argv[1])
for name in ["Instructions", "Lists", "Figures"]:
    for row in wb[name].iter_rows(values_only=True):
        print("\t".join("" if v is None else str(v) for v in row))
for dv in wb["Figures"].data_validations.dataValidation:
    print("validation:", dv.error)
"#,
        &[&path],
    );
    let lower = out.to_lowercase();
    for word in ["province", "thailand", "thai", "3166-2:th", "th-10"] {
        assert!(!lower.contains(word), "`{word}` in:\n{out}");
    }
    assert!(
        out.contains("MMR013D003S001\tHlaing Tharyar\tလှိုင်သာယာ"),
        "{out}"
    );
    assert!(out.contains("MM-06\tYangon"), "{out}");
    assert!(
        out.contains(
            "ISO 3166-2 codes of MM, such as MM-01, or P-codes of the network's gazetteer"
        ),
        "{out}"
    );
}
