//! Bytes to text: UTF-8, UTF-16 with a byte order mark, GB18030/GBK or Big5.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use crate::error::{Error, ErrorKind};

/// How much of a file is sniffed for binary content.
const SNIFF_BYTES: usize = 8 * 1024;

/// A decoded text may hold at most this share of U+FFFD replacement
/// characters (per mille) before the guess is rejected as undecodable: a few
/// broken bytes in a long article are kept, garbage is not.
const MAX_REPLACEMENT_PER_MILLE: usize = 5;

/// Decodes `bytes`, returning the text (BOM removed, CRLF and CR as LF) and
/// the name of the encoding used.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, &'static str), Error> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors && too_many_replacements(&text) {
            return Err(Error::new(ErrorKind::Undecodable { encoding: encoding.name() }));
        }
        return Ok((line_ends(text.into_owned()), encoding.name()));
    }
    if looks_binary(bytes) {
        return Err(Error::new(ErrorKind::Binary));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((line_ends(text.to_string()), UTF_8.name()));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // GBK is decoded as its superset GB18030.
    let guess = if guess == encoding_rs::GBK { GB18030 } else { guess };
    // chardetng confuses GB18030 and Big5 on short texts (a 300-byte Big5
    // article came out as GB18030 mojibake). Both decode almost any byte pair,
    // so decode with each and keep the one whose Han characters are common
    // ones; chardetng's guess breaks ties and covers non-Chinese encodings.
    let best = [GB18030, encoding_rs::BIG5]
        .into_iter()
        .filter_map(|candidate| {
            let (text, had_errors) = candidate.decode_without_bom_handling(bytes);
            (!had_errors).then(|| (common_han_share(&text), candidate == guess, candidate, text))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
        .filter(|best| best.0 > 0.0);
    // The winner decoded without errors: keep its text rather than decode again.
    if let Some((_, _, encoding, text)) = best {
        return Ok((line_ends(text.into_owned()), encoding.name()));
    }
    if guess == UTF_16LE || guess == UTF_16BE {
        return Err(Error::new(ErrorKind::Undecodable { encoding: guess.name() }));
    }
    let (text, _, had_errors) = guess.decode(bytes);
    if had_errors && too_many_replacements(&text) {
        return Err(Error::new(ErrorKind::Undecodable { encoding: guess.name() }));
    }
    Ok((line_ends(text.into_owned()), guess.name()))
}

/// Very common characters of news text in both scripts: a correct decoding
/// of Chinese text is full of them, a wrong one almost never.
const COMMON_HAN: &str = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出也\
    得里裡后後自会會家可下而过過天去能对對小多然于於心学學么麼之都好看起发發当當没沒成只如事把还還用\
    第样樣道想作种種开開美总總从從无無情己面最女但现現前些所同日手又行意动動方期它头頭经經长長儿兒回\
    位分年月表示政府台湾灣北京美国國外交部长長关關系係市民新闻聞报報导導记記者警察公司经經济濟发發展";

/// Share of Han characters in `text` that are in [`COMMON_HAN`].
fn common_han_share(text: &str) -> f64 {
    let (mut han, mut common) = (0usize, 0usize);
    for c in text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
        han += 1;
        if COMMON_HAN.contains(c) {
            common += 1;
        }
    }
    if han == 0 { 0.0 } else { common as f64 / han as f64 }
}

fn too_many_replacements(text: &str) -> bool {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
    bad * 1000 > total * MAX_REPLACEMENT_PER_MILLE
}

/// NUL bytes, or more than 10% C0 control bytes other than white space, in
/// the first [`SNIFF_BYTES`].
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let control =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 10 > head.len()
}

fn line_ends(text: String) -> String {
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_legacy_chinese_encodings() {
        let text = "王毅與拉夫羅夫在莫斯科會談，雙方討論了烏克蘭問題和兩國關係。";
        let (big5, _, _) = encoding_rs::BIG5.encode(text);
        assert_eq!(decode(&big5).unwrap(), (text.to_string(), "Big5"));
        let simplified = "王毅与拉夫罗夫在莫斯科会谈，双方讨论了乌克兰问题和两国关系。";
        let (gbk, _, _) = GB18030.encode(simplified);
        assert_eq!(decode(&gbk).unwrap(), (simplified.to_string(), "gb18030"));
    }

    #[test]
    fn handles_bom_and_line_ends() {
        let mut bytes = b"\xef\xbb\xbfa\r\nb\rc".to_vec();
        assert_eq!(decode(&bytes).unwrap().0, "a\nb\nc");
        bytes = vec![0xff, 0xfe, b'h', 0, b'i', 0];
        assert_eq!(decode(&bytes).unwrap().0, "hi");
    }

    #[test]
    fn rejects_binary() {
        let err = decode(b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap_err();
        assert_eq!(err.reason(), "binary");
        let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8 | 1).collect();
        assert!(decode(&noise).is_err());
    }
}
