//! Masking of personal data (taxonomy §3): phones, ID cards and bank cards
//! are shown as `139****5678` in every output that leaves the process unless
//! raw output is asked for.
//!
//! Masking works on the ORIGINAL text of an entity, which may write its
//! digits full-width (`１３９`), circled (`①`), as financial (`壹`) or plain
//! Chinese numerals (`一三九…`), and may contain spaces or hyphens. Every
//! character that reads as a digit counts; separators are kept as they are;
//! every masked digit becomes `*`.

use crate::types::EntityKind;

/// The digit a character of the original text reads as (the same readings
/// the engine's folding applies), or 10 for the `x` check character of an ID
/// card.
fn digit_value(c: char, kind: EntityKind) -> Option<u8> {
    let v = match c {
        '0'..='9' => c as u32 - '0' as u32,
        '０'..='９' => c as u32 - '０' as u32,
        '①'..='⑨' => c as u32 - '①' as u32 + 1,
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        'x' | 'X' | 'ｘ' | 'Ｘ' if kind == EntityKind::IdCard => 10,
        _ => return None,
    };
    u8::try_from(v).ok()
}

/// How many leading and trailing digits a phone number keeps: a mobile its
/// first 3 and last 4, a landline its area code and last 2.
fn phone_keep(original: &str, digits: &[u8]) -> (usize, usize) {
    let n = digits.len();
    let first = digits.first().copied();
    let second = digits.get(1).copied();
    if n == 11 && first == Some(1) {
        return (3, 4);
    }
    if first == Some(0) {
        // The area code as written (0554-…), else by the numbering plan:
        // 010 and 02x are 3 digits long, the others 4.
        let group = original
            .chars()
            .take_while(|&c| digit_value(c, EntityKind::Phone).is_some())
            .count();
        let separated = group < original.chars().count();
        let area = if separated && (3..=4).contains(&group) {
            group
        } else if matches!(second, Some(1) | Some(2)) {
            3
        } else {
            4
        };
        return (area, 2);
    }
    (3, 4)
}

/// The masked form of one personal-data entity as written in the original
/// text (may contain full-width digits, spaces or hyphens): mobile
/// `139****5678` (first 3 and last 4 digits kept), landline area code kept and
/// all but the last 2 digits masked, id_card first 6 and last 4 kept
/// (`340402********031X`), bank_card first 4 and last 4 kept. Non-digit
/// separators are kept as they were; every masked digit becomes `*`. Other
/// kinds are returned unchanged.
pub(crate) fn mask_entity(kind: EntityKind, original: &str) -> String {
    let digits: Vec<u8> = original.chars().filter_map(|c| digit_value(c, kind)).collect();
    let n = digits.len();
    let (mut keep_first, mut keep_last) = match kind {
        EntityKind::Phone => phone_keep(original, &digits),
        EntityKind::IdCard => (6, 4),
        EntityKind::BankCard => (4, 4),
        _ => return original.to_string(),
    };
    if keep_first + keep_last >= n {
        // Too short for its kind: still hide most of it.
        keep_first = 0;
        keep_last = n / 3;
    }
    let mut out = String::with_capacity(original.len());
    let mut idx = 0usize;
    for c in original.chars() {
        if digit_value(c, kind).is_some() {
            if idx < keep_first || idx + keep_last >= n {
                out.push(c);
            } else {
                out.push('*');
            }
            idx += 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with the byte ranges of personal entities replaced by their masks
/// (ranges sorted, non-overlapping, on char boundaries; ignore ranges that
/// are not).
pub(crate) fn mask_spans(text: &str, spans: &[(EntityKind, usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for &(kind, start, end) in spans {
        if !kind.is_personal() || start < pos || start > end {
            continue;
        }
        let (Some(before), Some(entity)) = (text.get(pos..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&mask_entity(kind, entity));
        pos = end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}
