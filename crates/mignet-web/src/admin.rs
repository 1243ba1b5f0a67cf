//! The coordinator's pages for the results framework and the narrative, and the administrator's page
//! for accounts.
//!
//! Every kind of item is edited through one form template driven by a list of fields ([`spec`]): the
//! item is turned into JSON by serde, its fields into form values, and back. The rules are the core's
//! (`mignet_core::edit`), reached through the same use case as the API (`App::edit`).

use crate::auth::{FormData, Session, check_csrf};
use crate::entry::describe_change;
use crate::views::Page;
use crate::{AppState, WebError};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mignet_app::{AppError, FieldError, NewAccount};
use mignet_core::access::Role;
use mignet_core::edit::{self, Edit, Item, Kind};
use mignet_core::model::*;
use serde::Deserialize;
use serde_json::{Map, Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/accounts", get(accounts).post(create_account))
        .route("/admin/accounts/{id}", post(change_account))
        .route("/admin/{kind}/new", get(new_form).post(create))
        .route("/admin/{kind}/{*key}", get(edit_form).post(save))
}

/// How a field is typed and read back.
#[derive(Debug, Clone, Copy)]
enum Widget {
    /// One line of text; `optional` turns an empty answer into no value.
    Text {
        optional: bool,
    },
    Area {
        optional: bool,
    },
    /// A code the item is known by; fixed once created.
    Code,
    Choice(&'static [(&'static str, &'static str)]),
    Flag,
    /// A number; `optional` turns an empty answer into no value.
    Number {
        optional: bool,
        whole: bool,
    },
    /// A reference to one item of a list (`optional`: or none), or to several.
    Ref {
        to: RefTo,
        optional: bool,
    },
    Refs(RefTo),
    /// One value per line.
    Lines {
        numbers: bool,
    },
    /// `key: label` or `period: value` per line.
    Pairs {
        first: &'static str,
        second: &'static str,
        number: bool,
    },
}

#[derive(Debug, Clone, Copy)]
enum RefTo {
    Organisation,
    Priority,
    Outcome,
    Province,
}

struct Field {
    name: &'static str,
    label: &'static str,
    widget: Widget,
    help: &'static str,
}

const fn f(name: &'static str, label: &'static str, widget: Widget, help: &'static str) -> Field {
    Field {
        name,
        label,
        widget,
        help,
    }
}

const TEXT: Widget = Widget::Text { optional: false };
const TEXT_OPT: Widget = Widget::Text { optional: true };
const AREA: Widget = Widget::Area { optional: false };
const AREA_OPT: Widget = Widget::Area { optional: true };
const ORG_KINDS: &[(&str, &str)] = &[
    ("un_agency", "UN agency"),
    ("government", "Government"),
    ("ngo", "NGO"),
    ("coalition", "Coalition"),
    ("other", "Other"),
];
const INDICATOR_KINDS: &[(&str, &str)] = &[
    ("count", "Count"),
    ("percentage", "Percentage"),
    ("milestone", "Milestone (done or not)"),
];
const WORDINGS: &[(&str, &str)] = &[("verbatim", "Verbatim"), ("paraphrase", "Paraphrase")];
const GROUP_STATUSES: &[(&str, &str)] = &[
    ("active", "Active"),
    ("renamed", "Renamed"),
    ("closed", "Closed"),
];
const SECTION_KINDS: &[(&str, &str)] = &[
    ("context", "Context"),
    ("lead", "Lead into a priority's outcomes"),
    ("ways_forward", "Ways forward"),
    ("closing", "Closing"),
];
const MARKUP_HELP: &str = "Markup: **bold**, [label](https://…), {ID} quotes a stored number, {pledge:ID} a pledge, [^ID] a footnote.";

/// The fields of each kind, in the order the form shows them.
fn spec(kind: Kind) -> Vec<Field> {
    use Widget::*;
    match kind {
        Kind::Priority => vec![
            f("code", "Code", Code, "Such as P1; permanent once created."),
            f("title", "Title", TEXT, ""),
            f("summary", "Summary", AREA_OPT, ""),
        ],
        Kind::Outcome => vec![
            f(
                "code",
                "Code",
                Code,
                "Such as P1.O1; permanent once created.",
            ),
            f(
                "priority",
                "Priority",
                Ref {
                    to: RefTo::Priority,
                    optional: false,
                },
                "",
            ),
            f("statement", "Statement", AREA, ""),
        ],
        Kind::Indicator => vec![
            f(
                "code",
                "Code",
                Code,
                "Such as P1.O1.I01; permanent once created.",
            ),
            f(
                "outcome",
                "Outcome",
                Ref {
                    to: RefTo::Outcome,
                    optional: false,
                },
                "",
            ),
            f("statement", "Statement", AREA, ""),
            f(
                "unit",
                "Unit",
                TEXT,
                "What is counted: migrants, people, workers…",
            ),
            f("kind", "Kind", Choice(INDICATOR_KINDS), ""),
            f(
                "disaggregations",
                "Disaggregations",
                Pairs {
                    first: "key",
                    second: "label",
                    number: false,
                },
                "One per line, as key: label (children: children).",
            ),
            f(
                "places",
                "Provinces",
                Refs(RefTo::Province),
                "Where the indicator is delivered, if it is bound to places.",
            ),
            f(
                "gcm",
                "Global Compact objectives",
                Lines { numbers: true },
                "Numbers from 1 to 23, one per line.",
            ),
            f(
                "sdg",
                "SDG targets",
                Lines { numbers: false },
                "Such as 10.7, one per line.",
            ),
            f(
                "figure_source_required",
                "Every figure must carry an evidence link",
                Flag,
                "",
            ),
            f(
                "baseline.value",
                "Baseline value",
                Number {
                    optional: true,
                    whole: false,
                },
                "",
            ),
            f(
                "baseline.year",
                "Baseline year",
                Number {
                    optional: true,
                    whole: true,
                },
                "",
            ),
            f("baseline.note", "Baseline note", TEXT_OPT, ""),
            f(
                "targets",
                "Targets",
                Pairs {
                    first: "period",
                    second: "value",
                    number: true,
                },
                "One per line, as period: value (2023: 5000).",
            ),
        ],
        Kind::Organisation => vec![
            f("code", "Code", Code, "Such as IOM; permanent once created."),
            f("short_name", "Short name", TEXT, "As reports print it."),
            f("name", "Full name", TEXT, ""),
            f("kind", "Kind", Choice(ORG_KINDS), ""),
            f(
                "member",
                "Member of the network (members report figures)",
                Flag,
                "",
            ),
            f(
                "parent",
                "Part of",
                Ref {
                    to: RefTo::Organisation,
                    optional: true,
                },
                "",
            ),
        ],
        Kind::Pledge => vec![
            f("id", "Identifier", Code, "Permanent once created."),
            f("forum", "Forum", TEXT, "Where the pledge was made."),
            f(
                "made_by",
                "Made by",
                Ref {
                    to: RefTo::Organisation,
                    optional: true,
                },
                "",
            ),
            f("text", "Text", AREA, ""),
            f(
                "wording",
                "Wording",
                Choice(WORDINGS),
                "Verbatim only when quoted from the source.",
            ),
            f("priorities", "Priorities", Refs(RefTo::Priority), ""),
            f("source", "Source", TEXT_OPT, ""),
        ],
        Kind::WorkingGroup => vec![
            f("code", "Code", Code, "Permanent once created."),
            f("name", "Name", TEXT, ""),
            f("established", "Established", TEXT_OPT, "A year or a date."),
            f("status", "Status", Choice(GROUP_STATUSES), ""),
            f("renamed_to", "Renamed to", TEXT_OPT, ""),
            f("renamed_in", "Renamed in", TEXT_OPT, ""),
            f("co_chairs", "Co-chairs", Refs(RefTo::Organisation), ""),
            f("secretariat", "Secretariat", Refs(RefTo::Organisation), ""),
            f("members", "Members", Refs(RefTo::Organisation), ""),
            f("members_note", "Note on members", AREA_OPT, ""),
            f("description", "Description", AREA, ""),
        ],
        Kind::Section => vec![
            f("kind", "Kind", Choice(SECTION_KINDS), ""),
            f(
                "priority",
                "Priority",
                Ref {
                    to: RefTo::Priority,
                    optional: true,
                },
                "For a lead or ways forward under one priority.",
            ),
            f(
                "outcome",
                "Outcome",
                Ref {
                    to: RefTo::Outcome,
                    optional: true,
                },
                "",
            ),
            f("text", "Text", AREA, MARKUP_HELP),
        ],
        Kind::Footnote => vec![
            f(
                "id",
                "Identifier",
                Code,
                "Referred to as [^ID] in the text.",
            ),
            f(
                "marker",
                "Marker",
                TEXT_OPT,
                "A fixed marker such as *; without one, footnotes are numbered.",
            ),
            f("text", "Text", AREA, MARKUP_HELP),
        ],
    }
}

/// Builds an item of `kind` from its fields' JSON; serde's message comes back when it does not fit.
pub(crate) fn item_from_json(kind: Kind, period: Option<&str>, v: Value) -> Result<Item, String> {
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }
    let period = || {
        mignet_core::PeriodCode::parse(period.unwrap_or("")).map_err(|e| format!("the period {e}"))
    };
    Ok(match kind {
        Kind::Organisation => Item::Organisation(de(v)?),
        Kind::Priority => Item::Priority(de(v)?),
        Kind::Outcome => Item::Outcome(de(v)?),
        Kind::Indicator => Item::Indicator(de(v)?),
        Kind::Pledge => Item::Pledge(de(v)?),
        Kind::WorkingGroup => Item::WorkingGroup(de(v)?),
        Kind::Section => Item::Section {
            period: period()?,
            section: de(v)?,
        },
        Kind::Footnote => Item::Footnote {
            period: period()?,
            footnote: de(v)?,
        },
    })
}

fn pointer<'v>(v: &'v Value, dotted: &str) -> &'v Value {
    dotted
        .split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// What each field shows: a string, or a list of chosen codes, or a flag.
fn form_values(kind: Kind, v: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for fld in spec(kind) {
        let x = pointer(v, fld.name);
        let shown = match fld.widget {
            Widget::Flag => json!(x.as_bool().unwrap_or(false)),
            Widget::Refs(_) => x.clone(),
            Widget::Lines { .. } => json!(
                x.as_array()
                    .map(|a| a.iter().map(plain).collect::<Vec<_>>().join("\n"))
                    .unwrap_or_default()
            ),
            Widget::Pairs { first, second, .. } => json!(
                x.as_array()
                    .map(|a| a
                        .iter()
                        .map(|p| format!("{}: {}", plain(&p[first]), plain(&p[second])))
                        .collect::<Vec<_>>()
                        .join("\n"))
                    .unwrap_or_default()
            ),
            _ => json!(plain(x)),
        };
        out.insert(fld.name.to_owned(), shown);
    }
    out
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(s: &str, whole: bool) -> Result<Value, String> {
    let t = s.trim().replace([',', ' '], "");
    if whole {
        t.parse::<i64>()
            .map(|n| json!(n))
            .map_err(|_| format!("`{s}` is not a whole number"))
    } else {
        t.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| json!(n))
            .ok_or_else(|| format!("`{s}` is not a number"))
    }
}

/// Reads the form into the item's JSON, field by field; a field that cannot be read gets its message.
fn read_form(kind: Kind, form: &FormData) -> (Value, Vec<FieldError>) {
    let mut obj = Map::new();
    let mut errors = Vec::new();
    for fld in spec(kind) {
        let raw = form.get(fld.name).unwrap_or("").trim().to_owned();
        let value: Result<Value, String> = match fld.widget {
            Widget::Text { optional } | Widget::Area { optional } => {
                Ok(if optional && raw.is_empty() {
                    Value::Null
                } else {
                    json!(raw)
                })
            }
            Widget::Code => mignet_core::ItemId::parse(&raw)
                .map(|_| json!(raw))
                .map_err(|e| format!("the code {e}")),
            Widget::Choice(options) => options
                .iter()
                .find(|(k, _)| *k == raw)
                .map(|(k, _)| json!(k))
                .ok_or_else(|| "choose one of the options".to_owned()),
            Widget::Flag => Ok(json!(form.get(fld.name).is_some())),
            Widget::Number { optional, whole } => {
                if raw.is_empty() {
                    if optional {
                        Ok(Value::Null)
                    } else {
                        Err("is required".into())
                    }
                } else {
                    number(&raw, whole)
                }
            }
            Widget::Ref { optional, .. } => {
                if raw.is_empty() {
                    if optional {
                        Ok(Value::Null)
                    } else {
                        Err("choose one".into())
                    }
                } else {
                    Ok(json!(raw))
                }
            }
            Widget::Refs(_) => Ok(json!(form.all(fld.name))),
            Widget::Lines { numbers } => raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    if numbers {
                        number(l, true)
                    } else {
                        Ok(json!(l))
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Widget::Pairs {
                first,
                second,
                number: num,
            } => raw
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    let (a, b) = l
                        .split_once(':')
                        .ok_or_else(|| format!("`{l}` should read {first}: {second}"))?;
                    let b = if num {
                        number(b, false)?
                    } else {
                        json!(b.trim())
                    };
                    Ok(json!({ first: a.trim(), second: b }))
                })
                .collect::<Result<Vec<_>, String>>()
                .map(Value::Array),
        };
        match value {
            Ok(v) => set_dotted(&mut obj, fld.name, v),
            Err(message) => {
                errors.push(FieldError {
                    field: fld.name.to_owned(),
                    message,
                });
                set_dotted(&mut obj, fld.name, Value::Null);
            }
        }
    }
    // A nested value left wholly empty (an indicator with no baseline) is no value.
    for v in obj.values_mut() {
        if v.as_object()
            .is_some_and(|o| o.values().all(Value::is_null))
        {
            *v = Value::Null;
        }
    }
    (Value::Object(obj), errors)
}

fn set_dotted(obj: &mut Map<String, Value>, name: &str, v: Value) {
    match name.split_once('.') {
        None => {
            obj.insert(name.to_owned(), v);
        }
        Some((head, rest)) => {
            let inner = obj.entry(head.to_owned()).or_insert_with(|| json!({}));
            if let Some(m) = inner.as_object_mut() {
                set_dotted(m, rest, v);
            }
        }
    }
}

fn parse_kind(s: &str) -> Result<Kind, WebError> {
    Kind::parse(s).ok_or_else(|| WebError::NotFound(format!("there is no kind of item `{s}`")))
}

fn require_coordinator(session: &Session) -> Result<(), WebError> {
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

async fn index(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
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
            json!({"kind": k.as_str(), "label": k.label(), "in_period": k.in_period(), "items": items})
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
struct PeriodQuery {
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
        RefTo::Province => mignet_core::provinces::PROVINCES
            .iter()
            .map(|(c, n, _)| json!({"code": c, "label": format!("{n} ({c})")}))
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
    let audit = match v.key {
        Some(k) => state
            .app
            .store()
            .audit(Some((v.kind.as_str(), k)))
            .await
            .map_err(AppError::from)?
            .iter()
            .map(|a| json!({"at": a.at, "actor": a.actor, "action": a.action, "changes": describe_change(a)}))
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

async fn new_form(
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

async fn edit_form(
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

async fn create(
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

async fn save(
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

// ------------------------------------------------------------------------------------ accounts

fn require_admin(session: &Session) -> Result<&mignet_core::access::Actor, WebError> {
    let actor = session.require()?;
    if actor.may_manage_accounts() {
        Ok(actor)
    } else {
        Err(WebError::Forbidden(
            "only an administrator manages accounts".into(),
        ))
    }
}

async fn render_accounts(
    state: &AppState,
    session: &Session,
    errors: &[FieldError],
    typed: Value,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = require_admin(session)?;
    let list = state.app.list_accounts(actor).await?;
    let ds = state.dataset().await?;
    let orgs: Vec<Value> = ds
        .organisations
        .iter()
        .filter(|o| o.member)
        .map(|o| json!({"code": o.code, "label": o.short_name}))
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| json!({"code": r.as_str(), "label": r.as_str().replace('_', " ")}))
        .collect();
    let errors: Map<String, Value> = errors
        .iter()
        .map(|e| (e.field.clone(), json!(e.message)))
        .collect();
    let trail: Vec<Value> = state
        .app
        .store()
        .audit(None)
        .await
        .map_err(AppError::from)?
        .iter()
        .filter(|a| a.entity == "account")
        .rev()
        .take(50)
        .map(|a| json!({"at": a.at, "actor": a.actor, "key": a.entity_key, "action": a.action, "changes": describe_change(a)}))
        .collect();
    let html = Page::new(state, session, "Accounts")
        .with("accounts", list)
        .with("organisations", orgs)
        .with("roles", roles)
        .with("errors", errors)
        .with("typed", typed)
        .with("trail", trail)
        .render("accounts.html")?;
    Ok((status, html).into_response())
}

async fn accounts(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    render_accounts(&state, &session, &[], json!({}), StatusCode::OK).await
}

fn role_of(form: &FormData) -> Result<Role, AppError> {
    Role::parse(form.get("role").unwrap_or(""))
        .ok_or_else(|| AppError::invalid("role", "choose a role"))
}

fn org_of(form: &FormData) -> Option<String> {
    form.get("organisation")
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
}

async fn create_account(
    State(state): State<AppState>,
    session: Session,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = require_admin(&session)?.clone();
    let result = match role_of(&form) {
        Ok(role) => {
            let new = NewAccount {
                email: form.get("email").unwrap_or("").trim().to_owned(),
                name: form.get("name").unwrap_or("").trim().to_owned(),
                password: form.get("password").unwrap_or("").to_owned(),
                role,
                organisation: org_of(&form),
            };
            state.app.create_account_as(&actor, &new).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(AppError::Invalid(errors)) => {
            let typed = json!({"email": form.get("email"), "name": form.get("name"), "role": form.get("role"), "organisation": form.get("organisation")});
            render_accounts(
                &state,
                &session,
                &errors,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Store(mignet_store::StoreError::Refused(m))) => {
            let typed = json!({"email": form.get("email"), "name": form.get("name"), "role": form.get("role"), "organisation": form.get("organisation")});
            let errors = [FieldError {
                field: "email".into(),
                message: m,
            }];
            render_accounts(
                &state,
                &session,
                &errors,
                typed,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn change_account(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, WebError> {
    check_csrf(&session, &form)?;
    let actor = require_admin(&session)?.clone();
    let result = match role_of(&form) {
        Ok(role) => {
            let org = org_of(&form).filter(|_| role == Role::FocalPoint);
            state
                .app
                .change_account(
                    &actor,
                    id,
                    role,
                    org.as_deref(),
                    form.get("disabled").is_some(),
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/accounts").into_response()),
        Err(AppError::Invalid(errors)) => {
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("account-{id}"),
                    message: e.message,
                })
                .collect();
            render_accounts(
                &state,
                &session,
                &errors,
                json!({}),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
