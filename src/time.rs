//! Reading and writing message times (taxonomy §4) without a time crate and
//! without ever consulting the machine's local time zone.
//!
//! Accepted forms, all turned into Unix seconds:
//! - RFC 3339 with an offset: `2022-11-16T09:03:00+08:00`, `…Z`, fractional
//!   seconds (`…09:03:00.250+08:00`, truncated to the second), `t`/space
//!   instead of `T`;
//! - a wall-clock time without offset, read in a fixed offset (China Standard
//!   Time, +08:00, unless the caller says otherwise): `2022-11-16 09:03:00`,
//!   `2022/11/16 09:03:00`, `2022-11-16 09:03`, `2022-11-16T09:03:00`, with
//!   one- or two-digit month, day and hour (`2024/3/1 9:05`);
//! - Unix seconds as a string of up to 12 digits (an optional fractional part
//!   is truncated), or Unix milliseconds as exactly 13 digits: the one rule
//!   of every path (the export readers, the aggregator, the C ABI, Python).
//!
//! Whether a time is plausible (2000 to tomorrow, by default) is the
//! aggregator's question ([`AggregatorConfig`](crate::AggregatorConfig)).
//!
//! Years run from 0000 to 9999.
//!
//! ```
//! use jingmin::{parse_time, format_time, calendar_day, CHINA_STANDARD_TIME};
//!
//! let t = parse_time("2022-11-16T09:03:00+08:00", CHINA_STANDARD_TIME).unwrap();
//! assert_eq!(t, 1_668_560_580);
//! assert_eq!(parse_time("2022-11-16 09:03:00", CHINA_STANDARD_TIME).unwrap(), t);
//! assert_eq!(parse_time("1668560580", CHINA_STANDARD_TIME).unwrap(), t);
//! assert_eq!(parse_time("1668560580000", CHINA_STANDARD_TIME).unwrap(), t);
//! assert_eq!(format_time(t, 0), "2022-11-16T01:03:00+00:00");
//! assert_eq!(calendar_day(t, CHINA_STANDARD_TIME), "2022-11-16");
//! ```

use crate::error::{Error, Result};

/// China Standard Time, UTC+08:00 (no daylight saving), in seconds east of
/// UTC: the offset in which times without an offset are read by default.
pub const CHINA_STANDARD_TIME: i32 = 8 * 3600;

/// The earliest Unix time the library handles: 0000-01-01T00:00:00 at the
/// most eastern offset.
pub(crate) const MIN_TIME: i64 = -62_167_219_200 - 86_400;
/// The latest Unix time the library handles: 9999-12-31T23:59:59 at the most
/// western offset.
pub(crate) const MAX_TIME: i64 = 253_402_300_799 + 86_400;

/// The longest part of a bad time string an error message repeats.
const ECHO_MAX_CHARS: usize = 40;

/// Parse a message time into Unix seconds. Times without an offset are read
/// in `offset_seconds` east of UTC (use [`CHINA_STANDARD_TIME`] for +08:00).
///
/// Errors are [`Error::Time`], naming the field `time`, what was expected
/// and repeating (at most 40 characters of) the time string.
///
/// ```
/// use jingmin::{parse_time, CHINA_STANDARD_TIME};
/// // Read in UTC instead of China Standard Time: eight hours later.
/// let cst = parse_time("2024-03-01 10:00:00", CHINA_STANDARD_TIME).unwrap();
/// let utc = parse_time("2024-03-01 10:00:00", 0).unwrap();
/// assert_eq!(utc - cst, 8 * 3600);
/// assert!(parse_time("2023-02-29 10:00:00", CHINA_STANDARD_TIME).is_err());
/// ```
pub fn parse_time(s: &str, offset_seconds: i32) -> Result<i64> {
    parse_time_field("time", s, offset_seconds)
}

/// [`parse_time`] with the name of the field the string came from, for the
/// error message.
pub(crate) fn parse_time_field(field: &str, s: &str, offset_seconds: i32) -> Result<i64> {
    parse_inner(s.trim(), offset_seconds)
        .map_err(|why| Error::Time(format!("field `{field}`: {why}, got \"{}\"", echo(s))))
}

/// Format Unix seconds as RFC 3339 in a fixed offset, e.g.
/// `2022-11-16T09:03:00+08:00`.
///
/// ```
/// assert_eq!(jingmin::format_time(1_668_560_580, 8 * 3600), "2022-11-16T09:03:00+08:00");
/// assert_eq!(jingmin::format_time(0, -5 * 3600 - 1800), "1969-12-31T18:30:00-05:30");
/// ```
pub fn format_time(unix: i64, offset_seconds: i32) -> String {
    let local = unix.saturating_add(i64::from(offset_seconds));
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let off = i64::from(offset_seconds).abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60,
        off / 3600,
        (off / 60) % 60
    )
}

/// The calendar day `YYYY-MM-DD` of a Unix time in a fixed offset.
///
/// ```
/// // 2022-11-15T20:00:00Z is already the 16th in China Standard Time.
/// assert_eq!(jingmin::calendar_day(1_668_542_400, 8 * 3600), "2022-11-16");
/// assert_eq!(jingmin::calendar_day(1_668_542_400, 0), "2022-11-15");
/// ```
pub fn calendar_day(unix: i64, offset_seconds: i32) -> String {
    let (y, m, d) = civil_from_days(day_number(unix, offset_seconds));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a Unix time in a fixed offset.
pub(crate) fn day_number(unix: i64, offset_seconds: i32) -> i64 {
    unix.saturating_add(i64::from(offset_seconds)).div_euclid(86_400)
}

fn echo(s: &str) -> String {
    let mut out: String = s.chars().take(ECHO_MAX_CHARS).collect();
    if s.chars().nth(ECHO_MAX_CHARS).is_some() {
        out.push('…');
    }
    // A phone, ID or card number in a time field is never repeated whole.
    crate::mask::mask_embedded(&out).escape_debug().to_string()
}

/// Unix seconds (1 to 12 digits) or milliseconds (13 digits) written as
/// ASCII digits only, as Unix seconds: the export readers' use of the one
/// rule of [`parse_time`].
#[cfg_attr(not(feature = "ingest"), allow(dead_code))]
pub(crate) fn unix_digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_unix(s).ok()
}

const EXPECTED: &str =
    "expected RFC 3339 (2022-11-16T09:03:00+08:00), YYYY-MM-DD HH:MM:SS, YYYY/MM/DD HH:MM:SS or Unix seconds";

fn parse_inner(s: &str, offset_seconds: i32) -> std::result::Result<i64, String> {
    if s.is_empty() {
        return Err("empty time".into());
    }
    let b = s.as_bytes();
    if b.iter().all(|c| c.is_ascii_digit() || *c == b'.') && b.first().is_some_and(u8::is_ascii_digit) {
        return parse_unix(s);
    }
    let mut cur = Cursor { b, pos: 0 };
    let year = cur.digits(4, 4).ok_or_else(|| EXPECTED.to_string())?;
    let sep = cur.next().ok_or_else(|| EXPECTED.to_string())?;
    if sep != b'-' && sep != b'/' {
        return Err(EXPECTED.into());
    }
    let month = cur.digits(1, 2).ok_or("expected a month of 1 or 2 digits")?;
    if cur.next() != Some(sep) {
        return Err("expected the same separator between year, month and day".into());
    }
    let day = cur.digits(1, 2).ok_or("expected a day of 1 or 2 digits")?;
    match cur.next() {
        Some(b'T' | b't' | b' ') => {}
        None => return Err("a date alone has no time of day; expected YYYY-MM-DD HH:MM:SS".into()),
        Some(_) => return Err(EXPECTED.into()),
    }
    let hour = cur.digits(1, 2).ok_or("expected an hour of 1 or 2 digits")?;
    if cur.next() != Some(b':') {
        return Err("expected ':' after the hour".into());
    }
    let minute = cur.digits(2, 2).ok_or("expected minutes of 2 digits")?;
    let mut second = 0;
    if cur.peek() == Some(b':') {
        cur.pos += 1;
        second = cur.digits(2, 2).ok_or("expected seconds of 2 digits")?;
        if cur.peek() == Some(b'.') || cur.peek() == Some(b',') {
            cur.pos += 1;
            if cur.digits(1, 18).is_none() {
                return Err("expected digits after the decimal point of the seconds".into());
            }
            // Further digits beyond 18 are allowed and ignored.
            while cur.peek().is_some_and(|c| c.is_ascii_digit()) {
                cur.pos += 1;
            }
        }
    }
    let offset = match cur.next() {
        None => i64::from(offset_seconds),
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let oh = cur.digits(2, 2).ok_or("expected an offset of the form +HH:MM")?;
            let om = if cur.peek() == Some(b':') {
                cur.pos += 1;
                cur.digits(2, 2).ok_or("expected an offset of the form +HH:MM")?
            } else {
                cur.digits(2, 2).ok_or("expected an offset of the form +HH:MM")?
            };
            if oh > 23 || om > 59 {
                return Err("offset out of range (at most ±23:59)".into());
            }
            let o = oh * 3600 + om * 60;
            if sign == b'-' {
                -o
            } else {
                o
            }
        }
        Some(_) => return Err("unexpected characters after the time of day".into()),
    };
    if cur.peek().is_some() {
        return Err("unexpected characters after the offset".into());
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} out of range 1-12"));
    }
    let dim = days_in_month(year, month);
    if day < 1 || day > dim {
        return Err(format!("day {day} out of range 1-{dim} for {year:04}-{month:02}"));
    }
    if hour > 23 {
        return Err(format!("hour {hour} out of range 0-23"));
    }
    if minute > 59 {
        return Err(format!("minute {minute} out of range 0-59"));
    }
    if second > 59 {
        return Err(format!("second {second} out of range 0-59"));
    }
    let days = days_from_civil(year, month, day);
    Ok(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn parse_unix(s: &str) -> std::result::Result<i64, String> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) {
            return Err("expected Unix seconds as digits with at most one decimal point".into());
        }
    }
    let value: i64 = match int.len() {
        1..=12 => int.parse().map_err(|_| "expected Unix seconds as digits".to_string())?,
        13 if frac.is_none() => {
            let ms: i64 = int.parse().map_err(|_| "expected Unix milliseconds as 13 digits".to_string())?;
            ms / 1000
        }
        _ => return Err("expected Unix seconds (up to 12 digits) or Unix milliseconds (13 digits)".into()),
    };
    if value > 253_402_300_799 {
        return Err("Unix time after 9999-12-31".into());
    }
    Ok(value)
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// Between `min` and `max` ASCII digits (`max` ≤ 18), as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<i64> {
        let mut n: i64 = 0;
        let mut count = 0;
        while count < max {
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {
                    n = n * 10 + i64::from(c - b'0');
                    self.pos += 1;
                    count += 1;
                }
                _ => break,
            }
        }
        if count < min {
            None
        } else {
            Some(n)
        }
    }
}

pub(crate) fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CST: i32 = CHINA_STANDARD_TIME;

    fn p(s: &str) -> i64 {
        parse_time(s, CST).unwrap()
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(p("2022-11-16T09:03:00+08:00"), 1_668_560_580);
        assert_eq!(p("2022-11-16T01:03:00Z"), 1_668_560_580);
        assert_eq!(p("2022-11-16t01:03:00z"), 1_668_560_580);
        assert_eq!(p("2022-11-16T01:03:00.999Z"), 1_668_560_580);
        assert_eq!(p("2022-11-16T01:03:00,5+00:00"), 1_668_560_580);
        assert_eq!(p("2022-11-15T20:03:00-05:00"), 1_668_560_580);
        assert_eq!(p("2022-11-16 09:03:00+0800"), 1_668_560_580);
        assert_eq!(p("1970-01-01T00:00:00Z"), 0);
        assert_eq!(p("  2022-11-16T09:03:00+08:00 "), 1_668_560_580);
    }

    #[test]
    fn wall_clock_forms_use_the_fixed_offset() {
        let t = 1_668_560_580;
        assert_eq!(p("2022-11-16 09:03:00"), t);
        assert_eq!(p("2022/11/16 09:03:00"), t);
        assert_eq!(p("2022-11-16T09:03:00"), t);
        assert_eq!(p("2022-11-16 09:03"), t);
        assert_eq!(p("2022/11/16 9:03"), t);
        assert_eq!(p("2024/3/1 9:05:00"), p("2024-03-01 09:05:00"));
        assert_eq!(parse_time("2022-11-16 01:03:00", 0).unwrap(), t);
        assert_eq!(parse_time("2022-11-15 20:03:00", -5 * 3600).unwrap(), t);
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        assert_eq!(p("1668560580"), 1_668_560_580);
        assert_eq!(p("1668560580.75"), 1_668_560_580);
        assert_eq!(p("1668560580123"), 1_668_560_580);
        assert_eq!(p("0"), 0);
        assert!(parse_time("16685605801234", CST).is_err());
        assert!(parse_time("1668560580.", CST).is_err());
        assert!(parse_time("1.2.3", CST).is_err());
        assert!(parse_time("999999999999", CST).is_err());
    }

    #[test]
    fn leap_years() {
        assert_eq!(p("2024-02-29 12:00:00") - p("2024-02-28 12:00:00"), 86_400);
        assert_eq!(p("2024-03-01 12:00:00") - p("2024-02-29 12:00:00"), 86_400);
        assert_eq!(p("2000-02-29 00:00:00") + 86_400, p("2000-03-01 00:00:00"));
        assert!(parse_time("2023-02-29 10:00:00", CST).is_err());
        assert!(parse_time("1900-02-29 10:00:00", CST).is_err());
        assert_eq!(p("2023-03-01 00:00:00") - p("2023-02-28 00:00:00"), 86_400);
        // 2024 has 366 days, 2023 has 365.
        assert_eq!(p("2025-01-01 00:00:00") - p("2024-01-01 00:00:00"), 366 * 86_400);
        assert_eq!(p("2024-01-01 00:00:00") - p("2023-01-01 00:00:00"), 365 * 86_400);
    }

    #[test]
    fn invalid_dates_and_times_are_refused_with_a_clear_error() {
        for bad in [
            "2023-02-29 10:00:00",
            "2024-04-31 10:00:00",
            "2024-13-01 10:00:00",
            "2024-00-10 10:00:00",
            "2024-01-00 10:00:00",
            "2024-01-01 25:00:00",
            "2024-01-01 24:00",
            "2024-01-01 10:60:00",
            "2024-01-01 10:00:61",
            "2024-01-01",
            "2024-01/01 10:00:00",
            "2024-01-01T10:00:00+24:00",
            "2024-01-01T10:00:00+08",
            "2024-01-01T10:00:00+08:00 extra",
            "yesterday",
            "",
            "   ",
        ] {
            let err = parse_time(bad, CST).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, Error::Time(_)), "{bad}");
            assert!(msg.contains("field `time`"), "{msg}");
        }
        let msg = parse_time("2024-01-01 25:00:00", CST).unwrap_err().to_string();
        assert!(msg.contains("hour 25"), "{msg}");
        let msg = parse_time("2023-02-29 10:00:00", CST).unwrap_err().to_string();
        assert!(msg.contains("day 29 out of range 1-28"), "{msg}");
    }

    #[test]
    fn errors_never_echo_a_phone_number() {
        let msg = parse_time("电话13987654321", CST).unwrap_err().to_string();
        assert!(!msg.contains("13987654321") && msg.contains("139****4321"), "{msg}");
        assert_eq!(unix_digits("1709258400"), Some(1_709_258_400));
        assert_eq!(unix_digits("1709258400000"), Some(1_709_258_400));
        assert_eq!(unix_digits("170925840000"), Some(170_925_840_000));
        assert_eq!(unix_digits("17092584000000"), None);
        assert_eq!(unix_digits("1709258400.5"), None);
    }

    #[test]
    fn errors_echo_at_most_the_time_string_and_are_bounded() {
        let long = "电话13912345678".repeat(20);
        let msg = parse_time(&long, CST).unwrap_err().to_string();
        assert!(msg.chars().count() < 250, "{msg}");
        assert!(!msg.contains(&long));
        let msg = parse_time_field("CreateTime", "abc", CST).unwrap_err().to_string();
        assert!(msg.contains("`CreateTime`") && msg.contains("\"abc\""), "{msg}");
    }

    #[test]
    fn offsets_that_cross_midnight() {
        // 23:30 in Beijing is 15:30 UTC the same day; 07:30 in Beijing is
        // 23:30 UTC the day before.
        let t = p("2022-11-16T07:30:00+08:00");
        assert_eq!(calendar_day(t, CST), "2022-11-16");
        assert_eq!(calendar_day(t, 0), "2022-11-15");
        assert_eq!(format_time(t, 0), "2022-11-15T23:30:00+00:00");
        // New year crossing.
        let t = p("2023-12-31T20:00:00-05:00");
        assert_eq!(calendar_day(t, CST), "2024-01-01");
        assert_eq!(calendar_day(t, -5 * 3600), "2023-12-31");
        // A wall-clock time just before midnight in CST.
        let t = p("2024-02-29 23:59:59");
        assert_eq!(calendar_day(t, CST), "2024-02-29");
        assert_eq!(calendar_day(t + 1, CST), "2024-03-01");
    }

    #[test]
    fn format_round_trips() {
        for s in [
            "2022-11-16T09:03:00+08:00",
            "1970-01-01T00:00:00+00:00",
            "1969-12-31T23:59:59+00:00",
            "2000-02-29T12:34:56-09:30",
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:59:59+00:00",
        ] {
            let t = parse_time(s, 0).unwrap();
            let off = match &s[19..] {
                "+08:00" => 8 * 3600,
                "-09:30" => -(9 * 3600 + 1800),
                _ => 0,
            };
            assert_eq!(format_time(t, off), s);
        }
        assert_eq!(calendar_day(-1, 0), "1969-12-31");
    }

    #[test]
    fn civil_conversion_is_consistent_over_a_long_range() {
        let mut prev = days_from_civil(1899, 12, 31);
        for y in 1900..2101 {
            for m in 1..=12 {
                for d in 1..=days_in_month(y, m) {
                    let n = days_from_civil(y, m, d);
                    assert_eq!(n, prev + 1);
                    assert_eq!(civil_from_days(n), (y, m, d));
                    prev = n;
                }
            }
        }
    }
}
