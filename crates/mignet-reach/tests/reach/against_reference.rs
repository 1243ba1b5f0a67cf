//! The engine against a set-based reference on random records, in memory and
//! with records forced through the spill file.

use crate::common::{self, Record, Rng, assert_same_tables, csv, random_records, reference};
use mignet_reach::{ReachOptions, reach_reader};
use proptest::prelude::*;

fn record_strategy() -> impl Strategy<Value = Record> {
    (
        0..5usize,
        0..4usize,
        (2020u32..2024, 1u32..=12, 1u32..=28),
        0..6usize,
        // Few people, so that repeats and overlaps are frequent; some ids
        // small (leading zeros), some large.
        prop_oneof![0u64..12, any::<u64>()],
        0..3usize,
        0..2usize,
    )
        .prop_map(|(a, i, (y, m, d), p, person, sx, ag)| Record {
            agency: common::AGENCIES[a].into(),
            indicator: common::INDICATORS[i].into(),
            date: format!("{y}-{m:02}-{d:02}"),
            province: common::PROVINCES[p].into(),
            beneficiary: format!("{person:016x}"),
            sex: common::SEXES[sx].into(),
            age_group: common::AGES[ag].into(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn distinct_counts_equal_a_set_based_reference(
        records in prop::collection::vec(record_strategy(), 0..300),
        threads in 1usize..=3,
        spill in any::<bool>(),
    ) {
        let opts = ReachOptions {
            threads,
            memory_budget: if spill { 0 } else { 64 << 20 },
            ..ReachOptions::default()
        };
        let got = reach_reader(csv(&records).as_bytes(), &opts).unwrap();
        assert_same_tables(&got, &reference(&records));
        if spill {
            prop_assert_eq!(got.spilled_records, records.len() as u64);
        } else {
            prop_assert_eq!(got.spilled_records, 0);
        }
    }
}

/// Large enough for several read blocks, full staging chunks and repeated
/// spills in the middle of the input (a 2 MiB budget against ~3 MiB of keys).
#[test]
fn a_file_much_larger_than_the_memory_budget_gives_the_reference_answer() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let records = random_records(&mut rng, 200_000, 60_000);
    let text = csv(&records);
    let want = reference(&records);
    let small = ReachOptions {
        threads: 2,
        memory_budget: 2 << 20,
        ..ReachOptions::default()
    };
    let got = reach_reader(text.as_bytes(), &small).unwrap();
    assert!(
        got.spilled_records > 100_000,
        "spilled {}",
        got.spilled_records
    );
    assert_same_tables(&got, &want);
    let roomy = ReachOptions {
        threads: 2,
        ..ReachOptions::default()
    };
    let got = reach_reader(text.as_bytes(), &roomy).unwrap();
    assert_eq!(got.spilled_records, 0);
    assert_same_tables(&got, &want);
}
