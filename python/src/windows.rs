//! Clustering an archive in parts (the time windows of a Spark job):
//! `Frequencies`, `frequencies`, `score` and `group`, over the library's
//! `Clusterer::frequencies`, `Clusterer::score` (`score_with_vectors`) and
//! `Clusterer::group`.

use std::collections::HashMap;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};
use zhdedup::{ArticleId, Clusterer, ScoredPair};

use crate::convert::{Key, serde_to_py, type_name, value_error};
use crate::records;
use crate::settings::Settings;
use crate::vectors::VectorUse;

/// Corpus-wide document frequencies: how many articles hold each term,
/// which is what the clusterer weighs terms by.
///
/// Count each part of an archive with `zhdedup.frequencies(part)`, `merge`
/// the parts into the counts of the whole, and give those to `cluster` or
/// `score` of any part (`frequencies=`), which then scores pairs as one run
/// over the whole archive would. `to_bytes` / `Frequencies.from_bytes` and
/// pickling move them between processes (a Spark broadcast).
#[pyclass(name = "Frequencies", module = "zhdedup", skip_from_py_object, eq)]
#[derive(PartialEq)]
pub struct PyFrequencies {
    pub inner: zhdedup::Frequencies,
}

#[pymethods]
impl PyFrequencies {
    /// Empty counts (what `merge` starts from).
    #[new]
    fn new() -> PyFrequencies {
        PyFrequencies { inner: zhdedup::Frequencies::default() }
    }

    /// How many articles were counted.
    #[getter]
    fn articles(&self) -> u64 {
        self.inner.articles()
    }

    /// Adds the counts of `other`, articles these counts do not hold yet.
    /// `ValueError` when the two were counted with other `ngram`,
    /// `lead_chars` or `min_paragraph_chars`.
    fn merge(&mut self, other: PyRef<'_, PyFrequencies>) -> PyResult<()> {
        self.inner.merge(&other.inner).map_err(value_error)
    }

    /// Drops the terms only one article holds (they weigh as unseen terms,
    /// so scores do not change): for the counts of the whole archive only,
    /// as a part's 1 may become 2 in a merge.
    fn prune(&mut self) {
        self.inner.prune();
    }

    /// The counts as bytes, for `Frequencies.from_bytes` (the same counts
    /// give the same bytes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Reads `to_bytes`' output; `ValueError` for other bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<PyFrequencies> {
        zhdedup::Frequencies::from_bytes(data)
            .map(|inner| PyFrequencies { inner })
            .map_err(value_error)
    }

    /// Pickling: rebuilt by `Frequencies.from_bytes`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let rebuild = py.get_type::<PyFrequencies>().getattr("from_bytes")?;
        let data = slf.borrow().to_bytes(py);
        PyTuple::new(py, [rebuild, PyTuple::new(py, [data])?.into_any()])
    }

    /// The number of distinct terms counted (the size of the table).
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Frequencies({} articles, {} terms)", self.inner.articles(), self.inner.len())
    }
}

/// The document frequencies of records (and/or `Article`s), for the
/// `frequencies=` setting of `cluster` and `score`. Records are read and
/// checked as `cluster` reads them; the settings that matter are the
/// folding ones (`ngram`, `lead_chars`, `min_paragraph_chars`), which must
/// be those of the clusterer that uses the counts. Records' `vector` keys
/// are not read: vectors do not change the counts.
#[pyfunction]
#[pyo3(signature = (records, **settings))]
pub fn frequencies(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    settings: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyFrequencies> {
    let settings = Settings::parse("frequencies", settings)?;
    let (inner, _) = records::with_articles(
        py,
        records,
        &settings,
        VectorUse::Ignore,
        |clusterer, articles, _| Ok(clusterer.frequencies(articles)),
    )?;
    Ok(PyFrequencies { inner })
}

/// Scores the candidate pairs of records without clustering them: the first
/// half of `cluster`, for a job that scores parts of an archive and groups
/// all their pairs at once with `group`.
///
/// Returns `(pairs, links)`: `pairs`, every pair that clustering weighs
/// (scored at least 0.02), as `(id_a, id_b, score)` tuples with `id_a` the
/// record earlier in the input; `links`, the pairs at or above the event
/// threshold with their evidence, as dicts like `Clustering.links`. Takes
/// the records, vectors (a `vector` key per record or `vectors=`) and
/// settings of `cluster`, checked as `cluster` checks them (the same
/// errors); with vectors, the pairs are those `cluster` weighs with the
/// same vectors.
#[pyfunction]
#[pyo3(signature = (records, *, vectors = None, **settings))]
pub fn score<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    vectors: Option<&Bound<'py, PyAny>>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let settings = Settings::parse("score", settings)?;
    let (scores, keys) = records::with_vectors(
        py,
        records,
        &settings,
        vectors,
        Clusterer::score,
        Clusterer::score_with_vectors,
    )?;
    let key = |id: ArticleId| keys[id.0 as usize].to_py(py);
    let pairs = PyList::empty(py);
    for pair in &scores.pairs {
        let score = crate::clustering::shortest(pair.score).into_pyobject(py)?.into_any();
        pairs.append(PyTuple::new(py, [key(pair.a)?, key(pair.b)?, score])?)?;
    }
    let links = PyList::empty(py);
    for link in &scores.links {
        links.append(crate::clustering::link_dict(py, &keys, link)?)?;
    }
    PyTuple::new(py, [pairs.into_any(), links.into_any()])
}

/// Events and stories from scored pairs: the second half of `cluster`, the
/// same average linkage and thresholds (set by `model`, `threshold` and
/// `story_threshold`).
///
/// `ids` lists every article once (str or int), in input order, which
/// numbers the events and breaks ties as `cluster` would; `pairs` holds
/// `(id_a, id_b, score)` triples (from `score` of one or more parts, each
/// pair once). Returns a dict: `clusters`, lists of ids as
/// `Clustering.clusters`, and `stories`, lists of indices into `clusters`.
/// `ValueError` for a repeated id, a pair naming an id not in `ids` or one
/// article twice, a pair given twice, or a score outside 0..=1.
#[pyfunction]
#[pyo3(signature = (ids, pairs, **settings))]
pub fn group<'py>(
    py: Python<'py>,
    ids: &Bound<'py, PyAny>,
    pairs: &Bound<'py, PyAny>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = Settings::parse("group", settings)?;
    let mut keys: Vec<Key> = Vec::new();
    let mut position: HashMap<Key, u32> = HashMap::new();
    for (index, id) in ids.try_iter()?.enumerate() {
        let key =
            Key::from_py(&id?).map_err(|m| PyValueError::new_err(format!("ids[{index}]: {m}")))?;
        if let Some(first) = position.insert(key.clone(), index as u32) {
            return Err(PyValueError::new_err(format!("ids[{index}]: {key} repeats ids[{first}]")));
        }
        keys.push(key);
    }
    if keys.len() > u32::MAX as usize {
        return Err(PyValueError::new_err("more than 2^32 ids"));
    }
    // Checked here, not only by the library, so that messages name the
    // user's ids and the pair's place in `pairs`.
    let mut scored: Vec<ScoredPair> = Vec::new();
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    for (index, item) in pairs.try_iter()?.enumerate() {
        let item = item?;
        let at = |m: String| PyValueError::new_err(format!("pairs[{index}]: {m}"));
        if item.len().ok() != Some(3) || item.is_instance_of::<pyo3::types::PyString>() {
            return Err(at(format!(
                "expected an (id_a, id_b, score) triple, got {}",
                type_name(&item)
            )));
        }
        let side = |i: usize| -> PyResult<u32> {
            let key = Key::from_py(&item.get_item(i)?).map_err(&at)?;
            position.get(&key).copied().ok_or_else(|| at(format!("{key} is not among the ids")))
        };
        let (x, y) = (side(0)?, side(1)?);
        if x == y {
            return Err(at(format!("a pair of {} with itself", keys[x as usize])));
        }
        let value = item.get_item(2)?;
        let score: f64 = value.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "pairs[{index}]: the score must be a number, got {}",
                type_name(&value)
            ))
        })?;
        if !(0.0..=1.0).contains(&score) {
            return Err(at(format!("score {score} is outside 0..=1")));
        }
        if let Some(first) = seen.insert((x.min(y), x.max(y)), index) {
            return Err(at(format!(
                "the pair ({}, {}) repeats pairs[{first}]",
                keys[x as usize], keys[y as usize]
            )));
        }
        scored.push(ScoredPair { a: ArticleId(x), b: ArticleId(y), score: score as f32 });
    }
    let internal: Vec<ArticleId> = (0..keys.len() as u32).map(ArticleId).collect();
    let clusterer = &settings.clusterer;
    let groups = py.detach(|| clusterer.group(&internal, &scored)).map_err(value_error)?;
    let clusters = PyList::empty(py);
    for members in &groups.clusters {
        let ids: Vec<Bound<'py, PyAny>> =
            members.iter().map(|id| keys[id.0 as usize].to_py(py)).collect::<PyResult<_>>()?;
        clusters.append(PyList::new(py, ids)?)?;
    }
    let result = PyDict::new(py);
    result.set_item("clusters", clusters)?;
    result.set_item("stories", serde_to_py(py, &groups.stories)?)?;
    Ok(result)
}
