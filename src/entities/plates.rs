//! Licence plates: a province abbreviation, a letter and five or six
//! characters.

#[allow(unused_imports)]
use super::*;

/// The 31 province abbreviations that open a licence plate.
pub(crate) fn is_province(c: char) -> bool {
    matches!(
        c,
        '京' | '津' | '沪' | '渝' | '冀' | '豫' | '云' | '辽' | '黑' | '湘' | '皖' | '鲁' | '新' | '苏' | '浙' | '赣' | '鄂'
            | '桂' | '甘' | '晋' | '蒙' | '陕' | '吉' | '闽' | '贵' | '粤' | '青' | '藏' | '川' | '宁' | '琼'
    )
}

/// Plate letters: A–Z without I and O (they look like 1 and 0).
pub(crate) fn plate_letter(x: u8) -> bool {
    x.is_ascii_alphabetic() && !matches!(x.to_ascii_lowercase(), b'i' | b'o')
}

pub(crate) fn plate_char(x: u8) -> bool {
    x.is_ascii_digit() || plate_letter(x)
}

pub(crate) fn scan_plate(s: &str, i: usize, c: char, cands: &mut Vec<Cand>) {
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
