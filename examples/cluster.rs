//! Clusters article files into events.
//!
//! ```text
//! cargo run --release --example cluster -- PATH... [--format tsv|json] [--threads N]
//!     [--threshold SCORE] [--gap HOURS] [--link-share S] [--content-weight W] [--lead CHARS]
//! ```
//! With no path, clusters the built-in sample. On a terminal, a progress bar
//! on stderr shows each stage; a one-line summary ends every run. `tsv`
//! prints `path<TAB>cluster` for every input file (a JSON Lines record as
//! `path:line`); a file that failed gets cluster `-` and its reason on
//! stderr. `json` adds titles, times and the evidence of every link.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

#[path = "common/mod.rs"]
mod common;

fn main() {
    let args = common::Args::parse();
    let paths = args.paths_or_sample();
    let start = Instant::now();
    let loaded = args.loader().load_paths(&paths);
    let read_seconds = start.elapsed().as_secs_f64();
    let clustering = args.clusterer().cluster(&loaded.articles).unwrap();
    let cluster_of = clustering.cluster_index();

    // Paths are shown relative to the folder they were found under.
    let shown = |path: &Path| -> String {
        for root in &paths {
            if root.is_dir()
                && let Ok(rel) = path.strip_prefix(root)
            {
                return rel.display().to_string();
            }
        }
        path.display().to_string()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut rows: Vec<(String, String)> = Vec::new();
    for article in &loaded.articles {
        let mut path = shown(&article.source.path);
        if let Some(line) = article.source.line {
            path = format!("{path}:{line}");
        }
        rows.push((path, cluster_of[&article.id].to_string()));
    }
    for failure in &loaded.failures {
        eprintln!("failed: {failure}");
        let mut path = failure.path().map(shown).unwrap_or_default();
        if let Some(line) = failure.line() {
            path = format!("{path}:{line}");
        }
        rows.push((path, "-".into()));
    }
    rows.sort();
    let written = if args.format == "json" || args.json_summary {
        // Each link under the cluster holding both its articles, in one pass
        // (filtering every link for every cluster is quadratic in a large
        // archive); links stay in their sorted order.
        let mut links_of: Vec<Vec<&zhdedup::Link>> = vec![Vec::new(); clustering.clusters.len()];
        for link in &clustering.links {
            let cluster = cluster_of[&link.a];
            if cluster_of[&link.b] == cluster {
                links_of[cluster].push(link);
            }
        }
        let clusters: Vec<_> = clustering
            .clusters
            .iter()
            .zip(&links_of)
            .map(|(members, links)| {
                let articles: Vec<_> = members
                    .iter()
                    .map(|id| {
                        let a = &loaded.articles[id.0 as usize];
                        serde_json::json!({
                            "id": id.0, "path": shown(&a.source.path), "line": a.source.line,
                            "outlet": a.outlet, "title": a.title,
                            "published_ms": a.published.map(|p| p.utc_ms),
                        })
                    })
                    .collect();
                serde_json::json!({ "articles": articles, "links": links })
            })
            .collect();
        let failures: Vec<_> = loaded
            .failures
            .iter()
            .map(|f| serde_json::json!({"path": f.path().map(shown), "line": f.line(), "reason": f.reason(), "message": f.to_string()}))
            .collect();
        writeln!(out, "{}", serde_json::json!({ "clusters": clusters, "failures": failures }))
    } else {
        writeln!(out, "path\tcluster").and_then(|_| {
            rows.iter().try_for_each(|(path, cluster)| writeln!(out, "{path}\t{cluster}"))
        })
    };
    if written.and_then(|_| out.flush()).is_err() {
        std::process::exit(1);
    }
    let multi = clustering.clusters.iter().filter(|c| c.len() > 1).count();
    eprintln!(
        "{} files, {} articles, {} failed; {} clusters ({} with more than one article), {} links from {} candidate pairs; read {:.2} s, total {:.2} s",
        loaded.files,
        loaded.articles.len(),
        loaded.failures.len(),
        clustering.clusters.len(),
        multi,
        clustering.links.len(),
        clustering.candidates,
        read_seconds,
        start.elapsed().as_secs_f64()
    );
}
