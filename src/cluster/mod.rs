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

mod candidates;
mod config;
mod evidence;
mod merge;
mod prepare;
mod stream;

pub use config::{ClustererBuilder, Signals};
pub use evidence::{Evidence, Link, ParagraphMatch};
pub use stream::{Placement, Stream, StreamState};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::ingest::{Article, ArticleId};
use crate::normalize::Normalizer;
use crate::parallel::Workers;
use crate::progress::Stage;
use merge::merge;

/// Clusters articles into events.
///
/// # Examples
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let jsonl = include_bytes!("../../tests/fixtures/sample/exports.jsonl");
/// let articles = Loader::new().parse_bytes("exports.jsonl".as_ref(), jsonl).unwrap();
/// let clustering = Clusterer::new().cluster(&articles);
/// // Every article is in exactly one cluster.
/// let placed: usize = clustering.clusters.iter().map(Vec::len).sum();
/// assert_eq!(placed, articles.len());
/// ```
#[derive(Debug, Clone)]
pub struct Clusterer {
    pub(crate) config: ClustererBuilder,
    pub(crate) workers: Workers,
}

/// The result of clustering.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
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

    /// Clusters `articles` into events. Clusters and links name articles by
    /// [`Article::id`], so the ids must be distinct: the articles of one
    /// [`Loader`](crate::Loader) are.
    ///
    /// # Panics
    ///
    /// When two articles share an id, which only articles of two loaders,
    /// or ids set by hand, can do: clusters and links could not say which
    /// article they mean, and a wrong answer must not pass silently. The
    /// message names the id and both positions; [`Clusterer::try_cluster`]
    /// returns the same as an error.
    pub fn cluster(&self, articles: &[Article]) -> Clustering {
        match self.try_cluster(articles) {
            Ok(clustering) => clustering,
            Err(err) => panic!("{err}"),
        }
    }

    /// Clusters `articles` into events, as [`Clusterer::cluster`].
    ///
    /// # Errors
    ///
    /// `duplicate_id` ([`ErrorKind::DuplicateId`](crate::ErrorKind::DuplicateId))
    /// when two articles share an id, naming it and their positions.
    ///
    /// # Examples
    ///
    /// ```
    /// use zhdedup::{Clusterer, Loader, Record};
    /// // Two loaders both number from 0.
    /// let a = Loader::new().parse_record(&Record::new("一")).unwrap();
    /// let b = Loader::new().parse_record(&Record::new("二")).unwrap();
    /// let err = Clusterer::new().try_cluster(&[a, b]).unwrap_err();
    /// assert_eq!(err.to_string(), "articles 0 and 1 of the input share the id 0");
    /// ```
    pub fn try_cluster(&self, articles: &[Article]) -> Result<Clustering, Error> {
        check_ids(articles)?;
        Ok(self.cluster_checked(articles))
    }

    /// [`Clusterer::cluster`] of articles whose ids are distinct.
    fn cluster_checked(&self, articles: &[Article]) -> Clustering {
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
}

/// `duplicate_id` for the first id two articles share (by position of the
/// second), so a caller can find both.
fn check_ids(articles: &[Article]) -> Result<(), Error> {
    let mut seen: FastMap<ArticleId, usize> = FastMap::default();
    seen.reserve(articles.len());
    for (position, article) in articles.iter().enumerate() {
        if let Some(&first) = seen.get(&article.id) {
            return Err(Error::new(ErrorKind::DuplicateId {
                id: article.id,
                positions: [first, position],
            }));
        }
        seen.insert(article.id, position);
    }
    Ok(())
}
