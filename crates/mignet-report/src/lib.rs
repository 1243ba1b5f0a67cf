//! The Highlights brief: a report model built from a period's approved data, rendered through
//! templates to Markdown or HTML, or built for typst (typeset by `mignet-pdf`), and SVG charts of its
//! headline figures ([`charts`]). No database access: it reads a [`Dataset`] value.
//!
//! Every number in the brief comes from the data. Narrative text quotes figures, statistics and derived
//! figures by reference, and derived figures are computed here from the stored values. A line of the
//! brief is printed only when every figure it quotes is approved.
//!
//! ```no_run
//! # fn demo(dataset: &mignet_core::Dataset) -> Result<(), mignet_report::ReportError> {
//! let html = mignet_report::render(dataset, "2022", mignet_report::Format::Html)?;
//! # Ok(()) }
//! ```

pub mod charts;
pub mod headlines;
mod model;
pub use model::PageOf;
mod text;
pub mod words;

pub use model::{
    ComputedNote, Glance, GroupBlock, LineBlock, OutcomeBlock, Place, PriorityBlock, ReportModel,
    build, build_in,
};
pub use text::{escape_html, escape_typst};

use mignet_core::Dataset;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    /// Narrative rendered as typst markup (escaped text, `#strong[..]`, `#link(..)[..]`,
    /// `#footnote[..]`), for a typst template to `eval`; plain fields stay plain strings. Built with
    /// [`build`] and typeset by `mignet-pdf`: there is no template for it here.
    Typst,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the store has no period `{0}`")]
    UnknownPeriod(String),
    #[error("cannot render the report: {0}")]
    Template(#[from] minijinja::Error),
    #[error("the {0:?} format has no text template here (it is typeset by mignet-pdf)")]
    NoTemplate(Format),
}

/// The templates, compiled into the binary so that a report never depends on files next to it.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "highlights.html",
        include_str!("../templates/highlights.html"),
    ),
    (
        "highlights_body.html",
        include_str!("../templates/highlights_body.html"),
    ),
    ("highlights.css", STYLESHEET),
    ("highlights.md", include_str!("../templates/highlights.md")),
];

/// The brief's stylesheet. The standalone HTML file carries it inline; a web page that shows
/// [`render_html_page`]'s fragment links it, so that the page needs no inline style.
pub const STYLESHEET: &str = include_str!("../templates/highlights.css");

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("a valid syntax");
    env.set_syntax(syntax);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .expect("the built-in templates compile");
    }
    env
}

/// One page of the Highlights of `period` as an HTML fragment for the web, an `<article
/// class="brief">` to place inside a page that links [`STYLESHEET`]: the brief's results (its lines) in
/// pages of `per_page`, with the text before the results on the first page and the text after them
/// on the last. A brief of at most `per_page` lines is one page, the whole brief. A network of
/// thousands of figures would otherwise make one page of megabytes. Returns the page and how many
/// there are; a page past the last is `None`.
pub fn render_html_page(
    ds: &Dataset,
    period: &str,
    page: usize,
    per_page: usize,
    lang: &str,
) -> Result<Option<(String, usize)>, ReportError> {
    let mut model = build_in(ds, period, Format::Html, lang)?;
    let total: usize = model
        .priorities
        .iter()
        .flat_map(|p| &p.outcomes)
        .map(|o| o.lines.len())
        .sum();
    let per_page = per_page.max(1);
    let pages = total.div_ceil(per_page).max(1);
    if page == 0 || page > pages {
        return Ok(None);
    }
    if pages > 1 {
        let (start, end) = ((page - 1) * per_page, page * per_page);
        let mut at = 0;
        for p in &mut model.priorities {
            // The priority's own text goes with its first line.
            if !(start..end).contains(&at) {
                p.context.clear();
                p.lead.clear();
            }
            for o in &mut p.outcomes {
                let first = at;
                at += o.lines.len();
                // The outcome's own text goes with its first line, and its closing with its last.
                if !(start..end).contains(&first) {
                    o.context.clear();
                }
                if !(start + 1..=end).contains(&at) {
                    o.ways_forward.clear();
                    o.closing.clear();
                }
                let keep: Vec<_> = std::mem::take(&mut o.lines)
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| (start..end).contains(&(first + i)))
                    .map(|(_, l)| l)
                    .collect();
                o.lines = keep;
            }
            if !(start + 1..=end).contains(&at) {
                p.ways_forward.clear();
                p.closing.clear();
            }
            p.outcomes
                .retain(|o| !o.lines.is_empty() || !o.context.is_empty() || !o.closing.is_empty());
        }
        model
            .priorities
            .retain(|p| !p.outcomes.is_empty() || !p.context.is_empty() || !p.lead.is_empty());
        if page > 1 {
            model.introduction = None;
            model.context.clear();
            model.chart = None;
        }
        if page < pages {
            model.ways_forward.clear();
            model.groups.clear();
            model.closing.clear();
            model.computed.clear();
            model.notes.clear();
        }
        let of = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        model.page = Some(model::PageOf {
            page,
            pages,
            words: words::text_with(
                &model.lang,
                "brief-page-of",
                &[("page", of(page).into()), ("pages", of(pages).into())],
            ),
        });
        model.collect_joint_notes();
    }
    let out = environment()
        .get_template("highlights_body.html")?
        .render(minijinja::Value::from(minijinja::value::Serde(&model)))?;
    Ok(Some((out, pages)))
}

/// Renders the Highlights of `period` in English.
pub fn render(ds: &Dataset, period: &str, format: Format) -> Result<String, ReportError> {
    render_in(ds, period, format, words::ENGLISH)
}

/// Renders the Highlights of `period` with the brief's own words in `lang` ([`build_in`]).
pub fn render_in(
    ds: &Dataset,
    period: &str,
    format: Format,
    lang: &str,
) -> Result<String, ReportError> {
    let model = build_in(ds, period, format, lang)?;
    let name = match format {
        Format::Html => "highlights.html",
        Format::Markdown => "highlights.md",
        Format::Typst => return Err(ReportError::NoTemplate(format)),
    };
    let env = environment();
    let out = env
        .get_template(name)?
        .render(minijinja::Value::from(minijinja::value::Serde(&model)))?;
    Ok(out)
}
