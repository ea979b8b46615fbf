//! Normalize stage: `fold` and `t2s` against the pure-Rust alternatives, in
//! one run. Input: every paragraph of the shared corpus when `../shared` is
//! present (first 8 MB), else the built-in sample repeated to 8 MB.
//!
//! ```text
//! cargo bench --bench normalize
//! ```

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhdedup::{Loader, Normalizer};

const INPUT_BYTES: usize = 8 * 1024 * 1024;

fn input() -> (String, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/raw");
    let (dir, name) = if corpus.is_dir() {
        (corpus, "corpus")
    } else {
        (root.join("tests/fixtures/sample"), "sample")
    };
    let loaded = Loader::new().load_paths(&[dir]);
    let mut text = String::new();
    'fill: loop {
        for article in &loaded.articles {
            for paragraph in &article.paragraphs {
                text.push_str(paragraph);
                text.push('\n');
                if text.len() >= INPUT_BYTES {
                    break 'fill;
                }
            }
        }
        if loaded.articles.is_empty() {
            break;
        }
    }
    (text, name)
}

fn normalize(c: &mut Criterion) {
    let (text, name) = input();
    let lines: Vec<&str> = text.lines().collect();
    let normalizer = Normalizer::new();
    let ferrous = ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        .expect("ferrous-opencc builds");
    let mut group = c.benchmark_group(format!("normalize/{name}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("zhdedup fold", |b| {
        b.iter(|| lines.iter().map(|l| normalizer.fold(black_box(l)).len()).sum::<usize>())
    });
    group.bench_function("zhdedup t2s", |b| {
        b.iter(|| lines.iter().map(|l| normalizer.t2s(black_box(l)).len()).sum::<usize>())
    });
    group.bench_function("zhconv zh-Hans (MediaWiki tables, GPL)", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| zhconv::zhconv(black_box(l), zhconv::Variant::ZhHans).len())
                .sum::<usize>()
        })
    });
    group.bench_function("ferrous-opencc t2s", |b| {
        b.iter(|| lines.iter().map(|l| ferrous.convert(black_box(l)).len()).sum::<usize>())
    });
    #[cfg(feature = "opencc")]
    {
        let cpp = zhdedup::OpenccConverter::new("t2s.json").expect("C++ OpenCC loads");
        group.bench_function("C++ OpenCC 1.1.6 t2s (opencc-rust)", |b| {
            b.iter(|| lines.iter().map(|l| cpp.convert(black_box(l)).len()).sum::<usize>())
        });
    }
    group.finish();
}

criterion_group!(benches, normalize);
criterion_main!(benches);
