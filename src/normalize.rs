//! Normalisation in one pass, with maps back to the original bytes.
//!
//! One left-to-right pass over the original text produces two views:
//!
//! - the **folded** view: every original character, with full-width forms
//!   turned into ASCII, ASCII letters lower-cased, Traditional and variant
//!   characters folded onto Simplified (the OpenCC-generated table plus a
//!   curated one), and digit styles (①, 壹贰, runs of 一二三 standing for
//!   digits) turned into ASCII digits. Entities are read from this view.
//! - the **dense** view: the folded view with noise (spaces, punctuation,
//!   symbols, emoji, zero-width characters and variation selectors) removed,
//!   so that `刷*单`, `刷 单` and `刷😀单` all read `刷单`. A sentence break
//!   (newline, `。！？!?`), a clause mark (`，、；：`) or a run of noise
//!   longer than the bound becomes a
//!   hard break (`\n`) that no keyword contains, so no match crosses it. The
//!   one automaton runs over this view.
//!
//! Both views carry, per byte, the byte span of the original character it
//! came from, so any span of either view maps back to the original text.

use once_cell::sync::Lazy;

use crate::fold_table::fold_char as fold_table_char;

/// CJK Extension A, the CJK symbols and the Unified Ideographs: almost all
/// of the text and almost all folds. Characters here take short ways (a
/// direct fold lookup, no punctuation classes, entity scans by table).
pub(crate) const IDEOGRAPHS: std::ops::Range<u32> = 0x3400..0xA000;

/// Whether `c` is a CJK ideograph of [`IDEOGRAPHS`].
pub(crate) fn is_ideograph(c: char) -> bool {
    IDEOGRAPHS.contains(&(c as u32))
}

/// The fold table spread over a direct lookup for the dense range, the
/// financial numerals (壹 → 1) included: one array read instead of a
/// binary search per character.
static DENSE_FOLD: Lazy<Vec<char>> = Lazy::new(|| {
    IDEOGRAPHS
        .map(|u| char::from_u32(u).map_or('\u{FFFD}', |c| financial_digit(c).unwrap_or_else(|| fold_table_char(c))))
        .collect()
});

#[inline]
fn fold_char(c: char) -> char {
    let u = c as u32;
    if IDEOGRAPHS.contains(&u) {
        DENSE_FOLD.get((u - IDEOGRAPHS.start) as usize).copied().unwrap_or(c)
    } else {
        fold_table_char(c)
    }
}

/// How many counted noise characters may stand between two characters of a
/// keyword before the junction becomes a hard break.
pub(crate) const MAX_NOISE_PER_JUNCTION: u32 = 3;

/// The hard-break marker in the dense view.
pub(crate) const BREAK: char = '\n';

/// Per dense byte: the character was changed by folding (Traditional,
/// full-width, digit style), not counting ASCII case.
pub(crate) const FLAG_FOLDED: u8 = 1;
/// Per dense byte: noise was skipped just before this character.
pub(crate) const FLAG_GAP: u8 = 2;

/// The two views of one text, with their maps. Reused across calls to avoid
/// allocation.
#[derive(Default, Debug)]
pub(crate) struct Normalized {
    /// The folded view.
    pub folded: String,
    /// Per folded byte: original byte span of the source character.
    pub folded_src: Vec<(u32, u32)>,
    /// The dense view.
    pub dense: String,
    /// Per dense byte: index of the folded byte it copies (for a break, the
    /// first byte of the character that caused it); through `folded_src`
    /// this also gives the original span.
    pub dense_folded: Vec<u32>,
    /// Per dense byte: `FLAG_*` bits.
    pub dense_flags: Vec<u8>,
    /// Number of content characters in the dense view (breaks not counted).
    pub content_chars: usize,
    /// Whether the folded view has a question mark (`?` or `？`).
    pub question: bool,
}

/// What a character is to the matcher.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Part of words: letters, digits, ideographs.
    Content,
    /// Ends a sentence: no keyword crosses it.
    Break,
    /// Skipped between keyword characters, and counted toward the bound.
    Noise,
    /// Skipped and not counted: zero-width characters, variation selectors,
    /// emoji modifiers.
    Silent,
}

fn classify(c: char) -> Class {
    let u = c as u32;
    // CJK Extension A and Unified Ideographs: the bulk of the text.
    if IDEOGRAPHS.contains(&u) {
        return Class::Content;
    }
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Content
        } else if matches!(c, '\n' | '\r' | '!' | '?' | ',' | ';' | ':') || (c.is_ascii_control() && c != '\t') {
            Class::Break
        } else {
            Class::Noise
        };
    }
    match u {
        // 。！？ and the ideographic full stop variants; full-width ！？ are
        // folded to ASCII before classification.
        // 。、 and the halfwidth ideographic full stop; ，；：！？ are
        // full-width ASCII, folded before classification.
        0x3002 | 0x3001 | 0xFF61 | 0xFF64 => Class::Break,
        0x2028 | 0x2029 | 0x0085 => Class::Break,
        0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF => Class::Silent,
        0xE0000..=0xE007F | 0xE0100..=0xE01EF | 0x00AD | 0x034F | 0x180E => Class::Silent,
        0x20E3 | 0x0300..=0x036F => Class::Silent,
        // Latin-1 punctuation and symbols, general punctuation, symbols,
        // arrows, maths, technical, box drawing, shapes, dingbats.
        0x00A0..=0x00BF | 0x00D7 | 0x00F7 => Class::Noise,
        0x2000..=0x2BFF => Class::Noise,
        // CJK symbols and punctuation (〇 and 々 are content).
        0x3000..=0x303F if u != 0x3007 && u != 0x3005 => Class::Noise,
        0x3200..=0x33FF => Class::Noise,
        0xFE10..=0xFE1F | 0xFE30..=0xFE6F => Class::Noise,
        0xFF00..=0xFFEF => Class::Noise,
        0x1F000..=0x1FAFF => Class::Noise,
        _ => {
            if c.is_whitespace() {
                Class::Noise
            } else {
                Class::Content
            }
        }
    }
}

/// Folds one character onto its canonical form, without digit styles that
/// need context. Returns the folded character and whether folding changed
/// more than ASCII case.
#[inline]
pub(crate) fn fold_simple(c: char) -> (char, bool) {
    let u = c as u32;
    if u < 0x80 {
        return (c.to_ascii_lowercase(), false);
    }
    // Ideographs first: no full-width or circled forms there, only the
    // financial numerals and the fold table, both in one lookup (a digit
    // is never the ideograph itself, so `f != c` says it changed).
    if IDEOGRAPHS.contains(&u) {
        let f = fold_char(c);
        return (f, f != c);
    }
    match u {
        // Full-width ASCII.
        0xFF01..=0xFF5E => {
            let a = char::from_u32(u - 0xFEE0).unwrap_or(c);
            (a.to_ascii_lowercase(), true)
        }
        0x3000 => (' ', true),
        // Circled and parenthesised digits 1–9, and ⓪.
        0x2460..=0x2468 => (char::from_u32(u - 0x2460 + '1' as u32).unwrap_or(c), true),
        0x2474..=0x247C => (char::from_u32(u - 0x2474 + '1' as u32).unwrap_or(c), true),
        0x2488..=0x2490 => (char::from_u32(u - 0x2488 + '1' as u32).unwrap_or(c), true),
        0x2776..=0x277E => (char::from_u32(u - 0x2776 + '1' as u32).unwrap_or(c), true),
        0x2780..=0x2788 => (char::from_u32(u - 0x2780 + '1' as u32).unwrap_or(c), true),
        0x278A..=0x2792 => (char::from_u32(u - 0x278A + '1' as u32).unwrap_or(c), true),
        0x24EA => ('0', true),
        _ => match financial_digit(c) {
            Some(d) => (d, true),
            None => {
                let f = fold_char(c);
                (f, f != c)
            }
        },
    }
}

/// Financial numerals: unambiguous digits.
#[inline]
fn financial_digit(c: char) -> Option<char> {
    Some(match c {
        '壹' => '1',
        '贰' | '貳' => '2',
        '叁' | '參' => '3',
        '肆' => '4',
        '伍' => '5',
        '陆' | '陸' => '6',
        '柒' => '7',
        '捌' => '8',
        '玖' => '9',
        _ => return None,
    })
}

/// The ASCII digit a plain Chinese numeral stands for in a digit string.
#[inline]
fn plain_cn_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' => '0',
        '一' | '幺' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// Appends the first `width` (1 to 4, a character's UTF-8 length) of
/// `x` to a per-byte map: one fixed-size copy per width, inlined.
#[inline(always)]
fn push_width<T: Copy>(v: &mut Vec<T>, width: usize, x: [T; 4]) {
    let [a, b, c, d] = x;
    match width {
        1 => v.push(a),
        2 => v.extend_from_slice(&[a, b]),
        3 => v.extend_from_slice(&[a, b, c]),
        _ => v.extend_from_slice(&[a, b, c, d]),
    }
}

/// A run of this many plain Chinese numerals reads as a digit string
/// (a phone or QQ number written out), not as words.
const CN_DIGIT_RUN: usize = 5;

impl Normalized {
    /// Normalise `text`, replacing the previous contents.
    pub(crate) fn run(&mut self, text: &str) {
        self.folded.clear();
        self.folded_src.clear();
        self.dense.clear();
        self.dense_folded.clear();
        self.dense_flags.clear();
        self.content_chars = 0;
        self.question = false;
        self.folded.reserve(text.len());
        self.dense.reserve(text.len());
        self.folded_src.reserve(text.len());
        self.dense_folded.reserve(text.len());
        self.dense_flags.reserve(text.len());

        let mut noise_run: u32 = 0;
        let mut skipped = false;
        // Remaining characters of a run of plain Chinese numerals read as digits.
        let mut cn_digits_left = 0usize;
        for (start, c) in text.char_indices() {
            let end = start + c.len_utf8();
            let src = (start as u32, end as u32);

            let (f, changed) = if let Some(d) = plain_cn_digit(c) {
                if cn_digits_left == 0 {
                    let run = 1 + text
                        .get(end..)
                        .unwrap_or("")
                        .chars()
                        .take_while(|&n| plain_cn_digit(n).is_some())
                        .count();
                    cn_digits_left = if run >= CN_DIGIT_RUN { run } else { 0 };
                }
                if cn_digits_left > 0 {
                    cn_digits_left -= 1;
                    (d, true)
                } else {
                    (c, false)
                }
            } else {
                fold_simple(c)
            };

            let folded_at = self.folded.len();
            let width = f.len_utf8();
            self.folded.push(f);
            push_width(&mut self.folded_src, width, [src; 4]);

            match classify(f) {
                Class::Content => {
                    self.content_chars += 1;
                    let flags = (if changed { FLAG_FOLDED } else { 0 }) | (if skipped { FLAG_GAP } else { 0 });
                    self.dense.push(f);
                    let at = folded_at as u32;
                    push_width(&mut self.dense_folded, width, [at, at + 1, at + 2, at + 3]);
                    push_width(&mut self.dense_flags, width, [flags; 4]);
                    noise_run = 0;
                    skipped = false;
                }
                Class::Break => {
                    self.question |= f == '?';
                    self.push_break(folded_at);
                    noise_run = 0;
                    skipped = false;
                }
                Class::Noise => {
                    noise_run += 1;
                    skipped = true;
                    if noise_run == MAX_NOISE_PER_JUNCTION + 1 {
                        self.push_break(folded_at);
                    }
                }
                Class::Silent => {
                    skipped = true;
                }
            }
        }
    }

    fn push_break(&mut self, folded_at: usize) {
        if self.dense.is_empty() || self.dense.ends_with(BREAK) {
            return;
        }
        self.dense.push(BREAK);
        self.dense_folded.push(folded_at as u32);
        self.dense_flags.push(0);
    }

    /// The original byte span of the dense byte range `[s, e)`.
    #[inline]
    pub(crate) fn dense_to_original(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let a = *self.dense_folded.get(s)? as usize;
        let b = *self.dense_folded.get(e.checked_sub(1)?)? as usize;
        self.folded_to_original(a, b + 1)
    }

    /// The folded byte offset of dense byte `d` (the dense text's length
    /// maps to the folded text's length).
    #[inline]
    pub(crate) fn dense_to_folded(&self, d: usize) -> usize {
        self.dense_folded.get(d).map_or(self.folded.len(), |&f| f as usize)
    }

    /// The original byte span of the folded byte range `[s, e)`.
    #[inline]
    pub(crate) fn folded_to_original(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let a = self.folded_src.get(s)?.0;
        let b = self.folded_src.get(e.checked_sub(1)?)?.1;
        Some((a as usize, b as usize))
    }

    /// Whether the dense range `[s, e)` needed folding or skipped noise.
    pub(crate) fn obfuscated(&self, s: usize, e: usize) -> bool {
        let Some(flags) = self.dense_flags.get(s..e) else { return false };
        let Some(first) = self.dense.get(s..e).and_then(|t| t.chars().next()) else { return false };
        // A gap before the first character is not inside the keyword; the
        // flags of a character are on each of its bytes.
        let (head, rest) = flags.split_at(first.len_utf8().min(flags.len()));
        head.iter().any(|f| f & FLAG_FOLDED != 0) || rest.iter().any(|f| f & (FLAG_FOLDED | FLAG_GAP) != 0)
    }
}

/// Normalise a lexicon pattern to the dense form the automaton matches.
pub(crate) fn normalize_pattern(pattern: &str) -> String {
    let mut n = Normalized::default();
    n.run(pattern);
    n.dense.trim_matches(BREAK).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Normalized {
        let mut n = Normalized::default();
        n.run(s);
        n
    }

    #[test]
    fn noise_is_dropped_and_sentences_break() {
        assert_eq!(norm("刷*单").dense, "刷单");
        assert_eq!(norm("刷 单").dense, "刷单");
        assert_eq!(norm("刷😀单").dense, "刷单");
        assert_eq!(norm("刷\u{200B}单").dense, "刷单");
        assert_eq!(norm("刷。单").dense, "刷\n单");
        assert_eq!(norm("刷！单").dense, "刷\n单");
        assert_eq!(norm("刷\n单").dense, "刷\n单");
        assert_eq!(norm("刷 * * * 单").dense, "刷\n单");
        assert_eq!(norm("点赞，群").dense, "点赞\n群");
        assert_eq!(norm("出租、出借").dense, "出租\n出借");
        assert_eq!(norm("保*本*高*息").dense, "保本高息");
    }

    #[test]
    fn folds_width_case_script_and_digits() {
        assert_eq!(norm("ＶＸ１８８").dense, "vx188");
        assert_eq!(norm("ＶＸ：１８８").dense, "vx\n188");
        assert_eq!(norm("ＶＸ：１８８").folded, "vx:188");
        assert_eq!(norm("VX").dense, "vx");
        assert_eq!(norm("刷單").dense, "刷单");
        assert_eq!(norm("①②③").dense, "123");
        assert_eq!(norm("壹贰叁").dense, "123");
        assert_eq!(norm("一三九一二三四五六七八").folded, "13912345678");
        assert_eq!(norm("一单一结").folded, "一单一结");
        assert_eq!(norm("三万五千元").folded, "三万五千元");
    }

    #[test]
    fn maps_back_to_original_bytes() {
        let s = "淘寶刷.單，加ＶＸ";
        let n = norm(s);
        let d = n.dense.find("刷单").unwrap();
        let (a, b) = n.dense_to_original(d, d + "刷单".len()).unwrap();
        assert_eq!(&s[a..b], "刷.單");
        assert!(n.obfuscated(d, d + "刷单".len()));
        let d = n.dense.find("vx").unwrap();
        let (a, b) = n.dense_to_original(d, d + 2).unwrap();
        assert_eq!(&s[a..b], "ＶＸ");
        let plain = norm("刷单");
        assert!(!plain.obfuscated(0, "刷单".len()));
    }

    #[test]
    fn patterns_normalise_like_text() {
        assert_eq!(normalize_pattern("刷單"), "刷单");
        let mut n = Normalized::default();
        n.run("是刷单吗？ 好的!\n嗯");
        assert_eq!((n.content_chars, n.question), (7, true));
        assert_eq!(n.content_chars, n.dense.chars().filter(|c| *c != BREAK).count());
        assert_eq!(n.question, n.folded.contains('?'));
        n.run("没有问题");
        assert_eq!((n.content_chars, n.question), (4, false));
        assert_eq!(normalize_pattern(" V信 "), "v信");
    }
}
