//! The crate's one error type.

use std::fmt;
use std::path::{Path, PathBuf};

/// An input that could not be turned into an article, or a configuration that
/// could not be built.
///
/// Every error from reading input names the file (and, for JSON Lines, the
/// line) and a [`ErrorKind`] whose [`ErrorKind::reason`] is a short stable code
/// suitable for counting failures by reason.
#[derive(Debug)]
pub struct Error {
    path: Option<PathBuf>,
    line: Option<u32>,
    kind: ErrorKind,
}

/// Why an input failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    Io(std::io::Error),
    /// The file is larger than [`crate::LoaderBuilder::max_file_bytes`].
    TooLarge {
        /// Size of the file in bytes (at least `limit + 1`).
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// The bytes look like binary data (NUL or many control bytes), not text.
    Binary,
    /// The bytes are not valid in any supported encoding.
    Undecodable {
        /// The encoding that was tried last.
        encoding: &'static str,
    },
    /// The YAML front matter is malformed or exceeds a safety limit.
    FrontMatter(String),
    /// The HTML body nests elements deeper than the configured limit.
    NestingTooDeep {
        /// The configured limit.
        limit: usize,
    },
    /// A JSON Lines record is not valid JSON or not an object.
    Json(String),
    /// The input has neither a title nor any text.
    Empty,
    /// A builder setting is out of range.
    Config(String),
    /// A publish time is not a time by the rules on [`crate::Published`],
    /// or is out of range; only under [`crate::BadTimes::Reject`]
    /// (otherwise the article keeps a [`crate::Warning`] instead).
    BadTime {
        /// The field it was in.
        source: crate::TimeSource,
        /// The value as written.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A loader or a stream has given all 2^32 article ids.
    IdsExhausted,
    /// A saved stream state is not one a stream can have been in (another
    /// version, or altered).
    BadState(String),
    /// Bytes given to [`crate::Frequencies::from_bytes`] are not what
    /// [`crate::Frequencies::to_bytes`] writes (another version, cut short,
    /// or altered).
    BadFrequencies(String),
    /// Scored pairs given to [`crate::Clusterer::group`] name an article
    /// not among the ids, repeat a pair, or hold a score outside 0..=1.
    BadPairs(String),
    /// Two articles given to a clusterer share an id, so links and
    /// clusters could not say which is which.
    DuplicateId {
        /// The repeated id.
        id: crate::ArticleId,
        /// The positions of the two articles in the input slice.
        positions: [usize; 2],
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { path: None, line: None, kind }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config(message.into()))
    }

    pub(crate) fn at(mut self, path: &Path) -> Error {
        self.path = Some(path.to_path_buf());
        self
    }

    pub(crate) fn at_line(mut self, line: u32) -> Error {
        self.line = Some(line);
        self
    }

    /// The file the error is about, if it is about a file.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line of a JSON Lines file the error is about.
    pub fn line(&self) -> Option<u32> {
        self.line
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// A short stable code for the reason, e.g. `too_large` (see
    /// [`ErrorKind::reason`]).
    pub fn reason(&self) -> &'static str {
        self.kind.reason()
    }
}

impl ErrorKind {
    /// A short stable code for the reason: `io`, `too_large`, `binary`,
    /// `undecodable`, `front_matter`, `nesting_too_deep`, `json`, `empty`,
    /// `config`, `bad_time`, `ids_exhausted`, `bad_state`, `bad_frequencies`,
    /// `bad_pairs` or `duplicate_id`.
    pub fn reason(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "io",
            ErrorKind::TooLarge { .. } => "too_large",
            ErrorKind::Binary => "binary",
            ErrorKind::Undecodable { .. } => "undecodable",
            ErrorKind::FrontMatter(_) => "front_matter",
            ErrorKind::NestingTooDeep { .. } => "nesting_too_deep",
            ErrorKind::Json(_) => "json",
            ErrorKind::Empty => "empty",
            ErrorKind::Config(_) => "config",
            ErrorKind::BadTime { .. } => "bad_time",
            ErrorKind::IdsExhausted => "ids_exhausted",
            ErrorKind::BadState(_) => "bad_state",
            ErrorKind::BadFrequencies(_) => "bad_frequencies",
            ErrorKind::BadPairs(_) => "bad_pairs",
            ErrorKind::DuplicateId { .. } => "duplicate_id",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Io(err) => write!(f, "cannot read: {err}"),
            ErrorKind::TooLarge { size, limit } => {
                write!(f, "file of {size} bytes exceeds the limit of {limit} bytes")
            }
            ErrorKind::Binary => write!(f, "binary data, not text"),
            ErrorKind::Undecodable { encoding } => {
                write!(f, "not valid text (last tried {encoding})")
            }
            ErrorKind::FrontMatter(msg) => write!(f, "bad front matter: {msg}"),
            ErrorKind::NestingTooDeep { limit } => {
                write!(f, "HTML nests deeper than {limit} elements")
            }
            ErrorKind::Json(msg) => write!(f, "bad JSON record: {msg}"),
            ErrorKind::Empty => write!(f, "no title and no text"),
            ErrorKind::Config(msg) => write!(f, "invalid configuration: {msg}"),
            ErrorKind::BadTime { source, value, reason } => {
                write!(f, "bad {source} time {value:?}: {reason}")
            }
            ErrorKind::IdsExhausted => write!(f, "all 2^32 article ids are taken"),
            ErrorKind::BadState(msg) => write!(f, "bad stream state: {msg}"),
            ErrorKind::BadFrequencies(msg) => write!(f, "bad frequencies: {msg}"),
            ErrorKind::BadPairs(msg) => write!(f, "bad scored pairs: {msg}"),
            ErrorKind::DuplicateId { id, positions: [a, b] } => {
                write!(f, "articles {a} and {b} of the input share the id {id}")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{}:{line}: {}", path.display(), self.kind),
            (Some(path), None) => write!(f, "{}: {}", path.display(), self.kind),
            _ => self.kind.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(err))
    }
}
