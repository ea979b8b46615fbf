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
//! - **Clustering**: the batch clusters the whole input by average
//!   linkage. The stream, at each arrival, dissolves the stories the new
//!   article's scored pairs reach and clusters their members again by the
//!   same rule, so an early merge is undone once the stories have grown and
//!   the means see them whole. Earlier articles can therefore move;
//!   [`Placement::regrouped`] lists them. Above `REFORM_LIMIT` (500)
//!   articles in those stories only the touched events are re-formed, which
//!   bounds the work of one arrival.
//! - **Boilerplate**: a paragraph is ignored once more than
//!   `max_paragraph_matches` earlier paragraphs match it in its window; the
//!   batch also counts later ones. Likewise a late copy is looked for while
//!   at most that many earlier paragraphs match anywhere.
//! - **Blocking** looks at the most recent 4 × 200 articles sharing a term.

use super::evidence::{Link, ParagraphMatch};
use super::linkage::{PAIR_FLOOR, average_linkage};
use super::prepare::{Folded, Paragraph, Prepared, Weights, idf};
use super::{BOILERPLATE_MATCHES, Clusterer, Clustering, FastMap, MAX_BLOCK_POSTINGS};
use crate::index::HammingIndex;
use crate::ingest::{Article, ArticleId};

/// Touched stories holding more articles than this are not re-formed whole
/// at an arrival (only the touched events are): re-forming costs the
/// members' pairs, and a story this large is touched by most of its
/// arrivals.
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
    word_df: FastMap<u64, u32>,
    /// Articles counted by [`Stream::observe`].
    observed: usize,
    outlets: FastMap<String, u32>,
    prepared: Vec<Prepared>,
    index: HammingIndex,
    /// For every fingerprint in `index`: (article, paragraph index, numbers
    /// hash), as the batch's entries.
    owners: Vec<(u32, u32, u64)>,
    postings: FastMap<u64, Vec<u32>>,
    /// Each article's scored pairs at or above the floor: (other, score).
    scored: Vec<Vec<(u32, f32)>>,
    /// Each article's event and story, named by their smallest member.
    event: Vec<u32>,
    story: Vec<u32>,
    /// The members of each event and story, by name.
    event_members: FastMap<u32, Vec<u32>>,
    story_members: FastMap<u32, Vec<u32>>,
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
            word_df: FastMap::default(),
            observed: 0,
            outlets: FastMap::default(),
            prepared: Vec::new(),
            // The distance was checked by `build`.
            index: HammingIndex::new(self.config.max_distance)
                .unwrap_or_else(|_| HammingIndex::new(0).expect("0 is valid")),
            owners: Vec::new(),
            postings: FastMap::default(),
            scored: Vec::new(),
            event: Vec::new(),
            story: Vec::new(),
            event_members: FastMap::default(),
            story_members: FastMap::default(),
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
        let folded = self.clusterer.fold_terms(article);
        for (hash, _) in folded.lead_terms {
            *self.term_df.entry(hash).or_default() += 1;
        }
        for (hash, _) in folded.lead_words {
            *self.word_df.entry(hash).or_default() += 1;
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
        for &(hash, _) in &folded.lead_words {
            *self.word_df.entry(hash).or_default() += 1;
        }
        let n = self.prepared.len() + 1 + self.observed;
        let term_df = &self.term_df;
        let word_df = &self.word_df;
        let weights = Weights {
            term: &|h| idf(n, term_df.get(&h).copied().unwrap_or(1)),
            term_df: &|h| term_df.get(&h).copied().unwrap_or(0),
            word: &|h| idf(n, word_df.get(&h).copied().unwrap_or(1)),
            word_df: &|h| word_df.get(&h).copied().unwrap_or(0),
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
            for hash in &prepared.top_terms {
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
        for hash in &prepared.top_terms {
            self.postings.entry(*hash).or_default().push(position);
        }
        self.prepared.push(prepared);
        self.scored.push(Vec::new());
        self.event.push(position);
        self.story.push(position);
        self.event_members.insert(position, vec![position]);
        self.story_members.insert(position, vec![position]);

        // Score in position order (deterministic).
        let mut pairs: Vec<(u32, Vec<ParagraphMatch>)> = pairs.into_iter().collect();
        pairs.sort_unstable_by_key(|p| p.0);
        self.candidates += pairs.len();
        let model = &config.model;
        let threshold = model.event_threshold();
        let mut links: Vec<Link> = Vec::new();
        let mut touched = vec![position];
        for (b, mut matches) in pairs {
            matches.sort_unstable_by_key(|m| (m.a, m.b, m.distance));
            matches.dedup();
            let Some(evidence) = clusterer.pair_evidence(&self.prepared, (b, position), &matches)
            else {
                continue;
            };
            let Some(score) = evidence.score(model) else { continue };
            if score >= PAIR_FLOOR {
                self.scored[b as usize].push((position, score));
                self.scored[position as usize].push((b, score));
                touched.push(b);
            }
            if score >= threshold {
                let mut link = clusterer.link(&self.prepared, (b, position), evidence, score);
                let words: Vec<u64> = {
                    let (pa, pb) = (&self.prepared[b as usize], &self.prepared[position as usize]);
                    pa.top_words
                        .iter()
                        .copied()
                        .filter(|w| pb.top_words.binary_search(w).is_ok())
                        .collect()
                };
                if !words.is_empty() {
                    link.evidence.shared_terms = self.shared_terms(article, &words);
                }
                links.push(link);
            }
        }
        links.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.a, x.b).cmp(&(y.a, y.b))));
        let regrouped = self.place(&touched);
        self.links.extend(links.iter().cloned());
        let cluster = self.cluster_of(id).unwrap_or(id);
        Placement { id, cluster, links, regrouped }
    }

    /// The shared words of an earlier article and the new one: the new
    /// one's as it writes them, the earlier one's folded (its text is not
    /// kept).
    fn shared_terms(&self, article: &Article, words: &[u64]) -> Vec<super::SharedTerm> {
        let mut sorted = words.to_vec();
        sorted.sort_unstable();
        self.clusterer
            .word_forms(article, &sorted)
            .into_iter()
            .map(|(_, form)| super::SharedTerm {
                a: self.clusterer.normalizer().fold(&form).into_owned(),
                b: form,
            })
            .collect()
    }

    /// Re-forms the stories the new article `touched[0]` reaches through
    /// its scored pairs (see the module docs). Returns the earlier articles
    /// whose event name changed.
    fn place(&mut self, touched: &[u32]) -> Vec<ArticleId> {
        let me = touched[0];
        let gather = |by: &FastMap<u32, Vec<u32>>, names: &[u32]| {
            let mut members: Vec<u32> =
                touched.iter().flat_map(|&t| by[&names[t as usize]].iter().copied()).collect();
            members.sort_unstable();
            members.dedup();
            members
        };
        let mut members = gather(&self.story_members, &self.story);
        let whole_stories = members.len() <= REFORM_LIMIT;
        if !whole_stories {
            members = gather(&self.event_members, &self.event);
            if members.len() > REFORM_LIMIT {
                self.join_best(me);
                return Vec::new();
            }
        }
        let local: FastMap<u32, u32> =
            members.iter().enumerate().map(|(i, &m)| (m, i as u32)).collect();
        let pairs: Vec<(u32, u32, f32)> = members
            .iter()
            .enumerate()
            .flat_map(|(i, &m)| {
                let local = &local;
                self.scored[m as usize].iter().filter_map(move |&(o, score)| {
                    let j = *local.get(&o)?;
                    ((i as u32) < j).then_some((i as u32, j, score))
                })
            })
            .collect();
        let model = &self.clusterer.config.model;
        let partition = average_linkage(
            members.len(),
            &pairs,
            model.event_threshold(),
            model.story_threshold(),
        );
        let before: Vec<u32> = members.iter().map(|&m| self.event[m as usize]).collect();
        // The old events and stories of the members are gone; local names
        // are positions in `members`, which is sorted, so the smallest
        // local member is the smallest global one.
        for &m in &members {
            self.event_members.remove(&self.event[m as usize]);
        }
        let old_stories: Vec<u32> = {
            let mut s: Vec<u32> = members.iter().map(|&m| self.story[m as usize]).collect();
            s.sort_unstable();
            s.dedup();
            s
        };
        for (i, &m) in members.iter().enumerate() {
            self.event[m as usize] = members[partition.event[i] as usize];
            self.event_members.entry(self.event[m as usize]).or_default().push(m);
        }
        if whole_stories {
            for s in &old_stories {
                self.story_members.remove(s);
            }
            for (i, &m) in members.iter().enumerate() {
                self.story[m as usize] = members[partition.story[i] as usize];
                self.story_members.entry(self.story[m as usize]).or_default().push(m);
            }
        } else {
            // Only events were re-formed: the stories they came from become
            // one, so that every event still lies in one story.
            let mut all: Vec<u32> = old_stories
                .iter()
                .flat_map(|s| self.story_members.remove(s).unwrap_or_default())
                .collect();
            all.sort_unstable();
            let name = all[0];
            for &m in &all {
                self.story[m as usize] = name;
            }
            self.story_members.insert(name, all);
        }
        members
            .iter()
            .zip(before)
            .filter(|&(&m, old)| m != me && old != self.event[m as usize])
            .map(|(&m, _)| ArticleId(m))
            .collect()
    }

    /// Places the new article `me` without re-forming anything (its
    /// events are too large): it joins the event with the highest mean
    /// score to it, when that mean reaches the event threshold, and that
    /// event's story.
    fn join_best(&mut self, me: u32) {
        let mut sums: FastMap<u32, f64> = FastMap::default();
        for &(other, score) in &self.scored[me as usize] {
            *sums.entry(self.event[other as usize]).or_default() += f64::from(score);
        }
        let threshold = f64::from(self.clusterer.config.model.event_threshold());
        let best = sums
            .iter()
            .map(|(&e, &sum)| (sum / self.event_members[&e].len() as f64, e))
            .filter(|&(mean, _)| mean >= threshold)
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((_, event)) = best {
            self.event_members.remove(&me);
            self.story_members.remove(&me);
            let story = self.story[event as usize];
            self.event[me as usize] = event;
            self.story[me as usize] = story;
            self.event_members.entry(event).or_default().push(me);
            self.story_members.entry(story).or_default().push(me);
        }
    }

    /// The current event of an article (named by its smallest id), or
    /// `None` for an id the stream has not given.
    pub fn cluster_of(&self, id: ArticleId) -> Option<ArticleId> {
        self.event.get(id.0 as usize).map(|&e| ArticleId(e))
    }

    /// How many articles were added.
    pub fn len(&self) -> usize {
        self.prepared.len()
    }

    /// Whether no article was added.
    pub fn is_empty(&self) -> bool {
        self.prepared.is_empty()
    }

    /// The clustering so far, in the batch's form (ids are arrival numbers;
    /// links are those made at arrival).
    pub fn clustering(&self) -> Clustering {
        let mut links = self.links.clone();
        links.sort_by_key(|l| (l.a, l.b));
        let mut clusters: Vec<Vec<ArticleId>> = self
            .event_members
            .values()
            .map(|m| {
                let mut ids: Vec<ArticleId> = m.iter().map(|&i| ArticleId(i)).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        clusters.sort_unstable_by_key(|c| c[0]);
        let mut stories: FastMap<u32, Vec<usize>> = FastMap::default();
        for (i, c) in clusters.iter().enumerate() {
            stories.entry(self.story[c[0].0 as usize]).or_default().push(i);
        }
        let mut stories: Vec<Vec<usize>> = stories.into_values().collect();
        for s in &mut stories {
            s.sort_unstable();
        }
        stories.sort_unstable_by_key(|s| s[0]);
        Clustering { clusters, stories, links, candidates: self.candidates }
    }
}
