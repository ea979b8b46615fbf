//! Prints what the loader made of each input: one article as JSON a
//! record (title, outlet, time, script, paragraphs, what boilerplate was
//! removed). `zhdedup inspect` also summarises folders.
//!
//! ```text
//! cargo run --release --example inspect -- PATH...
//! ```

use zhdedup::Loader;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let loaded = Loader::new().load_paths(&paths);
    for article in &loaded.articles {
        match serde_json::to_string_pretty(article) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("cannot print {}: {e}", article.source.path.display()),
        }
    }
    for failure in &loaded.failures {
        eprintln!("failed: {failure}");
    }
    if !loaded.failures.is_empty() {
        std::process::exit(1);
    }
}
