//! Byte-level parsing of service records into compact keys.
//!
//! A record becomes a [`Rec`]: the person (a bijective mix of the 64-bit
//! pseudonym, so that partitioning by its top bits spreads people evenly even
//! if pseudonyms are not random) and one `u64` packing every grouping column
//! as a small integer. Nothing else of the row is kept.

use std::sync::Mutex;

use wide::u8x16;

use crate::dict::{Dict, FIRST_SPECIAL, LocalDict};
use crate::error::{ReachError, RowErrorKind, shown};
use crate::options::Validation;

/// One service record reduced to what the four tables need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rec {
    pub person: u64,
    pub groups: u64,
}

/// Sizes of the dictionaries: they bound the bit fields of [`Rec::groups`].
pub(crate) const MAX_INDICATORS: usize = 1 << 12;
pub(crate) const MAX_AGENCIES: usize = 1 << 10;
pub(crate) const MAX_SEXES: usize = 1 << 6;
pub(crate) const MAX_AGE_GROUPS: usize = 1 << 6;
/// Province ids: `TH-10`..`TH-96` map to 10..96, `TH-S` (Pattaya) to 100,
/// so the ids sort the way the codes sort as text.
pub(crate) const PROVINCES: usize = 101;

// Bit layout of `Rec::groups`, lowest first.
const YQ_BITS: u32 = 16; // year * 4 + quarter - 1, years 0..=9999
const PROV_SHIFT: u32 = YQ_BITS;
const AGE_SHIFT: u32 = PROV_SHIFT + 7;
const SEX_SHIFT: u32 = AGE_SHIFT + 6;
const AGENCY_SHIFT: u32 = SEX_SHIFT + 6;
const IND_SHIFT: u32 = AGENCY_SHIFT + 10;

/// The grouping columns of a record as small integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Groups {
    pub indicator: u32,
    pub agency: u32,
    pub sex: u32,
    pub age: u32,
    pub province: u32,
    /// `year * 4 + quarter - 1`.
    pub yq: u32,
}

impl Groups {
    #[inline]
    pub(crate) fn pack(self) -> u64 {
        (self.indicator as u64) << IND_SHIFT
            | (self.agency as u64) << AGENCY_SHIFT
            | (self.sex as u64) << SEX_SHIFT
            | (self.age as u64) << AGE_SHIFT
            | (self.province as u64) << PROV_SHIFT
            | self.yq as u64
    }

    #[inline]
    pub(crate) fn unpack(g: u64) -> Self {
        Self {
            indicator: (g >> IND_SHIFT) as u32 & 0xFFF,
            agency: (g >> AGENCY_SHIFT) as u32 & 0x3FF,
            sex: (g >> SEX_SHIFT) as u32 & 0x3F,
            age: (g >> AGE_SHIFT) as u32 & 0x3F,
            province: (g >> PROV_SHIFT) as u32 & 0x7F,
            yq: g as u32 & 0xFFFF,
        }
    }
}

/// Bijective 64-bit mixer (the MurmurHash3 finaliser). Distinct pseudonyms
/// stay distinct, and the top bits are well spread for partitioning.
#[inline]
pub(crate) fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Strict `YYYY-MM-DD` with a real calendar day. Eight bytes are checked at
/// once (SWAR): this runs for every row.
#[inline]
pub(crate) fn parse_iso_date(b: &[u8]) -> Option<(u32, u32, u32)> {
    let b: &[u8; 10] = b.try_into().ok()?;
    let w = u64::from_le_bytes(b[..8].try_into().expect("8 bytes"));
    // Bytes 4 and 7 are the dashes.
    const SEP: u64 = 0xFF00_00FF_0000_0000;
    if w & SEP != (b'-' as u64) << 32 | (b'-' as u64) << 56 {
        return None;
    }
    // Digits become 0..=9; the dashes are masked to 0.
    let x = (w ^ (ONES * b'0' as u64)) & !SEP;
    let (d1, d0) = (b[8] ^ b'0', b[9] ^ b'0');
    // A byte is a digit iff it is now below 10: adding 0x76 sets its high
    // bit otherwise (bytes that had it set already are caught by `| x`).
    if ((x.wrapping_add(ONES * 0x76) | x) & HIGH) != 0 || d1 > 9 || d0 > 9 {
        return None;
    }
    let digit = |i: u32| ((x >> (8 * i)) & 0xFF) as u32;
    let y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    let m = digit(5) * 10 + digit(6);
    let d = d1 as u32 * 10 + d0 as u32;
    (d >= 1 && (1..=12).contains(&m) && d <= days_in_month(y, m)).then_some((y, m, d))
}

pub(crate) fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// ISO 3166-2:TH: Bangkok `TH-10`, the 76 provinces, and `TH-S` (Pattaya).
pub(crate) fn parse_province(b: &[u8]) -> Option<u32> {
    if b == b"TH-S" {
        return Some(100);
    }
    if b.len() != 5 || &b[..3] != b"TH-" {
        return None;
    }
    let (t, u) = (b[3].wrapping_sub(b'0'), b[4].wrapping_sub(b'0'));
    if t >= 10 || u >= 10 {
        return None;
    }
    let n = (t * 10 + u) as u32;
    let valid = matches!(n, 10..=27 | 30..=58 | 60..=67 | 70..=77 | 80..=86 | 90..=96);
    valid.then_some(n)
}

pub(crate) fn province_name(id: u32) -> String {
    if id == 100 {
        "TH-S".to_owned()
    } else {
        format!("TH-{id:02}")
    }
}

/// Exactly 16 lowercase hex digits, as `mignet pseudonymize` writes them.
#[inline]
pub(crate) fn parse_pseudonym(b: &[u8]) -> Option<u64> {
    let b: &[u8; 16] = b.try_into().ok()?;
    let hi = hex8(u64::from_le_bytes(b[..8].try_into().expect("8 bytes")))?;
    let lo = hex8(u64::from_le_bytes(b[8..].try_into().expect("8 bytes")))?;
    Some(hi << 32 | lo)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Eight ASCII hex digits (first digit in the lowest byte) to their value,
/// eight at a time (SWAR): about a third of the instructions of a table
/// look-up per character, and this runs for every row.
#[inline]
fn hex8(x: u64) -> Option<u64> {
    // Per byte, for bytes below 0x80: high bit set iff byte >= lo, and iff
    // byte <= hi. No borrow crosses bytes in either subtraction.
    if x & HIGH != 0 {
        return None;
    }
    let ge = |lo: u8| ((x | HIGH) - ONES * lo as u64) & HIGH;
    let le = |hi: u8| ((ONES * (0x80 | hi) as u64) - x) & HIGH;
    if (ge(b'0') & le(b'9')) | (ge(b'a') & le(b'f')) != HIGH {
        return None;
    }
    // '0'..'9' -> low nibble; 'a'..'f' (bit 6 set) -> low nibble + 9.
    let v = (x & (ONES * 0x0F)) + ((x >> 6) & ONES) * 9;
    // Gather the nibbles, first digit most significant.
    let v = ((v << 4) | (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    let v = ((v << 8) | (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some(((v << 16) | (v >> 32)) & 0xFFFF_FFFF)
}

/// The value inside surrounding double quotes, as a spreadsheet may write
/// any field; other values unchanged.
pub(crate) fn unquote(b: &[u8]) -> &[u8] {
    match b {
        [b'"', inner @ .., b'"'] => inner,
        _ => b,
    }
}

/// Positions of `,` and `\n` in a block, found 64 bytes at a time with
/// SIMD compares (SSE2 on x86-64, through the safe `wide` crate), as two
/// bit masks that are then walked bit by bit. Fields here are a few bytes
/// long, so delimiters are dense; a search that returns one match per call
/// (memchr) pays its set-up cost about every seven bytes, this does not.
pub(crate) struct Delimiters<'a> {
    block: &'a [u8],
    /// Offset of the current 64-byte window.
    at: usize,
    /// Bit i set if byte `at + i` is a delimiter.
    mask: u64,
    /// The same for newlines only.
    newlines: u64,
}

const WINDOW: usize = 64;

impl<'a> Delimiters<'a> {
    pub(crate) fn new(block: &'a [u8]) -> Self {
        let mut d = Self {
            block,
            at: 0,
            mask: 0,
            newlines: 0,
        };
        (d.mask, d.newlines) = d.window_masks(0);
        d
    }

    /// (delimiters, newlines) of the window at `at`.
    #[inline]
    fn window_masks(&self, at: usize) -> (u64, u64) {
        match self.block.get(at..at + WINDOW) {
            Some(w) => masks64(w.try_into().expect("64 bytes")),
            None => {
                // The tail: pad with zero bytes, which are not delimiters.
                let mut w = [0u8; WINDOW];
                let tail = self.block.get(at..).unwrap_or(&[]);
                w[..tail.len()].copy_from_slice(tail);
                masks64(&w)
            }
        }
    }
}

#[inline(always)]
fn masks64(w: &[u8; WINDOW]) -> (u64, u64) {
    let (comma, newline) = (u8x16::splat(b','), u8x16::splat(b'\n'));
    let mut all = 0u64;
    let mut nl = 0u64;
    for (i, part) in w.chunks_exact(16).enumerate() {
        let v = u8x16::new(part.try_into().expect("16 bytes"));
        let n = v.simd_eq(newline);
        let c = v.simd_eq(comma);
        all |= ((n | c).to_bitmask() as u64) << (16 * i);
        nl |= (n.to_bitmask() as u64) << (16 * i);
    }
    (all, nl)
}

impl Iterator for Delimiters<'_> {
    /// Position, and whether it is a newline.
    type Item = (usize, bool);

    #[inline]
    fn next(&mut self) -> Option<(usize, bool)> {
        while self.mask == 0 {
            self.at += WINDOW;
            if self.at >= self.block.len() {
                return None;
            }
            (self.mask, self.newlines) = self.window_masks(self.at);
        }
        let bit = self.mask.trailing_zeros();
        let pos = self.at + bit as usize;
        self.mask &= self.mask - 1;
        Some((pos, (self.newlines >> bit) & 1 != 0))
    }
}

/// The columns the four tables use, in the order of the parser's slots.
pub(crate) const USED: [&str; 7] = [
    "agency",
    "indicator",
    "date",
    "province",
    "beneficiary",
    "sex",
    "age_group",
];
const NONE: u8 = u8::MAX;

/// Where the used columns are in a file, read from its header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub ncols: usize,
    /// For each column of the file, its slot in [`USED`] or `NONE`.
    roles: Vec<u8>,
}

impl Header {
    pub(crate) fn parse(line: &[u8]) -> Result<Self, ReachError> {
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = std::str::from_utf8(line)
            .map_err(|_| ReachError::BadHeader("the header is not valid UTF-8".into()))?;
        let names: Vec<&str> = text
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .collect();
        let mut roles = vec![NONE; names.len()];
        for (slot, want) in USED.iter().enumerate() {
            let found: Vec<usize> = (0..names.len()).filter(|&i| names[i] == *want).collect();
            match found.as_slice() {
                [i] => roles[*i] = slot as u8,
                [] => {
                    return Err(ReachError::BadHeader(format!(
                        "the header has no {want:?} column; service records need {}",
                        USED.join(",")
                    )));
                }
                _ => {
                    return Err(ReachError::BadHeader(format!(
                        "the header has the {want:?} column more than once"
                    )));
                }
            }
        }
        Ok(Self {
            ncols: names.len(),
            roles,
        })
    }
}

/// The shared dictionaries of one run.
pub(crate) struct Dicts {
    pub agency: Mutex<Dict>,
    pub indicator: Mutex<Dict>,
    pub sex: Mutex<Dict>,
    pub age: Mutex<Dict>,
}

impl Dicts {
    pub(crate) fn new(v: &Validation) -> Self {
        Self {
            agency: Mutex::new(Dict::new("agency", MAX_AGENCIES, v.agencies.as_deref())),
            indicator: Mutex::new(Dict::new(
                "indicator",
                MAX_INDICATORS,
                v.indicators.as_deref(),
            )),
            sex: Mutex::new(Dict::new("sex", MAX_SEXES, None)),
            age: Mutex::new(Dict::new("age_group", MAX_AGE_GROUPS, None)),
        }
    }
}

/// One worker's parser: private dictionary caches plus the validation rules.
pub(crate) struct RowParser<'a> {
    header: &'a Header,
    validation: &'a Validation,
    agency: LocalDict<'a>,
    indicator: LocalDict<'a>,
    sex: LocalDict<'a>,
    age: LocalDict<'a>,
    /// Smallest and largest `yq` seen, to size the quarter table later.
    pub yq_min: u32,
    pub yq_max: u32,
}

/// What parsing a block found, besides the records it emitted.
#[derive(Debug, Default)]
pub(crate) struct BlockStats {
    /// Lines in the block (for line numbers of later blocks).
    pub lines: u64,
    /// Rows accepted.
    pub rows: u64,
}

impl<'a> RowParser<'a> {
    pub(crate) fn new(header: &'a Header, validation: &'a Validation, dicts: &'a Dicts) -> Self {
        Self {
            header,
            validation,
            agency: LocalDict::new(&dicts.agency),
            indicator: LocalDict::new(&dicts.indicator),
            sex: LocalDict::new(&dicts.sex),
            age: LocalDict::new(&dicts.age),
            yq_min: u32::MAX,
            yq_max: 0,
        }
    }

    /// Parse every line of `block` (complete lines; the last may lack its
    /// newline). Accepted rows go to `emit`; bad rows to `bad` with their
    /// 1-based line number within the block.
    pub(crate) fn parse_block(
        &mut self,
        block: &[u8],
        emit: &mut impl FnMut(Rec),
        bad: &mut impl FnMut(u64, RowErrorKind),
    ) -> BlockStats {
        let mut stats = BlockStats::default();
        // (start, end) of each used field of the current line.
        let mut fields = [(0usize, 0usize); 7];
        let mut field = 0usize; // index of the current field in the line
        let mut start = 0usize; // where the current field starts
        let mut line_start = 0usize;
        let roles = &self.header.roles[..];
        // One pass over the block for both delimiters: cheaper than finding
        // lines first and then commas within each line.
        for (pos, is_newline) in Delimiters::new(block) {
            // Only the last field of a CRLF line carries the '\r'.
            let end = if is_newline && pos > start && block[pos - 1] == b'\r' {
                pos - 1
            } else {
                pos
            };
            if let Some(&role) = roles.get(field)
                && role != NONE
            {
                fields[role as usize] = (start, end);
            }
            field += 1;
            start = pos + 1;
            if is_newline {
                stats.lines += 1;
                self.finish_line(
                    block, &fields, field, line_start, end, &mut stats, emit, bad,
                );
                field = 0;
                line_start = start;
            }
        }
        if start < block.len() {
            // A last line without a newline.
            let end = block.len() - usize::from(block.ends_with(b"\r"));
            if let Some(&role) = roles.get(field)
                && role != NONE
            {
                fields[role as usize] = (start, end.max(start));
            }
            field += 1;
            stats.lines += 1;
            self.finish_line(
                block, &fields, field, line_start, end, &mut stats, emit, bad,
            );
        }
        stats
    }

    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn finish_line(
        &mut self,
        block: &[u8],
        fields: &[(usize, usize); 7],
        nfields: usize,
        line_start: usize,
        line_end: usize,
        stats: &mut BlockStats,
        emit: &mut impl FnMut(Rec),
        bad: &mut impl FnMut(u64, RowErrorKind),
    ) {
        // A blank line is not a record: skip it quietly, as spreadsheet
        // exports often end with one.
        if nfields == 1 && line_end <= line_start {
            return;
        }
        if nfields != self.header.ncols {
            bad(
                stats.lines,
                RowErrorKind::ColumnCount {
                    expected: self.header.ncols,
                    found: nfields,
                },
            );
            return;
        }
        match self.parse_fields(block, fields) {
            Ok(rec) => {
                stats.rows += 1;
                emit(rec);
            }
            Err(kind) => bad(stats.lines, kind),
        }
    }

    #[inline]
    fn parse_fields(
        &mut self,
        block: &[u8],
        spans: &[(usize, usize); 7],
    ) -> Result<Rec, RowErrorKind> {
        let text = |i: usize| &block[spans[i].0..spans[i].1];
        // Empty and quoted values fail the fast checks below and are dealt
        // with on the slow paths (the dictionaries, `retry`), so the common
        // row pays nothing for them.
        let agency = self.agency.get(block, spans[0].0, spans[0].1);
        if agency >= FIRST_SPECIAL {
            return Err(self.agency.error(agency, text(0)));
        }
        let indicator = self.indicator.get(block, spans[1].0, spans[1].1);
        if indicator >= FIRST_SPECIAL {
            return Err(self.indicator.error(indicator, text(1)));
        }
        let (y, m, d) = match parse_iso_date(text(2)) {
            Some(ymd) => ymd,
            None => retry(text(2), "date", parse_iso_date, RowErrorKind::BadDate)?,
        };
        if let Some(p) = &self.validation.period
            && !p.contains(y * 10_000 + m * 100 + d)
        {
            return Err(RowErrorKind::OutsidePeriod(shown(text(2))));
        }
        let province = match parse_province(text(3)) {
            Some(p) => p,
            None => retry(
                text(3),
                "province",
                parse_province,
                RowErrorKind::BadProvince,
            )?,
        };
        let person = match parse_pseudonym(text(4)) {
            Some(p) => p,
            None => retry(
                text(4),
                "beneficiary",
                parse_pseudonym,
                RowErrorKind::BadPseudonym,
            )?,
        };
        let sex = self.sex.get(block, spans[5].0, spans[5].1);
        if sex >= FIRST_SPECIAL {
            return Err(self.sex.error(sex, text(5)));
        }
        let age = self.age.get(block, spans[6].0, spans[6].1);
        if age >= FIRST_SPECIAL {
            return Err(self.age.error(age, text(6)));
        }
        let yq = y * 4 + (m - 1) / 3;
        self.yq_min = self.yq_min.min(yq);
        self.yq_max = self.yq_max.max(yq);
        let groups = Groups {
            indicator,
            agency,
            sex,
            age,
            province,
            yq,
        };
        Ok(Rec {
            person: mix(person),
            groups: groups.pack(),
        })
    }
}

/// The slow path of a field that failed its fast parse: empty, or quoted
/// (parse what is inside the quotes), or really bad.
#[cold]
fn retry<T>(
    raw: &[u8],
    column: &'static str,
    parse: impl Fn(&[u8]) -> Option<T>,
    bad: impl Fn(String) -> RowErrorKind,
) -> Result<T, RowErrorKind> {
    let inner = unquote(raw);
    if inner.is_empty() {
        return Err(RowErrorKind::Empty { column });
    }
    if inner.len() < raw.len()
        && let Some(v) = parse(inner)
    {
        return Ok(v);
    }
    Err(bad(shown(inner)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert_eq!(parse_iso_date(b"2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_iso_date(b"2023-02-29"), None);
        assert_eq!(parse_iso_date(b"2022-13-01"), None);
        assert_eq!(parse_iso_date(b"2022-1-01"), None);
        assert_eq!(parse_iso_date(b"2022-04-31"), None);
    }

    #[test]
    fn provinces_are_the_iso_codes_only() {
        assert_eq!(parse_province(b"TH-10"), Some(10));
        assert_eq!(parse_province(b"TH-96"), Some(96));
        assert_eq!(parse_province(b"TH-S"), Some(100));
        assert_eq!(parse_province(b"TH-28"), None);
        assert_eq!(parse_province(b"TH-1"), None);
        assert_eq!(parse_province(b"th-10"), None);
        assert_eq!(province_name(7 + 3), "TH-10");
    }

    #[test]
    fn pseudonyms_are_sixteen_lowercase_hex_digits() {
        assert_eq!(parse_pseudonym(b"00000000000000ff"), Some(255));
        assert_eq!(parse_pseudonym(b"ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(parse_pseudonym(b"00000000000000FF"), None);
        assert_eq!(parse_pseudonym(b"00000000000000g0"), None);
        assert_eq!(parse_pseudonym(b"0000000000000000a"), None);
        assert_eq!(
            parse_pseudonym(b"0123456789abcdef"),
            Some(0x0123_4567_89ab_cdef)
        );
        assert_eq!(
            parse_pseudonym(b"fedcba9876543210"),
            Some(0xfedc_ba98_7654_3210)
        );
        // Neighbours of the valid ranges, and a non-ASCII byte.
        for bad in [b'/', b':', b'`', b'g', b'A', b'F', b' ', 0xE0, 0x00] {
            for at in 0..16 {
                let mut s = *b"0123456789abcdef";
                s[at] = bad;
                assert_eq!(parse_pseudonym(&s), None, "{bad:#x} at {at}");
            }
        }
    }

    #[test]
    fn delimiters_are_found_at_every_offset_and_in_the_tail() {
        for len in 0..200 {
            let text: Vec<u8> = (0..len)
                .map(|i| match i % 5 {
                    1 => b',',
                    3 if i % 2 == 0 => b'\n',
                    _ => b'a' + (i % 26) as u8,
                })
                .collect();
            let want: Vec<(usize, bool)> = (0..len)
                .filter(|&i| text[i] == b',' || text[i] == b'\n')
                .map(|i| (i, text[i] == b'\n'))
                .collect();
            assert_eq!(
                Delimiters::new(&text).collect::<Vec<_>>(),
                want,
                "len {len}"
            );
        }
        // Bytes next to a delimiter value (0x2B, 0x0B, 0xAC) are not delimiters.
        let tricky = b"+\x0b\xac,\x2d\x09\x8a\n\x00,";
        assert_eq!(
            Delimiters::new(tricky).collect::<Vec<_>>(),
            vec![(3, false), (7, true), (9, false)]
        );
    }

    #[test]
    fn packing_round_trips_the_widest_values() {
        let g = Groups {
            indicator: 4095,
            agency: 1023,
            sex: 63,
            age: 63,
            province: 100,
            yq: 9999 * 4 + 3,
        };
        assert_eq!(Groups::unpack(g.pack()), g);
    }
}
