//! Sign-in, sessions, CSRF tokens and the limit on sign-in attempts.

use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mignet_core::access::Actor;

pub const SESSION_COOKIE: &str = "mignet_session";
/// Before sign-in there is no session to bind a CSRF token to, so the sign-in form uses a token that
/// must match a cookie of the same value (double submit).
pub const LOGIN_CSRF_COOKIE: &str = "mignet_login_csrf";

/// Who is asking: a signed-in person with the session's CSRF token, or an anonymous visitor.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub actor: Option<Actor>,
    pub csrf: String,
    pub token: Option<String>,
    /// The language pages are written in for this reader (`i18n::of_request`); empty is English.
    pub lang: String,
    /// The address asked for, path and query: where the language switch brings the reader back.
    pub path: String,
}

impl Session {
    pub fn require(&self) -> Result<&Actor, WebError> {
        self.actor.as_ref().ok_or(WebError::SignIn)
    }
}

pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|kv| {
            kv.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
        })
}

impl FromRequestParts<AppState> for Session {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let anonymous = Session {
            // Chosen once per request, by the layer in front of every route (`i18n::remember`).
            lang: crate::i18n::current(),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
            ..Session::default()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else {
            return Ok(anonymous);
        };
        match state.app.session(token).await? {
            Some((actor, csrf)) => Ok(Session {
                actor: Some(actor),
                csrf,
                token: Some(token.to_owned()),
                ..anonymous
            }),
            None => Ok(anonymous),
        }
    }
}

/// A form body as ordered pairs: repeated fields (checkboxes) stay repeated.
#[derive(Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("cannot read the form: {e}")))?;
        Ok(FormData(
            form_urlencoded::parse(&bytes).into_owned().collect(),
        ))
    }
}

/// Compares secrets in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Every state-changing form must carry the session's CSRF token.
pub fn check_csrf(session: &Session, form: &FormData) -> Result<(), WebError> {
    match form.get("csrf") {
        Some(t) if !session.csrf.is_empty() && same(t, &session.csrf) => Ok(()),
        _ => Err(WebError::Forbidden(
            "the form has expired or did not come from this site; reload the page and try again"
                .into(),
        )),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: u64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

async fn login_form(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    if session.actor.is_some() {
        return Ok(Redirect::to("/entry").into_response());
    }
    let token = mignet_app::random_token();
    let page = Page::new(
        &state,
        &session,
        &crate::i18n::text(&session.lang, "sign-in"),
    )
    .with("login_csrf", &token)
    .with("email", "")
    .with("error", "")
    .render("login.html")?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state, LOGIN_CSRF_COOKIE, &token, 3600),
        )],
        page,
    )
        .into_response())
}

async fn login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    parts: axum::extract::Request,
) -> Result<Response, WebError> {
    let from = crate::observe::client_address(&parts, &state.trusted_proxies);
    let form = FormData::from_request(parts, &state).await?;
    let email = form.get("email").unwrap_or("").trim().to_lowercase();
    let again = |status: StatusCode, error: &str| -> Result<Response, WebError> {
        let token = mignet_app::random_token();
        let page = Page::new(
            &state,
            &session,
            &crate::i18n::text(&session.lang, "sign-in"),
        )
        .with("login_csrf", &token)
        .with("email", &email)
        .with("error", error)
        .render("login.html")?;
        let response = (
            status,
            [(
                header::SET_COOKIE,
                set_cookie(&state, LOGIN_CSRF_COOKIE, &token, 3600),
            )],
            page,
        )
            .into_response();
        Ok(crate::error::logged(
            response,
            "sign_in_refused",
            error.to_owned(),
        ))
    };
    let cookie_token = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if cookie_token.is_empty() || !same(form.get("csrf").unwrap_or(""), cookie_token) {
        return again(
            StatusCode::FORBIDDEN,
            "The sign-in form expired. Please try again.",
        );
    }
    match state
        .app
        .sign_in(&email, form.get("password").unwrap_or(""), from)
        .await
    {
        Ok(s) => {
            let to = if s.actor.coordinates() {
                "/review"
            } else {
                "/entry"
            };
            let cookie = set_cookie(
                &state,
                SESSION_COOKIE,
                &s.token,
                mignet_app::SESSION_HOURS * 3600,
            );
            // Two cookies: `AppendHeaders`, since a plain header array would keep only the last.
            Ok((
                axum::response::AppendHeaders([
                    (header::SET_COOKIE, cookie),
                    (
                        header::SET_COOKIE,
                        set_cookie(&state, LOGIN_CSRF_COOKIE, "", 0),
                    ),
                ]),
                Redirect::to(to),
            )
                .into_response())
        }
        Err(e @ mignet_app::AppError::TooManyAttempts { .. }) => {
            let m = e.to_string();
            again(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("{}{}.", m[..1].to_uppercase(), &m[1..]),
            )
        }
        Err(mignet_app::AppError::Unauthorized(m)) => again(
            StatusCode::UNAUTHORIZED,
            &format!("{}{}.", m[..1].to_uppercase(), &m[1..]),
        ),
        Err(e) => Err(e.into()),
    }
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    if let Some(t) = &session.token {
        state.app.logout(t).await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state, SESSION_COOKIE, "", 0),
        )],
        Redirect::to("/"),
    )
        .into_response())
}
