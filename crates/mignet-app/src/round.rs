//! The reporting round of a period: how complete it is on a day, and the same as a workbook. The day
//! comes from the caller's [`Clock`], never from the system clock directly, so that a test or an
//! operator can say what day it is.

use crate::{App, AppError, ExportError, FieldError};
use mignet_core::access::Actor;
use mignet_core::completeness::{self, Completeness};
use mignet_core::model::{Assignment, Period, PeriodData, PeriodStatus, Round};
use mignet_store::LoadSummary;

/// The day the reporting cycle reads: the system's (UTC), one fixed by the operator (`mignet serve
/// --today 2024-02-20`, `mignet completeness --today ...`) or by a test, or the one written in a
/// file, read each time (`--today @FILE`): a test or a rehearsal moves the day of a running server
/// by writing the file, without waiting for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(String),
    File(std::path::PathBuf),
}

fn not_a_date(date: &str) -> AppError {
    AppError::invalid(
        "today",
        format!("`{date}` is not a date: write it as YYYY-MM-DD, for example 2023-02-15"),
    )
}

fn system_day() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
    now.to_string()[..10].to_owned()
}

impl Clock {
    /// A clock fixed on `date`, which must be `YYYY-MM-DD`.
    pub fn fixed(date: &str) -> Result<Clock, AppError> {
        if mignet_core::rules::is_iso_date(date) {
            Ok(Clock::Fixed(date.to_owned()))
        } else {
            Err(not_a_date(date))
        }
    }

    /// The clock a `--today` argument names: `YYYY-MM-DD`, or `@FILE` for the day written in FILE
    /// (which must hold one now).
    pub fn parse(arg: &str) -> Result<Clock, AppError> {
        let Some(path) = arg.strip_prefix('@') else {
            return Clock::fixed(arg);
        };
        let clock = Clock::File(path.into());
        match clock.read_file() {
            Some(Ok(_)) => Ok(clock),
            Some(Err(text)) => Err(not_a_date(&text)),
            None => Err(AppError::invalid(
                "today",
                format!("cannot read the day from {path}: write a date such as 2023-02-15 in it"),
            )),
        }
    }

    /// The day written in the clock's file: `None` when it cannot be read, the text when it is no
    /// date.
    fn read_file(&self) -> Option<Result<String, String>> {
        let Clock::File(path) = self else {
            return None;
        };
        let text = std::fs::read_to_string(path).ok()?;
        let day = text.trim();
        Some(if mignet_core::rules::is_iso_date(day) {
            Ok(day.to_owned())
        } else {
            Err(day.to_owned())
        })
    }

    /// Today as `YYYY-MM-DD`. A clock file that no longer holds a date gives the system's day, with
    /// a warning in the log.
    pub fn today(&self) -> String {
        match self {
            Clock::Fixed(d) => d.clone(),
            Clock::System => system_day(),
            Clock::File(path) => match self.read_file() {
                Some(Ok(day)) => day,
                _ => {
                    tracing::warn!(file = %path.display(), "the clock file holds no date; using the system's day");
                    system_day()
                }
            },
        }
    }
}

/// A round as a coordinator sets it: its dates (empty for none) and the (organisation, indicator)
/// pairs assigned, in order.
#[derive(Debug, Clone, Default)]
pub struct RoundInput {
    pub opens: String,
    pub due: String,
    pub publishes: String,
    pub assignments: Vec<(String, String)>,
}

/// A period a coordinator opens for a new round.
#[derive(Debug, Clone, Default)]
pub struct NewPeriod {
    pub code: String,
    pub title: String,
    /// First and last day the period covers (`YYYY-MM-DD`, empty for none).
    pub starts: String,
    pub ends: String,
}

/// The fingerprint of a round as a person saw it: a change made meanwhile is not overwritten.
pub fn round_fingerprint(round: &Round) -> String {
    use sha2::Digest;
    let json = serde_json::to_vec(round).expect("a round serialises");
    sha2::Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

fn date(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The round `input` describes in `ds`, or every problem with it, each with its field.
fn round_of(ds: &mignet_core::Dataset, input: &RoundInput) -> Result<Round, AppError> {
    let mut round = Round {
        opens: date(&input.opens),
        due: date(&input.due),
        publishes: date(&input.publishes),
        assignments: Vec::new(),
    };
    let mut errors: Vec<FieldError> = mignet_core::rules::round_dates(&round)
        .into_iter()
        .map(|b| field(b.field, b.message))
        .collect();
    for (organisation, indicator) in &input.assignments {
        let broken = mignet_core::rules::assignment(ds, organisation, indicator);
        if !broken.is_empty() {
            errors.extend(broken.into_iter().map(|b| field("assignments", b.message)));
            continue;
        }
        let a = Assignment {
            organisation: mignet_core::OrgCode::parse(organisation)
                .map_err(|e| AppError::invalid("assignments", e.to_string()))?,
            indicator: mignet_core::FrameworkCode::parse(indicator)
                .map_err(|e| AppError::invalid("assignments", e.to_string()))?,
        };
        if !round.assignments.contains(&a) {
            round.assignments.push(a);
        }
    }
    if errors.is_empty() {
        Ok(round)
    } else {
        Err(AppError::Invalid(errors))
    }
}

impl App {
    /// Sets the round of the open period `period`: its dates and assignments, as a coordinator
    /// decides them. `seen` is the fingerprint of the round as the coordinator read it
    /// ([`round_fingerprint`]); when it changed since, nothing is written.
    pub async fn set_round(
        &self,
        actor: &Actor,
        period: &str,
        input: &RoundInput,
        seen: &str,
    ) -> Result<LoadSummary, AppError> {
        if !actor.coordinates() {
            return Err(AppError::Forbidden(
                "only the network's coordinators set a reporting round".into(),
            ));
        }
        self.store()
            .edit_dataset(&actor.email, |ds| {
                let round = round_of(ds, input)?;
                let p = Self::period_of(ds, period)?;
                if p.period.status != PeriodStatus::Open {
                    return Err(AppError::invalid(
                        "period",
                        format!("{period} is closed: its round is history and stays as it was"),
                    ));
                }
                if round_fingerprint(&p.period.round) != seen {
                    return Err(AppError::Changed(format!(
                        "the round of {period} was changed by someone else since you opened it; reload it to see their change, then make yours again"
                    )));
                }
                let p = ds
                    .periods
                    .iter_mut()
                    .find(|p| p.period.code.as_str() == period)
                    .expect("found above");
                p.period.round = round;
                Ok(())
            })
            .await?
    }

    /// Opens a new period for reporting, on the network's current framework, with no figures yet;
    /// its round is set with [`App::set_round`].
    pub async fn start_period(
        &self,
        actor: &Actor,
        new: &NewPeriod,
    ) -> Result<LoadSummary, AppError> {
        if !actor.coordinates() {
            return Err(AppError::Forbidden(
                "only the network's coordinators open a period".into(),
            ));
        }
        let code = new.code.trim();
        let mut errors = Vec::new();
        let parsed = mignet_core::PeriodCode::parse(code);
        if let Err(e) = &parsed {
            errors.push(field("code", format!("the period {e}")));
        }
        let title = new.title.trim();
        if title.is_empty() {
            errors.push(field(
                "title",
                "give the period a title, such as Highlights 2024",
            ));
        } else if let Err(e) =
            mignet_core::limits::check("title", mignet_core::limits::Text::Title, title)
        {
            errors.push(field(&e.field, e.message));
        }
        let (starts, ends) = (date(&new.starts), date(&new.ends));
        for (name, d) in [("starts", &starts), ("ends", &ends)] {
            if let Some(d) = d
                && !mignet_core::rules::is_iso_date(d)
            {
                errors.push(field(
                    name,
                    format!("`{d}` is not a date: write it as YYYY-MM-DD"),
                ));
            }
        }
        if let (Some(s), Some(e)) = (&starts, &ends)
            && s > e
        {
            errors.push(field(
                "ends",
                format!("the period ends ({e}) before it starts ({s})"),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let code = parsed.expect("checked above");
        self.store()
            .edit_dataset(&actor.email, |ds| {
                if ds.period(code.as_str()).is_some() {
                    return Err(AppError::invalid(
                        "code",
                        format!("the period {code} exists already"),
                    ));
                }
                ds.periods.push(PeriodData {
                    period: Period {
                        code: code.clone(),
                        title: title.to_owned(),
                        starts: starts.clone(),
                        ends: ends.clone(),
                        status: PeriodStatus::Open,
                        framework: ds.framework.version.clone(),
                        introduction: None,
                        round: Round::default(),
                    },
                    sections: Vec::new(),
                    statistics: Vec::new(),
                    footnotes: Vec::new(),
                    derived: Vec::new(),
                    claims: Vec::new(),
                    figures: Vec::new(),
                    lines: Vec::new(),
                });
                Ok(())
            })
            .await?
    }

    /// How complete the round of `period` is on `today`.
    pub async fn completeness(&self, period: &str, today: &str) -> Result<Completeness, AppError> {
        let ds = self.dataset().await?;
        let p = Self::period_of(&ds, period)?;
        Ok(completeness::completeness(p, today))
    }

    /// The round's completeness as an XLSX workbook (written on a blocking thread).
    pub async fn completeness_workbook(
        &self,
        period: &str,
        today: &str,
    ) -> Result<Vec<u8>, AppError> {
        let ds = self.dataset().await?;
        let c = completeness::completeness(Self::period_of(&ds, period)?, today);
        crate::blocking(move || {
            mignet_formats::xlsx::completeness_workbook(&ds, &c)
                .map_err(|e| ExportError::write("XLSX", e).into())
        })
        .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_file_is_read_each_time_and_must_hold_a_date_when_named() {
        let dir = tempfile::tempdir().unwrap();
        let day = dir.path().join("day");
        let arg = format!("@{}", day.display());
        let e = Clock::parse(&arg).err().unwrap().to_string();
        assert!(e.contains("cannot read the day"), "{e}");
        std::fs::write(&day, "someday").unwrap();
        let e = Clock::parse(&arg).err().unwrap().to_string();
        assert!(e.contains("`someday` is not a date"), "{e}");
        std::fs::write(&day, "2024-02-09\n").unwrap();
        let clock = Clock::parse(&arg).unwrap();
        assert_eq!(clock.today(), "2024-02-09");
        std::fs::write(&day, "2024-02-17").unwrap();
        assert_eq!(clock.today(), "2024-02-17", "the day moves with the file");
        assert_eq!(
            Clock::parse("2024-01-01").unwrap(),
            Clock::Fixed("2024-01-01".into())
        );
    }
}
