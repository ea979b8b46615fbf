//! `zhdedup train`: a pair model learnt from your own labels (and, if you
//! bring them, sentence vectors), for `--model`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zhdedup::{ArticleId, Clusterer, HeldOut, Trainer};

use crate::common::{Corpus, Global, read_labels, read_vectors, report_failures};
use crate::output::Target;
use crate::{CliError, Outcome, progress};

/// Options of `zhdedup train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Label files: TSV with a header line and rows `corpus_path<TAB>event`,
    /// paths relative to `--corpus`. Each file is one group (a day, say):
    /// pairs are compared inside a group only, so label every article of
    /// a group.
    #[arg(required = true, value_name = "LABELS")]
    pub labels: Vec<PathBuf>,
    #[command(flatten)]
    pub corpus: Corpus,
    /// Sentence vectors, JSON Lines `{"path": corpus_path, "vector": [...]}`:
    /// the model also weighs their cosine, and clustering with it then
    /// takes vectors of the same embedding model (`cluster --vectors`).
    #[arg(long, value_name = "FILE")]
    pub vectors: Option<PathBuf>,
    /// Also train without each label file in turn and score it (two files
    /// or more): what to expect on days the model has not seen.
    #[arg(long)]
    pub loo: bool,
    /// Learn no outlet weights: every outlet counts alike (by default the
    /// model learns how often each outlet's reports share an event with
    /// the others').
    #[arg(long)]
    pub no_outlets: bool,
    #[command(flatten)]
    pub target: Target,
}

/// Runs `zhdedup train`: the model JSON goes to `--output` (or stdout),
/// the scores to stderr.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let gold: Vec<HashMap<String, String>> =
        args.labels.iter().map(|file| read_labels(file)).collect::<Result<_, _>>()?;
    if args.loo && gold.len() < 2 {
        return Err(CliError::Usage("--loo needs two label files or more".into()));
    }
    let inputs = args.corpus.inputs()?;
    let mut builder = Clusterer::builder();
    builder.threads(inputs.thread_count());
    if let Some(bar) = progress::bar(global) {
        builder.progress(bar);
    }
    let clusterer = builder.build().map_err(|e| CliError::Usage(e.to_string()))?;
    let loaded = inputs.load(global)?;
    let outcome = report_failures(&loaded);
    let by_path: HashMap<String, ArticleId> =
        loaded.articles.iter().map(|a| (args.corpus.path_of(a), a.id)).collect();
    let groups: Vec<HashMap<ArticleId, String>> = args
        .labels
        .iter()
        .zip(gold)
        .map(|(file, labels)| {
            let total = labels.len();
            let group: HashMap<ArticleId, String> = labels
                .into_iter()
                .filter_map(|(path, event)| Some((*by_path.get(&path)?, event)))
                .collect();
            if group.len() < total {
                eprintln!(
                    "warning: {} of {total} articles labelled in {} are not in the corpus",
                    total - group.len(),
                    file.display()
                );
            }
            group
        })
        .collect();
    let vectors = match &args.vectors {
        Some(file) => Some(read_vectors(file, &loaded.articles, |a| args.corpus.path_of(a))?),
        None => None,
    };
    let pairs = clusterer.training_pairs(&loaded.articles, vectors.as_ref());
    let mut trainer = Trainer::new();
    trainer.vectors(vectors.is_some()).outlets(!args.no_outlets);
    let fail = |e: zhdedup::Error| CliError::Usage(format!("cannot train: {e}"));
    if args.loo {
        let held_out = trainer.leave_one_out(&pairs, &groups).map_err(fail)?;
        print_held_out(&args.labels, &held_out);
    }
    let model = trainer.train(&pairs, &groups).map_err(fail)?;
    let names: Vec<String> = args.labels.iter().map(|f| f.display().to_string()).collect();
    let model = model.with_provenance(format!(
        "trained by `zhdedup train` on {} articles ({} candidate pairs) with the labels {}{}; \
         event threshold chosen for the best mean pairwise F1 over them",
        loaded.articles.len(),
        pairs.len(),
        names.join(", "),
        match &args.vectors {
            Some(file) => format!(" and the vectors {}", file.display()),
            None => String::new(),
        }
    ));
    args.target.write(|out| writeln!(out, "{}", model.to_json()))?;
    if !global.quiet {
        eprintln!("trained on {} candidate pairs: {model}", pairs.len());
    }
    Ok(outcome)
}

/// The leave-one-out table on stderr: a row a held-out label file, then the
/// means.
fn print_held_out(files: &[PathBuf], held_out: &[HeldOut]) {
    let name = |p: &Path| p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    eprintln!(
        "{:<24} {:>11} {:>8} {:>9} {:>14}",
        "held out", "pairwise F1", "B-cubed", "threshold", "whole in story"
    );
    for h in held_out {
        eprintln!(
            "{:<24} {:>11.3} {:>8.3} {:>9.2} {:>14.3}",
            name(&files[h.group]),
            h.pairwise.f1,
            h.b_cubed.f1,
            h.model.event_threshold(),
            h.events_whole_in_story
        );
    }
    let n = held_out.len().max(1) as f64;
    let mean = |f: fn(&HeldOut) -> f64| held_out.iter().map(f).sum::<f64>() / n;
    let worst = held_out.iter().map(|h| h.pairwise.f1).fold(f64::INFINITY, f64::min);
    eprintln!(
        "mean held-out pairwise F1 {:.3} (worst {worst:.3}), B-cubed {:.3}",
        mean(|h| h.pairwise.f1),
        mean(|h| h.b_cubed.f1)
    );
}
