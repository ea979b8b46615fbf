//! Scoring a clustering against gold labels: pairwise precision, recall and
//! F1 over pairs of labelled items, and B-cubed. Most users can ignore this
//! module; the `evaluate` example uses it.

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Precision (1 when nothing was predicted).
    pub precision: f64,
    /// Recall (1 when there was nothing to find).
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

impl Scores {
    fn new(precision: f64, recall: f64) -> Scores {
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores { precision, recall, f1 }
    }
}

/// Pairwise scores: a pair of items is positive when both are in one
/// cluster. `predicted` and `gold` map every item to a cluster label; items
/// missing from `predicted` count as singletons.
///
/// ```
/// use std::collections::HashMap;
/// let gold: HashMap<_, _> = [(1, "e1"), (2, "e1"), (3, "e2")].into();
/// let predicted: HashMap<_, _> = [(1, 0), (2, 0), (3, 0)].into();
/// let s = zhdedup::eval::pairwise(&predicted, &gold);
/// assert_eq!((s.precision, s.recall), (1.0 / 3.0, 1.0));
/// ```
pub fn pairwise<I, P, G>(predicted: &HashMap<I, P>, gold: &HashMap<I, G>) -> Scores
where
    I: Eq + Hash + Ord + Clone,
    P: Eq + Hash + Clone,
    G: Eq + Hash + Clone,
{
    let mut items: Vec<&I> = gold.keys().collect();
    items.sort();
    let (mut both, mut predicted_pairs, mut gold_pairs) = (0u64, 0u64, 0u64);
    for (i, x) in items.iter().enumerate() {
        for y in &items[i + 1..] {
            let same_gold = gold[*x] == gold[*y];
            let same_predicted = match (predicted.get(*x), predicted.get(*y)) {
                (Some(p), Some(q)) => p == q,
                _ => false,
            };
            gold_pairs += u64::from(same_gold);
            predicted_pairs += u64::from(same_predicted);
            both += u64::from(same_gold && same_predicted);
        }
    }
    let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    Scores::new(ratio(both, predicted_pairs), ratio(both, gold_pairs))
}

/// B-cubed scores over the items of `gold` (Bagga and Baldwin 1998).
pub fn b_cubed<I, P, G>(predicted: &HashMap<I, P>, gold: &HashMap<I, G>) -> Scores
where
    I: Eq + Hash + Ord + Clone,
    P: Eq + Hash + Clone,
    G: Eq + Hash + Clone,
{
    let items: Vec<&I> = gold.keys().collect();
    if items.is_empty() {
        return Scores::new(1.0, 1.0);
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for x in &items {
        let mut same_predicted = 0usize;
        let mut same_gold = 0usize;
        let mut both = 0usize;
        for y in &items {
            let g = gold[*x] == gold[*y];
            let p = x == y
                || matches!((predicted.get(*x), predicted.get(*y)), (Some(p), Some(q)) if p == q);
            same_gold += usize::from(g);
            same_predicted += usize::from(p);
            both += usize::from(g && p);
        }
        precision += both as f64 / same_predicted as f64;
        recall += both as f64 / same_gold as f64;
    }
    let n = items.len() as f64;
    Scores::new(precision / n, recall / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_all_singletons() {
        let gold: HashMap<u32, &str> = [(1, "a"), (2, "a"), (3, "b")].into();
        let perfect: HashMap<u32, u32> = [(1, 0), (2, 0), (3, 1)].into();
        assert_eq!(pairwise(&perfect, &gold).f1, 1.0);
        assert_eq!(b_cubed(&perfect, &gold).f1, 1.0);
        let singletons: HashMap<u32, u32> = HashMap::new();
        assert_eq!(pairwise(&singletons, &gold).recall, 0.0);
        let b = b_cubed(&singletons, &gold);
        assert_eq!(b.precision, 1.0);
        assert!((b.recall - (0.5 + 0.5 + 1.0) / 3.0).abs() < 1e-12);
    }
}
