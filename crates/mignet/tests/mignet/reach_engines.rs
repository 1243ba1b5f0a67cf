//! `mignet reach --engine postgres` against the in-process engine: the same files, byte for byte, and
//! the same bad rows in the same words. Runs on the PostgreSQL server of `MIGNET_TEST_POSTGRES`
//! (`.ci/start-postgres.sh`); fails, never skips, without it.

use std::path::Path;
use std::process::{Command, Output};

fn reach(db: &str, engine: &str, records: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mignet"))
        .args(["--db", db, "reach"])
        .arg(records)
        .arg("--out")
        .arg(out)
        .args(["--engine", engine])
        .args(extra)
        .output()
        .unwrap()
}

/// Deterministic records (xorshift): people served by one to three agencies, two years of dates,
/// every province shape, quoted values, CRLF and LF line ends, blank lines and an extra column.
fn records(rows: usize, seed: u64) -> String {
    let mut x = seed;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let agencies = ["ILO", "IOM", "UNHCR", "UNICEF", "WHO"];
    let provinces = ["TH-10", "TH-S", "TH-96", "TH-50", "TH-27", "TH-30"];
    let mut s = String::from(
        "record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality\n",
    );
    for i in 0..rows {
        let person = next(rows as u64 / 3 + 1);
        let agency = agencies[((person + next(3)) % 5) as usize];
        let indicator = format!("P{}.O1.I0{}", 1 + person % 2, 1 + next(4));
        let (y, m) = (2022 + next(2), 1 + next(12));
        let d = 1 + next(if m == 2 { 28 } else { 30 });
        let province = provinces[(person % 6) as usize];
        let sex = ["F", "M"][(person % 2) as usize];
        let age = ["child", "adult", "older"][(person % 3) as usize];
        let quoted = i % 97 == 0;
        let q = |v: &str| {
            if quoted {
                format!("\"{v}\"")
            } else {
                v.to_owned()
            }
        };
        s += &format!(
            "{i},{},{indicator},{y}-{m:02}-{d:02},{},{:016x},{sex},{age},MMR{}",
            q(agency),
            q(province),
            person.wrapping_mul(0x9E37_79B9_7F4A_7C15),
            if i % 5 == 0 { "\r\n" } else { "\n" }
        );
        if i % 1000 == 999 {
            s.push('\n');
        }
    }
    s
}

#[test]
fn both_engines_write_byte_identical_tables() {
    let db = mignet_test_support::postgres_admin_url();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("services.csv");
    std::fs::write(&csv, records(20_000, 42)).unwrap();
    let (a, b) = (dir.path().join("in-process"), dir.path().join("postgres"));
    for (engine, out) in [("in-process", &a), ("postgres", &b)] {
        let o = reach(&db, engine, &csv, out, &[]);
        assert!(
            o.status.success(),
            "{engine}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for q in ["q1.csv", "q2.csv", "q3.csv", "q4.csv"] {
        let (x, y) = (
            std::fs::read(a.join(q)).unwrap(),
            std::fs::read(b.join(q)).unwrap(),
        );
        assert!(x.len() > 40, "{q} has rows");
        assert!(x == y, "{q} differs between the engines");
    }
    // With a period and an indicator list, rows outside them are refused by both, the same way.
    let args = ["--period", "2023", "--on-error", "skip"];
    let (c, d) = (dir.path().join("c"), dir.path().join("d"));
    let oc = reach(&db, "in-process", &csv, &c, &args);
    let od = reach(&db, "postgres", &csv, &d, &args);
    assert!(oc.status.success() && od.status.success());
    for q in ["q1.csv", "q2.csv", "q3.csv", "q4.csv"] {
        assert_eq!(
            std::fs::read(c.join(q)).unwrap(),
            std::fs::read(d.join(q)).unwrap(),
            "{q} with --period 2023 --on-error skip"
        );
    }
    // The summary (records, people, overlap, rows skipped) agrees too; only the time differs.
    let summary = |o: &Output| {
        let e = String::from_utf8_lossy(&o.stderr).into_owned();
        let last = e
            .lines()
            .rfind(|l| l.starts_with("reach: "))
            .unwrap()
            .to_owned();
        last.split(" -> ").next().unwrap().to_owned()
    };
    assert_eq!(summary(&oc), summary(&od));
    assert!(
        summary(&oc).contains("bad rows skipped"),
        "{}",
        summary(&oc)
    );
}

#[test]
fn both_engines_refuse_the_same_bad_rows_in_the_same_words() {
    let db = mignet_test_support::postgres_admin_url();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    let mut text = records(300, 7);
    for bad in [
        "9001,IOM,P1.O1.I01,2023-02-29,TH-10,00000000000000aa,F,adult,MMR\n",
        "9002,IOM,P1.O1.I01,2023-02-28,TH-99,00000000000000aa,F,adult,MMR\n",
        "9003,IOM,P1.O1.I01,2023-02-28,TH-10,00000000000000AA,F,adult,MMR\n",
        "9004,IOM,P1.O1.I01,2023-02-28,TH-10,00000000000000aa,,adult,MMR\n",
        "9005,IOM,P1.O1.I01,2023-02-28,TH-10\n",
        "9006,,P1.O1.I01,2023-02-28,TH-10,00000000000000aa,F,adult,MMR\n",
    ] {
        text.push_str(bad);
    }
    std::fs::write(&csv, text).unwrap();
    let errors = |engine: &str| {
        let o = reach(&db, engine, &csv, &dir.path().join(engine), &[]);
        assert!(!o.status.success(), "{engine} must refuse the file");
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| l.starts_with(csv.to_str().unwrap()) || l.starts_with("error"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (a, b) = (errors("in-process"), errors("postgres"));
    assert_eq!(a.len(), 7, "{a:#?}");
    assert_eq!(a, b);
    assert!(!dir.path().join("postgres/q1.csv").exists());
}
