//! How a joint figure's value was obtained, and the arithmetic of each way.
//!
//! A joint figure counts people several organisations reached, once. Its value can be typed jointly
//! by the organisations ([`JointMethod::Reported`]), or computed from each organisation's own figure:
//! their sum (which counts a person reached by two organisations twice), the largest of them (which
//! leaves out the people only the others reached), their sum less an overlap the organisations
//! declare, or counted exactly from pseudonymous service records. Reports say which, so a reader
//! knows how far to trust a joint number. Only counts of people are ever involved: a person counted
//! by several organisations shows as overlap, never by name or pseudonym.
//!
//! ```
//! use mignet_core::joint::{JointMethod, combine, Combine};
//! // IOM reached 1,200 people, UNICEF 800, 150 of them both.
//! assert_eq!(combine(Combine::Sum, &[1200, 800], None), Ok(2000));
//! assert_eq!(combine(Combine::Max, &[1200, 800], None), Ok(1200));
//! assert_eq!(combine(Combine::DeclaredOverlap, &[1200, 800], Some(150)), Ok(1850));
//! let m = JointMethod::Records { records: 5210, overlap: 150 };
//! assert_eq!(m.describe(), "exact, from 5,210 records, overlap 150");
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a joint figure's value was obtained. A figure of one organisation is always `Reported`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum JointMethod {
    /// Typed as one number by the organisations together (every joint figure before methods existed).
    #[default]
    Reported,
    /// The sum of the organisations' own figures: a person reached by several is counted several times.
    Sum,
    /// The largest of the organisations' own figures: people reached only by the others are left out.
    Max,
    /// The sum less an overlap the organisations declared (people they know they both reached).
    DeclaredOverlap { overlap: u64 },
    /// Counted exactly from service records: distinct people across the organisations; `overlap` is
    /// the sum of each organisation's own distinct count less that.
    Records { records: u64, overlap: u64 },
    /// `DeclaredOverlap` (`records: false`) or `Records` (`records: true`) as the public sees a joint
    /// figure of a sensitive indicator whose counts would give a small count away: the method without
    /// its numbers. Made only by [`crate::disclosure::protect`], never stored.
    Withheld { records: bool },
}

impl JointMethod {
    /// Every method's name, as [`JointMethod::name`] gives it (the store's constraint is tested
    /// against this list).
    pub const NAMES: [&'static str; 5] = ["reported", "sum", "max", "declared_overlap", "records"];

    /// The stable name used in files, the store and exports.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Sum => "sum",
            Self::Max => "max",
            Self::DeclaredOverlap { .. } | Self::Withheld { records: false } => "declared_overlap",
            Self::Records { .. } | Self::Withheld { records: true } => "records",
        }
    }

    /// The overlap the value accounts for, where the method knows one.
    pub fn overlap(&self) -> Option<u64> {
        match *self {
            Self::DeclaredOverlap { overlap } | Self::Records { overlap, .. } => Some(overlap),
            _ => None,
        }
    }

    /// The number of service records counted, for `Records`.
    pub fn records(&self) -> Option<u64> {
        match *self {
            Self::Records { records, .. } => Some(records),
            _ => None,
        }
    }

    /// What a reader is told about a joint figure's value, in one phrase.
    pub fn describe(&self) -> String {
        let n = |v: u64| crate::numbers::group(v as f64, 0);
        match *self {
            Self::Reported => "jointly reported".into(),
            Self::Sum => "sum of agencies' figures (may double count)".into(),
            Self::Max => "largest agency figure (may under count)".into(),
            Self::DeclaredOverlap { overlap } => {
                format!("sum less declared overlap of {}", n(overlap))
            }
            Self::Records { records, overlap } => {
                format!("exact, from {} records, overlap {}", n(records), n(overlap))
            }
            Self::Withheld { records: false } => {
                "sum less a declared overlap (counts withheld: small numbers)".into()
            }
            Self::Withheld { records: true } => {
                "exact, from service records (counts withheld: small numbers)".into()
            }
        }
    }

    /// The method from its stored parts (name, records, overlap); `None` when they do not fit.
    pub fn from_parts(name: &str, records: Option<u64>, overlap: Option<u64>) -> Option<Self> {
        Some(match (name, records, overlap) {
            ("reported", None, None) => Self::Reported,
            ("sum", None, None) => Self::Sum,
            ("max", None, None) => Self::Max,
            ("declared_overlap", None, Some(overlap)) => Self::DeclaredOverlap { overlap },
            ("records", Some(records), Some(overlap)) => Self::Records { records, overlap },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod names {
    use super::JointMethod;

    #[test]
    fn every_method_has_its_name_in_the_list() {
        let all = [
            JointMethod::Reported,
            JointMethod::Sum,
            JointMethod::Max,
            JointMethod::DeclaredOverlap { overlap: 1 },
            JointMethod::Records {
                records: 2,
                overlap: 1,
            },
        ];
        let names: Vec<&str> = all.iter().map(JointMethod::name).collect();
        assert_eq!(names, JointMethod::NAMES);
        for m in all {
            assert_eq!(
                JointMethod::from_parts(m.name(), m.records(), m.overlap()),
                Some(m)
            );
        }
    }
}

/// The ways of combining the organisations' own figures into the joint value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    Sum,
    Max,
    DeclaredOverlap,
}

/// Why the organisations' figures cannot be combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JointError {
    /// A joint value needs a figure from at least two organisations.
    TooFewParts(usize),
    /// `DeclaredOverlap` without an overlap.
    MissingOverlap,
    /// An overlap given with a method that has none.
    UnexpectedOverlap,
    /// The people reached jointly cannot be fewer than the largest organisation reached, so the
    /// overlap cannot exceed the sum less the largest figure.
    OverlapTooLarge { overlap: u64, most: u64 },
    /// The sum does not fit in 64 bits.
    Overflow,
}

impl fmt::Display for JointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooFewParts(n) => write!(
                f,
                "a joint value combines the figures of at least two organisations, not {n}"
            ),
            Self::MissingOverlap => f.write_str("`declared_overlap` needs an `overlap`"),
            Self::UnexpectedOverlap => {
                f.write_str("`overlap` goes only with `joint = \"declared_overlap\"`")
            }
            Self::OverlapTooLarge { overlap, most } => write!(
                f,
                "an overlap of {overlap} is impossible: the organisations together reached at least \
                 as many people as the largest of them, so the overlap is at most {most} \
                 (the sum less the largest figure)"
            ),
            Self::Overflow => f.write_str("the sum of the figures is too large"),
        }
    }
}

impl std::error::Error for JointError {}

/// The joint value from each organisation's own figure (`parts`, one per organisation).
pub fn combine(how: Combine, parts: &[u64], overlap: Option<u64>) -> Result<u64, JointError> {
    if parts.len() < 2 {
        return Err(JointError::TooFewParts(parts.len()));
    }
    let sum = parts
        .iter()
        .try_fold(0u64, |s, &p| s.checked_add(p))
        .ok_or(JointError::Overflow)?;
    let max = parts.iter().copied().max().unwrap_or(0);
    match (how, overlap) {
        (Combine::Sum, None) => Ok(sum),
        (Combine::Max, None) => Ok(max),
        (Combine::Sum | Combine::Max, Some(_)) => Err(JointError::UnexpectedOverlap),
        (Combine::DeclaredOverlap, None) => Err(JointError::MissingOverlap),
        (Combine::DeclaredOverlap, Some(o)) if o > sum - max => Err(JointError::OverlapTooLarge {
            overlap: o,
            most: sum - max,
        }),
        (Combine::DeclaredOverlap, Some(o)) => Ok(sum - o),
    }
}

/// The method and value of a figure counted from records: `per_organisation` holds each
/// organisation's own count of distinct people, `distinct` the people across all of them.
pub fn from_records(per_organisation: &[u64], distinct: u64, records: u64) -> (JointMethod, u64) {
    let sum: u64 = per_organisation.iter().sum();
    let overlap = sum.saturating_sub(distinct);
    (JointMethod::Records { records, overlap }, distinct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlap_cannot_exceed_the_sum_less_the_largest_figure() {
        assert_eq!(
            combine(Combine::DeclaredOverlap, &[1200, 800], Some(800)),
            Ok(1200)
        );
        assert_eq!(
            combine(Combine::DeclaredOverlap, &[1200, 800], Some(801)),
            Err(JointError::OverlapTooLarge {
                overlap: 801,
                most: 800
            })
        );
    }

    #[test]
    fn a_joint_value_needs_two_parts_and_the_right_overlap() {
        assert_eq!(
            combine(Combine::Sum, &[5], None),
            Err(JointError::TooFewParts(1))
        );
        assert_eq!(
            combine(Combine::Max, &[5, 6], Some(1)),
            Err(JointError::UnexpectedOverlap)
        );
        assert_eq!(
            combine(Combine::DeclaredOverlap, &[5, 6], None),
            Err(JointError::MissingOverlap)
        );
        assert_eq!(
            combine(Combine::Sum, &[u64::MAX, 1], None),
            Err(JointError::Overflow)
        );
    }

    #[test]
    fn methods_round_trip_through_their_stored_parts() {
        for m in [
            JointMethod::Reported,
            JointMethod::Sum,
            JointMethod::Max,
            JointMethod::DeclaredOverlap { overlap: 3 },
            JointMethod::Records {
                records: 10,
                overlap: 2,
            },
        ] {
            assert_eq!(
                JointMethod::from_parts(m.name(), m.records(), m.overlap()),
                Some(m)
            );
        }
        assert_eq!(JointMethod::from_parts("records", None, Some(1)), None);
    }

    #[test]
    fn records_give_distinct_people_and_the_overlap() {
        let (m, v) = from_records(&[4, 3], 5, 12);
        assert_eq!(v, 5);
        assert_eq!(
            m,
            JointMethod::Records {
                records: 12,
                overlap: 2
            }
        );
    }
}
