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

/// The label files the built-in model was trained on, in the order its
/// command names them: the shared days, then the project's own.
fn label_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("../shared/labels"), root.join("eval/days")] {
        let mut these: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        these.sort();
        files.extend(these);
    }
    files
}

#[test]
fn the_builtin_model_is_what_its_command_makes() {
    let Some(dir) = corpus() else { return };
    let corpus_root = dir.parent().unwrap().to_path_buf();
    let loaded = Loader::new().load_paths(&[&dir]);
    let by_path: std::collections::HashMap<String, zhdedup::ArticleId> = loaded
        .articles
        .iter()
        .map(|a| (a.source.path.strip_prefix(&corpus_root).unwrap().display().to_string(), a.id))
        .collect();
    let groups: Vec<std::collections::HashMap<zhdedup::ArticleId, String>> = label_files()
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            text.lines()
                .skip(1)
                .filter_map(|l| l.split_once('\t'))
                .map(|(p, e)| (by_path[p], e.trim().to_string()))
                .collect()
        })
        .collect();
    assert_eq!(groups.len(), 9, "seven shared days and two of our own");
    let pairs = Clusterer::new().training_pairs(&loaded.articles, None);
    let trained = zhdedup::Trainer::new().train(&pairs, &groups).unwrap();
    // Through JSON, as the built-in one is stored.
    let trained = zhdedup::Model::from_json(&trained.to_json()).unwrap();
    let builtin = zhdedup::Model::builtin();
    assert_eq!(trained.weights(), builtin.weights(), "retrain: DESIGN.md, \"Model\"");
    assert_eq!(trained.bias(), builtin.bias());
    assert_eq!(trained.event_threshold(), builtin.event_threshold());
    assert_eq!(trained.story_threshold(), builtin.story_threshold());
}
