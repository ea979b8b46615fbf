//! `zhdedup cluster`: article files to events, as tsv, json, jsonl or html.

use std::io::Write;
use std::time::Instant;

use serde_json::{Value, json};
use zhdedup::{Clustering, Link, Loaded};

use crate::common::{Global, Inputs, Tuning, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome, html};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path<TAB>cluster` for every input (a JSON Lines record as
    /// `path:line`; a failed input gets cluster `-`).
    Tsv,
    /// One document: clusters with their articles and links, and failures.
    Json,
    /// One cluster a line (its articles and links), for streaming readers.
    Jsonl,
    /// A self-contained report to open in a browser.
    Html,
}

/// Options of `zhdedup cluster`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Tsv)]
    pub format: Format,
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub tuning: Tuning,
}

/// A finished clustering with what it was made from.
pub struct Run<'a> {
    /// The inputs, for naming paths.
    pub inputs: &'a Inputs,
    /// What was read.
    pub loaded: &'a Loaded,
    /// The clusters and links.
    pub clustering: &'a Clustering,
    /// For each cluster (by index), the links between its own articles, in
    /// the library's order.
    pub links_of: Vec<Vec<&'a Link>>,
    /// Seconds from the start to the end of clustering.
    pub seconds: f64,
}

/// Runs `zhdedup cluster`.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let start = Instant::now();
    // Built before reading, so that a bad setting is reported at once.
    let clusterer = args.tuning.clusterer(args.inputs.thread_count(), global)?;
    let loaded = args.inputs.load(global)?;
    let read_seconds = start.elapsed().as_secs_f64();
    let outcome = report_failures(&loaded);
    let clustering = args.tuning.cluster(&clusterer, &loaded, |a| args.inputs.shown_article(a))?;
    let run = Run {
        inputs: &args.inputs,
        links_of: links_by_cluster(&clustering),
        clustering: &clustering,
        loaded: &loaded,
        seconds: start.elapsed().as_secs_f64(),
    };
    args.target.write(|out| match args.format {
        Format::Tsv => write_tsv(&run, out),
        Format::Json => writeln!(out, "{}", to_json(&run)),
        Format::Jsonl => write_jsonl(&run, out),
        Format::Html => html::write(&run, out),
    })?;
    if !global.quiet {
        summary(&run, read_seconds, start);
    }
    Ok(outcome)
}

/// Each link under the cluster holding both its articles, in one pass
/// (filtering every link for every cluster is quadratic in an archive).
fn links_by_cluster(clustering: &Clustering) -> Vec<Vec<&Link>> {
    let cluster_of = clustering.cluster_index();
    let mut links_of: Vec<Vec<&Link>> = vec![Vec::new(); clustering.clusters.len()];
    for link in &clustering.links {
        let cluster = cluster_of[&link.a];
        if cluster_of[&link.b] == cluster {
            links_of[cluster].push(link);
        }
    }
    links_of
}

/// The one-line summary on stderr.
fn summary(run: &Run, read_seconds: f64, start: Instant) {
    let clusters = &run.clustering.clusters;
    eprintln!(
        "{} files, {} articles, {} failed; {} clusters ({} with more than one article), \
         {} links from {} candidate pairs; read {:.2} s, total {:.2} s",
        run.loaded.files,
        run.loaded.articles.len(),
        run.loaded.failures.len(),
        clusters.len(),
        clusters.iter().filter(|c| c.len() > 1).count(),
        run.clustering.links.len(),
        run.clustering.candidates,
        read_seconds,
        start.elapsed().as_secs_f64()
    );
}

fn write_tsv(run: &Run, out: &mut dyn Write) -> std::io::Result<()> {
    let cluster_of = run.clustering.cluster_index();
    let mut rows: Vec<(String, String)> = run
        .loaded
        .articles
        .iter()
        .map(|a| (run.inputs.shown_article(a), cluster_of[&a.id].to_string()))
        .collect();
    for failure in &run.loaded.failures {
        let mut path = failure.path().map(|p| run.inputs.shown(p)).unwrap_or_default();
        if let Some(line) = failure.line() {
            path = format!("{path}:{line}");
        }
        rows.push((path, "-".into()));
    }
    rows.sort();
    writeln!(out, "path\tcluster")?;
    rows.iter().try_for_each(|(path, cluster)| writeln!(out, "{path}\t{cluster}"))
}

/// One cluster: its articles and links.
fn cluster_json(run: &Run, index: usize) -> Value {
    let articles: Vec<Value> = run.clustering.clusters[index]
        .iter()
        .map(|id| {
            let a = &run.loaded.articles[id.0 as usize];
            json!({
                "id": id.0, "path": run.inputs.shown(&a.source.path), "line": a.source.line,
                "outlet": a.outlet, "title": a.title,
                "published_ms": a.published.map(|p| p.utc_ms),
            })
        })
        .collect();
    json!({ "articles": articles, "links": run.links_of[index] })
}

/// Every failed input: path, line, reason code and message.
pub fn failures_json(run: &Run) -> Vec<Value> {
    run.loaded
        .failures
        .iter()
        .map(|f| {
            json!({
                "path": f.path().map(|p| run.inputs.shown(p)), "line": f.line(),
                "reason": f.reason(), "message": f.to_string(),
            })
        })
        .collect()
}

/// The `json` format: clusters in the library's order, then failures.
pub fn to_json(run: &Run) -> Value {
    let clusters: Vec<Value> =
        (0..run.clustering.clusters.len()).map(|i| cluster_json(run, i)).collect();
    json!({ "clusters": clusters, "failures": failures_json(run) })
}

fn write_jsonl(run: &Run, out: &mut dyn Write) -> std::io::Result<()> {
    (0..run.clustering.clusters.len()).try_for_each(|i| writeln!(out, "{}", cluster_json(run, i)))
}
