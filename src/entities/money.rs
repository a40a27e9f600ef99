//! Money: amounts with a unit or sign, and amounts in a money context.

#[allow(unused_imports)]
use super::*;

/// Whether a money number may start at `i`: not in the middle of a number.
pub(crate) fn money_run_start(s: &str, i: usize, prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) if is_numeral_char(p) => false,
        // 几十块, 数十万元: a vague amount, not ten yuan.
        Some('几' | '数') if char_at(s, i).is_some_and(|c| matches!(c, '十' | '百' | '千' | '万' | '亿')) => false,
        Some('.') | Some(',') => {
            let before = i.checked_sub(2).map_or(0, |k| at(s.as_bytes(), k));
            !before.is_ascii_digit()
        }
        Some(_) => true,
    }
}

/// Words after which 元 is not a currency unit (元旦, 元宵, 元素 …).
pub(crate) fn yuan_not_unit(next: Option<char>) -> bool {
    matches!(next, Some('旦' | '宵' | '素' | '首' | '月' | '件' | '器' | '老' | '凶' | '气' | '帅'))
}

/// Things counted in 块 (pieces) rather than money: 两块地, 三块砖.
pub(crate) fn kuai_counts_pieces(next: Option<char>) -> bool {
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
pub(crate) fn counted_after(next: Option<char>) -> bool {
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

pub(crate) fn has_large_mult(num: &str) -> bool {
    num.chars().any(|c| matches!(c, '千' | '仟' | '万' | '萬' | '亿' | '億'))
}

/// The word prefix (rmb, 人民币) or sign (¥, ￥) before an amount.
#[derive(Clone, Copy)]
pub(crate) struct Prefix {
    start: usize,
    sign: bool,
}

pub(crate) fn scan_money_prefix(s: &str, i: usize, c: char, prev: Option<char>, cands: &mut Vec<Cand>) {
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
pub(crate) fn scan_money(s: &str, i: usize, prefix: Option<Prefix>) -> Option<(usize, usize, f64)> {
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
    // 被骗了3000, 转了3000过去, 押金500: digits right after a money word;
    // 先交3000报名费, 298的培训费: digits right before a fee.
    if ascii
        && !approx
        && plain_amount_after(s, j, num)
        && !names_other_than_yuan(s, i)
        && (money_context_before(s, i) || fee_after(s, j))
    {
        return Some((i, j, value));
    }
    None
}

/// Whether what stands right before the digits at `i` makes them
/// something other than a sum in yuan: a number's label (尾号5520, 末四位,
/// 编号), the minutes of a time (14:27), a dollar sign ($500 is not 500
/// yuan).
fn names_other_than_yuan(s: &str, i: usize) -> bool {
    let head = s.get(..i).unwrap_or("");
    let mut back = head.chars().rev();
    match back.next() {
        Some('号' | '位' | '$') => true,
        Some(':' | '：') => back.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Whether a fee follows the digits ending at `j`: an optional 的, at most
/// three ideographs, then 费 or a deposit word (押金, 定金, 保证金 …), as in
/// 3000报名费, 298的入职培训费, 2000看车押金.
pub(crate) fn fee_after(s: &str, j: usize) -> bool {
    let Some(mut rest) = s.get(j..) else { return false };
    rest = rest.strip_prefix('的').unwrap_or(rest);
    // The ideographs right after, at most six, as a slice of the text.
    let end = rest
        .char_indices()
        .take_while(|(_, c)| crate::normalize::is_ideograph(*c))
        .take(6)
        .last()
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = rest.get(..end).unwrap_or("");
    // A fee word that starts within the first four characters; 免费 (free)
    // and 消费 (spending) are none.
    let mut prev = None;
    word.char_indices().take(4).any(|(k, c)| {
        let fee = c == '费' && !matches!(prev, Some('免' | '消'));
        prev = Some(c);
        fee || word.get(k..).is_some_and(|w| FEE_WORDS.iter().any(|f| w.starts_with(f)))
    })
}

/// Deposit and fund words that make the digits before them a sum.
const FEE_WORDS: [&str; 8] = ["押金", "定金", "订金", "保证金", "解冻金", "违约金", "佣金", "租金"];

/// Words that make the digits right after them a sum of money: a loss,
/// a payment, a transfer, a fee (with an optional 了 and a colon or space
/// between). Words that also count other things (打了, 给了, 花了 time) are
/// left out.
const MONEY_WORDS: [&str; 46] = [
    "被骗", "骗了", "骗走", "骗去", "转了", "转账", "转给", "汇了", "汇款", "付了", "付款", "支付", "交了",
    "充了", "充值", "押金", "定金", "订金", "保证金", "手续费", "服务费", "借了", "借给", "欠了", "欠我",
    "还了", "赔了", "赔偿", "损失", "亏了", "亏损", "退款", "提现", "垫付", "先交", "先付", "先转", "再交",
    "再付", "只要", "只收", "日结", "赚了", "投了", "解冻金", "佣金",
];

/// Whether `s[..i]` ends with a money word: one of [`MONEY_WORDS`], or a
/// word for a price, fee or fund (原价, 报名费, 解冻金, 尾款, 工资: its last
/// character is one of [`MONEY_ENDS`]).
pub(crate) fn money_context_before(s: &str, i: usize) -> bool {
    let Some(mut head) = s.get(..i) else { return false };
    head = head.trim_end_matches([' ', ':', '：']);
    if let Some(h) = head.strip_suffix('了') {
        if MONEY_WORDS.iter().any(|w| h.ends_with(w)) {
            return true;
        }
    }
    MONEY_WORDS.iter().any(|w| head.ends_with(w)) || head.ends_with(MONEY_ENDS)
}

/// Last characters of the words for a price, a fee or a fund.
const MONEY_ENDS: [char; 6] = ['价', '费', '款', '薪', '资', '租'];

/// Whether the digits `num` ending at `j` stand alone as an amount: two
/// to eight digits (a decimal allowed), not a phone or an id, and not
/// followed by a measure word, a unit, a letter or a date part.
pub(crate) fn plain_amount_after(s: &str, j: usize, num: &str) -> bool {
    let digits = num.bytes().filter(u8::is_ascii_digit).count();
    if !(2..=8).contains(&digits) || num.starts_with('0') {
        return false;
    }
    match char_at(s, j) {
        None => true,
        // 300+ is at least 300; 12蚊 is in Hong Kong dollars.
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | '-' | '/' | '+' | '蚊') => false,
        Some(c) if counted_after(Some(c)) => false,
        Some(c) => !matches!(
            c,
            '天' | '号' | '年' | '月' | '日' | '点' | '分' | '秒' | '岁' | '斤' | '米' | '公' | '克' | '吨' | '楼' | '层'
                | '栋' | '期' | '级' | '倍' | '折' | '单' | '笔' | '万' | '千' | '百' | '亿' | '美' | '港' | '澳' | '欧'
                | '积' | '元' | '块' | '毛' | '角' | '遍' | '回' | '趟' | '页' | '字' | '题' | '本'
        ),
    }
}
