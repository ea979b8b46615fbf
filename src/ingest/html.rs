//! HTML bodies to paragraphs and captions, with a real HTML parser.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};

use super::boilerplate::{ELEMENT_RULES, ElementTest, RELATED_GALLERY, TEXT_RULES, TextAction};

/// What a body yields.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) paragraphs: Vec<String>,
    pub(crate) captions: Vec<String>,
    /// Rule name to how many times it removed something.
    pub(crate) removed: BTreeMap<&'static str, u32>,
}

/// Elements that end a paragraph where they open and where they close.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "hr",
    "br",
    "center",
    "body",
    "tbody",
    "thead",
];

/// Elements that html5ever closes implicitly or that never have children:
/// not counted by [`estimated_depth`], so that `<p>a<p>b` is not "deep".
const NON_NESTING_TAGS: &[&str] = &[
    "br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed",
    "param", "track", "p", "li", "td", "th", "tr", "dt", "dd", "option",
];

static TEXT_MATCHERS: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    ELEMENT_RULES
        .iter()
        .map(|rule| match rule.test {
            ElementTest::TagTextMatches(_, pattern) => Regex::new(pattern).ok(),
            _ => None,
        })
        .collect()
});

/// A cheap upper estimate of element nesting, from the tags alone, so that a
/// hostile body is refused before the parser (whose scope checks walk the
/// stack of open elements) spends quadratic time on it.
pub(crate) fn estimated_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |p| start + p);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if NON_NESTING_TAGS.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let self_closing = bytes[end..]
                .iter()
                .position(|&b| b == b'>')
                .is_some_and(|p| p > 0 && bytes[end + p - 1] == b'/');
            if !self_closing {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Text of an element's subtree, at most `limit` bytes (enough to test a
/// rule without walking a whole body).
fn text_prefix(node: ego_tree::NodeRef<'_, Node>, limit: usize) -> String {
    let mut out = String::new();
    for descendant in node.descendants() {
        if let Node::Text(text) = descendant.value() {
            out.push_str(text);
            if out.len() >= limit {
                break;
            }
        }
    }
    out
}

fn matching_rule(
    node: ego_tree::NodeRef<'_, Node>,
    element: &scraper::node::Element,
) -> Option<&'static str> {
    let tag = element.name();
    for (index, rule) in ELEMENT_RULES.iter().enumerate() {
        let hit = match rule.test {
            ElementTest::Tag(tags) => tags.contains(&tag),
            ElementTest::IdOrClass(needles) => {
                let id = element.id().unwrap_or("");
                let class = element.attr("class").unwrap_or("");
                needles.iter().any(|n| id.contains(n) || class.contains(n))
            }
            ElementTest::Id(ids) => element.id().is_some_and(|id| ids.contains(&id)),
            ElementTest::TagTextStarts(want, prefixes) => {
                want == tag && {
                    let text = text_prefix(node, 64);
                    let text = text.trim_start();
                    prefixes.iter().any(|p| text.starts_with(p))
                }
            }
            ElementTest::TagTextMatches(want, _) => {
                want == tag
                    && TEXT_MATCHERS[index]
                        .as_ref()
                        .is_some_and(|re| re.is_match(&text_prefix(node, 256)))
            }
            ElementTest::LinkTo(hosts) => {
                tag == "a"
                    && element
                        .attr("href")
                        .is_some_and(|href| hosts.iter().any(|h| href.contains(h)))
            }
        };
        if hit {
            return Some(rule.name);
        }
    }
    None
}

/// One photo of a DW gallery: a `div` that opens with an `img` and holds a
/// `b` heading.
fn is_gallery_item(node: ego_tree::NodeRef<'_, Node>, element: &scraper::node::Element) -> bool {
    let mut children = node.children().filter_map(|c| c.value().as_element());
    element.name() == "div"
        && children.next().is_some_and(|first| first.name() == "img")
        && children.any(|e| e.name() == "b")
}

fn is_caption(element: &scraper::node::Element) -> bool {
    matches!(element.name(), "figcaption" | "small")
        || element.attr("class").is_some_and(|c| c.contains("caption") || c.contains("img_descr"))
}

/// Collapses white space (including U+3000 and NBSP) to single spaces and
/// trims; removes zero-width characters.
pub(crate) fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}') {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Applies the text rules; `None` when the paragraph is dropped.
pub(crate) fn apply_text_rules(
    mut text: String,
    removed: &mut BTreeMap<&'static str, u32>,
) -> Option<String> {
    for rule in TEXT_RULES.iter() {
        let Some(found) = rule.find(&text) else { continue };
        *removed.entry(rule.name).or_default() += 1;
        match rule.action {
            TextAction::Drop => return None,
            TextAction::Strip => {
                text.replace_range(found.range(), "");
                text = text.trim_end().to_string();
            }
        }
    }
    (!text.is_empty()).then_some(text)
}

/// A raw paragraph cleaned and passed through the text rules; `None` when
/// nothing is left. Every format's paragraphs go through here.
pub(crate) fn clean_paragraph(
    raw: &str,
    removed: &mut BTreeMap<&'static str, u32>,
) -> Option<String> {
    let text = clean_text(raw);
    if text.is_empty() { None } else { apply_text_rules(text, removed) }
}

/// Parses an HTML body into paragraphs (reading order) and captions.
pub(crate) fn extract(body: &str) -> Extracted {
    let document = Html::parse_fragment(body);
    let mut out = Extracted::default();
    let mut paragraph = String::new();
    let mut caption = String::new();
    let mut caption_depth = 0usize;
    let mut skipping: Option<ego_tree::NodeId> = None;
    // The parent of a related-gallery heading while its items follow it.
    let mut gallery: Option<ego_tree::NodeId> = None;

    let flush = |buffer: &mut String, into: &mut Vec<String>, removed: &mut BTreeMap<_, _>| {
        into.extend(clean_paragraph(buffer, removed));
        buffer.clear();
    };

    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(element) => {
                        let parent = node.parent().map(|p| p.id());
                        if gallery.is_some() && gallery == parent {
                            if is_gallery_item(node, element) {
                                *out.removed.entry(RELATED_GALLERY).or_default() += 1;
                                skipping = Some(node.id());
                                continue;
                            }
                            gallery = None;
                        }
                        if let Some(rule) = matching_rule(node, element) {
                            *out.removed.entry(rule).or_default() += 1;
                            skipping = Some(node.id());
                            if rule == RELATED_GALLERY {
                                gallery = parent;
                            }
                            continue;
                        }
                        if is_caption(element) {
                            flush(&mut paragraph, &mut out.paragraphs, &mut out.removed);
                            caption_depth += 1;
                        } else if BLOCK_TAGS.contains(&element.name()) {
                            if caption_depth > 0 {
                                caption.push(' ');
                            } else {
                                flush(&mut paragraph, &mut out.paragraphs, &mut out.removed);
                            }
                        }
                    }
                    Node::Text(text) => {
                        if caption_depth > 0 {
                            caption.push_str(text);
                        } else {
                            paragraph.push_str(text);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    if is_caption(element) {
                        caption_depth = caption_depth.saturating_sub(1);
                        if caption_depth == 0 {
                            flush(&mut caption, &mut out.captions, &mut out.removed);
                        }
                    } else if caption_depth == 0 && BLOCK_TAGS.contains(&element.name()) {
                        flush(&mut paragraph, &mut out.paragraphs, &mut out.removed);
                    }
                }
            }
        }
    }
    flush(&mut paragraph, &mut out.paragraphs, &mut out.removed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_breaks_split_paragraphs() {
        let out = extract("<div>一<br>二<br><br>三<p>四<b>五</b></p>六</div>");
        assert_eq!(out.paragraphs, ["一", "二", "三", "四五", "六"]);
    }

    #[test]
    fn captions_are_kept_apart() {
        let html = "<figure><img src=x><figcaption>图片说明</figcaption></figure><p>正文</p>\
                    <div><small style=\"color: #999;\">另一说明</small></div>";
        let out = extract(html);
        assert_eq!(out.paragraphs, ["正文"]);
        assert_eq!(out.captions, ["图片说明", "另一说明"]);
    }

    #[test]
    fn boilerplate_is_removed_and_counted() {
        let html = "<p>正文。</p><section id=\"imu\"><div id=\"dfp-ad-imu1\">广告</div></section>\
            <style>.a&#123;x&#125;</style><p class=\"article-editor\">责任编辑：李园</p>\
            <p><em>© 2023</em><em>年德國之聲版權聲明：本文所有內容受到著作權法保護。</em></p>\
            <br><hr><div>获取更多RSS：<br><a href=\"https://feedx.net\">https://feedx.net</a></div>";
        let out = extract(html);
        assert_eq!(out.paragraphs, ["正文。"]);
        assert_eq!(out.removed["ad_or_promo_block"], 2);
        assert_eq!(out.removed["non_text_element"], 1);
        assert_eq!(out.removed["copyright"], 1);
        assert_eq!(out.removed["feed_footer"], 1);
    }

    #[test]
    fn related_gallery_is_removed_with_its_items_only() {
        let html = "<p>正文一。</p><h3>相关图集：旧闻</h3>\
            <div><img src=a.jpg><b>第一张</b>：说明一</div>\
            <div><img src=b.jpg><b>第二张</b>：说明二</div>\
            <p>正文二。</p><div><img src=c.jpg><b>不是图集</b>：正文三</div>";
        let out = extract(html);
        assert_eq!(out.paragraphs, ["正文一。", "正文二。", "不是图集：正文三"]);
        assert_eq!(out.removed["related_gallery"], 3);
    }

    #[test]
    fn bylines_related_links_and_widgets_are_removed() {
        // Shaped like the NYT and CNA bodies in the corpus (text invented).
        let html = "<div><div><i>某记者<br>2020-07-22 18:53:19</i></div>\
            <p><i>（欢迎</i><a href=\"https://sso.example\"><i>点击此处</i></a><i>订阅</i>\
            <a href=\"https://m.example\"><i>NYT简报</i></a><i>，我们将在每个工作日发送最新内容至您的邮箱。）</i></p>\
            <p>正文一。</p>\
            <div class='media'><div class='insertGroup'><div><a class='insert' href='x'>\
            <span>另一则新闻的标题</span></a></div></div></div>\
            <div class='news-dic'><p>名词解释。</p><div class='news-dic-all seeArticlemore'>看更多</div>\
            <div class='news-dic-all closeBox'>關閉</div></div>\
            <div><a href=\"https://infogram.com/abc\">图表标题｜某社</a><br>\
            <a href=\"https://infogram.com\">Infogram</a></div>\
            <p>正文二。</p><p>广告</p><p>22/07/2020 - 12:19</p>\
            <div class='paragraph moreArticle'><div class='moreArticle-title'>延伸閱讀</div>\
            <a class='moreArticle-link' href='y'><span>又一则新闻</span></a></div></div>";
        let out = extract(html);
        assert_eq!(out.paragraphs, ["正文一。", "名词解释。", "正文二。"]);
        assert_eq!(out.removed["byline_timestamp"], 1);
        assert_eq!(out.removed["subscribe_promo"], 1);
        assert_eq!(out.removed["related_links"], 2);
        assert_eq!(out.removed["widget_control"], 4);
        assert_eq!(out.removed["ad_label"], 1);
        assert_eq!(out.removed["dateline"], 1);
    }

    #[test]
    fn depth_estimate_ignores_implicitly_closed_tags() {
        assert_eq!(estimated_depth("<div><p>a<p>b<br>c</div>"), 1);
        assert_eq!(estimated_depth(&"<div>".repeat(1000)), 1000);
        assert_eq!(estimated_depth("<div><img/><span/></div>"), 1);
        assert_eq!(estimated_depth("a < b and <3"), 1);
    }
}
