//! The HTML report opened in a real browser (headless Chromium): the page
//! draws every cluster and article the JSON output has, shows a link's
//! evidence, needs no network, and a screenshot is saved under `target/`
//! to look at. Without Chromium, or without the shared corpus, the test
//! says SKIP on the terminal.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample");

/// How long one browser run may take before the test gives up on it (the
/// whole corpus drawn at once takes about 15 s on the 2-core machine).
const BROWSER_TIMEOUT: Duration = Duration::from_secs(180);

/// Prints on the terminal even while the test harness captures output
/// (`println!` is captured; a direct write to stderr is not).
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The Chromium binary: `$CHROMIUM`, else `chromium` or
/// `chromium-browser` on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `extra` arguments; its stdout.
/// Every host name resolves to nothing, so a page that needed the network
/// would show it.
fn browse(browser: &Path, extra: &[&str], page: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(page)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut out = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut out, &mut text).map(|_| text)
    });
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            panic!("chromium took more than {BROWSER_TIMEOUT:?} on {page}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().expect("reader").expect("chromium's output is UTF-8")
}

fn zhdedup(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_zhdedup")).args(args).output().expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Clusters and articles in the JSON output of `input`.
fn json_counts(input: &str) -> (usize, usize) {
    let out = zhdedup(&["cluster", "-q", "--format", "json", input]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json parses");
    let clusters = json["clusters"].as_array().expect("clusters");
    let articles = clusters.iter().map(|c| c["articles"].as_array().map_or(0, Vec::len)).sum();
    (clusters.len(), articles)
}

/// `text` percent-encoded for a URL fragment.
fn percent(text: &str) -> String {
    text.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}

/// How often `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The value of `name="…"` on the first element that has it.
fn attribute(dom: &str, name: &str) -> Option<String> {
    let start = dom.find(&format!("{name}=\""))? + name.len() + 2;
    Some(dom[start..].split('"').next()?.to_string())
}

/// Writes the report of `input`, opens it, checks it; returns the DOM.
fn check_report(browser: &Path, input: &str, name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&dir).expect("target dir");
    let html = dir.join(format!("{name}.html"));
    let start = Instant::now();
    zhdedup(&["report", "-q", input, "-o", html.to_str().unwrap()]);
    let made = start.elapsed();
    let bytes = std::fs::metadata(&html).expect("written").len();
    let (clusters, articles) = json_counts(input);
    let url = format!("file://{}", html.display());

    // `#all` draws every cluster at once; `expand=1` opens the first
    // cluster's links and its best link's evidence.
    let start = Instant::now();
    let dom = browse(browser, &["--dump-dom"], &format!("{url}#all,expand=1"));
    let loaded = start.elapsed();
    assert_eq!(count(&dom, "<section class=\"cluster\""), clusters, "every cluster is drawn");
    assert_eq!(count(&dom, "<tr class=\"article\""), articles, "every article is drawn");
    assert_eq!(attribute(&dom, "data-clusters"), Some(clusters.to_string()));
    assert_eq!(attribute(&dom, "data-articles"), Some(articles.to_string()));
    assert!(dom.contains("class=\"evidence\""), "the best link's evidence is open");
    assert!(dom.contains("<mark>"), "shared terms are highlighted");
    let render_ms = attribute(&dom, "data-render-ms").expect("the script ran to its end");

    // As a reader opens it: the first screenful, with the first cluster's
    // evidence open.
    let start = Instant::now();
    let first = browse(browser, &["--dump-dom"], &format!("{url}#expand=1"));
    let opened = start.elapsed();
    let first_ms = attribute(&first, "data-render-ms").expect("the script ran to its end");
    let ready_ms = attribute(&first, "data-ready-ms").expect("the script ran to its end");
    let png = dir.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&png);
    browse(
        browser,
        &["--window-size=1366,1600", &format!("--screenshot={}", png.display())],
        &format!("{url}#expand=1"),
    );
    let shot = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(shot > 10_000, "a screenshot of the page: {}", png.display());
    say(&format!(
        "report of {name}: {clusters} clusters, {articles} articles; written in {:.1} s, \
         {:.1} MB; browser: first screen ready {ready_ms} ms after the request (script \
         {first_ms} ms; chromium run {:.1} s), everything drawn {:.1} s (script {render_ms} ms); \
         screenshot {}",
        made.as_secs_f64(),
        bytes as f64 / 1e6,
        opened.as_secs_f64(),
        loaded.as_secs_f64(),
        png.display()
    ));
    dom
}

#[test]
fn report_opens_in_a_browser() {
    let Some(browser) = chromium() else {
        say(
            "SKIP report_opens_in_a_browser: no chromium (apt-get install chromium, or set CHROMIUM)",
        );
        return;
    };
    let dom = check_report(&browser, SAMPLE, "sample");
    // The filter, as a reader types a word of a title or an outlet: the
    // clusters drawn are those the JSON output has with that word.
    let out = zhdedup(&["cluster", "-q", "--format", "json", SAMPLE]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json parses");
    let html = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report/sample.html");
    for word in ["6.1", "示例早报", "no such word"] {
        let expected = json["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["articles"].as_array().unwrap().iter().any(|a| {
                    a["title"].as_str().is_some_and(|t| t.contains(word))
                        || a["outlet"].as_str().is_some_and(|o| o.contains(word))
                })
            })
            .count();
        let url = format!("file://{}#all,q={}", html.display(), percent(word));
        let filtered = browse(&browser, &["--dump-dom"], &url);
        assert_eq!(count(&filtered, "<section class=\"cluster\""), expected, "filter {word}");
    }
    // The filter folds script: the Simplified 规模 finds the Traditional
    // title's 規模 (the Simplified report of that quake does not have it).
    let url = format!("file://{}#all,q={}", html.display(), percent("规模"));
    let filtered = browse(&browser, &["--dump-dom"], &url);
    assert_eq!(count(&filtered, "<section class=\"cluster\""), 1, "规模 finds 規模");
    assert!(filtered.contains("花蓮外海規模6.1地震"));
    // Both scripts as written, not folded.
    assert!(dom.contains("花蓮外海規模6.1地震"), "Traditional title as written");
    assert!(dom.contains("台湾花莲外海发生6.1级地震"), "Simplified title as written");
    assert!(dom.contains("lang=\"zh-Hant\"") && dom.contains("lang=\"zh-Hans\""));

    // Failed inputs are listed in the summary with their reasons.
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["b_simplified_gb18030.md", "b_traditional_big5.txt"] {
        std::fs::copy(Path::new(SAMPLE).join(name), dir.path().join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("broken.md"), b"\x00\x01binary\x00").expect("write");
    let page = dir.path().join("failed.html");
    let out =
        zhdedup(&["report", "-q", dir.path().to_str().unwrap(), "-o", page.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a failed input is exit 1, and the report is written");
    let failed = browse(&browser, &["--dump-dom"], &format!("file://{}#all", page.display()));
    assert!(failed.contains("1 input could not be read"), "{failed}");
    assert!(failed.contains("broken.md") && failed.contains("<code>binary</code>"), "{failed}");

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/raw");
    if corpus.is_dir() {
        check_report(&browser, corpus.to_str().unwrap(), "corpus");
    } else {
        say(&format!("SKIP report of the corpus: no {}", corpus.display()));
    }
}

#[test]
fn hostile_titles_and_empty_inputs_do_not_break_the_page() {
    let Some(browser) = chromium() else {
        say("SKIP hostile_titles_and_empty_inputs_do_not_break_the_page: no chromium");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    // A title that would end the data's <script> element if it were not
    // escaped, and markup that must show as text.
    let title = "</script><script>document.title='owned'</script><b>粗体</b> <!-- 標題";
    std::fs::write(
        dir.path().join("hostile.txt"),
        format!("{title}\n\n正文第一段，足够长的一段文字。\n"),
    )
    .expect("write");
    let page = dir.path().join("hostile.html");
    zhdedup(&["report", "-q", dir.path().to_str().unwrap(), "-o", page.to_str().unwrap()]);
    let dom = browse(&browser, &["--dump-dom"], &format!("file://{}#all", page.display()));
    assert!(attribute(&dom, "data-render-ms").is_some(), "the script ran to its end");
    assert!(dom.contains("<title>zhdedup report</title>"), "no injected script ran");
    assert!(dom.contains("&lt;b&gt;粗体&lt;/b&gt;"), "markup in a title is text");
    assert_eq!(count(&dom, "<tr class=\"article\""), 1);

    // No input at all: an empty page that says so, not a script error.
    let empty = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("empty.html");
    zhdedup(&["report", "-q", empty.path().to_str().unwrap(), "-o", page.to_str().unwrap()]);
    let dom = browse(&browser, &["--dump-dom"], &format!("file://{}", page.display()));
    assert!(attribute(&dom, "data-render-ms").is_some(), "the script ran to its end");
    assert!(dom.contains("No cluster matches."), "{dom}");
}

#[test]
fn the_page_loads_nothing_from_the_network() {
    let page = include_str!("../src/cli/report.html");
    for needle in ["http://", "https://", "//cdn", "@import", "<link", "src="] {
        assert!(!page.contains(needle), "the report template holds {needle:?}");
    }
}
