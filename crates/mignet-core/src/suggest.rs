//! Suggestions for misspelt codes, so that every message about an unknown code offers the closest
//! known one in the same words, whichever path found it.

/// ` (did you mean `CODE`?)` for the known code closest to `wrong`, or nothing when none is close:
/// at most two edits (letters added, removed, changed or swapped), three for codes longer than six.
pub fn did_you_mean<'k>(wrong: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    let wrong_lower = wrong.to_lowercase();
    let best = known
        .into_iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&wrong_lower, &k.to_lowercase()),
                k,
            )
        })
        .min();
    match best {
        Some((d, k)) if d <= 2 || (d <= 3 && wrong.len() > 6) => format!(" (did you mean `{k}`?)"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn a_near_code_is_suggested_and_a_far_one_is_not() {
        let known = ["UNHCR", "UNICEF", "IOM"];
        assert_eq!(did_you_mean("UNHRC", known), " (did you mean `UNHCR`?)");
        assert_eq!(did_you_mean("unicef", known), " (did you mean `UNICEF`?)");
        assert_eq!(did_you_mean("WORLDBANK", known), "");
        assert_eq!(did_you_mean("X", []), "");
    }
}
