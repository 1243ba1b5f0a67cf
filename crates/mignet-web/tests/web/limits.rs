//! Free text has limits on every path (mignet_core::limits): the form, the API, the workbook import,
//! the narrative edits; a text over its limit is refused with its field, and nothing is written.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use mignet_core::limits::{MAX_COMMENT, MAX_EVIDENCE, MAX_NARRATIVE, MAX_NOTE};
use serde_json::json;

async fn count_2023(w: &World) -> usize {
    w.app
        .dataset()
        .await
        .unwrap()
        .period("2023")
        .unwrap()
        .figures
        .len()
}

#[tokio::test]
async fn the_api_refuses_a_note_evidence_or_comment_over_its_limit_with_422_naming_the_field() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = count_2023(&w).await;
    let long_link = format!("https://example.org/{}", "a".repeat(MAX_EVIDENCE));
    for (field, value) in [("note", "n".repeat(MAX_NOTE + 1)), ("evidence", long_link)] {
        let mut body = json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 5});
        body[field] = json!(value);
        let (s, answer) = w
            .api(&iom, "POST", "/api/v1/periods/2023/figures", Some(body))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid", "{answer}");
        assert!(
            answer.to_string().contains(&format!("\"{field}\"")),
            "the answer names {field}: {answer}"
        );
    }
    assert_eq!(count_2023(&w).await, before, "nothing was written");
    // At the limit, a note is taken.
    let (s, answer) = w
        .api(&iom, "POST", "/api/v1/periods/2023/figures", Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 5, "note": "n".repeat(MAX_NOTE)})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{answer}");
    // A review comment over its limit.
    let id = answer["id"].as_str().unwrap().to_owned();
    let (s, answer) = w
        .api(
            &iom,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "submit", "version": answer["version"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    let coord = w.browser("coord@x.org").await;
    let (s, refused) = w
        .api(&coord, "POST", &format!("/api/v1/periods/2023/figures/{id}/review"), Some(json!({"action": "return", "version": answer["version"], "comment": "c".repeat(MAX_COMMENT + 1)})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("\"comment\""), "{refused}");
}

#[tokio::test]
async fn the_form_refuses_a_note_over_its_limit_beside_the_field() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = count_2023(&w).await;
    let note = "n".repeat(MAX_NOTE + 1);
    let (status, body, _) = w
        .post(
            &iom,
            "/entry/new?period=2023",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "50"),
                ("note", &note),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("longer than 4000 characters"), "{body}");
    assert_eq!(count_2023(&w).await, before);
}

#[tokio::test]
async fn a_narrative_text_over_its_limit_is_refused_by_the_api() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let text = "x".repeat(MAX_NARRATIVE + 1);
    let (s, body) = w
        .api(&coord, "POST", "/api/v1/periods/2023/narrative/section", Some(json!({"item": {"kind": "context", "priority": null, "outcome": null, "text": text}})))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("\"text\""), "{body}");
    assert!(body.to_string().contains("20000"), "{body}");
}

#[tokio::test]
async fn an_imported_evidence_link_over_its_limit_is_refused_with_its_row_and_nothing_is_written() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let before = count_2023(&w).await;
    let csv = format!(
        "organisation,period,indicator,kind,value,evidence\nIOM,2023,P1.O1.I02,count,640,https://example.org/{}\n",
        "a".repeat(MAX_EVIDENCE)
    );
    let (s, body) = w
        .api_bytes(&iom, "/api/v1/imports?file=iom-2023.csv", csv.as_bytes())
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = body["error"]["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["column"] == "evidence" && p["row"] == 2),
        "{body}"
    );
    assert_eq!(count_2023(&w).await, before);
}

#[tokio::test]
async fn an_api_body_over_256_kib_is_refused_with_413_in_the_error_shape() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let body = json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 5, "note": "n".repeat(300 * 1024)});
    let req = Request::post("/api/v1/periods/2023/figures")
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", iom.token.as_ref().unwrap()),
        )
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, text, _) = w.send(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["error"]["code"], "too_large", "{answer}");
}
