//! Small helpers over the folded text: checked byte and character reads,
//! word boundaries, digit runs.

#[allow(unused_imports)]
use super::*;

/// The byte at `k`, or 0 past the end.
pub(crate) fn at(b: &[u8], k: usize) -> u8 {
    b.get(k).copied().unwrap_or(0)
}

pub(crate) fn char_at(s: &str, k: usize) -> Option<char> {
    s.get(k..).and_then(|t| t.chars().next())
}

pub(crate) fn char_before(s: &str, k: usize) -> Option<char> {
    s.get(..k).and_then(|t| t.chars().next_back())
}

pub(crate) fn is_word_byte(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'_'
}

pub(crate) fn digit_run_end(b: &[u8], i: usize) -> usize {
    let mut k = i;
    while at(b, k).is_ascii_digit() {
        k += 1;
    }
    k
}

/// A CJK ideograph (the basic block and extension A), i.e. Chinese text.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}
