//! The heart of mignet: the domain model of a network's results, the validation rules, the markup of
//! narrative text and the arithmetic of derived figures. It does no I/O and knows no database, file
//! format or web framework: every other crate depends on it, and it on none of them.
//!
//! ```
//! use mignet_core::{numbers, model::DerivedKind};
//! // The 2022 Highlights printed "134 per cent" for a rise from 231 to 572.
//! let change = numbers::compute(DerivedKind::PercentChange, 231.0, 572.0).unwrap();
//! assert_eq!(numbers::group(change, 1), "147.6");
//! assert!(!numbers::agrees(134.0, change));
//! ```

pub mod access;
pub mod check;
pub mod codes;
pub mod completeness;
pub mod currencies;
pub mod disclosure;
pub mod edit;
pub mod edition;
pub mod joint;
pub mod limits;
pub mod links;
pub mod markup;
pub mod model;
pub mod notify;
pub mod numbers;
pub mod places;
pub mod progress;
pub mod provinces;
pub mod quality;
pub mod rules;
pub mod search;
pub mod stated;
pub mod suggest;
pub mod tags;
pub mod time;
pub mod translate;
pub mod vocab;
pub mod workflow;

pub use check::{Finding, Level, check};
pub use codes::{CodeError, FrameworkCode, ItemId, OrgCode, PeriodCode, PlaceCode};
pub use joint::JointMethod;
pub use model::*;
