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
mod model;
mod text;

pub use model::{
    ComputedNote, Glance, GroupBlock, LineBlock, OutcomeBlock, Place, PriorityBlock, ReportModel,
    build,
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
    ("highlights.md", include_str!("../templates/highlights.md")),
];

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

/// Renders the Highlights of `period`.
pub fn render(ds: &Dataset, period: &str, format: Format) -> Result<String, ReportError> {
    let model = build(ds, period, format)?;
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
