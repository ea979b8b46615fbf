//! Reads lines on standard input and writes their canonical (folded) form,
//! one line out per line in.
//!
//! ```text
//! echo '普丁與蘇利文會晤' | cargo run --release --example fold
//! ```
//! With `--t2s`, writes OpenCC 1.1.6's exact `t2s` conversion instead.

use std::io::{BufRead, BufWriter, Write};

use zhdedup::Normalizer;

fn main() {
    let t2s = std::env::args().any(|a| a == "--t2s");
    let normalizer = Normalizer::new();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else {
            eprintln!("error: input is not UTF-8");
            std::process::exit(1);
        };
        let written = if t2s {
            writeln!(out, "{}", normalizer.t2s(&line))
        } else {
            writeln!(out, "{}", normalizer.fold(&line))
        };
        if written.is_err() {
            // Closed pipe: stop quietly.
            return;
        }
    }
    let _ = out.flush();
}
