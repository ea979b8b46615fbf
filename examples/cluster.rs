//! Clusters article files into events and prints each event with more than
//! one article, with the evidence of its strongest link: the library's API
//! end to end in one page. The `zhdedup` command (`zhdedup cluster`,
//! `zhdedup report`) is the full tool.
//!
//! ```text
//! cargo run --release --example cluster -- [PATH...]
//! ```
//! With no path, clusters the built-in sample.

use std::collections::HashMap;

use zhdedup::{Clusterer, Link, Loader};

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        paths.push(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample").into());
    }
    let loaded = Loader::new().load_paths(&paths);
    for failure in &loaded.failures {
        eprintln!("failed: {failure}"); // names the file and the reason
    }
    // Articles of one loader have distinct ids, so this cannot fail.
    let clustering = Clusterer::new().cluster(&loaded.articles).expect("distinct ids");
    // The best link inside each cluster (a link may also join two articles
    // that ended in different clusters).
    let cluster_of = clustering.cluster_index();
    let mut best: HashMap<usize, &Link> = HashMap::new();
    for link in &clustering.links {
        let cluster = cluster_of[&link.a];
        if cluster_of[&link.b] == cluster {
            let slot = best.entry(cluster).or_insert(link);
            if link.score > slot.score {
                *slot = link;
            }
        }
    }
    for (index, cluster) in clustering.clusters.iter().enumerate().filter(|(_, c)| c.len() > 1) {
        println!("event of {} articles:", cluster.len());
        for id in cluster {
            let article = &loaded.articles[id.0 as usize];
            let outlet = article.outlet.as_deref().unwrap_or("-");
            println!("  {outlet:<12} {}", article.title);
        }
        if let Some(link) = best.get(&index) {
            let e = &link.evidence;
            let shared: Vec<String> = e.shared_terms.iter().map(ToString::to_string).collect();
            println!(
                "  best link {:.2}: title words {:.2}, paragraphs {:.2}, shared {}",
                link.score,
                e.title_words,
                e.coverage,
                shared.join(" ")
            );
        }
    }
}
