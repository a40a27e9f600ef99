//! Numbers as written: ASCII digits with separators and Chinese numerals
//! (一万二千五, 两千, 十五万), as exact scaled integers.

#[allow(unused_imports)]
use super::*;

pub(crate) fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

pub(crate) fn small_mult(c: char) -> Option<u128> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

pub(crate) fn big_mult(c: char) -> Option<u128> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// A character that can be part of a written number.
pub(crate) fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || cn_digit(c).is_some() || small_mult(c).is_some() || big_mult(c).is_some()
}

/// Fixed-point scale of [`parse_chinese_number`]: six decimals.
pub(crate) const SCALE: u128 = 1_000_000;

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Tok {
    Start,
    /// A digit or ASCII number: its value is zero; it is a single digit.
    Digit {
        zero: bool,
        single: bool,
    },
    /// A multiplier: 十百千 (< 10000) or 万亿.
    Mult(u128),
}

/// Reads an ASCII number (digits, thousands commas, one decimal point) at the
/// start of `s`: its scaled value, its length in bytes and whether it is a
/// single digit.
pub(crate) fn parse_ascii_number(s: &[u8]) -> Option<(u128, usize, bool)> {
    let mut k = 0;
    let mut int: u128 = 0;
    let mut digits = 0;
    while let Some(&x) = s.get(k) {
        let thousands_sep = x == b',' && digits > 0 && s.get(k + 1).is_some_and(u8::is_ascii_digit);
        if x.is_ascii_digit() {
            int = int.checked_mul(10)?.checked_add(u128::from(x - b'0'))?;
            digits += 1;
        } else if !thousands_sep {
            break;
        }
        k += 1;
    }
    let mut value = int.checked_mul(SCALE)?;
    let mut single = digits == 1;
    if at(s, k) == b'.' && at(s, k + 1).is_ascii_digit() {
        k += 1;
        single = false;
        let mut place = SCALE / 10;
        while let Some(&x) = s.get(k) {
            if !x.is_ascii_digit() {
                break;
            }
            if place == 0 {
                return None; // more decimals than the scale holds
            }
            value = value.checked_add(u128::from(x - b'0') * place)?;
            place /= 10;
            k += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    Some((value, k, single))
}

/// The value of a written number: Chinese numerals (一二三…九, 两, 〇/零,
/// 十百千万亿 and the financial 拾佰仟), ASCII digits with decimals and
/// thousands commas, or a mix (`2.8万`, `3万5千`). A trailing single digit
/// after a multiplier counts in the next lower unit, as in speech (`三万五`
/// is 35000, `一百五` is 150). `None` when the string is not one number.
///
/// 三万五千 → 35000, 两千 → 2000, 十 → 10, 一百零五 → 105, 2.8万 → 28000.
pub(crate) fn parse_chinese_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut total: u128 = 0;
    let mut section: u128 = 0;
    let mut current: Option<u128> = None;
    let mut last_small: u128 = u128::MAX;
    let mut last_big: u128 = u128::MAX;
    let mut prev = Tok::Start;
    let mut before_prev = Tok::Start;
    let mut k = 0;
    while k < b.len() {
        let c = char_at(s, k)?;
        let tok;
        if c.is_ascii_digit() {
            let (v, len, single) = parse_ascii_number(b.get(k..)?)?;
            if matches!(prev, Tok::Digit { zero: false, .. }) {
                return None; // two numbers side by side
            }
            current = Some(v);
            tok = Tok::Digit { zero: v == 0, single };
            k += len;
        } else if let Some(d) = cn_digit(c) {
            if matches!(prev, Tok::Digit { zero: false, .. }) {
                return None;
            }
            let v = u128::from(d) * SCALE;
            current = Some(v);
            tok = Tok::Digit { zero: d == 0, single: true };
            k += c.len_utf8();
        } else if let Some(m) = small_mult(c) {
            if m >= last_small {
                return None; // 十百千 must descend within a section
            }
            let d = match current {
                Some(v) if v > 0 => v,
                Some(_) => return None,
                // 十 alone means one ten; 百 and 千 need a digit.
                None if m == 10 => SCALE,
                None => return None,
            };
            section = section.checked_add(d.checked_mul(m)?)?;
            current = None;
            last_small = m;
            tok = Tok::Mult(m);
            k += c.len_utf8();
        } else if let Some(m) = big_mult(c) {
            let sec = section.checked_add(current.unwrap_or(0))?;
            if m == 10_000 {
                if last_big <= 10_000 || sec == 0 {
                    return None;
                }
                total = total.checked_add(sec.checked_mul(m)?)?;
            } else {
                if last_big == 100_000_000 {
                    return None;
                }
                let t = total.checked_add(sec)?;
                if t == 0 {
                    return None;
                }
                total = t.checked_mul(m)?;
            }
            section = 0;
            current = None;
            last_small = u128::MAX;
            last_big = m;
            tok = Tok::Mult(m);
            k += c.len_utf8();
        } else {
            return None;
        }
        before_prev = prev;
        prev = tok;
    }
    if prev == Tok::Start {
        return None;
    }
    // 三万五 = 35000: a final single digit right after a multiplier.
    if let (Tok::Digit { zero: false, single: true }, Tok::Mult(m), Some(v)) = (prev, before_prev, current) {
        if m >= 100 {
            current = Some(v.checked_mul(m / 10)?);
        }
    }
    let scaled = total.checked_add(section)?.checked_add(current.unwrap_or(0))?;
    Some(scaled_to_f64(scaled))
}

pub(crate) fn scaled_to_f64(v: u128) -> f64 {
    if v <= (1u128 << 53) {
        // Exact operands: the quotient is the nearest double (2.8, not 2.8000000000000003).
        v as f64 / SCALE as f64
    } else {
        (v / SCALE) as f64 + (v % SCALE) as f64 / SCALE as f64
    }
}

/// End of the number starting at `i`: digits, Chinese numerals, a decimal
/// point between ASCII digits and thousands commas (`,` + exactly 3 digits).
pub(crate) fn numeral_run_end(s: &str, i: usize) -> usize {
    let b = s.as_bytes();
    let mut k = i;
    let mut ascii_digit_before = false;
    let mut dot_seen = false;
    while let Some(c) = char_at(s, k) {
        if c.is_ascii_digit() {
            ascii_digit_before = true;
            k += 1;
        } else if c == '.' && ascii_digit_before && !dot_seen && at(b, k + 1).is_ascii_digit() {
            dot_seen = true;
            ascii_digit_before = false;
            k += 1;
        } else if c == ','
            && ascii_digit_before
            && !dot_seen
            && (1..=3).all(|o| at(b, k + o).is_ascii_digit())
            && !at(b, k + 4).is_ascii_digit()
        {
            ascii_digit_before = false;
            k += 1;
        } else if cn_digit(c).is_some() || small_mult(c).is_some() || big_mult(c).is_some() {
            ascii_digit_before = false;
            dot_seen = false;
            k += c.len_utf8();
        } else {
            break;
        }
    }
    k
}

