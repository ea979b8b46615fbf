//! A Hamming-distance index over fingerprints (stage 4 of the pipeline).
//!
//! Manku, Jain and Das Sarma (2007): split the 64 bits into `k + 1` blocks.
//! Two fingerprints within distance `k` differ in at most `k` bits, so by
//! pigeonhole they agree exactly on at least one block. One hash table per
//! block maps the block's bits to the fingerprints that have them; a query
//! looks up its own block value in each table and checks only those
//! candidates. With `k = 3` every block is 16 bits, so a table bucket holds
//! about `n / 65536` unrelated fingerprints.

use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::fingerprint::Fingerprint;

/// Finds all stored fingerprints within a Hamming distance of a query.
///
/// ```
/// use zhdedup::{Fingerprint, HammingIndex};
/// let mut index = HammingIndex::new(3).unwrap();
/// let a = index.insert(Fingerprint(0xFFFF_0000_FFFF_0000));
/// let _ = index.insert(Fingerprint(0x0000_FFFF_0000_FFFF));
/// let hits = index.query(Fingerprint(0xFFFF_0000_FFFF_0007));
/// assert_eq!(hits, vec![(a, 3)]); // distance 3 is within the bound
/// ```
#[derive(Debug, Clone)]
pub struct HammingIndex {
    max_distance: u32,
    /// `(shift, mask)` of each block: its bits are `(f >> shift) & mask`.
    blocks: Vec<(u32, u64)>,
    /// One table per block, keyed by the block's bits shifted down, so the
    /// keys are small integers that FxHash spreads well (a block's bits left
    /// in place would leave FxHash's low output bits constant).
    tables: Vec<FxHashMap<u64, Vec<u32>>>,
    fingerprints: Vec<Fingerprint>,
}

impl HammingIndex {
    /// The largest supported `max_distance`: beyond it blocks get so narrow
    /// that buckets hold most of the index and a scan is as fast.
    pub const MAX_DISTANCE: u32 = 15;

    /// An empty index answering "within `max_distance` bits" (inclusive).
    ///
    /// # Errors
    ///
    /// When `max_distance` exceeds [`HammingIndex::MAX_DISTANCE`].
    pub fn new(max_distance: u32) -> Result<HammingIndex, Error> {
        if max_distance > Self::MAX_DISTANCE {
            return Err(Error::config(format!(
                "max Hamming distance {max_distance} exceeds {}",
                Self::MAX_DISTANCE
            )));
        }
        let count = max_distance + 1;
        let mut blocks = Vec::new();
        let mut shift = 0;
        for i in 0..count {
            // Spread the remainder over the first blocks: widths differ by ≤ 1.
            let width = 64 / count + u32::from(i < 64 % count);
            let mask = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
            blocks.push((shift, mask));
            shift += width;
        }
        let tables = vec![FxHashMap::default(); blocks.len()];
        Ok(HammingIndex { max_distance, blocks, tables, fingerprints: Vec::new() })
    }

    /// Builds an index holding `fingerprints`, with ids `0..len`.
    ///
    /// # Errors
    ///
    /// As [`HammingIndex::new`].
    pub fn from_fingerprints(
        max_distance: u32,
        fingerprints: &[Fingerprint],
    ) -> Result<HammingIndex, Error> {
        let mut index = HammingIndex::new(max_distance)?;
        for &fingerprint in fingerprints {
            index.insert(fingerprint);
        }
        Ok(index)
    }

    /// Adds a fingerprint and returns its id (ids count up from 0).
    pub fn insert(&mut self, fingerprint: Fingerprint) -> u32 {
        let id = u32::try_from(self.fingerprints.len()).unwrap_or(u32::MAX);
        for (table, &(shift, mask)) in self.tables.iter_mut().zip(&self.blocks) {
            table.entry(fingerprint.0 >> shift & mask).or_default().push(id);
        }
        self.fingerprints.push(fingerprint);
        id
    }

    /// Every stored `(id, distance)` within the index's distance of `query`,
    /// sorted by id.
    pub fn query(&self, query: Fingerprint) -> Vec<(u32, u32)> {
        let mut hits = Vec::new();
        self.query_into(query, &mut hits);
        hits
    }

    /// Like [`HammingIndex::query`], appending to `hits` (cleared first) to
    /// reuse its allocation.
    pub fn query_into(&self, query: Fingerprint, hits: &mut Vec<(u32, u32)>) {
        hits.clear();
        for (table, &(shift, mask)) in self.tables.iter().zip(&self.blocks) {
            let Some(bucket) = table.get(&(query.0 >> shift & mask)) else { continue };
            for &id in bucket {
                let stored = self.fingerprints[id as usize];
                if stored.is_within(query, self.max_distance) {
                    hits.push((id, stored.hamming_distance(query)));
                }
            }
        }
        // A fingerprint that agrees on several blocks was found several times.
        hits.sort_unstable();
        hits.dedup();
    }

    /// How many fingerprints are stored.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether no fingerprint is stored.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// The stored fingerprint with this id.
    pub fn get(&self, id: u32) -> Option<Fingerprint> {
        self.fingerprints.get(id as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute_force(stored: &[Fingerprint], query: Fingerprint, k: u32) -> Vec<(u32, u32)> {
        (0..stored.len() as u32)
            .map(|i| (i, stored[i as usize].hamming_distance(query)))
            .filter(|&(_, d)| d <= k)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn query_equals_brute_force(
            base in proptest::collection::vec(any::<u64>(), 1..40),
            flips in proptest::collection::vec((0usize..40, proptest::collection::vec(0u32..64, 0..8)), 0..80),
            k in 0u32..8,
        ) {
            // Near neighbours: copies of the base fingerprints with a few bits flipped.
            let mut stored: Vec<Fingerprint> = base.iter().map(|&b| Fingerprint(b)).collect();
            for (which, bits) in &flips {
                let mut f = base[which % base.len()];
                for bit in bits { f ^= 1 << bit; }
                stored.push(Fingerprint(f));
            }
            let mut index = HammingIndex::from_fingerprints(k, &stored[..stored.len() / 2]).unwrap();
            for &f in &stored[stored.len() / 2..] { index.insert(f); }
            for &query in &stored {
                prop_assert_eq!(index.query(query), brute_force(&stored, query, k));
            }
        }
    }

    #[test]
    fn rejects_too_large_distance() {
        assert!(HammingIndex::new(16).is_err());
        assert!(HammingIndex::new(0).is_ok());
    }
}
