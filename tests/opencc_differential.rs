//! `Normalizer::t2s` against Debian's C++ OpenCC 1.1.6 `t2s` (the `opencc`
//! command from the `opencc` package, which `.ci/run` installs), on the
//! built-in sample and, when present, on every 10th paragraph of the shared
//! corpus. Says SKIPPED and checks nothing when the command is absent.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use zhdedup::{Loader, Normalizer};

/// Debian's C++ CLI by full path: `pip install opencc` puts a Python
/// `opencc` (OpenCC 1.4.2, other dictionaries) earlier on PATH.
const CPP_OPENCC: &str = "/usr/bin/opencc";

fn cpp_t2s(lines: &[String]) -> Option<Vec<String>> {
    let mut child = Command::new(CPP_OPENCC)
        .args(["-c", "t2s.json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let input = lines.join("\n") + "\n";
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.lines().map(str::to_string).collect())
}

/// The same comparison through the `opencc` feature (the library, not the CLI).
#[cfg(feature = "opencc")]
#[test]
fn t2s_equals_opencc_rust() {
    let cpp = zhdedup::OpenccConverter::new("t2s.json").expect("C++ OpenCC loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let normalizer = Normalizer::new();
    for article in Loader::new().load_paths(&[dir]).articles {
        for line in std::iter::once(&article.title).chain(&article.paragraphs) {
            assert_eq!(normalizer.t2s(line), cpp.convert(line), "{line}");
        }
    }
}

#[test]
fn t2s_equals_cpp_opencc() {
    if !Path::new(CPP_OPENCC).exists() {
        eprintln!("SKIPPED: {CPP_OPENCC} not installed (apt-get install opencc)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = vec![root.join("tests/fixtures/sample")];
    let corpus = root.join("../shared/corpus/raw");
    if corpus.is_dir() {
        inputs.push(corpus);
    }
    let loaded = Loader::new().load_paths(&inputs);
    let mut lines: Vec<String> = loaded
        .articles
        .iter()
        .flat_map(|a| std::iter::once(&a.title).chain(&a.paragraphs))
        .step_by(10)
        .map(|p| p.replace(['\n', '\r'], " "))
        .collect();
    // Phrase-table cases: an identity phrase blocks character conversion.
    lines.extend(["角徵羽".to_string(), "乾隆皇帝".to_string(), "拚命 舖路 兩岸".to_string()]);
    let expected = cpp_t2s(&lines).expect("the opencc command ran");
    assert_eq!(expected.len(), lines.len());
    let normalizer = Normalizer::new();
    let differences: Vec<(&String, &String, String)> = lines
        .iter()
        .zip(&expected)
        .filter_map(|(line, want)| {
            let got = normalizer.t2s(line);
            (got != *want).then_some((line, want, got))
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{} of {} lines differ, first: {:?}",
        differences.len(),
        lines.len(),
        differences.first()
    );
}
