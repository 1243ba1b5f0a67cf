//! Rendering narrative markup to Markdown, HTML or typst markup, resolving every reference against the
//! period and numbering footnotes in the order the reader meets them.

use crate::Format;
use mignet_core::markup::{self, Token};
use mignet_core::model::{Dataset, PeriodData};
use mignet_core::numbers::{self, NumberRef};
use serde::Serialize;

/// A footnote as printed: its marker and its rendered text.
#[derive(Debug, Clone, Serialize)]
pub struct PrintedNote {
    pub id: String,
    pub marker: String,
    /// The marker as the format prints it at the start of the note.
    pub label: String,
    pub text: String,
}

pub struct Renderer<'a> {
    pub ds: &'a Dataset,
    pub period: &'a PeriodData,
    pub format: Format,
    /// The language of the words the brief puts around numbers ([`crate::words`]).
    pub lang: String,
    /// Footnotes in order of first use.
    pub notes: Vec<PrintedNote>,
    numbered: usize,
}

/// Escapes text for HTML (element content and quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text as literal typst markup: every character typst could read as syntax is escaped with a
/// backslash (typst accepts `\` before any non-space character), and line breaks become spaces so
/// that no line of the text can start a list, heading or enumeration. Straight quotes are escaped too, so
/// that typst prints the data's own characters rather than typographic quotes of its choosing.
pub fn escape_typst(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '@' | '<' | '>' | '[' | ']' | '~' | '/' | '-'
            | '+' | '=' | ':' | '.' | '{' | '}' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A typst string literal (for a link's address).
fn typst_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A typst label name made of an item id (labels allow letters, digits, `-`, `_`, `.` and `:`).
fn typst_label(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("<note-{safe}>")
}

impl<'a> Renderer<'a> {
    pub fn new(ds: &'a Dataset, period: &'a PeriodData, format: Format, lang: &str) -> Self {
        Renderer {
            ds,
            period,
            format,
            lang: lang.to_owned(),
            notes: Vec::new(),
            numbered: 0,
        }
    }

    /// Plain text for the chosen format (escaped in HTML). For typst it stays as it is: the template
    /// prints plain fields as strings, which typst never reads as markup.
    pub fn plain(&self, s: &str) -> String {
        match self.format {
            Format::Html => escape_html(s),
            Format::Markdown | Format::Typst => s.to_owned(),
        }
    }

    /// A plain text of the dataset (a title, a statement, a name) in the brief's language: its
    /// translation ([`mignet_core::translate`]), else the text as stored, which the HTML brief marks
    /// as English so that a reader and a screen reader see what is not translated.
    pub fn own(&self, source: &str) -> String {
        match self.translation(source) {
            Some(t) => self.plain(t),
            None => self.english(self.plain(source)),
        }
    }

    /// Narrative of the dataset in the brief's language, rendered: its translation, else the text as
    /// stored, marked as English in HTML ([`Renderer::own`]).
    pub fn own_markup(&mut self, source: &str) -> String {
        match self.translation(source) {
            Some(t) => {
                let t = t.to_owned();
                self.render(&t)
            }
            None => {
                let html = self.render(source);
                self.english(html)
            }
        }
    }

    fn translation(&self, source: &str) -> Option<&'a str> {
        if self.lang == crate::words::ENGLISH {
            return None;
        }
        self.ds.translations.get(&self.lang, source)
    }

    /// Rendered English inside a brief in another language: in HTML, each of its paragraphs in a
    /// `<span lang="en">`.
    fn english(&self, rendered: String) -> String {
        if self.lang == crate::words::ENGLISH || self.format != Format::Html || rendered.is_empty()
        {
            return rendered;
        }
        format!(
            "<span lang=\"en\">{}</span>",
            rendered.replace("</p>\n<p>", "</span></p>\n<p><span lang=\"en\">")
        )
    }

    /// Literal text inside rendered markup.
    fn literal(&self, s: &str) -> String {
        match self.format {
            Format::Typst => escape_typst(s),
            _ => self.plain(s),
        }
    }

    /// The marker of a footnote, giving it the next number on first use.
    fn note_marker(&mut self, id: &str) -> Option<String> {
        if let Some(n) = self.notes.iter().find(|n| n.id == id) {
            return Some(n.marker.clone());
        }
        let f = self.period.footnote(id)?;
        let marker = match &f.marker {
            Some(m) => m.clone(),
            None => {
                self.numbered += 1;
                self.numbered.to_string()
            }
        };
        // The footnote's own text may quote numbers (but its footnotes are not followed further).
        let text = self.render_inner(&f.text, false);
        let label = match self.format {
            Format::Html => escape_html(&marker),
            Format::Typst => marker.clone(),
            Format::Markdown if marker == "*" => "\\*".to_owned(),
            Format::Markdown => format!("<sup>{marker}</sup>"),
        };
        self.notes.push(PrintedNote {
            id: id.to_owned(),
            marker: marker.clone(),
            label,
            text,
        });
        Some(marker)
    }

    fn note_ref(&mut self, id: &str) -> String {
        let first_use = !self.notes.iter().any(|n| n.id == id);
        let Some(marker) = self.note_marker(id) else {
            return String::new();
        };
        match self.format {
            // A real footnote at the foot of the page, marked with the brief's own marker rather than
            // typst's counter, so that the PDF numbers notes as the HTML does. A note met again refers to
            // the first one by its label, so it is printed once.
            Format::Typst => {
                let numbering = format!("numbering: n => {}", typst_string(&marker));
                if first_use {
                    let text = self
                        .notes
                        .iter()
                        .find(|n| n.id == id)
                        .map(|n| n.text.clone())
                        .unwrap_or_default();
                    format!("#footnote({numbering})[{text}]{}", typst_label(id))
                } else {
                    format!("#footnote({numbering}, {})", typst_label(id))
                }
            }
            Format::Html => format!(
                "<sup class=\"fnref\"><a href=\"#note-{id}\" id=\"ref-{id}\" aria-label=\"note {m}\">{m}</a></sup>",
                id = escape_html(id),
                m = escape_html(&marker)
            ),
            Format::Markdown if marker == "*" => "\\*".to_owned(),
            Format::Markdown => format!("<sup>{marker}</sup>"),
        }
    }

    /// Renders a text; `extra_notes` are footnotes attached to what the text quotes, printed at its end
    /// when the text does not place them itself.
    pub fn render(&mut self, text: &str) -> String {
        self.render_inner(text, true)
    }

    fn render_inner(&mut self, text: &str, follow_notes: bool) -> String {
        // The text was checked when it was loaded; a text that no longer parses prints as it is rather
        // than failing the whole brief.
        let tokens = markup::parse(text).unwrap_or_else(|_| vec![Token::Text(text.to_owned())]);
        let mut out = String::new();
        let mut strong = false;
        let mut placed: Vec<String> = Vec::new();
        let mut attached: Vec<String> = Vec::new();
        // A corrected number's mark waits for the unit written after the number (`147.6 per cent
        // [published as 134]`), so that it does not split the number from its unit.
        let mut correction: Option<String> = None;
        for t in &tokens {
            if let Some(mark) = correction.take() {
                match t {
                    Token::Text(s) if s.starts_with(" per cent") => {
                        let (unit, rest) = s.split_at(" per cent".len());
                        out.push_str(&self.literal(unit));
                        out.push_str(&mark);
                        out.push_str(&self.literal(rest));
                        continue;
                    }
                    _ => out.push_str(&mark),
                }
            }
            match t {
                Token::Text(s) => out.push_str(&self.literal(s)),
                Token::Strong => {
                    strong = !strong;
                    out.push_str(match (self.format, strong) {
                        (Format::Html, true) => "<strong>",
                        (Format::Html, false) => "</strong>",
                        (Format::Markdown, _) => "**",
                        (Format::Typst, true) => "#strong[",
                        (Format::Typst, false) => "]",
                    });
                }
                // A link that is not http(s) or mailto (data from before the rule) prints as its
                // label alone: no output gives out a `javascript:` or `data:` address.
                Token::Link { label, url } if !mignet_core::links::is_safe(url) => {
                    out.push_str(&self.literal(label))
                }
                Token::Link { label, url } => match self.format {
                    Format::Html => out.push_str(&format!(
                        "<a href=\"{}\">{}</a>",
                        escape_html(url),
                        escape_html(label)
                    )),
                    Format::Markdown => out.push_str(&format!("[{label}]({url})")),
                    Format::Typst => out.push_str(&format!(
                        "#link({})[{}]",
                        typst_string(url),
                        escape_typst(label)
                    )),
                },
                Token::Number(raw) => {
                    let (shown, item, notes) = self.number(raw);
                    attached.extend(notes);
                    correction = self.correction(raw);
                    match (self.format, item) {
                        (Format::Html, Some(id)) => out.push_str(&format!(
                            "<span class=\"num\" data-item=\"{}\">{}</span>",
                            escape_html(&id),
                            escape_html(&shown)
                        )),
                        _ => out.push_str(&self.literal(&shown)),
                    }
                }
                Token::Pledge(id) => {
                    let text = self
                        .ds
                        .pledge(id)
                        .map(|p| p.text.clone())
                        .unwrap_or_default();
                    out.push_str(&self.literal(&format!("\u{201c}{text}\u{201d}")));
                }
                Token::Footnote(id) => {
                    if follow_notes {
                        placed.push(id.clone());
                        let r = self.note_ref(id);
                        out.push_str(&r);
                    }
                }
                Token::ParagraphBreak => out.push_str(match self.format {
                    Format::Html => "</p>\n<p>",
                    Format::Markdown | Format::Typst => "\n\n",
                }),
            }
        }
        if let Some(mark) = correction {
            out.push_str(&mark);
        }
        // Unbalanced bold would leave typst's content bracket open and fail the whole document.
        if strong && self.format == Format::Typst {
            out.push(']');
        }
        if follow_notes {
            for id in attached {
                if !placed.contains(&id) {
                    placed.push(id.clone());
                    let r = self.note_ref(&id);
                    out.push_str(&r);
                }
            }
        }
        out
    }

    /// The mark a computed number carries where a published claim gave another value:
    /// ` [published as 134]`, so that the brief shows its own correction where it prints the number.
    fn correction(&self, raw: &str) -> Option<String> {
        let Ok(NumberRef::Derived(d)) = self.period.resolve(raw) else {
            return None;
        };
        let value = self.period.compute(d).ok()?;
        let claim = self
            .period
            .claims
            .iter()
            .find(|c| c.derived == d.id && !numbers::agrees(c.published, value))?;
        let text = self.literal(&crate::words::text_with(
            &self.lang,
            "published-as",
            &[("number", numbers::group_auto(claim.published, 6).into())],
        ));
        Some(match self.format {
            Format::Html => format!("<span class=\"correction\">{text}</span>"),
            Format::Markdown | Format::Typst => text,
        })
    }

    /// A reference's printed value, the item it came from, and the footnotes attached to it.
    fn number(&self, raw: &str) -> (String, Option<String>, Vec<String>) {
        match self.period.resolve(raw) {
            Ok(NumberRef::Figure(f)) => (
                crate::words::figure_value(&self.lang, f),
                Some(f.id.to_string()),
                f.footnotes.iter().map(|n| n.to_string()).collect(),
            ),
            Ok(NumberRef::Part(f, _, v)) => (
                numbers::group(v as f64, 0),
                Some(f.id.to_string()),
                Vec::new(),
            ),
            Ok(NumberRef::Statistic(s)) => (
                crate::words::statistic_value(&self.lang, s),
                Some(s.id.to_string()),
                s.footnote.iter().map(|n| n.to_string()).collect(),
            ),
            Ok(NumberRef::WithheldPart(f, _, below)) => (
                crate::words::withheld_value(&self.lang, below),
                Some(f.id.to_string()),
                Vec::new(),
            ),
            Ok(NumberRef::Derived(d)) => match self.period.compute(d) {
                Ok(v) => (
                    numbers::format_derived(d, v),
                    Some(d.id.to_string()),
                    Vec::new(),
                ),
                // A change or share of a small count withheld from the public would give it away.
                Err(numbers::RefError::Withheld(_)) => (
                    crate::words::text(&self.lang, "withheld"),
                    Some(d.id.to_string()),
                    Vec::new(),
                ),
                Err(_) => (
                    crate::words::text(&self.lang, "not-computable"),
                    None,
                    Vec::new(),
                ),
            },
            Err(_) => (format!("[{raw}?]"), None, Vec::new()),
        }
    }
}
