//! Scoring article pairs and clustering them into events (stage 5).
//!
//! See DESIGN.md for the algorithm, every threshold and the measurements
//! that chose them. In short:
//!
//! 1. **Prepare** (parallel): fold titles and paragraphs; count document
//!    frequencies of title/lead bigrams and paragraph n-grams; build an
//!    IDF-weighted bigram vector of the title and of title + lead, and an
//!    IDF-weighted simhash of every paragraph long enough to mean something.
//! 2. **Candidates**, never all pairs: articles with a paragraph within
//!    `max_distance` bits (from a [`HammingIndex`]), and articles sharing one
//!    of their most distinctive terms within the time window (blocking).
//! 3. **Score** (parallel): paragraph coverage of both articles (by
//!    near-duplicate paragraphs holding the same numbers), title and lead
//!    cosine (discounted between two articles of one outlet), time gap; a
//!    pair above the link threshold is a link, with its [`Evidence`].
//!    Outside the time window only copies link.
//! 4. **Cluster**: links in descending score order merge two clusters only
//!    when at least `min_link_share` of the pairs between them are links
//!    (average-link style), so one weak link cannot chain two large events
//!    together. [`Stream`] applies the same rule one article at a time.

use std::collections::HashMap;

mod stream;
pub use stream::{Placement, Stream};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fingerprint::{Fingerprint, feature_hash, for_each_feature, simhash};
use crate::index::HammingIndex;
use crate::ingest::{Article, ArticleId};
use crate::normalize::Normalizer;
use crate::parallel::Workers;
use crate::progress::{Progress, Reporter, Stage};

/// Which signals the scorer uses (all by default); switching one off is how
/// the ablation table in DESIGN.md is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signals {
    /// Near-duplicate paragraphs (simhash) as candidates and as evidence.
    pub paragraphs: bool,
    /// Title cosine.
    pub title: bool,
    /// Title + lead cosine.
    pub content: bool,
    /// The publish-time window and decay.
    pub time: bool,
    /// The same-outlet discount on title and lead similarity.
    pub outlet: bool,
    /// Copies linked across the time window (see
    /// [`ClustererBuilder::copy_coverage`]).
    pub copies: bool,
}

impl Default for Signals {
    fn default() -> Self {
        Signals {
            paragraphs: true,
            title: true,
            content: true,
            time: true,
            outlet: true,
            copies: true,
        }
    }
}

/// Builds a [`Clusterer`]; every setting is checked by [`ClustererBuilder::build`].
#[derive(Debug, Clone)]
pub struct ClustererBuilder {
    normalizer: Option<Normalizer>,
    ngram: usize,
    max_distance: u32,
    min_paragraph_chars: usize,
    max_paragraph_matches: usize,
    lead_chars: usize,
    blocking_terms: usize,
    max_gap_hours: f32,
    copy_coverage: f32,
    link_threshold: f32,
    content_weight: f32,
    min_link_share: f32,
    same_outlet_factor: f32,
    signals: Signals,
    threads: usize,
    progress: Reporter,
}

impl Default for ClustererBuilder {
    fn default() -> Self {
        ClustererBuilder {
            normalizer: None,
            ngram: 3,
            max_distance: 3,
            min_paragraph_chars: 24,
            max_paragraph_matches: 40,
            lead_chars: 240,
            blocking_terms: 24,
            max_gap_hours: 48.0,
            copy_coverage: 0.8,
            link_threshold: 0.14,
            content_weight: 0.5,
            min_link_share: 0.25,
            same_outlet_factor: 0.5,
            signals: Signals::default(),
            threads: 0,
            progress: Reporter::default(),
        }
    }
}

impl ClustererBuilder {
    /// The normalizer to fold text with (default: [`Normalizer::new`]).
    pub fn normalizer(&mut self, normalizer: Normalizer) -> &mut Self {
        self.normalizer = Some(normalizer);
        self
    }

    /// Character n-gram length for paragraph fingerprints (default 3; 1..=8).
    pub fn ngram(&mut self, n: usize) -> &mut Self {
        self.ngram = n;
        self
    }

    /// Paragraphs within this many bits match (inclusive; default 3; ≤ 15).
    pub fn max_distance(&mut self, bits: u32) -> &mut Self {
        self.max_distance = bits;
        self
    }

    /// Paragraphs shorter than this (characters) get no fingerprint: short
    /// lines (datelines, credits) match by chance (default 24).
    pub fn min_paragraph_chars(&mut self, chars: usize) -> &mut Self {
        self.min_paragraph_chars = chars;
        self
    }

    /// A paragraph that matches more than this many others within its time
    /// window is boilerplate that the rule table missed and is ignored
    /// (default 40).
    pub fn max_paragraph_matches(&mut self, matches: usize) -> &mut Self {
        self.max_paragraph_matches = matches;
        self
    }

    /// How many body characters after the title make the "lead" (default 240).
    pub fn lead_chars(&mut self, chars: usize) -> &mut Self {
        self.lead_chars = chars;
        self
    }

    /// How many of an article's most distinctive title and lead terms it is
    /// blocked on (default 24; 1..=256): two articles are compared when they
    /// share one of these, or a paragraph. More terms find more of the pairs
    /// that report one event at more cost (on the development day, 12, 24
    /// and 48 terms make 74%, 93% and 99% of its same-event pairs
    /// candidates; DESIGN.md, "Candidates"). They are also the terms a link
    /// shows as shared.
    pub fn blocking_terms(&mut self, terms: usize) -> &mut Self {
        self.blocking_terms = terms;
        self
    }

    /// Articles published further apart than this are linked only as
    /// copies (see [`ClustererBuilder::copy_coverage`]); default 48 hours;
    /// articles without a time are not limited.
    pub fn max_gap_hours(&mut self, hours: f32) -> &mut Self {
        self.max_gap_hours = hours;
        self
    }

    /// Two articles published further apart than `max_gap_hours` are linked
    /// when at least this share of their text (the mean over the two) is
    /// near-duplicate paragraphs of the other, every one of them holding the same numbers
    /// as its match (and at least one holding some): a republished, revised
    /// or re-exported copy is the same report whatever its date, while a
    /// recurring report is its template with new numbers (default 0.8;
    /// 0..=1; 1 asks for every paragraph; [`Signals::copies`] turns copies
    /// across the window off).
    pub fn copy_coverage(&mut self, share: f32) -> &mut Self {
        self.copy_coverage = share;
        self
    }

    /// The score at which a pair becomes a link (default 0.14; 0..=1).
    pub fn link_threshold(&mut self, threshold: f32) -> &mut Self {
        self.link_threshold = threshold;
        self
    }

    /// Weight of the lead cosine against the title cosine (default 0.5; 0..=1).
    pub fn content_weight(&mut self, weight: f32) -> &mut Self {
        self.content_weight = weight;
        self
    }

    /// Two clusters merge only when at least this share of the article
    /// pairs between them are links (default 0.25; 0 is single link, 1 is
    /// complete link; 0..=1).
    pub fn min_link_share(&mut self, share: f32) -> &mut Self {
        self.min_link_share = share;
        self
    }

    /// The factor on the title and lead similarity of two articles from
    /// one outlet (default 0.5; 0..=1; 1 is no discount). Paragraph
    /// coverage is not discounted.
    pub fn same_outlet_factor(&mut self, factor: f32) -> &mut Self {
        self.same_outlet_factor = factor;
        self
    }

    /// Which signals to use.
    pub fn signals(&mut self, signals: Signals) -> &mut Self {
        self.signals = signals;
        self
    }

    /// Worker threads (default 0: all cores, in rayon's global pool; 1:
    /// serial; `n`: a pool of `n` threads, built once by
    /// [`build`](Self::build) and shared by the clusterer's clones). Results
    /// are identical for every value.
    pub fn threads(&mut self, threads: usize) -> &mut Self {
        self.threads = threads;
        self
    }

    /// Calls `callback` as the work advances (stages after
    /// [`Stage::Read`]), for a progress bar. Results do not depend on it.
    pub fn progress(&mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> &mut Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// Checks the settings and builds the clusterer.
    ///
    /// # Errors
    ///
    /// A setting out of its documented range.
    pub fn build(&self) -> Result<Clusterer, Error> {
        if !(1..=8).contains(&self.ngram) {
            return Err(Error::config("ngram must be 1 to 8"));
        }
        if !(1..=256).contains(&self.blocking_terms) {
            return Err(Error::config("blocking_terms must be 1 to 256"));
        }
        if self.max_distance > HammingIndex::MAX_DISTANCE {
            return Err(Error::config("max_distance must be at most 15"));
        }
        for (name, value) in [
            ("link_threshold", self.link_threshold),
            ("content_weight", self.content_weight),
            ("min_link_share", self.min_link_share),
            ("same_outlet_factor", self.same_outlet_factor),
            ("copy_coverage", self.copy_coverage),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::config(format!("{name} must be in 0..=1")));
            }
        }
        if self.max_gap_hours.is_nan() || self.max_gap_hours <= 0.0 {
            return Err(Error::config("max_gap_hours must be positive"));
        }
        let mut config = self.clone();
        config.normalizer.get_or_insert_with(Normalizer::new);
        Ok(Clusterer { workers: Workers::new(config.threads), config })
    }
}

/// Clusters articles into events.
///
/// # Examples
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample");
/// let loaded = Loader::new().load_paths(&[dir]);
/// let clustering = Clusterer::new().cluster(&loaded.articles);
/// // Every article is in exactly one cluster.
/// let placed: usize = clustering.clusters.iter().map(Vec::len).sum();
/// assert_eq!(placed, loaded.articles.len());
/// ```
#[derive(Debug, Clone)]
pub struct Clusterer {
    config: ClustererBuilder,
    workers: Workers,
}

/// One matched paragraph pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphMatch {
    /// Paragraph index in the first article.
    pub a: u32,
    /// Paragraph index in the second article.
    pub b: u32,
    /// Hamming distance of their fingerprints.
    pub distance: u32,
}

/// Why two articles were linked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Near-duplicate paragraphs that hold the same numbers (near-duplicates
    /// whose numbers differ are a template, not shared text, and are left
    /// out).
    pub matched_paragraphs: Vec<ParagraphMatch>,
    /// Share of the fingerprinted text in matched paragraphs, the mean over
    /// the two articles (0..=1).
    pub coverage: f32,
    /// That share for each article, `a` then `b`: a short report found whole
    /// in a long one shows as `[1.0, 0.2]` (coverage 0.6).
    pub shares: [f32; 2],
    /// Cosine of the IDF-weighted title bigrams (0..=1).
    pub title_similarity: f32,
    /// Cosine of the IDF-weighted title + lead bigrams (0..=1).
    pub content_similarity: f32,
    /// Hours between the publish times, when both are known.
    pub time_gap_hours: Option<f32>,
    /// Both articles come from one outlet (their title and lead similarity
    /// was discounted by the same-outlet factor).
    pub same_outlet: bool,
    /// The most distinctive terms (folded) both articles share: names,
    /// places, numbers.
    pub shared_terms: Vec<String>,
}

/// A scored pair of articles at or above the link threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The article with the smaller id.
    pub a: ArticleId,
    /// The other article.
    pub b: ArticleId,
    /// The pair's score (0..=1).
    pub score: f32,
    /// What the score is made of.
    pub evidence: Evidence,
}

/// The result of clustering.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Clustering {
    /// Clusters of article ids, each sorted; clusters sorted by their
    /// smallest id. Singletons are included: every input is in one cluster.
    pub clusters: Vec<Vec<ArticleId>>,
    /// Every link found (sorted by `a`, then `b`), including links that did
    /// not merge their clusters.
    pub links: Vec<Link>,
    /// Candidate pairs scored (for measuring the blocking).
    pub candidates: usize,
}

impl Clustering {
    /// The link between two articles, if there is one.
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
}

/// A sparse vector sorted by feature hash, L2-normalised.
///
/// Keys are the low 32 bits of the feature hash: half the memory of 64-bit
/// keys (the vectors are most of what clustering holds, about 2.5 KB an
/// article), and two of the few hundred terms of a pair collide with a
/// chance of about 1 in 50,000, which moves a cosine by one term's weight.
type Sparse = Vec<(u32, f32)>;

/// `terms` (sorted by hash) as a [`Sparse`] vector.
fn sparse(terms: &[(u64, f32)]) -> Sparse {
    let mut v: Sparse = terms.iter().map(|&(h, w)| (h as u32, w)).collect();
    // Stable, so even colliding keys keep one order on every run.
    v.sort_by_key(|e| e.0);
    v
}

fn cosine(a: &Sparse, b: &Sparse) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot.clamp(0.0, 1.0)
}

/// What the first pass of preparation keeps of an article: term counts
/// (sorted by hash) and the folded title + lead to name the top terms.
/// Paragraph features are counted for document frequencies and dropped, so
/// memory does not grow with the text (see `Clusterer::prepare`).
struct Folded {
    title_terms: Vec<(u64, f32)>,
    lead_terms: Vec<(u64, f32)>,
    lead_text: String,
}

/// An article ready for scoring.
struct Prepared {
    id: ArticleId,
    /// The outlet, interned.
    outlet: Option<u32>,
    time_ms: Option<i64>,
    title: Sparse,
    content: Sparse,
    paragraphs: Vec<Paragraph>,
    fingerprinted_chars: u32,
    /// The most distinctive terms, by weight: (hash, text).
    top_terms: Vec<(u64, String)>,
}

/// A fingerprinted paragraph of a [`Prepared`] article.
#[derive(Debug, Clone, Copy)]
struct Paragraph {
    fingerprint: Fingerprint,
    /// Its index in [`Article::paragraphs`].
    index: u32,
    /// Characters, after folding.
    chars: u32,
    /// A hash of the set of numbers it holds (0 for none): a copy keeps its
    /// numbers, a new round of a recurring report changes them.
    numbers: u64,
}

/// One paragraph's features, before its fingerprint is made (the first
/// pass counts them, the second weighs them).
struct ParagraphFeatures<'a> {
    /// Its index in [`Article::paragraphs`].
    index: u32,
    /// Characters, after folding.
    chars: u32,
    /// N-gram feature hashes, sorted and deduplicated.
    features: &'a [u64],
    /// The hashes of the features that are numbers, in text order, with
    /// repeats (only the second pass needs them as a set).
    numbers: &'a mut Vec<u64>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The vectors and fingerprints are too long to be worth printing.
        f.debug_struct("Prepared").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Hash maps keyed by feature hashes (already uniform 64-bit values), or by
/// small integers: FxHash instead of SipHash, which showed up as a tenth of
/// the clustering time.
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Term weights as preparation sees them: from the whole input (batch) or
/// from the articles seen so far (stream).
struct Weights<'a> {
    /// IDF of a title/lead bigram.
    term: &'a (dyn Fn(u64) -> f32 + Sync),
    /// How many articles hold a title/lead bigram.
    term_df: &'a (dyn Fn(u64) -> u32 + Sync),
    /// IDF of a paragraph n-gram.
    ngram: &'a (dyn Fn(u64) -> f32 + Sync),
}

/// Smoothed inverse document frequency of a term held by `df` of `n` articles.
fn idf(n: usize, df: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Candidate pairs scored per round between progress reports.
const SCORE_ROUND: usize = 1 << 16;

/// Articles prepared per round: the paragraph features of one round are
/// held at a time, which bounds the memory of preparation.
const PREPARE_ROUND: usize = 4096;

/// A paragraph with more near-duplicates than this in the whole input is
/// boilerplate whatever their times (see `Clusterer::paragraph_matches`).
const BOILERPLATE_MATCHES: usize = 2000;

/// A blocking term held by more articles than this inside the window is too
/// common to block on (keeps candidate generation near-linear).
const MAX_BLOCK_POSTINGS: usize = 200;

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

    /// Clusters `articles` into events. Clusters and links name articles by
    /// [`Article::id`], so the ids must be distinct (the loader's are).
    pub fn cluster(&self, articles: &[Article]) -> Clustering {
        let config = &self.config;
        let progress = &config.progress;
        let prepared = self.prepare(articles);
        progress.report(Stage::Match, 0, 1);
        let candidates = self.candidates(&prepared);
        progress.report(Stage::Match, 1, 1);
        let count = candidates.len();
        let mut links: Vec<Link> = Vec::new();
        progress.report(Stage::Score, 0, count);
        for (round, chunk) in candidates.chunks(SCORE_ROUND).enumerate() {
            let scored: Vec<Option<Link>> =
                self.workers.map(chunk, |(pair, matches)| self.score(&prepared, *pair, matches));
            links.extend(scored.into_iter().flatten());
            progress.report(Stage::Score, (round * SCORE_ROUND + chunk.len()).min(count), count);
        }
        links.sort_by_key(|l| (l.a, l.b));
        progress.report(Stage::Merge, 0, 1);
        let clusters = merge(articles, &links, config.min_link_share);
        progress.report(Stage::Merge, 1, 1);
        Clustering { clusters, links, candidates: count }
    }

    fn normalizer(&self) -> &Normalizer {
        // Set by `build`.
        self.config.normalizer.as_ref().expect("normalizer set by build")
    }

    /// Prepares every article in two passes over rounds of
    /// [`PREPARE_ROUND`] articles. The first counts document frequencies
    /// of the title/lead bigrams and of the paragraph n-grams; the second,
    /// with the IDF weights known, builds the vectors and the paragraph
    /// simhashes. Paragraph features are computed twice rather than kept:
    /// keeping them cost about 8 KB an article, 8 GB at a million articles.
    fn prepare(&self, articles: &[Article]) -> Vec<Prepared> {
        // One vector per round, so that the second pass can free each round
        // as it goes (at a million articles these hold about 5 GB).
        let mut folded: Vec<Vec<Folded>> = Vec::new();
        let mut term_df: FastMap<u64, u32> = FastMap::default();
        let mut ngram_df: FastMap<u64, u32> = FastMap::default();
        let progress = &self.config.progress;
        let total = articles.len();
        progress.report(Stage::Count, 0, total);
        for round in articles.chunks(PREPARE_ROUND) {
            let results = self.workers.map(round, |article| {
                let mut seen = Vec::new();
                self.paragraph_features(article, |paragraph| {
                    seen.extend_from_slice(paragraph.features);
                });
                seen.sort_unstable();
                seen.dedup();
                (self.fold_terms(article), seen)
            });
            // Counted serially in input order: integer sums, so the result
            // is exact whatever the thread count.
            let mut round_terms = Vec::with_capacity(round.len());
            for (terms, seen) in results {
                for &(hash, _) in &terms.lead_terms {
                    *term_df.entry(hash).or_default() += 1;
                }
                for hash in seen {
                    *ngram_df.entry(hash).or_default() += 1;
                }
                round_terms.push(terms);
            }
            folded.push(round_terms);
            progress.report(Stage::Count, (folded.len() * PREPARE_ROUND).min(total), total);
        }
        let n = articles.len();
        let idf = |df: u32| idf(n, df);
        // One logarithm per distinct term rather than one per occurrence.
        let term_idf: FastMap<u64, f32> = term_df.iter().map(|(&h, &df)| (h, idf(df))).collect();
        // Every paragraph feature is looked up here, and the lookups are
        // cache misses (a seventh of the single-thread time in a profile).
        // N-grams held by one article get the default weight below, so they
        // are left out: on the corpus that is 1.6 of 2.7 million entries.
        let ngram_idf: FastMap<u64, f32> =
            ngram_df.into_iter().filter(|&(_, df)| df > 1).map(|(h, df)| (h, idf(df))).collect();
        let rare = idf(1);
        let weights = Weights {
            term: &|h| term_idf.get(&h).copied().unwrap_or(rare),
            term_df: &|h| term_df.get(&h).copied().unwrap_or(0),
            ngram: &|h| ngram_idf.get(&h).copied().unwrap_or(rare),
        };
        let mut outlets: FastMap<&str, u32> = FastMap::default();
        for article in articles {
            if let Some(outlet) = &article.outlet {
                let next = outlets.len() as u32;
                outlets.entry(outlet).or_insert(next);
            }
        }
        let mut prepared = Vec::with_capacity(articles.len());
        progress.report(Stage::Fingerprint, 0, total);
        for (round, terms) in articles.chunks(PREPARE_ROUND).zip(folded) {
            let pairs: Vec<(&Article, &Folded)> = round.iter().zip(&terms).collect();
            prepared.extend(self.workers.map(&pairs, |&(article, f)| {
                let outlet = article.outlet.as_deref().map(|o| outlets[o]);
                self.finish(article, article.id, f, &weights, outlet)
            }));
            progress.report(Stage::Fingerprint, prepared.len(), total);
        }
        prepared
    }

    /// The second half of preparing one article, once the weights are known;
    /// `id` is what its links will name it by.
    fn finish(
        &self,
        article: &Article,
        id: ArticleId,
        f: &Folded,
        weights: &Weights<'_>,
        outlet: Option<u32>,
    ) -> Prepared {
        let vector = |terms: &[(u64, f32)]| -> Vec<(u64, f32)> {
            let mut v: Vec<(u64, f32)> =
                terms.iter().map(|&(h, tf)| (h, (1.0 + tf.ln()) * (weights.term)(h))).collect();
            // Summed in hash order: a float sum in another order differs in
            // its last bits, which can tip a pair across the threshold.
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
            for entry in &mut v {
                entry.1 /= norm;
            }
            v
        };
        let content = vector(&f.lead_terms);
        let mut ranked: Vec<(f32, u64)> = content
            .iter()
            .filter(|(h, _)| (weights.term_df)(*h) >= 2)
            .map(|&(h, w)| (w, h))
            .collect();
        ranked.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        ranked.truncate(self.config.blocking_terms);
        let content = sparse(&content);
        let mut top_terms: Vec<(u64, String)> = Vec::with_capacity(ranked.len());
        for_each_feature(&f.lead_text, 2, |feature| {
            let hash = feature_hash(feature);
            if ranked.iter().any(|r| r.1 == hash) && top_terms.iter().all(|t| t.0 != hash) {
                top_terms.push((hash, feature.to_string()));
            }
        });
        // Back in weight order.
        top_terms.sort_by_key(|t| ranked.iter().position(|r| r.1 == t.0));
        let mut paragraphs = Vec::new();
        self.paragraph_features(article, |paragraph| {
            let weighted = paragraph.features.iter().map(|&h| (h, (weights.ngram)(h)));
            paragraph.numbers.sort_unstable();
            paragraph.numbers.dedup();
            paragraphs.push(Paragraph {
                fingerprint: simhash(weighted),
                index: paragraph.index,
                chars: paragraph.chars,
                // The hashes are uniform, so their sum names the set.
                numbers: paragraph.numbers.iter().fold(0u64, |sum, &h| sum.wrapping_add(h)),
            });
        });
        Prepared {
            id,
            outlet,
            time_ms: article.published.map(|p| p.utc_ms),
            title: sparse(&vector(&f.title_terms)),
            content,
            fingerprinted_chars: paragraphs.iter().map(|p| p.chars).sum(),
            paragraphs,
            top_terms,
        }
    }

    /// The title and lead bigram counts of an article, and its folded title
    /// and lead (features never cross the line breaks between them).
    fn fold_terms(&self, article: &Article) -> Folded {
        let normalizer = self.normalizer();
        let mut lead_text = normalizer.fold(&article.title).into_owned();
        let mut title_terms: FastMap<u64, f32> = FastMap::default();
        for_each_feature(&lead_text, 2, |f| {
            *title_terms.entry(feature_hash(f)).or_default() += 1.0
        });
        let mut lead_terms = title_terms.clone();
        let mut lead_left = self.config.lead_chars;
        for paragraph in &article.paragraphs {
            if lead_left == 0 {
                break;
            }
            let text = normalizer.fold(paragraph);
            let end = text.char_indices().nth(lead_left).map_or(text.len(), |(i, _)| i);
            for_each_feature(&text[..end], 2, |f| {
                *lead_terms.entry(feature_hash(f)).or_default() += 1.0;
            });
            lead_text.push('\n');
            lead_text.push_str(&text[..end]);
            lead_left = lead_left.saturating_sub(text.chars().count());
        }
        let sorted = |map: FastMap<u64, f32>| {
            let mut v: Vec<(u64, f32)> = map.into_iter().collect();
            v.sort_unstable_by_key(|e| e.0);
            v
        };
        Folded { title_terms: sorted(title_terms), lead_terms: sorted(lead_terms), lead_text }
    }

    /// Calls `each` for every paragraph long enough to fingerprint, with its
    /// n-gram feature hashes sorted and deduplicated.
    fn paragraph_features(&self, article: &Article, mut each: impl FnMut(ParagraphFeatures<'_>)) {
        let normalizer = self.normalizer();
        let mut features = Vec::new();
        let mut numbers = Vec::new();
        for (index, paragraph) in article.paragraphs.iter().enumerate() {
            let text = normalizer.fold(paragraph);
            let chars = text.chars().count();
            if chars < self.config.min_paragraph_chars {
                continue;
            }
            features.clear();
            numbers.clear();
            for_each_feature(&text, self.config.ngram, |f| {
                let hash = feature_hash(f);
                features.push(hash);
                if f.starts_with(|c: char| c.is_ascii_digit()) {
                    numbers.push(hash);
                }
            });
            features.sort_unstable();
            features.dedup();
            each(ParagraphFeatures {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                chars: u32::try_from(chars).unwrap_or(u32::MAX),
                features: &features,
                numbers: &mut numbers,
            });
        }
    }

    /// Whether a paragraph with `near_duplicates` others in the whole input
    /// (earlier ones, in the stream) is also matched outside the time
    /// window, with those of them that hold the same numbers: the candidate
    /// rule for late copies, shared by the batch and the stream.
    fn matched_across_window(&self, near_duplicates: usize) -> bool {
        self.config.signals.copies && near_duplicates <= self.config.max_paragraph_matches
    }

    fn within_window(&self, a: &Prepared, b: &Prepared) -> bool {
        match (a.time_ms, b.time_ms) {
            (Some(x), Some(y)) if self.config.signals.time => {
                ((x - y).abs() as f64 / 3.6e6) <= f64::from(self.config.max_gap_hours)
            }
            _ => true,
        }
    }

    /// Candidate pairs `(a, b)` with `a < b` (positions), with their matched
    /// paragraphs; sorted.
    fn candidates(&self, prepared: &[Prepared]) -> Vec<((u32, u32), Vec<ParagraphMatch>)> {
        let config = &self.config;
        let mut pairs: FastMap<(u32, u32), Vec<ParagraphMatch>> = FastMap::default();
        if config.signals.paragraphs {
            for (pair, found) in self.paragraph_matches(prepared) {
                pairs.entry(pair).or_default().push(found);
            }
        }
        if config.signals.title || config.signals.content {
            // Blocking: articles that share a distinctive term, in time order.
            let mut postings: FastMap<u64, Vec<u32>> = FastMap::default();
            for (article, p) in prepared.iter().enumerate() {
                for &(hash, _) in &p.top_terms {
                    postings.entry(hash).or_default().push(article as u32);
                }
            }
            let mut terms: Vec<(u64, Vec<u32>)> = postings.into_iter().collect();
            terms.sort_unstable_by_key(|t| t.0);
            let time_of = |a: u32| prepared[a as usize].time_ms.unwrap_or(i64::MIN);
            let window_ms = (f64::from(config.max_gap_hours) * 3.6e6) as i64;
            for (_, mut list) in terms {
                list.sort_unstable_by_key(|&a| (time_of(a), a));
                for (i, &a) in list.iter().enumerate() {
                    let mut taken = 0;
                    for &b in &list[i + 1..] {
                        let (ta, tb) = (time_of(a), time_of(b));
                        if config.signals.time && ta != i64::MIN && tb - ta > window_ms {
                            break;
                        }
                        taken += 1;
                        if taken > MAX_BLOCK_POSTINGS {
                            break;
                        }
                        pairs.entry((a.min(b), a.max(b))).or_default();
                    }
                }
            }
        }
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        pairs.sort_unstable_by_key(|p| p.0);
        for (_, matches) in &mut pairs {
            matches.sort_unstable_by_key(|m| (m.a, m.b, m.distance));
            matches.dedup();
        }
        pairs
    }

    /// Pairs of articles with near-duplicate paragraphs: `((a, b), match)`
    /// with `a < b` (positions).
    ///
    /// Identical fingerprints are indexed and queried once: wire copy and
    /// boilerplate repeat paragraphs exactly, and querying every copy would
    /// cost the square of the number of copies. A paragraph with more than
    /// `max_paragraph_matches` near-duplicates *within its time window* is
    /// boilerplate and ignored; counting within the window rather than in
    /// the whole archive keeps a paragraph that recurs once a month (a
    /// regular report) from being ignored in a ten-year archive. One with
    /// more than [`BOILERPLATE_MATCHES`] anywhere is ignored outright, which
    /// bounds the work per paragraph. One with at most
    /// `max_paragraph_matches` in the whole input is also paired outside its
    /// window, with near-duplicates holding the same numbers: the matches
    /// that can make a late copy.
    fn paragraph_matches(&self, prepared: &[Prepared]) -> Vec<((u32, u32), ParagraphMatch)> {
        let config = &self.config;
        // (fingerprint, article, paragraph index, numbers), grouped by
        // fingerprint.
        let mut entries: Vec<(Fingerprint, u32, u32, u64)> = Vec::new();
        for (article, p) in prepared.iter().enumerate() {
            for paragraph in &p.paragraphs {
                entries.push((
                    paragraph.fingerprint,
                    article as u32,
                    paragraph.index,
                    paragraph.numbers,
                ));
            }
        }
        entries.sort_unstable();
        let mut unique: Vec<Fingerprint> = Vec::new();
        let mut starts: Vec<usize> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            if unique.last() != Some(&entry.0) {
                unique.push(entry.0);
                starts.push(i);
            }
        }
        starts.push(entries.len());
        // The distance is checked by `build`.
        let Ok(index) = HammingIndex::from_fingerprints(config.max_distance, &unique) else {
            return Vec::new();
        };
        let window_ms = (f64::from(config.max_gap_hours) * 3.6e6) as i64;
        let use_time = config.signals.time;
        let ids: Vec<u32> = (0..unique.len() as u32).collect();
        let found = self.workers.map(&ids, |&u| {
            let hits = index.query(unique[u as usize]);
            let copies = |v: u32| starts[v as usize + 1] - starts[v as usize];
            if hits.iter().map(|&(v, _)| copies(v)).sum::<usize>() > BOILERPLATE_MATCHES {
                return Vec::new();
            }
            // Every near-duplicate paragraph: (time, article, index,
            // distance, numbers), the timed ones sorted by time; untimed ones
            // are in every window.
            let mut timed = Vec::new();
            let mut untimed = Vec::new();
            for &(v, distance) in &hits {
                for &(_, b, pb, numbers) in &entries[starts[v as usize]..starts[v as usize + 1]] {
                    match prepared[b as usize].time_ms {
                        Some(t) if use_time => timed.push((t, b, pb, distance, numbers)),
                        _ => untimed.push((i64::MIN, b, pb, distance, numbers)),
                    }
                }
            }
            timed.sort_unstable();
            // Less one: the paragraph itself. A paragraph this rare in the
            // whole input is also matched across any time gap, so that copies
            // published far apart are found (scored by `copy_coverage`); only
            // with the same numbers, the only matches a copy's score counts
            // (a re-issued template with new numbers is most of what would
            // otherwise be paired: 2.2 times the candidates of a synthetic
            // million-article archive).
            let rare_anywhere = self.matched_across_window(timed.len() + untimed.len() - 1);
            let mut out = Vec::new();
            for &(_, a, pa, numbers) in &entries[starts[u as usize]..starts[u as usize + 1]] {
                let (lo, hi) = match prepared[a as usize].time_ms.filter(|_| use_time) {
                    Some(t) => (
                        timed.partition_point(|o| o.0 < t.saturating_sub(window_ms)),
                        timed.partition_point(|o| o.0 <= t.saturating_add(window_ms)),
                    ),
                    None => (0, timed.len()),
                };
                if hi - lo + untimed.len() - 1 > config.max_paragraph_matches {
                    continue;
                }
                let (before, after) =
                    if rare_anywhere { (&timed[..lo], &timed[hi..]) } else { (&[][..], &[][..]) };
                let outside = before.iter().chain(after).filter(|o| o.4 == numbers);
                for &(_, b, pb, distance, _) in timed[lo..hi].iter().chain(&untimed).chain(outside)
                {
                    if a < b {
                        out.push(((a, b), ParagraphMatch { a: pa, b: pb, distance }));
                    }
                }
            }
            out
        });
        found.into_iter().flatten().collect()
    }

    fn score(
        &self,
        prepared: &[Prepared],
        (a, b): (u32, u32),
        matches: &[ParagraphMatch],
    ) -> Option<Link> {
        let config = &self.config;
        let (pa, pb) = (&prepared[a as usize], &prepared[b as usize]);
        // Outside the window only copies link, and only paragraphs show them.
        let in_window = self.within_window(pa, pb);
        if !in_window
            && (matches.is_empty() || !config.signals.paragraphs || !config.signals.copies)
        {
            return None;
        }
        let time_gap_hours = match (pa.time_ms, pb.time_ms) {
            (Some(x), Some(y)) => Some(((x - y).abs() as f64 / 3.6e6) as f32),
            _ => None,
        };
        // Each match with its two paragraphs, looked up once. A match counts
        // only when both paragraphs hold the same numbers: a copy keeps
        // them, while a recurring report (a market's daily fixing, the
        // monthly figures) or a templated line is the same words with other
        // numbers (DESIGN.md, "Copies across the window").
        fn paragraph(p: &Prepared, index: u32) -> Option<&Paragraph> {
            // Paragraphs are kept in text order, so by index.
            let at = p.paragraphs.binary_search_by_key(&index, |q| q.index).ok()?;
            Some(&p.paragraphs[at])
        }
        let counted: Vec<(ParagraphMatch, &Paragraph, &Paragraph)> = matches
            .iter()
            .filter_map(|m| Some((*m, paragraph(pa, m.a)?, paragraph(pb, m.b)?)))
            .filter(|(_, x, y)| x.numbers == y.numbers)
            .collect();
        // Coverage: characters of the matched paragraphs on each side (each
        // paragraph once), over that side's fingerprinted characters.
        let share = |p: &Prepared, mut covered: Vec<(u32, u32)>| {
            covered.sort_unstable();
            covered.dedup();
            let chars: u32 = covered.iter().map(|&(_, chars)| chars).sum();
            chars as f32 / p.fingerprinted_chars.max(1) as f32
        };
        // The mean of the two shares, not the shorter article's alone: one
        // background paragraph makes a fifth of a short report, and carried
        // links between different news; a copy shares most of both
        // (DESIGN.md, "Coverage of both articles").
        let shares = if config.signals.paragraphs {
            [
                share(pa, counted.iter().map(|(_, x, _)| (x.index, x.chars)).collect()).min(1.0),
                share(pb, counted.iter().map(|(_, _, y)| (y.index, y.chars)).collect()).min(1.0),
            ]
        } else {
            [0.0, 0.0]
        };
        let coverage = 0.5 * (shares[0] + shares[1]);
        let title_similarity =
            if config.signals.title { cosine(&pa.title, &pb.title) } else { 0.0 };
        let content_similarity =
            if config.signals.content { cosine(&pa.content, &pb.content) } else { 0.0 };
        let blended = match (config.signals.title, config.signals.content) {
            (true, true) => {
                config.content_weight * content_similarity
                    + (1.0 - config.content_weight) * title_similarity
            }
            (true, false) => title_similarity,
            (false, true) => content_similarity,
            (false, false) => 0.0,
        };
        // One outlet rarely reports one event twice in a day; its items on
        // one story (a law passed, then each party's reaction; the morning
        // and the closing market report) share words because they share a
        // template and a topic. So between two articles of one outlet the
        // title and lead similarity counts for less; shared paragraphs (a
        // republished or other-script copy) count in full.
        let same_outlet = pa.outlet.is_some() && pa.outlet == pb.outlet;
        let blended = if same_outlet && config.signals.outlet {
            blended * config.same_outlet_factor
        } else {
            blended
        };
        let mut score = coverage.max(blended);
        if !in_window {
            // A copy far from its original: the text alone decides, with no
            // topic similarity (which the window exists to keep apart), and
            // it must show the same facts: its matches hold the same numbers
            // (`paragraph_matches` pairs no others outside the window), and at
            // least one holds some.
            let shows_numbers = counted.iter().any(|(_, x, _)| x.numbers != 0);
            if coverage < config.copy_coverage || !shows_numbers {
                return None;
            }
            score = coverage;
        } else if config.signals.time
            && let Some(gap) = time_gap_hours
            && gap > 24.0
        {
            // Reports of one event cluster within a day; beyond that the
            // score decays linearly to 70% at the edge of the window.
            let span = (config.max_gap_hours - 24.0).max(1.0);
            score *= 1.0 - 0.3 * ((gap - 24.0) / span).min(1.0);
        }
        if score < config.link_threshold {
            return None;
        }
        let shared_terms = pa
            .top_terms
            .iter()
            .filter(|(h, _)| pb.top_terms.iter().any(|(g, _)| g == h))
            .map(|(_, text)| text.clone())
            .collect();
        let (id_a, id_b) = (pa.id, pb.id);
        let swap = id_a > id_b;
        Some(Link {
            a: id_a.min(id_b),
            b: id_a.max(id_b),
            score,
            evidence: Evidence {
                matched_paragraphs: counted
                    .iter()
                    .map(|(m, _, _)| {
                        if swap {
                            ParagraphMatch { a: m.b, b: m.a, distance: m.distance }
                        } else {
                            *m
                        }
                    })
                    .collect(),
                coverage,
                shares: if swap { [shares[1], shares[0]] } else { shares },
                title_similarity,
                content_similarity,
                time_gap_hours,
                same_outlet,
                shared_terms,
            },
        })
    }
}

/// Merges links into clusters, strongest first; two clusters merge only when
/// at least `min_share` of the article pairs between them are links.
fn merge(articles: &[Article], links: &[Link], min_share: f32) -> Vec<Vec<ArticleId>> {
    let position: FastMap<ArticleId, usize> =
        articles.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let mut merger = Merger::default();
    for _ in articles {
        merger.push();
    }
    for link in links {
        merger.link(position[&link.a], position[&link.b], link.score);
    }
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|x, y| strongest_first(x, y));
    for link in order {
        merger.offer(position[&link.a], position[&link.b], min_share);
    }
    merger.clusters(|i| articles[i].id)
}

/// Orders links by descending score, ties by ids: the order merges take.
fn strongest_first(x: &Link, y: &Link) -> std::cmp::Ordering {
    by_strength(
        (x.score, x.a.0 as usize, x.b.0 as usize),
        (y.score, y.a.0 as usize, y.b.0 as usize),
    )
}

/// Descending score, ties by the smaller then the larger end: one order for
/// links and for the merger's own `(score, x, y)` triples.
fn by_strength(x: (f32, usize, usize), y: (f32, usize, usize)) -> std::cmp::Ordering {
    y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2)))
}

/// Clusters of positions, merged under the link-share guard; shared by the
/// batch and the stream so that both apply one rule.
///
/// Every item owns the cluster slot of its own position (`push` adds one of
/// each), so a cluster is named by the slot of one of its members and can be
/// dissolved back into singletons without allocating slots.
#[derive(Debug, Default)]
struct Merger {
    cluster_of: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// Each item's links: (other item, score).
    linked: Vec<Vec<(usize, f32)>>,
}

impl Merger {
    /// Adds an item as a cluster of its own; returns its position.
    fn push(&mut self) -> usize {
        let position = self.cluster_of.len();
        self.cluster_of.push(position);
        self.members.push(vec![position]);
        self.linked.push(Vec::new());
        position
    }

    /// Records a link between two items (it counts towards the guard). Each
    /// pair is linked at most once.
    fn link(&mut self, x: usize, y: usize, score: f32) {
        self.linked[x].push((y, score));
        self.linked[y].push((x, score));
    }

    /// Merges the clusters of `x` and `y` when at least `min_share` of the
    /// item pairs between them are links; returns whether they are one now.
    fn offer(&mut self, x: usize, y: usize, min_share: f32) -> bool {
        let (cx, cy) = (self.cluster_of[x], self.cluster_of[y]);
        if cx == cy {
            return true;
        }
        let (mx, my) = (&self.members[cx], &self.members[cy]);
        // Counted from the smaller side's links: the cost is that side's
        // degree, not the product of the two sizes.
        let (small, other) = if mx.len() <= my.len() { (mx, cy) } else { (my, cx) };
        let cross = small
            .iter()
            .flat_map(|&i| &self.linked[i])
            .filter(|&&(j, _)| self.cluster_of[j] == other)
            .count();
        if (cross as f32) < min_share * (mx.len() * my.len()) as f32 {
            return false;
        }
        let (keep, gone) = if mx.len() >= my.len() { (cx, cy) } else { (cy, cx) };
        self.absorb(keep, gone);
        true
    }

    /// Every member of the clusters of `items`, sorted.
    fn gather(&self, items: &[usize]) -> Vec<usize> {
        let mut members: Vec<usize> =
            items.iter().flat_map(|&item| self.members_of(item)).copied().collect();
        members.sort_unstable();
        members.dedup();
        members
    }

    /// The cluster name (smallest member) of each of `members`, which must
    /// be sorted and hold whole clusters: the first member met of a cluster
    /// is its smallest.
    fn names(&self, members: &[usize]) -> Vec<usize> {
        let mut first: FastMap<usize, usize> = FastMap::default();
        members.iter().map(|&m| *first.entry(self.cluster_of[m]).or_insert(m)).collect()
    }

    /// Dissolves the clusters of `members` (sorted, whole clusters, as
    /// [`Merger::gather`] gives) and merges them again by the batch rule:
    /// the links among them, strongest first, each under the guard.
    fn reform(&mut self, members: &[usize], min_share: f32) {
        // Every cluster is named by the slot of one of its members, so
        // resetting the members' own slots empties the old clusters.
        for &m in members {
            self.cluster_of[m] = m;
            self.members[m] = vec![m];
        }
        let mut links: Vec<(f32, usize, usize)> = members
            .iter()
            .flat_map(|&i| self.linked[i].iter().map(move |&(j, score)| (score, i, j)))
            .filter(|&(_, i, j)| i < j && members.binary_search(&j).is_ok())
            .collect();
        links.sort_by(|&x, &y| by_strength(x, y));
        for (_, i, j) in links {
            self.offer(i, j, min_share);
        }
    }

    /// Moves every member of cluster `gone` into cluster `keep`.
    fn absorb(&mut self, keep: usize, gone: usize) {
        let moved = std::mem::take(&mut self.members[gone]);
        for &i in &moved {
            self.cluster_of[i] = keep;
        }
        self.members[keep].extend(moved);
    }

    /// The members of the cluster of `x`.
    fn members_of(&self, x: usize) -> &[usize] {
        &self.members[self.cluster_of[x]]
    }

    /// Every cluster as sorted ids, clusters sorted by their smallest id.
    fn clusters(&self, id_of: impl Fn(usize) -> ArticleId) -> Vec<Vec<ArticleId>> {
        let mut clusters: Vec<Vec<ArticleId>> = self
            .members
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| {
                let mut ids: Vec<ArticleId> = m.iter().map(|&i| id_of(i)).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        clusters.sort_unstable_by_key(|c| c[0]);
        clusters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups of four, each tightly linked, and one weak link between
    /// their first members.
    fn two_groups(merger: &mut Merger) {
        for _ in 0..8 {
            merger.push();
        }
        for group in [[0, 2, 3, 4], [1, 5, 6, 7]] {
            for (k, &x) in group.iter().enumerate() {
                for &y in &group[k + 1..] {
                    merger.link(x, y, 0.9);
                }
            }
        }
        merger.link(0, 1, 0.2);
    }

    fn sorted_clusters(merger: &Merger) -> Vec<Vec<u32>> {
        merger
            .clusters(|i| ArticleId(i as u32))
            .into_iter()
            .map(|c| c.iter().map(|a| a.0).collect())
            .collect()
    }

    #[test]
    fn the_guard_counts_links_between_whole_clusters() {
        let mut merger = Merger::default();
        two_groups(&mut merger);
        // Batch order: the strong links first, then the weak one meets
        // clusters of four with 1 of 16 pairs linked.
        for (x, y) in [(0, 2), (0, 3), (0, 4), (1, 5), (1, 6), (1, 7)] {
            assert!(merger.offer(x, y, 0.25));
        }
        assert!(!merger.offer(0, 1, 0.25));
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
    }

    #[test]
    fn reforming_undoes_an_early_weak_merge() {
        let mut merger = Merger::default();
        two_groups(&mut merger);
        // Arrival order: 0 and 1 meet first, as singletons, and merge.
        assert!(merger.offer(0, 1, 0.25));
        for (x, y) in [(0, 2), (0, 3), (0, 4), (1, 5), (1, 6), (1, 7)] {
            merger.offer(x, y, 0.25);
        }
        assert_eq!(merger.cluster_of[0], merger.cluster_of[1]);
        // Item 7 arrives, linked to 1, 5 and 6: the clusters it touches,
        // re-formed strongest first, come apart as in the batch.
        let members = merger.gather(&[7, 1, 5, 6]);
        assert_eq!(members, (0..8).collect::<Vec<usize>>());
        merger.reform(&members, 0.25);
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
        // Re-forming again changes nothing.
        let again = merger.gather(&[0, 1]);
        merger.reform(&again, 0.25);
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
    }

    #[test]
    fn defaults_are_valid_and_bad_settings_rejected() {
        assert!(Clusterer::builder().build().is_ok());
        assert!(Clusterer::builder().ngram(0).build().is_err());
        assert!(Clusterer::builder().blocking_terms(0).build().is_err());
        assert!(Clusterer::builder().max_distance(16).build().is_err());
        assert!(Clusterer::builder().link_threshold(1.5).build().is_err());
        assert!(Clusterer::builder().max_gap_hours(f32::NAN).build().is_err());
    }

    #[test]
    fn cosine_of_normalised_vectors() {
        let a: Sparse = vec![(1, 0.6), (2, 0.8)];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&a, &vec![(3, 1.0)]), 0.0);
    }
}
