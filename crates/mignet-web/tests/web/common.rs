//! The harness of the web tests: the application through its router, without a socket, each request
//! as a browser or an API client would send it, against a fresh SQLite store holding the Thailand
//! example and one account of each role.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mignet_app::App;
use mignet_core::access::Role;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// Who asks, in the permission tests: nobody signed in, then one account of each role (two focal
/// points, of different organisations).
pub const ROLES: [&str; 6] = [
    "anonymous",
    "admin@x.org",
    "coord@x.org",
    "iom@x.org",
    "unhcr@x.org",
    "viewer@x.org",
];

pub struct World {
    pub router: Router,
    pub app: std::sync::Arc<App>,
    _dir: tempfile::TempDir,
}

/// A signed-in browser: its session cookie and CSRF token; or an anonymous one.
#[derive(Clone, Default)]
pub struct Browser {
    pub cookie: Option<String>,
    pub csrf: String,
    pub token: Option<String>,
}

pub async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    world_at(&db, dir).await
}

/// A fresh PostgreSQL database on the server `MIGNET_TEST_POSTGRES` names (its admin URL), for a test
/// that runs on both stores; fails when the variable is missing, as the store suite does.
pub async fn postgres_database() -> String {
    mignet_test_support::postgres_database("mignet_web").await
}

/// [`world`] on the store `db` (an SQLite path or a PostgreSQL URL); `dir` lives as long as the world.
pub async fn world_at(db: &str, dir: tempfile::TempDir) -> World {
    world_of(db, dir, &mignet_test_support::example()).await
}

/// A world holding the dataset of the folder `data` instead of the Thailand example, with the
/// accounts of [`ROLES`] whose organisation the dataset has.
pub async fn world_of(db: &str, dir: tempfile::TempDir, data: &std::path::Path) -> World {
    world_with_clock(db, dir, data, mignet_app::Clock::System).await
}

/// [`world`] whose reporting round reads the day `today` (`YYYY-MM-DD`).
pub async fn world_on(today: &str) -> World {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    let clock = mignet_app::Clock::fixed(today).unwrap();
    world_with_clock(&db, dir, &mignet_test_support::example(), clock).await
}

async fn world_with_clock(
    db: &str,
    dir: tempfile::TempDir,
    data: &std::path::Path,
    clock: mignet_app::Clock,
) -> World {
    let app = App::open(db).await.unwrap();
    app.load(data, "test").await.unwrap();
    let ds = app.store().dataset().await.unwrap().unwrap();
    for (email, role, org) in [
        ("admin@x.org", Role::Administrator, None),
        ("coord@x.org", Role::Coordinator, None),
        ("iom@x.org", Role::FocalPoint, Some("IOM")),
        ("unhcr@x.org", Role::FocalPoint, Some("UNHCR")),
        ("viewer@x.org", Role::Viewer, None),
    ] {
        if org.is_some_and(|o| ds.organisation(o).is_none()) {
            continue;
        }
        app.add_account(email, email, PASSWORD, role, org, "test")
            .await
            .unwrap();
    }
    let state = mignet_web::AppState::new(app, true).with_clock(clock);
    let app = state.app.clone();
    World {
        router: mignet_web::router(state),
        app,
        _dir: dir,
    }
}

impl World {
    /// The SQLite file of the world's store.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("t.db")
    }

    pub async fn browser(&self, email: &str) -> Browser {
        let s = self.app.login(email, PASSWORD).await.unwrap();
        let token = self.app.new_api_token(&s.actor, "test").await.unwrap();
        Browser {
            cookie: Some(format!("mignet_session={}", s.token)),
            csrf: s.csrf,
            token: Some(token),
        }
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String, Option<String>) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        // Lossy: a file (a PDF export) is not text, and only its status matters here.
        let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes())
            .into_owned();
        (status, body, location)
    }

    pub async fn get(&self, b: &Browser, path: &str) -> (StatusCode, String, Option<String>) {
        let mut r = Request::get(path);
        if let Some(c) = &b.cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    pub async fn post(
        &self,
        b: &Browser,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        // Finished before the await: the serializer is not Send, and writers run on spawned tasks.
        let body = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("csrf", &b.csrf);
            for (k, v) in fields {
                form.append_pair(k, v);
            }
            form.finish()
        };
        let mut r =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = &b.cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::from(body)).unwrap()).await
    }

    pub async fn api(
        &self,
        b: &Browser,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut r = Request::builder().method(method).uri(path);
        if let Some(t) = &b.token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(j) => r
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(j.to_string()))
                .unwrap(),
            None => r.body(Body::empty()).unwrap(),
        };
        let (status, text, _) = self.send(req).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// A figure of IOM's in the open period 2023, created through the API, returning its id.
    pub async fn iom_figure(&self) -> String {
        let iom = self.browser("iom@x.org").await;
        let (s, body) = self.api(&iom, "POST", "/api/v1/periods/2023/figures", Some(serde_json::json!({"indicator": "P1.O1.I02", "organisations": ["IOM"], "value": 500, "parts": {"children": 120}}))).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }
}

/// An answer with its headers and its body as bytes, for files.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or(""))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl World {
    /// A GET as `b`, the answer whole.
    pub async fn fetch(&self, b: &Browser, path: &str) -> Reply {
        let mut r = Request::get(path);
        if let Some(c) = &b.cookie {
            r = r.header(header::COOKIE, c);
        }
        let res = self
            .router
            .clone()
            .oneshot(r.body(Body::empty()).unwrap())
            .await
            .unwrap();
        Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: res.into_body().collect().await.unwrap().to_bytes().to_vec(),
        }
    }

    /// A file uploaded through `/entry/upload` as a browser sends it (multipart/form-data), with the
    /// browser's CSRF token unless `csrf` says otherwise.
    pub async fn upload(
        &self,
        b: &Browser,
        csrf: Option<&str>,
        file_name: &str,
        bytes: &[u8],
    ) -> (StatusCode, String, Option<String>) {
        let boundary = "----mignet-test-boundary-7d1f";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
                csrf.unwrap_or(&b.csrf)
            )
            .as_bytes(),
        );
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut r = Request::post("/entry/upload").header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        if let Some(c) = &b.cookie {
            r = r.header(header::COOKIE, c);
        }
        self.send(r.body(Body::from(body)).unwrap()).await
    }
}

impl World {
    /// A POST of raw bytes to the API, with the browser's token.
    pub async fn api_bytes(
        &self,
        b: &Browser,
        path: &str,
        bytes: &[u8],
    ) -> (StatusCode, serde_json::Value) {
        let mut r = Request::post(path).header(header::CONTENT_TYPE, "application/octet-stream");
        if let Some(t) = &b.token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let (status, text, _) = self.send(r.body(Body::from(bytes.to_vec())).unwrap()).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }
}

/// The page without the `data-label` attributes that stack table cells on a phone, so a test can
/// match a table's cells by their text and class alone.
pub fn unlabelled(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" data-label=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " data-label=\"".len()..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The text a reader sees: the page without its tags, spaces collapsed, and no space left before
/// punctuation where a tag ended.
pub fn visible_text(html: &str) -> String {
    let out = without_tags(html, ' ');
    let mut text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in [".", ",", ":", ";"] {
        text = text.replace(&format!(" {p}"), p);
    }
    text
}

/// The page's text with each tag replaced by `mark`.
pub fn without_tags(html: &str, mark: char) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(mark);
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
