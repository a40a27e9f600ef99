//! Random chat-like strings for property tests (included with `#[path]`).

use proptest::prelude::*;

/// Strings built from the characters that matter to the engine: CJK
/// keywords and their Traditional forms, noise, digits, full-width forms,
/// emoji, sentence breaks, combining marks.
pub fn chatty() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "刷", "单", "單", "诈", "騙", "骗", "微", "信", "薇", "vx", "ＶＸ", "V", "扣扣", "Q", "q", "元", "万", "块", "¥", "三", "一", "二",
        "0", "1", "3", "8", "9", "１", "８", "*", " ", "-", ".", "·", "😀", "👍🏻", "\u{200B}", "\u{FE0F}", "\u{0301}", "。", "！", "?",
        "\n", "\r\n", "：", ":", "@", "http://", "www.", ".com", "/", "a", "b", "x", "皖", "D", "身份证", "被骗了", "吗", "加", "日结",
        "13912345678", "34040219580312031X", "6228483909960308244", "我", "是", "你", "领导", "转", "账", "安全帐户", "\u{0}",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat())
}

