//! The HTML report: one self-contained file (no network, works from
//! `file://`) with the clustering embedded as JSON and drawn by a small
//! script in `report.html`, lazily, so that a whole archive opens in a
//! couple of seconds.
//!
//! The data holds each article once (path, outlet, script, time, title as
//! written), the clusters largest first, each cluster's links with their
//! [`Evidence`](zhdedup::Evidence) as serde writes it, and only the
//! paragraphs that some link matched. Shared terms are found here, where
//! the fold is, and sent as UTF-16 ranges into the original text: the
//! report shows each script as written and highlights what the fold
//! matched.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde_json::{Value, json};
use zhdedup::{Article, Link, Normalizer, Script};

use crate::cluster::{Run, failures_json};

/// The page; the data goes where [`DATA_MARK`] is.
const TEMPLATE: &str = include_str!("report.html");

/// The placeholder in the template for the embedded JSON.
const DATA_MARK: &str = "/*ZHDEDUP_DATA*/";

/// Writes the report of `run`.
pub fn write(run: &Run, out: &mut dyn Write) -> std::io::Result<()> {
    let data = serde_json::to_string(&data(run)).map_err(std::io::Error::other)?;
    // Inside <script>, `</script>` or `<!--` in a title would end or
    // confuse the element; `<` as a JSON escape is the same string.
    let data = data.replace('<', "\\u003c");
    let (head, tail) = TEMPLATE
        .split_once(DATA_MARK)
        .ok_or_else(|| std::io::Error::other("report template has no data mark"))?;
    out.write_all(head.as_bytes())?;
    out.write_all(data.as_bytes())?;
    out.write_all(tail.as_bytes())
}

/// A UTC time as `YYYY-MM-DD HH:MM UTC` (for text output; the report shows
/// local time in the browser).
pub fn utc_time(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => format!("{ms} ms"),
    }
}

fn script_code(script: Script) -> &'static str {
    match script {
        Script::Traditional => "T",
        Script::Simplified => "S",
        Script::Mixed => "M",
        _ => "-",
    }
}

/// The embedded data (its shape is read by `report.html`).
fn data(run: &Run) -> Value {
    let articles = &run.loaded.articles;
    let mut outlets: Vec<&str> = articles.iter().filter_map(|a| a.outlet.as_deref()).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let outlet_index: HashMap<&str, usize> =
        outlets.iter().enumerate().map(|(i, &o)| (o, i)).collect();
    let article_rows: Vec<Value> = articles
        .iter()
        .map(|a| {
            json!([
                run.inputs.shown_article(a),
                a.outlet.as_deref().map(|o| outlet_index[o]),
                script_code(a.script),
                a.published.map(|p| p.utc_ms),
                a.title,
            ])
        })
        .collect();

    // Largest first; the library's order (smallest id) breaks ties.
    let mut order: Vec<usize> = (0..run.clustering.clusters.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(run.clustering.clusters[i].len()));
    let normalizer = Normalizer::new();
    let mut paragraphs: BTreeMap<u32, BTreeMap<u32, &str>> = BTreeMap::new();
    let mut clusters = Vec::with_capacity(order.len());
    for &i in &order {
        let members: Vec<u32> = run.clustering.clusters[i].iter().map(|id| id.0).collect();
        let mut links: Vec<&Link> = run.links_of[i].clone();
        links.sort_by(|x, y| y.score.total_cmp(&x.score));
        let links: Vec<Value> = links
            .iter()
            .map(|link| {
                let (a, b) = (&articles[link.a.0 as usize], &articles[link.b.0 as usize]);
                for m in &link.evidence.matched_paragraphs {
                    for (article, at) in [(a, m.a), (b, m.b)] {
                        if let Some(text) = article.paragraphs.get(at as usize) {
                            paragraphs.entry(article.id.0).or_default().insert(at, text);
                        }
                    }
                }
                link_json(link, a, b, &normalizer)
            })
            .collect();
        clusters.push(json!([members, links]));
    }

    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for cluster in &run.clustering.clusters {
        *sizes.entry(cluster.len()).or_default() += 1;
    }
    json!({
        "fold": char_folds(&normalizer),
        "summary": {
            "inputs": run.inputs.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "files": run.loaded.files,
            "bytes": run.loaded.bytes,
            "articles": articles.len(),
            "links": run.clustering.links.len(),
            "candidates": run.clustering.candidates,
            "seconds": (run.seconds * 100.0).round() / 100.0,
            "generated": jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC").to_string(),
            "version": env!("CARGO_PKG_VERSION"),
            "failures": failures_json(run),
            "sizes": sizes.into_iter().collect::<Vec<_>>(),
        },
        "outlets": outlets,
        "articles": article_rows,
        "clusters": clusters,
        "paragraphs": paragraphs,
    })
}

/// The characters whose fold is another single character, as one string of
/// pairs (`華华為为…`), so that the page's filter folds a query and the
/// titles alike: 华为 finds 華為. Vocabulary (蘇利文 → 沙利文) needs the
/// whole table and is left out; this is about 30 KB.
fn char_folds(normalizer: &Normalizer) -> String {
    // The Han blocks (with extension A and the compatibility block), and the
    // full-width forms.
    let ranges = [0x3400..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF, 0xFF01..=0xFF5E];
    let mut pairs = String::new();
    let mut buffer = [0u8; 4];
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let folded = normalizer.fold(c.encode_utf8(&mut buffer));
        let mut chars = folded.chars();
        if let (Some(f), None) = (chars.next(), chars.next())
            && f != c
        {
            pairs.push(c);
            pairs.push(f);
        }
    }
    pairs
}

/// One link: `[a, b, score, evidence, highlights]`. The evidence is
/// serde's, whole, so that a field added to it reaches the report.
fn link_json(link: &Link, a: &Article, b: &Article, normalizer: &Normalizer) -> Value {
    let mut evidence = serde_json::to_value(&link.evidence).unwrap_or(Value::Null);
    round(&mut evidence);
    // Each shared term folded, so that either article's spelling is found
    // in the folded text of both.
    let terms: Vec<String> = link
        .evidence
        .shared_terms
        .iter()
        .flat_map(|t| [normalizer.fold(&t.a).into_owned(), normalizer.fold(&t.b).into_owned()])
        .collect();
    let marks = |text: &str| json!(shared_ranges(normalizer, text, &terms));
    let paragraph = |article: &Article, at: u32| {
        article.paragraphs.get(at as usize).map_or(json!([]), |text| marks(text))
    };
    let highlights = json!({
        "ta": marks(&a.title),
        "tb": marks(&b.title),
        "pa": link.evidence.matched_paragraphs.iter().map(|m| paragraph(a, m.a)).collect::<Vec<_>>(),
        "pb": link.evidence.matched_paragraphs.iter().map(|m| paragraph(b, m.b)).collect::<Vec<_>>(),
    });
    json!([
        link.a.0,
        link.b.0,
        (f64::from(link.score) * 1000.0).round() / 1000.0,
        evidence,
        highlights
    ])
}

/// Floats to three decimals: the report shows no more, and f32 through
/// serde prints nine digits (a third of the file on a large archive).
fn round(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                *value = json!((x * 1000.0).round() / 1000.0);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(round),
        Value::Object(fields) => fields.values_mut().for_each(round),
        _ => {}
    }
}

/// Where the (folded) `terms` occur in `text`, as flat `[start, end, …]`
/// UTF-16 offsets into the text as written, sorted and disjoint.
fn shared_ranges(normalizer: &Normalizer, text: &str, terms: &[String]) -> Vec<usize> {
    let folded = normalizer.fold_mapped(text);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for (at, _) in folded.text.match_indices(term.as_str()) {
            let last = folded.origin[at + term.len() - 1];
            let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
            spans.push((folded.origin[at], end));
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    // Byte offsets to UTF-16 offsets, in one pass over the text.
    let mut wanted: Vec<usize> = merged.iter().flat_map(|&(s, e)| [s, e]).collect();
    let mut units = 0;
    let mut next = 0;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        while next < wanted.len() && wanted[next] <= at {
            wanted[next] = units;
            next += 1;
        }
        units += c.len_utf16();
    }
    wanted
}
