//! The JSON API under /api/v1: the same reads and writes as the pages, with per-user Bearer tokens,
//! and an OpenAPI document generated from these very handlers and types (utoipa).
//!
//! - `extract`: what a handler reads from a request (the caller's token, JSON bodies), every rejection
//!   in the API's error shape;
//! - `bodies`: what travels, in and out, with its schema;
//! - `doc`: the OpenAPI document;
//! - `handlers`: the network, the framework, periods, figures, review, findings and the audit trail;
//! - `edit`: the framework's and the narrative's items; `exchange`: files (exports, imports).

mod bodies;
mod doc;
mod edit;
mod exchange;
mod extract;
mod handlers;

pub use bodies::ErrorBody;
pub use extract::{ApiJson, Caller};

use crate::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use handlers::*;

/// The largest JSON body a write of the API reads (256 KiB).
pub const MAX_JSON_BODY: usize = 256 * 1024;

/// The API's routes. Two layers wrap them all, fallback included: a write is answered 401 before its
/// path or body is read unless it carries a valid token (`extract::writes_need_a_token`), and every
/// error answer has the API's shape (`observe::api_shape`).
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(doc::openapi))
        .route("/network", get(network))
        .route("/framework", get(framework))
        .route("/periods", get(periods))
        .route(
            "/periods/{period}/figures",
            get(list_figures).post(create_figure),
        )
        .route(
            "/periods/{period}/figures/{id}",
            get(get_figure).put(update_figure),
        )
        .route("/periods/{period}/figures/{id}/review", post(review_figure))
        .route("/periods/{period}/findings", get(findings))
        .route("/periods/{period}/progress", get(progress))
        .route("/periods/{period}/completeness", get(completeness))
        .route("/periods/{period}/editions", get(editions).post(publish))
        .route("/messages", get(messages))
        .route("/search", get(search))
        .route("/audit", get(audit))
        .merge(edit::routes())
        // JSON bodies: the longest texts (mignet_core::limits) fit many times over; a larger body
        // is refused with 413 before it is read whole. The import has its own, larger limit.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BODY))
        .merge(exchange::routes())
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
        })
        .layer(axum::middleware::from_fn_with_state(
            state,
            extract::writes_need_a_token,
        ))
        .layer(axum::middleware::from_fn(crate::observe::api_shape))
}
