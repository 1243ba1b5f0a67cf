//! How long free text may be. One home for the limits, which every path that takes text applies: the
//! dataset folder reader, the workbook import, the forms and the API (docs/web.md,
//! docs/dataset-format.md). Lengths are counted in characters (Unicode scalar values), not bytes.

use crate::model::{Dataset, Figure};

/// The kinds of free text, each with its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// A figure's note, a baseline's note.
    Note,
    /// A figure's evidence link.
    Evidence,
    /// A review comment (why a figure goes back, or a remark on approval).
    Comment,
    /// Narrative text: a section, a line of the brief, a footnote, a period's introduction, a pledge.
    Narrative,
    /// A title or a label: a period's title, a priority's title, a statistic's label.
    Title,
}

/// The most characters of a note.
pub const MAX_NOTE: usize = 4_000;
/// The most characters of an evidence link.
pub const MAX_EVIDENCE: usize = 2_000;
/// The most characters of a review comment.
pub const MAX_COMMENT: usize = 4_000;
/// The most characters of one narrative text (a section, a line, a footnote, an introduction).
pub const MAX_NARRATIVE: usize = 20_000;
/// The most characters of a title or label.
pub const MAX_TITLE: usize = 300;

impl Text {
    pub fn max_chars(self) -> usize {
        match self {
            Text::Note => MAX_NOTE,
            Text::Evidence => MAX_EVIDENCE,
            Text::Comment => MAX_COMMENT,
            Text::Narrative => MAX_NARRATIVE,
            Text::Title => MAX_TITLE,
        }
    }
    fn what(self) -> &'static str {
        match self {
            Text::Note => "a note",
            Text::Evidence => "an evidence link",
            Text::Comment => "a comment",
            Text::Narrative => "a narrative text",
            Text::Title => "a title",
        }
    }
}

/// A text over its limit: the field it was given in and what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TooLong {
    pub field: String,
    pub message: String,
}

/// Checks one text given in `field`: `Err` names the field, the length and the limit.
pub fn check(field: &str, kind: Text, value: &str) -> Result<(), TooLong> {
    let max = kind.max_chars();
    // Counting stops just past the limit: a megabyte of text is not walked to say it is too long.
    let n = value.chars().take(max + 1).count();
    if n <= max {
        return Ok(());
    }
    Err(TooLong {
        field: field.to_owned(),
        message: format!(
            "is longer than {max} characters ({} characters given): {} has at most {max}",
            value.chars().count(),
            kind.what()
        ),
    })
}

/// Checks an optional text.
pub fn check_opt(field: &str, kind: Text, value: Option<&str>) -> Result<(), TooLong> {
    value.map_or(Ok(()), |v| check(field, kind, v))
}

/// Every text of a figure over its limit, with the figure's field name (`note`, `evidence`).
pub fn figure(f: &Figure) -> Vec<TooLong> {
    [
        check_opt("note", Text::Note, f.note.as_deref()),
        check_opt("evidence", Text::Evidence, f.evidence.as_deref()),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect()
}

/// Every text of a dataset over its limit, each with the item it is in (`period 2023, section S1:
/// text`), for the paths that write a whole dataset (an edit of the narrative or the framework).
pub fn dataset(ds: &Dataset) -> Vec<TooLong> {
    let mut out = Vec::new();
    let mut push = |item: String, r: Result<(), TooLong>| {
        if let Err(e) = r {
            out.push(TooLong {
                field: format!("{item}: {}", e.field),
                message: e.message,
            });
        }
    };
    for pr in &ds.framework.priorities {
        push(
            format!("priority {}", pr.code),
            check("title", Text::Title, &pr.title),
        );
    }
    for pl in &ds.pledges {
        push(
            format!("pledge {}", pl.id),
            check("text", Text::Narrative, &pl.text),
        );
    }
    for p in &ds.periods {
        let code = &p.period.code;
        push(
            format!("period {code}"),
            check("title", Text::Title, &p.period.title),
        );
        push(
            format!("period {code}"),
            check_opt(
                "introduction",
                Text::Narrative,
                p.period.introduction.as_deref(),
            ),
        );
        for (n, s) in p.sections.iter().enumerate() {
            push(
                format!("period {code}, section {}", n + 1),
                check("text", Text::Narrative, &s.text),
            );
        }
        for (n, l) in p.lines.iter().enumerate() {
            push(
                format!("period {code}, line {} of outcome {}", n + 1, l.outcome),
                check("text", Text::Narrative, &l.text),
            );
        }
        for n in &p.footnotes {
            push(
                format!("period {code}, footnote {}", n.id),
                check("text", Text::Narrative, &n.text),
            );
        }
        for s in &p.statistics {
            push(
                format!("period {code}, statistic {}", s.id),
                check("label", Text::Title, &s.label),
            );
        }
        for f in &p.figures {
            for e in figure(f) {
                push(format!("period {code}, figure {}", f.id), Err(e));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_at_its_limit_passes_and_one_character_more_is_refused_with_its_field() {
        let at = "é".repeat(MAX_NOTE);
        assert!(check("note", Text::Note, &at).is_ok());
        let over = format!("{at}x");
        let e = check("note", Text::Note, &over).unwrap_err();
        assert_eq!(e.field, "note");
        assert!(e.message.contains("4000"), "{e}");
        assert!(
            e.message
                .contains(&format!("{} characters given", MAX_NOTE + 1)),
            "{e}"
        );
    }

    #[test]
    fn each_kind_has_its_limit() {
        for (kind, max) in [
            (Text::Note, MAX_NOTE),
            (Text::Evidence, MAX_EVIDENCE),
            (Text::Comment, MAX_COMMENT),
            (Text::Narrative, MAX_NARRATIVE),
            (Text::Title, MAX_TITLE),
        ] {
            assert!(check("f", kind, &"a".repeat(max)).is_ok());
            assert!(check("f", kind, &"a".repeat(max + 1)).is_err());
        }
    }
}
