//! The API's writes to the results framework and to an open period's narrative: the same use case as
//! the coordinator's pages (`App::edit`). An item travels as the JSON the dataset's model gives it;
//! its `fingerprint` (also sent as the ETag) guards against saving over someone else's change.

use crate::AppState;
use crate::admin::item_from_json;
use crate::api::{ApiJson, Caller, ErrorBody};
use crate::error::ApiError;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mignet_core::edit::{Edit, Item, Kind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/framework/{kind}",
            axum::routing::post(create_framework_item),
        )
        .route(
            "/framework/{kind}/{key}",
            get(get_framework_item)
                .put(update_framework_item)
                .delete(delete_framework_item),
        )
        .route(
            "/periods/{period}/narrative/{kind}",
            axum::routing::post(create_narrative_item),
        )
        .route(
            "/periods/{period}/narrative/{kind}/{id}",
            get(get_narrative_item)
                .put(update_narrative_item)
                .delete(delete_narrative_item),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(
        get_framework_item,
        create_framework_item,
        update_framework_item,
        delete_framework_item,
        get_narrative_item,
        create_narrative_item,
        update_narrative_item,
        delete_narrative_item
    ),
    components(schemas(ItemDto, ItemIn, ItemUpdate))
)]
pub struct EditDoc;

/// An item of the framework or the narrative, as stored.
#[derive(Serialize, ToSchema)]
pub struct ItemDto {
    /// `organisation`, `priority`, `outcome`, `indicator`, `pledge`, `working_group`, `section` or `footnote`.
    pub kind: String,
    /// Its code, or `PERIOD/ID` (`PERIOD/POSITION` for a section).
    pub key: String,
    /// Send it back when changing or deleting the item: a change made since is then refused with 409.
    pub fingerprint: String,
    /// The item's fields, as in the JSON export.
    #[schema(value_type = Object)]
    pub item: serde_json::Value,
}

/// A new item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemIn {
    #[schema(value_type = Object)]
    pub item: serde_json::Value,
}

/// A changed item, with the fingerprint of the version it was made from.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    #[schema(value_type = Object)]
    pub item: serde_json::Value,
    /// The fingerprint of the item as read (GET it first). Required: a change made since is refused
    /// with 409, and a change without it with 422 naming `fingerprint`. (Optional in the type only so
    /// that its absence is answered by that message.)
    #[serde(default)]
    #[schema(required = true, value_type = String)]
    pub fingerprint: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct DeleteQuery {
    /// The fingerprint of the version being deleted (required): a change made since is refused with
    /// 409, a deletion without it with 422 naming `fingerprint`.
    #[param(required = true, value_type = String)]
    pub fingerprint: Option<String>,
}

fn framework_kind(s: &str) -> Result<Kind, ApiError> {
    match Kind::parse(s) {
        Some(k) if !k.in_period() => Ok(k),
        Some(k) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "a {} belongs to a period: use /api/v1/periods/{{period}}/narrative/{}",
                k.label(),
                k.as_str()
            ),
        )),
        None => Err(unknown_kind(s)),
    }
}

fn narrative_kind(s: &str) -> Result<Kind, ApiError> {
    match Kind::parse(s) {
        Some(k) if k.in_period() => Ok(k),
        _ => Err(unknown_kind(s)),
    }
}

fn unknown_kind(s: &str) -> ApiError {
    let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "there is no kind of item `{s}` (known: {})",
            known.join(", ")
        ),
    )
}

async fn answer(
    state: &AppState,
    kind: Kind,
    key: &str,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (item, fingerprint) = state.app.item(kind, key).await?;
    let etag = HeaderValue::from_str(&format!("\"{fingerprint}\"")).ok();
    let body = ItemDto {
        kind: kind.as_str().into(),
        key: key.into(),
        fingerprint,
        item: mignet_app::item_json(&item),
    };
    let mut resp = (status, Json(body)).into_response();
    if let Some(e) = etag {
        resp.headers_mut().insert(header::ETAG, e);
    }
    Ok(resp)
}

fn parse(kind: Kind, period: Option<&str>, v: serde_json::Value) -> Result<Item, ApiError> {
    item_from_json(kind, period, v).map_err(|m| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!(
                "the item does not have the shape of a {}: {m}",
                kind.label()
            ),
        )
        .field("item")
    })
}

async fn create(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    period: Option<&str>,
    body: ItemIn,
) -> Result<Response, ApiError> {
    let actor = caller.require()?;
    let item = parse(kind, period, body.item)?;
    let (key, _) = state.app.edit(actor, &Edit::Create(item), None).await?;
    answer(state, kind, &key, StatusCode::CREATED).await
}

async fn update(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    key: &str,
    body: ItemUpdate,
) -> Result<Response, ApiError> {
    let actor = caller.require()?;
    let period = key.split_once('/').map(|(p, _)| p);
    let item = parse(kind, period, body.item)?;
    let change = Edit::Update {
        key: key.to_owned(),
        item,
    };
    state
        .app
        .edit(actor, &change, body.fingerprint.as_deref())
        .await?;
    answer(state, kind, key, StatusCode::OK).await
}

async fn delete(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    key: &str,
    q: DeleteQuery,
) -> Result<Response, ApiError> {
    let actor = caller.require()?;
    let change = Edit::Delete {
        kind,
        key: key.to_owned(),
    };
    state
        .app
        .edit(actor, &change, q.fingerprint.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// One item of the framework: an organisation, priority, outcome, indicator, pledge or working group.
#[utoipa::path(get, path = "/api/v1/framework/{kind}/{key}", params(("kind" = String, Path), ("key" = String, Path)), responses((status = 200, body = ItemDto), (status = 404, body = ErrorBody)))]
async fn get_framework_item(
    State(state): State<AppState>,
    Path((kind, key)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    answer(&state, framework_kind(&kind)?, &key, StatusCode::OK).await
}

/// Adds an item to the framework (coordinators).
#[utoipa::path(post, path = "/api/v1/framework/{kind}", params(("kind" = String, Path)), request_body = ItemIn, security(("token" = [])), responses((status = 201, body = ItemDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_framework_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(kind): Path<String>,
    ApiJson(body): ApiJson<ItemIn>,
) -> Result<Response, ApiError> {
    create(&state, &caller, framework_kind(&kind)?, None, body).await
}

/// Changes an item of the framework (coordinators). An indicator with approved figures in a closed
/// period keeps its statement, unit, kind, outcome, disaggregations and baseline; codes never change.
#[utoipa::path(put, path = "/api/v1/framework/{kind}/{key}", params(("kind" = String, Path), ("key" = String, Path)), request_body = ItemUpdate, security(("token" = [])), responses((status = 200, body = ItemDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_framework_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, key)): Path<(String, String)>,
    ApiJson(body): ApiJson<ItemUpdate>,
) -> Result<Response, ApiError> {
    update(&state, &caller, framework_kind(&kind)?, &key, body).await
}

/// Deletes an item of the framework that nothing refers to (coordinators); the audit trail keeps it.
#[utoipa::path(delete, path = "/api/v1/framework/{kind}/{key}", params(("kind" = String, Path), ("key" = String, Path), DeleteQuery), security(("token" = [])), responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn delete_framework_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((kind, key)): Path<(String, String)>,
    Query(q): Query<DeleteQuery>,
) -> Result<Response, ApiError> {
    delete(&state, &caller, framework_kind(&kind)?, &key, q).await
}

/// One narrative section (by position) or footnote (by id) of a period.
#[utoipa::path(get, path = "/api/v1/periods/{period}/narrative/{kind}/{id}", params(("period" = String, Path), ("kind" = String, Path, description = "`section` or `footnote`"), ("id" = String, Path)), responses((status = 200, body = ItemDto), (status = 404, body = ErrorBody)))]
async fn get_narrative_item(
    State(state): State<AppState>,
    Path((period, kind, id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    answer(
        &state,
        narrative_kind(&kind)?,
        &format!("{period}/{id}"),
        StatusCode::OK,
    )
    .await
}

/// Adds a section (at the end) or a footnote to an open period's narrative (coordinators).
#[utoipa::path(post, path = "/api/v1/periods/{period}/narrative/{kind}", params(("period" = String, Path), ("kind" = String, Path, description = "`section` or `footnote`")), request_body = ItemIn, security(("token" = [])), responses((status = 201, body = ItemDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_narrative_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, kind)): Path<(String, String)>,
    ApiJson(body): ApiJson<ItemIn>,
) -> Result<Response, ApiError> {
    create(&state, &caller, narrative_kind(&kind)?, Some(&period), body).await
}

/// Changes a section or footnote of an open period (coordinators); a closed period's narrative is kept
/// as published.
#[utoipa::path(put, path = "/api/v1/periods/{period}/narrative/{kind}/{id}", params(("period" = String, Path), ("kind" = String, Path), ("id" = String, Path)), request_body = ItemUpdate, security(("token" = [])), responses((status = 200, body = ItemDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_narrative_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, kind, id)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<ItemUpdate>,
) -> Result<Response, ApiError> {
    update(
        &state,
        &caller,
        narrative_kind(&kind)?,
        &format!("{period}/{id}"),
        body,
    )
    .await
}

/// Deletes a section or an unreferenced footnote of an open period (coordinators).
#[utoipa::path(delete, path = "/api/v1/periods/{period}/narrative/{kind}/{id}", params(("period" = String, Path), ("kind" = String, Path), ("id" = String, Path), DeleteQuery), security(("token" = [])), responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn delete_narrative_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, kind, id)): Path<(String, String, String)>,
    Query(q): Query<DeleteQuery>,
) -> Result<Response, ApiError> {
    delete(
        &state,
        &caller,
        narrative_kind(&kind)?,
        &format!("{period}/{id}"),
        q,
    )
    .await
}
