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
        let group = original.chars().take_while(|&c| digit_value(c, EntityKind::Phone).is_some()).count();
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

/// How an entity of any kind is shown in a default output: a phone, ID or
/// bank card number by [`mask_entity`]; any other kind (a WeChat id, a QQ
/// number, a URL, money) with every group of digits in it that has the
/// shape of a phone, ID or bank card number masked as one
/// ([`mask_embedded`]): phone numbers are among the most common WeChat
/// and QQ ids.
pub(crate) fn mask_shown(kind: EntityKind, original: &str) -> String {
    if kind.is_personal() {
        mask_entity(kind, original)
    } else {
        mask_embedded(original)
    }
}

/// [`mask_embedded`] unless `raw`: for text that is not an entity but
/// repeats the message (a keyword hit, and the lexicon pattern it matched).
pub(crate) fn shown_text(text: &str, raw: bool) -> String {
    if raw {
        text.to_owned()
    } else {
        mask_embedded(text)
    }
}

/// An indicator as kept by the aggregator, masked if it was kept raw:
/// idempotent, so that masked indicators stay as they are.
pub(crate) fn mask_indicator(kind: EntityKind, text: &str) -> String {
    if kind.is_personal() && !text.contains('*') {
        mask_entity(kind, text)
    } else {
        mask_embedded(text)
    }
}

/// The kind whose mask a group of `n` digits takes, if it has the shape of
/// one: 11 digits from 1 (a mobile), 10 to 12 from 0 (a landline), 18 or
/// 17 and a check `x` (an ID number), 16 to 19 (a bank card).
fn shape(digits: &[u8], check_x: bool) -> Option<EntityKind> {
    let n = digits.len();
    let first = digits.first().copied();
    if check_x {
        return (n == 17).then_some(EntityKind::IdCard);
    }
    match n {
        11 if first == Some(1) => Some(EntityKind::Phone),
        10..=12 if first == Some(0) => Some(EntityKind::Phone),
        18 => Some(EntityKind::IdCard),
        16..=19 => Some(EntityKind::BankCard),
        _ => None,
    }
}

/// `text` with every group of digits that has the shape of a phone, ID or
/// bank card number masked as [`mask_entity`] masks one. A group is a run
/// of digits (as [`mask_entity`] reads them: ASCII, full-width, circled,
/// Chinese numerals) with single spaces or hyphens between digits, and the
/// check `x` of an ID number; anything else ends it (`wxid_13912345678`
/// holds a mobile). Text without such a group is returned unchanged, and
/// masked text stays as it is.
pub fn mask_embedded(text: &str) -> String {
    masked_embedded(text).into_owned()
}

/// [`mask_embedded`], borrowing `text` when nothing in it needs a mask
/// (the common case: no allocation).
pub(crate) fn masked_embedded(text: &str) -> std::borrow::Cow<'_, str> {
    let is_digit = |c: char| digit_value(c, EntityKind::Phone).is_some();
    // No group to mask in fewer than ten characters (most keywords).
    if text.chars().count() < 10 || text.chars().filter(|&c| is_digit(c)).count() < 10 {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize; // byte offset copied so far
    let mut i = 0usize;
    while i < chars.len() {
        let Some(&(start, c)) = chars.get(i) else { break };
        if !is_digit(c) {
            i += 1;
            continue;
        }
        // The group: digits, with single separators between digits.
        let mut digits: Vec<u8> = Vec::new();
        let mut j = i;
        while let Some(&(_, d)) = chars.get(j) {
            if let Some(v) = digit_value(d, EntityKind::Phone) {
                digits.push(v);
                j += 1;
            } else if matches!(d, ' ' | '-') && chars.get(j + 1).is_some_and(|&(_, n)| is_digit(n)) {
                j += 1;
            } else {
                break;
            }
        }
        let check_x = matches!(chars.get(j), Some((_, 'x' | 'X' | 'ｘ' | 'Ｘ')));
        let end_idx = if check_x && digits.len() == 17 { j + 1 } else { j };
        let end = chars.get(end_idx).map_or(text.len(), |&(b, _)| b);
        if let Some(kind) = shape(&digits, check_x && digits.len() == 17) {
            out.push_str(text.get(pos..start).unwrap_or(""));
            out.push_str(&mask_entity(kind, text.get(start..end).unwrap_or("")));
            pos = end;
        }
        i = end_idx.max(i + 1);
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    std::borrow::Cow::Owned(out)
}

/// `text` with the byte ranges of entities replaced by how a default
/// output shows them ([`mask_shown`]; ranges sorted, non-overlapping, on
/// char boundaries; ignore ranges that are not), and every other group of
/// digits with the shape of a phone, ID or bank card number masked too
/// ([`mask_embedded`]: a number the entity rules pass over, run together
/// with letters, is personal data all the same).
pub(crate) fn mask_spans(text: &str, spans: &[(EntityKind, usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for &(kind, start, end) in spans {
        if start < pos || start > end {
            continue;
        }
        let (Some(before), Some(entity)) = (text.get(pos..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&mask_embedded(before));
        out.push_str(&mask_shown(kind, entity));
        pos = end;
    }
    out.push_str(&mask_embedded(text.get(pos..).unwrap_or("")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::{find_entities, Found};
    use proptest::prelude::*;
    use EntityKind::*;

    #[test]
    fn mobiles_keep_first_3_and_last_4() {
        assert_eq!(mask_entity(Phone, "13956201847"), "139****1847");
        assert_eq!(mask_entity(Phone, "１３９５６２０１８４７"), "１３９****１８４７");
        assert_eq!(mask_entity(Phone, "139 5620 1847"), "139 **** 1847");
        assert_eq!(mask_entity(Phone, "139-5620-1847"), "139-****-1847");
        assert_eq!(mask_entity(Phone, "一三九五六二零一八四七"), "一三九****一八四七");
        assert_eq!(mask_entity(Phone, "①③⑨⑤⑥②0①⑧④⑦"), "①③⑨****①⑧④⑦");
    }

    #[test]
    fn landlines_keep_the_area_code_and_last_2() {
        assert_eq!(mask_entity(Phone, "0554-6662110"), "0554-*****10");
        assert_eq!(mask_entity(Phone, "010-62345678"), "010-******78");
        assert_eq!(mask_entity(Phone, "01062345678"), "010******78");
        assert_eq!(mask_entity(Phone, "05546662110"), "0554*****10");
    }

    #[test]
    fn cards() {
        assert_eq!(mask_entity(IdCard, "34040219580312031X"), "340402********031X");
        assert_eq!(mask_entity(IdCard, "３４０４０２１９５８０３１２０３１Ｘ"), "３４０４０２********０３１Ｘ");
        assert_eq!(mask_entity(BankCard, "6225885181909375"), "6225********9375");
        assert_eq!(mask_entity(BankCard, "6217 0001 6613 1860 911"), "6217 **** **** ***0 911");
    }

    #[test]
    fn other_kinds_and_short_input() {
        assert_eq!(mask_entity(Money, "3000元"), "3000元");
        assert_eq!(mask_entity(Url, "http://a.cn/139"), "http://a.cn/139");
        assert_eq!(mask_entity(WechatId, "abc12345"), "abc12345");
        // Too short for its kind: most of it still hidden.
        assert_eq!(mask_entity(BankCard, "123456"), "****56");
        assert_eq!(mask_entity(Phone, ""), "");
    }

    #[test]
    fn ids_with_the_shape_of_a_number_are_masked() {
        assert_eq!(mask_shown(WechatId, "13987654321"), "139****4321");
        assert_eq!(mask_shown(WechatId, "wxid_13987654321"), "wxid_139****4321");
        assert_eq!(mask_shown(WechatId, "34040219580312031X"), "340402********031X");
        assert_eq!(mask_shown(WechatId, "6225885181909375"), "6225********9375");
        assert_eq!(mask_shown(WechatId, "139-8765-4321"), "139-****-4321");
        assert_eq!(mask_shown(QqNumber, "13987654321"), "139****4321");
        assert_eq!(mask_shown(QqNumber, "123456789"), "123456789");
        assert_eq!(mask_shown(WechatId, "tbjob886"), "tbjob886");
        assert_eq!(mask_shown(Url, "http://a.cn/u/13987654321"), "http://a.cn/u/139****4321");
        assert_eq!(mask_shown(Money, "3000元"), "3000元");
        // Idempotent: a masked form stays as it is.
        for masked in ["139****4321", "340402********031X", "6225********9375", "0554-*****10", "wxid_139****4321"] {
            assert_eq!(mask_embedded(masked), masked);
            assert_eq!(mask_indicator(Phone, masked), masked);
            assert_eq!(mask_indicator(WechatId, masked), masked);
        }
        assert_eq!(mask_indicator(Phone, "13987654321"), "139****4321");
        assert_eq!(shown_text("13987654321", true), "13987654321");
        assert_eq!(shown_text("号码13987654321", false), "号码139****4321");
    }

    #[test]
    fn spans_are_masked_in_place() {
        let text = "电话13956201847，卡号6225885181909375，转了3000元";
        let p = text.find("139").unwrap();
        let c = text.find("6225").unwrap();
        let m = text.find("3000").unwrap();
        let spans = [(Phone, p, p + 11), (BankCard, c, c + 16), (Money, m, m + 7)];
        assert_eq!(mask_spans(text, &spans), "电话139****1847，卡号6225********9375，转了3000元");
        // Unsorted, overlapping, out of bounds, inside a char, reversed: ignored.
        let bad = [(Phone, p, p + 11), (Phone, p + 2, p + 5), (Phone, 1, 4), (Phone, 0, 999), (Phone, 5, 3)];
        // (What the spans leave, the shape rule still masks.)
        assert_eq!(mask_spans(text, &bad), "电话139****1847，卡号6225********9375，转了3000元");
        assert_eq!(mask_spans(text, &[]), "电话139****1847，卡号6225********9375，转了3000元");
        assert_eq!(mask_spans("订单已发货", &[]), "订单已发货");
    }

    fn id_check(d17: &[u8]) -> char {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let s: u32 = d17.iter().zip(W).map(|(&d, w)| u32::from(d) * w).sum();
        "10X98765432".chars().nth((s % 11) as usize).unwrap()
    }

    fn luhn_check(body: &[u8]) -> u8 {
        // The digit that makes body + digit pass Luhn.
        let s: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                let d = u32::from(d);
                if i % 2 == 0 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    d
                }
            })
            .sum();
        ((10 - s % 10) % 10) as u8
    }

    fn digits(v: &[u8]) -> String {
        v.iter().map(|&d| char::from(b'0' + d)).collect()
    }

    /// A valid number of one personal kind, with its kept head and tail.
    fn number() -> impl Strategy<Value = (EntityKind, String, usize, usize)> {
        let d = || 0u8..10;
        prop_oneof![
            ((3u8..10), proptest::collection::vec(d(), 9)).prop_map(|(p, rest)| (
                Phone,
                format!("1{p}{}", digits(&rest)),
                3,
                4
            )),
            (
                1u8..9,
                proptest::collection::vec(d(), 5),
                1930u32..2020,
                1u32..13,
                1u32..29,
                proptest::collection::vec(d(), 3)
            )
                .prop_map(|(r, region, y, m, day, seq)| {
                    let s17 = format!("{r}{}{y:04}{m:02}{day:02}{}", digits(&region), digits(&seq));
                    let v: Vec<u8> = s17.bytes().map(|b| b - b'0').collect();
                    (IdCard, format!("{s17}{}", id_check(&v)), 6, 4)
                }),
            (prop_oneof![Just(16usize), Just(17), Just(19)], proptest::collection::vec(d(), 18)).prop_map(
                |(n, mut body)| {
                    body[0] = 6;
                    body.truncate(n - 1);
                    let c = luhn_check(&body);
                    body.push(c);
                    (BankCard, digits(&body), 4, 4)
                }
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn masked_text_shows_no_middle_digits(
            items in proptest::collection::vec((number(), "[的了是在有我他这大来们到说，。！ ]{1,6}"), 1..5),
        ) {
            let mut text = String::from("消息");
            let mut expected = String::from("消息");
            for ((_, n, head, tail), filler) in &items {
                text.push_str(n);
                text.push_str(filler);
                let middle = n.len() - head - tail;
                expected.push_str(&format!("{}{}{}{}", &n[..*head], "*".repeat(middle), &n[n.len() - tail..], filler));
            }
            let mut found: Vec<Found> = Vec::new();
            find_entities(&text, &[], &mut found);
            let kinds: Vec<EntityKind> = found.iter().map(|f| f.kind).collect();
            let wanted: Vec<EntityKind> = items.iter().map(|((k, ..), _)| *k).collect();
            prop_assert_eq!(kinds, wanted);
            let spans: Vec<(EntityKind, usize, usize)> = found.iter().map(|f| (f.kind, f.start, f.end)).collect();
            let masked = mask_spans(&text, &spans);
            prop_assert_eq!(&masked, &expected);
            // Exactly the masks above: every middle digit became '*'.
            for ((_, n, head, tail), _) in &items {
                let middle = &n[*head..n.len() - tail];
                prop_assert!(middle.len() < 5 || !masked.contains(middle), "{} visible in {}", middle, masked);
            }
            let longest_digit_run = masked
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            prop_assert!(longest_digit_run <= 6, "{}", masked);
        }
    }
}
