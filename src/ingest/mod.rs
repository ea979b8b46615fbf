//! Reading news archive files into [`Article`]s (stage 1 of the pipeline).
//!
//! Formats (detected from the content, not the file name, except `.jsonl`):
//!
//! | format | how it is recognised |
//! |---|---|
//! | [`Format::JekyllPost`] | YAML front matter, then an RSS-export header or HTML |
//! | [`Format::HexoPost`] | front matter with list `categories` or RFC 2822 `date` |
//! | [`Format::RssExport`] | starts with `<!--epoch-ms-->` or `[title](url)` |
//! | [`Format::JsonLines`] | `.jsonl`/`.ndjson`, or every line a JSON object |
//! | [`Format::PlainText`] | anything else: first line the title |
//!
//! Bodies are HTML (parsed with html5ever) except in plain text and in JSON
//! records that carry `text`. Boilerplate is removed by the rule table in
//! `boilerplate.rs`; which rules fired is kept in [`Article::removed`].

mod boilerplate;
mod decode;
mod front_matter;
mod html;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::normalize::Script;
use crate::parallel::Workers;
use crate::progress::{Progress, Reporter, Stage};

/// An article's identifier: its position in the loader's stable order
/// (sorted by path, then line), so the same inputs always get the same ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArticleId(pub u32);

/// The layout an article was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Jekyll post: YAML front matter (`title`, `date`, `from`, `tags` …).
    JekyllPost,
    /// Hexo post: front matter with RFC 2822 `date` and list `categories`.
    HexoPost,
    /// RSS export: `<!--epoch-ms-->` or `日期：` line, `[title](url)`, `------`, HTML.
    RssExport,
    /// One JSON object a line.
    JsonLines,
    /// Plain text: the first non-empty line is the title.
    PlainText,
}

/// Which field a publish time came from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// The `<!--1604365323000-->` epoch-milliseconds comment (most precise).
    EpochComment,
    /// The front matter `date`.
    FrontMatter,
    /// The `published` field of a JSON record.
    JsonField,
    /// A `日期：<RFC 2822>` line.
    DateLine,
}

/// When an article was published, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// Milliseconds since the Unix epoch, UTC.
    pub utc_ms: i64,
    /// The field this time was taken from (the most precise one present).
    pub source: TimeSource,
    /// Another field that disagreed by more than a minute, with its time:
    /// kept so that a user can see the conflict. `None` when all agree.
    pub disagreeing: Option<(TimeSource, i64)>,
}

/// Where an article came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// The file (as given to the loader, or joined to the folder given).
    pub path: PathBuf,
    /// The 1-based line, for JSON Lines records.
    pub line: Option<u32>,
}

/// One news article, cleaned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Position in the loader's stable order.
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
}

impl Article {
    /// Total characters of body text.
    pub fn text_chars(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
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
}

impl Default for LoaderBuilder {
    fn default() -> Self {
        LoaderBuilder {
            max_file_bytes: 16 * 1024 * 1024,
            max_html_depth: 256,
            threads: 0,
            progress: Reporter::default(),
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

    /// Builds the loader.
    ///
    /// # Errors
    ///
    /// When a limit is zero.
    pub fn build(&self) -> Result<Loader, Error> {
        if self.max_file_bytes == 0 || self.max_html_depth == 0 {
            return Err(Error::config("loader limits must be positive"));
        }
        Ok(Loader { config: self.clone(), workers: Workers::new(self.threads) })
    }
}

/// Reads files, folders and readers into articles.
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
}

/// What a load returned: every input is either in `articles` or in
/// `failures`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The articles, in stable order (by path, then line); `articles[i].id`
    /// is `ArticleId(i)`.
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
        // The default limits (16 MiB, depth 256) are positive.
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
        for (i, article) in loaded.articles.iter_mut().enumerate() {
            article.id = ArticleId(u32::try_from(i).unwrap_or(u32::MAX));
        }
        loaded
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
    /// record; any other file gives one. The articles are numbered 0, 1, …
    /// in record order; to cluster the articles of several calls together,
    /// give them distinct ids first (positions in the combined list will do).
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
        for (i, article) in articles.iter_mut().enumerate() {
            article.id = ArticleId(u32::try_from(i).unwrap_or(u32::MAX));
        }
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
        let article = draft.finish(Source { path: path.to_path_buf(), line: None }, encoding);
        article.map(|a| (vec![a], Vec::new())).map_err(|e| e.at(path))
    }

    fn parse_document(&self, text: &str) -> Result<Draft, Error> {
        let mut draft = Draft::default();
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
            let result =
                self.parse_json_record(line).and_then(|draft| draft.finish(source, encoding));
            match result {
                Ok(article) => articles.push(article),
                Err(err) => errors.push(err.at(path).at_line(line_no)),
            }
        }
        (articles, errors)
    }

    fn parse_json_record(&self, line: &str) -> Result<Draft, Error> {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| Error::new(ErrorKind::Json(e.to_string())))?;
        let object =
            value.as_object().ok_or_else(|| Error::new(ErrorKind::Json("not an object".into())))?;
        let field = |name: &str| object.get(name).and_then(|v| v.as_str()).map(str::to_string);
        let mut draft = Draft { format: Format::JsonLines, ..Draft::default() };
        draft.title = field("title").unwrap_or_default();
        draft.url = field("url");
        draft.outlet = field("outlet");
        match object.get("published") {
            Some(serde_json::Value::Number(n)) => {
                if let Some(ms) = n.as_i64() {
                    draft.times.push((TimeSource::JsonField, ms));
                }
            }
            Some(serde_json::Value::String(s)) => {
                if let Some(ms) = parse_time(s) {
                    draft.times.push((TimeSource::JsonField, ms));
                }
            }
            _ => {}
        }
        if let Some(html) = field("html") {
            self.read_html(&mut draft, &html)?;
        } else if let Some(text) = field("text") {
            draft.read_text_lines(text.lines());
        }
        Ok(draft)
    }
}

/// An article being assembled.
#[derive(Debug)]
struct Draft {
    format: Format,
    title: String,
    url: Option<String>,
    outlet: Option<String>,
    times: Vec<(TimeSource, i64)>,
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
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            format: Format::PlainText,
            title: String::new(),
            url: None,
            outlet: None,
            times: Vec::new(),
            paragraphs: Vec::new(),
            captions: Vec::new(),
            removed: BTreeMap::new(),
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
        if let Some(ms) = get("date").and_then(parse_time) {
            self.times.push((TimeSource::FrontMatter, ms));
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
                self.times.push((TimeSource::EpochComment, ms));
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
                if let Some(ms) = parse_time(date.trim()) {
                    self.times.push((TimeSource::DateLine, ms));
                }
            } else if !trimmed.is_empty() {
                return text;
            }
            if rest.is_empty() {
                return rest;
            }
            text = rest;
        }
    }

    fn finish(mut self, source: Source, encoding: &str) -> Result<Article, Error> {
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
                .find(|&&(_, other)| (other - utc_ms).abs() > 60_000)
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

/// Publish times in the formats archives use: RFC 3339 / ISO 8601 with an
/// offset, RFC 2822, epoch milliseconds, or a civil time taken as UTC.
fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim().trim_matches(['"', '\'']);
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_millisecond());
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp().as_millisecond());
    }
    if let Ok(ms) = text.parse::<i64>() {
        return Some(ms);
    }
    if let Ok(civil) = text.parse::<jiff::civil::DateTime>() {
        return civil
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_millisecond());
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_millisecond())
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
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid title pattern"))
    .collect()
});

fn strip_title_decorations(title: &str) -> String {
    let mut out = title.to_string();
    for pattern in TITLE_DECORATIONS.iter() {
        let stripped = pattern.replace(&out, "");
        if !stripped.trim().is_empty() {
            out = stripped.into_owned();
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
