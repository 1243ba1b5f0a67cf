//! The coordinator's view of a reporting round: how complete each organisation is, what is overdue
//! and what was returned and awaits its agency (`mignet_core::completeness`), as a page and a
//! workbook. The day is the state's clock's ([`mignet_app::Clock`]).

use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use mignet_app::{AppError, FieldError, NewPeriod, RoundInput};
use mignet_core::completeness::{Cell, Completeness, Stage};
use mignet_core::model::Dataset;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review/completeness", get(page))
        .route("/review/completeness.xlsx", get(workbook))
        .route("/review/round", get(round_form).post(save_round))
        .route("/review/periods", axum::routing::post(new_period))
}

#[derive(Deserialize)]
pub(crate) struct PeriodQuery {
    period: Option<String>,
}

/// The period a round page shows: the one asked for, else the latest open one, else the latest.
pub(crate) fn round_period(ds: &Dataset, asked: Option<&str>) -> Result<String, WebError> {
    match asked {
        Some(p) => Ok(p.to_owned()),
        None => ds
            .latest_open_period()
            .or(ds.periods.last())
            .map(|p| p.period.code.to_string())
            .ok_or_else(|| WebError::NotFound("there is no period yet".into())),
    }
}

/// The dataset and the period a coordinator's round page asks for; anyone else is refused.
async fn coordinators_round(
    state: &AppState,
    session: &Session,
    asked: Option<&str>,
) -> Result<(std::sync::Arc<Dataset>, String), WebError> {
    if !session.require()?.coordinates() {
        return Err(WebError::Forbidden(
            "the round's completeness is for the network's coordinators".into(),
        ));
    }
    let ds = state.dataset().await?;
    let period = round_period(&ds, asked)?;
    Ok((ds, period))
}

async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let (ds, period) = coordinators_round(&state, &session, q.period.as_deref()).await?;
    let c = state
        .app
        .completeness(&period, &state.clock.today())
        .await?;
    let title = ds
        .period(&period)
        .map_or(period.clone(), |p| p.period.title.clone());
    Ok(
        Page::new(&state, &session, &format!("Reporting round: {title}"))
            .with("round", completeness_view(&ds, &c))
            .with(
                "periods",
                ds.periods
                    .iter()
                    .map(|p| json!({"code": p.period.code, "title": p.period.title}))
                    .collect::<Vec<_>>(),
            )
            .with("dates", round_dates(&ds, &period))
            .render("completeness.html")?
            .into_response(),
    )
}

async fn workbook(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let (_, period) = coordinators_round(&state, &session, q.period.as_deref()).await?;
    let bytes = state
        .app
        .completeness_workbook(&period, &state.clock.today())
        .await?;
    Ok(crate::exchange::attachment(
        bytes,
        mignet_app::XLSX_MEDIA_TYPE,
        &format!("mignet-{period}-completeness.xlsx"),
    ))
}

/// The round's dates in words, as the pages print them.
pub(crate) fn round_dates(ds: &Dataset, period: &str) -> Value {
    let round = ds.period(period).map(|p| &p.period.round);
    let day = |d: Option<&Option<String>>| d.and_then(|d| d.as_deref()).map(crate::views::day);
    json!({
        "opens": day(round.map(|r| &r.opens)),
        "due": day(round.map(|r| &r.due)),
        "publishes": day(round.map(|r| &r.publishes)),
    })
}

/// One assignment as a page shows it: the indicator in words, the stage, the figures as links.
pub(crate) fn cell_view(ds: &Dataset, period: &str, c: &Cell) -> Value {
    json!({
        "organisation": crate::views::org_view(ds, c.organisation.as_str()),
        "indicator": c.indicator,
        "statement": ds.indicator(c.indicator.as_str()).map(|i| i.statement.clone()),
        "stage": c.stage.words(),
        "stage_class": c.stage.name(),
        "figures": c.figures.iter().map(|f| json!({"id": f, "href": format!("/figures/{period}/{f}")})).collect::<Vec<_>>(),
        "overdue": c.overdue,
        "last_activity": c.last_activity.as_deref().map(|at| crate::views::when(at, ds.network.time_zone.as_deref())),
    })
}

pub(crate) fn completeness_view(ds: &Dataset, c: &Completeness) -> Value {
    let organisations: Vec<Value> = c
        .organisations
        .iter()
        .map(|o| {
            json!({
                "organisation": crate::views::org_view(ds, o.organisation.as_str()),
                "assigned": o.assigned,
                "counts": Stage::ALL.iter().map(|s| json!({"stage": s.words(), "n": o.count(*s)})).collect::<Vec<_>>(),
                "per_cent": o.per_cent,
                "overdue": o.overdue,
                "last_activity": o.last_activity.as_deref().map(|at| crate::views::when(at, ds.network.time_zone.as_deref())),
                "cells": o.cells.iter().map(|cell| cell_view(ds, &c.period, cell)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "period": c.period,
        "today": crate::views::day(&c.today),
        "past_due": c.past_due,
        "assigned": c.assigned,
        "reported": c.reported,
        "stages": Stage::ALL.iter().map(|s| s.words()).collect::<Vec<_>>(),
        "organisations": organisations,
        "returned": c.returned.iter().map(|cell| cell_view(ds, &c.period, cell)).collect::<Vec<_>>(),
    })
}

/// What the round form shows besides the store: what the person typed and what was wrong with it.
#[derive(Default)]
struct Typed {
    round: Option<RoundInput>,
    period: Option<NewPeriod>,
    errors: Vec<FieldError>,
}

/// The coordinator's form of a period's round: its dates, and per organisation the indicators it
/// reports on; below it, the form that opens a new period.
async fn round_form(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let (ds, period) = coordinators_round(&state, &session, q.period.as_deref()).await?;
    render_round(&state, &session, &ds, &period, Typed::default())
}

fn render_round(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
    period: &str,
    typed: Typed,
) -> Result<Response, WebError> {
    let p = ds
        .period(period)
        .ok_or_else(|| WebError::NotFound(format!("period {period}")))?;
    let round = &p.period.round;
    let (opens, due, publishes, assigned): (String, String, String, Vec<(String, String)>) =
        match &typed.round {
            Some(r) => (
                r.opens.clone(),
                r.due.clone(),
                r.publishes.clone(),
                r.assignments.clone(),
            ),
            None => (
                round.opens.clone().unwrap_or_default(),
                round.due.clone().unwrap_or_default(),
                round.publishes.clone().unwrap_or_default(),
                round
                    .assignments
                    .iter()
                    .map(|a| (a.organisation.to_string(), a.indicator.to_string()))
                    .collect(),
            ),
        };
    let organisations: Vec<Value> = ds
        .organisations
        .iter()
        .filter(|o| o.member)
        .map(|o| {
            let code = o.code.as_str();
            let indicators: Vec<Value> = ds
                .framework
                .indicators
                .iter()
                .map(|i| {
                    let on = assigned.iter().any(|(org, ind)| org == code && ind == i.code.as_str());
                    json!({"code": i.code, "statement": i.statement, "checked": on})
                })
                .collect();
            let n = indicators.iter().filter(|i| i["checked"] == true).count();
            json!({"code": code, "name": o.name, "short_name": o.short_name, "indicators": indicators, "assigned": n})
        })
        .collect();
    let errors: serde_json::Map<String, Value> = typed
        .errors
        .iter()
        .map(|e| (e.field.clone(), json!(e.message)))
        .collect();
    let new = typed.period.unwrap_or_default();
    let status = if typed.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Page::new(state, session, &format!("Set the round: {}", p.period.title))
        .with("period", json!({"code": p.period.code, "title": p.period.title, "open": p.period.status == mignet_core::model::PeriodStatus::Open}))
        .with(
            "periods",
            ds.periods
                .iter()
                .map(|p| json!({"code": p.period.code, "title": p.period.title}))
                .collect::<Vec<_>>(),
        )
        .with("fingerprint", mignet_app::round_fingerprint(round))
        .with("dates", json!({"opens": opens, "due": due, "publishes": publishes}))
        .with("organisations", organisations)
        .with("errors", errors)
        .with("messages", typed.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>())
        .with("new", json!({"code": new.code, "title": new.title, "starts": new.starts, "ends": new.ends}))
        .render("round.html")?;
    Ok((status, page).into_response())
}

async fn save_round(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let period = form.get("period").unwrap_or("").to_owned();
    let input = RoundInput {
        opens: form.get("opens").unwrap_or("").to_owned(),
        due: form.get("due").unwrap_or("").to_owned(),
        publishes: form.get("publishes").unwrap_or("").to_owned(),
        assignments: form
            .all("assign")
            .iter()
            .filter_map(|v| v.split_once('|'))
            .map(|(o, i)| (o.to_owned(), i.to_owned()))
            .collect(),
    };
    let seen = form.get("fingerprint").unwrap_or("");
    match state.app.set_round(actor, &period, &input, seen).await {
        Ok(_) => Ok(Redirect::to(&format!("/review/completeness?period={period}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let ds = state.dataset().await?;
            let typed = Typed {
                round: Some(input),
                errors,
                ..Typed::default()
            };
            render_round(&state, &session, &ds, &period, typed)
        }
        Err(e) => Err(e.into()),
    }
}

async fn new_period(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let new = NewPeriod {
        code: form.get("code").unwrap_or("").to_owned(),
        title: form.get("title").unwrap_or("").to_owned(),
        starts: form.get("starts").unwrap_or("").to_owned(),
        ends: form.get("ends").unwrap_or("").to_owned(),
    };
    match state.app.start_period(actor, &new).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/review/round?period={}", new.code.trim())).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let ds = state.dataset().await?;
            let period = round_period(&ds, form.get("from"))?;
            // The new period's fields carry a prefix on the page, apart from the round's dates.
            let errors = errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("new_{}", e.field),
                    message: e.message,
                })
                .collect();
            let typed = Typed {
                period: Some(new),
                errors,
                ..Typed::default()
            };
            render_round(&state, &session, &ds, &period, typed)
        }
        Err(e) => Err(e.into()),
    }
}
