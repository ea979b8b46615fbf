//! Writes a synthetic news archive with known events, made from a real one.
//!
//! ```text
//! cargo run --release --example synth -- --corpus ../shared/corpus/raw --out DIR \
//!     --articles N [--seed S]
//! ```
//! `DIR/archive` gets JSON Lines shards (`part-00000.jsonl`, 2,000 records
//! each) and `DIR/truth.tsv` the event of every record (`path:line<TAB>event`,
//! the keys the `cluster` example prints for `DIR/archive`), to be scored by
//! the `scale` example.
//!
//! How (DESIGN.md, "Scale", has the reasons):
//! - **Bases**: real articles with a title, a time and at least two
//!   paragraphs. Real reports of one event must not become two synthetic
//!   "distinct" events, so the bases are first clustered aggressively
//!   (single link, threshold 0.12) and one base is kept per cluster.
//! - **Timeline**: synthetic day `d` (from 2030-01-01) takes the bases of
//!   real day `d * stride mod R`, with a stride that puts the real days of
//!   any five consecutive synthetic days at least a week apart; so bases
//!   close in real time never share a time window. A real day comes round
//!   again every `R` synthetic days with its numbers changed (a new round
//!   of the same kind of news, as a market report is).
//! - **Variants**: every event gets 1 to 8 articles (40% singletons). Each
//!   variant after the first may be converted to the other script or a
//!   region (with zhconv's MediaWiki tables, independent of the OpenCC
//!   tables the library folds with), lose paragraphs, have two swapped, be
//!   cut short, have clauses deleted or a phrase added, get another title
//!   (prefix, suffix or only its first clause), a footer (some the rule
//!   table removes, some it does not) and a time up to 12 hours later.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use zhdedup::{Article, ArticleId, Clusterer, Loader, Model, Script};

#[path = "common/mod.rs"]
mod common;

/// SplitMix64: small, fast, and the same stream on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const OUTLETS: [&str; 12] = [
    "中央社",
    "联合早报",
    "法广",
    "德国之声",
    "美国之音",
    "BBC中文",
    "自由亚洲电台",
    "端传媒",
    "星岛日报",
    "明报",
    "大纪元",
    "纽约时报中文网",
];

/// Footers added to some variants: the first three are removed by the
/// rule table, the last two are not (long enough to be fingerprinted, so
/// they test the boilerplate cap at scale).
const FOOTERS: [&str; 5] = [
    "责任编辑：李明",
    "© 2030 本网版权所有",
    "（完）",
    "欢迎下载本台手机应用程序，随时随地收听收看最新国际新闻与深度报道节目",
    "歡迎訂閱本報電子報，每日早晚兩次為您送上最重要的兩岸國際新聞與評論",
];

const LEAD_INS: [&str; 4] = ["据报道，", "綜合外電報導，", "消息人士称，", "另据了解，"];
const TITLE_PREFIXES: [&str; 4] = ["快讯：", "更新：", "（國際）", "【独家】"];

/// The real articles that may become events, at most one per cluster of an
/// aggressive clustering (see the module docs), grouped by real UTC day.
fn bases(mut articles: Vec<Article>) -> Vec<Vec<Article>> {
    articles.retain(|a| {
        matches!(a.script, Script::Simplified | Script::Traditional)
            && !a.title.is_empty()
            && a.published.is_some()
            && a.paragraphs.len() >= 2
            && (200..20_000).contains(&a.text_chars())
    });
    // Ids become positions among the eligible articles.
    for (i, article) in articles.iter_mut().enumerate() {
        article.id = ArticleId(i as u32);
    }
    // Aggressive: stories at a low mean probability, one article each.
    let base = Model::builtin();
    let model = base.with_thresholds(base.event_threshold(), 0.05).expect("thresholds in range");
    let mut builder = Clusterer::builder();
    builder.model(model);
    let clustering = builder.build().expect("valid settings").cluster(&articles).unwrap();
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    let mut by_day: BTreeMap<i64, Vec<Article>> = BTreeMap::new();
    for story in &clustering.stories {
        // Each story's smallest id is its own: every slot is taken once.
        let first = story.iter().map(|&c| clustering.clusters[c][0]).min();
        let Some(article) = first.and_then(|id| slots[id.0 as usize].take()) else { continue };
        let day = article.published.map_or(0, |p| p.utc_ms.div_euclid(86_400_000));
        by_day.entry(day).or_default().push(article);
    }
    by_day.into_values().filter(|day| day.len() >= 40).collect()
}

/// The smallest stride ≥ 7, coprime with `days`, that puts any two of five
/// consecutive synthetic days at least 7 real days apart (circularly).
fn stride_for(days: usize) -> usize {
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    (7..days)
        .find(|&s| {
            gcd(s, days) == 1
                && (1..5).all(|k| {
                    let r = k * s % days;
                    r.min(days - r) >= 7
                })
        })
        .unwrap_or(1)
}

/// Replaces every ASCII digit run with other digits of the same length,
/// the same way for every variant of an event (`salt`).
fn renumber(text: &str, salt: u64) -> String {
    if salt == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.is_empty() {
            return;
        }
        let mut rng = Rng(salt ^ xxhash_rust::xxh3::xxh3_64(run.as_bytes()));
        for (i, _) in run.chars().enumerate() {
            let low = if i == 0 && run.len() > 1 { 1 } else { 0 };
            out.push(char::from(b'0' + (low + rng.below(10 - low as usize) as u8)));
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Deletes one clause (between two commas) of a paragraph.
fn drop_clause(paragraph: &str, rng: &mut Rng) -> String {
    let cuts: Vec<usize> = paragraph.match_indices(['，', '、']).map(|(i, _)| i).collect();
    if cuts.len() < 2 {
        return paragraph.to_string();
    }
    let i = rng.below(cuts.len() - 1);
    format!("{}{}", &paragraph[..cuts[i]], &paragraph[cuts[i + 1]..])
}

struct Variant {
    title: String,
    paragraphs: Vec<String>,
    outlet: &'static str,
    published_ms: i64,
}

fn make_variant(base: &Article, salt: u64, first: bool, time_ms: i64, rng: &mut Rng) -> Variant {
    let mut title = renumber(&base.title, salt);
    let mut paragraphs: Vec<String> = base.paragraphs.iter().map(|p| renumber(p, salt)).collect();
    let outlet = OUTLETS[rng.below(OUTLETS.len())];
    if first {
        return Variant { title, paragraphs, outlet, published_ms: time_ms };
    }
    let time = time_ms + rng.below(12 * 3_600_000) as i64;
    // Paragraphs: drop some (never the first), swap two, or cut short.
    if paragraphs.len() > 2 && rng.chance(0.5) {
        let mut keep = vec![true; paragraphs.len()];
        for k in keep.iter_mut().skip(1) {
            *k = !rng.chance(0.2);
        }
        let mut i = 0;
        paragraphs.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    if paragraphs.len() > 2 && rng.chance(0.3) {
        let i = 1 + rng.below(paragraphs.len() - 2);
        paragraphs.swap(i, i + 1);
    }
    if paragraphs.len() > 3 && rng.chance(0.2) {
        paragraphs.truncate(2 + rng.below(paragraphs.len() - 2));
    }
    // Light edits.
    for p in &mut paragraphs {
        if rng.chance(0.3) {
            *p = drop_clause(p, rng);
        }
    }
    if rng.chance(0.3) {
        paragraphs[0] = format!("{}{}", LEAD_INS[rng.below(LEAD_INS.len())], paragraphs[0]);
    }
    // Title.
    match rng.below(4) {
        0 => title = format!("{}{title}", TITLE_PREFIXES[rng.below(TITLE_PREFIXES.len())]),
        1 => title = format!("{title}｜{outlet}"),
        2 => {
            if let Some(cut) = title.find(['，', '：', ' ']).filter(|&i| i >= 9) {
                title.truncate(cut);
            }
        }
        _ => {}
    }
    if rng.chance(0.4) {
        paragraphs.push(FOOTERS[rng.below(FOOTERS.len())].to_string());
    }
    // Script and region.
    if rng.chance(0.5) {
        let to = match base.script {
            Script::Traditional => zhconv::Variant::ZhHans,
            _ => [zhconv::Variant::ZhHant, zhconv::Variant::ZhTW, zhconv::Variant::ZhHK]
                [rng.below(3)],
        };
        title = zhconv::zhconv(&title, to);
        for p in &mut paragraphs {
            *p = zhconv::zhconv(p, to);
        }
    }
    Variant { title, paragraphs, outlet, published_ms: time }
}

fn main() {
    let args = common::Args::parse();
    let corpus = PathBuf::from(args.option("corpus").unwrap_or("../shared/corpus/raw"));
    let out =
        PathBuf::from(args.option("out").unwrap_or_else(|| common::die("--out DIR is needed")));
    let wanted: usize = args
        .option("articles")
        .map(|n| n.parse().unwrap_or_else(|_| common::die("--articles takes a number")))
        .unwrap_or(100_000);
    let seed: u64 = args.option("seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    if !corpus.is_dir() {
        common::die(&format!("no corpus at {}: the shared corpus is not here", corpus.display()));
    }
    let loaded = Loader::new().load_paths(&[&corpus]);
    let read = loaded.articles.len();
    let days = bases(loaded.articles);
    let base_count: usize = days.iter().map(Vec::len).sum();
    if days.is_empty() {
        common::die("the corpus has no day with 40 usable articles");
    }
    let stride = stride_for(days.len());
    eprintln!(
        "{read} articles read; {base_count} bases on {} real days; stride {stride}",
        days.len()
    );
    let archive = out.join("archive");
    std::fs::create_dir_all(&archive)
        .unwrap_or_else(|e| common::die(&format!("cannot create {}: {e}", archive.display())));
    let mut rng = Rng(seed);
    let mut truth = std::io::BufWriter::new(
        std::fs::File::create(out.join("truth.tsv"))
            .unwrap_or_else(|e| common::die(&e.to_string())),
    );
    writeln!(truth, "path\tevent").expect("write truth");
    // 2030-01-01T00:00:00Z.
    let epoch_ms: i64 = 1_893_456_000_000;
    let (mut written, mut event, mut shard, mut line) = (0usize, 0usize, None, 0usize);
    let mut bytes = 0usize;
    'days: for day in 0.. {
        let real = &days[day * stride % days.len()];
        let round = (day / days.len()) as u64;
        for base in real {
            let salt = if round == 0 { 0 } else { round.wrapping_mul(0x9E37) ^ seed };
            let size = if rng.chance(0.4) { 1 } else { 2 + rng.below(7) };
            let real_ms = base.published.map_or(0, |p| p.utc_ms);
            let time_ms = epoch_ms + day as i64 * 86_400_000 + real_ms.rem_euclid(86_400_000);
            for k in 0..size {
                if written == wanted {
                    break 'days;
                }
                if written % 2000 == 0 {
                    let name = format!("part-{:05}.jsonl", written / 2000);
                    let file = std::fs::File::create(archive.join(&name))
                        .unwrap_or_else(|e| common::die(&e.to_string()));
                    shard = Some((name, std::io::BufWriter::new(file)));
                    line = 0;
                }
                let v = make_variant(base, salt, k == 0, time_ms, &mut rng);
                let record = serde_json::json!({
                    "title": v.title,
                    "outlet": v.outlet,
                    "url": format!("https://synthetic.example/{event}/{k}"),
                    "published": v.published_ms,
                    "text": v.paragraphs.join("\n"),
                })
                .to_string();
                let (name, file) = shard.as_mut().expect("a shard is open");
                line += 1;
                bytes += record.len() + 1;
                writeln!(file, "{record}").unwrap_or_else(|e| common::die(&e.to_string()));
                writeln!(truth, "{name}:{line}\te{event}").expect("write truth");
                written += 1;
            }
            event += 1;
        }
    }
    if let Some((_, mut file)) = shard {
        file.flush().unwrap_or_else(|e| common::die(&e.to_string()));
    }
    truth.flush().unwrap_or_else(|e| common::die(&e.to_string()));
    eprintln!(
        "wrote {written} articles of {event} events ({:.1} MB) to {}",
        bytes as f64 / 1e6,
        out.display()
    );
}
