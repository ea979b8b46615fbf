//! Preparing articles for scoring: folded title and lead vectors, the most
//! distinctive terms, and paragraph fingerprints.

use serde::{Deserialize, Serialize};

use super::frequencies::{Frequencies, NgramCounts, SHARDS, Settings, shard_of};
use super::{Clusterer, FastMap, PREPARE_ROUND, Vectors};
use crate::fingerprint::{Fingerprint, feature_hash, for_each_feature, simhash};
use crate::ingest::{Article, ArticleId};
use crate::progress::Stage;
use crate::segment::for_each_word;

/// How many of an article's most distinctive words are kept to show, and
/// count, as shared with another article.
pub(super) const TOP_WORDS: usize = 16;

/// A sparse vector sorted by feature hash, L2-normalised.
///
/// Keys are the low 32 bits of the feature hash: half the memory of 64-bit
/// keys (the vectors are most of what clustering holds, about 2.5 KB an
/// article), and two of the few hundred terms of a pair collide with a
/// chance of about 1 in 50,000, which moves a cosine by one term's weight.
pub(super) type Sparse = Vec<(u32, f32)>;

/// `terms` (sorted by hash) as a [`Sparse`] vector.
pub(super) fn sparse(terms: &[(u64, f32)]) -> Sparse {
    let mut v: Sparse = terms.iter().map(|&(h, w)| (h as u32, w)).collect();
    // Stable, so even colliding keys keep one order on every run.
    v.sort_by_key(|e| e.0);
    v
}

pub(super) fn cosine(a: &Sparse, b: &Sparse) -> f32 {
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

/// What the first pass of preparation keeps of an article: bigram and word
/// counts of the title and of title + lead (sorted by hash). Paragraph
/// features are counted for document frequencies and dropped, so memory
/// does not grow with the text (see `Clusterer::prepare`).
pub(super) struct Folded {
    pub(super) title_terms: Vec<(u64, f32)>,
    pub(super) lead_terms: Vec<(u64, f32)>,
    pub(super) title_words: Vec<(u64, f32)>,
    pub(super) lead_words: Vec<(u64, f32)>,
    /// The hash of the speaker the title names (0 for none).
    pub(super) speaker: u64,
    /// The numbers the title holds ([`is_title_number`]), sorted.
    pub(super) title_numbers: Box<[u64]>,
}

/// An article ready for scoring. Serializable and cloneable so that a
/// [`super::Stream`] can be saved and restored.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Prepared {
    pub(super) id: ArticleId,
    /// The outlet, interned.
    pub(super) outlet: Option<u32>,
    /// The outlet's weight in the model's outlet table (0 for none): a
    /// pair's [`Feature::Outlets`](super::Feature::Outlets) is the sum of
    /// its two articles'. Derived from the outlet and the model, so a saved
    /// stream does not keep it: `restore_stream` looks it up again in the
    /// restoring clusterer's model (a state's number could be stale, or not
    /// finite).
    #[serde(skip)]
    pub(super) outlet_weight: f32,
    pub(super) time_ms: Option<i64>,
    pub(super) title: Sparse,
    pub(super) content: Sparse,
    /// IDF-weighted word vectors of the title and of title + lead.
    pub(super) title_words: Sparse,
    pub(super) lead_words: Sparse,
    pub(super) paragraphs: Vec<Paragraph>,
    pub(super) fingerprinted_chars: u32,
    /// Characters of body text (for the length ratio).
    pub(super) chars: u32,
    /// What the article is blocked on: its most distinctive title and lead
    /// bigrams, by weight, then the numbers its title holds that are not
    /// among them. A figure both headlines hold (`3.2%`) can rank below 24
    /// bigrams of a long lead; without it, one report in six of a GDP
    /// release was never compared with the others (LOG, 2026-12-07).
    pub(super) top_terms: Vec<u64>,
    /// The most distinctive words, sorted by hash: what a link shows as
    /// shared (named in the original script by `Clusterer::word_forms`).
    pub(super) top_words: Vec<u64>,
    /// A hash of the speaker its title names (`陸委會` in "…清單 陸委會：煽動
    /// 對立"), 0 for none.
    pub(super) speaker: u64,
    /// The numbers its title holds ([`is_title_number`]), sorted; states
    /// saved before this field hold none.
    #[serde(default)]
    pub(super) title_numbers: Box<[u64]>,
    /// The user's vector for the article, L2-normalised, if one was given.
    pub(super) vector: Option<std::sync::Arc<[f32]>>,
}

/// A fingerprinted paragraph of a [`Prepared`] article.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct Paragraph {
    pub(super) fingerprint: Fingerprint,
    /// Its index in [`Article::paragraphs`].
    pub(super) index: u32,
    /// Characters, after folding.
    pub(super) chars: u32,
    /// A hash of the set of numbers it holds (0 for none): a copy keeps its
    /// numbers, a new round of a recurring report changes them.
    pub(super) numbers: u64,
}

/// One paragraph's features, before its fingerprint is made (the first
/// pass counts them, the second weighs them).
pub(super) struct ParagraphFeatures<'a> {
    /// Its index in [`Article::paragraphs`].
    pub(super) index: u32,
    /// Characters, after folding.
    pub(super) chars: u32,
    /// N-gram feature hashes, sorted and deduplicated.
    pub(super) features: &'a [u64],
    /// The hashes of the features that are numbers, in text order, with
    /// repeats (only the second pass needs them as a set).
    pub(super) numbers: &'a mut Vec<u64>,
}

impl Prepared {
    /// The most distinctive words both articles hold, sorted by hash.
    pub(super) fn shared_words(&self, other: &Prepared) -> Vec<u64> {
        let words = self.top_words.iter().copied();
        words.filter(|w| other.top_words.binary_search(w).is_ok()).collect()
    }
}

impl Prepared {
    /// Frees what only scoring reads (the vectors, paragraphs and blocking
    /// terms), keeping the id and the top words that name shared terms.
    pub(super) fn keep_only_words(&mut self) {
        self.title = Sparse::new();
        self.content = Sparse::new();
        self.title_words = Sparse::new();
        self.lead_words = Sparse::new();
        self.paragraphs = Vec::new();
        self.top_terms = Vec::new();
        self.title_numbers = Box::default();
        self.vector = None;
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The vectors and fingerprints are too long to be worth printing.
        f.debug_struct("Prepared").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Term weights as preparation sees them: from the whole input (batch) or
/// from the articles seen so far (stream).
pub(super) struct Weights<'a> {
    /// IDF of a title/lead bigram.
    pub(super) term: &'a (dyn Fn(u64) -> f32 + Sync),
    /// How many articles hold a title/lead bigram.
    pub(super) term_df: &'a (dyn Fn(u64) -> u32 + Sync),
    /// IDF of a paragraph n-gram.
    pub(super) ngram: &'a (dyn Fn(u64) -> f32 + Sync),
    /// IDF of a title/lead word.
    pub(super) word: &'a (dyn Fn(u64) -> f32 + Sync),
    /// How many articles hold a title/lead word.
    pub(super) word_df: &'a (dyn Fn(u64) -> u32 + Sync),
}

/// Smoothed inverse document frequency of a term held by `df` of `n` articles.
pub(super) fn idf(n: usize, df: u32) -> f32 {
    ((1.0 + n as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Whether a title feature is a number that names a figure: two digits or
/// more (`6.1`, `113`, `3.2`), but not a year (`2020`). Two headlines with
/// one figure report one data release or incident more often than their
/// words say (LOG, 2026-12-07).
fn is_title_number(feature: &str) -> bool {
    if !feature.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let digits = feature.chars().filter(char::is_ascii_digit).count();
    let year = digits == 4
        && feature.len() == 4
        && (feature.starts_with("19") || feature.starts_with("20"));
    digits >= 2 && !year
}

/// The numbers of a (folded) title that name a date, a time or a span
/// (`22日`, `7月`, `72小时`, `50年`): the day's other news holds them too,
/// so they name the day or the story, not one figure.
fn date_numbers(title: &str) -> Vec<&str> {
    const UNITS: &[&str] = &["日", "号", "月", "时", "点", "小时", "天", "周", "分钟", "年"];
    let mut found = Vec::new();
    let mut rest = title;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let tail = &rest[start..];
        let len = tail.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(tail.len());
        let after = tail[len..].trim_start();
        if UNITS.iter().any(|u| after.starts_with(u)) {
            found.push(tail[..len].trim_end_matches('.'));
        }
        rest = &tail[len..];
    }
    found
}

/// The speaker a (folded) title names before a colon: the text from the
/// last space or punctuation before the first colon up to it, when it is 1
/// to 10 characters ("陸委會" in "陸擬定清單 陸委會：煽動對立", "蓬佩奥" in
/// "蓬佩奥：美国希望…"). A headline that quotes someone is that speaker's
/// news; a reaction is another party's.
pub(super) fn speaker(title: &str) -> Option<&str> {
    let colon = title.find(['：', ':'])?;
    let before = &title[..colon];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || (!c.is_alphanumeric() && *c != '·'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &before[start..];
    let genre = COLUMN_WORDS.iter().any(|w| name.contains(w));
    ((1..=10).contains(&name.chars().count()) && !genre).then_some(name)
}

/// Words that make a label before a colon a column or a genre, not a
/// party: Reuters' `焦点：` and `综述：`, VOA's `时事大家谈：`, DW's
/// `德语媒体：`, `FT社评：`. Two such titles share a format, not a speaker.
/// Folded (Simplified) forms, as `speaker` reads folded titles.
const COLUMN_WORDS: &[&str] = &[
    "焦点",
    "综述",
    "分析",
    "独家",
    "简报",
    "专访",
    "评论",
    "社论",
    "社评",
    "快评",
    "观点",
    "观察",
    "聚焦",
    "展望",
    "洞察",
    "观测",
    "图表",
    "文摘",
    "要义",
    "大家谈",
    "媒体",
    "调查",
    "研究",
    "报告",
    "快讯",
    "更新",
    "直播",
    "视频",
    "图辑",
    "Photo",
];

impl Clusterer {
    /// The document frequencies of `articles` (the first pass of
    /// [`prepare`](Self::prepare) without keeping what it folds).
    pub(super) fn count(&self, articles: &[Article]) -> Frequencies {
        let mut counts = self.empty_frequencies();
        let mut ngrams = NgramCounts::new();
        for round in articles.chunks(PREPARE_ROUND) {
            self.count_round(round, Some((&mut counts, &mut ngrams)));
        }
        counts.add_ngrams(ngrams);
        counts
    }

    /// The first pass over one round: each article's title and lead folded,
    /// and, with `counts`, its terms counted there and its paragraph
    /// n-grams in the n-gram counts (integer sums, so the result is exact
    /// whatever the order and the thread count). Without `counts` the
    /// paragraphs are not read.
    fn count_round(
        &self,
        round: &[Article],
        counts: Option<(&mut Frequencies, &mut NgramCounts)>,
    ) -> Vec<Folded> {
        let count = counts.is_some();
        let (folded, ngrams): (Vec<Folded>, Vec<Vec<u64>>) = self
            .workers
            .map(round, |article| {
                let ngrams = if count { self.paragraph_ngrams(article) } else { Vec::new() };
                (self.fold_terms(article), ngrams)
            })
            .into_iter()
            .unzip();
        if let Some((counts, ngram_counts)) = counts {
            for terms in &folded {
                counts.add(&terms.lead_terms, &terms.lead_words);
            }
            ngram_counts.count(&ngrams, &self.workers);
        }
        folded
    }

    /// No articles counted, with this clusterer's folding settings.
    pub(super) fn empty_frequencies(&self) -> Frequencies {
        let c = &self.config;
        let setting = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Frequencies {
            settings: Settings {
                ngram: setting(c.ngram),
                lead_chars: setting(c.lead_chars),
                min_paragraph_chars: setting(c.min_paragraph_chars),
            },
            ..Frequencies::default()
        }
    }

    /// The distinct n-grams of an article's paragraphs, sorted.
    fn paragraph_ngrams(&self, article: &Article) -> Vec<u64> {
        let mut seen = Vec::new();
        self.paragraph_features(article, |paragraph| {
            seen.extend_from_slice(paragraph.features);
        });
        seen.sort_unstable();
        seen.dedup();
        seen
    }

    /// Prepares every article in two passes over rounds of
    /// [`PREPARE_ROUND`] articles. The first folds titles and leads and,
    /// unless the clusterer was given [`Frequencies`], counts document
    /// frequencies of the title/lead bigrams and words and of the paragraph
    /// n-grams; the second, with the IDF weights known, builds the vectors
    /// and the paragraph simhashes. Paragraph features are computed twice
    /// rather than kept: keeping them cost about 8 KB an article, 8 GB at a
    /// million articles.
    pub(super) fn prepare(&self, articles: &[Article], vectors: Option<&Vectors>) -> Vec<Prepared> {
        // One vector per round, so that the second pass can free each round
        // as it goes (at a million articles these hold about 5 GB).
        let mut folded: Vec<Vec<Folded>> = Vec::new();
        let given = self.config.frequencies.as_deref();
        let mut counted = self.empty_frequencies();
        let mut ngram_counts = NgramCounts::new();
        let progress = &self.config.progress;
        let total = articles.len();
        progress.report(Stage::Count, 0, total);
        for round in articles.chunks(PREPARE_ROUND) {
            // Given frequencies spare the pass over the paragraphs.
            let counts = given.is_none().then_some((&mut counted, &mut ngram_counts));
            folded.push(self.count_round(round, counts));
            progress.report(Stage::Count, (folded.len() * PREPARE_ROUND).min(total), total);
        }
        // The number of articles is untrusted when the counts are given
        // (from bytes); `as` saturates, and `idf` takes any count.
        let n = given.map_or(counted.articles, |g| g.articles) as usize;
        let idf = |df: u32| idf(n, df);
        // Every paragraph feature is looked up here, and the lookups are
        // cache misses (a seventh of the single-thread time in a profile).
        // N-grams held by one article get the default weight below, so they
        // are left out: on the corpus that is 1.6 of 2.7 million entries.
        // Kept in the counts' shards, each made on one thread and its
        // counts freed as it goes.
        let mut ngram_idf: Vec<FastMap<u64, f32>> = vec![FastMap::default(); SHARDS];
        let weigh = |df: u32| (df > 1).then(|| idf(df));
        match given {
            Some(g) => {
                for (&h, &df) in &g.ngrams {
                    if let Some(w) = weigh(df) {
                        ngram_idf[shard_of(h)].insert(h, w);
                    }
                }
            }
            None => {
                let mut shards = std::mem::take(&mut ngram_counts).into_shards();
                let mut work: Vec<_> = shards.iter_mut().zip(ngram_idf.iter_mut()).collect();
                self.workers.for_each_mut(&mut work, |(counts, weights)| {
                    let counts = std::mem::take(*counts);
                    weights.extend(counts.into_iter().filter_map(|(h, df)| Some((h, weigh(df)?))));
                });
            }
        }
        let counts = given.unwrap_or(&counted);
        // One logarithm per distinct term rather than one per occurrence.
        let term_idf: FastMap<u64, f32> =
            counts.terms.iter().map(|(&h, &df)| (h, idf(df))).collect();
        let word_idf: FastMap<u64, f32> =
            counts.words.iter().map(|(&h, &df)| (h, idf(df))).collect();
        let (term_df, word_df) = (&counts.terms, &counts.words);
        let rare = idf(1);
        let weights = Weights {
            term: &|h| term_idf.get(&h).copied().unwrap_or(rare),
            term_df: &|h| term_df.get(&h).copied().unwrap_or(0),
            ngram: &|h| ngram_idf[shard_of(h)].get(&h).copied().unwrap_or(rare),
            word: &|h| word_idf.get(&h).copied().unwrap_or(rare),
            word_df: &|h| word_df.get(&h).copied().unwrap_or(0),
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
                let mut prepared = self.finish(article, article.id, f, &weights, outlet);
                prepared.vector = vectors.and_then(|v| v.get(article.id));
                prepared
            }));
            progress.report(Stage::Fingerprint, prepared.len(), total);
        }
        prepared
    }

    /// The second half of preparing one article, once the weights are known;
    /// `id` is what its links will name it by.
    pub(super) fn finish(
        &self,
        article: &Article,
        id: ArticleId,
        f: &Folded,
        weights: &Weights<'_>,
        outlet: Option<u32>,
    ) -> Prepared {
        let weighted = |terms: &[(u64, f32)], idf: &(dyn Fn(u64) -> f32 + Sync)| {
            let mut v: Vec<(u64, f32)> =
                terms.iter().map(|&(h, tf)| (h, (1.0 + tf.ln()) * idf(h))).collect();
            // Summed in hash order: a float sum in another order differs in
            // its last bits, which can tip a pair across the threshold.
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-9);
            for entry in &mut v {
                entry.1 /= norm;
            }
            v
        };
        let vector = |terms: &[(u64, f32)]| weighted(terms, weights.term);
        // The heaviest terms held by at least two articles, heaviest first
        // (ties by hash).
        let most_distinctive = |v: &[(u64, f32)], df: &(dyn Fn(u64) -> u32 + Sync), keep| {
            let mut ranked: Vec<(f32, u64)> =
                v.iter().filter(|(h, _)| df(*h) >= 2).map(|&(h, w)| (w, h)).collect();
            ranked.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            ranked.truncate(keep);
            // Collected from a slice, not `into_iter`: collecting in place
            // would keep the ranking's buffer, twice the candidates' length
            // in `u64`s (485 slots for 24 terms, and 223 for 16 words: 5.5 KB
            // an article, 5 GB of a synthetic million's 18 GB peak).
            ranked.iter().map(|r| r.1).collect::<Vec<u64>>()
        };
        let content = vector(&f.lead_terms);
        let mut top_terms = most_distinctive(&content, weights.term_df, self.config.blocking_terms);
        let numbers: Vec<u64> =
            f.title_numbers.iter().copied().filter(|n| !top_terms.contains(n)).collect();
        // Exactly: a doubled buffer would cost a synthetic million 180 MiB.
        top_terms.reserve_exact(numbers.len());
        top_terms.extend(numbers);
        let content = sparse(&content);
        let lead_words = weighted(&f.lead_words, weights.word);
        let mut top_words = most_distinctive(&lead_words, weights.word_df, TOP_WORDS);
        top_words.sort_unstable();
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
        // Pushed one by one: 16 slots for 11.6 paragraphs on average, 100
        // bytes an article held to the end.
        paragraphs.shrink_to_fit();
        Prepared {
            id,
            outlet,
            outlet_weight: article
                .outlet
                .as_deref()
                .map_or(0.0, |name| self.config.model.outlet_weight(name)),
            time_ms: article.published.map(|p| p.utc_ms),
            title: sparse(&vector(&f.title_terms)),
            content,
            title_words: sparse(&weighted(&f.title_words, weights.word)),
            lead_words: sparse(&lead_words),
            fingerprinted_chars: paragraphs.iter().map(|p| p.chars).sum(),
            chars: u32::try_from(article.text_chars()).unwrap_or(u32::MAX),
            paragraphs,
            top_terms,
            top_words,
            speaker: f.speaker,
            title_numbers: f.title_numbers.clone(),
            vector: None,
        }
    }

    /// The title and lead bigram and word counts of an article (features
    /// never cross the line breaks between title and paragraphs).
    pub(super) fn fold_terms(&self, article: &Article) -> Folded {
        let normalizer = self.normalizer();
        let title = normalizer.fold(&article.title);
        let mut title_terms: FastMap<u64, f32> = FastMap::default();
        let mut title_numbers = Vec::new();
        let dates = date_numbers(&title);
        for_each_feature(&title, 2, |f| {
            let hash = feature_hash(f);
            *title_terms.entry(hash).or_default() += 1.0;
            if is_title_number(f) && !dates.contains(&f) {
                title_numbers.push(hash);
            }
        });
        title_numbers.sort_unstable();
        title_numbers.dedup();
        let mut title_words: FastMap<u64, f32> = FastMap::default();
        for_each_word(&title, |w, _| *title_words.entry(feature_hash(w)).or_default() += 1.0);
        let mut lead_terms = title_terms.clone();
        let mut lead_words = title_words.clone();
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
            for_each_word(&text[..end], |w, _| {
                *lead_words.entry(feature_hash(w)).or_default() += 1.0;
            });
            lead_left = lead_left.saturating_sub(text.chars().count());
        }
        let sorted = |map: FastMap<u64, f32>| {
            let mut v: Vec<(u64, f32)> = map.into_iter().collect();
            v.sort_unstable_by_key(|e| e.0);
            v
        };
        Folded {
            title_terms: sorted(title_terms),
            lead_terms: sorted(lead_terms),
            title_words: sorted(title_words),
            lead_words: sorted(lead_words),
            speaker: speaker(&title).map_or(0, feature_hash),
            title_numbers: title_numbers.into_boxed_slice(),
        }
    }

    /// The original-script form of each of `wanted` (word hashes, sorted) in the
    /// article's title and lead, as a reader sees it: `川普` in a Taiwanese
    /// report where the fold holds `特朗普`. Computed for linked articles
    /// only, after clustering, so that preparation keeps no text.
    pub(super) fn word_forms(&self, article: &Article, wanted: &[u64]) -> Vec<(u64, String)> {
        let normalizer = self.normalizer();
        let mut forms: Vec<(u64, String)> = Vec::new();
        let mut lead_left = self.config.lead_chars;
        let texts = std::iter::once(article.title.as_str())
            .chain(article.paragraphs.iter().map(String::as_str));
        for (n, original) in texts.enumerate() {
            // Each word's first form is the one kept: once every word has
            // one, the rest of the lead need not be segmented.
            if (n > 0 && lead_left == 0) || forms.len() == wanted.len() {
                break;
            }
            let folded = normalizer.fold_mapped(original);
            let end = if n == 0 {
                folded.text.len()
            } else {
                let end =
                    folded.text.char_indices().nth(lead_left).map_or(folded.text.len(), |(i, _)| i);
                lead_left = lead_left.saturating_sub(folded.text.chars().count());
                end
            };
            for_each_word(&folded.text[..end], |word, range| {
                let hash = feature_hash(word);
                if wanted.binary_search(&hash).is_err() || forms.iter().any(|f| f.0 == hash) {
                    return;
                }
                // From the original character of the word's first byte to
                // the end of the one of its last byte.
                let start = folded.origin[range.start];
                let last = folded.origin[range.end - 1];
                let stop = original[last..].chars().next().map_or(last, |c| last + c.len_utf8());
                if let Some(form) = original.get(start..stop) {
                    forms.push((hash, form.to_string()));
                }
            });
        }
        forms
    }

    /// Calls `each` for every paragraph long enough to fingerprint, with its
    /// n-gram feature hashes sorted and deduplicated.
    pub(super) fn paragraph_features(
        &self,
        article: &Article,
        mut each: impl FnMut(ParagraphFeatures<'_>),
    ) {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_numbers_leave_out_years_and_lone_digits() {
        let clusterer = Clusterer::new();
        let title_numbers = |title: &str| {
            let record = crate::Record::new(title).text("正文");
            let article = crate::Loader::new().parse_record(&record).unwrap();
            clusterer.fold_terms(&article).title_numbers
        };
        let hashes = |ns: &[&str]| {
            let mut v: Vec<u64> = ns.iter().map(|n| feature_hash(n)).collect();
            v.sort_unstable();
            v.into_boxed_slice()
        };
        assert_eq!(title_numbers("中国2020年二季度gdp同比增长3.2%"), hashes(&["3.2"]));
        assert_eq!(title_numbers("花莲外海6.1级地震 113宗"), hashes(&["6.1", "113"]));
        assert_eq!(title_numbers("3月5日 第1次"), hashes(&[]));
        assert_eq!(title_numbers("12宗 12宗"), hashes(&["12"]), "once each");
        assert_eq!(title_numbers("22日截止 72小时内 50年最低"), hashes(&[]), "dates and spans");
        assert!(title_numbers("").is_empty());
    }

    #[test]
    fn speakers_are_read_before_the_first_colon() {
        assert_eq!(speaker("陆拟定台独顽固分子清单 陆委会：煽动对立"), Some("陆委会"));
        assert_eq!(speaker("蓬佩奥：美国希望建立国际联盟"), Some("蓬佩奥"));
        assert_eq!(speaker("早安世界》中天新闻台换照失败 NCC：违规严重"), Some("NCC"));
        assert_eq!(speaker("美国要求关闭中国驻休斯顿总领馆"), None);
        assert_eq!(speaker("：开头"), None);
        assert_eq!(speaker("焦点：美国务卿称将实施签证限制"), None);
        assert_eq!(speaker("德语媒体：中国扩大朋友圈"), None);
    }

    #[test]
    fn cosine_of_normalised_vectors() {
        let a: Sparse = vec![(1, 0.6), (2, 0.8)];
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&a, &vec![(3, 1.0)]), 0.0);
    }
}
