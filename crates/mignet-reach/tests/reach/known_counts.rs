//! A hand-made file whose distinct counts are known by construction.

use crate::common;

use mignet_reach::{
    AgencyRow, DisaggregationRow, IndicatorRow, QuarterRow, ReachOptions, reach_path, reach_reader,
};

// Person a: served by IOM twice in Bangkok (Q1) and by ILO in Tak (Q2).
// Person b: IOM once. Person c: IOM under another indicator, Pattaya, Q4.
// Person d: ILO and UNHCR in Q3.
const FILE: &str = "\
record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality
1,IOM,P1.O1.I01,2022-01-10,TH-10,000000000000000a,F,adult,MMR
2,ILO,P1.O1.I01,2022-04-02,TH-63,000000000000000a,F,adult,MMR
3,IOM,P1.O1.I01,2022-01-20,TH-10,000000000000000a,F,adult,MMR
4,IOM,P1.O1.I01,2022-02-01,TH-10,000000000000000b,M,child,KHM
5,IOM,P2.O1.I01,2022-12-31,TH-S,000000000000000c,X,adult,LAO
6,ILO,P1.O1.I01,2022-07-01,TH-10,000000000000000d,M,adult,MMR
7,UNHCR,P1.O1.I01,2022-07-02,TH-10,000000000000000d,M,adult,MMR
";

fn s(x: &str) -> String {
    x.to_owned()
}

#[test]
fn a_person_served_by_two_agencies_is_counted_once_per_indicator() {
    let t = reach_reader(FILE.as_bytes(), &ReachOptions::default()).unwrap();
    assert_eq!(t.records, 7);
    assert_eq!(t.people, 4);
    assert_eq!(
        t.q1,
        vec![
            AgencyRow {
                indicator: s("P1.O1.I01"),
                agency: s("ILO"),
                services: 2,
                beneficiaries: 2
            },
            AgencyRow {
                indicator: s("P1.O1.I01"),
                agency: s("IOM"),
                services: 3,
                beneficiaries: 2
            },
            AgencyRow {
                indicator: s("P1.O1.I01"),
                agency: s("UNHCR"),
                services: 1,
                beneficiaries: 1
            },
            AgencyRow {
                indicator: s("P2.O1.I01"),
                agency: s("IOM"),
                services: 1,
                beneficiaries: 1
            },
        ]
    );
    assert_eq!(
        t.q2,
        vec![
            IndicatorRow {
                indicator: s("P1.O1.I01"),
                unique_beneficiaries: 3,
                sum_agency_beneficiaries: 5,
                overlap: 2,
            },
            IndicatorRow {
                indicator: s("P2.O1.I01"),
                unique_beneficiaries: 1,
                sum_agency_beneficiaries: 1,
                overlap: 0,
            },
        ]
    );
    assert_eq!(t.total_overlap(), 2);
}

#[test]
fn a_person_seen_in_two_provinces_counts_in_each_province() {
    let t = reach_reader(FILE.as_bytes(), &ReachOptions::default()).unwrap();
    let row = |i: &str, p: &str, sx: &str, a: &str, n| DisaggregationRow {
        indicator: s(i),
        province: s(p),
        sex: s(sx),
        age_group: s(a),
        beneficiaries: n,
    };
    assert_eq!(
        t.q3,
        vec![
            row("P1.O1.I01", "TH-10", "F", "adult", 1),
            row("P1.O1.I01", "TH-10", "M", "adult", 1),
            row("P1.O1.I01", "TH-10", "M", "child", 1),
            row("P1.O1.I01", "TH-63", "F", "adult", 1),
            row("P2.O1.I01", "TH-S", "X", "adult", 1),
        ]
    );
}

#[test]
fn repeat_services_in_a_quarter_count_the_person_once() {
    let t = reach_reader(FILE.as_bytes(), &ReachOptions::default()).unwrap();
    let row = |i: &str, q: &str, n| QuarterRow {
        indicator: s(i),
        quarter: s(q),
        beneficiaries: n,
    };
    assert_eq!(
        t.q4,
        vec![
            row("P1.O1.I01", "2022-Q1", 2),
            row("P1.O1.I01", "2022-Q2", 1),
            row("P1.O1.I01", "2022-Q3", 1),
            row("P2.O1.I01", "2022-Q4", 1),
        ]
    );
}

#[test]
fn the_csv_files_have_a_header_sorted_rows_and_unix_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("records.csv");
    std::fs::write(&input, FILE).unwrap();
    let out = dir.path().join("out");
    reach_path(&input, &ReachOptions::default())
        .unwrap()
        .write_csvs(&out)
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("q2.csv")).unwrap(),
        "indicator,unique_beneficiaries,sum_agency_beneficiaries,overlap\n\
         P1.O1.I01,3,5,2\n\
         P2.O1.I01,1,1,0\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("q4.csv")).unwrap(),
        "indicator,quarter,beneficiaries\n\
         P1.O1.I01,2022-Q1,2\nP1.O1.I01,2022-Q2,1\nP1.O1.I01,2022-Q3,1\nP2.O1.I01,2022-Q4,1\n"
    );
    let q1 = std::fs::read_to_string(out.join("q1.csv")).unwrap();
    assert!(q1.starts_with("indicator,agency,services,beneficiaries\nP1.O1.I01,ILO,2,2\n"));
    assert!(!q1.contains('\r'));
}

#[test]
fn columns_are_found_by_name_and_crlf_quotes_and_a_trailing_blank_line_are_accepted() {
    let shuffled = "\
beneficiary,agency,nationality,indicator,date,record_id,province,sex,age_group\r
000000000000000a,\"IOM\",MMR,P1.O1.I01,2022-01-10,1,TH-10,F,adult\r
\"000000000000000a\",ILO,MMR,\"P1.O1.I01\",\"2022-04-02\",2,\"TH-63\",\"F\",adult\r
\r
";
    let t = reach_reader(shuffled.as_bytes(), &ReachOptions::default()).unwrap();
    assert_eq!(t.records, 2);
    assert_eq!(t.q2[0].unique_beneficiaries, 1);
    assert_eq!(t.q2[0].overlap, 1);
    assert_eq!(t.q1[1].agency, "IOM");
    // Quoted and unquoted spellings are one value, not two.
    assert_eq!(t.q1.len(), 2);
    assert_eq!(t.q3.len(), 2);
    assert!(
        t.q3.iter()
            .all(|r| r.sex == "F" && r.indicator == "P1.O1.I01")
    );
    assert_eq!(t.q4[1].quarter, "2022-Q2");
}

#[test]
fn the_same_answer_comes_out_with_one_thread_and_with_everything_spilled() {
    let base = reach_reader(FILE.as_bytes(), &ReachOptions::default()).unwrap();
    let opts = ReachOptions {
        threads: 1,
        memory_budget: 0,
        ..ReachOptions::default()
    };
    let spilled = reach_reader(FILE.as_bytes(), &opts).unwrap();
    assert_eq!(spilled.spilled_records, 7);
    common::assert_same_tables(&spilled, &base);
}

#[test]
fn an_empty_input_or_a_header_without_beneficiary_is_an_error() {
    assert!(reach_reader(&b""[..], &ReachOptions::default()).is_err());
    let err = reach_reader(
        &b"record_id,agency,indicator,date,province,sex,age_group\n"[..],
        &ReachOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("beneficiary"), "{err}");
}

#[test]
fn a_header_only_file_gives_empty_tables() {
    let t = reach_reader(
        format!("{}\n", common::HEADER).as_bytes(),
        &ReachOptions::default(),
    )
    .unwrap();
    assert_eq!((t.records, t.people), (0, 0));
    assert!(t.q1.is_empty() && t.q2.is_empty() && t.q3.is_empty() && t.q4.is_empty());
}
