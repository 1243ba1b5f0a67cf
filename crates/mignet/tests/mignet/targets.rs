//! Targets in the exports, through the binary: the example with tests/fixtures/targets-2023 over it
//! (targets on four indicators, a second reporting year). The IATI file with baselines and targets
//! validates against the IATI 2.03 schema; the XLSX Progress sheet is read back by openpyxl; the
//! second year shows progress against its targets, the first its own.

use crate::common::*;
use serde_json::Value;

fn loaded() -> (tempfile::TempDir, Sandbox) {
    let (dir, data) = mignet_test_support::example_with(&["targets-2023"]);
    (dir, Sandbox::loaded_from(&data))
}

/// Every target of the IATI file: (indicator reference, period start, value or null, comment), and the
/// baselines: (indicator reference, year, value).
const IATI_TARGETS: &str = r#"
import json, sys, xml.etree.ElementTree as ET
doc = ET.parse(sys.argv[1]).getroot()
targets, baselines = [], []
for i in doc.iter("indicator"):
    ref = i.find("reference").get("code")
    b = i.find("baseline")
    if b is not None:
        baselines.append([ref, b.get("year"), b.get("value")])
    for p in i.findall("period"):
        start = p.find("period-start").get("iso-date")
        for t in p.findall("target"):
            targets.append([ref, start, t.get("value"), t.find("comment/narrative").text])
print(json.dumps({"targets": targets, "baselines": baselines}))
"#;

#[test]
fn the_iati_export_with_baselines_and_targets_validates_and_carries_each_targets_progress() {
    let (_dir, s) = loaded();
    for period in ["2022", "2023"] {
        let xml = s.ok_to(
            &["export", "--period", period, "--format", "iati"],
            &format!("{period}-iati.xml"),
        );
        assert!(assert_valid_iati(&xml).contains("validates"));
        let read = python_json(IATI_TARGETS, &[&xml]);
        assert!(
            read["baselines"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!(["P1.O1.I01", "2022", "0"])),
            "{read}"
        );
        let targets = read["targets"].as_array().unwrap();
        let want: Vec<Value> = if period == "2022" {
            vec![serde_json::json!([
                "P1.O1.I01",
                "2022-01-01",
                "70000",
                "Target for 2022: 74,499 of 70,000 (106.4 per cent)."
            ])]
        } else {
            vec![
                serde_json::json!([
                    "P1.O1.I01",
                    "2023-01-01",
                    "60000",
                    "Target for 2023: 52,000 of 60,000 (86.7 per cent)."
                ]),
                serde_json::json!([
                    "P1.O1.I01",
                    "2023-01-01",
                    "150000",
                    "Cumulative target, counted from 2022: 126,499 of 150,000 by 2023 (84.3 per cent)."
                ]),
                serde_json::json!([
                    "P1.O1.I02",
                    "2023-01-01",
                    "6000",
                    "Target for 2023: 6,300 of 6,000 (105.0 per cent)."
                ]),
                serde_json::json!([
                    "P1.O1.I07",
                    "2023-01-01",
                    null,
                    "Target for 2023: achieved (target: achieved)."
                ]),
                serde_json::json!([
                    "P2.O3.I01",
                    "2023-01-01",
                    "70",
                    "Target for 2023: not reported (target 70)."
                ]),
            ]
        };
        assert_eq!(targets, &want, "{period}");
    }
}

/// The Progress sheet, row by row, as openpyxl reads it.
const XLSX_PROGRESS: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Progress"]
header = [c.value for c in ws[1]]
rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
print(json.dumps({"sheets": wb.sheetnames, "rows": rows}))
"#;

#[test]
fn the_xlsx_progress_sheet_is_read_by_openpyxl_with_target_actual_and_per_cent() {
    let (_dir, s) = loaded();
    let xlsx = s.ok_to(
        &["export", "--period", "2023", "--format", "xlsx"],
        "2023.xlsx",
    );
    let read = python_json(XLSX_PROGRESS, &[&xlsx]);
    assert!(
        read["sheets"]
            .as_array()
            .unwrap()
            .contains(&"Progress".into())
    );
    let rows: Vec<Value> = read["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!([
                r["Indicator"],
                r["Target kind"],
                r["Target"],
                r["Actual (approved figures)"],
                r["Reported"],
                r["Per cent of target"]
            ])
        })
        .collect();
    assert_eq!(
        rows,
        [
            serde_json::json!(["P1.O1.I01", "annual", 60000, 52000, "yes", 86.7]),
            serde_json::json!(["P1.O1.I01", "cumulative", 150000, 126499, "yes", 84.3]),
            serde_json::json!(["P1.O1.I02", "annual", 6000, 6300, "yes", 105]),
            serde_json::json!(["P1.O1.I07", "annual", 1, 1, "yes", 100]),
            serde_json::json!(["P2.O3.I01", "annual", 70, null, "no", null]),
        ]
    );
}

#[test]
fn the_second_years_brief_shows_progress_against_its_targets() {
    let (_dir, s) = loaded();
    let md = s.ok(&["report", "--period", "2023", "--format", "md"]);
    assert!(md.contains("52,000 of 60,000 (86.7 per cent)"), "{md}");
    assert!(
        md.contains("126,499 of 150,000 by 2023 (84.3 per cent)"),
        "{md}"
    );
    assert!(md.contains("not reported (target 70)"), "{md}");
    let first = s.ok(&["report", "--period", "2022", "--format", "md"]);
    assert!(
        first.contains("74,499 of 70,000 (106.4 per cent)"),
        "{first}"
    );
}

#[test]
fn the_json_export_carries_each_targets_progress() {
    let (_dir, s) = loaded();
    let doc: Value =
        serde_json::from_str(&s.ok(&["export", "--period", "2023", "--format", "json"])).unwrap();
    let progress = doc["progress"].as_array().unwrap();
    assert_eq!(progress.len(), 5, "{progress:#?}");
    assert_eq!(
        progress[1],
        serde_json::json!({
            "indicator": "P1.O1.I01", "target_period": "2023", "cumulative": true,
            "target": 150000.0, "actual": {"kind": "number", "value": 126499.0},
            "percent": 84.3, "text": "126,499 of 150,000 by 2023 (84.3 per cent)"
        })
    );
    assert_eq!(
        progress[4]["actual"],
        serde_json::json!({"kind": "not_reported"})
    );
    assert_eq!(progress[4]["percent"], Value::Null);
    let i01 = doc["framework"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "P1.O1.I01")
        .unwrap();
    assert_eq!(i01["targets"][2]["cumulative"], true);
    assert_eq!(i01["baseline"]["year"], 2022);
}
