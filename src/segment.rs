//! Word segmentation of folded text, for word-level evidence.
//!
//! Character bigrams (the title and lead vectors) find reports that share
//! wording; words weigh names and actions as a reader does ("特朗普" is one
//! term, not the two bigrams 特朗 and 朗普, and "会见" is not "见美"). On
//! the labelled days, word cosines beat bigram cosines as single pair
//! features (DESIGN.md, "Evidence").
//!
//! Segmentation is `jieba-rs` with its bundled dictionary and without the
//! HMM for unknown words (it guesses, and its guesses for the two scripts'
//! folds of one name can differ); the single characters the dictionary
//! leaves of an unknown name are joined back into one term. Folded text is
//! close to Simplified, the dictionary's script.

use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// The dictionary is built once per process (about 0.3 s) and shared by
/// every thread: `Jieba` is immutable once built.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Calls `each` with every word of `text` worth weighing and its byte range
/// in `text`: dictionary words of two or more characters, and runs of two
/// or more single characters the dictionary does not join (a name it does
/// not know, 王毅 or 蔣正志, comes out as single characters), a run of three
/// or more also as its character pairs; a lone single character (mostly
/// particles and verbs any headline has) and punctuation are skipped.
pub(crate) fn for_each_word(text: &str, mut each: impl FnMut(&str, Range<usize>)) {
    // The pending run of single characters: its byte range and length.
    let mut run: Option<(Range<usize>, usize)> = None;
    // A run of three or more also gives its character pairs: the run may
    // hold a verb or a particle with the name (`莫迪删` in "莫迪删微博帐号"
    // against `莫迪` in "莫迪删除微博"), and its pairs still meet the other
    // headline's name (LOG, 2026-12-07).
    let flush = |run: &mut Option<(Range<usize>, usize)>,
                 each: &mut dyn FnMut(&str, Range<usize>)| {
        let Some((range, n)) = run.take() else { return };
        if n < 2 {
            return;
        }
        each(&text[range.clone()], range.clone());
        if n > 2 {
            let mut bounds: Vec<usize> =
                text[range.clone()].char_indices().map(|(i, _)| range.start + i).collect();
            bounds.push(range.end);
            for pair in bounds.windows(3) {
                each(&text[pair[0]..pair[2]], pair[0]..pair[2]);
            }
        }
    };
    for token in JIEBA.cut(text, false) {
        let word = token.word;
        let single = token.end - token.start < 2;
        let wordlike = word.chars().any(char::is_alphanumeric);
        if single && wordlike && !word.is_ascii() {
            run = match run.take() {
                Some((range, n)) if range.end == token.byte_start => {
                    Some((range.start..token.byte_end, n + 1))
                }
                other => {
                    let mut other = other;
                    flush(&mut other, &mut each);
                    Some((token.byte_start..token.byte_end, 1))
                }
            };
            continue;
        }
        flush(&mut run, &mut each);
        if !single && wordlike {
            each(word, token.byte_start..token.byte_end);
        }
    }
    flush(&mut run, &mut each);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w, range| {
            assert_eq!(&text[range], w);
            out.push(w.to_string());
        });
        out
    }

    #[test]
    fn names_and_actions_are_whole_words() {
        let w = words("王毅会见俄罗斯外长拉夫罗夫");
        assert!(w.contains(&"王毅".to_string()), "{w:?}");
        assert!(w.contains(&"俄罗斯".to_string()), "{w:?}");
        assert!(w.contains(&"会见".to_string()), "{w:?}");
        let w = words("蒋正志失联");
        assert!(w.iter().any(|x| x.contains("正志")), "{w:?}");
    }

    #[test]
    fn a_long_run_of_single_characters_also_gives_its_pairs() {
        // The dictionary does not know 莫迪; here it leaves 删, 微 and 博
        // single too, and the run is `莫迪删微博`.
        let joined = words("莫迪删微博帐号");
        let apart = words("印度总理莫迪删除微博认证账号");
        assert!(apart.contains(&"莫迪".to_string()), "{apart:?}");
        assert!(joined.contains(&"莫迪删微博".to_string()), "{joined:?}");
        assert!(joined.contains(&"莫迪".to_string()), "{joined:?}");
        assert!(joined.contains(&"微博".to_string()), "{joined:?}");
        assert_eq!(words("王毅"), ["王毅"], "a pair is one word");
    }

    #[test]
    fn punctuation_and_single_characters_are_skipped() {
        let w = words("他说：“是。” 2020 G20 在");
        assert!(w.iter().all(|x| x.chars().count() >= 2), "{w:?}");
        assert!(w.contains(&"2020".to_string()), "{w:?}");
        assert!(w.contains(&"G20".to_string()), "{w:?}");
        assert!(words("").is_empty());
    }
}
