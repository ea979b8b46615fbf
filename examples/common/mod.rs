//! Argument handling and the built-in sample shared by the examples.
#![allow(dead_code)] // Each example uses a different part of this module.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use zhdedup::{Article, Clusterer, Loader, Progress, Stage};

/// Command-line options common to the examples.
pub struct Args {
    pub paths: Vec<PathBuf>,
    pub threads: usize,
    pub json_summary: bool,
    pub format: String,
    pub rest: Vec<(String, String)>,
}

pub fn die(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2);
}

impl Args {
    pub fn parse() -> Args {
        let mut args = Args {
            paths: Vec::new(),
            threads: 0,
            json_summary: false,
            format: "tsv".into(),
            rest: Vec::new(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--json" => args.json_summary = true,
                "--threads" => {
                    args.threads = it
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| die("--threads takes a number"))
                }
                "--format" => {
                    args.format = it.next().unwrap_or_else(|| die("--format takes tsv or json"))
                }
                flag if flag.starts_with("--") => {
                    let value = it.next().unwrap_or_else(|| die(&format!("{flag} takes a value")));
                    args.rest.push((flag.trim_start_matches("--").to_string(), value));
                }
                path => args.paths.push(PathBuf::from(path)),
            }
        }
        args
    }

    /// The value of `--name VALUE`.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.rest.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Applies `--threads`, `--model FILE` (a model file from the `train`
    /// example), `--threshold T` (the model's event threshold) and the
    /// tuning options (`--gap`, `--lead`, `--blocking-terms`,
    /// `--copy-coverage`, and `--copies no` for no copies across the time
    /// window) to a builder.
    pub fn configure(&self, builder: &mut zhdedup::ClustererBuilder) {
        builder.threads(self.threads);
        let number = |name: &str| {
            self.option(name).map(|v| {
                v.parse::<f32>().unwrap_or_else(|_| die(&format!("--{name} takes a number")))
            })
        };
        let mut model = match self.option("model") {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .unwrap_or_else(|e| die(&format!("cannot read {path}: {e}")));
                zhdedup::Model::from_json(&text).unwrap_or_else(|e| die(&format!("{path}: {e}")))
            }
            None => zhdedup::Model::builtin(),
        };
        if let Some(t) = number("threshold") {
            let story = model.story_threshold().min(t);
            model = model.with_thresholds(t, story).unwrap_or_else(|e| die(&e.to_string()));
        }
        builder.model(model);
        if let Some(v) = number("gap") {
            builder.max_gap_hours(v);
        }
        if let Some(v) = number("lead") {
            builder.lead_chars(v as usize);
        }
        if let Some(v) = number("blocking-terms") {
            builder.blocking_terms(v as usize);
        }
        if let Some(v) = number("copy-coverage") {
            builder.copy_coverage(v);
        }
        if self.option("copies") == Some("no") {
            let mut signals = zhdedup::Signals::default();
            signals.copies = false;
            builder.signals(signals);
        }
    }

    /// A loader with `--threads` and a progress bar.
    pub fn loader(&self) -> Loader {
        let mut builder = Loader::builder();
        builder.threads(self.threads).progress(progress_bar());
        builder.build().unwrap_or_else(|e| die(&e.to_string()))
    }

    /// A clusterer with the options of [`Args::configure`] and a progress bar.
    pub fn clusterer(&self) -> Clusterer {
        let mut builder = Clusterer::builder();
        self.configure(&mut builder);
        builder.progress(progress_bar());
        builder.build().unwrap_or_else(|e| die(&e.to_string()))
    }

    /// The paths given, or the built-in sample when none were.
    pub fn paths_or_sample(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
            eprintln!("no path given: using the built-in sample {}", sample.display());
            vec![sample]
        } else {
            self.paths.clone()
        }
    }
}

/// Adds `articles` to a stream of `clusterer` in publish-time order (untimed
/// ones last, ties by position). Returns each article's cluster, by input
/// position (an index into the stream's clusters), and how many regroupings
/// the placements reported.
pub fn stream_in_time_order(clusterer: &Clusterer, articles: &[Article]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by_key(|&i| (articles[i].published.map_or(i64::MAX, |p| p.utc_ms), i));
    let mut stream = clusterer.stream();
    let mut arrival = vec![zhdedup::ArticleId(0); articles.len()];
    let mut regrouped = 0;
    for &i in &order {
        let placed = stream.add(&articles[i]);
        arrival[i] = placed.id;
        regrouped += placed.regrouped.len();
    }
    let index = stream.clustering().cluster_index();
    (arrival.iter().map(|id| index[id]).collect(), regrouped)
}

/// The rows of a TSV file after its header line, split on tabs; `hint`
/// follows the error when the file cannot be read.
pub fn read_tsv(path: &Path, hint: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| die(&format!("cannot read {}: {e}{hint}", path.display())));
    text.lines().skip(1).map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

/// `item -> label` from the first two columns of a TSV file with a header
/// (the labels of `../shared/labels`, or `truth.tsv` from `synth`).
pub fn read_labels(path: &Path, hint: &str) -> HashMap<String, String> {
    read_tsv(path, hint)
        .into_iter()
        .filter_map(|mut row| {
            row.truncate(2);
            let label = row.pop()?;
            Some((row.pop()?, label))
        })
        .collect()
}

/// A progress bar on stderr, drawn only when stderr is a terminal (so logs
/// and pipes get just the summary line), at most ten times a second.
pub fn progress_bar() -> impl Fn(Progress) + Send + Sync + 'static {
    let shown = std::io::stderr().is_terminal();
    let last: Mutex<Option<(Stage, Instant)>> = Mutex::new(None);
    move |p: Progress| {
        if !shown {
            return;
        }
        let Ok(mut last) = last.lock() else { return };
        let now = Instant::now();
        let finished = p.done >= p.total;
        if let Some((stage, at)) = *last
            && stage == p.stage
            && !finished
            && now - at < Duration::from_millis(100)
        {
            return;
        }
        *last = Some((p.stage, now));
        let share = if p.total == 0 { 1.0 } else { p.done as f64 / p.total as f64 };
        let filled = (share * 30.0).round() as usize;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{:<20} [{}{}] {:>3.0}% {}/{}",
            p.stage.name(),
            "#".repeat(filled),
            ".".repeat(30 - filled.min(30)),
            share * 100.0,
            p.done,
            p.total
        );
        if finished && p.stage == Stage::Merge {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = err.flush();
    }
}
