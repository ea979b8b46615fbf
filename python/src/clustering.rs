//! `Clustering`: the library's result with the user's ids, as plain Python.

use std::collections::HashMap;

use pyo3::exceptions::{PyImportError, PyKeyError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use zhdedup::{ArticleId, Link};

use crate::convert::{Key, key_arg, serde_to_py};

/// The events and stories of a batch, with the evidence of every link.
///
/// Articles are named by the ids they were given (a record's `id`, an
/// `Article`'s `id`). Events (`clusters`) are in the order of their first
/// article in the input, each listing its articles in input order;
/// `stories` group whole events into threads (an action, the reactions,
/// the follow-ups). Every input is in exactly one event and one story.
#[pyclass(module = "zhdedup", frozen, skip_from_py_object)]
pub struct Clustering {
    inner: zhdedup::Clustering,
    /// `keys[i]`: the id of the article that is `ArticleId(i)` here.
    keys: Vec<Key>,
    /// Position (internal id) of every id.
    positions: HashMap<Key, u32>,
    /// Event of every position.
    event_of: Vec<u32>,
    /// Story of every event.
    story_of_event: Vec<u32>,
    /// `links` as Python dicts, made on first use.
    links: PyOnceLock<Py<PyList>>,
}

impl Clustering {
    pub fn new(inner: zhdedup::Clustering, keys: Vec<Key>) -> Clustering {
        let positions = keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u32)).collect();
        let mut event_of = vec![0u32; keys.len()];
        for (event, members) in inner.clusters.iter().enumerate() {
            for id in members {
                event_of[id.0 as usize] = event as u32;
            }
        }
        let mut story_of_event = vec![0u32; inner.clusters.len()];
        for (story, events) in inner.stories.iter().enumerate() {
            for &event in events {
                story_of_event[event] = story as u32;
            }
        }
        Clustering { inner, keys, positions, event_of, story_of_event, links: PyOnceLock::new() }
    }

    /// The position of an id given from Python, `KeyError` when no input had it.
    fn position(&self, id: &Bound<'_, PyAny>) -> PyResult<u32> {
        let key = key_arg(id, "id")?;
        self.positions
            .get(&key)
            .copied()
            .ok_or_else(|| PyKeyError::new_err(format!("no article has the id {key}")))
    }

    fn link_dict<'py>(&self, py: Python<'py>, link: &Link) -> PyResult<Bound<'py, PyAny>> {
        link_dict(py, &self.keys, link)
    }

    fn id_list<'py>(&self, py: Python<'py>, members: &[ArticleId]) -> PyResult<Bound<'py, PyList>> {
        let ids: Vec<Bound<'py, PyAny>> =
            members.iter().map(|id| self.keys[id.0 as usize].to_py(py)).collect::<PyResult<_>>()?;
        PyList::new(py, ids)
    }

    /// The article table as columns: `id`, `cluster`, `story`, in input order.
    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ids: Vec<Bound<'py, PyAny>> =
            self.keys.iter().map(|k| k.to_py(py)).collect::<PyResult<_>>()?;
        let stories: Vec<u32> =
            self.event_of.iter().map(|&e| self.story_of_event[e as usize]).collect();
        let columns = PyDict::new(py);
        columns.set_item("id", ids)?;
        columns.set_item("cluster", self.event_of.clone())?;
        columns.set_item("story", stories)?;
        Ok(columns)
    }

    /// The link table as columns, the evidence's numbers flattened.
    fn link_columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let links = &self.inner.links;
        let key = |id: ArticleId| self.keys[id.0 as usize].to_py(py);
        let columns = PyDict::new(py);
        let f = |get: fn(&Link) -> f32| -> Vec<f64> {
            links.iter().map(|l| shortest(get(l))).collect()
        };
        columns.set_item("a", links.iter().map(|l| key(l.a)).collect::<PyResult<Vec<_>>>()?)?;
        columns.set_item("b", links.iter().map(|l| key(l.b)).collect::<PyResult<Vec<_>>>()?)?;
        columns.set_item("score", f(|l| l.score))?;
        columns.set_item("coverage", f(|l| l.evidence.coverage))?;
        columns.set_item("title_similarity", f(|l| l.evidence.title_similarity))?;
        columns.set_item("content_similarity", f(|l| l.evidence.content_similarity))?;
        columns.set_item("title_words", f(|l| l.evidence.title_words))?;
        columns.set_item("lead_words", f(|l| l.evidence.lead_words))?;
        let optional = |get: fn(&Link) -> Option<f32>| -> Vec<Option<f64>> {
            links.iter().map(|l| get(l).map(shortest)).collect()
        };
        columns.set_item("vector_similarity", optional(|l| l.evidence.vector_similarity))?;
        columns.set_item("time_gap_hours", optional(|l| l.evidence.time_gap_hours))?;
        columns.set_item(
            "same_outlet",
            links.iter().map(|l| l.evidence.same_outlet).collect::<Vec<_>>(),
        )?;
        columns.set_item("copy", links.iter().map(|l| l.evidence.copy).collect::<Vec<_>>())?;
        columns.set_item(
            "matched_paragraphs",
            links.iter().map(|l| l.evidence.matched_paragraphs.len()).collect::<Vec<_>>(),
        )?;
        // `川普/特朗普` when the two articles write a term differently.
        let terms: Vec<Vec<String>> = links
            .iter()
            .map(|l| l.evidence.shared_terms.iter().map(ToString::to_string).collect())
            .collect();
        columns.set_item("shared_terms", terms)?;
        Ok(columns)
    }
}

/// One link as a dict, its articles named by the user's ids (`keys`, by
/// internal id).
pub fn link_dict<'py>(py: Python<'py>, keys: &[Key], link: &Link) -> PyResult<Bound<'py, PyAny>> {
    // In the struct's order (serde_json's map sorts keys): ids, score,
    // then the evidence.
    let serialized = serde_to_py(py, link)?;
    let dict = PyDict::new(py);
    dict.set_item("a", keys[link.a.0 as usize].to_py(py)?)?;
    dict.set_item("b", keys[link.b.0 as usize].to_py(py)?)?;
    dict.set_item("score", serialized.get_item("score")?)?;
    dict.set_item("evidence", serialized.get_item("evidence")?)?;
    Ok(dict.into_any())
}

/// An `f32` as the `f64` its shortest decimal form names (`0.83`, not
/// `0.8299999833106995`), as `links` gives it.
pub fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// `import name`, or an `ImportError` saying which method needs it.
fn import<'py>(py: Python<'py>, name: &str, method: &str) -> PyResult<Bound<'py, PyModule>> {
    py.import(name).map_err(|err| {
        let message = format!("Clustering.{method}() needs {name}: pip install {name}");
        let import_error = PyImportError::new_err(message);
        import_error.set_cause(py, Some(err));
        import_error
    })
}

#[pymethods]
impl Clustering {
    /// Events: lists of ids, one per event, in the order of their first
    /// article in the input; each in input order.
    #[getter]
    fn clusters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let clusters: Vec<Bound<'py, PyList>> =
            self.inner.clusters.iter().map(|c| self.id_list(py, c)).collect::<PyResult<_>>()?;
        PyList::new(py, clusters)
    }

    /// Stories: lists of indices into `clusters`, each sorted; every event
    /// is in exactly one story.
    #[getter]
    fn stories(&self) -> Vec<Vec<usize>> {
        self.inner.stories.clone()
    }

    /// Every input's id, in input order.
    #[getter]
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.keys.iter().map(|k| k.to_py(py)).collect()
    }

    /// Links: one dict per pair scored at or above the event threshold, and
    /// per other pair of articles of one event, sorted by input position:
    /// `a`, `b` (ids), `score` (0..=1) and `evidence`, a dict with
    /// `matched_paragraphs`, `coverage`, `shares`, `title_similarity`,
    /// `content_similarity`, `title_words`, `lead_words`,
    /// `vector_similarity`, `time_gap_hours`, `same_outlet`, `copy`,
    /// `shared_terms` (dicts `a`, `b`: a term as each article writes it)
    /// and `contributions` (dicts `feature`, `value`, `logit`: what each
    /// feature added to the model's log-odds, largest first).
    ///
    /// The dicts are made once and shared between calls.
    #[getter]
    fn links<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let cached = self.links.get_or_try_init(py, || -> PyResult<Py<PyList>> {
            let dicts: Vec<Bound<'py, PyAny>> = self
                .inner
                .links
                .iter()
                .map(|link| self.link_dict(py, link))
                .collect::<PyResult<_>>()?;
            Ok(PyList::new(py, dicts)?.unbind())
        })?;
        // A new list each time, so that sorting or filtering it changes no
        // later answer.
        PyList::new(py, cached.bind(py).iter())
    }

    /// Candidate pairs scored (for measuring the blocking).
    #[getter]
    fn candidates(&self) -> usize {
        self.inner.candidates
    }

    /// The index in `clusters` of the event holding `id`; `KeyError` for an
    /// id no input had.
    fn cluster_of(&self, id: &Bound<'_, PyAny>) -> PyResult<u32> {
        Ok(self.event_of[self.position(id)? as usize])
    }

    /// The index in `stories` of the story holding `id`.
    fn story_of(&self, id: &Bound<'_, PyAny>) -> PyResult<u32> {
        Ok(self.story_of_event[self.event_of[self.position(id)? as usize] as usize])
    }

    /// A dict of every id to the index of its event in `clusters`.
    fn cluster_index<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let index = PyDict::new(py);
        for (key, event) in self.keys.iter().zip(&self.event_of) {
            index.set_item(key.to_py(py)?, event)?;
        }
        Ok(index)
    }

    /// A dict of every id to the index of its story in `stories`.
    fn story_index<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let index = PyDict::new(py);
        for (key, event) in self.keys.iter().zip(&self.event_of) {
            index.set_item(key.to_py(py)?, self.story_of_event[*event as usize])?;
        }
        Ok(index)
    }

    /// The link of two articles (a dict as in `links`, `a` the one earlier
    /// in the input): for any two articles of one event, and for any other
    /// pair scored at or above the event threshold; `None` otherwise.
    /// `KeyError` for an id no input had.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let (a, b) = (ArticleId(self.position(a)?), ArticleId(self.position(b)?));
        self.inner.explain(a, b).map(|link| self.link_dict(py, link)).transpose()
    }

    /// The articles as a pandas DataFrame, one row per input in input
    /// order, with columns `id`, `cluster` and `story`. Needs pandas
    /// (imported now, not with zhdedup).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        import(py, "pandas", "to_pandas")?.call_method1("DataFrame", (self.columns(py)?,))
    }

    /// The articles as a pyarrow Table, as `to_pandas`. Needs pyarrow. The
    /// ids of one table must be all str or all int.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        import(py, "pyarrow", "to_arrow")?.call_method1("table", (self.columns(py)?,))
    }

    /// The links as a pandas DataFrame, one row per link: `a`, `b`,
    /// `score`, the evidence's similarities, `time_gap_hours`,
    /// `same_outlet`, `copy`, `matched_paragraphs` (a count) and
    /// `shared_terms` (a list of str, `a/b` where the two write a term
    /// differently). Needs pandas.
    fn links_to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        import(py, "pandas", "links_to_pandas")?
            .call_method1("DataFrame", (self.link_columns(py)?,))
    }

    /// The links as a pyarrow Table, as `links_to_pandas`. Needs pyarrow.
    fn links_to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        import(py, "pyarrow", "links_to_arrow")?.call_method1("table", (self.link_columns(py)?,))
    }

    /// The number of articles.
    fn __len__(&self) -> usize {
        self.keys.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Clustering({} articles, {} clusters, {} stories, {} links)",
            self.keys.len(),
            self.inner.clusters.len(),
            self.inner.stories.len(),
            self.inner.links.len()
        )
    }
}
