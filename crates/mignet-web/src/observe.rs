//! What an operator sees and what guards every request: a request id on each (in the log's span and in
//! the `x-request-id` answer header), every 5xx logged at error level with its cause chain, every
//! refused write logged at warn level with its cause, a limit on the length of addresses, and
//! `/healthz`. The subscriber that writes the log is the binary's; this only emits events.

use crate::AppState;
use crate::error::{ApiError, Logged, WebError};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest address (path and query) answered; a longer one gets 414. Real addresses here are far
/// shorter; hyper itself refuses those past 64 KiB before any route sees them.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Wraps the whole router: the request id outermost, so that the span and every event carry it.
pub fn layers(router: axum::Router) -> axum::Router {
    router
        .layer(axum::middleware::from_fn(log_outcome))
        .layer(axum::middleware::from_fn(limit_uri))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-")
                        .to_owned();
                    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
                })
                // Failures are logged once, with their cause, by `log_outcome`.
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

fn is_write(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Logs what went wrong, inside the request's span: a 5xx at error level with the cause chain the
/// error response carries ([`Logged`]), a refused write (any 4xx, or the sign-in redirect, answering
/// a write) at warn level with its code and what the person was told.
async fn log_outcome(req: Request, next: Next) -> Response {
    let write = is_write(req.method());
    let res = next.run(req).await;
    let status = res.status();
    let logged = res.extensions().get::<Logged>();
    let (code, cause) = logged.map_or(("-", "-"), |l| (l.code, l.cause.as_str()));
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), code, cause, "the request failed");
    } else if write && (status.is_client_error() || logged.is_some()) {
        tracing::warn!(status = status.as_u16(), code, cause, "a write was refused");
    }
    res
}

async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len <= MAX_URI_BYTES {
        return next.run(req).await;
    }
    let message = format!("the address is {len} bytes long; at most {MAX_URI_BYTES} are read");
    if req.uri().path().starts_with("/api/") {
        ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", message).into_response()
    } else {
        WebError::UriTooLong(message).into_response()
    }
}

/// The API's error shape for the answers its handlers do not make: axum's own (405, a path or query
/// that cannot be read, a body over its limit) come as plain text, and are rewritten here with the
/// text as the message.
pub async fn api_shape(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_owned();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() {
        match status {
            StatusCode::METHOD_NOT_ALLOWED => "this endpoint does not take this method".to_owned(),
            s => s.canonical_reason().unwrap_or("refused").to_lowercase(),
        }
    } else {
        text
    };
    let mut shaped = ApiError::new(status, code, message).into_response();
    // Keep what the first answer said besides its body (`Allow` on a 405).
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            shaped.headers_mut().insert(name.clone(), value.clone());
        }
    }
    shaped
}

/// `/healthz`: 200 when the store answers, 503 (logged with its cause) when it does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.health().await {
        Ok(()) => (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({"status": "ok"})),
        )
            .into_response(),
        Err(e) => crate::error::logged(
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response(),
            "store_unavailable",
            crate::error::chain(&e),
        ),
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the first address in
/// `X-Forwarded-For` (read from the right, where each proxy appended the address it saw) that is not
/// a trusted proxy. Addresses further left were written by the client and are never believed.
pub fn client_address(req: &Request<Body>, trusted: &[ipnet::IpNet]) -> Option<IpAddr> {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()?
        .0
        .ip();
    let is_trusted = |a: &IpAddr| trusted.iter().any(|n| n.contains(a));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut hops: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut addr = peer;
    while let Some(hop) = hops.pop() {
        let Ok(hop) = hop.parse::<IpAddr>() else {
            // A hop no proxy would write: the last address a trusted party vouched for stands.
            break;
        };
        addr = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    Some(addr)
}

/// Parses `--trusted-proxy` values: addresses (`10.0.0.1`) or networks (`10.0.0.0/8`), comma-separated.
pub fn parse_trusted_proxies(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("`{s}` is not an IP address or network (such as 10.0.0.0/8)"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: &str, forwarded: Option<&str>) -> Request<Body> {
        let mut r = Request::get("/login");
        if let Some(f) = forwarded {
            r = r.header("x-forwarded-for", f);
        }
        let mut r = r.body(Body::empty()).unwrap();
        r.extensions_mut().insert(axum::extract::ConnectInfo(
            peer.parse::<SocketAddr>().unwrap(),
        ));
        r
    }

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxies = parse_trusted_proxies("10.0.0.0/8, 192.0.2.7").unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // A client that is no proxy cannot choose its address.
        assert_eq!(
            client_address(&request("203.0.113.9:5000", Some("198.51.100.1")), &proxies),
            ip("203.0.113.9")
        );
        // Through the proxy: the address the proxy saw, not what the client wrote to its left.
        assert_eq!(
            client_address(
                &request("10.1.2.3:5000", Some("1.1.1.1, 198.51.100.4")),
                &proxies
            ),
            ip("198.51.100.4")
        );
        // Through two trusted proxies.
        assert_eq!(
            client_address(
                &request("10.1.2.3:5000", Some("198.51.100.4, 192.0.2.7")),
                &proxies
            ),
            ip("198.51.100.4")
        );
        // A proxy that sent no header: the proxy itself.
        assert_eq!(
            client_address(&request("10.1.2.3:5000", None), &proxies),
            ip("10.1.2.3")
        );
        // Nothing trusted: the header is ignored.
        assert_eq!(
            client_address(&request("10.1.2.3:5000", Some("198.51.100.4")), &[]),
            ip("10.1.2.3")
        );
        assert!(parse_trusted_proxies("10.0.0.0/8,nonsense").is_err());
    }
}
