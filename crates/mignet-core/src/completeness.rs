//! How complete a reporting round is: for each organisation, what it was assigned (`Round::assignments`),
//! how far each assigned indicator has come, what is overdue and what was returned and awaits the
//! agency. One computation for the coordinator's overview, its workbook, the API and a focal point's
//! list of what is due.

use crate::model::{Figure, FigureStatus, PeriodData};
use crate::{FrameworkCode, ItemId, OrgCode};
use serde::Serialize;
use std::collections::HashMap;

/// How far one assigned indicator has come for one organisation, from nothing to approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    NotStarted,
    Draft,
    /// Sent back by the coordinator: the agency has to act.
    Returned,
    Submitted,
    Approved,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::NotStarted,
        Stage::Draft,
        Stage::Returned,
        Stage::Submitted,
        Stage::Approved,
    ];

    /// The stage's name in data (JSON, the API): `not_started`, `draft` ...
    pub fn name(self) -> &'static str {
        match self {
            Stage::NotStarted => "not_started",
            Stage::Draft => "draft",
            Stage::Returned => "returned",
            Stage::Submitted => "submitted",
            Stage::Approved => "approved",
        }
    }

    /// The words a page prints for the stage.
    pub fn words(self) -> &'static str {
        match self {
            Stage::NotStarted => "not started",
            Stage::Draft => "draft",
            Stage::Returned => "returned",
            Stage::Submitted => "submitted",
            Stage::Approved => "approved",
        }
    }

    fn of(status: FigureStatus) -> Stage {
        match status {
            FigureStatus::Draft => Stage::Draft,
            FigureStatus::Returned => Stage::Returned,
            FigureStatus::Submitted => Stage::Submitted,
            FigureStatus::Approved => Stage::Approved,
        }
    }

    /// Reported: the agency's part is done (submitted or approved).
    pub fn is_reported(self) -> bool {
        self >= Stage::Submitted
    }
}

/// One assignment and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub organisation: OrgCode,
    pub indicator: FrameworkCode,
    /// The least advanced of the organisation's figures on the indicator (a joint figure counts for
    /// each of its organisations); `NotStarted` without any.
    pub stage: Stage,
    pub figures: Vec<ItemId>,
    /// The latest status change of those figures (RFC 3339).
    pub last_activity: Option<String>,
    /// Past the round's due date and not yet reported.
    pub overdue: bool,
}

/// One organisation's assignments and how many are at each stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationProgress {
    pub organisation: OrgCode,
    pub assigned: usize,
    pub not_started: usize,
    pub draft: usize,
    pub returned: usize,
    pub submitted: usize,
    pub approved: usize,
    /// Reported (submitted or approved) as a whole per cent of assigned, rounded down so that 100
    /// means every one.
    pub per_cent: u32,
    pub overdue: usize,
    /// The latest status change of any of its figures in the period, assigned or not.
    pub last_activity: Option<String>,
    pub cells: Vec<Cell>,
}

impl OrganisationProgress {
    /// How many of its assignments are at `stage`.
    pub fn count(&self, stage: Stage) -> usize {
        match stage {
            Stage::NotStarted => self.not_started,
            Stage::Draft => self.draft,
            Stage::Returned => self.returned,
            Stage::Submitted => self.submitted,
            Stage::Approved => self.approved,
        }
    }

    fn count_mut(&mut self, stage: Stage) -> &mut usize {
        match stage {
            Stage::NotStarted => &mut self.not_started,
            Stage::Draft => &mut self.draft,
            Stage::Returned => &mut self.returned,
            Stage::Submitted => &mut self.submitted,
            Stage::Approved => &mut self.approved,
        }
    }
}

/// A round's completeness on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    pub period: String,
    pub today: String,
    pub due: Option<String>,
    /// The due date has passed.
    pub past_due: bool,
    pub organisations: Vec<OrganisationProgress>,
    /// Returned figures' assignments, awaiting their agency.
    pub returned: Vec<Cell>,
    pub assigned: usize,
    pub reported: usize,
}

/// The round of period `p` as it stands on `today` (`YYYY-MM-DD`, from the caller's clock):
/// organisations in the order of their first assignment, each assignment in the order written.
pub fn completeness(p: &PeriodData, today: &str) -> Completeness {
    round(p, today, None)
}

/// What is due from one organisation: its own row of the round, if it has assignments.
pub fn due_from(p: &PeriodData, organisation: &str, today: &str) -> Option<OrganisationProgress> {
    round(p, today, Some(organisation)).organisations.pop()
}

/// The round, of every organisation or of `only` one. The period's figures are indexed once by
/// organisation and indicator, so that a network of many assignments and figures costs one pass
/// over each, not their product.
fn round(p: &PeriodData, today: &str, only: Option<&str>) -> Completeness {
    let due = p.period.round.due.clone();
    let past_due = due.as_deref().is_some_and(|d| today > d);
    let wanted = |o: &str| only.is_none_or(|w| w == o);
    // A joint figure counts for each of its organisations.
    let mut by_assignment: HashMap<(&str, &str), Vec<&Figure>> = HashMap::new();
    let mut last_of_org: HashMap<&str, &str> = HashMap::new();
    for f in &p.figures {
        for o in f.organisations.iter().filter(|o| wanted(o.as_str())) {
            by_assignment
                .entry((o.as_str(), f.indicator.as_str()))
                .or_default()
                .push(f);
            if let Some(at) = f.status_at.as_deref() {
                let last = last_of_org.entry(o.as_str()).or_insert(at);
                *last = (*last).max(at);
            }
        }
    }
    let mut organisations: Vec<OrganisationProgress> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for a in p
        .period
        .round
        .assignments
        .iter()
        .filter(|a| wanted(a.organisation.as_str()))
    {
        let org = a.organisation.as_str();
        let mine = by_assignment
            .get(&(org, a.indicator.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let stage = mine
            .iter()
            .map(|f| Stage::of(f.status))
            .min()
            .unwrap_or(Stage::NotStarted);
        let cell = Cell {
            organisation: a.organisation.clone(),
            indicator: a.indicator.clone(),
            stage,
            figures: mine.iter().map(|f| f.id.clone()).collect(),
            last_activity: mine.iter().filter_map(|f| f.status_at.clone()).max(),
            overdue: past_due && !stage.is_reported(),
        };
        let at = *position.entry(org).or_insert_with(|| {
            organisations.push(OrganisationProgress {
                organisation: a.organisation.clone(),
                assigned: 0,
                not_started: 0,
                draft: 0,
                returned: 0,
                submitted: 0,
                approved: 0,
                per_cent: 0,
                overdue: 0,
                last_activity: last_of_org.get(org).map(|at| (*at).to_owned()),
                cells: Vec::new(),
            });
            organisations.len() - 1
        });
        let o = &mut organisations[at];
        o.assigned += 1;
        *o.count_mut(stage) += 1;
        o.overdue += usize::from(cell.overdue);
        o.cells.push(cell);
    }
    for o in &mut organisations {
        o.per_cent = per_cent(o.submitted + o.approved, o.assigned);
    }
    let returned = organisations
        .iter()
        .flat_map(|o| &o.cells)
        .filter(|c| c.stage == Stage::Returned)
        .cloned()
        .collect();
    Completeness {
        period: p.period.code.to_string(),
        today: today.to_owned(),
        due,
        past_due,
        assigned: organisations.iter().map(|o| o.assigned).sum(),
        reported: organisations.iter().map(|o| o.submitted + o.approved).sum(),
        organisations,
        returned,
    }
}

/// `part` of `whole` as a whole per cent, rounded down (so 100 only when all are done).
fn per_cent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from(part * 100 / whole).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Assignment, Figure, Period, PeriodStatus, Round};

    fn figure(id: &str, indicator: &str, orgs: &[&str], status: FigureStatus, at: &str) -> Figure {
        Figure {
            id: ItemId::parse(id).unwrap(),
            indicator: FrameworkCode::parse(indicator).unwrap(),
            status_at: Some(at.to_owned()),
            ..Figure::sample(orgs, status)
        }
    }

    fn period(assign: &[(&str, &str)], figures: Vec<Figure>) -> PeriodData {
        PeriodData {
            period: Period {
                code: crate::PeriodCode::parse("2023").unwrap(),
                title: "Highlights 2023".into(),
                starts: None,
                ends: None,
                status: PeriodStatus::Open,
                framework: "1".into(),
                introduction: None,
                round: Round {
                    opens: Some("2023-01-09".into()),
                    due: Some("2023-02-15".into()),
                    publishes: None,
                    assignments: assign
                        .iter()
                        .map(|(o, i)| Assignment {
                            organisation: OrgCode::parse(o).unwrap(),
                            indicator: FrameworkCode::parse(i).unwrap(),
                        })
                        .collect(),
                },
            },
            sections: vec![],
            statistics: vec![],
            footnotes: vec![],
            derived: vec![],
            claims: vec![],
            figures,
            lines: vec![],
        }
    }

    #[test]
    fn each_assignment_takes_the_stage_of_its_least_advanced_figure_and_is_overdue_only_after_the_due_date()
     {
        let p = period(
            &[
                ("IOM", "P1.O1.I01"),
                ("IOM", "P1.O1.I02"),
                ("ILO", "P1.O1.I01"),
                ("ILO", "P1.O1.I03"),
            ],
            vec![
                // Joint: counts for both IOM and ILO.
                figure(
                    "F-A",
                    "P1.O1.I01",
                    &["IOM", "ILO"],
                    FigureStatus::Approved,
                    "2023-02-01T10:00:00Z",
                ),
                figure(
                    "F-B",
                    "P1.O1.I02",
                    &["IOM"],
                    FigureStatus::Submitted,
                    "2023-02-03T10:00:00Z",
                ),
                figure(
                    "F-C",
                    "P1.O1.I02",
                    &["IOM"],
                    FigureStatus::Returned,
                    "2023-02-02T10:00:00Z",
                ),
            ],
        );
        let before = completeness(&p, "2023-02-15");
        assert!(!before.past_due);
        let iom = &before.organisations[0];
        assert_eq!(iom.organisation.as_str(), "IOM");
        assert_eq!(
            (iom.assigned, iom.approved, iom.returned, iom.per_cent),
            (2, 1, 1, 50)
        );
        assert_eq!(iom.cells[1].stage, Stage::Returned);
        assert_eq!(
            iom.cells[1].last_activity.as_deref(),
            Some("2023-02-03T10:00:00Z")
        );
        assert_eq!(iom.last_activity.as_deref(), Some("2023-02-03T10:00:00Z"));
        let ilo = &before.organisations[1];
        assert_eq!((ilo.approved, ilo.not_started, ilo.per_cent), (1, 1, 50));
        assert_eq!(before.returned.len(), 1);
        assert_eq!((before.assigned, before.reported), (4, 2));
        assert_eq!(
            before
                .organisations
                .iter()
                .map(|o| o.overdue)
                .sum::<usize>(),
            0
        );

        let after = completeness(&p, "2023-02-16");
        assert!(after.past_due);
        let overdue: Vec<_> = after
            .organisations
            .iter()
            .flat_map(|o| &o.cells)
            .filter(|c| c.overdue)
            .map(|c| format!("{} {}", c.organisation, c.indicator))
            .collect();
        assert_eq!(overdue, ["IOM P1.O1.I02", "ILO P1.O1.I03"]);
        assert_eq!(
            due_from(&p, "ILO", "2023-02-16").map(|o| o.overdue),
            Some(1)
        );
        assert!(due_from(&p, "UNHCR", "2023-02-16").is_none());
    }

    #[test]
    fn each_stage_is_named_as_it_is_serialised() {
        for s in Stage::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
    }

    #[test]
    fn per_cent_is_rounded_down_so_that_100_means_all() {
        assert_eq!(per_cent(199, 200), 99);
        assert_eq!(per_cent(2, 2), 100);
        assert_eq!(per_cent(0, 0), 0);
    }
}
