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
//!
//! For a long-running service, [`Stream::expire_before`] drops articles
//! older than the window (memory stays bounded by the articles of one
//! window, plus the term counts), and [`Stream::save`] /
//! [`Clusterer::restore_stream`] carry the state across a restart.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::evidence::{Link, ParagraphMatch};
use super::linkage::{PAIR_FLOOR, average_linkage};
use super::prepare::{Folded, Paragraph, Prepared, Weights, idf};
use super::{
    BOILERPLATE_MATCHES, Clusterer, Clustering, FastMap, MAX_BLOCK_POSTINGS, SharedTerm, vectors,
};
use crate::error::{Error, ErrorKind};
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
    /// The id the stream gave the article: its arrival number (0, 1, …,
    /// never reused, also after [`Stream::expire_before`]).
    pub id: ArticleId,
    /// Its event, named by the event's smallest id (a later arrival can
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
/// # Stream or batch
///
/// [`Clusterer::cluster`] sees every article before it scores any: its
/// term weights come from the whole input and its merges take the
/// strongest links of the whole input first. A stream places each article
/// when it arrives, with the weights of what it has seen so far, and
/// re-forms the stories the article touches, so earlier articles can move
/// ([`Placement::regrouped`]). The two agree at pairwise F1 0.92 over the
/// evaluation corpus; the module notes of `stream.rs` and DESIGN.md
/// ("Streaming") say where and why they differ.
///
/// # A long-running stream
///
/// - **Memory**: [`Stream::expire_before`] drops the articles published
///   before a time (call it with the latest time less the window, e.g.
///   hourly); their links and index entries go with them. Clusters keep
///   their other members together. Term frequencies are kept: they are the
///   stream's knowledge of the language, and grow with the vocabulary only.
/// - **Restarts**: [`Stream::save`] gives a [`StreamState`] (serde), and
///   [`Clusterer::restore_stream`] makes a stream that goes on exactly as
///   the saved one would have.
/// - **Cold start**: a new stream knows no term frequencies, so its first
///   articles are weighted poorly and two reports of one event can stay
///   apart. [`Stream::observe`] (earlier articles) or
///   [`Stream::observe_state`] (the frequencies of a saved stream, without
///   its articles) warm it.
///
/// # Examples
///
/// ```
/// use zhdedup::{Clusterer, Loader};
/// let jsonl = include_bytes!("../../tests/fixtures/sample/exports.jsonl");
/// let articles = Loader::new().parse_bytes("exports.jsonl".as_ref(), jsonl).unwrap();
/// let clusterer = Clusterer::new();
/// let mut stream = clusterer.stream();
/// for article in &articles {
///     let placed = stream.add(article);
///     assert_eq!(stream.cluster_of(placed.id), Some(placed.cluster));
/// }
/// let placed: usize = stream.clusters().iter().map(Vec::len).sum();
/// assert_eq!(placed, articles.len());
///
/// // Saved and restored, it goes on as before.
/// let json = serde_json::to_string(&stream.save()).unwrap();
/// let restored = clusterer.restore_stream(serde_json::from_str(&json).unwrap()).unwrap();
/// assert_eq!(restored.clusters(), stream.clusters());
///
/// // Expiring everything before the latest article leaves that one.
/// let latest = articles.iter().filter_map(|a| a.published).map(|p| p.utc_ms).max().unwrap();
/// assert_eq!(stream.expire_before(latest), articles.len() - 1);
/// assert_eq!(stream.len(), 1);
/// ```
#[derive(Debug)]
pub struct Stream {
    clusterer: Clusterer,
    term_df: FastMap<u64, u32>,
    word_df: FastMap<u64, u32>,
    /// Articles counted by [`Stream::observe`] (and by
    /// [`Stream::observe_state`]).
    observed: usize,
    outlets: FastMap<String, u32>,
    /// The articles held, in arrival order, so their ids increase with
    /// their position (positions shift when articles expire; ids do not).
    prepared: Vec<Prepared>,
    /// For each held article, the time it expires by: its publish time, or
    /// for an article without one, the latest time the stream had seen when
    /// it arrived (so undated articles expire too).
    clock: Vec<i64>,
    /// The latest publish time seen.
    latest_ms: Option<i64>,
    /// The id the next article gets. 64 bits so that "every `u32` given" is
    /// a value, not a wrap.
    next_id: u64,
    index: HammingIndex,
    /// For every fingerprint in `index`: (article position, paragraph
    /// index, numbers hash), as the batch's entries.
    owners: Vec<(u32, u32, u64)>,
    postings: FastMap<u64, Vec<u32>>,
    /// Each article's scored pairs at or above the floor: (other position,
    /// score).
    scored: Vec<Vec<(u32, f32)>>,
    /// Each article's event and story, named by their smallest member's
    /// position.
    event: Vec<u32>,
    story: Vec<u32>,
    /// The members of each event and story, by name.
    event_members: FastMap<u32, Vec<u32>>,
    story_members: FastMap<u32, Vec<u32>>,
    /// Every link among the held articles, in arrival order of the later
    /// end.
    links: Vec<Link>,
    candidates: usize,
}

/// A [`Stream`]'s state, to save (with serde, in any format) and restore
/// with [`Clusterer::restore_stream`] after a restart.
///
/// Its contents are private and tied to this version of the crate and the
/// clusterer's settings: restore it with a clusterer built the same way.
/// A state from another version, or altered, is refused with
/// [`ErrorKind::BadState`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamState {
    version: u32,
    next_id: u64,
    latest_ms: Option<i64>,
    /// Sorted by hash, so that one state always serializes alike.
    term_df: Vec<(u64, u32)>,
    word_df: Vec<(u64, u32)>,
    observed: usize,
    /// Outlet names by their interned number.
    outlets: Vec<String>,
    articles: Vec<Prepared>,
    clock: Vec<i64>,
    /// Scored pairs as positions in `articles`, `a < b`.
    scored: Vec<(u32, u32, f32)>,
    /// Each article's event and story, as positions in `articles`.
    event: Vec<u32>,
    story: Vec<u32>,
    links: Vec<Link>,
    candidates: usize,
}

/// The [`StreamState`] layout this crate writes and reads (2: the learned
/// model's scored pairs, events and stories).
const STATE_VERSION: u32 = 2;

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
            clock: Vec::new(),
            latest_ms: None,
            next_id: 0,
            index: self.empty_index(),
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

    /// A stream in a saved state, with this clusterer's settings (build it
    /// as the saved stream's was). It goes on exactly as the saved stream
    /// would have.
    ///
    /// # Errors
    ///
    /// `bad_state` when the state is from another version of the crate or
    /// is not one a stream can be in (ids out of order, clusters that do
    /// not cover the articles, links to articles it does not hold).
    pub fn restore_stream(&self, state: StreamState) -> Result<Stream, Error> {
        let bad = |message: &str| Error::new(ErrorKind::BadState(message.to_string()));
        if state.version != STATE_VERSION {
            return Err(bad(&format!(
                "layout version {} (this crate reads {STATE_VERSION})",
                state.version
            )));
        }
        let n = state.articles.len();
        if state.clock.len() != n {
            return Err(bad("one expiry time per article is needed"));
        }
        if state.articles.windows(2).any(|w| w[0].id >= w[1].id)
            || state.articles.last().is_some_and(|a| u64::from(a.id.0) >= state.next_id)
        {
            return Err(bad("article ids must increase and be below the next id"));
        }
        if state.next_id > 1 << 32 {
            return Err(bad("the next id is beyond 2^32"));
        }
        let outlets = state.outlets.len();
        for article in &state.articles {
            let paragraphs_sorted = article.paragraphs.windows(2).all(|w| w[0].index < w[1].index);
            if article.outlet.is_some_and(|o| o as usize >= outlets) || !paragraphs_sorted {
                return Err(bad("an article names an outlet or paragraphs it cannot have"));
            }
        }
        // Held vectors are compared with each arrival's: one dimension, unit
        // length (within rounding), and only where the model weighs them.
        let mut dimension = None;
        for vector in state.articles.iter().filter_map(|a| a.vector.as_deref()) {
            let norm: f64 = vector.iter().map(|x| f64::from(*x).powi(2)).sum();
            if !self.config.model.uses_vectors()
                || *dimension.get_or_insert(vector.len()) != vector.len()
                || !(0.99..=1.01).contains(&norm)
            {
                return Err(bad(
                    "held vectors need a model that weighs them, one dimension and unit length",
                ));
            }
        }
        if state.event.len() != n || state.story.len() != n {
            return Err(bad("one event and one story per article are needed"));
        }
        // Names are the smallest member, an event lies in one story.
        for (i, (&e, &s)) in state.event.iter().zip(&state.story).enumerate() {
            let (e, s) = (e as usize, s as usize);
            if e > i || s > e || state.event[e] as usize != e || state.story[e] != state.story[i] {
                return Err(bad("events and stories must name their smallest member"));
            }
        }
        if state
            .scored
            .iter()
            .any(|&(a, b, p)| a >= b || b as usize >= n || !(0.0..=1.0).contains(&p))
        {
            return Err(bad("a scored pair names an article the state does not hold"));
        }
        let mut articles = state.articles;
        for article in &mut articles {
            // Checked above: an article's outlet is one the state names.
            let name = article.outlet.and_then(|o| state.outlets.get(o as usize));
            article.outlet_weight = name.map_or(0.0, |o| self.config.model.outlet_weight(o));
        }
        let mut stream = self.stream();
        stream.term_df = state.term_df.into_iter().collect();
        stream.word_df = state.word_df.into_iter().collect();
        stream.observed = state.observed;
        stream.outlets = state
            .outlets
            .into_iter()
            .enumerate()
            .map(|(i, name)| (name, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        stream.next_id = state.next_id;
        stream.latest_ms = state.latest_ms;
        stream.candidates = state.candidates;
        let partition = (state.event, state.story);
        stream.rebuild(articles, state.clock, &state.scored, partition, state.links)?;
        Ok(stream)
    }

    /// An empty index at this clusterer's distance.
    fn empty_index(&self) -> HammingIndex {
        // The distance was checked by `build`.
        HammingIndex::new(self.config.max_distance)
            .unwrap_or_else(|_| HammingIndex::new(0).expect("0 is valid"))
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
            let count = self.term_df.entry(hash).or_default();
            *count = count.saturating_add(1);
        }
        for (hash, _) in folded.lead_words {
            let count = self.word_df.entry(hash).or_default();
            *count = count.saturating_add(1);
        }
        self.observed = self.observed.saturating_add(1);
    }

    /// Counts the term frequencies of a saved stream (all it observed and
    /// added) into this one, without its articles: a warm start for a new
    /// stream, e.g. today's from yesterday's state.
    pub fn observe_state(&mut self, state: &StreamState) {
        for &(hash, df) in &state.term_df {
            let count = self.term_df.entry(hash).or_default();
            *count = count.saturating_add(df);
        }
        for &(hash, df) in &state.word_df {
            let count = self.word_df.entry(hash).or_default();
            *count = count.saturating_add(df);
        }
        let seen = state.observed.saturating_add(state.articles.len());
        self.observed = self.observed.saturating_add(seen);
    }

    /// Adds an article, links it to the earlier ones and places it. The
    /// stories it reaches are re-formed with it, so earlier articles can
    /// move; the placement lists them in [`Placement::regrouped`].
    ///
    /// # Panics
    ///
    /// After 2^32 articles, when every id has been given;
    /// [`Stream::try_add`] returns that as an error.
    pub fn add(&mut self, article: &Article) -> Placement {
        match self.try_add(article) {
            Ok(placement) => placement,
            Err(err) => panic!("{err}"),
        }
    }

    /// Adds an article, as [`Stream::add`].
    ///
    /// # Errors
    ///
    /// `ids_exhausted` when the stream has given all 2^32 ids.
    pub fn try_add(&mut self, article: &Article) -> Result<Placement, Error> {
        self.arrive(article, None)
    }

    /// Adds an article with its vector (as
    /// [`Clusterer::cluster_with_vectors`] weighs them), as [`Stream::add`].
    /// Articles added without one get the model's value for a missing
    /// vector; saved states keep the vectors.
    ///
    /// # Errors
    ///
    /// The model does not weigh vectors; the vector is empty, not finite,
    /// all zeros, or of another dimension than the held articles' vectors;
    /// as [`Stream::try_add`].
    pub fn try_add_with_vector(
        &mut self,
        article: &Article,
        vector: &[f32],
    ) -> Result<Placement, Error> {
        self.clusterer.check_vectors()?;
        // Held vectors share one dimension; the newest are the ones an
        // expired stream still holds, so look from the end.
        let held = self.prepared.iter().rev().find_map(|p| p.vector.as_ref().map(|v| v.len()));
        let unit = vectors::unit(vector, held)
            .map_err(|why| Error::config(format!("vector of the article added: {why}")))?;
        self.arrive(article, Some(unit))
    }

    /// Scores an arriving article (with its unit vector, if any) against the
    /// held ones and places it.
    fn arrive(
        &mut self,
        article: &Article,
        vector: Option<Arc<[f32]>>,
    ) -> Result<Placement, Error> {
        let id = u32::try_from(self.next_id).map_err(|_| Error::new(ErrorKind::IdsExhausted))?;
        let id = ArticleId(id);
        // Positions index `u32` tables; held articles are far fewer than
        // ids, and ids are below 2^32.
        let position =
            u32::try_from(self.prepared.len()).map_err(|_| Error::new(ErrorKind::IdsExhausted))?;
        self.next_id += 1;
        let clusterer = &self.clusterer;
        let config = &clusterer.config;

        // Frequencies first, so the article's own terms count (as in batch).
        let folded: Folded = clusterer.fold_terms(article);
        for &(hash, _) in &folded.lead_terms {
            let count = self.term_df.entry(hash).or_default();
            *count = count.saturating_add(1);
        }
        for &(hash, _) in &folded.lead_words {
            let count = self.word_df.entry(hash).or_default();
            *count = count.saturating_add(1);
        }
        let n = self.prepared.len().saturating_add(1).saturating_add(self.observed);
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
            let next = u32::try_from(self.outlets.len()).unwrap_or(u32::MAX);
            *self.outlets.entry(o.clone()).or_insert(next)
        });
        let mut prepared = clusterer.finish(article, id, &folded, &weights, outlet);
        prepared.vector = vector;

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
        let time = prepared.time_ms;
        self.prepared.push(prepared);
        self.clock.push(time.or(self.latest_ms).unwrap_or(i64::MIN));
        if let Some(t) = time {
            self.latest_ms = Some(self.latest_ms.map_or(t, |l| l.max(t)));
        }
        self.scored.push(Vec::new());
        self.event.push(position);
        self.story.push(position);
        self.event_members.insert(position, vec![position]);
        self.story_members.insert(position, vec![position]);

        // Score in position order (deterministic).
        let mut pairs: Vec<(u32, Vec<ParagraphMatch>)> = pairs.into_iter().collect();
        pairs.sort_unstable_by_key(|p| p.0);
        self.candidates = self.candidates.saturating_add(pairs.len());
        let model = &config.model;
        let threshold = model.event_threshold();
        let mut links: Vec<Link> = Vec::new();
        let mut touched = vec![position];
        let me = position as usize;
        // The new article's word forms, made at its first link.
        let mut forms: Option<Vec<(u64, String)>> = None;
        for (b, mut matches) in pairs {
            matches.sort_unstable_by_key(|m| (m.a, m.b, m.distance));
            matches.dedup();
            let evidence = clusterer.pair_evidence(&self.prepared, (b, position), &matches);
            let Some(score) = evidence.score(model) else { continue };
            if score >= PAIR_FLOOR {
                self.scored[b as usize].push((position, score));
                self.scored[position as usize].push((b, score));
                touched.push(b);
            }
            if score >= threshold {
                let mut link = clusterer.link(&self.prepared, (b, position), evidence, score);
                let words = self.prepared[b as usize].shared_words(&self.prepared[me]);
                if !words.is_empty() {
                    // The new article's words as it writes them, found once
                    // for all its links.
                    let forms = forms.get_or_insert_with(|| {
                        clusterer.word_forms(article, &self.prepared[me].top_words)
                    });
                    link.evidence.shared_terms = shared_terms(clusterer, forms, &words);
                }
                links.push(link);
            }
        }
        links.sort_by(|x, y| y.score.total_cmp(&x.score).then((x.a, x.b).cmp(&(y.a, y.b))));
        let regrouped = self.place(&touched);
        self.links.extend(links.iter().cloned());
        let cluster = self.cluster_of(id).unwrap_or(id);
        Ok(Placement { id, cluster, links, regrouped })
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
            .map(|(&m, _)| self.prepared[m as usize].id)
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

    /// The position of a held article.
    fn position(&self, id: ArticleId) -> Option<usize> {
        // Ids increase with position.
        self.prepared.binary_search_by_key(&id, |p| p.id).ok()
    }

    /// The current event of an article (named by its smallest id), or
    /// `None` for an id the stream has not given or has expired.
    pub fn cluster_of(&self, id: ArticleId) -> Option<ArticleId> {
        let position = self.position(id)?;
        Some(self.prepared[self.event[position] as usize].id)
    }

    /// How many articles the stream holds (added and not expired).
    pub fn len(&self) -> usize {
        self.prepared.len()
    }

    /// Whether the stream holds no article.
    pub fn is_empty(&self) -> bool {
        self.prepared.is_empty()
    }

    /// The events of the held articles, as [`Clustering::clusters`].
    pub fn clusters(&self) -> Vec<Vec<ArticleId>> {
        let mut clusters: Vec<Vec<ArticleId>> = self
            .event_members
            .values()
            .map(|m| {
                let mut ids: Vec<ArticleId> =
                    m.iter().map(|&i| self.prepared[i as usize].id).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        clusters.sort_unstable_by_key(|c| c[0]);
        clusters
    }

    /// The links among the held articles, in the order they were made
    /// (by their later end's arrival); no copy is made.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The clustering so far, in the batch's form (ids are arrival
    /// numbers; links are those made at arrival). It copies every link;
    /// [`Stream::clusters`] and [`Stream::links`] do not.
    pub fn clustering(&self) -> Clustering {
        let mut links = self.links.clone();
        links.sort_by_key(|l| (l.a, l.b));
        let clusters = self.clusters();
        let mut stories: FastMap<u32, Vec<usize>> = FastMap::default();
        for (i, c) in clusters.iter().enumerate() {
            let first = self.position(c[0]).unwrap_or(0);
            stories.entry(self.story[first]).or_default().push(i);
        }
        let mut stories: Vec<Vec<usize>> = stories.into_values().collect();
        for s in &mut stories {
            s.sort_unstable();
        }
        stories.sort_unstable_by_key(|s| s[0]);
        Clustering { clusters, stories, links, candidates: self.candidates }
    }

    /// Drops every article that expires before `time_ms` (milliseconds
    /// since the epoch, UTC): one published before it, or one without a
    /// publish time that arrived when the latest time seen was before it.
    /// Their links, scored pairs and index entries go with them; events and
    /// stories keep their other members together. Returns how many were
    /// dropped.
    ///
    /// Articles older than the window (`max_gap_hours`) before the newest
    /// can still link as late copies; expiring them gives that up for
    /// bounded memory. The work is linear in the articles held.
    pub fn expire_before(&mut self, time_ms: i64) -> usize {
        let keep: Vec<bool> = self.clock.iter().map(|&t| t >= time_ms).collect();
        let dropped = keep.iter().filter(|&&k| !k).count();
        if dropped == 0 {
            return 0;
        }
        // New positions of the kept articles.
        let mut new_position = vec![u32::MAX; keep.len()];
        let mut next = 0u32;
        for (slot, &k) in new_position.iter_mut().zip(&keep) {
            if k {
                *slot = next;
                next += 1;
            }
        }
        let scored: Vec<(u32, u32, f32)> = self
            .scored_pairs()
            .into_iter()
            .filter_map(|(a, b, p)| {
                let (a, b) = (new_position[a as usize], new_position[b as usize]);
                (a != u32::MAX && b != u32::MAX).then_some((a, b, p))
            })
            .collect();
        // Each kept article's event and story, named by their smallest kept
        // member (positions keep their order, so the first kept member met
        // in position order is the smallest).
        let rename = |labels: &[u32]| -> Vec<u32> {
            let mut first: FastMap<u32, u32> = FastMap::default();
            labels
                .iter()
                .zip(&keep)
                .enumerate()
                .filter(|(_, (_, k))| **k)
                .map(|(i, (label, _))| *first.entry(*label).or_insert(new_position[i]))
                .collect()
        };
        let partition = (rename(&self.event), rename(&self.story));
        let prepared = std::mem::take(&mut self.prepared);
        let clock = std::mem::take(&mut self.clock);
        let (prepared, clock): (Vec<Prepared>, Vec<i64>) =
            prepared.into_iter().zip(clock).zip(&keep).filter(|(_, k)| **k).map(|(p, _)| p).unzip();
        let kept_ids: Vec<ArticleId> = prepared.iter().map(|p| p.id).collect();
        let held = |id: ArticleId| kept_ids.binary_search(&id).is_ok();
        let links: Vec<Link> = std::mem::take(&mut self.links)
            .into_iter()
            .filter(|l| held(l.a) && held(l.b))
            .collect();
        // Consistent by construction: the same checks as a restore.
        if let Err(err) = self.rebuild(prepared, clock, &scored, partition, links) {
            unreachable!("expiry keeps the state consistent: {err}");
        }
        dropped
    }

    /// Every scored pair once, `a < b`, in position order.
    fn scored_pairs(&self) -> Vec<(u32, u32, f32)> {
        self.scored
            .iter()
            .enumerate()
            .flat_map(|(a, row)| {
                row.iter()
                    .filter(move |(b, _)| (a as u32) < *b)
                    .map(move |&(b, p)| (a as u32, b, p))
            })
            .collect()
    }

    /// The state, to restore with [`Clusterer::restore_stream`].
    pub fn save(&self) -> StreamState {
        let sorted = |map: &FastMap<u64, u32>| {
            let mut v: Vec<(u64, u32)> = map.iter().map(|(&h, &c)| (h, c)).collect();
            v.sort_unstable();
            v
        };
        let mut outlets: Vec<(&String, u32)> = self.outlets.iter().map(|(o, &i)| (o, i)).collect();
        outlets.sort_unstable_by_key(|o| o.1);
        StreamState {
            version: STATE_VERSION,
            next_id: self.next_id,
            latest_ms: self.latest_ms,
            term_df: sorted(&self.term_df),
            word_df: sorted(&self.word_df),
            observed: self.observed,
            outlets: outlets.into_iter().map(|(o, _)| o.clone()).collect(),
            articles: self.prepared.clone(),
            clock: self.clock.clone(),
            scored: self.scored_pairs(),
            event: self.event.clone(),
            story: self.story.clone(),
            links: self.links.clone(),
            candidates: self.candidates,
        }
    }

    /// Holds `prepared` (ids increasing) with `scored` pairs (positions),
    /// the `(event, story)` of each and `links` among them: the index,
    /// postings and member lists made again, in arrival order, so that the
    /// stream goes on as it would have.
    fn rebuild(
        &mut self,
        prepared: Vec<Prepared>,
        clock: Vec<i64>,
        scored: &[(u32, u32, f32)],
        (event, story): (Vec<u32>, Vec<u32>),
        links: Vec<Link>,
    ) -> Result<(), Error> {
        let bad = |message: &str| Error::new(ErrorKind::BadState(message.to_string()));
        self.index = self.clusterer.empty_index();
        self.owners.clear();
        self.postings.clear();
        for (position, p) in (0u32..).zip(&prepared) {
            for paragraph in &p.paragraphs {
                self.index.insert(paragraph.fingerprint);
                self.owners.push((position, paragraph.index, paragraph.numbers));
            }
            for hash in &p.top_terms {
                self.postings.entry(*hash).or_default().push(position);
            }
        }
        let position = |id: ArticleId| prepared.binary_search_by_key(&id, |p| p.id).ok();
        if links
            .iter()
            .any(|l| !matches!((position(l.a), position(l.b)), (Some(a), Some(b)) if a != b))
        {
            return Err(bad("a link names an article the state does not hold"));
        }
        self.scored = vec![Vec::new(); prepared.len()];
        for &(a, b, p) in scored {
            self.scored[a as usize].push((b, p));
            self.scored[b as usize].push((a, p));
        }
        self.event_members.clear();
        self.story_members.clear();
        for (i, (&e, &s)) in (0u32..).zip(event.iter().zip(&story)) {
            self.event_members.entry(e).or_default().push(i);
            self.story_members.entry(s).or_default().push(i);
        }
        self.event = event;
        self.story = story;
        self.prepared = prepared;
        self.clock = clock;
        self.links = links;
        Ok(())
    }
}

/// `words` (hashes) shared by an earlier article and the new one, in the
/// new one's text order: the new one's `forms` as it writes them, the
/// earlier one's folded (its text is not kept).
fn shared_terms(clusterer: &Clusterer, forms: &[(u64, String)], words: &[u64]) -> Vec<SharedTerm> {
    forms
        .iter()
        .filter(|(h, _)| words.binary_search(h).is_ok())
        .map(|(_, form)| SharedTerm {
            a: clusterer.normalizer().fold(form).into_owned(),
            b: form.clone(),
        })
        .collect()
}
