//! De-duplicated reach computed inside PostgreSQL (`mignet reach --engine postgres`): the store loads
//! and counts the records with SQL, and this use case turns its rows into the same
//! [`ReachTables`] the in-process engine returns, so that both engines write byte-identical files
//! and report bad rows in the same words (docs/reach.md).

use mignet_reach::{OnError, ReachError, ReachOptions, ReachTables, RowError, RowErrorKind};
use mignet_store::{DbBadRow, DbReachError, DbReachOptions};
use std::io::Read;
use std::path::Path;

/// Count the records read from `input` (named `name` in messages) inside the PostgreSQL database at
/// `url`, with the checks and bad-row policy of `opts` (threads, memory and temp dir do not apply:
/// the database decides those).
pub async fn reach_in_postgres(
    url: &str,
    input: impl Read,
    name: &Path,
    opts: &ReachOptions,
) -> Result<ReachTables, ReachError> {
    let v = &opts.validation;
    let iso = |ymd: u32| {
        format!(
            "{:04}-{:02}-{:02}",
            ymd / 10_000,
            ymd / 100 % 100,
            ymd % 100
        )
    };
    let db_opts = DbReachOptions {
        agencies: v.agencies.clone(),
        indicators: v.indicators.clone(),
        period: v.period.map(|p| (iso(p.first), iso(p.last))),
        skip_bad: opts.on_error == OnError::Skip,
        max_errors: opts.max_errors,
    };
    let rows = match mignet_store::reach_in_postgres(url, input, &db_opts).await {
        Ok(rows) => rows,
        Err(DbReachError::BadRows { errors, total }) => {
            return Err(ReachError::BadRows {
                errors: errors.iter().map(row_error).collect(),
                total,
            });
        }
        Err(DbReachError::BadHeader(m)) => return Err(ReachError::BadHeader(m)),
        Err(DbReachError::Io(source)) => {
            return Err(ReachError::Io {
                path: name.to_owned(),
                source,
            });
        }
        Err(e) => return Err(ReachError::Invalid(format!("PostgreSQL engine: {e}"))),
    };
    Ok(ReachTables {
        records: rows.records,
        people: rows.people,
        skipped: rows.skipped,
        skipped_examples: rows.skipped_examples.iter().map(row_error).collect(),
        spilled_records: 0,
        q1: rows
            .q1
            .into_iter()
            .map(
                |(indicator, agency, services, beneficiaries)| mignet_reach::AgencyRow {
                    indicator,
                    agency,
                    services,
                    beneficiaries,
                },
            )
            .collect(),
        q2: rows
            .q2
            .into_iter()
            .map(
                |(indicator, unique, sum, overlap)| mignet_reach::IndicatorRow {
                    indicator,
                    unique_beneficiaries: unique,
                    sum_agency_beneficiaries: sum,
                    overlap,
                },
            )
            .collect(),
        q3: rows
            .q3
            .into_iter()
            .map(|(indicator, province, sex, age_group, beneficiaries)| {
                mignet_reach::DisaggregationRow {
                    indicator,
                    province,
                    sex,
                    age_group,
                    beneficiaries,
                }
            })
            .collect(),
        q4: rows
            .q4
            .into_iter()
            .map(
                |(indicator, quarter, beneficiaries)| mignet_reach::QuarterRow {
                    indicator,
                    quarter,
                    beneficiaries,
                },
            )
            .collect(),
    })
}

/// A refused row in the in-process engine's words.
fn row_error(b: &DbBadRow) -> RowError {
    let v = shown(&b.value);
    let kind = match b.kind {
        "column_count" => {
            let (expected, found) = b.fields.unwrap_or_default();
            RowErrorKind::ColumnCount { expected, found }
        }
        "empty" => RowErrorKind::Empty { column: b.column },
        "unknown_agency" => RowErrorKind::UnknownAgency(v),
        "unknown_indicator" => RowErrorKind::UnknownIndicator(v),
        "bad_date" => RowErrorKind::BadDate(v),
        "outside_period" => RowErrorKind::OutsidePeriod(v),
        "bad_province" => RowErrorKind::BadProvince(v),
        _ => RowErrorKind::BadPseudonym(v),
    };
    RowError { line: b.line, kind }
}

/// A value cut to a readable length, as the in-process engine shows it.
fn shown(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    } else {
        s.to_owned()
    }
}
