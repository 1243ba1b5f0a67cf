//! Any bytes as a form or API body, sent to one of the server's writes (the first byte chooses which
//! and as whom) through the router, against one store built once: no answer may be a 5xx, and nothing
//! may panic.
#![no_main]

use axum::body::Body;
use axum::http::{Request, header};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct World {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    /// (session cookie, CSRF token, API token) of a focal point and of the coordinator.
    people: Vec<(String, String, String)>,
    _dir: tempfile::TempDir,
}

const PASSWORD: &str = "fuzzing is not a password";

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (router, people) = rt.block_on(async {
            let app = mignet_app::App::open(&dir.path().join("f.db").display().to_string()).await.unwrap();
            let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/thailand-2022");
            app.load(&example, "fuzz").await.unwrap();
            use mignet_core::access::Role;
            let mut people = Vec::new();
            for (email, role, org) in [("iom@f.org", Role::FocalPoint, Some("IOM")), ("coord@f.org", Role::Coordinator, None)] {
                app.add_account(email, email, PASSWORD, role, org, "fuzz").await.unwrap();
                let s = app.login(email, PASSWORD).await.unwrap();
                let token = app.new_api_token(&s.actor, "fuzz").await.unwrap();
                people.push((format!("mignet_session={}", s.token), s.csrf, token));
            }
            (mignet_web::router(mignet_web::AppState::new(app, true)), people)
        });
        World { rt, router, people, _dir: dir }
    })
}

const TARGETS: &[(&str, &str, bool)] = &[
    ("POST", "/entry/new?period=2023", false),
    ("POST", "/admin/indicator/new", false),
    ("POST", "/admin/organisation/new", false),
    ("POST", "/admin/section/new?period=2023", false),
    ("POST", "/admin/indicator/P1.O1.I02", false),
    ("POST", "/admin/accounts", false),
    ("POST", "/api/v1/periods/2023/figures", true),
    ("POST", "/api/v1/framework/indicator", true),
    ("POST", "/api/v1/framework/organisation", true),
    ("PUT", "/api/v1/framework/priority/P1", true),
    ("POST", "/api/v1/periods/2023/narrative/footnote", true),
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else { return };
    let w = world();
    let (method, path, api) = TARGETS[choice as usize % TARGETS.len()];
    let (cookie, csrf, token) = &w.people[(choice as usize / TARGETS.len()) % w.people.len()];
    let req = Request::builder().method(method).uri(path);
    let req = if api {
        req.header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_vec()))
    } else {
        // The form's own token first, so that the fuzzed fields reach the handler.
        let mut form = format!("csrf={csrf}&").into_bytes();
        form.extend_from_slice(body);
        req.header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
    }
    .unwrap();
    let status = w.rt.block_on(w.router.clone().oneshot(req)).unwrap().status();
    assert!(status.as_u16() < 500, "{method} {path} answered {status}");
});
