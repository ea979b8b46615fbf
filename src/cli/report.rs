//! `zhdedup report`: the HTML report (the same as `cluster --format html`).

use crate::common::{Global, Inputs, Tuning};
use crate::output::Target;
use crate::{CliError, Outcome, cluster};

/// Options of `zhdedup report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub tuning: Tuning,
}

/// Runs `zhdedup report`.
pub fn run(args: Args, global: &Global) -> Result<Outcome, CliError> {
    let Args { inputs, target, tuning } = args;
    cluster::run(cluster::Args { inputs, format: cluster::Format::Html, target, tuning }, global)
}
