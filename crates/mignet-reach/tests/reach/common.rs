//! Shared test helpers: service records, their CSV text, and a
//! straightforward reference implementation of the four tables with sets.

use std::collections::{BTreeMap, BTreeSet};

use mignet_reach::{AgencyRow, DisaggregationRow, IndicatorRow, QuarterRow, ReachTables};

pub const HEADER: &str =
    "record_id,agency,indicator,date,province,beneficiary,sex,age_group,nationality";

#[derive(Debug, Clone)]
pub struct Record {
    pub agency: String,
    pub indicator: String,
    pub date: String,
    pub province: String,
    pub beneficiary: String,
    pub sex: String,
    pub age_group: String,
}

pub fn csv(records: &[Record]) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for (i, r) in records.iter().enumerate() {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},MMR\n",
            i + 1,
            r.agency,
            r.indicator,
            r.date,
            r.province,
            r.beneficiary,
            r.sex,
            r.age_group
        ));
    }
    s
}

/// The tables computed the obvious way: a set of people per group.
pub fn reference(records: &[Record]) -> ReachTables {
    let mut q1: BTreeMap<(String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    let mut q2: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut q3: BTreeMap<(String, String, String, String), BTreeSet<String>> = BTreeMap::new();
    let mut q4: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut people = BTreeSet::new();
    for r in records {
        let e = q1
            .entry((r.indicator.clone(), r.agency.clone()))
            .or_default();
        e.0 += 1;
        e.1.insert(r.beneficiary.clone());
        q2.entry(r.indicator.clone())
            .or_default()
            .insert(r.beneficiary.clone());
        q3.entry((
            r.indicator.clone(),
            r.province.clone(),
            r.sex.clone(),
            r.age_group.clone(),
        ))
        .or_default()
        .insert(r.beneficiary.clone());
        let month: u32 = r.date[5..7].parse().unwrap();
        let quarter = format!("{}-Q{}", &r.date[..4], month.div_ceil(3));
        q4.entry((r.indicator.clone(), quarter))
            .or_default()
            .insert(r.beneficiary.clone());
        people.insert(r.beneficiary.clone());
    }
    let mut sum_agency: BTreeMap<String, u64> = BTreeMap::new();
    for ((ind, _), (_, set)) in &q1 {
        *sum_agency.entry(ind.clone()).or_default() += set.len() as u64;
    }
    ReachTables {
        records: records.len() as u64,
        people: people.len() as u64,
        skipped: 0,
        skipped_examples: Vec::new(),
        spilled_records: 0,
        q1: q1
            .into_iter()
            .map(|((indicator, agency), (services, set))| AgencyRow {
                indicator,
                agency,
                services,
                beneficiaries: set.len() as u64,
            })
            .collect(),
        q2: q2
            .into_iter()
            .map(|(indicator, set)| {
                let sum = sum_agency[&indicator];
                IndicatorRow {
                    indicator,
                    unique_beneficiaries: set.len() as u64,
                    sum_agency_beneficiaries: sum,
                    overlap: sum - set.len() as u64,
                }
            })
            .collect(),
        q3: q3
            .into_iter()
            .map(
                |((indicator, province, sex, age_group), set)| DisaggregationRow {
                    indicator,
                    province,
                    sex,
                    age_group,
                    beneficiaries: set.len() as u64,
                },
            )
            .collect(),
        q4: q4
            .into_iter()
            .map(|((indicator, quarter), set)| QuarterRow {
                indicator,
                quarter,
                beneficiaries: set.len() as u64,
            })
            .collect(),
    }
}

/// Compare what the engine and the reference agree must match (the spill
/// statistics differ by design).
pub fn assert_same_tables(got: &ReachTables, want: &ReachTables) {
    assert_eq!(got.records, want.records, "records");
    assert_eq!(got.people, want.people, "people");
    assert_eq!(got.q1, want.q1, "q1");
    assert_eq!(got.q2, want.q2, "q2");
    assert_eq!(got.q3, want.q3, "q3");
    assert_eq!(got.q4, want.q4, "q4");
}

/// A small deterministic generator (xorshift), so large test inputs need no
/// files and no extra crates.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub const AGENCIES: [&str; 5] = ["ILO", "IOM", "UNHCR", "UNICEF", "WHO"];
pub const INDICATORS: [&str; 4] = ["P1.O1.I01", "P1.O2.I03", "P2.O1.I05", "P3.O2.I02"];
pub const PROVINCES: [&str; 6] = ["TH-10", "TH-63", "TH-74", "TH-96", "TH-S", "TH-50"];
pub const SEXES: [&str; 3] = ["F", "M", "X"];
pub const AGES: [&str; 2] = ["adult", "child"];

/// `n` records over `people` people, dates in 2021..=2023.
pub fn random_records(rng: &mut Rng, n: usize, people: u64) -> Vec<Record> {
    (0..n)
        .map(|_| {
            let person = rng.below(people);
            let year = 2021 + rng.below(3);
            let month = 1 + rng.below(12);
            let day = 1 + rng.below(28);
            Record {
                agency: AGENCIES[rng.below(5) as usize].into(),
                indicator: INDICATORS[rng.below(4) as usize].into(),
                date: format!("{year}-{month:02}-{day:02}"),
                province: PROVINCES[rng.below(6) as usize].into(),
                // Spread people over the whole 64-bit range like real
                // pseudonyms, but keep small ids possible too.
                beneficiary: format!("{:016x}", person.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
                sex: SEXES[(person % 3) as usize].into(),
                age_group: AGES[rng.below(2) as usize].into(),
            }
        })
        .collect()
}
