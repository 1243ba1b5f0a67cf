//! The run: a reader thread cuts the input into blocks of whole lines, parse
//! workers turn rows into compact records and partition them by person, then
//! counting threads take the partitions one by one.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::sync::{Mutex, PoisonError};
use std::thread;

use crate::count::{Counters, Dims};
use crate::error::{ReachError, RowError, RowErrorKind};
use crate::options::{OnError, ReachOptions};
use crate::parse::{Dicts, Header, Rec, RowParser};
use crate::progress::Progress;
use crate::store::{CHUNK, Store};
use crate::tables::{Names, ReachTables};

/// Bytes per block handed to a parse worker.
const BLOCK: usize = 2 << 20;

/// Compute the four tables from a CSV file of service records.
pub fn reach_path(path: impl AsRef<Path>, opts: &ReachOptions) -> Result<ReachTables, ReachError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| ReachError::io(path, e))?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    run(file, size, path, opts)
}

/// Compute the four tables from any reader (a pipe, standard input, a
/// decompressor). Without a size hint, partitions are sized for a large file.
pub fn reach_reader<R: Read + Send>(
    reader: R,
    opts: &ReachOptions,
) -> Result<ReachTables, ReachError> {
    run(reader, None, Path::new("<input>"), opts)
}

/// Partition count (as bits) from the expected number of rows: about 32 Ki
/// records (512 KiB) per partition keeps counting in cache, within 64..512
/// partitions so that the staging chunks (16 KiB per partition per worker)
/// stay small: 1024 partitions cost 32 MiB of staging at 30 M rows.
fn partition_bits(size: Option<u64>) -> u32 {
    // Service rows are at least ~50 bytes; overestimating rows is harmless.
    let rows = size.map_or(1 << 24, |s| s / 50);
    let want = (rows / 32_768).max(1);
    (u64::BITS - (want - 1).leading_zeros()).clamp(6, 9)
}

fn read_some(r: &mut impl Read, buf: &mut [u8], name: &Path) -> Result<usize, ReachError> {
    loop {
        match r.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(ReachError::io(name, e)),
        }
    }
}

struct Block {
    seq: usize,
    buf: Vec<u8>,
    len: usize,
}

/// What one parse worker found.
#[derive(Default)]
struct WorkerOut {
    /// (block, line within block, error): the worker's first few, in order.
    errors: Vec<(usize, u64, RowErrorKind)>,
    bad: u64,
    /// (block, lines in it).
    block_lines: Vec<(usize, u64)>,
    yq_min: u32,
    yq_max: u32,
}

fn run<R: Read + Send>(
    mut reader: R,
    size: Option<u64>,
    name: &Path,
    opts: &ReachOptions,
) -> Result<ReachTables, ReachError> {
    // The header is read here so that workers know the column positions.
    let mut first = vec![0u8; BLOCK];
    let mut filled = 0;
    let header_end = loop {
        if let Some(p) = memchr::memchr(b'\n', &first[..filled]) {
            break p;
        }
        if filled == first.len() {
            first.resize(first.len() * 2, 0);
        }
        let n = read_some(&mut reader, &mut first[filled..], name)?;
        if n == 0 {
            break filled;
        }
        filled += n;
    };
    if filled == 0 {
        return Err(ReachError::BadHeader(format!(
            "{}: empty input",
            name.display()
        )));
    }
    let header = Header::parse(&first[..header_end])?;
    let carry = first[(header_end + 1).min(filled)..filled].to_vec();
    drop(first);

    let timing = Timing::from_env();
    let threads = opts.thread_count();
    let bits = partition_bits(size);
    let store = Store::new(bits, opts.memory_budget, opts.temp_dir.as_deref());
    let dicts = Dicts::new(&opts.validation);
    let progress = Progress::new(opts.progress, size);
    let rows = AtomicU64::new(0);
    let failed = AtomicBool::new(false);

    let (block_tx, block_rx) = sync_channel::<Block>(threads);
    let block_rx = Mutex::new(block_rx);
    let (free_tx, free_rx) = channel::<Vec<u8>>();

    let (read_result, outs) = thread::scope(|s| {
        let reader_thread = s.spawn(|| {
            read_blocks(
                reader,
                carry,
                block_tx,
                free_rx,
                2 * threads + 2,
                name,
                &progress,
                &rows,
            )
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let free_tx = free_tx.clone();
                let (header, dicts, store, block_rx) = (&header, &dicts, &store, &block_rx);
                let (rows, failed) = (&rows, &failed);
                s.spawn(move || {
                    parse_worker(
                        header, opts, dicts, store, block_rx, free_tx, rows, failed, bits,
                    )
                })
            })
            .collect();
        drop(free_tx);
        let read_result = join(reader_thread);
        let outs: Vec<WorkerOut> = workers.into_iter().map(join).collect();
        (read_result, outs)
    });
    read_result?;
    timing.phase("read+parse+partition");

    // Line numbers: the header is line 1, then blocks in order.
    let mut lines_per_block = Vec::new();
    for o in &outs {
        for &(seq, n) in &o.block_lines {
            if lines_per_block.len() <= seq {
                lines_per_block.resize(seq + 1, 0);
            }
            lines_per_block[seq] = n;
        }
    }
    let mut base = Vec::with_capacity(lines_per_block.len());
    let mut acc = 1u64;
    for n in &lines_per_block {
        base.push(acc);
        acc += n;
    }
    let bad_total: u64 = outs.iter().map(|o| o.bad).sum();
    let mut errors: Vec<RowError> = outs
        .iter()
        .flat_map(|o| o.errors.iter())
        .map(|(seq, line, kind)| RowError {
            line: base[*seq] + line,
            kind: kind.clone(),
        })
        .collect();
    errors.sort_by_key(|e| e.line);
    errors.truncate(opts.max_errors);
    if bad_total > 0 && opts.on_error == OnError::Reject {
        progress.finish();
        return Err(ReachError::BadRows {
            errors,
            total: bad_total,
        });
    }

    let yq_min = outs.iter().map(|o| o.yq_min).min().unwrap_or(0);
    let yq_max = outs.iter().map(|o| o.yq_max).max().unwrap_or(0);
    let names = Names {
        indicators: into_names(dicts.indicator),
        agencies: into_names(dicts.agency),
        sexes: into_names(dicts.sex),
        ages: into_names(dicts.age),
    };
    let dims = Dims {
        indicators: names.indicators.len().max(1),
        agencies: names.agencies.len().max(1),
        sexes: names.sexes.len().max(1),
        ages: names.ages.len().max(1),
        yq_min: yq_min.min(yq_max),
        yq_span: (yq_max.saturating_sub(yq_min) + 1) as usize,
    };

    let parts = store.finish()?;
    let spilled_records = parts.spilled_records;
    progress.counting(parts.len() as u64);
    let next = AtomicUsize::new(0);
    let counted: Vec<Result<Counters, ReachError>> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut c = Counters::new(dims);
                    let (mut spilled, mut bytes) = (Vec::new(), Vec::new());
                    loop {
                        let p = next.fetch_add(1, Ordering::Relaxed);
                        if p >= parts.len() {
                            return Ok(c);
                        }
                        let chunks = parts.take(p, &mut spilled, &mut bytes)?;
                        let mut all: Vec<&[Rec]> = chunks.iter().map(Vec::as_slice).collect();
                        all.push(&spilled);
                        c.count_partition(&all, bits);
                        // The partition's chunks are freed here, so memory
                        // shrinks as counting proceeds.
                        drop(all);
                        drop(chunks);
                        progress.counted();
                    }
                })
            })
            .collect();
        handles.into_iter().map(join).collect()
    });
    progress.finish();
    timing.phase("count partitions");
    let mut total: Option<Counters> = None;
    for c in counted {
        let c = c?;
        match &mut total {
            Some(t) => t.merge(c),
            None => total = Some(c),
        }
    }
    let total = total.unwrap_or_else(|| Counters::new(dims));
    let mut tables = ReachTables::build(&total, &names);
    tables.skipped = bad_total;
    tables.skipped_examples = errors;
    tables.spilled_records = spilled_records;
    timing.phase("merge+tables");
    Ok(tables)
}

fn into_names(d: Mutex<crate::dict::Dict>) -> Vec<String> {
    d.into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_names()
}

/// Join a scoped thread, passing a panic on to the caller.
fn join<T>(h: thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Read the input into blocks ending at a newline; the bytes after the last
/// newline of a block start the next one.
#[allow(clippy::too_many_arguments)]
fn read_blocks<R: Read>(
    mut reader: R,
    carry: Vec<u8>,
    tx: SyncSender<Block>,
    free: Receiver<Vec<u8>>,
    max_buffers: usize,
    name: &Path,
    progress: &Progress,
    rows: &AtomicU64,
) -> Result<(), ReachError> {
    let mut allocated = 1;
    let mut buf = vec![0u8; BLOCK.max(carry.len() * 2)];
    buf[..carry.len()].copy_from_slice(&carry);
    let mut filled = carry.len();
    let mut seq = 0;
    loop {
        let n = read_some(&mut reader, &mut buf[filled..], name)?;
        progress.read(n as u64, rows.load(Ordering::Relaxed));
        filled += n;
        if n == 0 {
            if filled > 0 {
                let _ = tx.send(Block {
                    seq,
                    buf,
                    len: filled,
                });
            }
            return Ok(());
        }
        if filled < buf.len() {
            continue;
        }
        let Some(last_nl) = memchr::memrchr(b'\n', &buf[..filled]) else {
            // One line longer than the block: grow it.
            buf.resize(buf.len() * 2, 0);
            continue;
        };
        // Recycle a buffer the workers are done with, or make one while
        // under the cap; otherwise wait, which bounds memory.
        let mut next = match free.try_recv() {
            Ok(b) => b,
            Err(_) if allocated < max_buffers => {
                allocated += 1;
                vec![0u8; BLOCK]
            }
            Err(_) => match free.recv() {
                Ok(b) => b,
                Err(_) => return Ok(()), // workers are gone (a panic); join reports it
            },
        };
        let rest = filled - last_nl - 1;
        if next.len() < rest * 2 {
            next.resize(rest * 2, 0);
        }
        next[..rest].copy_from_slice(&buf[last_nl + 1..filled]);
        if tx
            .send(Block {
                seq,
                buf,
                len: last_nl + 1,
            })
            .is_err()
        {
            return Ok(());
        }
        seq += 1;
        buf = next;
        filled = rest;
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_worker(
    header: &Header,
    opts: &ReachOptions,
    dicts: &Dicts,
    store: &Store,
    blocks: &Mutex<Receiver<Block>>,
    free: std::sync::mpsc::Sender<Vec<u8>>,
    rows: &AtomicU64,
    failed: &AtomicBool,
    bits: u32,
) -> WorkerOut {
    let mut parser = RowParser::new(header, &opts.validation, dicts);
    let mut staging: Vec<Vec<Rec>> = (0..store.partitions()).map(|_| Vec::new()).collect();
    let mut out = WorkerOut::default();
    let reject = opts.on_error == OnError::Reject;
    loop {
        let msg = blocks.lock().expect("block queue lock").recv();
        let Ok(block) = msg else { break };
        let seq = block.seq;
        let mut emit = |r: Rec| {
            // Once a row is bad in reject mode there will be no tables: stop
            // storing records, only keep validating.
            if reject && failed.load(Ordering::Relaxed) {
                return;
            }
            let p = Store::partition_of(bits, r.person);
            let chunk = &mut staging[p];
            if chunk.capacity() == 0 {
                chunk.reserve_exact(CHUNK);
            }
            chunk.push(r);
            if chunk.len() == CHUNK {
                store.push(p, std::mem::replace(chunk, Vec::with_capacity(CHUNK)));
            }
        };
        let mut bad = |line: u64, kind: RowErrorKind| {
            out.bad += 1;
            failed.store(true, Ordering::Relaxed);
            if out.errors.len() < opts.max_errors {
                out.errors.push((seq, line, kind));
            }
        };
        let stats = parser.parse_block(&block.buf[..block.len], &mut emit, &mut bad);
        out.block_lines.push((seq, stats.lines));
        rows.fetch_add(stats.rows, Ordering::Relaxed);
        let _ = free.send(block.buf);
    }
    for (p, chunk) in staging.into_iter().enumerate() {
        if !chunk.is_empty() {
            store.push(p, chunk);
        }
    }
    out.yq_min = parser.yq_min;
    out.yq_max = parser.yq_max;
    out
}

/// Phase timing on stderr when `MIGNET_REACH_TIMING` is set: the cheapest
/// profile, and one that works where `perf` does not.
struct Timing {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timing {
    fn from_env() -> Self {
        Self {
            on: std::env::var_os("MIGNET_REACH_TIMING").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    fn phase(&self, name: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!(
                "[reach] {name}: {:.3} s",
                (now - self.last.get()).as_secs_f64()
            );
            self.last.set(now);
        }
    }
}
