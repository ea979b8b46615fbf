//! The clusterer's settings: [`ClustererBuilder`] and [`Signals`].

use serde::{Deserialize, Serialize};

use std::sync::Arc;

use super::Clusterer;
use super::frequencies::Frequencies;
use super::model::Model;
use crate::error::Error;
use crate::index::HammingIndex;
use crate::normalize::Normalizer;
use crate::parallel::Workers;
use crate::progress::{Progress, Reporter};

/// Which signals the scorer uses (all by default); switching one off is how
/// the ablation table in DESIGN.md is made. Signals may be added, so start
/// from the default and switch fields off:
///
/// ```
/// let mut signals = zhdedup::Signals::default();
/// signals.copies = false;
/// assert!(zhdedup::Clusterer::builder().signals(signals).build().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Signals {
    /// Near-duplicate paragraphs (simhash) as candidates and as evidence.
    pub paragraphs: bool,
    /// Title cosine.
    pub title: bool,
    /// Title + lead cosine.
    pub content: bool,
    /// The publish-time window and decay.
    pub time: bool,
    /// The same-outlet discount on title and lead similarity, and the
    /// model's outlet table ([`Feature::Outlets`](crate::Feature::Outlets)).
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
    pub(super) normalizer: Option<Normalizer>,
    pub(super) ngram: usize,
    pub(super) max_distance: u32,
    pub(super) min_paragraph_chars: usize,
    pub(super) max_paragraph_matches: usize,
    pub(super) lead_chars: usize,
    pub(super) blocking_terms: usize,
    pub(super) max_gap_hours: f32,
    pub(super) copy_coverage: f32,
    pub(super) signals: Signals,
    pub(super) model: Model,
    pub(super) threads: usize,
    pub(super) progress: Reporter,
    /// Counts to weigh terms by in place of the input's.
    pub(super) frequencies: Option<Arc<Frequencies>>,
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
            signals: Signals::default(),
            model: Model::builtin(),
            threads: 0,
            progress: Reporter::default(),
            frequencies: None,
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

    /// The pair model and its thresholds (default [`Model::builtin`]).
    pub fn model(&mut self, model: Model) -> &mut Self {
        self.model = model;
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
    /// [`Stage::Read`](crate::Stage::Read)), for a progress bar. Results do not depend on it.
    pub fn progress(&mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> &mut Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// Weigh terms by these document frequencies instead of counting the
    /// input's (default: count the input's). For clustering part of an
    /// archive (a time window) as a run over the whole would: give every
    /// part the whole archive's counts, from
    /// [`Clusterer::frequencies`] of its parts [merged](Frequencies::merge).
    /// A [`Stream`](crate::Stream) counts what it has seen and ignores them.
    pub fn frequencies(&mut self, frequencies: Frequencies) -> &mut Self {
        self.frequencies = Some(Arc::new(frequencies));
        self
    }

    /// Checks the settings and builds the clusterer.
    ///
    /// # Errors
    ///
    /// A setting out of its documented range; frequencies counted with
    /// other `ngram`, `lead_chars` or `min_paragraph_chars`.
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
        for (name, value) in [("copy_coverage", self.copy_coverage)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::config(format!("{name} must be in 0..=1")));
            }
        }
        if self.max_gap_hours.is_nan() || self.max_gap_hours <= 0.0 {
            return Err(Error::config("max_gap_hours must be positive"));
        }
        let mut config = self.clone();
        config.normalizer.get_or_insert_with(Normalizer::new);
        let clusterer = Clusterer { workers: Workers::new(config.threads), config };
        if let Some(given) = clusterer.config.frequencies.as_deref() {
            // As if the clusterer had counted one article itself.
            let own = Frequencies { articles: 1, ..clusterer.empty_frequencies() };
            own.check_settings(given)?;
        }
        Ok(clusterer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_settings_rejected() {
        assert!(Clusterer::builder().build().is_ok());
        assert!(Clusterer::builder().ngram(0).build().is_err());
        assert!(Clusterer::builder().blocking_terms(0).build().is_err());
        assert!(Clusterer::builder().max_distance(16).build().is_err());
        assert!(Clusterer::builder().max_gap_hours(f32::NAN).build().is_err());
    }
}
