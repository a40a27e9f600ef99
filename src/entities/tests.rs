use super::*;
use proptest::prelude::*;

#[test]
fn plain_ideographs_start_no_scan() {
    for u in IDEOGRAPHS {
        let c = char::from_u32(u).unwrap();
        let starts = is_numeral_char(c) || c == '人' || is_province(c);
        assert_eq!(plain_ideograph(c), !starts, "{c}");
    }
    for c in ['一', '万', '两', '亿', '人', '京', '皖', '琼'] {
        assert!(!plain_ideograph(c), "{c}");
    }
    for c in ['刷', '单', '骗', 'a', '1', '¥', '〇', '😀'] {
        assert!(!plain_ideograph(c) || ('\u{3400}'..'\u{A000}').contains(&c), "{c}");
    }
    assert!(plain_ideograph('刷') && !plain_ideograph('a') && !plain_ideograph('1'));
}

/// Test-only folding: full-width ASCII, U+3000, lower case, a few
/// Traditional characters, circled and financial numerals, and runs of 5+
/// plain Chinese digits. Returns the folded text and, for every folded
/// byte (plus the end), the original byte offset.
pub(crate) fn fold(s: &str) -> (String, Vec<usize>) {
    const PLAIN: &str = "〇零一二三四五六七八九";
    let plain_value = |c: char| match c {
        '〇' | '零' => Some(0u8),
        _ => cn_digit(c).filter(|_| c != '两').map(|d| d as u8),
    };
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = String::new();
    let mut map = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (o, c) = chars[i];
        if PLAIN.contains(c) {
            let j = (i..chars.len()).find(|&k| !PLAIN.contains(chars[k].1)).unwrap_or(chars.len());
            if j - i >= 5 {
                for &(ok, ck) in &chars[i..j] {
                    map.push(ok);
                    out.push(char::from(b'0' + plain_value(ck).unwrap()));
                }
                i = j;
                continue;
            }
        }
        let f = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap().to_ascii_lowercase(),
            '\u{3000}' => ' ',
            '萬' => '万',
            '兩' => '两',
            '塊' => '块',
            '圓' => '圆',
            '億' => '亿',
            '①'..='⑨' => char::from_u32(c as u32 - '①' as u32 + '1' as u32).unwrap(),
            '零' => '0',
            '壹' => '1',
            '贰' => '2',
            '叁' => '3',
            '肆' => '4',
            '伍' => '5',
            '陆' => '6',
            '柒' => '7',
            '捌' => '8',
            '玖' => '9',
            _ => c.to_ascii_lowercase(),
        };
        for _ in 0..f.len_utf8() {
            map.push(o);
        }
        out.push(f);
        i += 1;
    }
    map.push(s.len());
    (out, map)
}

/// Test-only stand-in for the engine's cue automaton.
pub(crate) fn cues(folded: &str) -> Vec<EntityCue> {
    let words = [
        ("微信", EntityKind::WechatId),
        ("薇信", EntityKind::WechatId),
        ("威信", EntityKind::WechatId),
        ("v信", EntityKind::WechatId),
        ("vx", EntityKind::WechatId),
        ("wx", EntityKind::WechatId),
        ("qq", EntityKind::QqNumber),
        ("扣扣", EntityKind::QqNumber),
        ("企鹅", EntityKind::QqNumber),
        ("q", EntityKind::QqNumber),
    ];
    let mut v = Vec::new();
    for (w, kind) in words {
        for (i, _) in folded.match_indices(w) {
            v.push(EntityCue { kind, end: i + w.len() });
        }
    }
    v
}

/// Entities of an original message, as (kind, original text, value).
fn ents(text: &str) -> Vec<(EntityKind, String, Option<f64>)> {
    let (f, map) = fold(text);
    let mut out = Vec::new();
    find_entities(&f, &cues(&f), &mut out);
    out.iter().map(|e| (e.kind, text[map[e.start]..map[e.end]].to_string(), e.value)).collect()
}

fn of_kind(text: &str, kind: EntityKind) -> Vec<String> {
    ents(text).into_iter().filter(|e| e.0 == kind).map(|e| e.1).collect()
}

fn money(text: &str) -> Vec<(String, f64)> {
    ents(text).into_iter().filter(|e| e.0 == EntityKind::Money).map(|e| (e.1, e.2.unwrap())).collect()
}

use EntityKind::*;

#[test]
fn mobile_phones() {
    assert_eq!(of_kind("联系我13956201847，必有重谢", Phone), ["13956201847"]);
    assert_eq!(of_kind("电话：139 1234 5678。", Phone), ["139 1234 5678"]);
    assert_eq!(of_kind("电话139-1234-5678", Phone), ["139-1234-5678"]);
    assert_eq!(of_kind("电话１３９１２３４５６７８谢谢", Phone), ["１３９１２３４５６７８"]);
    assert_eq!(of_kind("tel:18855317206", Phone), ["18855317206"]);
}

#[test]
fn landlines() {
    assert_eq!(of_kind("值班电话0554-6662110。", Phone), ["0554-6662110"]);
    assert_eq!(of_kind("打010-62345678咨询", Phone), ["010-62345678"]);
    assert_eq!(of_kind("座机05546662110", Phone), ["05546662110"]);
    // A local number does not start with 0 or 1.
    assert!(of_kind("编号0554-1234567", Phone).is_empty());
}

#[test]
fn not_phones() {
    for t in [
        "遇到诈骗请拨打110报警",
        "投诉请打12315",
        "反诈专线96110",
        "市民热线12345",
        "交管12123上申请",
        "订单号139123456789", // 12 digits: longer than a mobile
        "号码8613912345678",  // country code glued on
        "电话12912345678",    // 12x is not a mobile prefix
        "abc13912345678",     // part of a word
        "139 1234 5678 9999", // the groups go on
    ] {
        assert!(of_kind(t, Phone).is_empty(), "{t}");
    }
}

#[test]
fn id_cards() {
    assert_eq!(of_kind("号码340404198706212147，在菜市场", IdCard), ["340404198706212147"]);
    assert_eq!(of_kind("身份证号34040219580312031X，说他", IdCard), ["34040219580312031X"]);
    assert_eq!(of_kind("身份证11010519491231002x", IdCard), ["11010519491231002x"]);
    assert_eq!(
        of_kind("身份证号：４４０３０４１９９００１０１１２３３", IdCard),
        ["４４０３０４１９９００１０１１２３３"]
    );
    // Wrong check digit, a digit run too long, an impossible birth date.
    assert!(of_kind("号码340404198706212148", IdCard).is_empty());
    assert!(of_kind("号码3404041987062121470", IdCard).is_empty());
    assert!(of_kind("号码34040219581312031X", IdCard).is_empty());
    assert!(of_kind("号码34040219580312031Xa", IdCard).is_empty());
}

#[test]
fn bank_cards() {
    assert_eq!(of_kind("卡号6225885181909375转了", BankCard), ["6225885181909375"]);
    assert_eq!(of_kind("账户6217000166131860911，已经", BankCard), ["6217000166131860911"]);
    assert_eq!(of_kind("卡号 6225 8851 8190 9375 ", BankCard), ["6225 8851 8190 9375"]);
    assert_eq!(of_kind("卡号6217 0001 6613 1860 911。", BankCard), ["6217 0001 6613 1860 911"]);
    assert_eq!(of_kind("卡号622202100112345678", BankCard), ["622202100112345678"]);
    // Luhn fails, too long, groups go on past 19 digits.
    assert!(of_kind("卡号6225885181909376", BankCard).is_empty());
    assert!(of_kind("卡号62258851819093750000", BankCard).is_empty());
    assert!(of_kind("卡号6225 8851 8190 9375 1234 5", BankCard).is_empty());
}

#[test]
fn an_id_valid_run_is_an_id_card_not_a_bank_card() {
    // Passes both GB 11643 and Luhn.
    let e = ents("号码340402195803100108");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, IdCard);
    assert!(luhn_valid(b"340402195803100108"));
}

#[test]
fn urls() {
    assert_eq!(of_kind("请登录 http://sbj-butie.top/lq 填写", Url), ["http://sbj-butie.top/lq"]);
    assert_eq!(of_kind("点击：https://a.cn/x?id=3&b=4。", Url), ["https://a.cn/x?id=3&b=4"]);
    assert_eq!(of_kind("点击 www.sf-lipei.xyz/p 填写", Url), ["www.sf-lipei.xyz/p"]);
    assert_eq!(of_kind("别点 fzzx-app.top 这类链接", Url), ["fzzx-app.top"]);
    assert_eq!(of_kind("网址是abc.vip/x，快", Url), ["abc.vip/x"]);
    assert_eq!(of_kind("看这个（http://x.cn/a）", Url), ["http://x.cn/a"]);
    assert_eq!(of_kind("登录www.x.com.", Url), ["www.x.com"]);
    assert_eq!(of_kind("链接http://hdcj.top/8888填写", Url), ["http://hdcj.top/8888"]);
    // Not links: an e-mail's domain, a file name, a decimal, a lone word.
    assert!(of_kind("邮箱abc@qq.com", Url).is_empty());
    assert!(of_kind("打开report.docx看看", Url).is_empty());
    assert!(of_kind("涨了2.8万", Url).is_empty());
    assert!(of_kind("http:// 空的", Url).is_empty());
}

#[test]
fn a_number_inside_a_link_belongs_to_the_link() {
    let e = ents("点 http://a.cn/13912345678 领取");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, Url);
}

#[test]
fn money_amounts_and_values() {
    let cases: &[(&str, &str, f64)] = &[
        ("卡里的2.8万元被转走了", "2.8万元", 28000.0),
        ("她已经转了5万了", "5万", 50000.0),
        ("今天菜市场的草莓，十块一斤", "十块", 10.0),
        ("一单3元，日结", "3元", 3.0),
        ("¥200包邮", "¥200", 200.0),
        ("￥ 1,500.50请转账", "￥ 1,500.50", 1500.5),
        ("转了12,000元", "12,000元", 12000.0),
        ("三千块一个月", "三千块", 3000.0),
        ("押金兩千元一分不退", "兩千元", 2000.0),
        ("被骗了1.2万元", "1.2万元", 12000.0),
        ("刮出一等奖十八萬，", "十八萬", 180000.0),
        ("流水达兩百萬元", "兩百萬元", 2_000_000.0),
        ("月入3w不是梦", "3w", 30000.0),
        ("月入３Ｗ不是梦", "３Ｗ", 30000.0),
        ("被骗三十多万", "三十多万", 300_000.0),
        ("花了2000多元", "2000多元", 2000.0),
        ("一斤三块五，", "三块五", 3.5),
        ("找零三块五毛钱", "三块五毛钱", 3.5),
        ("给了五十块钱", "五十块钱", 50.0),
        ("借了1万5，", "1万5", 15000.0),
        ("合计损失3亿元", "3亿元", 300_000_000.0),
        ("收款人民币5000", "人民币5000", 5000.0),
        ("收款rmb 800", "rmb 800", 800.0),
        ("金额壹万伍仟圆整", "壹万伍仟圆", 15000.0),
        ("每亩110元", "110元", 110.0),
        // Digits after a money word are a sum without a unit.
        ("被骗了3000", "3000", 3000.0),
        ("我转了3000过去，他就不回了", "3000", 3000.0),
        ("押金500，退房时退", "500", 500.0),
        ("充值：12.5就能领", "12.5", 12.5),
    ];
    for &(text, span, value) in cases {
        assert_eq!(money(text), [(span.to_string(), value)], "{text}");
    }
    assert_eq!(
        money("借10000元到手8000元，七天一还"),
        [("10000元".to_string(), 10000.0), ("8000元".to_string(), 8000.0)]
    );
    assert_eq!(
        money("处一千元以上二千元以下罚款"),
        [("一千元".to_string(), 1000.0), ("二千元".to_string(), 2000.0)]
    );
}

#[test]
fn digits_after_a_money_word_need_to_look_like_a_sum() {
    // A count, a date, a phone, an order number, a single digit.
    for text in ["转了3次", "转了3000个赞", "转账13912345678", "付款2024年", "借了5", "退款单号88231234567", "转了200个"] {
        assert!(money(text).iter().all(|(span, _)| !span.chars().all(|c| c.is_ascii_digit() || c == '.')), "{text}: {:?}", money(text));
    }
    // Without a money word, digits stay digits.
    assert!(money("我家3000米外").is_empty());
    assert!(money("房号3000").is_empty());
}

#[test]
fn not_money() {
    for t in [
        "年息18%，日收益5%",
        "11月16日下午",
        "明天上午8点半到12点",
        "3栋的住户",
        "保存5年",
        "打8折",
        "3张银行卡",
        "楼上1502天天跳绳",
        "酒后千万别开车",
        "万一被骗了",
        "十几万",
        "粉丝3万人",
        "跑了两千米",
        "我们一块去",
        "两块地",
        "元旦假期",
        "正月十五元宵节",
        "第一百元",
        "版本v2元",
        "打赏了一千零一夜的故事",
        "第九十一条规定",
        "处五日以上十日以下拘留",
    ] {
        assert!(money(t).is_empty(), "{t}: {:?}", money(t));
    }
}

#[test]
fn wechat_ids() {
    assert_eq!(of_kind("有意加薇信 sdj6688 详聊", WechatId), ["sdj6688"]);
    assert_eq!(of_kind("加ＶＸ：tbjob886", WechatId), ["tbjob886"]);
    assert_eq!(of_kind("新ＶＸ：Wang_Laoshi99，有急事", WechatId), ["Wang_Laoshi99"]);
    assert_eq!(of_kind("加wx: zuhao_365", WechatId), ["zuhao_365"]);
    assert_eq!(of_kind("微信号是：abc-123", WechatId), ["abc-123"]);
    // A phone number used as a WeChat id is a WeChat id here.
    assert_eq!(of_kind("加微信13912345678", WechatId), ["13912345678"]);
    assert!(of_kind("加微信13912345678", Phone).is_empty());
    // Chinese text, punctuation, too short, too long, an address.
    assert!(of_kind("让我加他微信私下交易", WechatId).is_empty());
    assert!(of_kind("还让我加他vx，可以做吗", WechatId).is_empty());
    assert!(of_kind("加微信 ab12 ", WechatId).is_empty());
    assert!(of_kind("加微信 abcdefghij0123456789x", WechatId).is_empty());
    assert!(of_kind("加微信 abcde@qq.com", WechatId).is_empty());
}

#[test]
fn qq_numbers() {
    assert_eq!(of_kind("私聊扣扣 3302918476", QqNumber), ["3302918476"]);
    assert_eq!(of_kind("Ｑ：1988623450", QqNumber), ["1988623450"]);
    assert_eq!(of_kind("加ＱＱ：２８５７３６４１９０", QqNumber), ["２８５７３６４１９０"]);
    assert_eq!(of_kind("qq号码:12345", QqNumber), ["12345"]);
    assert!(of_kind("加QQ 1234", QqNumber).is_empty());
    assert!(of_kind("加QQ 123456789012", QqNumber).is_empty());
    assert!(of_kind("加QQ 0123456", QqNumber).is_empty());
    assert!(of_kind("加QQ 12345abc", QqNumber).is_empty());
    assert!(of_kind("让他加扣扣交易", QqNumber).is_empty());
}

#[test]
fn license_plates() {
    assert_eq!(of_kind("车牌皖D37A21，有人", LicensePlate), ["皖D37A21"]);
    assert_eq!(of_kind("货车皖N8G352", LicensePlate), ["皖N8G352"]);
    assert_eq!(of_kind("新能源皖DF12345跑了", LicensePlate), ["皖DF12345"]);
    assert_eq!(of_kind("大车粤B12345D", LicensePlate), ["粤B12345D"]);
    assert_eq!(of_kind("车牌京a·88888", LicensePlate), ["京a·88888"]);
    assert_eq!(of_kind("车牌ｂ浙Ｂ８Ｄ３６１", LicensePlate), ["浙Ｂ８Ｄ３６１"]);
    // Too long, a letter I/O, too many letters, not a province.
    assert!(of_kind("编号皖D37A2199", LicensePlate).is_empty());
    assert!(of_kind("皖I12345", LicensePlate).is_empty());
    assert!(of_kind("皖DABC12", LicensePlate).is_empty());
    assert!(of_kind("车A12345", LicensePlate).is_empty());
}

#[test]
fn several_kinds_in_one_message() {
    let e = ents("我爸身份证号34040219580312031X，让他转到6217000166131860911，已经转了3萬元，电话13912345678");
    let kinds: Vec<EntityKind> = e.iter().map(|x| x.0).collect();
    assert_eq!(kinds, [IdCard, BankCard, Money, Phone]);
    assert_eq!(e[2].2, Some(30000.0));
    let mut out = vec![Found { kind: Url, start: 0, end: 1, value: None }];
    find_entities("电话13912345678", &[], &mut out);
    assert_eq!(out.len(), 2, "appends, keeps what was there");
    assert_eq!((out[1].start, out[1].end), (6, 17));
}

#[test]
fn bad_cues_are_ignored() {
    let text = "加微信 abcdef";
    let mut out = Vec::new();
    let cues = [
        EntityCue { kind: WechatId, end: 1 },   // not a char boundary
        EntityCue { kind: WechatId, end: 999 }, // past the end
        EntityCue { kind: Phone, end: 9 },      // not a cue kind
    ];
    find_entities(text, &cues, &mut out);
    assert!(out.is_empty());
}

#[test]
fn chinese_numbers() {
    let cases: &[(&str, f64)] = &[
        ("三万五千", 35000.0),
        ("两千", 2000.0),
        ("十", 10.0),
        ("十八", 18.0),
        ("一百零五", 105.0),
        ("一百0五", 105.0),
        ("2.8万", 28000.0),
        ("1.2万", 12000.0),
        ("4.6万", 46000.0),
        ("二十万", 200_000.0),
        ("两百万", 2_000_000.0),
        ("三万五", 35000.0),
        ("一百五", 150.0),
        ("一千零一", 1001.0),
        ("1万5千", 15000.0),
        ("一亿二千万", 120_000_000.0),
        ("一万亿", 1e12),
        ("1万5仟", 15000.0),
        ("1,000", 1000.0),
        ("2.8", 2.8),
        ("零", 0.0),
    ];
    for &(s, v) in cases {
        assert_eq!(parse_chinese_number(s), Some(v), "{s}");
    }
    for s in ["", "千", "百", "万", "三二", "五0", "万万", "百千", "一百十千", "abc", "3元", "1.2.3", "二十亿亿"]
    {
        assert_eq!(parse_chinese_number(s), None, "{s}");
    }
}

#[test]
fn dev_set_entities() {
    // The labelled messages of the project; measured by (kind, exact text).
    let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/dev.jsonl"))
        .expect("the shared dev set");
    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let mut gold: Vec<(String, String)> = v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["kind"].as_str().unwrap().to_string(), e["text"].as_str().unwrap().to_string()))
            .collect();
        for (kind, span, _) in ents(text) {
            match gold.iter().position(|g| g.0 == kind.name() && g.1 == span) {
                Some(p) => {
                    gold.remove(p);
                    tp += 1;
                }
                None => fp += 1,
            }
        }
        fnn += gold.len();
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fnn).max(1) as f64;
    assert!(tp > 100, "the dev set has entities");
    assert!(precision >= 0.95 && recall >= 0.95, "precision {precision:.3} recall {recall:.3}");
}

fn check_spans(s: &str, out: &[Found]) -> Result<(), TestCaseError> {
    for w in out.windows(2) {
        prop_assert!(w[0].end <= w[1].start, "sorted and disjoint");
    }
    for f in out {
        prop_assert!(f.start < f.end && f.end <= s.len());
        prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
        prop_assert_eq!(f.value.is_some(), f.kind == Money);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn spans_are_sorted_in_bounds_on_boundaries(
        s in "[0-9０-９a-zA-Z .,:x¥￥元块圆万千百十亿两一二三五多号是第皖京Dwqv微信扣-]{0,48}|\\PC{0,40}",
        ends in proptest::collection::vec((0usize..64, any::<bool>()), 0..6),
    ) {
        let given: Vec<EntityCue> = ends
            .iter()
            .map(|&(end, wx)| EntityCue { kind: if wx { WechatId } else { QqNumber }, end })
            .collect();
        let mut out = Vec::new();
        find_entities(&s, &given, &mut out);
        check_spans(&s, &out)?;
        let (f, _) = fold(&s);
        let mut out = Vec::new();
        find_entities(&f, &cues(&f), &mut out);
        check_spans(&f, &out)?;
    }

    #[test]
    fn any_number_parses_or_not_without_panicking(s in "[0-9.,〇零一二两三四五六七八九十百千万亿拾佰仟]{0,24}") {
        if let Some(v) = parse_chinese_number(&s) {
            prop_assert!(v.is_finite() && v >= 0.0);
        }
    }
}
