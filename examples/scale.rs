//! Clusters a synthetic archive made by the `synth` example and reports
//! time, throughput, peak memory and quality against its ground truth.
//!
//! ```text
//! cargo run --release --example scale -- DIR [--threads N] [--json] [--stream yes]
//! ```
//! `DIR` is what `synth --out DIR` wrote: `archive/` and `truth.tsv`.
//! With `--stream yes` the archive is also added to a `Stream` one article at
//! a time in publish-time order, after the batch (the baseline of the same
//! run), and both are reported (in the text summary only).
//! Peak memory is the process's high-water mark (`VmHWM` in
//! `/proc/self/status`; Linux only, shown as unknown elsewhere).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use zhdedup::eval::{b_cubed, pairwise};

#[path = "common/mod.rs"]
mod common;

/// The peak resident memory of this process so far, in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args = common::Args::parse();
    let dir: PathBuf =
        args.paths.first().cloned().unwrap_or_else(|| common::die("give the synthetic folder"));
    let gold = common::read_labels(&dir.join("truth.tsv"), " (make one with `synth`)");

    let start = Instant::now();
    let archive = dir.join("archive");
    let loaded = args.loader().load_paths(&[&archive]);
    let read_seconds = start.elapsed().as_secs_f64();
    let read_peak = peak_mib();
    let clusterer = args.clusterer();
    let clustering = clusterer.cluster(&loaded.articles).unwrap();
    let total_seconds = start.elapsed().as_secs_f64();
    // Each article's key in the truth, `file:line`.
    let keys: Vec<Option<String>> = loaded
        .articles
        .iter()
        .map(|a| {
            let name = a.source.path.strip_prefix(&archive).ok()?.display().to_string();
            Some(format!("{name}:{}", a.source.line?))
        })
        .collect();
    let by_key = |labels: &[usize]| -> HashMap<String, usize> {
        keys.iter().zip(labels).filter_map(|(k, &l)| Some((k.clone()?, l))).collect()
    };
    let stream_line = (args.option("stream") == Some("yes")).then(|| {
        let stream_start = Instant::now();
        let (labels, regrouped) = common::stream_in_time_order(&clusterer, &loaded.articles);
        let stream_seconds = stream_start.elapsed().as_secs_f64();
        let pair = pairwise(&by_key(&labels), &gold);
        format!(
            "stream: {stream_seconds:.1} s one thread after reading ({:.2}x the batch's {:.1} s), \
             {regrouped} regroupings, pairwise F1 {:.3} (P {:.3} R {:.3})",
            stream_seconds / (total_seconds - read_seconds),
            total_seconds - read_seconds,
            pair.f1,
            pair.precision,
            pair.recall
        )
    });

    let cluster_of = clustering.cluster_index();
    let batch_labels: Vec<usize> = loaded.articles.iter().map(|a| cluster_of[&a.id]).collect();
    let predicted = by_key(&batch_labels);
    let missing = gold.keys().filter(|k| !predicted.contains_key(*k)).count();
    let pair = pairwise(&predicted, &gold);
    let b3 = b_cubed(&predicted, &gold);
    let mb = loaded.bytes as f64 / 1e6;
    let peak = peak_mib();
    let shown = |m: Option<f64>| m.map_or("unknown".to_string(), |m| format!("{m:.0} MiB"));
    if args.json_summary {
        println!(
            "{}",
            serde_json::json!({
                "articles": loaded.articles.len(), "failed": loaded.failures.len(),
                "missing_from_output": missing, "megabytes": mb,
                "read_seconds": read_seconds, "total_seconds": total_seconds,
                "peak_mib_after_read": read_peak, "peak_mib": peak,
                "candidates": clustering.candidates, "links": clustering.links.len(),
                "clusters": clustering.clusters.len(),
                "pairwise": pair, "b_cubed": b3,
            })
        );
        return;
    }
    println!(
        "{} articles ({:.0} MB) in {} files, {} failed, {missing} labelled articles not in the output",
        loaded.articles.len(),
        mb,
        loaded.files,
        loaded.failures.len()
    );
    println!(
        "read {read_seconds:.1} s, total {total_seconds:.1} s ({:.1} MB/s); peak memory {} after reading, {} in all",
        mb / total_seconds,
        shown(read_peak),
        shown(peak)
    );
    println!(
        "{} candidate pairs, {} links, {} clusters",
        clustering.candidates,
        clustering.links.len(),
        clustering.clusters.len()
    );
    println!(
        "pairwise P {:.3} R {:.3} F1 {:.3}; B-cubed P {:.3} R {:.3} F1 {:.3}",
        pair.precision, pair.recall, pair.f1, b3.precision, b3.recall, b3.f1
    );
    if let Some(line) = stream_line {
        println!("{line}");
    }
}
