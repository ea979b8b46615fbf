//! `zhdedup fold`: the canonical form the clusterer compares texts in.

use std::io::BufRead;

use zhdedup::Normalizer;

use crate::common::Global;
use crate::output::Target;
use crate::{CliError, Outcome};

/// Options of `zhdedup fold`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Texts to fold, one output line each (default: the lines of stdin).
    #[arg(value_name = "TEXT")]
    pub texts: Vec<String>,
    /// OpenCC's exact Traditional-to-Simplified conversion instead of the fold.
    #[arg(long)]
    pub t2s: bool,
    #[command(flatten)]
    pub target: Target,
}

/// Runs `zhdedup fold`.
pub fn run(args: Args, _global: &Global) -> Result<Outcome, CliError> {
    let normalizer = Normalizer::new();
    let convert = |line: &str| {
        if args.t2s { normalizer.t2s(line) } else { normalizer.fold(line).into_owned() }
    };
    let mut bad_input = None;
    args.target.write(|out| {
        if !args.texts.is_empty() {
            return args.texts.iter().try_for_each(|t| writeln!(out, "{}", convert(t)));
        }
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(line) => writeln!(out, "{}", convert(&line))?,
                Err(e) => {
                    bad_input = Some(e);
                    break;
                }
            }
        }
        Ok(())
    })?;
    match bad_input {
        None => Ok(Outcome::Success),
        Some(e) => {
            eprintln!("failed: stdin: {e}");
            Ok(Outcome::InputsFailed)
        }
    }
}
