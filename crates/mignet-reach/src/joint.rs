//! One joint figure from the records: the people several agencies reached under one indicator in
//! one period, each counted once.
//!
//! The records file may hold other indicators, other agencies and other dates; rows that are
//! certainly not the figure's are blanked (so that line numbers in errors stay those of the file)
//! and the rest go through the same engine as `mignet reach`, with every check it makes.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::ReachError;
use crate::options::{Period, ReachOptions};
use crate::parse::{parse_iso_date, unquote};
use crate::reach_reader;

/// Which records count towards a joint figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointSelection {
    /// The indicator code as written in the records' `indicator` column.
    pub indicator: String,
    /// The agencies, as written in the records' `agency` column.
    pub agencies: Vec<String>,
    /// Only services delivered within these dates count; `None`: all dates.
    pub period: Option<Period>,
}

/// Counts of people, never people: the figure's value and how much the agencies' own counts overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointReach {
    /// Service records counted.
    pub records: u64,
    /// Distinct people across the agencies: the joint figure.
    pub distinct: u64,
    /// Each agency's own count of distinct people, in the selection's order (0 when it has none).
    pub per_agency: Vec<(String, u64)>,
    /// The sum of `per_agency` less `distinct`: people counted by more than one agency.
    pub overlap: u64,
}

/// Count the selection's people in a records file. Errors carry the file's own line numbers.
pub fn joint_reach(
    path: impl AsRef<Path>,
    sel: &JointSelection,
    opts: &ReachOptions,
) -> Result<JointReach, ReachError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| ReachError::io(path, e))?;
    joint_reach_bytes(&bytes, sel, opts)
}

/// [`joint_reach`] on records already in memory.
pub fn joint_reach_bytes(
    bytes: &[u8],
    sel: &JointSelection,
    opts: &ReachOptions,
) -> Result<JointReach, ReachError> {
    let filtered = select(bytes, sel);
    let tables = reach_reader(filtered.as_slice(), opts)?;
    let per_agency: Vec<(String, u64)> = sel
        .agencies
        .iter()
        .map(|a| {
            let n = tables
                .q1
                .iter()
                .find(|r| r.indicator == sel.indicator && &r.agency == a)
                .map_or(0, |r| r.beneficiaries);
            (a.clone(), n)
        })
        .collect();
    let (distinct, overlap) = tables
        .q2
        .iter()
        .find(|r| r.indicator == sel.indicator)
        .map_or((0, 0), |r| (r.unique_beneficiaries, r.overlap));
    Ok(JointReach {
        records: tables.records,
        distinct,
        per_agency,
        overlap,
    })
}

/// The file with every row that is certainly outside the selection replaced by an empty line.
/// Rows the filter cannot read (wrong field count, a malformed date) are kept, so that the engine
/// reports them.
fn select(bytes: &[u8], sel: &JointSelection) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let mut lines = bytes.split_inclusive(|&b| b == b'\n');
    let Some(header) = lines.next() else {
        return out;
    };
    out.extend_from_slice(header);
    let names: Vec<&[u8]> = trim_eol(header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header))
        .split(|&b| b == b',')
        .map(|f| unquote(f.trim_ascii()))
        .collect();
    let col = |n: &str| names.iter().position(|f| *f == n.as_bytes());
    let (Some(ia), Some(ii), Some(id)) = (col("agency"), col("indicator"), col("date")) else {
        // A header without these columns: the engine says which is missing.
        out.extend(lines.flatten());
        return out;
    };
    let agencies: BTreeSet<&[u8]> = sel.agencies.iter().map(|a| a.as_bytes()).collect();
    for line in lines {
        let fields: Vec<&[u8]> = trim_eol(line)
            .split(|&b| b == b',')
            .map(|f| unquote(f.trim_ascii()))
            .collect();
        let keep = fields.len() != names.len()
            || fields[ii] == sel.indicator.as_bytes() && agencies.contains(fields[ia]) && {
                match (parse_iso_date(fields[id]), sel.period) {
                    (Some((y, m, d)), Some(p)) => p.contains(y * 10_000 + m * 100 + d),
                    _ => true,
                }
            };
        if keep {
            out.extend_from_slice(line);
        } else if line.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality\n";

    fn row(n: u32, agency: &str, ind: &str, date: &str, person: u32) -> String {
        format!("{n},{agency},{ind},{date},TH-10,{person:016x},F,adult,MMR\n")
    }

    fn sel(agencies: &[&str]) -> JointSelection {
        JointSelection {
            indicator: "P1.O1.I01".into(),
            agencies: agencies.iter().map(|a| a.to_string()).collect(),
            period: Some(Period::year(2023)),
        }
    }

    #[test]
    fn counts_people_once_across_the_selected_agencies_only() {
        // IOM serves people 1, 2, 3 (person 1 twice); UNICEF serves 3, 4; ILO serves 1 and 9, but is
        // not in the figure; a 2022 record and another indicator's record do not count either.
        let mut csv = String::from(HEAD);
        for (n, (a, i, d, p)) in [
            ("IOM", "P1.O1.I01", "2023-01-05", 1),
            ("IOM", "P1.O1.I01", "2023-03-05", 1),
            ("IOM", "P1.O1.I01", "2023-02-05", 2),
            ("IOM", "P1.O1.I01", "2023-02-05", 3),
            ("UNICEF", "P1.O1.I01", "2023-06-30", 3),
            ("UNICEF", "P1.O1.I01", "2023-12-31", 4),
            ("ILO", "P1.O1.I01", "2023-04-01", 9),
            ("UNICEF", "P1.O1.I01", "2022-12-31", 7),
            ("UNICEF", "P2.O1.I01", "2023-01-01", 8),
        ]
        .into_iter()
        .enumerate()
        {
            csv += &row(n as u32 + 1, a, i, d, p);
        }
        let r = joint_reach_bytes(
            csv.as_bytes(),
            &sel(&["IOM", "UNICEF"]),
            &ReachOptions::default(),
        )
        .unwrap();
        assert_eq!(
            r,
            JointReach {
                records: 6,
                distinct: 4,
                per_agency: vec![("IOM".into(), 3), ("UNICEF".into(), 2)],
                overlap: 1,
            }
        );
    }

    #[test]
    fn bad_rows_of_the_selection_keep_their_line_numbers() {
        let csv = format!(
            "{HEAD}{}{}",
            row(1, "ILO", "P9.O9.I09", "2023-01-05", 1),
            "2,IOM,P1.O1.I01,2023-02-30,TH-10,0000000000000001,F,adult,MMR\n"
        );
        let e = joint_reach_bytes(csv.as_bytes(), &sel(&["IOM"]), &ReachOptions::default())
            .unwrap_err();
        match e {
            ReachError::BadRows { errors, .. } => assert_eq!(errors[0].line, 3),
            other => panic!("{other}"),
        }
    }
}
