//! zhdedup finds the Chinese news articles that report the same event, across
//! outlets and across Traditional and Simplified script, and says why it
//! linked each pair.
//!
//! # Overview
//!
//! The pipeline has five stages; each has one main type:
//!
//! 1. **ingest**: [`Loader`] reads archive files (Jekyll/Hexo posts, RSS
//!    exports, JSON Lines, plain text; UTF-8, GB18030 or Big5; see
//!    [`Format`]) and in-memory [`Record`]s into [`Article`]s, removing
//!    boilerplate; every input is an article or an [`Error`] naming the
//!    input and the reason. Publish times follow one contract, documented
//!    on [`Published`].
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
//! use zhdedup::{Clusterer, Format, Loader, Record};
//!
//! let loader = Loader::new();
//! // Bytes of a file, in any supported format and encoding (here Big5 and
//! // GB18030); `load_paths` reads files and folders, `parse_record` data in
//! // memory.
//! let big5 = include_bytes!("../tests/fixtures/sample/b_traditional_big5.txt");
//! let gb18030 = include_bytes!("../tests/fixtures/sample/b_simplified_gb18030.md");
//! let mut articles = loader.parse_bytes("quake.txt".as_ref(), big5).unwrap();
//! articles.extend(loader.parse_bytes("quake.md".as_ref(), gb18030).unwrap());
//! articles.push(loader.parse_record(&Record::new("示例市议会三读通过票价法案")).unwrap());
//! assert_eq!((articles[0].format, articles[1].format), (Format::PlainText, Format::RssExport));
//!
//! let clustering = Clusterer::new().cluster(&articles).unwrap();
//! // The Traditional and Simplified reports of the earthquake are one event.
//! let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
//! assert_eq!(clustering.clusters, [vec![ids[0], ids[1]], vec![ids[2]]]);
//! let link = clustering.explain(ids[0], ids[1]).unwrap();
//! // Shared words as each report writes them: 花蓮縣 in Big5, 花莲县 in GB18030.
//! assert!(link.evidence.shared_terms.iter().any(|t| t.a == "花蓮縣" && t.b == "花莲县"));
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
mod segment;

pub use crate::cluster::{
    Clusterer, ClustererBuilder, Clustering, Contribution, Evidence, Feature, Features,
    Frequencies, Groups, HeldOut, Link, Model, ParagraphMatch, Placement, ScoredPair, Scores,
    SharedTerm, Signals, Stream, StreamState, Trainer, TrainingPairs, Vectors,
};
pub use crate::error::{Error, ErrorKind};
pub use crate::fingerprint::{Fingerprint, feature_hash, for_each_feature, simhash};
pub use crate::index::HammingIndex;
pub use crate::ingest::{
    Article, ArticleId, BadTimes, Format, Loaded, Loader, LoaderBuilder, Published, Record, Source,
    TimeSource, Warning,
};
#[cfg(feature = "opencc")]
pub use crate::normalize::OpenccConverter;
pub use crate::normalize::{Folded, Normalizer, NormalizerBuilder, Script, VocabularyEntry};
pub use crate::progress::{Progress, Stage};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
