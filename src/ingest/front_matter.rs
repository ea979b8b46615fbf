//! YAML front matter, read through a streaming parser with hard limits.
//!
//! Front matter in news archives is a flat mapping of scalars and short
//! lists. Instead of building a YAML document (where an alias bomb expands
//! exponentially), the event stream is read into a flat map: aliases are
//! refused, nesting beyond two levels and more than [`MAX_EVENTS`] events are
//! errors. Time and memory are therefore linear in the front matter's size,
//! which is itself capped at [`MAX_FRONT_MATTER_BYTES`].

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, Parser};

/// Front matter larger than this is rejected.
pub(crate) const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;
/// At most this many YAML events.
const MAX_EVENTS: usize = 10_000;

/// A front matter value: a scalar, or a list of scalars.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Scalar(String),
    List(Vec<String>),
}

impl Value {
    /// The scalar, or the first item of a list.
    pub(crate) fn first(&self) -> Option<&str> {
        match self {
            Value::Scalar(s) => Some(s.as_str()),
            Value::List(items) => items.first().map(String::as_str),
        }
    }
}

/// Splits `text` into (front matter, rest) when it starts, after blank lines,
/// with a `---` line. Returns `Ok(None)` when there is no front matter.
pub(crate) fn split(text: &str) -> Result<Option<(&str, &str)>, String> {
    let trimmed = text.trim_start_matches(['\n', ' ', '\t']);
    let Some(after) = trimmed.strip_prefix("---\n") else { return Ok(None) };
    let end = if after.starts_with("---\n") || after == "---" {
        Some(0)
    } else {
        after
            .find("\n---\n")
            .map(|i| i + 1)
            .or_else(|| after.ends_with("\n---").then(|| after.len() - 3))
    };
    let Some(end) = end else { return Err("no closing --- line".into()) };
    if end > MAX_FRONT_MATTER_BYTES {
        return Err(format!("longer than {MAX_FRONT_MATTER_BYTES} bytes"));
    }
    let rest = after[end..].strip_prefix("---").unwrap_or("");
    Ok(Some((&after[..end], rest.strip_prefix('\n').unwrap_or(rest))))
}

/// Parses front matter into a flat map of lower-cased keys.
pub(crate) fn parse(yaml: &str) -> Result<BTreeMap<String, Value>, String> {
    let mut parser = Parser::new_from_str(yaml);
    let mut map = BTreeMap::new();
    let mut depth = 0usize;
    let mut key: Option<String> = None;
    let mut list: Option<Vec<String>> = None;
    for count in 0.. {
        if count > MAX_EVENTS {
            return Err(format!("more than {MAX_EVENTS} YAML events"));
        }
        let (event, _) = parser.next_token().map_err(|e| e.to_string())?;
        match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
            Event::Alias(_) => return Err("YAML aliases are not allowed".into()),
            Event::MappingStart(..) => {
                depth += 1;
                if depth > 1 {
                    return Err("nested mappings are not allowed".into());
                }
            }
            Event::MappingEnd => depth = depth.saturating_sub(1),
            Event::SequenceStart(..) => {
                if key.is_none() || list.is_some() {
                    return Err("nested or unkeyed sequence".into());
                }
                list = Some(Vec::new());
            }
            Event::SequenceEnd => {
                if let (Some(k), Some(items)) = (key.take(), list.take()) {
                    map.insert(k, Value::List(items));
                }
            }
            Event::Scalar(value, ..) => {
                if depth == 0 {
                    // A document that is a bare scalar: not front matter.
                    return Err("front matter is not a mapping".into());
                }
                if let Some(items) = list.as_mut() {
                    items.push(value);
                } else if let Some(k) = key.take() {
                    map.insert(k, Value::Scalar(value));
                } else {
                    key = Some(value.to_lowercase());
                }
            }
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jekyll_and_hexo_styles() {
        let yaml = "layout: post\ntitle: \"A \\\"quoted\\\" title \"\ntags: [ 德国之声 ]\n";
        let map = parse(yaml).unwrap();
        assert_eq!(map["title"], Value::Scalar("A \"quoted\" title ".into()));
        assert_eq!(map["tags"].first(), Some("德国之声"));
        let hexo = "title: '王毅'\ncategories: \n - 金融\n - 新浪财经\ncomments: false\n";
        let map = parse(hexo).unwrap();
        assert_eq!(map["categories"], Value::List(vec!["金融".into(), "新浪财经".into()]));
    }

    #[test]
    fn refuses_alias_bombs_fast() {
        let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for i in 0..10 {
            bomb.push_str(&format!("b{i}: &b{i} [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"));
        }
        assert!(parse(&bomb).unwrap_err().contains("alias"));
    }

    #[test]
    fn splits_with_leading_blank_line() {
        let (fm, rest) = split("\n---\ntitle: x\n---\n\n<div>body</div>").unwrap().unwrap();
        assert_eq!(fm, "title: x\n");
        assert_eq!(rest, "\n<div>body</div>");
        assert_eq!(split("no front matter").unwrap(), None);
        assert!(split("---\ntitle: x\n").is_err());
    }
}
