//! `zhdedup`: cluster Chinese news articles into events from the command
//! line, and write a report to read in a browser.
//!
//! Each subcommand is one module with an `Args` struct (clap derive) and a
//! `run` function; adding one is a module, a variant of [`Command`] and an
//! arm in [`main`].
//!
//! Exit codes: 0 when every input was read and the output written; 1 when
//! the run finished but some inputs failed (each is named on stderr); 2 for
//! a usage error (unknown option or format, a value out of range); 3 when
//! the output could not be written.
#![deny(missing_docs)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cluster;
mod common;
mod evaluate;
mod explain;
mod fold;
mod html;
mod inspect;
mod output;
mod progress;
mod report;
mod train;

/// The exit codes, at the end of every `--help`.
const EXIT_CODES: &str = "Exit codes: 0 every input read and the output written; \
1 the run finished but some inputs failed (each named on stderr); 2 usage error; \
3 the output could not be written.";

/// Finds the Chinese news articles that report the same event, across
/// outlets and across Traditional and Simplified script.
#[derive(Debug, Parser)]
#[command(name = "zhdedup", version, propagate_version = true, after_help = EXIT_CODES)]
struct Cli {
    /// No progress bar and no summary line on stderr (failures and errors
    /// are still reported).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Cluster article files into events (tsv, json, jsonl or html).
    #[command(after_help = EXIT_CODES)]
    Cluster(cluster::Args),
    /// Write the cluster report to read in a browser (= cluster --format html).
    #[command(after_help = EXIT_CODES)]
    Report(report::Args),
    /// Show what the loader made of a file, or a summary of a folder.
    #[command(after_help = EXIT_CODES)]
    Inspect(inspect::Args),
    /// Fold text to the canonical form the clusterer compares.
    #[command(after_help = EXIT_CODES)]
    Fold(fold::Args),
    /// Score the clustering of a corpus against labelled events.
    #[command(after_help = EXIT_CODES)]
    Evaluate(evaluate::Args),
    /// Show the evidence of the link between two inputs.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::Args),
    /// Learn a pair model from labelled articles (and your vectors), for --model.
    #[command(after_help = EXIT_CODES)]
    Train(train::Args),
}

/// How a run ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Everything was read and written.
    Success,
    /// The run finished, but some inputs failed.
    InputsFailed,
}

/// What stops a run before it finishes.
#[derive(Debug)]
enum CliError {
    /// The arguments make no sense together (exit 2), e.g. a setting the
    /// clusterer refuses.
    Usage(String),
    /// The output could not be written (exit 3).
    Output(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Output(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = common::Global { quiet: cli.quiet };
    let result = match cli.command {
        Command::Cluster(args) => cluster::run(args, &global),
        Command::Report(args) => report::run(args, &global),
        Command::Inspect(args) => inspect::run(args, &global),
        Command::Fold(args) => fold::run(args, &global),
        Command::Evaluate(args) => evaluate::run(args, &global),
        Command::Explain(args) => explain::run(args, &global),
        Command::Train(args) => train::run(args, &global),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::InputsFailed) => ExitCode::from(1),
        Err(err @ CliError::Usage(_)) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
        Err(err @ CliError::Output(_)) => {
            eprintln!("error: {err}");
            ExitCode::from(3)
        }
    }
}
