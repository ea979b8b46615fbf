//! Trains a pair model from labelled days, or measures one leave-one-day-out.
//!
//! ```text
//! cargo run --release --example train -- --corpus ../shared/corpus \
//!     --labels A.tsv,B.tsv,... [--out model.json] [--vectors vectors.jsonl]
//!     [--loo yes] [--without feature,feature] [--ablate yes] [--json]
//! cargo run --release --example train -- --corpus ../shared/corpus --texts OUT.jsonl
//! ```
//! Each labels file (`corpus_path<TAB>event`) is one group: pairs are
//! formed inside a group only. The whole corpus (`CORPUS/raw`) is
//! clustered, as the labels README asks.
//!
//! - `--out FILE` writes the model trained on every group.
//! - `--loo yes` trains on all groups but one, chooses the thresholds on
//!   them, and scores the group left out (pairwise and B-cubed F1, and the
//!   share of its events kept whole in one story); then the mean. Also the
//!   in-sample score of the model trained on all groups.
//! - `--curve yes` scores each held-out day at a grid of thresholds (the
//!   mean over days at each, then each day's), to tell a gain from a lucky
//!   threshold; and the mean of each day's best over the grid, a bound no
//!   rule choosing the threshold beforehand reaches.
//! - `--ablate yes` repeats the leave-one-day-out mean without each feature.
//! - `--vectors FILE`: JSON Lines `{"path": corpus_path, "vector": [...]}`
//!   (made by `eval/embed.py`), weighed as the `vector` feature.
//! - `--pairs-out FILE`: every labelled candidate pair's features and the
//!   model's probability, as TSV (`--all-pairs yes`: every candidate pair).
//! - `--texts OUT`: writes `{"path", "text"}` (title and lead) of every
//!   article, for `eval/embed.py`.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use zhdedup::eval::pairwise;
use zhdedup::{
    Article, ArticleId, Clusterer, Feature, Loader, Model, Trainer, TrainingPairs, Vectors,
};

#[path = "common/mod.rs"]
mod common;

fn corpus_path(corpus: &Path, article: &Article) -> String {
    article.source.path.strip_prefix(corpus).unwrap_or(&article.source.path).display().to_string()
}

/// One labelled group: its name and its labels by article id.
struct Group {
    name: String,
    labels: HashMap<ArticleId, String>,
}

fn main() {
    let args = common::Args::parse();
    let corpus = PathBuf::from(args.option("corpus").unwrap_or("../shared/corpus"));
    if !corpus.join("raw").is_dir() {
        common::die(&format!(
            "no corpus at {} (expected a raw/ folder): the shared corpus is not here",
            corpus.display()
        ));
    }
    let start = Instant::now();
    let loaded = Loader::new().load_paths(&[corpus.join("raw")]);
    let articles = &loaded.articles;
    eprintln!("loaded {} articles in {:.1} s", articles.len(), start.elapsed().as_secs_f64());
    if let Some(out) = args.option("texts") {
        write_texts(&corpus, articles, Path::new(out));
        return;
    }
    let by_path: HashMap<String, ArticleId> =
        articles.iter().map(|a| (corpus_path(&corpus, a), a.id)).collect();
    let label_files: Vec<&str> =
        args.option("labels").map(|l| l.split(',').collect()).unwrap_or_default();
    if label_files.is_empty() {
        common::die("--labels A.tsv,B.tsv,... is needed");
    }
    let groups: Vec<Group> = label_files
        .iter()
        .map(|file| {
            let gold = common::read_labels(Path::new(file), "");
            let mut labels = HashMap::new();
            for (path, event) in gold {
                match by_path.get(&path) {
                    Some(id) => {
                        labels.insert(*id, event);
                    }
                    None => eprintln!("warning: {file}: {path} is not in the corpus"),
                }
            }
            let name = Path::new(file).file_stem().map_or(file.to_string(), |s| {
                s.to_string_lossy().trim_start_matches("events-").to_string()
            });
            Group { name, labels }
        })
        .collect();
    let vectors = args.option("vectors").map(|file| read_vectors(Path::new(file), &by_path));
    let mut builder = Clusterer::builder();
    args.configure(&mut builder);
    let clusterer = builder.build().unwrap_or_else(|e| common::die(&e.to_string()));
    let start = Instant::now();
    let pairs = clusterer.training_pairs(articles, vectors.as_ref());
    eprintln!("{} candidate pairs in {:.1} s", pairs.len(), start.elapsed().as_secs_f64());
    let mut trainer = Trainer::new();
    trainer.vectors(vectors.is_some());
    if let Some(list) = args.option("without") {
        let mut used: Vec<Feature> = Feature::ALL.to_vec();
        for name in list.split(',') {
            let f = Feature::from_name(name)
                .unwrap_or_else(|| common::die(&format!("no feature {name}")));
            used.retain(|x| *x != f);
        }
        if vectors.is_none() {
            used.retain(|x| *x != Feature::Vector);
        }
        trainer.features(&used);
    }
    if let Some(out) = args.option("pairs-out") {
        let all_pairs = args.option("all-pairs") == Some("yes");
        // Every labelled pair's features and the model's probability, for
        // reading errors with other tools.
        let model = match args.option("model") {
            Some(_) => clusterer_model(&args),
            None => Model::builtin(),
        };
        let path_of: HashMap<ArticleId, String> =
            by_path.iter().map(|(p, id)| (*id, p.clone())).collect();
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(out).unwrap_or_else(|e| common::die(&format!("{e}"))),
        );
        let names: Vec<&str> = Feature::ALL.iter().map(|f| f.name()).collect();
        writeln!(file, "a\tb\tprobability\t{}", names.join("\t")).ok();
        for (a, b, f) in pairs.iter() {
            let labelled =
                groups.iter().any(|g| g.labels.contains_key(&a) && g.labels.contains_key(&b));
            if labelled || all_pairs {
                let values: Vec<String> = f.0.iter().map(|v| format!("{v:.4}")).collect();
                writeln!(
                    file,
                    "{}\t{}\t{:.4}\t{}",
                    path_of[&a],
                    path_of[&b],
                    model.probability(f),
                    values.join("\t")
                )
                .ok();
            }
        }
    }
    if args.option("loo") == Some("yes") {
        let report = leave_one_out(&trainer, &pairs, &groups, true);
        if args.json_summary {
            println!("{report}");
        }
    }
    if args.option("curve") == Some("yes") {
        // Each held-out day scored at every threshold of a grid by the model
        // trained without it: whether a change helps at any threshold, or
        // only where the training days put it.
        let labels: Vec<HashMap<ArticleId, String>> =
            groups.iter().map(|g| g.labels.clone()).collect();
        let held_out =
            trainer.leave_one_out(&pairs, &labels).unwrap_or_else(|e| common::die(&e.to_string()));
        println!("\nthreshold  mean held-out pairwise F1 (each day's model trained without it)");
        // Each day's best over the grid: the clustered counterpart of
        // `eval/pairlevel.py`'s figure, a bound no threshold rule reaches.
        let mut best = vec![0f64; held_out.len()];
        for t in [0.1f32, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] {
            let scores: Vec<f64> = held_out
                .iter()
                .map(|h| {
                    let model = h.model.with_thresholds(t, t * 0.1).expect("thresholds in range");
                    event_f1(&pairs.partition(&model), &labels[h.group])
                })
                .collect();
            for (b, s) in best.iter_mut().zip(&scores) {
                *b = b.max(*s);
            }
            let mean = scores.iter().sum::<f64>() / held_out.len().max(1) as f64;
            let each: Vec<String> = scores.iter().map(|s| format!("{s:.3}")).collect();
            println!("{t:>9.2}  {mean:.3}   {}", each.join(" "));
        }
        let mean = best.iter().sum::<f64>() / best.len().max(1) as f64;
        let worst = best.iter().copied().fold(f64::INFINITY, f64::min);
        println!("each day at its own best threshold: {mean:.3} (worst {worst:.3})");
    }
    if args.option("ablate") == Some("yes") {
        let base: Vec<Feature> = Feature::ALL
            .into_iter()
            .filter(|f| vectors.is_some() || *f != Feature::Vector)
            .collect();
        println!("\nleave-one-day-out mean without each feature:");
        for &drop in &base {
            let used: Vec<Feature> = base.iter().copied().filter(|f| *f != drop).collect();
            let mut t = trainer.clone();
            t.features(&used);
            let r = leave_one_out(&t, &pairs, &groups, false);
            println!(
                "  without {:<24} pairwise F1 {:.3}  B-cubed {:.3}",
                drop.name(),
                r["mean_pairwise_f1"].as_f64().unwrap_or(0.0),
                r["mean_b_cubed_f1"].as_f64().unwrap_or(0.0)
            );
        }
    }
    if let Some(out) = args.option("out") {
        let all: Vec<HashMap<ArticleId, String>> =
            groups.iter().map(|g| g.labels.clone()).collect();
        let model = trainer.train(&pairs, &all).unwrap_or_else(|e| common::die(&e.to_string()));
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        let provenance = format!(
            "trained by `cargo run --release --example train -- --corpus CORPUS --labels ... --out FILE{}` \
             on the shared evaluation corpus ({} articles, {} candidate pairs) with the labelled days {}; \
             event threshold chosen for the best mean pairwise F1 over those days",
            if vectors.is_some() { " --vectors FILE" } else { "" },
            articles.len(),
            pairs.len(),
            names.join(", ")
        );
        let model = model.with_provenance(provenance);
        std::fs::write(out, model.to_json() + "\n")
            .unwrap_or_else(|e| common::die(&format!("cannot write {out}: {e}")));
        eprintln!("wrote {out}");
    }
}

/// Pairwise F1 of the events of `partition` over `gold`'s articles.
fn event_f1(
    partition: &HashMap<ArticleId, (usize, usize)>,
    gold: &HashMap<ArticleId, String>,
) -> f64 {
    let events: HashMap<ArticleId, usize> =
        gold.keys().filter_map(|id| Some((*id, partition.get(id)?.0))).collect();
    pairwise(&events, gold).f1
}

/// The best pair-level F1 any threshold on the model's probability reaches
/// over a group's labelled pairs (non-candidates count as missed): how well
/// the model ranks pairs, before clustering.
fn pair_level_f1(pairs: &TrainingPairs, model: &Model, gold: &HashMap<ArticleId, String>) -> f64 {
    let mut size: HashMap<&str, usize> = HashMap::new();
    for e in gold.values() {
        *size.entry(e).or_default() += 1;
    }
    let positives: usize = size.values().map(|n| n * (n - 1) / 2).sum();
    let mut scored: Vec<(f32, bool)> = pairs
        .iter()
        .filter_map(|(a, b, f)| Some((model.probability(f), gold.get(&a)? == gold.get(&b)?)))
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (mut hits, mut best) = (0usize, 0.0f64);
    for (i, &(_, same)) in scored.iter().enumerate() {
        hits += usize::from(same);
        let f1 = 2.0 * hits as f64 / ((i + 1) + positives) as f64;
        best = best.max(f1);
    }
    best
}

/// Trains on all groups but one and scores the one left out, for each;
/// prints a table when `print`. Returns the figures as JSON.
fn leave_one_out(
    trainer: &Trainer,
    pairs: &TrainingPairs,
    groups: &[Group],
    print: bool,
) -> serde_json::Value {
    let labels: Vec<HashMap<ArticleId, String>> = groups.iter().map(|g| g.labels.clone()).collect();
    let held_out =
        trainer.leave_one_out(pairs, &labels).unwrap_or_else(|e| common::die(&e.to_string()));
    if print {
        println!(
            "{:<12} {:>8} {:>8} {:>8} {:>8} {:>11} {:>11} {:>8}",
            "held out", "P", "F1", "B3 F1", "event t", "whole in st", "story rec", "pair F1"
        );
    }
    let mut rows = Vec::new();
    for h in &held_out {
        let held = &groups[h.group];
        if print {
            println!(
                "{:<12} {:>8.3} {:>8.3} {:>8.3} {:>8.2} {:>11.3} {:>11.3} {:>8.3}",
                held.name,
                h.pairwise.precision,
                h.pairwise.f1,
                h.b_cubed.f1,
                h.model.event_threshold(),
                h.events_whole_in_story,
                h.stories.recall,
                pair_level_f1(pairs, &h.model, &held.labels)
            );
        }
        rows.push(serde_json::json!({"day": held.name, "pairwise_f1": h.pairwise.f1,
            "b_cubed_f1": h.b_cubed.f1, "events_whole_in_story": h.events_whole_in_story,
            "story_pairwise_recall": h.stories.recall,
            "event_threshold": h.model.event_threshold(),
            "story_threshold": h.model.story_threshold()}));
    }
    let n = held_out.len().max(1) as f64;
    let mean = |f: fn(&zhdedup::HeldOut) -> f64| held_out.iter().map(f).sum::<f64>() / n;
    let worst = held_out.iter().map(|h| h.pairwise.f1).fold(f64::MAX, f64::min);
    let model = trainer.train(pairs, &labels).unwrap_or_else(|e| common::die(&e.to_string()));
    let partition = pairs.partition(&model);
    let in_sample_mean = labels.iter().map(|gold| event_f1(&partition, gold)).sum::<f64>() / n;
    let (mean_f1, mean_bc) = (mean(|h| h.pairwise.f1), mean(|h| h.b_cubed.f1));
    if print {
        println!(
            "mean held-out pairwise F1 {mean_f1:.3} (worst {worst:.3}), B-cubed {mean_bc:.3}; \
             in-sample (trained on all) {in_sample_mean:.3}"
        );
        println!("model trained on all: {model}");
    }
    serde_json::json!({"days": rows, "mean_pairwise_f1": mean_f1, "worst_pairwise_f1": worst,
        "mean_b_cubed_f1": mean_bc, "in_sample_mean_pairwise_f1": in_sample_mean})
}

/// The model `--model FILE` names.
fn clusterer_model(args: &common::Args) -> Model {
    let mut builder = Clusterer::builder();
    args.configure(&mut builder);
    let path = args.option("model").unwrap_or_default();
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| common::die(&format!("{path}: {e}")));
    Model::from_json(&text).unwrap_or_else(|e| common::die(&format!("{path}: {e}")))
}

/// Title and lead of every article, one JSON object a line.
fn write_texts(corpus: &Path, articles: &[Article], out: &Path) {
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(out).unwrap_or_else(|e| common::die(&format!("{e}"))),
    );
    for a in articles {
        let mut lead = String::new();
        for p in &a.paragraphs {
            if lead.chars().count() >= 240 {
                break;
            }
            lead.push_str(p);
            lead.push('\n');
        }
        let lead: String = lead.chars().take(240).collect();
        let line =
            serde_json::json!({"path": corpus_path(corpus, a), "title": a.title, "lead": lead});
        writeln!(file, "{line}").unwrap_or_else(|e| common::die(&format!("{e}")));
    }
}

/// Vectors by corpus path, from JSON Lines.
fn read_vectors(path: &Path, by_path: &HashMap<String, ArticleId>) -> Vectors {
    let file = std::fs::File::open(path)
        .unwrap_or_else(|e| common::die(&format!("cannot read {}: {e}", path.display())));
    let mut vectors = Vectors::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.unwrap_or_else(|e| common::die(&format!("{e}")));
        let record: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| common::die(&format!("{}:{}: {e}", path.display(), n + 1)));
        let (Some(p), Some(v)) = (record["path"].as_str(), record["vector"].as_array()) else {
            common::die(&format!("{}:{}: needs path and vector", path.display(), n + 1));
        };
        let v: Vec<f32> = v.iter().map(|x| x.as_f64().unwrap_or(f64::NAN) as f32).collect();
        if let Some(id) = by_path.get(p) {
            vectors
                .insert(*id, &v)
                .unwrap_or_else(|e| common::die(&format!("{}:{}: {e}", path.display(), n + 1)));
        }
    }
    eprintln!("{} vectors from {}", vectors.len(), path.display());
    vectors
}
