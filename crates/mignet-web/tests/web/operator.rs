//! What an operator and an attacker meet: errors answered as the one table says and logged with their
//! cause and the request's id, the API's error shape on every refusal, writes refused 401 before their
//! body is read, the limits on sign-in, common passwords refused, `/healthz`, and inputs that once
//! made the server panic or answer 500.

use crate::common::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// Log lines written while `f` runs on this thread (the tests run on one thread: tokio's default for
/// tests).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn install(&self) -> tracing::subscriber::DefaultGuard {
        let me = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || me.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

async fn raw(w: &World, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = w.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn a_server_error_is_logged_with_its_cause_and_the_request_id_and_healthz_tells() {
    let w = world().await;
    let log = Captured::default();
    let _guard = log.install();
    let anon = Browser::default();
    let (status, body, _) = w.get(&anon, "/healthz").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
    let coord = w.browser("coord@x.org").await;
    // Break the store under the server. Public pages are answered from memory (the read model), but
    // a signed-in request looks its session up, and /healthz asks the store's generation.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", w.db_path().display()))
        .await
        .unwrap();
    for drop in ["DROP TABLE sessions", "DROP TABLE store_generation"] {
        sqlx::query(drop).execute(&pool).await.unwrap();
    }
    pool.close().await;
    let cookie = coord.cookie.clone().unwrap();
    let (status, headers, body) = raw(
        &w,
        Request::get("/")
            .header(axum::http::header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("has been logged"), "{body}");
    assert!(
        !body.contains("no such table"),
        "no cause on the page: {body}"
    );
    let id = headers[mignet_web::REQUEST_ID].to_str().unwrap().to_owned();
    let text = log.text();
    let line = text
        .lines()
        .find(|l| l.contains("the request failed"))
        .unwrap_or_else(|| panic!("no error line in the log:\n{text}"));
    assert!(
        line.contains("ERROR")
            && line.contains(&id)
            && line.contains("no such table: sessions")
            && line.contains("store_failed"),
        "the line names the request and the cause: {line}"
    );
    let (status, body, _) = w.get(&anon, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
}

#[tokio::test]
async fn a_write_without_a_valid_token_is_refused_401_before_its_body_is_read_and_logged() {
    let w = world().await;
    let log = Captured::default();
    let _guard = log.install();
    let anon = Browser::default();
    // An empty body once drew a parser's 422; a body that is not JSON, and an unknown path, too.
    let (s, body) = w
        .api(
            &anon,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    for (method, path, content) in [
        ("POST", "/api/v1/periods/2023/figures", "not json"),
        ("PUT", "/api/v1/periods/2023/figures/F-X", "{"),
        ("DELETE", "/api/v1/no/such/thing", ""),
        ("POST", "/api/v1/imports?file=x.xlsx", "PK"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from(content))
            .unwrap();
        let (s, _, body) = raw(&w, req).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        let j: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(j["error"]["code"], "unauthorized", "{body}");
    }
    let bad = Browser {
        token: Some("mgt_not-a-token".into()),
        ..Browser::default()
    };
    let (s, _) = w
        .api(
            &bad,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let text = log.text();
    assert!(
        text.lines().any(|l| l.contains("WARN")
            && l.contains("a write was refused")
            && l.contains("unauthorized")
            && l.contains("POST")),
        "every refused write is logged with its cause:\n{text}"
    );
}

#[tokio::test]
async fn every_api_error_has_the_documented_shape() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let long = format!("/api/v1/periods/{}/figures", "9".repeat(10_000));
    let cases = [
        (
            "DELETE",
            "/api/v1/periods".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "GET",
            "/api/v1/periods/%FF/figures".to_owned(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "GET",
            "/api/v1/audit?entity=figure&entity=account".to_owned(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        ("GET", long, StatusCode::URI_TOO_LONG, "uri_too_long"),
        (
            "GET",
            "/api/v1/nothing".to_owned(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/api/v1/periods/2022/figures/%E0%A4%A".to_owned(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (method, path, status, code) in cases {
        let (s, body) = w.api(&coord, method, &path, None).await;
        assert_eq!(
            s,
            status,
            "{method} {}: {body}",
            &path[..path.len().min(80)]
        );
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    // A page's address that is too long gets a page, not JSON.
    let (s, body, _) = w
        .get(
            &Browser::default(),
            &format!("/indicators/{}", "x".repeat(10_000)),
        )
        .await;
    assert_eq!(s, StatusCode::URI_TOO_LONG);
    assert!(
        body.contains("<html") || body.contains("<!doctype"),
        "{body}"
    );
}

#[tokio::test]
async fn counts_of_2_to_the_63_or_more_are_refused_with_a_message_on_the_api_and_the_form() {
    let w = world().await;
    let iom = w.browser("iom@x.org").await;
    for (value, children) in [
        (json!(9_223_372_036_854_775_808u64), json!(1)),
        (json!(500), json!(1e19)),
    ] {
        let (s, body) = w
            .api(&iom, "POST", "/api/v1/periods/2023/figures", Some(json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": value, "parts": {"children": children}})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("too large"),
            "{body}"
        );
    }
    let (s, page, _) = w
        .post(
            &iom,
            "/entry/new",
            &[
                ("period", "2023"),
                ("indicator", "P1.O1.I02"),
                ("organisations", "IOM"),
                ("value", "18446744073709551615"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("is too large: a count is at most 9,223,372,036,854,775,807"),
        "the message is beside the field"
    );
    assert!(
        page.contains("18446744073709551615"),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn a_figure_id_longer_than_an_id_may_be_is_refused_with_a_message_not_a_panic() {
    let w = world().await;
    let coord = w.browser("coord@x.org").await;
    let code = "LONG".repeat(15); // 60 characters: with `-P1.O1.I02` the id would be 70
    let (s, body) = w
        .api(&coord, "POST", "/api/v1/framework/organisation", Some(json!({"item": {"code": code, "short_name": "Long", "name": "Long", "kind": "ngo", "member": true, "parent": null}})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    w.app
        .add_account(
            "long@x.org",
            "Long",
            PASSWORD,
            mignet_core::access::Role::FocalPoint,
            Some(&code),
            "test",
        )
        .await
        .unwrap();
    let long = w.browser("long@x.org").await;
    let (s, body) = w
        .api(
            &long,
            "POST",
            "/api/v1/periods/2023/figures",
            Some(json!({"indicator": "P1.O1.I02", "organisations": [code], "value": 5})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "indicator", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than 64"),
        "{body}"
    );
    let (s, page, _) = w
        .post(
            &long,
            "/entry/new",
            &[
                ("period", "2023"),
                ("indicator", "P1.O1.I02"),
                ("organisations", &code),
                ("value", "5"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("shorter code"), "{page}");
}

/// A sign-in attempt from `addr` as a browser sends it (the sign-in form's token and cookie).
async fn sign_in(w: &World, addr: &str, email: &str, password: &str) -> StatusCode {
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", "t0k3n")
        .append_pair("email", email)
        .append_pair("password", password)
        .finish();
    let mut req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, "mignet_login_csrf=t0k3n")
        .body(Body::from(form))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(addr.parse::<SocketAddr>().unwrap()));
    w.router.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn one_address_spraying_passwords_over_many_accounts_is_stopped() {
    let w = world().await;
    let mut statuses = Vec::new();
    // Twelve accounts, two wrong passwords each, from one address.
    for n in 0..12 {
        for _ in 0..2 {
            statuses.push(
                sign_in(
                    &w,
                    "203.0.113.5:4000",
                    &format!("user{n}@x.org"),
                    "Wrong-password-1",
                )
                .await,
            );
        }
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(
        refused,
        mignet_app::MAX_FAILURES_PER_ADDRESS as usize,
        "{statuses:?}"
    );
    assert!(
        statuses[refused..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // The right password from that address waits too; another address is not held up.
    assert_eq!(
        sign_in(&w, "203.0.113.5:4001", "viewer@x.org", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sign_in(&w, "198.51.100.7:4000", "viewer@x.org", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn one_account_takes_five_wrong_passwords_from_any_addresses_then_waits() {
    let w = world().await;
    for n in 0..mignet_app::MAX_FAILURES_PER_ACCOUNT {
        let addr = format!("198.51.100.{n}:4000");
        assert_eq!(
            sign_in(&w, &addr, "iom@x.org", "Wrong-password-1").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&w, "192.0.2.99:4000", "iom@x.org", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "not even the right password is checked"
    );
    assert_eq!(
        sign_in(&w, "192.0.2.99:4000", "unhcr@x.org", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_common_password_is_refused_on_the_administrators_page() {
    let w = world().await;
    let admin = w.browser("admin@x.org").await;
    let (s, page, _) = w
        .post(
            &admin,
            "/admin/accounts",
            &[
                ("email", "new@x.org"),
                ("name", "New"),
                ("role", "viewer"),
                ("password", "1234567890"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("most common passwords"), "{page}");
    let (s, _, _) = w
        .post(
            &admin,
            "/admin/accounts",
            &[
                ("email", "new@x.org"),
                ("name", "New"),
                ("role", "viewer"),
                ("password", "ochre lantern quietly"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}
