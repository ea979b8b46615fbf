//! Features and 64-bit simhash fingerprints (stage 3 of the pipeline).
//!
//! A folded text is cut with `unicode-segmentation` into word-bound
//! segments: runs of Han characters become overlapping character n-grams
//! (UAX #29 gives one segment an ideograph), Latin words are lower-cased
//! tokens and numbers are tokens of their own; punctuation and spaces are
//! skipped. Each feature is hashed with XXH3-64 (seed 0) over its UTF-8
//! bytes, which is specified, endian-independent and stable across
//! platforms and releases, so fingerprints can be stored.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64;

/// A 64-bit simhash.
///
/// ```
/// use zhdedup::Fingerprint;
/// let a = Fingerprint(0b1011);
/// assert_eq!(a.hamming_distance(Fingerprint(0b0001)), 2);
/// assert_eq!(a.hamming_distance(a), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The number of bits in which two fingerprints differ (0 to 64).
    #[inline]
    pub fn hamming_distance(self, other: Fingerprint) -> u32 {
        (self.0 ^ other.0).count_ones()
    }

    /// Whether the two differ in at most `max_distance` bits: the test an
    /// index runs on every candidate, so it avoids `count_ones`. On the
    /// default x86-64 target (no POPCNT instruction) `count_ones` is a
    /// dozen-instruction bit-twiddling sequence; clearing the lowest set bit
    /// `max_distance` times and testing for zero is two instructions a bit,
    /// portable, and needs no runtime detection or `unsafe`. For distances
    /// above 4 `count_ones` is shorter and is used. (Measured in
    /// `cargo bench --bench pipeline`, group `index`.)
    ///
    /// ```
    /// use zhdedup::Fingerprint;
    /// let a = Fingerprint(0b1011);
    /// assert!(a.is_within(Fingerprint(0b0001), 2));
    /// assert!(!a.is_within(Fingerprint(0b0001), 1));
    /// ```
    #[inline]
    pub fn is_within(self, other: Fingerprint, max_distance: u32) -> bool {
        let mut differing = self.0 ^ other.0;
        if max_distance > 4 {
            return differing.count_ones() <= max_distance;
        }
        for _ in 0..max_distance {
            differing &= differing.wrapping_sub(1);
        }
        differing == 0
    }
}

/// Is `c` a Han ideograph (CJK Unified Ideographs, extensions, compatibility)?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

/// Calls `emit` with every feature of `folded` text: character `n`-grams of
/// Han runs (a run shorter than `n` is one feature), lower-cased Latin words
/// and numbers. Features are string slices of the input.
///
/// ```
/// let mut features = Vec::new();
/// zhdedup::for_each_feature("王毅说g20会议", 2, |f| features.push(f));
/// assert_eq!(features, ["王毅", "毅说", "g20", "会议"]);
/// ```
pub fn for_each_feature<'a>(folded: &'a str, n: usize, emit: impl FnMut(&'a str)) {
    let mut cutter = Cutter { text: folded, n: n.max(1), run: Vec::new(), run_end: 0, emit };
    // Most of a Chinese text is Han characters, and UAX #29 makes each of
    // them a word of its own, so asking the segmenter about every one is
    // most of the cost of feature extraction. A Han character is a word
    // boundary on both sides unless an Extend, Format or ZWJ character
    // follows it (rule WB4 attaches those); no ASCII or Han character is one
    // of those. So a Han character followed by Han, ASCII or the end of the
    // text is cut here, and only the stretches between such characters go
    // through the segmenter. Cutting a stretch on its own gives the cuts it
    // gets in context: the rules that look past a stretch's ends (WB6, WB7,
    // WB11, WB12, WB15, WB16) see a Han character there, which matches none
    // of them, just as the start or end of the text does. A property test
    // checks this against the segmenter over the whole text.
    let mut stretch_start: Option<usize> = None;
    let mut chars = folded.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let alone =
            is_han(c) && chars.peek().is_none_or(|&(_, next)| next.is_ascii() || is_han(next));
        if !alone {
            stretch_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = stretch_start.take() {
            cutter.stretch(start, &folded[start..at]);
        }
        cutter.han(at, at + c.len_utf8());
    }
    if let Some(start) = stretch_start {
        cutter.stretch(start, &folded[start..]);
    }
    cutter.flush();
}

/// The state of [`for_each_feature`]: the Han run being cut into n-grams.
struct Cutter<'a, F> {
    text: &'a str,
    n: usize,
    /// Byte offsets of the Han characters of the current run.
    run: Vec<usize>,
    run_end: usize,
    emit: F,
}

impl<'a, F: FnMut(&'a str)> Cutter<'a, F> {
    /// A Han character that is a word of its own, at `start..end`.
    #[inline]
    fn han(&mut self, start: usize, end: usize) {
        if !self.run.is_empty() && self.run_end != start {
            self.flush();
        }
        self.run.push(start);
        self.run_end = end;
    }

    /// Cuts `stretch` (at byte `offset` of the text) with the segmenter.
    fn stretch(&mut self, offset: usize, stretch: &'a str) {
        for (at, word) in stretch.split_word_bound_indices() {
            let mut chars = word.chars();
            let first = chars.next().unwrap_or(' ');
            if is_han(first) && chars.next().is_none() {
                self.han(offset + at, offset + at + word.len());
                continue;
            }
            self.flush();
            if word.chars().any(char::is_alphanumeric) {
                (self.emit)(word);
            }
        }
    }

    /// Emits the n-grams of the current run and ends it.
    fn flush(&mut self) {
        let (run, n, end) = (&self.run, self.n, self.run_end);
        if run.is_empty() {
            return;
        }
        if run.len() < n {
            (self.emit)(&self.text[run[0]..end]);
        } else {
            for i in 0..=run.len() - n {
                let stop = if i + n < run.len() { run[i + n] } else { end };
                (self.emit)(&self.text[run[i]..stop]);
            }
        }
        self.run.clear();
    }
}

/// The stable 64-bit hash of one feature.
#[inline]
pub fn feature_hash(feature: &str) -> u64 {
    xxh3_64(feature.as_bytes())
}

/// The weighted simhash of `(feature hash, weight)` pairs: bit `i` is set
/// when the weights of features with bit `i` set outweigh those without.
/// No features give `Fingerprint(0)`.
///
/// ```
/// use zhdedup::{feature_hash, simhash};
/// let one = simhash([(feature_hash("王毅"), 1.0)]);
/// assert_eq!(one.0, feature_hash("王毅"));
/// ```
pub fn simhash(features: impl IntoIterator<Item = (u64, f32)>) -> Fingerprint {
    let mut sums = [0f32; 64];
    for (hash, weight) in features {
        // One table row per byte of the hash gives the ±1 signs of its 8
        // bits, so each feature costs 8 row loads and 64 multiply-adds that
        // the compiler vectorises, with no per-bit shift or int-to-float
        // conversion (about twice as fast as computing the signs).
        for (byte, lanes) in sums.chunks_exact_mut(8).enumerate() {
            let row = &SIGNS[(hash >> (8 * byte)) as usize & 0xff];
            for (sum, sign) in lanes.iter_mut().zip(row) {
                *sum += sign * weight;
            }
        }
    }
    let mut fingerprint = 0u64;
    for (bit, sum) in sums.iter().enumerate() {
        if *sum > 0.0 {
            fingerprint |= 1 << bit;
        }
    }
    Fingerprint(fingerprint)
}

/// `SIGNS[b][j]` is +1 when bit `j` of the byte `b` is set, else −1.
static SIGNS: [[f32; 8]; 256] = {
    let mut table = [[0f32; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            table[byte][bit] = if byte >> bit & 1 == 1 { 1.0 } else { -1.0 };
            bit += 1;
        }
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str, n: usize) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_feature(text, n, |f| out.push(f));
        out
    }

    /// The cutting rule applied with the segmenter over the whole text: what
    /// `for_each_feature` must give.
    fn reference(text: &str, n: usize) -> Vec<&str> {
        fn flush<'t>(
            text: &'t str,
            n: usize,
            run: &mut Vec<(usize, usize)>,
            out: &mut Vec<&'t str>,
        ) {
            if run.len() < n {
                if let (Some(first), Some(last)) = (run.first(), run.last()) {
                    out.push(&text[first.0..last.1]);
                }
            } else {
                out.extend(run.windows(n).map(|w| &text[w[0].0..w[n - 1].1]));
            }
            run.clear();
        }
        let mut out = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        for (at, word) in text.split_word_bound_indices() {
            let han = word.chars().count() == 1 && word.chars().all(is_han);
            if han && run.last().is_none_or(|last| last.1 == at) {
                run.push((at, at + word.len()));
                continue;
            }
            flush(text, n, &mut run, &mut out);
            if han {
                run.push((at, at + word.len()));
            } else if word.chars().any(char::is_alphanumeric) {
                out.push(word);
            }
        }
        flush(text, n, &mut run, &mut out);
        out
    }

    #[test]
    fn han_ngrams_latin_words_numbers() {
        assert_eq!(features("王毅说g20会议", 2), ["王毅", "毅说", "g20", "会议"]);
        assert_eq!(features("中俄 1200亿美元 trump", 3), ["中俄", "1200", "亿美元", "trump"]);
        assert_eq!(features("，。!", 2), Vec::<&str>::new());
        assert_eq!(features("普", 3), ["普"]);
    }

    /// Text mixing the characters the fast path and the segmenter must agree
    /// on: Han, ASCII letters, digits and punctuation, combining marks and
    /// variation selectors (Extend), format characters and ZWJ, regional
    /// indicators, Katakana, Hangul, full-width forms, line breaks.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "王",
            "毅",
            "说",
            "会",
            "议",
            "𠀀",
            "兩",
            "a",
            "Z",
            "1",
            "2",
            ".",
            ",",
            "'",
            ":",
            " ",
            "\n",
            "\r\n",
            "-",
            "_",
            "\u{301}",
            "\u{fe00}",
            "\u{e0100}",
            "\u{200d}",
            "\u{200b}",
            "\u{ad}",
            "\u{1f1e8}",
            "\u{1f1f3}",
            "カ",
            "ー",
            "한",
            "\u{302a}",
            "\u{ff0c}",
            "\u{ff21}",
            "，",
            "。",
            "🙂",
            "é",
            "٣",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_path_cuts_as_the_segmenter_does(text in mixed_text(), n in 1usize..5) {
            proptest::prop_assert_eq!(features(&text, n), reference(&text, n));
        }
    }

    proptest::proptest! {
        #[test]
        fn is_within_agrees_with_the_distance(a: u64, b: u64, flips in 0u32..8, k in 0u32..16) {
            // Mostly near pairs: `b` folded into a few bits of `a`.
            let near = a ^ (b & b.rotate_left(flips * 7) & b.rotate_left(flips * 13));
            for other in [b, near] {
                let (x, y) = (Fingerprint(a), Fingerprint(other));
                proptest::prop_assert_eq!(x.is_within(y, k), x.hamming_distance(y) <= k);
            }
        }
    }

    #[test]
    fn hashes_are_pinned() {
        // Fingerprints may be persisted: these values must never change.
        assert_eq!(feature_hash("王毅"), PINNED_FEATURE);
        let fingerprint = simhash(["王毅", "拉夫罗夫", "莫斯科"].map(|f| (feature_hash(f), 1.0)));
        assert_eq!(fingerprint, PINNED_SIMHASH);
    }

    const PINNED_FEATURE: u64 = 7468152634917392717;
    const PINNED_SIMHASH: Fingerprint = Fingerprint(17214233053063680204);
}
