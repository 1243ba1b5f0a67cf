//! Counting distinct people per group within one partition.
//!
//! A partition's records are grouped by person (a one-pass counting sort on
//! further bits of the person, then tiny sorts). For each person, each group
//! the person appears in is counted once, using a "stamp" per group: the
//! number of the person who last touched it. Groups are dense small integers
//! (the product of the dictionary sizes), so the stamps and counts are plain
//! arrays that fit in cache, and no set of people is ever built.

use std::collections::HashMap;

use crate::parse::{Groups, PROVINCES, Rec};

/// Sizes of the grouping dimensions, known once all rows are parsed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dims {
    pub indicators: usize,
    pub agencies: usize,
    pub sexes: usize,
    pub ages: usize,
    pub yq_min: u32,
    pub yq_span: usize,
}

impl Dims {
    pub(crate) fn q1_groups(&self) -> usize {
        self.indicators * self.agencies
    }
    pub(crate) fn q3_groups(&self) -> usize {
        self.indicators * PROVINCES * self.sexes * self.ages
    }
    pub(crate) fn q4_groups(&self) -> usize {
        self.indicators * self.yq_span
    }
    #[inline]
    pub(crate) fn q1(&self, g: &Groups) -> usize {
        g.indicator as usize * self.agencies + g.agency as usize
    }
    #[inline]
    pub(crate) fn q3(&self, g: &Groups) -> usize {
        ((g.indicator as usize * PROVINCES + g.province as usize) * self.sexes + g.sex as usize)
            * self.ages
            + g.age as usize
    }
    #[inline]
    pub(crate) fn q4(&self, g: &Groups) -> usize {
        g.indicator as usize * self.yq_span + (g.yq - self.yq_min) as usize
    }
}

/// Groups beyond this many are counted in a hash map instead of arrays, so
/// that a file with unusually many distinct values cannot make us allocate
/// huge tables.
const DENSE_LIMIT: usize = 1 << 20;

/// Distinct-person counts for one grouping.
#[derive(Debug)]
pub(crate) enum GroupCounter {
    Dense { stamps: Vec<u32>, counts: Vec<u64> },
    Sparse(HashMap<usize, (u32, u64)>),
}

impl GroupCounter {
    fn new(groups: usize) -> Self {
        if groups <= DENSE_LIMIT {
            Self::Dense {
                stamps: vec![0; groups],
                counts: vec![0; groups],
            }
        } else {
            Self::Sparse(HashMap::new())
        }
    }

    /// Count the current person in group `g` unless already counted there.
    #[inline(always)]
    fn hit(&mut self, g: usize, stamp: u32) {
        match self {
            Self::Dense { stamps, counts } => {
                if stamps[g] != stamp {
                    stamps[g] = stamp;
                    counts[g] += 1;
                }
            }
            Self::Sparse(m) => {
                let e = m.entry(g).or_insert((0, 0));
                if e.0 != stamp {
                    *e = (stamp, e.1 + 1);
                }
            }
        }
    }

    /// Count a person known to be new to group `g` (a person with a single
    /// record), without touching the stamp.
    #[inline(always)]
    fn add(&mut self, g: usize) {
        match self {
            Self::Dense { counts, .. } => counts[g] += 1,
            Self::Sparse(m) => m.entry(g).or_insert((0, 0)).1 += 1,
        }
    }

    fn reset_stamps(&mut self) {
        match self {
            Self::Dense { stamps, .. } => stamps.fill(0),
            Self::Sparse(m) => m.values_mut().for_each(|e| e.0 = 0),
        }
    }

    fn merge(&mut self, other: GroupCounter) {
        match (self, other) {
            (Self::Dense { counts, .. }, Self::Dense { counts: o, .. }) => {
                counts.iter_mut().zip(o).for_each(|(a, b)| *a += b);
            }
            (Self::Sparse(m), Self::Sparse(o)) => {
                for (g, (_, c)) in o {
                    m.entry(g).or_insert((0, 0)).1 += c;
                }
            }
            _ => unreachable!("counters of one grouping have one representation"),
        }
    }

    /// Non-zero `(group, distinct)` pairs, in group order.
    pub(crate) fn nonzero(&self) -> Vec<(usize, u64)> {
        match self {
            Self::Dense { counts, .. } => counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(g, c)| (g, *c))
                .collect(),
            Self::Sparse(m) => {
                let mut v: Vec<(usize, u64)> = m
                    .iter()
                    .filter(|(_, e)| e.1 > 0)
                    .map(|(g, e)| (*g, e.1))
                    .collect();
                v.sort_unstable();
                v
            }
        }
    }
}

/// All counts of one counting thread; threads' counters are merged at the end.
#[derive(Debug)]
pub(crate) struct Counters {
    pub dims: Dims,
    /// Records per (indicator, agency): q1's `services`.
    pub services: HashMap<usize, u64>,
    services_dense: Vec<u64>,
    pub q1: GroupCounter,
    pub q2: GroupCounter,
    pub q3: GroupCounter,
    pub q4: GroupCounter,
    /// Distinct people in the whole file.
    pub people: u64,
    stamp: u32,
    scratch: Vec<Rec>,
    starts: Vec<usize>,
    next: Vec<usize>,
}

impl Counters {
    pub(crate) fn new(dims: Dims) -> Self {
        let dense_services = dims.q1_groups() <= DENSE_LIMIT;
        Self {
            dims,
            services: HashMap::new(),
            services_dense: if dense_services {
                vec![0; dims.q1_groups()]
            } else {
                Vec::new()
            },
            q1: GroupCounter::new(dims.q1_groups()),
            q2: GroupCounter::new(dims.indicators),
            q3: GroupCounter::new(dims.q3_groups()),
            q4: GroupCounter::new(dims.q4_groups()),
            people: 0,
            stamp: 0,
            scratch: Vec::new(),
            starts: Vec::new(),
            next: Vec::new(),
        }
    }

    pub(crate) fn services(&self, g: usize) -> u64 {
        if self.services_dense.is_empty() {
            self.services.get(&g).copied().unwrap_or(0)
        } else {
            self.services_dense[g]
        }
    }

    #[inline(always)]
    fn count_service(&mut self, g: usize) {
        if self.services_dense.is_empty() {
            *self.services.entry(g).or_insert(0) += 1;
        } else {
            self.services_dense[g] += 1;
        }
    }

    /// Count one partition. `bits` is how many top bits of the person chose
    /// the partition; the next bits split it further.
    pub(crate) fn count_partition(&mut self, chunks: &[&[Rec]], bits: u32) {
        let len: usize = chunks.iter().map(|c| c.len()).sum();
        if len == 0 {
            return;
        }
        // Sub-partitions of about four records: a one-pass counting sort
        // straight from the chunks (no copy first), then each is sorted by
        // person with a tiny sort. (Fewer, larger sub-partitions measured the
        // same: the sorts then cost what the scatter saves.)
        let sub_bits = (usize::BITS - (len / 4).max(1).leading_zeros()).min(14);
        let subs = 1usize << sub_bits;
        let sub_of = |r: &Rec| ((r.person << bits) >> (64 - sub_bits)) as usize;
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(subs + 1, 0);
        for r in chunks.iter().flat_map(|c| c.iter()) {
            starts[sub_of(r) + 1] += 1;
        }
        for i in 0..subs {
            starts[i + 1] += starts[i];
        }
        let next = &mut self.next;
        next.clear();
        next.extend_from_slice(&starts[..subs]);
        self.scratch.clear();
        self.scratch.resize(
            len,
            Rec {
                person: 0,
                groups: 0,
            },
        );
        for r in chunks.iter().flat_map(|c| c.iter()) {
            let s = sub_of(r);
            self.scratch[next[s]] = *r;
            next[s] += 1;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let starts = std::mem::take(&mut self.starts);
        for w in starts.windows(2) {
            let sub = &mut scratch[w[0]..w[1]];
            if sub.len() > 1 {
                sub.sort_unstable_by_key(|r| r.person);
            }
            let mut i = 0;
            while i < sub.len() {
                let person = sub[i].person;
                let mut j = i + 1;
                while j < sub.len() && sub[j].person == person {
                    j += 1;
                }
                self.count_person(&sub[i..j]);
                i = j;
            }
        }
        self.scratch = scratch;
        self.starts = starts;
    }

    /// Count one person's records: each group once.
    #[inline]
    fn count_person(&mut self, recs: &[Rec]) {
        self.people += 1;
        let d = self.dims;
        if let [r] = recs {
            let g = Groups::unpack(r.groups);
            let g1 = d.q1(&g);
            self.count_service(g1);
            self.q1.add(g1);
            self.q2.add(g.indicator as usize);
            self.q3.add(d.q3(&g));
            self.q4.add(d.q4(&g));
            return;
        }
        if self.stamp == u32::MAX {
            // Stamps would wrap and collide with old ones: start afresh.
            for c in [&mut self.q1, &mut self.q2, &mut self.q3, &mut self.q4] {
                c.reset_stamps();
            }
            self.stamp = 0;
        }
        self.stamp += 1;
        let stamp = self.stamp;
        for r in recs {
            let g = Groups::unpack(r.groups);
            let g1 = d.q1(&g);
            self.count_service(g1);
            self.q1.hit(g1, stamp);
            self.q2.hit(g.indicator as usize, stamp);
            self.q3.hit(d.q3(&g), stamp);
            self.q4.hit(d.q4(&g), stamp);
        }
    }

    /// Add another thread's counts (of other partitions, hence other people).
    pub(crate) fn merge(&mut self, o: Counters) {
        self.people += o.people;
        for (a, b) in self.services_dense.iter_mut().zip(&o.services_dense) {
            *a += b;
        }
        for (g, c) in o.services {
            *self.services.entry(g).or_insert(0) += c;
        }
        self.q1.merge(o.q1);
        self.q2.merge(o.q2);
        self.q3.merge(o.q3);
        self.q4.merge(o.q4);
    }
}
