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
//! mignet_web::serve(app, listener, mignet_web::ServeOptions::default()).await?;
//! # Ok(()) }
//! ```

mod admin;
mod api;
mod auth;
mod cache;
mod editions;
mod entry;
mod error;
mod exchange;
mod i18n;
mod map;
mod map_names;
mod messages;
mod observe;
mod pages;
mod paging;
mod round;
mod views;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use mignet_app::App;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::{WebError, classify};
pub use observe::{REQUEST_ID, parse_trusted_proxies};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub templates: Arc<minijinja::Environment<'static>>,
    pub cache: Arc<cache::PageCache>,
    /// Proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`); nobody's by default.
    pub trusted_proxies: Arc<Vec<ipnet::IpNet>>,
    /// Whether cookies get the Secure flag. Browsers accept Secure cookies from http://localhost and
    /// 127.0.0.1, so it stays on for the demo; `MIGNET_INSECURE_COOKIES=1` turns it off for clients that
    /// do not (some HTTP libraries).
    pub secure_cookies: bool,
    /// How many figures a page lists before it links to the next (`paging::FIGURES_PER_PAGE`).
    pub figures_per_page: usize,
    /// The day of the reporting round (due dates, overdue): the system's unless fixed.
    pub clock: mignet_app::Clock,
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("editions.html", include_str!("../templates/editions.html")),
    ("round.html", include_str!("../templates/round.html")),
    ("search.html", include_str!("../templates/search.html")),
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
    ("pager.html", include_str!("../templates/pager.html")),
    (
        "highlights.html",
        include_str!("../templates/highlights.html"),
    ),
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
        "translations.html",
        include_str!("../templates/translations.html"),
    ),
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
    (
        "completeness.html",
        include_str!("../templates/completeness.html"),
    ),
    ("messages.html", include_str!("../templates/messages.html")),
];

const CSS: &str = include_str!("../static/mignet.css");
/// The site's icon: the navy of its header with a white bar chart, drawn by hand (three rectangles).
const ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#0a3d6b\"/><rect x=\"7\" y=\"16\" width=\"5\" height=\"10\" fill=\"#fff\"/><rect x=\"14\" y=\"9\" width=\"5\" height=\"17\" fill=\"#fff\"/><rect x=\"21\" y=\"12\" width=\"5\" height=\"14\" fill=\"#fff\"/></svg>";

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
    env.add_function("t", i18n::template_function);
    env.add_filter("own", i18n::own_filter);
    env
}

pub(crate) use mignet_report::escape_html as html_escape;

impl AppState {
    /// The network's dataset as stored; an empty store is an error every page and call explains.
    pub(crate) async fn dataset(&self) -> Result<Arc<mignet_core::Dataset>, mignet_app::AppError> {
        self.app.dataset().await
    }

    /// The network's time zone, in which the pages print times (`mignet_core::time`).
    pub(crate) async fn time_zone(&self) -> Result<Option<String>, mignet_app::AppError> {
        Ok(self.app.dataset().await?.network.time_zone.clone())
    }

    /// The dataset as the public sees it, sensitive small counts withheld
    /// ([`mignet_app::App::public_dataset`]).
    pub(crate) async fn public_dataset(
        &self,
    ) -> Result<Arc<mignet_core::Dataset>, mignet_app::AppError> {
        self.app.public_dataset().await
    }

    /// The dataset a reader may see: exact values for a signed-in person, the public view for
    /// everyone else.
    pub(crate) async fn dataset_for(
        &self,
        session: &auth::Session,
    ) -> Result<Arc<mignet_core::Dataset>, mignet_app::AppError> {
        match &session.actor {
            Some(a) if a.sees_small_counts() => self.app.dataset().await,
            _ => self.app.public_dataset().await,
        }
    }

    /// [`AppState::dataset_for`] with the figures' versions of the same read model.
    pub(crate) async fn dataset_and_versions_for(
        &self,
        session: &auth::Session,
    ) -> Result<(Arc<mignet_core::Dataset>, Arc<mignet_app::FigureVersions>), mignet_app::AppError>
    {
        let exact = session
            .actor
            .as_ref()
            .is_some_and(|a| a.sees_small_counts());
        self.app.dataset_and_versions(exact).await
    }

    pub fn new(app: App, secure_cookies: bool) -> AppState {
        AppState {
            app: Arc::new(app),
            templates: Arc::new(templates()),
            cache: Arc::new(cache::PageCache::default()),
            trusted_proxies: Arc::new(Vec::new()),
            secure_cookies,
            figures_per_page: paging::FIGURES_PER_PAGE,
            clock: mignet_app::Clock::System,
        }
    }

    /// Reads the day from `clock` (a test's or an operator's fixed day) for the reporting round.
    pub fn with_clock(mut self, clock: mignet_app::Clock) -> AppState {
        self.clock = clock;
        self
    }

    /// Lists `n` figures to a page (a test's smaller pages show paging on a small dataset).
    pub fn with_figures_per_page(mut self, n: usize) -> AppState {
        self.figures_per_page = n.max(1);
        // Pages cut at another size are other pages: kept apart.
        self.cache = Arc::new(cache::PageCache::default());
        self
    }

    /// Believes `X-Forwarded-For` from these proxies (see `observe::client_address`).
    pub fn with_trusted_proxies(mut self, proxies: Vec<ipnet::IpNet>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}

/// The whole application's routes.
/// The language switch: remembers the reader's choice in a cookie for a year and brings them back
/// to the page they were reading (`?next=`, a path on this site only).
async fn language(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let lang = i18n::known(&code)
        .ok_or_else(|| WebError::NotFound(format!("the site has no language `{code}`")))?;
    let next = q
        .get("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map_or("/", String::as_str);
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{}={lang}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        i18n::LANG_COOKIE
    );
    Ok((
        [(axum::http::header::SET_COOKIE, cookie)],
        axum::response::Redirect::to(next),
    )
        .into_response())
}

pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(pages::routes())
        .route("/language/{code}", axum::routing::get(language))
        .merge(auth::routes())
        .merge(entry::routes())
        .merge(admin::routes())
        .merge(exchange::routes())
        .merge(round::routes())
        .merge(messages::routes())
        .merge(editions::routes())
        .nest("/api/v1", api::routes(state.clone()))
        .route("/healthz", axum::routing::get(observe::healthz))
        .route("/static/mignet.css", axum::routing::get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], CSS) }))
        .route("/static/highlights.css", axum::routing::get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], mignet_report::STYLESHEET) }))
        .route("/static/icon.svg", axum::routing::get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], ICON) }))
        // Browsers ask for /favicon.ico whatever the page names: answered with nothing rather than
        // a 404 that each page would log in the browser's console.
        .route("/favicon.ico", axum::routing::get(|| async { axum::http::StatusCode::NO_CONTENT }))
        .fallback(|| async { WebError::NotFound("no such page".into()) })
        .layer(axum::middleware::from_fn(i18n::remember))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'")))
        .with_state(state);
    observe::layers(app)
}

/// How `serve` serves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Whether cookies get the Secure flag (see [`AppState::secure_cookies`]).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The day of the reporting round (`--today`; the system's by default).
    pub clock: mignet_app::Clock,
    /// How the reporting cycle's messages go out, and how often the scheduler runs; no scheduler
    /// without.
    pub messages: Option<(mignet_app::MailSettings, std::time::Duration)>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            secure_cookies: std::env::var("MIGNET_INSECURE_COOKIES").is_err(),
            trusted_proxies: Vec::new(),
            clock: mignet_app::Clock::System,
            messages: None,
        }
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops taking connections and returns once the requests in
/// flight are answered.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    options: ServeOptions,
) -> std::io::Result<()> {
    let state = AppState::new(app, options.secure_cookies)
        .with_trusted_proxies(options.trusted_proxies)
        .with_clock(options.clock);
    let scheduler = options.messages.map(|(settings, every)| {
        tokio::spawn(mignet_app::run_scheduler(
            state.app.clone(),
            state.clock.clone(),
            settings,
            every,
        ))
    });
    // The peer's address reaches the handlers (sign-in's limit per address needs it).
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving");
    }
    axum::serve(listener, service)
        .with_graceful_shutdown(stop_signal())
        .await?;
    if let Some(s) = scheduler {
        s.abort();
    }
    tracing::info!("stopped: every request in flight was answered");
    Ok(())
}

/// The first of SIGTERM (what service managers and container runtimes send) and Ctrl-C.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("stopping: no new connections; finishing the requests in flight");
}
