//! zhdedup finds the Chinese news articles that report the same event, across
//! outlets and across Traditional and Simplified script, and says why it
//! linked each pair.
//!
//! # Overview
//!
//! The pipeline has five stages; each has one main type:
//!
//! 1. **ingest**: [`Loader`] reads archive files (Jekyll/Hexo posts, RSS
//!    exports, JSON Lines, plain text; UTF-8, GB18030 or Big5) into
//!    [`Article`]s, removing boilerplate; every file is an article or an
//!    [`Error`] naming the file and the reason.
//! 2. **normalize**: [`Normalizer`] folds text to one canonical form (script
//!    variants from OpenCC's tables, width, punctuation, regional names).
//! 3. **fingerprint**: [`simhash`] over [`for_each_feature`] gives a
//!    [`Fingerprint`] per paragraph.
//! 4. **index**: [`HammingIndex`] finds fingerprints within k bits.
//! 5. **cluster**: [`Clusterer`] scores candidate pairs and clusters them;
//!    each [`Link`] carries its [`Evidence`]. [`Clusterer::stream`] gives a
//!    [`Stream`] that places articles one at a time as they arrive.
//!
//! Long runs report [`Progress`] by [`Stage`] to a callback set on
//! [`LoaderBuilder::progress`] and [`ClustererBuilder::progress`].
//!
//! # Example
//!
//! ```
//! use zhdedup::{Clusterer, Loader};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample");
//! let loaded = Loader::new().load_paths(&[dir]);
//! assert!(loaded.failures.is_empty());
//!
//! let clustering = Clusterer::new().cluster(&loaded.articles);
//! // The Traditional and Simplified reports of the earthquake are one event.
//! let quake: Vec<&str> = clustering
//!     .clusters
//!     .iter()
//!     .find(|c| c.len() == 2)
//!     .unwrap()
//!     .iter()
//!     .map(|id| loaded.articles[id.0 as usize].title.as_str())
//!     .collect();
//! assert!(quake.iter().all(|t| t.contains("6.1")));
//! let link = &clustering.links.iter().find(|l| l.a == clustering.clusters[1][0]).unwrap();
//! assert!(link.evidence.shared_terms.iter().any(|t| t == "花莲"));
//! ```
//!
//! The `zhdedup` command (the default `cli` feature) does this for folders:
//! `zhdedup cluster` (tsv, json, jsonl), `zhdedup report` (a page to read in
//! a browser), `inspect`, `fold`, `evaluate` and `explain`. The examples are
//! short demonstrations of the API: `cluster` prints each event with its best
//! link; `inspect` what the loader made of a file; `fold` folds standard
//! input; `evaluate` scores a clustering against labels with baselines;
//! `synth` and `scale` make and measure synthetic archives of up to a
//! million articles.
//!
//! # Lower-level APIs
//!
//! [`eval`] scores clusterings (pairwise and B-cubed); most users can ignore it.
//!
//! # Crate features
//!
//! - `parallel` (default): read, fingerprint and score with rayon. Results are
//!   identical with and without it, and for any thread count.
//! - `cli` (default): the `zhdedup` command and its dependencies (clap,
//!   indicatif, tempfile); the library does not use them, so a library user
//!   can turn it off with `default-features = false, features = ["parallel"]`.
//! - `opencc`: `OpenccConverter`, Debian's C++ OpenCC through `opencc-rust`
//!   (needs `libopencc-dev` and `pkg-config`), for differential tests and
//!   benchmarks. The default build is pure Rust.
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

mod cluster;
mod error;
pub mod eval;
mod fingerprint;
mod index;
mod ingest;
mod normalize;
mod parallel;
mod progress;

pub use crate::cluster::{
    Clusterer, ClustererBuilder, Clustering, Evidence, Link, ParagraphMatch, Placement, Signals,
    Stream,
};
pub use crate::error::{Error, ErrorKind};
pub use crate::fingerprint::{Fingerprint, feature_hash, for_each_feature, simhash};
pub use crate::index::HammingIndex;
pub use crate::ingest::{
    Article, ArticleId, Format, Loaded, Loader, LoaderBuilder, Published, Source, TimeSource,
};
#[cfg(feature = "opencc")]
pub use crate::normalize::OpenccConverter;
pub use crate::normalize::{Folded, Normalizer, NormalizerBuilder, Script, VocabularyEntry};
pub use crate::progress::{Progress, Stage};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
