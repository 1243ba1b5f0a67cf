//! Concurrent writers against one server, on SQLite and on PostgreSQL: 32 writers at once make a fixed
//! number of creates, edits (API and form), submissions, reviews and imports, most of them on the same
//! few figures. Every answer is 200, 201, 303 or 409, never a server error; afterwards no update is
//! lost (each figure's version is the number of its audit entries, and the number of writes answered
//! as done), and an SQLite store passes its integrity check.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Writers at once.
const WRITERS: usize = 32;
/// Rounds each writer makes.
const ROUNDS: usize = 3;

/// What the writers saw: every answer by operation, and the writes answered as done per figure.
#[derive(Default)]
struct Tally {
    answers: Vec<(String, StatusCode, String)>,
    done: BTreeMap<String, i64>,
}

impl Tally {
    fn answer(&mut self, op: &str, status: StatusCode, body: &str) {
        self.answers.push((op.to_owned(), status, body.to_owned()));
    }
    fn did(&mut self, id: &str, n: i64) {
        *self.done.entry(id.to_owned()).or_default() += n;
    }
}

struct Who {
    iom: Browser,
    unhcr: Browser,
    coord: Browser,
}

/// The figure as it stands, through the API: its status and version.
async fn read(w: &World, b: &Browser, id: &str) -> (String, i64) {
    let (s, f) = w
        .api(
            b,
            "GET",
            &format!("/api/v1/periods/2023/figures/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    (
        f["status"].as_str().unwrap().to_owned(),
        f["version"].as_i64().unwrap(),
    )
}

/// A focal point changes its organisation's shared figure with a value no one else sends, through
/// the API or (every other writer) the form; then submits it when it is a draft.
async fn editor(w: &World, t: &Mutex<Tally>, b: &Browser, org: &str, id: &str, n: usize) {
    let (status, v) = read(w, b, id).await;
    if status == "draft" || status == "returned" {
        let value = (1_000 + n).to_string();
        if n.is_multiple_of(2) {
            let (s, body) = w
                .api(b, "PUT", &format!("/api/v1/periods/2023/figures/{id}"), Some(json!({"version": v, "indicator": "P1.O1.I02", "organisations": [org], "value": 1_000 + n})))
                .await;
            if s == StatusCode::OK {
                t.lock().unwrap().did(id, 1);
            }
            t.lock().unwrap().answer("api edit", s, &body.to_string());
        } else {
            let (s, body, _) = w
                .post(
                    b,
                    &format!("/figures/2023/{id}/edit"),
                    &[
                        ("version", &v.to_string()),
                        ("indicator", "P1.O1.I02"),
                        ("organisations", org),
                        ("value", &value),
                    ],
                )
                .await;
            if s == StatusCode::SEE_OTHER {
                t.lock().unwrap().did(id, 1);
            }
            if s == StatusCode::CONFLICT {
                assert!(
                    body.contains(&format!("value=\"{value}\"")),
                    "the form comes back with what was typed: {body}"
                );
            }
            t.lock().unwrap().answer("form edit", s, "");
        }
    }
    let (status, v) = read(w, b, id).await;
    if status == "draft" || status == "returned" {
        review(w, t, b, id, "submit", v).await;
    }
}

async fn review(w: &World, t: &Mutex<Tally>, b: &Browser, id: &str, action: &str, v: i64) {
    let (s, body) = w
        .api(
            b,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": action, "version": v, "comment": "the parts do not add up"})),
        )
        .await;
    if s == StatusCode::OK {
        t.lock().unwrap().did(id, 1);
    }
    t.lock()
        .unwrap()
        .answer(&format!("review {action}"), s, &body.to_string());
}

/// A focal point creates a figure of its own (on the same indicator as everyone else) and submits it.
async fn creator(w: &World, t: &Mutex<Tally>, b: &Browser, org: &str) {
    let (s, body) = w
        .api(
            b,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": "P1.O1.I02", "organisations": [org], "value": 77})),
        )
        .await;
    t.lock().unwrap().answer("create", s, &body.to_string());
    if s == StatusCode::CREATED {
        let id = body["id"].as_str().unwrap().to_owned();
        t.lock().unwrap().did(&id, 1);
        let v = body["version"].as_i64().unwrap();
        review(w, t, b, &id, "submit", v).await;
    }
}

/// The coordinator approves, returns or reopens what it finds, each from the version it read.
async fn coordinator(w: &World, t: &Mutex<Tally>, b: &Browser, n: usize) {
    let (s, list) = w.api(b, "GET", "/api/v1/periods/2023/figures", None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    for id in ids.iter().skip(n % 3).step_by(3).take(3) {
        let (status, v) = read(w, b, id).await;
        match status.as_str() {
            "submitted" => {
                let action = if n.is_multiple_of(2) {
                    "approve"
                } else {
                    "return"
                };
                review(w, t, b, id, action, v).await;
            }
            "approved" => review(w, t, b, id, "reopen", v).await,
            _ => {}
        }
    }
}

/// The coordinator imports an organisation's workbook (its CSV form) on its behalf.
async fn importer(w: &World, t: &Mutex<Tally>, b: &Browser, org: &str) {
    let csv = format!(
        "organisation,period,indicator,kind,value,part:children,place 1\n{org},2023,P1.O1.I02,count,640,210,TH-10\n"
    );
    let file = format!("{}-2023.csv", org.to_lowercase());
    let (s, body) = w
        .api_bytes(b, &format!("/api/v1/imports?file={file}"), csv.as_bytes())
        .await;
    if s == StatusCode::OK {
        let n = body["created"].as_i64().unwrap() + body["updated"].as_i64().unwrap();
        t.lock().unwrap().did(&format!("IMP-{org}-P1.O1.I02"), n);
    }
    t.lock().unwrap().answer("import", s, &body.to_string());
}

async fn writers_race(w: World) {
    let w = Arc::new(w);
    let who = Arc::new(Who {
        iom: w.browser("iom@x.org").await,
        unhcr: w.browser("unhcr@x.org").await,
        coord: w.browser("coord@x.org").await,
    });
    let tally = Arc::new(Mutex::new(Tally::default()));
    // One shared figure for each organisation, which half the writers fight over.
    let mut shared = Vec::new();
    for (b, org) in [(&who.iom, "IOM"), (&who.unhcr, "UNHCR")] {
        let (s, f) = w
            .api(
                b,
                "POST",
                "/api/v1/periods/2023/figures",
                Some(json!({"indicator": "P1.O1.I02", "organisations": [org], "value": 1})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{f}");
        let id = f["id"].as_str().unwrap().to_owned();
        tally.lock().unwrap().did(&id, 1);
        shared.push(id);
    }
    let shared = Arc::new(shared);
    let mut tasks = Vec::new();
    for n in 0..WRITERS {
        let (w, who, tally, shared) = (w.clone(), who.clone(), tally.clone(), shared.clone());
        tasks.push(tokio::spawn(async move {
            let (b, org, id) = if n.is_multiple_of(2) {
                (&who.iom, "IOM", &shared[0])
            } else {
                (&who.unhcr, "UNHCR", &shared[1])
            };
            for round in 0..ROUNDS {
                match n % 4 {
                    0 | 1 if round == 0 => creator(&w, &tally, b, org).await,
                    0 | 1 => editor(&w, &tally, b, org, id, n * ROUNDS + round).await,
                    2 => coordinator(&w, &tally, &who.coord, n + round).await,
                    _ => {
                        let org = if (n / 4).is_multiple_of(2) {
                            "IOM"
                        } else {
                            "UNHCR"
                        };
                        importer(&w, &tally, &who.coord, org).await
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("a writer panicked");
    }

    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let bad: Vec<_> = tally
        .answers
        .iter()
        .filter(|(_, s, _)| {
            ![
                StatusCode::OK,
                StatusCode::CREATED,
                StatusCode::SEE_OTHER,
                StatusCode::CONFLICT,
            ]
            .contains(s)
        })
        .collect();
    assert!(
        bad.is_empty(),
        "answers other than 200/201/303/409: {bad:#?}"
    );
    let conflicts = tally
        .answers
        .iter()
        .filter(|(_, s, _)| *s == StatusCode::CONFLICT)
        .count();
    println!("{} answers, {conflicts} of them 409", tally.answers.len());
    // Every write answered as done is in the store: a figure's version is the number of its audit
    // entries and the number of its writes answered 200/201/303.
    let ds = w.app.store().dataset().await.unwrap().unwrap();
    let figures = &ds.period("2023").unwrap().figures;
    assert!(figures.len() > 2, "the creators' figures are there");
    for f in figures {
        let id = f.id.as_str();
        let stored = w.app.store().figure("2023", id).await.unwrap().unwrap();
        let trail = w
            .app
            .store()
            .audit(Some(("figure", &format!("2023/{id}"))))
            .await
            .unwrap();
        assert_eq!(
            stored.version,
            trail.len() as i64,
            "figure {id}: version {} but {} audit entries",
            stored.version,
            trail.len()
        );
        assert_eq!(
            Some(&stored.version),
            tally.done.get(id),
            "figure {id}: the writes answered as done are not all in the store"
        );
    }
    if let Some(check) = w.app.store().sqlite_integrity().await.unwrap() {
        assert_eq!(check, "ok");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_writers_on_sqlite_get_200_or_409_and_lose_nothing() {
    let w = world().await;
    assert_eq!(
        w.app
            .store()
            .sqlite_journal_mode()
            .await
            .unwrap()
            .as_deref(),
        Some("wal")
    );
    writers_race(w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_writers_on_postgres_get_200_or_409_and_lose_nothing() {
    let db = postgres_database().await;
    let w = world_at(&db, tempfile::tempdir().unwrap()).await;
    writers_race(w).await;
}

/// An API write without the version (figures) or fingerprint (framework, narrative) it was read at is
/// refused with 422 naming the field, and nothing is applied; the OpenAPI document requires them.
#[tokio::test]
async fn an_api_write_without_its_version_or_fingerprint_is_refused_naming_the_field() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let id = w.iom_figure().await;
    let (s, body) = w
        .api(
            &iom,
            "PUT",
            &format!("/api/v1/periods/2023/figures/{id}"),
            Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 900})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        (
            body["error"]["code"].as_str(),
            body["error"]["field"].as_str()
        ),
        (Some("invalid"), Some("version")),
        "{body}"
    );
    let (s, body) = w
        .api(
            &iom,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "submit"})),
        )
        .await;
    assert_eq!(
        (s, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("version")),
        "{body}"
    );
    assert_eq!(
        w.app.stored_figure("2023", &id).await.unwrap().version,
        1,
        "nothing was applied"
    );
    // The framework: a change and a deletion without the fingerprint they were read at.
    let (s, item) = w
        .api(&coord, "GET", "/api/v1/framework/priority/P1", None)
        .await;
    assert_eq!(s, StatusCode::OK, "{item}");
    let mut changed = item["item"].clone();
    changed["title"] = json!("Renamed without reading");
    let (s, body) = w
        .api(
            &coord,
            "PUT",
            "/api/v1/framework/priority/P1",
            Some(json!({"item": changed})),
        )
        .await;
    assert_eq!(
        (s, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("fingerprint")),
        "{body}"
    );
    let (s, body) = w
        .api(&coord, "DELETE", "/api/v1/framework/priority/P1", None)
        .await;
    assert_eq!(
        (s, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("fingerprint")),
        "{body}"
    );
    let (_, after) = w
        .api(&coord, "GET", "/api/v1/framework/priority/P1", None)
        .await;
    assert_eq!(after, item, "nothing was applied");
    // The OpenAPI document says so.
    let (_, doc) = w.api(&coord, "GET", "/api/v1/openapi.json", None).await;
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("FigureUpdate", "version"),
        ("ReviewIn", "version"),
        ("ItemUpdate", "fingerprint"),
    ] {
        assert!(
            schemas[schema]["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!(field))),
            "{schema} requires {field}: {}",
            schemas[schema]
        );
    }
}

/// A review step that loses a race (the figure changed after the page was opened) is answered 409
/// with the figure as it is now and the comment the coordinator typed still in the form.
#[tokio::test]
async fn a_review_step_that_lost_a_race_keeps_its_comment() {
    let w = world().await;
    let id = w.iom_figure().await;
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (_, v) = read(&w, &iom, &id).await;
    let (s, body) = w
        .api(
            &iom,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "submit", "version": v})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let opened_at = v + 1;
    // Another coordinator approves first.
    let (s, body) = w
        .api(
            &coord,
            "POST",
            &format!("/api/v1/periods/2023/figures/{id}/review"),
            Some(json!({"action": "approve", "version": opened_at})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let comment = "The children are counted twice; please check the Tak sites.";
    let (status, page, _) = w
        .post(
            &coord,
            &format!("/figures/2023/{id}/review"),
            &[
                ("action", "return"),
                ("version", &opened_at.to_string()),
                ("comment", comment),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("your comment is kept"), "{page}");
    assert!(
        page.contains(&format!("<q class=\"kept-comment\">{comment}</q>")),
        "the comment is lost:\n{page}"
    );
}
