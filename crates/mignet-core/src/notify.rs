//! Who is told what, and when: the messages of the reporting cycle (a figure submitted, returned,
//! approved, a joint figure waiting for a partner's confirmation) and the reminders of a round.
//!
//! Every message has a key that names its cause and its recipient. The store keeps one message per
//! key, so that the same event or the same reminder seen twice (by two servers on one store, or by a
//! server and `mignet remind`) is one message.

use crate::access::{Actor, Role};
use crate::completeness;
use crate::model::{Dataset, Figure, FigureStatus, PeriodData};
use serde::Serialize;

/// One message for one person, before it is written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// What makes the message one: its cause and its recipient.
    pub key: String,
    /// The recipient's e-mail address.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// The page of the site the message is about (a path such as `/entry/2023/F-1`).
    pub link: String,
}

/// A step of review recorded on a figure, as the store's review log holds it.
#[derive(Debug, Clone)]
pub struct ReviewStep<'a> {
    /// The log entry's number, unique in the store.
    pub id: i64,
    pub period: &'a str,
    pub figure: &'a Figure,
    /// `submit`, `approve`, `return`, `confirm` or `reopen`.
    pub action: &'a str,
    /// The e-mail of who took the step.
    pub actor: &'a str,
    /// The organisation that confirmed or submitted.
    pub organisation: Option<&'a str>,
    pub comment: Option<&'a str>,
}

/// When reminders go out: some days before the due date, and while overdue every so many days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// Days before the due date, each a reminder (the default 7 and 1).
    pub days_before: Vec<u32>,
    /// Days between reminders to an organisation that is late (the default 7).
    pub overdue_every: u32,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        ReminderPolicy {
            days_before: vec![7, 1],
            overdue_every: 7,
        }
    }
}

impl ReminderPolicy {
    /// Reads `7,1` (days before the due date); every number must be a whole number of days.
    pub fn parse_days(text: &str) -> Result<Vec<u32>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<u32>().map_err(|_| {
                    format!("`{s}` is not a number of days: write whole numbers such as 7,1")
                })
            })
            .collect()
    }
}

fn figure_words(ds: &Dataset, f: &Figure) -> String {
    match ds.indicator(f.indicator.as_str()) {
        Some(i) => format!("figure {} ({} {})", f.id, f.indicator, i.statement),
        None => format!("figure {}", f.id),
    }
}

fn focal_points<'a>(
    accounts: &'a [Actor],
    organisation: &'a str,
) -> impl Iterator<Item = &'a Actor> + 'a {
    accounts.iter().filter(move |a| {
        a.role == Role::FocalPoint
            && a.organisation
                .as_ref()
                .is_some_and(|o| o.as_str() == organisation)
    })
}

fn coordinators(accounts: &[Actor]) -> impl Iterator<Item = &Actor> {
    accounts
        .iter()
        .filter(|a| matches!(a.role, Role::Coordinator | Role::Administrator))
}

/// The messages a review step causes. `accounts` are the store's enabled accounts. Nobody is told
/// of their own step.
pub fn for_review(ds: &Dataset, step: &ReviewStep<'_>, accounts: &[Actor]) -> Vec<Message> {
    let f = step.figure;
    let what = figure_words(ds, f);
    let link = format!("/entry/{}/{}", step.period, f.id);
    let by = step.organisation.unwrap_or(step.actor);
    let orgs: Vec<&str> = f.organisations.iter().map(|o| o.as_str()).collect();
    // The focal points of every organisation named on the figure.
    let of_figure = || {
        orgs.iter()
            .flat_map(|o| focal_points(accounts, o))
            .collect()
    };
    // With two levels of approval, a submission goes first to the approvers of the figure's
    // reporting organisation, and reaches the coordinators once they approved it.
    let agency_approvers = || -> Vec<&Actor> {
        orgs.first()
            .map(|o| focal_points(accounts, o).filter(|a| a.approves).collect())
            .unwrap_or_default()
    };
    let returned_by = match accounts.iter().find(|a| a.email == step.actor) {
        Some(a) if a.role == Role::FocalPoint => format!(
            "The approver of {}",
            a.organisation
                .as_ref()
                .map_or("your organisation", |o| o.as_str())
        ),
        _ => "The coordinator".to_owned(),
    };
    let (to, subject, body): (Vec<&Actor>, String, String) = match step.action {
        "submit" if ds.network.agency_approval => (
            agency_approvers(),
            format!("Waiting for your approval: {} of {}", f.id, step.period),
            format!(
                "{by} submitted {what} for period {}. Approve it for your organisation, or return it, before it goes to the network's coordinator.",
                step.period
            ),
        ),
        "submit" => (
            coordinators(accounts).collect(),
            format!("Submitted for review: {} of {}", f.id, step.period),
            format!(
                "{by} submitted {what} for period {}. It waits for your review.",
                step.period
            ),
        ),
        "endorse" => (
            coordinators(accounts).collect(),
            format!("Submitted for review: {} of {}", f.id, step.period),
            format!(
                "{by} approved {what} for period {} for its organisation. It waits for your review.",
                step.period
            ),
        ),
        "return" => (
            of_figure(),
            format!("Returned to you: {} of {}", f.id, step.period),
            format!(
                "{returned_by} returned {what} for period {}.\n\nWhy: {}\n\nChange it, then submit it again.",
                step.period,
                step.comment.unwrap_or("no reason was given")
            ),
        ),
        "approve" => (
            of_figure(),
            format!("Approved: {} of {}", f.id, step.period),
            format!(
                "The coordinator approved {what} for period {}.{}",
                step.period,
                step.comment
                    .map(|c| format!("\n\nComment: {c}"))
                    .unwrap_or_default()
            ),
        ),
        "confirm" => (
            orgs.iter()
                .filter(|o| Some(**o) != step.organisation)
                .flat_map(|o| focal_points(accounts, o))
                .collect(),
            format!("Confirmed by {by}: joint {} of {}", f.id, step.period),
            format!(
                "{by} confirmed the content of the joint {what} for period {}.",
                step.period
            ),
        ),
        _ => (Vec::new(), String::new(), String::new()),
    };
    addressed(
        &format!("review:{}", step.id),
        to,
        step.actor,
        &subject,
        &body,
        &link,
    )
}

/// The messages a saved joint figure causes: each other organisation named on it is asked to confirm
/// its content. `saved` is the number of the audit entry that recorded the save; `actor` who saved.
pub fn for_joint_save(
    ds: &Dataset,
    saved: i64,
    period: &str,
    f: &Figure,
    actor: &Actor,
    accounts: &[Actor],
) -> Vec<Message> {
    if !f.is_joint() || !matches!(f.status, FigureStatus::Draft | FigureStatus::Returned) {
        return Vec::new();
    }
    let mine = actor.organisation.as_ref().map(|o| o.as_str());
    let to: Vec<&Actor> = f
        .organisations
        .iter()
        .map(|o| o.as_str())
        .filter(|o| Some(*o) != mine)
        .flat_map(|o| focal_points(accounts, o))
        .collect();
    let by = mine.unwrap_or(&actor.email);
    addressed(
        &format!("joint:{saved}"),
        to,
        &actor.email,
        &format!("Waiting for your confirmation: joint {} of {period}", f.id),
        &format!(
            "{by} saved the joint {} for period {period}, which names your organisation. It is submitted once each organisation named on it has confirmed its content: open it, check it and confirm it.",
            figure_words(ds, f)
        ),
        &format!("/entry/{period}/{}", f.id),
    )
}

/// The reminders of period `p`'s round on `today`: to each organisation that has assignments not yet
/// reported, once for the nearest of the policy's days before the due date it has reached, and every
/// `overdue_every` days once the due date has passed. Nothing for a closed period or a round without
/// a due date.
pub fn reminders(
    ds: &Dataset,
    p: &PeriodData,
    today: &str,
    policy: &ReminderPolicy,
    accounts: &[Actor],
) -> Vec<Message> {
    let Some(due) = p.period.round.due.as_deref() else {
        return Vec::new();
    };
    if p.period.status != crate::model::PeriodStatus::Open {
        return Vec::new();
    }
    let (Some(due_day), Some(day)) = (day_number(due), day_number(today)) else {
        return Vec::new();
    };
    let period = p.period.code.as_str();
    let (when, words) = if day <= due_day {
        let left = due_day - day;
        match policy
            .days_before
            .iter()
            .filter(|d| i64::from(**d) >= left)
            .min()
        {
            Some(d) => (
                format!("before-{d}"),
                match left {
                    0 => "today".to_owned(),
                    1 => "tomorrow".to_owned(),
                    n => format!("in {n} days"),
                },
            ),
            None => return Vec::new(),
        }
    } else {
        let late = day - due_day;
        let every = i64::from(policy.overdue_every.max(1));
        (
            format!("overdue-{}", (late - 1) / every),
            format!("{late} day{} ago", if late == 1 { "" } else { "s" }),
        )
    };
    let round = completeness::completeness(p, today);
    let mut out = Vec::new();
    for o in round.organisations {
        let left: Vec<String> = o
            .cells
            .iter()
            .filter(|c| !c.stage.is_reported())
            .map(|c| match ds.indicator(c.indicator.as_str()) {
                Some(i) => format!("- {} {} ({})", c.indicator, i.statement, c.stage.words()),
                None => format!("- {} ({})", c.indicator, c.stage.words()),
            })
            .collect();
        if left.is_empty() {
            continue;
        }
        let org = o.organisation.as_str();
        let overdue = day > due_day;
        let subject = if overdue {
            format!(
                "Overdue: {} figure(s) for {period} were due on {due}",
                left.len()
            )
        } else {
            format!(
                "Reminder: {} figure(s) for {period} are due on {due}",
                left.len()
            )
        };
        let when_due = if overdue {
            format!("They were due {words} ({due}).")
        } else {
            format!("They are due {words} ({due}).")
        };
        let body = format!(
            "{org} has reported {} of its {} assigned figure(s) for period {period}. {when_due}\n\nStill to report:\n{}\n",
            o.submitted + o.approved,
            o.assigned,
            left.join("\n")
        );
        out.extend(addressed(
            &format!("remind:{period}:{org}:{when}"),
            focal_points(accounts, org).collect(),
            "",
            &subject,
            &body,
            "/entry",
        ));
    }
    out
}

/// The messages a comment in a figure's thread causes: the coordinators and the focal points of the
/// figure's organisations hear of it, except its writer. `written` is the comment's entry in the
/// audit trail.
pub fn for_comment(
    ds: &Dataset,
    written: i64,
    period: &str,
    f: &Figure,
    actor: &Actor,
    text: &str,
    accounts: &[Actor],
) -> Vec<Message> {
    let to: Vec<&Actor> = coordinators(accounts)
        .chain(
            f.organisations
                .iter()
                .flat_map(|o| focal_points(accounts, o.as_str())),
        )
        .collect();
    let by = actor
        .organisation
        .as_ref()
        .map_or(actor.email.as_str(), |o| o.as_str());
    addressed(
        &format!("comment:{written}"),
        to,
        &actor.email,
        &format!("New comment on {} of {period}", f.id),
        &format!(
            "{by} wrote about {} for period {period}:\n\n{text}",
            figure_words(ds, f)
        ),
        &format!("/figures/{period}/{}#thread", f.id),
    )
}

/// One message per recipient (each once, never to `except`), keyed by the cause and the recipient.
fn addressed(
    cause: &str,
    to: Vec<&Actor>,
    except: &str,
    subject: &str,
    body: &str,
    link: &str,
) -> Vec<Message> {
    let mut seen = std::collections::BTreeSet::new();
    to.into_iter()
        .filter(|a| !a.email.eq_ignore_ascii_case(except))
        .filter(|a| seen.insert(a.email.to_ascii_lowercase()))
        .map(|a| Message {
            key: format!("{cause}:{}", a.email.to_ascii_lowercase()),
            recipient: a.email.clone(),
            subject: subject.to_owned(),
            body: format!("Dear {},\n\n{body}", a.name),
            link: link.to_owned(),
        })
        .collect()
}

/// The number of the day of an ISO date (`YYYY-MM-DD`), counted from 1970-01-01, for differences
/// between dates. Written here because the core takes no date crate for one subtraction; this is the
/// usual count of days in the proleptic Gregorian calendar.
pub fn day_number(date: &str) -> Option<i64> {
    if !crate::rules::is_iso_date(date) {
        return None;
    }
    let y: i64 = date[..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    // Days before year y's March 1st, with March as the first month so that leap days come last.
    let days_of_years = 365 * y + y / 4 - y / 100 + y / 400;
    let days_of_months = (153 * (m - 3) + 2) / 5;
    Some(days_of_years + days_of_months + d - 719_469)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(
            day_number("2000-03-01")
                .zip(day_number("2000-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(
            day_number("2023-03-01")
                .zip(day_number("2023-02-28"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(
            day_number("2024-02-16")
                .zip(day_number("2024-01-01"))
                .map(|(a, b)| a - b),
            Some(46)
        );
        assert_eq!(day_number("2024-13-01"), None);
    }

    #[test]
    fn reminder_days_are_read_with_a_clear_error() {
        assert_eq!(ReminderPolicy::parse_days("7, 1"), Ok(vec![7, 1]));
        assert!(
            ReminderPolicy::parse_days("7,a")
                .unwrap_err()
                .contains("`a`")
        );
    }
}
