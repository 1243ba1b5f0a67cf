//! Several `mignet` processes writing to one SQLite store at once: each succeeds or gives its own
//! clear refusal, never "database is locked", and nothing written is lost.

mod common;

use common::*;
use std::process::{Command, Stdio};

/// Eight processes: four import the same IOM workbook (the same figure, so they race for it), four
/// import the workbooks of four other organisations.
#[test]
fn eight_imports_at_once_all_succeed_and_the_store_stays_whole() {
    let s = Sandbox::loaded();
    let orgs = [
        "IOM", "IOM", "IOM", "IOM", "UNHCR", "ILO", "UNICEF", "UNODC",
    ];
    for org in &orgs[3..] {
        std::fs::write(
            s.path(&format!("{}-2023.csv", org.to_lowercase())),
            format!("organisation,period,indicator,kind,value,part:children,place 1\n{org},2023,P1.O1.I02,count,640,210,TH-10\n"),
        )
        .unwrap();
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
        .filter(|p| p.contains("1 created"))
        .count();
    assert_eq!(iom_created, 1, "IOM's figure is created once: {printed:#?}");

    // Every figure is there once, at the version its audit trail has, and the file is sound.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = mignet_app::App::open(&s.db()).await.unwrap();
        let store = app.store();
        let ds = store.dataset().await.unwrap().unwrap();
        let figures = &ds.period("2023").unwrap().figures;
        let mut ids: Vec<&str> = figures.iter().map(|f| f.id.as_str()).collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "IMP-ILO-P1.O1.I02",
                "IMP-IOM-P1.O1.I02",
                "IMP-UNHCR-P1.O1.I02",
                "IMP-UNICEF-P1.O1.I02",
                "IMP-UNODC-P1.O1.I02"
            ]
        );
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
