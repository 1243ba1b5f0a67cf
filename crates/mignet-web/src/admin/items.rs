//! The coordinator's pages for the results framework and the narrative: the list of items, and one
//! form for every kind.

use super::codec::{form_values, item_from_json, plain, read_form};
use super::spec::{RefTo, Widget, spec};
use crate::auth::{FormData, Session, check_csrf};
use crate::views::Page;
use crate::{AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mignet_app::{AppError, FieldError};
use mignet_core::edit::{self, Edit, Item, Kind};
use mignet_core::model::*;
use serde::Deserialize;
use serde_json::{Map, Value, json};

fn parse_kind(s: &str) -> Result<Kind, WebError> {
    Kind::parse(s).ok_or_else(|| WebError::NotFound(format!("there is no kind of item `{s}`")))
}

pub(super) fn require_coordinator(session: &Session) -> Result<(), WebError> {
    if session.require()?.may_edit_framework() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only the network's coordinator edits the framework and the narrative".into(),
        ))
    }
}

/// A line that names an item in the lists.
fn caption(item: &Item) -> String {
    let cut = |s: &str| {
        let s: String = s.chars().take(90).collect();
        s
    };
    match item {
        Item::Organisation(o) => o.name.clone(),
        Item::Priority(p) => p.title.clone(),
        Item::Outcome(o) => cut(&o.statement),
        Item::Indicator(i) => cut(&i.statement),
        Item::Pledge(p) => cut(&p.text),
        Item::WorkingGroup(g) => g.name.clone(),
        Item::Section { section, .. } => format!(
            "{}: {}",
            plain(&json!(section.kind)).replace('_', " "),
            cut(&section.text)
        ),
        Item::Footnote { footnote, .. } => cut(&footnote.text),
    }
}

pub(super) async fn index(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, WebError> {
    require_coordinator(&session)?;
    let ds = state.dataset().await?;
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .map(|&k| {
            let items: Vec<Value> = edit::keys(&ds, k)
                .into_iter()
                .filter_map(|key| {
                    let item = edit::get(&ds, k, &key)?;
                    Some(json!({"key": key, "caption": caption(&item)}))
                })
                .collect();
            json!({"kind": k.as_str(), "label": k.label(), "plural": k.plural(), "in_period": k.in_period(), "items": items})
        })
        .collect();
    let open: Vec<Value> = ds
        .periods
        .iter()
        .filter(|p| p.period.status == PeriodStatus::Open)
        .map(|p| json!(p.period.code))
        .collect();
    Ok(Page::new(&state, &session, "Framework and narrative")
        .with("kinds", kinds)
        .with("open_periods", open)
        .render("admin.html")?
        .into_response())
}

#[derive(Deserialize)]
pub(super) struct PeriodQuery {
    period: Option<String>,
}

struct FormView<'a> {
    kind: Kind,
    key: Option<&'a str>,
    period: Option<&'a str>,
    values: Map<String, Value>,
    errors: &'a [FieldError],
    seen: Option<String>,
    conflict: Option<String>,
}

fn options(ds: &Dataset, to: RefTo) -> Vec<Value> {
    match to {
        RefTo::Organisation => ds
            .organisations
            .iter()
            .map(|o| json!({"code": o.code, "label": o.short_name}))
            .collect(),
        RefTo::Priority => ds
            .framework
            .priorities
            .iter()
            .map(|p| json!({"code": p.code, "label": format!("{} — {}", p.code, p.title)}))
            .collect(),
        RefTo::Outcome => ds
            .framework
            .outcomes
            .iter()
            .map(|o| {
                let s: String = o.statement.chars().take(80).collect();
                json!({"code": o.code, "label": format!("{} — {s}", o.code)})
            })
            .collect(),
        RefTo::Place => ds
            .place_codes()
            .map(|c| json!({"code": c, "label": format!("{} ({c})", ds.place_name(c))}))
            .collect(),
    }
}

async fn render_form(
    state: &AppState,
    session: &Session,
    ds: &Dataset,
    v: FormView<'_>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let fields: Vec<Value> = spec(v.kind)
        .iter()
        .map(|fld| {
            let (widget, opts, multiple, optional) = match fld.widget {
                Widget::Text { .. } | Widget::Code | Widget::Number { .. } => ("text", vec![], false, false),
                Widget::Area { .. } | Widget::Lines { .. } | Widget::Pairs { .. } => ("area", vec![], false, false),
                Widget::Flag => ("flag", vec![], false, false),
                Widget::Choice(o) => ("select", o.iter().map(|(c, l)| json!({"code": c, "label": l})).collect(), false, false),
                Widget::Ref { to, optional } => ("select", options(ds, to), false, optional),
                Widget::Refs(to) => ("select", options(ds, to), true, true),
            };
            let fixed = matches!(fld.widget, Widget::Code) && v.key.is_some();
            json!({"name": fld.name, "id": fld.name.replace('.', "-"), "label": fld.label, "help": fld.help, "widget": widget,
                   "options": opts, "multiple": multiple, "optional": optional, "fixed": fixed})
        })
        .collect();
    let errors: Map<String, Value> = v
        .errors
        .iter()
        .map(|e| (e.field.clone(), json!(e.message)))
        .collect();
    let general: Vec<&str> = v
        .errors
        .iter()
        .filter(|e| e.field.is_empty() || !spec(v.kind).iter().any(|f| f.name == e.field))
        .map(|e| e.message.as_str())
        .collect();
    let (title, action) = match v.key {
        Some(k) => (
            format!("Edit {} {k}", v.kind.label()),
            format!("/admin/{}/{k}", v.kind.as_str()),
        ),
        None => (
            format!("New {}", v.kind.label()),
            format!(
                "/admin/{}/new{}",
                v.kind.as_str(),
                v.period.map(|p| format!("?period={p}")).unwrap_or_default()
            ),
        ),
    };
    let zone = state.time_zone().await?;
    let audit = match v.key {
        Some(k) => state
            .app
            .item_audit(v.kind.as_str(), k)
            .await?
            .iter()
            .map(|a| crate::views::audit_view(a, zone.as_deref()))
            .collect(),
        None => Vec::new(),
    };
    let html = Page::new(state, session, &title)
        .with("kind", v.kind.as_str())
        .with("kind_label", v.kind.label())
        .with("key", v.key)
        .with("period", v.period)
        .with("action", action)
        .with("fields", fields)
        .with("values", v.values)
        .with("errors", errors)
        .with("general_errors", general)
        .with("seen", v.seen)
        .with("conflict", v.conflict)
        .with("audit", audit)
        .render("admin_form.html")?;
    Ok((status, html).into_response())
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    require_coordinator(&session)?;
    let kind = parse_kind(&kind)?;
    let ds = state.dataset().await?;
    let period = kind.in_period().then(|| q.period.clone()).flatten();
    if kind.in_period() && period.is_none() {
        return Err(WebError::BadRequest(format!(
            "a {} belongs to a period: open this form from a period's list",
            kind.label()
        )));
    }
    let values = form_values(kind, &json!({}));
    render_form(
        &state,
        &session,
        &ds,
        FormView {
            kind,
            key: None,
            period: period.as_deref(),
            values,
            errors: &[],
            seen: None,
            conflict: None,
        },
        StatusCode::OK,
    )
    .await
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    session: Session,
    Path((kind, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    require_coordinator(&session)?;
    let kind = parse_kind(&kind)?;
    let (item, fp) = state.app.item(kind, &key).await?;
    let ds = state.dataset().await?;
    let period = key.split_once('/').map(|(p, _)| p.to_owned());
    render_form(
        &state,
        &session,
        &ds,
        FormView {
            kind,
            key: Some(&key),
            period: period.as_deref().filter(|_| kind.in_period()),
            values: form_values(kind, &mignet_app::item_json(&item)),
            errors: &[],
            seen: Some(fp),
            conflict: None,
        },
        StatusCode::OK,
    )
    .await
}

pub(super) async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(kind): Path<String>,
    Query(q): Query<PeriodQuery>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?.clone();
    let kind = parse_kind(&kind)?;
    let period = q.period.as_deref();
    submit(
        &state,
        &session,
        kind,
        None,
        period,
        &form,
        Edit::Create,
        &actor,
    )
    .await
}

pub(super) async fn save(
    State(state): State<AppState>,
    session: Session,
    Path((kind, key)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = session.require()?.clone();
    let kind = parse_kind(&kind)?;
    let period = key.split_once('/').map(|(p, _)| p.to_owned());
    let period = period.as_deref().filter(|_| kind.in_period());
    if form.get("intent") == Some("delete") {
        let change = Edit::Delete {
            kind,
            key: key.clone(),
        };
        return match state.app.edit(&actor, &change, form.get("seen")).await {
            Ok(_) => Ok(Redirect::to("/admin").into_response()),
            Err(AppError::Invalid(errors)) => {
                let (item, fp) = state.app.item(kind, &key).await?;
                let ds = state.dataset().await?;
                let values = form_values(kind, &mignet_app::item_json(&item));
                render_form(
                    &state,
                    &session,
                    &ds,
                    FormView {
                        kind,
                        key: Some(&key),
                        period,
                        values,
                        errors: &errors,
                        seen: Some(fp),
                        conflict: None,
                    },
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => Err(e.into()),
        };
    }
    let k = key.clone();
    submit(
        &state,
        &session,
        kind,
        Some(&key),
        period,
        &form,
        move |item| Edit::Update { key: k, item },
        &actor,
    )
    .await
}

/// Reads the form, applies the edit, and either goes to the item or shows the form again with every
/// message beside its field and every value as typed.
#[allow(clippy::too_many_arguments)]
async fn submit(
    state: &AppState,
    session: &Session,
    kind: Kind,
    key: Option<&str>,
    period: Option<&str>,
    form: &FormData,
    make: impl FnOnce(Item) -> Edit,
    actor: &mignet_core::access::Actor,
) -> Result<Response, WebError> {
    let (json, mut errors) = read_form(kind, form);
    let mut conflict = None;
    if errors.is_empty() {
        match item_from_json(kind, period, json.clone()) {
            Err(message) => errors.push(FieldError {
                field: String::new(),
                message,
            }),
            Ok(item) => match state.app.edit(actor, &make(item), form.get("seen")).await {
                Ok((saved, _)) => {
                    return Ok(
                        Redirect::to(&format!("/admin/{}/{saved}", kind.as_str())).into_response()
                    );
                }
                Err(AppError::Invalid(e)) => errors = e,
                Err(AppError::Changed(m)) => conflict = Some(m),
                Err(e) => return Err(e.into()),
            },
        }
    }
    let ds = state.dataset().await?;
    // The values as typed, over the item's JSON shape.
    let mut values = form_values(kind, &json);
    for fld in spec(kind) {
        if let Some(raw) = form.get(fld.name)
            && !matches!(fld.widget, Widget::Refs(_) | Widget::Flag)
        {
            values.insert(fld.name.to_owned(), json!(raw));
        }
    }
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let seen = form.get("seen").map(str::to_owned);
    render_form(
        state,
        session,
        &ds,
        FormView {
            kind,
            key,
            period,
            values,
            errors: &errors,
            seen,
            conflict,
        },
        status,
    )
    .await
}
