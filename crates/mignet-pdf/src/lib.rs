//! The Highlights brief as a designed PDF, typeset in-process with typst used as a library. The only
//! crate of the workspace that depends on typst, so that typst's API changes stay here.
//!
//! The brief's content is the same [`ReportModel`] the HTML report prints, built for
//! [`Format::Typst`]: narrative arrives as typst markup (escaped text, `#strong`, `#link`,
//! `#footnote`), which the template evaluates, and every plain field as a string. The model goes to the
//! template as the virtual file `data.json`, and its chart of people reached (from
//! [`mignet_report::charts::people_chart`]) as `chart-largest.svg`; the template is
//! `templates/highlights.typ`.
//! Fonts are compiled into the binary (`fonts/`): Liberation Sans for Latin text and Loma for Thai.
//!
//! Rendering is synchronous and CPU-bound (tens of milliseconds): a server calls it inside
//! `spawn_blocking`.
//!
//! ```no_run
//! # fn demo(dataset: &mignet_core::Dataset) -> Result<(), mignet_pdf::PdfError> {
//! let pdf: Vec<u8> = mignet_pdf::render(dataset, "2022")?;
//! # Ok(()) }
//! ```
//!
//! Why markup strings rather than structured segments: the report's renderer already produces one
//! string per paragraph for each format, and typst's `eval` turns such a string into content with real
//! footnotes, links and bold in one call. Escaping is total (every character typst could read as syntax
//! gets a backslash, see [`mignet_report::escape_typst`]), so data can never become code.

use std::sync::LazyLock;

use mignet_core::Dataset;
use mignet_report::{Format, ReportError, ReportModel};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The template, compiled in like the HTML templates.
const TEMPLATE: &str = include_str!("../templates/highlights.typ");

/// The fonts the brief uses, with their licences beside them in `fonts/`.
const FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../fonts/Loma.ttf"),
    include_bytes!("../fonts/Loma-Bold.ttf"),
];

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("cannot serialise the report for typst: {0}")]
    Data(#[from] serde_json::Error),
    /// The template failed; a bug in the template or in the escaping, never the user's doing.
    #[error("cannot typeset the brief: {0}")]
    Typeset(String),
}

/// The Highlights of `period` as the bytes of a PDF file, in English.
pub fn render(ds: &Dataset, period: &str) -> Result<Vec<u8>, PdfError> {
    render_in(ds, period, mignet_report::words::ENGLISH)
}

/// The Highlights of `period` as a PDF with the brief's words in `lang`, and the dataset's texts
/// where they are translated ([`mignet_report::build_in`]).
pub fn render_in(ds: &Dataset, period: &str, lang: &str) -> Result<Vec<u8>, PdfError> {
    let model = mignet_report::build_in(ds, period, Format::Typst, lang)?;
    render_model(&model)
}

/// Typesets a model built for [`Format::Typst`], with its chart.
pub fn render_model(model: &ReportModel) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(&serde_json::json!({ "model": model }))?;
    // An empty picture where the period has no count of people: the template then leaves it out.
    let chart = model.chart.clone().unwrap_or_default();
    let world = BriefWorld {
        main: Source::new(file_id("/highlights.typ"), TEMPLATE.to_owned()),
        files: vec![
            (file_id("/data.json"), Bytes::new(data)),
            (
                file_id("/chart-largest.svg"),
                Bytes::new(chart.into_bytes()),
            ),
        ],
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    // The memo cache would otherwise grow with every document a long-running server renders.
    comemo::evict(10);
    let document = result.map_err(|e| typeset_error(&e))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| typeset_error(&e))
}

fn typeset_error(diagnostics: &[SourceDiagnostic]) -> PdfError {
    PdfError::Typeset(
        diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

/// The standard library and the fonts, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));
static FONT_SET: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS
        .iter()
        .copied()
        .chain(typst_assets::fonts())
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// A world of one template and a few virtual files: nothing is read from disk or the network.
struct BriefWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONT_SET.0
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONT_SET.1.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The brief prints no date of its own making, so that the same data gives the same PDF.
        None
    }
}
