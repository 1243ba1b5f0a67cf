//! The fixed vocabularies of the model (kinds, statuses, roles), each listed once: its values, the name
//! each is written as in dataset files, the store and the API, and the label a person reads. The
//! dataset reader, the editor's choices and the store's checks derive their lists from here; the
//! store's SQL constraints are tested for agreement (crates/mignet-store/tests/store/vocabulary.rs).

use crate::access::Role;
use crate::model::{
    DerivedKind, Display, FigureStatus, GroupStatus, IndicatorKind, OrgKind, PeriodStatus,
    RoleKind, SectionKind, Wording,
};
use crate::stated::{MilestoneStatus, Qualifier};
use crate::workflow::ReviewAction;

/// A closed list of values with a written name and a label for people.
pub trait Vocabulary: Copy + PartialEq + 'static {
    /// Every value, in the order forms list them.
    const ALL: &'static [Self];
    /// (name, label) of every value, in the same order: the choices of a form.
    const CHOICES: &'static [(&'static str, &'static str)];
    /// How the value is written in dataset files, the store and the API.
    fn name(self) -> &'static str;
    /// How a person reads it.
    fn label(self) -> &'static str;
    /// The value written as `name`.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }
    /// Every name, for messages that list what may be written.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }
}

macro_rules! vocabulary {
    ($($t:ty { $($v:ident = $name:literal, $label:literal;)+ })+) => {$(
        impl Vocabulary for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),+];
            const CHOICES: &'static [(&'static str, &'static str)] = &[$(($name, $label)),+];
            fn name(self) -> &'static str {
                match self { $(<$t>::$v => $name),+ }
            }
            fn label(self) -> &'static str {
                match self { $(<$t>::$v => $label),+ }
            }
        }
    )+};
}

vocabulary! {
    Qualifier {
        Over = "over", "over";
        MoreThan = "more_than", "more than";
        AtLeast = "at_least", "at least";
        Nearly = "nearly", "nearly";
        Almost = "almost", "almost";
        About = "about", "about";
        Approximately = "approximately", "approximately";
        Around = "around", "around";
        Some = "some", "some";
        UpTo = "up_to", "up to";
        Under = "under", "under";
    }
    MilestoneStatus {
        Planned = "planned", "planned";
        Ongoing = "ongoing", "ongoing";
        Achieved = "achieved", "achieved";
        NotAchieved = "not_achieved", "not achieved";
        Delayed = "delayed", "delayed";
    }
    OrgKind {
        UnAgency = "un_agency", "UN agency";
        Government = "government", "Government";
        Ngo = "ngo", "NGO";
        Coalition = "coalition", "Coalition";
        Other = "other", "Other";
    }
    RoleKind {
        Coordinator = "coordinator", "Coordinator";
        Secretariat = "secretariat", "Secretariat";
        CoChair = "co_chair", "Co-chair";
    }
    IndicatorKind {
        Count = "count", "Count";
        Percentage = "percentage", "Percentage";
        Milestone = "milestone", "Milestone (done or not)";
    }
    Wording {
        Verbatim = "verbatim", "Verbatim";
        Paraphrase = "paraphrase", "Paraphrase";
    }
    GroupStatus {
        Active = "active", "Active";
        Renamed = "renamed", "Renamed";
        Closed = "closed", "Closed";
    }
    PeriodStatus {
        Open = "open", "Open";
        Closed = "closed", "Closed";
    }
    SectionKind {
        Context = "context", "Context";
        Lead = "lead", "Lead into a priority's outcomes";
        WaysForward = "ways_forward", "Ways forward";
        Closing = "closing", "Closing";
    }
    Display {
        Plain = "plain", "As written";
        Millions = "millions", "In millions";
        Percent = "percent", "Per cent";
    }
    DerivedKind {
        PercentChange = "percent_change", "Percentage change";
        Difference = "difference", "Difference";
        Share = "share", "Share";
        Coverage = "coverage", "Coverage";
    }
    FigureStatus {
        Draft = "draft", "Draft";
        Submitted = "submitted", "Submitted";
        Approved = "approved", "Approved";
        Returned = "returned", "Returned";
    }
    Role {
        Administrator = "administrator", "Administrator";
        Coordinator = "coordinator", "Coordinator";
        FocalPoint = "focal_point", "Focal point";
        Viewer = "viewer", "Viewer";
    }
    ReviewAction {
        Submit = "submit", "Submitted";
        Approve = "approve", "Approved";
        Return = "return", "Returned";
        Confirm = "confirm", "Confirmed";
        Reopen = "reopen", "Reopened";
        Endorse = "endorse", "Approved by its agency";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The written names are serde's names: the store and the API write values with serde, the reader
    /// and the forms with these lists, so the two must agree.
    fn agrees_with_serde<V: Vocabulary + serde::Serialize + std::fmt::Debug>() {
        assert_eq!(V::ALL.len(), V::CHOICES.len());
        for (v, (name, label)) in V::ALL.iter().zip(V::CHOICES) {
            assert_eq!(serde_json::to_value(v).unwrap(), *name, "{v:?}");
            assert_eq!((v.name(), v.label()), (*name, *label));
            assert_eq!(V::from_name(name), Some(*v));
        }
    }

    #[test]
    fn every_vocabulary_writes_its_values_as_serde_does() {
        agrees_with_serde::<OrgKind>();
        agrees_with_serde::<RoleKind>();
        agrees_with_serde::<IndicatorKind>();
        agrees_with_serde::<Wording>();
        agrees_with_serde::<GroupStatus>();
        agrees_with_serde::<PeriodStatus>();
        agrees_with_serde::<SectionKind>();
        agrees_with_serde::<Display>();
        agrees_with_serde::<DerivedKind>();
        agrees_with_serde::<FigureStatus>();
        agrees_with_serde::<Role>();
        agrees_with_serde::<ReviewAction>();
    }

    #[test]
    fn the_older_helpers_agree_with_the_vocabulary() {
        for r in Role::ALL {
            assert_eq!(r.as_str(), Vocabulary::name(r));
        }
        for s in <FigureStatus as Vocabulary>::ALL {
            assert_eq!(s.as_str(), Vocabulary::name(*s));
        }
        for a in <ReviewAction as Vocabulary>::ALL {
            assert_eq!(a.as_str(), Vocabulary::name(*a));
        }
    }
}
