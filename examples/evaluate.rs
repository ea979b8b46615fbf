//! Scores the clustering of a corpus against gold labels and pair lists, with
//! baselines computed in the same run.
//!
//! ```text
//! cargo run --release --example evaluate -- --corpus ../shared/corpus \
//!     --labels ../shared/labels/events-2020-07-22.tsv [--pairs ../shared/corpus/PAIRS.tsv] [--json]
//!     [--ablate no] [--stream no]
//! ```
//! The whole corpus (`CORPUS/raw`) is clustered; only labelled articles are
//! scored. Baselines: whole-article simhash (the `simhash` crate) with k = 3
//! over raw and over folded text, the library with each signal off, and the
//! library in streaming mode (articles added in publish-time order), with its
//! agreement with the batch result.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use zhdedup::eval::{Scores, b_cubed, pairwise};
use zhdedup::{Article, Clusterer, Fingerprint, HammingIndex, Loader, Normalizer, Signals};

#[path = "common/mod.rs"]
mod common;

/// `corpus_path -> cluster label` for every loaded article.
type Assignment = HashMap<String, usize>;

fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| common::die(&format!("cannot read {}: {e}", path.display())));
    text.lines().skip(1).map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

fn corpus_path(corpus: &Path, article: &Article) -> String {
    article.source.path.strip_prefix(corpus).unwrap_or(&article.source.path).display().to_string()
}

/// Connected components of "whole-text simhash within 3 bits" (the baseline).
fn simhash_baseline(articles: &[Article], text: impl Fn(&Article) -> String + Sync) -> Vec<usize> {
    let fingerprints: Vec<Fingerprint> =
        articles.iter().map(|a| Fingerprint(simhash::simhash(&text(a)))).collect();
    let index = HammingIndex::from_fingerprints(3, &fingerprints).expect("k = 3 is valid");
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (i, &f) in fingerprints.iter().enumerate() {
        for (j, _) in index.query(f) {
            let (a, b) = (find(&mut parent, i), find(&mut parent, j as usize));
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..articles.len()).map(|i| find(&mut parent, i)).collect()
}

struct Run {
    name: String,
    labels: Vec<usize>,
    seconds: f64,
}

fn main() {
    let args = common::Args::parse();
    let corpus = PathBuf::from(args.option("corpus").unwrap_or("../shared/corpus"));
    let labels_path =
        PathBuf::from(args.option("labels").unwrap_or("../shared/labels/events-2020-07-22.tsv"));
    if !corpus.join("raw").is_dir() {
        common::die(&format!(
            "no corpus at {} (expected a raw/ folder): the shared corpus is not here",
            corpus.display()
        ));
    }
    let start = Instant::now();
    let loaded = Loader::new().load_paths(&[corpus.join("raw")]);
    eprintln!(
        "loaded {} articles ({} failed) in {:.1} s",
        loaded.articles.len(),
        loaded.failures.len(),
        start.elapsed().as_secs_f64()
    );
    let articles = &loaded.articles;
    let normalizer = Normalizer::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut library = |name: &str, builder: &mut zhdedup::ClustererBuilder| {
        let start = Instant::now();
        args.configure(builder);
        let clustering = builder.build().expect("valid settings").cluster(articles);
        let index = clustering.cluster_index();
        let labels = articles.iter().map(|a| index[&a.id]).collect();
        runs.push(Run { name: name.into(), labels, seconds: start.elapsed().as_secs_f64() });
    };
    library("zhdedup", &mut Clusterer::builder());
    if args.option("ablate") != Some("no") {
        for (name, signals) in [
            ("zhdedup without paragraphs", Signals { paragraphs: false, ..Signals::default() }),
            ("zhdedup without title", Signals { title: false, ..Signals::default() }),
            ("zhdedup without lead", Signals { content: false, ..Signals::default() }),
            ("zhdedup without time", Signals { time: false, ..Signals::default() }),
            ("zhdedup without outlet discount", Signals { outlet: false, ..Signals::default() }),
        ] {
            library(name, Clusterer::builder().signals(signals));
        }
        let mut no_fold = Normalizer::builder();
        no_fold.builtin_vocabulary(false);
        library(
            "zhdedup without vocabulary table",
            Clusterer::builder().normalizer(no_fold.build().expect("valid")),
        );
    }
    // Streaming: articles added in publish-time order (untimed ones last).
    let mut stream_agreement = None;
    if args.option("stream") != Some("no") {
        let start = Instant::now();
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by_key(|&i| (articles[i].published.map_or(i64::MAX, |p| p.utc_ms), i));
        let mut builder = Clusterer::builder();
        args.configure(&mut builder);
        let mut stream = builder.build().expect("valid settings").stream();
        let mut arrival_of = vec![0usize; articles.len()];
        for &i in &order {
            arrival_of[i] = stream.add(&articles[i]).id.0 as usize;
        }
        let clustering = stream.clustering();
        let index = clustering.cluster_index();
        let labels: Vec<usize> =
            (0..articles.len()).map(|i| index[&zhdedup::ArticleId(arrival_of[i] as u32)]).collect();
        let batch: HashMap<usize, usize> = runs[0].labels.iter().copied().enumerate().collect();
        let streamed: HashMap<usize, usize> = labels.iter().copied().enumerate().collect();
        stream_agreement = Some(pairwise(&streamed, &batch));
        runs.push(Run {
            name: "zhdedup streaming, time order".into(),
            labels,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let whole = |a: &Article| format!("{}\n{}", a.title, a.paragraphs.join("\n"));
    for (name, folded) in
        [("simhash crate, raw text, k=3", false), ("simhash crate, folded text, k=3", true)]
    {
        let start = Instant::now();
        let labels = simhash_baseline(articles, |a| {
            if folded { normalizer.fold(&whole(a)).into_owned() } else { whole(a) }
        });
        runs.push(Run { name: name.into(), labels, seconds: start.elapsed().as_secs_f64() });
    }

    let gold: HashMap<String, String> = read_tsv(&labels_path)
        .into_iter()
        .filter(|r| r.len() >= 2)
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let pairs: Vec<Vec<String>> =
        args.option("pairs").map(|p| read_tsv(Path::new(p))).unwrap_or_default();
    let mut report = Vec::new();
    for run in &runs {
        let assignment: Assignment =
            articles.iter().zip(&run.labels).map(|(a, &l)| (corpus_path(&corpus, a), l)).collect();
        let missing = gold.keys().filter(|k| !assignment.contains_key(*k)).count();
        let scored: HashMap<String, usize> = assignment
            .iter()
            .filter(|(k, _)| gold.contains_key(*k))
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        let pw: Scores = pairwise(&scored, &gold);
        let bc: Scores = b_cubed(&scored, &gold);
        let mut recall_by_relation: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for row in &pairs {
            if row.len() < 3 {
                continue;
            }
            let entry = recall_by_relation.entry(row[2].clone()).or_default();
            entry.1 += 1;
            if let (Some(x), Some(y)) = (assignment.get(&row[0]), assignment.get(&row[1]))
                && x == y
            {
                entry.0 += 1;
            }
        }
        report.push(serde_json::json!({
            "name": run.name,
            "pairwise": pw, "b_cubed": bc,
            "labelled_missing": missing,
            "pair_recall": recall_by_relation.iter().map(|(k, (hit, n))| (k.clone(), serde_json::json!({"found": hit, "pairs": n, "recall": *hit as f64 / (*n).max(1) as f64}))).collect::<BTreeMap<_, _>>(),
            "seconds": run.seconds,
        }));
    }
    if args.json_summary {
        println!(
            "{}",
            serde_json::json!({ "articles": articles.len(), "labelled": gold.len(), "runs": report,
                "stream_vs_batch_pairwise": stream_agreement })
        );
        return;
    }
    println!(
        "{} articles clustered, {} labelled ({})",
        articles.len(),
        gold.len(),
        labels_path.display()
    );
    println!(
        "{:<36} {:>7} {:>7} {:>7} {:>7} {:>7}  pair recall",
        "run", "P", "R", "F1", "B3 F1", "sec"
    );
    for r in &report {
        let recall: Vec<String> = r["pair_recall"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k} {:.3}", v["recall"].as_f64().unwrap_or(0.0)))
                    .collect()
            })
            .unwrap_or_default();
        println!(
            "{:<36} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.1}  {}",
            r["name"].as_str().unwrap_or(""),
            r["pairwise"]["precision"].as_f64().unwrap_or(0.0),
            r["pairwise"]["recall"].as_f64().unwrap_or(0.0),
            r["pairwise"]["f1"].as_f64().unwrap_or(0.0),
            r["b_cubed"]["f1"].as_f64().unwrap_or(0.0),
            r["seconds"].as_f64().unwrap_or(0.0),
            recall.join(", ")
        );
    }
    if let Some(agree) = stream_agreement {
        println!(
            "streaming against batch, all {} articles, batch as reference: pairwise P {:.3} R {:.3} F1 {:.3}",
            articles.len(),
            agree.precision,
            agree.recall,
            agree.f1
        );
    }
}
