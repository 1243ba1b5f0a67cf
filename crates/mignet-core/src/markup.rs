//! The small markup of narrative text: `**bold**`, `[label](url)`, `{ID}` and `{ID.key}` references to
//! numbers, `{pledge:ID}` and `[^ID]` footnote references. Blank lines separate paragraphs.
//!
//! It is parsed here, once, into [`Token`]s; the checks resolve the references and the report renders
//! them. Written by hand because it is twenty lines of grammar that no Markdown crate has (references that
//! resolve to stored numbers), and a full Markdown parser would accept far more than a brief should hold.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Token {
    Text(String),
    /// `**` toggles strong emphasis.
    Strong,
    Link {
        label: String,
        url: String,
    },
    /// `{ID}` or `{ID.key}`: a figure, statistic or derived figure, or one part of a figure. Kept as
    /// written: ids may hold dots too, so only the period's ids can tell where the key starts.
    Number(String),
    Pledge(String),
    Footnote(String),
    ParagraphBreak,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkupError {
    #[error("`{{` at character {0} is not closed by `}}` (write `{{{{` for a literal brace)")]
    UnclosedBrace(usize),
    #[error("empty reference `{{}}` at character {0}")]
    EmptyReference(usize),
    #[error("`**` at character {0} opens bold text that is never closed")]
    UnclosedStrong(usize),
    #[error("`[^` at character {0} opens a footnote reference that is never closed by `]`")]
    UnclosedFootnote(usize),
}

/// Splits text into tokens. Adjacent text is merged.
pub fn parse(text: &str) -> Result<Vec<Token>, MarkupError> {
    let mut tokens = Vec::new();
    let mut buf = String::new();
    let mut strong_open: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    let flush = |buf: &mut String, tokens: &mut Vec<Token>| {
        if !buf.is_empty() {
            tokens.push(Token::Text(std::mem::take(buf)));
        }
    };
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("{{") {
            buf.push('{');
            i += 2;
        } else if rest.starts_with("}}") {
            buf.push('}');
            i += 2;
        } else if bytes[i] == b'{' {
            let end = rest.find('}').ok_or(MarkupError::UnclosedBrace(i))?;
            let inner = rest[1..end].trim();
            if inner.is_empty() {
                return Err(MarkupError::EmptyReference(i));
            }
            flush(&mut buf, &mut tokens);
            if let Some(id) = inner.strip_prefix("pledge:") {
                tokens.push(Token::Pledge(id.trim().to_owned()));
            } else {
                tokens.push(Token::Number(inner.to_owned()));
            }
            i += end + 1;
        } else if rest.starts_with("**") {
            flush(&mut buf, &mut tokens);
            tokens.push(Token::Strong);
            strong_open = if strong_open.is_some() { None } else { Some(i) };
            i += 2;
        } else if rest.starts_with("[^") {
            let end = rest.find(']').ok_or(MarkupError::UnclosedFootnote(i))?;
            flush(&mut buf, &mut tokens);
            tokens.push(Token::Footnote(rest[2..end].trim().to_owned()));
            i += end + 1;
        } else if let Some((label, url, len)) = link_at(rest) {
            flush(&mut buf, &mut tokens);
            tokens.push(Token::Link { label, url });
            i += len;
        } else if rest.starts_with("\n\n") || rest.starts_with("\r\n\r\n") {
            flush(&mut buf, &mut tokens);
            // Any run of blank lines is one paragraph break.
            let run = rest.len() - rest.trim_start_matches(['\n', '\r']).len();
            tokens.push(Token::ParagraphBreak);
            i += run;
        } else {
            let ch = rest.chars().next().expect("non-empty rest");
            // A single line break inside a paragraph is a space, as in Markdown.
            buf.push(if ch == '\n' || ch == '\r' { ' ' } else { ch });
            i += ch.len_utf8();
        }
    }
    if let Some(at) = strong_open {
        return Err(MarkupError::UnclosedStrong(at));
    }
    flush(&mut buf, &mut tokens);
    // Trim the whitespace that surrounding line breaks leave at the ends.
    if let Some(Token::Text(t)) = tokens.first_mut() {
        *t = t.trim_start().to_owned();
    }
    if let Some(Token::Text(t)) = tokens.last_mut() {
        *t = t.trim_end().to_owned();
    }
    tokens.retain(|t| !matches!(t, Token::Text(s) if s.is_empty()));
    Ok(tokens)
}

/// The links of parsed text that [`crate::links::check`] refuses, each with the reason: a narrative
/// may link only to `http(s)://` and `mailto:` addresses.
pub fn unsafe_links(tokens: &[Token]) -> Vec<crate::links::LinkError> {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Link { url, .. } => crate::links::check(url).err(),
            _ => None,
        })
        .collect()
}

/// `[label](url)` at the start of `s`: the label, the url and the length consumed.
fn link_at(s: &str) -> Option<(String, String, usize)> {
    let s2 = s.strip_prefix('[')?;
    let close = s2.find(']')?;
    let label = &s2[..close];
    if label.contains('\n') {
        return None;
    }
    let after = s2[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let url = &after[..end];
    if url.is_empty() || url.contains(char::is_whitespace) {
        return None;
    }
    Some((
        label.to_owned(),
        url.to_owned(),
        1 + close + 1 + 1 + end + 1,
    ))
}

/// Narrative markup as plain text, references resolved against `p` (for footnotes, excerpts and
/// search); text that does not parse is taken as it is.
pub fn plain_text(text: &str, p: &crate::model::PeriodData) -> String {
    let tokens = parse(text).unwrap_or_else(|_| vec![Token::Text(text.to_owned())]);
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Text(s) => out.push_str(&s),
            Token::Link { label, .. } => out.push_str(&label),
            Token::Number(raw) => out.push_str(
                &p.resolve(&raw)
                    .map(|r| crate::numbers::format_ref(p, r).unwrap_or_default())
                    .unwrap_or(raw),
            ),
            Token::ParagraphBreak => out.push_str("\n\n"),
            Token::Strong | Token::Pledge(_) | Token::Footnote(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Token {
        Token::Text(s.to_owned())
    }
    fn num(raw: &str) -> Token {
        Token::Number(raw.to_owned())
    }

    #[test]
    fn references_bold_and_footnotes_are_tokens() {
        let t =
            parse("**{F-PFA} people (including {F-PFA.children} children) received** aid.[^fn-1]")
                .unwrap();
        assert_eq!(
            t,
            vec![
                Token::Strong,
                num("F-PFA"),
                text(" people (including "),
                num("F-PFA.children"),
                text(" children) received"),
                Token::Strong,
                text(" aid."),
                Token::Footnote("fn-1".into()),
            ]
        );
    }

    #[test]
    fn links_pledges_and_paragraphs_are_recognised() {
        let t = parse("See [the report](https://example.org/r).\n\nPledge: {pledge:IMRF-2}\nend")
            .unwrap();
        assert_eq!(
            t,
            vec![
                text("See "),
                Token::Link {
                    label: "the report".into(),
                    url: "https://example.org/r".into()
                },
                text("."),
                Token::ParagraphBreak,
                text("Pledge: "),
                Token::Pledge("IMRF-2".into()),
                text(" end"),
            ]
        );
    }

    #[test]
    fn double_braces_are_literal_braces() {
        assert_eq!(parse("a {{b}} c").unwrap(), vec![text("a {b} c")]);
    }

    #[test]
    fn unclosed_markup_is_an_error_with_its_position() {
        assert_eq!(parse("abc {F-1 def"), Err(MarkupError::UnclosedBrace(4)));
        assert_eq!(parse("**bold"), Err(MarkupError::UnclosedStrong(0)));
        assert_eq!(parse("x {}"), Err(MarkupError::EmptyReference(2)));
    }

    #[test]
    fn script_and_data_links_are_found_as_unsafe() {
        let t = parse("[a](https://e.org) [b](javascript:alert(1)) [c](data:text/html,x)").unwrap();
        let bad = unsafe_links(&t);
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].to_string().contains("javascript:alert(1"));
    }

    #[test]
    fn a_bracket_that_is_not_a_link_stays_text() {
        assert_eq!(parse("[draft] text").unwrap(), vec![text("[draft] text")]);
    }
}
