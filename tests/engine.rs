//! End-to-end behaviour of the engine: stance in context, every evasion form
//! of taxonomy §2, spans in the original text, lexicon layering and
//! allow-words, role-aware classification, entities and masking.

use jingmin::{AnalyzeOptions, Category, Engine, EntityKind, FraudType, Role, Stance};

fn engine() -> Engine {
    Engine::default()
}

fn analyze_as(text: &str, role: Role) -> jingmin::Analysis {
    engine().analyze_with(text, &AnalyzeOptions { role, raw: false })
}

/// The messages of the development set.
fn dev_messages() -> Vec<jingmin::Message> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/dev.jsonl")).unwrap();
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The hit whose keyword is `kw`, checked to lie in the original text.
fn hit<'a>(a: &'a jingmin::Analysis, text: &str, kw: &str) -> &'a jingmin::Hit {
    let h = a.fraud.hits.iter().find(|h| h.keyword == kw).unwrap_or_else(|| panic!("no hit {kw} in {:?}", a.fraud.hits));
    assert_eq!(&text[h.start..h.end], h.matched);
    assert_eq!(text[..h.start].chars().count(), h.char_start);
    assert_eq!(text[..h.end].chars().count(), h.char_end);
    h
}

#[test]
fn stance_needs_context() {
    let cases = [
        ("警方提示：刷单都是诈骗", Role::Police, Stance::Warning),
        ("警方提示：刷单都是诈骗", Role::Unknown, Stance::Warning),
        ("这是刷单诈骗吗？", Role::Resident, Stance::Inquiry),
        ("日结300 刷单 加V", Role::Unknown, Stance::Solicitation),
        ("我刷单被骗了3000", Role::Resident, Stance::VictimReport),
        ("凡是要你先垫钱的兼职都是诈骗，不要相信", Role::Resident, Stance::Warning),
    ];
    for (text, role, want) in cases {
        let a = analyze_as(text, role);
        assert_eq!(a.fraud.stance, want, "{text}: {:?}", a.fraud);
        assert_eq!(a.fraud.types.first(), Some(&FraudType::TaskRebate), "{text}");
    }
}

#[test]
fn risk_follows_stance() {
    let warn = analyze_as("警方提示：刷单都是诈骗", Role::Police).fraud.risk;
    let ask = analyze_as("这是刷单诈骗吗？", Role::Resident).fraud.risk;
    let ad = analyze_as("日结300 刷单 加V", Role::Unknown).fraud.risk;
    let victim = analyze_as("我刷单被骗了3000", Role::Resident).fraud.risk;
    assert!(warn < 40, "{warn}");
    assert!((40..70).contains(&ask), "{ask}");
    assert!(ad >= 70 && victim >= 70, "{ad} {victim}");
    assert_eq!(engine().analyze("今天天气真好").fraud.risk, 0);
}

#[test]
fn traditional_and_mixed_script() {
    for (text, kw, matched) in [
        ("網上刷單都是詐騙", "刷单", "刷單"),
        ("把錢轉到安全帳戶", "安全账户", "安全帳戶"),
        ("这是詐騙吗？", "诈骗", "詐騙"),
    ] {
        let a = engine().analyze(text);
        let h = hit(&a, text, kw);
        assert_eq!(h.matched, matched);
        assert!(h.obfuscated, "{text}");
    }
}

#[test]
fn full_width_and_case() {
    let text = "兼職日結，加ＶＸ：ａｂｃ１２３，电话１８８１２３４５６７８";
    let a = engine().analyze(text);
    let vx = a.fraud.hits.iter().find(|h| h.matched == "ＶＸ").expect("ＶＸ hit");
    assert!(vx.obfuscated);
    let wx = a.entities.iter().find(|e| e.kind == EntityKind::WechatId).expect("wechat id");
    assert_eq!(wx.text, "ａｂｃ１２３");
    let phone = a.entities.iter().find(|e| e.kind == EntityKind::Phone).expect("phone");
    assert_eq!(&text[phone.start..phone.end], "１８８１２３４５６７８");
    assert_eq!(phone.text, "１８８****５６７８");
    let upper = engine().analyze("刷单日结 加VX abc123");
    assert!(upper.fraud.hits.iter().any(|h| h.matched == "VX"));
}

#[test]
fn separators_inside_keywords() {
    for sep in ["*", " ", "-", "😀", ".", "·", "\u{200B}", "**", "👍🏻"] {
        let text = format!("招人刷{sep}单，日结");
        let a = engine().analyze(&text);
        let h = hit(&a, &text, "刷单");
        assert_eq!(h.matched, format!("刷{sep}单"), "{sep:?}");
        assert!(h.obfuscated);
        assert_eq!(a.fraud.types.first(), Some(&FraudType::TaskRebate), "{sep:?}");
    }
}

#[test]
fn sentence_breaks_and_long_noise_are_hard_stops() {
    for text in ["我去刷。单位的门卡", "我去刷！单位的门卡", "我去刷\n单位的门卡", "我去刷 * * * * 单位的门卡", "刷?单"] {
        let a = engine().analyze(text);
        assert!(!a.fraud.hits.iter().any(|h| h.keyword == "刷单"), "{text}: {:?}", a.fraud.hits);
    }
}

#[test]
fn substitutions_are_lexicon_entries() {
    let cases = [
        ("兼职日结，加薇信 abc_123", "薇信", "微信"),
        ("兼职日结，加V信 abc_123", "V信", "微信"),
        ("兼职日结，加vx abc_123", "vx", "微信"),
        ("兼职日结，加wx: abc_123", "wx", "微信"),
        ("高价收卡，联系扣扣 12345678", "扣扣", "QQ"),
        ("带你玩菠菜，充100送50", "菠菜", "博彩"),
        ("长期收卡，卡农请联系", "卡农请联系", "卡农"),
    ];
    for (text, matched, keyword) in cases {
        let a = engine().analyze(text);
        let h = a.fraud.hits.iter().find(|h| h.matched.contains(matched)).unwrap_or_else(|| panic!("{text}: {:?}", a.fraud.hits));
        assert_eq!(h.keyword, keyword, "{text}");
        assert!(h.obfuscated, "{text}");
    }
    // The same words in their ordinary sense stay silent.
    for text in ["今年地里菠菜长得好，要的说一声", "孩子钢琴考级弹的是卡农", "我的微信号换了", "今天双单号限行", "我把shuang字写错了"] {
        let a = engine().analyze(text);
        assert!(a.fraud.types.is_empty(), "{text}: {:?}", a.fraud);
    }
}

#[test]
fn pinyin_and_letter_spellings_are_lexicon_entries() {
    // (text, its type, the spelling in the original text, the keyword).
    let cases = [
        ("ｓｈｕａ单返利，日入300", FraudType::TaskRebate, "ｓｈｕａ单", "刷单"),
        ("宝妈在家sh-ua单，加v", FraudType::TaskRebate, "sh-ua单", "刷单"),
        ("招jian职，手机操作", FraudType::TaskRebate, "jian职", "兼职"),
        ("无视黑白，秒xia款", FraudType::FakeLoan, "xia款", "下款"),
        ("收银行卡，pao分日结", FraudType::CardTrafficking, "pao分", "跑分"),
        ("遇到sha猪盘了怎么办", FraudType::Romance, "sha猪盘", "杀猪盘"),
        ("带你玩bo彩，稳赚不赔", FraudType::Romance, "bo彩", "博彩"),
        ("美女陪你luo聊", FraudType::Sextortion, "luo聊", "裸聊"),
    ];
    for (text, fraud_type, matched, keyword) in cases {
        // The default engine reports the hit, with its type, in the original
        // text, as a disguise (the message's primary type is the model's and
        // the rules' to weigh: 稳赚不赔 beside bo彩 reads as investment).
        let a = engine().analyze(text);
        assert_ne!(a.fraud.stance, Stance::None, "{text}: {:?}", a.fraud);
        let h = a.fraud.hits.iter().find(|h| h.keyword == keyword).unwrap_or_else(|| panic!("{text}: {:?}", a.fraud.hits));
        assert_eq!((h.matched.as_str(), &text[h.start..h.end]), (matched, matched), "{text}");
        assert!(h.obfuscated, "{text}");
        assert_eq!(h.fraud_type, fraud_type, "{text}");
        // The rules alone see it too: the spelling is lexicon data.
        let rules = Engine::builder().lexicon_fraud().build().unwrap().analyze(text);
        assert!(rules.fraud.hits.iter().any(|h| h.keyword == keyword && h.obfuscated && h.fraud_type == fraud_type), "{text}: {:?}", rules.fraud);
    }
}

#[test]
fn ordinary_words_are_not_fraud() {
    for text in [
        "派出所办居住证可以刷卡吗？",
        "网上预约办证的页面一直刷新不出来",
        "超市招周末兼职理货员，时薪20元",
        "我们学校游园会抽奖，我家闺女中奖了",
        "农行营业厅的客服电话是多少？",
        "明天上午户籍室系统升级暂停办理，下午2点恢复。",
    ] {
        let a = engine().analyze(text);
        assert!(a.fraud.types.is_empty() && a.fraud.hits.is_empty(), "{text}: {:?}", a.fraud);
        assert_eq!(a.fraud.stance, Stance::None);
    }
}

#[test]
fn co_occurring_cues_for_ambiguous_types() {
    let a = analyze_as("我是你领导，在开会不方便接电话，先帮我转3万给合作方", Role::Unknown);
    assert_eq!(a.fraud.types.first(), Some(&FraudType::ImpersonateAcquaintance));
    // An identity claim alone is not fraud.
    let b = analyze_as("我是你们的新领导，明天开会", Role::Unknown);
    assert!(b.fraud.types.is_empty(), "{:?}", b.fraud);
}

#[test]
fn user_lexicon_adds_overrides_and_disables() {
    let custom = r#"{"entries": [
        {"pattern": "跑腿代办", "kind": "fraud", "type": "fake_shopping", "weight": 2},
        {"pattern": "刷单", "kind": "fraud", "type": "task_rebate", "disabled": true}
    ]}"#;
    let e = Engine::builder().lexicon_json(custom).unwrap().build().unwrap();
    let a = e.analyze("专业跑腿代办，先付款");
    assert_eq!(a.fraud.types, vec![FraudType::FakeShopping]);
    let b = e.analyze("刷单");
    assert!(b.fraud.hits.iter().all(|h| h.keyword != "刷单"), "{:?}", b.fraud.hits);

    // Alone, without the default lexicon.
    let alone = Engine::builder()
        .without_default_lexicon()
        .lexicon_json(r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate","weight":2},{"pattern":"单位","kind":"allow"}]}"#)
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(alone.analyze("网上刷单").fraud.types, vec![FraudType::TaskRebate]);
    // The allow-word overlapping the keyword suppresses it.
    assert!(alone.analyze("去刷单位的门禁").fraud.types.is_empty());
}

#[test]
fn malformed_lexicon_names_entry_and_field() {
    let err = Engine::builder()
        .lexicon_json(r#"{"entries":[{"pattern":"好","kind":"allow"},{"pattern":"坏","kind":"fraud","type":"bogus"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("entry 1") && err.contains("\"type\"") && err.contains("bogus"), "{err}");
    let err = Engine::builder()
        .lexicon_json(r#"{"entries":[],"combos":[{"when":["no_such_signal"],"type":"romance"}]}"#)
        .unwrap()
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("combo") && err.contains("\"when\"") && err.contains("no_such_signal"), "{err}");
}

#[test]
fn classification_is_role_aware_and_explained() {
    let q = analyze_as("请问补办身份证要带什么材料？", Role::Resident);
    assert_eq!(q.category, Category::Service);
    assert!(!q.evidence.is_empty());
    assert!(q.evidence.iter().all(|e| e.category == Category::Service));
    assert!(q.confidence > 0.0 && q.confidence <= 1.0);

    let n = analyze_as("明天上午9点社区警务室开展夜间巡逻培训，请各位安全员准时参加。", Role::Police);
    assert_eq!(n.category, Category::Reminder);

    let v = analyze_as("我妈刚被冒充公安的骗子骗了5万，转到安全账户了，怎么办", Role::Resident);
    assert_eq!(v.category, Category::Anomaly);
    assert_eq!(v.fraud.stance, Stance::VictimReport);

    let ad = analyze_as("高价收卡，一张800元，有意私聊扣扣 3302918476", Role::Unknown);
    assert_eq!(ad.category, Category::Other);
    assert_eq!(ad.fraud.stance, Stance::Solicitation);
    assert_eq!(ad.fraud.types.first(), Some(&FraudType::CardTrafficking));
}

#[test]
fn entities_are_validated_and_masked() {
    let text = "身份证34040219580312031X，卡号6228483909960308244，电话13912345678，转了三万五千元";
    let masked = engine().analyze(text);
    let raw = engine().analyze_with(text, &AnalyzeOptions { role: Role::Unknown, raw: true });
    let kinds: Vec<EntityKind> = raw.entities.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EntityKind::IdCard) && kinds.contains(&EntityKind::BankCard) && kinds.contains(&EntityKind::Phone));
    for e in &raw.entities {
        assert_eq!(e.text, &text[e.start..e.end]);
    }
    let money = raw.entities.iter().find(|e| e.kind == EntityKind::Money).unwrap();
    assert_eq!(money.text, "三万五千元");
    assert_eq!(money.value, Some(35000.0));
    for e in masked.entities.iter().filter(|e| e.kind.is_personal()) {
        assert!(e.text.contains('*'), "{:?}", e);
    }
    let m = engine().mask(text);
    assert!(!m.contains("13912345678") && !m.contains("6228483909960308244") && !m.contains("34040219580312031X"), "{m}");
    assert!(m.contains("139****5678"), "{m}");
    // A wrong checksum is not an ID card.
    let bad = engine().analyze("身份证340402195803120310");
    assert!(bad.entities.iter().all(|e| e.kind != EntityKind::IdCard));
}

#[test]
fn json_is_the_taxonomy_shape() {
    let text = "刷*單日结，加ＶＸ：tbjob886，电话13912345678";
    let a = engine().analyze_message(&jingmin::Message { id: Some("m1".into()), ..jingmin::Message::new(text) });
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["id"], "m1");
    for key in ["category", "confidence", "evidence", "fraud", "entities"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in ["types", "stance", "risk", "hits"] {
        assert!(v["fraud"].get(key).is_some(), "{key}");
    }
    let h = &v["fraud"]["hits"][0];
    for key in ["type", "keyword", "matched", "start", "end", "char_start", "char_end"] {
        assert!(h.get(key).is_some(), "{key}");
    }
    assert_eq!(h["keyword"], "刷单");
    assert_eq!(h["matched"], "刷*單");
    assert_eq!(h["char_start"], 0);
    assert_eq!(h["char_end"], 3);
    let e = &v["entities"].as_array().unwrap().iter().find(|e| e["kind"] == "phone").unwrap().clone();
    assert_eq!(e["text"], "139****5678");
    assert!(e["value"].is_null());
    // Round trip through serde.
    let back: jingmin::Analysis = serde_json::from_value(v).unwrap();
    assert_eq!(back, a);
}

#[test]
fn one_engine_serves_many_threads() {
    let e = engine();
    let texts: Vec<String> = (0..200).map(|i| format!("第{i}条：刷单日结，加vx abc{i:04}，电话1391234{i:04}")).collect();
    let single: Vec<_> = texts.iter().map(|t| e.analyze(t)).collect();
    let results: Vec<Vec<jingmin::Analysis>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| texts.iter().map(|t| e.analyze(t)).collect::<Vec<_>>())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        assert_eq!(r, single);
    }
}

#[test]
fn limits_are_errors_not_panics() {
    let e = Engine::builder().max_message_bytes(16).build().unwrap();
    let err = e.try_analyze_with("这是一条超过十六个字节的消息", &AnalyzeOptions::default()).unwrap_err();
    assert!(matches!(err, jingmin::Error::TooLarge { max: 16, .. }), "{err}");
    assert!(e.try_analyze_with("短消息", &AnalyzeOptions::default()).is_ok());
    assert_eq!(engine().analyze("").category, Category::Other);
}

/// Combos fire on their signals whether the signals are among the first 128
/// (checked as bits) or beyond (checked one by one).
#[test]
fn combos_fire_on_low_and_high_signal_numbers() {
    let mut entries: Vec<String> = (0..140)
        .map(|n| format!(r#"{{"pattern":"暗号{n}号","kind":"signal","signal":"s{n}"}}"#))
        .collect();
    entries.push(r#"{"pattern":"占位","kind":"fraud","type":"generic","weight":0.1}"#.into());
    let doc = format!(
        r#"{{"entries":[{}],"combos":[
            {{"when":["s2","s3"],"type":"romance","weight":2}},
            {{"when":["s1","s135"],"type":"investment","weight":2}},
            {{"when":["s136","s137"],"type":"game_trade","weight":2}}]}}"#,
        entries.join(",")
    );
    let e = Engine::builder().without_default_lexicon().lexicon_json(&doc).unwrap().rules_only().build().unwrap();
    let types = |t: &str| e.analyze(t).fraud.types.iter().map(|x| x.name()).collect::<Vec<_>>();
    assert_eq!(types("暗号2号，暗号3号"), ["romance"]);
    assert_eq!(types("暗号1号，暗号135号"), ["investment"]);
    assert_eq!(types("暗号136号。暗号137号"), ["game_trade"]);
    assert!(types("暗号2号，暗号135号").is_empty());
    assert!(types("暗号136号").is_empty());
}

#[test]
fn model_evidence_is_words_a_person_reads() {
    // Over the development set: every wording the model shows is a phrase
    // of the message of two or more ideographs, never a pair such as "录h"
    // or "56", and never one starting or ending on a function character.
    let mut quoted = 0;
    for m in dev_messages() {
        let a = engine().analyze(&m.text);
        for e in &a.evidence {
            let Some(words) = e.feature.strip_prefix('“').and_then(|f| f.strip_suffix('”')) else { continue };
            quoted += 1;
            let cs: Vec<char> = words.chars().collect();
            assert!(cs.len() >= 2, "{words:?} in {}", m.text);
            assert!(cs.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)), "{words:?} in {}", m.text);
            for end in [cs[0], cs[cs.len() - 1]] {
                assert!(!"的了是我你您他她这那吗呢吧".contains(end), "{words:?} in {}", m.text);
            }
        }
    }
    assert!(quoted > 20, "the model showed its wording for {quoted} messages only");
}

#[test]
fn combo_evidence_names_words_not_signal_names() {
    // A combo of cues is shown by the words that set its cues: a fraud
    // stance by the taxonomy's Chinese name, a cue family by the keyword of
    // the message that fired it; never a machine name such as
    // `stance_solicitation` or `role_resident`.
    let a = analyze_as("兼职日结，在家动动手指一天赚三百，加我薇信", Role::Unknown);
    assert_eq!(a.fraud.stance, Stance::Solicitation);
    assert!(a.evidence.iter().any(|e| e.feature == "诈骗引流"), "{:?}", a.evidence);
    let a = analyze_as("提醒大家：自称客服要你共享屏幕的都是诈骗，千万别信", Role::Police);
    assert!(a.evidence.iter().any(|e| e.feature.contains("预警宣传")), "{:?}", a.evidence);
    let mut combos = 0;
    for m in dev_messages() {
        for e in &analyze_as(&m.text, m.role).evidence {
            let machine = e.feature.split('+').any(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(!machine, "{:?} in {}", e.feature, m.text);
            assert!(!e.feature.is_empty() && !e.feature.split('+').any(str::is_empty), "{:?} in {}", e.feature, m.text);
            combos += usize::from(e.feature.contains('+') || ["诈骗引流", "预警宣传", "求证咨询", "受害报告", "短消息"].contains(&e.feature.as_str()));
        }
    }
    assert!(combos > 50, "combo evidence on {combos} dev messages only");
}

#[test]
fn amounts_without_a_unit_after_a_money_word_and_landlines() {
    let money = |t: &str| -> Vec<String> {
        engine().analyze(t).entities.iter().filter(|e| e.kind == EntityKind::Money).map(|e| e.text.clone()).collect()
    };
    assert_eq!(money("被骗了3000"), ["3000"]);
    assert_eq!(money("转了3000过去，人就联系不上了"), ["3000"]);
    assert_eq!(money("我被騙了8000"), ["8000"]);
    assert!(money("转了3次才到账").is_empty());
    // Digits after a word for a price, fee or fund, or before a fee.
    assert_eq!(money("不用考试，先交3000报名费"), ["3000"]);
    assert_eq!(money("说要先交298的入职培训费"), ["298"]);
    assert_eq!(money("原价1280，我去不了便宜转"), ["1280"]);
    assert_eq!(money("要交解冻金3000才能提现"), ["3000"]);
    assert_eq!(money("看车要先交2000看车押金"), ["2000"]);
    // Not a sum in yuan: at least 300, a card's last digits, a time, a
    // hotline before 免费, dollars.
    assert!(money("日结300+，不限年龄").is_empty());
    assert!(money("您户号尾号5520的电费余额不足").is_empty());
    assert_eq!(money("10月3日14:27消费236.00元"), ["236.00元"]);
    assert!(money("可通过App或95530办理免费退改").is_empty());
    assert!(money("要先俾$500手續費").is_empty());
    // A vague amount is no figure: 几十块 is not ten yuan.
    assert!(money("前面提了几十块，后面让我垫付").is_empty());
    assert!(money("涉案數十萬元").is_empty());
    assert!(money("几百块的东西").is_empty());
    assert_eq!(money("前面提了五十块"), ["五十块"]);
    assert_eq!(money("给了十块钱"), ["十块钱"]);
    let a = engine().analyze("医保卡已被凍結，请致电0571-86521234核实");
    assert!(a.entities.iter().any(|e| e.kind == EntityKind::Phone && e.text.starts_with("0571")), "{:?}", a.entities);
}

#[test]
fn the_fraud_model_never_overrules_a_user_keyword() {
    let text = "专业跑腿代办";
    let layered = Engine::builder()
        .lexicon_json(r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}"#)
        .unwrap()
        .build()
        .unwrap();
    let a = layered.analyze(text);
    assert_eq!(a.fraud.types.first(), Some(&FraudType::FakeShopping), "{:?}", a.fraud);
    assert!(a.fraud.hits.iter().any(|h| h.keyword == "跑腿代办"));
    // The built-in engine has no such keyword, and its model alone does
    // not take an errand service for a scam.
    assert!(engine().analyze(text).fraud.types.is_empty());
}

#[test]
fn other_models_score_as_given_and_lexicon_fraud_still_applies() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |f: &str| std::fs::read(format!("{root}/model/{f}")).unwrap();
    let (cat, fraud) = (read("category.bin"), read("fraud.bin"));
    let texts = [
        "你好，我是你孩子的班主任王老师，班级要交资料费380元，请扫码转给我",
        "您的医保卡已被冻结，请致电0571-86521234核实",
        "刷单日结，加微信",
        "明天上午九点在村委会开会",
        "这是诈骗吗？",
    ];
    // The shipped files, given as other models: the same analyses as the
    // built-in engine, with and without the fraud model.
    let same = Engine::builder().models(&cat, &fraud).unwrap().build().unwrap();
    let same_lexicon = Engine::builder().models(&cat, &fraud).unwrap().lexicon_fraud().build().unwrap();
    let lexicon = Engine::builder().lexicon_fraud().build().unwrap();
    for t in texts {
        assert_eq!(same.analyze(t), engine().analyze(t), "{t}");
        assert_eq!(same_lexicon.analyze(t), lexicon.analyze(t), "{t}");
    }
    assert_ne!(
        texts.map(|t| engine().analyze(t).fraud.risk),
        texts.map(|t| lexicon.analyze(t).fraud.risk),
        "the fraud model's risk is its probability, the lexicon's its score"
    );
    // A category model of another vocabulary (one n-gram, and a bias for
    // 其他) scores from its own table beside the shipped fraud model.
    let mut bias = [0.0f32; jingmin::CLASSES];
    bias[Category::Other.code() as usize] = 5.0;
    let mut w = [0.0f32; jingmin::CLASSES];
    w[Category::Reminder.code() as usize] = 50.0;
    let mut grams = Vec::new();
    let mut probe = Engine::default().model_inputs("会", Role::Unknown).0;
    probe.truncate(1);
    grams.extend(probe.iter().map(|h| (*h, 2.0, w)));
    let tiny = jingmin::write_model(&bias, &grams, &[]);
    let other = Engine::builder().models(&tiny, &fraud).unwrap().build().unwrap();
    assert_eq!(other.analyze("明天上午九点在村委会开会").category, Category::Reminder);
    assert_eq!(other.analyze("明天上午九点到").category, Category::Other);
    assert!(!other.analyze("刷单日结，加微信").fraud.types.is_empty());
}

#[test]
fn a_fraud_stance_settles_the_category_as_the_taxonomy_says() {
    // Taxonomy §1: a resident asking whether something is a scam is
    // safety, one reporting a loss to fraud is anomaly (or praise, when it
    // is thanks); an officer's message keeps its own category.
    let (mut inquiries, mut reports) = (0, 0);
    for m in dev_messages() {
        for role in [Role::Resident, Role::Unknown] {
            let a = analyze_as(&m.text, role);
            match a.fraud.stance {
                Stance::Inquiry => {
                    inquiries += 1;
                    assert_eq!(a.category, Category::Safety, "{}", m.text);
                }
                Stance::VictimReport => {
                    reports += 1;
                    assert!(matches!(a.category, Category::Anomaly | Category::Praise), "{}: {:?}", m.text, a.category);
                }
                _ => {}
            }
        }
    }
    assert!(inquiries > 20 && reports > 20, "{inquiries} inquiries, {reports} reports");
    assert_eq!(analyze_as("这是刷单诈骗吗？", Role::Resident).category, Category::Safety);
    let a = analyze_as("我被骗了5000元，对方说刷单返利", Role::Resident);
    assert_eq!((a.fraud.stance, a.category), (Stance::VictimReport, Category::Anomaly));
}
