//! Digit runs: mobile and landline phones, resident ID cards (GB 11643
//! check digit) and bank cards (Luhn), plain or grouped.

#[allow(unused_imports)]
use super::*;

pub(crate) fn is_mobile_prefix(d: &[u8]) -> bool {
    at(d, 0) == b'1' && (b'3'..=b'9').contains(&at(d, 1))
}

/// GB 11643: 17 digits, a check character (digit or x), a plausible birth
/// date and region.
pub(crate) fn id_card_valid(d17: &[u8], check: u8) -> bool {
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

pub(crate) fn luhn_valid(d: &[u8]) -> bool {
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
pub(crate) fn joined_before(b: &[u8], i: usize) -> bool {
    i >= 2 && matches!(at(b, i - 1), b' ' | b'-') && at(b, i - 2).is_ascii_digit()
}

/// Whether a separator and another digit follow at `k` (the number goes on).
pub(crate) fn continues_at(b: &[u8], k: usize) -> bool {
    matches!(at(b, k), b' ' | b'-') && at(b, k + 1).is_ascii_digit()
}

pub(crate) fn scan_digit_run(s: &str, i: usize, prev: Option<char>, cands: &mut Vec<Cand>) {
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

pub(crate) fn scan_grouped_card(b: &[u8], i: usize, j: usize, first: &[u8], cands: &mut Vec<Cand>) {
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
