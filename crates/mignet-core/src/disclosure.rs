//! Small counts that could identify people, withheld from the public.
//!
//! An indicator marked `sensitive` (victims of trafficking, detained children) has a threshold: its
//! own, or the network's (`small_count_threshold`, 10 unless the network sets another). [`protect`]
//! makes the public view of a dataset, which every public output (pages, the public API, the brief in
//! every format, HXL, IATI, charts and the map) is made from:
//!
//! - a count below the threshold becomes [`FigureValue::Withheld`], printed "fewer than 10", and its
//!   parts are withheld with it;
//! - a part below the threshold ("including 7 children") is withheld ("fewer than 10");
//! - complementary suppression: where the parts add up to the printed total, one withheld part could
//!   be computed as the total less the others, so the next smallest parts are withheld too (printed
//!   "withheld") until at least two are withheld and together they reach the threshold;
//! - a derived figure (change, difference, share) with a withheld operand is withheld, and the numbers
//!   published for it (claims) are left out;
//! - a joint figure's overlap (people reached by several organisations) and records counted are
//!   withheld when the value is, or when the overlap is itself below the threshold.
//!
//! Only counts are protected: a percentage or a milestone has no count to withhold. Signed-in people
//! who see unapproved figures see the dataset as stored, exact values included.
//!
//! ```
//! use mignet_core::disclosure::protect_figure;
//! use mignet_core::model::FigureValue;
//! # let mut f: mignet_core::model::Figure = serde_json::from_str(r#"{"id":"F-1","indicator":"1.1.1",
//! #   "organisations":["IOM"],"value":{"kind":"count","value":7},"disaggregation":[["children",3]],
//! #   "places":[],"note":null,"evidence":null,"footnotes":[],"status":"approved","status_by":null,
//! #   "status_at":null}"#).unwrap();
//! protect_figure(&mut f, 10);
//! assert_eq!(f.value, FigureValue::Withheld { below: 10 });
//! assert!(f.disaggregation.is_empty());
//! ```

use crate::joint::JointMethod;
use crate::model::{Dataset, Figure, FigureValue, Indicator, IndicatorKind, Network};
use crate::numbers::RefError;

/// The network's threshold unless it sets its own.
pub const DEFAULT_THRESHOLD: u64 = 10;

/// [`DEFAULT_THRESHOLD`], for serde's `default`.
pub fn default_threshold() -> u64 {
    DEFAULT_THRESHOLD
}

/// The threshold below which the indicator's counts are withheld from the public; `None` when the
/// indicator is not sensitive or does not count.
pub fn threshold(network: &Network, ind: &Indicator) -> Option<u64> {
    (ind.sensitive && ind.kind == IndicatorKind::Count)
        .then(|| ind.threshold.unwrap_or(network.small_count_threshold))
}

/// Withholds what a reader must not learn of one figure of a sensitive indicator with threshold
/// `below`: the value if it is small, small parts, and the parts that would give a small one away.
pub fn protect_figure(f: &mut Figure, below: u64) {
    let FigureValue::Count { value } = f.value else {
        return;
    };
    // A joint figure's overlap is people too, and its records bound the value: both are withheld
    // with a small value, and with a small overlap.
    if value < below || f.joint.overlap().is_some_and(|o| o < below) {
        f.joint = match f.joint {
            JointMethod::DeclaredOverlap { .. } => JointMethod::Withheld { records: false },
            JointMethod::Records { .. } => JointMethod::Withheld { records: true },
            other => other,
        };
    }
    if value < below {
        f.value = FigureValue::Withheld { below };
        let parts = std::mem::take(&mut f.disaggregation);
        f.withheld_parts
            .extend(parts.into_iter().map(|(k, _)| (k, Some(below))));
        return;
    }
    let mut withheld: Vec<usize> = (0..f.disaggregation.len())
        .filter(|&i| f.disaggregation[i].1 < below)
        .collect();
    if withheld.is_empty() {
        return;
    }
    let primary = withheld.len();
    // Parts that add up to the total give one withheld part away: total less the printed ones.
    let total: u128 = f.disaggregation.iter().map(|(_, v)| u128::from(*v)).sum();
    if total == u128::from(value) {
        loop {
            let sum: u128 = withheld
                .iter()
                .map(|&i| u128::from(f.disaggregation[i].1))
                .sum();
            if withheld.len() >= 2 && sum >= u128::from(below) {
                break;
            }
            let next = (0..f.disaggregation.len())
                .filter(|i| !withheld.contains(i))
                .min_by_key(|&i| (f.disaggregation[i].1, i));
            match next {
                Some(i) => withheld.push(i),
                None => break,
            }
        }
    }
    // Once a part is withheld only to protect another, none says which one is the small count.
    let complementary = withheld.len() > primary;
    let mut kept = Vec::new();
    for (i, (k, v)) in std::mem::take(&mut f.disaggregation)
        .into_iter()
        .enumerate()
    {
        if withheld.contains(&i) {
            f.withheld_parts
                .push((k, (!complementary).then_some(below)));
        } else {
            kept.push((k, v));
        }
    }
    f.disaggregation = kept;
}

/// Withholds what the public may not see of one figure of `ds` (a figure read on its own, outside the
/// dataset, as the API does).
pub fn protect_one(ds: &Dataset, f: &mut Figure) {
    if let Some(below) = ds
        .indicator(f.indicator.as_str())
        .and_then(|i| threshold(&ds.network, i))
    {
        protect_figure(f, below);
    }
}

/// The dataset as the public may see it (see the module's documentation). The stored dataset is left
/// as it is; the result is never written back.
pub fn protect(ds: &Dataset) -> Dataset {
    let mut out = ds.clone();
    for p in &mut out.periods {
        for f in &mut p.figures {
            protect_one(ds, f);
        }
        let withheld: Vec<_> = p
            .derived
            .iter()
            .filter(|d| matches!(p.compute(d), Err(RefError::Withheld(_))))
            .map(|d| d.id.clone())
            .collect();
        p.claims.retain(|c| !withheld.contains(&c.derived));
    }
    out
}

/// Whether the public view of `ds` differs from it at all (no sensitive small count anywhere).
pub fn withholds_anything(ds: &Dataset) -> bool {
    ds.framework.indicators.iter().any(|i| i.sensitive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FigureStatus;

    fn figure(value: u64, parts: &[(&str, u64)]) -> Figure {
        Figure {
            id: crate::ItemId::parse("F-1").unwrap(),
            indicator: crate::FrameworkCode::parse("1.1.1").unwrap(),
            organisations: vec![crate::OrgCode::parse("IOM").unwrap()],
            value: FigureValue::Count { value },
            disaggregation: parts.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
            places: Vec::new(),
            sites: Vec::new(),
            locations: None,
            in_areas: None,
            note: None,
            evidence: None,
            footnotes: Vec::new(),
            status: FigureStatus::Approved,
            status_by: None,
            status_at: None,
            joint: Default::default(),
            withheld_parts: Vec::new(),
            stated: Default::default(),
        }
    }

    fn keys(f: &Figure) -> Vec<&str> {
        f.withheld_parts.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn a_small_count_and_its_parts_are_withheld() {
        let mut f = figure(7, &[("children", 3)]);
        protect_figure(&mut f, 10);
        assert_eq!(f.value, FigureValue::Withheld { below: 10 });
        assert_eq!(f.disaggregation, vec![]);
        assert_eq!(f.withheld_parts, vec![("children".to_owned(), Some(10))]);
        assert_eq!(crate::numbers::format_figure(&f), "fewer than 10");
    }

    #[test]
    fn counts_at_or_above_the_threshold_stay() {
        let mut f = figure(10, &[("children", 10)]);
        let before = f.clone();
        protect_figure(&mut f, 10);
        assert_eq!(f, before);
    }

    #[test]
    fn a_small_part_of_a_larger_total_is_withheld_alone_when_the_parts_do_not_add_up() {
        let mut f = figure(500, &[("children", 3), ("women", 200)]);
        protect_figure(&mut f, 10);
        assert_eq!(f.value, FigureValue::Count { value: 500 });
        assert_eq!(f.withheld_parts, vec![("children".to_owned(), Some(10))]);
        assert_eq!(f.disaggregation, vec![("women".to_owned(), 200)]);
    }

    #[test]
    fn a_part_that_the_total_less_the_others_would_reveal_takes_the_next_smallest_with_it() {
        // girls 3 + boys 40 + adults 57 = 100: printing boys and adults would give girls away.
        let mut f = figure(100, &[("girls", 3), ("boys", 40), ("adults", 57)]);
        protect_figure(&mut f, 10);
        assert_eq!(keys(&f), vec!["girls", "boys"]);
        assert!(f.withheld_parts.iter().all(|(_, b)| b.is_none()));
        assert_eq!(f.disaggregation, vec![("adults".to_owned(), 57)]);
        // What is left cannot give either back: 100 - 57 = 43 is two parts' sum.
        let printed: u64 = f.disaggregation.iter().map(|(_, v)| v).sum();
        assert!(100 - printed >= 10);
    }

    #[test]
    fn a_small_overlap_of_a_joint_figure_is_withheld_with_its_records() {
        let mut f = figure(100, &[]);
        f.joint = JointMethod::Records {
            records: 130,
            overlap: 3,
        };
        protect_figure(&mut f, 10);
        assert_eq!(f.value, FigureValue::Count { value: 100 });
        assert_eq!(f.joint, JointMethod::Withheld { records: true });
        assert_eq!((f.joint.overlap(), f.joint.records()), (None, None));
        assert!(!f.joint.describe().contains('3'), "{}", f.joint.describe());
        let mut f = figure(100, &[]);
        f.joint = JointMethod::DeclaredOverlap { overlap: 40 };
        protect_figure(&mut f, 10);
        assert_eq!(f.joint, JointMethod::DeclaredOverlap { overlap: 40 });
        let mut f = figure(7, &[]);
        f.joint = JointMethod::DeclaredOverlap { overlap: 40 };
        protect_figure(&mut f, 10);
        assert_eq!(f.joint, JointMethod::Withheld { records: false });
    }

    #[test]
    fn two_small_parts_that_together_stay_small_take_a_third() {
        let mut f = figure(50, &[("a", 2), ("b", 3), ("c", 45)]);
        protect_figure(&mut f, 10);
        assert_eq!(keys(&f), vec!["a", "b", "c"]);
        assert!(f.disaggregation.is_empty());
    }

    #[test]
    fn the_public_view_withholds_derived_figures_and_their_claims() {
        let ds: Dataset = serde_json::from_value(serde_json::json!({
            "network": {"code": "N", "name": "N", "short_name": "N", "tagline": null, "country": "TH"},
            "organisations": [], "roles": [], "pledges": [], "groups": [],
            "framework": {"version": "1", "title": null, "priorities": [], "outcomes": [],
                "indicators": [
                    {"code": "1.1.1", "outcome": "1.1", "statement": "s", "unit": "victims", "kind": "count",
                     "disaggregations": [], "places": [], "gcm": [], "sdg": [], "figure_source_required": false,
                     "baseline": null, "targets": [], "sensitive": true},
                    {"code": "1.1.2", "outcome": "1.1", "statement": "s", "unit": "people", "kind": "count",
                     "disaggregations": [], "places": [], "gcm": [], "sdg": [], "figure_source_required": false,
                     "baseline": null, "targets": [], "sensitive": true, "threshold": 3}
                ]},
            "periods": [{"period": {"code": "2022", "title": "t", "starts": null, "ends": null, "status": "open",
                    "framework": "1", "introduction": null},
                "sections": [], "statistics": [], "footnotes": [], "lines": [],
                "derived": [{"id": "D-1", "kind": "difference", "a": "F-1", "b": "F-2", "decimals": 0}],
                "claims": [{"id": "C-1", "derived": "D-1", "published": 93.0, "text": "93", "location": null}],
                "figures": [
                    {"id": "F-1", "indicator": "1.1.1", "organisations": [], "value": {"kind": "count", "value": 7},
                     "disaggregation": [], "places": [], "note": null, "evidence": null, "footnotes": [],
                     "status": "approved", "status_by": null, "status_at": null},
                    {"id": "F-2", "indicator": "1.1.2", "organisations": [], "value": {"kind": "count", "value": 5},
                     "disaggregation": [], "places": [], "note": null, "evidence": null, "footnotes": [],
                     "status": "approved", "status_by": null, "status_at": null}
                ]}]
        }))
        .unwrap();
        assert_eq!(ds.network.small_count_threshold, DEFAULT_THRESHOLD);
        let public = protect(&ds);
        let p = &public.periods[0];
        assert_eq!(p.figures[0].value, FigureValue::Withheld { below: 10 });
        // Its own threshold of 3: 5 is published.
        assert_eq!(p.figures[1].value, FigureValue::Count { value: 5 });
        assert!(matches!(
            p.compute(&p.derived[0]),
            Err(RefError::Withheld(_))
        ));
        assert!(p.claims.is_empty());
        let r = p.resolve("D-1").unwrap();
        assert_eq!(crate::numbers::format_ref(p, r).unwrap(), "withheld");
        // The stored dataset is untouched.
        assert_eq!(
            ds.periods[0].figures[0].value,
            FigureValue::Count { value: 7 }
        );
    }
}
