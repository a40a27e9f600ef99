//! Entity extraction with validation (taxonomy §3).
//!
//! Works on the FOLDED text the engine builds (full-width ASCII turned into
//! ASCII, letters lower-cased, Traditional folded to Simplified, circled and
//! financial numerals and long runs of Chinese digits turned into ASCII
//! digits) and answers folded byte offsets; the engine maps them back to the
//! original. One left-to-right scan proposes candidates of every kind, then
//! overlaps are resolved so that each byte belongs to at most one entity,
//! preferring the more specific kind: cue-driven ids (WeChat, QQ), then ID
//! cards, bank cards, phones, URLs, licence plates and money. A number that
//! lies inside a URL is part of the URL.
//!
//! Nothing here indexes input-derived data without a check: every byte read
//! goes through [`at`] or `get`, so arbitrary input never panics.

use std::collections::BTreeMap;

use crate::normalize::IDEOGRAPHS;
use crate::types::EntityKind;

/// Where the engine's cue automaton found a WeChat or QQ cue (微信, vx, 扣扣,
/// qq, …) in the folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EntityCue {
    /// [`EntityKind::WechatId`] or [`EntityKind::QqNumber`]; other kinds are
    /// ignored.
    pub kind: EntityKind,
    /// Folded byte offset just past the cue.
    pub end: usize,
}

/// An entity found in the folded text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Found {
    /// What kind of entity.
    pub kind: EntityKind,
    /// Folded byte offset of the first byte.
    pub start: usize,
    /// Folded byte offset just past the entity.
    pub end: usize,
    /// The normalised value: yuan for money, `None` for the other kinds.
    pub value: Option<f64>,
}

/// A candidate before overlap resolution; `prio` 0 is the most specific.
struct Cand {
    prio: u8,
    found: Found,
}

fn prio_of(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::WechatId | EntityKind::QqNumber => 0,
        EntityKind::IdCard => 1,
        EntityKind::BankCard => 2,
        EntityKind::Phone => 3,
        EntityKind::Url => 4,
        EntityKind::LicensePlate => 5,
        EntityKind::Money => 6,
    }
}

fn push(cands: &mut Vec<Cand>, kind: EntityKind, start: usize, end: usize, value: Option<f64>) {
    if start < end {
        cands.push(Cand { prio: prio_of(kind), found: Found { kind, start, end, value } });
    }
}

/// Appends the entities of `folded`, sorted by start, non-overlapping.
///
/// `cues` are the WeChat / QQ cues the engine's automaton found; the id or
/// number that follows a cue (after a few separators such as spaces, `:`,
/// `号`, `是`) is reported without the cue.
pub(crate) fn find_entities(folded: &str, cues: &[EntityCue], out: &mut Vec<Found>) {
    let mut cands: Vec<Cand> = Vec::new();
    for cue in cues {
        scan_cue(folded, cue, &mut cands);
    }
    let mut prev: Option<char> = None;
    for (i, c) in folded.char_indices() {
        if plain_ideograph(c) {
            // None of the scans below starts at this character.
            prev = Some(c);
            continue;
        }
        if c.is_ascii_digit() && !prev.is_some_and(|p| p.is_ascii_digit()) {
            scan_digit_run(folded, i, prev, &mut cands);
        }
        if c.is_ascii_alphanumeric() && url_boundary(prev) {
            scan_url(folded, i, &mut cands);
        }
        if is_numeral_char(c) && money_run_start(folded, i, prev) {
            if let Some((s, e, v)) = scan_money(folded, i, None) {
                push(&mut cands, EntityKind::Money, s, e, Some(v));
            }
        }
        scan_money_prefix(folded, i, c, prev, &mut cands);
        if is_province(c) {
            scan_plate(folded, i, c, &mut cands);
        }
        prev = Some(c);
    }
    resolve(cands, out);
}

/// Per ideograph, one bit: set where a scan of [`find_entities`] can start
/// (numerals and multipliers, 人 of 人民币, province abbreviations).
static SCAN_STARTS: once_cell::sync::Lazy<Vec<u64>> = once_cell::sync::Lazy::new(|| {
    let mut bits = vec![0u64; IDEOGRAPHS.len().div_ceil(64)];
    for u in IDEOGRAPHS {
        let Some(c) = char::from_u32(u) else { continue };
        if is_numeral_char(c) || c == '人' || is_province(c) {
            let k = (u - IDEOGRAPHS.start) as usize;
            if let Some(w) = bits.get_mut(k / 64) {
                *w |= 1 << (k % 64);
            }
        }
    }
    bits
});

/// An ideograph at which no entity scan starts: the bulk of Chinese text,
/// passed over with one table read.
#[inline]
fn plain_ideograph(c: char) -> bool {
    let u = c as u32;
    if !IDEOGRAPHS.contains(&u) {
        return false;
    }
    let k = (u - IDEOGRAPHS.start) as usize;
    SCAN_STARTS.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) == 0)
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// The byte at `k`, or 0 past the end.
fn at(b: &[u8], k: usize) -> u8 {
    b.get(k).copied().unwrap_or(0)
}

fn char_at(s: &str, k: usize) -> Option<char> {
    s.get(k..).and_then(|t| t.chars().next())
}

fn char_before(s: &str, k: usize) -> Option<char> {
    s.get(..k).and_then(|t| t.chars().next_back())
}

fn is_word_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'_'
}

fn digit_run_end(b: &[u8], i: usize) -> usize {
    let mut k = i;
    while at(b, k).is_ascii_digit() {
        k += 1;
    }
    k
}

/// A CJK ideograph (the basic block and extension A), i.e. Chinese text.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

// ---------------------------------------------------------------------------
// WeChat ids and QQ numbers (after a cue)
// ---------------------------------------------------------------------------

/// Characters that may stand between a cue and the id: `微信号：abc`, `vx 是 abc`.
fn is_cue_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | ':' | '=' | '号' | '码' | '是' | '为')
}

fn scan_cue(s: &str, cue: &EntityCue, cands: &mut Vec<Cand>) {
    let b = s.as_bytes();
    if !s.is_char_boundary(cue.end) || cue.end > s.len() {
        return;
    }
    let mut k = cue.end;
    let mut skipped = 0;
    while skipped < 4 {
        match char_at(s, k) {
            Some(c) if is_cue_separator(c) => {
                k += c.len_utf8();
                skipped += 1;
            }
            _ => break,
        }
    }
    let start = k;
    match cue.kind {
        EntityKind::WechatId => {
            if !at(b, start).is_ascii_alphanumeric() {
                return; // CJK text, punctuation or nothing follows the cue
            }
            // At most one byte past the longest id: enough to reject longer runs.
            let mut e = start;
            while e - start <= 20 && {
                let x = at(b, e);
                x.is_ascii_alphanumeric() || x == b'_' || x == b'-'
            } {
                e += 1;
            }
            let len = e - start;
            // An address (`abc@x.com`, `abc.com`) is not an id.
            let next = at(b, e);
            let addr = next == b'@' || (next == b'.' && at(b, e + 1).is_ascii_alphanumeric());
            if (5..=20).contains(&len) && !addr {
                push(cands, EntityKind::WechatId, start, e, None);
            }
        }
        EntityKind::QqNumber => {
            let mut e = start;
            while e - start <= 11 && at(b, e).is_ascii_digit() {
                e += 1;
            }
            let len = e - start;
            if (5..=11).contains(&len) && at(b, start) != b'0' && !is_word_byte(at(b, e)) {
                push(cands, EntityKind::QqNumber, start, e, None);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// Digit runs: phones, ID cards, bank cards
// ---------------------------------------------------------------------------

fn is_mobile_prefix(d: &[u8]) -> bool {
    at(d, 0) == b'1' && (b'3'..=b'9').contains(&at(d, 1))
}

/// GB 11643: 17 digits, a check character (digit or x), a plausible birth
/// date and region.
fn id_card_valid(d17: &[u8], check: u8) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const M: &[u8; 11] = b"10x98765432";
    if d17.len() != 17 || !d17.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !(b'1'..=b'8').contains(&at(d17, 0)) {
        return false;
    }
    let num = |a: usize, n: usize| -> u32 {
        d17.get(a..a + n).map(|s| s.iter().fold(0u32, |acc, &x| acc * 10 + u32::from(x - b'0'))).unwrap_or(0)
    };
    let (year, month, day) = (num(6, 4), num(10, 2), num(12, 2));
    if !(1900..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = d17.iter().zip(W.iter()).map(|(&x, &w)| u32::from(x - b'0') * w).sum();
    let expected = M.get((sum % 11) as usize).copied().unwrap_or(0);
    check.to_ascii_lowercase() == expected
}

fn luhn_valid(d: &[u8]) -> bool {
    if d.is_empty() || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = u32::from(x - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Whether the run starting at `i` continues a separated digit group
/// (`1234 5678`: the second group is not a start).
fn joined_before(b: &[u8], i: usize) -> bool {
    i >= 2 && matches!(at(b, i - 1), b' ' | b'-') && at(b, i - 2).is_ascii_digit()
}

/// Whether a separator and another digit follow at `k` (the number goes on).
fn continues_at(b: &[u8], k: usize) -> bool {
    matches!(at(b, k), b' ' | b'-') && at(b, k + 1).is_ascii_digit()
}

fn scan_digit_run(s: &str, i: usize, prev: Option<char>, cands: &mut Vec<Cand>) {
    let b = s.as_bytes();
    if prev.is_some_and(|p| p.is_ascii_alphabetic() || p == '_') {
        return; // part of a word such as an id or a code
    }
    let j = digit_run_end(b, i);
    let n = j - i;
    let d = match b.get(i..j) {
        Some(d) => d,
        None => return,
    };

    // 17 digits + x: an ID card.
    if n == 17 && matches!(at(b, j), b'x' | b'X') {
        if !is_word_byte(at(b, j + 1)) && id_card_valid(d, b'x') {
            push(cands, EntityKind::IdCard, i, j + 1, None);
        }
        return;
    }
    if is_word_byte(at(b, j)) {
        return;
    }
    match n {
        18 => {
            let (d17, check) = d.split_at(17);
            if id_card_valid(d17, at(check, 0)) {
                push(cands, EntityKind::IdCard, i, j, None);
            } else if luhn_valid(d) {
                push(cands, EntityKind::BankCard, i, j, None);
            }
        }
        16 | 17 | 19 if luhn_valid(d) => push(cands, EntityKind::BankCard, i, j, None),
        11 if is_mobile_prefix(d) => push(cands, EntityKind::Phone, i, j, None),
        _ => {}
    }
    // A landline written without separator: 0 + area code + 7–8 digits.
    if (10..=12).contains(&n) && at(d, 0) == b'0' && at(d, 1) != b'0' {
        let area = if matches!(at(d, 1), b'1' | b'2') { 3 } else { 4 };
        let local = n - area;
        if (7..=8).contains(&local) && (b'2'..=b'9').contains(&at(d, area)) {
            push(cands, EntityKind::Phone, i, j, None);
        }
    }
    if joined_before(b, i) {
        return;
    }
    // Landline with a hyphen: 0554-6662110.
    if (3..=4).contains(&n) && at(d, 0) == b'0' && at(d, 1) != b'0' && at(b, j) == b'-' {
        let ls = j + 1;
        let le = digit_run_end(b, ls);
        if (7..=8).contains(&(le - ls))
            && (b'2'..=b'9').contains(&at(b, ls))
            && !is_word_byte(at(b, le))
            && !continues_at(b, le)
        {
            push(cands, EntityKind::Phone, i, le, None);
        }
    }
    // Mobile written 3-4-4 with single spaces or hyphens.
    if n == 3 && is_mobile_prefix(d) && matches!(at(b, j), b' ' | b'-') {
        let sep = at(b, j);
        let g2 = j + 1;
        let g2e = digit_run_end(b, g2);
        let g3 = g2e + 1;
        let g3e = digit_run_end(b, g3);
        if g2e - g2 == 4 && at(b, g2e) == sep && g3e - g3 == 4 && !is_word_byte(at(b, g3e)) && !continues_at(b, g3e) {
            push(cands, EntityKind::Phone, i, g3e, None);
        }
    }
    // Bank card written in groups of 4: 6225 8851 8190 9375.
    if n == 4 && matches!(at(b, j), b' ' | b'-') {
        scan_grouped_card(b, i, j, d, cands);
    }
}

fn scan_grouped_card(b: &[u8], i: usize, j: usize, first: &[u8], cands: &mut Vec<Cand>) {
    let sep = at(b, j);
    let mut digits: Vec<u8> = first.to_vec();
    let mut end = j;
    loop {
        if at(b, end) != sep || !at(b, end + 1).is_ascii_digit() {
            break;
        }
        let gs = end + 1;
        let ge = digit_run_end(b, gs);
        let glen = ge - gs;
        if glen > 4 || digits.len() + glen > 19 {
            return;
        }
        match b.get(gs..ge) {
            Some(g) => digits.extend_from_slice(g),
            None => return,
        }
        end = ge;
        if glen < 4 {
            break;
        }
    }
    if digits.len() < 16 || is_word_byte(at(b, end)) || continues_at(b, end) {
        return;
    }
    if digits.len() == 18 {
        let (d17, check) = digits.split_at(17);
        if id_card_valid(d17, at(check, 0)) {
            push(cands, EntityKind::IdCard, i, end, None);
            return;
        }
    }
    if luhn_valid(&digits) {
        push(cands, EntityKind::BankCard, i, end, None);
    }
}

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

const TLDS: &[&str] = &[
    "com", "cn", "net", "org", "gov", "edu", "top", "xyz", "cc", "vip", "info", "me", "io", "app", "club", "site",
    "online", "shop", "ltd", "link", "pro", "tk", "ml", "gq", "ga", "cf", "biz", "tv", "co", "wang", "ink", "fun",
    "store", "tech", "live", "asia", "mobi", "work", "icu", "red", "kim", "win", "bid", "loan", "ren", "xin", "group",
    "website", "space", "cloud", "hk", "tw", "mo", "us", "uk", "jp", "kr", "ru", "de", "sg", "vn", "th", "ph",
];

/// A URL may start after nothing, a space, CJK text or punctuation, but not
/// inside a word, a host, a path or an e-mail address.
fn url_boundary(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => !(p.is_ascii_alphanumeric() || matches!(p, '_' | '.' | '-' | '@' | '/')),
    }
}

fn is_url_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&*+;=%".contains(&x)
}

fn is_label_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'-'
}

/// End of the URL tail from `k` on, without trailing sentence punctuation.
fn url_tail_end(b: &[u8], from: usize, k: usize) -> usize {
    let mut e = k;
    while is_url_byte(at(b, e)) {
        e += 1;
    }
    while e > from && matches!(at(b, e - 1), b'.' | b':' | b';' | b'!' | b'?') {
        e -= 1;
    }
    e
}

fn scan_url(s: &str, i: usize, cands: &mut Vec<Cand>) {
    let b = s.as_bytes();
    let rest = b.get(i..).unwrap_or(&[]);
    let starts = |p: &[u8]| rest.len() >= p.len() && rest.get(..p.len()).is_some_and(|r| r.eq_ignore_ascii_case(p));
    for scheme in [&b"http://"[..], &b"https://"[..]] {
        if starts(scheme) {
            let hs = i + scheme.len();
            if at(b, hs).is_ascii_alphanumeric() {
                let e = url_tail_end(b, hs, hs);
                push(cands, EntityKind::Url, i, e, None);
            }
            return;
        }
    }
    // A host name: labels separated by single dots.
    let mut k = i;
    let mut labels = 0usize;
    let mut last = (i, i);
    loop {
        let ls = k;
        while is_label_byte(at(b, k)) {
            k += 1;
        }
        if k == ls {
            break;
        }
        labels += 1;
        last = (ls, k);
        if at(b, k) == b'.' && is_label_byte(at(b, k + 1)) {
            k += 1;
        } else {
            break;
        }
    }
    let host_end = k;
    let tld = b.get(last.0..last.1).unwrap_or(&[]);
    let www = starts(b"www.");
    let ok = if www {
        labels >= 3 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
    } else {
        labels >= 2 && TLDS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(tld))
    };
    if !ok {
        return;
    }
    let mut e = host_end;
    // Optional port.
    if at(b, e) == b':' && at(b, e + 1).is_ascii_digit() {
        let pe = digit_run_end(b, e + 1);
        if pe - (e + 1) <= 5 {
            e = pe;
        }
    }
    if matches!(at(b, e), b'/' | b'?' | b'#') {
        e = url_tail_end(b, host_end, e);
    }
    push(cands, EntityKind::Url, i, e, None);
}

// ---------------------------------------------------------------------------
// Licence plates
// ---------------------------------------------------------------------------

/// The 31 province abbreviations that open a licence plate.
fn is_province(c: char) -> bool {
    matches!(
        c,
        '京' | '津' | '沪' | '渝' | '冀' | '豫' | '云' | '辽' | '黑' | '湘' | '皖' | '鲁' | '新' | '苏' | '浙' | '赣' | '鄂'
            | '桂' | '甘' | '晋' | '蒙' | '陕' | '吉' | '闽' | '贵' | '粤' | '青' | '藏' | '川' | '宁' | '琼'
    )
}

/// Plate letters: A–Z without I and O (they look like 1 and 0).
fn plate_letter(x: u8) -> bool {
    x.is_ascii_alphabetic() && !matches!(x.to_ascii_lowercase(), b'i' | b'o')
}

fn plate_char(x: u8) -> bool {
    x.is_ascii_digit() || plate_letter(x)
}

fn scan_plate(s: &str, i: usize, c: char, cands: &mut Vec<Cand>) {
    let b = s.as_bytes();
    let mut k = i + c.len_utf8();
    if !plate_letter(at(b, k)) {
        return;
    }
    k += 1;
    if s.get(k..).is_some_and(|t| t.starts_with('·')) {
        k += '·'.len_utf8();
    }
    let ss = k;
    while k - ss <= 6 && at(b, k).is_ascii_alphanumeric() {
        k += 1;
    }
    let serial = b.get(ss..k).unwrap_or(&[]);
    let is_df = |x: u8| matches!(x.to_ascii_lowercase(), b'd' | b'f');
    let valid = match serial.len() {
        // Ordinary plate: 5 characters, at most 2 of them letters.
        5 => serial.iter().all(|&x| plate_char(x)) && serial.iter().filter(|x| x.is_ascii_alphabetic()).count() <= 2,
        // New-energy plate: D/F then a character and 4 digits, or 5 digits then D/F.
        6 => {
            (is_df(at(serial, 0))
                && plate_char(at(serial, 1))
                && serial.get(2..).is_some_and(|t| t.iter().all(u8::is_ascii_digit)))
                || (serial.get(..5).is_some_and(|t| t.iter().all(u8::is_ascii_digit)) && is_df(at(serial, 5)))
        }
        _ => false,
    };
    if valid {
        push(cands, EntityKind::LicensePlate, i, k, None);
    }
}

// ---------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------

fn cn_digit(c: char) -> Option<u32> {
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

fn small_mult(c: char) -> Option<u128> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

fn big_mult(c: char) -> Option<u128> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// A character that can be part of a written number.
fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit() || cn_digit(c).is_some() || small_mult(c).is_some() || big_mult(c).is_some()
}

/// Fixed-point scale of [`parse_chinese_number`]: six decimals.
const SCALE: u128 = 1_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Tok {
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
fn parse_ascii_number(s: &[u8]) -> Option<(u128, usize, bool)> {
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

fn scaled_to_f64(v: u128) -> f64 {
    if v <= (1u128 << 53) {
        // Exact operands: the quotient is the nearest double (2.8, not 2.8000000000000003).
        v as f64 / SCALE as f64
    } else {
        (v / SCALE) as f64 + (v % SCALE) as f64 / SCALE as f64
    }
}

/// End of the number starting at `i`: digits, Chinese numerals, a decimal
/// point between ASCII digits and thousands commas (`,` + exactly 3 digits).
fn numeral_run_end(s: &str, i: usize) -> usize {
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

/// Whether a money number may start at `i`: not in the middle of a number.
fn money_run_start(s: &str, i: usize, prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) if is_numeral_char(p) => false,
        Some('.') | Some(',') => {
            let before = i.checked_sub(2).map_or(0, |k| at(s.as_bytes(), k));
            !before.is_ascii_digit()
        }
        Some(_) => true,
    }
}

/// Words after which 元 is not a currency unit (元旦, 元宵, 元素 …).
fn yuan_not_unit(next: Option<char>) -> bool {
    matches!(next, Some('旦' | '宵' | '素' | '首' | '月' | '件' | '器' | '老' | '凶' | '气' | '帅'))
}

/// Things counted in 块 (pieces) rather than money: 两块地, 三块砖.
fn kuai_counts_pieces(next: Option<char>) -> bool {
    matches!(
        next,
        Some(
            '地' | '田'
                | '石'
                | '砖'
                | '瓦'
                | '肉'
                | '布'
                | '板'
                | '糖'
                | '饼'
                | '蛋'
                | '糕'
                | '表'
                | '玻'
                | '牌'
                | '骨'
                | '冰'
                | '铁'
                | '钢'
                | '玉'
                | '木'
                | '屏'
                | '皮'
                | '豆'
                | '姜'
                | '土'
                | '碑'
                | '瓜'
                | '巧'
                | '面'
        )
    )
}

/// Measure words and units that make `3万` / `两千` a count, a length, a
/// duration … rather than a sum of money (3万人, 两千米, 5万年).
fn counted_after(next: Option<char>) -> bool {
    match next {
        None => false,
        Some(c) if c.is_ascii_alphanumeric() => true,
        Some(c) => matches!(
            c,
            '人' | '个'
                | '名'
                | '位'
                | '户'
                | '次'
                | '件'
                | '条'
                | '张'
                | '台'
                | '辆'
                | '部'
                | '本'
                | '册'
                | '字'
                | '步'
                | '米'
                | '里'
                | '公'
                | '平'
                | '亩'
                | '吨'
                | '斤'
                | '克'
                | '年'
                | '月'
                | '日'
                | '天'
                | '周'
                | '夜'
                | '晚'
                | '岁'
                | '粉'
                | '份'
                | '只'
                | '头'
                | '套'
                | '家'
                | '号'
                | '种'
                | '项'
                | '股'
                | '票'
                | '瓶'
                | '箱'
                | '包'
                | '袋'
                | '盒'
                | '分'
                | '秒'
                | '小'
                | '度'
                | '倍'
                | '篇'
                | '首'
                | '间'
                | '栋'
                | '层'
                | '座'
                | '所'
                | '起'
                | '例'
                | '单'
                | '笔'
                | '瓦'
                | '卡'
                | '伏'
                | '兆'
                | '赞'
                | '升'
                | '码'
                | '帧'
                | '火'
        ),
    }
}

fn has_large_mult(num: &str) -> bool {
    num.chars().any(|c| matches!(c, '千' | '仟' | '万' | '萬' | '亿' | '億'))
}

/// The word prefix (rmb, 人民币) or sign (¥, ￥) before an amount.
#[derive(Clone, Copy)]
struct Prefix {
    start: usize,
    sign: bool,
}

fn scan_money_prefix(s: &str, i: usize, c: char, prev: Option<char>, cands: &mut Vec<Cand>) {
    let (len, sign) = match c {
        '¥' | '￥' => (c.len_utf8(), true),
        'r' | 'R'
            if !prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && s.get(i..i + 3).is_some_and(|t| t.eq_ignore_ascii_case("rmb")) =>
        {
            (3, false)
        }
        '人' if s.get(i..).is_some_and(|t| t.starts_with("人民币")) => ("人民币".len(), false),
        _ => return,
    };
    let mut k = i + len;
    if matches!(at(s.as_bytes(), k), b' ' | b':') {
        k += 1;
    }
    if at(s.as_bytes(), k).is_ascii_digit() {
        if let Some((st, e, v)) = scan_money(s, k, Some(Prefix { start: i, sign })) {
            push(cands, EntityKind::Money, st, e, Some(v));
        }
    }
}

/// A sum of money whose number starts at `i`: `(start, end, yuan)`.
fn scan_money(s: &str, i: usize, prefix: Option<Prefix>) -> Option<(usize, usize, f64)> {
    let b = s.as_bytes();
    let mut i = i;
    let mut first = char_at(s, i)?;
    // A zero before a Chinese numeral starts no number (找零三块: 零 folds to 0).
    if matches!(first, '0' | '〇' | '零') && prefix.is_none() {
        if let Some(next) = char_at(s, i + first.len_utf8()) {
            if cn_digit(next).is_some() || small_mult(next).is_some() {
                i += first.len_utf8();
                first = next;
            }
        }
    }
    if !(first.is_ascii_digit() || cn_digit(first).is_some() || matches!(first, '十' | '拾')) {
        return None; // 千万别… is an adverb, not a number
    }
    let lead = prefix.map_or(i, |p| p.start);
    if char_before(s, lead) == Some('第') {
        return None; // an ordinal
    }
    if prefix.is_none()
        && first.is_ascii_digit()
        && char_before(s, i).is_some_and(|p| p.is_ascii_alphabetic() || p == '_')
    {
        return None; // digits inside a word
    }
    let j = numeral_run_end(s, i);
    let num = s.get(i..j)?;
    let value = parse_chinese_number(num)?;
    let ascii = num.bytes().all(|x| x.is_ascii());
    let with_unit_start = match prefix {
        Some(p) if p.sign => p.start,
        _ => i,
    };

    // An approximate 多/余 before the unit: 三十多万, 2000多元.
    let (after, approx) = match char_at(s, j) {
        Some(c @ ('多' | '余')) => (j + c.len_utf8(), true),
        _ => (j, false),
    };

    // 三十多万(元)
    if approx {
        if let Some(c) = char_at(s, after) {
            if let Some(m) = big_mult(c) {
                let e = after + c.len_utf8();
                let v = value * m as f64;
                if let Some(u @ ('元' | '块')) = char_at(s, e) {
                    return Some((with_unit_start, e + u.len_utf8(), v));
                }
                if !counted_after(char_at(s, e)) {
                    return Some((with_unit_start, e, v));
                }
                return None;
            }
        }
    }

    // 元 / 圆 / 块 (钱), with an optional 5 毛 / 角 after it.
    if let Some(u @ ('元' | '圆' | '块')) = char_at(s, after) {
        let mut e = after + u.len_utf8();
        let next = char_at(s, e);
        let not_unit = match u {
            '块' => kuai_counts_pieces(next),
            _ => yuan_not_unit(next),
        };
        if !not_unit {
            let mut v = value;
            let mut plain = true;
            if next == Some('钱') {
                e += '钱'.len_utf8();
                plain = false;
            } else if let Some(dc) = next {
                let dv = dc.to_digit(10).or_else(|| cn_digit(dc).filter(|&x| x > 0));
                if let Some(dv) = dv {
                    let de = e + dc.len_utf8();
                    match char_at(s, de) {
                        Some(m @ ('毛' | '角')) => {
                            e = de + m.len_utf8();
                            if char_at(s, e) == Some('钱') {
                                e += '钱'.len_utf8();
                            }
                            v += f64::from(dv) / 10.0;
                            plain = false;
                        }
                        // 三块五, at the end of a clause.
                        after_digit
                            if u == '块'
                                && !approx
                                && !after_digit.is_some_and(|c| is_cjk(c) || c.is_ascii_alphanumeric()) =>
                        {
                            e = de;
                            v += f64::from(dv) / 10.0;
                            plain = false;
                        }
                        _ => {}
                    }
                }
            }
            // 一块 alone usually means "together" or "one piece".
            if u == '块' && plain && num == "一" {
                return None;
            }
            return Some((with_unit_start, e, v));
        }
    }

    // 3w = 3万
    if ascii && !approx && matches!(at(b, j), b'w' | b'W') && !is_word_byte(at(b, j + 1)) {
        return Some((with_unit_start, j + 1, value * 10_000.0));
    }

    // A number ending in 千 / 万 / 亿 is itself a sum: 5万, 十八万, 两千.
    if has_large_mult(num) {
        let check_at = if approx { after } else { j };
        if !counted_after(char_at(s, check_at)) {
            let st = prefix.map_or(i, |p| p.start);
            return Some((st, j, value));
        }
        // 5万一次: drop a trailing digit after the last 万/亿 and retry.
        let cut = num.char_indices().rev().find(|&(_, c)| big_mult(c).is_some()).map(|(k, c)| k + c.len_utf8());
        if let Some(cut) = cut {
            let tail = num.get(cut..).unwrap_or("");
            if tail.chars().count() == 1 {
                let head = num.get(..cut)?;
                let v = parse_chinese_number(head)?;
                let st = prefix.map_or(i, |p| p.start);
                return Some((st, i + cut, v));
            }
        }
        return None;
    }

    // ¥200, rmb 300
    if let Some(p) = prefix {
        if ascii {
            return Some((p.start, j, value));
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Overlap resolution
// ---------------------------------------------------------------------------

fn resolve(mut cands: Vec<Cand>, out: &mut Vec<Found>) {
    // Union of URL ranges: a number inside a link belongs to the link.
    let mut urls: Vec<(usize, usize)> =
        cands.iter().filter(|c| c.found.kind == EntityKind::Url).map(|c| (c.found.start, c.found.end)).collect();
    urls.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(urls.len());
    for (s, e) in urls {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let inside_url = |s: usize, e: usize| {
        let k = merged.partition_point(|u| u.0 <= s);
        k > 0 && merged.get(k - 1).is_some_and(|u| e <= u.1)
    };
    cands.retain(|c| c.prio == 0 || c.found.kind == EntityKind::Url || !inside_url(c.found.start, c.found.end));

    cands.sort_by(|a, b| {
        a.prio
            .cmp(&b.prio)
            .then(a.found.start.cmp(&b.found.start))
            .then((b.found.end - b.found.start).cmp(&(a.found.end - a.found.start)))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut accepted: Vec<Found> = Vec::new();
    for c in cands {
        let (s, e) = (c.found.start, c.found.end);
        if s >= e {
            continue;
        }
        if let Some((_, &pe)) = taken.range(..e).next_back() {
            if pe > s {
                continue;
            }
        }
        taken.insert(s, e);
        accepted.push(c.found);
    }
    accepted.sort_by_key(|f| f.start);
    out.extend(accepted);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_ideographs_start_no_scan() {
        for u in IDEOGRAPHS {
            let c = char::from_u32(u).unwrap();
            let starts = is_numeral_char(c) || c == '人' || is_province(c);
            assert_eq!(plain_ideograph(c), !starts, "{c}");
        }
        for c in ['一', '万', '两', '亿', '人', '京', '皖', '琼'] {
            assert!(!plain_ideograph(c), "{c}");
        }
        for c in ['刷', '单', '骗', 'a', '1', '¥', '〇', '😀'] {
            assert!(!plain_ideograph(c) || ('\u{3400}'..'\u{A000}').contains(&c), "{c}");
        }
        assert!(plain_ideograph('刷') && !plain_ideograph('a') && !plain_ideograph('1'));
    }

    /// Test-only folding: full-width ASCII, U+3000, lower case, a few
    /// Traditional characters, circled and financial numerals, and runs of 5+
    /// plain Chinese digits. Returns the folded text and, for every folded
    /// byte (plus the end), the original byte offset.
    pub(crate) fn fold(s: &str) -> (String, Vec<usize>) {
        const PLAIN: &str = "〇零一二三四五六七八九";
        let plain_value = |c: char| match c {
            '〇' | '零' => Some(0u8),
            _ => cn_digit(c).filter(|_| c != '两').map(|d| d as u8),
        };
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut out = String::new();
        let mut map = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (o, c) = chars[i];
            if PLAIN.contains(c) {
                let j = (i..chars.len()).find(|&k| !PLAIN.contains(chars[k].1)).unwrap_or(chars.len());
                if j - i >= 5 {
                    for &(ok, ck) in &chars[i..j] {
                        map.push(ok);
                        out.push(char::from(b'0' + plain_value(ck).unwrap()));
                    }
                    i = j;
                    continue;
                }
            }
            let f = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap().to_ascii_lowercase(),
                '\u{3000}' => ' ',
                '萬' => '万',
                '兩' => '两',
                '塊' => '块',
                '圓' => '圆',
                '億' => '亿',
                '①'..='⑨' => char::from_u32(c as u32 - '①' as u32 + '1' as u32).unwrap(),
                '零' => '0',
                '壹' => '1',
                '贰' => '2',
                '叁' => '3',
                '肆' => '4',
                '伍' => '5',
                '陆' => '6',
                '柒' => '7',
                '捌' => '8',
                '玖' => '9',
                _ => c.to_ascii_lowercase(),
            };
            for _ in 0..f.len_utf8() {
                map.push(o);
            }
            out.push(f);
            i += 1;
        }
        map.push(s.len());
        (out, map)
    }

    /// Test-only stand-in for the engine's cue automaton.
    pub(crate) fn cues(folded: &str) -> Vec<EntityCue> {
        let words = [
            ("微信", EntityKind::WechatId),
            ("薇信", EntityKind::WechatId),
            ("威信", EntityKind::WechatId),
            ("v信", EntityKind::WechatId),
            ("vx", EntityKind::WechatId),
            ("wx", EntityKind::WechatId),
            ("qq", EntityKind::QqNumber),
            ("扣扣", EntityKind::QqNumber),
            ("企鹅", EntityKind::QqNumber),
            ("q", EntityKind::QqNumber),
        ];
        let mut v = Vec::new();
        for (w, kind) in words {
            for (i, _) in folded.match_indices(w) {
                v.push(EntityCue { kind, end: i + w.len() });
            }
        }
        v
    }

    /// Entities of an original message, as (kind, original text, value).
    fn ents(text: &str) -> Vec<(EntityKind, String, Option<f64>)> {
        let (f, map) = fold(text);
        let mut out = Vec::new();
        find_entities(&f, &cues(&f), &mut out);
        out.iter().map(|e| (e.kind, text[map[e.start]..map[e.end]].to_string(), e.value)).collect()
    }

    fn of_kind(text: &str, kind: EntityKind) -> Vec<String> {
        ents(text).into_iter().filter(|e| e.0 == kind).map(|e| e.1).collect()
    }

    fn money(text: &str) -> Vec<(String, f64)> {
        ents(text).into_iter().filter(|e| e.0 == EntityKind::Money).map(|e| (e.1, e.2.unwrap())).collect()
    }

    use EntityKind::*;

    #[test]
    fn mobile_phones() {
        assert_eq!(of_kind("联系我13956201847，必有重谢", Phone), ["13956201847"]);
        assert_eq!(of_kind("电话：139 1234 5678。", Phone), ["139 1234 5678"]);
        assert_eq!(of_kind("电话139-1234-5678", Phone), ["139-1234-5678"]);
        assert_eq!(of_kind("电话１３９１２３４５６７８谢谢", Phone), ["１３９１２３４５６７８"]);
        assert_eq!(of_kind("tel:18855317206", Phone), ["18855317206"]);
    }

    #[test]
    fn landlines() {
        assert_eq!(of_kind("值班电话0554-6662110。", Phone), ["0554-6662110"]);
        assert_eq!(of_kind("打010-62345678咨询", Phone), ["010-62345678"]);
        assert_eq!(of_kind("座机05546662110", Phone), ["05546662110"]);
        // A local number does not start with 0 or 1.
        assert!(of_kind("编号0554-1234567", Phone).is_empty());
    }

    #[test]
    fn not_phones() {
        for t in [
            "遇到诈骗请拨打110报警",
            "投诉请打12315",
            "反诈专线96110",
            "市民热线12345",
            "交管12123上申请",
            "订单号139123456789", // 12 digits: longer than a mobile
            "号码8613912345678",  // country code glued on
            "电话12912345678",    // 12x is not a mobile prefix
            "abc13912345678",     // part of a word
            "139 1234 5678 9999", // the groups go on
        ] {
            assert!(of_kind(t, Phone).is_empty(), "{t}");
        }
    }

    #[test]
    fn id_cards() {
        assert_eq!(of_kind("号码340404198706212147，在菜市场", IdCard), ["340404198706212147"]);
        assert_eq!(of_kind("身份证号34040219580312031X，说他", IdCard), ["34040219580312031X"]);
        assert_eq!(of_kind("身份证11010519491231002x", IdCard), ["11010519491231002x"]);
        assert_eq!(
            of_kind("身份证号：４４０３０４１９９００１０１１２３３", IdCard),
            ["４４０３０４１９９００１０１１２３３"]
        );
        // Wrong check digit, a digit run too long, an impossible birth date.
        assert!(of_kind("号码340404198706212148", IdCard).is_empty());
        assert!(of_kind("号码3404041987062121470", IdCard).is_empty());
        assert!(of_kind("号码34040219581312031X", IdCard).is_empty());
        assert!(of_kind("号码34040219580312031Xa", IdCard).is_empty());
    }

    #[test]
    fn bank_cards() {
        assert_eq!(of_kind("卡号6225885181909375转了", BankCard), ["6225885181909375"]);
        assert_eq!(of_kind("账户6217000166131860911，已经", BankCard), ["6217000166131860911"]);
        assert_eq!(of_kind("卡号 6225 8851 8190 9375 ", BankCard), ["6225 8851 8190 9375"]);
        assert_eq!(of_kind("卡号6217 0001 6613 1860 911。", BankCard), ["6217 0001 6613 1860 911"]);
        assert_eq!(of_kind("卡号622202100112345678", BankCard), ["622202100112345678"]);
        // Luhn fails, too long, groups go on past 19 digits.
        assert!(of_kind("卡号6225885181909376", BankCard).is_empty());
        assert!(of_kind("卡号62258851819093750000", BankCard).is_empty());
        assert!(of_kind("卡号6225 8851 8190 9375 1234 5", BankCard).is_empty());
    }

    #[test]
    fn an_id_valid_run_is_an_id_card_not_a_bank_card() {
        // Passes both GB 11643 and Luhn.
        let e = ents("号码340402195803100108");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, IdCard);
        assert!(luhn_valid(b"340402195803100108"));
    }

    #[test]
    fn urls() {
        assert_eq!(of_kind("请登录 http://sbj-butie.top/lq 填写", Url), ["http://sbj-butie.top/lq"]);
        assert_eq!(of_kind("点击：https://a.cn/x?id=3&b=4。", Url), ["https://a.cn/x?id=3&b=4"]);
        assert_eq!(of_kind("点击 www.sf-lipei.xyz/p 填写", Url), ["www.sf-lipei.xyz/p"]);
        assert_eq!(of_kind("别点 fzzx-app.top 这类链接", Url), ["fzzx-app.top"]);
        assert_eq!(of_kind("网址是abc.vip/x，快", Url), ["abc.vip/x"]);
        assert_eq!(of_kind("看这个（http://x.cn/a）", Url), ["http://x.cn/a"]);
        assert_eq!(of_kind("登录www.x.com.", Url), ["www.x.com"]);
        assert_eq!(of_kind("链接http://hdcj.top/8888填写", Url), ["http://hdcj.top/8888"]);
        // Not links: an e-mail's domain, a file name, a decimal, a lone word.
        assert!(of_kind("邮箱abc@qq.com", Url).is_empty());
        assert!(of_kind("打开report.docx看看", Url).is_empty());
        assert!(of_kind("涨了2.8万", Url).is_empty());
        assert!(of_kind("http:// 空的", Url).is_empty());
    }

    #[test]
    fn a_number_inside_a_link_belongs_to_the_link() {
        let e = ents("点 http://a.cn/13912345678 领取");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, Url);
    }

    #[test]
    fn money_amounts_and_values() {
        let cases: &[(&str, &str, f64)] = &[
            ("卡里的2.8万元被转走了", "2.8万元", 28000.0),
            ("她已经转了5万了", "5万", 50000.0),
            ("今天菜市场的草莓，十块一斤", "十块", 10.0),
            ("一单3元，日结", "3元", 3.0),
            ("¥200包邮", "¥200", 200.0),
            ("￥ 1,500.50请转账", "￥ 1,500.50", 1500.5),
            ("转了12,000元", "12,000元", 12000.0),
            ("三千块一个月", "三千块", 3000.0),
            ("押金兩千元一分不退", "兩千元", 2000.0),
            ("被骗了1.2万元", "1.2万元", 12000.0),
            ("刮出一等奖十八萬，", "十八萬", 180000.0),
            ("流水达兩百萬元", "兩百萬元", 2_000_000.0),
            ("月入3w不是梦", "3w", 30000.0),
            ("月入３Ｗ不是梦", "３Ｗ", 30000.0),
            ("被骗三十多万", "三十多万", 300_000.0),
            ("花了2000多元", "2000多元", 2000.0),
            ("一斤三块五，", "三块五", 3.5),
            ("找零三块五毛钱", "三块五毛钱", 3.5),
            ("给了五十块钱", "五十块钱", 50.0),
            ("借了1万5，", "1万5", 15000.0),
            ("合计损失3亿元", "3亿元", 300_000_000.0),
            ("收款人民币5000", "人民币5000", 5000.0),
            ("收款rmb 800", "rmb 800", 800.0),
            ("金额壹万伍仟圆整", "壹万伍仟圆", 15000.0),
            ("每亩110元", "110元", 110.0),
        ];
        for &(text, span, value) in cases {
            assert_eq!(money(text), [(span.to_string(), value)], "{text}");
        }
        assert_eq!(
            money("借10000元到手8000元，七天一还"),
            [("10000元".to_string(), 10000.0), ("8000元".to_string(), 8000.0)]
        );
        assert_eq!(
            money("处一千元以上二千元以下罚款"),
            [("一千元".to_string(), 1000.0), ("二千元".to_string(), 2000.0)]
        );
    }

    #[test]
    fn not_money() {
        for t in [
            "年息18%，日收益5%",
            "11月16日下午",
            "明天上午8点半到12点",
            "3栋的住户",
            "保存5年",
            "打8折",
            "3张银行卡",
            "楼上1502天天跳绳",
            "酒后千万别开车",
            "万一被骗了",
            "十几万",
            "粉丝3万人",
            "跑了两千米",
            "我们一块去",
            "两块地",
            "元旦假期",
            "正月十五元宵节",
            "第一百元",
            "版本v2元",
            "打赏了一千零一夜的故事",
            "第九十一条规定",
            "处五日以上十日以下拘留",
        ] {
            assert!(money(t).is_empty(), "{t}: {:?}", money(t));
        }
    }

    #[test]
    fn wechat_ids() {
        assert_eq!(of_kind("有意加薇信 sdj6688 详聊", WechatId), ["sdj6688"]);
        assert_eq!(of_kind("加ＶＸ：tbjob886", WechatId), ["tbjob886"]);
        assert_eq!(of_kind("新ＶＸ：Wang_Laoshi99，有急事", WechatId), ["Wang_Laoshi99"]);
        assert_eq!(of_kind("加wx: zuhao_365", WechatId), ["zuhao_365"]);
        assert_eq!(of_kind("微信号是：abc-123", WechatId), ["abc-123"]);
        // A phone number used as a WeChat id is a WeChat id here.
        assert_eq!(of_kind("加微信13912345678", WechatId), ["13912345678"]);
        assert!(of_kind("加微信13912345678", Phone).is_empty());
        // Chinese text, punctuation, too short, too long, an address.
        assert!(of_kind("让我加他微信私下交易", WechatId).is_empty());
        assert!(of_kind("还让我加他vx，可以做吗", WechatId).is_empty());
        assert!(of_kind("加微信 ab12 ", WechatId).is_empty());
        assert!(of_kind("加微信 abcdefghij0123456789x", WechatId).is_empty());
        assert!(of_kind("加微信 abcde@qq.com", WechatId).is_empty());
    }

    #[test]
    fn qq_numbers() {
        assert_eq!(of_kind("私聊扣扣 3302918476", QqNumber), ["3302918476"]);
        assert_eq!(of_kind("Ｑ：1988623450", QqNumber), ["1988623450"]);
        assert_eq!(of_kind("加ＱＱ：２８５７３６４１９０", QqNumber), ["２８５７３６４１９０"]);
        assert_eq!(of_kind("qq号码:12345", QqNumber), ["12345"]);
        assert!(of_kind("加QQ 1234", QqNumber).is_empty());
        assert!(of_kind("加QQ 123456789012", QqNumber).is_empty());
        assert!(of_kind("加QQ 0123456", QqNumber).is_empty());
        assert!(of_kind("加QQ 12345abc", QqNumber).is_empty());
        assert!(of_kind("让他加扣扣交易", QqNumber).is_empty());
    }

    #[test]
    fn license_plates() {
        assert_eq!(of_kind("车牌皖D37A21，有人", LicensePlate), ["皖D37A21"]);
        assert_eq!(of_kind("货车皖N8G352", LicensePlate), ["皖N8G352"]);
        assert_eq!(of_kind("新能源皖DF12345跑了", LicensePlate), ["皖DF12345"]);
        assert_eq!(of_kind("大车粤B12345D", LicensePlate), ["粤B12345D"]);
        assert_eq!(of_kind("车牌京a·88888", LicensePlate), ["京a·88888"]);
        assert_eq!(of_kind("车牌ｂ浙Ｂ８Ｄ３６１", LicensePlate), ["浙Ｂ８Ｄ３６１"]);
        // Too long, a letter I/O, too many letters, not a province.
        assert!(of_kind("编号皖D37A2199", LicensePlate).is_empty());
        assert!(of_kind("皖I12345", LicensePlate).is_empty());
        assert!(of_kind("皖DABC12", LicensePlate).is_empty());
        assert!(of_kind("车A12345", LicensePlate).is_empty());
    }

    #[test]
    fn several_kinds_in_one_message() {
        let e = ents("我爸身份证号34040219580312031X，让他转到6217000166131860911，已经转了3萬元，电话13912345678");
        let kinds: Vec<EntityKind> = e.iter().map(|x| x.0).collect();
        assert_eq!(kinds, [IdCard, BankCard, Money, Phone]);
        assert_eq!(e[2].2, Some(30000.0));
        let mut out = vec![Found { kind: Url, start: 0, end: 1, value: None }];
        find_entities("电话13912345678", &[], &mut out);
        assert_eq!(out.len(), 2, "appends, keeps what was there");
        assert_eq!((out[1].start, out[1].end), (6, 17));
    }

    #[test]
    fn bad_cues_are_ignored() {
        let text = "加微信 abcdef";
        let mut out = Vec::new();
        let cues = [
            EntityCue { kind: WechatId, end: 1 },   // not a char boundary
            EntityCue { kind: WechatId, end: 999 }, // past the end
            EntityCue { kind: Phone, end: 9 },      // not a cue kind
        ];
        find_entities(text, &cues, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn chinese_numbers() {
        let cases: &[(&str, f64)] = &[
            ("三万五千", 35000.0),
            ("两千", 2000.0),
            ("十", 10.0),
            ("十八", 18.0),
            ("一百零五", 105.0),
            ("一百0五", 105.0),
            ("2.8万", 28000.0),
            ("1.2万", 12000.0),
            ("4.6万", 46000.0),
            ("二十万", 200_000.0),
            ("两百万", 2_000_000.0),
            ("三万五", 35000.0),
            ("一百五", 150.0),
            ("一千零一", 1001.0),
            ("1万5千", 15000.0),
            ("一亿二千万", 120_000_000.0),
            ("一万亿", 1e12),
            ("1万5仟", 15000.0),
            ("1,000", 1000.0),
            ("2.8", 2.8),
            ("零", 0.0),
        ];
        for &(s, v) in cases {
            assert_eq!(parse_chinese_number(s), Some(v), "{s}");
        }
        for s in ["", "千", "百", "万", "三二", "五0", "万万", "百千", "一百十千", "abc", "3元", "1.2.3", "二十亿亿"]
        {
            assert_eq!(parse_chinese_number(s), None, "{s}");
        }
    }

    #[test]
    fn dev_set_entities() {
        // The labelled messages of the project; measured by (kind, exact text).
        let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/dev.jsonl"))
            .expect("the shared dev set");
        let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let mut gold: Vec<(String, String)> = v["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e["kind"].as_str().unwrap().to_string(), e["text"].as_str().unwrap().to_string()))
                .collect();
            for (kind, span, _) in ents(text) {
                match gold.iter().position(|g| g.0 == kind.name() && g.1 == span) {
                    Some(p) => {
                        gold.remove(p);
                        tp += 1;
                    }
                    None => fp += 1,
                }
            }
            fnn += gold.len();
        }
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fnn).max(1) as f64;
        assert!(tp > 100, "the dev set has entities");
        assert!(precision >= 0.95 && recall >= 0.95, "precision {precision:.3} recall {recall:.3}");
    }

    fn check_spans(s: &str, out: &[Found]) -> Result<(), TestCaseError> {
        for w in out.windows(2) {
            prop_assert!(w[0].end <= w[1].start, "sorted and disjoint");
        }
        for f in out {
            prop_assert!(f.start < f.end && f.end <= s.len());
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            prop_assert_eq!(f.value.is_some(), f.kind == Money);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn spans_are_sorted_in_bounds_on_boundaries(
            s in "[0-9０-９a-zA-Z .,:x¥￥元块圆万千百十亿两一二三五多号是第皖京Dwqv微信扣-]{0,48}|\\PC{0,40}",
            ends in proptest::collection::vec((0usize..64, any::<bool>()), 0..6),
        ) {
            let given: Vec<EntityCue> = ends
                .iter()
                .map(|&(end, wx)| EntityCue { kind: if wx { WechatId } else { QqNumber }, end })
                .collect();
            let mut out = Vec::new();
            find_entities(&s, &given, &mut out);
            check_spans(&s, &out)?;
            let (f, _) = fold(&s);
            let mut out = Vec::new();
            find_entities(&f, &cues(&f), &mut out);
            check_spans(&f, &out)?;
        }

        #[test]
        fn any_number_parses_or_not_without_panicking(s in "[0-9.,〇零一二两三四五六七八九十百千万亿拾佰仟]{0,24}") {
            if let Some(v) = parse_chinese_number(&s) {
                prop_assert!(v.is_finite() && v >= 0.0);
            }
        }
    }
}
