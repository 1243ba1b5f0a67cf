//! Data entry and review: a focal point enters its organisation's figures and submits them; the
//! coordinator approves them or returns them with a comment. Every rule is checked here, once, for the
//! web pages and the API alike.

use crate::{App, AppError, FieldError};
use mignet_core::access::Actor;
use mignet_core::model::*;
use mignet_core::stated::Stated;
use mignet_core::workflow::ReviewAction;
use mignet_core::{FrameworkCode, ItemId, OrgCode, PlaceCode};
use mignet_store::{StoredFigure, Written};
use serde::Deserialize;
use std::collections::BTreeSet;

/// How many taken ids a creation steps over before it gives up with the conflict.
const CREATE_ATTEMPTS: usize = 8;

/// A figure as a person types it: every field is text until it is checked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FigureInput {
    pub indicator: String,
    #[serde(default)]
    pub organisations: Vec<String>,
    /// The number, for counts and percentages (`4,805` is accepted).
    #[serde(default)]
    pub value: Option<String>,
    /// For milestones.
    #[serde(default)]
    pub achieved: Option<bool>,
    /// Parts of the whole by disaggregation key (`children` -> `2,233`).
    #[serde(default)]
    pub parts: Vec<(String, String)>,
    #[serde(default)]
    pub places: Vec<String>,
    /// Named sites (a hospital, a border crossing, a camp).
    #[serde(default)]
    pub sites: Vec<String>,
    /// How many locations, not named, and in how many first-level areas.
    #[serde(default)]
    pub locations: Option<String>,
    #[serde(default)]
    pub in_areas: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    /// A milestone's status (`planned`, `ongoing`, `achieved`, `not achieved`, `delayed`), in place of
    /// `achieved`.
    #[serde(default)]
    pub milestone: Option<String>,
    /// A milestone's date (2023, 2023-06 or 2023-06-30).
    #[serde(default)]
    pub date: Option<String>,
    /// A percentage's numerator and denominator, where known.
    #[serde(default)]
    pub numerator: Option<String>,
    #[serde(default)]
    pub denominator: Option<String>,
    /// Counted since the start of the work rather than in the period.
    #[serde(default)]
    pub cumulative: bool,
}

/// The largest count the store holds (a signed 64-bit integer, on both databases).
pub const MAX_COUNT: u64 = i64::MAX as u64;

/// A typed count; `None` when it is not a whole number of at most [`MAX_COUNT`].
fn parse_count(s: &str) -> Option<u64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ' && *c != '\u{a0}')
        .collect();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|n| *n <= MAX_COUNT)
}

/// Why a typed count was refused, when it is only too large.
fn too_large(raw: &str) -> Option<String> {
    let digits = raw.trim().chars().filter(char::is_ascii_digit).count();
    let all_digits = raw
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '\u{a0}'));
    (all_digits && digits > 0 && parse_count(raw).is_none()).then(|| {
        format!(
            "{} is too large: a count is at most 9,223,372,036,854,775,807",
            raw.trim()
        )
    })
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

impl App {
    /// Checks a typed figure against the framework: every problem, each with its field. The text is
    /// turned into the model's values here; what those values must be is `mignet_core::rules::figure`,
    /// the same rules the dataset reader and the workbook import apply.
    pub fn validate_figure(
        ds: &Dataset,
        id: ItemId,
        input: &FigureInput,
    ) -> Result<Figure, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_owned(),
                message,
            })
        };
        let indicator = ds.indicator(input.indicator.trim());
        if indicator.is_none() {
            let b = mignet_core::rules::unknown_indicator(ds, input.indicator.trim());
            err(b.field, b.message);
        }
        let mut organisations = Vec::new();
        for o in input
            .organisations
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            match OrgCode::parse(o) {
                Ok(code) => organisations.push(code),
                Err(e) => err("organisations", format!("`{o}` {e}")),
            }
        }
        let mut value = None;
        let mut stated = Stated::default();
        if let Some(ind) = indicator {
            let raw = input.value.as_deref().map(str::trim).unwrap_or("");
            let money = mignet_core::stated::money_of(&ind.unit);
            // A plain number first, with the messages a mistyped number has always had; then the
            // ways reports state values ("over 65,000", "100-130", "USD 19.1 million").
            let rich =
                |raw: &str, stated: &mut Stated| match mignet_core::stated::read_value(ind, raw) {
                    Ok((v, st)) => {
                        *stated = st;
                        Ok(v)
                    }
                    Err(e) => Err(e),
                };
            match ind.kind {
                IndicatorKind::Count => match parse_count(raw) {
                    Some(v) => {
                        value = Some(FigureValue::Count { value: v });
                        stated.currency = money;
                    }
                    None if raw.starts_with('-') => err(
                        "value",
                        format!(
                            "{raw} is negative: a count of {} is a whole number of 0 or more",
                            ind.unit
                        ),
                    ),
                    None if raw.is_empty() => {
                        err("value", format!("give the number of {}", ind.unit))
                    }
                    None if too_large(raw).is_some() => {
                        err("value", too_large(raw).unwrap_or_default())
                    }
                    None => match rich(raw, &mut stated) {
                        Ok(v) => value = Some(v),
                        Err(e) => err("value", e),
                    },
                },
                IndicatorKind::Percentage => {
                    match raw.trim_end_matches('%').trim().parse::<f64>() {
                        Ok(v) if v.is_finite() => {
                            value = Some(FigureValue::Percentage { value: v })
                        }
                        _ if !raw.is_empty() => match rich(raw, &mut stated) {
                            Ok(v) => value = Some(v),
                            Err(e) => err("value", e),
                        },
                        _ => err(
                            "value",
                            format!("`{raw}` is not a percentage between 0 and 100"),
                        ),
                    }
                }
                IndicatorKind::Milestone => match (input.achieved, clean(&input.milestone)) {
                    (Some(a), None) => value = Some(FigureValue::Milestone { achieved: a }),
                    (_, Some(m)) => match rich(&m, &mut stated) {
                        Ok(v) => value = Some(v),
                        Err(e) => err("milestone", e),
                    },
                    (None, None) => {
                        err("achieved", "say whether the milestone was achieved".into())
                    }
                },
            }
            stated.date = clean(&input.date);
            stated.cumulative = input.cumulative;
            for (field, raw, slot) in [
                ("numerator", &input.numerator, &mut stated.numerator),
                ("denominator", &input.denominator, &mut stated.denominator),
            ] {
                if let Some(t) = clean(raw) {
                    match t.replace(',', "").parse::<f64>() {
                        Ok(n) if n.is_finite() => *slot = Some(n),
                        _ => err(field, format!("`{t}` is not a number")),
                    }
                }
            }
        }
        let mut disaggregation = Vec::new();
        for (key, raw) in input.parts.iter().filter(|(_, v)| !v.trim().is_empty()) {
            match parse_count(raw) {
                Some(v) => disaggregation.push((key.clone(), v)),
                None => err(
                    &format!("parts.{key}"),
                    too_large(raw).unwrap_or_else(|| {
                        format!("`{}` is not a whole number of 0 or more", raw.trim())
                    }),
                ),
            }
        }
        let mut places = Vec::new();
        for p in input
            .places
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            match PlaceCode::parse(p) {
                // Held to the network at once, so that a wrong place is said beside a wrong value.
                Ok(c) if mignet_core::rules::place(ds, &c).is_some() => {
                    if let Some(b) = mignet_core::rules::place(ds, &c) {
                        err("places", b.message)
                    }
                }
                Ok(c) if !places.contains(&c) => places.push(c),
                Ok(_) => {}
                Err(e) => err("places", e.to_string()),
            }
        }
        let sites: Vec<String> = input
            .sites
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let mut count_of = |field: &str, raw: &Option<String>| {
            let raw = raw.as_deref().map(str::trim).unwrap_or("");
            if raw.is_empty() {
                return None;
            }
            let n = parse_count(raw);
            if n.is_none() {
                err(field, format!("`{raw}` is not a whole number of 1 or more"));
            }
            n
        };
        let locations = count_of("locations", &input.locations);
        let in_areas = count_of("in_areas", &input.in_areas);
        let (Some(indicator), Some(value), true) = (indicator, value, errors.is_empty()) else {
            return Err(errors);
        };
        let figure = Figure {
            id,
            indicator: indicator.code.clone(),
            organisations,
            value,
            disaggregation,
            places,
            sites,
            locations,
            in_areas,
            note: clean(&input.note),
            evidence: clean(&input.evidence),
            footnotes: Vec::new(),
            status: FigureStatus::Draft,
            status_by: None,
            status_at: None,
            joint: Default::default(),
            withheld_parts: Vec::new(),
            stated,
        };
        let broken = mignet_core::rules::refused(ds, &figure);
        if broken.is_empty() {
            return Ok(figure);
        }
        Err(broken
            .into_iter()
            .map(|b| FieldError {
                field: match (b.field, &b.key) {
                    ("disaggregation", Some(key)) => format!("parts.{key}"),
                    (field, _) => field.to_owned(),
                },
                message: b.message,
            })
            .collect())
    }

    fn open_period<'d>(ds: &'d Dataset, period: &str) -> Result<&'d PeriodData, AppError> {
        let p = Self::period_of(ds, period)?;
        if p.period.status == PeriodStatus::Closed {
            return Err(AppError::Forbidden(format!(
                "period {period} is closed: its figures can no longer change"
            )));
        }
        Ok(p)
    }

    /// A new id for a figure: the organisation and the indicator, numbered when taken. Codes of up
    /// to 64 characters each can make an id longer than an id may be: refused then, with a message,
    /// as the workbook import refuses it.
    /// `taken` are ids found taken in the store after the period was read (by a figure created at
    /// the same moment).
    fn new_figure_id(
        p: &PeriodData,
        org: &OrgCode,
        indicator: &FrameworkCode,
        taken: &[ItemId],
    ) -> Result<ItemId, AppError> {
        let base = format!("{org}-{indicator}");
        let free = (1..)
            .map(|n| {
                if n == 1 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|id| {
                p.figure(id).is_none()
                    && p.statistic(id).is_none()
                    && p.derived(id).is_none()
                    && !taken.iter().any(|t| t.as_str() == id)
            })
            .unwrap_or(base);
        ItemId::parse(&free).map_err(|e| {
            AppError::invalid(
                "indicator",
                format!(
                    "the figure's id `{free}` (organisation and indicator codes) {e}: the coordinator can give the indicator or the organisation a shorter code"
                ),
            )
        })
    }

    /// Creates a draft figure for the actor's organisation. Two figures created at once for the same
    /// organisation and indicator get two ids, as they would one after the other: the store refuses
    /// the second id as taken, and the figure is created again under the next free one.
    pub async fn create_figure(
        &self,
        actor: &Actor,
        period: &str,
        input: &FigureInput,
    ) -> Result<(ItemId, Written), AppError> {
        let mut taken = Vec::new();
        loop {
            let ds = self.dataset().await?;
            let p = Self::open_period(&ds, period)?;
            let org = actor
                .organisation
                .clone()
                .filter(|_| actor.role == mignet_core::access::Role::FocalPoint)
                .ok_or_else(|| {
                    AppError::Forbidden(
                        "only an organisation's focal point enters its figures".into(),
                    )
                })?;
            let indicator = FrameworkCode::parse(input.indicator.trim())
                .map_err(|e| AppError::invalid("indicator", e.to_string()))?;
            let id = Self::new_figure_id(p, &org, &indicator, &taken)?;
            let figure =
                Self::validate_figure(&ds, id.clone(), input).map_err(AppError::Invalid)?;
            if !actor.may_create(&figure.organisations) {
                return Err(AppError::invalid(
                    "organisations",
                    format!("a figure you enter must name your organisation, {org}"),
                ));
            }
            // The read model is changed in place after the write (`apply_figure`): holding the
            // dataset across it would make it copy the whole network, 150,000 figures, per write.
            drop(ds);
            match self
                .store()
                .put_figure(period, &figure, &actor.email, Some(0))
                .await
            {
                Err(mignet_store::StoreError::Conflict { .. }) if taken.len() < CREATE_ATTEMPTS => {
                    taken.push(id);
                }
                written => {
                    let written = written?;
                    self.apply_figure(period, id.as_str(), &written).await;
                    if figure.is_joint() {
                        self.announce().await;
                    }
                    return Ok((id, written));
                }
            }
        }
    }

    /// Saves a changed figure. `version` is the version the person read: a save over someone else's
    /// newer change is refused as a conflict.
    pub async fn update_figure(
        &self,
        actor: &Actor,
        period: &str,
        id: &str,
        input: &FigureInput,
        version: i64,
    ) -> Result<Written, AppError> {
        let ds = self.dataset().await?;
        Self::open_period(&ds, period)?;
        let current = self.stored_figure(period, id).await?;
        stale(actor, &current, period, id, version)?;
        if !actor.may_edit(&current.figure) {
            return Err(AppError::Forbidden(if actor.is_party_to(&current.figure) {
                format!(
                    "figure {id} is {}: it can be changed only while it is a draft or returned",
                    current.figure.status.as_str()
                )
            } else {
                format!(
                    "figure {id} belongs to {}, not to you",
                    orgs(&current.figure)
                )
            }));
        }
        let mut figure = Self::validate_figure(&ds, current.figure.id.clone(), input)
            .map_err(AppError::Invalid)?;
        if !actor.may_create(&figure.organisations) {
            return Err(AppError::invalid(
                "organisations",
                "the figure must keep naming your organisation",
            ));
        }
        figure.status = current.figure.status;
        figure.status_by = current.figure.status_by.clone();
        figure.status_at = current.figure.status_at.clone();
        figure.footnotes = current.figure.footnotes.clone();
        drop(ds);
        let written = self
            .store()
            .put_figure(period, &figure, &actor.email, Some(version))
            .await?;
        self.apply_figure(period, id, &written).await;
        if figure.is_joint() {
            self.announce().await;
        }
        Ok(written)
    }

    /// Creates a figure typed on the form, after asking: a second figure of the actor's organisation
    /// on the same indicator and period is written only when `second` says it is meant (it is
    /// usually a correction of the first, typed again). Otherwise nothing is written and the answer
    /// gives every problem of the input, with the question beside the field `second`.
    pub async fn create_figure_asked(
        &self,
        actor: &Actor,
        period: &str,
        input: &FigureInput,
        second: bool,
    ) -> Result<(ItemId, Written), AppError> {
        let existing = match (&actor.organisation, second) {
            (Some(org), false) if !input.indicator.is_empty() => {
                self.figures_on(period, &input.indicator, org.as_str())
                    .await?
            }
            _ => Vec::new(),
        };
        if existing.is_empty() {
            return self.create_figure(actor, period, input).await;
        }
        let ds = self.dataset().await?;
        let placeholder = ItemId::parse("NEW").expect("a valid id");
        let mut errors = Self::validate_figure(&ds, placeholder, input)
            .err()
            .unwrap_or_default();
        errors.push(FieldError {
            field: "second".into(),
            message: format!(
                "{} already has a figure on this indicator in {period} ({}): correct that one, or tick this box if this figure counts something else",
                actor.organisation.as_ref().map_or("Your organisation", |o| o.as_str()),
                existing.join(", ")
            ),
        });
        Err(AppError::Invalid(errors))
    }

    /// The ids of the figures of `period` on `indicator` that name `organisation`: before a second
    /// one is entered, the person is asked whether it is not a correction of the first.
    pub async fn figures_on(
        &self,
        period: &str,
        indicator: &str,
        organisation: &str,
    ) -> Result<Vec<String>, AppError> {
        let ds = self.dataset().await?;
        Ok(Self::period_of(&ds, period)?
            .figures
            .iter()
            .filter(|f| {
                f.indicator.as_str() == indicator
                    && f.organisations.iter().any(|o| o.as_str() == organisation)
            })
            .map(|f| f.id.to_string())
            .collect())
    }

    pub async fn stored_figure(&self, period: &str, id: &str) -> Result<StoredFigure, AppError> {
        self.store()
            .figure(period, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("figure {id} of period {period}")))
    }

    /// Moves a figure through review, if the actor may.
    ///
    /// A joint figure goes out only with each named organisation's agreement to its exact content:
    /// it is submitted once every other organisation has confirmed the content as it is now, and
    /// approved once every organisation has (the submitting one by its submission). An approval by
    /// the person who entered or imported the content is marked, and refused where the network
    /// requires a second person (`mignet_core::workflow::approval`).
    pub async fn review(
        &self,
        actor: &Actor,
        period: &str,
        id: &str,
        action: ReviewAction,
        comment: Option<&str>,
        version: i64,
    ) -> Result<Written, AppError> {
        let ds = self.dataset().await?;
        Self::open_period(&ds, period)?;
        let current = self.stored_figure(period, id).await?;
        // The checks below are made on this version's content; the store writes the step only if the
        // figure is still at this version, so nothing is agreed to on content it did not check.
        stale(actor, &current, period, id, version)?;
        let f = &current.figure;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = comment {
            mignet_core::limits::check("comment", mignet_core::limits::Text::Comment, c)
                .map_err(|e| AppError::invalid(&e.field, e.message))?;
        }
        // With two levels of approval, the agency's approver approves for its organisation and may
        // send the figure back to its focal point.
        let agency = ds.network.agency_approval;
        let allowed = match action {
            ReviewAction::Submit => actor.may_submit(f),
            ReviewAction::Confirm => actor.may_confirm(f),
            ReviewAction::Approve => actor.may_review(f),
            ReviewAction::Return => actor.may_review(f) || (agency && actor.may_endorse(f)),
            ReviewAction::Reopen => actor.may_reopen(f),
            ReviewAction::Endorse => agency && actor.may_endorse(f),
        };
        if !allowed {
            return Err(AppError::Forbidden(format!(
                "you cannot {} figure {id} ({})",
                action.as_str(),
                f.status.as_str()
            )));
        }
        if action == ReviewAction::Return && comment.is_none() {
            return Err(AppError::invalid(
                "comment",
                "say why the figure is returned, so that its organisation can fix it",
            ));
        }
        if action == ReviewAction::Submit && f.is_joint() {
            let missing = self
                .awaiting_agreement(period, f, actor.organisation.as_ref())
                .await?;
            if !missing.is_empty() {
                return Err(AppError::Forbidden(format!(
                    "a joint figure is submitted once each organisation named on it has confirmed its content as it is now; waiting for {}",
                    missing.join(", ")
                )));
            }
        }
        let mut same_person = false;
        if action == ReviewAction::Approve && agency && !self.endorsed(period, f).await? {
            return Err(AppError::Forbidden(format!(
                "figure {id} waits for the approval of {} before the network's: this network has two levels of approval",
                f.organisations
                    .first()
                    .map_or("its organisation", |o| o.as_str())
            )));
        }
        if action == ReviewAction::Approve {
            if f.is_joint() {
                let missing = self.awaiting_agreement(period, f, None).await?;
                if !missing.is_empty() {
                    return Err(AppError::Forbidden(format!(
                        "figure {id} is published in the name of each organisation named on it, and {} has not confirmed its content as it is now: it cannot be approved before",
                        missing.join(", ")
                    )));
                }
            }
            let entered_by = self.entered_by(period, id).await?;
            same_person = mignet_core::workflow::approval(
                id,
                entered_by.as_deref(),
                &actor.email,
                ds.network.separation_of_duties,
            )
            .map_err(|e| AppError::Forbidden(e.to_string()))?
            .same_person;
        }
        let org = if matches!(
            action,
            ReviewAction::Confirm | ReviewAction::Submit | ReviewAction::Endorse
        ) {
            actor.organisation.as_ref().map(|o| o.as_str())
        } else {
            None
        };
        drop(ds);
        let written = self
            .store()
            .review_figure(
                period,
                id,
                action,
                org,
                comment,
                &actor.email,
                Some(version),
                same_person,
            )
            .await?;
        self.apply_figure(period, id, &written).await;
        self.announce().await;
        Ok(written)
    }

    /// Whether the figure's agency approved its current content since it was last submitted (the
    /// first of two levels of approval).
    pub async fn endorsed(&self, period: &str, f: &Figure) -> Result<bool, AppError> {
        let steps = self.reviews(period, f.id.as_str()).await?;
        let since = steps
            .iter()
            .rposition(|r| r.action == "submit")
            .map_or(0, |i| i + 1);
        let content = mignet_store::content_hash(f);
        Ok(steps[since..]
            .iter()
            .any(|r| r.action == "endorse" && r.content.as_deref() == Some(content.as_str())))
    }

    /// Who last wrote the figure's content (typed it, imported it or loaded it), from its audit trail.
    pub async fn entered_by(&self, period: &str, id: &str) -> Result<Option<String>, AppError> {
        let key = format!("{period}/{id}");
        Ok(self
            .store()
            .audit(Some(("figure", &key)))
            .await?
            .into_iter()
            .filter(|a| a.action != "status")
            .map(|a| a.actor)
            .next_back())
    }

    /// The organisations on a joint figure, other than the actor's, that have not confirmed its
    /// current content.
    pub async fn unconfirmed(
        &self,
        period: &str,
        f: &Figure,
        actor: &Actor,
    ) -> Result<Vec<String>, AppError> {
        self.awaiting_agreement(period, f, actor.organisation.as_ref())
            .await
    }

    /// The organisations on a joint figure, other than `except`, whose confirmation or submission
    /// was not taken on exactly the figure's current content.
    pub async fn awaiting_agreement(
        &self,
        period: &str,
        f: &Figure,
        except: Option<&OrgCode>,
    ) -> Result<Vec<String>, AppError> {
        if !f.is_joint() {
            return Ok(Vec::new());
        }
        let content = mignet_store::content_hash(f);
        let agreed: BTreeSet<String> = self
            .store()
            .reviews(period, f.id.as_str())
            .await?
            .into_iter()
            .filter(|r| matches!(r.action.as_str(), "confirm" | "submit"))
            .filter(|r| r.content.as_deref() == Some(content.as_str()))
            .filter_map(|r| r.organisation)
            .collect();
        Ok(
            mignet_core::workflow::awaiting(&f.organisations, &agreed, except)
                .into_iter()
                .map(|o| o.to_string())
                .collect(),
        )
    }
}

/// Someone who may see the figure's state acted on an older version of it: the answer is that it
/// changed since (409), before what its present state would allow or refuse, so that the loser of a
/// race is told to reload rather than told that the step is not allowed. The store checks the
/// version again inside the write, where it cannot change meanwhile.
fn stale(
    actor: &Actor,
    current: &StoredFigure,
    period: &str,
    id: &str,
    version: i64,
) -> Result<(), AppError> {
    if current.version != version && (actor.is_party_to(&current.figure) || actor.coordinates()) {
        return Err(AppError::Store(mignet_store::StoreError::Conflict {
            key: format!("{period}/{id}"),
            expected: version,
            current: current.version,
        }));
    }
    Ok(())
}

fn orgs(f: &Figure) -> String {
    f.organisations
        .iter()
        .map(|o| o.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
