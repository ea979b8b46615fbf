//! Candidate pairs: near-duplicate paragraphs from a Hamming index, and
//! articles sharing one of their most distinctive terms or a headline
//! number in the time window
//! (blocking). Never all pairs.

use super::evidence::ParagraphMatch;
use super::prepare::Prepared;
use super::{BOILERPLATE_MATCHES, Clusterer, FastMap, MAX_BLOCK_POSTINGS};
use crate::fingerprint::Fingerprint;
use crate::index::HammingIndex;

impl Clusterer {
    /// Whether a paragraph with `near_duplicates` others in the whole input
    /// (earlier ones, in the stream) is also matched outside the time
    /// window, with those of them that hold the same numbers: the candidate
    /// rule for late copies, shared by the batch and the stream.
    pub(super) fn matched_across_window(&self, near_duplicates: usize) -> bool {
        self.config.signals.copies && near_duplicates <= self.config.max_paragraph_matches
    }

    pub(super) fn within_window(&self, a: &Prepared, b: &Prepared) -> bool {
        match (a.time_ms, b.time_ms) {
            // `abs_diff`: any two times, however far apart (a hand-made
            // article can hold `i64::MIN`), compare without overflow.
            (Some(x), Some(y)) if self.config.signals.time => {
                (x.abs_diff(y) as f64 / 3.6e6) <= f64::from(self.config.max_gap_hours)
            }
            _ => true,
        }
    }

    /// Candidate pairs `(a, b)` with `a < b` (positions), with their matched
    /// paragraphs; sorted.
    pub(super) fn candidates(
        &self,
        prepared: &[Prepared],
    ) -> Vec<((u32, u32), Vec<ParagraphMatch>)> {
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
                for &hash in &p.top_terms {
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
                        // Saturating: the times are untrusted and may be
                        // `i64::MAX` apart.
                        if config.signals.time
                            && ta != i64::MIN
                            && tb.saturating_sub(ta) > window_ms
                        {
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
    pub(super) fn paragraph_matches(
        &self,
        prepared: &[Prepared],
    ) -> Vec<((u32, u32), ParagraphMatch)> {
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
}
