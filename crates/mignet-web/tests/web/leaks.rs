//! Nothing protected leaves through a public output. The store is given staff accounts with
//! distinctive e-mail addresses and names, who enter, confirm, import and approve figures; then every
//! public page (crawled from `/` by an anonymous visitor), every public file (the brief as HTML and as
//! PDF text, HXL, IATI) and every public API answer is fetched, and none may contain a protected value.
//!
//! Data-driven: [`protected`] lists what must not leak, [`public_files`] and [`public_api`] what is
//! fetched besides the crawl; other protected values (sensitive small counts) are added to the list.

use crate::common::*;
use axum::http::StatusCode;
use mignet_core::access::Role;
use serde_json::json;
use std::collections::{BTreeSet, VecDeque};

/// Staff accounts with values that appear nowhere else: (e-mail, display name, role, organisation).
const STAFF: [(&str, &str, Role, Option<&str>); 3] = [
    (
        "quentin.leakwood@staff.example",
        "Quentin Leakwood",
        Role::Coordinator,
        None,
    ),
    (
        "ottilie.sparrowhawk@staff.example",
        "Ottilie Sparrowhawk",
        Role::FocalPoint,
        Some("IOM"),
    ),
    (
        "barnaby.quillfeather@staff.example",
        "Barnaby Quillfeather",
        Role::FocalPoint,
        Some("UNHCR"),
    ),
];

/// What no public output may contain, each with what it is.
fn protected() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (email, name, ..) in STAFF {
        out.push((format!("staff e-mail {email}"), email.to_owned()));
        out.push((format!("staff name {name}"), name.to_owned()));
    }
    // The accounts of the harness, as e-mail addresses.
    for r in ROLES.iter().filter(|r| r.contains('@')) {
        out.push((format!("staff e-mail {r}"), (*r).to_owned()));
    }
    out
}

/// The public files of a period, as the downloads page and the API give them.
fn public_files(period: &str) -> Vec<String> {
    vec![
        format!("/highlights/{period}"),
        format!("/exports/{period}/hxl"),
        format!("/exports/{period}/iati"),
        format!("/exports/{period}/pdf"),
        format!("/api/v1/periods/{period}/exports/hxl"),
        format!("/api/v1/periods/{period}/exports/iati"),
        format!("/api/v1/periods/{period}/exports/pdf"),
    ]
}

/// The public API answers of a period, besides each figure's own.
fn public_api(period: &str) -> Vec<String> {
    vec![
        "/api/v1/network".into(),
        "/api/v1/framework".into(),
        "/api/v1/periods".into(),
        "/api/v1/openapi.json".into(),
        // Searching for the staff by name finds nothing of them.
        "/search?q=Leakwood".into(),
        "/api/v1/search?q=Sparrowhawk".into(),
        format!("/api/v1/periods/{period}/figures"),
        format!("/api/v1/periods/{period}/editions"),
    ]
}

/// The text of an answer as a reader sees it: a PDF's text as `pdftotext` extracts it.
fn readable(path: &str, body: &[u8]) -> String {
    if body.starts_with(b"%PDF") {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("brief.pdf");
        std::fs::write(&pdf, body).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap_or_else(|e| panic!("pdftotext is needed to read {path}: {e}"));
        assert!(out.status.success(), "pdftotext {path}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        String::from_utf8_lossy(body).into_owned()
    }
}

/// The site's own links in a page.
fn links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|l| l.replace("&amp;", "&"))
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.split('#').next().unwrap_or("").to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A review step through the API, which must succeed; the figure's new version.
async fn review(
    w: &World,
    who: &Browser,
    id: &str,
    action: &str,
    v: &serde_json::Value,
) -> serde_json::Value {
    let path = format!("/api/v1/periods/2023/figures/{id}/review");
    let (s, b) = w
        .api(
            who,
            "POST",
            &path,
            Some(json!({"action": action, "version": v})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{action} {path}: {b}");
    b["version"].clone()
}

/// A world where the staff accounts have entered, confirmed, imported and approved figures in 2023.
async fn world_with_staff_at_work() -> World {
    let w = world().await;
    for (email, name, role, org) in STAFF {
        w.app
            .add_account(email, name, PASSWORD, role, org, "test")
            .await
            .unwrap();
    }
    let coord = w.browser(STAFF[0].0).await;
    let iom = w.browser(STAFF[1].0).await;
    let unhcr = w.browser(STAFF[2].0).await;
    // A figure typed by IOM's focal point and a joint one with UNHCR, confirmed, submitted, approved.
    for orgs in [json!(["IOM"]), json!(["IOM", "UNHCR"])] {
        let indicator = if orgs.as_array().unwrap().len() == 1 {
            "P1.O1.I02"
        } else {
            "P1.O1.I03"
        };
        let (s, b) = w
            .api(&iom, "POST", "/api/v1/periods/2023/figures", Some(json!({"indicator": indicator, "organisations": orgs, "value": 77, "note": "entered for the leak test"})))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let id = b["id"].as_str().unwrap().to_owned();
        let mut v = b["version"].clone();
        if b["joint"] == true {
            v = review(&w, &unhcr, &id, "confirm", &v).await;
        }
        v = review(&w, &iom, &id, "submit", &v).await;
        review(&w, &coord, &id, "approve", &v).await;
    }
    // A workbook imported by the coordinator for UNHCR, and approved.
    let csv = "organisation,period,indicator,kind,value\nUNHCR,2023,P1.O1.I02,count,12\n";
    let (s, b) = w
        .api_bytes(
            &coord,
            "/api/v1/imports?file=unhcr-2023.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v = w
        .app
        .stored_figure("2023", "IMP-UNHCR-P1.O1.I02")
        .await
        .unwrap()
        .version;
    review(&w, &coord, "IMP-UNHCR-P1.O1.I02", "approve", &json!(v)).await;
    // The coordinator publishes 2023: the edition's files and listing are public too.
    let (s, b) = w
        .api(&coord, "POST", "/api/v1/periods/2023/editions", None)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    w
}

#[tokio::test]
async fn no_public_page_file_or_api_answer_names_a_member_of_staff() {
    let w = world_with_staff_at_work().await;
    let anon = Browser::default();
    let protected = protected();
    let mut leaks = Vec::new();
    let mut check = |path: &str, text: &str| {
        for (what, value) in &protected {
            if text.contains(value.as_str()) {
                leaks.push(format!("{path} contains {what}"));
            }
        }
    };
    // Every page an anonymous visitor reaches from `/`.
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 2_000 {
            continue;
        }
        let r = w.fetch(&anon, &path).await;
        let text = readable(&path, &r.body);
        check(&path, &text);
        if r.header(axum::http::header::CONTENT_TYPE)
            .starts_with("text/html")
        {
            queue.extend(links(&text).into_iter().filter(|l| !seen.contains(l)));
        }
    }
    assert!(
        seen.iter().any(|p| p.starts_with("/figures/2023/")),
        "the crawl reached the approved figures of 2023: {seen:?}"
    );
    assert!(
        seen.contains("/editions/2023/1/mignet-2023.json"),
        "the crawl reached the published edition's files: {seen:?}"
    );
    // Every public file and API answer, and each approved figure through the API.
    let ds = w.app.dataset().await.unwrap();
    for p in &ds.periods {
        let code = p.period.code.as_str();
        let mut paths = public_files(code);
        paths.extend(public_api(code));
        for f in &p.figures {
            paths.push(format!("/api/v1/periods/{code}/figures/{}", f.id));
        }
        for path in paths {
            let r = w.fetch(&anon, &path).await;
            let text = readable(&path, &r.body);
            check(&path, &text);
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leak(s):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
