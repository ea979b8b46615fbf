//! The generated OpenCC tables (see `scripts/gen_tables.py`), parsed once.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A character-to-character map with a flat array for the Basic Multilingual
/// Plane, where nearly all Han text lives: one indexed load a character
/// instead of a hash lookup, which is what makes folding run at memory speed.
pub(crate) struct CharMap {
    /// `bmp[c] == 0` means "unchanged"; otherwise the mapped code point.
    bmp: Box<[u32]>,
    astral: HashMap<char, char>,
}

impl CharMap {
    fn from_pairs(pairs: impl Iterator<Item = (char, char)>) -> CharMap {
        let mut bmp = vec![0u32; 0x1_0000].into_boxed_slice();
        let mut astral = HashMap::new();
        for (from, to) in pairs {
            match usize::try_from(u32::from(from)) {
                Ok(i) if i < bmp.len() => bmp[i] = u32::from(to),
                _ => {
                    astral.insert(from, to);
                }
            }
        }
        CharMap { bmp, astral }
    }

    /// The mapped character, or `c` itself.
    #[inline]
    pub(crate) fn get(&self, c: char) -> char {
        let code = u32::from(c);
        if code < 0x1_0000 {
            match self.bmp[code as usize] {
                0 => c,
                // The table was built from `char`s, so this cannot fail; the
                // fallback keeps the character rather than panicking.
                to => char::from_u32(to).unwrap_or(c),
            }
        } else {
            self.astral.get(&c).copied().unwrap_or(c)
        }
    }

    /// Whether `c` maps to something other than itself.
    #[inline]
    pub(crate) fn changes(&self, c: char) -> bool {
        self.get(c) != c
    }
}

fn rows(data: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    data.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t'))
}

fn single(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn char_pairs(data: &'static str) -> impl Iterator<Item = (char, char)> {
    rows(data).filter_map(|(k, v)| Some((single(k)?, single(v)?)))
}

/// OpenCC `TSCharacters`, first candidate.
pub(crate) static T2S_CHARACTERS: LazyLock<CharMap> =
    LazyLock::new(|| CharMap::from_pairs(char_pairs(include_str!("../tables/t2s_characters.tsv"))));

/// OpenCC `TSPhrases`, first candidate.
pub(crate) static T2S_PHRASES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| rows(include_str!("../tables/t2s_phrases.tsv")).collect());

/// The generated fold table's text.
pub(crate) const FOLD_SOURCE: &str = include_str!("../tables/fold.tsv");

/// Every character to the canonical member of its variant class.
pub(crate) static FOLD: LazyLock<CharMap> =
    LazyLock::new(|| CharMap::from_pairs(char_pairs(FOLD_SOURCE)));

/// Characters used by only one script: (Traditional-only, Simplified-only).
pub(crate) static SCRIPT_CHARS: LazyLock<(CharMap, CharMap)> = LazyLock::new(|| {
    let mut traditional = "";
    let mut simplified = "";
    for (name, chars) in rows(include_str!("../tables/script.tsv")) {
        match name {
            "traditional" => traditional = chars,
            "simplified" => simplified = chars,
            _ => {}
        }
    }
    // A CharMap used as a set: a member maps to U+0001.
    let set = |chars: &str| CharMap::from_pairs(chars.chars().map(|c| (c, '\u{1}')));
    (set(traditional), set(simplified))
});

/// The built-in vocabulary table: (variant, canonical, note).
pub(crate) fn builtin_vocabulary()
-> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    include_str!("vocabulary.tsv").lines().filter(|l| !l.starts_with('#')).filter_map(|l| {
        let mut parts = l.split('\t');
        Some((parts.next()?, parts.next()?, parts.next().unwrap_or("")))
    })
}
