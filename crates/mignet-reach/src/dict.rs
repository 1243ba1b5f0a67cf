//! Interning of the small categorical columns (agency, indicator, sex, age
//! group) into dense integer ids, on the fly.
//!
//! Why on the fly rather than fixed lists: a network adds agencies and
//! indicators over time, and the reach command must work on any valid file
//! without being told the vocabulary first. Each worker keeps a tiny
//! open-addressing cache keyed by the field bytes packed into a `u128`, so the
//! shared, locked dictionary is consulted only the first time a worker sees a
//! value.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::error::{RowErrorKind, shown};

/// Result of looking a value up in a column's dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Interned {
    Id(u32),
    /// Valid text but not in the caller's list of allowed values.
    NotAllowed,
}

/// A column's shared dictionary: id -> name and name -> id.
#[derive(Debug)]
pub(crate) struct Dict {
    column: &'static str,
    limit: usize,
    allowed: Option<HashSet<Vec<u8>>>,
    names: Vec<String>,
    ids: HashMap<Vec<u8>, u32>,
}

impl Dict {
    pub(crate) fn new(column: &'static str, limit: usize, allowed: Option<&[String]>) -> Self {
        Self {
            column,
            limit,
            allowed: allowed.map(|a| a.iter().map(|s| s.as_bytes().to_vec()).collect()),
            names: Vec::new(),
            ids: HashMap::new(),
        }
    }

    fn intern(&mut self, bytes: &[u8]) -> Result<Interned, RowErrorKind> {
        // Workers look values up as they appear in the file; a spreadsheet
        // may have quoted some. Quotes are not part of the value, and dealing
        // with them here, once per distinct spelling, keeps them off the
        // per-row path.
        let bytes = crate::parse::unquote(bytes);
        if bytes.is_empty() {
            return Err(RowErrorKind::Empty {
                column: self.column,
            });
        }
        if let Some(&id) = self.ids.get(bytes) {
            return Ok(Interned::Id(id));
        }
        if let Some(allowed) = &self.allowed
            && !allowed.contains(bytes)
        {
            return Ok(Interned::NotAllowed);
        }
        let Ok(name) = std::str::from_utf8(bytes) else {
            return Err(RowErrorKind::NotUtf8 {
                column: self.column,
            });
        };
        if self.names.len() >= self.limit {
            return Err(RowErrorKind::TooManyValues {
                column: self.column,
                limit: self.limit,
            });
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(bytes.to_vec(), id);
        Ok(Interned::Id(id))
    }

    pub(crate) fn into_names(self) -> Vec<String> {
        self.names
    }
}

/// Ids at or above this are not ids: [`NOT_ALLOWED`] or [`FAILED`].
pub(crate) const FIRST_SPECIAL: u32 = u32::MAX - 1;
/// Stored in a worker cache for "not in the allowed list", so that every such
/// row is reported, not only the first.
const NOT_ALLOWED: u32 = u32::MAX;
/// Returned (never cached) when the shared dictionary refused the value; the
/// reason is kept in `LocalDict::failure`.
const FAILED: u32 = u32::MAX - 1;

/// `KEEP[n]`: the low `n` bytes of a `u128`.
const KEEP: [u128; 16] = {
    let mut t = [0u128; 16];
    let mut i = 1;
    while i < 16 {
        t[i] = (1u128 << (8 * i)) - 1;
        i += 1;
    }
    t
};

/// A worker's private cache in front of a shared [`Dict`].
pub(crate) struct LocalDict<'a> {
    shared: &'a Mutex<Dict>,
    column: &'static str,
    keys: Vec<u128>,
    vals: Vec<u32>,
    used: usize,
    long: HashMap<Vec<u8>, u32>,
    failure: Option<RowErrorKind>,
}

impl<'a> LocalDict<'a> {
    pub(crate) fn new(shared: &'a Mutex<Dict>) -> Self {
        let column = shared.lock().expect("dictionary lock").column;
        Self {
            shared,
            column,
            keys: vec![0; 64],
            vals: vec![0; 64],
            used: 0,
            long: HashMap::new(),
            failure: None,
        }
    }

    /// The value `block[start..end]` packed into one `u128`, with its length
    /// plus one in the top byte (which also makes the key non-zero, so zero
    /// marks an empty slot). `None` for values over 15 bytes.
    #[inline(always)]
    fn short_key(block: &[u8], start: usize, end: usize) -> Option<u128> {
        let len = end - start;
        if len > 15 {
            return None;
        }
        let tag = ((len + 1) as u128) << 120;
        // Usually 16 bytes can be loaded at once and the excess masked off,
        // which avoids a byte loop or a library memcpy for each field.
        if let Some(w) = block.get(start..start + 16) {
            let w = u128::from_le_bytes(w.try_into().expect("16 bytes"));
            return Some(w & KEEP[len] | tag);
        }
        let mut k = 0u128;
        for (i, &b) in block[start..end].iter().enumerate() {
            k |= (b as u128) << (8 * i);
        }
        Some(k | tag)
    }

    #[inline]
    fn slot(&self, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (self.keys.len() - 1)
    }

    /// Id of the value `block[start..end]`, or a value at or above
    /// [`FIRST_SPECIAL`] to be turned into a row error with [`Self::error`].
    #[inline(always)]
    pub(crate) fn get(&mut self, block: &[u8], start: usize, end: usize) -> u32 {
        let Some(key) = Self::short_key(block, start, end) else {
            return self.get_long(&block[start..end]);
        };
        let mut i = self.slot(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return self.vals[i];
            }
            if k == 0 {
                return self.miss(key, &block[start..end]);
            }
            i = (i + 1) & (self.keys.len() - 1);
        }
    }

    #[cold]
    fn miss(&mut self, key: u128, bytes: &[u8]) -> u32 {
        let v = self.lookup_shared(bytes);
        if v != FAILED {
            self.insert(key, v);
        }
        v
    }

    /// The row error for a value [`Self::get`] did not give an id for.
    #[cold]
    pub(crate) fn error(&mut self, code: u32, bytes: &[u8]) -> RowErrorKind {
        match (code, self.column) {
            (NOT_ALLOWED, "agency") => RowErrorKind::UnknownAgency(shown(bytes)),
            (NOT_ALLOWED, _) => RowErrorKind::UnknownIndicator(shown(bytes)),
            _ => self.failure.take().unwrap_or(RowErrorKind::NotUtf8 {
                column: self.column,
            }),
        }
    }

    fn lookup_shared(&mut self, bytes: &[u8]) -> u32 {
        // A poisoned lock means another worker panicked; the run fails anyway.
        let found = self.shared.lock().expect("dictionary lock").intern(bytes);
        match found {
            Ok(Interned::Id(id)) => id,
            Ok(Interned::NotAllowed) => NOT_ALLOWED,
            Err(e) => {
                self.failure = Some(e);
                FAILED
            }
        }
    }

    fn insert(&mut self, key: u128, val: u32) {
        if (self.used + 1) * 2 > self.keys.len() {
            let old: Vec<(u128, u32)> = self
                .keys
                .iter()
                .copied()
                .zip(self.vals.iter().copied())
                .filter(|(k, _)| *k != 0)
                .collect();
            let n = self.keys.len() * 2;
            self.keys = vec![0; n];
            self.vals = vec![0; n];
            self.used = 0;
            for (k, v) in old {
                self.insert(k, v);
            }
        }
        let mut i = self.slot(key);
        while self.keys[i] != 0 {
            i = (i + 1) & (self.keys.len() - 1);
        }
        self.keys[i] = key;
        self.vals[i] = val;
        self.used += 1;
    }

    #[cold]
    fn get_long(&mut self, bytes: &[u8]) -> u32 {
        if let Some(&v) = self.long.get(bytes) {
            return v;
        }
        let v = self.lookup_shared(bytes);
        if v != FAILED {
            self.long.insert(bytes.to_vec(), v);
        }
        v
    }
}
