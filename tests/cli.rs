//! The `zhdedup` command as a user runs it: the built binary, every exit
//! code and every kind of bad argument.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample");

/// Runs the binary with `args` (stdin closed; stderr is a pipe, so never a
/// terminal).
fn zhdedup(args: &[&str]) -> Output {
    zhdedup_with_stdin(args, "")
}

fn zhdedup_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhdedup"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    input.write_all(stdin.as_bytes()).expect("stdin takes the text");
    drop(input);
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the exit code, printing both streams when it is not.
#[track_caller]
fn assert_code(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", stdout(out), stderr(out));
}

/// A folder with the sample's two earthquake reports and `bad` files that
/// cannot be read (binary bytes).
fn mixed_folder(bad: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["b_simplified_gb18030.md", "b_traditional_big5.txt"] {
        std::fs::copy(Path::new(SAMPLE).join(name), dir.path().join(name)).expect("copy");
    }
    for name in bad {
        std::fs::write(dir.path().join(name), b"\x00\x01\x02binary\x00\x00").expect("write");
    }
    dir
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["cluster", "--help"],
        &["report", "--help"],
        &["inspect", "--help"],
        &["fold", "--help"],
        &["evaluate", "--help"],
        &["explain", "--help"],
        &["train", "--help"],
        &["help", "cluster"],
    ] {
        let out = zhdedup(args);
        assert_code(&out, 0);
        assert!(stdout(&out).contains("Usage: zhdedup"), "{args:?}: {}", stdout(&out));
        assert!(stdout(&out).contains("Exit codes: 0"), "{args:?}: the exit codes are documented");
    }
    let out = zhdedup(&["--version"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), format!("zhdedup {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn cluster_the_sample_exits_0_with_a_row_per_input() {
    let out = zhdedup(&["cluster", SAMPLE]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "path\tcluster");
    assert_eq!(rows.len(), 1 + 8, "{text}");
    let cluster_of = |name: &str| {
        rows.iter().find(|r| r.starts_with(name)).and_then(|r| r.split('\t').nth(1)).unwrap()
    };
    assert_eq!(cluster_of("b_simplified_gb18030.md"), cluster_of("b_traditional_big5.txt"));
    // stderr is a pipe: the summary line, no progress bar.
    let err = stderr(&out);
    assert!(err.contains("8 articles, 0 failed"), "{err}");
    assert!(!err.contains('\r') && !err.contains('\x1b'), "no progress bar in a pipe: {err:?}");
}

#[test]
fn quiet_silences_the_summary() {
    let out = zhdedup(&["cluster", "--quiet", SAMPLE]);
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
}

#[test]
fn every_format_holds_every_article() {
    let json: serde_json::Value =
        serde_json::from_slice(&zhdedup(&["cluster", "-q", "-f", "json", SAMPLE]).stdout)
            .expect("json output parses");
    let clusters = json["clusters"].as_array().expect("clusters");
    let articles: usize = clusters.iter().map(|c| c["articles"].as_array().unwrap().len()).sum();
    assert_eq!(articles, 8);
    assert_eq!(json["failures"].as_array().map(Vec::len), Some(0));

    let out = zhdedup(&["cluster", "-q", "--format", "jsonl", SAMPLE]);
    assert_code(&out, 0);
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), clusters.len(), "one cluster a line");
    assert_eq!(&lines[..], &clusters[..]);

    let out = zhdedup(&["cluster", "-q", "--format", "html", SAMPLE]);
    assert_code(&out, 0);
    let html = stdout(&out);
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("/*ZHDEDUP_DATA*/"), "the data is filled in");
    assert!(html.contains("中巴外长北京会谈"), "titles as written");
    // `report` is `cluster --format html`: the same data before the
    // summary (the last key), which holds the time it was made.
    let report = stdout(&zhdedup(&["report", "-q", SAMPLE]));
    let data = |page: &str| page[..page.find("\"summary\"").expect("a summary")].to_string();
    assert_eq!(data(&report), data(&html));
}

#[test]
fn bad_values_are_usage_errors_exit_2() {
    for (args, says) in [
        (&["cluster", "--format", "xml", SAMPLE][..], "xml"),
        (&["cluster", "--threads", "0", SAMPLE], "--threads"),
        (&["cluster", "--threads", "100000", SAMPLE], "--threads"),
        (&["cluster", "--threads", "many", SAMPLE], "--threads"),
        (&["cluster", "-j", "-3", SAMPLE], "--threads"),
        (&["cluster", "--gap", "-2", SAMPLE], "--gap"),
        (&["cluster", "--threshold", "1.5", SAMPLE], "--threshold"),
        (&["cluster", "--threshold", "high", SAMPLE], "--threshold"),
        (&["cluster", "--story-threshold", "-0.1", SAMPLE], "--story-threshold"),
        (&["cluster", "--threshold", "0.2", "--story-threshold", "0.5", SAMPLE], "story threshold"),
        (&["cluster", "--model", "/nonexistent/model.json", SAMPLE], "--model"),
        (&["cluster", "--copy-coverage", "NaN", SAMPLE], "--copy-coverage"),
        (&["cluster", "--copy-coverage", "7", SAMPLE], "--copy-coverage"),
        (&["cluster", "--gap", "0", SAMPLE], "--gap"),
        (&["cluster", "--gap", "inf", SAMPLE], "--gap"),
        (&["cluster", "--lead", "0", SAMPLE], "--lead"),
        (&["cluster", "--blocking-terms", "0", SAMPLE], "--blocking-terms"),
        (&["cluster", "--blocking-terms", "999", SAMPLE], "--blocking-terms"),
        (&["cluster", "--format"], "--format"),
        (&["cluster"], "PATH"),
        (&["cluster", "--frobnicate", SAMPLE], "--frobnicate"),
        (&["clusterize", SAMPLE], "clusterize"),
        (&[], "Usage"),
        (&["report", "--threads", "0", SAMPLE], "--threads"),
        (&["inspect", "--articles", "--json", SAMPLE], "cannot be used with"),
        (&["evaluate", "--corpus", SAMPLE], "LABELS"),
        (&["evaluate", "/no/such/labels.tsv", "--corpus", SAMPLE], "/no/such/labels.tsv"),
        (&["explain", "only-one"], "B"),
    ] {
        let out = zhdedup(args);
        assert_code(&out, 2);
        assert!(stderr(&out).contains(says), "{args:?} should say {says:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}: nothing on stdout");
    }
}

#[test]
fn evaluate_checks_its_labels_and_corpus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.tsv");
    std::fs::write(&empty, "corpus_path\tevent\n").expect("write");
    let empty = empty.to_str().unwrap();
    let out = zhdedup(&["evaluate", empty, "--corpus", SAMPLE]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no `corpus_path<TAB>event` rows"), "{}", stderr(&out));
    let labels = dir.path().join("labels.tsv");
    std::fs::write(&labels, "corpus_path\tevent\nb_simplified_gb18030.md\tquake\n").expect("w");
    let out = zhdedup(&["evaluate", labels.to_str().unwrap(), "--corpus", "/no/such/dir"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
}

#[test]
fn evaluate_scores_the_sample() {
    let dir = tempfile::tempdir().expect("temp dir");
    let labels = dir.path().join("labels.tsv");
    // The two earthquake reports are one event, the two foreign-minister
    // reports another.
    std::fs::write(
        &labels,
        "corpus_path\tevent\nb_simplified_gb18030.md\tquake\nb_traditional_big5.txt\tquake\n\
         a_simplified_jekyll.md\tmeeting\na_traditional_rss.md\tmeeting\n\
         c_hexo_earlier_meeting.md\tearlier\n",
    )
    .expect("write labels");
    let out = zhdedup(&["evaluate", "-q", labels.to_str().unwrap(), "--corpus", SAMPLE]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("pairwise  P 1.000  R 1.000  F1 1.000"), "{text}");
    assert!(text.contains("b-cubed"), "{text}");
    let out = zhdedup(&["evaluate", "-q", "--json", labels.to_str().unwrap(), "--corpus", SAMPLE]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["labelled"], 5);
    assert_eq!(json["pairwise"]["f1"], 1.0);
}

#[test]
fn some_inputs_failed_exits_1_and_names_each() {
    let dir = mixed_folder(&["broken_one.md", "broken_two.txt"]);
    let out = zhdedup(&["cluster", dir.path().to_str().unwrap()]);
    assert_code(&out, 1);
    let err = stderr(&out);
    for name in ["broken_one.md", "broken_two.txt"] {
        assert!(err.lines().any(|l| l.starts_with("failed:") && l.contains(name)), "{err}");
    }
    let text = stdout(&out);
    assert!(text.contains("broken_one.md\t-"), "a failed input gets cluster -: {text}");
    // The readable ones are still clustered together.
    assert_eq!(text.lines().filter(|l| l.ends_with("\t0")).count(), 2, "{text}");
}

#[test]
fn every_input_failed_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("only.md"), b"\x00\x00\x00").expect("write");
    let out = zhdedup(&["cluster", "-q", dir.path().to_str().unwrap()]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("only.md"), "{}", stderr(&out));
    let out = zhdedup(&["cluster", "-q", "/no/such/archive"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("/no/such/archive"), "{}", stderr(&out));
}

#[test]
fn output_file_is_written_whole_and_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("clusters.tsv");
    std::fs::write(&file, "old contents").expect("write");
    let out = zhdedup(&["cluster", "-q", SAMPLE, "-o", file.to_str().unwrap()]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "", "nothing on stdout with --output");
    let written = std::fs::read_to_string(&file).expect("read");
    assert!(written.starts_with("path\tcluster\n") && written.lines().count() == 9, "{written}");
    let left: Vec<PathBuf> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(left, vec![file.clone()], "no temporary file left behind");
    // A relative path with no folder part is written in the current folder.
    let out = Command::new(env!("CARGO_BIN_EXE_zhdedup"))
        .args(["cluster", "-q", "-f", "json", SAMPLE, "--output", "here.json"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_code(&out, 0);
    assert!(dir.path().join("here.json").is_file());
    // A named pipe (as `/dev/null` would be) is written in place, not
    // renamed over: a pipe made with mkfifo(1), read by a thread.
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    if made {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo))
        };
        let out = zhdedup(&["cluster", "-q", SAMPLE, "-o", fifo.to_str().unwrap()]);
        assert_code(&out, 0);
        let read = reader.join().expect("reader").expect("the pipe is read");
        assert!(read.starts_with("path\tcluster\n"), "{read}");
        assert!(!std::fs::metadata(&fifo).unwrap().is_file(), "still a pipe");
    }
}

#[test]
fn unwritable_output_exits_3_and_keeps_the_old_file() {
    let out = zhdedup(&["cluster", "-q", SAMPLE, "-o", "/no/such/folder/out.tsv"]);
    assert_code(&out, 3);
    assert!(stderr(&out).contains("/no/such/folder/out.tsv"), "{}", stderr(&out));
    // A folder in the way of the rename: the write fails, nothing is lost.
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).expect("mkdir");
    std::fs::write(target.join("keep"), "x").expect("write");
    let out = zhdedup(&["cluster", "-q", SAMPLE, "-o", target.to_str().unwrap()]);
    assert_code(&out, 3);
    assert!(target.join("keep").is_file());
    let left = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(left, 1, "the temporary file is removed");
}

#[test]
fn explain_shows_the_evidence_of_one_pair() {
    let a = format!("{SAMPLE}/b_simplified_gb18030.md");
    let b = format!("{SAMPLE}/b_traditional_big5.txt");
    let out = zhdedup(&["explain", "-q", &a, &b]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("same cluster: yes"), "{text}");
    assert!(text.contains("link score"), "{text}");
    assert!(text.contains("title_similarity"), "every evidence field is listed: {text}");
    assert!(text.contains("花蓮") && text.contains("花莲"), "both scripts as written: {text}");
    // With the rest of the sample as context, and as JSON.
    let out = zhdedup(&["explain", "-q", "--json", &a, &b, "--context", SAMPLE]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json["link"]["score"].as_f64().unwrap() > 0.0, "{json}");
    // A JSON Lines record by `FILE:LINE`; not linked to the quake.
    let record = format!("{SAMPLE}/exports.jsonl:2");
    let out = zhdedup(&["explain", "-q", &a, &record]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("no link"), "{}", stdout(&out));
}

#[test]
fn explain_errors() {
    let a = format!("{SAMPLE}/b_simplified_gb18030.md");
    let out = zhdedup(&["explain", "-q", &a, "/no/such/article.md"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("/no/such/article.md"), "{}", stderr(&out));
    let out = zhdedup(&["explain", "-q", &a, &a]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("same article"), "{}", stderr(&out));
}

#[test]
fn fold_and_inspect() {
    let out = zhdedup(&["fold", "普丁與蘇利文會晤", "普京与沙利文会晤"]);
    assert_code(&out, 0);
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], lines[1], "both scripts fold to one form");
    let out = zhdedup_with_stdin(&["fold", "--t2s"], "蘇利文說\n");
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "苏利文说\n");

    let file = format!("{SAMPLE}/b_traditional_big5.txt");
    let out = zhdedup(&["inspect", "-q", &file]);
    assert_code(&out, 0);
    let article: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one article");
    assert_eq!(article["encoding"], "Big5");
    let out = zhdedup(&["inspect", "-q", "--json", SAMPLE]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary");
    assert_eq!(summary["articles"], 8);
    let out = zhdedup(&["inspect", "-q", "--paragraphs", &file]);
    assert!(stdout(&out).lines().count() >= 1);
    let dir = mixed_folder(&["bad.md"]);
    let out = zhdedup(&["inspect", "-q", dir.path().to_str().unwrap()]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("bad.md"));
}

/// The sample's events, as a labels file: `corpus_path<TAB>event`.
const SAMPLE_LABELS: &str = "corpus_path\tevent\n\
    a_simplified_jekyll.md\tmeeting\na_traditional_rss.md\tmeeting\nexports.jsonl:1\tmeeting\n\
    b_simplified_gb18030.md\tquake\nb_traditional_big5.txt\tquake\n\
    c_hexo_earlier_meeting.md\tearlier\nd_dateline_crlf.md\tdateline\nexports.jsonl:2\tmarkets\n";

/// A vectors file giving each sample article (by path) a vector.
fn vectors_file(dir: &Path, name: &str, rows: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    let text: String =
        rows.iter().map(|(p, v)| format!("{{\"path\": \"{p}\", \"vector\": {v}}}\n")).collect();
    std::fs::write(&path, text).expect("write vectors");
    path
}

/// The sample's articles, each with a vector: the meeting reports alike,
/// the quake reports alike, the rest apart.
fn sample_vectors(dir: &Path, traditional_meeting: &str) -> PathBuf {
    vectors_file(
        dir,
        &format!("vectors-{}.jsonl", traditional_meeting.len()),
        &[
            ("a_simplified_jekyll.md", "[1, 0, 0]"),
            ("a_traditional_rss.md", traditional_meeting),
            ("exports.jsonl:1", "[1, 0, 0]"),
            ("b_simplified_gb18030.md", "[0, 1, 0]"),
            ("b_traditional_big5.txt", "[0, 1, 0]"),
            ("c_hexo_earlier_meeting.md", "[1, 0, 0]"),
            ("d_dateline_crlf.md", "[0, 0, 1]"),
            ("exports.jsonl:2", "[0, 0, -1]"),
        ],
    )
}

/// The cluster of every article, from `cluster`'s TSV.
fn clusters_of(out: &Output) -> Vec<(String, String)> {
    stdout(out)
        .lines()
        .skip(1)
        .map(|l| {
            let (p, c) = l.split_once('\t').expect("path<TAB>cluster");
            (p.to_string(), c.to_string())
        })
        .collect()
}

/// The e5-small model, which weighs vectors.
const E5_MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/model-e5-small.json");

/// `zhdedup cluster -q SAMPLE --model E5_MODEL --vectors FILE` and `extra`.
fn cluster_with_vectors(vectors: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["cluster", "-q", SAMPLE, "--model", E5_MODEL, "--vectors"];
    args.push(vectors.to_str().unwrap());
    args.extend_from_slice(extra);
    zhdedup(&args)
}

#[test]
fn vectors_are_weighed_by_a_model_trained_with_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let alike = sample_vectors(dir.path(), "[1, 0, 0]");
    let apart = sample_vectors(dir.path(), "[0, 0, 1.0]");
    let run = |vectors: &Path| {
        let out = cluster_with_vectors(vectors, &[]);
        assert_code(&out, 0);
        clusters_of(&out)
    };
    let cluster = |rows: &[(String, String)], path: &str| {
        rows.iter().find(|(p, _)| p == path).map(|(_, c)| c.clone()).expect("a row")
    };
    // Alike vectors: the three meeting reports are one event.
    let with = run(&alike);
    assert_eq!(cluster(&with, "a_traditional_rss.md"), cluster(&with, "a_simplified_jekyll.md"));
    assert_eq!(cluster(&with, "exports.jsonl:1"), cluster(&with, "a_simplified_jekyll.md"));
    // Orthogonal vectors outweigh the shared words: the Traditional report
    // leaves, the other two stay together.
    let without = run(&apart);
    assert_ne!(
        cluster(&without, "a_traditional_rss.md"),
        cluster(&without, "a_simplified_jekyll.md")
    );
    assert_eq!(cluster(&without, "exports.jsonl:1"), cluster(&without, "a_simplified_jekyll.md"));
    // Each link shows the cosine it weighed.
    let out = cluster_with_vectors(&alike, &["-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let links: Vec<&serde_json::Value> = json["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["links"].as_array().unwrap())
        .collect();
    assert!(!links.is_empty());
    for link in links {
        assert_eq!(link["evidence"]["vector_similarity"], 1.0, "{link}");
    }
}

#[test]
fn bad_vectors_are_usage_errors_naming_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = sample_vectors(dir.path(), "[1, 0, 0]");
    // The built-in model does not weigh vectors.
    let out = zhdedup(&["cluster", "-q", SAMPLE, "--vectors", good.to_str().unwrap()]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("needs a model that weighs vectors"), "{}", stderr(&out));
    let cases: [(&str, &str); 4] = [
        (
            "{\"path\": \"a_simplified_jekyll.md\", \"vector\": [1, 0]}\n\
          {\"path\": \"a_traditional_rss.md\", \"vector\": [1, 0, 0]}\n",
            ":2: a_traditional_rss.md: ",
        ),
        ("{\"path\": \"a_simplified_jekyll.md\"}\n", ":1: not a"),
        ("not json\n", ":1: not a"),
        ("{\"path\": \"a_simplified_jekyll.md\", \"vector\": [0, 0]}\n", "all zeros"),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad-{i}.jsonl"));
        std::fs::write(&file, text).expect("write");
        let out = cluster_with_vectors(&file, &[]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains(expected), "{text}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "nothing written");
    }
    let out = cluster_with_vectors(Path::new("/no/such/vectors"), &[]);
    assert_code(&out, 2);
    // Vectors of other articles, and articles without one, are counted.
    let partial = vectors_file(
        dir.path(),
        "partial.jsonl",
        &[("a_simplified_jekyll.md", "[1, 0]"), ("elsewhere.md", "[0, 1]")],
    );
    let out = cluster_with_vectors(&partial, &[]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("1 vectors in") && stderr(&out).contains("elsewhere.md"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("7 of 8 articles have no vector"), "{}", stderr(&out));
}

#[test]
fn train_makes_a_model_that_cluster_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let labels = dir.path().join("labels.tsv");
    std::fs::write(&labels, SAMPLE_LABELS).expect("write labels");
    let labels = labels.to_str().unwrap();
    let model = dir.path().join("model.json");
    let out = zhdedup(&["train", "-q", labels, "--corpus", SAMPLE, "-o", model.to_str().unwrap()]);
    assert_code(&out, 0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).expect("model written"))
            .expect("json");
    assert!(json["provenance"].as_str().unwrap().contains("zhdedup train"), "{json}");
    assert!(json["weights"].get("vector").is_none(), "no vectors, no vector weight: {json}");
    let outlets = json["outlets"].as_object().expect("an outlet table");
    assert!(!outlets.is_empty() && json["weights"]["outlets"] == 1.0, "{json}");
    // `--no-outlets`: no table, no outlet weight.
    let plain = dir.path().join("plain.json");
    let out = zhdedup(&[
        "train",
        "-q",
        labels,
        "--corpus",
        SAMPLE,
        "--no-outlets",
        "-o",
        plain.to_str().unwrap(),
    ]);
    assert_code(&out, 0);
    let plain: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plain).expect("model written"))
            .expect("json");
    assert!(plain.get("outlets").is_none() && plain["weights"].get("outlets").is_none(), "{plain}");
    // The model clusters the sample as labelled.
    let out = zhdedup(&[
        "evaluate",
        "-q",
        "--json",
        labels,
        "--corpus",
        SAMPLE,
        "--model",
        model.to_str().unwrap(),
    ]);
    assert_code(&out, 0);
    let scores: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(scores["pairwise"]["f1"], 1.0, "{scores}");
    // With vectors: the model weighs them, `cluster` takes them, and two
    // label files can be left out in turn.
    let vectors = sample_vectors(dir.path(), "[1, 0, 0]");
    let vectors = vectors.to_str().unwrap();
    let out =
        zhdedup(&["train", labels, labels, "--loo", "--corpus", SAMPLE, "--vectors", vectors]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("mean held-out pairwise F1 1.000"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("model on stdout");
    assert!(json["weights"]["vector"].as_f64().unwrap() > 0.0, "{json}");
    std::fs::write(&model, &out.stdout).expect("write");
    let out = zhdedup(&[
        "cluster",
        "-q",
        SAMPLE,
        "--model",
        model.to_str().unwrap(),
        "--vectors",
        vectors,
    ]);
    assert_code(&out, 0);
    assert_eq!(clusters_of(&out).len(), 8);
}

#[test]
fn train_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let labels = dir.path().join("labels.tsv");
    std::fs::write(&labels, SAMPLE_LABELS).expect("write labels");
    let labels = labels.to_str().unwrap();
    // Leaving one out needs two files.
    let out = zhdedup(&["train", "-q", labels, "--loo", "--corpus", SAMPLE]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("two label files"), "{}", stderr(&out));
    // Labels that name no article of the corpus give nothing to learn.
    let other = dir.path().join("other.tsv");
    std::fs::write(&other, "corpus_path\tevent\nx.md\t1\ny.md\t1\n").expect("write");
    let out = zhdedup(&["train", "-q", other.to_str().unwrap(), "--corpus", SAMPLE]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("cannot train"), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 of 2 articles labelled"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "no model written");
    // No label file at all is clap's usage error.
    let out = zhdedup(&["train", "--corpus", SAMPLE]);
    assert_code(&out, 2);
}
