//! `Loader`, `Loaded` and `Article`: files and folders read by the
//! library's `Loader::load_paths`.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use zhdedup::{Article, BadTimes};

use crate::convert::{serde_to_py, type_name, value_error};

/// One article, cleaned by the library: what a `Loader` read from a file or
/// a JSON Lines record.
///
/// Give articles (with records, if you like) to `zhdedup.cluster`; there
/// an article's id is its `id`, the number the loader gave it.
#[pyclass(name = "Article", module = "zhdedup", frozen, skip_from_py_object)]
pub struct PyArticle {
    pub inner: Article,
}

#[pymethods]
impl PyArticle {
    /// The loader's number for the article: 0, 1, ... in the order it read
    /// them (files sorted by path, then line). Its id in a clustering.
    #[getter]
    fn id(&self) -> u32 {
        self.inner.id.0
    }

    /// The file it came from.
    #[getter]
    fn path(&self) -> String {
        self.inner.source.path.display().to_string()
    }

    /// The 1-based line of a JSON Lines record, else `None`.
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner.source.line
    }

    /// `path`, or `path:line` for a JSON Lines record.
    #[getter]
    fn source(&self) -> String {
        self.inner.source.to_string()
    }

    /// The layout read: `jekyll_post`, `hexo_post`, `rss_export`,
    /// `json_lines` or `plain_text`.
    #[getter]
    fn format(&self) -> &'static str {
        self.inner.format.name()
    }

    /// The text encoding detected (`UTF-8`, `gb18030`, `Big5`, ...).
    #[getter]
    fn encoding(&self) -> &str {
        &self.inner.encoding
    }

    /// The outlet, from the file's metadata or the URL's host.
    #[getter]
    fn outlet(&self) -> Option<&str> {
        self.inner.outlet.as_deref()
    }

    /// The URL, percent-decoded.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.inner.url.as_deref()
    }

    /// The title without outlet decorations.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }

    /// The title as written.
    #[getter]
    fn raw_title(&self) -> &str {
        &self.inner.raw_title
    }

    /// The body paragraphs in reading order.
    #[getter]
    fn paragraphs(&self) -> Vec<String> {
        self.inner.paragraphs.clone()
    }

    /// Image and video captions, apart from the body.
    #[getter]
    fn captions(&self) -> Vec<String> {
        self.inner.captions.clone()
    }

    /// The publish time in milliseconds since the epoch (UTC), or `None`.
    #[getter]
    fn published_ms(&self) -> Option<i64> {
        self.inner.published.map(|p| p.utc_ms)
    }

    /// The publish time as RFC 3339 in UTC (`2024-03-12T09:30:00Z`), or
    /// `None`.
    #[getter]
    fn published(&self) -> Option<String> {
        self.inner.published.map(|p| p.to_string())
    }

    /// What the loader left out and why (an unreadable publish time), as
    /// sentences; empty for most articles.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.iter().map(ToString::to_string).collect()
    }

    /// Every field as plain Python data (the library's serde form: `id`,
    /// `source`, `format`, `encoding`, `outlet`, `url`, `title`,
    /// `raw_title`, `published`, `script`, `paragraphs`, `captions`,
    /// `removed`, `warnings`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        serde_to_py(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Article(id={}, source={:?}, title={:?})",
            self.inner.id,
            self.source(),
            self.inner.title
        )
    }
}

/// What `Loader.load` read: every input is in `articles` or in `failures`.
#[pyclass(module = "zhdedup", frozen, skip_from_py_object)]
pub struct Loaded {
    articles: Py<PyList>,
    /// Path, line, reason code and message of each failure.
    failures: Vec<(Option<String>, Option<u32>, &'static str, String)>,
    files: usize,
    bytes: u64,
}

#[pymethods]
impl Loaded {
    /// The articles, in stable order (by path, then line).
    #[getter]
    fn articles<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        // A copy of the list, so that changing it changes no later answer.
        let items: Vec<Bound<'py, PyAny>> = self.articles.bind(py).iter().collect();
        PyList::new(py, items)
    }

    /// One dict per file (or JSON Lines record) that gave no article:
    /// `path` (str or None), `line` (int or None), `reason` (a short stable
    /// code: `io`, `too_large`, `binary`, `undecodable`, `front_matter`,
    /// `nesting_too_deep`, `json`, `empty`, `bad_time`, ...) and `message`.
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (path, line, reason, message) in &self.failures {
            let dict = PyDict::new(py);
            dict.set_item("path", path)?;
            dict.set_item("line", line)?;
            dict.set_item("reason", reason)?;
            dict.set_item("message", message)?;
            list.append(dict)?;
        }
        Ok(list)
    }

    /// Files looked at.
    #[getter]
    fn files(&self) -> usize {
        self.files
    }

    /// Bytes read.
    #[getter]
    fn bytes(&self) -> u64 {
        self.bytes
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Loaded({} articles, {} failures, {} files, {} bytes)",
            self.articles.bind(py).len(),
            self.failures.len(),
            self.files,
            self.bytes
        )
    }
}

/// Reads news archive files and folders (Jekyll/Hexo posts, RSS exports,
/// JSON Lines, plain text; UTF-8, GB18030 or Big5) into articles, removing
/// boilerplate.
///
/// Keyword settings (each the library's `LoaderBuilder` setting):
/// `threads` (0: all cores), `utc_offset_minutes` (the zone of times
/// written without an offset, default 480: UTC+8), `bad_times` (`"warn"`:
/// keep the article without the time and with a warning, the default;
/// `"reject"`: fail it), `max_file_bytes` (default 16 MiB),
/// `max_html_depth` (default 256) and `first_id` (default 0).
#[pyclass(name = "Loader", module = "zhdedup", frozen, skip_from_py_object)]
pub struct PyLoader {
    inner: zhdedup::Loader,
}

#[pymethods]
impl PyLoader {
    #[new]
    #[pyo3(signature = (*, threads=0, utc_offset_minutes=480, bad_times="warn", max_file_bytes=16 * 1024 * 1024, max_html_depth=256, first_id=0))]
    fn new(
        threads: usize,
        utc_offset_minutes: i32,
        bad_times: &str,
        max_file_bytes: u64,
        max_html_depth: usize,
        first_id: u32,
    ) -> PyResult<PyLoader> {
        let policy = match bad_times {
            "warn" => BadTimes::Warn,
            "reject" => BadTimes::Reject,
            other => {
                return Err(PyValueError::new_err(format!(
                    "Loader(): bad_times must be \"warn\" or \"reject\", got {other:?}"
                )));
            }
        };
        let inner = zhdedup::Loader::builder()
            .threads(threads)
            .utc_offset_minutes(utc_offset_minutes)
            .bad_times(policy)
            .max_file_bytes(max_file_bytes)
            .max_html_depth(max_html_depth)
            .first_id(first_id)
            .build()
            .map_err(value_error)?;
        Ok(PyLoader { inner })
    }

    /// Reads files and folders (folders recursively; every regular file
    /// below one is an input). `paths` is one path or a list of them (str
    /// or os.PathLike). The interpreter is released while reading.
    fn load(&self, py: Python<'_>, paths: &Bound<'_, PyAny>) -> PyResult<Loaded> {
        let paths: Vec<PathBuf> =
            if paths.is_instance_of::<PyString>() || paths.hasattr("__fspath__")? {
                vec![paths.extract()?]
            } else {
                paths.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "Loader.load(): paths must be a path or a list of paths, got {}",
                        type_name(paths)
                    ))
                })?
            };
        let loader = &self.inner;
        let loaded = py.detach(|| loader.load_paths(&paths));
        let articles: Vec<Py<PyArticle>> = loaded
            .articles
            .into_iter()
            .map(|inner| Py::new(py, PyArticle { inner }))
            .collect::<PyResult<_>>()?;
        let failures = loaded
            .failures
            .iter()
            .map(|f| {
                let path = f.path().map(|p| p.display().to_string());
                (path, f.line(), f.reason(), f.to_string())
            })
            .collect();
        Ok(Loaded {
            articles: PyList::new(py, articles)?.unbind(),
            failures,
            files: loaded.files,
            bytes: loaded.bytes,
        })
    }

    fn __repr__(&self) -> String {
        "Loader()".into()
    }
}
