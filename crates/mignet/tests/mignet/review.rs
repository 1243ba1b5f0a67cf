//! `mignet review`: the coordinator's review from the command line, acting as an account: the list in
//! context and filtered, a return with its reason, approvals, a reply in a figure's thread; what a
//! role may not do is refused with exit status 1.

use crate::common::*;
use mignet_core::access::Role;

fn accounts(s: &Sandbox) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let app = mignet_app::App::open(&s.db()).await.unwrap();
        for (email, role, org) in [
            ("coord@x.org", Role::Coordinator, None),
            ("iom@x.org", Role::FocalPoint, Some("IOM")),
        ] {
            app.add_account(
                email,
                email,
                "a long test passphrase 2026",
                role,
                org,
                "test",
            )
            .await
            .unwrap();
        }
    });
}

#[test]
fn the_coordinator_reviews_from_the_command_line() {
    let s = Sandbox::with_open_2023();
    accounts(&s);
    // Two agencies' workbooks, in their CSV form, enter as submitted.
    for (org, row) in [
        ("IOM", "IOM,2023,P1.O1.I03,count,455"),
        ("UNHCR", "UNHCR,2023,P2.O1.I02,count,5"),
    ] {
        let csv = s.path(&format!("{org}-2023.csv"));
        std::fs::write(
            &csv,
            format!("organisation,period,indicator,kind,value\n{row}\n"),
        )
        .unwrap();
        s.ok(&["import", "--actor", "A. Coordinator", csv.to_str().unwrap()]);
    }

    let all: serde_json::Value =
        serde_json::from_str(&s.ok(&["review", "--as", "coord@x.org", "--format", "json"]))
            .unwrap();
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["figure"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["IMP-IOM-P1.O1.I03", "IMP-UNHCR-P2.O1.I02"]);
    assert_eq!(
        all[0]["earlier"][0]["period"], "2022",
        "IOM's 2022 value is beside it: {all}"
    );
    let text = s.ok(&["review", "--as", "coord@x.org", "--organisation", "UNHCR"]);
    assert!(
        text.contains("IMP-UNHCR-P2.O1.I02") && !text.contains("IMP-IOM"),
        "{text}"
    );

    // A focal point does not review.
    let e = s.fails(&["review", "--as", "iom@x.org"]);
    assert!(e.contains("coordinators"), "{e}");
    // A return needs its reason; with it, IOM's figure goes back.
    let e = s.fails(&[
        "review",
        "--as",
        "coord@x.org",
        "--return",
        "IMP-IOM-P1.O1.I03",
    ]);
    assert!(e.contains("--comment"), "{e}");
    let out = s.ok(&[
        "review",
        "--as",
        "coord@x.org",
        "--return",
        "IMP-IOM-P1.O1.I03",
        "--comment",
        "Which months?",
    ]);
    assert!(out.contains("returned"), "{out}");
    // IOM answers in the figure's thread.
    s.ok(&[
        "review",
        "--as",
        "iom@x.org",
        "--period",
        "2023",
        "--reply",
        "IMP-IOM-P1.O1.I03",
        "--comment",
        "January to June",
    ]);

    // Approving a figure that no longer waits is refused before anything is approved.
    let e = s.fails(&[
        "review",
        "--as",
        "coord@x.org",
        "--approve",
        "IMP-UNHCR-P2.O1.I02,IMP-IOM-P1.O1.I03",
    ]);
    assert!(
        e.contains("IMP-IOM-P1.O1.I03 is not waiting for review"),
        "{e}"
    );
    let out = s.ok(&[
        "review",
        "--as",
        "coord@x.org",
        "--approve",
        "IMP-UNHCR-P2.O1.I02",
        "--comment",
        "Thank you",
    ]);
    assert!(out.contains("IMP-UNHCR-P2.O1.I02: approved"), "{out}");
    assert_eq!(
        s.ok(&["review", "--as", "coord@x.org"]),
        "nothing is waiting for review\n"
    );

    // The thread holds the return's reason and the answer, in order; the approval its comment.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(mignet_app::App::open(&s.db())).unwrap();
    let thread = rt
        .block_on(app.thread("2023", "IMP-IOM-P1.O1.I03"))
        .unwrap();
    let said: Vec<(&str, Option<&str>)> = thread
        .iter()
        .map(|t| (t.kind.as_str(), t.text.as_deref()))
        .collect();
    // (An import enters its figures as submitted without a step of its own.)
    assert_eq!(
        said,
        [
            ("return", Some("Which months?")),
            ("comment", Some("January to June"))
        ]
    );
    let thread = rt
        .block_on(app.thread("2023", "IMP-UNHCR-P2.O1.I02"))
        .unwrap();
    assert_eq!(thread.last().unwrap().text.as_deref(), Some("Thank you"));
}
