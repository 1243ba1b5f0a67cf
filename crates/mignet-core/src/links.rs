//! Which links mignet takes in and gives out: `http://`, `https://` and `mailto:` only.
//!
//! One rule, checked where a link comes in (the dataset folder, the workbook import, the figure form
//! and API, narrative markup and its editor) and again where one goes out (pages, the brief in every
//! format, IATI), so that a link already in a store from before the rule cannot reach a reader as a
//! `javascript:` or `data:` address either. An output that meets an unsafe link prints it as text.
//!
//! ```
//! use mignet_core::links;
//! assert!(links::check("https://example.org/report.pdf").is_ok());
//! assert!(links::check("mailto:focal@example.org").is_ok());
//! assert!(links::check("javascript:alert(1)").is_err());
//! assert_eq!(links::safe(" JaVaScRiPt:alert(1)"), None);
//! ```

/// The schemes a link may have, for messages.
pub const ALLOWED: &str = "http://, https:// or mailto:";

/// Links longer than this are refused (browsers and servers cut them anyway).
pub const MAX_LINK_CHARS: usize = 2048;

/// Why a text is not a link mignet accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("`{0}` is not a link starting with {ALLOWED}")]
    Scheme(String),
    #[error("`{0}` holds a space or a control character, which a link may not")]
    Whitespace(String),
    #[error("`{0}` names no address after its scheme")]
    Empty(String),
    #[error("the link is longer than {MAX_LINK_CHARS} characters")]
    TooLong,
}

/// A link for a message: at most 80 characters of it.
fn shown(url: &str) -> String {
    let mut s: String = url.chars().take(80).collect();
    if s.len() < url.len() {
        s.push('…');
    }
    s
}

/// Whether `url` is a link mignet accepts: `http://HOST...`, `https://HOST...` or `mailto:ADDRESS`,
/// with no whitespace or control character anywhere (browsers drop some of those while reading a
/// scheme, which is how `java\tscript:` gets through filters that look at the text).
pub fn check(url: &str) -> Result<(), LinkError> {
    if url.chars().count() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(LinkError::Whitespace(shown(url)));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else if let Some(r) = lower.strip_prefix("mailto:") {
        r
    } else {
        return Err(LinkError::Scheme(shown(url)));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(LinkError::Empty(shown(url)));
    }
    Ok(())
}

/// The link, when it is one mignet may give out; `None` when an output must print it as text.
pub fn safe(url: &str) -> Option<&str> {
    check(url).is_ok().then_some(url)
}

/// Whether `url` may be given out as a link.
pub fn is_safe(url: &str) -> bool {
    check(url).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_and_mail_links_pass() {
        for ok in [
            "https://example.org",
            "http://example.org/a?b=c#d",
            "HTTPS://EXAMPLE.ORG/X",
            "mailto:someone@example.org",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn scripts_data_and_disguised_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "//evil.example/x",
            "/relative/path",
            "ftp://example.org/file",
            "https:example.org",
            "https:///path",
            "http://",
            "mailto:",
            "https://example.org/a b",
            "https://example.org/\u{0}",
            "",
        ] {
            assert!(check(bad).is_err(), "{bad:?} passed");
            assert_eq!(safe(bad), None);
        }
    }

    #[test]
    fn a_message_names_the_link_and_the_allowed_schemes() {
        let m = check("javascript:alert(1)").unwrap_err().to_string();
        assert!(
            m.contains("javascript:alert(1)") && m.contains("https://"),
            "{m}"
        );
        assert_eq!(
            check(&format!("https://e.org/{}", "a".repeat(3000))),
            Err(LinkError::TooLong)
        );
    }
}
