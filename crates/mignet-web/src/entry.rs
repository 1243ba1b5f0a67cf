//! Data entry and review pages: a focal point enters, fixes and submits its organisation's figures; the
//! coordinator approves or returns them. Forms come back with every message beside its field and every
//! value the person typed.

use crate::auth::{FormData, Session, check_csrf};
use crate::views::{Page, figure_view};
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mignet_app::StoreError;
use mignet_app::{AppError, FieldError, FigureInput};
use mignet_core::model::*;
use mignet_core::workflow::ReviewAction;
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/entry", get(entry_home))
        .route("/entry/new", get(new_form).post(create))
        .route("/figures/{period}/{id}/edit", get(edit_form).post(update))
        .route("/figures/{period}/{id}/review", post(review))
        .route("/review", get(review_home))
        .route("/review/approve", post(approve_selected))
        .route("/figures/{period}/{id}/comment", post(comment))
}

async fn entry_home(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    let actor = session.require()?;
    if actor.coordinates() {
        return Ok(Redirect::to("/review").into_response());
    }
    if actor.role != mignet_core::access::Role::FocalPoint {
        return Err(WebError::Forbidden(
            "data entry is for the focal points of member organisations".into(),
        ));
    }
    let ds = state.dataset().await?;
    let mut periods = Vec::new();
    for p in ds.periods.iter().rev() {
        let mut figures = Vec::new();
        for f in p.figures.iter().filter(|f| actor.is_party_to(f)) {
            let comment = if f.status == FigureStatus::Returned {
                state
                    .app
                    .return_comment(p.period.code.as_str(), f.id.as_str())
                    .await?
            } else {
                None
            };
            // Every organisation that has not agreed to the figure's current content; the actor's
            // own is shown as the confirmation it owes, the others as those the figure waits for.
            let awaiting = if f.is_joint() && !mignet_core::access::is_public(f) {
                state
                    .app
                    .awaiting_agreement(p.period.code.as_str(), f, None)
                    .await?
            } else {
                Vec::new()
            };
            let mine = actor.organisation.as_ref().map(|o| o.to_string());
            // The reporting organisation (named first) agrees by submitting, not by confirming.
            let needs_my_confirmation = actor.may_confirm(f)
                && f.organisations
                    .first()
                    .is_none_or(|o| Some(o) != actor.organisation.as_ref())
                && mine.as_ref().is_some_and(|m| awaiting.contains(m));
            let unconfirmed: Vec<String> = awaiting
                .into_iter()
                .filter(|o| Some(o) != mine.as_ref())
                .collect();
            figures.push(json!({"figure": figure_view(&session.lang, &ds, p, f), "comment": comment, "unconfirmed": unconfirmed, "needs_my_confirmation": needs_my_confirmation}));
        }
        let code = p.period.code.as_str();
        let due = match &actor.organisation {
            Some(o) => mignet_core::completeness::due_from(p, o.as_str(), &state.clock.today()),
            None => None,
        };
        let due = due.map(|o| {
            json!({
                "assigned": o.assigned,
                "reported": o.submitted + o.approved,
                "overdue": o.overdue,
                "cells": o.cells.iter().map(|c| crate::round::cell_view(&ds, code, c)).collect::<Vec<_>>(),
            })
        });
        periods.push(json!({"code": code, "title": p.period.title, "open": p.period.status == PeriodStatus::Open, "figures": figures, "due": due, "dates": crate::round::round_dates(&ds, code)}));
    }
    let org = actor
        .organisation
        .as_ref()
        .map(|o| crate::views::org_view(&ds, o.as_str()));
    Ok(Page::new(&state, &session, "Your figures")
        .with("periods", periods)
        .with("organisation", org)
        .render("entry.html")?
        .into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    period: Option<String>,
    /// The indicator chosen in the form's first step.
    indicator: Option<String>,
}

/// The values of the figure form as the person typed them, for showing them again.
fn form_values(input: &FigureInput) -> serde_json::Value {
    json!({
        "indicator": input.indicator, "organisations": input.organisations, "value": input.value,
        "achieved": input.achieved, "parts": input.parts.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
        "places": input.places, "sites": input.sites.join("\n"), "locations": input.locations,
        "in_areas": input.in_areas, "note": input.note, "evidence": input.evidence,
        "milestone": input.milestone, "date": input.date, "numerator": input.numerator,
        "denominator": input.denominator, "cumulative": input.cumulative,
    })
}

fn input_from(form: &FormData) -> FigureInput {
    FigureInput {
        indicator: form.get("indicator").unwrap_or("").to_owned(),
        organisations: form.all("organisations"),
        value: form.get("value").map(str::to_owned),
        achieved: form.get("achieved").and_then(|a| match a {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }),
        parts: form
            .0
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("part_")
                    .map(|key| (key.to_owned(), v.clone()))
            })
            .collect(),
        places: form.all("places"),
        sites: form
            .get("sites")
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        locations: form.get("locations").map(str::to_owned),
        in_areas: form.get("in_areas").map(str::to_owned),
        note: form.get("note").map(str::to_owned),
        evidence: form.get("evidence").map(str::to_owned),
        milestone: form.get("milestone").map(str::to_owned),
        date: form.get("date").map(str::to_owned),
        numerator: form.get("numerator").map(str::to_owned),
        denominator: form.get("denominator").map(str::to_owned),
        cumulative: form.get("cumulative") == Some("yes"),
    }
}

fn input_of(f: &Figure) -> FigureInput {
    FigureInput {
        indicator: f.indicator.to_string(),
        organisations: f.organisations.iter().map(|o| o.to_string()).collect(),
        // Written back as typed, with its qualifier, range or currency, so that saving the form
        // unchanged keeps how the value was stated.
        value: match f.value {
            FigureValue::Milestone { .. } => None,
            _ => mignet_core::stated::as_typed(&f.value, &f.stated),
        },
        achieved: match f.value {
            FigureValue::Milestone { achieved } if f.stated.milestone.is_none() => Some(achieved),
            _ => None,
        },
        milestone: f
            .stated
            .milestone
            .map(|m| mignet_core::vocab::Vocabulary::name(m).to_owned()),
        date: f.stated.date.clone(),
        numerator: f
            .stated
            .numerator
            .map(|n| mignet_core::numbers::group_auto(n, 6)),
        denominator: f
            .stated
            .denominator
            .map(|n| mignet_core::numbers::group_auto(n, 6)),
        cumulative: f.stated.cumulative,
        parts: f
            .disaggregation
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        places: f.places.iter().map(|p| p.to_string()).collect(),
        sites: f.sites.clone(),
        locations: f.locations.map(|n| n.to_string()),
        in_areas: f.in_areas.map(|n| n.to_string()),
        note: f.note.clone(),
        evidence: f.evidence.clone(),
    }
}

struct FormPage<'a> {
    period: &'a str,
    id: Option<&'a str>,
    version: i64,
    input: &'a FigureInput,
    errors: &'a [FieldError],
    conflict: Option<String>,
    /// The organisation's other figures on the indicator in the period (a new figure only).
    existing: Vec<String>,
    /// Why the coordinator returned the figure, while it is being corrected.
    returned: Option<String>,
    /// The person ticked "this is a second figure".
    second: bool,
}

fn render_form(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
    f: FormPage<'_>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let indicators: Vec<_> = ds.framework.indicators.iter().map(|i| json!({"code": i.code, "statement": i.statement, "unit": i.unit, "kind": i.kind, "parts": i.disaggregations})).collect();
    let orgs: Vec<_> = ds
        .organisations
        .iter()
        .filter(|o| o.member)
        .map(|o| json!({"code": o.code, "short_name": o.short_name}))
        .collect();
    let places: Vec<_> = ds
        .place_codes()
        .map(|c| json!({"code": c, "name": ds.place_name(c)}))
        .collect();
    let errors: serde_json::Map<String, serde_json::Value> = f
        .errors
        .iter()
        .map(|e| (e.field.clone(), json!(e.message)))
        .collect();
    let title = match f.id {
        Some(id) => format!("Edit figure {id}"),
        None => format!("New figure for {}", f.period),
    };
    // The form asks for what the chosen indicator needs, no more.
    let fit = ds.indicator(&f.input.indicator).map(|i| {
        json!({"code": i.code, "statement": i.statement, "unit": i.unit, "kind": i.kind, "parts": i.disaggregations})
    });
    let existing_org = f.input.organisations.first().map(|o| {
        ds.organisation(o)
            .map_or(o.clone(), |org| org.short_name.clone())
    });
    let mut values = form_values(f.input);
    values["second"] = json!(f.second);
    let html = Page::new(state, session, &title)
        .with("period", f.period)
        .with("id", f.id)
        .with("version", f.version)
        .with("values", values)
        .with("errors", errors)
        .with("conflict", f.conflict)
        .with("fit", fit)
        .with("existing", f.existing)
        .with("existing_org", existing_org)
        .with("returned", f.returned)
        .with("indicators", indicators)
        .with("organisations", orgs)
        .with(
            "milestone_statuses",
            <mignet_core::stated::MilestoneStatus as mignet_core::vocab::Vocabulary>::CHOICES
                .iter()
                .map(|(name, label)| json!({"name": name, "label": label}))
                .collect::<Vec<_>>(),
        )
        .with("places", places)
        .with("area_word", ds.area_word().many)
        .render("figure_form.html")?;
    Ok((status, html).into_response())
}

async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let actor = session.require()?;
    let ds = state.dataset().await?;
    let period = match q.period {
        Some(p) => p,
        None => ds
            .latest_open_period()
            .map(|p| p.period.code.to_string())
            .ok_or_else(|| WebError::Forbidden("no period is open for reporting".into()))?,
    };
    if !actor.may_create(actor.organisation.as_slice()) {
        return Err(WebError::Forbidden(
            "only an organisation's focal point enters figures".into(),
        ));
    }
    let input = FigureInput {
        organisations: actor.organisation.iter().map(|o| o.to_string()).collect(),
        indicator: q.indicator.unwrap_or_default(),
        ..Default::default()
    };
    let existing = existing_figures(&state, actor, &period, &input.indicator).await?;
    render_form(
        &state,
        &session,
        &ds,
        FormPage {
            period: &period,
            id: None,
            version: 0,
            input: &input,
            errors: &[],
            conflict: None,
            existing,
            returned: None,
            second: false,
        },
        StatusCode::OK,
    )
}

/// The actor's organisation's figures on `indicator` in `period`, which a new one would join.
async fn existing_figures(
    state: &AppState,
    actor: &mignet_core::access::Actor,
    period: &str,
    indicator: &str,
) -> Result<Vec<String>, WebError> {
    match (&actor.organisation, indicator.is_empty()) {
        (Some(org), false) => Ok(state
            .app
            .figures_on(period, indicator, org.as_str())
            .await?),
        _ => Ok(Vec::new()),
    }
}

/// After a figure is saved: submitted at once when the person asked for it (`then=submit`), then
/// shown with what was done.
async fn then_submit(
    state: &AppState,
    actor: &mignet_core::access::Actor,
    period: &str,
    id: &str,
    form: &FormData,
    written: i64,
) -> Response {
    let done = if form.get("then") == Some("submit") {
        match state
            .app
            .review(actor, period, id, ReviewAction::Submit, None, written)
            .await
        {
            Ok(_) => "submitted",
            // A joint figure waits for its partners first; the page says what it waits for.
            Err(_) => "saved-not-submitted",
        }
    } else {
        "saved"
    };
    Redirect::to(&format!("/figures/{period}/{id}?done={done}")).into_response()
}

async fn create(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let period = form
        .get("period")
        .map(str::to_owned)
        .or(q.period)
        .unwrap_or_default();
    let input = input_from(&form);
    let second = form.get("second") == Some("yes");
    let created = state
        .app
        .create_figure_asked(actor, &period, &input, second)
        .await;
    let (errors, conflict, status) = match created {
        Ok((id, written)) => {
            return Ok(then_submit(&state, actor, &period, id.as_str(), &form, written.version).await);
        }
        Err(AppError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Store(StoreError::Conflict { .. })) => (
            Vec::new(),
            Some("Other figures were being created for this indicator at the same moment, and the figure could not be given an id. Your figure is below and was not saved: save it again.".to_owned()),
            StatusCode::CONFLICT,
        ),
        Err(e) => return Err(e.into()),
    };
    let ds = state.dataset().await?;
    let existing = existing_figures(&state, actor, &period, &input.indicator).await?;
    render_form(
        &state,
        &session,
        &ds,
        FormPage {
            period: &period,
            id: None,
            version: 0,
            input: &input,
            errors: &errors,
            conflict,
            existing,
            returned: None,
            second,
        },
        status,
    )
}

async fn edit_form(
    State(state): State<AppState>,
    session: Session,
    Path((period, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let actor = session.require()?;
    let stored = state.app.stored_figure(&period, &id).await?;
    if !actor.may_edit(&stored.figure) {
        return Err(WebError::Forbidden(format!(
            "you cannot change figure {id} ({})",
            stored.figure.status.as_str()
        )));
    }
    let ds = state.dataset().await?;
    let input = input_of(&stored.figure);
    let returned = if stored.figure.status == FigureStatus::Returned {
        state.app.return_comment(&period, &id).await?
    } else {
        None
    };
    render_form(
        &state,
        &session,
        &ds,
        FormPage {
            period: &period,
            id: Some(&id),
            version: stored.version,
            input: &input,
            errors: &[],
            conflict: None,
            existing: Vec::new(),
            returned,
            second: false,
        },
        StatusCode::OK,
    )
}

async fn update(
    State(state): State<AppState>,
    session: Session,
    Path((period, id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let version: i64 = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("the form has no version; reload the page".into()))?;
    let input = input_from(&form);
    let (errors, conflict, status) = match state
        .app
        .update_figure(actor, &period, &id, &input, version)
        .await
    {
        Ok(written) => {
            return Ok(then_submit(&state, actor, &period, &id, &form, written.version).await);
        }
        Err(AppError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Store(StoreError::Conflict { current, .. })) => {
            let msg = format!(
                "Someone else saved this figure while you were editing it (it is now at version {current}). Your changes are below and were not saved: open the figure again to see the saved version, then make your change on it."
            );
            (Vec::new(), Some(msg), StatusCode::CONFLICT)
        }
        Err(e) => return Err(e.into()),
    };
    let ds = state.dataset().await?;
    render_form(
        &state,
        &session,
        &ds,
        FormPage {
            period: &period,
            id: Some(&id),
            version,
            input: &input,
            errors: &errors,
            conflict,
            existing: Vec::new(),
            returned: None,
            second: false,
        },
        status,
    )
}

async fn review(
    State(state): State<AppState>,
    session: Session,
    Path((period, id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let action = form
        .get("action")
        .and_then(ReviewAction::parse)
        .ok_or_else(|| WebError::BadRequest("unknown action".into()))?;
    let version: i64 = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| WebError::BadRequest("the form has no version; reload the page".into()))?;
    match state
        .app
        .review(actor, &period, &id, action, form.get("comment"), version)
        .await
    {
        Ok(_) => {}
        // Someone changed the figure since the page was opened: show it as it is now, with the
        // step and the comment the person sent, to be sent again if still right.
        Err(AppError::Store(StoreError::Conflict { .. })) => {
            let kept = crate::pages::KeptReview {
                message: "Someone changed this figure after you opened it, so your step was not taken. It is shown below as it is now; your comment is kept in the form.".into(),
                action: action.as_str().to_owned(),
                comment: form.get("comment").map(str::to_owned),
            };
            return crate::pages::figure_page(&state, &session, &period, &id, Some(kept)).await;
        }
        Err(e) => return Err(e.into()),
    }
    let back = match (action, form.get("back")) {
        (_, Some("review")) => "/review".to_owned(),
        // The figure's page says what was done.
        _ => format!("/figures/{period}/{id}?done={}", action.as_str()),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(serde::Deserialize, Default)]
pub(crate) struct ReviewQuery {
    period: Option<String>,
    organisation: Option<String>,
    outcome: Option<String>,
}

/// An empty choice of a filter is no filter.
fn chosen(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

async fn review_home(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, WebError> {
    render_review(&state, &session, &q, None).await
}

/// The review page for the filters of `q`, saying `done` (what a bulk approval did) at its top.
async fn render_review(
    state: &AppState,
    session: &Session,
    q: &ReviewQuery,
    done: Option<String>,
) -> Result<Response, WebError> {
    let actor = session.require()?;
    let filter = mignet_app::ReviewFilter {
        period: chosen(&q.period),
        organisation: chosen(&q.organisation),
        outcome: chosen(&q.outcome),
    };
    let queue = state.app.review_queue(actor, &filter).await?;
    let ds = state.dataset().await?;
    let zone = ds.network.time_zone.as_deref();
    let mut items = Vec::new();
    for item in &queue {
        let p = ds
            .period(&item.period)
            .ok_or_else(|| WebError::NotFound(format!("period {}", item.period)))?;
        items.push(json!({
            "figure": figure_view(&session.lang, &ds, p, &item.figure),
            "version": item.version,
            "findings": item.findings,
            "entered_by": item.entered_by,
            "same_person": item.same_person,
            "second_person_required": item.second_person_required,
            "unconfirmed": item.unconfirmed,
            "resubmitted": item.resubmitted,
            "changes": item.changes.iter().map(|a| crate::views::audit_view(a, zone)).collect::<Vec<_>>(),
            "earlier": item.earlier,
            "targets": item.targets,
            "thread": item.thread.iter().map(|t| crate::views::thread_view(t, zone)).collect::<Vec<_>>(),
        }));
    }
    let options = json!({
        "periods": ds.periods.iter().filter(|p| p.period.status == PeriodStatus::Open).map(|p| json!({"code": p.period.code, "title": p.period.title})).collect::<Vec<_>>(),
        "organisations": ds.organisations.iter().filter(|o| o.member).map(|o| json!({"code": o.code, "name": o.short_name})).collect::<Vec<_>>(),
        "outcomes": ds.framework.outcomes.iter().map(|o| json!({"code": o.code, "statement": o.statement})).collect::<Vec<_>>(),
    });
    let approval = mignet_app::approval_of(actor);
    let title = if approval == ReviewAction::Endorse {
        "Figures to approve for your organisation"
    } else {
        "Figures to review"
    };
    Ok(Page::new(state, session, title)
        .with("approval", approval.as_str())
        .with("items", items)
        .with("options", options)
        .with("filter", json!({"period": filter.period, "organisation": filter.organisation, "outcome": filter.outcome}))
        .with("done", done)
        .render("review.html")?
        .into_response())
}

/// Approves the figures ticked on the review page (each `PERIOD/ID/VERSION`), then shows the page
/// again saying what was approved and what was not, and why.
async fn approve_selected(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    let figures: Vec<(String, String, i64)> = form
        .all("figure")
        .iter()
        .filter_map(|v| {
            let (rest, version) = v.rsplit_once('/')?;
            let (period, id) = rest.split_once('/')?;
            Some((period.to_owned(), id.to_owned(), version.parse().ok()?))
        })
        .collect();
    if figures.is_empty() {
        return Err(WebError::BadRequest(
            "tick the figures to approve first".into(),
        ));
    }
    let outcome = state
        .app
        .approve_many(
            actor,
            &figures,
            form.get("comment").filter(|c| !c.trim().is_empty()),
        )
        .await;
    let approved = outcome.iter().filter(|(_, r)| r.is_ok()).count();
    let mut said = format!("Approved {approved} of {} figures.", outcome.len());
    for (id, r) in &outcome {
        if let Err(e) = r {
            said.push_str(&format!(" {id} was not approved: {e}."));
        }
    }
    render_review(&state, &session, &ReviewQuery::default(), Some(said)).await
}

/// Adds a comment to a figure's thread, then goes back to where it was written.
async fn comment(
    State(state): State<AppState>,
    session: Session,
    Path((period, id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?;
    state
        .app
        .comment(actor, &period, &id, form.get("comment").unwrap_or(""))
        .await?;
    let back = match form.get("back") {
        Some("review") => "/review".to_owned(),
        _ => format!("/figures/{period}/{id}#thread"),
    };
    Ok(Redirect::to(&back).into_response())
}
