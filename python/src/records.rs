//! Python records (dicts, pandas rows, any mapping) and `Article` objects
//! into the library's articles, every bad one a `ValueError` naming the
//! record and the field.

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyString};
use rayon::prelude::*;
use zhdedup::{Article, ArticleId, ErrorKind, Loader, Record, Vectors};

use crate::article::PyArticle;
use crate::convert::{Key, type_name};
use crate::vectors::{Given, Source, VectorUse};

/// One input of a batch: a record still to be read, or an article a
/// `Loader` made already.
pub enum Input {
    Record(Record),
    Article(Article),
}

/// The inputs of a batch with their ids, in input order.
pub struct Batch {
    pub inputs: Vec<Input>,
    /// `keys[i]` is the id of input `i`; inside the batch input `i` is
    /// `ArticleId(i)`, so results map back to ids by position.
    pub keys: Vec<Key>,
    /// The position of every id.
    pub positions: HashMap<Key, usize>,
    /// The vectors given, by position.
    pub vectors: Given,
}

/// A bad record: where, which field, why.
pub fn bad(index: usize, key: Option<&Key>, field: &str, message: impl std::fmt::Display) -> PyErr {
    let record = match key {
        Some(key) => format!("record {index} (id {key})"),
        None => format!("record {index}"),
    };
    PyValueError::new_err(format!("{record}: {field}: {message}"))
}

/// A field of a record, `None` when absent or missing-valued: `None`,
/// float NaN, and pandas' `NaT` and `NA` (what a DataFrame row holds for a
/// missing value), like JSON's `null`.
fn field<'py>(record: &Bound<'py, PyAny>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = match record.cast::<PyDict>() {
        Ok(dict) => dict.get_item(name)?,
        Err(_) => match record.get_item(name) {
            Ok(value) => Some(value),
            Err(err) if err.is_instance_of::<pyo3::exceptions::PyKeyError>(record.py()) => None,
            Err(err) => return Err(err),
        },
    };
    Ok(value.filter(|value| !absent(value)))
}

/// Whether `value` stands for a missing value: `None`, float NaN, and
/// pandas' `NaT` and `NA`.
pub fn absent(value: &Bound<'_, PyAny>) -> bool {
    if value.is_none() {
        return true;
    }
    if let Ok(float) = value.cast::<PyFloat>()
        && float.value().is_nan()
    {
        return true;
    }
    let kind = value.get_type();
    let module = kind.module().map(|m| m.to_string()).unwrap_or_default();
    if module.starts_with("pandas") {
        let name = kind.name().map(|n| n.to_string()).unwrap_or_default();
        return name == "NaTType" || name == "NAType";
    }
    false
}

/// Whether `value` can be read as a record: a dict, a `Mapping`, or an
/// object with `keys` and item access (a pandas row).
fn is_mapping(value: &Bound<'_, PyAny>, mapping_type: &Bound<'_, PyAny>) -> PyResult<bool> {
    if value.is_instance_of::<PyDict>() {
        return Ok(true);
    }
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Ok(false);
    }
    Ok(value.is_instance(mapping_type)?
        || (value.hasattr("keys")? && value.hasattr("__getitem__")?))
}

/// A string field: `None` when absent, an error when of another type.
fn text_field(
    record: &Bound<'_, PyAny>,
    name: &str,
    index: usize,
    key: &Key,
) -> PyResult<Option<String>> {
    let Some(value) = field(record, name)? else { return Ok(None) };
    string(&value).map(Some).map_err(|message| bad(index, Some(key), name, message))
}

fn string(value: &Bound<'_, PyAny>) -> Result<String, String> {
    let text =
        value.cast::<PyString>().map_err(|_| format!("expected str, got {}", type_name(value)))?;
    text.to_cow().map(|s| s.into_owned()).map_err(|_| "not valid Unicode (lone surrogate)".into())
}

/// A list of paragraph strings: any iterable of `str` but a string itself.
fn paragraphs(value: &Bound<'_, PyAny>) -> Result<Vec<String>, String> {
    // A string or a dict iterates (characters, keys), but is no list of
    // paragraphs.
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyDict>() {
        return Err(format!("expected a list of str, got {}", type_name(value)));
    }
    let items = value
        .try_iter()
        .map_err(|_| format!("expected str or a list of str, got {}", type_name(value)))?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item.map_err(|e| e.to_string())?;
        out.push(string(&item).map_err(|message| format!("item {i}: {message}"))?);
    }
    Ok(out)
}

/// The UTC offset of an aware datetime, in seconds; `None` when naive.
fn utc_offset_seconds(value: &Bound<'_, PyAny>) -> PyResult<Option<i32>> {
    let offset = value.call_method0("utcoffset")?;
    if offset.is_none() {
        return Ok(None);
    }
    let seconds: f64 = offset.call_method0("total_seconds")?.extract()?;
    Ok(Some(seconds.round() as i32))
}

/// A `datetime` (or `date`, at midnight) as an RFC 3339 time in UTC, which
/// the library reads exactly: aware ones by their own offset, naive ones at
/// `naive_offset_minutes` (UTC by default). Computed with jiff, the
/// library's time crate, so that no range or leap rule differs.
fn datetime_text(value: &Bound<'_, PyAny>, naive_offset_minutes: i32) -> Result<String, String> {
    let get = |name: &str| -> Result<i64, String> {
        value.getattr(name).and_then(|v| v.extract()).map_err(|e| e.to_string())
    };
    let is_datetime = value.is_instance_of::<PyDateTime>();
    let (hour, minute, second, micro) = if is_datetime {
        (get("hour")?, get("minute")?, get("second")?, get("microsecond")?)
    } else {
        (0, 0, 0, 0)
    };
    // pandas.Timestamp carries nanoseconds beyond the microseconds.
    let nano = if is_datetime && value.hasattr("nanosecond").unwrap_or(false) {
        get("nanosecond")?
    } else {
        0
    };
    let offset_seconds =
        if is_datetime { utc_offset_seconds(value).map_err(|e| e.to_string())? } else { None }
            .unwrap_or(naive_offset_minutes * 60);
    let civil = jiff::civil::DateTime::new(
        get("year")? as i16,
        get("month")? as i8,
        get("day")? as i8,
        hour as i8,
        minute as i8,
        second as i8,
        (micro * 1000 + nano) as i32,
    )
    .map_err(|e| e.to_string())?;
    let offset = jiff::tz::Offset::from_seconds(offset_seconds).map_err(|e| e.to_string())?;
    let zoned = civil.to_zoned(jiff::tz::TimeZone::fixed(offset)).map_err(|e| e.to_string())?;
    Ok(zoned.timestamp().to_string())
}

/// Reads `records` into a batch, and their `vector` keys as `vectors`
/// says. Every record is either in it or the reason for a `ValueError`
/// naming it: nothing is skipped.
pub fn read_batch(
    records: &Bound<'_, PyAny>,
    utc_offset_minutes: Option<i32>,
    vectors: VectorUse<'_, '_>,
) -> PyResult<Batch> {
    let py = records.py();
    let mapping_type = py.import("collections.abc")?.getattr("Mapping")?;
    // A whole table is its rows: iterating a DataFrame would give its
    // column names, and a pyarrow Table is not iterable by rows.
    let kind = records.get_type();
    let module = kind.module().map(|m| m.to_string()).unwrap_or_default();
    let name = kind.name().map(|n| n.to_string()).unwrap_or_default();
    let rows;
    let records = if module.starts_with("pandas") && name == "DataFrame" {
        rows = records.call_method1("to_dict", ("records",))?;
        &rows
    } else if module.starts_with("pyarrow") && records.hasattr("to_pylist")? {
        rows = records.call_method0("to_pylist")?;
        &rows
    } else {
        records
    };
    let mut batch = Batch {
        inputs: Vec::new(),
        keys: Vec::new(),
        positions: HashMap::new(),
        vectors: Given::default(),
    };
    for (index, item) in records.try_iter()?.enumerate() {
        let item = item?;
        let mut vector = None;
        let (key, input) = if let Ok(article) = item.cast::<PyArticle>() {
            let article = article.get().inner.clone();
            (Key::Int(i128::from(article.id.0)), Input::Article(article))
        } else if is_mapping(&item, &mapping_type)? {
            let key = match field(&item, "id")? {
                Some(id) => Key::from_py(&id).map_err(|message| bad(index, None, "id", message))?,
                None => {
                    return Err(bad(
                        index,
                        None,
                        "id",
                        "missing (every record needs a unique str or int id)",
                    ));
                }
            };
            let record = read_record(&item, index, &key, utc_offset_minutes)?;
            if !matches!(vectors, VectorUse::Ignore) {
                vector = field(&item, "vector")?;
            }
            (key, Input::Record(record))
        } else {
            return Err(PyValueError::new_err(format!(
                "record {index}: expected a mapping (dict, pandas row) or a zhdedup.Article, \
                 got {}",
                type_name(&item)
            )));
        };
        if let Some(first) = batch.positions.insert(key.clone(), index) {
            return Err(bad(index, Some(&key), "id", format!("duplicate of record {first}")));
        }
        if let Some(vector) = vector {
            batch.vectors.add(index, &key, &vector, Source::Key)?;
        }
        batch.keys.push(key);
        batch.inputs.push(input);
    }
    if batch.keys.len() > u32::MAX as usize {
        return Err(PyValueError::new_err("more than 2^32 records in one call"));
    }
    Ok(batch)
}

/// One mapping as a `Record`.
fn read_record(
    item: &Bound<'_, PyAny>,
    index: usize,
    key: &Key,
    utc_offset_minutes: Option<i32>,
) -> PyResult<Record> {
    let title = text_field(item, "title", index, key)?.unwrap_or_default();
    let mut record = Record::new(title);
    // The library's order for JSON Lines records: `html` wins over `text`,
    // `text` over `paragraphs`; every one is type-checked all the same.
    let html = text_field(item, "html", index, key)?;
    let text = match field(item, "text")? {
        None => None,
        Some(value) if value.is_instance_of::<PyString>() => {
            Some(Ok(string(&value).map_err(|m| bad(index, Some(key), "text", m))?))
        }
        Some(value) => Some(Err(paragraphs(&value).map_err(|m| bad(index, Some(key), "text", m))?)),
    };
    let listed = match field(item, "paragraphs")? {
        None => None,
        Some(value) => {
            Some(paragraphs(&value).map_err(|m| bad(index, Some(key), "paragraphs", m))?)
        }
    };
    record = match (html, text, listed) {
        (Some(html), _, _) => record.html(html),
        (None, Some(Ok(text)), _) => record.text(text),
        (None, Some(Err(list)), _) | (None, None, Some(list)) => record.paragraphs(list),
        (None, None, None) => record,
    };
    if let Some(outlet) = text_field(item, "outlet", index, key)? {
        record = record.outlet(outlet);
    }
    if let Some(url) = text_field(item, "url", index, key)? {
        record = record.url(url);
    }
    if let Some(value) = field(item, "published")? {
        let fail = |message: String| bad(index, Some(key), "published", message);
        record = if value.is_instance_of::<PyDate>() {
            record.published(datetime_text(&value, utc_offset_minutes.unwrap_or(0)).map_err(fail)?)
        } else if value.is_instance_of::<PyString>() {
            record.published(string(&value).map_err(fail)?)
        } else if value.is_instance_of::<pyo3::types::PyBool>() {
            return Err(fail("expected datetime, str or int, got bool".into()));
        } else if value.is_instance_of::<PyInt>() || value.hasattr("__index__")? {
            let epoch: i64 =
                value.extract().map_err(|_| fail("epoch number out of the 64-bit range".into()))?;
            record.published_epoch(epoch)
        } else if let Ok(float) = value.cast::<PyFloat>() {
            // Fractional epoch seconds, as `time.time()` gives; the library
            // reads them from text (rounded to the millisecond).
            let x = float.value();
            if !x.is_finite() {
                return Err(fail(format!("{x} is not a time")));
            }
            record.published(format!("{x}"))
        } else {
            return Err(fail(format!(
                "expected datetime, ISO 8601 str or int epoch seconds, got {}",
                type_name(&value)
            )));
        };
    }
    Ok(record)
}

/// The field a library error on a record is about, for the message.
fn error_field(err: &zhdedup::Error) -> &'static str {
    match err.kind() {
        ErrorKind::Empty => "title, text",
        ErrorKind::BadTime { .. } => "published",
        ErrorKind::NestingTooDeep { .. } => "html",
        _ => "record",
    }
}

/// Reads `records` (and their vectors, as `vectors` says) with `settings`
/// and runs `job` on their articles and vectors (`None` when no record has
/// one) with the interpreter released: the common part of `cluster`,
/// `frequencies` and `score`. Returns the job's result and the record ids
/// by position.
pub fn with_articles<'py, T: Send>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    settings: &crate::settings::Settings,
    vectors: VectorUse<'_, 'py>,
    job: impl FnOnce(&zhdedup::Clusterer, &[Article], Option<&Vectors>) -> PyResult<T> + Send,
) -> PyResult<(T, Vec<Key>)> {
    let loader = settings.loader()?;
    let mut batch = read_batch(records, settings.utc_offset_minutes, vectors)?;
    if let VectorUse::Read(Some(mapping)) = vectors {
        batch.vectors.read_mapping(settings.function, mapping, &batch.positions)?;
    }
    batch.vectors.check_model(settings.function, settings.weighs_vectors)?;
    let given = std::mem::take(&mut batch.vectors);
    let keys = batch.keys.clone();
    let (clusterer, threads) = (&settings.clusterer, settings.threads);
    let result = py.detach(|| {
        let vectors = given.into_vectors().map_err(PyValueError::new_err)?;
        let articles = articles(batch, &loader, threads).map_err(PyValueError::new_err)?;
        job(clusterer, &articles, vectors.as_ref())
    })?;
    Ok((result, keys))
}

/// `with_articles` for `cluster` and `score`: reads the records' vectors
/// (their `vector` keys and the `vectors=` mapping) too, and runs `plain`
/// on the articles, or `weighed` with the vectors when a record has one.
pub fn with_vectors<'py, T: Send>(
    py: Python<'py>,
    records: &Bound<'py, PyAny>,
    settings: &crate::settings::Settings,
    vectors: Option<&Bound<'py, PyAny>>,
    plain: fn(&zhdedup::Clusterer, &[Article]) -> Result<T, zhdedup::Error>,
    weighed: fn(&zhdedup::Clusterer, &[Article], &Vectors) -> Result<T, zhdedup::Error>,
) -> PyResult<(T, Vec<Key>)> {
    with_articles(py, records, settings, VectorUse::Read(vectors), |clusterer, articles, given| {
        match given {
            Some(given) => weighed(clusterer, articles, given),
            None => plain(clusterer, articles),
        }
        .map_err(crate::convert::value_error)
    })
}

/// The batch's articles, input `i` as `ArticleId(i)`; records are read by
/// the loader (with `threads` workers: 0 all cores, 1 serial). Runs without
/// the interpreter. The error names the first bad record, and how many more
/// there are.
pub fn articles(batch: Batch, loader: &Loader, threads: usize) -> Result<Vec<Article>, String> {
    let Batch { inputs, keys, .. } = batch;
    let read = |(position, input): (usize, Input)| -> Result<Article, (usize, zhdedup::Error)> {
        let mut article = match input {
            Input::Article(article) => article,
            Input::Record(record) => loader.parse_record(&record).map_err(|e| (position, e))?,
        };
        // The loader numbers in the order it is called, which threads
        // scramble; the position is the id inside the batch.
        article.id = ArticleId(position as u32);
        Ok(article)
    };
    let results: Vec<Result<Article, (usize, zhdedup::Error)>> = match threads {
        1 => inputs.into_iter().enumerate().map(read).collect(),
        0 => inputs.into_par_iter().enumerate().map(read).collect(),
        n => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(|| inputs.into_par_iter().enumerate().map(read).collect()),
            Err(e) => return Err(format!("cannot start {n} threads: {e}")),
        },
    };
    let failed = results.iter().filter(|r| r.is_err()).count();
    let mut articles = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(article) => articles.push(article),
            Err((position, err)) => {
                let more = match failed - 1 {
                    0 => String::new(),
                    1 => " (and 1 more bad record)".into(),
                    n => format!(" (and {n} more bad records)"),
                };
                return Err(format!(
                    "record {position} (id {}): {}: {err}{more}",
                    keys[position],
                    error_field(&err)
                ));
            }
        }
    }
    Ok(articles)
}
