//! zhdedup finds the Chinese news articles that report the same event, across
//! outlets and across Traditional and Simplified script.
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![forbid(unsafe_code)]

mod error;
mod ingest;
mod normalize;
mod parallel;

pub use crate::error::{Error, ErrorKind};
pub use crate::ingest::{
    Article, ArticleId, Format, Loaded, Loader, LoaderBuilder, Published, Source, TimeSource,
};
pub use crate::normalize::{Folded, Normalizer, NormalizerBuilder, Script, VocabularyEntry};
