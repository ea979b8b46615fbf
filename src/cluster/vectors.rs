//! Vectors the user brings: one per article, from any sentence-embedding
//! model, weighed by the pair model as [`Feature::Vector`].
//!
//! [`Feature::Vector`]: super::Feature::Vector

use std::sync::Arc;

use super::FastMap;
use crate::error::Error;
use crate::ingest::ArticleId;

/// One vector per article (any model, any dimension, the same for all),
/// stored L2-normalised.
///
/// ```
/// use zhdedup::{ArticleId, Vectors};
/// let mut vectors = Vectors::new();
/// vectors.insert(ArticleId(0), &[3.0, 4.0]).unwrap();
/// assert_eq!(vectors.dimension(), Some(2));
/// assert!(vectors.insert(ArticleId(1), &[1.0, 2.0, 3.0]).is_err()); // another dimension
/// assert!(vectors.insert(ArticleId(0), &[1.0, 0.0]).is_err()); // already has one
/// assert!(vectors.insert(ArticleId(2), &[f32::NAN, 1.0]).is_err());
/// assert_eq!(vectors.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Vectors {
    dimension: Option<usize>,
    by_id: FastMap<ArticleId, Arc<[f32]>>,
}

impl Vectors {
    /// No vectors.
    pub fn new() -> Vectors {
        Vectors::default()
    }

    /// Sets the vector of article `id`.
    ///
    /// # Errors
    ///
    /// The article already has one; the vector is empty, has another
    /// dimension than the first one given, holds a value that is not
    /// finite, or is all zeros.
    pub fn insert(&mut self, id: ArticleId, vector: &[f32]) -> Result<(), Error> {
        let named = |reason: String| Error::config(format!("vector of article {}: {reason}", id.0));
        if self.by_id.contains_key(&id) {
            return Err(named("given twice".into()));
        }
        let unit = unit(vector, self.dimension).map_err(named)?;
        self.dimension = Some(vector.len());
        self.by_id.insert(id, unit);
        Ok(())
    }

    /// The (normalised) vector of article `id`.
    pub(crate) fn get(&self, id: ArticleId) -> Option<Arc<[f32]>> {
        self.by_id.get(&id).cloned()
    }

    /// The dimension of the vectors, once one is given.
    pub fn dimension(&self) -> Option<usize> {
        self.dimension
    }

    /// How many articles have a vector.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no article has a vector.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// `vector` scaled to unit length, or why it cannot be: empty, another
/// `dimension` than the others, a value that is not finite, all zeros.
pub(crate) fn unit(vector: &[f32], dimension: Option<usize>) -> Result<Arc<[f32]>, String> {
    if vector.is_empty() {
        return Err("empty".into());
    }
    if let Some(d) = dimension
        && d != vector.len()
    {
        return Err(format!("{} values, the others have {d}", vector.len()));
    }
    if vector.iter().any(|x| !x.is_finite()) {
        return Err("a value is not finite".into());
    }
    let norm = vector.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    if norm == 0.0 {
        return Err("all zeros".into());
    }
    Ok(vector.iter().map(|x| (f64::from(*x) / norm) as f32).collect())
}
