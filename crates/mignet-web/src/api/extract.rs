//! What a handler reads from a request: the caller's Bearer token and JSON bodies, each rejection in
//! the API's error shape.

use crate::error::ApiError;
use crate::{AppState, auth::Session};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mignet_core::access::Actor;

/// JSON bodies whose every rejection (not JSON, wrong shape, wrong content type) is answered in the API's
/// error shape, never with axum's plain-text message.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            )),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {}", e.body_text()),
            )),
            Err(JsonRejection::JsonDataError(e)) => {
                let text = e.body_text();
                let refused = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    format!("the JSON does not have the expected shape: {text}"),
                );
                // A required field left out (a write's `version`) is named in `error.field` too.
                Err(match missing_field(&text) {
                    Some(f) => refused.field(f),
                    None => refused,
                })
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "the body is larger than {} KiB: a write of the API is at most that",
                    super::MAX_JSON_BODY / 1024
                ),
            )),
            Err(e) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                e.body_text(),
            )),
        }
    }
}

/// The field serde names in "missing field `version`".
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.split("missing field `").nth(1)?;
    rest.split('`').next().filter(|f| !f.is_empty())
}

/// The caller: a Bearer token's account, or nobody.
pub struct Caller(pub Option<Actor>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(Checked(actor)) = parts.extensions.get::<Checked>() {
            return Ok(Caller(Some(actor.clone())));
        }
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the Authorization header must be `Bearer <token>`",
            ));
        };
        match state.app.token_actor(token).await? {
            Some(a) => Ok(Caller(Some(a))),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the token is not valid",
            )),
        }
    }
}

impl Caller {
    pub(crate) fn require(&self) -> Result<&Actor, ApiError> {
        self.0.as_ref().ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this call needs a Bearer token",
            )
        })
    }
    pub(super) fn session(&self) -> Session {
        Session {
            actor: self.0.clone(),
            ..Default::default()
        }
    }
}

/// A caller whose token [`writes_need_a_token`] already checked, so that the handler's [`Caller`]
/// does not look it up again.
#[derive(Clone)]
struct Checked(Actor);

/// Every write (any method but GET, HEAD and OPTIONS) needs a valid token, checked before the path or
/// the body is read: without one the answer is 401, whatever the path or body would have said.
pub(crate) async fn writes_need_a_token(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    match Caller::from_request_parts(&mut parts, &state).await {
        Ok(Caller(Some(actor))) => {
            parts.extensions.insert(Checked(actor));
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(Caller(None)) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this call needs a Bearer token",
        )
        .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(
            super::missing_field(
                "Failed to deserialize the JSON body into the target type: missing field `version` at line 1 column 60"
            ),
            Some("version")
        );
        assert_eq!(super::missing_field("invalid type: string"), None);
    }
}
