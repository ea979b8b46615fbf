//! Scoring article pairs and clustering them into events and stories
//! (stage 5).
//!
//! See DESIGN.md for the algorithm and the measurements that chose it. In
//! short, one module a step:
//!
//! 1. **Prepare** (`prepare`, parallel): fold titles and paragraphs; count
//!    document frequencies of title/lead bigrams, words and paragraph
//!    n-grams; build IDF-weighted bigram and word vectors of the title and
//!    of title + lead, and a simhash of every paragraph long enough.
//! 2. **Candidates** (`candidates`), never all pairs: articles with a
//!    paragraph within `max_distance` bits (from a [`HammingIndex`]), and
//!    articles sharing one of their most distinctive terms within the time
//!    window (blocking).
//! 3. **Evidence** (`evidence`, parallel): the [`Features`] of each
//!    candidate pair.
//! 4. **Model** (`model`): a logistic regression turns features into the
//!    probability that the pair reports one event; outside the time window
//!    only copies link, scored by their coverage.
//! 5. **Clustering** (`linkage`): average linkage over the probabilities,
//!    cut at the model's event threshold (events) and, going on, at its
//!    story threshold (stories, unions of whole events).
//!
//! [`Stream`] (`stream`) applies the same steps one article at a time.
//!
//! [`HammingIndex`]: crate::HammingIndex

use std::collections::HashMap;

mod candidates;
mod config;
mod evidence;
mod frequencies;
mod linkage;
mod model;
mod prepare;
mod stream;
mod training;
mod vectors;

pub use config::{ClustererBuilder, Signals};
pub use evidence::{Evidence, Link, ParagraphMatch, SharedTerm};
pub use frequencies::Frequencies;
pub use model::{Contribution, Feature, Features, Model};
pub use stream::{Placement, Stream, StreamState};
pub use training::{HeldOut, Trainer, TrainingPairs};
pub use vectors::Vectors;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::ingest::{Article, ArticleId};
use crate::normalize::Normalizer;
use crate::parallel::Workers;
use crate::progress::Stage;
use evidence::PairEvidence;
use linkage::{PAIR_FLOOR, Partition, average_linkage};
use prepare::{Prepared, TOP_WORDS};

/// Clusters articles into events.
///
/// # Examples
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let jsonl = include_bytes!("../../tests/fixtures/sample/exports.jsonl");
/// let articles = Loader::new().parse_bytes("exports.jsonl".as_ref(), jsonl).unwrap();
/// let clustering = Clusterer::new().cluster(&articles).unwrap();
/// // Every article is in exactly one cluster.
/// let placed: usize = clustering.clusters.iter().map(Vec::len).sum();
/// assert_eq!(placed, articles.len());
/// ```
#[derive(Debug, Clone)]
pub struct Clusterer {
    pub(crate) config: ClustererBuilder,
    pub(crate) workers: Workers,
}

/// The result of clustering: events, the stories they belong to, and the
/// evidence for every link.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Clustering {
    /// Events: clusters of article ids, each sorted; clusters sorted by
    /// their smallest id. Singletons are included: every input is in one
    /// cluster.
    pub clusters: Vec<Vec<ArticleId>>,
    /// Stories: each a sorted list of indices into
    /// [`clusters`](Self::clusters), the events of one thread (an action,
    /// the reactions, the follow-ups); stories sorted by their first event.
    /// Every event is in exactly one story.
    pub stories: Vec<Vec<usize>>,
    /// Every pair scored at or above the model's event threshold, and every
    /// other pair of articles in one event (so that
    /// [`explain`](Self::explain) answers for any two of them); sorted by
    /// `a`, then `b`.
    pub links: Vec<Link>,
    /// Candidate pairs scored (for measuring the blocking).
    pub candidates: usize,
}

impl Clustering {
    /// The scored pair of two articles: for any two articles of one event,
    /// and for any other pair scored at or above the event threshold;
    /// `None` otherwise.
    pub fn explain(&self, a: ArticleId, b: ArticleId) -> Option<&Link> {
        let key = (a.min(b), a.max(b));
        self.links.binary_search_by(|l| (l.a, l.b).cmp(&key)).ok().map(|i| &self.links[i])
    }

    /// The index in [`Clustering::clusters`] of every article, by id.
    pub fn cluster_index(&self) -> HashMap<ArticleId, usize> {
        let mut index = HashMap::new();
        for (i, cluster) in self.clusters.iter().enumerate() {
            for &id in cluster {
                index.insert(id, i);
            }
        }
        index
    }

    /// The index in [`Clustering::stories`] of every article, by id.
    pub fn story_index(&self) -> HashMap<ArticleId, usize> {
        let mut index = HashMap::new();
        for (s, story) in self.stories.iter().enumerate() {
            for &c in story {
                for &id in &self.clusters[c] {
                    index.insert(id, s);
                }
            }
        }
        index
    }
}

/// What [`Clusterer::score`] finds in some articles: every scored pair
/// that clustering weighs, and the links among them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Scores {
    /// Every candidate pair scored at least 0.02 (lower scores count for
    /// nothing in clustering), sorted by `a`, then `b`.
    pub pairs: Vec<ScoredPair>,
    /// The pairs scored at or above the model's event threshold, with their
    /// evidence; sorted by `a`, then `b`.
    pub links: Vec<Link>,
    /// Candidate pairs scored.
    pub candidates: usize,
}

/// The probability that two articles report one event (`a < b`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoredPair {
    /// One article.
    pub a: ArticleId,
    /// The other.
    pub b: ArticleId,
    /// The model's probability, in 0..=1.
    pub score: f32,
}

/// Events and stories made by [`Clusterer::group`] from scored pairs, as
/// in a [`Clustering`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Groups {
    /// Events, as [`Clustering::clusters`].
    pub clusters: Vec<Vec<ArticleId>>,
    /// Stories, as [`Clustering::stories`].
    pub stories: Vec<Vec<usize>>,
}

/// A scored candidate: positions, score, and its link when the score
/// reaches the event threshold.
type Scored = (u32, u32, f32, Option<Link>);

/// Every pair `(a, b)`, `a < b`, of positions in one event, sorted.
fn within_events(event: &[u32]) -> Vec<(u32, u32)> {
    let mut members: FastMap<u32, Vec<u32>> = FastMap::default();
    for (i, &e) in event.iter().enumerate() {
        members.entry(e).or_default().push(i as u32);
    }
    let mut pairs: Vec<(u32, u32)> = members
        .values()
        .filter(|m| m.len() > 1)
        .flat_map(|m| {
            m.iter().enumerate().flat_map(move |(k, &x)| m[k + 1..].iter().map(move |&y| (x, y)))
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Events and stories as ids: events sorted by their smallest id, each
/// story the sorted indices of its events.
fn named(
    ids: impl Iterator<Item = ArticleId>,
    partition: &Partition,
) -> (Vec<Vec<ArticleId>>, Vec<Vec<usize>>) {
    let mut events: FastMap<u32, Vec<ArticleId>> = FastMap::default();
    let mut story_of: FastMap<u32, u32> = FastMap::default();
    for (i, id) in ids.enumerate() {
        events.entry(partition.event[i]).or_default().push(id);
        story_of.insert(partition.event[i], partition.story[i]);
    }
    let mut clusters: Vec<(u32, Vec<ArticleId>)> = events.into_iter().collect();
    for (_, ids) in &mut clusters {
        ids.sort_unstable();
    }
    clusters.sort_unstable_by_key(|c| c.1[0]);
    let mut stories: FastMap<u32, Vec<usize>> = FastMap::default();
    for (index, (event, _)) in clusters.iter().enumerate() {
        stories.entry(story_of[event]).or_default().push(index);
    }
    let mut stories: Vec<Vec<usize>> = stories.into_values().collect();
    stories.sort_unstable_by_key(|s| s[0]);
    (clusters.into_iter().map(|c| c.1).collect(), stories)
}

/// Hash maps keyed by feature hashes (already uniform 64-bit values), or by
/// small integers: FxHash instead of SipHash, which showed up as a tenth of
/// the clustering time.
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Candidate pairs scored per round between progress reports.
pub(super) const SCORE_ROUND: usize = 1 << 16;

/// Articles prepared per round: the paragraph features of one round are
/// held at a time, which bounds the memory of preparation.
pub(super) const PREPARE_ROUND: usize = 4096;

/// A paragraph with more near-duplicates than this in the whole input is
/// boilerplate whatever their times (see `Clusterer::paragraph_matches`).
pub(super) const BOILERPLATE_MATCHES: usize = 2000;

/// A blocking term held by more articles than this inside the window is too
/// common to block on (keeps candidate generation near-linear).
pub(super) const MAX_BLOCK_POSTINGS: usize = 200;

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new()
    }
}

impl Clusterer {
    /// A clusterer with the default settings.
    pub fn new() -> Clusterer {
        // The defaults are in range (checked by a test).
        ClustererBuilder::default().build().expect("default settings are valid")
    }

    /// A builder for the settings.
    pub fn builder() -> ClustererBuilder {
        ClustererBuilder::default()
    }

    /// Clusters `articles` into events and stories. Clusters and links
    /// name articles by [`Article::id`], so the ids must be distinct: the
    /// articles of one [`Loader`](crate::Loader) are.
    ///
    /// # Errors
    ///
    /// `duplicate_id` ([`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId))
    /// when two articles share an id (articles of two loaders, or ids set by
    /// hand), naming it and their positions: clusters and links could not
    /// say which article they mean.
    ///
    /// # Examples
    ///
    /// ```
    /// use zhdedup::{Clusterer, Loader, Record};
    /// // Two loaders both number from 0.
    /// let a = Loader::new().parse_record(&Record::new("一")).unwrap();
    /// let b = Loader::new().parse_record(&Record::new("二")).unwrap();
    /// let err = Clusterer::new().cluster(&[a, b]).unwrap_err();
    /// assert_eq!(err.to_string(), "articles 0 and 1 of the input share the id 0");
    /// ```
    pub fn cluster(&self, articles: &[Article]) -> Result<Clustering, Error> {
        check_ids(ids(articles))?;
        Ok(self.cluster_prepared(articles, self.prepare(articles, None)))
    }

    /// Like [`Clusterer::cluster`], with a vector per article that the
    /// model weighs as [`Feature::Vector`] (articles without one get the
    /// model's default value for the feature).
    ///
    /// # Errors
    ///
    /// As [`Clusterer::cluster`]; and when the model does not weigh vectors
    /// (train one with them: [`Trainer::vectors`]).
    pub fn cluster_with_vectors(
        &self,
        articles: &[Article],
        vectors: &Vectors,
    ) -> Result<Clustering, Error> {
        self.check_vectors()?;
        check_ids(ids(articles))?;
        Ok(self.cluster_prepared(articles, self.prepare(articles, Some(vectors))))
    }

    /// Vectors need a model that weighs them: without one they would be
    /// read and silently ignored.
    pub(super) fn check_vectors(&self) -> Result<(), Error> {
        if self.config.model.uses_vectors() {
            Ok(())
        } else {
            Err(Error::config("the model does not weigh vectors: train one with vectors"))
        }
    }

    /// The document frequencies of `articles`, for
    /// [`ClustererBuilder::frequencies`]: what clustering them would count.
    /// Counting parts of an archive and [merging](Frequencies::merge) them
    /// gives the counts of the whole.
    pub fn frequencies(&self, articles: &[Article]) -> Frequencies {
        self.count(articles)
    }

    /// Scores the candidate pairs of `articles` without clustering them:
    /// the first half of [`Clusterer::cluster`], for a job that scores
    /// parts of an archive (time windows, with the whole archive's
    /// [`Frequencies`]) and then [groups](Clusterer::group) the pairs of
    /// all the parts at once.
    ///
    /// # Errors
    ///
    /// As [`Clusterer::cluster`].
    ///
    /// # Examples
    ///
    /// ```
    /// use zhdedup::{Clusterer, Loader};
    /// let jsonl = include_bytes!("../../tests/fixtures/sample/exports.jsonl");
    /// let articles = Loader::new().parse_bytes("exports.jsonl".as_ref(), jsonl).unwrap();
    /// let clusterer = Clusterer::new();
    /// let scores = clusterer.score(&articles).unwrap();
    /// let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
    /// let groups = clusterer.group(&ids, &scores.pairs).unwrap();
    /// assert_eq!(groups.clusters, clusterer.cluster(&articles).unwrap().clusters);
    /// ```
    pub fn score(&self, articles: &[Article]) -> Result<Scores, Error> {
        check_ids(ids(articles))?;
        Ok(self.score_prepared(articles, self.prepare(articles, None)))
    }

    /// Like [`Clusterer::score`], with a vector per article, as
    /// [`Clusterer::cluster_with_vectors`] weighs them: a windowed job
    /// scores each window with the vectors of its articles.
    ///
    /// # Errors
    ///
    /// As [`Clusterer::cluster_with_vectors`].
    pub fn score_with_vectors(
        &self,
        articles: &[Article],
        vectors: &Vectors,
    ) -> Result<Scores, Error> {
        self.check_vectors()?;
        check_ids(ids(articles))?;
        Ok(self.score_prepared(articles, self.prepare(articles, Some(vectors))))
    }

    /// Scores prepared articles (`score`'s work after the checks).
    fn score_prepared(&self, articles: &[Article], mut prepared: Vec<Prepared>) -> Scores {
        let candidates = self.matched(&prepared);
        let count = candidates.len();
        let (scored, mut links) = self.score_candidates(&prepared, &candidates);
        drop(candidates);
        links.sort_by_key(|l| (l.a, l.b));
        self.name_shared_terms(articles, &mut prepared, &mut links);
        let mut pairs: Vec<ScoredPair> = scored
            .into_iter()
            .map(|(a, b, score)| {
                let (x, y) = (prepared[a as usize].id, prepared[b as usize].id);
                ScoredPair { a: x.min(y), b: x.max(y), score }
            })
            .collect();
        pairs.sort_by_key(|p| (p.a, p.b));
        Scores { pairs, links, candidates: count }
    }

    /// Events and stories of the articles `ids` from their scored `pairs`
    /// (from [`Clusterer::score`] of one or more parts), by the same average
    /// linkage and thresholds as [`Clusterer::cluster`]. With the pairs of
    /// the whole input, in `ids` of the input's order, the result is
    /// `cluster`'s: ties between equal means are broken by position in
    /// `ids`. Pairs below 0.02 are ignored, as clustering ignores them.
    ///
    /// # Errors
    ///
    /// `duplicate_id` when an id repeats; `bad_pairs` when a pair names an
    /// article not in `ids` or one article twice, comes twice (either
    /// order), or has a score outside 0..=1.
    pub fn group(&self, ids: &[ArticleId], pairs: &[ScoredPair]) -> Result<Groups, Error> {
        let position = check_ids(ids.iter().copied())?;
        let bad = |why: String| Error::new(ErrorKind::BadPairs(why));
        let mut scored = Vec::with_capacity(pairs.len());
        for p in pairs {
            let at = |id: ArticleId| {
                position
                    .get(&id)
                    .copied()
                    .ok_or_else(|| bad(format!("article {id} is not among the ids")))
            };
            let (x, y) = (at(p.a)?, at(p.b)?);
            if x == y {
                return Err(bad(format!("a pair of article {} with itself", p.a)));
            }
            if !(0.0..=1.0).contains(&p.score) {
                return Err(bad(format!("pair ({}, {}) scores {}", p.a, p.b, p.score)));
            }
            if p.score >= PAIR_FLOOR {
                scored.push((x.min(y), x.max(y), p.score));
            }
        }
        // In position order, as `cluster` gives them: the linkage's float
        // sums then add in the same order.
        scored.sort_unstable_by_key(|p| (p.0, p.1));
        if let Some(w) = scored.windows(2).find(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            let (a, b) = (ids[w[0].0 as usize], ids[w[0].1 as usize]);
            return Err(bad(format!("pair ({a}, {b}) given twice")));
        }
        let model = &self.config.model;
        let partition =
            average_linkage(ids.len(), &scored, model.event_threshold(), model.story_threshold());
        let (clusters, stories) = named(ids.iter().copied(), &partition);
        Ok(Groups { clusters, stories })
    }

    /// Scores candidate pairs (positions): those kept for clustering (at
    /// least [`PAIR_FLOOR`]), and the links (at least the event threshold).
    fn score_candidates(
        &self,
        prepared: &[Prepared],
        candidates: &[((u32, u32), Vec<ParagraphMatch>)],
    ) -> (Vec<(u32, u32, f32)>, Vec<Link>) {
        let progress = &self.config.progress;
        let model = &self.config.model;
        let count = candidates.len();
        let threshold = model.event_threshold();
        let mut scored: Vec<(u32, u32, f32)> = Vec::new();
        let mut links: Vec<Link> = Vec::new();
        progress.report(Stage::Score, 0, count);
        for (round, chunk) in candidates.chunks(SCORE_ROUND).enumerate() {
            let results: Vec<Option<Scored>> = self.workers.map(chunk, |(pair, matches)| {
                let evidence = self.pair_evidence(prepared, *pair, matches);
                let score = evidence.score(model)?;
                let link =
                    (score >= threshold).then(|| self.link(prepared, *pair, evidence, score));
                Some((pair.0, pair.1, score, link))
            });
            for (a, b, score, link) in results.into_iter().flatten() {
                if score >= PAIR_FLOOR {
                    scored.push((a, b, score));
                }
                links.extend(link);
            }
            progress.report(Stage::Score, (round * SCORE_ROUND + chunk.len()).min(count), count);
        }
        (scored, links)
    }

    /// The candidate pairs, reported as the match stage.
    fn matched(&self, prepared: &[Prepared]) -> Vec<((u32, u32), Vec<ParagraphMatch>)> {
        let progress = &self.config.progress;
        progress.report(Stage::Match, 0, 1);
        let candidates = self.candidates(prepared);
        progress.report(Stage::Match, 1, 1);
        candidates
    }

    /// Clusters articles whose ids are distinct, once prepared.
    fn cluster_prepared(&self, articles: &[Article], mut prepared: Vec<Prepared>) -> Clustering {
        let config = &self.config;
        let progress = &config.progress;
        let model = &config.model;
        let candidates = self.matched(&prepared);
        let count = candidates.len();
        let threshold = model.event_threshold();
        let (scored, mut links) = self.score_candidates(&prepared, &candidates);
        progress.report(Stage::Merge, 0, 1);
        let partition =
            average_linkage(prepared.len(), &scored, threshold, model.story_threshold());
        drop(scored);
        // Every pair inside one event gets its evidence, linked or not; the
        // linked ones have it already.
        let linked: FastMap<(ArticleId, ArticleId), ()> =
            links.iter().map(|l| ((l.a, l.b), ())).collect();
        let inside: Vec<(u32, u32)> = within_events(&partition.event)
            .into_iter()
            .filter(|&(a, b)| {
                let (x, y) = (prepared[a as usize].id, prepared[b as usize].id);
                !linked.contains_key(&(x.min(y), x.max(y)))
            })
            .collect();
        let extra: Vec<Link> = self.workers.map(&inside, |&pair| {
            let matches = candidates
                .binary_search_by_key(&pair, |c| c.0)
                .map_or(&[][..], |i| &candidates[i].1[..]);
            let evidence: PairEvidence = self.pair_evidence(&prepared, pair, matches);
            // Outside the window and not a copy: no score, explained at 0.
            let score = evidence.score(model).unwrap_or(0.0);
            self.link(&prepared, pair, evidence, score)
        });
        links.extend(extra);
        links.sort_by_key(|l| (l.a, l.b));
        // Not needed to name the shared terms, which hold the run's peak
        // (120 MiB of 1.4 GiB at 100,000 synthetic articles).
        drop(candidates);
        self.name_shared_terms(articles, &mut prepared, &mut links);
        progress.report(Stage::Merge, 1, 1);
        let (clusters, stories) = named(prepared.iter().map(|p| p.id), &partition);
        Clustering { clusters, stories, links, candidates: count }
    }

    /// Fills in every link's shared terms as each article writes them.
    ///
    /// Frees first what only scoring reads of `prepared` (all but the ids
    /// and top words, 2.6 KB an article): naming was the run's peak, every
    /// link's terms allocated on top of the prepared articles.
    fn name_shared_terms(
        &self,
        articles: &[Article],
        prepared: &mut [Prepared],
        links: &mut [Link],
    ) {
        for p in prepared.iter_mut() {
            p.keep_only_words();
        }
        let prepared = &*prepared;
        let position: FastMap<ArticleId, usize> =
            prepared.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        // The words each article must name: its shared words over all its
        // links, as bits over its top words. (Listing them once per link,
        // and a `String` per form below, took 120 MiB of temporaries at
        // 100,000 synthetic articles.)
        const _: () = assert!(TOP_WORDS <= 32);
        let mut wanted: Vec<u32> = vec![0; prepared.len()];
        for link in links.iter() {
            let (a, b) = (position[&link.a], position[&link.b]);
            for word in prepared[a].shared_words(&prepared[b]) {
                for i in [a, b] {
                    if let Ok(k) = prepared[i].top_words.binary_search(&word) {
                        wanted[i] |= 1 << k;
                    }
                }
            }
        }
        // Every article's forms, in one buffer: `ranges[i]` is article i's
        // slice of `forms`, each form its word and the end of its text in
        // `text`.
        let mut ranges: Vec<(usize, usize)> = vec![(0, 0); prepared.len()];
        let mut forms: Vec<(u64, usize)> = Vec::new();
        let mut text = String::new();
        let jobs: Vec<usize> = (0..prepared.len()).filter(|&i| wanted[i] != 0).collect();
        for round in jobs.chunks(PREPARE_ROUND) {
            let found: Vec<Vec<(u64, String)>> = self.workers.map(round, |&i| {
                let top = &prepared[i].top_words;
                // Sorted, as the top words are.
                let words: Vec<u64> =
                    (0..top.len()).filter(|&k| wanted[i] >> k & 1 == 1).map(|k| top[k]).collect();
                self.word_forms(&articles[i], &words)
            });
            for (&i, article_forms) in round.iter().zip(found) {
                let start = forms.len();
                for (hash, form) in article_forms {
                    text.push_str(&form);
                    forms.push((hash, text.len()));
                }
                ranges[i] = (start, forms.len());
            }
        }
        // Form `k` as (word, text).
        let form = |k: usize| {
            let begin = if k == 0 { 0 } else { forms[k - 1].1 };
            (forms[k].0, &text[begin..forms[k].1])
        };
        let terms = |link: &Link| -> Vec<SharedTerm> {
            let (a, b) = (position[&link.a], position[&link.b]);
            let words = prepared[a].shared_words(&prepared[b]);
            let (fa, fb) = (ranges[a].0..ranges[a].1, ranges[b].0..ranges[b].1);
            // In the order the first article writes them.
            let pairs: Vec<(usize, usize)> = fa
                .filter(|&x| words.contains(&forms[x].0))
                .filter_map(|x| Some((x, fb.clone().find(|&y| forms[y].0 == forms[x].0)?)))
                .collect();
            // Allocated at its length: collecting a filtered iterator
            // grows by doubling.
            let mut terms = Vec::with_capacity(pairs.len());
            for (x, y) in pairs {
                terms.push(SharedTerm { a: form(x).1.to_string(), b: form(y).1.to_string() });
            }
            terms
        };
        // On the workers: their allocator arenas hold the memory the
        // prepared vectors just freed (made on the calling thread, the terms
        // took 210 MiB more at 100,000 synthetic articles).
        for chunk in links.chunks_mut(SCORE_ROUND) {
            let named = self.workers.map(&*chunk, terms);
            for (link, terms) in chunk.iter_mut().zip(named) {
                link.evidence.shared_terms = terms;
            }
        }
    }

    fn normalizer(&self) -> &Normalizer {
        // Set by `build`.
        self.config.normalizer.as_ref().expect("normalizer set by build")
    }
}

/// `duplicate_id` for the first id two articles share (by position of the
/// second), so a caller can find both.
/// Otherwise the position of every id.
fn check_ids(
    ids: impl ExactSizeIterator<Item = ArticleId>,
) -> Result<FastMap<ArticleId, u32>, Error> {
    let mut seen: FastMap<ArticleId, u32> = FastMap::default();
    seen.reserve(ids.len());
    for (position, id) in ids.enumerate() {
        if let Some(&first) = seen.get(&id) {
            return Err(Error::new(ErrorKind::DuplicateId {
                id,
                positions: [first as usize, position],
            }));
        }
        seen.insert(id, position as u32);
    }
    Ok(seen)
}

/// The ids of `articles`, in order.
fn ids(articles: &[Article]) -> impl ExactSizeIterator<Item = ArticleId> + '_ {
    articles.iter().map(|a| a.id)
}
