//! The handlers of the network, the framework, periods, figures and their review, findings and the
//! audit trail.

use super::bodies::*;
use super::extract::{ApiJson, Caller};
use crate::AppState;
use crate::error::ApiError;
use crate::views::visible;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mignet_app::{AppError, AuditFilter};
use mignet_core::workflow::ReviewAction;

/// The network and its organisations.
#[utoipa::path(get, path = "/api/v1/network", responses((status = 200, body = NetworkDto), (status = 404, body = ErrorBody)))]
pub(super) async fn network(State(state): State<AppState>) -> Result<Response, ApiError> {
    public_json(&state, "api:network".into(), async || {
        let ds = state.dataset().await?;
        Ok(NetworkDto {
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
        })
    })
    .await
}

/// The results framework: priorities, outcomes, indicators.
#[utoipa::path(get, path = "/api/v1/framework", responses((status = 200, body = FrameworkDto), (status = 404, body = ErrorBody)))]
pub(super) async fn framework(State(state): State<AppState>) -> Result<Response, ApiError> {
    public_json(&state, "api:framework".into(), async || {
        let ds = state.dataset().await?;
        let fw = &ds.framework;
        Ok(FrameworkDto {
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
                    sensitive: i.sensitive,
                    threshold: mignet_core::disclosure::threshold(&ds.network, i),
                    baseline: i.baseline.as_ref().map(|b| BaselineDto {
                        value: b.value,
                        year: b.year,
                        note: b.note.clone(),
                    }),
                    targets: i
                        .targets
                        .iter()
                        .map(|t| TargetDto {
                            period: t.period.to_string(),
                            value: t.value,
                            cumulative: t.cumulative,
                        })
                        .collect(),
                })
                .collect(),
        })
    })
    .await
}

/// The reporting periods.
#[utoipa::path(get, path = "/api/v1/periods", responses((status = 200, body = [PeriodDto]), (status = 404, body = ErrorBody)))]
pub(super) async fn periods(State(state): State<AppState>) -> Result<Response, ApiError> {
    public_json(&state, "api:periods".into(), async || {
        let ds = state.dataset().await?;
        Ok(ds
            .periods
            .iter()
            .map(|p| PeriodDto {
                code: p.period.code.to_string(),
                title: p.period.title.clone(),
                status: enum_name(p.period.status),
                framework: p.period.framework.clone(),
            })
            .collect::<Vec<_>>())
    })
    .await
}

/// The figures of a period, a page at a time in the period's order: approved ones for everybody, all
/// of them with a token. While figures remain, the `Link` header holds the next page's address.
#[utoipa::path(get, path = "/api/v1/periods/{period}/figures", params(("period" = String, Path, description = "period code", example = "2022"), FigureListQuery), security((), ("token" = [])), responses((status = 200, body = [FigureDto], headers(("Link" = String, description = "the next page: `</api/v1/periods/2022/figures?limit=1000&after=F-PFA>; rel=\"next\"`, while figures remain"))), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn list_figures(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
    Query(q): Query<FigureListQuery>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(FIGURE_PAGE_MAX);
    if !(1..=FIGURE_PAGE_MAX).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("write a number of figures from 1 to {FIGURE_PAGE_MAX}, not {limit}"),
        )
        .into());
    }
    let session = caller.session();
    let (ds, versions) = state.dataset_and_versions_for(&session).await?;
    let p = period_of(&ds, &period)?;
    let visible: Vec<_> = p.figures.iter().filter(|f| visible(&session, f)).collect();
    let start = match &q.after {
        None => 0,
        Some(after) => {
            visible
                .iter()
                .position(|f| f.id.as_str() == after)
                .ok_or_else(|| {
                    AppError::invalid(
                        "after",
                        format!("there is no figure `{after}` in period {period} to page on from"),
                    )
                })?
                + 1
        }
    };
    let end = (start + limit as usize).min(visible.len());
    let page = &visible[start.min(end)..end];
    let mut headers = HeaderMap::new();
    if end < visible.len()
        && let Some(last) = page.last()
    {
        let next = format!(
            "</api/v1/periods/{period}/figures?limit={limit}&after={}>; rel=\"next\"",
            last.id
        );
        if let Ok(v) = HeaderValue::from_str(&next) {
            headers.insert(header::LINK, v);
        }
    }
    let dtos = || -> Vec<FigureDto> {
        page.iter()
            .map(|f| {
                let v = versions.get(&period, f.id.as_str()).unwrap_or(1);
                for_reader(&caller, figure_dto(&period, f, v))
            })
            .collect()
    };
    let body = if caller.0.is_none() {
        // What everybody without a token reads: the same page for all of them while the store
        // does not change.
        let key = format!("api:figures:{period}:{start}:{limit}");
        public_json(&state, key, async || Ok(dtos())).await?
    } else {
        Json(dtos()).into_response()
    };
    Ok((headers, body).into_response())
}

/// One figure.
#[utoipa::path(get, path = "/api/v1/periods/{period}/figures/{id}", params(("period" = String, Path, description = "period code", example = "2022"), ("id" = String, Path, description = "figure id", example = "F-PFA")), security((), ("token" = [])), responses((status = 200, body = FigureDto), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn get_figure(
    State(state): State<AppState>,
    caller: Caller,
    Path((period, id)): Path<(String, String)>,
) -> Result<Json<FigureDto>, ApiError> {
    let session = caller.session();
    let (ds, versions) = state.dataset_and_versions_for(&session).await?;
    let found = ds
        .period(&period)
        .and_then(|p| p.figure(&id))
        .filter(|f| visible(&session, f))
        .zip(versions.get(&period, &id));
    let Some((figure, version)) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("figure {id} of period {period} does not exist"),
        ));
    };
    Ok(Json(for_reader(
        &caller,
        figure_dto(&period, figure, version),
    )))
}

/// A figure as `caller` may read it: without the account that set its status for the public, since
/// no public answer names a member of staff.
fn for_reader(caller: &Caller, mut dto: FigureDto) -> FigureDto {
    if caller.0.is_none() {
        dto.status_by = None;
    }
    dto
}

/// Creates a draft figure for the caller's organisation.
#[utoipa::path(post, path = "/api/v1/periods/{period}/figures", params(("period" = String, Path, description = "period code", example = "2023")), request_body = FigureIn, security(("token" = [])), responses((status = 201, body = FigureDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn create_figure(
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
pub(super) async fn update_figure(
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

/// Submits, confirms, approves, returns or reopens a figure.
#[utoipa::path(post, path = "/api/v1/periods/{period}/figures/{id}/review", params(("period" = String, Path, description = "period code", example = "2022"), ("id" = String, Path, description = "figure id", example = "F-PFA")), request_body = ReviewIn, security(("token" = [])), responses((status = 200, body = FigureDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn review_figure(
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
                "`{}` is not one of submit, confirm, approve, return, reopen, endorse",
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

/// A public read's JSON, made once per store generation and shared by every reader without a token
/// (reads of a large network cost their serialisation many times over otherwise).
async fn public_json<T: serde::Serialize>(
    state: &AppState,
    key: String,
    make: impl AsyncFnOnce() -> Result<T, ApiError>,
) -> Result<Response, ApiError> {
    let json = crate::cache::cached_bytes::<_, ApiError>(state, key, async || {
        serde_json::to_vec(&make().await?).map_err(|e| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
        })
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// The targets of a period with their progress: each indicator's annual target of the period and
/// the cumulative target it counts towards, against the approved figures (public, as the public
/// sees them: a withheld small count gives no per cent).
#[utoipa::path(get, path = "/api/v1/periods/{period}/progress", params(("period" = String, Path, description = "period code", example = "2023")), responses((status = 200, body = [ProgressDto]), (status = 404, body = ErrorBody)))]
pub(super) async fn progress(
    State(state): State<AppState>,
    Path(period): Path<String>,
) -> Result<Response, ApiError> {
    let ds = state.public_dataset().await?;
    period_of(&ds, &period)?;
    public_json(&state, format!("api:progress:{period}"), async || {
        use mignet_core::progress::Actual;
        Ok(ds
            .framework
            .indicators
            .iter()
            .flat_map(|i| {
                mignet_core::progress::progress(&ds, i, &period)
                    .into_iter()
                    .map(move |p| ProgressDto {
                        indicator: p.indicator.to_string(),
                        target_period: p.target_period.to_string(),
                        cumulative: p.cumulative,
                        target: p.target,
                        actual_kind: match p.actual {
                            Actual::NotReported => "not_reported",
                            Actual::Number { .. } => "number",
                            Actual::Milestone { .. } => "milestone",
                            Actual::Withheld { .. } => "withheld",
                            Actual::NotCombined { .. } => "not_combined",
                        }
                        .to_owned(),
                        actual: p.actual.number(),
                        reported: p.actual != Actual::NotReported,
                        percent: p.percent(),
                        text: p.text_for(i.kind),
                    })
            })
            .collect::<Vec<_>>())
    })
    .await
}

/// What `mignet check` finds in a period (needs a token: findings concern unapproved figures too).
#[utoipa::path(get, path = "/api/v1/periods/{period}/findings", params(("period" = String, Path, description = "period code", example = "2023")), security(("token" = [])), responses((status = 200, body = [FindingDto]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn findings(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    caller.require()?;
    // The same for every reader with a token, so kept while the store does not change: checking a
    // large period is the cost, not sending it.
    let json = crate::cache::cached_bytes::<_, ApiError>(
        &state,
        format!("api:findings:{period}"),
        async || {
            let found = state.app.check(Some(&period)).await?;
            let dtos: Vec<FindingDto> = found
                .into_iter()
                .map(|f| FindingDto {
                    level: f.level.as_str().to_owned(),
                    rule: f.rule.to_owned(),
                    subject: f.subject,
                    message: f.message,
                })
                .collect();
            serde_json::to_vec(&dtos).map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })
        },
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// The audit trail of an item, of a kind of item, or all of it, a page at a time (needs a token). The
/// entries of accounts are given to administrators only: `entity=account` is refused with 403 for the
/// other roles, and left out of their wider trails.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), security(("token" = [])), responses((status = 200, body = [AuditDto]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditDto>>, ApiError> {
    let reader = caller.require()?;
    // The accounts' trail holds every account's e-mail address, name and role: like the accounts
    // page, it is for administrators only. Other callers asking for it are refused; in a wider
    // trail, its entries are left out.
    let accounts = reader.may_manage_accounts();
    if !accounts && q.entity.as_deref() == Some("account") {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the trail of accounts is for administrators only",
        ));
    }
    if let Some(after) = q.after.filter(|a| *a < 0) {
        return Err(AppError::invalid(
            "after",
            format!("write the id of an entry (0 or more), not {after}"),
        )
        .into());
    }
    let limit = q.limit.unwrap_or(AUDIT_PAGE_MAX);
    if !(1..=AUDIT_PAGE_MAX).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("write a number of entries from 1 to {AUDIT_PAGE_MAX}, not {limit}"),
        )
        .into());
    }
    let rows = state
        .app
        .audit(&AuditFilter {
            entity: q.entity,
            key: q.key,
            cursor: q.after,
            newest_first: false,
            limit: Some(limit),
        })
        .await?;
    Ok(Json(
        rows.into_iter()
            .filter(|a| accounts || a.entity != "account")
            .map(|a| AuditDto {
                id: a.id,
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

/// How complete a period's reporting round is on the server's day: each organisation's assignments
/// and their stages (coordinators and administrators).
#[utoipa::path(get, path = "/api/v1/periods/{period}/completeness", params(("period" = String, Path, description = "period code", example = "2023")), security(("token" = [])), responses((status = 200, body = CompletenessDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn completeness(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<Json<CompletenessDto>, ApiError> {
    if !caller.require()?.coordinates() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the round's completeness is for the network's coordinators",
        ));
    }
    let c = state
        .app
        .completeness(&period, &state.clock.today())
        .await?;
    Ok(Json(c.into()))
}

/// The caller's messages from the reporting cycle (a figure submitted, returned, approved, a joint
/// figure awaiting confirmation, reminders), newest first, at most 100.
#[utoipa::path(get, path = "/api/v1/messages", security(("token" = [])), responses((status = 200, body = Vec<MessageDto>), (status = 401, body = ErrorBody)))]
pub(super) async fn messages(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<MessageDto>>, ApiError> {
    let actor = caller.require()?;
    Ok(Json(
        state
            .app
            .messages_for(actor)
            .await?
            .into_iter()
            .map(|m| MessageDto {
                id: m.id,
                subject: m.subject,
                body: m.body,
                link: m.link,
                created_at: m.created_at,
                emailed_at: m.sent_at,
            })
            .collect(),
    ))
}

/// The published editions of a period, newest first (public).
#[utoipa::path(get, path = "/api/v1/periods/{period}/editions", params(("period" = String, Path, description = "period code", example = "2022")), responses((status = 200, body = [EditionDto]), (status = 404, body = ErrorBody)))]
pub(super) async fn editions(
    State(state): State<AppState>,
    Path(period): Path<String>,
) -> Result<Json<Vec<EditionDto>>, ApiError> {
    let ds = state.public_dataset().await?;
    period_of(&ds, &period)?;
    let editions = state.app.editions(Some(&period)).await?;
    Ok(Json(editions.iter().map(EditionDto::from).collect()))
}

/// Publishes the period as its next edition (coordinators): its Highlights and exports frozen with
/// a content hash, and the errata against the edition before. Refused (422) when nothing changed
/// since the last edition or no figure is approved yet.
#[utoipa::path(post, path = "/api/v1/periods/{period}/editions", params(("period" = String, Path, description = "period code", example = "2022")), security(("token" = [])), responses((status = 201, body = EditionDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(period): Path<String>,
) -> Result<(StatusCode, Json<EditionDto>), ApiError> {
    let actor = caller.require()?;
    let e = state.app.publish(actor, &period).await?;
    Ok((StatusCode::CREATED, Json(EditionDto::from(&e))))
}

/// The period `period` of `ds`, or the API's 404 for it.
fn period_of<'d>(
    ds: &'d mignet_core::Dataset,
    period: &str,
) -> Result<&'d mignet_core::PeriodData, ApiError> {
    ds.period(period).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_period",
            format!("there is no period `{period}`"),
        )
    })
}

/// Searches indicators, figures, organisations, pledges, working groups and the Highlights' text,
/// as the caller may see them (without a token, approved figures only); the best first, at most 50.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams), responses((status = 200, body = [SearchHitDto]), (status = 400, body = ErrorBody)))]
pub(super) async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<SearchParams>,
) -> Result<Json<Vec<SearchHitDto>>, ApiError> {
    let hits = state.app.search(caller.0.as_ref(), &p.q).await?;
    Ok(Json(
        hits.into_iter()
            .map(|h| SearchHitDto {
                kind: serde_json::to_value(h.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                label: h.kind.label().to_owned(),
                title: h.title,
                excerpt: h.excerpt,
                href: h.href,
            })
            .collect(),
    ))
}
