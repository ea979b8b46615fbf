//! Reading news archive files and records into [`Article`]s (stage 1 of the
//! pipeline).
//!
//! The public contract (formats, JSON Lines fields, publish times, ids) is
//! documented on [`Format`], [`Record`], [`Published`] and [`Loader`].
//! Boilerplate is removed by the rule table in `boilerplate.rs`; which rules
//! fired is kept in [`Article::removed`].

mod boilerplate;
mod decode;
mod front_matter;
mod html;
mod record;
mod time;

pub use record::Record;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::normalize::Script;
use crate::parallel::Workers;
use crate::progress::{Progress, Reporter, Stage};

/// An article's identifier, unique among the articles one [`Loader`] (and
/// its clones) has made: the loader numbers articles 0, 1, … in the order it
/// makes them (files sorted by path, then line), across all its calls, so
/// the same inputs always get the same ids.
///
/// Displays as its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleId(pub u32);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The layout an article was read from.
///
/// The format is detected from the content, not the file name, except that
/// `.jsonl` and `.ndjson` files are always JSON Lines:
///
/// | format | how it is recognised |
/// |---|---|
/// | [`Format::JekyllPost`] | YAML front matter, then an RSS-export header or HTML |
/// | [`Format::HexoPost`] | front matter with list `categories` or RFC 2822 `date` |
/// | [`Format::RssExport`] | starts with `<!--epoch-ms-->` or `[title](url)` |
/// | [`Format::JsonLines`] | `.jsonl`/`.ndjson`, or every line a JSON object |
/// | [`Format::PlainText`] | anything else: first line the title |
///
/// Bodies are HTML (parsed with html5ever) except in plain text and in JSON
/// records that carry `text` or `paragraphs`. Text may be UTF-8 (with or
/// without a byte order mark), GB18030 or Big5; the encoding is detected.
///
/// Displays as its snake-case name (`jekyll_post`), as it is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Jekyll post: YAML front matter (`title`, `date`, `from` or `link` or
    /// `url`, `tags` or `source` or `author` for the outlet), then HTML or
    /// an RSS-export header and HTML.
    JekyllPost,
    /// Hexo post: front matter with RFC 2822 `date` and list `categories`.
    HexoPost,
    /// RSS export: `<!--epoch-ms-->` or `日期：` line, `[title](url)`, `------`, HTML.
    RssExport,
    /// One JSON object a line; blank lines are skipped and each record is
    /// an article or an error naming its line. The fields read, all
    /// optional, unknown fields ignored, `null` the same as absent:
    ///
    /// | field | type | meaning |
    /// |---|---|---|
    /// | `title` | string | the title |
    /// | `html` | string | the body as HTML (wins over `text` and `paragraphs`) |
    /// | `text` | string | the body as plain text, one paragraph a line |
    /// | `paragraphs` | array of strings | the body as paragraphs |
    /// | `url` | string | the article's URL |
    /// | `outlet` | string | the outlet (else from the URL's host) |
    /// | `published` | string or number | the publish time, see [`Published`] |
    ///
    /// A field of another type is an error naming the field (`"title": 5`
    /// is refused, not read as no title). These are the fields of a
    /// [`Record`], which makes the same article from data in memory.
    JsonLines,
    /// Plain text: the first non-empty line is the title.
    PlainText,
}

impl Format {
    /// The snake-case name, as serialized: `jekyll_post`, `hexo_post`,
    /// `rss_export`, `json_lines` or `plain_text`.
    pub fn name(self) -> &'static str {
        match self {
            Format::JekyllPost => "jekyll_post",
            Format::HexoPost => "hexo_post",
            Format::RssExport => "rss_export",
            Format::JsonLines => "json_lines",
            Format::PlainText => "plain_text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which field a publish time came from, in order of precedence.
///
/// Displays as its snake-case name (`front_matter`), as it is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The `<!--1604365323000-->` epoch-milliseconds comment (most precise;
    /// always milliseconds, as the exporter writes it).
    EpochComment,
    /// The front matter `date`.
    FrontMatter,
    /// The `published` field of a JSON record or a [`Record`].
    JsonField,
    /// A `日期：<RFC 2822>` line.
    DateLine,
}

impl TimeSource {
    /// The snake-case name, as serialized: `epoch_comment`, `front_matter`,
    /// `json_field` or `date_line`.
    pub fn name(self) -> &'static str {
        match self {
            TimeSource::EpochComment => "epoch_comment",
            TimeSource::FrontMatter => "front_matter",
            TimeSource::JsonField => "json_field",
            TimeSource::DateLine => "date_line",
        }
    }
}

impl fmt::Display for TimeSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// When an article was published, in UTC.
///
/// # The time contract
///
/// A publish time is read from text in one of these forms:
///
/// - RFC 3339 / ISO 8601 with an offset or `Z`: `2020-11-03T08:22:03+08:00`,
///   `2020-11-03 00:22:03Z`;
/// - RFC 2822: `Tue, 03 Nov 2020 08:22:03 +0800`;
/// - a civil time without offset: `2020-11-03`, `2020-11-03 08:22`,
///   `2020-11-03T08:22:03.250`, `2020/11/03 08:22`, `2020年11月3日`,
///   `2020年11月3日 08:22`, `2020年11月3日08时22分`. It is taken in the
///   loader's zone, [`LoaderBuilder::utc_offset_minutes`], **UTC+8 by
///   default** (Beijing, Taipei, Hong Kong: most Chinese news);
/// - an epoch number, as text or as a JSON number, integer or fractional.
///   **Its magnitude decides the unit**: below 10^11 it is seconds, else
///   milliseconds. (10^11 seconds is the year 5138 and 10^11 milliseconds
///   is 1973-03-03, so no real publish time is ambiguous.) The RSS
///   export's `<!--…-->` comment is always milliseconds.
///
/// Times must lie within the years -9999 to 9999
/// ([`Published::MIN_UTC_MS`] to [`Published::MAX_UTC_MS`]). A value that is none of
/// these (`yesterday`, `2020-13-45`, `9223372036854775807`) is never
/// silently dropped: by [`LoaderBuilder::bad_times`] it either fails the
/// article with [`ErrorKind::BadTime`](crate::ErrorKind::BadTime) or leaves
/// it without that time and with a [`Warning::BadTime`] in
/// [`Article::warnings`] (the default).
///
/// Displays as RFC 3339 in UTC (`2020-11-03T00:22:03Z`).
///
/// # Examples
///
/// ```
/// use zhdedup::{Loader, Record};
/// let loader = Loader::new();
/// let at = |t: &str| loader.parse_record(&Record::new("标题").published(t)).unwrap().published;
/// let ms = 1_604_362_923_000; // 2020-11-03 00:22:03 UTC
/// assert_eq!(at("2020-11-03T08:22:03+08:00").unwrap().utc_ms, ms);
/// assert_eq!(at("2020-11-03 08:22:03").unwrap().utc_ms, ms); // UTC+8
/// assert_eq!(at("1604362923").unwrap().utc_ms, ms); // seconds
/// assert_eq!(at("1604362923000").unwrap().utc_ms, ms); // milliseconds
/// assert_eq!(at("yesterday"), None); // and a warning on the article
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Published {
    /// Milliseconds since the Unix epoch, UTC.
    pub utc_ms: i64,
    /// The field this time was taken from (the most precise one present).
    pub source: TimeSource,
    /// Another field that disagreed by more than a minute, with its time:
    /// kept so that a user can see the conflict. `None` when all agree.
    pub disagreeing: Option<(TimeSource, i64)>,
}

impl Published {
    /// The earliest time read, in milliseconds: -009999-01-02T01:59:59Z
    /// (the range of the `jiff` time library, about the year -9999).
    pub const MIN_UTC_MS: i64 = -377_705_023_201_000;

    /// The latest time read, in milliseconds: 9999-12-30T22:00:00.999Z.
    pub const MAX_UTC_MS: i64 = 253_402_207_200_999;

    /// A time from `source`, with no disagreeing field.
    pub fn new(utc_ms: i64, source: TimeSource) -> Published {
        Published { utc_ms, source, disagreeing: None }
    }
}

impl fmt::Display for Published {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::from_millisecond(self.utc_ms) {
            Ok(ts) => ts.fmt(f),
            // Only a hand-made `Published` can be out of jiff's range.
            Err(_) => write!(f, "{} ms since the epoch", self.utc_ms),
        }
    }
}

/// Where an article came from.
///
/// Displays as `path` or `path:line`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// The file (as given to the loader, or joined to the folder given), or
    /// what [`Record::source`] set (empty when nothing was).
    pub path: PathBuf,
    /// The 1-based line, for JSON Lines records.
    pub line: Option<u32>,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Something the loader left out of an article, and why.
///
/// Displays as a lowercase sentence naming the field and the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// A publish time that is not a time by the rules on [`Published`] (or
    /// is out of range) was left out.
    BadTime {
        /// The field it was in.
        source: TimeSource,
        /// The value as written (a JSON number as JSON writes it).
        value: String,
        /// Why it was refused.
        reason: String,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::BadTime { source, value, reason } => {
                write!(f, "ignored {source} time {value:?}: {reason}")
            }
        }
    }
}

/// What the loader does with a publish time it cannot read; set by
/// [`LoaderBuilder::bad_times`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BadTimes {
    /// Keep the article without that time, with a [`Warning::BadTime`] in
    /// [`Article::warnings`] (the default: one odd date in an archive
    /// should not lose the article).
    #[default]
    Warn,
    /// Fail the file or record with [`ErrorKind::BadTime`](crate::ErrorKind::BadTime).
    Reject,
}

/// One news article, cleaned.
///
/// Made by a [`Loader`], from files ([`Loader::load_paths`]), bytes
/// ([`Loader::parse_bytes`]) or data in memory ([`Loader::parse_record`]);
/// new fields may be added, so it cannot be built by a struct literal.
///
/// Displays as `source: title` (the title alone when the source is empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Article {
    /// Unique among the articles of one loader (see [`ArticleId`]).
    pub id: ArticleId,
    /// Where it came from.
    pub source: Source,
    /// The layout it was read from.
    pub format: Format,
    /// The text encoding detected (`UTF-8`, `gb18030`, `Big5`, …).
    pub encoding: String,
    /// The outlet, from the front matter, the JSON record or the URL's host.
    pub outlet: Option<String>,
    /// The article's URL, percent-decoded.
    pub url: Option<String>,
    /// The title without outlet decorations (` – 法国国际广播电台`, `[國際]`,
    /// `德国之声｜`, `【直播预告】`).
    pub title: String,
    /// The title as written.
    pub raw_title: String,
    /// When it was published.
    pub published: Option<Published>,
    /// The script of the title and body.
    pub script: Script,
    /// Body paragraphs in reading order, white space collapsed.
    pub paragraphs: Vec<String>,
    /// Image and video captions, apart from the body.
    pub captions: Vec<String>,
    /// Boilerplate rule name to how many times it removed something.
    pub removed: BTreeMap<String, u32>,
    /// What was left out of the article and why (an unreadable publish
    /// time); empty for most articles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Article {
    /// Total characters of body text.
    pub fn text_chars(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }
}

impl fmt::Display for Article {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A record made without a source has an empty path: title alone.
        if self.source.path.as_os_str().is_empty() && self.source.line.is_none() {
            return f.write_str(&self.title);
        }
        write!(f, "{}: {}", self.source, self.title)
    }
}

/// Files read per round between progress reports.
const READ_ROUND: usize = 512;

/// Builds a [`Loader`].
#[derive(Debug, Clone)]
pub struct LoaderBuilder {
    max_file_bytes: u64,
    max_html_depth: usize,
    threads: usize,
    progress: Reporter,
    /// Minutes east of UTC of times written without an offset.
    utc_offset_minutes: i32,
    bad_times: BadTimes,
    first_id: u32,
}

impl Default for LoaderBuilder {
    fn default() -> Self {
        LoaderBuilder {
            max_file_bytes: 16 * 1024 * 1024,
            max_html_depth: 256,
            threads: 0,
            progress: Reporter::default(),
            utc_offset_minutes: time::DEFAULT_OFFSET_MINUTES,
            bad_times: BadTimes::default(),
            first_id: 0,
        }
    }
}

impl LoaderBuilder {
    /// Files larger than this fail with `too_large` without being read
    /// (default 16 MiB; the largest real article here is under 1 MiB).
    pub fn max_file_bytes(&mut self, bytes: u64) -> &mut Self {
        self.max_file_bytes = bytes;
        self
    }

    /// HTML nesting deeper than this fails with `nesting_too_deep` (default
    /// 256; real bodies nest under 40).
    pub fn max_html_depth(&mut self, depth: usize) -> &mut Self {
        self.max_html_depth = depth;
        self
    }

    /// Worker threads for reading (default 0: all cores, in rayon's global
    /// pool; `n`: a pool of `n` threads, built once by
    /// [`build`](Self::build)). Only with the `parallel` feature; otherwise
    /// reading is serial.
    pub fn threads(&mut self, threads: usize) -> &mut Self {
        self.threads = threads;
        self
    }

    /// Calls `callback` as files are read ([`Stage::Read`], in files), for
    /// a progress bar.
    pub fn progress(&mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> &mut Self {
        self.progress = Reporter::new(callback);
        self
    }

    /// The zone of publish times written without an offset, in minutes
    /// east of UTC (default 480: UTC+8, where most Chinese news is
    /// published; 0 for UTC). Times with an offset or `Z`, and epoch
    /// numbers, are not affected. See [`Published`] for the forms read.
    pub fn utc_offset_minutes(&mut self, minutes: i32) -> &mut Self {
        self.utc_offset_minutes = minutes;
        self
    }

    /// What to do with a publish time that cannot be read (default
    /// [`BadTimes::Warn`]: keep the article, without the time, with a
    /// warning).
    pub fn bad_times(&mut self, policy: BadTimes) -> &mut Self {
        self.bad_times = policy;
        self
    }

    /// The id of the first article the loader makes (default 0): to go on
    /// numbering where an earlier run (a saved stream, a database) stopped.
    pub fn first_id(&mut self, id: u32) -> &mut Self {
        self.first_id = id;
        self
    }

    /// Builds the loader.
    ///
    /// # Errors
    ///
    /// When a limit is zero, or the offset is beyond ±18 hours (±1080
    /// minutes).
    pub fn build(&self) -> Result<Loader, Error> {
        if self.max_file_bytes == 0 || self.max_html_depth == 0 {
            return Err(Error::config("loader limits must be positive"));
        }
        let zone = time::offset(self.utc_offset_minutes).ok_or_else(|| {
            Error::config(format!(
                "UTC offset of {} minutes is beyond ±{} minutes",
                self.utc_offset_minutes,
                time::MAX_OFFSET_MINUTES
            ))
        })?;
        Ok(Loader {
            config: self.clone(),
            workers: Workers::new(self.threads),
            zone,
            next_id: Arc::new(AtomicU64::new(u64::from(self.first_id))),
        })
    }
}

/// Reads files, folders, readers and records into articles.
///
/// Every article the loader makes gets the next id (0, 1, …, from
/// [`LoaderBuilder::first_id`]), across all calls and shared with the
/// loader's clones, so articles from several calls can be clustered
/// together. Articles from *different* loaders can have the same ids; the
/// clusterer refuses duplicate ids rather than give a wrong answer.
///
/// # Examples
///
/// ```
/// use zhdedup::{Format, Loader};
/// let text = "<!--1695085250000-->\n[王毅会见拉夫罗夫](https://example.com/a)\n------\n\n\
///             <div><p>第一段。</p><p>第二段。</p></div>";
/// let articles = Loader::new().parse_bytes("a.md".as_ref(), text.as_bytes()).unwrap();
/// assert_eq!(articles[0].format, Format::RssExport);
/// assert_eq!(articles[0].title, "王毅会见拉夫罗夫");
/// assert_eq!(articles[0].paragraphs, ["第一段。", "第二段。"]);
/// assert_eq!(articles[0].published.unwrap().utc_ms, 1695085250000);
/// ```
#[derive(Debug, Clone)]
pub struct Loader {
    config: LoaderBuilder,
    workers: Workers,
    /// The zone of times without an offset, checked by `build`.
    zone: jiff::tz::Offset,
    /// The next id to give; shared by clones, so that one loader's
    /// articles never share an id however it is used. 64 bits so that
    /// "all 2^32 ids given" is a value, not a wrap.
    next_id: Arc<AtomicU64>,
}

/// What a load returned: every input is either in `articles` or in
/// `failures`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles, in stable order (by path, then line), numbered in that
    /// order: from a new loader, `articles[i].id` is `ArticleId(i)`.
    pub articles: Vec<Article>,
    /// One error per file (or JSON record) that gave no article.
    pub failures: Vec<Error>,
    /// Files looked at.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
}

impl Default for Loader {
    fn default() -> Self {
        Loader::new()
    }
}

impl Loader {
    /// A loader with default limits.
    pub fn new() -> Loader {
        // The default limits (16 MiB, depth 256) are positive and the
        // default offset (UTC+8) is in range.
        LoaderBuilder::default().build().expect("default limits are valid")
    }

    /// A builder for the limits and threads.
    pub fn builder() -> LoaderBuilder {
        LoaderBuilder::default()
    }

    /// Loads files and folders (folders recursively; hidden files and
    /// `INDEX.tsv`/`PAIRS*.tsv`/`*.md` manifests are *not* skipped: every
    /// regular file below a folder is an input).
    pub fn load_paths<P: AsRef<Path>>(&self, paths: &[P]) -> Loaded {
        let mut files = Vec::new();
        let mut failures = Vec::new();
        for path in paths {
            let path = path.as_ref();
            if path.is_dir() {
                for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                    match entry {
                        Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
                        Ok(_) => {}
                        Err(err) => {
                            let at = err.path().unwrap_or(path).to_path_buf();
                            failures.push(Error::from(std::io::Error::other(err)).at(&at));
                        }
                    }
                }
            } else {
                files.push(path.to_path_buf());
            }
        }
        files.sort();
        files.dedup();
        let mut loaded = self.load_files(&files);
        loaded.files += failures.len();
        loaded.failures.extend(failures);
        loaded
    }

    fn load_files(&self, files: &[PathBuf]) -> Loaded {
        let read_one = |path: &PathBuf| -> (u64, Result<Vec<Article>, Error>, Vec<Error>) {
            match self.read_file(path) {
                Ok(bytes) => {
                    let size = bytes.len() as u64;
                    match self.parse_all(path, &bytes) {
                        Ok((articles, errors)) => (size, Ok(articles), errors),
                        Err(err) => (size, Err(err), Vec::new()),
                    }
                }
                Err(err) => (0, Err(err), Vec::new()),
            }
        };
        let mut loaded = Loaded { files: files.len(), ..Loaded::default() };
        let progress = &self.config.progress;
        let mut done = 0;
        progress.report(Stage::Read, 0, files.len());
        // In rounds, to report progress between them; order is kept.
        for round in files.chunks(READ_ROUND) {
            for (size, result, record_errors) in self.workers.map(round, read_one) {
                loaded.bytes += size;
                match result {
                    Ok(articles) => loaded.articles.extend(articles),
                    Err(err) => loaded.failures.push(err),
                }
                loaded.failures.extend(record_errors);
            }
            done += round.len();
            progress.report(Stage::Read, done, files.len());
        }
        if self.number(&mut loaded.articles).is_err() {
            // Only after 2^32 articles: each is reported, none kept under a
            // repeated id.
            loaded.failures.extend(loaded.articles.drain(..).map(|a| {
                let failure = Error::new(ErrorKind::IdsExhausted).at(&a.source.path);
                match a.source.line {
                    Some(line) => failure.at_line(line),
                    None => failure,
                }
            }));
        }
        loaded
    }

    /// Gives `articles` the next ids, in order.
    fn number(&self, articles: &mut [Article]) -> Result<(), Error> {
        /// One past the last id: every `u32` is an id.
        const END: u64 = 1 << 32;
        let exhausted = || Error::new(ErrorKind::IdsExhausted);
        let count = u64::try_from(articles.len()).map_err(|_| exhausted())?;
        let first = self
            .next_id
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
                next.checked_add(count).filter(|&end| end <= END)
            })
            .map_err(|_| exhausted())?;
        for (id, article) in (first..).zip(articles.iter_mut()) {
            // Below 2^32: `first + count <= END` was checked above.
            article.id = ArticleId(u32::try_from(id).map_err(|_| exhausted())?);
        }
        Ok(())
    }

    /// Makes an article from data in memory, with the same cleaning as a
    /// JSON Lines record (see [`Record`] for an example). The article gets
    /// the loader's next id.
    ///
    /// # Errors
    ///
    /// `empty` when the record has neither title nor text after cleaning;
    /// `nesting_too_deep` for deep HTML; `bad_time` for an unreadable time
    /// under [`BadTimes::Reject`]; `ids_exhausted` after 2^32 articles. The
    /// error names [`Record::source`] when it was set.
    pub fn parse_record(&self, record: &Record) -> Result<Article, Error> {
        let source = record.source.clone().unwrap_or_default();
        let name = |err: Error| {
            if source.path.as_os_str().is_empty() {
                return err;
            }
            let err = err.at(&source.path);
            match source.line {
                Some(line) => err.at_line(line),
                None => err,
            }
        };
        let draft = self.read_record(record).map_err(name)?;
        let mut article =
            draft.finish(source.clone(), "UTF-8", self.config.bad_times).map_err(name)?;
        self.number(std::slice::from_mut(&mut article)).map_err(name)?;
        Ok(article)
    }

    /// Reads a whole reader (e.g. standard input) as one file named `name`.
    ///
    /// # Errors
    ///
    /// As [`Loader::parse_bytes`], and `io` or `too_large` while reading.
    pub fn load_reader(&self, name: &Path, reader: impl Read) -> Result<Vec<Article>, Error> {
        let mut bytes = Vec::new();
        reader
            .take(self.config.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::from(e).at(name))?;
        // `parse_bytes` refuses the `limit + 1` bytes of an oversized reader.
        self.parse_bytes(name, &bytes)
    }

    /// `too_large` for more than `max_file_bytes`.
    fn check_size(&self, size: u64, path: &Path) -> Result<(), Error> {
        let limit = self.config.max_file_bytes;
        if size > limit {
            return Err(Error::new(ErrorKind::TooLarge { size, limit }).at(path));
        }
        Ok(())
    }

    fn read_file(&self, path: &Path) -> Result<Vec<u8>, Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::from(e).at(path))?;
        // Checked before reading, so a huge file is never loaded.
        self.check_size(meta.len(), path)?;
        let file = std::fs::File::open(path).map_err(|e| Error::from(e).at(path))?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // `take` bounds a file that grows while it is read; `parse_all`
        // refuses the extra byte.
        file.take(self.config.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::from(e).at(path))?;
        Ok(bytes)
    }

    /// Parses the bytes of one file. A JSON Lines file gives one article a
    /// record; any other file gives one. The articles get the loader's next
    /// ids, in record order, so the articles of several calls can be
    /// clustered together.
    ///
    /// # Errors
    ///
    /// When the file gives no article; for a JSON Lines file, the first bad
    /// record's error (use [`Loader::load_paths`] to get every record's).
    pub fn parse_bytes(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Article>, Error> {
        let (mut articles, mut errors) = self.parse_all(path, bytes)?;
        if !errors.is_empty() {
            return Err(errors.swap_remove(0));
        }
        self.number(&mut articles).map_err(|e| e.at(path))?;
        Ok(articles)
    }

    /// Parses one file: the articles, plus per-record errors for JSON Lines.
    fn parse_all(&self, path: &Path, bytes: &[u8]) -> Result<(Vec<Article>, Vec<Error>), Error> {
        self.check_size(bytes.len() as u64, path)?;
        let (text, encoding) = decode::decode(bytes).map_err(|e| e.at(path))?;
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(extension, "jsonl" | "ndjson") || looks_like_json_lines(&text) {
            return Ok(self.parse_json_lines(path, &text, encoding));
        }
        let draft = self.parse_document(&text).map_err(|e| e.at(path))?;
        let source = Source { path: path.to_path_buf(), line: None };
        let article = draft.finish(source, encoding, self.config.bad_times);
        article.map(|a| (vec![a], Vec::new())).map_err(|e| e.at(path))
    }

    fn parse_document(&self, text: &str) -> Result<Draft, Error> {
        let mut draft = self.draft(Format::PlainText);
        let body = match front_matter::split(text) {
            Err(msg) => return Err(Error::new(ErrorKind::FrontMatter(msg))),
            Ok(Some((yaml, rest))) => {
                let map = front_matter::parse(yaml)
                    .map_err(|msg| Error::new(ErrorKind::FrontMatter(msg)))?;
                draft.read_front_matter(&map);
                let rest = rest.trim_start_matches('\n');
                if starts_like_rss_export(rest) { draft.read_rss_header(rest) } else { rest }
            }
            Ok(None) if starts_like_rss_export(text.trim_start()) => {
                draft.format = Format::RssExport;
                draft.read_rss_header(text.trim_start())
            }
            Ok(None) => {
                draft.format = Format::PlainText;
                let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
                draft.title = lines.next().unwrap_or("").to_string();
                draft.read_text_lines(lines);
                return Ok(draft);
            }
        };
        self.read_html(&mut draft, body)?;
        Ok(draft)
    }

    fn read_html(&self, draft: &mut Draft, body: &str) -> Result<(), Error> {
        let depth = html::estimated_depth(body);
        if depth > self.config.max_html_depth {
            return Err(Error::new(ErrorKind::NestingTooDeep {
                limit: self.config.max_html_depth,
            }));
        }
        let extracted = html::extract(body);
        draft.paragraphs = extracted.paragraphs;
        draft.captions = extracted.captions;
        draft.removed = extracted.removed;
        Ok(())
    }

    fn parse_json_lines(
        &self,
        path: &Path,
        text: &str,
        encoding: &str,
    ) -> (Vec<Article>, Vec<Error>) {
        let mut articles = Vec::new();
        let mut errors = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
            if line.trim().is_empty() {
                continue;
            }
            let source = Source { path: path.to_path_buf(), line: Some(line_no) };
            let result = self
                .parse_json_record(line)
                .and_then(|record| self.read_record(&record))
                .and_then(|draft| draft.finish(source, encoding, self.config.bad_times));
            match result {
                Ok(article) => articles.push(article),
                Err(err) => errors.push(err.at(path).at_line(line_no)),
            }
        }
        (articles, errors)
    }

    /// A JSON Lines record's fields (documented on [`Format::JsonLines`]),
    /// each checked for its type.
    fn parse_json_record(&self, line: &str) -> Result<Record, Error> {
        use serde_json::Value;
        let json = |message: String| Error::new(ErrorKind::Json(message));
        let value: Value = serde_json::from_str(line).map_err(|e| json(e.to_string()))?;
        let Value::Object(object) = value else {
            return Err(json("not an object".into()));
        };
        let kind = |v: &Value| match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        // `null` is the same as absent; any other type than the field's is
        // an error, so that a wrong export is noticed.
        let text = |name: &str| -> Result<Option<String>, Error> {
            match object.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => {
                    Err(json(format!("field `{name}` must be a string, not {}", kind(other))))
                }
            }
        };
        let mut record = Record::new(text("title")?.unwrap_or_default());
        record.url = text("url")?;
        record.outlet = text("outlet")?;
        record.published = match object.get("published") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(record::When::Text(s.clone())),
            Some(Value::Number(n)) => Some(match n.as_i64() {
                Some(epoch) => record::When::Epoch(epoch),
                // Fractional or beyond i64: read from the text JSON wrote,
                // so a warning shows the value as written.
                None => record::When::Text(n.to_string()),
            }),
            Some(other) => {
                return Err(json(format!(
                    "field `published` must be a string or a number, not {}",
                    kind(other)
                )));
            }
        };
        let paragraphs = match object.get("paragraphs") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => Ok(s.clone()),
                        other => Err(json(format!(
                            "field `paragraphs` must hold strings, not {}",
                            kind(other)
                        ))),
                    })
                    .collect::<Result<Vec<String>, Error>>()?,
            ),
            Some(other) => {
                return Err(json(format!(
                    "field `paragraphs` must be an array of strings, not {}",
                    kind(other)
                )));
            }
        };
        // Checked in any case, so a wrong type is noticed even when another
        // body field wins.
        let (html, plain) = (text("html")?, text("text")?);
        record.body = match (html, plain, paragraphs) {
            (Some(html), _, _) => record::Body::Html(html),
            (None, Some(plain), _) => record::Body::Text(plain),
            (None, None, Some(paragraphs)) => record::Body::Paragraphs(paragraphs),
            (None, None, None) => record::Body::None,
        };
        Ok(record)
    }

    /// A draft of a record: the JSON Lines path and [`Loader::parse_record`]
    /// share it, so both clean alike.
    fn read_record(&self, record: &Record) -> Result<Draft, Error> {
        let mut draft = self.draft(Format::JsonLines);
        draft.title = record.title.clone();
        draft.url = record.url.clone();
        draft.outlet = record.outlet.clone();
        match &record.published {
            None => {}
            Some(record::When::Text(text)) => draft.time_text(TimeSource::JsonField, text),
            Some(record::When::Epoch(n)) => {
                draft.time(TimeSource::JsonField, n.to_string(), time::from_epoch(*n));
            }
        }
        match &record.body {
            record::Body::None => {}
            record::Body::Html(html) => self.read_html(&mut draft, html)?,
            record::Body::Text(text) => draft.read_text_lines(text.lines()),
            record::Body::Paragraphs(paragraphs) => {
                // A paragraph with line breaks is still one paragraph.
                for p in paragraphs {
                    draft.paragraphs.extend(html::clean_paragraph(p, &mut draft.removed));
                }
            }
        }
        Ok(draft)
    }

    /// An empty draft in this loader's time zone.
    fn draft(&self, format: Format) -> Draft {
        Draft {
            format,
            zone: self.zone,
            title: String::new(),
            url: None,
            outlet: None,
            times: Vec::new(),
            warnings: Vec::new(),
            paragraphs: Vec::new(),
            captions: Vec::new(),
            removed: BTreeMap::new(),
        }
    }
}

/// An article being assembled.
#[derive(Debug)]
struct Draft {
    format: Format,
    /// The zone of times without an offset.
    zone: jiff::tz::Offset,
    title: String,
    url: Option<String>,
    outlet: Option<String>,
    times: Vec<(TimeSource, i64)>,
    /// Times that could not be read, for the article or its error.
    warnings: Vec<Warning>,
    paragraphs: Vec<String>,
    captions: Vec<String>,
    removed: BTreeMap<&'static str, u32>,
}

impl Draft {
    /// Paragraphs from lines of plain text, through the same text rules as
    /// HTML paragraphs (footers and copyright lines are removed in every
    /// format).
    fn read_text_lines<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for line in lines {
            self.paragraphs.extend(html::clean_paragraph(line, &mut self.removed));
        }
    }

    /// A time from text, by the rules on [`Published`].
    fn time_text(&mut self, source: TimeSource, text: &str) {
        let parsed = time::parse_text(text, self.zone);
        self.time(source, text.trim().to_string(), parsed);
    }

    /// A time read from `value`, or the warning saying why not.
    fn time(&mut self, source: TimeSource, value: String, parsed: Result<i64, String>) {
        match parsed {
            Ok(ms) => self.times.push((source, ms)),
            Err(reason) => self.warnings.push(Warning::BadTime { source, value, reason }),
        }
    }
}

impl Draft {
    fn read_front_matter(&mut self, map: &BTreeMap<String, front_matter::Value>) {
        let get = |key: &str| map.get(key).and_then(|v| v.first()).map(str::trim);
        let hexo = matches!(map.get("categories"), Some(front_matter::Value::List(items)) if items.len() > 1)
            || get("date").is_some_and(|d| d.contains(','));
        self.format = if hexo { Format::HexoPost } else { Format::JekyllPost };
        self.title = get("title").unwrap_or("").to_string();
        self.url = get("from").or_else(|| get("link")).or_else(|| get("url")).map(str::to_string);
        // Jekyll archives put the site in `tags`; `author` is sometimes a
        // person (中国数字时代), so it comes last.
        self.outlet = get("tags")
            .or_else(|| get("source"))
            .or_else(|| if hexo { get("author") } else { None })
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .or_else(|| get("author").filter(|s| !s.is_empty()).map(str::to_string));
        if let Some(date) = get("date") {
            self.time_text(TimeSource::FrontMatter, date);
        }
    }

    /// Reads `<!--ms-->`, `[title](url)`, `------` and `日期：` lines; returns
    /// the body after them.
    fn read_rss_header<'a>(&mut self, mut text: &'a str) -> &'a str {
        loop {
            let (line, rest) = text.split_once('\n').unwrap_or((text, ""));
            let trimmed = line.trim();
            if let Some(ms) = trimmed
                .strip_prefix("<!--")
                .and_then(|s| s.strip_suffix("-->"))
                .and_then(|s| s.trim().parse::<i64>().ok())
            {
                // The exporter writes milliseconds, whatever the magnitude;
                // only the range is checked.
                self.time(TimeSource::EpochComment, ms.to_string(), time::in_range(ms));
            } else if let Some((title, url, after)) = markdown_link_lines(text) {
                if self.title.trim().is_empty() {
                    self.title = title.to_string();
                }
                if self.url.is_none() {
                    self.url = Some(url.to_string());
                }
                text = after;
                continue;
            } else if !trimmed.is_empty() && trimmed.chars().all(|c| c == '-') {
                // The `------` rule under the title.
            } else if let Some(date) =
                trimmed.strip_prefix("日期：").or_else(|| trimmed.strip_prefix("日期:"))
            {
                self.time_text(TimeSource::DateLine, date);
            } else if !trimmed.is_empty() {
                return text;
            }
            if rest.is_empty() {
                return rest;
            }
            text = rest;
        }
    }

    fn finish(
        mut self,
        source: Source,
        encoding: &str,
        bad_times: BadTimes,
    ) -> Result<Article, Error> {
        if bad_times == BadTimes::Reject
            && let Some(Warning::BadTime { source, value, reason }) = self.warnings.first()
        {
            return Err(Error::new(ErrorKind::BadTime {
                source: *source,
                value: value.clone(),
                reason: reason.clone(),
            }));
        }
        let raw_title = html::clean_text(&decode_entities(&self.title));
        let title = strip_title_decorations(&raw_title);
        if title.is_empty() && self.paragraphs.is_empty() {
            return Err(Error::new(ErrorKind::Empty));
        }
        let url = self.url.as_deref().map(decode_url);
        let outlet = self
            .outlet
            .take()
            .or_else(|| url.as_deref().and_then(outlet_from_url).map(str::to_string));
        self.times.sort_by_key(|&(source, _)| source);
        let published = self.times.first().map(|&(source, utc_ms)| Published {
            utc_ms,
            source,
            disagreeing: self
                .times
                .iter()
                // `abs_diff`: no overflow whatever the two times are.
                .find(|&&(_, other)| other.abs_diff(utc_ms) > 60_000)
                .copied(),
        });
        let mut sample = title.clone();
        for p in &self.paragraphs {
            sample.push_str(p);
        }
        Ok(Article {
            id: ArticleId(0),
            source,
            format: self.format,
            encoding: encoding.to_string(),
            outlet,
            url,
            script: Script::detect(&sample),
            title,
            raw_title,
            published,
            paragraphs: self.paragraphs,
            captions: self.captions,
            removed: self.removed.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            warnings: self.warnings,
        })
    }
}

fn starts_like_rss_export(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("").trim();
    let epoch = first
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim().parse::<i64>().is_ok());
    epoch || markdown_link_lines(text).is_some()
}

fn looks_like_json_lines(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    lines.peek().is_some()
        && lines.take(3).all(|l| {
            let l = l.trim();
            l.starts_with('{') && l.ends_with('}')
        })
}

/// `[title](url)` on one line; the title may itself contain brackets.
fn markdown_link(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_prefix('[')?.strip_suffix(')')?;
    let split = inner.rfind("](")?;
    let url = &inner[split + 2..];
    (url.starts_with("http") && !url.contains(' ')).then(|| (&inner[..split], url))
}

/// A `[title](url)` link at the start of `text` whose title may run over a
/// few lines (some exporters keep the feed's line breaks); returns the
/// title, the URL and the text after the link's line.
fn markdown_link_lines(text: &str) -> Option<(&str, &str, &str)> {
    /// How far a broken title may run before the line is taken as body.
    const MAX_LINK_BYTES: usize = 2048;
    if !text.starts_with('[') {
        return None;
    }
    let mut cut = text.len().min(MAX_LINK_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &text[..cut];
    let close = window.find("](")?;
    let line_end = text[close..].find('\n').map_or(text.len(), |i| close + i);
    let (title, url) = markdown_link(text[..line_end].trim_end())?;
    Some((title, url, text.get(line_end + 1..).unwrap_or("")))
}

fn decode_url(url: &str) -> String {
    percent_encoding::percent_decode_str(url.trim()).decode_utf8_lossy().into_owned()
}

/// Entities in titles (`&quot;`, `&amp;`), decoded by the HTML parser.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let fragment = scraper::Html::parse_fragment(text);
    fragment.root_element().text().collect()
}

/// Title decorations that name the outlet or a programme, not the news. The
/// raw title keeps them.
static TITLE_DECORATIONS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // RFI: `… – 法国国际广播电台`.
        r"\s*[-–—]\s*(法国国际广播电台|法國國際廣播電台|RFI)\s*$",
        // RTI: `[國際]…`, `[兩岸]…`.
        r"^\s*\[[^\]]{1,6}\]\s*",
        // CDT re-posts: `德国之声｜…`, `美国之音 | …`, `BBC丨…`.
        r"^\s*(德国之声|德國之聲|美国之音|美國之音|BBC|自由亚洲电台|自由亞洲電台|法广|纽约时报|紐約時報|联合早报|端传媒|端傳媒|RFA|VOA|DW)\s*[｜|丨]\s*",
        // Epoch programme tags: `【直播预告】`, `【翻墙必看】`.
        r"^\s*【[^】]{1,8}】\s*",
        // RTI serial numbers: `… - 200722-15`.
        r"\s+-\s*\d{6}-\d{1,3}\s*$",
        // Programme and column names after a spaced hyphen (RFI's
        // `… - 要闻解说`, `… - 法国报纸摘要`): shared by every item of a
        // programme, they would make unrelated titles look alike.
        r"\s+-\s+\p{Han}{2,8}\s*$",
        // CNA's video tag `…[影]` and Zaobao's `…（更新版）`: what the page
        // carries or its revision, not the news.
        r"\s*(\[影\]|（更新版）)\s*$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid title pattern"))
    .collect()
});

fn strip_title_decorations(title: &str) -> String {
    let mut out = title.to_string();
    // Decorations stack (`… – 法国国际广播电台 - RFI`): strip until none is
    // left. Each pass that changes the title shortens it, and there are at
    // most as many decorations as patterns times a few, so a small bound
    // only guards against a pattern that matches without removing text.
    for _ in 0..8 {
        let before = out.len();
        for pattern in TITLE_DECORATIONS.iter() {
            let stripped = pattern.replace(&out, "");
            if !stripped.trim().is_empty() {
                out = stripped.trim().to_string();
            }
        }
        if out.len() == before {
            break;
        }
    }
    out.trim().to_string()
}

/// Outlets by URL host, for files that do not name their outlet. Names are
/// those the Jekyll archives use, so one outlet has one name across formats.
const OUTLET_HOSTS: &[(&str, &str)] = &[
    ("rfi.fr", "法广"),
    ("reuters.com", "路透"),
    ("cna.com.tw", "(臺)中央社CNA"),
    ("voachinese.com", "美国之音"),
    ("zaobao.com", "联合早报"),
    ("zaobao.com.sg", "联合早报"),
    ("dw.com", "德国之声"),
    ("epochtimes.com", "大纪元"),
    ("chinadigitaltimes.net", "中国数字时代"),
    ("rti.org.tw", "RTI 中央廣播電臺"),
    ("bbc.com", "BBC"),
    ("bbc.co.uk", "BBC"),
    ("rfa.org", "自由亚洲电台"),
    ("ft.com", "金融时报"),
    ("economist.com", "经济学人en"),
    ("nytimes.com", "纽约时报"),
    ("solidot.org", "Solidot"),
    ("bitterwinter.org", "寒冬"),
    ("govopendata.com", "CCTV新闻联播"),
    ("sina.com.cn", "新浪财经"),
];

fn outlet_from_url(url: &str) -> Option<&'static str> {
    let host = url.split("://").nth(1)?.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    OUTLET_HOSTS
        .iter()
        .find(|(suffix, _)| host == *suffix || host.ends_with(&format!(".{suffix}")))
        .map(|&(_, name)| name)
}

#[cfg(test)]
mod tests;
