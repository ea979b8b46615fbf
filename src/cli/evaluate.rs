//! `zhdedup evaluate`: pairwise and B-cubed scores of the clustering of a
//! corpus against labelled events.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;
use zhdedup::eval::{b_cubed, pairwise};

use crate::common::{Global, Inputs, Threads, Tuning, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome};

/// Options of `zhdedup evaluate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labels: a TSV file with a header line and rows
    /// `corpus_path<TAB>event`, paths relative to `--corpus`.
    #[arg(value_name = "LABELS")]
    pub labels: PathBuf,
    /// The folder the label paths are relative to. Its `raw/` folder is
    /// clustered when it has one (the shared corpus layout), else the
    /// folder itself; every article is clustered, the labelled ones scored.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub threads: Threads,
    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub tuning: Tuning,
}

/// Runs `zhdedup evaluate`.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let text = std::fs::read_to_string(&args.labels)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", args.labels.display())))?;
    let gold: HashMap<String, String> = text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split('\t');
            Some((cells.next()?.to_string(), cells.next()?.trim().to_string()))
        })
        .collect();
    if gold.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no `corpus_path<TAB>event` rows after its header",
            args.labels.display()
        )));
    }
    if !args.corpus.is_dir() {
        return Err(CliError::Usage(format!("--corpus {} is not a folder", args.corpus.display())));
    }
    let raw = args.corpus.join("raw");
    let root = if raw.is_dir() { raw } else { args.corpus.clone() };
    let inputs = Inputs { paths: vec![root], threads: args.threads };
    let clusterer = args.tuning.clusterer(inputs.thread_count(), global)?;
    let loaded = inputs.load(global)?;
    let outcome = report_failures(&loaded);
    // One loader's articles have distinct ids; say so if not.
    let clustering =
        clusterer.cluster(&loaded.articles).map_err(|e| CliError::Usage(e.to_string()))?;
    let cluster_of = clustering.cluster_index();
    // Scored by corpus path, as the labels name articles.
    let predicted: HashMap<String, usize> = loaded
        .articles
        .iter()
        .map(|a| {
            let path = a.source.path.strip_prefix(&args.corpus).unwrap_or(&a.source.path);
            (path.display().to_string(), cluster_of[&a.id])
        })
        .filter(|(path, _)| gold.contains_key(path))
        .collect();
    let missing = gold.len() - predicted.len();
    if missing > 0 {
        eprintln!(
            "warning: {missing} labelled articles are not in the corpus (scored as singletons)"
        );
    }
    let pw = pairwise(&predicted, &gold);
    let bc = b_cubed(&predicted, &gold);
    args.target.write(|out| {
        if args.json {
            let scores = json!({
                "articles": loaded.articles.len(), "labelled": gold.len(),
                "labelled_missing": missing, "pairwise": pw, "b_cubed": bc,
            });
            return writeln!(out, "{scores}");
        }
        writeln!(
            out,
            "{} articles clustered, {} labelled ({missing} missing)",
            loaded.articles.len(),
            gold.len()
        )?;
        writeln!(out, "pairwise  P {:.3}  R {:.3}  F1 {:.3}", pw.precision, pw.recall, pw.f1)?;
        writeln!(out, "b-cubed   P {:.3}  R {:.3}  F1 {:.3}", bc.precision, bc.recall, bc.f1)
    })?;
    Ok(outcome)
}
