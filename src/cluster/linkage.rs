//! Clustering scored pairs into events, and events into stories, by
//! average linkage.
//!
//! Two clusters merge while the mean probability over all the article pairs
//! between them is at least the threshold; a pair that was never scored
//! (not a candidate, or below [`PAIR_FLOOR`]) counts as 0. So one strong
//! pair cannot chain two large clusters together: a 10-article event joins
//! another only when most of the 100 pairs between them are likely. The
//! merges are made best first (ties by the clusters' smallest members), and
//! the mean between two clusters can only fall as they grow (average
//! linkage has no inversions), so cutting the same sequence of merges at
//! the event threshold and then going on to the lower story threshold
//! gives stories that are unions of whole events.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::FastMap;

/// Pairs scored below this are not kept for clustering: they would count
/// for almost nothing in a mean, and there are many of them.
pub(super) const PAIR_FLOOR: f32 = 0.02;

/// The event and the story of each item, each named by its smallest member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Partition {
    pub(super) event: Vec<u32>,
    pub(super) story: Vec<u32>,
}

/// A candidate merge in the heap: the mean between clusters `x` and `y`
/// when it was computed, valid while neither has changed since.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    mean: f64,
    x: u32,
    y: u32,
    versions: (u32, u32),
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    /// The larger mean first; ties by the smaller cluster names (a max-heap
    /// pops the greatest, so the names compare reversed).
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean.total_cmp(&other.mean).then_with(|| {
            (other.x.min(other.y), other.x.max(other.y))
                .cmp(&(self.x.min(self.y), self.x.max(self.y)))
        })
    }
}

/// Clusters `n` items (positions `0..n`) from scored `pairs` (`i != j`, each
/// unordered pair at most once): events at `event`, stories at `story`
/// (`story <= event`).
pub(super) fn average_linkage(
    n: usize,
    pairs: &[(u32, u32, f32)],
    event: f32,
    story: f32,
) -> Partition {
    let mut sums: Vec<FastMap<u32, f64>> = vec![FastMap::default(); n];
    for &(i, j, p) in pairs {
        *sums[i as usize].entry(j).or_default() += f64::from(p);
        *sums[j as usize].entry(i).or_default() += f64::from(p);
    }
    let mut size = vec![1u32; n];
    let mut version = vec![0u32; n];
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    let mut heap = BinaryHeap::new();
    for (x, row) in sums.iter().enumerate() {
        for (&y, &sum) in row {
            if (x as u32) < y {
                heap.push(Candidate { mean: sum, x: x as u32, y, versions: (0, 0) });
            }
        }
    }
    let (event, story) = (f64::from(event), f64::from(story));
    let mut events: Option<Vec<u32>> = None;
    while let Some(c) = heap.pop() {
        let (x, y) = (c.x as usize, c.y as usize);
        if members[x].is_empty() || members[y].is_empty() || c.versions != (version[x], version[y])
        {
            continue;
        }
        if c.mean < event && events.is_none() {
            events = Some(names(&members, n));
        }
        if c.mean < story {
            break;
        }
        // The larger cluster keeps its slot (ties: the smaller slot).
        let (keep, gone) = if (size[x], y) >= (size[y], x) { (x, y) } else { (y, x) };
        let moved = std::mem::take(&mut sums[gone]);
        sums[keep].remove(&(gone as u32));
        for (&other, &sum) in &moved {
            let other = other as usize;
            if other == keep {
                continue;
            }
            sums[other].remove(&(gone as u32));
            *sums[other].entry(keep as u32).or_default() += sum;
            *sums[keep].entry(other as u32).or_default() += sum;
        }
        size[keep] += size[gone];
        version[keep] += 1;
        let taken = std::mem::take(&mut members[gone]);
        members[keep].extend(taken);
        for (&other, &sum) in &sums[keep] {
            let o = other as usize;
            let mean = sum / (f64::from(size[keep]) * f64::from(size[o]));
            heap.push(Candidate {
                mean,
                x: keep as u32,
                y: other,
                versions: (version[keep], version[o]),
            });
        }
    }
    let story_names = names(&members, n);
    Partition { event: events.unwrap_or_else(|| story_names.clone()), story: story_names }
}

/// Each item's cluster, named by the cluster's smallest member.
fn names(members: &[Vec<u32>], n: usize) -> Vec<u32> {
    let mut name = vec![0u32; n];
    for cluster in members.iter().filter(|m| !m.is_empty()) {
        let smallest = cluster.iter().copied().min().unwrap_or(0);
        for &m in cluster {
            name[m as usize] = smallest;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups of four, each with every pair at 0.9, and one pair at 0.8
    /// between them.
    fn two_groups() -> Vec<(u32, u32, f32)> {
        let mut pairs = Vec::new();
        for group in [[0u32, 2, 3, 4], [1, 5, 6, 7]] {
            for (k, &x) in group.iter().enumerate() {
                for &y in &group[k + 1..] {
                    pairs.push((x, y, 0.9));
                }
            }
        }
        pairs.push((0, 1, 0.8));
        pairs
    }

    #[test]
    fn one_strong_pair_does_not_chain_two_events() {
        let p = average_linkage(8, &two_groups(), 0.5, 0.5);
        assert_eq!(p.event, vec![0, 1, 0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn stories_are_unions_of_events() {
        // Between the groups: 1 pair of 16 at 0.8, mean 0.05.
        let p = average_linkage(8, &two_groups(), 0.5, 0.05);
        assert_eq!(p.event, vec![0, 1, 0, 0, 0, 1, 1, 1]);
        assert_eq!(p.story, vec![0; 8]);
        let p = average_linkage(8, &two_groups(), 0.5, 0.051);
        assert_eq!(p.story, p.event);
    }

    #[test]
    fn the_order_of_pairs_does_not_matter() {
        let mut pairs = two_groups();
        let first = average_linkage(8, &pairs, 0.5, 0.05);
        pairs.reverse();
        assert_eq!(average_linkage(8, &pairs, 0.5, 0.05), first);
        assert_eq!(average_linkage(3, &[], 0.5, 0.1).event, vec![0, 1, 2]);
    }
}
