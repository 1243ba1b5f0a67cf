//! The coordinator's view of a reporting round: how complete each organisation is, what is overdue
//! and what was returned and awaits its agency (`mignet_core::completeness`), as a page and a
//! workbook. The day is the state's clock's ([`mignet_app::Clock`]).

use crate::auth::Session;
use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mignet_core::completeness::{Cell, Completeness, Stage};
use mignet_core::model::Dataset;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/review/completeness", get(page))
        .route("/review/completeness.xlsx", get(workbook))
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
        "last_activity": c.last_activity.as_deref().map(crate::views::when),
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
                "last_activity": o.last_activity.as_deref().map(crate::views::when),
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
