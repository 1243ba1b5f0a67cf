//! The exchange-format exports (IATI, HXL, XLSX) driven through the `mignet` binary and read back by the
//! tools their users run: xmllint against the IATI 2.03 schema, libhxl, openpyxl. Every check compares
//! what the tool reads with the store's own figures, taken from the JSON export.
//!
//! The Python tools run under `MIGNET_TEST_PYTHON` (default `python3`); a missing tool fails the test
//! rather than skipping it (scripts/test.sh installs them).

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Exports the 2022 period to a file in the sandbox and returns its path.
fn export(s: &Sandbox, format: &str, file: &str) -> PathBuf {
    s.ok_to(&["export", "--period", "2022", "--format", format], file)
}

/// The 2022 period's JSON export.
fn json(s: &Sandbox) -> Value {
    serde_json::from_str(&s.ok(&["export", "--period", "2022", "--format", "json"])).unwrap()
}

/// A copy of the example with one figure's status changed from approved.
fn example_with_status(dir: &Path, figure: &str, status: &str) -> PathBuf {
    let target = dir.join("edited");
    copy_dir(&example(), &target);
    let path = target.join("periods/2022/figures.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(&format!("id = \"{figure}\""))
        .expect("figure in the example");
    let (head, tail) = text.split_at(at);
    let tail = tail.replacen(
        "status = \"approved\"",
        &format!("status = \"{status}\""),
        1,
    );
    std::fs::write(&path, format!("{head}{tail}")).unwrap();
    target
}

/// The figures of the JSON export: id -> (number or null, status).
fn store_figures(doc: &Value) -> Vec<(String, Value, String)> {
    doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let value = match f["value"]["kind"].as_str().unwrap() {
                "milestone" => Value::Null,
                _ => f["value"]["value"].clone(),
            };
            (
                f["id"].as_str().unwrap().to_owned(),
                value,
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn approved_numbers(doc: &Value) -> serde_json::Map<String, Value> {
    store_figures(doc)
        .into_iter()
        .filter(|(_, _, status)| status == "approved")
        .map(|(id, v, _)| (id, v))
        .collect()
}

#[test]
fn export_help_shows_an_example_of_every_format() {
    let s = Sandbox {
        dir: tempfile::tempdir().unwrap(),
    };
    let help = s.ok(&["export", "--help"]);
    for format in ["json", "xlsx", "hxl", "iati"] {
        assert!(
            help.contains(&format!("--format {format}")),
            "no {format} example in:\n{help}"
        );
    }
    assert!(help.contains("docs/exports.md"), "{help}");
}

// ---------------------------------------------------------------- IATI

#[test]
fn the_iati_export_validates_against_the_iati_2_03_activity_schema() {
    let s = Sandbox::loaded();
    let xml = export(&s, "iati", "2022-iati.xml");
    assert!(assert_valid_iati(&xml).contains("validates"));
}

/// Reads the IATI file: the value of every actual without a dimension, by the figure its comment names,
/// and every coded attribute checked against the IATI codelists beside the schema.
const IATI_READ: &str = r#"
import json, re, sys, xml.etree.ElementTree as ET
doc, codelists = ET.parse(sys.argv[1]).getroot(), sys.argv[2]
def codes(name):
    return {c.text for c in ET.parse(f"{codelists}/{name}.xml").getroot().iter("code")}
bad = []
def check(xpath, attr, codelist, when=lambda e: True):
    known = codes(codelist)
    for e in doc.iter(xpath):
        if when(e) and e.get(attr) not in known:
            bad.append(f"{xpath}/@{attr}={e.get(attr)} not in {codelist}")
check("participating-org", "role", "OrganisationRole")
check("participating-org", "type", "OrganisationType", lambda e: e.get("type") is not None)
check("reporting-org", "type", "OrganisationType")
check("activity-status", "code", "ActivityStatus")
check("recipient-country", "code", "Country")
check("sector", "vocabulary", "SectorVocabulary")
check("sector", "code", "Sector")
check("result", "type", "ResultType")
check("indicator", "measure", "IndicatorMeasure")
check("tag", "code", "UNSDG-Goals", lambda e: e.get("vocabulary") == "2")
check("tag", "code", "UNSDG-Targets", lambda e: e.get("vocabulary") == "3")
for r in doc.iter("result"):
    check_ref = [x.get("vocabulary") for x in r.findall("reference")]
    bad += [f"result/reference/@vocabulary={v}" for v in check_ref if v not in codes("ResultVocabulary")]
for i in doc.iter("indicator"):
    bad += [f"indicator/reference/@vocabulary={x.get('vocabulary')}" for x in i.findall("reference")
            if x.get("vocabulary") not in codes("IndicatorVocabulary")]
actuals, parts = {}, {}
for a in doc.iter("actual"):
    text = a.find("comment/narrative").text
    fig = re.match(r"(?:Part of )?[Ff]igure (\S+?)[,. ]", text).group(1)
    value = a.get("value")
    value = None if value is None else float(value)
    if a.find("dimension") is None:
        assert fig not in actuals, f"{fig} has two totals"
        actuals[fig] = value
    else:
        parts[fig + "/" + a.find("dimension").get("value")] = value
print(json.dumps({"bad": bad, "actuals": actuals, "parts": parts,
                  "activities": len(doc.findall("iati-activity"))}))
"#;

#[test]
fn the_iati_export_has_one_actual_per_approved_figure_with_the_stores_value_and_only_listed_codes()
{
    let codelists = iati_schema_dir().join("codelists");
    let s = Sandbox::loaded();
    let xml = export(&s, "iati", "2022-iati.xml");
    let read = python_json(IATI_READ, &[&xml, &codelists]);
    assert_eq!(
        read["bad"],
        serde_json::json!([]),
        "codes outside the codelists"
    );
    let expected: serde_json::Map<String, Value> = approved_numbers(&json(&s))
        .into_iter()
        .map(|(id, v)| (id, v.as_f64().map_or(Value::Null, Value::from)))
        .collect();
    assert_eq!(expected.len(), 30);
    assert_eq!(read["actuals"], Value::Object(expected));
    assert_eq!(read["parts"], serde_json::json!({"F-PFA/children": 2233.0}));
    assert_eq!(read["activities"], 3, "one activity per priority");
}

#[test]
fn a_figure_that_is_not_approved_stays_out_of_the_public_exports() {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = example_with_status(tmp.path(), "F-PFA", "submitted");
    let s = Sandbox::loaded_from(&dataset);
    let xml = std::fs::read_to_string(export(&s, "iati", "2022-iati.xml")).unwrap();
    assert!(!xml.contains("F-PFA"), "a submitted figure was published");
    assert!(!xml.contains("value=\"4805\""));
    assert!(xml.contains("F-COVID-IEC"));
    let hxl = std::fs::read_to_string(export(&s, "hxl", "2022.hxl.csv")).unwrap();
    assert!(!hxl.contains("F-PFA"), "a submitted figure was published");
    assert!(!hxl.contains("4805"));
    assert!(hxl.contains("F-COVID-IEC"));
}

#[test]
fn an_unknown_export_format_is_refused_with_the_known_ones() {
    let s = Sandbox::loaded();
    let out = s.mignet(&["export", "--period", "2022", "--format", "iatii"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown export format `iatii`"), "{stderr}");
    assert!(stderr.contains("iati"), "{stderr}");
}

// ---------------------------------------------------------------- HXL

/// Reads the HXL file with libhxl, as an HXL user would: validity under libhxl's default schema, each
/// figure's numbers by `#meta+id`, and the column totals.
const HXL_READ: &str = r##"
import json, sys, hxl
def data():
    return hxl.data(sys.argv[1], hxl.InputOptions(allow_local=True))
report = hxl.validate(data())
rows = {}
totals = {"#reached+ind": 0.0, "#output+num": 0.0}
tags = [c.display_tag for c in data().columns]
for row in data():
    fid = row.get("#meta+id")
    assert fid not in rows, f"{fid} appears twice"
    num = lambda tag: None if row.get(tag) in (None, "") else float(row.get(tag))
    rows[fid] = {"value": num("#indicator+value+num"), "reached": num("#reached+ind"),
                 "output": num("#output+num"), "children": num("#reached+ind+children"),
                 "orgs": row.get("#org+code"), "adm1": row.get("#adm1+code")}
    for tag in totals:
        totals[tag] += num(tag) or 0.0
print(json.dumps({"valid": report["is_valid"], "issues": report["issues"], "rows": rows,
                  "totals": totals, "tags": tags}))
"##;

#[test]
fn the_hxl_export_is_read_by_libhxl_with_every_approved_figure_once_and_its_stored_value() {
    let s = Sandbox::loaded();
    let csv = export(&s, "hxl", "2022.hxl.csv");
    let read = python_json(HXL_READ, &[&csv]);
    assert_eq!(
        read["valid"], true,
        "libhxl finds issues: {}",
        read["issues"]
    );
    let rows = read["rows"].as_object().unwrap();
    let doc = json(&s);
    let expected = approved_numbers(&doc);
    assert_eq!(rows.len(), expected.len(), "one row per approved figure");
    for (id, value) in &expected {
        let row = &rows.get(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(row["value"].as_f64(), value.as_f64(), "{id}");
        // Each count is either people reached or another output, never both, never neither.
        let count = doc["figures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == id.as_str() && f["value"]["kind"] == "count");
        let placed = [&row["reached"], &row["output"]]
            .iter()
            .filter(|v| !v.is_null())
            .count();
        assert_eq!(placed, usize::from(count), "{id}: {row}");
    }
    // Column totals: nothing counted twice, nothing lost.
    let counts: f64 = doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "approved" && f["value"]["kind"] == "count")
        .map(|f| f["value"]["value"].as_f64().unwrap())
        .sum();
    let t = &read["totals"];
    assert_eq!(
        t["#reached+ind"].as_f64().unwrap() + t["#output+num"].as_f64().unwrap(),
        counts
    );
    assert_eq!(rows["F-PFA"]["children"], 2233.0);
    assert_eq!(rows["F-PFA"]["adm1"], "TH-10 | TH-50 | TH-71 | TH-52");
    assert_eq!(
        rows["F-COVID-IEC"]["orgs"],
        "ILO | IOM | UNICEF | UNWOMEN | WHO"
    );
    assert!(
        rows["F-XENO-VIEWS"]["reached"].is_null(),
        "views are not people"
    );
    let tags = read["tags"].as_array().unwrap();
    for tag in [
        "#org+name",
        "#indicator+code",
        "#adm1+name",
        "#status",
        "#date+start",
    ] {
        assert!(tags.iter().any(|t| t == tag), "{tag} missing: {tags:?}");
    }
}

// ---------------------------------------------------------------- XLSX

/// Reads the workbook with openpyxl, as a spreadsheet user's tools would: the sheets, the header rows'
/// look, and every figure's value and status by id.
const XLSX_READ: &str = r##"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "layout": {}}
for ws in wb.worksheets:
    header = [c for c in ws[1] if c.value is not None]
    widths = {i: d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
    out["layout"][ws.title] = {
        "bold": all(c.font.b for c in header),
        "freeze": ws.freeze_panes,
        # Unset columns read as openpyxl's default of 13 characters, narrower than most headers here.
        "widths": all(widths.get(c.column, 13) >= len(c.value) for c in header),
    }
def table(name, key):
    ws = wb[name]
    header = [c.value for c in ws[1]]
    rows = {}
    for values in ws.iter_rows(min_row=2, values_only=True):
        row = dict(zip(header, values))
        assert row[key] not in rows, f"{row[key]} appears twice in {name}"
        rows[row[key]] = row
    return rows
figures = table("Figures", "Figure")
out["figures"] = {k: {"value": r["Value"], "numeric": isinstance(r["Value"], (int, float)),
                      "status": r["Status"], "orgs": r["Organisations"], "joint": r["Joint"],
                      "children": r.get("Of which: children")}
                  for k, r in figures.items()}
out["claims"] = {k: [r["Published"], r["Computed"], r["Agrees"]] for k, r in table("Claims", "Claim").items()}
out["derived"] = {k: r["Computed value"] for k, r in table("Derived figures", "Derived figure").items()}
out["statistics"] = {k: r["Value"] for k, r in table("Context statistics", "Statistic").items()}
out["indicators"] = len(table("Indicators", "Indicator"))
print(json.dumps(out, default=str))
"##;

#[test]
fn the_xlsx_export_is_read_by_openpyxl_with_every_figure_of_every_status_and_its_stored_value() {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = example_with_status(tmp.path(), "F-PFA", "submitted");
    let s = Sandbox::loaded_from(&dataset);
    let xlsx = export(&s, "xlsx", "2022.xlsx");
    let read = python_json(XLSX_READ, &[&xlsx]);
    assert_eq!(
        read["sheets"],
        serde_json::json!([
            "Figures",
            "Indicators",
            "Context statistics",
            "Derived figures",
            "Claims",
            "Progress"
        ])
    );
    for (sheet, layout) in read["layout"].as_object().unwrap() {
        assert_eq!(
            layout,
            &serde_json::json!({"bold": true, "freeze": "A2", "widths": true}),
            "{sheet}: header row bold, frozen, columns sized"
        );
    }
    let doc = json(&s);
    let figures = read["figures"].as_object().unwrap();
    let store = store_figures(&doc);
    assert_eq!(figures.len(), store.len(), "one row per figure");
    for (id, value, status) in &store {
        let row = &figures[id];
        assert_eq!(row["value"].as_f64(), value.as_f64(), "{id}");
        assert_eq!(row["numeric"], !value.is_null(), "{id}: numbers as numbers");
        assert_eq!(row["status"], status.as_str(), "{id}");
    }
    assert_eq!(figures["F-PFA"]["status"], "submitted");
    assert_eq!(figures["F-PFA"]["children"], 2233);
    assert_eq!(figures["F-COVID-SUPPORT"]["orgs"], "ILO, IOM, UN Women");
    assert_eq!(figures["F-COVID-SUPPORT"]["joint"], "yes");
    assert_eq!(
        read["claims"]["C-VOT-INCREASE"],
        serde_json::json!([134, 147.6, "no"])
    );
    assert_eq!(read["derived"]["D-VOT-INCREASE"], 147.6);
    for st in doc["statistics"].as_array().unwrap() {
        let id = st["id"].as_str().unwrap();
        assert_eq!(
            read["statistics"][id].as_f64(),
            st["value"].as_f64(),
            "{id}"
        );
    }
    assert_eq!(
        read["indicators"],
        doc["framework"]["indicators"].as_array().unwrap().len()
    );
}
