//! The web application: the public dashboard, agency data entry, review, the audit trail and the JSON
//! API, served by axum over the same use cases as the command line (`mignet-app`).
//!
//! Pages are rendered on the server with MiniJinja and work without JavaScript. Every form carries a
//! CSRF token bound to the session; sessions are random tokens in a Secure, HttpOnly, SameSite=Strict
//! cookie, stored only as hashes.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let app = mignet_app::App::open("mignet.db").await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! mignet_web::serve(app, listener).await?;
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod auth;
mod entry;
mod error;
mod exchange;
mod map;
mod map_names;
mod pages;
mod views;

use axum::Router;
use axum::http::{HeaderValue, header};
use mignet_app::App;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::WebError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub templates: Arc<minijinja::Environment<'static>>,
    pub limiter: Arc<auth::LoginLimiter>,
    pub cache: Arc<pages::PageCache>,
    /// Whether cookies get the Secure flag. Browsers accept Secure cookies from http://localhost and
    /// 127.0.0.1, so it stays on for the demo; `MIGNET_INSECURE_COOKIES=1` turns it off for clients that
    /// do not (some HTTP libraries).
    pub secure_cookies: bool,
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    (
        "indicator.html",
        include_str!("../templates/indicator.html"),
    ),
    (
        "indicators.html",
        include_str!("../templates/indicators.html"),
    ),
    ("figure.html", include_str!("../templates/figure.html")),
    ("sources.html", include_str!("../templates/sources.html")),
    ("pledges.html", include_str!("../templates/pledges.html")),
    ("groups.html", include_str!("../templates/groups.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("entry.html", include_str!("../templates/entry.html")),
    (
        "figure_form.html",
        include_str!("../templates/figure_form.html"),
    ),
    ("review.html", include_str!("../templates/review.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("admin.html", include_str!("../templates/admin.html")),
    (
        "admin_form.html",
        include_str!("../templates/admin_form.html"),
    ),
    ("accounts.html", include_str!("../templates/accounts.html")),
    (
        "downloads.html",
        include_str!("../templates/downloads.html"),
    ),
    ("upload.html", include_str!("../templates/upload.html")),
];

const CSS: &str = include_str!("../static/mignet.css");

pub(crate) fn templates() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("a valid syntax");
    env.set_syntax(syntax);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env.add_filter("num", |v: f64| mignet_core::numbers::group_auto(v, 2));
    env
}

pub(crate) use mignet_report::escape_html as html_escape;

impl AppState {
    /// The network's dataset as stored; an empty store is an error every page and call explains.
    pub(crate) async fn dataset(&self) -> Result<mignet_core::Dataset, mignet_app::AppError> {
        self.app
            .store()
            .dataset()
            .await?
            .ok_or(mignet_app::AppError::Empty)
    }

    pub fn new(app: App, secure_cookies: bool) -> AppState {
        AppState {
            app: Arc::new(app),
            templates: Arc::new(templates()),
            limiter: Arc::new(auth::LoginLimiter::default()),
            cache: Arc::new(pages::PageCache::default()),
            secure_cookies,
        }
    }
}

/// The whole application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(auth::routes())
        .merge(entry::routes())
        .merge(admin::routes())
        .merge(exchange::routes())
        .nest("/api/v1", api::routes())
        .route("/static/mignet.css", axum::routing::get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS) }))
        .fallback(|| async { WebError::NotFound("no such page".into()) })
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'")))
        .with_state(state)
}

/// Serves until the process is stopped.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let secure = std::env::var("MIGNET_INSECURE_COOKIES").is_err();
    axum::serve(listener, router(AppState::new(app, secure))).await
}
