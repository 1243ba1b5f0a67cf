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

/// Sentinel stored in a worker cache for "not in the allowed list", so that
/// every such row is reported, not only the first.
const NOT_ALLOWED: u32 = u32::MAX;

/// A worker's private cache in front of a shared [`Dict`].
pub(crate) struct LocalDict<'a> {
    shared: &'a Mutex<Dict>,
    keys: Vec<u128>,
    vals: Vec<u32>,
    used: usize,
    long: HashMap<Vec<u8>, u32>,
}

impl<'a> LocalDict<'a> {
    pub(crate) fn new(shared: &'a Mutex<Dict>) -> Self {
        Self {
            shared,
            keys: vec![0; 64],
            vals: vec![0; 64],
            used: 0,
            long: HashMap::new(),
        }
    }

    /// Short values (up to 15 bytes, i.e. nearly all codes) become one
    /// `u128`: the bytes plus the length in the top byte, which also makes the
    /// key non-zero so zero can mark an empty slot.
    #[inline]
    fn short_key(bytes: &[u8]) -> u128 {
        let mut k = [0u8; 16];
        k[..bytes.len()].copy_from_slice(bytes);
        k[15] = bytes.len() as u8;
        u128::from_le_bytes(k)
    }

    #[inline]
    fn slot(&self, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (self.keys.len() - 1)
    }

    /// Id of a non-empty value.
    #[inline]
    pub(crate) fn get(&mut self, bytes: &[u8]) -> Result<Interned, RowErrorKind> {
        if bytes.len() > 15 {
            return self.get_long(bytes);
        }
        let key = Self::short_key(bytes);
        let mut i = self.slot(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return Ok(decode(self.vals[i]));
            }
            if k == 0 {
                break;
            }
            i = (i + 1) & (self.keys.len() - 1);
        }
        let found = self.lookup_shared(bytes)?;
        self.insert(key, encode(found));
        Ok(found)
    }

    fn lookup_shared(&self, bytes: &[u8]) -> Result<Interned, RowErrorKind> {
        // A poisoned lock means another worker panicked; the run fails anyway.
        self.shared.lock().expect("dictionary lock").intern(bytes)
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

    fn get_long(&mut self, bytes: &[u8]) -> Result<Interned, RowErrorKind> {
        if let Some(&v) = self.long.get(bytes) {
            return Ok(decode(v));
        }
        let found = self.lookup_shared(bytes)?;
        self.long.insert(bytes.to_vec(), encode(found));
        Ok(found)
    }
}

fn encode(i: Interned) -> u32 {
    match i {
        Interned::Id(id) => id,
        Interned::NotAllowed => NOT_ALLOWED,
    }
}

fn decode(v: u32) -> Interned {
    if v == NOT_ALLOWED {
        Interned::NotAllowed
    } else {
        Interned::Id(v)
    }
}

/// Turn a not-allowed agency or indicator into the row error that names it.
pub(crate) fn not_allowed(column: &'static str, bytes: &[u8]) -> RowErrorKind {
    match column {
        "agency" => RowErrorKind::UnknownAgency(shown(bytes)),
        _ => RowErrorKind::UnknownIndicator(shown(bytes)),
    }
}
