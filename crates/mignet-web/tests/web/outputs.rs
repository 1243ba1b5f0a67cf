//! Links on the web's input paths: the figure form and the API refuse a `javascript:` or `data:`
//! evidence link beside its field and keep what was typed; a web or mail link is taken.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_script_link_as_evidence_is_refused_on_the_form_and_through_the_api() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let (status, body, _) = w
        .post(
            &iom,
            "/entry/new?period=2023",
            &[
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "50"),
                ("note", "typed by hand"),
                ("evidence", "javascript:alert(document.cookie)"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"evidence-error\""), "{body}");
    assert!(body.contains("typed by hand"), "what was typed is kept");
    assert!(
        !body.contains("href=\"javascript:"),
        "the refused link is no link on the page"
    );

    for link in [
        "javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example",
    ] {
        let (s, err) = w
            .api(
                &iom,
                "POST",
                "/api/v1/periods/2023/figures",
                Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 50, "evidence": link})),
            )
            .await;
        assert_eq!(
            (s, err["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("evidence")),
            "{link}: {err}"
        );
    }
    let (s, body) = w
        .api(
            &iom,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 50, "evidence": "mailto:focal@iom.int"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
}
