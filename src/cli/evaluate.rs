//! `zhdedup evaluate`: pairwise and B-cubed scores of the clustering of a
//! corpus against labelled events.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;
use zhdedup::eval::{b_cubed, pairwise};

use crate::common::{Corpus, Global, Tuning, read_labels, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome};

/// Options of `zhdedup evaluate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Labels: a TSV file with a header line and rows
    /// `corpus_path<TAB>event`, paths relative to `--corpus`.
    #[arg(value_name = "LABELS")]
    pub labels: PathBuf,
    #[command(flatten)]
    pub corpus: Corpus,
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
    let gold = read_labels(&args.labels)?;
    let inputs = args.corpus.inputs()?;
    let clusterer = args.tuning.clusterer(inputs.thread_count(), global)?;
    let loaded = inputs.load(global)?;
    let outcome = report_failures(&loaded);
    // Vectors, like labels, name articles by corpus path.
    let clustering = args.tuning.cluster(&clusterer, &loaded, |a| args.corpus.path_of(a))?;
    let cluster_of = clustering.cluster_index();
    // Scored by corpus path, as the labels name articles.
    let predicted: HashMap<String, usize> = loaded
        .articles
        .iter()
        .map(|a| (args.corpus.path_of(a), cluster_of[&a.id]))
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
