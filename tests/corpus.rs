//! Checks on the shared evaluation corpus (`../shared/corpus`, beside the
//! project). It is other people's text and is never part of this repository:
//! when it is absent these tests say so and pass without checking anything.

use std::path::{Path, PathBuf};

use zhdedup::{Clusterer, Loader};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/raw");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: no shared corpus at {}", dir.display());
        None
    }
}

#[test]
fn every_corpus_file_is_accounted_for() {
    let Some(dir) = corpus() else { return };
    let loaded = Loader::new().load_paths(&[&dir]);
    let files = walkdir_count(&dir);
    assert_eq!(loaded.files, files);
    // One article a file (no JSON Lines here), or a failure with a reason.
    assert_eq!(loaded.articles.len() + loaded.failures.len(), files);
    for failure in &loaded.failures {
        assert!(failure.path().is_some(), "{failure}");
    }
    // Every article has a title or text (the loader refuses the rest).
    assert!(loaded.articles.iter().all(|a| !a.title.is_empty() || !a.paragraphs.is_empty()));
}

fn walkdir_count(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn seeds_cluster_as_labelled_within_the_corpus() {
    let Some(dir) = corpus() else { return };
    let loaded = Loader::new().load_paths(&[&dir]);
    let clustering = Clusterer::new().cluster(&loaded.articles).unwrap();
    let index = clustering.cluster_index();
    let seed = |n: &str| {
        let article = loaded
            .articles
            .iter()
            .find(|a| a.source.path.file_name().unwrap().to_string_lossy().starts_with(n))
            .unwrap();
        index[&article.id]
    };
    let (s0, s1, s2, s3, s4) =
        (seed("000_"), seed("001_"), seed("002_"), seed("003_"), seed("004_"));
    assert_eq!(s0, s1, "000 and 001 report the same meeting");
    let distinct = [s0, s2, s3, s4];
    for (i, x) in distinct.iter().enumerate() {
        for y in &distinct[i + 1..] {
            assert_ne!(x, y, "seed clusters must be {{000,001}}, {{002}}, {{003}}, {{004}}");
        }
    }
    for s in [s2, s3, s4] {
        let size = clustering.clusters[s].len();
        assert!(size < 10, "a seed landed in a cluster of {size}");
    }
}

#[test]
fn a_stream_caller_that_follows_regrouped_stays_current() {
    let Some(dir) = corpus() else { return };
    let loaded = Loader::new().load_paths(&[&dir]);
    let mut order: Vec<&zhdedup::Article> = loaded.articles.iter().collect();
    order.sort_by_key(|a| (a.published.map_or(i64::MAX, |p| p.utc_ms), a.id));
    let mut stream = Clusterer::new().stream();
    // What a caller keeps: each article's cluster name, updated only from
    // the placements.
    let mut names = Vec::with_capacity(order.len());
    let mut regroupings = 0;
    for article in order {
        let placed = stream.add(article);
        names.push(placed.cluster);
        assert!(placed.regrouped.windows(2).all(|w| w[0] < w[1]));
        for moved in &placed.regrouped {
            assert!(*moved < placed.id);
            names[moved.0 as usize] = stream.cluster_of(*moved).unwrap();
            regroupings += 1;
        }
    }
    // On this corpus, clusters are renamed and re-formed as reports arrive.
    assert!(regroupings > 0);
    for (position, name) in names.iter().enumerate() {
        let id = zhdedup::ArticleId(position as u32);
        assert_eq!(stream.cluster_of(id), Some(*name), "article {position}");
    }
}
