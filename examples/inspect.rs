//! Prints one article as JSON (for a file) or a summary (for a folder or
//! several paths).
//!
//! ```text
//! cargo run --release --example inspect -- PATH... [--json] [--threads N] [--dump paragraphs]
//! ```
//! With no path, inspects the built-in sample.

use std::collections::BTreeMap;
use std::time::Instant;

use zhdedup::Loader;

#[path = "common/mod.rs"]
mod common;

fn main() {
    let args = common::Args::parse();
    let paths = args.paths_or_sample();
    let mut builder = Loader::builder();
    builder.threads(args.threads);
    let loader = match builder.build() {
        Ok(loader) => loader,
        Err(err) => common::die(&err.to_string()),
    };
    if paths.len() == 1 && paths[0].is_file() && !args.json_summary {
        match loader.load_paths(&paths) {
            loaded if loaded.failures.is_empty() => {
                for article in &loaded.articles {
                    println!("{}", serde_json::to_string_pretty(article).unwrap_or_default());
                }
            }
            loaded => {
                for failure in &loaded.failures {
                    eprintln!("{failure}");
                }
                std::process::exit(1);
            }
        }
        return;
    }
    let start = Instant::now();
    let loaded = loader.load_paths(&paths);
    if args.rest.iter().any(|(k, v)| k == "dump" && v == "paragraphs") {
        // One paragraph a line (for measurements with other tools).
        for article in &loaded.articles {
            for paragraph in &article.paragraphs {
                println!("{}", paragraph.replace(['\n', '\r'], " "));
            }
        }
        return;
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in &loaded.failures {
        *by_reason.entry(failure.reason()).or_default() += 1;
    }
    let count = |key: &dyn Fn(&zhdedup::Article) -> String| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for article in &loaded.articles {
            *counts.entry(key(article)).or_default() += 1;
        }
        counts
    };
    let formats = count(&|a| format!("{:?}", a.format));
    let scripts = count(&|a| format!("{:?}", a.script));
    let outlets = count(&|a| a.outlet.clone().unwrap_or_else(|| "-".into()));
    let megabytes = loaded.bytes as f64 / 1e6;
    let summary = serde_json::json!({
        "files": loaded.files,
        "articles": loaded.articles.len(),
        "failed": loaded.failures.len(),
        "failures_by_reason": by_reason,
        "formats": formats,
        "scripts": scripts,
        "outlets": outlets,
        "bytes": loaded.bytes,
        "seconds": seconds,
        "mb_per_s": megabytes / seconds.max(1e-9),
        "threads": args.threads,
    });
    if args.json_summary {
        println!("{summary}");
        return;
    }
    println!("files      {}", loaded.files);
    println!("articles   {}", loaded.articles.len());
    println!("failed     {}", loaded.failures.len());
    for (reason, n) in &by_reason {
        println!("  {reason:<18} {n}");
    }
    for (name, table) in [("format", &formats), ("script", &scripts), ("outlet", &outlets)] {
        println!("by {name}:");
        for (key, n) in table {
            println!("  {key:<24} {n}");
        }
    }
    println!(
        "read {:.1} MB in {:.2} s: {:.1} MB/s",
        megabytes,
        seconds,
        megabytes / seconds.max(1e-9)
    );
    for failure in loaded.failures.iter().take(20) {
        eprintln!("failed: {failure}");
    }
}
