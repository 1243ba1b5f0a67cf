//! The reporting cycle's messages in each person's list (`/messages`, `GET /api/v1/messages`): a
//! submission is told to the coordinators, a return and its reason to the organisation, a joint figure
//! to the partner whose confirmation it waits for; nobody is told of their own step, nobody else's
//! messages are shown, and each message is written once however often the logs are read.

use crate::common::*;
use crate::round::report_some;
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn subjects(w: &World, who: &str) -> Vec<String> {
    let b = w.browser(who).await;
    let (s, body) = w.api(&b, "GET", "/api/v1/messages", None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_review_step_is_told_to_those_it_concerns_once() {
    let w = world_on("2024-02-10").await;
    report_some(&w).await;

    // Two submissions by IOM: each told to the coordinator and to the administrator.
    let coord = subjects(&w, "coord@x.org").await;
    let submitted: Vec<&String> = coord
        .iter()
        .filter(|s| s.starts_with("Submitted for review:"))
        .collect();
    assert_eq!(submitted.len(), 2, "{coord:?}");
    assert_eq!(
        subjects(&w, "admin@x.org")
            .await
            .iter()
            .filter(|s| s.starts_with("Submitted for review:"))
            .count(),
        2
    );
    // The coordinator's return, with its reason, to IOM's focal point; not its own submissions.
    let b = w.browser("iom@x.org").await;
    let (_, iom) = w.api(&b, "GET", "/api/v1/messages", None).await;
    let iom: &Vec<Value> = iom.as_array().unwrap();
    assert_eq!(iom.len(), 1, "{iom:?}");
    assert!(
        iom[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Returned to you:")
    );
    assert!(
        iom[0]["body"]
            .as_str()
            .unwrap()
            .contains("Which months does this cover?"),
        "{iom:?}"
    );
    assert!(iom[0]["link"].as_str().unwrap().starts_with("/entry/2023/"));
    assert_eq!(iom[0]["emailed_at"], Value::Null, "no mail server is set");
    // Another organisation hears nothing of IOM's figures.
    assert!(subjects(&w, "unhcr@x.org").await.is_empty());

    // Reading the logs again writes nothing new.
    assert_eq!(w.app.gather_messages().await.unwrap(), 0);
    assert_eq!(w.app.outbox().await.unwrap().len(), 5);

    // The page shows the same list in words.
    let (s, html, _) = w.get(&b, "/messages").await;
    assert_eq!(s, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Returned to you:"), "{text}");
    assert!(text.contains("Not sent by e-mail yet."), "{text}");
}

#[tokio::test]
async fn a_joint_figure_asks_each_partner_for_its_confirmation() {
    let w = world_on("2024-02-10").await;
    let iom = w.browser("iom@x.org").await;
    let (s, body) = w
        .api(
            &iom,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": "P1.O1.I01", "organisations": ["IOM", "UNHCR"], "value": 40})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let unhcr = subjects(&w, "unhcr@x.org").await;
    assert_eq!(unhcr.len(), 1, "{unhcr:?}");
    assert!(
        unhcr[0].starts_with("Waiting for your confirmation: joint"),
        "{unhcr:?}"
    );
    assert!(subjects(&w, "iom@x.org").await.is_empty());

    // UNHCR confirms: IOM, which waits to submit, is told.
    let unhcr_b = w.browser("unhcr@x.org").await;
    let id = body["id"].as_str().unwrap();
    let (s, reply) = w
        .api(
            &unhcr_b,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "confirm", "version": body["version"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{reply}");
    let iom_subjects = subjects(&w, "iom@x.org").await;
    assert_eq!(iom_subjects.len(), 1, "{iom_subjects:?}");
    assert!(
        iom_subjects[0].starts_with("Confirmed by UNHCR"),
        "{iom_subjects:?}"
    );
}

#[tokio::test]
async fn signed_out_nobody_reads_messages() {
    let w = world().await;
    let (s, _) = w
        .api(&Browser::default(), "GET", "/api/v1/messages", None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_comment_in_a_figure_s_thread_is_told_to_the_other_side() {
    let w = world_on("2024-02-10").await;
    let id = w.iom_figure().await;
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (s, ..) = w
        .post(
            &iom,
            &format!("/figures/2023/{id}/comment"),
            &[("comment", "Does this include Tak?")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let told = |list: Vec<String>| {
        list.iter()
            .filter(|s| s.starts_with("New comment on"))
            .count()
    };
    assert_eq!(told(subjects(&w, "coord@x.org").await), 1);
    assert_eq!(told(subjects(&w, "admin@x.org").await), 1);
    assert_eq!(
        told(subjects(&w, "iom@x.org").await),
        0,
        "not told of its own comment"
    );
    assert_eq!(
        told(subjects(&w, "unhcr@x.org").await),
        0,
        "another organisation hears nothing"
    );
    // The coordinator answers; IOM hears of it, with the text.
    w.post(
        &coord,
        &format!("/figures/2023/{id}/comment"),
        &[("comment", "Yes, Tak and Mae Sot.")],
    )
    .await;
    let (_, list) = w.api(&iom, "GET", "/api/v1/messages", None).await;
    let m = &list.as_array().unwrap()[0];
    assert!(
        m["subject"].as_str().unwrap().starts_with("New comment on"),
        "{m}"
    );
    assert!(
        m["body"]
            .as_str()
            .unwrap()
            .contains("Yes, Tak and Mae Sot."),
        "{m}"
    );
    assert_eq!(m["link"], format!("/figures/2023/{id}#thread"));
}
