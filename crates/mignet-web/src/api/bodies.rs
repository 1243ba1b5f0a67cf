//! What travels through the API, in and out, with its schema: the error envelope, the network, the
//! framework, periods, figures, review steps, findings and audit entries.

use mignet_app::FigureInput;
use mignet_core::model::*;
use mignet_core::vocab::Vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

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

pub(super) fn enum_name<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
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
    /// Counts that could identify people: below `threshold`, the public sees "fewer than N".
    pub sensitive: bool,
    /// The threshold that applies to a sensitive indicator (its own, or the network's).
    pub threshold: Option<u64>,
    pub baseline: Option<BaselineDto>,
    /// Annual targets (a period's own) and cumulative ones (everything from the baseline year up to
    /// the target's period).
    pub targets: Vec<TargetDto>,
}
#[derive(Serialize, ToSchema)]
pub struct BaselineDto {
    #[schema(example = 0)]
    pub value: f64,
    #[schema(example = 2022)]
    pub year: i32,
    pub note: Option<String>,
}
#[derive(Serialize, ToSchema)]
pub struct TargetDto {
    #[schema(example = "2023")]
    pub period: String,
    #[schema(example = 60000)]
    pub value: f64,
    pub cumulative: bool,
}
/// One target of a period with its progress, computed from the approved figures as every output
/// computes it.
#[derive(Serialize, ToSchema)]
pub struct ProgressDto {
    #[schema(example = "P1.O1.I01")]
    pub indicator: String,
    /// The target's own period: the period asked for, or a later one for a cumulative target.
    #[schema(example = "2023")]
    pub target_period: String,
    pub cumulative: bool,
    #[schema(example = 60000)]
    pub target: f64,
    /// `number`, `milestone`, `not_reported`, `withheld` or `not_combined` (several percentages).
    #[schema(example = "number")]
    pub actual_kind: String,
    /// The actual compared with the target (1 or 0 for a milestone); null when there is none.
    #[schema(example = 52000)]
    pub actual: Option<f64>,
    pub reported: bool,
    /// Per cent of the target, rounded to one decimal; null without an actual to compare.
    #[schema(example = 86.7)]
    pub percent: Option<f64>,
    /// As the brief prints it.
    #[schema(example = "52,000 of 60,000 (86.7 per cent)")]
    pub text: String,
}
#[derive(Serialize, ToSchema)]
pub struct FrameworkDto {
    pub version: String,
    pub priorities: Vec<PriorityDto>,
    pub outcomes: Vec<OutcomeDto>,
    pub indicators: Vec<IndicatorDto>,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodDto {
    pub code: String,
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    pub framework: String,
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
    /// For a sensitive small count withheld from the public: `fewer than 10` (then `value` is absent).
    pub withheld: Option<String>,
    pub parts: BTreeMap<String, u64>,
    /// Parts withheld from the public, with what is said of them (`fewer than 10`, or `withheld`
    /// where a part is withheld so that a small one cannot be computed from the total).
    pub withheld_parts: BTreeMap<String, String>,
    /// The value as the brief prints it, as the source stated it (`over 65,000`, `100–130`,
    /// `USD 19.1 million`, `delayed (2023-06)`).
    pub stated: String,
    /// The value is not exact: `over`, `more_than`, `at_least`, `nearly`, `almost`, `about`,
    /// `approximately`, `around`, `some`, `up_to` or `under`.
    pub qualifier: Option<String>,
    /// The top of a range whose bottom is `value`.
    pub high: Option<f64>,
    /// The ISO 4217 currency of an amount of money.
    pub currency: Option<String>,
    /// A percentage's numerator and denominator, where known.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// A milestone's status: `planned`, `ongoing`, `achieved`, `not_achieved` or `delayed`.
    pub milestone: Option<String>,
    /// A milestone's date.
    pub date: Option<String>,
    /// Counted since the start of the work rather than in the period.
    pub cumulative: bool,
    /// ISO 3166-2 codes of the network's countries or P-codes of its gazetteer.
    pub places: Vec<String>,
    /// Named sites: a hospital, a border crossing, a camp.
    pub sites: Vec<String>,
    /// Places counted but not named ...
    pub locations: Option<u64>,
    /// ... and the first-level areas they lie in.
    pub in_areas: Option<u64>,
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

pub(super) fn figure_dto(period: &str, f: &Figure, version: i64) -> FigureDto {
    let (kind, value, achieved) = match f.value {
        FigureValue::Count { value } => ("count", Some(value as f64), None),
        FigureValue::Percentage { value } => ("percentage", Some(value), None),
        FigureValue::Milestone { achieved } => ("milestone", None, Some(achieved)),
        FigureValue::Withheld { .. } => ("count", None, None),
    };
    let withheld = match f.value {
        FigureValue::Withheld { below } => Some(mignet_core::numbers::fewer_than(below)),
        _ => None,
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
        withheld,
        parts: f.disaggregation.iter().cloned().collect(),
        withheld_parts: f
            .withheld_parts
            .iter()
            .map(|(k, below)| (k.clone(), mignet_core::numbers::format_withheld(*below)))
            .collect(),
        stated: mignet_core::numbers::format_figure(f),
        qualifier: f.stated.qualifier.map(|q| q.name().to_owned()),
        high: f.stated.high,
        currency: f.stated.currency.map(|c| c.to_string()),
        numerator: f.stated.numerator,
        denominator: f.stated.denominator,
        milestone: f.stated.milestone.map(|m| m.name().to_owned()),
        date: f.stated.date.clone(),
        cumulative: f.stated.cumulative,
        places: f.places.iter().map(|p| p.to_string()).collect(),
        sites: f.sites.clone(),
        locations: f.locations,
        in_areas: f.in_areas,
        note: f.note.clone(),
        evidence: f.evidence.clone(),
        status: f.status.as_str().to_owned(),
        status_by: f.status_by.clone(),
        status_at: f.status_at.clone(),
        version,
    }
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
    /// Named sites: a hospital, a border crossing, a camp.
    #[serde(default)]
    pub sites: Vec<String>,
    /// How many locations, not named ...
    #[serde(default)]
    pub locations: Option<u64>,
    /// ... and in how many first-level areas.
    #[serde(default)]
    pub in_areas: Option<u64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    /// How the value is stated: `over`, `nearly`, `at_least` ... (see FigureDto).
    #[serde(default)]
    pub qualifier: Option<String>,
    /// The top of a range whose bottom is `value`.
    #[serde(default)]
    pub high: Option<f64>,
    /// The ISO 4217 currency of an amount (the indicator's unit, when it counts money).
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    /// A milestone's status, in place of `achieved`.
    #[serde(default)]
    pub milestone: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub cumulative: bool,
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
    /// Named sites: a hospital, a border crossing, a camp.
    #[serde(default)]
    pub sites: Vec<String>,
    /// How many locations, not named ...
    #[serde(default)]
    pub locations: Option<u64>,
    /// ... and in how many first-level areas.
    #[serde(default)]
    pub in_areas: Option<u64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    /// How the value is stated: `over`, `nearly`, `at_least` ... (see FigureDto).
    #[serde(default)]
    pub qualifier: Option<String>,
    /// The top of a range whose bottom is `value`.
    #[serde(default)]
    pub high: Option<f64>,
    /// The ISO 4217 currency of an amount (the indicator's unit, when it counts money).
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub numerator: Option<f64>,
    #[serde(default)]
    pub denominator: Option<f64>,
    /// A milestone's status, in place of `achieved`.
    #[serde(default)]
    pub milestone: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub cumulative: bool,
}

impl FigureUpdate {
    pub(super) fn figure(self) -> FigureIn {
        FigureIn {
            indicator: self.indicator,
            organisations: self.organisations,
            value: self.value,
            achieved: self.achieved,
            parts: self.parts,
            places: self.places,
            sites: self.sites,
            locations: self.locations,
            in_areas: self.in_areas,
            note: self.note,
            evidence: self.evidence,
            qualifier: self.qualifier,
            high: self.high,
            currency: self.currency,
            numerator: self.numerator,
            denominator: self.denominator,
            milestone: self.milestone,
            date: self.date,
            cumulative: self.cumulative,
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

/// The value as a person would type it, from its parts: `over USD 250000`, `100-130`.
fn value_text(f: &FigureIn) -> Option<String> {
    let mut text = number_text(f.value?);
    if let Some(h) = f.high {
        text = format!("{text}-{}", number_text(h));
    }
    if let Some(c) = &f.currency {
        text = format!("{} {text}", c.trim());
    }
    if let Some(q) = &f.qualifier {
        text = format!("{} {text}", q.trim().replace('_', " "));
    }
    Some(text)
}

pub(super) fn input(f: FigureIn) -> FigureInput {
    FigureInput {
        value: value_text(&f),
        milestone: f.milestone,
        date: f.date,
        numerator: f.numerator.map(number_text),
        denominator: f.denominator.map(number_text),
        cumulative: f.cumulative,
        indicator: f.indicator,
        organisations: f.organisations,
        achieved: f.achieved,
        parts: f
            .parts
            .into_iter()
            .map(|(k, v)| (k, number_text(v)))
            .collect(),
        places: f.places,
        sites: f.sites,
        locations: f.locations.map(|n| n.to_string()),
        in_areas: f.in_areas.map(|n| n.to_string()),
        note: f.note,
        evidence: f.evidence,
    }
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
    /// An agency's approver approves its focal point's figure (networks with two levels of approval).
    Endorse,
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

#[derive(Serialize, ToSchema)]
pub struct FindingDto {
    /// `error` or `warning`.
    pub level: String,
    pub rule: String,
    pub subject: String,
    pub message: String,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// `figure`, `indicator`, `organisation`, `account` ...
    #[param(example = "figure")]
    pub entity: Option<String>,
    /// The item's key: a code, or `period/id` for figures.
    #[param(example = "2022/F-PFA")]
    pub key: Option<String>,
    /// Only entries after this one (its `id`): the next page of a long trail.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// At most this many entries, oldest first (default and most: 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
pub struct FigureListQuery {
    /// Only the figures after this one (its `id`), in the period's order: the next page. The
    /// answer's `Link` header gives the next page's address while figures remain.
    #[param(example = "F-PFA")]
    pub after: Option<String>,
    /// At most this many figures (default and most: 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The most figures one answer holds; `after` pages on.
pub const FIGURE_PAGE_MAX: i64 = 1000;

/// The most audit entries one answer holds; `after` pages on.
pub const AUDIT_PAGE_MAX: i64 = 1000;

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    /// The entry's place in the trail; pass it as `after` for the next page.
    pub id: i64,
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

/// A message of the reporting cycle to the caller.
#[derive(Serialize, ToSchema)]
pub struct MessageDto {
    pub id: i64,
    pub subject: String,
    pub body: String,
    /// The page of the site it is about (a path).
    pub link: String,
    /// When it was written (RFC 3339).
    pub created_at: String,
    /// When the mail server accepted it; null while it waits or without a mail server.
    pub emailed_at: Option<String>,
}

/// How complete a period's reporting round is (`mignet_core::completeness`).
#[derive(Serialize, ToSchema)]
pub struct CompletenessDto {
    pub period: String,
    /// The day it was counted on (`YYYY-MM-DD`).
    pub today: String,
    pub due: Option<String>,
    pub past_due: bool,
    pub assigned: usize,
    /// Assignments submitted or approved.
    pub reported: usize,
    pub organisations: Vec<OrganisationProgressDto>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationProgressDto {
    pub organisation: String,
    pub assigned: usize,
    pub not_started: usize,
    pub draft: usize,
    pub returned: usize,
    pub submitted: usize,
    pub approved: usize,
    /// Reported as a whole per cent of assigned, rounded down.
    pub per_cent: u32,
    pub overdue: usize,
    pub last_activity: Option<String>,
    pub assignments: Vec<AssignmentDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentDto {
    pub indicator: String,
    /// `not_started`, `draft`, `returned`, `submitted` or `approved`.
    pub stage: String,
    pub figures: Vec<String>,
    pub overdue: bool,
    pub last_activity: Option<String>,
}

impl From<mignet_core::completeness::Completeness> for CompletenessDto {
    fn from(c: mignet_core::completeness::Completeness) -> Self {
        CompletenessDto {
            period: c.period,
            today: c.today,
            due: c.due,
            past_due: c.past_due,
            assigned: c.assigned,
            reported: c.reported,
            organisations: c
                .organisations
                .into_iter()
                .map(|o| OrganisationProgressDto {
                    organisation: o.organisation.to_string(),
                    assigned: o.assigned,
                    not_started: o.not_started,
                    draft: o.draft,
                    returned: o.returned,
                    submitted: o.submitted,
                    approved: o.approved,
                    per_cent: o.per_cent,
                    overdue: o.overdue,
                    last_activity: o.last_activity,
                    assignments: o
                        .cells
                        .into_iter()
                        .map(|a| AssignmentDto {
                            indicator: a.indicator.to_string(),
                            stage: a.stage.name().to_owned(),
                            figures: a.figures.iter().map(|f| f.to_string()).collect(),
                            overdue: a.overdue,
                            last_activity: a.last_activity,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A published edition of a period: its files, frozen when published, and what it corrects.
#[derive(Serialize, ToSchema)]
pub struct EditionDto {
    pub period: String,
    /// 1 for the first edition, then one more for each correction.
    pub number: i64,
    /// RFC 3339.
    pub published_at: String,
    /// SHA-256 of the files' names and hashes: two editions with one hash hold the same bytes.
    pub content_hash: String,
    pub files: Vec<EditionFileDto>,
    /// What changed from the edition before; empty for the first.
    pub errata: Vec<ErratumDto>,
}

/// A file of an edition.
#[derive(Serialize, ToSchema)]
pub struct EditionFileDto {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    /// Bytes.
    pub size: i64,
    /// Where the file is served, unchanged ever after (a path).
    pub href: String,
}

/// One change an edition makes to the one before it.
#[derive(Serialize, ToSchema)]
pub struct ErratumDto {
    /// The figure's id; null for changes to the brief's text, statistics or sources.
    pub figure: Option<String>,
    pub label: String,
    /// The value the edition before printed; null for an added figure.
    pub was: Option<String>,
    /// The value this edition prints; null for a withdrawn figure.
    pub now: Option<String>,
    /// The change as a sentence.
    pub sentence: String,
}

impl From<&mignet_app::PublishedEdition> for EditionDto {
    fn from(e: &mignet_app::PublishedEdition) -> Self {
        EditionDto {
            period: e.edition.period.clone(),
            number: e.edition.number,
            published_at: e.edition.published_at.clone(),
            content_hash: e.edition.content_hash.clone(),
            files: e
                .edition
                .files
                .iter()
                .map(|f| EditionFileDto {
                    name: f.name.clone(),
                    media_type: f.media_type.clone(),
                    sha256: f.sha256.clone(),
                    size: f.size,
                    href: e.href(&f.name),
                })
                .collect(),
            errata: e
                .errata
                .iter()
                .map(|x| ErratumDto {
                    figure: (!x.figure.is_empty()).then(|| x.figure.clone()),
                    label: x.label.clone(),
                    was: x.was.clone(),
                    now: x.now.clone(),
                    sentence: x.sentence(),
                })
                .collect(),
        }
    }
}

/// An item a search found.
#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    /// `indicator`, `figure`, `organisation`, `pledge`, `working_group` or `narrative`.
    pub kind: String,
    /// The kind in words.
    pub label: String,
    pub title: String,
    /// Words around the first match.
    pub excerpt: String,
    /// The site's page of the item (a path).
    pub href: String,
}

#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    /// The words to find, all of them (at most 200 characters are read).
    pub q: String,
}
