//! `Normalizer`: the library's text folding and its OpenCC-exact `t2s`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{type_name, value_error};

/// Folds Chinese text to one canonical form, so that the same words in
/// either script, width or regional name compare equal: script variants
/// (OpenCC's tables), full-width forms, punctuation and quotes, case, white
/// space, and a vocabulary of regional names (普丁 → 普京).
///
/// `vocabulary` adds entries (a dict or pairs of variant → canonical) to
/// the built-in table, or replaces it with `builtin_vocabulary=False`.
/// `ValueError` for an entry with an empty side, or a canonical form that
/// holds a variant (folding would not be idempotent).
#[pyclass(name = "Normalizer", module = "zhdedup", frozen, skip_from_py_object)]
pub struct PyNormalizer {
    inner: zhdedup::Normalizer,
}

#[pymethods]
impl PyNormalizer {
    #[new]
    #[pyo3(signature = (vocabulary=None, *, builtin_vocabulary=true))]
    fn new(vocabulary: Option<&Bound<'_, PyAny>>, builtin_vocabulary: bool) -> PyResult<Self> {
        let mut builder = zhdedup::Normalizer::builder();
        builder.builtin_vocabulary(builtin_vocabulary);
        if let Some(vocabulary) = vocabulary {
            let pairs: Vec<(String, String)> = match vocabulary.cast::<PyDict>() {
                Ok(dict) => dict
                    .iter()
                    .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
                    .collect::<PyResult<_>>(),
                Err(_) => vocabulary.extract(),
            }
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "Normalizer(): vocabulary must be a dict of str to str or a list of (str, \
                     str) pairs, got {}",
                    type_name(vocabulary)
                ))
            })?;
            for (variant, canonical) in &pairs {
                builder.vocabulary_entry(variant, canonical);
            }
        }
        Ok(PyNormalizer { inner: builder.build().map_err(value_error)? })
    }

    /// `text` in its canonical form: `fold("普丁與蘇利文會晤") ==
    /// fold("普京与沙利文会晤")`. Folding twice changes nothing.
    fn fold(&self, py: Python<'_>, text: String) -> String {
        let inner = &self.inner;
        py.detach(|| inner.fold(&text).into_owned())
    }

    /// Like `fold`, and where each character of the result came from: a
    /// pair `(folded, origin)` with `origin[i]` the index in `text` of the
    /// character that gave character `i` of `folded` (so a span found in
    /// folded text can be shown in the original).
    fn fold_mapped(&self, py: Python<'_>, text: String) -> (String, Vec<usize>) {
        let inner = &self.inner;
        py.detach(|| {
            let folded = inner.fold_mapped(&text);
            // The library maps bytes to bytes; Python indexes characters.
            let mut char_at = vec![0usize; text.len() + 1];
            for (index, (byte, _)) in text.char_indices().enumerate() {
                char_at[byte] = index;
            }
            let origin =
                folded.text.char_indices().map(|(byte, _)| char_at[folded.origin[byte]]).collect();
            (folded.text, origin)
        })
    }

    /// Traditional to Simplified exactly as OpenCC 1.1.6's `t2s`
    /// configuration converts (phrases first, then characters); nothing
    /// else (width, punctuation, vocabulary) changes.
    fn t2s(&self, py: Python<'_>, text: String) -> String {
        let inner = &self.inner;
        py.detach(|| inner.t2s(&text))
    }

    /// The vocabulary entries in use, folded, in table order: a list of
    /// `(variant, canonical)` pairs.
    fn vocabulary(&self) -> Vec<(String, String)> {
        self.inner.vocabulary().into_iter().map(|e| (e.variant, e.canonical)).collect()
    }

    fn __repr__(&self) -> String {
        format!("Normalizer({} vocabulary entries)", self.inner.vocabulary().len())
    }
}
