//! `mignet template` and `mignet import` driven as a coordinator and an agency would: the template is
//! filled in by openpyxl (a third-party writer), imported, and compared with the store's export.
//!
//! Python is found through `MIGNET_TEST_PYTHON` (default `python3`); without openpyxl these tests fail.

use crate::common::*;
use serde_json::Value;

/// The period's JSON export.
fn export(s: &Sandbox, period: &str) -> Value {
    serde_json::from_str(&s.ok(&["export", "--period", period, "--format", "json"])).unwrap()
}

/// Fills every row of the template as an agency would and prints, as JSON, the figures it typed in the
/// JSON export's shape. The joint figure (row 2, with UNICEF) stays a draft until UNICEF confirms it.
const FILL: &str = r#"
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Figures"]
h = {c.value: c.column for c in ws[1]}
typed = []
for r in range(2, ws.max_row + 1):
    code, kind, dis = ws.cell(r, h["indicator"]).value, ws.cell(r, h["kind"]).value, ws.cell(r, h["disaggregations"]).value
    org = ws.cell(r, h["organisation"]).value
    f = {"id": f"IMP-{org}-{code}", "indicator": code, "organisations": [org], "disaggregation": {}, "places": [], "note": None, "evidence": None, "status": "submitted"}
    if kind == "count":
        ws.cell(r, h["value"]).value = 100 * r
        f["value"] = {"kind": "count", "value": 100 * r}
        if dis and "part:children" in h:
            ws.cell(r, h["part:children"]).value = 10 * r
            f["disaggregation"] = {"children": 10 * r}
    elif kind == "percentage":
        ws.cell(r, h["value"]).value = 47.5
        f["value"] = {"kind": "percentage", "value": 47.5}
    else:
        ws.cell(r, h["value"]).value = "yes" if r % 2 else "no"
        f["value"] = {"kind": "milestone", "achieved": r % 2 == 1}
    if r == 2:
        ws.cell(r, h["place 1"]).value = "TH-10"
        ws.cell(r, h["place 2"]).value = "TH-S"
        ws.cell(r, h["co-reporting 1"]).value = "UNICEF"
        ws.cell(r, h["note"]).value = "ร่วมกับ UNICEF"
        ws.cell(r, h["evidence"]).value = "https://example.org/iom-2023.pdf"
        f.update(places=["TH-10", "TH-S"], note="ร่วมกับ UNICEF", evidence="https://example.org/iom-2023.pdf", organisations=[org, "UNICEF"], status="draft")
    typed.append(f)
wb.save(sys.argv[2])
print(json.dumps(typed))
"#;

/// Reads the Figures sheet of `mignet export --format xlsx` back into the shape FILL prints.
const READ_BACK: &str = r#"
import sys, json, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Figures"]
h = [c.value for c in ws[1]]
out = []
for values in ws.iter_rows(min_row=2, values_only=True):
    r = dict(zip(h, values))
    split = lambda v: [x.strip() for x in v.split(",")] if v else []
    f = {"id": r["Figure"], "indicator": r["Indicator"], "organisations": split(r["Organisation codes"]), "disaggregation": {}, "places": split(r["Province codes"]), "note": r["Note"], "evidence": r["Evidence"], "status": r["Status"]}
    if r["Kind"] == "milestone":
        f["value"] = {"kind": "milestone", "achieved": r["Achieved"] == "yes"}
    elif r["Kind"] == "percentage":
        f["value"] = {"kind": "percentage", "value": r["Value"]}
    else:
        f["value"] = {"kind": "count", "value": int(r["Value"])}
    if r.get("Of which: children") is not None:
        f["disaggregation"] = {"children": int(r["Of which: children"])}
    if f["evidence"] and f["evidence"].startswith("import:iom-2023.xlsx sha256:"):
        f["evidence"] = None
    out.append(f)
print(json.dumps(out))
"#;

/// The export's figures, without who set the status and when, and with the file's evidence marked.
fn exported_figures(export: &Value) -> Vec<Value> {
    let mut figs: Vec<Value> = export["figures"].as_array().unwrap().clone();
    for f in &mut figs {
        let o = f.as_object_mut().unwrap();
        assert_eq!(o["status_by"], "tester", "the importing user is recorded");
        assert!(o["status_at"].as_str().unwrap().ends_with('Z'));
        // A joint figure typed in a workbook is jointly reported: its value was typed, not computed.
        if o["joint"] == true {
            assert_eq!(o["joint_method"]["method"], "reported");
        }
        // A workbook names places by code only: no sites, no counted locations.
        assert_eq!(o["sites"], serde_json::json!([]));
        assert!(o["locations"].is_null() && o["in_areas"].is_null());
        for k in [
            "status_by",
            "status_at",
            "footnotes",
            "joint",
            "joint_method",
            "sites",
            "locations",
            "in_areas",
        ] {
            o.remove(k);
        }
        if let Some(e) = o["evidence"].as_str()
            && e.starts_with("import:iom-2023.xlsx sha256:")
        {
            assert_eq!(e.len(), "import:iom-2023.xlsx sha256:".len() + 64);
            o.insert("evidence".into(), Value::Null);
        }
    }
    figs
}

#[test]
fn template_and_import_answer_help_with_examples() {
    let s = Sandbox {
        dir: tempfile::tempdir().unwrap(),
    };
    for cmd in ["template", "import"] {
        let help = s.ok(&[cmd, "--help"]);
        assert!(help.contains("Examples:"), "{cmd}: {help}");
        assert!(help.contains(&format!("mignet {cmd} ")), "{cmd}: {help}");
    }
}

#[test]
fn a_template_filled_in_by_openpyxl_imports_as_the_same_figures_and_a_second_import_changes_nothing()
 {
    let s = Sandbox::with_open_2023();
    let out = s.ok(&[
        "template",
        "--org",
        "IOM",
        "--period",
        "2023",
        "-o",
        "template.xlsx",
    ]);
    assert!(out.contains("indicators IOM has reported on"), "{out}");
    let typed: Value = serde_json::from_str(&python(
        FILL,
        &[&s.path("template.xlsx"), &s.path("iom-2023.xlsx")],
    ))
    .unwrap();
    let typed = typed.as_array().unwrap();
    assert!(
        typed.len() >= 3,
        "IOM reported on several indicators in 2022"
    );

    let out = s.ok(&["import", "iom-2023.xlsx"]);
    assert!(
        out.contains(&format!("{} created, 0 updated, 0 unchanged", typed.len())),
        "{out}"
    );
    let first = export(&s, "2023");
    assert_eq!(
        &exported_figures(&first),
        typed,
        "the store holds what the agency typed"
    );
    // The round trip closes through the spreadsheet export too: read by openpyxl, its rows are the
    // figures the agency typed.
    s.ok(&[
        "export",
        "--period",
        "2023",
        "--format",
        "xlsx",
        "-o",
        "back.xlsx",
    ]);
    let back: Value = serde_json::from_str(&python(READ_BACK, &[&s.path("back.xlsx")])).unwrap();
    assert_eq!(
        &back,
        &Value::Array(typed.clone()),
        "the XLSX export gives back the typed figures"
    );

    let out = s.ok(&["import", "iom-2023.xlsx"]);
    assert!(
        out.contains("already in the store: nothing changed"),
        "{out}"
    );
    assert_eq!(export(&s, "2023"), first, "a second import changes nothing");

    // The same rows as CSV (the data sheet saved as CSV) find the same figures and change nothing: the
    // evidence stays the first file.
    let csv = python(
        r#"
import sys, csv, io, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Figures"]
out = io.StringIO()
w = csv.writer(out, lineterminator="\n")
for row in ws.iter_rows(values_only=True):
    w.writerow(["" if v is None else v for v in row])
print(out.getvalue(), end="")
"#,
        &[&s.path("iom-2023.xlsx")],
    );
    std::fs::write(s.path("iom-2023.csv"), csv).unwrap();
    let out = s.ok(&["import", "iom-2023.csv"]);
    assert!(
        out.contains(&format!(
            "{} figure(s) of IOM for 2023 already in the store: nothing changed",
            typed.len()
        )),
        "{out}"
    );
    assert_eq!(export(&s, "2023"), first);
}

#[test]
fn the_importing_user_and_the_file_are_in_the_audit_trail() {
    let s = Sandbox::with_open_2023();
    s.ok(&[
        "template", "--org", "IOM", "--period", "2023", "-o", "t.xlsx",
    ]);
    python(FILL, &[&s.path("t.xlsx"), &s.path("iom-2023.xlsx")]);
    s.ok(&["import", "--actor", "A. Coordinator", "iom-2023.xlsx"]);
    let rows = python(
        "import sqlite3, sys\nfor a, k, after in sqlite3.connect(sys.argv[1]).execute(\"SELECT actor, entity_key, after FROM audit WHERE entity = 'figure' AND entity_key LIKE '2023/IMP-%'\"): print(a, k, 'import:iom-2023.xlsx sha256:' in after)",
        &[&s.path("mignet.db")],
    );
    assert!(!rows.is_empty());
    for line in rows.lines() {
        assert!(line.starts_with("A. Coordinator 2023/IMP-IOM-"), "{line}");
        assert!(
            line.ends_with("True"),
            "the file is in every audit entry: {line}"
        );
    }
}

#[test]
fn a_file_with_any_error_writes_nothing_and_lists_every_problem() {
    let s = Sandbox::with_open_2023();
    s.ok(&[
        "template", "--org", "IOM", "--period", "2023", "-o", "t.xlsx",
    ]);
    python(
        "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1]); ws = wb['Figures']\nws['I2'] = 'many'\nws['I3'] = '=1+1'\nfor r in range(4, ws.max_row + 1):\n    ws[f'I{r}'] = 'yes' if ws[f'F{r}'].value == 'milestone' else 5\nwb.save(sys.argv[2])",
        &[&s.path("t.xlsx"), &s.path("bad.xlsx")],
    );
    let before = export(&s, "2023");
    let err = s.fails(&["import", "bad.xlsx"]);
    assert!(
        err.contains("row 2, column `value` (cell I2): `many` is not"),
        "{err}"
    );
    assert!(err.contains("cell I3 holds a formula"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(export(&s, "2023"), before);
}

#[test]
fn a_template_works_for_a_period_not_yet_in_the_store_but_its_import_asks_to_open_the_period() {
    let s = Sandbox::with_open_2023();
    let out = s.ok(&[
        "template", "--org", "IOM", "--period", "2024", "-o", "t.xlsx",
    ]);
    assert!(out.contains("the store has no period 2024 yet"), "{out}");
    python(FILL, &[&s.path("t.xlsx"), &s.path("iom-2024.xlsx")]);
    let err = s.fails(&["import", "iom-2024.xlsx"]);
    assert!(
        err.contains("the store has no period `2024`: the coordinator opens it first"),
        "{err}"
    );
}

#[test]
fn a_closed_period_is_refused() {
    let s = Sandbox::with_open_2023();
    s.ok(&[
        "template", "--org", "IOM", "--period", "2022", "-o", "t.xlsx",
    ]);
    python(FILL, &[&s.path("t.xlsx"), &s.path("iom-2022.xlsx")]);
    let err = s.fails(&["import", "iom-2022.xlsx"]);
    assert!(err.contains("period 2022 is closed"), "{err}");
}

#[test]
fn an_organisation_with_no_figures_gets_every_indicator_and_an_unknown_one_is_refused() {
    let s = Sandbox::with_open_2023();
    let out = s.ok(&["template", "--org", "RTG", "--period", "2023", "--all"]);
    assert!(out.starts_with("RTG-2023.xlsx: RTG for 2023, all"), "{out}");
    let err = s.fails(&["template", "--org", "UNHRC", "--period", "2023"]);
    assert!(
        err.contains("the store has no organisation `UNHRC`"),
        "{err}"
    );
}

#[test]
fn a_submitted_figure_is_not_overwritten_by_a_different_file() {
    // Row 3: a figure of IOM alone, submitted by the import (row 2's joint figure waits as a draft).
    let s = Sandbox::with_open_2023();
    s.ok(&[
        "template", "--org", "IOM", "--period", "2023", "-o", "t.xlsx",
    ]);
    python(FILL, &[&s.path("t.xlsx"), &s.path("iom-2023.xlsx")]);
    s.ok(&["import", "iom-2023.xlsx"]);
    python(
        "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1]); ws = wb['Figures']\nws['I3'] = 999999 if ws['F3'].value == 'count' else ('no' if ws['I3'].value == 'yes' else 'yes')\nwb.save(sys.argv[2])",
        &[&s.path("iom-2023.xlsx"), &s.path("changed.xlsx")],
    );
    let before = export(&s, "2023");
    let err = s.fails(&["import", "changed.xlsx"]);
    assert!(
        err.contains("is submitted and differs from this row"),
        "{err}"
    );
    assert!(
        err.contains("ask the coordinator to return it first"),
        "{err}"
    );
    assert_eq!(export(&s, "2023"), before);
}
