//! The dataset folder: TOML files a person edits, read into one validated [`Dataset`].
//!
//! Reading never stops at the first problem: every error of every file is collected, each with the file,
//! the line and the field, so that one run shows everything to fix. A folder with any error yields no
//! dataset at all, so nothing half-read can reach the store.
//!
//! One file of the folder per module: `network.rs`, `gazetteer.rs` (`places.csv` and
//! `boundaries.geojson`), `framework.rs`, `pledges.rs`, `groups.rs`,
//! `period.rs` (a period's folder), `figure.rs` (its figures) and `translations.rs`; `raw.rs` holds
//! the TOML shapes.
//! This module holds the reader's machinery: where an error is (file, line, field) and the helpers
//! every file shares. What an item must be is `mignet_core::rules`, not here.

mod figure;
mod framework;
mod gazetteer;
mod groups;
mod messages;
mod network;
mod period;
mod pledges;
mod raw;
mod translations;

use mignet_core::JointMethod;
use mignet_core::limits;
use mignet_core::markup::{self, Token};
use mignet_core::model::*;
use mignet_core::rules;
use mignet_core::suggest::did_you_mean;
use mignet_core::vocab::Vocabulary;
use mignet_core::{FrameworkCode, ItemId, OrgCode, PeriodCode, PlaceCode};

/// The places a network may name, known once `network.toml` and its gazetteer are read: what an
/// indicator's places are checked against before the dataset is whole.
#[derive(Default)]
struct PlaceScope {
    countries: Vec<String>,
    gazetteer: Gazetteer,
    /// The network names a country that does not exist (its own error): whether a place is one of
    /// its countries' cannot be told, and is not reported place by place.
    unknown: bool,
    /// `places.csv` has errors of its own: a P-code it may have meant to list is not reported again.
    broken_gazetteer: bool,
}
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One problem in a dataset folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetError {
    /// The file, relative to the dataset folder.
    pub file: String,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DatasetError {}

/// Reads and checks a whole dataset folder.
pub fn read_dir(dir: &Path) -> Result<Dataset, Vec<DatasetError>> {
    let mut r = Reader {
        dir: dir.to_owned(),
        errors: Vec::new(),
        refused: BTreeSet::new(),
        scope: PlaceScope::default(),
    };
    let ds = r.read();
    match ds {
        Some(ds) if r.errors.is_empty() => Ok(ds),
        _ => {
            if r.errors.is_empty() {
                r.errors.push(DatasetError {
                    file: ".".into(),
                    line: None,
                    field: None,
                    message: "the dataset could not be read".into(),
                });
            }
            Err(r.errors)
        }
    }
}

/// One file's text, for turning byte offsets into line numbers.
struct Source {
    file: String,
    text: String,
    /// Where each line after the first starts: an offset's line is found by a binary search, not
    /// by counting the newlines before it (which, once per entry of a file of 15,000 figures, made
    /// reading a large network take minutes).
    newlines: Vec<usize>,
}

impl Source {
    fn new(file: String, text: String) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Source {
            file,
            text,
            newlines,
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        // The number of newlines strictly before `offset`, plus one.
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    /// The line of `field = ...` inside an entry, or the entry's first line when the field is not written
    /// there (a missing field, or one given in an inline table).
    fn field_line<T>(&self, entry: &Spanned<T>, field: &str) -> usize {
        self.field_line_from(entry.span().start, field)
    }

    /// The table and the key of the `key = value` line at `offset` (either empty when not found).
    fn place(&self, offset: usize) -> (String, String) {
        let offset = offset.min(self.text.len());
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = self.text[line_start..].lines().next().unwrap_or("");
        let key = line
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"').to_owned())
            .filter(|k| !k.is_empty() && !k.starts_with('['))
            .unwrap_or_default();
        let table = self.text[..line_start]
            .lines()
            .rev()
            .chain(std::iter::once(line))
            .find_map(|l| {
                let t = l.trim();
                t.starts_with('[')
                    .then(|| t.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
            })
            .unwrap_or_default();
        (table, key)
    }

    /// The line of `field = ...` in the entry that starts at `start`, or the entry's first line.
    fn field_line_from(&self, start: usize, field: &str) -> usize {
        // The span of an entry of an array of tables may cover its header alone, so the entry's body is
        // taken to run to the next table header.
        let start = start.min(self.text.len());
        let mut offset = start;
        for (i, line) in self.text[start..].split_inclusive('\n').enumerate() {
            let t = line.trim_start();
            if i > 0 && t.starts_with('[') {
                break;
            }
            if let Some(rest) = t.strip_prefix(field)
                && rest.trim_start().starts_with('=')
            {
                return self.line_at(offset);
            }
            offset += line.len();
        }
        self.line_at(start)
    }
}

struct Reader {
    dir: PathBuf,
    errors: Vec<DatasetError>,
    /// Ids of entries that were written but refused (their own error is reported): a reference to
    /// one of them is a consequence of that error, not a second mistake, and is not reported again.
    refused: BTreeSet<String>,
    scope: PlaceScope,
}

/// Where an error points: a source and an entry in it.
struct At<'a, T> {
    src: &'a Source,
    entry: &'a Spanned<T>,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for At<'_, T> {}

impl<'a, T> At<'a, T> {
    fn error(&self, field: &str, message: impl Into<String>) -> DatasetError {
        DatasetError {
            file: self.src.file.clone(),
            line: Some(self.src.field_line(self.entry, field)),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

impl Reader {
    fn error(&mut self, e: DatasetError) {
        self.errors.push(e);
    }

    fn source(&mut self, rel: &str, required: bool) -> Option<Source> {
        let path = self.dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(Source::new(rel.to_owned(), text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => None,
            Err(e) => {
                self.error(DatasetError {
                    file: rel.into(),
                    line: None,
                    field: None,
                    message: format!("cannot be read: {e}"),
                });
                None
            }
        }
    }

    /// Reads a file. A syntax error, or a top table of the wrong shape, makes the file unreadable
    /// (one error); an entry of an array of tables with a field of the wrong shape is one error for
    /// that entry, and the file's other entries are read.
    fn parse<T: serde::de::DeserializeOwned + raw::Refusals>(&mut self, src: &Source) -> Option<T> {
        match toml::from_str::<T>(&src.text) {
            Ok(v) => {
                for (table, r) in v.refusals() {
                    let plain = messages::plain(table, &r.field, &r.problem);
                    let field = plain
                        .field
                        .unwrap_or_else(|| top_field(&r.field).to_owned());
                    self.errors.push(DatasetError {
                        file: src.file.clone(),
                        line: Some(src.field_line_from(r.span.start, &field)),
                        field: (!field.is_empty()).then_some(field),
                        message: plain.message,
                    });
                    if let Some(id) = &r.id {
                        self.refused.insert(id.clone());
                    }
                }
                Some(v)
            }
            Err(e) => {
                let start = e.span().map(|s| s.start);
                // toml's own text repeats the source line with a caret; the message alone, in plain
                // words, reads better after our file and line.
                let (table, key) = start.map_or((String::new(), String::new()), |o| src.place(o));
                let plain = messages::plain(&table, &key, e.message());
                let field = plain.field.or((!key.is_empty()).then_some(key));
                self.error(DatasetError {
                    file: src.file.clone(),
                    line: start.map(|o| src.line_at(o)),
                    field,
                    message: plain.message,
                });
                None
            }
        }
    }

    /// Whether a reference (`F-1`, `F-1.children`, `P1.O1.I01`) names an entry that was refused for
    /// an error of its own.
    fn consequence(&self, reference: &str) -> bool {
        // Framework codes hold dots (`P1.O1.I01`); an item id does not, so in `F-1.children` what
        // comes before the first dot is the id.
        let id = reference.split(['.', ':']).next().unwrap_or(reference);
        self.refused.contains(reference) || self.refused.contains(id)
    }

    /// Whether an unknown place is the consequence of another error: a country of the network that
    /// does not exist, or a gazetteer with errors (for a code that is no ISO 3166-2 code).
    fn place_consequence(&self, code: &str) -> bool {
        self.scope.unknown
            || (self.scope.broken_gazetteer && mignet_core::places::subdivision(code).is_none())
    }

    /// Marks as refused every written id that did not make it into `kept`.
    fn note_refused<'a>(
        &mut self,
        written: impl IntoIterator<Item = &'a str>,
        kept: impl IntoIterator<Item = &'a str>,
    ) {
        // A set, not a search per id: a period may hold tens of thousands of figures.
        let kept: std::collections::HashSet<&str> = kept.into_iter().collect();
        for id in written {
            if !kept.contains(id) {
                self.refused.insert(id.to_owned());
            }
        }
    }

    fn read(&mut self) -> Option<Dataset> {
        if !self.dir.is_dir() {
            self.error(DatasetError {
                file: self.dir.display().to_string(),
                line: None,
                field: None,
                message: "is not a folder".into(),
            });
            return None;
        }
        let net_src = self.source("network.toml", true);
        let fw_src = self.source("framework.toml", true);
        let pledge_src = self.source("pledges.toml", false);
        let group_src = self.source("groups.toml", false);
        let net: Option<raw::NetworkFile> = net_src.as_ref().and_then(|s| self.parse(s));
        let fw: Option<raw::FrameworkFile> = fw_src.as_ref().and_then(|s| self.parse(s));
        let pledges: raw::PledgesFile = pledge_src
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();
        let groups: raw::GroupsFile = group_src
            .as_ref()
            .and_then(|s| self.parse(s))
            .unwrap_or_default();

        let (Some(net), Some(net_src), Some(fw), Some(fw_src)) = (net, net_src, fw, fw_src) else {
            self.periods_alone();
            return None;
        };
        let (network, organisations, roles) = self.network(&net_src, net);
        let orgs: BTreeSet<String> = organisations.iter().map(|o| o.code.to_string()).collect();
        let before = self.errors.len();
        let gazetteer = self.gazetteer(&network);
        let broken_gazetteer = self.errors[before..].iter().any(|e| e.file == "places.csv");
        self.scope = PlaceScope {
            countries: network.countries.clone(),
            gazetteer,
            unknown: network
                .countries
                .iter()
                .any(|c| mignet_core::places::country(c).is_none()),
            broken_gazetteer,
        };
        // The periods are the folders of periods/ (a period's code is its folder's name): targets
        // name them before the periods themselves are read.
        let period_names = self.period_names();
        let framework = self.framework(&fw_src, fw, &period_names);
        let mut ds = Dataset {
            network,
            organisations,
            roles,
            framework,
            pledges: Vec::new(),
            groups: Vec::new(),
            periods: Vec::new(),
            gazetteer: std::mem::take(&mut self.scope.gazetteer),
            translations: Default::default(),
        };
        self.scope.gazetteer = ds.gazetteer.clone();
        for o in &ds.organisations {
            if let Some(parent) = &o.parent
                && !orgs.contains(parent.as_str())
            {
                self.error(DatasetError {
                    file: "network.toml".into(),
                    line: None,
                    field: Some("parent".into()),
                    message: format!(
                        "organisation `{}` names parent `{parent}`, which is not in the list{}",
                        o.code,
                        did_you_mean(parent.as_str(), orgs.iter().map(String::as_str))
                    ),
                });
            }
        }
        if let Some(src) = &pledge_src {
            ds.pledges = self.pledges(src, pledges, &ds);
        }
        if let Some(src) = &group_src {
            ds.groups = self.groups(src, groups, &ds);
        }
        ds.periods = self.periods(&ds, &period_names);
        // Last: a translation names a text of any file.
        if let Some(src) = self.source("translations.toml", false)
            && let Some(f) = self.parse::<raw::TranslationsFile>(&src)
        {
            ds.translations = self.translations(&src, f, &ds);
        }
        Some(ds)
    }

    fn code<C, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        parse: fn(&str) -> Result<C, mignet_core::CodeError>,
    ) -> Option<C> {
        match parse(value) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(at.error(field, format!("`{value}` is not a valid code: it {e}")));
                None
            }
        }
    }

    fn org_ref<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        ds_orgs: &BTreeSet<String>,
    ) -> Option<OrgCode> {
        if !ds_orgs.contains(value) {
            if self.consequence(value) {
                return None;
            }
            self.error(at.error(
                field,
                format!(
                    "unknown organisation `{value}`{}",
                    did_you_mean(value, ds_orgs.iter().map(String::as_str))
                ),
            ));
            return None;
        }
        OrgCode::parse(value).ok()
    }

    fn enum_value<E: Copy, T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        value: &str,
        options: &[(&str, E)],
    ) -> Option<E> {
        match options.iter().find(|(name, _)| *name == value) {
            Some((_, e)) => Some(*e),
            None => {
                let names: Vec<String> = options.iter().map(|(n, _)| format!("`{n}`")).collect();
                self.error(at.error(
                    field,
                    format!("`{value}` is not one of {}", names.join(", ")),
                ));
                None
            }
        }
    }

    /// A value of one of the model's vocabularies, written by its name.
    fn vocab<E: Vocabulary, T>(&mut self, at: At<'_, T>, field: &str, value: &str) -> Option<E> {
        let options: Vec<(&str, E)> = E::ALL.iter().map(|v| (v.name(), *v)).collect();
        self.enum_value(at, field, value, &options)
    }

    fn duplicates<'k, T>(
        &mut self,
        src: &Source,
        items: impl IntoIterator<Item = (&'k str, &'k Spanned<T>)>,
        what: &str,
        field: &str,
    ) where
        T: 'k,
    {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (code, entry) in items {
            let at = At { src, entry };
            let line = src.field_line(entry, field);
            if let Some(first) = seen.insert(code, line) {
                self.error(at.error(
                    field,
                    format!("duplicate {what} `{code}`: it is already used on line {first}"),
                ));
            }
        }
    }

    /// A free text over its length limit (mignet_core::limits) is an error of its field.
    fn limit<T>(&mut self, at: At<'_, T>, field: &str, kind: limits::Text, text: Option<&str>) {
        if let Err(e) = limits::check_opt(field, kind, text) {
            self.error(at.error(field, e.message));
        }
    }

    fn markup<T>(&mut self, at: At<'_, T>, field: &str, text: &str) -> Vec<Token> {
        self.limit(at, field, limits::Text::Narrative, Some(text));
        match markup::parse(text) {
            Ok(t) => {
                for e in markup::unsafe_links(&t) {
                    self.error(at.error(field, format!("bad link: {e}")));
                }
                t
            }
            Err(e) => {
                self.error(at.error(field, format!("bad markup: {e}")));
                Vec::new()
            }
        }
    }

    /// A small-count threshold: a whole number from 1 to 1,000,000.
    fn threshold<T>(&mut self, at: At<'_, T>, field: &str, value: Option<i64>) -> Option<u64> {
        let v = value?;
        if (1..=1_000_000).contains(&v) {
            Some(v as u64)
        } else {
            self.error(at.error(
                field,
                format!("{v} is not a threshold: it must be a whole number from 1 to 1,000,000"),
            ));
            None
        }
    }

    /// Place codes as written: only their spelling here. Whether each is one of the network's is
    /// `rules::place`, which the figure's rules apply and an indicator's reader calls.
    fn places<T>(&mut self, at: At<'_, T>, places: &[String]) -> Vec<PlaceCode> {
        let mut out = Vec::new();
        for p in places {
            match PlaceCode::parse(p) {
                Ok(c) => out.push(c),
                Err(e) => {
                    let hint = did_you_mean(p, self.scope.gazetteer.codes(&self.scope.countries));
                    self.error(at.error("places", format!("{e}{hint}")));
                }
            }
        }
        out
    }

    fn org_list<T>(
        &mut self,
        at: At<'_, T>,
        field: &str,
        list: &[String],
        orgs: &BTreeSet<String>,
    ) -> Vec<OrgCode> {
        list.iter()
            .filter_map(|o| self.org_ref(at, field, o, orgs))
            .collect()
    }
}

/// The first name of a path (`disaggregation` of `disaggregation.children`).
fn top_field(path: &str) -> &str {
    let first = path.split('.').next().unwrap_or(path);
    first.split('[').next().unwrap_or(first)
}

fn org_set(ds: &Dataset) -> BTreeSet<String> {
    ds.organisations
        .iter()
        .map(|o| o.code.to_string())
        .collect()
}
