//! The review workflow of a figure: draft -> submitted -> approved, or returned to its organisation with a
//! comment and submitted again. Approved figures can be reopened by the coordinator.

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
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Confirm => "confirm",
            Self::Reopen => "reopen",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Submit,
            Self::Approve,
            Self::Return,
            Self::Confirm,
            Self::Reopen,
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
    };
    match (from, action) {
        (Draft | Returned, Submit) => Ok(Submitted),
        (Submitted, Approve) => Ok(Approved),
        (Submitted, Return) => Ok(Returned),
        (Draft | Returned | Submitted, Confirm) => Ok(from),
        (Approved, Reopen) => Ok(Draft),
        _ => Err(TransitionError { from, verb }),
    }
}

/// Whether an edit of the figure's content is allowed in this status: only the organisation's own
/// drafts and returned figures are edited; a submitted or approved figure is reviewed, not rewritten.
pub fn editable(status: FigureStatus) -> bool {
    matches!(status, FigureStatus::Draft | FigureStatus::Returned)
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
}
