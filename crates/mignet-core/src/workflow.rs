//! The review workflow of a figure: draft -> submitted -> approved, or returned to its organisation with a
//! comment and submitted again. Approved figures can be reopened by the coordinator.

use crate::codes::OrgCode;
use crate::model::FigureStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// The organisation sends the figure for review.
    Submit,
    /// The coordinator accepts it: it becomes public.
    Approve,
    /// The coordinator sends it back with a comment.
    Return,
    /// One organisation named on a joint figure agrees with it.
    Confirm,
    /// The coordinator takes an approved figure back to draft.
    Reopen,
    /// The agency's own approver signs off its focal point's submitted figure, before the network's
    /// coordinator approves it (two levels of approval; `Network::agency_approval`).
    Endorse,
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Confirm => "confirm",
            Self::Reopen => "reopen",
            Self::Endorse => "endorse",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Submit,
            Self::Approve,
            Self::Return,
            Self::Confirm,
            Self::Reopen,
            Self::Endorse,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {} figure cannot be {verb}", .from.as_str())]
pub struct TransitionError {
    pub from: FigureStatus,
    pub verb: &'static str,
}

/// The status a figure moves to, or why it cannot.
pub fn transition(
    from: FigureStatus,
    action: ReviewAction,
) -> Result<FigureStatus, TransitionError> {
    use FigureStatus::*;
    use ReviewAction::*;
    let verb = match action {
        Submit => "submitted",
        Approve => "approved",
        Return => "returned",
        Confirm => "confirmed",
        Reopen => "reopened",
        Endorse => "approved by its agency",
    };
    match (from, action) {
        (Draft | Returned, Submit) => Ok(Submitted),
        (Submitted, Approve) => Ok(Approved),
        (Submitted, Return) => Ok(Returned),
        (Draft | Returned | Submitted, Confirm) => Ok(from),
        (Approved, Reopen) => Ok(Draft),
        (Submitted, Endorse) => Ok(Submitted),
        _ => Err(TransitionError { from, verb }),
    }
}

/// Whether an edit of the figure's content is allowed in this status: only the organisation's own
/// drafts and returned figures are edited; a submitted or approved figure is reviewed, not rewritten.
pub fn editable(status: FigureStatus) -> bool {
    matches!(status, FigureStatus::Draft | FigureStatus::Returned)
}

/// The organisations named on a joint figure that have not agreed to its current content: `agreed` holds
/// the organisations whose confirmation (or submission) was taken on exactly this content, `except`
/// the organisation agreeing now (the one submitting). A joint figure is submitted, and approved, only
/// when this is empty: no figure goes out in an organisation's name without that organisation.
pub fn awaiting<'a>(
    named: &'a [OrgCode],
    agreed: &std::collections::BTreeSet<String>,
    except: Option<&OrgCode>,
) -> Vec<&'a OrgCode> {
    if named.len() < 2 {
        return Vec::new();
    }
    named
        .iter()
        .filter(|o| Some(*o) != except && !agreed.contains(o.as_str()))
        .collect()
}

/// An approval allowed, and whether it is by the person who entered the figure's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    /// Entered (typed, imported or loaded) and approved by the same person: recorded and shown.
    pub same_person: bool,
}

/// An approval refused: the network requires a second person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this network requires a second person to approve: {approver} entered or imported figure {figure}'s content, so another coordinator approves it"
)]
pub struct SeparationError {
    pub approver: String,
    pub figure: String,
}

/// Separation of duties. `entered_by` is who last wrote the figure's content (entry, import or load);
/// an approval by the same person is allowed, and marked, unless the network requires a second person.
pub fn approval(
    figure: &str,
    entered_by: Option<&str>,
    approver: &str,
    second_person_required: bool,
) -> Result<Approval, SeparationError> {
    let same_person = entered_by.is_some_and(|e| e.eq_ignore_ascii_case(approver));
    if same_person && second_person_required {
        return Err(SeparationError {
            approver: approver.to_owned(),
            figure: figure.to_owned(),
        });
    }
    Ok(Approval { same_person })
}

#[cfg(test)]
mod tests {
    use super::*;
    use FigureStatus::*;

    #[test]
    fn a_figure_goes_draft_submitted_returned_submitted_approved() {
        let mut s = Draft;
        for a in [
            ReviewAction::Submit,
            ReviewAction::Return,
            ReviewAction::Submit,
            ReviewAction::Approve,
        ] {
            s = transition(s, a).unwrap();
        }
        assert_eq!(s, Approved);
    }

    #[test]
    fn a_draft_cannot_be_approved_and_an_approved_figure_cannot_be_returned() {
        assert_eq!(
            transition(Draft, ReviewAction::Approve)
                .unwrap_err()
                .to_string(),
            "a draft figure cannot be approved"
        );
        assert!(transition(Approved, ReviewAction::Return).is_err());
        assert!(transition(Approved, ReviewAction::Submit).is_err());
    }

    #[test]
    fn only_drafts_and_returned_figures_are_editable() {
        assert!(editable(Draft) && editable(Returned));
        assert!(!editable(Submitted) && !editable(Approved));
    }
    #[test]
    fn a_joint_figure_waits_for_each_organisation_that_has_not_agreed_to_its_content() {
        let named: Vec<OrgCode> = ["IOM", "UNHCR", "ILO"]
            .iter()
            .map(|o| OrgCode::parse(o).unwrap())
            .collect();
        let agreed: std::collections::BTreeSet<String> = ["UNHCR".to_owned()].into();
        let waiting = awaiting(&named, &agreed, Some(&named[0]));
        assert_eq!(waiting, vec![&named[2]]);
        assert_eq!(awaiting(&named, &agreed, None), vec![&named[0], &named[2]]);
        assert!(awaiting(&named[..1], &Default::default(), None).is_empty());
    }

    #[test]
    fn the_same_person_approves_only_where_the_network_allows_it_and_it_is_marked() {
        assert_eq!(
            approval("F", Some("c@x.org"), "c@x.org", false),
            Ok(Approval { same_person: true })
        );
        assert_eq!(
            approval("F", Some("iom@x.org"), "c@x.org", true),
            Ok(Approval { same_person: false })
        );
        let e = approval("F", Some("C@x.org"), "c@x.org", true).unwrap_err();
        assert!(e.to_string().contains("second person"), "{e}");
    }
}
