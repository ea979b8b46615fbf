//! Corpus-wide document frequencies, counted once and given to clusterers
//! that each see a part of the archive (the time windows of a Spark job), so
//! that every part weighs terms, and so scores pairs, as one run over the
//! whole archive would.

use super::FastMap;
use crate::error::{Error, ErrorKind};
use crate::parallel::Workers;

/// How many articles hold each title/lead bigram, title/lead word and
/// paragraph n-gram: what a clusterer weighs terms by.
///
/// [`Clusterer::frequencies`](crate::Clusterer::frequencies) counts them
/// for some articles; [`merge`](Self::merge) adds the counts of disjoint
/// parts, in any order, to the counts of the whole;
/// [`ClustererBuilder::frequencies`](crate::ClustererBuilder::frequencies)
/// makes a clusterer use them in place of counting its input's.
/// [`to_bytes`](Self::to_bytes) and [`from_bytes`](Self::from_bytes) move
/// them between processes.
///
/// The counts depend on the folding settings (`ngram`, `lead_chars`,
/// `min_paragraph_chars` and the normalizer): the first three are recorded
/// and checked by the clusterer that uses them; the normalizer must be the
/// same by the caller's care.
///
/// # Examples
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let jsonl = include_bytes!("../../tests/fixtures/sample/exports.jsonl");
/// let articles = Loader::new().parse_bytes("exports.jsonl".as_ref(), jsonl).unwrap();
/// let clusterer = Clusterer::new();
/// let (first, rest) = articles.split_at(2);
/// let mut counts = clusterer.frequencies(first);
/// counts.merge(&clusterer.frequencies(rest));
/// assert_eq!(counts, clusterer.frequencies(&articles));
///
/// // Clustering part of the input with the whole input's counts.
/// let counts = zhdedup::Frequencies::from_bytes(&counts.to_bytes()).unwrap();
/// let windowed = Clusterer::builder().frequencies(counts).build().unwrap();
/// assert_eq!(windowed.cluster(&articles).unwrap().clusters,
///            clusterer.cluster(&articles).unwrap().clusters);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frequencies {
    pub(super) articles: u64,
    pub(super) settings: Settings,
    pub(super) terms: FastMap<u64, u32>,
    pub(super) words: FastMap<u64, u32>,
    pub(super) ngrams: FastMap<u64, u32>,
}

/// The settings the counts depend on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Settings {
    pub(super) ngram: u32,
    pub(super) lead_chars: u32,
    pub(super) min_paragraph_chars: u32,
}

/// Adds `by` to the count of `hash`, saturating at `u32::MAX`.
fn bump(counts: &mut FastMap<u64, u32>, hash: u64, by: u32) {
    let count = counts.entry(hash).or_default();
    *count = count.saturating_add(by);
}

/// The top bits of a hash that choose its shard.
const SHARD_BITS: u32 = 4;

/// How many shards a table of n-grams is split into.
pub(super) const SHARDS: usize = 1 << SHARD_BITS;

/// The shard of an n-gram hash: its top bits, so that a list sorted by
/// hash holds each shard's hashes in one run.
pub(super) fn shard_of(hash: u64) -> usize {
    (hash >> (u64::BITS - SHARD_BITS)) as usize
}

/// Paragraph n-gram counts split by hash into [`SHARDS`] tables, so that
/// threads count one round's articles at once, each into its own tables.
/// Counted into one table, on the calling thread, they were a seventh of a
/// corpus run's wall time with two threads (each article's few hundred
/// n-grams, a cache miss each), and the other thread waited. Counts are
/// integers: the result does not depend on the order or the threads.
#[derive(Debug, Default)]
pub(super) struct NgramCounts(Vec<FastMap<u64, u32>>);

impl NgramCounts {
    pub(super) fn new() -> NgramCounts {
        NgramCounts(vec![FastMap::default(); SHARDS])
    }

    /// Counts each list's n-grams once; each list is one article's, sorted
    /// by hash without repeats.
    pub(super) fn count(&mut self, lists: &[Vec<u64>], workers: &Workers) {
        let mut shards: Vec<(usize, &mut FastMap<u64, u32>)> =
            self.0.iter_mut().enumerate().collect();
        workers.for_each_mut(&mut shards, |(shard, counts)| {
            for list in lists {
                let start = list.partition_point(|&h| shard_of(h) < *shard);
                let end = start + list[start..].partition_point(|&h| shard_of(h) == *shard);
                list[start..end].iter().for_each(|&hash| bump(counts, hash, 1));
            }
        });
    }

    /// The tables, shard by shard.
    pub(super) fn into_shards(self) -> Vec<FastMap<u64, u32>> {
        self.0
    }
}

/// The first bytes of [`Frequencies::to_bytes`]: a name and a format version.
const MAGIC: &[u8; 8] = b"zhdfreq1";

impl Frequencies {
    /// Counts one more article's title/lead bigrams and words (sorted by
    /// hash, each once); its paragraph n-grams are counted apart
    /// ([`NgramCounts`]).
    pub(super) fn add(&mut self, terms: &[(u64, f32)], words: &[(u64, f32)]) {
        self.articles += 1;
        terms.iter().for_each(|&(hash, _)| bump(&mut self.terms, hash, 1));
        words.iter().for_each(|&(hash, _)| bump(&mut self.words, hash, 1));
    }

    /// Takes in n-gram counts made apart (of the articles already counted
    /// by [`add`](Self::add)).
    pub(super) fn add_ngrams(&mut self, counts: NgramCounts) {
        let shards = counts.into_shards();
        self.ngrams.reserve(shards.iter().map(FastMap::len).sum());
        for shard in shards {
            shard.into_iter().for_each(|(hash, df)| bump(&mut self.ngrams, hash, df));
        }
    }

    /// `config` unless `other` was counted with the same folding settings
    /// (or counted nothing, and so holds none).
    pub(super) fn check_settings(&self, other: &Frequencies) -> Result<(), Error> {
        if self.articles > 0 && other.articles > 0 && self.settings != other.settings {
            return Err(Error::config(
                "frequencies counted with other ngram, lead_chars or min_paragraph_chars",
            ));
        }
        Ok(())
    }

    /// How many articles were counted.
    pub fn articles(&self) -> u64 {
        self.articles
    }

    /// How many distinct terms are counted (bigrams, words and n-grams), the
    /// size of the table: about 12 bytes each in [`to_bytes`](Self::to_bytes).
    pub fn len(&self) -> usize {
        self.terms.len() + self.words.len() + self.ngrams.len()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.articles == 0
    }

    /// Adds the counts of `other`, articles that `self` has not counted.
    /// Counts saturate at `u32::MAX`.
    ///
    /// # Errors
    ///
    /// `config` when the two were counted with other folding settings.
    pub fn merge(&mut self, other: &Frequencies) -> Result<(), Error> {
        self.check_settings(other)?;
        if self.articles == 0 {
            self.settings = other.settings;
        }
        self.articles = self.articles.saturating_add(other.articles);
        for (mine, theirs) in [
            (&mut self.terms, &other.terms),
            (&mut self.words, &other.words),
            (&mut self.ngrams, &other.ngrams),
        ] {
            mine.reserve(theirs.len());
            theirs.iter().for_each(|(&hash, &df)| bump(mine, hash, df));
        }
        Ok(())
    }

    /// Drops the terms held by one article: a clusterer weighs them as it
    /// weighs a term it has never seen, so the scores do not change, and on
    /// the corpus they are 60% of the table. Only for the counts of the
    /// whole archive: a part's count of 1 may become 2 in a merge.
    pub fn prune(&mut self) {
        for map in [&mut self.terms, &mut self.words, &mut self.ngrams] {
            map.retain(|_, df| *df > 1);
            map.shrink_to_fit();
        }
    }

    /// The counts as bytes, for [`from_bytes`](Self::from_bytes): a header,
    /// then each table sorted by hash (the same counts give the same bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MAGIC.len() + 28 + 12 * self.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.articles.to_le_bytes());
        let s = self.settings;
        for value in [s.ngram, s.lead_chars, s.min_paragraph_chars] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        for map in [&self.terms, &self.words, &self.ngrams] {
            let mut entries: Vec<(u64, u32)> = map.iter().map(|(&h, &df)| (h, df)).collect();
            entries.sort_unstable();
            out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
            for (hash, df) in entries {
                out.extend_from_slice(&hash.to_le_bytes());
                out.extend_from_slice(&df.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`to_bytes`](Self::to_bytes)' output.
    ///
    /// # Errors
    ///
    /// `bad_frequencies` when the bytes are not such output (another
    /// version, cut short, or altered): the header, the table lengths
    /// against the bytes, and that each table is sorted without repeats
    /// are checked.
    pub fn from_bytes(bytes: &[u8]) -> Result<Frequencies, Error> {
        let bad = |why: &str| Error::new(ErrorKind::BadFrequencies(why.to_string()));
        let mut rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| bad("not zhdedup frequencies (or another version)"))?;
        let mut take = |n: usize| -> Result<&[u8], Error> {
            if rest.len() < n {
                return Err(bad("cut short"));
            }
            let (head, tail) = rest.split_at(n);
            rest = tail;
            Ok(head)
        };
        let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let u32_of = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("4 bytes"));
        let articles = u64_of(take(8)?);
        let settings = Settings {
            ngram: u32_of(take(4)?),
            lead_chars: u32_of(take(4)?),
            min_paragraph_chars: u32_of(take(4)?),
        };
        let mut maps: [FastMap<u64, u32>; 3] = Default::default();
        for map in &mut maps {
            let len = u64_of(take(8)?);
            // Checked against the bytes before allocating, so a hostile
            // length cannot ask for more memory than the input holds.
            let bytes = usize::try_from(len)
                .ok()
                .and_then(|n| n.checked_mul(12))
                .ok_or_else(|| bad("table longer than the input"))?;
            let table = take(bytes)?;
            map.reserve(table.len() / 12);
            let mut last = None;
            for entry in table.chunks_exact(12) {
                let hash = u64_of(&entry[..8]);
                if last.is_some_and(|l| l >= hash) {
                    return Err(bad("table not sorted by hash"));
                }
                last = Some(hash);
                map.insert(hash, u32_of(&entry[8..]));
            }
        }
        if !rest.is_empty() {
            return Err(bad("bytes after the last table"));
        }
        let [terms, words, ngrams] = maps;
        Ok(Frequencies { articles, settings, terms, words, ngrams })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Frequencies {
        let mut f = Frequencies { articles: 3, ..Frequencies::default() };
        f.settings = Settings { ngram: 3, lead_chars: 240, min_paragraph_chars: 24 };
        f.terms.insert(7, 2);
        f.words.insert(u64::MAX, 1);
        f.ngrams.extend([(1, 3), (2, 1)]);
        f
    }

    #[test]
    fn bytes_round_trip_and_bad_bytes_are_refused() {
        let f = sample();
        let bytes = f.to_bytes();
        assert_eq!(Frequencies::from_bytes(&bytes).unwrap(), f);
        for cut in 0..bytes.len() {
            let err = Frequencies::from_bytes(&bytes[..cut]).unwrap_err();
            assert_eq!(err.reason(), "bad_frequencies", "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Frequencies::from_bytes(&longer).is_err());
        // A table length that would overflow the byte count.
        let mut huge = bytes[..36].to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(Frequencies::from_bytes(&huge).is_err());
    }

    #[test]
    fn merge_adds_and_checks_settings() {
        let mut f = sample();
        f.merge(&sample()).unwrap();
        assert_eq!((f.articles, f.ngrams[&1], f.terms[&7]), (6, 6, 4));
        let mut other = sample();
        other.settings.ngram = 2;
        assert!(f.merge(&other).is_err());
        let mut empty = Frequencies::default();
        empty.merge(&other).unwrap();
        assert_eq!(empty.settings.ngram, 2);
        assert_eq!((f.len(), f.ngrams[&2]), (4, 2));
        let mut once = sample();
        once.prune();
        assert_eq!((once.len(), once.ngrams.get(&2), once.words.get(&u64::MAX)), (2, None, None));
    }

    #[test]
    fn ngrams_counted_by_shard_are_counted_once_each_whatever_the_threads() {
        // Hashes at both ends of the range and on shard boundaries, in
        // lists sorted by hash as each article's are.
        let edge = 1u64 << (u64::BITS - SHARD_BITS);
        let lists: Vec<Vec<u64>> = vec![
            vec![0, 5, edge - 1, edge, 3 * edge + 7, u64::MAX],
            vec![],
            vec![5, edge, u64::MAX - 1, u64::MAX],
            vec![edge - 1],
        ];
        let mut expected: FastMap<u64, u32> = FastMap::default();
        for &h in lists.iter().flatten() {
            *expected.entry(h).or_default() += 1;
        }
        for threads in [1, 2] {
            let mut counts = NgramCounts::new();
            counts.count(&lists, &Workers::new(threads));
            counts.count(&lists[..1], &Workers::new(threads));
            let shards = counts.into_shards();
            assert_eq!(shards.len(), SHARDS);
            for (s, shard) in shards.iter().enumerate() {
                assert!(shard.keys().all(|&h| shard_of(h) == s));
            }
            let mut f = Frequencies::default();
            f.add_ngrams(NgramCounts(shards));
            let mut twice = expected.clone();
            lists[0].iter().for_each(|h| *twice.get_mut(h).unwrap() += 1);
            assert_eq!(f.ngrams, twice, "{threads} threads");
        }
        assert_eq!((shard_of(0), shard_of(edge - 1), shard_of(edge)), (0, 0, 1));
        assert_eq!(shard_of(u64::MAX), SHARDS - 1);
    }
}
