//! Reading a filled-in template (.xlsx).
//!
//! The file is distrusted in three passes. First the zip: every entry is inflated through a counting,
//! capped reader before anything else reads it, so a zip bomb is refused after at most
//! [`limits::MAX_ENTRY_BYTES`] of work; the shared-strings count that calamine would reserve memory for
//! is checked. Then the data sheet's XML, for what a person cannot see or calamine does not report:
//! hidden rows and columns, merged cells. Last, calamine streams the cells one by one (never as a dense
//! range, whose size a hostile file chooses), and any formula is refused with the cell it is in.

use super::parse::{Cell, Grid, Meta, Submission};
use super::{DATA_SHEET, ImportError, META_SHEET, column_letters, limits};
use calamine::{DataRef, Reader, SheetVisible, Xlsx};
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Cursor, Read};

fn err(problem: impl Into<String>) -> ImportError {
    ImportError::file(DATA_SHEET, problem)
}

/// Reads a filled-in workbook. Every problem found is returned; the file is refused as a whole.
pub fn read(bytes: &[u8]) -> Result<Submission, Vec<ImportError>> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(vec![
            err(format!(
                "the file is larger than {} MiB",
                limits::MAX_FILE_BYTES >> 20
            ))
            .expected("a workbook made by `mignet template` (a few tens of KiB)"),
        ]);
    }
    let parts = inspect_zip(bytes).map_err(|e| vec![e])?;
    let data_xml = parts.sheet_xml(DATA_SHEET);
    let seen = match &data_xml {
        Some(xml) => scan_sheet(xml).map_err(|e| vec![e])?,
        None => Seen::default(),
    };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| vec![err(format!("the workbook cannot be read: {e}"))])?;
    let Some(sheet) = wb
        .sheets_metadata()
        .iter()
        .find(|s| s.name == DATA_SHEET)
        .cloned()
    else {
        let names: Vec<String> = wb.sheet_names();
        return Err(vec![
            err(format!(
                "the workbook has no sheet `{DATA_SHEET}` (it has: {})",
                names.join(", ")
            ))
            .expected("a workbook made by `mignet template`"),
        ]);
    };
    let mut errors = Vec::new();
    if sheet.visible != SheetVisible::Visible {
        errors.push(err("the sheet is hidden").expected("the sheet `Figures` visible"));
    }
    let meta = if wb.sheet_names().iter().any(|n| n == META_SHEET) {
        Some(read_meta(&mut wb).map_err(|e| vec![e])?)
    } else {
        None
    };
    let cells = read_cells(
        &mut wb,
        DATA_SHEET,
        limits::MAX_ROWS,
        limits::MAX_COLUMNS,
        &mut errors,
    )
    .map_err(|e| vec![e])?;
    // What cannot be seen is never imported: a hidden row or column holding data is refused.
    let mut hidden_rows = BTreeSet::new();
    let mut hidden_cols = BTreeSet::new();
    for (&(r, c), v) in &cells {
        if !matches!(v, Cell::Empty) {
            if seen.hidden_rows.contains(&r) {
                hidden_rows.insert(r);
            }
            if seen.hidden_cols.iter().any(|(a, b)| (*a..=*b).contains(&c)) {
                hidden_cols.insert(c);
            }
        }
    }
    for r in hidden_rows {
        errors.push(ImportError {
            row: Some(r + 1),
            ..err("the row is hidden and holds data")
                .expected("every row with data visible: unhide it, or delete it if it is not meant to be sent")
        });
    }
    for c in hidden_cols {
        errors.push(ImportError {
            cell: Some(format!("{}:{}", column_letters(c), column_letters(c))),
            ..err(format!(
                "column {} is hidden and holds data",
                column_letters(c)
            ))
            .expected("every column with data visible")
        });
    }
    for m in &seen.merged {
        errors.push(
            err(format!("cells {m} are merged"))
                .expected("one value per cell: unmerge them (Format > Merge cells > Unmerge)"),
        );
    }
    let mut header = BTreeMap::new();
    let mut rows: BTreeMap<u32, BTreeMap<u32, Cell>> = BTreeMap::new();
    for ((r, c), v) in cells {
        if r == 0 {
            header.insert(c, v.text_or_shown());
        } else {
            rows.entry(r + 1).or_default().insert(c, v);
        }
    }
    let grid = Grid {
        sheet: DATA_SHEET.to_owned(),
        a1: true,
        header: (1, header),
        rows: rows.into_iter().collect(),
    };
    // The rows are read even when the sheet has problems already, so that every problem is told at once.
    match (Submission::from_grid(&grid, meta), errors.is_empty()) {
        (Ok(sub), true) => Ok(sub),
        (Ok(_), false) => Err(errors),
        (Err(more), _) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

impl Cell {
    fn text_or_shown(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Other(d) => d.clone(),
            Cell::Empty => String::new(),
        }
    }
}

/// The hidden sheet's keys and values.
fn read_meta<R: Read + std::io::Seek>(wb: &mut Xlsx<R>) -> Result<Meta, ImportError> {
    let mut errors = Vec::new();
    let cells = read_cells(wb, META_SHEET, 32, 2, &mut errors)?;
    let mut by_row: BTreeMap<u32, (String, String)> = BTreeMap::new();
    for ((r, c), v) in cells {
        let e = by_row.entry(r).or_default();
        if c == 0 {
            e.0 = v.text_or_shown();
        } else {
            e.1 = v.text_or_shown();
        }
    }
    let mut m = Meta::default();
    for (k, v) in by_row.into_values() {
        match k.as_str() {
            "format" => m.format = v,
            "framework" => m.framework = v,
            "fingerprint" => m.fingerprint = v,
            "organisation" => m.organisation = v,
            "period" => m.period = v,
            _ => {}
        }
    }
    if m.format != super::FORMAT {
        return Err(ImportError::file(
            META_SHEET,
            format!("the workbook's layout is `{}`", m.format),
        )
        .expected(format!(
            "`{}`: make a new template with `mignet template`",
            super::FORMAT
        )));
    }
    Ok(m)
}

/// The non-empty cells of a sheet within `rows` x `cols`, streamed. A value beyond the bounds, or a
/// formula, is an error in `errors`; a broken sheet is the returned error.
fn read_cells<R: Read + std::io::Seek>(
    wb: &mut Xlsx<R>,
    sheet: &str,
    rows: u32,
    cols: u32,
    errors: &mut Vec<ImportError>,
) -> Result<BTreeMap<(u32, u32), Cell>, ImportError> {
    let broken = |e: calamine::XlsxError| {
        ImportError::file(sheet, format!("the sheet cannot be read: {e}"))
            .expected("a workbook saved by a spreadsheet program")
    };
    let mut reader = wb.worksheet_cells_reader(sheet).map_err(broken)?;
    let mut out = BTreeMap::new();
    let mut formulas = 0;
    while let Some(rec) = reader.next_cell_with_formula_metadata().map_err(broken)? {
        let (r, c) = rec.pos;
        let name = format!("{}{}", column_letters(c), r as u64 + 1);
        if rec.formula.is_some() {
            formulas += 1;
            if formulas <= 50 {
                let problem = format!("cell {name} holds a formula");
                errors.push(ImportError {
                    row: Some(r + 1),
                    cell: Some(name),
                    ..ImportError::file(sheet, problem)
                        .expected("the number itself: type the number instead of the formula")
                });
            }
            continue;
        }
        let v = match rec.value {
            DataRef::Empty => continue,
            DataRef::Int(i) => Cell::Number(i as f64),
            DataRef::Float(f) => Cell::Number(f),
            DataRef::String(s) => Cell::Text(s),
            DataRef::SharedString(s) => Cell::Text(s.to_owned()),
            DataRef::Bool(b) => Cell::Bool(b),
            DataRef::DateTime(_) | DataRef::DateTimeIso(_) => Cell::Other("a date".into()),
            DataRef::DurationIso(_) => Cell::Other("a duration".into()),
            DataRef::Error(e) => Cell::Other(format!("the error value {e}")),
        };
        if matches!(&v, Cell::Text(t) if t.is_empty()) {
            continue;
        }
        if r >= rows || c >= cols {
            errors.push(
                ImportError::file(
                    sheet,
                    format!("cell {name} holds data outside the sheet's area"),
                )
                .expected(format!(
                    "data only in the first {rows} rows and {cols} columns"
                )),
            );
            break;
        }
        out.insert((r, c), v);
    }
    if formulas > 50 {
        errors.push(ImportError::file(
            sheet,
            format!("{} more cells hold formulas", formulas - 50),
        ));
    }
    Ok(out)
}

/// The parts of the zip the later passes need, after every entry was inflated under the caps.
struct Parts {
    /// Entries by normalised name (lowercase, `/`), with their bytes when kept.
    kept: HashMap<String, Vec<u8>>,
}

fn normalise(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

fn inspect_zip(bytes: &[u8]) -> Result<Parts, ImportError> {
    const OLE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(&OLE) {
        return Err(err("the file is an encrypted workbook or an old .xls file")
            .expected("an .xlsx workbook without a password"));
    }
    let damaged = |e: zip::result::ZipError| {
        err(format!("the file is not a readable .xlsx workbook ({e})"))
            .expected("an .xlsx workbook made by `mignet template`")
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > limits::MAX_ENTRIES {
        return Err(err(format!("the workbook holds {} parts", zip.len()))
            .expected(format!("at most {}", limits::MAX_ENTRIES)));
    }
    let mut total = 0u64;
    let mut kept = HashMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.into_owned();
        let too_big = || {
            err(format!(
                "the part `{name}` inflates to more than {} MiB (a zip bomb?)",
                limits::MAX_ENTRY_BYTES >> 20
            ))
            .expected("a workbook made by `mignet template`")
        };
        if entry.size() > limits::MAX_ENTRY_BYTES {
            return Err(too_big());
        }
        let n = normalise(&name);
        let keep = n.ends_with(".xml") || n.ends_with(".rels");
        let mut buf = Vec::new();
        let mut capped = (&mut entry).take(limits::MAX_ENTRY_BYTES + 1);
        let read = if keep {
            capped.read_to_end(&mut buf).map(|n| n as u64)
        } else {
            std::io::copy(&mut capped, &mut std::io::sink())
        }
        .map_err(|e| err(format!("the part `{name}` is damaged ({e})")))?;
        if read > limits::MAX_ENTRY_BYTES {
            return Err(too_big());
        }
        total += read;
        if total > limits::MAX_TOTAL_BYTES {
            return Err(err(format!(
                "the workbook inflates to more than {} MiB (a zip bomb?)",
                limits::MAX_TOTAL_BYTES >> 20
            ))
            .expected("a workbook made by `mignet template`"));
        }
        if n.ends_with("sharedstrings.xml") {
            check_shared_strings(&name, &buf)?;
        }
        if keep {
            kept.insert(n, buf);
        }
    }
    Ok(Parts { kept })
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

/// calamine reserves room for as many shared strings as the file declares: refuse a declared count a
/// real workbook never has before calamine sees it.
fn check_shared_strings(name: &str, xml: &[u8]) -> Result<(), ImportError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for key in ["uniqueCount", "count"] {
                    if let Some(v) = attr(&e, key) {
                        let ok = v.len() <= 12
                            && v.bytes().all(|b| b.is_ascii_digit())
                            && v.parse::<u64>()
                                .is_ok_and(|n| n <= limits::MAX_SHARED_STRINGS);
                        if !ok {
                            return Err(err(format!(
                                "the part `{name}` declares `{}` texts",
                                v.chars().take(20).collect::<String>()
                            ))
                            .expected(format!(
                                "at most {} texts in a workbook",
                                limits::MAX_SHARED_STRINGS
                            )));
                        }
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

impl Parts {
    fn get(&self, name: &str) -> Option<&Vec<u8>> {
        self.kept.get(&normalise(name))
    }

    /// The XML of a sheet, found by name through the workbook part and its relationships.
    fn sheet_xml(&self, sheet: &str) -> Option<&Vec<u8>> {
        let workbook = self
            .relationship_targets("_rels/.rels", "")
            .into_iter()
            .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
            .map(|(_, _, target)| target)
            .unwrap_or_else(|| "xl/workbook.xml".to_owned());
        let (dir, file) = match workbook.rsplit_once('/') {
            Some((d, f)) => (format!("{d}/"), f.to_owned()),
            None => (String::new(), workbook.clone()),
        };
        let rels = self.relationship_targets(&format!("{dir}_rels/{file}.rels"), &dir);
        let xml = self.get(&workbook)?;
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "sheet"
                        && attr(&e, "name").as_deref() == Some(sheet) =>
                {
                    let id = attr(&e, "id")?;
                    let target = rels.iter().find(|(i, _, _)| *i == id)?.2.clone();
                    return self.get(&target);
                }
                Ok(Event::Eof) | Err(_) => return None,
                _ => {}
            }
            buf.clear();
        }
    }

    /// `(Id, Type, Target)` of a relationships part, targets resolved against `dir`.
    fn relationship_targets(&self, rels: &str, dir: &str) -> Vec<(String, String, String)> {
        let Some(xml) = self.get(rels) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                        let ty = attr(&e, "Type").unwrap_or_default();
                        let target = match target.strip_prefix('/') {
                            Some(abs) => abs.to_owned(),
                            None => format!("{dir}{target}"),
                        };
                        out.push((id, ty, target));
                    }
                }
                Ok(Event::Eof) | Err(_) => return out,
                _ => {}
            }
            buf.clear();
        }
    }
}

/// What the sheet XML says that calamine's cells do not: hidden rows (0-based), hidden column spans
/// (0-based, inclusive) and merged ranges.
#[derive(Default)]
struct Seen {
    hidden_rows: BTreeSet<u32>,
    hidden_cols: Vec<(u32, u32)>,
    merged: Vec<String>,
}

fn truthy(v: Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "true"))
}

fn scan_sheet(xml: &[u8]) -> Result<Seen, ImportError> {
    let mut seen = Seen::default();
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut row: u32 = 0; // 1-based number of the current row; rows without `r` follow the previous
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "row" => {
                    row = attr(&e, "r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(row.saturating_add(1));
                    if truthy(attr(&e, "hidden")) && row >= 1 && seen.hidden_rows.len() < 10_000 {
                        seen.hidden_rows.insert(row - 1);
                    }
                }
                "col" if truthy(attr(&e, "hidden")) => {
                    let n = |k: &str| attr(&e, k).and_then(|v| v.parse::<u32>().ok());
                    if let (Some(a), Some(b)) = (n("min"), n("max"))
                        && a >= 1
                        && seen.hidden_cols.len() < 1_000
                    {
                        seen.hidden_cols.push((a - 1, b.saturating_sub(1)));
                    }
                }
                "mergeCell" => {
                    if let Some(r) = attr(&e, "ref")
                        && seen.merged.len() < 50
                    {
                        seen.merged.push(r.chars().take(32).collect());
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(seen),
            Err(e) => {
                return Err(err(format!("the sheet's XML is damaged ({e})"))
                    .expected("a workbook saved by a spreadsheet program"));
            }
            _ => {}
        }
        buf.clear();
    }
}
