//! Vectors the user brings (a record's `vector` key, the `vectors=` of
//! `cluster` and `score`), read and checked with the interpreter attached,
//! every bad one a `ValueError` naming the record; the library's `Vectors`
//! are made from them without it.

use std::collections::HashMap;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use zhdedup::{ArticleId, Vectors};

use crate::convert::{Key, type_name};
use crate::records::{absent, bad};

/// What a call does with the vectors of its records.
#[derive(Clone, Copy)]
pub enum VectorUse<'a, 'py> {
    /// Leaves the `vector` keys unread: counting terms (`frequencies`)
    /// does not weigh vectors, so records made for `cluster` count as they
    /// are.
    Ignore,
    /// Reads the `vector` keys and the `vectors=` mapping, when given
    /// (`cluster`, `score`).
    Read(Option<&'a Bound<'py, PyAny>>),
}

/// Where a record's vector was given.
#[derive(Clone, Copy)]
pub enum Source {
    /// The record's `vector` key.
    Key,
    /// The `vectors=` mapping.
    Mapping,
}

/// The vectors of one batch, read and checked, by record position.
#[derive(Default)]
pub struct Given {
    /// `(position, values)`, in the order given.
    vectors: Vec<(u32, Vec<f32>)>,
    /// Where each position's vector came from: a record has one at most.
    sources: HashMap<usize, Source>,
    /// The first vector's record (index and id) and dimension, which every
    /// other vector must have.
    first: Option<(usize, Key, usize)>,
}

impl Given {
    /// Adds the vector `value` of record `index` (id `key`); a
    /// `ValueError` naming the record and where the vector was given
    /// (`vector`, `vectors`) when it is no vector, has another dimension
    /// than the first, or the record has one already.
    pub fn add(
        &mut self,
        index: usize,
        key: &Key,
        value: &Bound<'_, PyAny>,
        source: Source,
    ) -> PyResult<()> {
        let field = match source {
            Source::Key => "vector",
            Source::Mapping => "vectors",
        };
        let fail = |message: String| bad(index, Some(key), field, message);
        match self.sources.get(&index) {
            Some(Source::Key) => {
                return Err(fail(
                    "the record has a vector already (its `vector` key): give each record's \
                     vector one way"
                        .into(),
                ));
            }
            Some(Source::Mapping) => return Err(fail("given twice".into())),
            None => {}
        }
        let values = values(value).map_err(&fail)?;
        match &self.first {
            Some((first, first_key, dimension)) if values.len() != *dimension => {
                return Err(fail(format!(
                    "{} values, but record {first} (id {first_key}) has {dimension}",
                    values.len()
                )));
            }
            Some(_) => {}
            None => self.first = Some((index, key.clone(), values.len())),
        }
        self.sources.insert(index, source);
        self.vectors.push((index as u32, values));
        Ok(())
    }

    /// Reads `vectors=`: a mapping (a dict, or anything with `items()`, as
    /// a pandas Series) from record id to vector; `None` or NaN is no
    /// vector. `positions` gives each id's record; `function` is named in
    /// the `TypeError` for another type.
    pub fn read_mapping(
        &mut self,
        function: &str,
        mapping: &Bound<'_, PyAny>,
        positions: &HashMap<Key, usize>,
    ) -> PyResult<()> {
        let items = if let Ok(dict) = mapping.cast::<PyDict>() {
            dict.items().into_any()
        } else if mapping.hasattr("items")? {
            mapping.call_method0("items")?
        } else {
            return Err(PyTypeError::new_err(format!(
                "{function}(): vectors must be a mapping of record id to a sequence of \
                 numbers, got {}",
                type_name(mapping)
            )));
        };
        for item in items.try_iter()? {
            let (id, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            let key = Key::from_py(&id).map_err(|message| {
                PyValueError::new_err(format!(
                    "vectors: key {}: {message}",
                    id.repr().map_or_else(|_| type_name(&id), |r| r.to_string())
                ))
            })?;
            let Some(&index) = positions.get(&key) else {
                return Err(PyValueError::new_err(format!("vectors: id {key} names no record")));
            };
            if !absent(&value) {
                self.add(index, &key, &value, Source::Mapping)?;
            }
        }
        Ok(())
    }

    /// `ValueError` when vectors were given and the model does not weigh
    /// them: they would change nothing, silently.
    pub fn check_model(&self, function: &str, weighs_vectors: bool) -> PyResult<()> {
        match &self.first {
            Some((index, key, _)) if !weighs_vectors => Err(PyValueError::new_err(format!(
                "{function}(): the model does not weigh vectors (record {index} (id {key}) has \
                 one): give a model trained with vectors (model=)"
            ))),
            _ => Ok(()),
        }
    }

    /// The library's vectors, `None` when no record has one (then
    /// clustering is as without vectors). Runs without the interpreter.
    pub fn into_vectors(self) -> Result<Option<Vectors>, String> {
        if self.vectors.is_empty() {
            return Ok(None);
        }
        let mut vectors = Vectors::new();
        for (position, values) in self.vectors {
            // Checked as they were read; an error here is the library's
            // rule changing, said in its words.
            vectors.insert(ArticleId(position), &values).map_err(|e| e.to_string())?;
        }
        Ok(Some(vectors))
    }
}

/// A vector from Python: any iterable of real numbers (a list, a tuple, a
/// numpy array, ...), not empty, every value finite as an `f32`, not all
/// zeros; or why not (without the field).
fn values(value: &Bound<'_, PyAny>) -> Result<Vec<f32>, String> {
    let expected = || format!("expected a sequence of numbers, got {}", type_name(value));
    // A string, bytes or a dict iterates (characters, ints, keys), but is
    // no vector.
    if value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyBytes>()
        || value.is_instance_of::<PyDict>()
    {
        return Err(expected());
    }
    let listed;
    let value = match plain_list(value).map_err(|e| e.to_string())? {
        Some(list) => {
            listed = list;
            &listed
        }
        None => value,
    };
    let items = value.try_iter().map_err(|_| expected())?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item.map_err(|e| e.to_string())?;
        let x: f64 = item
            .extract()
            .map_err(|_| format!("item {i}: expected a number, got {}", type_name(&item)))?;
        // Named as Python writes it (`nan`, `1e+300`).
        let shown = || item.repr().map_or_else(|_| x.to_string(), |r| r.to_string());
        if !x.is_finite() {
            return Err(format!("item {i}: {} is not finite", shown()));
        }
        // The library holds vectors as f32: a value beyond its range would
        // become infinite.
        let narrow = x as f32;
        if !narrow.is_finite() {
            return Err(format!("item {i}: {} is beyond the 32-bit float range", shown()));
        }
        out.push(narrow);
    }
    if out.is_empty() {
        return Err("empty".into());
    }
    if out.iter().all(|&x| x == 0.0) {
        return Err("all zeros (a vector needs a direction)".into());
    }
    Ok(out)
}

/// A numpy array, pandas Series or pyarrow array or list value as a Python
/// list: they iterate as their own scalars, which read one by one far
/// slower than floats (numpy, pandas) or not as numbers at all (pyarrow).
/// `None` for any other value.
fn plain_list<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let module = value.get_type().module().map(|m| m.to_string()).unwrap_or_default();
    let method = if module.starts_with("numpy") || module.starts_with("pandas") {
        "tolist"
    } else if module.starts_with("pyarrow") {
        // A list value of a table's column (`ListScalar`) or an array.
        if value.hasattr("as_py")? { "as_py" } else { "to_pylist" }
    } else {
        return Ok(None);
    };
    if !value.hasattr(method)? {
        return Ok(None);
    }
    value.call_method0(method).map(Some)
}
