//! Progress reports for long runs (a progress bar in a command-line tool).

use std::sync::Arc;

/// How far a stage has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage at work.
    pub stage: Stage,
    /// Units done (files for [`Stage::Read`], articles, candidate pairs).
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

/// The stages that report progress, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Reading and parsing files (units: files).
    Read,
    /// Folding articles and counting term frequencies (units: articles).
    Count,
    /// Weighting vectors and fingerprinting paragraphs (units: articles).
    Fingerprint,
    /// Finding near-duplicate paragraphs (0 of 1, then 1 of 1).
    Match,
    /// Scoring candidate pairs (units: pairs).
    Score,
    /// Merging links into clusters (0 of 1, then 1 of 1).
    Merge,
}

impl Stage {
    /// A short lower-case name ("reading", "counting terms", …).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "reading",
            Stage::Count => "counting terms",
            Stage::Fingerprint => "fingerprinting",
            Stage::Match => "matching paragraphs",
            Stage::Score => "scoring pairs",
            Stage::Merge => "merging",
        }
    }
}

/// The callback a builder holds. Reports are made on the calling thread,
/// between parallel steps, so the callback need not be fast to be correct;
/// results never depend on it.
#[derive(Clone, Default)]
pub(crate) struct Reporter(Option<Arc<dyn Fn(Progress) + Send + Sync>>);

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Reporter(set)" } else { "Reporter(none)" })
    }
}

impl Reporter {
    pub(crate) fn new(callback: impl Fn(Progress) + Send + Sync + 'static) -> Reporter {
        Reporter(Some(Arc::new(callback)))
    }

    pub(crate) fn report(&self, stage: Stage, done: usize, total: usize) {
        if let Some(callback) = &self.0 {
            callback(Progress { stage, done, total });
        }
    }
}
