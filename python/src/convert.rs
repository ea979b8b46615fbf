//! Conversions between Python values and the library's: record ids, JSON
//! values (links, articles), library errors.

use std::fmt;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use serde_json::Value;

/// A user's record id: a `str` or an `int`. Kept as a Rust value (not the
/// Python object) so that lookups and clustering need no interpreter.
///
/// `1` and `"1"` are different ids, as they are different dict keys in
/// Python. `bool` is refused although it is an `int` subclass: `True` as an
/// id is almost always a bug, and it would equal `1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Any integer that fits in 64 bits, signed or unsigned (i128 holds both).
    Int(i128),
    /// A string.
    Str(String),
}

impl Key {
    /// The id `value` stands for, or why it is not one (a message without
    /// the field name; callers add where the value was).
    pub fn from_py(value: &Bound<'_, PyAny>) -> Result<Key, String> {
        if value.is_instance_of::<PyBool>() {
            return Err("expected str or int, got bool".into());
        }
        if let Ok(text) = value.cast::<PyString>() {
            return text
                .to_cow()
                .map(|s| Key::Str(s.into_owned()))
                .map_err(|_| "not valid Unicode (lone surrogate)".into());
        }
        // `extract` goes through `__index__`, so numpy integers are ids too,
        // while floats (even 1.0) are not: an id read as a float has usually
        // lost digits already.
        match value.extract::<i128>() {
            Ok(number) if i128::from(i64::MIN) <= number && number <= i128::from(u64::MAX) => {
                Ok(Key::Int(number))
            }
            Ok(_) => Err("int out of the 64-bit range".into()),
            Err(_) => Err(format!("expected str or int, got {}", type_name(value))),
        }
    }

    /// The id as a Python object (`int` or `str`).
    pub fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            Key::Int(number) => number.into_pyobject(py)?.into_any(),
            Key::Str(text) => PyString::new(py, text).into_any(),
        })
    }
}

impl fmt::Display for Key {
    /// As Python's `repr` writes it (`7`, `'abc'`), for error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(number) => write!(f, "{number}"),
            Key::Str(text) => write!(f, "'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
        }
    }
}

/// A `Key` from a Python argument, `TypeError` naming the argument when it
/// is not an id.
pub fn key_arg(value: &Bound<'_, PyAny>, what: &str) -> PyResult<Key> {
    Key::from_py(value).map_err(|message| PyTypeError::new_err(format!("{what}: {message}")))
}

/// The name of a value's type, for messages.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map_or_else(|_| "object".into(), |name| name.to_string())
}

/// A library error as `ValueError`, with the library's message.
pub fn value_error(err: zhdedup::Error) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// `value` as plain Python data through its serde form. Floats go through
/// serde_json's text, which writes an `f32` in its shortest form, so a score
/// of `0.83f32` becomes the Python float `0.83`, not `0.8299999833106995`.
pub fn serde_to_py<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| PyValueError::new_err(format!("cannot serialize: {e}")))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| PyValueError::new_err(format!("cannot serialize: {e}")))?;
    json_to_py(py, &json)
}

/// A JSON value as Python data: `None`, `bool`, `int`, `float`, `str`,
/// `list`, `dict`.
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                // serde_json numbers that are not integers are f64.
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let items: Vec<Bound<'py, PyAny>> =
                items.iter().map(|item| json_to_py(py, item)).collect::<PyResult<_>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (name, field) in fields {
                dict.set_item(name, json_to_py(py, field)?)?;
            }
            dict.into_any()
        }
    })
}
