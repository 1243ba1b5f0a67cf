//! serde's and toml's words about a value of the wrong shape ("invalid type: string \"100-130\",
//! expected a number"), turned into words for the person who wrote the file: what was found, what
//! belongs there and an example to copy. serde's messages have a fixed form (serde::de::Error's
//! provided constructors), which is what is matched here; anything else is passed on as it is.

use mignet_core::suggest::did_you_mean;

/// A problem in plain words, and the field it is about when the words name one (a missing or an
/// unknown field names itself).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Plain {
    pub field: Option<String>,
    pub message: String,
}

/// `problem` is serde's message about `field` (a path such as `value`, `disaggregation.children` or
/// `organisations[1]`, empty when unknown) of an entry of the table `table` (`figure`).
pub(super) fn plain(table: &str, field: &str, problem: &str) -> Plain {
    // toml adds lines of its own after serde's ("in `value`"): the first line is serde's message.
    let problem = problem.lines().next().unwrap_or("").trim();
    if let Some(name) = between(problem, "missing field `", "`") {
        return Plain {
            field: Some(name.to_owned()),
            message: format!("is missing: each `[{table}]` needs `{name} = ...`"),
        };
    }
    if let Some(name) = between(problem, "unknown field `", "`") {
        let known: Vec<&str> = problem
            .split_once("expected ")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let listed = if known.is_empty() {
            String::new()
        } else {
            format!("; its fields are {}", known.join(", "))
        };
        return Plain {
            field: Some(name.to_owned()),
            message: format!(
                "`{name}` is not a field of `[{table}]`{}{listed}",
                did_you_mean(name, known.iter().copied())
            ),
        };
    }
    let wrong = problem
        .strip_prefix("invalid type: ")
        .or_else(|| problem.strip_prefix("invalid value: "));
    if let Some((found, expected)) = wrong.and_then(|w| w.rsplit_once(", expected ")) {
        let (what, example) = expected_words(expected);
        let leaf = leaf(field);
        let example = if leaf.is_empty() {
            example.to_owned()
        } else {
            format!("{leaf} = {example}")
        };
        return Plain {
            field: None,
            message: format!(
                "found {}, where {what} belongs: write for example `{example}`",
                found_words(found)
            ),
        };
    }
    if let Some(rest) = problem.strip_prefix("invalid length ") {
        let expected = rest.split_once(", expected ").map_or(rest, |(_, e)| e);
        return Plain {
            field: None,
            message: format!("has the wrong number of items: {expected} are expected"),
        };
    }
    Plain {
        field: None,
        message: problem.to_owned(),
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    Some(&rest[..rest.find(end)?])
}

/// The last name of a path: `children` of `disaggregation.children`, `organisations` of
/// `organisations[1]`.
fn leaf(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// serde's `Unexpected` as words: `string "x"`, `integer `5``, `floating point `1.5``,
/// `boolean `true``, `sequence`, `map`.
fn found_words(found: &str) -> String {
    let ticked = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .map(|v| v.trim_matches('`').to_owned())
    };
    if let Some(text) = found.strip_prefix("string ") {
        format!("the text {text}")
    } else if let Some(n) = ticked("integer ") {
        format!("the whole number {n}")
    } else if let Some(n) = ticked("floating point ") {
        format!("the number {n}")
    } else if let Some(b) = ticked("boolean ") {
        format!("`{b}`")
    } else {
        match found {
            "sequence" => "a list".to_owned(),
            "map" => "a table (or a date)".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// What a type expects, in words, with an example value.
fn expected_words(expected: &str) -> (&'static str, &'static str) {
    let e = expected.trim();
    let whole = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
    ];
    if whole.contains(&e) || e.contains("integer") {
        ("a whole number", "4805")
    } else if e == "a number" || e == "f64" || e == "f32" {
        ("a number", "4805")
    } else if e.contains("string") || e == "a character" {
        ("text in double quotes", "\"...\"")
    } else if e.contains("boolean") {
        ("`true` or `false`", "true")
    } else if e.starts_with("a country code") {
        ("a country code or a list of them", "\"KH\"")
    } else if e.contains("sequence") {
        ("a list in square brackets", "[\"...\"]")
    } else {
        ("a table of fields", "{ ... }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_plain_words() {
        let cases = [
            (
                "value",
                "invalid type: string \"100-130\", expected a number",
                "found the text \"100-130\", where a number belongs: write for example `value = 4805`",
            ),
            (
                "organisations",
                "invalid type: string \"IOM\", expected a sequence",
                "found the text \"IOM\", where a list in square brackets belongs: write for example `organisations = [\"...\"]`",
            ),
            (
                "achieved",
                "invalid type: string \"yes\", expected a boolean",
                "found the text \"yes\", where `true` or `false` belongs: write for example `achieved = true`",
            ),
            (
                "disaggregation.children",
                "invalid type: floating point `1.5`, expected a number",
                "found the number 1.5, where a number belongs: write for example `children = 4805`",
            ),
            (
                "year",
                "invalid type: string \"2022\", expected i64",
                "found the text \"2022\", where a whole number belongs: write for example `year = 4805`",
            ),
        ];
        for (field, serde, plain_words) in cases {
            assert_eq!(plain("figure", field, serde).message, plain_words);
        }
    }

    #[test]
    fn missing_and_unknown_fields_name_themselves() {
        let p = plain("figure", "", "missing field `indicator`");
        assert_eq!(p.field.as_deref(), Some("indicator"));
        assert_eq!(
            p.message,
            "is missing: each `[figure]` needs `indicator = ...`"
        );
        let p = plain(
            "figure",
            "valeu",
            "unknown field `valeu`, expected one of `id`, `indicator`, `value`",
        );
        assert_eq!(p.field.as_deref(), Some("valeu"));
        assert_eq!(
            p.message,
            "`valeu` is not a field of `[figure]` (did you mean `value`?); its fields are id, indicator, value"
        );
    }
}
