//! Reading the data sheet saved as CSV: the same columns as the sheet `Figures`, a header row first,
//! UTF-8 (a byte-order mark is allowed), comma-separated, RFC 4180 quoting (docs/workbook.md).
//!
//! The input is read in chunks with every line's length counted as it arrives, so a file with one
//! 100 MB line is refused after [`limits::MAX_LINE_BYTES`], and no file takes more than
//! [`limits::MAX_FILE_BYTES`] of memory.

use super::parse::{Cell, Grid, Submission};
use super::{ImportError, limits};
use std::collections::BTreeMap;
use std::io::Read;

const SHEET: &str = "csv";

fn err(problem: impl Into<String>) -> ImportError {
    ImportError::file(SHEET, problem)
}

/// Reads a CSV file. Every problem found is returned; the file is refused as a whole.
pub fn read(input: impl Read) -> Result<Submission, Vec<ImportError>> {
    let bytes = read_bounded(input).map_err(|e| vec![e])?;
    read_bytes(&bytes)
}

/// Reads a CSV file already in memory (at most [`limits::MAX_FILE_BYTES`]).
pub fn read_bytes(bytes: &[u8]) -> Result<Submission, Vec<ImportError>> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(vec![err(format!(
            "the file is larger than {} MiB",
            limits::MAX_FILE_BYTES >> 20
        ))]);
    }
    check_lines(bytes).map_err(|e| vec![e])?;
    let text = decode(bytes).map_err(|e| vec![e])?;
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<(u32, BTreeMap<u32, String>)> = None;
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32);
                return Err(vec![ImportError {
                    row: line,
                    ..err(format!("the line cannot be read as CSV ({e})")).expected(
                        "comma-separated values with \"double quotes\" around text holding commas",
                    )
                }]);
            }
        }
        let line = record.position().map_or(0, |p| p.line()) as u32;
        if record.len() as u32 > limits::MAX_COLUMNS {
            return Err(vec![ImportError {
                row: Some(line),
                ..err(format!("the line has {} fields", record.len()))
                    .expected(format!("at most {}", limits::MAX_COLUMNS))
            }]);
        }
        let cells: BTreeMap<u32, String> = record
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(c, v)| (c as u32, v.to_owned()))
            .collect();
        match &header {
            None if cells.is_empty() => continue,
            None => header = Some((line, cells)),
            Some(_) => {
                if rows.len() as u32 >= limits::MAX_ROWS {
                    return Err(vec![ImportError {
                        row: Some(line),
                        ..err("the file has too many lines")
                            .expected(format!("at most {} lines", limits::MAX_ROWS))
                    }]);
                }
                rows.push((
                    line,
                    cells.into_iter().map(|(c, v)| (c, Cell::Text(v))).collect(),
                ));
            }
        }
    }
    let Some(header) = header else {
        return Err(vec![
            err("the file is empty").expected("a header row, then one line per indicator"),
        ]);
    };
    let grid = Grid {
        sheet: SHEET.to_owned(),
        a1: false,
        header,
        rows,
    };
    Submission::from_grid(&grid, None)
}

/// Reads at most [`limits::MAX_FILE_BYTES`], refusing as soon as a line grows past
/// [`limits::MAX_LINE_BYTES`].
fn read_bounded(mut input: impl Read) -> Result<Vec<u8>, ImportError> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut line = 1u32;
    let mut len = 0usize;
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(err(format!("the file cannot be read: {e}"))),
        };
        for &b in &chunk[..n] {
            if b == b'\n' {
                line += 1;
                len = 0;
            } else {
                len += 1;
                if len > limits::MAX_LINE_BYTES {
                    return Err(long_line(line));
                }
            }
        }
        if (out.len() + n) as u64 > limits::MAX_FILE_BYTES {
            return Err(err(format!(
                "the file is larger than {} MiB",
                limits::MAX_FILE_BYTES >> 20
            ))
            .expected("one line per indicator, a few KiB"));
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

fn long_line(line: u32) -> ImportError {
    ImportError {
        row: Some(line),
        ..err(format!(
            "the line is longer than {} KiB",
            limits::MAX_LINE_BYTES >> 10
        ))
        .expected("one indicator per line; is this the right file?")
    }
}

fn check_lines(bytes: &[u8]) -> Result<(), ImportError> {
    for (n, l) in bytes.split(|&b| b == b'\n').enumerate() {
        if l.len() > limits::MAX_LINE_BYTES {
            return Err(long_line(n as u32 + 1));
        }
    }
    Ok(())
}

/// UTF-8, with or without a byte-order mark. UTF-16 and other encodings are refused with the line
/// and byte where they show, and the way to save the file right.
fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    const SAVE: &str = "UTF-8 text: in the spreadsheet, save as \"CSV UTF-8 (comma delimited)\"";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(err("the file is UTF-16 text").expected(SAVE));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.len() >= 2
        && bytes.iter().take(200).filter(|&&b| b == 0).count() * 4 >= bytes.len().min(200)
    {
        return Err(
            err("the file looks like UTF-16 text (every other byte is zero)").expected(SAVE),
        );
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at - bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        ImportError {
            row: Some(line as u32),
            ..err(format!(
                "byte {col} of the line (0x{:02X}) is not UTF-8; the file is probably Latin-1 or Windows-874 (Thai)",
                bytes[at]
            ))
            .expected(SAVE)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_longer_than_the_limit_is_refused_before_the_rest_is_read() {
        struct Endless(usize);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                assert!(self.0 < 4 * limits::MAX_LINE_BYTES, "read too far");
                buf.fill(b'x');
                Ok(buf.len())
            }
        }
        let e = read(Endless(0)).unwrap_err();
        assert!(e[0].to_string().contains("line 1"), "{}", e[0]);
        assert!(e[0].problem.contains("longer than 64 KiB"), "{}", e[0]);
    }

    #[test]
    fn latin_1_is_refused_with_its_line_and_byte() {
        let e = decode(b"organisation,period\nIOM,caf\xe9\n").unwrap_err();
        assert_eq!(e.row, Some(2));
        assert!(
            e.problem.contains("byte 8") && e.problem.contains("0xE9"),
            "{e}"
        );
    }

    #[test]
    fn utf_16_is_refused_and_a_utf_8_bom_is_accepted() {
        assert!(
            decode(b"\xFF\xFEo\0r\0g\0")
                .unwrap_err()
                .problem
                .contains("UTF-16")
        );
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }
}
