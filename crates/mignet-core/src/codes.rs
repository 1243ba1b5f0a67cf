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
    #[error("`{0}` is not an ISO 3166-2:TH province code (such as `TH-10` for Bangkok)")]
    UnknownProvince(String),
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

/// An ISO 3166-2:TH code of a Thai province (or Pattaya, `TH-S`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvinceCode(String);

impl ProvinceCode {
    pub fn parse(s: &str) -> Result<Self, CodeError> {
        if crate::provinces::PROVINCES.iter().any(|(c, _, _)| *c == s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(CodeError::UnknownProvince(s.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The province's English name.
    pub fn name(&self) -> &'static str {
        crate::provinces::PROVINCES
            .iter()
            .find(|(c, _, _)| *c == self.0)
            .map(|(_, n, _)| *n)
            .unwrap_or("")
    }
}
impl TryFrom<String> for ProvinceCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, CodeError> {
        Self::parse(&s)
    }
}
impl From<ProvinceCode> for String {
    fn from(c: ProvinceCode) -> String {
        c.0
    }
}
impl fmt::Display for ProvinceCode {
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
    fn province_codes_are_checked_against_iso_3166_2_th() {
        assert_eq!(ProvinceCode::parse("TH-10").unwrap().name(), "Bangkok");
        assert_eq!(ProvinceCode::parse("TH-50").unwrap().name(), "Chiang Mai");
        assert!(ProvinceCode::parse("TH-99").is_err());
        assert!(ProvinceCode::parse("th-10").is_err());
    }
}
