//! Who may do what. The rules are here, once, and both front ends ask them; the web layer adds only
//! the question "who is asking".

use crate::codes::OrgCode;
use crate::model::{Figure, FigureStatus};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages accounts, and may do everything a coordinator does.
    Administrator,
    /// Runs the reporting cycle: framework, review, narrative.
    Coordinator,
    /// Enters and submits the figures of one organisation.
    FocalPoint,
    /// Reads everything, including what is not yet approved; changes nothing.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Coordinator => "coordinator",
            Role::FocalPoint => "focal_point",
            Role::Viewer => "viewer",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Administrator,
            Role::Coordinator,
            Role::FocalPoint,
            Role::Viewer,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::Coordinator,
        Role::FocalPoint,
        Role::Viewer,
    ];
}

/// Whether a figure is public: approved, and so on public pages, in the brief and the exports.
pub fn is_public(f: &Figure) -> bool {
    f.status == FigureStatus::Approved
}

/// Whether `reader` (`None`: the public) may see figure `f`: the public sees approved figures only.
pub fn may_see(reader: Option<&Actor>, f: &Figure) -> bool {
    is_public(f) || reader.is_some_and(Actor::sees_unapproved)
}

/// The review steps an actor may take on a figure now: the role's permissions, and only while the
/// figure's period is open (a closed period's figures are published and stay as they are).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Actions {
    pub edit: bool,
    pub submit: bool,
    pub confirm: bool,
    pub review: bool,
    pub reopen: bool,
}

impl Actions {
    pub fn of(actor: &Actor, f: &Figure, period: crate::model::PeriodStatus) -> Actions {
        if period != crate::model::PeriodStatus::Open {
            return Actions::default();
        }
        Actions {
            edit: actor.may_edit(f),
            submit: actor.may_submit(f),
            confirm: actor.may_confirm(f),
            review: actor.may_review(f),
            reopen: actor.may_reopen(f),
        }
    }
}

/// A signed-in person, as far as permissions go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The organisation of a focal point.
    pub organisation: Option<OrgCode>,
    /// A focal point who also approves its organisation's figures before they reach the network's
    /// coordinator, where the network has two levels of approval.
    pub approves: bool,
}

impl Actor {
    pub fn coordinates(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::Coordinator)
    }
    pub fn administers(&self) -> bool {
        self.role == Role::Administrator
    }
    /// Sees figures that are not approved yet.
    pub fn sees_unapproved(&self) -> bool {
        true
    }
    /// Sees the exact values of sensitive small counts, which the public sees as "fewer than 10"
    /// ([`crate::disclosure`]): every signed-in role, as every one of them works with the figures.
    pub fn sees_small_counts(&self) -> bool {
        true
    }
    /// Whether the actor's organisation is named on the figure.
    /// May approve a submitted figure for its organisation (the first level of two): an approver of
    /// the figure's reporting organisation, the one named first.
    pub fn may_endorse(&self, f: &Figure) -> bool {
        self.approves
            && self.role == Role::FocalPoint
            && f.status == crate::model::FigureStatus::Submitted
            && self.organisation.is_some()
            && f.organisations.first() == self.organisation.as_ref()
    }
    /// May add to a figure's comment thread: its own organisations' focal points, and the
    /// coordinators who review it.
    pub fn may_comment(&self, f: &Figure) -> bool {
        self.coordinates() || self.is_party_to(f)
    }
    pub fn is_party_to(&self, f: &Figure) -> bool {
        self.organisation
            .as_ref()
            .is_some_and(|o| f.organisations.contains(o))
    }
    /// May create a figure naming these organisations: a focal point only figures that name its own
    /// organisation (a joint figure names others too, who then confirm it).
    pub fn may_create(&self, organisations: &[OrgCode]) -> bool {
        self.role == Role::FocalPoint
            && self
                .organisation
                .as_ref()
                .is_some_and(|o| organisations.contains(o))
    }
    /// May change the figure's content: a focal point of a named organisation, while it is a draft or
    /// returned.
    pub fn may_edit(&self, f: &Figure) -> bool {
        self.role == Role::FocalPoint && self.is_party_to(f) && crate::workflow::editable(f.status)
    }
    pub fn may_submit(&self, f: &Figure) -> bool {
        self.may_edit(f)
    }
    pub fn may_confirm(&self, f: &Figure) -> bool {
        self.role == Role::FocalPoint
            && f.is_joint()
            && self.is_party_to(f)
            && f.status != FigureStatus::Approved
    }
    pub fn may_review(&self, f: &Figure) -> bool {
        self.coordinates() && f.status == FigureStatus::Submitted
    }
    pub fn may_reopen(&self, f: &Figure) -> bool {
        self.coordinates() && f.status == FigureStatus::Approved
    }
    pub fn may_edit_framework(&self) -> bool {
        self.coordinates()
    }
    pub fn may_manage_accounts(&self) -> bool {
        self.administers()
    }
    /// May download the reporting workbook of `organisation` and upload it filled in: the
    /// organisation's focal point, or the coordinator on its behalf (a workbook that came by e-mail).
    /// Imported figures enter as submitted, so the coordinator still reviews them.
    pub fn may_exchange_workbook(&self, organisation: &OrgCode) -> bool {
        self.may_exchange_workbooks()
            && (self.coordinates() || self.organisation.as_ref() == Some(organisation))
    }
    /// May exchange some organisation's workbook: open the workbook pages at all.
    pub fn may_exchange_workbooks(&self) -> bool {
        self.coordinates() || self.role == Role::FocalPoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, org: Option<&str>) -> Actor {
        Actor {
            id: 1,
            email: "a@b".into(),
            name: "A".into(),
            role,
            organisation: org.map(|o| OrgCode::parse(o).unwrap()),
            approves: false,
        }
    }
    fn figure(orgs: &[&str], status: FigureStatus) -> Figure {
        Figure::sample(orgs, status)
    }

    #[test]
    fn nothing_is_done_to_a_figure_of_a_closed_period() {
        use crate::model::PeriodStatus;
        let coordinator = actor(Role::Coordinator, None);
        let f = figure(&["IOM"], FigureStatus::Submitted);
        assert!(Actions::of(&coordinator, &f, PeriodStatus::Open).review);
        assert_eq!(
            Actions::of(&coordinator, &f, PeriodStatus::Closed),
            Actions::default()
        );
    }

    #[test]
    fn the_public_sees_approved_figures_only() {
        let viewer = actor(Role::Viewer, None);
        assert!(!may_see(None, &figure(&["IOM"], FigureStatus::Submitted)));
        assert!(may_see(None, &figure(&["IOM"], FigureStatus::Approved)));
        assert!(may_see(
            Some(&viewer),
            &figure(&["IOM"], FigureStatus::Submitted)
        ));
    }

    #[test]
    fn a_focal_point_edits_only_its_own_organisations_drafts() {
        let iom = actor(Role::FocalPoint, Some("IOM"));
        assert!(iom.may_edit(&figure(&["IOM"], FigureStatus::Draft)));
        assert!(iom.may_edit(&figure(&["ILO", "IOM"], FigureStatus::Returned)));
        assert!(!iom.may_edit(&figure(&["UNHCR"], FigureStatus::Draft)));
        assert!(!iom.may_edit(&figure(&["IOM"], FigureStatus::Submitted)));
        assert!(!iom.may_create(&[OrgCode::parse("UNHCR").unwrap()]));
    }

    #[test]
    fn only_coordinators_review_and_viewers_change_nothing() {
        let submitted = figure(&["IOM"], FigureStatus::Submitted);
        assert!(actor(Role::Coordinator, None).may_review(&submitted));
        assert!(actor(Role::Administrator, None).may_review(&submitted));
        assert!(!actor(Role::FocalPoint, Some("IOM")).may_review(&submitted));
        let viewer = actor(Role::Viewer, None);
        assert!(
            !viewer.may_edit(&figure(&["IOM"], FigureStatus::Draft))
                && !viewer.may_review(&submitted)
                && !viewer.may_edit_framework()
        );
    }

    #[test]
    fn workbooks_are_exchanged_by_their_organisation_or_the_coordinator() {
        let iom = OrgCode::parse("IOM").unwrap();
        let unhcr = OrgCode::parse("UNHCR").unwrap();
        assert!(actor(Role::FocalPoint, Some("IOM")).may_exchange_workbook(&iom));
        assert!(!actor(Role::FocalPoint, Some("IOM")).may_exchange_workbook(&unhcr));
        assert!(actor(Role::Coordinator, None).may_exchange_workbook(&unhcr));
        assert!(actor(Role::Administrator, None).may_exchange_workbook(&iom));
        assert!(!actor(Role::Viewer, None).may_exchange_workbook(&iom));
        assert!(actor(Role::FocalPoint, Some("IOM")).may_exchange_workbooks());
        assert!(!actor(Role::Viewer, None).may_exchange_workbooks());
    }
}
