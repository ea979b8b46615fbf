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
    let table = Contingency::new(predicted, gold);
    let pairs = |n: usize| (n as u64) * (n as u64).saturating_sub(1) / 2;
    let both: u64 = table.cells.values().map(|&n| pairs(n)).sum();
    let predicted_pairs: u64 = table.predicted.values().map(|&n| pairs(n)).sum();
    let gold_pairs: u64 = table.gold.values().map(|&n| pairs(n)).sum();
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
    if gold.is_empty() {
        return Scores::new(1.0, 1.0);
    }
    let table = Contingency::new(predicted, gold);
    // Every item of a cell has the same ratios: add them once per cell.
    let (precision, recall): (Vec<f64>, Vec<f64>) = table
        .cells
        .iter()
        .map(|((p, g), &n)| {
            let n = n as f64;
            (n * n / table.predicted[p] as f64, n * n / table.gold[g] as f64)
        })
        .unzip();
    let n = gold.len() as f64;
    Scores::new(ordered_sum(precision) / n, ordered_sum(recall) / n)
}

/// The sum of `terms` in ascending order: a float sum in the maps' order
/// (random for `HashMap`) differed in its last bits from run to run, and
/// `evaluate --json` printed other digits for the same clusters.
fn ordered_sum(mut terms: Vec<f64>) -> f64 {
    terms.sort_unstable_by(f64::total_cmp);
    terms.iter().sum()
}

/// Cluster sizes over the gold items, so both scores take linear time (a
/// million items score in a second). An item missing from `predicted` is a
/// singleton of its own.
struct Contingency<'a, P, G> {
    cells: HashMap<(Label<'a, P>, &'a G), usize>,
    predicted: HashMap<Label<'a, P>, usize>,
    gold: HashMap<&'a G, usize>,
}

/// A predicted cluster, or the singleton of an unplaced gold item (by its
/// position).
#[derive(PartialEq, Eq, Hash)]
enum Label<'a, P> {
    Cluster(&'a P),
    Alone(usize),
}

// By hand: a derive would demand `P: Copy`, but only a reference is held.
impl<P> Clone for Label<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Label<'_, P> {}

impl<'a, P: Eq + Hash, G: Eq + Hash> Contingency<'a, P, G> {
    fn new<I: Eq + Hash>(predicted: &'a HashMap<I, P>, gold: &'a HashMap<I, G>) -> Self {
        let mut table =
            Contingency { cells: HashMap::new(), predicted: HashMap::new(), gold: HashMap::new() };
        for (position, (item, g)) in gold.iter().enumerate() {
            let p = predicted.get(item).map_or(Label::Alone(position), Label::Cluster);
            *table.gold.entry(g).or_default() += 1;
            *table.predicted.entry(p).or_default() += 1;
            *table.cells.entry((p, g)).or_default() += 1;
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definitions, over all pairs: the reference for the linear forms.
    fn naive(predicted: &HashMap<u32, u8>, gold: &HashMap<u32, u8>) -> (Scores, Scores) {
        let items: Vec<u32> = gold.keys().copied().collect();
        let same_p = |x: u32, y: u32| {
            x == y || matches!((predicted.get(&x), predicted.get(&y)), (Some(p), Some(q)) if p == q)
        };
        let (mut both, mut pp, mut gp) = (0u64, 0u64, 0u64);
        let (mut bp, mut br) = (0.0, 0.0);
        for &x in &items {
            let (mut sp, mut sg, mut sb) = (0usize, 0usize, 0usize);
            for &y in &items {
                let (p, g) = (same_p(x, y), gold[&x] == gold[&y]);
                (sp, sg, sb) = (sp + usize::from(p), sg + usize::from(g), sb + usize::from(p && g));
                if x < y {
                    (pp, gp, both) =
                        (pp + u64::from(p), gp + u64::from(g), both + u64::from(p && g));
                }
            }
            bp += sb as f64 / sp as f64;
            br += sb as f64 / sg as f64;
        }
        let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        let n = items.len().max(1) as f64;
        let b = if items.is_empty() { Scores::new(1.0, 1.0) } else { Scores::new(bp / n, br / n) };
        (Scores::new(ratio(both, pp), ratio(both, gp)), b)
    }

    proptest! {
        #[test]
        fn linear_forms_equal_the_definitions(
            gold in proptest::collection::hash_map(0u32..60, 0u8..6, 0..40),
            predicted in proptest::collection::hash_map(0u32..70, 0u8..6, 0..50),
        ) {
            let (p, b) = naive(&predicted, &gold);
            let (lp, lb) = (pairwise(&predicted, &gold), b_cubed(&predicted, &gold));
            prop_assert_eq!((lp.precision, lp.recall), (p.precision, p.recall));
            prop_assert!((lb.precision - b.precision).abs() < 1e-9);
            prop_assert!((lb.recall - b.recall).abs() < 1e-9);
        }
    }

    #[test]
    fn b_cubed_is_the_same_to_the_bit_whatever_the_maps_order() {
        // Clusters of many sizes, so that the terms' sum rounds differently
        // in different orders; each map is built afresh, with its own
        // random iteration order.
        let build = || {
            let gold: HashMap<u32, u32> = (0..600).map(|i| (i, i % 97)).collect();
            let predicted: HashMap<u32, u32> = (0..600).map(|i| (i, (i * 7) % 89)).collect();
            let b = b_cubed(&predicted, &gold);
            (b.precision.to_bits(), b.recall.to_bits())
        };
        let first = build();
        for _ in 0..20 {
            assert_eq!(build(), first);
        }
    }

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
