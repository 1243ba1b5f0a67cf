//! The JSON API under /api/v1: the same reads and writes as the pages, with per-user Bearer tokens,
//! and an OpenAPI document generated from these very handlers and types (utoipa).

use crate::error::ApiError;
use crate::views::visible;
use crate::{AppState, auth::Session};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use mignet_app::{AppError, FigureInput};
use mignet_core::access::Actor;
use mignet_core::model::*;
use mignet_core::workflow::ReviewAction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, OpenApi, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
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
        .route("/audit", get(audit))
        .merge(crate::api_edit::routes())
        .merge(crate::api_exchange::routes())
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
        })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "mignet API", version = "1", description = "Results of a network on migration: framework, figures, review and audit. Reads are public for approved figures; writes need a Bearer token (`mignet user token EMAIL`)."),
    paths(network, framework, periods, list_figures, get_figure, create_figure, update_figure, review_figure, findings, audit),
    components(schemas(ErrorBody, ErrorDetail, NetworkDto, OrgDto, FrameworkDto, PriorityDto, OutcomeDto, IndicatorDto, PeriodDto, FigureDto, JointMethodDto, FigureIn, FigureUpdate, ReviewIn, ReviewActionName, FindingDto, AuditDto)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi()
            .merge_from(crate::api_edit::EditDoc::openapi())
            .merge_from(crate::api_exchange::ExchangeDoc::openapi())
            .to_pretty_json()
            .expect("the document serialises"),
    )
        .into_response()
}

/// The error envelope of every failed call.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine code: `invalid`, `not_found`, `forbidden`, `unauthorized`, `conflict`, `malformed_json` ...
    pub code: String,
    pub message: String,
    /// The field at fault, when one is.
    pub field: Option<String>,
}

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
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!(
                    "the JSON does not have the expected shape: {}",
                    e.body_text()
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

/// The caller: a Bearer token's account, or nobody.
pub struct Caller(pub Option<Actor>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
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
    fn session(&self) -> Session {
        Session {
            actor: self.0.clone(),
            ..Default::default()
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrgDto {
    pub code: String,
    pub short_name: String,
    pub name: String,
    /// `un_agency`, `government`, `ngo`, `coalition` or `other`.
    pub kind: String,
    pub member: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkDto {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub organisations: Vec<OrgDto>,
}

fn enum_name<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The network and its organisations.
#[utoipa::path(get, path = "/api/v1/network", responses((status = 200, body = NetworkDto), (status = 404, body = ErrorBody)))]
async fn network(State(state): State<AppState>) -> Result<Json<NetworkDto>, ApiError> {
    let ds = state.dataset().await?;
    Ok(Json(NetworkDto {
        code: ds.network.code.clone(),
        name: ds.network.name.clone(),
        short_name: ds.network.short_name.clone(),
        organisations: ds
            .organisations
            .iter()
            .map(|o| OrgDto {
                code: o.code.to_string(),
                short_name: o.short_name.clone(),
                name: o.name.clone(),
                kind: enum_name(o.kind),
                member: o.member,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PriorityDto {
    pub code: String,
    pub title: String,
}
#[derive(Serialize, ToSchema)]
pub struct OutcomeDto {
    pub code: String,
    pub priority: String,
    pub statement: String,
}
#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    pub code: String,
    pub outcome: String,
    pub statement: String,
    pub unit: String,
    /// `count`, `percentage` or `milestone`.
    pub kind: String,
    /// The disaggregation keys figures may give (`children`).
    pub parts: Vec<String>,
    pub places: Vec<String>,
    pub gcm: Vec<u8>,
    pub sdg: Vec<String>,
}
#[derive(Serialize, ToSchema)]
pub struct FrameworkDto {
    pub version: String,
    pub priorities: Vec<PriorityDto>,
    pub outcomes: Vec<OutcomeDto>,
    pub indicators: Vec<IndicatorDto>,
}

/// The results framework: priorities, outcomes, indicators.
#[utoipa::path(get, path = "/api/v1/framework", responses((status = 200, body = FrameworkDto), (status = 404, body = ErrorBody)))]
async fn framework(State(state): State<AppState>) -> Result<Json<FrameworkDto>, ApiError> {
    let ds = state.dataset().await?;
    let fw = &ds.framework;
    Ok(Json(FrameworkDto {
        version: fw.version.clone(),
        priorities: fw
            .priorities
            .iter()
            .map(|p| PriorityDto {
                code: p.code.to_string(),
                title: p.title.clone(),
            })
            .collect(),
        outcomes: fw
            .outcomes
            .iter()
            .map(|o| OutcomeDto {
                code: o.code.to_string(),
                priority: o.priority.to_string(),
                statement: o.statement.clone(),
            })
            .collect(),
        indicators: fw
            .indicators
            .iter()
            .map(|i| IndicatorDto {
                code: i.code.to_string(),
                outcome: i.outcome.to_string(),
                statement: i.statement.clone(),
                unit: i.unit.clone(),
                kind: enum_name(i.kind),
                parts: i.disaggregations.iter().map(|d| d.key.clone()).collect(),
                places: i.places.iter().map(|p| p.to_string()).collect(),
                gcm: i.gcm.clone(),
                sdg: i.sdg.clone(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PeriodDto {
    pub code: String,
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    pub framework: String,
}

/// The reporting periods.
#[utoipa::path(get, path = "/api/v1/periods", responses((status = 200, body = [PeriodDto]), (status = 404, body = ErrorBody)))]
async fn periods(State(state): State<AppState>) -> Result<Json<Vec<PeriodDto>>, ApiError> {
    let ds = state.dataset().await?;
    Ok(Json(
        ds.periods
            .iter()
            .map(|p| PeriodDto {
                code: p.period.code.to_string(),
                title: p.period.title.clone(),
                status: enum_name(p.period.status),
                framework: p.period.framework.clone(),
            })
            .collect(),
    ))
}

/// A figure as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct FigureDto {
    pub id: String,
    pub period: String,
    pub indicator: String,
    pub organisations: Vec<String>,
    pub joint: bool,
    /// How a joint figure's value was obtained (absent for a single organisation's figure).
    pub joint_method: Option<JointMethodDto>,
    /// `count`, `percentage` or `milestone`.
    pub kind: String,
    /// The number, for counts and percentages.
    pub value: Option<f64>,
    /// For milestones.
    pub achieved: Option<bool>,
    pub parts: BTreeMap<String, u64>,
    pub places: Vec<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// `draft`, `submitted`, `approved` or `returned`.
    pub status: String,
    pub status_by: Option<String>,
    pub status_at: Option<String>,
    /// Send it back with a change: a change made from an older version is refused with 409.
    pub version: i64,
}

/// How a joint figure's value was obtained: never a list of people, only counts.
#[derive(Serialize, ToSchema)]
pub struct JointMethodDto {
    /// `reported`, `sum`, `max`, `declared_overlap` or `records`.
    pub method: String,
    /// Service records counted, for a value exact from records.
    pub records: Option<u64>,
    /// People counted by more than one of the organisations, where known.
    pub overlap: Option<u64>,
    /// The method in words, as the brief prints it.
    pub description: String,
}

fn figure_dto(period: &str, f: &Figure, version: i64) -> FigureDto {
    let (kind, value, achieved) = match f.value {
        FigureValue::Count { value } => ("count", Some(value as f64), None),
        FigureValue::Percentage { value } => ("percentage", Some(value), None),
        FigureValue::Milestone { achieved } => ("milestone", None, Some(achieved)),
    };
    FigureDto {
        id: f.id.to_string(),
        period: period.to_owned(),
        indicator: f.indicator.to_string(),
        organisations: f.organisations.iter().map(|o| o.to_string()).collect(),
        joint: f.is_joint(),
        joint_method: f.is_joint().then(|| JointMethodDto {
            method: f.joint.name().to_owned(),
            records: f.joint.records(),
            overlap: f.joint.overlap(),
            description: f.joint.describe(),
        }),
        kind: kind.to_owned(),
        value,
        achieved,
        parts: f.disaggregation.iter().cloned().collect(),
        places: f.places.iter().map(|p| p.to_string()).collect(),
        note: f.note.clone(),
        evidence: f.evidence.clone(),
        status: f.status.as_str().to_owned(),
        status_by: f.status_by.clone(),
        status_at: f.status_at.clone(),
        version,
    }
}

/// The figures of a period: approved ones for everybody, all of them with a token.
#[utoipa::path(get, path = "/api/v1/periods/{period}/figures", params(("period" = String, Path, description = "period code", example = "2022")), security((), ("token" = [])), responses((status = 200, body = [FigureDto]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_figures(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<Json<Vec<FigureDto>>, ApiError> {
    let ds = state.dataset().await?;
    let p = ds.period(&period).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_period",
            format!("there is no period `{period}`"),
        )
    })?;
    let session = caller.session();
    let mut out = Vec::new();
    for f in p.figures.iter().filter(|f| visible(&session, f)) {
        let v = state
            .app
            .stored_figure(&period, f.id.as_str())
            .await?
            .version;
        out.push(figure_dto(&period, f, v));
    }
    Ok(Json(out))
}

/// One figure.
#[utoipa::path(get, path = "/api/v1/periods/{period}/figures/{id}", params(("period" = String, Path, description = "period code", example = "2022"), ("id" = String, Path, description = "figure id", example = "F-PFA")), security((), ("token" = [])), responses((status = 200, body = FigureDto), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_figure(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, id)): Path<(String, String)>,
) -> Result<Json<FigureDto>, ApiError> {
    let stored = state.app.stored_figure(&period, &id).await?;
    if !visible(&caller.session(), &stored.figure) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("figure {id} of period {period} does not exist"),
        ));
    }
    Ok(Json(figure_dto(&period, &stored.figure, stored.version)))
}

/// A figure as a client sends it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureIn {
    pub indicator: String,
    pub organisations: Vec<String>,
    /// The number, for counts and percentages.
    #[serde(default)]
    pub value: Option<f64>,
    /// For milestones.
    #[serde(default)]
    pub achieved: Option<bool>,
    #[serde(default)]
    pub parts: BTreeMap<String, f64>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A changed figure, with the version it was read at.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FigureUpdate {
    #[serde(deserialize_with = "integral")]
    pub version: i64,
    pub indicator: String,
    pub organisations: Vec<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub achieved: Option<bool>,
    #[serde(default)]
    pub parts: BTreeMap<String, f64>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
}

impl FigureUpdate {
    fn figure(self) -> FigureIn {
        FigureIn {
            indicator: self.indicator,
            organisations: self.organisations,
            value: self.value,
            achieved: self.achieved,
            parts: self.parts,
            places: self.places,
            note: self.note,
            evidence: self.evidence,
        }
    }
}

fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn input(f: FigureIn) -> FigureInput {
    FigureInput {
        indicator: f.indicator,
        organisations: f.organisations,
        value: f.value.map(number_text),
        achieved: f.achieved,
        parts: f
            .parts
            .into_iter()
            .map(|(k, v)| (k, number_text(v)))
            .collect(),
        places: f.places,
        note: f.note,
        evidence: f.evidence,
    }
}

/// Creates a draft figure for the caller's organisation.
#[utoipa::path(post, path = "/api/v1/periods/{period}/figures", params(("period" = String, Path, description = "period code", example = "2023")), request_body = FigureIn, security(("token" = [])), responses((status = 201, body = FigureDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_figure(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
    ApiJson(body): ApiJson<FigureIn>,
) -> Result<(StatusCode, Json<FigureDto>), ApiError> {
    let actor = caller.require()?;
    let (id, _) = state
        .app
        .create_figure(actor, &period, &input(body))
        .await?;
    let stored = state.app.stored_figure(&period, id.as_str()).await?;
    Ok((
        StatusCode::CREATED,
        Json(figure_dto(&period, &stored.figure, stored.version)),
    ))
}

/// Changes a draft or returned figure; refused with 409 when someone saved it since `version`.
#[utoipa::path(put, path = "/api/v1/periods/{period}/figures/{id}", params(("period" = String, Path, description = "period code", example = "2022"), ("id" = String, Path, description = "figure id", example = "F-PFA")), request_body = FigureUpdate, security(("token" = [])), responses((status = 200, body = FigureDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_figure(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<FigureUpdate>,
) -> Result<Json<FigureDto>, ApiError> {
    let actor = caller.require()?;
    let version = body.version;
    state
        .app
        .update_figure(actor, &period, &id, &input(body.figure()), version)
        .await?;
    let stored = state.app.stored_figure(&period, &id).await?;
    Ok(Json(figure_dto(&period, &stored.figure, stored.version)))
}

/// A step of review.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewIn {
    /// `submit`, `confirm`, `approve`, `return` or `reopen`.
    #[schema(value_type = ReviewActionName)]
    pub action: String,
    /// Required when returning a figure.
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(deserialize_with = "integral")]
    pub version: i64,
}

/// The review steps `ReviewIn.action` names. Only documents them: the handler parses the text itself,
/// so that an unknown step is answered with a message naming the field.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ReviewActionName {
    Submit,
    Confirm,
    Approve,
    Return,
    Reopen,
}

/// JSON Schema counts `3.0` as an integer, and so does this: a version sent as `3.0` is version 3.
fn integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => Ok(f as i64),
        _ => Err(D::Error::custom(format!(
            "expected a whole number of at most 64 bits, found {n}"
        ))),
    }
}

/// Submits, confirms, approves, returns or reopens a figure.
#[utoipa::path(post, path = "/api/v1/periods/{period}/figures/{id}/review", params(("period" = String, Path, description = "period code", example = "2022"), ("id" = String, Path, description = "figure id", example = "F-PFA")), request_body = ReviewIn, security(("token" = [])), responses((status = 200, body = FigureDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review_figure(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReviewIn>,
) -> Result<Json<FigureDto>, ApiError> {
    let actor = caller.require()?;
    let action = ReviewAction::parse(&body.action).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!(
                "`{}` is not one of submit, confirm, approve, return, reopen",
                body.action
            ),
        )
        .field("action")
    })?;
    state
        .app
        .review(
            actor,
            &period,
            &id,
            action,
            body.comment.as_deref(),
            body.version,
        )
        .await?;
    let stored = state.app.stored_figure(&period, &id).await?;
    Ok(Json(figure_dto(&period, &stored.figure, stored.version)))
}

#[derive(Serialize, ToSchema)]
pub struct FindingDto {
    /// `error` or `warning`.
    pub level: String,
    pub rule: String,
    pub subject: String,
    pub message: String,
}

/// What `mignet check` finds in a period (needs a token: findings concern unapproved figures too).
#[utoipa::path(get, path = "/api/v1/periods/{period}/findings", params(("period" = String, Path, description = "period code", example = "2023")), security(("token" = [])), responses((status = 200, body = [FindingDto]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn findings(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<Json<Vec<FindingDto>>, ApiError> {
    caller.require()?;
    let found = state.app.check(Some(&period)).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|f| FindingDto {
                level: f.level.as_str().to_owned(),
                rule: f.rule.to_owned(),
                subject: f.subject,
                message: f.message,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// `figure`, `indicator`, `organisation`, `account` ...
    #[param(example = "figure")]
    entity: Option<String>,
    /// The item's key: a code, or `period/id` for figures.
    #[param(example = "2022/F-PFA")]
    key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub key: String,
    /// The item before the change (any JSON value: an object, a list, a string ...); null when created.
    pub before: Option<serde_json::Value>,
    /// The item after the change; null when deleted.
    pub after: Option<serde_json::Value>,
}

/// The audit trail of an item, of a kind of item, or all of it (needs a token).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), security(("token" = [])), responses((status = 200, body = [AuditDto]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditDto>>, ApiError> {
    caller.require()?;
    let filter = match (&q.entity, &q.key) {
        (Some(e), Some(k)) => Some((e.as_str(), k.as_str())),
        _ => None,
    };
    let rows = state
        .app
        .store()
        .audit(filter)
        .await
        .map_err(AppError::from)?;
    // Only one of the two given: the whole trail, narrowed here.
    Ok(Json(
        rows.into_iter()
            .filter(|a| q.entity.as_ref().is_none_or(|e| &a.entity == e))
            .filter(|a| q.key.as_ref().is_none_or(|k| &a.entity_key == k))
            .map(|a| AuditDto {
                at: a.at,
                actor: a.actor,
                action: a.action,
                entity: a.entity,
                key: a.entity_key,
                before: a.before,
                after: a.after,
            })
            .collect(),
    ))
}
