//! The authorisation matrix: every route of the pages and every operation of the API, asked by every
//! role (an anonymous visitor, the administrator, the coordinator, IOM's and UNHCR's focal points and
//! a viewer). Only what the role may do succeeds; everything else is refused and leaves the audit
//! trail, and so the store, as it was. Each write gets a target of its own for each role (a fresh
//! draft, a fresh submitted figure ...), so one role's success never decides the next one's answer.

use crate::common::*;
use axum::http::StatusCode;
use mignet_core::access::Role;
use serde_json::{Value, json};

const SIGNED_IN: &[&str] = &[
    "admin@x.org",
    "coord@x.org",
    "iom@x.org",
    "unhcr@x.org",
    "viewer@x.org",
];
const EVERYONE: &[&str] = &ROLES;
const COORDINATORS: &[&str] = &["admin@x.org", "coord@x.org"];
const FOCAL_POINTS: &[&str] = &["iom@x.org", "unhcr@x.org"];

/// The body of a request.
enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(Value),
    Upload(&'static str, &'static [u8]),
    Bytes(&'static [u8]),
}

struct Req {
    method: &'static str,
    path: String,
    body: Body,
}

fn form(fields: &[(&str, &str)]) -> Body {
    Body::Form(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

const IOM_CSV: &[u8] =
    b"organisation,period,indicator,kind,value,part:children\nIOM,2023,P1.O1.I02,count,640,210\n";

/// A figure of the open period 2023, as it stands before the request: its id and version.
async fn figure(w: &World, orgs: &[&str], steps: &[&str]) -> (String, i64) {
    let iom = w.browser("iom@x.org").await;
    let coord = w.browser("coord@x.org").await;
    let (s, body) = w
        .api(
            &iom,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": "P1.O1.I03", "organisations": orgs, "value": 7})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    let mut version = body["version"].as_i64().unwrap();
    for step in steps {
        let b = if *step == "approve" { &coord } else { &iom };
        let (s, body) = w
            .api(
                b,
                "POST",
                &format!("/api/v1/periods/2023/figures/{id}/review"),
                Some(json!({"action": step, "version": version})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{step}: {body}");
        version = body["version"].as_i64().unwrap();
    }
    (id, version)
}

/// A framework item the coordinator has just made, for a role to change or delete: its key and
/// fingerprint.
async fn fresh_priority(w: &World, n: usize) -> (String, String) {
    let coord = w.browser("coord@x.org").await;
    let code = format!("PM{n}");
    let (s, body) = w
        .api(
            &coord,
            "POST",
            "/api/v1/framework/priority",
            Some(json!({"item": {"code": code, "title": "A priority to change"}})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    (code, body["fingerprint"].as_str().unwrap().to_owned())
}

async fn fresh_section(w: &World) -> (String, Value, String) {
    let coord = w.browser("coord@x.org").await;
    let (s, body) = w
        .api(&coord, "POST", "/api/v1/periods/2023/narrative/section", Some(json!({"item": {"kind": "context", "priority": null, "outcome": null, "text": "A section to change."}})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let key = body["key"].as_str().unwrap();
    let id = key.rsplit('/').next().unwrap().to_owned();
    (
        id,
        body["item"].clone(),
        body["fingerprint"].as_str().unwrap().to_owned(),
    )
}

/// Every write the application offers, prepared for the `n`-th asker.
async fn write(w: &World, name: &str, n: usize) -> Req {
    let post = |path: String, body| Req {
        method: "POST",
        path,
        body,
    };
    match name {
        "POST /entry/new" => post(
            "/entry/new?period=2023".into(),
            form(&[
                ("indicator", "P1.O1.I03"),
                ("organisations", "IOM"),
                ("value", "12"),
            ]),
        ),
        "POST /figures/{period}/{id}/edit" => {
            let (id, v) = figure(w, &["IOM"], &[]).await;
            post(
                format!("/figures/2023/{id}/edit"),
                form(&[
                    ("version", &v.to_string()),
                    ("indicator", "P1.O1.I03"),
                    ("organisations", "IOM"),
                    ("value", "8"),
                ]),
            )
        }
        "POST /figures/{period}/{id}/review submit" => {
            let (id, v) = figure(w, &["IOM"], &[]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[("action", "submit"), ("version", &v.to_string())]),
            )
        }
        "POST /figures/{period}/{id}/review confirm" => {
            let (id, v) = figure(w, &["IOM", "UNHCR"], &[]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[("action", "confirm"), ("version", &v.to_string())]),
            )
        }
        "POST /figures/{period}/{id}/review approve" => {
            let (id, v) = figure(w, &["IOM"], &["submit"]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[("action", "approve"), ("version", &v.to_string())]),
            )
        }
        "POST /figures/{period}/{id}/review return" => {
            let (id, v) = figure(w, &["IOM"], &["submit"]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[
                    ("action", "return"),
                    ("comment", "Which provinces?"),
                    ("version", &v.to_string()),
                ]),
            )
        }
        "POST /figures/{period}/{id}/review reopen" => {
            let (id, v) = figure(w, &["IOM"], &["submit", "approve"]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[("action", "reopen"), ("version", &v.to_string())]),
            )
        }
        // This network has one level of approval: nobody approves for an agency.
        "POST /figures/{period}/{id}/review endorse" => {
            let (id, v) = figure(w, &["IOM"], &["submit"]).await;
            post(
                format!("/figures/2023/{id}/review"),
                form(&[("action", "endorse"), ("version", &v.to_string())]),
            )
        }
        "POST /entry/upload" => post(
            "/entry/upload".into(),
            Body::Upload("iom-2023.csv", IOM_CSV),
        ),
        "POST /admin/{kind}/new" => post(
            "/admin/priority/new".into(),
            form(&[("code", &format!("PN{n}")), ("title", "A new priority")]),
        ),
        "POST /admin/{kind}/{key}" => {
            let (code, fp) = fresh_priority(w, n).await;
            post(
                format!("/admin/priority/{code}"),
                form(&[("intent", "delete"), ("seen", &fp)]),
            )
        }
        "POST /admin/accounts" => post(
            "/admin/accounts".into(),
            form(&[
                ("email", &format!("new{n}@x.org")),
                ("name", "New"),
                ("password", PASSWORD),
                ("role", "viewer"),
            ]),
        ),
        "POST /admin/accounts/{id}" => {
            // An account none of the askers uses, made a viewer again before each change.
            let target = w.app.login("target@x.org", PASSWORD).await.unwrap().actor;
            let admin = w.app.login("admin@x.org", PASSWORD).await.unwrap().actor;
            w.app
                .change_account(&admin, target.id, Role::Viewer, None, false, false)
                .await
                .unwrap();
            post(
                format!("/admin/accounts/{}", target.id),
                form(&[("role", "coordinator"), ("organisation", "")]),
            )
        }
        "POST /api/v1/periods/{period}/figures" => post(
            "/api/v1/periods/2023/figures".into(),
            Body::Json(json!({"indicator": "P1.O1.I03", "organisations": ["IOM"], "value": 12})),
        ),
        "PUT /api/v1/periods/{period}/figures/{id}" => {
            let (id, v) = figure(w, &["IOM"], &[]).await;
            Req {
                method: "PUT",
                path: format!("/api/v1/periods/2023/figures/{id}"),
                body: Body::Json(
                    json!({"indicator": "P1.O1.I03", "organisations": ["IOM"], "value": 9, "version": v}),
                ),
            }
        }
        "POST /api/v1/periods/{period}/figures/{id}/review" => {
            let (id, v) = figure(w, &["IOM"], &["submit"]).await;
            post(
                format!("/api/v1/periods/2023/figures/{id}/review"),
                Body::Json(json!({"action": "approve", "version": v})),
            )
        }
        "POST /api/v1/framework/{kind}" => post(
            "/api/v1/framework/priority".into(),
            Body::Json(json!({"item": {"code": format!("PA{n}"), "title": "From the API"}})),
        ),
        "PUT /api/v1/framework/{kind}/{key}" => {
            let (code, fp) = fresh_priority(w, n).await;
            Req {
                method: "PUT",
                path: format!("/api/v1/framework/priority/{code}"),
                body: Body::Json(
                    json!({"item": {"code": code, "title": "Renamed"}, "fingerprint": fp}),
                ),
            }
        }
        "DELETE /api/v1/framework/{kind}/{key}" => {
            let (code, fp) = fresh_priority(w, n).await;
            Req {
                method: "DELETE",
                path: format!("/api/v1/framework/priority/{code}?fingerprint={fp}"),
                body: Body::None,
            }
        }
        "POST /api/v1/periods/{period}/narrative/{kind}" => post(
            "/api/v1/periods/2023/narrative/section".into(),
            Body::Json(
                json!({"item": {"kind": "ways_forward", "priority": "P1", "outcome": null, "text": "Keep going."}}),
            ),
        ),
        "PUT /api/v1/periods/{period}/narrative/{kind}/{id}" => {
            let (id, mut item, fp) = fresh_section(w).await;
            item["text"] = json!("Changed.");
            Req {
                method: "PUT",
                path: format!("/api/v1/periods/2023/narrative/section/{id}"),
                body: Body::Json(json!({"item": item, "fingerprint": fp})),
            }
        }
        "DELETE /api/v1/periods/{period}/narrative/{kind}/{id}" => {
            let (id, _, fp) = fresh_section(w).await;
            Req {
                method: "DELETE",
                path: format!("/api/v1/periods/2023/narrative/section/{id}?fingerprint={fp}"),
                body: Body::None,
            }
        }
        "POST /api/v1/imports" => Req {
            method: "POST",
            path: "/api/v1/imports?file=iom-2023.csv".into(),
            body: Body::Bytes(IOM_CSV),
        },
        "POST /figures/{period}/{id}/comment" => {
            let (id, _) = figure(w, &["IOM"], &[]).await;
            post(
                format!("/figures/2023/{id}/comment"),
                form(&[("comment", "Which months?")]),
            )
        }
        "POST /review/approve" => {
            let (id, version) = figure(w, &["IOM"], &["submit"]).await;
            post(
                "/review/approve".into(),
                form(&[("figure", &format!("2023/{id}/{version}"))]),
            )
        }
        // Each open period is new; each round save moves the due date, from the round as it is.
        "POST /review/periods" => post(
            "/review/periods".into(),
            form(&[("code", &format!("R{n}")), ("title", &format!("Round {n}"))]),
        ),
        "POST /review/round" => {
            let ds = w.app.dataset().await.unwrap();
            let round = &ds.period("2023").unwrap().period.round;
            let fingerprint = mignet_app::round_fingerprint(round);
            let mut due = format!("2024-02-{:02}", 10 + n % 18);
            if round.due.as_deref() == Some(due.as_str()) {
                due = "2024-02-28".into();
            }
            let mut fields: Vec<(String, String)> = vec![
                ("period".into(), "2023".into()),
                ("fingerprint".into(), fingerprint),
                ("opens".into(), "2024-01-08".into()),
                ("due".into(), due),
            ];
            fields.extend(round.assignments.iter().map(|a| {
                (
                    "assign".to_owned(),
                    format!("{}|{}", a.organisation, a.indicator),
                )
            }));
            post("/review/round".into(), Body::Form(fields))
        }
        // Each publication has something new to publish: a figure of 2023 approved just before.
        "POST /editions/{period}" => {
            figure(w, &["IOM"], &["submit", "approve"]).await;
            post("/editions/2023".into(), form(&[]))
        }
        "POST /api/v1/periods/{period}/editions" => {
            figure(w, &["IOM"], &["submit", "approve"]).await;
            Req {
                method: "POST",
                path: "/api/v1/periods/2023/editions".into(),
                body: Body::None,
            }
        }
        other => panic!("no request for {other}"),
    }
}

/// Every write, with the roles that may make it.
const WRITES: &[(&str, &[&str])] = &[
    ("POST /entry/new", &["iom@x.org"]),
    ("POST /figures/{period}/{id}/edit", &["iom@x.org"]),
    ("POST /figures/{period}/{id}/review submit", &["iom@x.org"]),
    ("POST /figures/{period}/{id}/review confirm", FOCAL_POINTS),
    ("POST /figures/{period}/{id}/review approve", COORDINATORS),
    ("POST /figures/{period}/{id}/review return", COORDINATORS),
    ("POST /figures/{period}/{id}/review reopen", COORDINATORS),
    ("POST /figures/{period}/{id}/review endorse", &[]),
    ("POST /editions/{period}", COORDINATORS),
    ("POST /review/periods", COORDINATORS),
    ("POST /review/approve", COORDINATORS),
    (
        "POST /figures/{period}/{id}/comment",
        &["admin@x.org", "coord@x.org", "iom@x.org"],
    ),
    ("POST /review/round", COORDINATORS),
    ("POST /api/v1/periods/{period}/editions", COORDINATORS),
    (
        "POST /entry/upload",
        &["admin@x.org", "coord@x.org", "iom@x.org"],
    ),
    ("POST /admin/{kind}/new", COORDINATORS),
    ("POST /admin/{kind}/{key}", COORDINATORS),
    ("POST /admin/accounts", &["admin@x.org"]),
    ("POST /admin/accounts/{id}", &["admin@x.org"]),
    ("POST /api/v1/periods/{period}/figures", &["iom@x.org"]),
    ("PUT /api/v1/periods/{period}/figures/{id}", &["iom@x.org"]),
    (
        "POST /api/v1/periods/{period}/figures/{id}/review",
        COORDINATORS,
    ),
    ("POST /api/v1/framework/{kind}", COORDINATORS),
    ("PUT /api/v1/framework/{kind}/{key}", COORDINATORS),
    ("DELETE /api/v1/framework/{kind}/{key}", COORDINATORS),
    (
        "POST /api/v1/periods/{period}/narrative/{kind}",
        COORDINATORS,
    ),
    (
        "PUT /api/v1/periods/{period}/narrative/{kind}/{id}",
        COORDINATORS,
    ),
    (
        "DELETE /api/v1/periods/{period}/narrative/{kind}/{id}",
        COORDINATORS,
    ),
    (
        "POST /api/v1/imports",
        &["admin@x.org", "coord@x.org", "iom@x.org"],
    ),
];

/// Every page and read, with the roles that may open it. `{draft}` is a draft figure of IOM's.
const READS: &[(&str, &[&str])] = &[
    ("/", EVERYONE),
    ("/map/2022.svg", EVERYONE),
    ("/indicators", EVERYONE),
    ("/indicators/P1.O1.I02", EVERYONE),
    ("/figures/2022/{approved}", EVERYONE),
    ("/figures/2023/{draft}", SIGNED_IN),
    ("/sources", EVERYONE),
    ("/pledges", EVERYONE),
    ("/groups", EVERYONE),
    ("/gcm", EVERYONE),
    ("/sdg", EVERYONE),
    ("/highlights/2022", EVERYONE),
    ("/downloads", EVERYONE),
    ("/exports/2022/pdf", EVERYONE),
    ("/exports/2022/hxl", EVERYONE),
    ("/exports/2022/iati", EVERYONE),
    ("/exports/2022/json", SIGNED_IN),
    ("/exports/2022/xlsx", SIGNED_IN),
    ("/static/mignet.css", EVERYONE),
    ("/login", EVERYONE),
    (
        "/entry",
        &["admin@x.org", "coord@x.org", "iom@x.org", "unhcr@x.org"],
    ),
    ("/entry/new?period=2023", FOCAL_POINTS),
    ("/figures/2023/{draft}/edit", &["iom@x.org"]),
    ("/review", COORDINATORS),
    ("/review/completeness?period=2023", COORDINATORS),
    ("/review/completeness.xlsx?period=2023", COORDINATORS),
    ("/review/round?period=2023", COORDINATORS),
    ("/messages", SIGNED_IN),
    ("/editions", EVERYONE),
    ("/search?q=hotline", EVERYONE),
    ("/editions/2022/1/highlights-2022.pdf", EVERYONE),
    (
        "/entry/upload",
        &["admin@x.org", "coord@x.org", "iom@x.org", "unhcr@x.org"],
    ),
    (
        "/entry/workbook?period=2023&org=IOM",
        &["admin@x.org", "coord@x.org", "iom@x.org"],
    ),
    ("/admin", COORDINATORS),
    ("/admin/priority/new", COORDINATORS),
    ("/admin/priority/P1", COORDINATORS),
    ("/admin/accounts", &["admin@x.org"]),
    ("/api/v1/openapi.json", EVERYONE),
    ("/api/v1/network", EVERYONE),
    ("/api/v1/framework", EVERYONE),
    ("/api/v1/periods", EVERYONE),
    ("/api/v1/periods/2022/figures", EVERYONE),
    ("/api/v1/periods/2022/figures/{approved}", EVERYONE),
    ("/api/v1/periods/2023/figures/{draft}", SIGNED_IN),
    ("/api/v1/periods/2022/findings", SIGNED_IN),
    ("/api/v1/periods/2022/progress", EVERYONE),
    ("/api/v1/periods/2023/completeness", COORDINATORS),
    ("/api/v1/framework/priority/P1", EVERYONE),
    ("/api/v1/periods/2022/narrative/section/0", EVERYONE),
    ("/api/v1/messages", SIGNED_IN),
    ("/api/v1/periods/2022/editions", EVERYONE),
    ("/api/v1/search?q=hotline", EVERYONE),
    ("/api/v1/audit", SIGNED_IN),
    ("/api/v1/periods/2022/exports/pdf", EVERYONE),
    ("/api/v1/periods/2022/exports/hxl", EVERYONE),
    ("/api/v1/periods/2022/exports/iati", EVERYONE),
    ("/api/v1/periods/2022/exports/json", SIGNED_IN),
    ("/api/v1/periods/2022/exports/xlsx", SIGNED_IN),
];

/// Whether an answer refuses: not signed in (to the sign-in page, or 401), not allowed (403), or not
/// there for this asker (404, for an unpublished figure).
fn refused(status: StatusCode, location: Option<&str>) -> bool {
    matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (status == StatusCode::SEE_OTHER && location == Some("/login"))
}

/// A form may also refuse by coming back with the reason beside the field (422): a focal point who
/// names another organisation on a new figure is told that it must name its own.
fn form_refused(status: StatusCode, location: Option<&str>, body: &str) -> bool {
    refused(status, location)
        || (status == StatusCode::UNPROCESSABLE_ENTITY
            && body.contains("must name your organisation"))
}

fn succeeded(status: StatusCode, location: Option<&str>) -> bool {
    status.is_success() || (status.is_redirection() && location != Some("/login"))
}

async fn browsers(w: &World) -> Vec<Browser> {
    let mut out = Vec::new();
    for r in ROLES {
        out.push(if r == "anonymous" {
            Browser::default()
        } else {
            w.browser(r).await
        });
    }
    out
}

async fn send(w: &World, b: &Browser, req: Req) -> (StatusCode, String, Option<String>) {
    match req.body {
        Body::Form(fields) => {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            w.post(b, &req.path, &fields).await
        }
        Body::Upload(name, bytes) => w.upload(b, None, name, bytes).await,
        Body::Json(j) => {
            let (s, body) = w.api(b, req.method, &req.path, Some(j)).await;
            (s, body.to_string(), None)
        }
        Body::None => {
            let (s, body) = w.api(b, req.method, &req.path, None).await;
            (s, body.to_string(), None)
        }
        Body::Bytes(bytes) => {
            let (s, body) = w.api_bytes(b, &req.path, bytes).await;
            (s, body.to_string(), None)
        }
    }
}

#[tokio::test]
async fn every_write_succeeds_for_the_roles_that_may_make_it_and_changes_nothing_otherwise() {
    let w = world().await;
    w.app
        .add_account(
            "target@x.org",
            "Target",
            PASSWORD,
            Role::Viewer,
            None,
            "test",
        )
        .await
        .unwrap();
    let browsers = browsers(&w).await;
    let mut n = 0;
    for (name, allowed) in WRITES {
        for (role, b) in ROLES.iter().zip(&browsers) {
            n += 1;
            let req = write(&w, name, n).await;
            let trail = w.app.store().audit(None).await.unwrap().len();
            let (status, body, location) = send(&w, b, req).await;
            let after = w.app.store().audit(None).await.unwrap().len();
            if allowed.contains(role) {
                assert!(
                    succeeded(status, location.as_deref()),
                    "{role} may {name} but got {status} {location:?}: {body}"
                );
                // An import of a file already imported changes nothing, by design.
                let import = name.contains("/imports") || name.contains("/upload");
                assert!(after > trail || import, "{role} {name}: no audit entry");
            } else {
                assert!(
                    form_refused(status, location.as_deref(), &body),
                    "{role} may not {name} but got {status} {location:?}: {body}"
                );
                assert_eq!(
                    after, trail,
                    "{role} was refused {name} but the store changed"
                );
                if name.contains("/api/") {
                    let err: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    assert!(err["error"]["code"].is_string(), "{role} {name}: {body}");
                }
            }
        }
    }
}

#[tokio::test]
async fn every_page_and_read_opens_only_for_the_roles_that_may_see_it() {
    let w = world().await;
    let browsers = browsers(&w).await;
    let (draft, _) = figure(&w, &["IOM"], &[]).await;
    w.app.publish_as("test", "2022").await.unwrap();
    let ds = w.app.store().dataset().await.unwrap().unwrap();
    let approved = ds.period("2022").unwrap().figures[0].id.to_string();
    for (path, allowed) in READS {
        let path = path
            .replace("{draft}", &draft)
            .replace("{approved}", &approved);
        for (role, b) in ROLES.iter().zip(&browsers) {
            let (status, body, location) = if path.starts_with("/api/") {
                let (s, body) = w.api(b, "GET", &path, None).await;
                (s, body.to_string(), None)
            } else {
                w.get(b, &path).await
            };
            if allowed.contains(role) {
                assert!(
                    succeeded(status, location.as_deref()),
                    "{role} may open {path} but got {status} {location:?}: {body}"
                );
            } else {
                assert!(
                    refused(status, location.as_deref()),
                    "{role} may not open {path} but got {status} {location:?}"
                );
            }
        }
    }
}

/// Whether a concrete path (or a row's own pattern) is one of `template`'s: the same segments, where a
/// `{name}` segment of the template stands for any one.
fn is_route(template: &str, path: &str) -> bool {
    let path = path.split(['?', ' ']).next().unwrap_or("");
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t.starts_with('{') || t == p)
}

/// The matrix names every operation of the API's own OpenAPI document, so an endpoint added later
/// without a row here fails this test.
#[tokio::test]
async fn the_matrix_covers_every_operation_of_the_openapi_document() {
    let w = world().await;
    let (status, doc) = w
        .api(&Browser::default(), "GET", "/api/v1/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, String)> = WRITES
        .iter()
        .map(|(name, _)| {
            let (method, path) = name.split_once(' ').unwrap();
            (method.to_owned(), path.to_owned())
        })
        .chain(
            READS
                .iter()
                .map(|(path, _)| ("GET".to_owned(), (*path).to_owned())),
        )
        .collect();
    let mut operations = 0;
    for (template, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            operations += 1;
            let method = method.to_uppercase();
            assert!(
                rows.iter()
                    .any(|(m, p)| *m == method && is_route(template, p)),
                "the matrix has no row for {method} {template}"
            );
        }
    }
    assert!(
        operations >= 20,
        "only {operations} operations in the document"
    );
    assert!(is_route(
        "/api/v1/periods/{period}/figures/{id}",
        "/api/v1/periods/2023/figures/{draft}"
    ));
    assert!(!is_route(
        "/api/v1/periods/{period}/figures",
        "/api/v1/periods/2023/findings"
    ));
}
