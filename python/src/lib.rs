//! `zhdedup._native`: the Python bindings of the zhdedup library, which
//! `zhdedup/__init__.py` re-exports. Python values are read and written
//! here with the interpreter attached; loading and clustering run with it
//! released (`Python::detach`), so other Python threads go on meanwhile.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use zhdedup::Clusterer;

mod article;
mod clustering;
mod convert;
mod normalizer;
mod records;
mod settings;
mod vectors;
mod windows;

use article::{Loaded, PyArticle, PyLoader};
use clustering::Clustering;
use normalizer::PyNormalizer;
use settings::Settings;

/// Clusters records into events and stories.
///
/// `records` is an iterable of dicts (or any mapping: pandas rows, the
/// dicts of `pyarrow.Table.to_pylist()`) and/or `zhdedup.Article`s from a
/// `Loader`, or a whole pandas DataFrame or pyarrow Table (its rows). A record has `id` (str or int, required, unique), `title`,
/// `text` (one paragraph a line, or a list of paragraph strings), `html`
/// (instead of text; wins over it), `paragraphs` (a list), `outlet`, `url`
/// and `published`: a datetime (naive ones are UTC unless
/// `utc_offset_minutes` is given; aware ones are converted), an ISO 8601 or
/// other string the library reads (without an offset: UTC+8, or
/// `utc_offset_minutes`), or an int of epoch seconds (milliseconds when
/// above 10^11), and `vector` (see below). `None`, NaN and pandas' NaT/NA
/// mean absent; other keys are ignored.
///
/// Vectors (keyword only): semantic vectors from any sentence-embedding
/// model, one per record at most, all of one dimension, which a model
/// trained with such vectors weighs (`model=`; the built-in model does
/// not). Give them as each record's `vector` key or column, or as
/// `vectors`, a mapping (a dict, a pandas Series) from record id (for a
/// `zhdedup.Article`, its `id`) to a vector; a vector is a list, tuple,
/// numpy array or any iterable of numbers, `None` or NaN for none. Records
/// without a vector are clustered all the same: their pairs take the
/// model's value for a missing vector, as every pair does when none is
/// given.
///
/// Every record is clustered or a `ValueError` names it (its index and id)
/// and the field: a missing or repeated id, a field of the wrong type, an
/// unreadable time, no title and no text; a vector that is empty, not of
/// numbers, not finite, all zeros or of another dimension than the first,
/// or given both as a key and in `vectors`. An id in `vectors` that names
/// no record, and vectors for a model that does not weigh them, are a
/// `ValueError` too.
///
/// Settings (keyword only; each unset one keeps the library's default):
/// `model` (a model JSON file), `threshold`, `story_threshold`, `gap`
/// (hours), `threads` (0: all cores), `copy_coverage`, `lead_chars`,
/// `blocking_terms`, `ngram`, `max_distance`, `min_paragraph_chars`,
/// `max_paragraph_matches`, `signals` (a dict of signal name to bool),
/// `utc_offset_minutes` and `frequencies` (a `Frequencies` or its bytes:
/// weigh terms by these counts instead of the input's). Out of range:
/// `ValueError`.
#[pyfunction]
#[pyo3(signature = (records, *, vectors = None, **settings))]
fn cluster<'py>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    vectors: Option<&Bound<'py, PyAny>>,
    settings: Option<&Bound<'py, PyDict>>,
) -> PyResult<Clustering> {
    let settings = Settings::parse("cluster", settings)?;
    let (clustering, keys) = records::with_vectors(
        py,
        records,
        &settings,
        vectors,
        Clusterer::cluster,
        Clusterer::cluster_with_vectors,
    )?;
    Ok(Clustering::new(clustering, keys))
}

/// The extension module.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyArticle>()?;
    module.add_class::<Loaded>()?;
    module.add_class::<PyLoader>()?;
    module.add_class::<Clustering>()?;
    module.add_class::<PyNormalizer>()?;
    module.add_class::<windows::PyFrequencies>()?;
    module.add_function(wrap_pyfunction!(cluster, module)?)?;
    module.add_function(wrap_pyfunction!(windows::frequencies, module)?)?;
    module.add_function(wrap_pyfunction!(windows::score, module)?)?;
    module.add_function(wrap_pyfunction!(windows::group, module)?)?;
    Ok(())
}
