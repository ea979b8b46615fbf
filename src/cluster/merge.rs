//! Merging links into clusters under the link-share guard.

use super::FastMap;
use super::evidence::Link;
use crate::ingest::{Article, ArticleId};

/// Merges links into clusters, strongest first; two clusters merge only when
/// at least `min_share` of the article pairs between them are links.
pub(super) fn merge(articles: &[Article], links: &[Link], min_share: f32) -> Vec<Vec<ArticleId>> {
    let position: FastMap<ArticleId, usize> =
        articles.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let mut merger = Merger::default();
    for _ in articles {
        merger.push();
    }
    for link in links {
        merger.link(position[&link.a], position[&link.b], link.score);
    }
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|x, y| strongest_first(x, y));
    for link in order {
        merger.offer(position[&link.a], position[&link.b], min_share);
    }
    merger.clusters(|i| articles[i].id)
}

/// Orders links by descending score, ties by ids: the order merges take.
pub(super) fn strongest_first(x: &Link, y: &Link) -> std::cmp::Ordering {
    by_strength(
        (x.score, x.a.0 as usize, x.b.0 as usize),
        (y.score, y.a.0 as usize, y.b.0 as usize),
    )
}

/// Descending score, ties by the smaller then the larger end: one order for
/// links and for the merger's own `(score, x, y)` triples.
pub(super) fn by_strength(x: (f32, usize, usize), y: (f32, usize, usize)) -> std::cmp::Ordering {
    y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2)))
}

/// Clusters of positions, merged under the link-share guard; shared by the
/// batch and the stream so that both apply one rule.
///
/// Every item owns the cluster slot of its own position (`push` adds one of
/// each), so a cluster is named by the slot of one of its members and can be
/// dissolved back into singletons without allocating slots.
#[derive(Debug, Default)]
pub(super) struct Merger {
    cluster_of: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// Each item's links: (other item, score).
    linked: Vec<Vec<(usize, f32)>>,
}

impl Merger {
    /// Adds an item as a cluster of its own; returns its position.
    pub(super) fn push(&mut self) -> usize {
        let position = self.cluster_of.len();
        self.cluster_of.push(position);
        self.members.push(vec![position]);
        self.linked.push(Vec::new());
        position
    }

    /// Records a link between two items (it counts towards the guard). Each
    /// pair is linked at most once.
    pub(super) fn link(&mut self, x: usize, y: usize, score: f32) {
        self.linked[x].push((y, score));
        self.linked[y].push((x, score));
    }

    /// Merges the clusters of `x` and `y` when at least `min_share` of the
    /// item pairs between them are links; returns whether they are one now.
    pub(super) fn offer(&mut self, x: usize, y: usize, min_share: f32) -> bool {
        let (cx, cy) = (self.cluster_of[x], self.cluster_of[y]);
        if cx == cy {
            return true;
        }
        let (mx, my) = (&self.members[cx], &self.members[cy]);
        // Counted from the smaller side's links: the cost is that side's
        // degree, not the product of the two sizes.
        let (small, other) = if mx.len() <= my.len() { (mx, cy) } else { (my, cx) };
        let cross = small
            .iter()
            .flat_map(|&i| &self.linked[i])
            .filter(|&&(j, _)| self.cluster_of[j] == other)
            .count();
        if (cross as f32) < min_share * (mx.len() * my.len()) as f32 {
            return false;
        }
        let (keep, gone) = if mx.len() >= my.len() { (cx, cy) } else { (cy, cx) };
        self.absorb(keep, gone);
        true
    }

    /// Every member of the clusters of `items`, sorted.
    pub(super) fn gather(&self, items: &[usize]) -> Vec<usize> {
        let mut members: Vec<usize> =
            items.iter().flat_map(|&item| self.members_of(item)).copied().collect();
        members.sort_unstable();
        members.dedup();
        members
    }

    /// The cluster name (smallest member) of each of `members`, which must
    /// be sorted and hold whole clusters: the first member met of a cluster
    /// is its smallest.
    pub(super) fn names(&self, members: &[usize]) -> Vec<usize> {
        let mut first: FastMap<usize, usize> = FastMap::default();
        members.iter().map(|&m| *first.entry(self.cluster_of[m]).or_insert(m)).collect()
    }

    /// Dissolves the clusters of `members` (sorted, whole clusters, as
    /// [`Merger::gather`] gives) and merges them again by the batch rule:
    /// the links among them, strongest first, each under the guard.
    pub(super) fn reform(&mut self, members: &[usize], min_share: f32) {
        // Every cluster is named by the slot of one of its members, so
        // resetting the members' own slots empties the old clusters.
        for &m in members {
            self.cluster_of[m] = m;
            self.members[m] = vec![m];
        }
        let mut links: Vec<(f32, usize, usize)> = members
            .iter()
            .flat_map(|&i| self.linked[i].iter().map(move |&(j, score)| (score, i, j)))
            .filter(|&(_, i, j)| i < j && members.binary_search(&j).is_ok())
            .collect();
        links.sort_by(|&x, &y| by_strength(x, y));
        for (_, i, j) in links {
            self.offer(i, j, min_share);
        }
    }

    /// Moves every member of cluster `gone` into cluster `keep`.
    pub(super) fn absorb(&mut self, keep: usize, gone: usize) {
        let moved = std::mem::take(&mut self.members[gone]);
        for &i in &moved {
            self.cluster_of[i] = keep;
        }
        self.members[keep].extend(moved);
    }

    /// The members of the cluster of `x`.
    pub(super) fn members_of(&self, x: usize) -> &[usize] {
        &self.members[self.cluster_of[x]]
    }

    /// Every cluster as sorted ids, clusters sorted by their smallest id.
    pub(super) fn clusters(&self, id_of: impl Fn(usize) -> ArticleId) -> Vec<Vec<ArticleId>> {
        let mut clusters: Vec<Vec<ArticleId>> = self
            .members
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| {
                let mut ids: Vec<ArticleId> = m.iter().map(|&i| id_of(i)).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        clusters.sort_unstable_by_key(|c| c[0]);
        clusters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two groups of four, each tightly linked, and one weak link between
    /// their first members.
    fn two_groups(merger: &mut Merger) {
        for _ in 0..8 {
            merger.push();
        }
        for group in [[0, 2, 3, 4], [1, 5, 6, 7]] {
            for (k, &x) in group.iter().enumerate() {
                for &y in &group[k + 1..] {
                    merger.link(x, y, 0.9);
                }
            }
        }
        merger.link(0, 1, 0.2);
    }

    fn sorted_clusters(merger: &Merger) -> Vec<Vec<u32>> {
        merger
            .clusters(|i| ArticleId(i as u32))
            .into_iter()
            .map(|c| c.iter().map(|a| a.0).collect())
            .collect()
    }

    #[test]
    fn the_guard_counts_links_between_whole_clusters() {
        let mut merger = Merger::default();
        two_groups(&mut merger);
        // Batch order: the strong links first, then the weak one meets
        // clusters of four with 1 of 16 pairs linked.
        for (x, y) in [(0, 2), (0, 3), (0, 4), (1, 5), (1, 6), (1, 7)] {
            assert!(merger.offer(x, y, 0.25));
        }
        assert!(!merger.offer(0, 1, 0.25));
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
    }

    #[test]
    fn reforming_undoes_an_early_weak_merge() {
        let mut merger = Merger::default();
        two_groups(&mut merger);
        // Arrival order: 0 and 1 meet first, as singletons, and merge.
        assert!(merger.offer(0, 1, 0.25));
        for (x, y) in [(0, 2), (0, 3), (0, 4), (1, 5), (1, 6), (1, 7)] {
            merger.offer(x, y, 0.25);
        }
        assert_eq!(merger.cluster_of[0], merger.cluster_of[1]);
        // Item 7 arrives, linked to 1, 5 and 6: the clusters it touches,
        // re-formed strongest first, come apart as in the batch.
        let members = merger.gather(&[7, 1, 5, 6]);
        assert_eq!(members, (0..8).collect::<Vec<usize>>());
        merger.reform(&members, 0.25);
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
        // Re-forming again changes nothing.
        let again = merger.gather(&[0, 1]);
        merger.reform(&again, 0.25);
        assert_eq!(sorted_clusters(&merger), vec![vec![0, 2, 3, 4], vec![1, 5, 6, 7]]);
    }
}
