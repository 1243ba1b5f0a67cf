//! Review in context: the figures waiting for the coordinator, each with what a reviewer weighs
//! (what changed since its last submission, its comment thread, the same indicator's earlier values
//! and the period's target, the check findings), filtered by organisation, outcome and period; the
//! thread itself; and approving several at once. Written once for the review page, the API and
//! `mignet review`.

use crate::{App, AppError};
use mignet_core::access::Actor;
use mignet_core::model::{Dataset, Figure, FigureStatus, PeriodStatus};
use mignet_core::workflow::ReviewAction;
use mignet_core::{Finding, access};
use mignet_store::{AuditEntry, Comment};

/// Which figures the review list shows; `None` for any.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub period: Option<String>,
    pub organisation: Option<String>,
    /// An outcome's code (`P1.O1`): figures on its indicators.
    pub outcome: Option<String>,
}

/// One entry of a figure's thread: a review step (with its comment, if any) or a comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ThreadEntry {
    pub at: String,
    pub actor: String,
    /// `comment`, or the step: `submit`, `return`, `approve`, `confirm`, `reopen`.
    pub kind: String,
    pub text: Option<String>,
}

/// The same indicator and organisations in an earlier period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Earlier {
    pub period: String,
    pub figure: String,
    /// As printed, with its unit and parts.
    pub value: String,
}

/// A submitted figure with what a reviewer weighs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewItem {
    pub period: String,
    pub figure: Figure,
    /// The version read (`None` only if the store lost track of it: no step can then be taken).
    pub version: Option<i64>,
    pub findings: Vec<Finding>,
    pub entered_by: Option<String>,
    /// The reviewer entered or imported this content.
    pub same_person: bool,
    pub second_person_required: bool,
    /// The partners of a joint figure whose confirmation it waits for.
    pub unconfirmed: Vec<String>,
    /// What changed between its previous submission and this one (empty for a first submission).
    pub changes: Vec<AuditEntry>,
    /// Whether it was submitted before (returned, then submitted again).
    pub resubmitted: bool,
    pub earlier: Vec<Earlier>,
    /// The period's targets of its indicator, with the progress the approved figures make.
    pub targets: Vec<String>,
    pub thread: Vec<ThreadEntry>,
}

fn matches(ds: &Dataset, f: &Figure, filter: &ReviewFilter) -> bool {
    let org = filter
        .organisation
        .as_deref()
        .is_none_or(|o| f.organisations.iter().any(|x| x.as_str() == o));
    let outcome = filter.outcome.as_deref().is_none_or(|o| {
        ds.indicator(f.indicator.as_str())
            .is_some_and(|i| i.outcome.as_str() == o)
    });
    org && outcome
}

/// The approved figures of the same indicator and organisations in the periods before `period`.
fn earlier(ds: &Dataset, period: &str, f: &Figure) -> Vec<Earlier> {
    let mut orgs: Vec<&str> = f.organisations.iter().map(|o| o.as_str()).collect();
    orgs.sort_unstable();
    ds.periods
        .iter()
        .take_while(|p| p.period.code.as_str() != period)
        .flat_map(|p| {
            p.figures
                .iter()
                .filter(|g| access::is_public(g))
                .filter_map(|g| {
                    let mut theirs: Vec<&str> =
                        g.organisations.iter().map(|o| o.as_str()).collect();
                    theirs.sort_unstable();
                    (g.indicator == f.indicator && theirs == orgs).then(|| Earlier {
                        period: p.period.code.to_string(),
                        figure: g.id.to_string(),
                        value: mignet_core::edition::line(ds, g).value,
                    })
                })
        })
        .collect()
}

/// The approval `actor` gives: the network's, or its agency's.
pub fn approval_of(actor: &Actor) -> ReviewAction {
    if actor.coordinates() {
        ReviewAction::Approve
    } else {
        ReviewAction::Endorse
    }
}

impl App {
    /// The submitted figures of the open periods that `filter` selects, each in context: for a
    /// coordinator, those that reached the network (with two levels of approval, once their agency
    /// approved them); for an agency's approver, its organisation's that wait for its approval.
    pub async fn review_queue(
        &self,
        actor: &Actor,
        filter: &ReviewFilter,
    ) -> Result<Vec<ReviewItem>, AppError> {
        let (ds, versions) = self.dataset_and_versions(true).await?;
        let agency = ds.network.agency_approval;
        if !(actor.coordinates() || agency && actor.approves) {
            return Err(AppError::Forbidden(
                "only the network's coordinators review figures".into(),
            ));
        }
        if let Some(p) = &filter.period {
            Self::period_of(&ds, p)?;
        }
        let mut items = Vec::new();
        for p in ds.periods.iter().filter(|p| {
            p.period.status == PeriodStatus::Open
                && filter
                    .period
                    .as_deref()
                    .is_none_or(|c| c == p.period.code.as_str())
        }) {
            let period = p.period.code.as_str();
            let mut waiting: Vec<&Figure> = Vec::new();
            for f in p
                .figures
                .iter()
                .filter(|f| f.status == FigureStatus::Submitted && matches(&ds, f, filter))
            {
                let mine = if actor.coordinates() {
                    !agency || self.endorsed(period, f).await?
                } else {
                    actor.may_endorse(f) && !self.endorsed(period, f).await?
                };
                if mine {
                    waiting.push(f);
                }
            }
            if waiting.is_empty() {
                continue;
            }
            let findings = mignet_core::check(&ds, Some(period));
            for f in waiting {
                let id = f.id.as_str();
                let subject = format!("figure {id}");
                let entered_by = self.entered_by(period, id).await?;
                // The figure's audit trail is one log, in order: the updates between its last two
                // submissions are what changed since the previous one.
                let trail = self.item_audit("figure", &format!("{period}/{id}")).await?;
                let submitted: Vec<usize> = trail
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| {
                        let status = |v: &Option<serde_json::Value>| {
                            v.as_ref().and_then(|v| v.get("status")).cloned()
                        };
                        a.action == "status"
                            && status(&a.after) == Some(serde_json::json!("submitted"))
                            && status(&a.before) != status(&a.after)
                    })
                    .map(|(i, _)| i)
                    .collect();
                let resubmitted = submitted.len() > 1;
                let changes = match submitted.as_slice() {
                    [.., before, last] => trail[*before + 1..*last]
                        .iter()
                        .filter(|a| a.action == "update")
                        .cloned()
                        .collect(),
                    _ => Vec::new(),
                };
                let targets = ds
                    .indicator(f.indicator.as_str())
                    .map(|i| {
                        mignet_core::progress::progress(&ds, i, period)
                            .iter()
                            .map(|t| {
                                format!(
                                    "{} target{}: {}",
                                    t.target_period,
                                    if t.cumulative { " (cumulative)" } else { "" },
                                    t.text_for(i.kind)
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                items.push(ReviewItem {
                    period: period.to_owned(),
                    version: versions.get(period, id),
                    findings: findings
                        .iter()
                        .filter(|x| x.subject == subject)
                        .cloned()
                        .collect(),
                    same_person: entered_by
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&actor.email)),
                    entered_by,
                    second_person_required: ds.network.separation_of_duties,
                    unconfirmed: self.awaiting_agreement(period, f, None).await?,
                    resubmitted,
                    changes,
                    earlier: earlier(&ds, period, f),
                    targets,
                    thread: self.thread(period, id).await?,
                    figure: f.clone(),
                });
            }
        }
        Ok(items)
    }

    /// A figure's thread, in the order things happened: its review steps, and the comments written
    /// between them.
    pub async fn thread(&self, period: &str, id: &str) -> Result<Vec<ThreadEntry>, AppError> {
        let steps = self.reviews(period, id).await?;
        let mut comments = self
            .store()
            .comments(period, id)
            .await?
            .into_iter()
            .peekable();
        let mut out = Vec::new();
        let comment = |c: Comment| ThreadEntry {
            at: c.at,
            actor: c.actor,
            kind: "comment".into(),
            text: Some(c.text),
        };
        for r in steps {
            while let Some(c) = comments.next_if(|c| c.after_review < r.id) {
                out.push(comment(c));
            }
            out.push(ThreadEntry {
                at: r.at,
                actor: r.actor,
                kind: r.action,
                text: r.comment,
            });
        }
        out.extend(comments.map(comment));
        Ok(out)
    }

    /// Adds `text` to the thread of a figure, if `actor` is one of its organisations' focal points
    /// or a coordinator.
    pub async fn comment(
        &self,
        actor: &Actor,
        period: &str,
        id: &str,
        text: &str,
    ) -> Result<Comment, AppError> {
        let current = self.stored_figure(period, id).await?;
        if !actor.may_comment(&current.figure) {
            return Err(AppError::Forbidden(format!(
                "only the focal points of {} and the coordinators comment on figure {id}",
                current
                    .figure
                    .organisations
                    .iter()
                    .map(|o| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid("comment", "write the comment first"));
        }
        mignet_core::limits::check("comment", mignet_core::limits::Text::Comment, text)
            .map_err(|e| AppError::invalid(&e.field, e.message))?;
        let comment = self
            .store()
            .add_comment(period, id, &actor.email, text)
            .await?;
        self.announce().await;
        Ok(comment)
    }

    /// Approves each of `figures` (period, id, version read) as `actor`, with `comment` if any; one
    /// refusal does not stop the others. Returns each figure's id with what came of it. An agency's
    /// approver approves for its organisation ([`ReviewAction::Endorse`]), a coordinator for the
    /// network.
    pub async fn approve_many(
        &self,
        actor: &Actor,
        figures: &[(String, String, i64)],
        comment: Option<&str>,
    ) -> Vec<(String, Result<(), AppError>)> {
        let action = approval_of(actor);
        let mut out = Vec::new();
        for (period, id, version) in figures {
            let r = self
                .review(actor, period, id, action, comment, *version)
                .await
                .map(|_| ());
            out.push((id.clone(), r));
        }
        out
    }
}
