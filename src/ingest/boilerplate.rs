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
    /// A link (`<a href>`) to one of these hosts.
    LinkTo(&'static [&'static str]),
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
        // Byline blocks: DW `<i>author<br>2020-11-03T15:47:50.584Z</i>`,
        // the NYT `<i>ERIC MARGOLIS<br>2020-07-22 18:53:19</i>`.
        name: "byline_timestamp",
        test: ElementTest::TagTextMatches("i", r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"),
    },
    ElementRule {
        // CNA's lists of its other stories: `moreArticle` (延伸閱讀) at the
        // end, `insertGroup` between paragraphs, `book-*` (今晨最新). Their
        // headlines are other news, shared by many articles.
        name: "related_links",
        test: ElementTest::IdOrClass(&["moreArticle", "insertGroup", "book-list", "book-title"]),
    },
    ElementRule {
        // CNA's glossary box buttons (看更多, 關閉) and Getty's
        // `Embed from Getty Images` link.
        name: "widget_control",
        test: ElementTest::IdOrClass(&["seeArticlemore", "closeBox", "gie-single"]),
    },
    ElementRule {
        // The credit links under embedded charts (CNA's Infogram embeds:
        // the chart's title, then `Infogram`).
        name: "widget_control",
        test: ElementTest::LinkTo(&["infogram.com"]),
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
    pattern: Regex,
    /// The longest paragraph, in characters, that the pattern can match.
    max_chars: Option<usize>,
}

impl TextRule {
    /// Where the rule matches `text`, if it does.
    pub(crate) fn find<'t>(&self, text: &'t str) -> Option<regex::Match<'t>> {
        // A paragraph of n characters has at most 4n bytes, so longer ones
        // are skipped unread: most paragraphs are long, and the patterns of
        // short-line rules (bounded runs of negated Unicode classes) cost
        // several times more per byte than the others.
        if self.max_chars.is_some_and(|n| text.len() > 4 * n) {
            return None;
        }
        self.pattern.find(text)
    }

    /// Marks the rule as one whose pattern only matches paragraphs of at
    /// most `chars` characters.
    fn short(mut self, chars: usize) -> TextRule {
        self.max_chars = Some(chars);
        self
    }
}

fn rule(name: &'static str, action: TextAction, pattern: &str) -> TextRule {
    // The patterns are constants checked by the tests below.
    TextRule {
        name,
        action,
        pattern: Regex::new(pattern).expect("valid rule pattern"),
        max_chars: None,
    }
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
        // A paragraph that is only a publication date or time: RFI
        // `22/07/2020 - 12:19`, VOA `Wed, 22 Jul 2020 02:42:07 GMT`, the NYT
        // `2020-07-22 18:53:19`, BBC `2020年 7月 17日` and `1 小时前`, the
        // Economist `Nov 17th 2020`. The time is in the metadata already;
        // in the text it puts the same date numbers into the lead of every
        // article of a day.
        rule(
            "dateline",
            Drop,
            concat!(
                r"^\s*(",
                r"\d{1,2}/\d{1,2}/\d{4}\s*-\s*\d{1,2}:\d{2}",
                r"|[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(:\d{2})?( (GMT|UTC|[+-]\d{4}))?",
                r"|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?",
                r"|\d{4}年\s*\d{1,2}月\s*\d{1,2}日",
                r"|(最近更新[：:]\s*)?\d{1,3}\s*(分钟|分鐘|小时|小時|天)前",
                r"|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}",
                r")\s*$"
            ),
        )
        .short(60),
        // Translation and editing credits: Reuters `编译 高思佳；审校 母红`
        // and `作者 沈燕`, the FT `译者/何黎`, the NYT `翻译：纽约时报中文网`,
        // RFA `自由亚洲电台记者蔡凌巴黎报导 责编：嘉远 网编：瑞哲`.
        rule(
            "credit_line",
            Drop,
            concat!(
                r"^[（(]?\s*(作者|编译|編譯|审校|審校|翻译|翻譯|译者|譯者)\s*[：:/／ ]\s*[^。！？，,]{1,40}$",
                r"|^[^。！？]{0,40}(责编|責編)[：:][^。！？]{0,40}$",
            ),
        )
        .short(90),
        // Newsletter and channel promotions (NYT, VOA).
        rule(
            "subscribe_promo",
            Drop,
            r"(点击|點擊)此处订阅|(点击|點擊)查看本文英文版|YouTube播放列表[：:]\s*https?://|^Listen on: ",
        ),
        // Footers naming the source or the outlet's standards: Reuters'
        // `我们的标准：汤森路透“信任原则”`, WordPress feeds' `The post … appeared
        // first on …`, the Economist's print-edition line.
        rule(
            "source_footer",
            Drop,
            concat!(
                r"^我们的标准[：:]",
                r"|^The post .{1,300} (appeared first|first appeared) on .{1,60}$",
                r"|^This article appeared in the .{1,80} section of the print edition",
            ),
        ),
        // Disclaimers: `嘉宾和观众听众发表的都是个人观点，并不代表美国之音。`,
        // `本文仅代表作者个人观点，不一定反映《大纪元时报》的观点。`, DW's
        // `德国之声致力于为您提供客观中立的新闻报道…`.
        rule(
            "disclaimer",
            Drop,
            concat!(
                r"^[^。！？]{0,60}(不代表|不一定反映|仅代表|僅代表)[^。！？]{0,40}(立场|立場|观点|觀點)[^。！？]{0,10}[。.]?$",
                r"|^[^。！？]{0,40}(观点|觀點)[，,]\s*(并|並)?不代表[^。！？]{1,30}[。.]?$",
            ),
        )
        .short(120),
        rule("disclaimer", Drop, r"致力于为您提供客观中立的新闻报道|致力於為您提供客觀中立的新聞報導"),
        // An ad slot's label (RFI `广告`).
        rule("ad_label", Drop, r"^\s*(广告|廣告|Advertisement|ADVERTISEMENT)\s*$").short(20),
        // No word at all: separators (`=====`), ellipses, the bare numbers
        // left by charts and counters.
        rule("no_words", Drop, r"^[^\p{L}]*$"),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(text: &str) -> Vec<&'static str> {
        TEXT_RULES.iter().filter(|r| r.find(text).is_some()).map(|r| r.name).collect()
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
            ("22/07/2020 - 12:19", "dateline"),
            ("Wed, 22 Jul 2020 02:42:07 GMT", "dateline"),
            ("2020-07-22 18:53:19", "dateline"),
            ("2020年 7月 17日", "dateline"),
            ("最近更新： 36 分钟前", "dateline"),
            ("Nov 17th 2020", "dateline"),
            ("编译 高思佳；审校 母红", "credit_line"),
            ("译者/何黎", "credit_line"),
            ("翻译：纽约时报中文网", "credit_line"),
            ("作者 沈燕", "credit_line"),
            ("自由亚洲电台记者蔡凌巴黎报导 责编：嘉远 网编：瑞哲", "credit_line"),
            (
                "（欢迎点击此处订阅NYT简报，我们将在每个工作日发送最新内容至您的邮箱。）",
                "subscribe_promo",
            ),
            ("点击查看本文英文版。", "subscribe_promo"),
            ("我们的标准：汤森路透“信任原则”", "source_footer"),
            ("The post 全國持續滅佛 first appeared on Bitter Winter.", "source_footer"),
            ("嘉宾和观众听众发表的都是个人观点，并不代表美国之音。", "disclaimer"),
            ("本文仅代表作者个人观点，不一定反映《大纪元时报》的观点。", "disclaimer"),
            ("广告", "ad_label"),
            ("==========================================", "no_words"),
            ("0.0", "no_words"),
        ];
        // Rules apply in order and a drop ends the paragraph, so the first
        // rule that matches is the one that names the removal.
        for (text, name) in cases {
            assert_eq!(fired(text).first(), Some(&name), "{text}");
        }
        // The length gate of the short-line rules never hides a match: a
        // disclaimer padded to the longest its pattern allows still fires.
        let padded = format!("{}不代表{}立场。", "甲".repeat(60), "乙".repeat(40));
        assert_eq!(fired(&padded), vec!["disclaimer"]);
        for text in [
            "王毅说，中俄都奉行独立自主外交政策。",
            "记者在现场看到，示威者聚集。",
            // A sentence that reports a date, a credit or a view is news.
            "2020年7月25日，示威者再次聚集。",
            "作者简介：",
            "外交部说，这些言论不代表中国政府的立场，而是个人观点。中方已提出交涉。",
            "译者指出，原文并没有这样的说法，他说：“这是误读。”",
            "广告商撤出了该平台。",
        ] {
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
