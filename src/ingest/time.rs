//! The publish-time contract: which texts and numbers are times, and how.
//!
//! The rules are documented once, on [`crate::Published`]; this module
//! implements them. Every function returns the reason a value was refused,
//! so the loader can name it in a warning or an error.

use std::sync::LazyLock;

use jiff::tz::{Offset, TimeZone};
use regex::Regex;

/// Epoch numbers whose magnitude is below this are seconds, the rest
/// milliseconds. 10^11 seconds is the year 5138, and 10^11 milliseconds is
/// 1973-03-03: no news archive holds either, so the rule is unambiguous for
/// every real publish time.
pub(crate) const SECONDS_BELOW: i64 = 100_000_000_000;

/// The earliest time accepted, in milliseconds (jiff's range).
pub(crate) fn min_ms() -> i64 {
    crate::Published::MIN_UTC_MS
}

/// The latest time accepted, in milliseconds (jiff's range).
pub(crate) fn max_ms() -> i64 {
    crate::Published::MAX_UTC_MS
}

/// The default zone of times written without an offset: UTC+8 (Beijing,
/// Taipei, Hong Kong, Singapore), where most Chinese news is published.
pub(crate) const DEFAULT_OFFSET_MINUTES: i32 = 8 * 60;

/// The widest offset [`crate::LoaderBuilder::utc_offset_minutes`] accepts
/// (±18 hours, as ISO 8601 and java.time; real zones stay within ±14).
pub(crate) const MAX_OFFSET_MINUTES: i32 = 18 * 60;

/// What [`parse_text`] accepts, for the refusal message.
const ACCEPTED: &str = "expected RFC 3339, RFC 2822, `YYYY-MM-DD[ HH:MM[:SS]]` (also with `/` \
                        or 年月日), or epoch seconds or milliseconds";

/// Milliseconds in range, or why not.
pub(crate) fn in_range(ms: i64) -> Result<i64, String> {
    if (min_ms()..=max_ms()).contains(&ms) {
        Ok(ms)
    } else {
        Err(format!("{ms} ms is outside the years -9999 to 9999"))
    }
}

/// An epoch number by the magnitude rule ([`SECONDS_BELOW`]).
pub(crate) fn from_epoch(n: i64) -> Result<i64, String> {
    if n.unsigned_abs() < SECONDS_BELOW.unsigned_abs() {
        // Cannot overflow: |n| < 10^11.
        Ok(n * 1000)
    } else {
        in_range(n)
    }
}

/// A fractional epoch number (`1604365323.5`, as Python's `time.time()`
/// writes) by the same magnitude rule, rounded to the millisecond.
pub(crate) fn from_epoch_float(x: f64) -> Result<i64, String> {
    if !x.is_finite() {
        return Err(format!("{x} is not a time"));
    }
    let ms = if x.abs() < SECONDS_BELOW as f64 { x * 1000.0 } else { x };
    let ms = ms.round();
    // Compared as floats first: `as` saturates, and a saturated value must
    // not pass as in range.
    if ms < min_ms() as f64 || ms > max_ms() as f64 {
        return Err(format!("{x} is outside the years -9999 to 9999"));
    }
    in_range(ms as i64)
}

/// `2020-11-11`, `2020-11-11 08:00`, `2020-11-11T08:00:00.5`,
/// `2020/11/11 08:00`, `2020年11月11日 08时00分`: a civil time without offset.
static CIVIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?:[T ]?\s*(\d{1,2})[:：时時](\d{2})(?:[:：分](\d{2})(?:\.(\d{1,9}))?秒?|分)?)?$",
    )
    .expect("valid civil time pattern")
});

/// A civil time in `zone`.
fn parse_civil(text: &str, zone: Offset) -> Option<Result<i64, String>> {
    let caps = CIVIL.captures(text)?;
    let number = |i: usize| caps.get(i).map_or(0, |m| m.as_str().parse::<i32>().unwrap_or(-1));
    let year = number(1);
    let (month, day) = if caps.get(2).is_some() {
        (number(2), number(3))
    } else if caps.get(4).is_some() {
        (number(4), number(5))
    } else {
        (number(6), number(7))
    };
    let (hour, minute, second) = (number(8), number(9), number(10));
    let nanos = caps.get(11).map_or(0, |m| {
        // Right-padded to nine digits: `.5` is half a second.
        let digits = format!("{:0<9}", m.as_str());
        digits.parse::<i32>().unwrap_or(0)
    });
    let parts = (
        i16::try_from(year),
        i8::try_from(month),
        i8::try_from(day),
        i8::try_from(hour),
        i8::try_from(minute),
        i8::try_from(second),
    );
    let (Ok(y), Ok(mo), Ok(d), Ok(h), Ok(mi), Ok(s)) = parts else {
        return Some(Err("a field of the date or time is out of range".into()));
    };
    let civil = match jiff::civil::DateTime::new(y, mo, d, h, mi, s, nanos) {
        Ok(civil) => civil,
        Err(err) => return Some(Err(format!("not a valid date and time: {err}"))),
    };
    Some(
        civil
            .to_zoned(TimeZone::fixed(zone))
            .map(|z| z.timestamp().as_millisecond())
            .map_err(|err| format!("not a valid time: {err}"))
            .and_then(in_range),
    )
}

/// A publish time from text, by the rules on [`crate::Published`]; a time
/// without an offset is in `zone`.
pub(crate) fn parse_text(text: &str, zone: Offset) -> Result<i64, String> {
    let text = text.trim().trim_matches(['"', '\'']).trim();
    if text.is_empty() {
        return Err("empty".into());
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Ok(zoned.timestamp().as_millisecond());
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+') {
        if let Ok(n) = text.parse::<i64>() {
            return from_epoch(n);
        }
        if text.trim_start_matches(['-', '+']).bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("epoch number {text} is outside the years -9999 to 9999"));
        }
    }
    if text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && let Ok(x) = text.parse::<f64>()
    {
        return from_epoch_float(x);
    }
    if let Some(result) = parse_civil(text, zone) {
        return result;
    }
    Err(ACCEPTED.into())
}

/// The offset `minutes` east of UTC, checked.
pub(crate) fn offset(minutes: i32) -> Option<Offset> {
    if minutes.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
        return None;
    }
    // Within ±18 hours, so the seconds fit and jiff accepts them.
    Offset::from_seconds(minutes * 60).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beijing() -> Offset {
        offset(DEFAULT_OFFSET_MINUTES).unwrap()
    }

    /// 2020-11-03 00:22:03 UTC.
    const MS: i64 = 1_604_362_923_000;

    #[test]
    fn accepted_forms() {
        let cases: &[(&str, i64)] = &[
            ("2020-11-03T00:22:03Z", MS),
            ("2020-11-03T08:22:03+08:00", MS),
            ("2020-11-03 08:22:03+08:00", MS),
            ("Tue, 03 Nov 2020 08:22:03 +0800", MS),
            ("1604362923", MS),
            ("1604362923000", MS),
            ("1604362923.5", MS + 500),
            ("2020-11-03 08:22:03", MS),
            ("2020-11-03T08:22:03", MS),
            ("2020-11-03T08:22:03.250", MS + 250),
            ("2020-11-03 08:22", MS - 3_000),
            ("2020/11/03 08:22:03", MS),
            ("2020/11/3 08:22", MS - 3_000),
            ("2020年11月03日 08:22:03", MS),
            ("2020年11月3日08时22分", MS - 3_000),
            ("2020年11月3日", MS - 8 * 3_600_000 - 22 * 60_000 - 3_000),
            ("2020-11-03", MS - 8 * 3_600_000 - 22 * 60_000 - 3_000),
            ("\"2020-11-03T00:22:03Z\"", MS),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_text(text, beijing()), Ok(want), "{text}");
        }
    }

    #[test]
    fn refused_forms_say_why() {
        for text in [
            "yesterday",
            "2020-13-45",
            "2020-02-30",
            "2020-11-03 25:00",
            "",
            "9223372036854775807",
            "-9223372036854775807",
            "99999999999999999999",
            "1e400",
            "NaN",
        ] {
            let err = parse_text(text, beijing()).unwrap_err();
            assert!(!err.is_empty(), "{text}");
        }
    }

    #[test]
    fn magnitude_rule_and_range() {
        assert_eq!(from_epoch(1_604_362_923), Ok(MS));
        assert_eq!(from_epoch(MS), Ok(MS));
        assert_eq!(from_epoch(-1), Ok(-1000));
        assert_eq!(from_epoch(SECONDS_BELOW - 1), Ok((SECONDS_BELOW - 1) * 1000));
        assert_eq!(from_epoch(SECONDS_BELOW), Ok(SECONDS_BELOW));
        assert!(from_epoch(i64::MAX).is_err());
        assert!(from_epoch(i64::MIN).is_err());
        assert!(from_epoch_float(f64::MAX).is_err());
        assert!(from_epoch_float(f64::INFINITY).is_err());
        assert_eq!(from_epoch_float(1_604_362_923.25), Ok(MS + 250));
    }

    #[test]
    fn the_published_range_is_jiffs() {
        // Every accepted time can be displayed and converted by jiff.
        assert_eq!(min_ms(), jiff::Timestamp::MIN.as_millisecond());
        assert_eq!(max_ms(), jiff::Timestamp::MAX.as_millisecond());
        assert_eq!(in_range(max_ms()), Ok(max_ms()));
        assert!(in_range(max_ms() + 1).is_err() && in_range(min_ms() - 1).is_err());
    }

    #[test]
    fn zone_applies_only_without_offset() {
        let utc = offset(0).unwrap();
        assert_eq!(parse_text("2020-11-03 00:22:03", utc), Ok(MS));
        assert_eq!(parse_text("2020-11-03T00:22:03Z", utc), Ok(MS));
        assert_eq!(parse_text("2020-11-03T08:22:03+08:00", utc), Ok(MS));
        assert!(offset(18 * 60 + 1).is_none());
        assert!(offset(i32::MIN).is_none());
    }
}
