//! No figure in an organisation's name without that organisation: a partner's confirmation of a joint
//! figure binds to the exact content confirmed, on the API, the forms and the workbook import; an
//! approval by the person who entered the figure is marked, and refused where the network requires a
//! second person.

use crate::common::*;
use axum::http::StatusCode;
use mignet_core::model::{FigureStatus, FigureValue};
use serde_json::json;

/// IOM's 2023 workbook in its CSV form, one joint figure naming UNHCR as co-reporting organisation.
const JOINT_CSV: &str =
    "organisation,period,indicator,kind,value,co-reporting 1\nIOM,2023,P1.O1.I02,count,640,UNHCR\n";
const IMPORTED: &str = "IMP-IOM-P1.O1.I02";

async fn stored(w: &World, id: &str) -> (mignet_core::Figure, i64) {
    let s = w.app.stored_figure("2023", id).await.unwrap();
    (s.figure, s.version)
}

async fn review(
    w: &World,
    who: &Browser,
    id: &str,
    action: &str,
    version: i64,
) -> (StatusCode, serde_json::Value) {
    w.api(
        who,
        "POST",
        &format!("/api/v1/periods/2023/figures/{id}/review"),
        Some(json!({"action": action, "version": version})),
    )
    .await
}

#[tokio::test]
async fn a_confirmation_of_100_does_not_carry_a_change_to_999999_made_in_the_same_second() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (s, body) = w
        .api(
            &iom,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(
                json!({"indicator": "P1.O1.I02", "organisations": ["IOM", "UNHCR"], "value": 100}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let (s, body) = review(
        &w,
        &unhcr,
        &id,
        "confirm",
        body["version"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "UNHCR confirms 100: {body}");
    // At once (within the same second), IOM changes the value and submits.
    let (s, body) = w
        .api(
            &iom,
            "PUT",
            &format!("/api/v1/periods/2023/figures/{id}"),
            Some(json!({"version": body["version"], "indicator": "P1.O1.I02", "organisations": ["IOM", "UNHCR"], "value": 999999})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, refused) = review(&w, &iom, &id, "submit", body["version"].as_i64().unwrap()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "UNHCR confirmed 100, not 999999: {refused}"
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UNHCR"),
        "{refused}"
    );
    let (f, v) = stored(&w, &id).await;
    assert_eq!(f.status, FigureStatus::Draft);
    let (s, _) = review(&w, &coord, &id, "approve", v).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "nothing to approve");
    // UNHCR confirms the new value: now it goes through, and what is approved is what UNHCR saw.
    let (s, body) = review(&w, &unhcr, &id, "confirm", v).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = review(&w, &iom, &id, "submit", body["version"].as_i64().unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = review(
        &w,
        &coord,
        &id,
        "approve",
        body["version"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (f, _) = stored(&w, &id).await;
    assert_eq!(f.status, FigureStatus::Approved);
    assert_eq!(f.value, FigureValue::Count { value: 999_999 });
}

#[tokio::test]
async fn a_review_step_on_an_older_version_is_a_conflict_and_agrees_to_nothing() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let (s, body) = w
        .api(
            &iom,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(
                json!({"indicator": "P1.O1.I02", "organisations": ["IOM", "UNHCR"], "value": 100}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let seen = body["version"].as_i64().unwrap();
    let (s, _) = w
        .api(
            &iom,
            "PUT",
            &format!("/api/v1/periods/2023/figures/{id}"),
            Some(json!({"version": seen, "indicator": "P1.O1.I02", "organisations": ["IOM", "UNHCR"], "value": 999999})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = review(&w, &unhcr, &id, "confirm", seen).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    let (_, v) = stored(&w, &id).await;
    let (s, _) = review(&w, &iom, &id, "submit", v).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "UNHCR confirmed nothing");
}

#[tokio::test]
async fn an_uploaded_workbook_naming_a_partner_waits_for_the_partners_confirmation() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (status, body, _) = w
        .upload(&iom, None, "iom-2023.csv", JOINT_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (f, v) = stored(&w, IMPORTED).await;
    assert_eq!(
        f.status,
        FigureStatus::Draft,
        "not submitted in UNHCR's name before UNHCR confirms"
    );
    assert!(
        body.contains("UNHCR"),
        "the upload page says whom it waits for: {body}"
    );
    let (s, _) = review(&w, &coord, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The figure's page says whose confirmation it waits for; UNHCR confirms.
    let (_, page, _) = w.get(&coord, &format!("/figures/2023/{IMPORTED}")).await;
    assert!(page.contains("Waiting for confirmation by UNHCR"), "{page}");
    // UNHCR's own entry page asks for its confirmation, until it is given.
    let (_, entry, _) = w.get(&unhcr, "/entry").await;
    assert!(entry.contains("Confirm this joint figure"), "{entry}");
    let (s, body) = review(&w, &unhcr, IMPORTED, "confirm", v).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, entry, _) = w.get(&unhcr, "/entry").await;
    assert!(!entry.contains("Confirm this joint figure"), "{entry}");
    // Importing the same file again now submits it.
    let (status, body, _) = w
        .upload(&iom, None, "iom-2023.csv", JOINT_CSV.as_bytes())
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (f, v) = stored(&w, IMPORTED).await;
    assert_eq!(f.status, FigureStatus::Submitted);
    let (s, body) = review(&w, &coord, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_coordinator_importing_a_joint_workbook_by_the_api_cannot_approve_before_the_partner_confirms()
 {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let (s, body) = w
        .api_bytes(
            &coord,
            "/api/v1/imports?file=iom-2023.csv",
            JOINT_CSV.as_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (f, v) = stored(&w, IMPORTED).await;
    assert_eq!(f.status, FigureStatus::Draft, "{body}");
    let (s, _) = review(&w, &coord, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = review(&w, &unhcr, IMPORTED, "confirm", v).await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = w
        .api_bytes(
            &coord,
            "/api/v1/imports?file=iom-2023.csv",
            JOINT_CSV.as_bytes(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (f, v) = stored(&w, IMPORTED).await;
    assert_eq!(f.status, FigureStatus::Submitted);
    // The coordinator imported it and approves it alone: allowed here, and marked.
    let (s, body) = review(&w, &coord, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let reviews = w.app.store().reviews("2023", IMPORTED).await.unwrap();
    let approval = reviews.iter().find(|r| r.action == "approve").unwrap();
    assert!(approval.same_person, "{reviews:?}");
    let (_, page, _) = w.get(&coord, &format!("/figures/2023/{IMPORTED}")).await;
    assert!(
        page.contains("entered and approved by the same person"),
        "{page}"
    );
}

/// The Thailand example with `separation_of_duties = true`, loaded over the world's store.
async fn require_a_second_person(w: &World) {
    let dir = tempfile::tempdir().unwrap();
    mignet_test_support::copy_dir(&mignet_test_support::example(), dir.path());
    let net = dir.path().join("network.toml");
    let text = std::fs::read_to_string(&net).unwrap();
    let text = text.replacen(
        "country = \"TH\"",
        "country = \"TH\"\nseparation_of_duties = true",
        1,
    );
    std::fs::write(&net, text).unwrap();
    w.app.load(dir.path(), "test").await.unwrap();
    assert!(w.app.dataset().await.unwrap().network.separation_of_duties);
}

#[tokio::test]
async fn where_the_network_requires_a_second_person_the_importer_cannot_approve() {
    let w = world().await;
    require_a_second_person(&w).await;
    let coord = w.browser("coord@x.org").await;
    let admin = w.browser("admin@x.org").await;
    let csv = "organisation,period,indicator,kind,value\nIOM,2023,P1.O1.I02,count,640\n";
    let (s, body) = w
        .api_bytes(&coord, "/api/v1/imports?file=iom-2023.csv", csv.as_bytes())
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (f, v) = stored(&w, IMPORTED).await;
    assert_eq!(f.status, FigureStatus::Submitted);
    let (page_status, page, _) = w.get(&coord, "/review").await;
    assert_eq!(page_status, StatusCode::OK);
    assert!(page.contains("requires a second person"), "{page}");
    let (s, body) = review(&w, &coord, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("second person"),
        "{body}"
    );
    assert_eq!(stored(&w, IMPORTED).await.0.status, FigureStatus::Submitted);
    // Another person approves it, unmarked.
    let (s, body) = review(&w, &admin, IMPORTED, "approve", v).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let reviews = w.app.store().reviews("2023", IMPORTED).await.unwrap();
    assert!(!reviews.iter().any(|r| r.same_person), "{reviews:?}");
}

#[tokio::test]
async fn the_trail_of_accounts_is_for_administrators_only() {
    let w = world().await;
    for who in ["viewer@x.org", "iom@x.org", "coord@x.org"] {
        let b = w.browser(who).await;
        let (s, body) = w.api(&b, "GET", "/api/v1/audit?entity=account", None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {body}");
        assert_eq!(body["error"]["code"], "forbidden", "{body}");
        let (s, body) = w.api(&b, "GET", "/api/v1/audit", None).await;
        assert_eq!(s, StatusCode::OK);
        let entries = body.as_array().unwrap();
        assert!(!entries.is_empty());
        assert!(
            entries.iter().all(|e| e["entity"] != "account"),
            "{who} reads no account entry"
        );
        assert!(
            !body.to_string().contains("viewer@x.org\",\"role"),
            "{body}"
        );
    }
    let admin = w.browser("admin@x.org").await;
    let (s, body) = w
        .api(&admin, "GET", "/api/v1/audit?entity=account", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.as_array().unwrap().iter().any(|e| e["key"]
            .as_str()
            .unwrap_or("")
            .contains("viewer@x.org")
            || e["after"].to_string().contains("viewer@x.org")),
        "{body}"
    );
}

#[tokio::test]
async fn through_the_forms_a_confirmation_does_not_carry_a_later_change_either() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let unhcr = w.browser("unhcr@x.org").await;
    let (status, _, location) = w
        .post(
            &iom,
            "/entry/new?period=2023",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("organisations", "UNHCR"),
                ("value", "100"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert!(
        location.ends_with("?done=saved"),
        "the page will say it was saved: {location}"
    );
    let id = location
        .trim_end_matches("?done=saved")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (_, v) = stored(&w, &id).await;
    let (status, body, _) = w
        .post(
            &unhcr,
            &format!("/figures/2023/{id}/review"),
            &[("action", "confirm"), ("version", &v.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, v) = stored(&w, &id).await;
    let (status, body, _) = w
        .post(
            &iom,
            &format!("/figures/2023/{id}/edit"),
            &[
                ("version", &v.to_string()),
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("organisations", "UNHCR"),
                ("value", "999999"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, v) = stored(&w, &id).await;
    let (status, body, _) = w
        .post(
            &iom,
            &format!("/figures/2023/{id}/review"),
            &[("action", "submit"), ("version", &v.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("UNHCR"), "{body}");
    assert_eq!(stored(&w, &id).await.0.status, FigureStatus::Draft);
}
