//! `mignet completeness`: the round of the example's period 2023 from the command line, as text, JSON
//! and a workbook that openpyxl reads back with the same counts.

use crate::common::Sandbox;
use mignet_test_support::python_json;

#[test]
fn the_round_is_counted_on_the_day_given_and_its_workbook_holds_the_same_counts() {
    let s = Sandbox::loaded();
    let before = round_json(&s, "2024-02-16");
    let assigned = before["assigned"].as_u64().unwrap();
    assert!(assigned > 40, "{before}");
    assert_eq!(before["reported"], 0);
    assert_eq!(before["past_due"], false, "the due day itself is not late");

    let after = round_json(&s, "2024-02-17");
    assert_eq!(after["past_due"], true);
    let overdue: u64 = after["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["overdue"].as_u64().unwrap())
        .sum();
    assert_eq!(overdue, assigned, "nothing was reported: all is overdue");

    let text = s.ok(&["completeness", "--period", "2023", "--today", "2024-02-17"]);
    assert!(
        text.starts_with(&format!(
            "Period 2023 on 2024-02-17: 0 of {assigned} assignments reported (due 2024-02-16, past due)"
        )),
        "{text}"
    );
    assert!(
        text.contains("overdue: IOM P1.O1.I01 (not started)"),
        "{text}"
    );

    let xlsx = s.ok_to(
        &[
            "completeness",
            "--period",
            "2023",
            "--today",
            "2024-02-17",
            "--format",
            "xlsx",
        ],
        "round.xlsx",
    );
    let read = python_json(
        r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
orgs = list(wb["Organisations"].iter_rows(values_only=True))
cells = list(wb["Assignments"].iter_rows(values_only=True))
print(json.dumps({"org_header": orgs[0], "orgs": {r[0]: {"assigned": r[2], "overdue": r[9]} for r in orgs[1:]}, "assignments": len(cells) - 1, "stages": sorted({r[3] for r in cells[1:]})}))
"#,
        &[&xlsx],
    );
    assert_eq!(read["assignments"], assigned);
    assert_eq!(read["stages"], serde_json::json!(["not started"]));
    for o in after["organisations"].as_array().unwrap() {
        let code = o["organisation"].as_str().unwrap();
        assert_eq!(read["orgs"][code]["assigned"], o["assigned"], "{code}");
        assert_eq!(read["orgs"][code]["overdue"], o["overdue"], "{code}");
    }

    let bad = s.fails(&["completeness", "--period", "2023", "--today", "2024-13-01"]);
    assert!(bad.contains("`2024-13-01` is not a date"), "{bad}");
    let unknown = s.fails(&["completeness", "--period", "2031"]);
    assert!(unknown.contains("2031"), "{unknown}");
}

/// `mignet completeness --period 2023 --today DAY --format json`, parsed.
fn round_json(s: &Sandbox, day: &str) -> serde_json::Value {
    let printed = s.ok(&[
        "completeness",
        "--period",
        "2023",
        "--today",
        day,
        "--format",
        "json",
    ]);
    serde_json::from_str(&printed).unwrap()
}
