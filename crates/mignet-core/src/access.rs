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

/// A signed-in person, as far as permissions go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The organisation of a focal point.
    pub organisation: Option<OrgCode>,
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
    use crate::model::FigureValue;

    fn actor(role: Role, org: Option<&str>) -> Actor {
        Actor {
            id: 1,
            email: "a@b".into(),
            name: "A".into(),
            role,
            organisation: org.map(|o| OrgCode::parse(o).unwrap()),
        }
    }
    fn figure(orgs: &[&str], status: FigureStatus) -> Figure {
        Figure {
            id: crate::ItemId::parse("F").unwrap(),
            indicator: crate::FrameworkCode::parse("P1.O1.I01").unwrap(),
            organisations: orgs.iter().map(|o| OrgCode::parse(o).unwrap()).collect(),
            value: FigureValue::Count { value: 1 },
            disaggregation: vec![],
            places: vec![],
            note: None,
            evidence: None,
            footnotes: vec![],
            status,
            status_by: None,
            status_at: None,
            joint: Default::default(),
            withheld_parts: Vec::new(),
        }
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
