//! Clusters article files into events and prints each event with more than
//! one article, with the evidence of its strongest link: the library's API
//! end to end in one page. The `zhdedup` command (`zhdedup cluster`,
//! `zhdedup report`) is the full tool.
//!
//! ```text
//! cargo run --release --example cluster -- [PATH...]
//! ```
//! With no path, clusters the built-in sample.

use zhdedup::{Clusterer, Loader};

fn main() {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        paths.push(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample").into());
    }
    let loaded = Loader::new().load_paths(&paths);
    for failure in &loaded.failures {
        eprintln!("failed: {failure}"); // names the file and the reason
    }
    let clustering = Clusterer::new().cluster(&loaded.articles);
    for cluster in clustering.clusters.iter().filter(|c| c.len() > 1) {
        println!("event of {} articles:", cluster.len());
        for id in cluster {
            let article = &loaded.articles[id.0 as usize];
            let outlet = article.outlet.as_deref().unwrap_or("-");
            println!("  {outlet:<12} {}", article.title);
        }
        // Links are sorted by `a`: look for the best one inside this cluster.
        let best = clustering
            .links
            .iter()
            .filter(|l| cluster.contains(&l.a) && cluster.contains(&l.b))
            .max_by(|x, y| x.score.total_cmp(&y.score));
        if let Some(link) = best {
            let e = &link.evidence;
            println!(
                "  best link {:.2}: title {:.2}, paragraphs {:.2}, shared {:?}",
                link.score, e.title_similarity, e.coverage, e.shared_terms
            );
        }
    }
}
