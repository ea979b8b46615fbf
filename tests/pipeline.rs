//! End-to-end tests on the built-in sample, through the public API only.

use std::collections::BTreeMap;
use std::path::Path;

use zhdedup::{Article, Clusterer, Clustering, Loader, Normalizer};

fn sample() -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let loaded = Loader::new().load_paths(&[dir]);
    assert!(loaded.failures.is_empty(), "{:?}", loaded.failures);
    loaded.articles
}

/// Clusters as sets of "file[:line]" names.
fn named(articles: &[Article], clustering: &Clustering) -> Vec<Vec<String>> {
    clustering
        .clusters
        .iter()
        .map(|c| {
            c.iter()
                .map(|id| {
                    let a = &articles[id.0 as usize];
                    let name = a.source.path.file_name().unwrap().to_string_lossy().into_owned();
                    match a.source.line {
                        Some(line) => format!("{name}:{line}"),
                        None => name,
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn sample_events_cluster_across_scripts() {
    let articles = sample();
    let clustering = Clusterer::new().cluster(&articles);
    let clusters = named(&articles, &clustering);
    let expected: Vec<Vec<&str>> = vec![
        vec!["a_simplified_jekyll.md", "a_traditional_rss.md", "exports.jsonl:1"],
        vec!["b_simplified_gb18030.md", "b_traditional_big5.txt"],
        vec!["c_hexo_earlier_meeting.md"],
        vec!["d_dateline_crlf.md"],
        vec!["exports.jsonl:2"],
    ];
    assert_eq!(clusters, expected);
}

#[test]
fn every_link_is_explained() {
    let articles = sample();
    let clustering = Clusterer::new().cluster(&articles);
    assert!(!clustering.links.is_empty());
    for link in &clustering.links {
        assert!(link.a < link.b);
        assert_eq!(clustering.explain(link.b, link.a), Some(link));
        let json = serde_json::to_string(link).unwrap();
        assert!(json.contains("title_similarity"), "{json}");
    }
}

#[test]
fn serial_and_parallel_runs_are_identical() {
    let articles = sample();
    let run = |threads| {
        let mut builder = Clusterer::builder();
        builder.threads(threads);
        serde_json::to_string(&builder.build().unwrap().cluster(&articles)).unwrap()
    };
    let serial = run(1);
    assert_eq!(serial, run(2));
    assert_eq!(serial, run(0));
}

#[test]
fn the_other_script_folds_alike() {
    let n = Normalizer::new();
    let articles = sample();
    let by_name: BTreeMap<String, &Article> = articles
        .iter()
        .map(|a| (a.source.path.file_name().unwrap().to_string_lossy().into_owned(), a))
        .collect();
    let simplified = &by_name["b_simplified_gb18030.md"].paragraphs[1];
    let traditional = &by_name["b_traditional_big5.txt"].paragraphs[1];
    assert_eq!(n.fold(simplified), n.fold(traditional));
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Normalizer>();
    assert_send_sync::<Loader>();
    assert_send_sync::<Clusterer>();
    assert_send_sync::<Clustering>();
    assert_send_sync::<Article>();
    assert_send_sync::<zhdedup::HammingIndex>();
    assert_send_sync::<zhdedup::Error>();
}
