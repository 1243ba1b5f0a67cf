//! From a grid of cells (an .xlsx data sheet or a CSV file) to typed rows, and from typed rows to
//! figures matched against a framework. Both steps collect every problem before they return.

use super::{ImportError, column_letters, limits, parse_kind};
use mignet_core::model::{Dataset, Figure, FigureStatus, FigureValue, Indicator, IndicatorKind};
use mignet_core::{FrameworkCode, ItemId, OrgCode, PeriodCode, PlaceCode};
use std::collections::BTreeMap;

/// One cell as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A value no column accepts (a date, an error such as `#N/A`), described for the message.
    Other(String),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
    fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Other(d) => d.clone(),
        }
    }
}

/// A sheet read into memory, bounded by [`limits`]: the header row and the rows below it.
pub(crate) struct Grid {
    pub sheet: String,
    /// Whether cells have spreadsheet names (`I5`); CSV lines do not.
    pub a1: bool,
    /// Header row (1-based) and the headers by column (0-based).
    pub header: (u32, BTreeMap<u32, String>),
    /// Rows (1-based number) and their non-empty cells by column.
    pub rows: Vec<(u32, BTreeMap<u32, Cell>)>,
}

/// What the hidden sheet of a template says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub format: String,
    pub framework: String,
    pub fingerprint: String,
    pub organisation: String,
    pub period: String,
}

/// One filled-in row: an organisation's figure for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub row: u32,
    pub indicator: FrameworkCode,
    /// The kind as the row states it; matched against the framework's.
    pub kind: IndicatorKind,
    pub value: FigureValue,
    /// The value cell's text where it states the value the way reports do ("over 65,000",
    /// "100-130", "USD 19.1 million"), read against the indicator by `mignet_core::stated`.
    pub stated: Option<String>,
    pub parts: Vec<(String, u64)>,
    pub places: Vec<PlaceCode>,
    /// Co-reporting organisations of a joint figure.
    pub partners: Vec<OrgCode>,
    pub note: Option<String>,
    pub evidence: Option<String>,
}

/// A read workbook or CSV file: who reports, for which period, and the filled-in rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub sheet: String,
    pub meta: Option<Meta>,
    pub organisation: OrgCode,
    pub period: PeriodCode,
    /// Every indicator the file lists with its stated kind, filled in or not, in order.
    pub listed: Vec<(FrameworkCode, IndicatorKind)>,
    pub entries: Vec<Entry>,
    a1: bool,
    columns: BTreeMap<String, u32>,
}

/// The columns of the data sheet, in order; `part:KEY` columns follow `value` (docs/workbook.md).
pub const FIXED_COLUMNS: [&str; 8] = [
    "organisation",
    "period",
    "indicator",
    "statement",
    "unit",
    "kind",
    "disaggregations",
    "indicator places",
];
const REQUIRED: [&str; 5] = ["organisation", "period", "indicator", "kind", "value"];

#[derive(Debug, Clone, PartialEq)]
enum Col {
    Fixed,
    Value,
    Part(String),
    Place,
    Partner,
    Note,
    Evidence,
}

fn column_kind(h: &str) -> Option<Col> {
    if FIXED_COLUMNS.contains(&h) {
        return Some(Col::Fixed);
    }
    let numbered = |prefix: &str| {
        h.strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (1..=64).contains(&n))
    };
    Some(match h {
        "value" => Col::Value,
        "note" => Col::Note,
        "evidence" => Col::Evidence,
        _ if numbered("place ") => Col::Place,
        _ if numbered("co-reporting ") => Col::Partner,
        _ => {
            let key = h.strip_prefix("part:")?;
            if key.is_empty() {
                return None;
            }
            Col::Part(key.to_owned())
        }
    })
}

struct Errors<'g> {
    grid: &'g Grid,
    list: Vec<ImportError>,
}

impl Errors<'_> {
    fn at(&mut self, row: u32, col: Option<(u32, &str)>, problem: String, expected: Option<&str>) {
        self.list.push(ImportError {
            sheet: self.grid.sheet.clone(),
            row: Some(row),
            column: col.map(|(_, h)| h.to_owned()),
            cell: col
                .filter(|_| self.grid.a1)
                .map(|(c, _)| format!("{}{row}", column_letters(c))),
            problem,
            expected: expected.map(str::to_owned),
        });
    }
}

const WHOLE: &str = "a whole number of 0 or more, typed without separators (4805)";
const PERCENT: &str = "a number from 0 to 100, without the % sign (47.5)";
const YES_NO: &str = "`yes` or `no`";

fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Empty => None,
        Cell::Other(_) => None,
        c => {
            let s = c.shown();
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
    }
}

fn whole(cell: &Cell) -> Result<u64, String> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= MAX_EXACT => Ok(*n as u64),
        Cell::Number(n) => Err(format!("{n} is not a whole number of 0 or more")),
        Cell::Text(t) => {
            let t = t.trim();
            if !t.is_empty() && t.len() <= 16 && t.bytes().all(|b| b.is_ascii_digit()) {
                Ok(t.parse().expect("digits"))
            } else {
                Err(format!("`{}` is not a whole number", clip(t)))
            }
        }
        Cell::Bool(b) => Err(format!("`{b}` is not a number")),
        Cell::Other(d) => Err(format!("the cell holds {d}")),
        Cell::Empty => Err("the cell is empty".into()),
    }
}

fn percent(cell: &Cell) -> Result<f64, String> {
    let n = match cell {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = t.trim();
            let ok = !t.is_empty()
                && t.len() <= 24
                && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && t.bytes().filter(|&b| b == b'.').count() <= 1;
            match t.parse::<f64>() {
                Ok(n) if ok => n,
                _ => return Err(format!("`{}` is not a number", clip(t))),
            }
        }
        Cell::Bool(b) => return Err(format!("`{b}` is not a number")),
        Cell::Other(d) => return Err(format!("the cell holds {d}")),
        Cell::Empty => return Err("the cell is empty".into()),
    };
    if n.is_finite() && (0.0..=100.0).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is outside 0 to 100"))
    }
}

fn yes_no(cell: &Cell) -> Result<bool, String> {
    match cell {
        Cell::Bool(b) => Ok(*b),
        Cell::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "yes" => Ok(true),
            "no" => Ok(false),
            _ => Err(format!("`{}` is neither yes nor no", clip(t))),
        },
        Cell::Number(n) => Err(format!("{n} is neither yes nor no")),
        Cell::Other(d) => Err(format!("the cell holds {d}")),
        Cell::Empty => Err("the cell is empty".into()),
    }
}

/// Text for a message, cut short.
fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_owned()
    }
}

impl Submission {
    /// Reads the rows of a grid. Rows whose input cells are all empty are not reported on and skipped.
    pub(crate) fn from_grid(
        grid: &Grid,
        meta: Option<Meta>,
    ) -> Result<Submission, Vec<ImportError>> {
        let mut errs = Errors {
            grid,
            list: Vec::new(),
        };
        let (header_row, headers) = &grid.header;
        let mut columns: BTreeMap<String, u32> = BTreeMap::new();
        let mut kinds: Vec<(u32, String, Col)> = Vec::new();
        for (&c, h) in headers {
            let h = h.trim();
            if h.is_empty() {
                continue;
            }
            match column_kind(h) {
                None => errs.at(
                    *header_row,
                    Some((c, h)),
                    format!("`{}` is not a column of the workbook", clip(h)),
                    Some("the headers of a template made by `mignet template` (docs/workbook.md)"),
                ),
                Some(k) => {
                    if columns.insert(h.to_owned(), c).is_some() {
                        errs.at(
                            *header_row,
                            Some((c, h)),
                            format!("the column `{h}` appears twice"),
                            Some("each column once"),
                        );
                    }
                    kinds.push((c, h.to_owned(), k));
                }
            }
        }
        for r in REQUIRED {
            if !columns.contains_key(r) {
                errs.list.push(
                    ImportError {
                        row: Some(*header_row),
                        ..ImportError::file(&grid.sheet, format!("the column `{r}` is missing"))
                    }
                    .expected(format!("a header row with {}", REQUIRED.join(", "))),
                );
            }
        }
        if !errs.list.is_empty() {
            return Err(errs.list);
        }
        let col = |h: &str| columns[h];
        let mut organisation: Option<OrgCode> = meta
            .as_ref()
            .and_then(|m| OrgCode::parse(&m.organisation).ok());
        let mut period: Option<PeriodCode> = meta
            .as_ref()
            .and_then(|m| PeriodCode::parse(&m.period).ok());
        let mut listed = Vec::new();
        let mut entries = Vec::new();
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        let empty = Cell::Empty;
        for (row, cells) in &grid.rows {
            let row = *row;
            let get = |c: u32| cells.get(&c).unwrap_or(&empty);
            let at = |h: &'static str| (col(h), h);
            if cells.values().all(Cell::is_empty) {
                continue;
            }
            // Who and when: every row says the same, and agrees with the hidden sheet.
            let mut same = |h: &'static str, known: &mut Option<String>| {
                let v = text(get(col(h))).unwrap_or_default();
                match known {
                    Some(k) if *k != v => errs.at(
                        row,
                        Some(at(h)),
                        format!("`{}` differs from `{k}` above", clip(&v)),
                        Some(&format!("one {h} for the whole file: `{k}`")),
                    ),
                    Some(_) => {}
                    None => *known = Some(v),
                }
            };
            let mut org_text = organisation.as_ref().map(|o| o.to_string());
            let mut period_text = period.as_ref().map(|p| p.to_string());
            same("organisation", &mut org_text);
            same("period", &mut period_text);
            if organisation.is_none() {
                match OrgCode::parse(org_text.as_deref().unwrap_or("")) {
                    Ok(o) => organisation = Some(o),
                    Err(e) => errs.at(
                        row,
                        Some(at("organisation")),
                        format!("the organisation code {e}"),
                        Some("the code of the reporting organisation (IOM)"),
                    ),
                }
            }
            if period.is_none() {
                match PeriodCode::parse(period_text.as_deref().unwrap_or("")) {
                    Ok(p) => period = Some(p),
                    Err(e) => errs.at(
                        row,
                        Some(at("period")),
                        format!("the period code {e}"),
                        Some("the period's code (2023)"),
                    ),
                }
            }
            let indicator_text = text(get(col("indicator"))).unwrap_or_default();
            let indicator = match FrameworkCode::parse(&indicator_text) {
                Ok(i) => i,
                Err(e) => {
                    errs.at(
                        row,
                        Some(at("indicator")),
                        format!("the indicator code {e}"),
                        Some("the indicator code the template gave (P1.O1.I01)"),
                    );
                    continue;
                }
            };
            if let Some(first) = seen.insert(indicator.to_string(), row) {
                errs.at(
                    row,
                    Some(at("indicator")),
                    format!("indicator {indicator} is already on row {first}"),
                    Some("one row per indicator"),
                );
                continue;
            }
            let kind_text = text(get(col("kind"))).unwrap_or_default();
            let Some(kind) = parse_kind(&kind_text) else {
                errs.at(
                    row,
                    Some(at("kind")),
                    format!("`{}` is not a kind of indicator", clip(&kind_text)),
                    Some("count, percentage or milestone, as the template gave it"),
                );
                continue;
            };
            listed.push((indicator.clone(), kind));
            let inputs: Vec<&(u32, String, Col)> =
                kinds.iter().filter(|(_, _, k)| *k != Col::Fixed).collect();
            if inputs.iter().all(|(c, _, _)| get(*c).is_empty()) {
                continue; // not reported this period
            }
            let value_cell = get(col("value"));
            let mut stated = None;
            let value = if value_cell.is_empty() {
                errs.at(
                    row,
                    Some(at("value")),
                    format!("the row for {indicator} has entries but no value"),
                    Some(match kind {
                        IndicatorKind::Count => WHOLE,
                        IndicatorKind::Percentage => PERCENT,
                        IndicatorKind::Milestone => YES_NO,
                    }),
                );
                None
            } else {
                // A value stated as reports state it: read for its number here, and against the
                // indicator (its unit, its currency) when the figures are made.
                let mut rich = |e: String| match text(value_cell)
                    .and_then(|t| mignet_core::stated::parse(&t).ok().map(|p| (t, p)))
                {
                    Some((t, p)) => {
                        stated = Some(t);
                        Ok(p.value)
                    }
                    None => Err(e),
                };
                let parsed = match kind {
                    IndicatorKind::Count => whole(value_cell)
                        .or_else(|e: String| {
                            // Stated values of a count are whole ("12.5" stays refused).
                            let whole_only = e.clone();
                            rich(e)
                                .ok()
                                .filter(|v| v.fract() == 0.0)
                                .map(|v| v as u64)
                                .ok_or(whole_only)
                        })
                        .map(|value| FigureValue::Count { value })
                        .map_err(|e| (e, WHOLE)),
                    IndicatorKind::Percentage => percent(value_cell)
                        .or_else(rich)
                        .map(|value| FigureValue::Percentage { value })
                        .map_err(|e| (e, PERCENT)),
                    IndicatorKind::Milestone => yes_no(value_cell)
                        .map(|achieved| FigureValue::Milestone { achieved })
                        .map_err(|e| (e, YES_NO)),
                };
                parsed
                    .map_err(|(e, x)| errs.at(row, Some(at("value")), e, Some(x)))
                    .ok()
            };
            let mut parts = Vec::new();
            let mut places = Vec::new();
            let mut partners: Vec<OrgCode> = Vec::new();
            let mut note = None;
            let mut evidence = None;
            for (c, h, k) in &inputs {
                let cell = get(*c);
                if cell.is_empty() {
                    continue;
                }
                let here = Some((*c, h.as_str()));
                if let Cell::Text(t) = cell
                    && t.chars().count() > limits::MAX_CELL_CHARS
                {
                    errs.at(
                        row,
                        here,
                        format!(
                            "the text is longer than {} characters",
                            limits::MAX_CELL_CHARS
                        ),
                        Some("a shorter text"),
                    );
                    continue;
                }
                match k {
                    Col::Fixed | Col::Value => {}
                    Col::Part(key) => {
                        match whole(cell) {
                            Ok(v) => {
                                if let Some(FigureValue::Count { value }) = value
                                    && v > value
                                {
                                    errs.at(
                                    row,
                                    here,
                                    format!("the part `{key}` ({v}) is larger than the whole ({value})"),
                                    Some(&format!("a part of at most {value}")),
                                );
                                }
                                parts.push((key.clone(), v));
                            }
                            Err(e) => errs.at(row, here, e, Some(WHOLE)),
                        }
                    }
                    Col::Place => {
                        let t = text(cell).unwrap_or_else(|| cell.shown());
                        match PlaceCode::parse(&t) {
                            Ok(p) if places.contains(&p) => errs.at(
                                row,
                                here,
                                format!("{p} is given twice"),
                                Some("each place once"),
                            ),
                            Ok(p) if mignet_core::places::unknown_iso(p.as_str()) => errs.at(
                                row,
                                here,
                                format!(
                                    "`{p}` is not an ISO 3166-2 code{}",
                                    mignet_core::places::did_you_mean_iso(p.as_str())
                                ),
                                Some("a place code from the sheet `Lists`"),
                            ),
                            Ok(p) => places.push(p),
                            Err(_) => errs.at(
                                row,
                                here,
                                format!("`{}` is not a place code", clip(&t)),
                                Some("a place code from the sheet `Lists`"),
                            ),
                        }
                    }
                    Col::Partner => {
                        let t = text(cell).unwrap_or_else(|| cell.shown());
                        match OrgCode::parse(&t) {
                            Ok(o) if partners.contains(&o) || organisation.as_ref() == Some(&o) => {
                                errs.at(
                                    row,
                                    here,
                                    format!("{o} is named twice on this figure"),
                                    Some("each co-reporting organisation once, not the reporting one"),
                                )
                            }
                            Ok(o) => partners.push(o),
                            Err(e) => errs.at(
                                row,
                                here,
                                format!("the organisation code {e}"),
                                Some("an organisation code from the sheet `Lists`"),
                            ),
                        }
                    }
                    Col::Note | Col::Evidence => {
                        let t = match cell {
                            Cell::Other(d) => {
                                errs.at(row, here, format!("the cell holds {d}"), Some("text"));
                                continue;
                            }
                            c => text(c),
                        };
                        if *k == Col::Note {
                            note = t;
                        } else {
                            if let Some(link) = &t
                                && let Err(e) = mignet_core::links::check(link)
                            {
                                errs.at(
                                    row,
                                    here,
                                    e.to_string(),
                                    Some(&format!(
                                        "a link starting with {}",
                                        mignet_core::links::ALLOWED
                                    )),
                                );
                                continue;
                            }
                            evidence = t;
                        }
                    }
                }
            }
            parts.sort();
            if let Some(value) = value {
                entries.push(Entry {
                    row,
                    indicator,
                    kind,
                    value,
                    stated,
                    parts,
                    places,
                    partners,
                    note,
                    evidence,
                });
            }
        }
        let (Some(organisation), Some(period)) = (organisation, period) else {
            if errs.list.is_empty() {
                errs.list.push(
                    ImportError::file(&grid.sheet, "the file has no rows")
                        .expected("one row per indicator, as `mignet template` makes them"),
                );
            }
            return Err(errs.list);
        };
        if !errs.list.is_empty() {
            return Err(errs.list);
        }
        Ok(Submission {
            sheet: grid.sheet.clone(),
            meta,
            organisation,
            period,
            listed,
            entries,
            a1: grid.a1,
            columns,
        })
    }

    fn error(&self, row: u32, column: &str, problem: String, expected: &str) -> ImportError {
        let c = self.columns.get(column).copied();
        ImportError {
            sheet: self.sheet.clone(),
            row: Some(row),
            column: Some(column.to_owned()),
            cell: c
                .filter(|_| self.a1)
                .map(|c| format!("{}{row}", column_letters(c))),
            problem,
            expected: Some(expected.to_owned()),
        }
    }

    /// Whether the file was made from exactly this framework: the same version and the same
    /// fingerprint over the indicators it lists. `None` when the file does not say (CSV).
    pub fn same_framework(&self, ds: &Dataset) -> Option<bool> {
        let meta = self.meta.as_ref()?;
        let found: Option<Vec<_>> = self
            .listed
            .iter()
            .map(|(code, _)| ds.indicator(code.as_str()))
            .collect();
        Some(
            meta.framework == ds.framework.version
                && found.is_some_and(|f| super::fingerprint(f) == meta.fingerprint),
        )
    }

    /// The column a broken rule points at in a row, and what the column expects.
    fn column_of(
        &self,
        b: &mignet_core::rules::Broken,
        e: &Entry,
        ind: &Indicator,
    ) -> (String, String) {
        let key = b.key.as_deref().unwrap_or("");
        match b.field {
            "organisations" => match e.partners.iter().position(|p| p.as_str() == key) {
                Some(n) => (
                    format!("co-reporting {}", n + 1),
                    "the code of a member organisation from the sheet `Lists`, named once".into(),
                ),
                None => (
                    "organisation".into(),
                    "the code of a member organisation of the network".into(),
                ),
            },
            "disaggregation" => (
                format!("part:{key}"),
                format!(
                    "an empty cell, or a whole number no larger than the value, in one of: {}",
                    ind.disaggregations
                        .iter()
                        .map(|d| format!("part:{}", d.key))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            "places" => {
                let n = e.places.iter().position(|p| p.as_str() == key).unwrap_or(0);
                (
                    format!("place {}", n + 1),
                    if b.rule == "unknown_place" {
                        "a place code of the network from the sheet `Lists`".into()
                    } else {
                        "a place the indicator covers".into()
                    },
                )
            }
            "value" => ("value".into(), super::kind_name(ind.kind).to_owned()),
            "note" => ("note".into(), "a shorter note".into()),
            "evidence" => (
                "evidence".into(),
                format!("a link starting with {}", mignet_core::links::ALLOWED),
            ),
            other => (other.to_owned(), "what the framework allows".into()),
        }
    }

    /// The figures the submission makes, matched against `ds`'s framework and organisations. Each
    /// figure's id is `IMP-<organisation>-<indicator>`, so a second import of the same workbook writes
    /// the same figures. An indicator must exist with the same kind, and a part must be one of its
    /// disaggregations; otherwise the import is refused with the reason, never guessed.
    pub fn figures(&self, ds: &Dataset, evidence: &str) -> Result<Vec<Figure>, Vec<ImportError>> {
        let mut errs = Vec::new();
        let made_from = match &self.meta {
            Some(m) if m.framework != ds.framework.version => format!(
                " (this workbook was made from framework {}, the store has {}: make a new template with `mignet template`)",
                m.framework, ds.framework.version
            ),
            _ => String::new(),
        };
        if ds.organisation(self.organisation.as_str()).is_none() {
            errs.push(self.error(
                self.entries.first().map_or(2, |e| e.row),
                "organisation",
                format!("the store has no organisation `{}`", self.organisation),
                "the code of an organisation of the network",
            ));
        }
        let mut out = Vec::new();
        for e in &self.entries {
            let Some(ind) = ds.indicator(e.indicator.as_str()) else {
                errs.push(self.error(
                    e.row,
                    "indicator",
                    format!(
                        "indicator {} is not in the framework{made_from}",
                        e.indicator
                    ),
                    "an indicator of the store's framework",
                ));
                continue;
            };
            if ind.kind != e.kind {
                errs.push(self.error(
                    e.row,
                    "kind",
                    format!(
                        "the row reads indicator {} as a {}, but the framework makes it a {}{made_from}",
                        e.indicator,
                        super::kind_name(e.kind),
                        super::kind_name(ind.kind)
                    ),
                    super::kind_name(ind.kind),
                ));
                continue;
            }
            let id = format!("IMP-{}-{}", self.organisation, e.indicator);
            let id = match ItemId::parse(&id) {
                Ok(id) => id,
                Err(err) => {
                    errs.push(self.error(
                        e.row,
                        "indicator",
                        format!("the figure id `{id}` {err}"),
                        "shorter organisation and indicator codes",
                    ));
                    continue;
                }
            };
            let (value, stated) = match &e.stated {
                Some(text) => match mignet_core::stated::read_value(ind, text) {
                    Ok(read) => read,
                    Err(message) => {
                        errs.push(self.error(
                            e.row,
                            "value",
                            message,
                            "a value such as 1,250 or over 65,000",
                        ));
                        continue;
                    }
                },
                None => (
                    e.value,
                    mignet_core::stated::Stated {
                        currency: mignet_core::stated::money_of(&ind.unit),
                        ..Default::default()
                    },
                ),
            };
            let mut organisations = vec![self.organisation.clone()];
            organisations.extend(e.partners.iter().cloned());
            let mut figure = Figure {
                id,
                indicator: e.indicator.clone(),
                organisations,
                value,
                disaggregation: e.parts.clone(),
                places: e.places.clone(),
                sites: Vec::new(),
                locations: None,
                in_areas: None,
                note: e.note.clone(),
                evidence: e.evidence.clone(),
                footnotes: Vec::new(),
                status: FigureStatus::Submitted,
                status_by: None,
                status_at: None,
                joint: Default::default(),
                withheld_parts: Vec::new(),
                stated,
            };
            // The rules every path applies (mignet_core::rules), held to what the row says; the
            // file's own evidence is added after, for rows that give none.
            let broken = mignet_core::rules::refused(ds, &figure);
            let row_errors = broken.len();
            for b in broken {
                if b.rule == "unknown_organisation"
                    && b.key.as_deref() == Some(self.organisation.as_str())
                {
                    continue; // said once for the file, above
                }
                let (column, expected) = self.column_of(&b, e, ind);
                errs.push(self.error(
                    e.row,
                    &column,
                    format!("{}{made_from}", b.message),
                    &expected,
                ));
            }
            if row_errors > 0 {
                continue;
            }
            figure.evidence = Some(e.evidence.clone().unwrap_or_else(|| evidence.to_owned()));
            out.push(figure);
        }
        if errs.is_empty() { Ok(out) } else { Err(errs) }
    }
}
