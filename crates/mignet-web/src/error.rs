//! Every way a request can fail, and one table ([`classify`]) from each application error to its HTTP
//! status and stable code, used by the pages and the API alike. 4xx answers say what the person did
//! wrong; 5xx answers say nothing internal, and the cause chain goes to the log, with the request's id,
//! through the [`Logged`] record each error response carries (`crate::observe` writes it).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mignet_app::{AppError, ExchangeError, ExportError, FieldError, StoreError};
use mignet_report::ReportError;
use serde_json::json;
use std::sync::OnceLock;

/// The table: each application error's status and stable code (docs/web.md lists them).
pub fn classify(e: &AppError) -> (StatusCode, &'static str) {
    use StatusCode as S;
    match e {
        AppError::Invalid(_) => (S::UNPROCESSABLE_ENTITY, "invalid"),
        AppError::Dataset(_) => (S::UNPROCESSABLE_ENTITY, "invalid_dataset"),
        AppError::Unauthorized(_) => (S::UNAUTHORIZED, "unauthorized"),
        AppError::TooManyAttempts { .. } => (S::TOO_MANY_REQUESTS, "too_many_attempts"),
        AppError::Forbidden(_) => (S::FORBIDDEN, "forbidden"),
        AppError::NotFound(_) | AppError::Store(StoreError::NotFound(_)) => {
            (S::NOT_FOUND, "not_found")
        }
        AppError::UnknownPeriod { .. } | AppError::Report(ReportError::UnknownPeriod(_)) => {
            (S::NOT_FOUND, "unknown_period")
        }
        AppError::Empty => (S::NOT_FOUND, "empty_store"),
        AppError::Changed(_) | AppError::Store(StoreError::Conflict { .. }) => {
            (S::CONFLICT, "conflict")
        }
        AppError::Store(StoreError::Refused(_)) => (S::UNPROCESSABLE_ENTITY, "refused"),
        // An IATI file needs approved figures and the period's dates: until then there is no file.
        AppError::Export(ExportError::Unavailable(_)) => (S::NOT_FOUND, "export_unavailable"),
        AppError::Export(_) | AppError::Report(_) => (S::INTERNAL_SERVER_ERROR, "export_failed"),
        AppError::Store(_) => (S::INTERNAL_SERVER_ERROR, "store_failed"),
        AppError::Password { .. } | AppError::Task(_) | AppError::Io { .. } => {
            (S::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

/// The same table for the import's and the workbook's refusals.
pub fn classify_exchange(e: &ExchangeError) -> (StatusCode, &'static str) {
    match e {
        ExchangeError::Problems { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file"),
        ExchangeError::UnknownFormat { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_format"),
        ExchangeError::NoPeriod { .. } | ExchangeError::PeriodClosed { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, "period_not_open")
        }
        ExchangeError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        ExchangeError::App(e) => classify(e),
    }
}

/// An error and the causes under it, one per line, for the log.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// What an error response tells the log: put in the response's extensions by every error answer,
/// read by `crate::observe::log_outcome`, which knows the request (method, path, id).
#[derive(Debug, Clone)]
pub struct Logged {
    pub code: &'static str,
    /// The cause chain for a 5xx; what the person was told for a 4xx.
    pub cause: String,
}

pub(crate) fn logged(mut r: Response, code: &'static str, cause: String) -> Response {
    r.extensions_mut().insert(Logged { code, cause });
    r
}

/// The pages' error: an application error answered as the table says, or one of the web's own.
#[derive(Debug)]
pub enum WebError {
    NotFound(String),
    /// Not signed in: pages send the person to the sign-in page.
    SignIn,
    Forbidden(String),
    BadRequest(String),
    Conflict(String),
    App(AppError),
    /// The address is longer than the server reads.
    UriTooLong(String),
    /// A page's template failed to render: a bug, never the person's doing.
    Template(minijinja::Error),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl From<ExchangeError> for WebError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::App(e) => WebError::App(e),
            ExchangeError::Forbidden(why) => WebError::Forbidden(why),
            other => WebError::BadRequest(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Template(e)
    }
}

/// The error's page in the reader's language: a title and a sentence for the kind of error, then
/// the error's own words, which are English (marked so) and name what was not right.
fn page(status: StatusCode, message: &str) -> Response {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    let env = ENV.get_or_init(crate::templates);
    let lang = crate::i18n::current();
    let kind = kind(status);
    let title = crate::i18n::text(&lang, &format!("error-title-{kind}"));
    let languages = crate::i18n::switch(&lang);
    let html = env
        .get_template("error.html")
        .and_then(|t| t.render(minijinja::context! { title => &title, kind, message, lang => &lang, languages => minijinja::Value::from(minijinja::value::Serde(&languages)), here => "%2F", status => status.as_u16(), user => (), csrf => "" }))
        .unwrap_or_else(|_| format!("<!doctype html><title>{title}</title><p>{}</p>", crate::html_escape(message)));
    (status, Html(html)).into_response()
}

/// The kind of error a status is, as the error messages name it (`error-title-not-found`).
fn kind(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::CONFLICT => "conflict",
        StatusCode::TOO_MANY_REQUESTS => "too-many",
        StatusCode::UNAUTHORIZED => "sign-in",
        s if s.is_server_error() => "server",
        _ => "refused",
    }
}

const LOGGED: &str = "The server could not answer. The error has been logged.";

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let own =
            |status: StatusCode, code: &'static str, m: String| logged(page(status, &m), code, m);
        match self {
            WebError::NotFound(m) => own(StatusCode::NOT_FOUND, "not_found", m),
            WebError::SignIn => logged(
                Redirect::to("/login").into_response(),
                "unauthorized",
                "not signed in".into(),
            ),
            WebError::Forbidden(m) => own(StatusCode::FORBIDDEN, "forbidden", m),
            WebError::BadRequest(m) => own(StatusCode::BAD_REQUEST, "bad_request", m),
            WebError::Conflict(m) => own(StatusCode::CONFLICT, "conflict", m),
            WebError::UriTooLong(m) => own(StatusCode::URI_TOO_LONG, "uri_too_long", m),
            WebError::Template(e) => logged(
                page(StatusCode::INTERNAL_SERVER_ERROR, LOGGED),
                "template_failed",
                chain(&e),
            ),
            WebError::App(e) => {
                let (status, code) = classify(&e);
                if status.is_server_error() {
                    logged(page(status, LOGGED), code, chain(&e))
                } else if status == StatusCode::UNAUTHORIZED {
                    logged(Redirect::to("/login").into_response(), code, e.to_string())
                } else {
                    own(status, code, e.to_string())
                }
            }
        }
    }
}

/// The API's one error shape: `{"error": {"code", "message", "field"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every field error, when there are several.
    pub fields: Vec<FieldError>,
    /// The cause chain of a 5xx, for the log only.
    pub cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
            cause: None,
        }
    }
    pub fn field(mut self, f: &str) -> Self {
        self.field = Some(f.to_owned());
        self
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let (status, code) = classify(&e);
        if status.is_server_error() {
            let mut out = ApiError::new(
                status,
                code,
                "the server could not answer; the error has been logged",
            );
            out.cause = Some(chain(&e));
            return out;
        }
        match e {
            AppError::Invalid(fields) => {
                let first = fields.first().cloned().unwrap_or(FieldError {
                    field: String::new(),
                    message: "invalid".into(),
                });
                ApiError {
                    message: first.message.clone(),
                    field: Some(first.field.clone()),
                    fields,
                    ..ApiError::new(status, code, "")
                }
            }
            e => ApiError::new(status, code, e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body =
            json!({ "error": { "code": self.code, "message": self.message, "field": self.field } });
        if self.fields.len() > 1 {
            body["error"]["fields"] = json!(self.fields);
        }
        let cause = self.cause.unwrap_or(self.message);
        logged((self.status, Json(body)).into_response(), self.code, cause)
    }
}
