//! The progress bar: drawn on stderr when it is a terminal, never in a pipe
//! or a log, and not with `--quiet`.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use zhdedup::{Progress, Stage};

use crate::common::Global;

/// A callback for `LoaderBuilder::progress` or `ClustererBuilder::progress`,
/// or `None` when nothing should be drawn.
pub fn bar(global: &Global) -> Option<impl Fn(Progress) + Send + Sync + 'static> {
    if global.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("{msg:>20} [{bar:30}] {percent:>3}% {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let bar = ProgressBar::new(0).with_style(style);
    // The stage shown: a new stage restarts the bar at its own length.
    let shown: Mutex<Option<Stage>> = Mutex::new(None);
    Some(move |p: Progress| {
        let Ok(mut shown) = shown.lock() else { return };
        if *shown != Some(p.stage) {
            *shown = Some(p.stage);
            // Position first: the old stage's count over the new length
            // would be drawn as, say, 149672/1.
            bar.set_position(0);
            bar.set_length(p.total as u64);
            bar.set_message(p.stage.name());
        }
        bar.set_length(p.total as u64);
        bar.set_position(p.done as u64);
        // Reading is the loader's last stage and merging the clusterer's:
        // clear the line so the summary or the output starts clean.
        if p.done >= p.total && matches!(p.stage, Stage::Read | Stage::Merge) {
            bar.finish_and_clear();
        }
    })
}
