//! zhdedup finds the Chinese news articles that report the same event, across
//! outlets and across Traditional and Simplified script.
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

pub use crate::cluster::{
    Clusterer, ClustererBuilder, Clustering, Evidence, Link, ParagraphMatch, Signals,
};
pub use crate::error::{Error, ErrorKind};
pub use crate::fingerprint::{Fingerprint, feature_hash, for_each_feature, simhash};
pub use crate::index::HammingIndex;
pub use crate::ingest::{
    Article, ArticleId, Format, Loaded, Loader, LoaderBuilder, Published, Source, TimeSource,
};
pub use crate::normalize::{Folded, Normalizer, NormalizerBuilder, Script, VocabularyEntry};
