//! The boilerplate rule table: what is removed from article bodies, and why.
//!
//! Every removal is one row here, named, so that [`crate::Article::removed`]
//! can say which rules fired and a user can see why a paragraph is gone.
//! Element rules drop a whole subtree of the HTML; text rules act on the
//! assembled paragraphs.

use std::sync::LazyLock;

use regex::Regex;

/// How an element is recognised.
pub(crate) enum ElementTest {
    /// The tag name is one of these.
    Tag(&'static [&'static str]),
    /// The `id` or `class` attribute contains one of these substrings.
    IdOrClass(&'static [&'static str]),
    /// The `id` attribute is exactly one of these.
    Id(&'static [&'static str]),
    /// An element with this tag whose text starts with one of these.
    TagTextStarts(&'static str, &'static [&'static str]),
    /// An element with this tag whose whole text matches the pattern.
    TagTextMatches(&'static str, &'static str),
}

/// The rule name of DW's related photo galleries, whose items
/// `html::extract` removes after the heading.
pub(crate) const RELATED_GALLERY: &str = "related_gallery";

/// One element rule: drop every element that passes `test`, with its subtree.
pub(crate) struct ElementRule {
    pub(crate) name: &'static str,
    pub(crate) test: ElementTest,
}

/// Element rules, checked in order on every element.
pub(crate) static ELEMENT_RULES: &[ElementRule] = &[
    ElementRule {
        name: "non_text_element",
        test: ElementTest::Tag(&[
            "style", "script", "noscript", "iframe", "svg", "template", "head", "button", "select",
            "textarea", "object", "embed", "video", "audio", "form", "link", "meta",
        ]),
    },
    ElementRule {
        // Zaobao ad slots and paywall placeholders, CNA ad slots, RFI
        // newsletter promos, Sina QR-code promo blocks and editor lines.
        name: "ad_or_promo_block",
        test: ElementTest::IdOrClass(&[
            "dfp-ad",
            "dfp-tag",
            "innity",
            "paywall",
            "adslot",
            "appendQr",
            "self-promo",
            "article-editor",
            "bottomArticleBanner",
        ]),
    },
    // Zaobao's `<section id="imu">` ad slot.
    ElementRule { name: "ad_or_promo_block", test: ElementTest::Id(&["imu"]) },
    ElementRule {
        // The feedx.net promo footer appended by the RSS exporter.
        name: "feed_footer",
        test: ElementTest::TagTextStarts("div", &["获取更多RSS", "獲取更多RSS"]),
    },
    ElementRule {
        // RTI and others truncate the body with a `...more` link.
        name: "more_link",
        test: ElementTest::TagTextMatches("a", r"^\s*(\.{3}|…)\s*more\s*$"),
    },
    ElementRule {
        // DW appends a related photo gallery to many articles (about one in
        // eight of its files in the corpus): `<h3>相关图集：…</h3>` and then,
        // as following siblings, one `<div><img…><b>heading</b>：caption</div>`
        // per photo. The gallery belongs to another story, and the same
        // gallery under several articles made them near-copies of each
        // other. The heading is matched here; `html::extract` drops the item
        // siblings that follow it under the same rule name.
        name: RELATED_GALLERY,
        test: ElementTest::TagTextStarts("h3", &["相关图集", "相關圖集"]),
    },
    ElementRule {
        // China Digital Times ends posts with `相关阅读：` and WordPress
        // embeds of other posts.
        name: "related_embed",
        test: ElementTest::IdOrClass(&["wp-embedded-content"]),
    },
    ElementRule {
        // DW byline block `<i>author<br>2020-11-03T15:47:50.584Z</i>`.
        name: "byline_timestamp",
        test: ElementTest::TagTextMatches("i", r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"),
    },
];

/// What a text rule does with a paragraph it matches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TextAction {
    /// Remove the paragraph.
    Drop,
    /// Remove the matched text, keep the rest.
    Strip,
}

/// One text rule.
pub(crate) struct TextRule {
    pub(crate) name: &'static str,
    pub(crate) action: TextAction,
    pub(crate) pattern: Regex,
}

fn rule(name: &'static str, action: TextAction, pattern: &str) -> TextRule {
    // The patterns are constants checked by the tests below.
    TextRule { name, action, pattern: Regex::new(pattern).expect("valid rule pattern") }
}

/// Text rules, applied in order to every paragraph.
pub(crate) static TEXT_RULES: LazyLock<Vec<TextRule>> = LazyLock::new(|| {
    use TextAction::{Drop, Strip};
    vec![
        // DW: `© 2020年德国之声版权声明：本文所有内容受到著作权法保护…`.
        rule("copyright", Drop, r"^(©|\(c\)|版权所有|版權所有)|(版权|版權)(声明|聲明)"),
        rule("feed_footer", Drop, r"^(获取|獲取)更多RSS"),
        // Editor and reporter credit lines (Epoch, Sina, RFA, CNA).
        rule(
            "editor_line",
            Drop,
            r"^[（(]?\s*(责任编辑|責任編輯|责编|責編|编辑|編輯|网编|網編|记者|記者)\s*[：:][^。！？]{0,60}$",
        ),
        // CNA ends its last paragraph with `（編輯：繆宗翰）1091031`.
        rule("editor_suffix", Strip, r"[（(](编辑|編輯)[：:][^）)]{1,30}[）)]\s*\d{5,8}\s*$"),
        rule("end_marker", Strip, r"[（(]\s*完\s*[）)]\s*$"),
        rule("more_marker", Strip, r"(\.{3}|…)\s*more\s*$"),
        rule("url_only", Drop, r"^\s*https?://\S+\s*$"),
        // The heading of a "related reading" list whose items are dropped
        // as `related_embed`.
        rule("related_heading", Drop, r"^(相关阅读|相關閱讀)[：:]?$"),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(text: &str) -> Vec<&'static str> {
        TEXT_RULES.iter().filter(|r| r.pattern.is_match(text)).map(|r| r.name).collect()
    }

    #[test]
    fn text_rules_match_what_they_should() {
        let cases = [
            ("© 2023年德國之聲版權聲明：本文所有內容受到著作權法保護", "copyright"),
            ("© 2020年德国之声版权声明：本文所有内容受到著作权法保护", "copyright"),
            ("责任编辑：连书华", "editor_line"),
            ("记者：乔龙    责编：胡力汉 许书婷  网编：瑞哲", "editor_line"),
            ("依法披露資金用途。（編輯：繆宗翰）1091031", "editor_suffix"),
            ("抖音在香港进行股票上市。（完）", "end_marker"),
            ("https://feedx.net", "url_only"),
            ("相关阅读：", "related_heading"),
        ];
        for (text, name) in cases {
            assert_eq!(fired(text), vec![name], "{text}");
        }
        for text in ["王毅说，中俄都奉行独立自主外交政策。", "记者在现场看到，示威者聚集。"]
        {
            assert!(fired(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn element_rule_patterns_compile() {
        for rule in ELEMENT_RULES {
            if let ElementTest::TagTextMatches(_, pattern) = rule.test {
                assert!(Regex::new(pattern).is_ok(), "{}", rule.name);
            }
        }
    }
}
