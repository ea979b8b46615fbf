//! `zhdedup explain A B`: the evidence of the link between two inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use zhdedup::{Article, Link};

use crate::common::{Global, Inputs, Threads, Tuning, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome};

/// Options of `zhdedup explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first article: a file, or `FILE:LINE` for a JSON Lines record.
    #[arg(value_name = "A")]
    pub a: String,
    /// The second article.
    #[arg(value_name = "B")]
    pub b: String,
    /// Also read these files or folders, so that term weights and the
    /// clusters are those of the whole archive (default: only A and B).
    #[arg(long, value_name = "PATH")]
    pub context: Vec<PathBuf>,
    /// Print the two articles and the link as one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub tuning: Tuning,
}

/// An article named on the command line: its file and, for a JSON Lines
/// record, its line.
struct Named {
    path: PathBuf,
    line: Option<u32>,
}

impl Named {
    /// `FILE:LINE` names a record when FILE exists and LINE is a number;
    /// anything else is a path (which may itself hold a colon).
    fn parse(text: &str) -> Named {
        if let Some((file, line)) = text.rsplit_once(':')
            && let Ok(line) = line.parse::<u32>()
            && Path::new(file).is_file()
        {
            return Named { path: PathBuf::from(file), line: Some(line) };
        }
        Named { path: PathBuf::from(text), line: None }
    }

    fn is(&self, article: &Article) -> bool {
        same_file(&article.source.path, &self.path)
            && (self.line.is_none() || article.source.line == self.line)
    }
}

/// Whether two paths name one file (a folder given as context joins its
/// own spelling of the path).
fn same_file(x: &Path, y: &Path) -> bool {
    match (x.canonicalize(), y.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => x == y,
    }
}

/// Runs `zhdedup explain`.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let named = [Named::parse(&args.a), Named::parse(&args.b)];
    // A and B are read directly unless a context folder holds them already
    // (read twice, an article would be its own best match).
    let inside = |path: &Path| {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        args.context.iter().any(|c| c.canonicalize().is_ok_and(|c| path.starts_with(c)))
    };
    let mut paths = args.context.clone();
    for n in &named {
        if !inside(&n.path) && !paths.iter().any(|p| same_file(p, &n.path)) {
            paths.push(n.path.clone());
        }
    }
    let inputs = Inputs { paths, threads: args.threads };
    let clusterer = args.tuning.clusterer(inputs.thread_count(), global)?;
    let loaded = inputs.load(global)?;
    let outcome = report_failures(&loaded);
    let found: Vec<Option<&Article>> =
        named.iter().map(|n| loaded.articles.iter().find(|a| n.is(a))).collect();
    let (Some(a), Some(b)) = (found[0], found[1]) else {
        for (text, article) in [&args.a, &args.b].iter().zip(&found) {
            if article.is_none() {
                eprintln!("failed: {text}: no article was read from it");
            }
        }
        return Ok(Outcome::InputsFailed);
    };
    if a.id == b.id {
        return Err(CliError::Usage("A and B name the same article".into()));
    }
    let clustering = args.tuning.cluster(&clusterer, &loaded, |a| inputs.shown_article(a))?;
    let link = clustering.explain(a.id, b.id);
    let index = clustering.cluster_index();
    let same_cluster = index[&a.id] == index[&b.id];
    // In the link's order (smaller id first), so that its paragraph
    // indices and shares read A then B.
    let (first, second) = match link {
        Some(link) if link.a != a.id => (b, a),
        _ => (a, b),
    };
    args.target.write(|out| {
        if args.json {
            let value = json!({
                "a": article_json(first), "b": article_json(second),
                "same_cluster": same_cluster, "link": link,
            });
            return writeln!(out, "{value}");
        }
        write_text(out, [first, second], link, same_cluster)
    })?;
    Ok(outcome)
}

fn article_json(a: &Article) -> Value {
    json!({
        "path": a.source.path.display().to_string(), "line": a.source.line,
        "outlet": a.outlet, "script": a.script, "title": a.raw_title,
        "published_ms": a.published.map(|p| p.utc_ms),
    })
}

fn write_text(
    out: &mut dyn Write,
    pair: [&Article; 2],
    link: Option<&Link>,
    same_cluster: bool,
) -> std::io::Result<()> {
    for (name, a) in ["A", "B"].iter().zip(pair) {
        let mut path = a.source.path.display().to_string();
        if let Some(line) = a.source.line {
            path = format!("{path}:{line}");
        }
        writeln!(out, "{name}  {path}")?;
        writeln!(
            out,
            "   {} | {:?} | {}",
            a.outlet.as_deref().unwrap_or("-"),
            a.script,
            a.published.map_or_else(|| "no time".into(), |p| crate::html::utc_time(p.utc_ms))
        )?;
        writeln!(out, "   {}", a.raw_title)?;
    }
    writeln!(out, "same cluster: {}", if same_cluster { "yes" } else { "no" })?;
    let Some(link) = link else {
        return writeln!(
            out,
            "no link at these settings: not a candidate pair, or scored below the link \
             threshold (`--threshold 0` shows any candidate's score)"
        );
    };
    writeln!(out, "link score {:.3}", link.score)?;
    // Every field of the evidence, so that fields added to it show up
    // here without a change; the paragraphs are printed after.
    if let Ok(Value::Object(fields)) = serde_json::to_value(&link.evidence) {
        for (key, value) in &fields {
            if key != "matched_paragraphs" {
                writeln!(out, "  {key:<20} {}", compact(value))?;
            }
        }
    }
    for m in &link.evidence.matched_paragraphs {
        writeln!(out, "paragraph {} ~ paragraph {} ({} bits apart)", m.a, m.b, m.distance)?;
        for (name, article, at) in [("A", pair[0], m.a), ("B", pair[1], m.b)] {
            let text = article.paragraphs.get(at as usize).map_or("", String::as_str);
            writeln!(out, "   {name}: {text}")?;
        }
    }
    Ok(())
}

/// A JSON value on one line, numbers to three places.
fn compact(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_f64() => format!("{:.3}", n.as_f64().unwrap_or_default()),
        Value::Array(items) => items.iter().map(compact).collect::<Vec<_>>().join(", "),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
