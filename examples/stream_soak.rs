//! Feeds a stream every article of PATH in publish-time order, expiring what
//! is older than the window as it goes, and prints the articles held and the
//! process's resident memory every `--every` arrivals: the memory of a
//! long-running stream should stay flat once the window is full.
//!
//! ```text
//! cargo run --release --example stream_soak -- PATH [--every 1000] [--expire no]
//! ```
//! Linux only for the memory column (it reads `/proc/self/status`).

use zhdedup::{Clusterer, Loader};

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map(String::as_str)
    };
    let every: usize = option("--every").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let expire = option("--expire") != Some("no");
    let Some(path) = args.first().filter(|p| !p.starts_with("--")) else {
        eprintln!("usage: stream_soak PATH [--every N] [--expire no]");
        std::process::exit(2);
    };
    let mut articles = Loader::new().load_paths(&[path]).articles;
    // Time order, undated last; the text is dropped once read, as a
    // service would drop each item after placing it.
    articles.retain(|a| a.published.is_some());
    articles.sort_by_key(|a| (a.published.map(|p| p.utc_ms), a.id));
    let window_ms = 48 * 3_600_000;
    let mut stream = Clusterer::new().stream();
    println!("{:>9} {:>7} {:>9}", "added", "held", "RSS MiB");
    let start_rss = rss_mib();
    for (n, article) in articles.iter().enumerate() {
        stream.add(article);
        // Every 100 arrivals: expiry rebuilds the index, linear in the
        // articles held.
        if expire
            && n % 100 == 99
            && let Some(p) = article.published
        {
            stream.expire_before(p.utc_ms.saturating_sub(window_ms));
        }
        if (n + 1) % every == 0 {
            println!("{:>9} {:>7} {:>9.1}", n + 1, stream.len(), rss_mib());
        }
    }
    println!(
        "{} articles added, {} held at the end; RSS {:.1} MiB before the stream (articles loaded)",
        articles.len(),
        stream.len(),
        start_rss
    );
}
