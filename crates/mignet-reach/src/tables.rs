//! The four result tables and their CSV form.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::count::Counters;
use crate::error::{ReachError, RowError};
use crate::parse::province_name;

/// q1: one row per (indicator, agency).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AgencyRow {
    pub indicator: String,
    pub agency: String,
    /// Service records.
    pub services: u64,
    /// Distinct people this agency served under this indicator.
    pub beneficiaries: u64,
}

/// q2: one row per indicator: people counted once across agencies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndicatorRow {
    pub indicator: String,
    /// Distinct people over all agencies.
    pub unique_beneficiaries: u64,
    /// What adding up the agencies' own distinct counts would report.
    pub sum_agency_beneficiaries: u64,
    /// `sum_agency_beneficiaries - unique_beneficiaries`: people counted by
    /// more than one agency.
    pub overlap: u64,
}

/// q3: one row per (indicator, province, sex, age group).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DisaggregationRow {
    pub indicator: String,
    pub province: String,
    pub sex: String,
    pub age_group: String,
    pub beneficiaries: u64,
}

/// q4: one row per (indicator, quarter), the quarter written like `2022-Q1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QuarterRow {
    pub indicator: String,
    pub quarter: String,
    pub beneficiaries: u64,
}

/// Exact de-duplicated reach computed from one file of service records.
///
/// Every table is sorted by its key columns (byte order of the text), as the
/// CSV files are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReachTables {
    /// Records counted (bad rows skipped in `skip` mode are not included).
    pub records: u64,
    /// Distinct people in the whole file.
    pub people: u64,
    /// Bad rows left out (only in `skip` mode).
    pub skipped: u64,
    /// The first few of the skipped rows, with line numbers.
    pub skipped_examples: Vec<RowError>,
    /// Records that went through the temporary spill file because they did
    /// not fit in the memory budget (0 for files that fit).
    pub spilled_records: u64,
    pub q1: Vec<AgencyRow>,
    pub q2: Vec<IndicatorRow>,
    pub q3: Vec<DisaggregationRow>,
    pub q4: Vec<QuarterRow>,
}

pub(crate) struct Names {
    pub indicators: Vec<String>,
    pub agencies: Vec<String>,
    pub sexes: Vec<String>,
    pub ages: Vec<String>,
}

impl ReachTables {
    pub(crate) fn build(c: &Counters, names: &Names) -> Self {
        let d = c.dims;
        let mut q1 = Vec::new();
        let mut sum_agency = vec![0u64; d.indicators];
        for (g, beneficiaries) in c.q1.nonzero() {
            let (i, a) = (g / d.agencies, g % d.agencies);
            sum_agency[i] += beneficiaries;
            q1.push(AgencyRow {
                indicator: names.indicators[i].clone(),
                agency: names.agencies[a].clone(),
                services: c.services(g),
                beneficiaries,
            });
        }
        let mut q2: Vec<IndicatorRow> =
            c.q2.nonzero()
                .into_iter()
                .map(|(i, unique)| IndicatorRow {
                    indicator: names.indicators[i].clone(),
                    unique_beneficiaries: unique,
                    sum_agency_beneficiaries: sum_agency[i],
                    overlap: sum_agency[i] - unique,
                })
                .collect();
        let provinces = crate::parse::PROVINCES;
        let mut q3: Vec<DisaggregationRow> =
            c.q3.nonzero()
                .into_iter()
                .map(|(g, n)| {
                    let age = g % d.ages;
                    let sex = g / d.ages % d.sexes;
                    let prov = g / d.ages / d.sexes % provinces;
                    let ind = g / d.ages / d.sexes / provinces;
                    DisaggregationRow {
                        indicator: names.indicators[ind].clone(),
                        province: province_name(prov as u32),
                        sex: names.sexes[sex].clone(),
                        age_group: names.ages[age].clone(),
                        beneficiaries: n,
                    }
                })
                .collect();
        let mut q4: Vec<QuarterRow> =
            c.q4.nonzero()
                .into_iter()
                .map(|(g, n)| {
                    let yq = d.yq_min as usize + g % d.yq_span;
                    QuarterRow {
                        indicator: names.indicators[g / d.yq_span].clone(),
                        quarter: format!("{}-Q{}", yq / 4, yq % 4 + 1),
                        beneficiaries: n,
                    }
                })
                .collect();
        q1.sort_unstable();
        q2.sort_unstable();
        q3.sort_unstable();
        q4.sort_unstable();
        let records = q1.iter().map(|r| r.services).sum();
        Self {
            records,
            people: c.people,
            skipped: 0,
            skipped_examples: Vec::new(),
            spilled_records: 0,
            q1,
            q2,
            q3,
            q4,
        }
    }

    /// Sum over indicators of the people counted by more than one agency.
    pub fn total_overlap(&self) -> u64 {
        self.q2.iter().map(|r| r.overlap).sum()
    }

    /// `q1.csv` .. `q4.csv` as text: header, `,`, `\n`, sorted rows.
    pub fn to_csv(&self) -> [(&'static str, String); 4] {
        let mut q1 = String::from("indicator,agency,services,beneficiaries\n");
        for r in &self.q1 {
            let _ = writeln!(
                q1,
                "{},{},{},{}",
                field(&r.indicator),
                field(&r.agency),
                r.services,
                r.beneficiaries
            );
        }
        let mut q2 =
            String::from("indicator,unique_beneficiaries,sum_agency_beneficiaries,overlap\n");
        for r in &self.q2 {
            let _ = writeln!(
                q2,
                "{},{},{},{}",
                field(&r.indicator),
                r.unique_beneficiaries,
                r.sum_agency_beneficiaries,
                r.overlap
            );
        }
        let mut q3 = String::from("indicator,province,sex,age_group,beneficiaries\n");
        for r in &self.q3 {
            let _ = writeln!(
                q3,
                "{},{},{},{},{}",
                field(&r.indicator),
                r.province,
                field(&r.sex),
                field(&r.age_group),
                r.beneficiaries
            );
        }
        let mut q4 = String::from("indicator,quarter,beneficiaries\n");
        for r in &self.q4 {
            let _ = writeln!(
                q4,
                "{},{},{}",
                field(&r.indicator),
                r.quarter,
                r.beneficiaries
            );
        }
        [
            ("q1.csv", q1),
            ("q2.csv", q2),
            ("q3.csv", q3),
            ("q4.csv", q4),
        ]
    }

    /// Write `q1.csv` .. `q4.csv` into `dir` (created if missing). Each file
    /// is written under a temporary name and renamed, so a reader never sees
    /// half a table.
    pub fn write_csvs(&self, dir: &Path) -> Result<(), ReachError> {
        fs::create_dir_all(dir).map_err(|e| ReachError::io(dir, e))?;
        for (name, text) in self.to_csv() {
            let tmp = dir.join(format!(".{name}.tmp"));
            let path = dir.join(name);
            fs::write(&tmp, text).map_err(|e| ReachError::io(&tmp, e))?;
            fs::rename(&tmp, &path).map_err(|e| ReachError::io(&path, e))?;
        }
        Ok(())
    }
}

/// Quote a value only if CSV needs it (codes never do).
fn field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}
