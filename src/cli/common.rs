//! Options and steps the subcommands share: reading inputs, building the
//! clusterer, naming paths.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use zhdedup::{Article, ArticleId, Clusterer, Clustering, Loaded, Loader, Model, Vectors};

use crate::{CliError, Outcome, progress};

/// Options that apply to every subcommand.
#[derive(Debug, Clone, Copy)]
pub struct Global {
    /// `--quiet`: no progress bar, no summary line.
    pub quiet: bool,
}

/// The most worker threads accepted: more than any machine this runs on
/// has cores, so a larger number is a typing mistake, not a request.
const MAX_THREADS: u16 = 1024;

/// `--threads`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Threads {
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_THREADS)))]
    pub threads: Option<u16>,
}

impl Threads {
    /// The thread count for the library's builders (0: all cores).
    pub fn count(self) -> usize {
        self.threads.map_or(0, usize::from)
    }
}

/// Input paths and how many threads read them.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Article files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub threads: Threads,
}

impl Inputs {
    /// The thread count for the library's builders (0: all cores).
    pub fn thread_count(&self) -> usize {
        self.threads.count()
    }

    /// Reads every input, with a progress bar unless `global.quiet`.
    pub fn load(&self, global: &Global) -> Result<Loaded, CliError> {
        let mut builder = Loader::builder();
        builder.threads(self.thread_count());
        if let Some(bar) = progress::bar(global) {
            builder.progress(bar);
        }
        let loader = builder.build().map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(loader.load_paths(&self.paths))
    }

    /// A path as shown in output: relative to the folder it was found
    /// under, so reports from different machines compare.
    pub fn shown(&self, path: &Path) -> String {
        for root in &self.paths {
            if root.is_dir()
                && let Ok(rel) = path.strip_prefix(root)
            {
                return rel.display().to_string();
            }
        }
        path.display().to_string()
    }

    /// An article's shown path, with `:line` for a JSON Lines record.
    pub fn shown_article(&self, article: &Article) -> String {
        let path = self.shown(&article.source.path);
        match article.source.line {
            Some(line) => format!("{path}:{line}"),
            None => path,
        }
    }
}

/// Names every failed input on stderr; says whether any failed.
pub fn report_failures(loaded: &Loaded) -> Outcome {
    for failure in &loaded.failures {
        eprintln!("failed: {failure}");
    }
    if loaded.failures.is_empty() { Outcome::Success } else { Outcome::InputsFailed }
}

/// A number that `accept` takes, else why not (for the value parsers).
fn number(text: &str, accept: fn(f32) -> bool, expected: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(value) if accept(value) => Ok(value),
        Ok(value) => Err(format!("{value} is not {expected}")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

/// A share in 0..=1 (clap value parser).
fn unit(text: &str) -> Result<f32, String> {
    number(text, |v| (0.0..=1.0).contains(&v), "in 0..=1")
}

/// A positive number of hours (clap value parser).
fn hours(text: &str) -> Result<f32, String> {
    number(text, |v| v > 0.0 && v.is_finite(), "a positive number of hours")
}

/// The clusterer's settings; each unset one keeps the library's default
/// (see `ClustererBuilder`).
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Clustering settings")]
pub struct Tuning {
    /// A pair model file (from `zhdedup train`; default: the built-in model).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// The mean pair probability at which clusters are one event (0..=1;
    /// default: the model's, 0.20 for the built-in one).
    #[arg(long, value_name = "P", value_parser = unit, allow_negative_numbers = true)]
    pub threshold: Option<f32>,
    /// The mean pair probability at which events are one story (0..=1, at
    /// most the event threshold; default: the model's).
    #[arg(long, value_name = "P", value_parser = unit, allow_negative_numbers = true)]
    pub story_threshold: Option<f32>,
    /// Text share two copies far apart in time must share (0..=1; default 0.8).
    #[arg(long, value_name = "SHARE", value_parser = unit, allow_negative_numbers = true)]
    pub copy_coverage: Option<f32>,
    /// Hours beyond which articles are linked only as copies (default 48).
    #[arg(long, value_name = "HOURS", value_parser = hours, allow_negative_numbers = true)]
    pub gap: Option<f32>,
    /// Body characters after the title that make the lead (default 240).
    #[arg(long, value_name = "CHARS",
          value_parser = clap::value_parser!(u32).range(1..=100_000), allow_negative_numbers = true)]
    pub lead: Option<u32>,
    /// Distinctive terms each article is blocked on (1..=256; default 24).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256), allow_negative_numbers = true)]
    pub blocking_terms: Option<u16>,
    /// Sentence vectors from your own embedding model, as JSON Lines
    /// `{"path": PATH, "vector": [...]}` (PATH as the output names the
    /// article); needs a `--model` trained with such vectors.
    #[arg(long, value_name = "FILE")]
    pub vectors: Option<PathBuf>,
}

/// A `ClustererBuilder` setter for one number.
type Setter = fn(&mut zhdedup::ClustererBuilder, f32);

impl Tuning {
    /// The model `--model` names (or the built-in one) with the thresholds
    /// `--threshold` and `--story-threshold` give.
    pub fn model(&self) -> Result<Model, CliError> {
        let model = match &self.model {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| CliError::Usage(format!("--model {}: {e}", path.display())))?;
                Model::from_json(&text)
                    .map_err(|e| CliError::Usage(format!("--model {}: {e}", path.display())))?
            }
            None => Model::builtin(),
        };
        if self.vectors.is_some() && !model.uses_vectors() {
            return Err(CliError::Usage(
                "--vectors needs a model that weighs vectors: give --model FILE, trained with \
                 `zhdedup train --vectors` on vectors of the same embedding model"
                    .into(),
            ));
        }
        let event = self.threshold.unwrap_or(model.event_threshold());
        let story = self.story_threshold.unwrap_or(model.story_threshold().min(event));
        model.with_thresholds(event, story).map_err(|e| CliError::Usage(e.to_string()))
    }

    /// A clusterer with these settings, `threads` workers and a progress bar
    /// unless `global.quiet`.
    pub fn clusterer(&self, threads: usize, global: &Global) -> Result<Clusterer, CliError> {
        let mut builder = Clusterer::builder();
        builder.threads(threads);
        builder.model(self.model()?);
        let setters: [(Option<f32>, Setter); 2] = [
            (self.copy_coverage, |b, v| _ = b.copy_coverage(v)),
            (self.gap, |b, v| _ = b.max_gap_hours(v)),
        ];
        for (value, set) in setters {
            if let Some(value) = value {
                set(&mut builder, value);
            }
        }
        if let Some(lead) = self.lead {
            builder.lead_chars(lead as usize);
        }
        if let Some(terms) = self.blocking_terms {
            builder.blocking_terms(usize::from(terms));
        }
        if let Some(bar) = progress::bar(global) {
            builder.progress(bar);
        }
        // The value parsers check each range; this is what they cannot see.
        builder.build().map_err(|e| CliError::Usage(e.to_string()))
    }

    /// Clusters `loaded` with `clusterer`, weighing the `--vectors` (each
    /// named by `key` of its article) when given.
    pub fn cluster(
        &self,
        clusterer: &Clusterer,
        loaded: &Loaded,
        key: impl Fn(&Article) -> String,
    ) -> Result<Clustering, CliError> {
        // One loader's articles have distinct ids; the library says so if
        // not.
        let clustering = match &self.vectors {
            Some(file) => {
                let vectors = read_vectors(file, &loaded.articles, key)?;
                clusterer.cluster_with_vectors(&loaded.articles, &vectors)
            }
            None => clusterer.cluster(&loaded.articles),
        };
        clustering.map_err(|e| CliError::Usage(e.to_string()))
    }
}

/// One line of a vectors file.
#[derive(serde::Deserialize)]
struct VectorRow {
    path: String,
    vector: Vec<f32>,
}

/// Reads a vectors file: JSON Lines `{"path": KEY, "vector": [numbers]}`,
/// each KEY the `key` of one of `articles`. A malformed line, a bad vector
/// (see `Vectors::insert`) or a key given twice is an error naming the
/// line; keys that name no article and articles without a vector are
/// counted on stderr (such an article gets the model's default value).
pub fn read_vectors(
    file: &Path,
    articles: &[Article],
    key: impl Fn(&Article) -> String,
) -> Result<Vectors, CliError> {
    let by_key: HashMap<String, ArticleId> = articles.iter().map(|a| (key(a), a.id)).collect();
    let at = |n: usize, why: String| CliError::Usage(format!("{}:{n}: {why}", file.display()));
    let reader = std::fs::File::open(file)
        .map_err(|e| CliError::Usage(format!("--vectors {}: {e}", file.display())))?;
    let mut vectors = Vectors::new();
    let (mut unknown, mut first_unknown) = (0usize, None);
    for (i, line) in std::io::BufReader::new(reader).lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| at(n, e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: VectorRow = serde_json::from_str(&line).map_err(|e| {
            at(n, format!("not a {{\"path\": ..., \"vector\": [numbers]}} object: {e}"))
        })?;
        match by_key.get(&row.path) {
            Some(id) => {
                vectors
                    .insert(*id, &row.vector)
                    .map_err(|e| at(n, format!("{}: {e}", row.path)))?;
            }
            None => {
                unknown += 1;
                first_unknown.get_or_insert(row.path);
            }
        }
    }
    if let Some(path) = first_unknown {
        eprintln!(
            "warning: {unknown} vectors in {} name no input (the first: {path})",
            file.display()
        );
    }
    let without = articles.len() - vectors.len();
    if without > 0 {
        eprintln!(
            "warning: {without} of {} articles have no vector in {} (they get the model's default)",
            articles.len(),
            file.display()
        );
    }
    Ok(vectors)
}

/// Reads a labels file: a header line, then rows `corpus_path<TAB>event`.
pub fn read_labels(file: &Path) -> Result<HashMap<String, String>, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
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
            file.display()
        )));
    }
    Ok(gold)
}

/// The labelled corpus: the folder label paths are relative to, and what
/// to read of it (its `raw/` folder when it has one, the shared corpus
/// layout, else the folder itself).
#[derive(Debug, Clone, clap::Args)]
pub struct Corpus {
    /// The folder the label paths are relative to. Its `raw/` folder is
    /// read when it has one, else the folder itself; every article is
    /// clustered, the labelled ones scored.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub threads: Threads,
}

impl Corpus {
    /// The corpus as inputs to read.
    pub fn inputs(&self) -> Result<Inputs, CliError> {
        if !self.corpus.is_dir() {
            return Err(CliError::Usage(format!(
                "--corpus {} is not a folder",
                self.corpus.display()
            )));
        }
        let raw = self.corpus.join("raw");
        let root = if raw.is_dir() { raw } else { self.corpus.clone() };
        Ok(Inputs { paths: vec![root], threads: self.threads })
    }

    /// An article's path relative to the corpus folder, as labels name it
    /// (with `:line` for a JSON Lines record).
    pub fn path_of(&self, article: &Article) -> String {
        let path = article.source.path.strip_prefix(&self.corpus).unwrap_or(&article.source.path);
        match article.source.line {
            Some(line) => format!("{}:{line}", path.display()),
            None => path.display().to_string(),
        }
    }
}
