//! Any bytes, under any file name the loader dispatches on and any limits,
//! give articles or a typed error, never a panic; an article always has a
//! title or a paragraph.
#![no_main]

use std::path::Path;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zhdedup::Loader;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Picks the name, and so the format the loader tries first.
    name: u8,
    max_file_bytes: u16,
    max_html_depth: u8,
    bytes: &'a [u8],
}

const NAMES: [&str; 6] = ["a.md", "a.jsonl", "a.txt", "a.html", "a.xml", "a"];

fuzz_target!(|input: Input<'_>| {
    let mut builder = Loader::builder();
    builder
        .max_file_bytes(u64::from(input.max_file_bytes))
        .max_html_depth(usize::from(input.max_html_depth));
    // Zero limits are refused by `build`, with an error: also not a panic.
    let Ok(loader) = builder.build() else { return };
    let name = NAMES[usize::from(input.name) % NAMES.len()];
    if let Ok(articles) = loader.parse_bytes(Path::new(name), input.bytes) {
        for article in &articles {
            assert!(!article.title.is_empty() || !article.paragraphs.is_empty());
        }
    }
});
