//! Several `mignet` processes writing to one SQLite store at once: each succeeds or gives its own
//! clear refusal, never "database is locked", and nothing written is lost.

use crate::common::*;
use std::process::{Command, Stdio};

/// Eight processes: four import the same IOM workbook (the same figures, so they race for them), four
/// import the workbooks of four other organisations; each workbook reports on every count indicator,
/// so that the imports' transactions overlap.
#[test]
fn eight_imports_at_once_all_succeed_and_the_store_stays_whole() {
    let s = Sandbox::loaded();
    let codes = count_indicators();
    let orgs = [
        "IOM", "IOM", "IOM", "IOM", "UNHCR", "ILO", "UNICEF", "UNODC",
    ];
    for org in &orgs[3..] {
        let mut csv = String::from("organisation,period,indicator,kind,value\n");
        for (n, code) in codes.iter().enumerate() {
            csv.push_str(&format!("{org},2023,{code},count,{}\n", 100 + n));
        }
        std::fs::write(s.path(&format!("{}-2023.csv", org.to_lowercase())), csv).unwrap();
    }
    let children: Vec<_> = orgs
        .iter()
        .map(|org| {
            Command::new(env!("CARGO_BIN_EXE_mignet"))
                .args(["--db", &s.db(), "import"])
                .arg(format!("{}-2023.csv", org.to_lowercase()))
                .env("USER", "tester")
                .current_dir(s.dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for (org, out) in orgs.iter().zip(&outputs) {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "the import of {org} failed: {err}");
        assert!(!err.contains("locked"), "{err}");
    }
    let printed: Vec<String> = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .collect();
    let iom_created = printed[..4]
        .iter()
        .filter(|p| p.contains(&format!("{} created", codes.len())))
        .count();
    assert_eq!(
        iom_created, 1,
        "IOM's figures are created once: {printed:#?}"
    );

    // Every figure is there once, at the version its audit trail has, and the file is sound.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = mignet_app::App::open(&s.db()).await.unwrap();
        let store = app.store();
        let ds = store.dataset().await.unwrap().unwrap();
        let figures = &ds.period("2023").unwrap().figures;
        let mut ids: Vec<&str> = figures.iter().map(|f| f.id.as_str()).collect();
        ids.sort();
        let mut expected: Vec<String> = orgs[3..]
            .iter()
            .flat_map(|org| codes.iter().map(move |code| format!("IMP-{org}-{code}")))
            .collect();
        expected.sort();
        assert_eq!(ids, expected, "each organisation's figures once");
        for id in ids {
            let stored = store.figure("2023", id).await.unwrap().unwrap();
            let trail = store
                .audit(Some(("figure", &format!("2023/{id}"))))
                .await
                .unwrap();
            assert_eq!((stored.version, trail.len()), (1, 1), "{id}");
        }
        assert_eq!(
            store.sqlite_journal_mode().await.unwrap().as_deref(),
            Some("wal")
        );
        assert_eq!(
            store.sqlite_integrity().await.unwrap().as_deref(),
            Some("ok")
        );
    });
}

/// The codes of the example framework's count indicators.
fn count_indicators() -> Vec<String> {
    let text = std::fs::read_to_string(example().join("framework.toml")).unwrap();
    let mut out = Vec::new();
    let mut code = None;
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("code = \"") {
            code = Some(c.trim_end_matches('"').to_owned());
        }
        if line.trim() == "kind = \"count\""
            && let Some(c) = code.take()
            && c.matches('.').count() == 2
        {
            out.push(c);
        }
    }
    assert!(out.len() > 20, "{out:?}");
    out
}
