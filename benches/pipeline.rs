//! One group per stage after normalize: ingest, fingerprint (against the
//! `simhash` crate), index build and query, clustering, and the whole
//! pipeline at 1 and 2 threads. Input: one day of the shared corpus
//! (`jekyll/2020-07-22`, ~450 files) when `../shared` is present, else the
//! built-in sample. `ingest/hostile` times the refusal of hostile files
//! (deep nesting, a YAML alias bomb) at two sizes, to show that it grows
//! linearly with the input.
//!
//! ```text
//! cargo bench --bench pipeline
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zhdedup::{
    Clusterer, Fingerprint, HammingIndex, Loader, Normalizer, feature_hash, for_each_feature,
    simhash,
};

fn input() -> (PathBuf, &'static str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let day = root.join("../shared/corpus/raw/zhouxiang93123_waimei/jekyll/2020-07-22");
    if day.is_dir() { (day, "corpus-day") } else { (root.join("tests/fixtures/sample"), "sample") }
}

fn stages(c: &mut Criterion) {
    let (dir, name) = input();
    let loaded = Loader::new().load_paths(&[&dir]);
    let bytes = loaded.bytes;

    let mut group = c.benchmark_group(format!("ingest/{name}"));
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    for threads in [1, 2] {
        let mut builder = Loader::builder();
        builder.threads(threads);
        let loader = builder.build().expect("valid");
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| loader.load_paths(&[black_box(&dir)]).articles.len())
        });
    }
    group.finish();

    let normalizer = Normalizer::new();
    let paragraphs: Vec<String> = loaded
        .articles
        .iter()
        .flat_map(|a| a.paragraphs.iter().map(|p| normalizer.fold(p).into_owned()))
        .collect();
    let text_bytes: usize = paragraphs.iter().map(String::len).sum();
    let mut group = c.benchmark_group(format!("fingerprint/{name}"));
    group.throughput(Throughput::Bytes(text_bytes as u64));
    group.bench_function("zhdedup 3-gram simhash", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .map(|p| {
                    let mut features = Vec::new();
                    for_each_feature(black_box(p), 3, |f| features.push((feature_hash(f), 1.0)));
                    simhash(features).0
                })
                .fold(0u64, |acc, f| acc ^ f)
        })
    });
    group.bench_function("zhdedup features only (segmentation + xxh3)", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in &paragraphs {
                for_each_feature(black_box(p), 3, |f| acc ^= feature_hash(f));
            }
            acc
        })
    });
    group.bench_function("simhash crate (baseline)", |b| {
        b.iter(|| paragraphs.iter().map(|p| simhash::simhash(black_box(p))).fold(0, |a, f| a ^ f))
    });
    group.finish();

    // Index: the paragraph fingerprints, repeated with bit flips up to 100k.
    let mut fingerprints: Vec<Fingerprint> =
        paragraphs.iter().map(|p| Fingerprint(simhash::simhash(p))).collect();
    let base = fingerprints.clone();
    let mut flip = 1u64;
    while fingerprints.len() < 100_000 && !base.is_empty() {
        for f in &base {
            flip = flip.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
            fingerprints.push(Fingerprint(f.0 ^ (flip & flip.rotate_left(13))));
        }
    }
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.bench_function(format!("build {} fingerprints, k=3", fingerprints.len()), |b| {
        b.iter(|| HammingIndex::from_fingerprints(3, black_box(&fingerprints)).expect("k=3").len())
    });
    let index = HammingIndex::from_fingerprints(3, &fingerprints).expect("k=3");
    group.bench_function("query 1000, k=3", |b| {
        b.iter(|| fingerprints.iter().take(1000).map(|&f| index.query(f).len()).sum::<usize>())
    });
    group.bench_function("brute-force scan 1000 (baseline)", |b| {
        b.iter(|| {
            fingerprints
                .iter()
                .take(1000)
                .map(|&q| fingerprints.iter().filter(|f| f.hamming_distance(q) <= 3).count())
                .sum::<usize>()
        })
    });
    // The distance test alone, over 100 queries x every fingerprint: the
    // library's `is_within` (clears the lowest set bit k times) against
    // `count_ones() <= k`, which without POPCNT in the target (the default
    // x86-64 target) is a bit-twiddling sequence.
    let queries: Vec<Fingerprint> = fingerprints.iter().step_by(997).take(100).copied().collect();
    group.throughput(Throughput::Elements((queries.len() * fingerprints.len()) as u64));
    group.bench_function("distance test k=3: count_ones (baseline)", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|&q| {
                    fingerprints.iter().filter(|f| f.hamming_distance(black_box(q)) <= 3).count()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("distance test k=3: is_within", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|&q| fingerprints.iter().filter(|f| f.is_within(black_box(q), 3)).count())
                .sum::<usize>()
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("cluster/{name}"));
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    for threads in [1, 2] {
        let mut builder = Clusterer::builder();
        builder.threads(threads);
        let clusterer = builder.build().expect("valid");
        group.bench_function(format!("cluster only, {threads} thread(s)"), |b| {
            b.iter(|| clusterer.cluster(black_box(&loaded.articles)).unwrap().clusters.len())
        });
        let mut loader = Loader::builder();
        loader.threads(threads);
        let loader = loader.build().expect("valid");
        group.bench_function(format!("files to clusters, {threads} thread(s)"), |b| {
            b.iter(|| {
                let articles = loader.load_paths(&[black_box(&dir)]).articles;
                clusterer.cluster(&articles).unwrap().clusters.len()
            })
        });
    }
    group.finish();
}

/// Hostile files are refused, not parsed: the time to refuse one should
/// double, not quadruple, when the input doubles.
fn hostile(c: &mut Criterion) {
    let loader = Loader::new();
    let mut group = c.benchmark_group("ingest/hostile");
    group.sample_size(10);
    for divs in [50_000, 100_000] {
        let deep = format!("<!--1-->\n[t](https://x.example)\n------\n{}", "<div>".repeat(divs));
        group.throughput(Throughput::Bytes(deep.len() as u64));
        group.bench_function(format!("nesting, {divs} open divs"), |b| {
            b.iter(|| loader.parse_bytes(Path::new("deep.md"), black_box(deep.as_bytes())).is_err())
        });
    }
    for levels in [10, 20] {
        // Each level names the one before nine times: expanded, 9^levels nodes.
        let mut bomb = String::from("---\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n");
        for level in 1..=levels {
            let before = level - 1;
            let refs = vec![format!("*l{before}"); 9].join(", ");
            bomb.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        bomb.push_str("---\n<p>x</p>");
        group.throughput(Throughput::Bytes(bomb.len() as u64));
        group.bench_function(format!("YAML aliases, {levels} levels"), |b| {
            b.iter(|| loader.parse_bytes(Path::new("bomb.md"), black_box(bomb.as_bytes())).is_err())
        });
    }
    group.finish();
}

criterion_group!(benches, stages, hostile);
criterion_main!(benches);
