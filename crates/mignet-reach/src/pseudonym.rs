//! Keyed pseudonyms for people, made the same way by every agency.
//!
//! A pseudonym is `HMAC-SHA-256(network key, normalised identifying fields)`,
//! cut to its first 8 bytes and written as 16 lowercase hex digits. Agencies
//! sharing the network key get the same pseudonym for the same person
//! without sharing names; without the key, pseudonyms cannot be recomputed
//! from names. See `docs/pseudonyms.md` for the normalisation and the threat
//! model.
//!
//! ```
//! use mignet_reach::pseudonym::{NetworkKey, pseudonym};
//! let key = NetworkKey::from_hex(&"ab".repeat(32)).unwrap();
//! let a = pseudonym(&key, &["Aung  Min", "15/03/2533", "MA 123"]).unwrap();
//! let b = pseudonym(&key, &["aung min", "1990-03-15", "ma 123"]).unwrap();
//! assert_eq!(a, b);
//! assert_eq!(a.len(), 16);
//! ```

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;

use crate::error::{ReachError, RowError, RowErrorKind};
use crate::options::OnError;

/// Bytes hashed before the fields: names the scheme and its version, so a
/// future change of normalisation can never silently collide with this one.
pub const DOMAIN: &[u8] = b"mignet-pseudonym-v1";

/// The network's 256-bit secret. Its `Debug` form never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct NetworkKey([u8; 32]);

impl fmt::Debug for NetworkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NetworkKey(..)")
    }
}

impl NetworkKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, ReachError> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k)
            .map_err(|e| ReachError::Invalid(format!("no system randomness: {e}")))?;
        Ok(Self(k))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// 64 hex digits (either case); surrounding whitespace is ignored.
    pub fn from_hex(s: &str) -> Result<Self, ReachError> {
        let s = s.trim();
        let bad = || ReachError::Invalid("a network key is 64 hexadecimal digits".into());
        if s.len() != 64 || !s.is_ascii() {
            return Err(bad());
        }
        let mut k = [0u8; 32];
        for (i, b) in k.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Self(k))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn read_file(path: &Path) -> Result<Self, ReachError> {
        let text = std::fs::read_to_string(path).map_err(|e| ReachError::io(path, e))?;
        Self::from_hex(&text).map_err(|e| ReachError::Invalid(format!("{}: {e}", path.display())))
    }

    /// Write the key as hex to a new file readable by its owner only
    /// (mode 0600 on Unix). An existing file is never overwritten: losing a
    /// network key makes every pseudonym made with it unmatchable.
    pub fn write_new_file(&self, path: &Path) -> Result<(), ReachError> {
        let mut o = OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let mut f = o.open(path).map_err(|e| ReachError::io(path, e))?;
        writeln!(f, "{}", self.to_hex())
            .and_then(|_| f.sync_all())
            .map_err(|e| ReachError::io(path, e))
    }
}

/// Map the decimal digits of the scripts used in the region (Thai, Lao,
/// Myanmar, Khmer) and Arabic-Indic digits to ASCII, so that `๑๒` and `12`
/// are the same.
fn ascii_digit(c: char) -> char {
    const ZEROS: [u32; 6] = [0x0E50, 0x0ED0, 0x1040, 0x17E0, 0x0660, 0x06F0];
    let u = c as u32;
    for z in ZEROS {
        if (z..z + 10).contains(&u) {
            return char::from(b'0' + (u - z) as u8);
        }
    }
    c
}

/// The normal form of one identifying value: NFKC, region digits to ASCII,
/// lower case (with `ß` -> `ss` and final `ς` -> `σ`, as case folding does),
/// whitespace runs to one space, trimmed; a date in a common format becomes
/// `YYYY-MM-DD` (Buddhist-era years of 2400 and later minus 543).
///
/// Returns an error for a value shaped like a date that is not a real date,
/// because silently hashing it as text would give the person a second
/// pseudonym once the typo is fixed.
pub fn normalize(value: &str) -> Result<String, String> {
    let mut folded = String::with_capacity(value.len());
    for c in value.nfkc().map(ascii_digit).flat_map(char::to_lowercase) {
        match c {
            'ß' => folded.push_str("ss"),
            'ς' => folded.push('σ'),
            _ => folded.push(c),
        }
    }
    let spaced = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    match parse_date(&spaced) {
        Some(Ok(iso)) => Ok(iso),
        Some(Err(())) => Err(format!("{value:?} looks like a date but is not a real one")),
        None => Ok(spaced),
    }
}

/// `Some(Ok(iso))` for a valid date in one of the accepted shapes,
/// `Some(Err)` for the shape with an impossible day, `None` for other text.
fn parse_date(s: &str) -> Option<Result<String, ()>> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let seps: Vec<char> = s.chars().filter(|c| matches!(c, '-' | '/' | '.')).collect();
    if seps[0] != seps[1] {
        return None;
    }
    let (y, m, d) = match (parts[0].len(), parts[1].len(), parts[2].len()) {
        // YYYY-MM-DD, YYYY/MM/DD (not dots: no such convention here)
        (4, 1..=2, 1..=2) if seps[0] != '.' => (parts[0], parts[1], parts[2]),
        // DD/MM/YYYY, D.M.YYYY, DD-MM-YYYY: day first, as in Thailand
        (1..=2, 1..=2, 4) => (parts[2], parts[1], parts[0]),
        _ => return None,
    };
    let (mut y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if y >= 2400 {
        y -= 543; // Buddhist era (B.E.) -> Common Era
    }
    let valid = (1..=12).contains(&m) && d >= 1 && d <= crate::parse::days_in_month(y, m);
    Some(if valid {
        Ok(format!("{y:04}-{m:02}-{d:02}"))
    } else {
        Err(())
    })
}

/// The message that is MACed: [`DOMAIN`], then for each normalised field its
/// length in bytes (4 bytes, big-endian) and its UTF-8 bytes. Lengths make
/// the join unambiguous: ("ab", "c") and ("a", "bc") differ.
pub fn message(normalised: &[String]) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    for f in normalised {
        m.extend_from_slice(&(f.len() as u32).to_be_bytes());
        m.extend_from_slice(f.as_bytes());
    }
    m
}

/// The pseudonym of one person from their identifying values, in the order
/// the network agreed on. Errors if a value cannot be normalised or if all
/// values are empty (everyone without data would share one pseudonym).
pub fn pseudonym(key: &NetworkKey, values: &[&str]) -> Result<String, String> {
    let normalised = values
        .iter()
        .map(|v| normalize(v))
        .collect::<Result<Vec<_>, _>>()?;
    if normalised.iter().all(String::is_empty) {
        return Err("all identifying values are empty".into());
    }
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(&key.0).expect("HMAC takes keys of any length");
    mac.update(&message(&normalised));
    let tag = mac.finalize().into_bytes();
    Ok(tag[..8].iter().map(|b| format!("{b:02x}")).collect())
}

/// How to pseudonymize a CSV file.
#[derive(Debug, Clone)]
pub struct PseudonymizeOptions {
    /// Identifying columns, in the order hashed (every agency must use the
    /// same kinds of values in the same order).
    pub columns: Vec<String>,
    /// Name of the pseudonym column, placed where the first identifying
    /// column was.
    pub output_column: String,
    pub on_error: OnError,
    pub max_errors: usize,
}

impl Default for PseudonymizeOptions {
    fn default() -> Self {
        Self {
            columns: Vec::new(),
            output_column: "beneficiary".into(),
            on_error: OnError::Reject,
            max_errors: 20,
        }
    }
}

/// What a pseudonymize run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PseudonymizeReport {
    pub rows: u64,
    pub skipped: u64,
    pub skipped_examples: Vec<RowError>,
}

/// Pseudonymize CSV text from `input` to `output` (header kept, identifying
/// columns replaced by one pseudonym column, other columns unchanged).
/// In reject mode nothing is written to `output` if any row is bad... except
/// the rows before it: use [`pseudonymize_file`] for all-or-nothing output.
pub fn pseudonymize_csv(
    key: &NetworkKey,
    input: impl Read,
    output: impl Write,
    opts: &PseudonymizeOptions,
) -> Result<PseudonymizeReport, ReachError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input);
    let header = rdr
        .headers()
        .map_err(|e| ReachError::BadHeader(format!("cannot read the header: {e}")))?
        .clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    if opts.columns.is_empty() {
        return Err(ReachError::Invalid(
            "name at least one identifying column".into(),
        ));
    }
    let mut idx = Vec::with_capacity(opts.columns.len());
    for c in &opts.columns {
        match names.iter().position(|n| n == c) {
            Some(i) if !idx.contains(&i) => idx.push(i),
            Some(_) => return Err(ReachError::Invalid(format!("column {c:?} named twice"))),
            None => {
                return Err(ReachError::BadHeader(format!(
                    "no column {c:?} in the header ({})",
                    names.join(",")
                )));
            }
        }
    }
    let kept: Vec<usize> = (0..names.len()).filter(|i| !idx.contains(i)).collect();
    if kept.iter().any(|&i| names[i] == opts.output_column) {
        return Err(ReachError::Invalid(format!(
            "the file already has a column {:?}; choose another --output-column",
            opts.output_column
        )));
    }
    let first = *idx.iter().min().expect("at least one column");
    // Output columns: kept ones in order, the pseudonym where the first
    // identifying column was.
    let mut layout: Vec<Option<usize>> = Vec::with_capacity(kept.len() + 1);
    for i in 0..names.len() {
        if i == first {
            layout.push(None);
        } else if !idx.contains(&i) {
            layout.push(Some(i));
        }
    }
    let mut wtr = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(output);
    let out_header: Vec<&str> = layout
        .iter()
        .map(|c| c.map_or(opts.output_column.as_str(), |i| &header[i]))
        .collect();
    let write_err = |e: csv::Error| ReachError::Invalid(format!("writing: {e}"));
    wtr.write_record(&out_header).map_err(write_err)?;

    let mut report = PseudonymizeReport::default();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line();
        let result = match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let values: Vec<&str> = idx.iter().map(|&i| &record[i]).collect();
                pseudonym(key, &values)
            }
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => {
                    return Err(ReachError::Invalid(format!("reading: {e}")));
                }
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => Err(format!("expected {expected_len} fields, found {len}")),
                _ => Err(e.to_string()),
            },
        };
        let line = record.position().map_or(line, |p| p.line()).max(line);
        match result {
            Ok(p) => {
                report.rows += 1;
                if opts.on_error == OnError::Reject && !errors.is_empty() {
                    continue; // nothing will be written; keep validating
                }
                let row: Vec<&str> = layout
                    .iter()
                    .map(|c| c.map_or(p.as_str(), |i| &record[i]))
                    .collect();
                wtr.write_record(&row).map_err(write_err)?;
            }
            Err(msg) => {
                report.skipped += 1;
                if errors.len() < opts.max_errors {
                    errors.push(RowError {
                        line,
                        kind: RowErrorKind::Pseudonymize(msg),
                    });
                }
            }
        }
    }
    wtr.flush()
        .map_err(|e| ReachError::Invalid(format!("writing: {e}")))?;
    if report.skipped > 0 && opts.on_error == OnError::Reject {
        return Err(ReachError::BadRows {
            errors,
            total: report.skipped,
        });
    }
    report.skipped_examples = errors;
    Ok(report)
}

/// Pseudonymize `input` into `output`, all or nothing: the output is written
/// under a temporary name beside it and renamed only on success, so in
/// reject mode a file with bad rows leaves no output behind.
pub fn pseudonymize_file(
    key: &NetworkKey,
    input: &Path,
    output: &Path,
    opts: &PseudonymizeOptions,
) -> Result<PseudonymizeReport, ReachError> {
    let src = File::open(input).map_err(|e| ReachError::io(input, e))?;
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| ReachError::io(dir, e))?;
    let report = pseudonymize_csv(
        key,
        std::io::BufReader::with_capacity(1 << 20, src),
        std::io::BufWriter::with_capacity(1 << 20, tmp.as_file()),
        opts,
    )?;
    tmp.persist(output)
        .map_err(|e| ReachError::io(output, e.error))?;
    Ok(report)
}
