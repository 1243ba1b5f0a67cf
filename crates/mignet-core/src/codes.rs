//! Validated identifiers. Each is built only through `parse`, so code past the input boundary never
//! holds a malformed code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("is empty")]
    Empty,
    #[error("is longer than 64 characters")]
    TooLong,
    #[error(
        "`{0}` may hold only ASCII letters, digits, `.`, `-` and `_`, and must start with a letter or digit"
    )]
    BadCharacters(String),
    #[error(
        "`{0}` is not a place code: write an ISO 3166-2 code (a country's two letters, `-` and the subdivision, such as `MM-06`) or a P-code of the network's gazetteer"
    )]
    BadPlace(String),
}

fn check_code(s: &str) -> Result<(), CodeError> {
    if s.is_empty() {
        return Err(CodeError::Empty);
    }
    if s.len() > 64 {
        return Err(CodeError::TooLong);
    }
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !first_ok
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(CodeError::BadCharacters(s.to_owned()));
    }
    Ok(())
}

macro_rules! code_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps a code.
            pub fn parse(s: &str) -> Result<Self, CodeError> {
                check_code(s)?;
                Ok(Self(s.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = CodeError;
            fn try_from(s: String) -> Result<Self, CodeError> {
                check_code(&s)?;
                Ok(Self(s))
            }
        }
        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

code_type!(
    /// A member or partner organisation's short code (`IOM`, `UNWOMEN`).
    OrgCode
);
code_type!(
    /// A priority, outcome or indicator code (`P1`, `P1.O1`, `P1.O1.I01`).
    FrameworkCode
);
code_type!(
    /// A reporting period (`2022`).
    PeriodCode
);
code_type!(
    /// The id of an item within a period: a figure, statistic, derived figure, claim or footnote.
    ItemId
);

/// A place: an ISO 3166-2 subdivision code (`TH-10`, `MM-06`, at any level) or a P-code of the
/// network's gazetteer (`MM010001`). Only the spelling is checked here (capital letters, digits,
/// `-` and `_`, starting with a letter); whether the place is one of the network's countries'
/// subdivisions or in its gazetteer is [`crate::rules::place`], which knows the dataset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlaceCode(String);

impl PlaceCode {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        let ok = (1..=32).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(CodeError::BadPlace(s.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The English name of an ISO 3166-2 subdivision ([`crate::places::name`]); a P-code is named
    /// by its network's gazetteer ([`crate::model::Dataset::place_name`]), so here it is its own code.
    pub fn name(&self) -> &str {
        crate::places::name(&self.0).unwrap_or(&self.0)
    }
}
impl TryFrom<String> for PlaceCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, CodeError> {
        Self::parse(&s)
    }
}
impl From<PlaceCode> for String {
    fn from(c: PlaceCode) -> String {
        c.0
    }
}
impl fmt::Display for PlaceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_the_framework_shapes() {
        for ok in ["P1", "P1.O1.I01", "UNWOMEN", "F-PFA", "fn_star", "2022"] {
            assert!(FrameworkCode::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn codes_refuse_spaces_empty_and_leading_punctuation() {
        assert_eq!(OrgCode::parse(""), Err(CodeError::Empty));
        assert!(matches!(
            OrgCode::parse("UN Women"),
            Err(CodeError::BadCharacters(_))
        ));
        assert!(matches!(
            OrgCode::parse("-IOM"),
            Err(CodeError::BadCharacters(_))
        ));
        assert_eq!(OrgCode::parse(&"A".repeat(65)), Err(CodeError::TooLong));
    }

    #[test]
    fn place_codes_are_spelt_like_iso_3166_2_codes_or_p_codes() {
        assert_eq!(PlaceCode::parse("TH-10").unwrap().name(), "Bangkok");
        assert_eq!(PlaceCode::parse("TH-50").unwrap().name(), "Chiang Mai");
        assert_eq!(PlaceCode::parse("MM-06").unwrap().name(), "Yangon");
        // A P-code is named by the gazetteer, not here.
        assert_eq!(PlaceCode::parse("MM010001").unwrap().name(), "MM010001");
        // Membership is the rules' (they know the network's countries); spelling is the code's.
        assert!(PlaceCode::parse("TH-99").is_ok());
        assert!(PlaceCode::parse("th-10").is_err());
        assert!(PlaceCode::parse("TH 10").is_err());
        assert!(PlaceCode::parse("").is_err());
        assert!(PlaceCode::parse("-10").is_err());
    }
}
