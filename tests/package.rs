//! The published crate's examples must work outside this checkout (issue
//! #16, item 5): they read inline text or packaged files, never the
//! checkout through `CARGO_MANIFEST_DIR`, which in a user's crate is the
//! user's own folder. CI also packages the crate and runs its tests there
//! (`.ci/run`).

use std::path::Path;

/// Doc comment lines (`///`, `//!`) of the Rust files below `dir`, and the
/// lines of README.md: what users copy or what doc tests run.
fn example_lines(root: &Path) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with("///") || trimmed.starts_with("//!") {
                        lines.push((path.display().to_string(), line.to_string()));
                    }
                }
            }
        }
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    lines.extend(readme.lines().map(|l| ("README.md".to_string(), l.to_string())));
    lines
}

#[test]
fn examples_do_not_read_the_checkout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found: Vec<_> = example_lines(root)
        .into_iter()
        .filter(|(_, line)| line.contains("CARGO_MANIFEST_DIR"))
        .collect();
    assert!(found.is_empty(), "examples that only work in the checkout: {found:#?}");
}

#[test]
fn packaged_files_the_examples_include_are_packaged() {
    // The doc examples `include_bytes!` fixtures, so the package must hold
    // them (they are invented text, 40 KB).
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let exclude = manifest.lines().find(|l| l.starts_with("exclude")).unwrap_or("");
    assert!(!exclude.contains("tests"), "{exclude}");
}
