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
        let lang = if session.lang.is_empty() {
            crate::i18n::ENGLISH
        } else {
            &session.lang
        };
        values.insert("lang".into(), json!(lang));
        let here: String = form_urlencoded::byte_serialize(session.path.as_bytes()).collect();
        values.insert("languages".into(), crate::i18n::switch(lang));
        values.insert("here".into(), json!(here));
        Page { state, values }
    }
    /// Gives the page the dataset's translations into its language, for the `own` filter
    /// ([`crate::i18n::own_filter`]).
    pub fn translating(mut self, ds: &Dataset) -> Self {
        let lang = self
            .values
            .get("lang")
            .and_then(Value::as_str)
            .unwrap_or("");
        if lang != crate::i18n::ENGLISH {
            let texts: Map<String, Value> = ds
                .translations
                .iter()
                .filter(|t| t.lang == lang)
                .map(|t| (t.source.to_owned(), json!(t.text)))
                .collect();
            self.values
                .insert("translations".into(), Value::Object(texts));
        }
        self
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

pub fn figure_view(lang: &str, ds: &Dataset, p: &PeriodData, f: &Figure) -> FigureView {
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
        value: mignet_report::words::figure_value(lang, f),
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

/// One bar of [`bar_chart`]: what it counts, the value as printed with its unit, and the page it
/// links to.
pub struct ChartBar {
    pub label: String,
    pub value: f64,
    /// The value in words, with its unit (`74,499 migrants`).
    pub shown: String,
    pub href: String,
}

/// The chart's width in its own units. Drawn at the width of its column, which on a 360-pixel phone
/// is 328 CSS pixels (the page's margins taken off), a unit is never less than a pixel there, so
/// text of 13 units stays above 12 pixels; wider screens draw it larger, up to the column's
/// `max-width` in mignet.css.
const CHART_WIDTH: f64 = 320.0;
const CHART_TEXT: f64 = 13.0;
/// Characters of a label line: about what 320 units hold at 13 units a character's average width.
const CHART_LINE: usize = 44;

/// A horizontal bar chart as SVG, drawn on the server for phones first: each bar's label is written
/// in full above it (wrapped, never cut), its value with its unit after it, and bar and words link
/// to the figure. The chart is a group named by `title` whose links a screen reader reads as
/// "label: value", not an image: no information is only in the drawing.
pub fn bar_chart(title: &str, bars: &[ChartBar]) -> String {
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let widest = bars
        .iter()
        .map(|b| b.shown.chars().count())
        .max()
        .unwrap_or(0) as f64;
    // Room for the widest value after its bar (about 0.58 of the text's size a character).
    let room = CHART_WIDTH - (widest * CHART_TEXT * 0.58 + 8.0);
    let (line_h, bar_h, gap) = (17.0, 14.0, 14.0);
    let mut body = String::new();
    let mut y = 0.0;
    for b in bars {
        body.push_str(&format!("<a href=\"{}\">", crate::html_escape(&b.href)));
        y = chart_label(&mut body, &b.label, y, line_h);
        let bw = (room * b.value / max).max(1.0);
        body.push_str(&format!(
            "<rect x=\"0\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bar_h}\" class=\"bar\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text></a>",
            bw + 5.0,
            y + bar_h - 2.0,
            crate::html_escape(&b.shown)
        ));
        y += bar_h + gap;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_WIDTH} {:.0}\" role=\"group\" aria-labelledby=\"chart-title\" class=\"chart\"><title id=\"chart-title\">{}</title>{body}</svg>",
        y.max(1.0),
        crate::html_escape(title)
    )
}

/// Writes `label` at `y`, wrapped in lines `line_h` apart, and returns where the bar under it goes.
fn chart_label(out: &mut String, label: &str, y: f64, line_h: f64) -> f64 {
    let lines = wrap(label, CHART_LINE);
    out.push_str(&format!(
        "<text x=\"0\" y=\"{:.1}\" class=\"label\">",
        y + CHART_TEXT
    ));
    for (i, line) in lines.iter().enumerate() {
        out.push_str(&format!(
            "<tspan x=\"0\" dy=\"{}\">{}</tspan>",
            if i == 0 { 0.0 } else { line_h },
            crate::html_escape(line)
        ));
    }
    out.push_str("</text>");
    y + lines.len() as f64 * line_h + 3.0
}

/// `text` in lines of at most `width` characters, broken between words (a longer word has a line
/// of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
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
    day_in_words_in(crate::i18n::ENGLISH, date)
}

/// `2023-02-15` -> `15 February 2023` in English, `15 กุมภาพันธ์ 2023` in Thai.
fn day_in_words_in(lang: &str, date: &str) -> Option<String> {
    let words = mignet_report::words::date_in_words(lang, date);
    (words != date && date.len() == 10).then_some(words)
}

/// `2026-12-02T14:05:09Z` -> `2 December 2026, 21:05 (+07)` in the network's time zone `zone`
/// (`mignet_core::time`), `… 14:05 UTC` without one; anything else stays as it is.
pub fn when(at: &str, zone: Option<&str>) -> String {
    when_in(crate::i18n::ENGLISH, at, zone)
}

/// [`when`] in the reader's language.
pub fn when_in(lang: &str, at: &str, zone: Option<&str>) -> String {
    mignet_core::time::local(at, zone)
        .and_then(|(date, time, abbreviation)| {
            let day = day_in_words_in(lang, &date)?;
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

/// An indicator's series against its targets, baseline to latest period, for its page: per period
/// a line of words (the period and its progress, in the reader's language) over a bar of the
/// approved actual, with a tick at the period's annual target. Each period's row links to that
/// period's figures on the page. Drawn like [`bar_chart`], phones first. `None` when there is no
/// baseline or target, or no number to draw (a milestone, nothing reported).
pub fn progress_chart(lang: &str, ds: &Dataset, ind: &Indicator) -> Option<String> {
    use crate::i18n::text_with;
    use mignet_core::progress::{self, Actual};
    use mignet_report::words::{actual_words, progress_words};
    if ind.baseline.is_none() && ind.targets.is_empty() || ind.kind == IndicatorKind::Milestone {
        return None;
    }
    struct Row {
        words: String,
        value: Option<f64>,
        target: Option<f64>,
        href: Option<String>,
    }
    let mut rows = Vec::new();
    if let Some(b) = &ind.baseline {
        rows.push(Row {
            words: format!(
                "{}: {}",
                text_with(lang, "baseline-year", &[("year", i64::from(b.year).into())]),
                actual_words(lang, ind.kind, &Actual::Number { value: b.value })
            ),
            value: Some(b.value),
            target: None,
            href: None,
        });
    }
    for point in progress::series(ds, ind) {
        let annual = point.targets.iter().find(|t| !t.cumulative);
        let words = match annual {
            Some(t) => progress_words(lang, ind.kind, t),
            None => actual_words(lang, ind.kind, &point.actual),
        };
        rows.push(Row {
            words: format!("{}: {words}", point.period),
            value: match point.actual {
                Actual::Number { value } => Some(value),
                _ => None,
            },
            target: annual.map(|t| t.target),
            // A period with a number has approved figures, listed further down the page.
            href: matches!(point.actual, Actual::Number { .. })
                .then(|| format!("#figures-{}", point.period)),
        });
    }
    if rows.iter().all(|r| r.value.is_none()) {
        return None;
    }
    let max = rows
        .iter()
        .flat_map(|r| [r.value, r.target])
        .flatten()
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let room = CHART_WIDTH - 8.0;
    let (line_h, bar_h, gap) = (17.0, 12.0, 12.0);
    let mut body = String::new();
    let mut y = 0.0;
    for r in &rows {
        let mut row = String::new();
        y = chart_label(&mut row, &r.words, y, line_h);
        row.push_str(&format!(
            "<rect x=\"0\" y=\"{y:.1}\" width=\"{room:.1}\" height=\"{bar_h}\" class=\"track\"/>"
        ));
        if let Some(v) = r.value {
            row.push_str(&format!(
                "<rect x=\"0\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar_h}\" class=\"bar\"/>",
                (room * v / max).max(1.0)
            ));
        }
        if let Some(t) = r.target {
            let x = room * t / max;
            row.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" class=\"target\"/>",
                y - 3.0,
                y + bar_h + 3.0
            ));
        }
        match &r.href {
            Some(href) => body.push_str(&format!("<a href=\"{href}\">{row}</a>")),
            None => body.push_str(&row),
        }
        y += bar_h + gap;
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_WIDTH} {:.0}\" role=\"group\" aria-labelledby=\"progress-title\" class=\"chart\"><title id=\"progress-title\">{}</title>{body}</svg>",
        y,
        crate::html_escape(&text_with(
            lang,
            "progress-chart-title",
            &[("indicator", ind.statement.as_str().into())]
        ))
    ))
}
