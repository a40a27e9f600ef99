//! Messages that carry personal numbers — 11-digit mobiles, 18-character
//! resident ID numbers with a valid check character, Luhn-valid bank cards —
//! after WeChat and QQ cues and elsewhere, for the property tests that no
//! default output shows one (included with `#[path]` by the harnesses of
//! the C layer and of the command line).
#![allow(dead_code)]

use proptest::prelude::*;

/// The check character of the first 17 digits of a resident ID (GB 11643).
pub fn id_check(d17: &[u8]) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = d17.iter().zip(W).map(|(&d, w)| u32::from(d) * w).sum();
    "10X98765432".chars().nth((s % 11) as usize).unwrap_or('0')
}

/// The digit that makes `body` followed by it pass the Luhn check.
pub fn luhn_digit(body: &[u8]) -> u8 {
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

/// A mobile number: 1, then 3–9, then nine digits.
pub fn mobile() -> impl Strategy<Value = String> {
    ((3u8..10), proptest::collection::vec(0u8..10, 9)).prop_map(|(p, rest)| format!("1{p}{}", digits(&rest)))
}

/// A resident ID number: region, a birth date from 1930 to 2020, sequence
/// and a valid check character (a digit or X).
pub fn id_number() -> impl Strategy<Value = String> {
    (1u8..9, proptest::collection::vec(0u8..10, 5), 1930u32..2021, 1u32..13, 1u32..29, proptest::collection::vec(0u8..10, 3))
        .prop_map(|(r, region, y, m, d, seq)| {
            let s17 = format!("{r}{}{y:04}{m:02}{d:02}{}", digits(&region), digits(&seq));
            let v: Vec<u8> = s17.bytes().map(|b| b - b'0').collect();
            format!("{s17}{}", id_check(&v))
        })
}

/// A Luhn-valid bank card number of 16 to 19 digits (UnionPay, Visa or
/// Mastercard prefixes).
pub fn card_number() -> impl Strategy<Value = String> {
    (prop_oneof![Just(vec![6u8, 2]), Just(vec![4u8]), Just(vec![5u8, 3])], 16usize..20, proptest::collection::vec(0u8..10, 18))
        .prop_map(|(prefix, n, rest)| {
            let mut body = prefix;
            body.extend_from_slice(&rest);
            body.truncate(n - 1);
            let c = luhn_digit(&body);
            body.push(c);
            digits(&body)
        })
}

/// One personal number of any of the three kinds.
pub fn number() -> impl Strategy<Value = String> {
    prop_oneof![mobile(), id_number(), card_number()]
}

/// What may stand before a number: WeChat and QQ cues (the id that follows
/// them is a `wechat_id` or `qq_number`), other words, or nothing.
pub const BEFORE: &[&str] = &[
    "加微信：", "微信号 ", "vx:", "VX：", "威信", "加v ", "wx ", "薇信号是", "QQ：", "qq号是", "扣扣 ", "企鹅号：", "加q ",
    "电话", "联系人手机：", "卡号：", "身份证号", "打款账户 ", "，",
];

/// What may stand after a number.
pub const AFTER: &[&str] = &["", "，刷单日结", "。", " 谢谢", "！！", "，一单一结，稳赚不赔", "？"];

/// What a message may open with: fraud lures (so that its contacts become
/// solicitation indicators), questions, plain talk.
pub const OPENING: &[&str] =
    &["刷单日结，一单一结，", "兼职打字员，日赚300，", "这是诈骗吗？", "大家好，", "", "领导让我转账，", "【通知】"];

/// A message text and the personal numbers it carries.
pub fn message() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        0..OPENING.len(),
        proptest::collection::vec((0..BEFORE.len(), number(), 0..AFTER.len()), 1..4),
    )
        .prop_map(|(o, parts)| {
            let mut text = OPENING[o].to_owned();
            let mut numbers = Vec::new();
            for (b, n, a) in parts {
                text.push_str(BEFORE[b]);
                text.push_str(&n);
                text.push_str(AFTER[a]);
                numbers.push(n);
            }
            (text, numbers)
        })
}

/// Panics naming the number and the output when a number shows in `output`.
pub fn assert_none_shown(what: &str, output: &str, numbers: &[String]) {
    for n in numbers {
        assert!(!output.contains(n.as_str()), "{what}: {n} survives in:\n{output}");
        let lower = n.to_ascii_lowercase();
        assert!(!output.contains(lower.as_str()), "{what}: {lower} survives in:\n{output}");
    }
}
