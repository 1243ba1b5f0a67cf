//! Keyed pseudonyms: normalisation, keys, and the CSV transformation.

use mignet_reach::pseudonym::{
    NetworkKey, PseudonymizeOptions, normalize, pseudonym, pseudonymize_csv, pseudonymize_file,
};
use mignet_reach::{OnError, ReachError, ReachOptions, reach_path};

fn key() -> NetworkKey {
    NetworkKey::from_bytes(std::array::from_fn(|i| i as u8))
}

#[test]
fn the_same_person_typed_differently_gets_one_pseudonym() {
    let k = key();
    let forms = [
        ["Aung Min", "1990-03-15", "MA 123"],
        ["  aung   MIN ", "15/03/1990", "ma 123"],
        ["AUNG\tMIN", "15.3.1990", "MA  123"],
        // Thai digits and a Buddhist-era year (2533 B.E. = 1990 C.E.).
        ["Aung Min", "๑๕/๐๓/๒๕๓๓", "MA ๑๒๓"],
        // Full-width Latin letters (NFKC) and a slash-separated ISO date.
        ["Ａｕｎｇ Ｍｉｎ", "1990/3/15", "ＭＡ 123"],
    ];
    let all: Vec<String> = forms.iter().map(|f| pseudonym(&k, f).unwrap()).collect();
    assert!(all.iter().all(|p| p == &all[0]), "{all:?}");
}

#[test]
fn thai_names_in_composed_and_decomposed_form_match() {
    // "คำ" typed with sara am as one code point (U+0E33) or as nikhahit +
    // sara aa (U+0E4D U+0E32): the same text after NFKC.
    let k = key();
    assert_eq!(
        pseudonym(&k, &["นางคำ", "1985-12-31"]).unwrap(),
        pseudonym(&k, &["นางค\u{0E4D}\u{0E32}", "31/12/2528"]).unwrap()
    );
}

#[test]
fn pseudonyms_follow_the_documented_construction() {
    // Computed independently with Python's hmac module from the rules in
    // docs/pseudonyms.md; a change here breaks matching with files made by
    // earlier versions, so it must never happen silently.
    assert_eq!(
        pseudonym(&key(), &["Aung  Min", "15/03/2533", "MA 123"]).unwrap(),
        "918d0212278a4492"
    );
    assert_eq!(
        pseudonym(&key(), &["นาง  สมศรี", "31.12.2528"]).unwrap(),
        "2d0d5fb1a0f24731"
    );
}

#[test]
fn a_different_key_gives_a_different_pseudonym() {
    let other = NetworkKey::from_bytes([7; 32]);
    let v = ["Aung Min", "1990-03-15", "MA 123"];
    assert_ne!(
        pseudonym(&key(), &v).unwrap(),
        pseudonym(&other, &v).unwrap()
    );
}

#[test]
fn field_boundaries_matter_so_shifted_values_do_not_collide() {
    let k = key();
    assert_ne!(
        pseudonym(&k, &["ab", "c"]).unwrap(),
        pseudonym(&k, &["a", "bc"]).unwrap()
    );
    assert_ne!(
        pseudonym(&k, &["a b", ""]).unwrap(),
        pseudonym(&k, &["a", "b"]).unwrap()
    );
}

#[test]
fn normalisation_rules_are_as_documented() {
    assert_eq!(normalize("  Straße \u{00A0} X ").unwrap(), "strasse x");
    assert_eq!(normalize("01/02/2565").unwrap(), "2022-02-01");
    assert_eq!(normalize("2022-2-1").unwrap(), "2022-02-01");
    assert_eq!(normalize("1.2.2022").unwrap(), "2022-02-01");
    assert_eq!(normalize("๒๕๖๕-๐๒-๐๑").unwrap(), "2022-02-01");
    // Not dates: left as text.
    assert_eq!(normalize("12.5").unwrap(), "12.5");
    assert_eq!(normalize("AB-12-3456").unwrap(), "ab-12-3456");
    // Date-shaped but impossible.
    assert!(normalize("31/02/1990").is_err());
    assert!(normalize("2022-13-01").is_err());
}

#[test]
fn a_row_without_any_identifying_value_is_refused() {
    assert!(pseudonym(&key(), &["", "  "]).is_err());
}

const INPUT: &str = "\
record_id,agency,name,dob,document,indicator,date,province,sex,age_group,nationality
1,IOM,Aung Min,15/03/2533,MA 123,P1.O1.I01,2022-01-10,TH-10,M,adult,MMR
2,ILO,\"aung  min\",1990-03-15,ma 123,P1.O1.I01,2022-04-02,TH-63,M,adult,MMR
3,IOM,\"Khin, May\",01/01/2000,,P1.O1.I01,2022-02-01,TH-10,F,adult,MMR
";

fn opts() -> PseudonymizeOptions {
    PseudonymizeOptions {
        columns: vec!["name".into(), "dob".into(), "document".into()],
        ..PseudonymizeOptions::default()
    }
}

#[test]
fn the_output_keeps_other_columns_and_contains_none_of_the_identifying_ones() {
    let mut out = Vec::new();
    let report = pseudonymize_csv(&key(), INPUT.as_bytes(), &mut out, &opts()).unwrap();
    assert_eq!((report.rows, report.skipped), (3, 0));
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "record_id,agency,beneficiary,indicator,date,province,sex,age_group,nationality"
    );
    for secret in [
        "name", "dob", "document", "Aung", "aung", "Khin", "MA 123", "ma 123", "2533", "1990",
        "2000",
    ] {
        assert!(!text.contains(secret), "{secret:?} leaked into {text}");
    }
    let p1 = lines[1].split(',').nth(2).unwrap();
    let p2 = lines[2].split(',').nth(2).unwrap();
    assert_eq!(p1, p2, "the same person at two agencies");
    assert_eq!(p1.len(), 16);
    assert!(
        p1.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert!(
        lines[1].starts_with("1,IOM,")
            && lines[1].ends_with(",P1.O1.I01,2022-01-10,TH-10,M,adult,MMR")
    );
}

#[test]
fn pseudonymized_records_feed_reach_and_the_two_agencies_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    std::fs::write(&input, INPUT).unwrap();
    pseudonymize_file(&key(), &input, &output, &opts()).unwrap();
    let t = reach_path(&output, &ReachOptions::default()).unwrap();
    assert_eq!((t.records, t.people), (3, 2));
    assert_eq!(t.q2[0].overlap, 1);
}

#[test]
fn bad_rows_are_reported_with_line_numbers_and_reject_leaves_no_output_file() {
    let bad = "\
name,dob,agency
Aung Min,1990-03-15,IOM
May,31/02/1990,IOM
Too,Many,Fields,Here
,,ILO
Zaw,2001-01-01,ILO
";
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    std::fs::write(&input, bad).unwrap();
    let o = PseudonymizeOptions {
        columns: vec!["name".into(), "dob".into()],
        ..PseudonymizeOptions::default()
    };
    let err = pseudonymize_file(&key(), &input, &output, &o).unwrap_err();
    let ReachError::BadRows { errors, total } = err else {
        panic!("{err}")
    };
    assert_eq!(total, 3);
    assert_eq!(
        errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert!(
        errors[1].to_string().contains("expected 3 fields, found 4"),
        "{}",
        errors[1]
    );
    assert!(!output.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    let skip = PseudonymizeOptions {
        on_error: OnError::Skip,
        ..o
    };
    let report = pseudonymize_file(&key(), &input, &output, &skip).unwrap();
    assert_eq!((report.rows, report.skipped), (2, 3));
    assert_eq!(std::fs::read_to_string(&output).unwrap().lines().count(), 3);
}

#[test]
fn a_missing_column_or_a_clashing_output_name_is_an_error() {
    let o = PseudonymizeOptions {
        columns: vec!["passport".into()],
        ..PseudonymizeOptions::default()
    };
    assert!(pseudonymize_csv(&key(), INPUT.as_bytes(), Vec::new(), &o).is_err());
    let o = PseudonymizeOptions {
        output_column: "agency".into(),
        ..opts()
    };
    assert!(pseudonymize_csv(&key(), INPUT.as_bytes(), Vec::new(), &o).is_err());
}

#[test]
fn keygen_writes_an_owner_only_file_and_never_overwrites_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("network.key");
    let k = NetworkKey::generate().unwrap();
    k.write_new_file(&path).unwrap();
    assert_eq!(NetworkKey::read_file(&path).unwrap(), k);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let other = NetworkKey::generate().unwrap();
    assert_ne!(other, k, "two keys from the system random source");
    assert!(other.write_new_file(&path).is_err());
    assert_eq!(
        NetworkKey::read_file(&path).unwrap(),
        k,
        "the first key is intact"
    );
    assert!(
        !format!("{k:?}").contains(&k.to_hex()[..8]),
        "Debug hides the key"
    );
}

#[test]
fn keys_are_64_hex_digits() {
    assert!(NetworkKey::from_hex(&"0".repeat(63)).is_err());
    assert!(NetworkKey::from_hex(&"g".repeat(64)).is_err());
    let k = NetworkKey::from_hex(&format!("{}\n", "Ab".repeat(32))).unwrap();
    assert_eq!(k.to_hex(), "ab".repeat(32));
}
