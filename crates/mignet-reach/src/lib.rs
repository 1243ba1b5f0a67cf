//! De-duplicated reach from pseudonymous service records.
//!
//! Agencies in a network each record the services they deliver, with the
//! person as a keyed pseudonym (see [`pseudonym`]). Summing the agencies'
//! own counts of people double-counts everyone served by more than one
//! agency; this crate counts each person once, exactly, per indicator and per
//! disaggregation, from a CSV file of records
//! (`record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality`).
//!
//! Main types:
//! - [`reach_path`] / [`reach_reader`]: read the records and return
//!   [`ReachTables`]: q1 per (indicator, agency), q2 per indicator with the
//!   overlap between agencies, q3 per (indicator, province, sex, age group),
//!   q4 per (indicator, quarter).
//! - [`ReachOptions`]: validations ([`Validation`]), bad-row policy
//!   ([`OnError`]), threads and a memory budget beyond which records spill
//!   to a temporary file.
//! - [`ReachTables::write_csvs`]: the `q1.csv`..`q4.csv` files.
//! - [`joint_reach`]: one joint figure: distinct people across some agencies
//!   under one indicator in one period, and their overlap.
//! - [`pseudonym`]: the keyed pseudonyms agencies put in the `beneficiary`
//!   column ([`pseudonym::NetworkKey`], [`pseudonym::pseudonymize_file`]).
//!
//! Input rules: a header naming the columns (any order; extra columns are
//! ignored), `,` separators, `\n` or `\r\n` line ends, blank lines skipped.
//! Values may be wrapped in double quotes but cannot contain commas (codes and
//! pseudonyms never do); such a row is reported as having the wrong number of
//! fields.
//!
//! How: rows are parsed as bytes into 16-byte records (person plus packed
//! small ids), partitioned by person, and each partition is counted on its
//! own; memory stays bounded however many rows there are.
//!
//! ```
//! use mignet_reach::{ReachOptions, reach_reader};
//! let csv = "record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality\n\
//!            1,IOM,P1.O1.I01,2022-01-05,TH-10,00000000000000aa,F,adult,MMR\n\
//!            2,ILO,P1.O1.I01,2022-02-11,TH-10,00000000000000aa,F,adult,MMR\n";
//! let t = reach_reader(csv.as_bytes(), &ReachOptions::default()).unwrap();
//! assert_eq!(t.q2[0].unique_beneficiaries, 1); // one person...
//! assert_eq!(t.q2[0].overlap, 1); // ...whom the two agencies both count
//! ```

mod count;
mod dict;
mod engine;
mod error;
mod joint;
mod options;
mod parse;
mod progress;
pub mod pseudonym;
mod store;
mod tables;

pub use engine::{reach_path, reach_reader};
pub use error::{ReachError, RowError, RowErrorKind};
pub use joint::{JointReach, JointSelection, joint_reach, joint_reach_bytes};
pub use options::{OnError, Period, ReachOptions, Validation};
pub use tables::{AgencyRow, DisaggregationRow, IndicatorRow, QuarterRow, ReachTables};
