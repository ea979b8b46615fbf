//! Folding text to one canonical form (stage 2 of the pipeline).
//!
//! The fold steps are documented on [`Normalizer`], where users see them.

#[cfg(feature = "opencc")]
mod cpp;
mod tables;

#[cfg(feature = "opencc")]
pub use cpp::OpenccConverter;

use std::borrow::Cow;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The script a text is written in.
///
/// # Examples
///
/// ```
/// use zhdedup::Script;
/// assert_eq!(Script::detect("這是一個關於國際會議的報導"), Script::Traditional);
/// assert_eq!(Script::detect("这是一个关于国际会议的报道"), Script::Simplified);
/// assert_eq!(Script::detect("An English sentence."), Script::NotChinese);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// More than 80% of the script-specific characters are Traditional.
    Traditional,
    /// Fewer than 20% of the script-specific characters are Traditional.
    Simplified,
    /// Both scripts in between those bounds.
    Mixed,
    /// Fewer than [`Script::MIN_EVIDENCE`] script-specific characters.
    NotChinese,
}

impl Script {
    /// How many script-specific characters a text needs before its script is
    /// decided; below that it is [`Script::NotChinese`] (English items,
    /// image-only items, a bare headline of shared characters).
    pub const MIN_EVIDENCE: usize = 3;

    /// Detects the script from characters that only one script uses.
    pub fn detect(text: &str) -> Script {
        let (traditional_only, simplified_only) = &*tables::SCRIPT_CHARS;
        let (mut trad, mut simp) = (0usize, 0usize);
        for c in text.chars() {
            if traditional_only.changes(c) {
                trad += 1;
            } else if simplified_only.changes(c) {
                simp += 1;
            }
        }
        let total = trad + simp;
        if total < Script::MIN_EVIDENCE {
            Script::NotChinese
        } else if trad * 5 > total * 4 {
            Script::Traditional
        } else if trad * 5 < total {
            Script::Simplified
        } else {
            Script::Mixed
        }
    }
}

/// One entry of the vocabulary table: `variant` is folded to `canonical`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabularyEntry {
    /// The regional or transliterated form, in either script.
    pub variant: String,
    /// The form it is folded to, in either script.
    pub canonical: String,
}

/// Builds a [`Normalizer`].
///
/// # Examples
///
/// ```
/// use zhdedup::Normalizer;
/// let normalizer = Normalizer::builder()
///     .vocabulary_entry("賴清德", "赖清德")
///     .vocabulary_entry("柯P", "柯文哲")
///     .build()
///     .unwrap();
/// assert_eq!(normalizer.fold("柯P說"), normalizer.fold("柯文哲说"));
/// ```
#[derive(Debug, Clone)]
pub struct NormalizerBuilder {
    builtin_vocabulary: bool,
    extra: Vec<VocabularyEntry>,
}

impl Default for NormalizerBuilder {
    fn default() -> Self {
        NormalizerBuilder { builtin_vocabulary: true, extra: Vec::new() }
    }
}

impl NormalizerBuilder {
    /// Whether to start from the built-in vocabulary table (default: yes).
    /// Turn it off to replace the table with your own entries.
    pub fn builtin_vocabulary(&mut self, yes: bool) -> &mut Self {
        self.builtin_vocabulary = yes;
        self
    }

    /// Adds one vocabulary entry; a later entry with the same folded variant
    /// replaces an earlier one.
    pub fn vocabulary_entry(&mut self, variant: &str, canonical: &str) -> &mut Self {
        self.extra.push(VocabularyEntry {
            variant: variant.to_string(),
            canonical: canonical.to_string(),
        });
        self
    }

    /// Builds the normalizer.
    ///
    /// # Errors
    ///
    /// An entry with an empty side, or whose canonical form contains a
    /// variant of the table (which would make folding not idempotent).
    pub fn build(&self) -> Result<Normalizer, Error> {
        let mut entries: Vec<(String, String)> = Vec::new();
        let builtin = tables::builtin_vocabulary()
            .filter(|_| self.builtin_vocabulary)
            .map(|(v, c, _)| (v.to_string(), c.to_string()));
        let extra = self.extra.iter().map(|e| (e.variant.clone(), e.canonical.clone()));
        for (variant, canonical) in builtin.chain(extra) {
            let variant = fold_chars(&variant).into_owned();
            let canonical = fold_chars(&canonical).into_owned();
            if variant.is_empty() || canonical.is_empty() {
                return Err(Error::config("a vocabulary entry has an empty side"));
            }
            if variant == canonical {
                continue;
            }
            entries.retain(|(v, _)| *v != variant);
            entries.push((variant, canonical));
        }
        for (_, canonical) in &entries {
            if let Some((v, _)) = entries.iter().find(|(v, _)| canonical.contains(v.as_str())) {
                return Err(Error::config(format!(
                    "vocabulary canonical form {canonical:?} contains the variant {v:?}"
                )));
            }
        }
        let vocabulary = if entries.is_empty() {
            None
        } else {
            // A DFA: the table is small, and this pass runs over every
            // folded text, so search speed matters more than build time.
            let matcher = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(entries.iter().map(|(v, _)| v))
                .map_err(|e| Error::config(format!("vocabulary matcher: {e}")))?;
            Some(matcher)
        };
        let t2s_phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(tables::T2S_PHRASES.iter().map(|(k, _)| k))
            .map_err(|e| Error::config(format!("phrase matcher: {e}")))?;
        Ok(Normalizer {
            inner: Arc::new(Inner {
                vocabulary,
                variants: entries.iter().map(|(v, _)| v.clone()).collect(),
                replacements: entries.into_iter().map(|(_, c)| c).collect(),
                t2s_phrases,
            }),
        })
    }
}

/// Folds text to the canonical form that fingerprints are computed on.
///
/// # The fold
///
/// Two reports of one event, one in Traditional and one in Simplified script,
/// must give the same features. [`Normalizer::fold`] does four things in one
/// pass over the characters:
///
/// 1. width: full-width ASCII (`ＡＢＣ１２３`) and the ideographic space become
///    ASCII; ASCII letters are lower-cased;
/// 2. punctuation: each family of quotes, brackets, dashes, dots and commas
///    becomes one character (`「」『』“”` → `"`);
/// 3. whitespace: runs of any white space become one ASCII space, zero-width
///    characters are removed, and the ends are trimmed;
/// 4. script: every Han character becomes the canonical member of its
///    *variant class*. The classes are the connected sets of characters that
///    OpenCC's T↔S, Taiwan and Hong Kong tables (characters and, aligned
///    character by character, phrases) convert into each other, so any OpenCC
///    conversion of a text folds to the same string as the text itself.
///
/// After that, a vocabulary table maps regional words and transliterated
/// names (普丁/普京, 蘇利文/沙利文) to one form.
///
/// The canonical form reads as Simplified Chinese, but it is *not* OpenCC's
/// `t2s`: pairs that are both valid Simplified (着/著, 象/像) fold together,
/// because `s2tw` writes 著 for 着 while `t2s` leaves 著 alone, which would make
/// the fold depend on the script the text was written in. For an exact OpenCC
/// conversion use [`Normalizer::t2s`].
///
/// Built once, immutable, `Send + Sync`; cloning is cheap (an `Arc`).
///
/// # Examples
///
/// ```
/// use zhdedup::Normalizer;
/// let n = Normalizer::new();
/// // Traditional, Simplified and Taiwan vocabulary fold to one form.
/// assert_eq!(n.fold("普丁與蘇利文會晤"), n.fold("普京与沙利文会晤"));
/// // Width, quotes and case fold too.
/// assert_eq!(n.fold("「ＡＢＣ」１２３"), "\"abc\"123");
/// // Folding twice changes nothing.
/// let once = n.fold("裏面的衞生");
/// assert_eq!(n.fold(&once), once);
/// ```
#[derive(Debug, Clone)]
pub struct Normalizer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Leftmost-longest matcher over the folded variants, `None` when the
    /// table is empty.
    vocabulary: Option<AhoCorasick>,
    /// The folded variants, in pattern order.
    variants: Vec<String>,
    /// `replacements[pattern]` is the folded canonical form of pattern.
    replacements: Vec<String>,
    /// Leftmost-longest matcher over OpenCC's TSPhrases keys, for `t2s`.
    t2s_phrases: AhoCorasick,
}

/// Folded text with, for every byte of it, the byte offset in the original
/// text of the character it came from (see [`Normalizer::fold_mapped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// `origin[i]` is the byte offset in the original text of the character
    /// that produced byte `i` of `text`; its length is `text.len()`.
    pub origin: Vec<usize>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    /// A normalizer with the built-in vocabulary table.
    pub fn new() -> Normalizer {
        // The built-in table is checked by the tests, so this cannot fail.
        NormalizerBuilder::default().build().expect("the built-in vocabulary is valid")
    }

    /// A builder to extend or replace the vocabulary table.
    pub fn builder() -> NormalizerBuilder {
        NormalizerBuilder::default()
    }

    /// Folds `text` to its canonical form (see the module docs). Returns the
    /// input unchanged (borrowed) when nothing needs folding.
    ///
    /// Empty input gives empty output; a text of only white space gives `""`.
    pub fn fold<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let chars = fold_chars(text);
        match self.apply_vocabulary(&chars) {
            Some(replaced) => Cow::Owned(replaced),
            None => chars,
        }
    }

    /// Like [`Normalizer::fold`], and also says where each byte of the result
    /// came from in `text`, so that a span found in folded text (a matched
    /// paragraph, a shared name) can be shown in the original.
    ///
    /// ```
    /// let n = zhdedup::Normalizer::new();
    /// let original = "　普丁說";
    /// let folded = n.fold_mapped(original);
    /// assert_eq!(folded.text, "普京说");
    /// assert_eq!(&original[folded.origin[0]..], "普丁說");
    /// ```
    pub fn fold_mapped(&self, text: &str) -> Folded {
        let fold = &*tables::FOLD;
        let mut out = Folded { text: String::new(), origin: Vec::new() };
        let mut pending_space: Option<usize> = None;
        for (at, c) in text.char_indices() {
            match fold_char(fold, c) {
                Folding::Drop => {}
                Folding::Space => {
                    if !out.text.is_empty() && pending_space.is_none() {
                        pending_space = Some(at);
                    }
                }
                Folding::Char(folded) => {
                    if let Some(space_at) = pending_space.take() {
                        out.text.push(' ');
                        out.origin.push(space_at);
                    }
                    out.text.push(folded);
                    out.origin.extend(std::iter::repeat_n(at, folded.len_utf8()));
                }
            }
        }
        let Some(matcher) = &self.inner.vocabulary else { return out };
        if !matcher.is_match(&out.text) {
            return out;
        }
        let mut replaced = Folded { text: String::new(), origin: Vec::new() };
        let mut last = 0;
        for m in matcher.find_iter(&out.text) {
            replaced.text.push_str(&out.text[last..m.start()]);
            replaced.origin.extend_from_slice(&out.origin[last..m.start()]);
            let canonical = &self.inner.replacements[m.pattern().as_usize()];
            replaced.text.push_str(canonical);
            replaced.origin.extend(std::iter::repeat_n(out.origin[m.start()], canonical.len()));
            last = m.end();
        }
        replaced.text.push_str(&out.text[last..]);
        replaced.origin.extend_from_slice(&out.origin[last..]);
        replaced
    }

    /// Converts Traditional to Simplified exactly as OpenCC 1.1.6's `t2s`
    /// configuration does: forward maximum matching over `TSPhrases`, then
    /// `TSCharacters` (first candidate) for every other character. Nothing
    /// else (width, punctuation, vocabulary) is changed.
    ///
    /// ```
    /// let n = zhdedup::Normalizer::new();
    /// assert_eq!(n.t2s("王毅見俄外長：推動全球治理"), "王毅见俄外长：推动全球治理");
    /// ```
    pub fn t2s(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        let convert_chars = |out: &mut String, part: &str| {
            out.extend(part.chars().map(|c| tables::T2S_CHARACTERS.get(c)));
        };
        for m in self.inner.t2s_phrases.find_iter(text) {
            convert_chars(&mut out, &text[last..m.start()]);
            out.push_str(tables::T2S_PHRASES[m.pattern().as_usize()].1);
            last = m.end();
        }
        convert_chars(&mut out, &text[last..]);
        out
    }

    /// The vocabulary entries in use, folded, in table order.
    ///
    /// ```
    /// let n = zhdedup::Normalizer::new();
    /// assert!(n.vocabulary().iter().any(|e| e.variant == "普丁" && e.canonical == "普京"));
    /// ```
    pub fn vocabulary(&self) -> Vec<VocabularyEntry> {
        self.inner
            .variants
            .iter()
            .zip(&self.inner.replacements)
            .map(|(v, c)| VocabularyEntry { variant: v.clone(), canonical: c.clone() })
            .collect()
    }

    fn apply_vocabulary(&self, text: &str) -> Option<String> {
        let matcher = self.inner.vocabulary.as_ref()?;
        if !matcher.is_match(text) {
            return None;
        }
        let mut out = String::with_capacity(text.len() + 16);
        matcher.replace_all_with(text, &mut out, |m, _, dst| {
            dst.push_str(&self.inner.replacements[m.pattern().as_usize()]);
            true
        });
        Some(out)
    }
}

/// What one input character becomes.
enum Folding {
    Drop,
    Space,
    Char(char),
}

#[inline]
fn fold_char(fold: &tables::CharMap, c: char) -> Folding {
    // Most characters of Chinese news are unified ideographs: one table load.
    if ('\u{4e00}'..='\u{9fff}').contains(&c) {
        return Folding::Char(fold.get(c));
    }
    match c {
        'A'..='Z' => Folding::Char(c.to_ascii_lowercase()),
        ' ' => Folding::Space,
        '\0'..='\u{7f}' if c.is_ascii_whitespace() => Folding::Space,
        '\0'..='\u{7f}' if c.is_ascii_control() => Folding::Drop,
        '\0'..='\u{7f}' => Folding::Char(c),
        // Zero-width space, joiners, word joiner, byte order mark, soft hyphen.
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => Folding::Drop,
        '\u{3000}' | '\u{a0}' => Folding::Space,
        _ if c.is_whitespace() => Folding::Space,
        _ if c.is_control() => Folding::Drop,
        // Punctuation families, before the width fold so that full-width
        // forms of them land on the same character.
        '「' | '」' | '『' | '』' | '“' | '”' | '„' | '〝' | '〞' | '＂' | '«' | '»' | '‘'
        | '’' | '＇' | '‚' | '﹁' | '﹂' | '﹃' | '﹄' => Folding::Char('"'),
        '【' | '】' | '〔' | '〕' | '〖' | '〗' | '［' | '］' | '《' | '》' | '〈' | '〉'
        | '（' | '）' => Folding::Char(match c {
            '【' | '〔' | '〖' | '［' => '[',
            '】' | '〕' | '〗' | '］' => ']',
            '《' | '〈' => '<',
            '》' | '〉' => '>',
            '（' => '(',
            _ => ')',
        }),
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' | '﹣' | '─' | '～' | '〜' => {
            Folding::Char('-')
        }
        '·' | '・' | '‧' | '•' | '∙' | '⋅' | '･' => Folding::Char('·'),
        '，' | '、' | '﹐' | '﹑' | '､' => Folding::Char(','),
        '。' | '｡' | '．' => Folding::Char('.'),
        '\u{ff01}'..='\u{ff5e}' => {
            // Full-width ASCII: a fixed offset from the ASCII block.
            let ascii = char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c);
            Folding::Char(ascii.to_ascii_lowercase())
        }
        // CJK compatibility ideographs (兩 U+F978 for 兩 U+5169, found in a
        // corpus article) have canonical singleton decompositions: apply
        // them, then fold the unified ideograph.
        '\u{f900}'..='\u{faff}' | '\u{2f800}'..='\u{2fa1f}' => {
            let mut unified = c;
            unicode_normalization::char::decompose_canonical(c, |d| unified = d);
            Folding::Char(fold.get(unified))
        }
        _ => Folding::Char(fold.get(c)),
    }
}

/// Steps 1-4 of the module docs (everything but the vocabulary).
fn fold_chars(text: &str) -> Cow<'_, str> {
    // Dereferenced once: a `LazyLock` check per character costs 10-15%.
    let fold = &*tables::FOLD;
    // Fast path: find the first byte where the text is not already folded.
    let bytes = text.as_bytes();
    let leading = bytes.first().is_some_and(|&b| b == b' ');
    let trailing = bytes.last().is_some_and(|&b| b == b' ');
    let mut previous_space = true;
    let mut first_change = None;
    if !leading && !trailing {
        for (at, c) in text.char_indices() {
            let unchanged = match fold_char(fold, c) {
                Folding::Char(f) => f == c,
                Folding::Space => c == ' ' && !previous_space,
                Folding::Drop => false,
            };
            if !unchanged {
                first_change = Some(at);
                break;
            }
            previous_space = c == ' ';
        }
        if first_change.is_none() {
            return Cow::Borrowed(text);
        }
    }
    let start = first_change.unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    let mut pending_space = false;
    if out.ends_with(' ') {
        out.pop();
        pending_space = true;
    }
    for c in text[start..].chars() {
        match fold_char(fold, c) {
            Folding::Drop => {}
            Folding::Space => pending_space = !out.is_empty(),
            Folding::Char(f) => {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(f);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_entry_is_needed_and_works() {
        let n = Normalizer::new();
        for (variant, canonical, note) in tables::builtin_vocabulary() {
            assert_ne!(
                fold_chars(variant),
                fold_chars(canonical),
                "entry {variant}/{canonical} ({note}) is not needed"
            );
            assert_eq!(n.fold(variant), n.fold(canonical), "{variant}/{canonical} ({note})");
            // In running text, in both scripts.
            let in_text = format!("報導說{variant}表示");
            let other = format!("报道说{canonical}表示");
            assert_eq!(n.fold(&in_text), n.fold(&other), "{note}");
        }
    }

    #[test]
    fn variant_classes_fold_together() {
        let n = Normalizer::new();
        for (a, b) in [
            ("着", "著"),
            ("想象", "想像"),
            ("卫", "衞"),
            ("里", "裏"),
            ("里", "裡"),
            ("两", "\u{f978}"),
        ] {
            assert_eq!(n.fold(a), n.fold(b), "{a}/{b}");
        }
    }

    #[test]
    fn canonical_forms_are_common_simplified_characters() {
        // Folded text is what link evidence shows; each of these folded to a
        // rare variant (投赀, 高筦, 审査, 最坯) when the lowest code point won.
        let n = Normalizer::new();
        for (text, canonical) in [
            ("投資者", "投资者"),
            ("高管", "高管"),
            ("審查", "审查"),
            ("最壞", "最坏"),
            ("儘量", "尽量"),
            ("逾期", "逾期"),
            ("工具", "工具"),
            ("煉油", "炼油"),
        ] {
            assert_eq!(n.fold(text), canonical, "{text}");
        }
    }

    #[test]
    fn whitespace_is_collapsed_and_trimmed() {
        let n = Normalizer::new();
        assert_eq!(n.fold("  a \t\n b  "), "a b");
        assert_eq!(n.fold("　　王毅"), "王毅");
        assert_eq!(n.fold("a\u{200b}b"), "ab");
        assert_eq!(n.fold(""), "");
        assert_eq!(n.fold(" \n "), "");
        assert!(matches!(n.fold("already folded"), Cow::Borrowed(_)));
    }

    #[test]
    fn fold_mapped_agrees_with_fold() {
        let n = Normalizer::new();
        for text in ["  普丁 說「好」 ", "ＡＢＣ　川普", "", "a\u{200b} b"] {
            let mapped = n.fold_mapped(text);
            assert_eq!(mapped.text, n.fold(text));
            assert_eq!(mapped.origin.len(), mapped.text.len());
            assert!(mapped.origin.iter().all(|&o| text.is_char_boundary(o)));
        }
    }

    /// Text made of table characters, vocabulary, punctuation and spaces.
    fn text_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        let mut pool: Vec<String> = tables::FOLD_SOURCE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .step_by(7)
            .flat_map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
            .collect();
        pool.extend(
            tables::builtin_vocabulary().flat_map(|(v, c, _)| [v.to_string(), c.to_string()]),
        );
        pool.extend(
            [
                "「", "」", "，", "。", " ", "　", "\u{200b}", "Ａ", "b", "1", "著", "着", "乾隆",
                "角徵",
            ]
            .map(str::to_string),
        );
        proptest::collection::vec(proptest::sample::select(pool), 0..40).prop_map(|v| v.concat())
    }

    use proptest::prelude::*;
    proptest! {
        #[test]
        fn fold_is_idempotent(text in text_strategy()) {
            let n = Normalizer::new();
            let once = n.fold(&text).into_owned();
            prop_assert_eq!(n.fold(&once), once.as_str());
        }

        #[test]
        fn fold_ignores_t2s(text in text_strategy()) {
            let n = Normalizer::new();
            let converted = n.t2s(&text);
            prop_assert_eq!(n.fold(&converted), n.fold(&text));
        }

        #[test]
        fn fold_mapped_text_equals_fold(text in text_strategy()) {
            let n = Normalizer::new();
            let mapped = n.fold_mapped(&text);
            prop_assert_eq!(mapped.text.as_str(), n.fold(&text));
            prop_assert_eq!(mapped.origin.len(), mapped.text.len());
        }
    }

    #[test]
    fn bad_vocabulary_is_rejected() {
        assert!(Normalizer::builder().vocabulary_entry("", "x").build().is_err());
        let err = Normalizer::builder()
            .builtin_vocabulary(false)
            .vocabulary_entry("ab", "c")
            .vocabulary_entry("c", "xabx")
            .build();
        assert!(err.is_err());
    }
}
