//! One error type for pages and one for the API, both made from the use cases' `AppError`. 4xx answers
//! say what the user did wrong; 5xx answers say nothing internal, and the cause goes to the log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mignet_app::{AppError, FieldError};
use mignet_store::StoreError;
use serde_json::json;
use std::sync::OnceLock;

#[derive(Debug)]
pub enum WebError {
    NotFound(String),
    /// Not signed in: pages send the person to the sign-in page.
    SignIn,
    Forbidden(String),
    BadRequest(String),
    Conflict(String),
    Internal(String),
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(m) => WebError::NotFound(format!("{m} does not exist")),
            AppError::UnknownPeriod { .. } => WebError::NotFound(e.to_string()),
            AppError::Empty => WebError::NotFound(
                "there is no data yet: the coordinator loads the network's dataset first".into(),
            ),
            AppError::Unauthorized(_) => WebError::SignIn,
            AppError::Forbidden(m) => WebError::Forbidden(m),
            AppError::Invalid(_) | AppError::Dataset(_) => WebError::BadRequest(e.to_string()),
            AppError::Store(StoreError::Conflict { .. }) | AppError::Changed(_) => {
                WebError::Conflict(e.to_string())
            }
            AppError::Store(StoreError::NotFound(m)) => {
                WebError::NotFound(format!("{m} does not exist"))
            }
            AppError::Store(StoreError::Refused(m)) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}

fn page(status: StatusCode, title: &str, message: &str) -> Response {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    let env = ENV.get_or_init(crate::templates);
    let html = env
        .get_template("error.html")
        .and_then(|t| t.render(minijinja::context! { title, message, status => status.as_u16(), user => (), csrf => "" }))
        .unwrap_or_else(|_| format!("<!doctype html><title>{title}</title><p>{}</p>", crate::html_escape(message)));
    (status, Html(html)).into_response()
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound(m) => page(StatusCode::NOT_FOUND, "Not found", &m),
            WebError::SignIn => Redirect::to("/login").into_response(),
            WebError::Forbidden(m) => page(StatusCode::FORBIDDEN, "Not allowed", &m),
            WebError::BadRequest(m) => page(StatusCode::BAD_REQUEST, "Cannot do that", &m),
            WebError::Conflict(m) => page(StatusCode::CONFLICT, "Changed by someone else", &m),
            WebError::Internal(m) => {
                tracing::error!("internal error: {m}");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not answer. The error has been logged.",
                )
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
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }
    pub fn field(mut self, f: &str) -> Self {
        self.field = Some(f.to_owned());
        self
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(fields) => {
                let first = fields.first().cloned().unwrap_or(FieldError {
                    field: String::new(),
                    message: "invalid".into(),
                });
                ApiError {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    code: "invalid",
                    message: first.message.clone(),
                    field: Some(first.field.clone()),
                    fields,
                }
            }
            AppError::Unauthorized(m) => ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m),
            AppError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", m),
            AppError::NotFound(m) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{m} does not exist"),
            ),
            AppError::UnknownPeriod { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown_period", e.to_string())
            }
            AppError::Empty => ApiError::new(StatusCode::NOT_FOUND, "empty_store", e.to_string()),
            AppError::Store(StoreError::Conflict { .. }) | AppError::Changed(_) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
            }
            AppError::Store(StoreError::NotFound(m)) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{m} does not exist"),
            ),
            AppError::Store(StoreError::Refused(m)) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", m)
            }
            other => {
                tracing::error!("internal error: {other}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server could not answer; the error has been logged",
                )
            }
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
        (self.status, Json(body)).into_response()
    }
}
