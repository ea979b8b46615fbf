//! `zhdedup inspect`: what the loader made of the inputs.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::json;

use crate::common::{Global, Inputs, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome};

/// Options of `zhdedup inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Print every article as JSON (the default for one file) instead of a
    /// summary (the default otherwise).
    #[arg(long, conflicts_with = "summary_json")]
    pub articles: bool,
    /// Print the summary as one JSON object.
    #[arg(long = "json", id = "summary_json")]
    pub json: bool,
    /// Print every body paragraph, one a line (for measuring with other
    /// tools, e.g. scripts/symmetry.py).
    #[arg(long, conflicts_with_all = ["articles", "summary_json"])]
    pub paragraphs: bool,
    #[command(flatten)]
    pub target: Target,
}

/// Runs `zhdedup inspect`.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let start = Instant::now();
    let loaded = args.inputs.load(global)?;
    let seconds = start.elapsed().as_secs_f64();
    let outcome = report_failures(&loaded);
    if args.paragraphs {
        args.target.write(|out| {
            let mut lines = loaded.articles.iter().flat_map(|a| &a.paragraphs);
            lines.try_for_each(|p| writeln!(out, "{}", p.replace(['\n', '\r'], " ")))
        })?;
        return Ok(outcome);
    }
    let one_file = args.inputs.paths.len() == 1 && args.inputs.paths[0].is_file();
    if args.articles || (one_file && !args.json) {
        args.target.write(|out| {
            loaded.articles.iter().try_for_each(|a| {
                let text = serde_json::to_string_pretty(a).map_err(std::io::Error::other)?;
                writeln!(out, "{text}")
            })
        })?;
        return Ok(outcome);
    }
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in &loaded.failures {
        *by_reason.entry(failure.reason()).or_default() += 1;
    }
    let count = |key: &dyn Fn(&zhdedup::Article) -> String| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for article in &loaded.articles {
            *counts.entry(key(article)).or_default() += 1;
        }
        counts
    };
    let formats = count(&|a| format!("{:?}", a.format));
    let scripts = count(&|a| format!("{:?}", a.script));
    let outlets = count(&|a| a.outlet.clone().unwrap_or_else(|| "-".into()));
    let megabytes = loaded.bytes as f64 / 1e6;
    args.target.write(|out| {
        if args.json {
            let summary = json!({
                "files": loaded.files, "articles": loaded.articles.len(),
                "failed": loaded.failures.len(), "failures_by_reason": by_reason,
                "formats": formats, "scripts": scripts, "outlets": outlets,
                "bytes": loaded.bytes, "seconds": seconds,
                "mb_per_s": megabytes / seconds.max(1e-9),
            });
            return writeln!(out, "{summary}");
        }
        writeln!(out, "files      {}", loaded.files)?;
        writeln!(out, "articles   {}", loaded.articles.len())?;
        writeln!(out, "failed     {}", loaded.failures.len())?;
        for (reason, n) in &by_reason {
            writeln!(out, "  {reason:<18} {n}")?;
        }
        for (name, table) in [("format", &formats), ("script", &scripts), ("outlet", &outlets)] {
            writeln!(out, "by {name}:")?;
            for (key, n) in table {
                writeln!(out, "  {key:<24} {n}")?;
            }
        }
        writeln!(
            out,
            "read {megabytes:.1} MB in {seconds:.2} s: {:.1} MB/s",
            megabytes / seconds.max(1e-9)
        )
    })?;
    Ok(outcome)
}
