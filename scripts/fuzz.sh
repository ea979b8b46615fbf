#!/usr/bin/env bash
# Runs one fuzz target on stable Rust, with the coverage instrumentation
# that cargo-fuzz would add on nightly (libFuzzer without it mutates blind).
#   bash scripts/fuzz.sh parse|record|cluster|stream [SECONDS] [libFuzzer options...]
# The corpus grows in fuzz/corpus/TARGET; crashes go to fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh parse|record|cluster|stream [SECONDS] [libFuzzer options...]}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
triple=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# --target keeps the flags off build scripts and proc macros.
cargo build --release --locked --manifest-path fuzz/Cargo.toml --target "$triple" --bin "$target"
mkdir -p "fuzz/corpus/$target" fuzz/artifacts
"fuzz/target/$triple/release/$target" "fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len=4096 -artifact_prefix="fuzz/artifacts/$target-" "$@"
