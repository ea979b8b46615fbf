//! Clustering under hostile input and a long-running stream, through the
//! public API (issue #16, items 1, 2 and 7).

use std::path::Path;

use zhdedup::{
    Article, ArticleId, Clusterer, ErrorKind, Loader, Published, Record, Stream, TimeSource,
};

/// A report with no digits, so that only the time window decides whether
/// two copies of it link (a copy with numbers links across any gap).
const BODY: &str = "外交部发言人今天在例行记者会上表示，双方同意继续就气候变化与粮食安全保持沟通。\n\
                    发言人说，中方愿与各方一道，推动有关合作取得更多成果，造福两国人民。";

fn report(loader: &Loader, title: &str) -> Article {
    loader.parse_record(&Record::new(title).text(BODY)).unwrap()
}

fn at(mut article: Article, ms: i64) -> Article {
    article.published = Some(Published::new(ms, TimeSource::JsonField));
    article
}

#[test]
fn extreme_times_neither_panic_nor_link() {
    // Before: `attempt to subtract with overflow` in debug; in release the
    // difference wrapped to a few milliseconds and the two linked.
    let loader = Loader::new();
    let articles = [
        at(report(&loader, "外交部谈气候与粮食合作"), i64::MAX),
        at(report(&loader, "外交部谈气候与粮食合作"), -i64::MAX),
        at(report(&loader, "外交部谈气候与粮食合作"), 0),
    ];
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    assert!(clustering.links.is_empty(), "{:?}", clustering.links);
    let mut stream = Clusterer::new().stream();
    for article in &articles {
        assert!(stream.add(article).links.is_empty());
    }
    // Close together at the end of time they are still one event.
    let near = [
        at(report(&loader, "外交部谈气候与粮食合作"), i64::MAX),
        at(report(&loader, "外交部谈气候与粮食合作"), i64::MAX - 60_000),
    ];
    let clustering = Clusterer::new().cluster(&near).unwrap();
    assert_eq!(clustering.clusters.len(), 1);
    assert_eq!(clustering.links[0].evidence.time_gap_hours, Some(60_000.0 / 3.6e6));
}

#[test]
fn repeated_ids_are_an_error_not_a_wrong_answer() {
    // Before: ids [0, 0, 0] gave clusters [[0], [0], [0]] and a self-link.
    let articles: Vec<Article> =
        (0..3).map(|_| report(&Loader::new(), "外交部谈气候与粮食合作")).collect();
    assert!(articles.iter().all(|a| a.id == ArticleId(0)));
    let err = Clusterer::new().cluster(&articles).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::DuplicateId { id: ArticleId(0), positions: [0, 1] }));
    assert_eq!(err.reason(), "duplicate_id");
    assert_eq!(err.to_string(), "articles 0 and 1 of the input share the id 0");
    // From one loader the ids differ and the three copies are one event.
    let loader = Loader::new();
    let articles: Vec<Article> = (0..3).map(|_| report(&loader, "外交部谈气候")).collect();
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    assert_eq!(clustering.clusters, [articles.iter().map(|a| a.id).collect::<Vec<_>>()]);
}

#[test]
fn links_and_evidence_display() {
    let loader = Loader::new();
    let articles = [
        at(report(&loader, "外交部谈气候与粮食合作"), 1_700_000_000_000),
        at(report(&loader, "外交部谈气候与粮食合作"), 1_700_007_200_000),
    ];
    let clustering = Clusterer::new().cluster(&articles).unwrap();
    let text = clustering.links[0].to_string();
    assert!(text.starts_with("0 ~ 1: "), "{text}");
    assert!(text.contains("(coverage 1.00, title words "), "{text}");
    assert!(text.contains(", 2.0 h apart"), "{text}");
    assert!(text.contains("; carried by "), "{text}");
}

/// The sample's articles (invented), with their times.
fn sample() -> Vec<Article> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let loaded = Loader::new().load_paths(&[dir]);
    assert!(loaded.failures.is_empty());
    loaded.articles
}

/// Every id the stream gave and has not expired, in one cluster each.
fn accounted(stream: &Stream) -> Vec<ArticleId> {
    let mut held: Vec<ArticleId> = stream.clusters().into_iter().flatten().collect();
    held.sort_unstable();
    let before = held.len();
    held.dedup();
    assert_eq!(before, held.len(), "an article in two clusters");
    assert_eq!(held.len(), stream.len());
    for &id in &held {
        assert!(stream.cluster_of(id).is_some());
    }
    held
}

#[test]
fn a_restored_stream_goes_on_as_the_saved_one() {
    // Before: a stream could not be saved at all.
    let articles = sample();
    let clusterer = Clusterer::new();
    let mut whole = clusterer.stream();
    let mut first = clusterer.stream();
    let (early, late) = articles.split_at(articles.len() / 2);
    for article in early {
        whole.add(article);
        first.add(article);
    }
    let json = serde_json::to_string(&first.save()).unwrap();
    let mut restored = clusterer.restore_stream(serde_json::from_str(&json).unwrap()).unwrap();
    for article in late {
        assert_eq!(restored.add(article), whole.add(article));
    }
    assert_eq!(restored.clusters(), whole.clusters());
    assert_eq!(restored.links(), whole.links());
    // The same state always serializes alike.
    assert_eq!(
        serde_json::to_string(&restored.save()).unwrap(),
        serde_json::to_string(&whole.save()).unwrap()
    );
}

#[test]
fn altered_states_are_refused() {
    let mut stream = Clusterer::new().stream();
    for article in sample() {
        stream.add(&article);
    }
    let json = serde_json::to_value(stream.save()).unwrap();
    let alter = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut state = json.clone();
        edit(&mut state);
        let state = serde_json::from_value(state).unwrap();
        Clusterer::new().restore_stream(state).unwrap_err()
    };
    for err in [
        alter(&|s| s["version"] = 99.into()),
        alter(&|s| s["event"] = serde_json::json!([0])),
        alter(&|s| s["story"][0] = 5.into()),
        alter(&|s| s["scored"] = serde_json::json!([[3, 1, 0.5]])),
        alter(&|s| s["clock"] = serde_json::json!([])),
        alter(&|s| s["next_id"] = 0.into()),
        alter(&|s| s["outlets"] = serde_json::json!([])),
    ] {
        assert_eq!(err.reason(), "bad_state", "{err}");
    }
}

#[test]
fn expiry_bounds_the_stream_and_keeps_ids() {
    // Before: a stream held every article it was given, forever.
    let articles = sample();
    let mut stream = Clusterer::new().stream();
    let mut given = Vec::new();
    for article in &articles {
        given.push(stream.add(article).id);
    }
    let times: Vec<i64> =
        articles.iter().map(|a| a.published.map_or(i64::MIN, |p| p.utc_ms)).collect();
    let cut = {
        let mut sorted = times.clone();
        sorted.sort_unstable();
        sorted[sorted.len() / 2]
    };
    let before = stream.clusters();
    let dropped = stream.expire_before(cut);
    assert!(dropped > 0 && dropped < articles.len());
    let held = accounted(&stream);
    assert_eq!(held.len(), articles.len() - dropped);
    // Survivors keep their ids and stay with the survivors of their cluster.
    for cluster in &before {
        let kept: Vec<ArticleId> =
            cluster.iter().copied().filter(|id| held.binary_search(id).is_ok()).collect();
        for id in &kept {
            assert_eq!(stream.cluster_of(*id), Some(kept[0]));
        }
    }
    for link in stream.links() {
        assert!(held.contains(&link.a) && held.contains(&link.b));
    }
    // New ids go on from the old ones.
    let next = stream.add(&articles[0]).id;
    assert_eq!(next, ArticleId(articles.len() as u32));
    let held = stream.len();
    assert_eq!(stream.expire_before(i64::MAX), held);
    assert!(stream.is_empty() && stream.clusters().is_empty() && stream.links().is_empty());
}

#[test]
fn a_warm_stream_links_what_a_cold_one_misses() {
    // Cold start, measured on the sample: a new stream knows no term
    // frequencies, so a new story's words weigh little. Warmed with the
    // frequencies of a saved stream of earlier articles (here: the
    // sample itself, as yesterday's state), it links more.
    let articles = sample();
    let clusterer = Clusterer::new();
    let links =
        |stream: &mut Stream| -> usize { articles.iter().map(|a| stream.add(a).links.len()).sum() };
    let mut cold = clusterer.stream();
    let cold_links = links(&mut cold);
    let mut warm = clusterer.stream();
    warm.observe_state(&cold.save());
    let warm_links = links(&mut warm);
    let batch_links = clusterer.cluster(&articles).unwrap().links.len();
    eprintln!("links on the sample: cold {cold_links}, warm {warm_links}, batch {batch_links}");
    assert!(warm_links > cold_links, "cold {cold_links}, warm {warm_links}");
}

/// The e5-small model, which weighs vectors.
fn vector_clusterer() -> Clusterer {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/model-e5-small.json");
    let model = zhdedup::Model::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    Clusterer::builder().model(model).build().unwrap()
}

#[test]
fn a_stream_weighs_vectors_and_keeps_them_across_a_restart() {
    // Before: a stream could not be given vectors; with a model that weighs
    // them, every arrival counted as having none.
    let articles = sample();
    let clusterer = vector_clusterer();
    // Each article's vector points one of three ways.
    let vector = |i: usize| {
        let mut v = [0.0f32; 3];
        v[i % 3] = 1.0;
        v
    };
    let (early, late) = articles.split_at(articles.len() / 2);
    let mut whole = clusterer.stream();
    let mut first = clusterer.stream();
    for (i, article) in early.iter().enumerate() {
        whole.try_add_with_vector(article, &vector(i)).unwrap();
        first.try_add_with_vector(article, &vector(i)).unwrap();
    }
    let json = serde_json::to_string(&first.save()).unwrap();
    let mut restored = clusterer.restore_stream(serde_json::from_str(&json).unwrap()).unwrap();
    for (i, article) in late.iter().enumerate() {
        let i = i + early.len();
        let a = restored.try_add_with_vector(article, &vector(i)).unwrap();
        assert_eq!(a, whole.try_add_with_vector(article, &vector(i)).unwrap());
    }
    assert_eq!(restored.links(), whole.links());
    // Each link weighed the cosine of the vectors given (the stream's ids
    // are positions here: one loader, in order).
    assert!(!whole.links().is_empty());
    for link in whole.links() {
        let same = link.a.0 % 3 == link.b.0 % 3;
        let cosine = if same { 1.0 } else { 0.0 };
        assert_eq!(link.evidence.vector_similarity, Some(cosine), "{link}");
    }
    // The vectors decide something: without them the stream groups otherwise.
    let mut without = clusterer.stream();
    for article in &articles {
        without.add(article);
    }
    assert_ne!(without.clusters(), whole.clusters());
    // Bad vectors and a model without vectors are errors, and add nothing.
    let held = whole.len();
    for bad in [&[][..], &[1.0, 0.0][..], &[0.0, 0.0, 0.0][..], &[f32::NAN, 1.0, 0.0][..]] {
        let err = whole.try_add_with_vector(&articles[0], bad).unwrap_err();
        assert!(err.to_string().contains("vector of the article added"), "{err}");
    }
    assert!(Clusterer::new().stream().try_add_with_vector(&articles[0], &vector(0)).is_err());
    assert_eq!(whole.len(), held);
    // A saved state with vectors is refused by a clusterer whose model
    // weighs none.
    let err = Clusterer::new().restore_stream(serde_json::from_str(&json).unwrap()).unwrap_err();
    assert_eq!(err.reason(), "bad_state", "{err}");
}
