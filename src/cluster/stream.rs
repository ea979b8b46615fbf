//! Streaming mode: articles are added one at a time and placed at once.
//!
//! The stream applies the batch's scoring and merge rule to each new article
//! against the articles already seen. What differs from the batch, by
//! design (DESIGN.md, "Streaming", measures it):
//! - **Weights**: title and lead vectors are weighted with document
//!   frequencies counted over the articles seen so far, once, when the
//!   article arrives; the first articles of a stream are weighted with little
//!   knowledge, and a new story's own words are still rare when its first
//!   reports arrive, so they weigh more than in a batch. Paragraph
//!   fingerprints use unit weights: a fingerprint must stay comparable with
//!   those made before and after it, and weights that drift with the counts
//!   would move near-copies apart.
//! - **Merge order**: the batch merges the strongest links of the whole input
//!   first. The stream, at each arrival, dissolves the clusters the new
//!   article links to and merges their members again by the batch rule (their
//!   links strongest first, under the link-share guard), so a weak early link
//!   that joined two small clusters is undone once each has grown and the
//!   guard sees them whole. Earlier articles can therefore move;
//!   [`Placement::regrouped`] lists them. Above `REFORM_LIMIT` (500) articles
//!   in the touched clusters the new article only offers its own links,
//!   which bounds the work of one arrival.
//! - **Boilerplate**: a paragraph is ignored once more than
//!   `max_paragraph_matches` earlier paragraphs match it in its window; the
//!   batch also counts later ones. Likewise a late copy is looked for while
//!   at most that many earlier paragraphs match anywhere.
//! - **Blocking** looks at the most recent 4 × 200 articles sharing a term.

use super::evidence::{Link, ParagraphMatch};
use super::merge::{Merger, strongest_first};
use super::prepare::{Folded, Paragraph, Prepared, Weights, idf};
use super::{BOILERPLATE_MATCHES, Clusterer, Clustering, FastMap, MAX_BLOCK_POSTINGS};
use crate::index::HammingIndex;
use crate::ingest::{Article, ArticleId};

/// Touched clusters holding more articles than this are not re-formed at an
/// arrival: re-forming costs the members' links, and a cluster this large is
/// touched by most arrivals of its story.
const REFORM_LIMIT: usize = 500;

/// Where an article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The id the stream gave the article: its arrival number (0, 1, …).
    pub id: ArticleId,
    /// Its cluster, named by the cluster's smallest id (a later arrival can
    /// rename or re-form it; [`Stream::cluster_of`] is current).
    pub cluster: ArticleId,
    /// Its links to earlier articles, strongest first.
    pub links: Vec<Link>,
    /// Earlier articles whose cluster changed with this arrival (they moved,
    /// or their cluster was renamed by a merge), in id order: what a caller
    /// that stores cluster names must update.
    pub regrouped: Vec<ArticleId>,
}

/// Clusters articles as they arrive; made by [`Clusterer::stream`].
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample");
/// let loaded = Loader::new().load_paths(&[dir]);
/// let mut stream = Clusterer::new().stream();
/// for article in &loaded.articles {
///     let placed = stream.add(article);
///     assert_eq!(stream.cluster_of(placed.id), Some(placed.cluster));
/// }
/// let clustering = stream.clustering();
/// let placed: usize = clustering.clusters.iter().map(Vec::len).sum();
/// assert_eq!(placed, loaded.articles.len());
/// ```
#[derive(Debug)]
pub struct Stream {
    clusterer: Clusterer,
    term_df: FastMap<u64, u32>,
    /// Articles counted by [`Stream::observe`].
    observed: usize,
    outlets: FastMap<String, u32>,
    prepared: Vec<Prepared>,
    index: HammingIndex,
    /// For every fingerprint in `index`: (article, paragraph index, numbers
    /// hash), as the batch's entries.
    owners: Vec<(u32, u32, u64)>,
    postings: FastMap<u64, Vec<u32>>,
    merger: Merger,
    links: Vec<Link>,
    candidates: usize,
}

impl Clusterer {
    /// A stream with this clusterer's settings (its thread setting is not
    /// used: one article is scored at a time).
    pub fn stream(&self) -> Stream {
        Stream {
            clusterer: self.clone(),
            term_df: FastMap::default(),
            observed: 0,
            outlets: FastMap::default(),
            prepared: Vec::new(),
            // The distance was checked by `build`.
            index: HammingIndex::new(self.config.max_distance)
                .unwrap_or_else(|_| HammingIndex::new(0).expect("0 is valid")),
            owners: Vec::new(),
            postings: FastMap::default(),
            merger: Merger::default(),
            links: Vec::new(),
            candidates: 0,
        }
    }
}

impl Stream {
    /// Counts an article's title and lead terms into the document
    /// frequencies without adding it. A new stream knows no frequencies, so
    /// its first articles are weighted poorly (on the sample, two reports of
    /// one event stay apart); observing a sample of the archive first (the
    /// previous day, or last month) gives weights close to a batch's. An
    /// article observed and then added counts twice.
    pub fn observe(&mut self, article: &Article) {
        for (hash, _) in self.clusterer.fold_terms(article).lead_terms {
            *self.term_df.entry(hash).or_default() += 1;
        }
        self.observed += 1;
    }

    /// Adds an article, links it to the earlier ones and places it. The
    /// clusters it links to are re-formed with it, so earlier articles can
    /// move; the placement lists them in [`Placement::regrouped`].
    pub fn add(&mut self, article: &Article) -> Placement {
        let clusterer = &self.clusterer;
        let config = &clusterer.config;
        let position = self.prepared.len() as u32;
        let id = ArticleId(position);

        // Frequencies first, so the article's own terms count (as in batch).
        let folded: Folded = clusterer.fold_terms(article);
        for &(hash, _) in &folded.lead_terms {
            *self.term_df.entry(hash).or_default() += 1;
        }
        let n = self.prepared.len() + 1 + self.observed;
        let term_df = &self.term_df;
        let weights = Weights {
            term: &|h| idf(n, term_df.get(&h).copied().unwrap_or(1)),
            term_df: &|h| term_df.get(&h).copied().unwrap_or(0),
            // Unit weights: a fingerprint is made once, when its article
            // arrives, and must stay comparable with those made before and
            // after; weights that drift with the counts move near-copies apart.
            ngram: &|_| 1.0,
        };
        let outlet = article.outlet.as_ref().map(|o| {
            let next = self.outlets.len() as u32;
            *self.outlets.entry(o.clone()).or_insert(next)
        });
        let prepared = clusterer.finish(article, id, &folded, &weights, outlet);

        // Candidates among the earlier articles: (earlier position, matches).
        let mut pairs: FastMap<u32, Vec<ParagraphMatch>> = FastMap::default();
        if config.signals.paragraphs {
            for &Paragraph { fingerprint, index, numbers, .. } in &prepared.paragraphs {
                let hits = self.index.query(fingerprint);
                if hits.len() > BOILERPLATE_MATCHES {
                    continue;
                }
                // As in the batch, a paragraph this rare is matched across
                // any time gap, with the same numbers, so that late copies
                // are found.
                let rare_anywhere = clusterer.matched_across_window(hits.len());
                let in_window: Vec<(u32, u32, u32)> = hits
                    .into_iter()
                    .filter_map(|(hit, distance)| {
                        let (b, pb, earlier_numbers) = self.owners[hit as usize];
                        let earlier = &self.prepared[b as usize];
                        (clusterer.within_window(&prepared, earlier)
                            || rare_anywhere && earlier_numbers == numbers)
                            .then_some((b, pb, distance))
                    })
                    .collect();
                if in_window.len() > config.max_paragraph_matches {
                    continue;
                }
                for (b, pb, distance) in in_window {
                    pairs.entry(b).or_default().push(ParagraphMatch { a: pb, b: index, distance });
                }
            }
        }
        if config.signals.title || config.signals.content {
            for (hash, _) in &prepared.top_terms {
                let Some(list) = self.postings.get(hash) else { continue };
                let mut taken = 0;
                for &b in list.iter().rev().take(4 * MAX_BLOCK_POSTINGS) {
                    if taken == MAX_BLOCK_POSTINGS {
                        break;
                    }
                    if clusterer.within_window(&prepared, &self.prepared[b as usize]) {
                        taken += 1;
                        pairs.entry(b).or_default();
                    }
                }
            }
        }
        for &Paragraph { fingerprint, index, numbers, .. } in &prepared.paragraphs {
            self.index.insert(fingerprint);
            self.owners.push((position, index, numbers));
        }
        for (hash, _) in &prepared.top_terms {
            self.postings.entry(*hash).or_default().push(position);
        }
        self.prepared.push(prepared);
        let me = self.merger.push();

        // Score in position order (deterministic), merge strongest first.
        let mut pairs: Vec<(u32, Vec<ParagraphMatch>)> = pairs.into_iter().collect();
        pairs.sort_unstable_by_key(|p| p.0);
        self.candidates += pairs.len();
        let mut links: Vec<Link> = pairs
            .into_iter()
            .filter_map(|(b, mut matches)| {
                matches.sort_unstable_by_key(|m| (m.a, m.b, m.distance));
                matches.dedup();
                clusterer.score(&self.prepared, (b, position), &matches)
            })
            .collect();
        for link in &links {
            self.merger.link(link.a.0 as usize, link.b.0 as usize, link.score);
        }
        links.sort_by(strongest_first);
        let others = links.iter().map(|l| if l.a == id { l.b } else { l.a }.0 as usize);
        let touched: Vec<usize> = std::iter::once(me).chain(others).collect();
        let regrouped = self.place(&touched, config.min_link_share);
        self.links.extend(links.iter().cloned());
        let cluster = self.cluster_of(id).unwrap_or(id);
        Placement { id, cluster, links, regrouped }
    }

    /// Places the new article `touched[0]`, linked to the others in
    /// `touched`: the clusters it touches are re-formed by the batch rule
    /// (see the module docs). Returns the earlier articles whose cluster
    /// name changed.
    fn place(&mut self, touched: &[usize], min_share: f32) -> Vec<ArticleId> {
        let me = touched[0];
        let members = self.merger.gather(touched);
        let before = self.merger.names(&members);
        if members.len() > REFORM_LIMIT {
            // Too large to re-form at every arrival: the new article only
            // offers its own links, strongest first.
            for &other in &touched[1..] {
                self.merger.offer(me, other, min_share);
            }
        } else {
            self.merger.reform(&members, min_share);
        }
        // Both arms keep the members within their own clusters, so the
        // names can be taken over the same list.
        let after = self.merger.names(&members);
        members
            .iter()
            .zip(before.iter().zip(after))
            .filter(|&(&m, (&old, new))| m != me && old != new)
            .map(|(&m, _)| ArticleId(m as u32))
            .collect()
    }

    /// The current cluster of an article (named by its smallest id), or
    /// `None` for an id the stream has not given.
    pub fn cluster_of(&self, id: ArticleId) -> Option<ArticleId> {
        let position = id.0 as usize;
        (position < self.prepared.len()).then(|| {
            let smallest = self.merger.members_of(position).iter().min().copied();
            ArticleId(smallest.unwrap_or(position) as u32)
        })
    }

    /// How many articles were added.
    pub fn len(&self) -> usize {
        self.prepared.len()
    }

    /// Whether no article was added.
    pub fn is_empty(&self) -> bool {
        self.prepared.is_empty()
    }

    /// The clustering so far, in the batch's form (ids are arrival numbers).
    pub fn clustering(&self) -> Clustering {
        let mut links = self.links.clone();
        links.sort_by_key(|l| (l.a, l.b));
        Clustering {
            clusters: self.merger.clusters(|i| ArticleId(i as u32)),
            links,
            candidates: self.candidates,
        }
    }
}
