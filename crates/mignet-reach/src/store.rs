//! Radix partitions of compact records, in memory up to a budget and in one
//! temporary file beyond it.
//!
//! Records are partitioned by the top bits of the (mixed) person. Every
//! distinct count is a count of distinct (group, person) pairs, so a person's
//! records all land in one partition and partitions can be counted
//! independently, one after the other, with per-group counts simply added.
//! That is what bounds memory: only one partition needs to be in memory while
//! counting, and the partitions of the whole file need not be.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::ReachError;
use crate::parse::Rec;

/// Records per staging chunk: small enough that one partly filled chunk per
/// partition per worker stays a few MiB, large enough that the shared lock is
/// taken once per thousand rows.
pub(crate) const CHUNK: usize = 1024;
const REC_BYTES: usize = 16;

/// A part of the spill file holding records of one partition.
#[derive(Debug, Clone, Copy)]
struct Segment {
    offset: u64,
    records: u64,
}

struct Spill {
    file: BufWriter<File>,
    offset: u64,
    segments: Vec<Vec<Segment>>,
}

struct Inner {
    chunks: Vec<Vec<Vec<Rec>>>,
    bytes_in_memory: usize,
    /// A worker is writing a batch: others keep adding to memory meanwhile
    /// rather than take a second batch, while the unwritten part of the batch
    /// plus what they add stays within 1/16 over the budget.
    spilling: bool,
}

struct SpillState {
    spill: Option<Spill>,
    spilled_records: u64,
    error: Option<ReachError>,
}

/// The partitions being filled by the parse workers.
pub(crate) struct Store {
    inner: Mutex<Inner>,
    /// Separate from `inner` so that one worker writes a batch to disk while
    /// the others keep parsing and handing over chunks.
    spill: Mutex<SpillState>,
    /// Bytes of the batch being written that are still in memory.
    in_flight: AtomicUsize,
    budget: usize,
    temp_dir: Option<PathBuf>,
    bits: u32,
}

impl Store {
    pub(crate) fn new(bits: u32, budget: usize, temp_dir: Option<&Path>) -> Self {
        Self {
            inner: Mutex::new(Inner {
                chunks: Self::empty(bits),
                bytes_in_memory: 0,
                spilling: false,
            }),
            spill: Mutex::new(SpillState {
                spill: None,
                spilled_records: 0,
                error: None,
            }),
            in_flight: AtomicUsize::new(0),
            budget,
            temp_dir: temp_dir.map(Path::to_path_buf),
            bits,
        }
    }

    fn empty(bits: u32) -> Vec<Vec<Vec<Rec>>> {
        (0..1usize << bits).map(|_| Vec::new()).collect()
    }

    pub(crate) fn partitions(&self) -> usize {
        1 << self.bits
    }

    /// Which partition a (mixed) person belongs to.
    #[inline]
    pub(crate) fn partition_of(bits: u32, person: u64) -> usize {
        (person >> (64 - bits)) as usize
    }

    /// Hand over a chunk of records of partition `p`. Past the budget, the
    /// worker takes every record held in memory as one batch and writes it
    /// out, partition by partition, so that each partition's spilled records
    /// form few large segments. The write happens outside the store's lock,
    /// so the other workers go on parsing meanwhile.
    pub(crate) fn push(&self, p: usize, chunk: Vec<Rec>) {
        let batch = {
            let mut g = self.inner.lock().expect("store lock");
            g.bytes_in_memory += chunk.len() * REC_BYTES;
            g.chunks[p].push(chunk);
            if g.spilling {
                // The batch being written is still in memory until each of
                // its chunks is written: count it, and wait (by taking the
                // spill lock) rather than pass the budget by more than 1/16.
                let total = g.bytes_in_memory + self.in_flight.load(Ordering::Relaxed);
                if total > self.budget + self.budget / 16 {
                    drop(g);
                    drop(self.spill.lock().expect("spill lock"));
                }
                return;
            }
            if g.bytes_in_memory <= self.budget {
                return;
            }
            self.in_flight.store(g.bytes_in_memory, Ordering::Relaxed);
            g.bytes_in_memory = 0;
            g.spilling = true;
            std::mem::replace(&mut g.chunks, Self::empty(self.bits))
        };
        {
            let mut s = self.spill.lock().expect("spill lock");
            if s.error.is_none()
                && let Err(e) = self.write_batch(&mut s, batch)
            {
                s.error = Some(e);
            }
            self.in_flight.store(0, Ordering::Relaxed);
            // Clear the flag before releasing the spill lock, so a waiting
            // worker sees the spill finished.
            self.inner.lock().expect("store lock").spilling = false;
        }
    }

    fn write_batch(&self, s: &mut SpillState, batch: Vec<Vec<Vec<Rec>>>) -> Result<(), ReachError> {
        let dir = self.temp_dir.clone().unwrap_or_else(std::env::temp_dir);
        if s.spill.is_none() {
            // An unnamed temporary file: the OS removes it even if we crash.
            let file = tempfile::tempfile_in(&dir).map_err(|e| ReachError::io(&dir, e))?;
            s.spill = Some(Spill {
                file: BufWriter::with_capacity(1 << 20, file),
                offset: 0,
                segments: (0..self.partitions()).map(|_| Vec::new()).collect(),
            });
        }
        let spill = s.spill.as_mut().expect("spill file was just created");
        let mut bytes = Vec::with_capacity(CHUNK * REC_BYTES);
        for (p, list) in batch.into_iter().enumerate() {
            let records: usize = list.iter().map(Vec::len).sum();
            if records == 0 {
                continue;
            }
            spill.segments[p].push(Segment {
                offset: spill.offset,
                records: records as u64,
            });
            // Each chunk is freed as soon as it is written.
            for chunk in list {
                bytes.clear();
                for r in &chunk {
                    bytes.extend_from_slice(
                        &(r.person as u128 | (r.groups as u128) << 64).to_le_bytes(),
                    );
                }
                spill
                    .file
                    .write_all(&bytes)
                    .map_err(|e| ReachError::io(&dir, e))?;
                self.in_flight
                    .fetch_sub(chunk.len() * REC_BYTES, Ordering::Relaxed);
            }
            spill.offset += (records * REC_BYTES) as u64;
            s.spilled_records += records as u64;
        }
        Ok(())
    }

    /// Close the filling phase: flush the spill file and hand the partitions
    /// over for counting.
    pub(crate) fn finish(self) -> Result<Partitions, ReachError> {
        let inner = self.inner.into_inner().expect("store lock");
        let spill = self.spill.into_inner().expect("spill lock");
        if let Some(e) = spill.error {
            return Err(e);
        }
        let dir = self.temp_dir.unwrap_or_else(std::env::temp_dir);
        let (file, segments) = match spill.spill {
            Some(s) => {
                let file = s
                    .file
                    .into_inner()
                    .map_err(|e| ReachError::io(&dir, e.into_error()))?;
                (Some(Mutex::new(file)), s.segments)
            }
            None => (None, Vec::new()),
        };
        Ok(Partitions {
            chunks: inner.chunks.into_iter().map(Mutex::new).collect(),
            file,
            segments,
            spilled_records: spill.spilled_records,
            dir,
        })
    }
}

/// Filled partitions, ready to be taken one at a time by counting threads.
pub(crate) struct Partitions {
    chunks: Vec<Mutex<Vec<Vec<Rec>>>>,
    file: Option<Mutex<File>>,
    segments: Vec<Vec<Segment>>,
    pub spilled_records: u64,
    dir: PathBuf,
}

impl Partitions {
    pub(crate) fn len(&self) -> usize {
        self.chunks.len()
    }

    /// Hand over all records of partition `p` as chunks, without copying
    /// the in-memory ones; `spilled` (reused across calls) receives those read
    /// back from the spill file and is the last chunk if non-empty.
    pub(crate) fn take(
        &self,
        p: usize,
        spilled: &mut Vec<Rec>,
        bytes: &mut Vec<u8>,
    ) -> Result<Vec<Vec<Rec>>, ReachError> {
        spilled.clear();
        if let (Some(file), Some(segs)) = (&self.file, self.segments.get(p)) {
            for s in segs {
                bytes.resize(s.records as usize * REC_BYTES, 0);
                {
                    let mut f = file.lock().expect("spill file lock");
                    f.seek(SeekFrom::Start(s.offset))
                        .and_then(|_| f.read_exact(bytes))
                        .map_err(|e| ReachError::io(&self.dir, e))?;
                }
                spilled.extend(bytes.chunks_exact(REC_BYTES).map(|b| Rec {
                    person: u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
                    groups: u64::from_le_bytes(b[8..].try_into().expect("8 bytes")),
                }));
            }
        }
        Ok(std::mem::take(
            &mut *self.chunks[p].lock().expect("partition lock"),
        ))
    }
}
