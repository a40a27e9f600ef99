//! The little calendar arithmetic ingestion needs: parsing the time forms the
//! exports use and writing RFC 3339 in a fixed offset. Private to `ingest`.

use crate::time::{civil_from_days, days_from_civil, days_in_month};

/// Seconds since the epoch of a validated wall-clock time, as if it were UTC.
fn naive_seconds(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&mo) || d == 0 || i64::from(d) > days_in_month(y, i64::from(mo)) {
        return None;
    }
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, i64::from(mo), i64::from(d)) * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s))
}

/// Reads 1 to `max` ASCII digits from the start of `s`.
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n < min {
        return None;
    }
    let (num, rest) = s.split_at(n);
    Some((num.parse().ok()?, rest))
}

/// What a local date-time string holds before validation.
struct Parts {
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
}

/// Parses `YYYY-MM-DD[ T]H:MM[:SS[.fff]]` (also with `/` between date parts)
/// and returns the parts and the unparsed rest.
fn parse_parts(s: &str) -> Option<(Parts, &str)> {
    let (y, r) = digits(s, 4, 4)?;
    let sep = r.chars().next()?;
    if sep != '-' && sep != '/' {
        return None;
    }
    let (mo, r) = digits(r.get(1..)?, 1, 2)?;
    let r = r.strip_prefix(sep)?;
    let (d, r) = digits(r, 1, 2)?;
    let r = r.strip_prefix(' ').or_else(|| r.strip_prefix('T'))?;
    let (h, r) = digits(r.trim_start_matches(' '), 1, 2)?;
    let r = r.strip_prefix(':')?;
    let (mi, r) = digits(r, 2, 2)?;
    let (s, r) = match r.strip_prefix(':') {
        Some(r) => digits(r, 2, 2)?,
        None => (0, r),
    };
    // Fractions of a second are dropped.
    let r = match r.strip_prefix('.') {
        Some(f) => {
            let n = f.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            f.get(n..)?
        }
        None => r,
    };
    Some((Parts { y, mo, d, h, mi, s }, r))
}

/// A local time `YYYY-MM-DD H:MM:SS` with an optional ` AM`/` PM`
/// (or 上午/下午) read in `offset` seconds east of UTC. Returns Unix seconds.
pub(crate) fn parse_local(s: &str, offset: i32) -> Option<i64> {
    let s = s.trim();
    let (s, half) = if let Some(r) = s.strip_suffix("AM").or_else(|| s.strip_suffix("am")) {
        (r.trim_end(), Some(false))
    } else if let Some(r) = s.strip_suffix("PM").or_else(|| s.strip_suffix("pm")) {
        (r.trim_end(), Some(true))
    } else if let Some(r) = s.strip_suffix("上午") {
        (r.trim_end(), Some(false))
    } else if let Some(r) = s.strip_suffix("下午") {
        (r.trim_end(), Some(true))
    } else {
        (s, None)
    };
    let (p, rest) = parse_parts(s)?;
    if !rest.is_empty() {
        return None;
    }
    let h = match half {
        None => p.h,
        Some(_) if p.h == 0 || p.h > 12 => return None,
        Some(false) => p.h % 12,
        Some(true) => p.h % 12 + 12,
    };
    let naive = naive_seconds(i64::from(p.y), p.mo, p.d, h, p.mi, p.s)?;
    naive.checked_sub(i64::from(offset))
}

/// An RFC 3339 time with `Z` or a numeric offset. Returns Unix seconds.
pub(crate) fn parse_rfc3339(s: &str) -> Option<i64> {
    let (p, rest) = parse_parts(s.trim())?;
    let off = parse_offset(rest)?;
    let naive = naive_seconds(i64::from(p.y), p.mo, p.d, p.h, p.mi, p.s)?;
    naive.checked_sub(i64::from(off))
}

/// Unix seconds (up to 12 digits) or milliseconds (13 digits): the
/// library's one rule ([`crate::parse_time`]); whether the time is
/// plausible is the aggregator's to say.
pub(crate) fn parse_unix(s: &str) -> Option<i64> {
    crate::time::unix_digits(s.trim())
}

/// Any of the forms above: RFC 3339, local time, Unix seconds/milliseconds.
pub(crate) fn parse_any(s: &str, offset: i32) -> Option<i64> {
    parse_unix(s).or_else(|| parse_rfc3339(s)).or_else(|| parse_local(s, offset))
}

/// Unix seconds written as RFC 3339 in the given offset:
/// `2024-03-01T10:00:00+08:00`.
pub(crate) fn format_rfc3339(unix: i64, offset: i32) -> Option<String> {
    let local = unix.checked_add(i64::from(offset))?;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.unsigned_abs() / 60;
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        off / 60,
        off % 60
    ))
}

/// An offset: `Z`, `UTC`, `+08:00`, `+0800`, `+08`, `+8`, `UTC+8`, `-05:30`.
/// Returns seconds east of UTC; at most ±23:59.
pub(crate) fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let s = s.strip_prefix("UTC").or_else(|| s.strip_prefix("GMT")).unwrap_or(s);
    if s.is_empty() || s == "Z" || s == "z" {
        return Some(0);
    }
    let (sign, r) = match s.as_bytes().first()? {
        b'+' => (1, s.get(1..)?),
        b'-' => (-1, s.get(1..)?),
        _ => return None,
    };
    let (h, m) = if let Some((h, m)) = r.split_once(':') {
        (h, m)
    } else if r.len() == 4 {
        (r.get(..2)?, r.get(2..)?)
    } else {
        (r, "0")
    };
    if h.is_empty() || h.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CST: i32 = 8 * 3600;

    #[test]
    fn round_trip_days() {
        for z in [-800_000i64, -1, 0, 1, 19_783, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2024, 3, 1), 19_783);
    }

    #[test]
    fn local_and_unix_agree() {
        assert_eq!(parse_local("2024-03-01 10:00:00", CST), Some(1_709_258_400));
        assert_eq!(parse_unix("1709258400"), Some(1_709_258_400));
        assert_eq!(parse_unix("1709258400123"), Some(1_709_258_400));
        assert_eq!(format_rfc3339(1_709_258_400, CST).as_deref(), Some("2024-03-01T10:00:00+08:00"));
        assert_eq!(format_rfc3339(1_709_258_400, 0).as_deref(), Some("2024-03-01T02:00:00+00:00"));
        assert_eq!(format_rfc3339(1_709_258_400, -5 * 3600 - 1800).as_deref(), Some("2024-02-29T20:30:00-05:30"));
    }

    #[test]
    fn am_pm() {
        let noon = parse_local("2024-03-01 12:00:00", CST);
        assert_eq!(parse_local("2024-03-01 12:00:00 PM", CST), noon);
        assert_eq!(parse_local("2024-03-01 1:05:09 PM", CST), parse_local("2024-03-01 13:05:09", CST));
        assert_eq!(parse_local("2024-03-01 12:30:00 AM", CST), parse_local("2024-03-01 00:30:00", CST));
        assert_eq!(parse_local("2024-03-01 13:00:00 PM", CST), None);
    }

    #[test]
    fn invalid_dates() {
        assert_eq!(parse_local("2024-02-30 10:00:00", CST), None);
        assert_eq!(parse_local("2023-02-29 10:00:00", CST), None);
        assert!(parse_local("2024-02-29 10:00:00", CST).is_some());
        assert_eq!(parse_local("2024-03-01 24:00:00", CST), None);
        assert_eq!(parse_local("2024-03-01 10:00:00x", CST), None);
        assert_eq!(parse_local("昨天 10:00", CST), None);
        assert_eq!(parse_local("", CST), None);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("2024-03-01T10:00:00+08:00"), Some(1_709_258_400));
        assert_eq!(parse_rfc3339("2024-03-01T02:00:00Z"), Some(1_709_258_400));
        assert_eq!(parse_rfc3339("2024-03-01T02:00:00.250Z"), Some(1_709_258_400));
        assert_eq!(parse_rfc3339("2024-03-01T10:00:00"), None);
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+08:00"), Some(CST));
        assert_eq!(parse_offset("+0800"), Some(CST));
        assert_eq!(parse_offset("UTC+8"), Some(CST));
        assert_eq!(parse_offset("-05:30"), Some(-19_800));
        assert_eq!(parse_offset("Z"), Some(0));
        assert_eq!(parse_offset("+24:00"), None);
        assert_eq!(parse_offset("8"), None);
        assert_eq!(parse_offset(""), None);
        assert_eq!(parse_offset("UTC"), Some(0));
    }
}
