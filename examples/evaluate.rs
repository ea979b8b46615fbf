//! Scores the clustering of a corpus against gold labels and pair lists, with
//! baselines computed in the same run.
//!
//! ```text
//! cargo run --release --example evaluate -- --corpus ../shared/corpus \
//!     --labels ../shared/labels/events-2020-07-22.tsv [--json] \
//!     [--pairs ../shared/corpus/PAIRS.tsv,../shared/corpus/PAIRS_EXTRA.tsv]
//!     [--ablate no] [--stream no] [--diagnose yes] [--grid yes]
//! ```
//! The whole corpus (`CORPUS/raw`) is clustered; only labelled articles are
//! scored. Baselines: whole-article simhash (the `simhash` crate) with k = 3
//! over raw and over folded text, the library with each signal off, and the
//! library in streaming mode (articles added in publish-time order), with its
//! agreement with the batch result.
//!
//! `--diagnose yes` also scores every candidate pair (link threshold 0) and
//! reports, over the labelled pairs: how many gold pairs are candidates at
//! all, the best pair-level F1 that any threshold on the link score reaches,
//! how the largest labelled events were clustered, and the batch's missed
//! and wrong pairs by event, with the F1 it would reach if only that event
//! were clustered exactly.
//!
//! `--grid yes` instead clusters the corpus at the 15 settings around the
//! defaults (lead 200/240/280 characters × the model's event threshold and
//! ±0.05, ±0.1) and prints the pairwise F1 at each and their mean. One day's F1 moves by a tenth when one group of articles joins or
//! leaves its largest event, so a change is judged by the mean over the
//! neighbourhood, not by the one setting (DESIGN.md, "How stable the F1 is").

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use zhdedup::eval::{Scores, b_cubed, pairwise};
use zhdedup::{Article, Clusterer, Fingerprint, HammingIndex, Loader, Model, Normalizer, Signals};

#[path = "common/mod.rs"]
mod common;

/// Prints the pairwise F1 at the 15 settings around the defaults (lead
/// characters × the model's event threshold), and their mean (`--grid yes`).
fn neighbourhood(
    args: &common::Args,
    corpus: &Path,
    articles: &[Article],
    gold: &HashMap<String, String>,
) {
    let base = Model::builtin();
    let t = base.event_threshold();
    let thresholds = [t - 0.1, t - 0.05, t, t + 0.05, t + 0.1];
    println!("pairwise F1 by lead characters and event threshold");
    print!("{:>5}", "lead");
    for x in thresholds {
        print!(" {x:>7.2}");
    }
    println!();
    let mut all = Vec::new();
    for lead in [200usize, 240, 280] {
        print!("{lead:>5}");
        for threshold in thresholds {
            let mut builder = Clusterer::builder();
            args.configure(&mut builder);
            let model = base
                .with_thresholds(threshold, base.story_threshold().min(threshold))
                .expect("thresholds in range");
            builder.lead_chars(lead).model(model);
            let clustering = builder.build().expect("valid settings").cluster(articles).unwrap();
            let index = clustering.cluster_index();
            let labels: Vec<usize> = articles.iter().map(|a| index[&a.id]).collect();
            let assignment = assign(corpus, articles, &labels);
            let f1 = pairwise(&labelled(&assignment, gold), gold).f1;
            print!(" {f1:>7.3}");
            all.push(f1);
        }
        println!();
    }
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let (low, high) = all.iter().fold((f64::MAX, f64::MIN), |(l, h), &f| (l.min(f), h.max(f)));
    println!("mean {mean:.3} over {} settings (lowest {low:.3}, highest {high:.3})", all.len());
}

/// `corpus_path -> cluster label` for every loaded article.
type Assignment = HashMap<String, usize>;

fn corpus_path(corpus: &Path, article: &Article) -> String {
    article.source.path.strip_prefix(corpus).unwrap_or(&article.source.path).display().to_string()
}

/// Each article's cluster label, by its corpus path.
fn assign(corpus: &Path, articles: &[Article], labels: &[usize]) -> Assignment {
    articles.iter().zip(labels).map(|(a, &l)| (corpus_path(corpus, a), l)).collect()
}

/// The part of an assignment that the gold labels cover: what is scored.
fn labelled(assignment: &Assignment, gold: &HashMap<String, String>) -> Assignment {
    assignment.iter().filter(|(k, _)| gold.contains_key(*k)).map(|(k, v)| (k.clone(), *v)).collect()
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
    if args.option("grid") == Some("yes") {
        let gold = common::read_labels(&labels_path, "");
        neighbourhood(&args, &corpus, articles, &gold);
        return;
    }
    let normalizer = Normalizer::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut library = |name: &str, builder: &mut zhdedup::ClustererBuilder| {
        let start = Instant::now();
        args.configure(builder);
        let clustering = builder.build().expect("valid settings").cluster(articles).unwrap();
        let index = clustering.cluster_index();
        let labels = articles.iter().map(|a| index[&a.id]).collect();
        runs.push(Run { name: name.into(), labels, seconds: start.elapsed().as_secs_f64() });
    };
    library("zhdedup", &mut Clusterer::builder());
    if args.option("ablate") != Some("no") {
        let without = |off: fn(&mut Signals)| {
            let mut signals = Signals::default();
            off(&mut signals);
            signals
        };
        for (name, signals) in [
            // `Signals` is non-exhaustive: each from the default, one off.
            ("zhdedup without paragraphs", without(|s| s.paragraphs = false)),
            ("zhdedup without title", without(|s| s.title = false)),
            ("zhdedup without lead", without(|s| s.content = false)),
            ("zhdedup without time", without(|s| s.time = false)),
            ("zhdedup without outlet discount", without(|s| s.outlet = false)),
            ("zhdedup without late copies", without(|s| s.copies = false)),
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
        let mut builder = Clusterer::builder();
        args.configure(&mut builder);
        let clusterer = builder.build().expect("valid settings");
        let (labels, _) = common::stream_in_time_order(&clusterer, articles);
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

    let gold = common::read_labels(&labels_path, "");
    // `--pairs A.tsv,B.tsv`: recall by relation over every list given.
    let pairs: Vec<Vec<String>> = args
        .option("pairs")
        .into_iter()
        .flat_map(|list| list.split(','))
        .flat_map(|p| common::read_tsv(Path::new(p), ""))
        .collect();
    let mut report = Vec::new();
    for run in &runs {
        let assignment = assign(&corpus, articles, &run.labels);
        let missing = gold.keys().filter(|k| !assignment.contains_key(*k)).count();
        let scored = labelled(&assignment, &gold);
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
    if args.option("diagnose") == Some("yes") {
        // The batch and, when it ran, the stream.
        let shown: Vec<&Run> =
            runs.iter().filter(|r| r.name == "zhdedup" || r.name.contains("streaming")).collect();
        diagnose(articles, &corpus, &gold, &args, &shown);
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

/// Where the score and the clustering lose gold pairs (`--diagnose yes`).
fn diagnose(
    articles: &[Article],
    corpus: &Path,
    gold: &HashMap<String, String>,
    args: &common::Args,
    shown: &[&Run],
) {
    let mut builder = Clusterer::builder();
    args.configure(&mut builder);
    let clusterer = builder.build().expect("valid settings");
    let model = Model::builtin();
    let pairs = clusterer.training_pairs(articles, None);
    // Labelled articles by position (ids are positions in the loader's order).
    let event: HashMap<u32, &str> = articles
        .iter()
        .filter_map(|a| gold.get(&corpus_path(corpus, a)).map(|e| (a.id.0, e.as_str())))
        .collect();
    let mut size: HashMap<&str, usize> = HashMap::new();
    for e in event.values() {
        *size.entry(e).or_default() += 1;
    }
    let gold_pairs: usize = size.values().map(|n| n * (n - 1) / 2).sum();
    let mut scored: Vec<(f32, bool)> = pairs
        .iter()
        .filter_map(|(a, b, f)| Some((model.probability(f), event.get(&a.0)? == event.get(&b.0)?)))
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let candidates = scored.iter().filter(|s| s.1).count();
    let (mut true_pos, mut best) = (0usize, (0.0f64, 0.0f32, 0.0f64, 0.0f64));
    for (i, &(score, same)) in scored.iter().enumerate() {
        true_pos += usize::from(same);
        let precision = true_pos as f64 / (i + 1) as f64;
        let recall = true_pos as f64 / gold_pairs.max(1) as f64;
        let f1 = if true_pos == 0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        if f1 > best.0 {
            best = (f1, score, precision, recall);
        }
    }
    println!("\ndiagnosis over the {} labelled articles:", event.len());
    println!(
        "  gold pairs {gold_pairs}; candidate pairs (scored at all) {candidates} ({:.1}%)",
        100.0 * candidates as f64 / gold_pairs.max(1) as f64
    );
    println!(
        "  best pair-level F1 of the link score, any threshold: {:.3} at {:.3} (P {:.3} R {:.3})",
        best.0, best.1, best.2, best.3
    );
    // The largest events: their share of the gold pairs, and the clusters
    // their articles fell into in each shown run (with other events'
    // articles there).
    let position: HashMap<u32, usize> =
        articles.iter().enumerate().map(|(i, a)| (a.id.0, i)).collect();
    let mut events: Vec<(&str, usize)> = size.into_iter().filter(|e| e.1 >= 4).collect();
    events.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    for (e, n) in events.iter().take(5) {
        let mut line = format!(
            "  event {e}: {n} articles, {} gold pairs ({:.1}%), clustered as",
            n * (n - 1) / 2,
            100.0 * (n * (n - 1) / 2) as f64 / gold_pairs.max(1) as f64,
        );
        for run in shown {
            // Per cluster holding this event: (its articles, other labelled ones).
            let mut parts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
            for (&id, &other) in &event {
                let entry = parts.entry(run.labels[position[&id]]).or_default();
                if other == *e {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
            let mut split: Vec<(usize, usize)> = parts.into_values().filter(|p| p.0 > 0).collect();
            split.sort_by(|x, y| y.cmp(x));
            let described: Vec<String> =
                split
                    .iter()
                    .map(|(own, foreign)| {
                        if *foreign > 0 {
                            format!("{own}+{foreign} other")
                        } else {
                            own.to_string()
                        }
                    })
                    .collect();
            line.push_str(&format!(" [{}] ({})", described.join(", "), run.name));
        }
        println!("{line}");
    }
    if let Some(batch) = shown.first() {
        errors_by_event(&event, |id| batch.labels[position[&id]]);
    }
}

/// The batch's missed and wrong labelled pairs by event, and what pairwise F1
/// would be if only that event were clustered exactly (all its articles
/// together, no other article with them): where the metric is lost.
fn errors_by_event(event: &HashMap<u32, &str>, cluster_of: impl Fn(u32) -> usize) {
    let mut ids: Vec<u32> = event.keys().copied().collect();
    ids.sort_unstable();
    let (mut true_pos, mut wrong, mut missed) = (0usize, 0usize, 0usize);
    let mut by_event: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..] {
            let same_event = event[&a] == event[&b];
            match (same_event, cluster_of(a) == cluster_of(b)) {
                (true, true) => true_pos += 1,
                (true, false) => {
                    missed += 1;
                    by_event.entry(event[&a]).or_default().0 += 1;
                }
                (false, true) => {
                    wrong += 1;
                    by_event.entry(event[&a]).or_default().1 += 1;
                    by_event.entry(event[&b]).or_default().1 += 1;
                }
                (false, false) => {}
            }
        }
    }
    let f1 = |tp: usize, fp: usize, fn_: usize| {
        if tp == 0 { 0.0 } else { 2.0 * tp as f64 / (2 * tp + fp + fn_) as f64 }
    };
    println!(
        "  batch errors: {missed} missed and {wrong} wrong labelled pairs (F1 {:.3}); by event:",
        f1(true_pos, wrong, missed)
    );
    let mut worst: Vec<(&str, (usize, usize))> = by_event.into_iter().collect();
    worst.sort_by(|x, y| (y.1.0 + y.1.1).cmp(&(x.1.0 + x.1.1)).then(x.0.cmp(y.0)));
    for (e, (own_missed, own_wrong)) in worst.iter().take(5) {
        println!(
            "    {e}: {own_missed} missed, {own_wrong} wrong; F1 if only {e} were exact: {:.3}",
            f1(true_pos + own_missed, wrong - own_wrong, missed - own_missed)
        );
    }
}
