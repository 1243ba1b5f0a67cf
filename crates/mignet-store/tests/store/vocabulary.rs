//! The store's SQL constraints list the same values as the model's vocabularies
//! (`mignet_core::vocab`): every `CHECK (column IN ('a', 'b'))` of text values in the migrations of both
//! databases is one vocabulary's names exactly, or one of the few lists that belong to the store alone.

use mignet_core::access::Role;
use mignet_core::model::*;
use mignet_core::vocab::Vocabulary;
use mignet_core::workflow::ReviewAction;
use std::collections::BTreeSet;
use std::path::Path;

fn names<V: Vocabulary>() -> BTreeSet<String> {
    V::names().into_iter().map(str::to_owned).collect()
}

/// Every text list of a CHECK constraint in the migrations of `db`, with the column it constrains.
fn checked_lists(db: &str) -> Vec<(String, BTreeSet<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(db);
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let sql = std::fs::read_to_string(&file).unwrap();
        let mut rest = sql.as_str();
        while let Some(at) = rest.find(" IN (") {
            let column = rest[..at].rsplit(['(', ' ']).next().unwrap().to_owned();
            let list = &rest[at + 5..];
            let end = list.find(')').unwrap();
            let values: BTreeSet<String> = list[..end]
                .split(',')
                .map(|v| v.trim())
                .filter(|v| v.starts_with('\''))
                .map(|v| v.trim_matches('\'').to_owned())
                .collect();
            if !values.is_empty() {
                out.push((column, values));
            }
            rest = &list[end..];
        }
    }
    // A later migration that widens a column's list (a vocabulary that grew) replaces the earlier one.
    let widened = |i: usize| {
        out[i + 1..]
            .iter()
            .any(|(c, v)| *c == out[i].0 && v.is_superset(&out[i].1) && *v != out[i].1)
    };
    (0..out.len())
        .filter(|i| !widened(*i))
        .map(|i| out[i].clone())
        .collect()
}

#[test]
fn every_constrained_text_column_lists_a_vocabulary_of_the_model() {
    let vocabularies: Vec<(&str, BTreeSet<String>)> = vec![
        ("OrgKind", names::<OrgKind>()),
        ("RoleKind", names::<RoleKind>()),
        ("IndicatorKind", names::<IndicatorKind>()),
        ("Wording", names::<Wording>()),
        ("GroupStatus", names::<GroupStatus>()),
        ("PeriodStatus", names::<PeriodStatus>()),
        ("SectionKind", names::<SectionKind>()),
        ("Display", names::<Display>()),
        ("DerivedKind", names::<DerivedKind>()),
        ("FigureStatus", names::<FigureStatus>()),
        ("Role", names::<Role>()),
        ("ReviewAction", names::<ReviewAction>()),
        ("Qualifier", names::<mignet_core::stated::Qualifier>()),
        (
            "MilestoneStatus",
            names::<mignet_core::stated::MilestoneStatus>(),
        ),
        (
            "JointMethod",
            mignet_core::JointMethod::NAMES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ),
    ];
    // Lists that are the store's own: the audit trail's actions, tag schemes, a group member's place.
    let store_own: Vec<BTreeSet<String>> = [
        &["create", "update", "delete", "status"][..],
        &["gcm", "sdg"][..],
        &["co_chair", "secretariat", "member"][..],
    ]
    .iter()
    .map(|l| l.iter().map(|s| s.to_string()).collect())
    .collect();
    for db in ["sqlite", "postgres"] {
        let lists = checked_lists(db);
        assert!(
            lists.len() >= 10,
            "{db}: found only {} constrained columns",
            lists.len()
        );
        let mut seen = BTreeSet::new();
        for (column, values) in &lists {
            match vocabularies.iter().find(|(_, v)| v == values) {
                Some((name, _)) => {
                    seen.insert(*name);
                }
                None => assert!(
                    store_own.contains(values),
                    "{db}: column `{column}` allows {values:?}, which is no vocabulary of the model"
                ),
            }
        }
        for (name, values) in &vocabularies {
            assert!(
                seen.contains(name),
                "{db}: no column is constrained to the {name} vocabulary {values:?}"
            );
        }
    }
}
