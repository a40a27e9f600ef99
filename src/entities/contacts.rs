//! WeChat ids and QQ numbers, read after a cue the automaton saw.

#[allow(unused_imports)]
use super::*;

/// Characters that may stand between a cue and the id: `微信号：abc`, `vx 是 abc`.
pub(crate) fn is_cue_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | ':' | '=' | '号' | '码' | '是' | '为')
}

pub(crate) fn scan_cue(s: &str, cue: &EntityCue, cands: &mut Vec<Cand>) {
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
