//! The keyword settings of `cluster`, `score`, `group` and `frequencies`,
//! mapped onto the library's `ClustererBuilder` (and, for records, the
//! loader's time zone).

use std::path::PathBuf;

use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use zhdedup::{Clusterer, ClustererBuilder, Frequencies, Model, Signals};

use crate::convert::{type_name, value_error};
use crate::windows::PyFrequencies;

/// Every setting's name, for the "unexpected keyword" message.
const NAMES: &[&str] = &[
    "model",
    "threshold",
    "story_threshold",
    "gap",
    "threads",
    "copy_coverage",
    "lead_chars",
    "blocking_terms",
    "ngram",
    "max_distance",
    "min_paragraph_chars",
    "max_paragraph_matches",
    "signals",
    "utc_offset_minutes",
    "frequencies",
];

/// The settings of one call, checked.
pub struct Settings {
    /// The function called (`cluster`, ...), for messages.
    pub function: &'static str,
    /// Whether the model weighs the user's vectors.
    pub weighs_vectors: bool,
    /// The clusterer, built (so every range is checked before any record
    /// is read).
    pub clusterer: Clusterer,
    /// Worker threads (0: all cores), for reading records too.
    pub threads: usize,
    /// The zone of naive datetimes and of time strings without an offset,
    /// minutes east of UTC; `None`: naive datetimes are UTC, strings follow
    /// the library's default (UTC+8).
    pub utc_offset_minutes: Option<i32>,
}

/// One setting's value as `T`, or `TypeError` naming the function, the
/// setting and the type given.
fn number<'py, T: FromPyObjectOwned<'py>>(
    function: &str,
    name: &str,
    value: &Bound<'py, PyAny>,
    expected: &str,
) -> PyResult<T> {
    value.extract::<T>().map_err(|_| {
        // A negative or too large int is the right type with a wrong value.
        if value.extract::<i128>().is_ok() && expected.contains("int") {
            PyValueError::new_err(format!("{function}(): {name} must be {expected}, got {value}"))
        } else {
            PyTypeError::new_err(format!(
                "{function}(): {name} must be {expected}, got {}",
                type_name(value)
            ))
        }
    })
}

/// `signals`: a dict of signal name to bool, starting from all on.
fn signals(function: &str, value: &Bound<'_, PyAny>) -> PyResult<Signals> {
    let dict = value.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{function}(): signals must be a dict of signal name to bool, got {}",
            type_name(value)
        ))
    })?;
    let mut signals = Signals::default();
    for (name, on) in dict.iter() {
        let name: String = name
            .extract()
            .map_err(|_| PyTypeError::new_err(format!("{function}(): signals keys must be str")))?;
        let on: bool = on.extract().map_err(|_| {
            PyTypeError::new_err(format!("{function}(): signals[{name:?}] must be a bool"))
        })?;
        let field = match name.as_str() {
            "paragraphs" => &mut signals.paragraphs,
            "title" => &mut signals.title,
            "content" => &mut signals.content,
            "time" => &mut signals.time,
            "outlet" => &mut signals.outlet,
            "copies" => &mut signals.copies,
            _ => {
                return Err(PyValueError::new_err(format!(
                    "{function}(): unknown signal {name:?} (known: paragraphs, title, content, \
                     time, outlet, copies)"
                )));
            }
        };
        *field = on;
    }
    Ok(signals)
}

/// A model file (`Model::from_json`): `OSError` when it cannot be read,
/// `ValueError` when it is not a model.
fn read_model(function: &str, value: &Bound<'_, PyAny>) -> PyResult<Model> {
    let path: PathBuf = value.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "{function}(): model must be the path of a model JSON file (str or os.PathLike), \
             got {}",
            type_name(value)
        ))
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let message = format!("{function}(): model {}: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            PyFileNotFoundError::new_err(message)
        } else {
            PyOSError::new_err(message)
        }
    })?;
    Model::from_json(&text)
        .map_err(|e| PyValueError::new_err(format!("{function}(): model {}: {e}", path.display())))
}

impl Settings {
    /// Reads `kwargs` for `function` (its name, for messages). Unknown
    /// names are a `TypeError`, as for any Python function; values out of
    /// range a `ValueError` with the library's message.
    pub fn parse(function: &'static str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Settings> {
        let mut builder = ClustererBuilder::default();
        let mut model: Option<Model> = None;
        let (mut threshold, mut story_threshold): (Option<f32>, Option<f32>) = (None, None);
        let mut threads = 0usize;
        let mut utc_offset_minutes = None;
        for (name, value) in kwargs.into_iter().flat_map(|k| k.iter()) {
            let name = name.cast::<PyString>()?.to_cow()?.into_owned();
            // `None` is the default for every setting, as in the stubs.
            if value.is_none() {
                if !NAMES.contains(&name.as_str()) {
                    return Err(unexpected(function, &name));
                }
                continue;
            }
            let v = &value;
            match name.as_str() {
                "model" => model = Some(read_model(function, v)?),
                "threshold" => threshold = Some(number(function, &name, v, "a number in 0..=1")?),
                "story_threshold" => {
                    story_threshold = Some(number(function, &name, v, "a number in 0..=1")?)
                }
                "gap" => _ = builder.max_gap_hours(number(function, &name, v, "hours (float)")?),
                "threads" => threads = number(function, &name, v, "an int >= 0")?,
                "copy_coverage" => {
                    _ = builder.copy_coverage(number(function, &name, v, "a number in 0..=1")?)
                }
                "lead_chars" => _ = builder.lead_chars(number(function, &name, v, "an int >= 0")?),
                "blocking_terms" => {
                    _ = builder.blocking_terms(number(function, &name, v, "an int in 1..=256")?)
                }
                "ngram" => _ = builder.ngram(number(function, &name, v, "an int in 1..=8")?),
                "max_distance" => {
                    _ = builder.max_distance(number(function, &name, v, "an int in 0..=15")?)
                }
                "min_paragraph_chars" => {
                    _ = builder.min_paragraph_chars(number(function, &name, v, "an int >= 0")?)
                }
                "max_paragraph_matches" => {
                    _ = builder.max_paragraph_matches(number(function, &name, v, "an int >= 0")?)
                }
                "signals" => _ = builder.signals(signals(function, v)?),
                "utc_offset_minutes" => {
                    let minutes: i32 = number(function, &name, v, "an int (minutes east of UTC)")?;
                    // The loader's range, checked here so that a naive
                    // datetime meets the same limit as a string.
                    if minutes.abs() > 18 * 60 {
                        return Err(PyValueError::new_err(format!(
                            "{function}(): utc_offset_minutes must be within ±1080 (±18 hours), \
                             got {minutes}"
                        )));
                    }
                    utc_offset_minutes = Some(minutes);
                }
                "frequencies" => _ = builder.frequencies(given_frequencies(function, v)?),
                _ => return Err(unexpected(function, &name)),
            }
        }
        // As the command's --threshold and --story-threshold: each unset
        // one keeps the model's, the story threshold at most the event one.
        let model = model.unwrap_or_else(Model::builtin);
        let event = threshold.unwrap_or(model.event_threshold());
        let story = story_threshold.unwrap_or(model.story_threshold().min(event));
        let model = model
            .with_thresholds(event, story)
            .map_err(|e| PyValueError::new_err(format!("{function}(): {e}")))?;
        let weighs_vectors = model.uses_vectors();
        builder.model(model).threads(threads);
        let clusterer =
            builder.build().map_err(|e| PyValueError::new_err(format!("{function}(): {e}")))?;
        Ok(Settings { function, weighs_vectors, clusterer, threads, utc_offset_minutes })
    }

    /// The loader for records: the time zone of offset-less strings, and
    /// unreadable times refused rather than dropped with a warning.
    pub fn loader(&self) -> PyResult<zhdedup::Loader> {
        let mut builder = zhdedup::Loader::builder();
        builder.bad_times(zhdedup::BadTimes::Reject).threads(self.threads);
        if let Some(minutes) = self.utc_offset_minutes {
            builder.utc_offset_minutes(minutes);
        }
        builder.build().map_err(value_error)
    }
}

/// `frequencies`: a `Frequencies`, or its `to_bytes()` (as a Spark
/// broadcast holds it).
fn given_frequencies(function: &str, value: &Bound<'_, PyAny>) -> PyResult<Frequencies> {
    if let Ok(given) = value.cast::<PyFrequencies>() {
        return Ok(given.borrow().inner.clone());
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Frequencies::from_bytes(bytes.as_bytes())
            .map_err(|e| PyValueError::new_err(format!("{function}(): frequencies: {e}")));
    }
    Err(PyTypeError::new_err(format!(
        "{function}(): frequencies must be a zhdedup.Frequencies or its to_bytes(), got {}",
        type_name(value)
    )))
}

fn unexpected(function: &str, name: &str) -> PyErr {
    // `vectors=` is an argument of `cluster` and `score` only: counting
    // terms and grouping scored pairs do not weigh vectors.
    let hint = if name == "vectors" { " (cluster() and score() weigh vectors)" } else { "" };
    PyTypeError::new_err(format!("{function}() got an unexpected keyword argument '{name}'{hint}"))
}
