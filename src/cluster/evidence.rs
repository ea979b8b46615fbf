//! Scoring one candidate pair: its evidence and, above the threshold, a
//! [`Link`].

use serde::{Deserialize, Serialize};

use super::Clusterer;
use super::model::{Contribution, Feature, Features, Model};
use super::prepare::{Paragraph, Prepared, cosine};
use crate::ingest::ArticleId;

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

/// A term both articles hold, as each writes it (`川普` and `特朗普`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedTerm {
    /// As written in the first article.
    pub a: String,
    /// As written in the second.
    pub b: String,
}

impl std::fmt::Display for SharedTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.a == self.b { f.write_str(&self.a) } else { write!(f, "{}/{}", self.a, self.b) }
    }
}

/// Why two articles were linked: the evidence the model weighed, and what
/// each part of it added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
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
    /// Cosine of the IDF-weighted title words (0..=1).
    pub title_words: f32,
    /// Cosine of the IDF-weighted title + lead words (0..=1).
    pub lead_words: f32,
    /// Cosine of the user's vectors, when both articles have one.
    pub vector_similarity: Option<f32>,
    /// Hours between the publish times, when both are known.
    pub time_gap_hours: Option<f32>,
    /// Both articles come from one outlet.
    pub same_outlet: bool,
    /// Linked as a copy published outside the time window: the score is
    /// the coverage, not the model's.
    pub copy: bool,
    /// The most distinctive words both articles share (names, places,
    /// numbers), as each writes them, most distinctive first.
    pub shared_terms: Vec<SharedTerm>,
    /// What each feature added to the model's log-odds, largest first
    /// (empty for a copy).
    pub contributions: Vec<Contribution>,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let carried: Vec<String> = self
            .contributions
            .iter()
            .filter(|c| c.logit.abs() >= 0.05)
            .take(4)
            .map(|c| format!("{} {:+.2}", c.feature, c.logit))
            .collect();
        let terms: Vec<String> = self.shared_terms.iter().map(ToString::to_string).collect();
        write!(
            f,
            "coverage {:.2}, title words {:.2}, lead words {:.2}",
            self.coverage, self.title_words, self.lead_words
        )?;
        if let Some(gap) = self.time_gap_hours {
            write!(f, ", {gap:.1} h apart")?;
        }
        if self.same_outlet {
            f.write_str(", same outlet")?;
        }
        if self.copy {
            f.write_str(", copy")?;
        }
        if !carried.is_empty() {
            write!(f, "; carried by {}", carried.join(", "))?;
        }
        if !terms.is_empty() {
            write!(f, "; shared: {}", terms.join(" "))?;
        }
        Ok(())
    }
}

/// A scored pair of articles at or above the link threshold.
///
/// Displays as `a ~ b: score (evidence)`, e.g. `0 ~ 1: 0.83 (coverage 0.83
/// (0.83/0.83), title 0.52, content 0.61, 0.5 h apart, shared 花莲)`.
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

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ~ {}: {:.2} ({})", self.a, self.b, self.score, self.evidence)
    }
}

/// A candidate pair's evidence before the model weighs it: its features
/// and what a [`Link`] would show.
#[derive(Debug, Clone)]
pub(super) struct PairEvidence {
    pub(super) features: Features,
    /// Matches holding the same numbers, in the pair's own order.
    pub(super) counted: Vec<ParagraphMatch>,
    pub(super) shares: [f32; 2],
    pub(super) time_gap_hours: Option<f32>,
    /// Outside the time window: only a copy may link, with its coverage as
    /// its score.
    pub(super) in_window: bool,
    /// Whether the pair passes the copy rule (most of both texts in
    /// near-duplicate paragraphs with the same numbers).
    pub(super) copy: bool,
}

impl PairEvidence {
    /// The pair's score: the model's probability inside the window (at
    /// least the coverage of a copy: a copy is one report whatever the
    /// model says of its wording), the coverage of a copy outside it, `None`
    /// for other pairs outside it.
    pub(super) fn score(&self, model: &Model) -> Option<f32> {
        pair_score(model, &self.features, self.in_window, self.copy)
    }
}

/// The score rule of [`PairEvidence::score`], for callers that keep only a
/// pair's features and flags (training pairs).
pub(super) fn pair_score(
    model: &Model,
    features: &Features,
    in_window: bool,
    copy: bool,
) -> Option<f32> {
    let coverage = features.get(Feature::Coverage);
    match (in_window, copy) {
        (true, true) => Some(model.probability(features).max(coverage)),
        (true, false) => Some(model.probability(features)),
        (false, true) => Some(coverage),
        (false, false) => None,
    }
}

impl Clusterer {
    /// The evidence of a pair (positions `a < b`): a candidate, or two
    /// articles of one event to explain. Outside the time window only a copy
    /// scores ([`PairEvidence::score`]).
    pub(super) fn pair_evidence(
        &self,
        prepared: &[Prepared],
        (a, b): (u32, u32),
        matches: &[ParagraphMatch],
    ) -> PairEvidence {
        let config = &self.config;
        let (pa, pb) = (&prepared[a as usize], &prepared[b as usize]);
        let in_window = self.within_window(pa, pb);
        let time_gap_hours = match (pa.time_ms, pb.time_ms) {
            // `abs_diff`: no overflow for times `i64::MAX` apart.
            (Some(x), Some(y)) => Some((x.abs_diff(y) as f64 / 3.6e6) as f32),
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
        let shares = if config.signals.paragraphs {
            [
                share(pa, counted.iter().map(|(_, x, _)| (x.index, x.chars)).collect()).min(1.0),
                share(pb, counted.iter().map(|(_, _, y)| (y.index, y.chars)).collect()).min(1.0),
            ]
        } else {
            [0.0, 0.0]
        };
        let coverage = 0.5 * (shares[0] + shares[1]);
        // A copy far from its original: the text alone decides, and it
        // must show the same facts: its matches hold the same numbers
        // (`paragraph_matches` pairs no others outside the window), and at
        // least one holds some.
        let copy = config.signals.copies
            && coverage >= config.copy_coverage
            && counted.iter().any(|(_, x, _)| x.numbers != 0);
        let mut features = Features::default();
        features.set(Feature::Coverage, coverage);
        features.set(Feature::CoverageMin, shares[0].min(shares[1]));
        if config.signals.title {
            features.set(Feature::TitleBigrams, cosine(&pa.title, &pb.title));
            features.set(Feature::TitleWords, cosine(&pa.title_words, &pb.title_words));
        }
        let lead_words = cosine(&pa.lead_words, &pb.lead_words);
        if config.signals.content {
            features.set(Feature::LeadBigrams, cosine(&pa.content, &pb.content));
            features.set(Feature::LeadWords, lead_words);
            let most = pa.top_words.len().max(pb.top_words.len()).max(1);
            features.set(Feature::SharedWords, pa.shared_words(pb).len() as f32 / most as f32);
        }
        // One outlet rarely reports one event twice in a day; its items on
        // one story (a law passed, then each party's reaction; the morning
        // and the closing market report) share words because they share a
        // template and a topic.
        let same_outlet = pa.outlet.is_some() && pa.outlet == pb.outlet;
        if same_outlet && config.signals.outlet {
            features.set(Feature::SameOutlet, 1.0);
            features.set(Feature::SameOutletLeadWords, lead_words);
        }
        if config.signals.outlet {
            features.set(Feature::Outlets, pa.outlet_weight + pb.outlet_weight);
        }
        if config.signals.time {
            match time_gap_hours {
                Some(gap) => features.set(Feature::GapDays, (gap / 24.0).min(2.0)),
                None => features.set(Feature::NoTime, 1.0),
            }
        }
        if config.signals.title && config.signals.content {
            // Title word weight (squared entries of a unit vector sum to 1)
            // whose word the other article's title and lead lack.
            let novel = |x: &Prepared, y: &Prepared| -> f32 {
                let missing: f32 = x
                    .title_words
                    .iter()
                    .filter(|(h, _)| y.lead_words.binary_search_by_key(h, |e| e.0).is_err())
                    .map(|(_, w)| w * w)
                    .sum();
                if x.title_words.is_empty() { 0.0 } else { missing.min(1.0) }
            };
            let (na, nb) = (novel(pa, pb), novel(pb, pa));
            features.set(Feature::TitleNovelMax, na.max(nb));
            features.set(Feature::TitleNovelMin, na.min(nb));
        }
        if config.signals.title {
            let shared = pa.title_numbers.iter().any(|n| pb.title_numbers.binary_search(n).is_ok());
            features.set(Feature::TitleNumbers, f32::from(u8::from(shared)));
            match (pa.speaker, pb.speaker) {
                (0, 0) => {}
                (0, _) | (_, 0) => features.set(Feature::OneSpeaker, 1.0),
                (x, y) if x == y => features.set(Feature::SameSpeaker, 1.0),
                _ => features.set(Feature::OtherSpeaker, 1.0),
            }
        }
        let (short, long) = (pa.chars.min(pb.chars), pa.chars.max(pb.chars));
        let ratio = ((short.max(1) as f32) / (long.max(1) as f32)).ln() / 5.0;
        features.set(Feature::LengthRatio, ratio.max(-1.0));
        if let (Some(x), Some(y)) = (&pa.vector, &pb.vector) {
            let dot: f32 = x.iter().zip(y.iter()).map(|(p, q)| p * q).sum();
            features.set(Feature::Vector, 0.5 + 0.5 * dot.clamp(-1.0, 1.0));
        } else if config.model.uses_vectors() {
            features.set(Feature::Vector, config.model.missing_vector());
        }
        PairEvidence {
            features,
            counted: counted.into_iter().map(|(m, _, _)| m).collect(),
            shares,
            time_gap_hours,
            in_window,
            copy,
        }
    }

    /// The link of a pair scored `score`, with its evidence (shared terms
    /// are filled in later, by `name_shared_terms`).
    pub(super) fn link(
        &self,
        prepared: &[Prepared],
        (a, b): (u32, u32),
        evidence: PairEvidence,
        score: f32,
    ) -> Link {
        let (pa, pb) = (&prepared[a as usize], &prepared[b as usize]);
        let model = &self.config.model;
        let (id_a, id_b) = (pa.id, pb.id);
        let swap = id_a > id_b;
        let features = &evidence.features;
        let shares = evidence.shares;
        Link {
            a: id_a.min(id_b),
            b: id_a.max(id_b),
            score,
            evidence: Evidence {
                matched_paragraphs: evidence
                    .counted
                    .iter()
                    .map(|m| {
                        if swap {
                            ParagraphMatch { a: m.b, b: m.a, distance: m.distance }
                        } else {
                            *m
                        }
                    })
                    .collect(),
                coverage: features.get(Feature::Coverage),
                shares: if swap { [shares[1], shares[0]] } else { shares },
                title_similarity: features.get(Feature::TitleBigrams),
                content_similarity: features.get(Feature::LeadBigrams),
                title_words: features.get(Feature::TitleWords),
                lead_words: features.get(Feature::LeadWords),
                vector_similarity: match (&pa.vector, &pb.vector) {
                    (Some(_), Some(_)) => Some(2.0 * features.get(Feature::Vector) - 1.0),
                    _ => None,
                },
                time_gap_hours: evidence.time_gap_hours,
                same_outlet: pa.outlet.is_some() && pa.outlet == pb.outlet,
                copy: !evidence.in_window && evidence.copy,
                shared_terms: Vec::new(),
                contributions: if evidence.in_window {
                    model.contributions(features)
                } else {
                    Vec::new()
                },
            },
        }
    }
}
