//! Scoring one candidate pair: its evidence and, above the threshold, a
//! [`Link`].

use serde::{Deserialize, Serialize};

use super::Clusterer;
use super::prepare::{Paragraph, Prepared, cosine};
use crate::ingest::ArticleId;

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b] = self.shares;
        write!(f, "coverage {:.2} ({a:.2}/{b:.2})", self.coverage)?;
        write!(f, ", title {:.2}, content {:.2}", self.title_similarity, self.content_similarity)?;
        if let Some(gap) = self.time_gap_hours {
            write!(f, ", {gap:.1} h apart")?;
        }
        if self.same_outlet {
            f.write_str(", same outlet")?;
        }
        if !self.shared_terms.is_empty() {
            write!(f, ", shared {}", self.shared_terms.join(" "))?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ~ {}: {:.2} ({})", self.a, self.b, self.score, self.evidence)
    }
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
///
/// Displays as a one-line summary: `coverage 0.80 (1.00/0.60), title 0.41,
/// content 0.33, 2.0 h apart, same outlet, shared 花莲 地震`.
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

impl Clusterer {
    pub(super) fn score(
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
