//! Search from every page: what the public finds (approved figures only), what a signed-in reader
//! finds, the page and the API alike.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn search_finds_indicators_results_and_text_as_the_reader_may_see_them() {
    let w = world().await;
    let anon = Browser::default();
    let coord = w.browser("coord@x.org").await;

    // Every page carries the search box.
    let (_, home, _) = w.get(&anon, "/").await;
    assert!(home.contains("role=\"search\"") && home.contains("action=\"/search\""));

    // A word of an indicator and its approved result; case does not matter.
    let (s, html, _) = w.get(&anon, "/search?q=HOTLINE").await;
    assert_eq!(s, StatusCode::OK);
    let text = visible_text(&html);
    assert!(
        text.contains("Indicator") && text.contains("COVID-19 Hotline maintained"),
        "{text}"
    );
    assert!(
        html.contains("/figures/2022/F-HOTLINE")
            || html.contains("&#x2f;figures&#x2f;2022&#x2f;F-HOTLINE"),
        "the result links to its figure"
    );
    // Every word must occur: two words that never meet find nothing.
    let (_, api) = w
        .api(&anon, "GET", "/api/v1/search?q=hotline%20zanzibar", None)
        .await;
    assert_eq!(api, json!([]));

    // A draft's note is found by those who see drafts, never by the public.
    let (s, body) = w
        .api(&w.browser("iom@x.org").await, "POST", "/api/v1/periods/2023/figures", Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 5, "note": "Counted in Kanchanaburi shelters"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (_, public) = w
        .api(&anon, "GET", "/api/v1/search?q=kanchanaburi", None)
        .await;
    assert_eq!(public, json!([]), "the public does not find a draft");
    let (_, signed_in) = w
        .api(&coord, "GET", "/api/v1/search?q=kanchanaburi", None)
        .await;
    let hits = signed_in.as_array().unwrap();
    assert_eq!(hits.len(), 1, "{signed_in}");
    assert_eq!(hits[0]["kind"], "figure");
    assert_eq!(
        hits[0]["href"],
        format!("/figures/2023/{}", body["id"].as_str().unwrap())
    );

    // Pledges, working groups and the Highlights' text are searched too.
    let (_, api) = w
        .api(&anon, "GET", "/api/v1/search?q=working%20group", None)
        .await;
    assert!(
        api.as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "working_group"),
        "{api}"
    );
    let (_, api) = w.api(&anon, "GET", "/api/v1/search?q=pledge", None).await;
    assert!(!api.as_array().unwrap().is_empty(), "{api}");

    // Nothing to look for: the page explains, the API answers an empty list.
    let (s, html, _) = w.get(&anon, "/search?q=%20%20").await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("class=\"hits\""));
    let (_, html, _) = w.get(&anon, "/search?q=zanzibar").await;
    assert!(visible_text(&html).contains("Nothing matches “zanzibar”"));
}
