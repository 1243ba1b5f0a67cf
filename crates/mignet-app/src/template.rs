//! The reporting workbook of one organisation for one period (docs/workbook.md).

use crate::import::ExchangeError;
use crate::{App, AppError};
use mignet_core::{OrgCode, PeriodCode};

/// A template, and what it was made from.
#[derive(Debug)]
pub struct TemplateOutcome {
    /// The .xlsx file.
    pub bytes: Vec<u8>,
    /// How many indicators it lists.
    pub indicators: usize,
    /// Why it lists the indicators it lists.
    pub selection: Selection,
    /// Whether the store has the period yet: the import needs it to be there, and open.
    pub period_in_store: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The indicators the organisation has reported on in any period.
    Reported,
    /// Every indicator, because the organisation has reported on none yet.
    AllNoneReported,
    /// Every indicator, because `all` was asked for.
    All,
}

impl App {
    /// The template for `organisation` to report `period`. It lists the indicators the organisation has
    /// figures for in any period (alone or jointly), in framework order; every indicator when it has
    /// none yet or when `all` is set. The period need not be in the store yet.
    pub async fn template(
        &self,
        organisation: &str,
        period: &str,
        all: bool,
    ) -> Result<TemplateOutcome, ExchangeError> {
        let ds = self.dataset().await?;
        let org = OrgCode::parse(organisation)
            .map_err(|e| AppError::invalid("organisation", format!("the organisation code {e}")))?;
        let period_code = PeriodCode::parse(period)
            .map_err(|e| AppError::invalid("period", format!("the period code {e}")))?;
        if ds.organisation(organisation).is_none() {
            let known: Vec<&str> = ds.organisations.iter().map(|o| o.code.as_str()).collect();
            return Err(AppError::invalid(
                "organisation",
                format!(
                    "the store has no organisation `{organisation}` (it has: {})",
                    known.join(", ")
                ),
            )
            .into());
        }
        let reported = |code: &str| {
            ds.periods.iter().any(|p| {
                p.figures
                    .iter()
                    .any(|f| f.indicator.as_str() == code && f.organisations.contains(&org))
            })
        };
        let mine: Vec<_> = ds
            .framework
            .indicators
            .iter()
            .filter(|i| reported(i.code.as_str()))
            .collect();
        let (indicators, selection) = if all {
            (ds.framework.indicators.iter().collect(), Selection::All)
        } else if mine.is_empty() {
            (
                ds.framework.indicators.iter().collect(),
                Selection::AllNoneReported,
            )
        } else {
            (mine, Selection::Reported)
        };
        let codes: Vec<_> = indicators.iter().map(|i| i.code.clone()).collect();
        let count = codes.len();
        let period_in_store = ds.period(period).is_some();
        // Writing the workbook takes long enough on a large framework to hold up other requests: a
        // blocking thread does it, from the dataset it owns.
        let bytes = crate::blocking(move || {
            let indicators: Vec<_> = codes
                .iter()
                .filter_map(|c| ds.indicator(c.as_str()))
                .collect();
            mignet_formats::workbook::template::write(&ds, &org, &period_code, &indicators)
        })
        .await?
        .map_err(|e| AppError::from(crate::ExportError::write("workbook", e)))?;
        Ok(TemplateOutcome {
            bytes,
            indicators: count,
            selection,
            period_in_store,
        })
    }
}
