//! Clustering an archive in overlapping time windows, as a job spread over
//! machines would (python/spark/), gives the clustering of one run: each
//! window scores its pairs with the whole archive's frequencies, each pair
//! is kept from the one window that owns it, and the pairs of all the
//! windows are grouped at once.
//!
//! On the invented sample always; on the shared corpus (`../shared/corpus`)
//! when it is present (SKIPPED is printed otherwise).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use zhdedup::{Article, ArticleId, Clusterer, Frequencies, Loader, ScoredPair, eval};

const DAY_MS: i64 = 86_400_000;

/// Clusters `articles` in windows of `core_days`, each widened by
/// `margin_days` on both sides, and returns the events.
fn windowed(articles: &[Article], core_days: i64, margin_days: i64) -> Vec<Vec<ArticleId>> {
    let clusterer = Clusterer::new();
    let window_of = |a: &Article| a.published.map(|p| p.utc_ms.div_euclid(core_days * DAY_MS));
    // Pass 1: the frequencies of each window's own articles, merged.
    let mut parts: BTreeMap<Option<i64>, Vec<Article>> = BTreeMap::new();
    for a in articles {
        parts.entry(window_of(a)).or_default().push(a.clone());
    }
    let mut counts = Frequencies::default();
    for part in parts.values() {
        counts.merge(&clusterer.frequencies(part)).unwrap();
    }
    counts.prune();
    let windowed = Clusterer::builder().frequencies(counts).build().unwrap();
    // Pass 2: each window with its margins; articles without a time are in
    // every window, as they are in every time window of one run.
    let mut pairs: Vec<ScoredPair> = Vec::new();
    let cores: Vec<i64> = parts.keys().flatten().copied().collect();
    let by_id: BTreeMap<_, _> = articles.iter().map(|a| (a.id, a)).collect();
    let untimed_only = cores.is_empty();
    for core in cores.iter().copied().map(Some).chain(untimed_only.then_some(None)) {
        let (start, end) = core.map_or((i64::MIN, i64::MAX), |c| {
            (c * core_days * DAY_MS, (c + 1) * core_days * DAY_MS)
        });
        let margin = margin_days * DAY_MS;
        // In input order, as one run sees them.
        let members: Vec<Article> = articles
            .iter()
            .filter(|a| {
                a.published.is_none_or(|p| {
                    p.utc_ms >= start.saturating_sub(margin)
                        && p.utc_ms < end.saturating_add(margin)
                })
            })
            .cloned()
            .collect();
        let scores = windowed.score(&members).unwrap();
        // A pair belongs to the window whose core holds its earlier
        // article; pairs of two untimed articles to the first window.
        let owner = |p: &ScoredPair| {
            let times = [by_id[&p.a], by_id[&p.b]].map(|a| a.published.map(|t| t.utc_ms));
            match times {
                [Some(x), Some(y)] => Some(x.min(y).div_euclid(core_days * DAY_MS)),
                [Some(x), None] | [None, Some(x)] => Some(x.div_euclid(core_days * DAY_MS)),
                [None, None] => cores.first().copied(),
            }
        };
        pairs.extend(scores.pairs.into_iter().filter(|p| owner(p) == core));
    }
    let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
    windowed.group(&ids, &pairs).unwrap().clusters
}

/// Clusters in windows and checks the result against one run's: equal but
/// for copies published further apart than the margins, which no window
/// holds together.
fn check(articles: &[Article], core_days: i64) -> eval::Scores {
    let margin_days = 3;
    let one_run = Clusterer::new().cluster(articles).unwrap();
    let single = &one_run.clusters;
    let windows = windowed(articles, core_days, margin_days);
    let index = |clusters: &[Vec<ArticleId>]| -> HashMap<_, _> {
        clusters
            .iter()
            .enumerate()
            .flat_map(|(c, ids)| ids.iter().map(move |&id| (id, c)))
            .collect()
    };
    let (apart, together) = (index(&windows), index(single));
    let agreement = eval::pairwise(&apart, &together);
    eprintln!(
        "{} articles in {core_days}-day windows: {} events, one run {}; pairwise F1 {:.4}",
        articles.len(),
        windows.len(),
        single.len(),
        agreement.f1
    );
    // Every link of one run that the windows put apart is a copy further
    // apart than the margins.
    let threshold = zhdedup::Model::builtin().event_threshold();
    let far_copy = |l: &zhdedup::Link| {
        l.evidence.copy && l.evidence.time_gap_hours.is_some_and(|h| h > (margin_days * 24) as f32)
    };
    for link in &one_run.links {
        let (a, b) = (link.a, link.b);
        if together[&a] == together[&b] && apart[&a] != apart[&b] && link.score >= threshold {
            assert!(far_copy(link), "pair ({a}, {b}) of one event put apart: {link:?}");
        }
    }
    let far_copies = one_run.links.iter().filter(|l| far_copy(l)).count();
    if far_copies == 0 {
        assert_eq!(&windows, single);
    }
    agreement
}

#[test]
fn the_sample_in_windows_is_clustered_as_in_one_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let articles = Loader::new().load_paths(&[dir]).articles;
    assert_eq!(check(&articles, 1).f1, 1.0);
}

#[test]
fn the_corpus_in_windows_is_clustered_as_in_one_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/raw");
    if !dir.is_dir() {
        eprintln!("SKIPPED: no shared corpus at {}", dir.display());
        return;
    }
    let articles = Loader::new().load_paths(&[dir]).articles;
    // Measured: 0.9999 (one recurring tracker's copies, 9 to 29 days
    // apart, split in two).
    assert!(check(&articles, 30).f1 >= 0.999);
}

#[test]
fn scores_with_vectors_group_as_clustering_with_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let articles = Loader::new().load_paths(&[dir]).articles;
    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/model-e5-small.json"),
    )
    .unwrap();
    let model = zhdedup::Model::from_json(&model).unwrap();
    let threshold = model.event_threshold();
    let clusterer = Clusterer::builder().model(model).build().unwrap();
    // Each article's vector points one of three ways: the clustering then
    // follows the vectors, not only the words.
    let mut vectors = zhdedup::Vectors::new();
    for (i, a) in articles.iter().enumerate() {
        let mut v = [0.0f32; 3];
        v[i % 3] = 1.0;
        vectors.insert(a.id, &v).unwrap();
    }
    let ids: Vec<ArticleId> = articles.iter().map(|a| a.id).collect();
    let scores = clusterer.score_with_vectors(&articles, &vectors).unwrap();
    let groups = clusterer.group(&ids, &scores.pairs).unwrap();
    let one_run = clusterer.cluster_with_vectors(&articles, &vectors).unwrap();
    assert_eq!(groups.clusters, one_run.clusters);
    assert_eq!(
        scores.links,
        one_run.links.iter().filter(|l| l.score >= threshold).cloned().collect::<Vec<_>>()
    );
    assert!(scores.links.iter().all(|l| l.evidence.vector_similarity.is_some()));
    // Without vectors the same model scores otherwise, and the built-in
    // model refuses vectors.
    assert_ne!(clusterer.score(&articles).unwrap().pairs, scores.pairs);
    assert!(Clusterer::new().score_with_vectors(&articles, &vectors).is_err());
}
