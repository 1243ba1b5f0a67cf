//! Page rendering and the view models templates read: domain values turned into what a page prints.

use crate::auth::Session;
use crate::{AppState, WebError};
use axum::response::Html;
use mignet_core::access::Actor;
use mignet_core::model::*;
use mignet_core::numbers;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// A page being put together: its title, who is looking, and the template's values.
pub struct Page<'a> {
    state: &'a AppState,
    values: Map<String, Value>,
}

impl<'a> Page<'a> {
    pub fn new(state: &'a AppState, session: &Session, title: &str) -> Self {
        let mut values = Map::new();
        values.insert("title".into(), json!(title));
        values.insert(
            "user".into(),
            serde_json::to_value(&session.actor).unwrap_or(Value::Null),
        );
        values.insert("csrf".into(), json!(session.csrf));
        values.insert(
            "coordinates".into(),
            json!(session.actor.as_ref().is_some_and(Actor::coordinates)),
        );
        Page { state, values }
    }
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.values.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(Value::Null),
        );
        self
    }
    pub fn render(self, template: &str) -> Result<Html<String>, WebError> {
        let t = self.state.templates.get_template(template)?;
        Ok(Html(t.render(minijinja::Value::from(
            minijinja::value::Serde(&self.values),
        ))?))
    }
}

#[derive(Debug, Serialize)]
pub struct OrgView {
    pub code: String,
    pub name: String,
    pub short_name: String,
}

pub fn org_view(ds: &Dataset, code: &str) -> OrgView {
    match ds.organisation(code) {
        Some(o) => OrgView {
            code: o.code.to_string(),
            name: o.name.clone(),
            short_name: o.short_name.clone(),
        },
        None => OrgView {
            code: code.to_owned(),
            name: code.to_owned(),
            short_name: code.to_owned(),
        },
    }
}

/// A figure as a page prints it.
#[derive(Debug, Serialize)]
pub struct FigureView {
    pub id: String,
    pub period: String,
    pub indicator: String,
    pub statement: String,
    pub unit: String,
    pub kind: String,
    pub value: String,
    pub number: Option<f64>,
    pub parts: Vec<(String, String)>,
    pub organisations: Vec<OrgView>,
    pub joint: bool,
    /// How a joint figure's value was obtained (`exact, from 24 records, overlap 3`); `None` for one
    /// organisation.
    pub joint_method: Option<String>,
    pub places: Vec<(String, String)>,
    /// Named sites (a hospital, a border crossing, a camp).
    pub sites: Vec<String>,
    /// Places counted but not named (`12 locations in 4 provinces`).
    pub counted: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// The evidence as a link to follow, only when it is one (`mignet_core::links`); otherwise the
    /// page prints `evidence` as text.
    pub evidence_link: Option<String>,
    pub footnotes: Vec<String>,
    pub status: String,
    pub status_by: Option<String>,
    pub status_at: Option<String>,
}

pub fn figure_view(ds: &Dataset, p: &PeriodData, f: &Figure) -> FigureView {
    let ind = ds.indicator(f.indicator.as_str());
    FigureView {
        id: f.id.to_string(),
        period: p.period.code.to_string(),
        indicator: f.indicator.to_string(),
        statement: ind.map(|i| i.statement.clone()).unwrap_or_default(),
        unit: ind
            .map(|i| numbers::unit_for(&i.unit, f))
            .unwrap_or_default(),
        kind: ind
            .map(|i| format!("{:?}", i.kind).to_lowercase())
            .unwrap_or_default(),
        value: numbers::format_figure(f),
        number: f.value.number(),
        parts: f
            .disaggregation
            .iter()
            .map(|(k, v)| {
                let label = ind
                    .and_then(|i| i.disaggregations.iter().find(|d| &d.key == k))
                    .map_or(k.clone(), |d| d.label.clone());
                (label, numbers::group(*v as f64, 0))
            })
            .chain(f.withheld_parts.iter().map(|(k, below)| {
                let label = ind
                    .and_then(|i| i.disaggregations.iter().find(|d| &d.key == k))
                    .map_or(k.clone(), |d| d.label.clone());
                (label, numbers::format_withheld(*below))
            }))
            .collect(),
        organisations: f
            .organisations
            .iter()
            .map(|o| org_view(ds, o.as_str()))
            .collect(),
        joint: f.is_joint(),
        joint_method: f.is_joint().then(|| f.joint.describe()),
        places: f
            .places
            .iter()
            .map(|pl| (pl.to_string(), ds.place_name(pl.as_str()).to_owned()))
            .collect(),
        sites: f.sites.clone(),
        counted: ds.counted_places(f),
        note: f.note.clone(),
        evidence: f.evidence.clone(),
        evidence_link: f
            .evidence
            .as_deref()
            .and_then(mignet_core::links::safe)
            .map(str::to_owned),
        footnotes: f
            .footnotes
            .iter()
            .filter_map(|n| p.footnote(n.as_str()))
            .map(|n| plain_text(&n.text, p))
            .collect(),
        status: f.status.as_str().to_owned(),
        status_by: f.status_by.clone(),
        status_at: f.status_at.clone(),
    }
}

/// Narrative markup as plain text, references resolved (`mignet_core::markup::plain_text`).
pub fn plain_text(text: &str, p: &PeriodData) -> String {
    mignet_core::markup::plain_text(text, p)
}

/// Whether the person may see a figure: the public sees approved figures only.
pub fn visible(session: &Session, f: &Figure) -> bool {
    mignet_core::access::may_see(session.actor.as_ref(), f)
}

/// The period a page shows by default: the latest closed period with approved figures; while none
/// is closed, the latest with approved figures; else the latest. A period still being reported
/// (open) is shown only when asked for, so that one approved figure of next year does not turn the
/// front page to a nearly empty period.
pub fn default_period(ds: &Dataset) -> Option<&PeriodData> {
    let public = |p: &&PeriodData| p.figures.iter().any(mignet_core::access::is_public);
    ds.periods
        .iter()
        .rev()
        .filter(public)
        .find(|p| p.period.status == mignet_core::model::PeriodStatus::Closed)
        .or_else(|| ds.periods.iter().rev().find(public))
        .or_else(|| ds.periods.last())
}

/// A horizontal bar chart as SVG, drawn on the server: one bar per (label, value), labels left.
pub fn bar_chart(title: &str, bars: &[(String, f64, String)]) -> String {
    let (w, bar_h, gap, label_w) = (640.0, 22.0, 8.0, 230.0);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let h = bars.len() as f64 * (bar_h + gap) + gap;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"chart-title\" class=\"chart\"><title id=\"chart-title\">{}</title>",
        crate::html_escape(title)
    );
    for (i, (label, value, shown)) in bars.iter().enumerate() {
        let y = gap + i as f64 * (bar_h + gap);
        let bw = (w - label_w - 90.0) * value / max;
        s.push_str(&format!(
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" class=\"label\">{}</text><rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bar_h}\" class=\"bar\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>",
            label_w - 8.0,
            y + bar_h * 0.72,
            crate::html_escape(label),
            label_w + bw + 6.0,
            y + bar_h * 0.72,
            crate::html_escape(shown)
        ));
    }
    s.push_str("</svg>");
    s
}

/// One entry of an audit trail as a reader takes it: when, in words and as a machine-readable time,
/// and a sentence saying who did what (`iom@x.org submitted the figure.`, `… changed the value from
/// 500 to 640 and the note from none to “checked”.`), never a dump of fields.
pub fn audit_view(a: &mignet_app::AuditEntry, zone: Option<&str>) -> Value {
    json!({"at": a.at, "when": when(&a.at, zone), "sentence": audit_sentence(a)})
}

/// One entry of a figure's thread as a reader takes it: who said or did what, when.
pub fn thread_view(t: &mignet_app::ThreadEntry, zone: Option<&str>) -> Value {
    let did = match t.kind.as_str() {
        "comment" => "wrote",
        "submit" => "submitted it",
        "return" => "returned it",
        "approve" => "approved it",
        "confirm" => "confirmed it",
        "reopen" => "reopened it",
        "endorse" => "approved it for its organisation",
        other => other,
    };
    json!({
        "at": t.at, "when": when(&t.at, zone), "actor": t.actor, "did": did,
        "kind": t.kind, "text": t.text,
    })
}

/// `2023-02-15` -> `15 February 2023`; anything else stays as it is.
pub fn day(date: &str) -> String {
    day_in_words(date).unwrap_or_else(|| date.to_owned())
}

fn day_in_words(date: &str) -> Option<String> {
    let mut d = date.split('-');
    let (y, m, day) = (d.next()?, d.next()?.parse().ok()?, d.next()?);
    let day: u32 = day.parse().ok()?;
    Some(format!(
        "{day} {} {y}",
        mignet_core::numbers::month_name(m)?
    ))
}

/// `2026-12-02T14:05:09Z` -> `2 December 2026, 21:05 (+07)` in the network's time zone `zone`
/// (`mignet_core::time`), `… 14:05 UTC` without one; anything else stays as it is.
pub fn when(at: &str, zone: Option<&str>) -> String {
    mignet_core::time::local(at, zone)
        .and_then(|(date, time, abbreviation)| {
            let day = day_in_words(&date)?;
            Some(if abbreviation == "UTC" {
                format!("{day}, {time} UTC")
            } else {
                format!("{day}, {time} ({abbreviation})")
            })
        })
        .unwrap_or_else(|| at.to_owned())
}

fn audit_sentence(a: &mignet_app::AuditEntry) -> String {
    let what = match a.entity.as_str() {
        "figure" => "the figure".to_owned(),
        "account" | "user" => format!("the account {}", a.entity_key),
        other => format!("the {} {}", other.replace('_', " "), a.entity_key),
    };
    let who = &a.actor;
    match (&a.before, &a.after) {
        (None, _) => format!("{who} created {what}."),
        (Some(_), None) => format!("{who} deleted {what}."),
        (Some(before), Some(after)) if a.action == "status" => {
            let status = after.get("status").and_then(Value::as_str).unwrap_or("");
            let verb = if after.get("step").and_then(Value::as_str) == Some("endorse") {
                "approved for its organisation"
            } else if before.get("status") == after.get("status") {
                "confirmed their part in"
            } else {
                match status {
                    "submitted" => "submitted",
                    "approved" => "approved",
                    "returned" => "returned",
                    "draft" => "reopened as a draft",
                    _ => "changed the status of",
                }
            };
            match after.get("comment").and_then(Value::as_str) {
                Some(c) => format!("{who} {verb} {what}, saying “{c}”."),
                None => format!("{who} {verb} {what}."),
            }
        }
        (Some(before), Some(after)) => {
            let mut changes = Vec::new();
            if let (Some(b), Some(af)) = (before.as_object(), after.as_object()) {
                for (k, v) in af {
                    if k == "status_by" || k == "status_at" {
                        continue;
                    }
                    let old = b.get(k).unwrap_or(&Value::Null);
                    if old != v {
                        // A yes-or-no field reads as its name (`disabled from no to yes`).
                        let the = if v.is_boolean() { "" } else { "the " };
                        changes.push(format!(
                            "{the}{} from {} to {}",
                            k.replace('_', " "),
                            in_words(old),
                            in_words(v)
                        ));
                    }
                }
            }
            match changes.len() {
                0 => format!("{who} saved {what} unchanged."),
                1 => format!("{who} changed {what}: {}.", changes[0]),
                _ => {
                    let last = changes.pop().expect("two or more");
                    format!("{who} changed {what}: {} and {last}.", changes.join(", "))
                }
            }
        }
    }
}

/// A stored value as a sentence quotes it: `none`, a number, a list, text in quotes.
fn in_words(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if s.is_empty() => "none".into(),
        Value::String(s) => format!("“{s}”"),
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| n.to_string(), |f| numbers::group_auto(f, 6)),
        Value::Array(items) if items.is_empty() => "none".into(),
        Value::Array(items) => items.iter().map(in_words).collect::<Vec<_>>().join(", "),
        Value::Object(o) if o.contains_key("kind") => o
            .get("value")
            .or_else(|| o.get("achieved"))
            .map(in_words)
            .unwrap_or_else(|| "none".into()),
        Value::Object(o) if o.is_empty() => "none".into(),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), in_words(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}
