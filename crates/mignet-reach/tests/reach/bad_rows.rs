//! Bad rows are reported with their line numbers; `reject` produces nothing,
//! `skip` leaves them out and counts them.

use crate::common;

use mignet_reach::{
    OnError, Period, ReachError, ReachOptions, RowErrorKind, Validation, reach_path, reach_reader,
};

// Line 1 is the header. Lines 3..=10 are each bad in one way.
const FILE: &str = "\
record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality
1,IOM,P1.O1.I01,2022-01-10,TH-10,000000000000000a,F,adult,MMR
2,FAO,P1.O1.I01,2022-01-10,TH-10,000000000000000a,F,adult,MMR
3,IOM,P9.O9.I99,2022-01-10,TH-10,000000000000000a,F,adult,MMR
4,IOM,P1.O1.I01,2021-12-31,TH-10,000000000000000a,F,adult,MMR
5,IOM,P1.O1.I01,2022-01-10,TH-10,000000000000000A,F,adult,MMR
6,IOM,P1.O1.I01,2022-01-10,TH-10,000000000000000a,F,adult
7,IOM,P1.O1.I01,10/01/2022,TH-10,000000000000000a,F,adult,MMR
8,IOM,P1.O1.I01,2022-01-10,TH-99,000000000000000a,F,adult,MMR
9,IOM,P1.O1.I01,2022-01-10,TH-10,,F,adult,MMR
10,ILO,P1.O1.I01,2022-03-01,TH-63,000000000000000b,M,child,KHM
";

fn validating(on_error: OnError) -> ReachOptions {
    ReachOptions {
        validation: Validation {
            agencies: Some(vec!["ILO".into(), "IOM".into()]),
            indicators: Some(vec!["P1.O1.I01".into()]),
            period: Some(Period::year(2022)),
        },
        on_error,
        ..ReachOptions::default()
    }
}

#[test]
fn reject_mode_lists_every_bad_row_with_its_line_number_and_returns_no_tables() {
    let err = reach_reader(FILE.as_bytes(), &validating(OnError::Reject)).unwrap_err();
    let ReachError::BadRows { errors, total } = err else {
        panic!("{err}")
    };
    assert_eq!(total, 8);
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10]);
    let kinds: Vec<&RowErrorKind> = errors.iter().map(|e| &e.kind).collect();
    assert_eq!(kinds[0], &RowErrorKind::UnknownAgency("FAO".into()));
    assert_eq!(
        kinds[1],
        &RowErrorKind::UnknownIndicator("P9.O9.I99".into())
    );
    assert_eq!(kinds[2], &RowErrorKind::OutsidePeriod("2021-12-31".into()));
    assert_eq!(
        kinds[3],
        &RowErrorKind::BadPseudonym("000000000000000A".into())
    );
    assert_eq!(
        kinds[4],
        &RowErrorKind::ColumnCount {
            expected: 9,
            found: 8
        }
    );
    assert_eq!(kinds[5], &RowErrorKind::BadDate("10/01/2022".into()));
    assert_eq!(kinds[6], &RowErrorKind::BadProvince("TH-99".into()));
    assert_eq!(
        kinds[7],
        &RowErrorKind::Empty {
            column: "beneficiary"
        }
    );
    assert_eq!(errors[0].to_string(), "line 3: unknown agency \"FAO\"");
}

#[test]
fn reject_mode_writes_nothing_when_a_row_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.csv");
    std::fs::write(&input, FILE).unwrap();
    let out = dir.path().join("out");
    let result = reach_path(&input, &validating(OnError::Reject)).map(|t| t.write_csvs(&out));
    assert!(result.is_err());
    assert!(!out.exists());
}

#[test]
fn skip_mode_counts_the_good_rows_and_says_how_many_were_skipped() {
    let t = reach_reader(FILE.as_bytes(), &validating(OnError::Skip)).unwrap();
    assert_eq!(t.skipped, 8);
    assert_eq!(t.records, 2);
    assert_eq!(t.people, 2);
    assert_eq!(t.skipped_examples.len(), 8);
    assert_eq!(t.skipped_examples[7].line, 10);
}

#[test]
fn without_lists_or_period_other_agencies_and_years_are_valid() {
    let opts = ReachOptions {
        on_error: OnError::Skip,
        ..ReachOptions::default()
    };
    let t = reach_reader(FILE.as_bytes(), &opts).unwrap();
    // Only the format errors remain: pseudonym, column count, date,
    // province, empty beneficiary.
    assert_eq!(t.skipped, 5);
    assert_eq!(t.records, 5);
    assert!(t.q1.iter().any(|r| r.agency == "FAO"));
}

#[test]
fn only_the_first_max_errors_are_described_but_all_are_counted() {
    let opts = ReachOptions {
        max_errors: 3,
        ..validating(OnError::Reject)
    };
    let ReachError::BadRows { errors, total } = reach_reader(FILE.as_bytes(), &opts).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(total, 8);
    assert_eq!(
        errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
}

/// Line numbers stay right across read blocks and worker threads: bad rows
/// far into a multi-megabyte input are reported at their true lines.
#[test]
fn line_numbers_are_exact_deep_into_a_large_input() {
    let mut rng = common::Rng(7);
    let records = common::random_records(&mut rng, 120_000, 40_000);
    let mut lines: Vec<String> = common::csv(&records).lines().map(str::to_owned).collect();
    for &l in &[50_001usize, 99_999, 119_000] {
        lines[l - 1] = lines[l - 1].replace(",TH-", ",XX-");
    }
    let text = lines.join("\n") + "\n";
    let opts = ReachOptions {
        threads: 2,
        ..ReachOptions::default()
    };
    let ReachError::BadRows { errors, total } = reach_reader(text.as_bytes(), &opts).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(total, 3);
    assert_eq!(
        errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![50_001, 99_999, 119_000]
    );
    let skip = ReachOptions {
        on_error: OnError::Skip,
        ..opts
    };
    assert_eq!(
        reach_reader(text.as_bytes(), &skip).unwrap().records,
        120_000 - 3
    );
}

#[test]
fn empty_and_quoted_empty_values_are_reported_by_column() {
    let file = format!(
        "{}\n1,IOM,P1.O1.I01,2022-01-10,TH-10,000000000000000a,,adult,MMR\n\
         2,\"\",P1.O1.I01,2022-01-10,TH-10,000000000000000a,F,adult,MMR\n\
         3,IOM,P1.O1.I01,\"\",TH-10,000000000000000a,F,adult,MMR\n",
        common::HEADER
    );
    let ReachError::BadRows { errors, .. } =
        reach_reader(file.as_bytes(), &ReachOptions::default()).unwrap_err()
    else {
        panic!()
    };
    let kinds: Vec<RowErrorKind> = errors.into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            RowErrorKind::Empty { column: "sex" },
            RowErrorKind::Empty { column: "agency" },
            RowErrorKind::Empty { column: "date" },
        ]
    );
}

#[test]
fn periods_parse_as_a_year_or_an_inclusive_range() {
    assert_eq!("2022".parse::<Period>().unwrap(), Period::year(2022));
    let p: Period = "2022-01-01..2022-06-30".parse().unwrap();
    assert_eq!((p.first, p.last), (20220101, 20220630));
    assert!("2022-06-30..2022-01-01".parse::<Period>().is_err());
    assert!("22".parse::<Period>().is_err());
}
