//! Example-based tests of the aggregator: case pairing, percentiles, the
//! report's figures and keys, rejected input, snapshots.

use jingmin::{
    Added, Aggregator, AggregatorConfig, Analysis, CaseKind, Category, Entity, EntityKind, FraudType, Message, Role,
    Stance,
};

fn msg(id: &str, group: &str, role: Role, time: &str, text: &str) -> Message {
    Message {
        id: Some(id.into()),
        group: Some(group.into()),
        sender: Some(format!("{role:?}")),
        role,
        time: Some(time.into()),
        text: text.into(),
    }
}

fn cat(c: Category) -> Analysis {
    Analysis { category: c, ..Analysis::default() }
}

fn stance(s: Stance, t: FraudType) -> Analysis {
    let mut a = Analysis { category: Category::Safety, ..Analysis::default() };
    a.fraud.stance = s;
    a.fraud.types = vec![t];
    a
}

/// 2024-03-01 10:00:00 CST plus `secs`, in Unix seconds as text.
fn at(secs: i64) -> String {
    (1_709_258_400 + secs).to_string()
}

#[test]
fn a_police_message_answers_a_case_within_the_window() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "办居住证要带什么"), &cat(Category::Service));
    agg.add(&msg("2", "g", Role::Police, &at(600), "带身份证"), &cat(Category::Service));
    let r = agg.report();
    assert_eq!(r.cases.opened, 1);
    assert_eq!(r.cases.answered, 1);
    assert_eq!(r.cases.unanswered, 0);
    assert_eq!(r.cases.answered_share, Some(1.0));
    assert_eq!(r.cases.first_response_seconds.p50, Some(600));
    assert_eq!(r.cases.first_response_seconds.max, Some(600));
    assert_eq!(r.cases.by_kind[&CaseKind::Service].answered, 1);
    assert_eq!(r.cases.by_kind[&CaseKind::Dispute].opened, 0);
}

#[test]
fn a_police_message_after_the_window_does_not_answer() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "楼上太吵了"), &cat(Category::Dispute));
    agg.add(&msg("2", "g", Role::Police, &at(86_401), "我去看看"), &cat(Category::Dispute));
    let r = agg.report();
    assert_eq!((r.cases.opened, r.cases.answered, r.cases.unanswered), (1, 0, 1));
    assert_eq!(r.cases.answered_share, Some(0.0));
    assert_eq!(r.cases.first_response_seconds.p50, None);

    // Exactly at the end of the window still answers.
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "楼上太吵了"), &cat(Category::Dispute));
    agg.add(&msg("2", "g", Role::Police, &at(86_400), "我去看看"), &cat(Category::Dispute));
    assert_eq!(agg.report().cases.first_response_seconds.max, Some(86_400));

    // A shorter configured window.
    let mut agg = Aggregator::new(AggregatorConfig { answer_window_seconds: 300, ..Default::default() }).unwrap();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "楼上太吵了"), &cat(Category::Dispute));
    agg.add(&msg("2", "g", Role::Police, &at(301), "我去看看"), &cat(Category::Dispute));
    assert_eq!(agg.report().cases.answered, 0);
}

#[test]
fn only_the_first_later_police_message_counts() {
    // The first police message after the case is beyond the window: a later
    // one does not rescue it, and an earlier one does not answer it.
    let mut agg = Aggregator::new(AggregatorConfig { answer_window_seconds: 100, ..Default::default() }).unwrap();
    agg.add(&msg("0", "g", Role::Police, &at(-10), "早上好"), &cat(Category::Other));
    agg.add(&msg("1", "g", Role::Resident, &at(0), "有人打架"), &cat(Category::Anomaly));
    agg.add(&msg("2", "g", Role::Police, &at(0), "同一秒"), &cat(Category::Other));
    agg.add(&msg("3", "g", Role::Police, &at(50), "马上到"), &cat(Category::Anomaly));
    agg.add(&msg("4", "g", Role::Police, &at(70), "到了"), &cat(Category::Anomaly));
    let r = agg.report();
    assert_eq!(r.cases.answered, 1);
    assert_eq!(r.cases.first_response_seconds.max, Some(50));
}

#[test]
fn one_police_message_answers_every_open_case_of_its_group() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "身份证怎么办"), &cat(Category::Service));
    agg.add(&msg("2", "g", Role::Unknown, &at(100), "这是诈骗吗"), &stance(Stance::Inquiry, FraudType::TaskRebate));
    agg.add(&msg("3", "g", Role::Resident, &at(200), "我被骗了"), &{
        let mut a = stance(Stance::VictimReport, FraudType::Generic);
        a.category = Category::Anomaly;
        a
    });
    agg.add(&msg("4", "g", Role::Police, &at(1000), "大家稍等，我一一回复"), &cat(Category::Other));
    // A case after the police message waits for the next one.
    agg.add(&msg("5", "g", Role::Resident, &at(1100), "户口迁移呢"), &cat(Category::Service));
    agg.add(&msg("6", "g", Role::Police, &at(1400), "[语音]"), &cat(Category::Other));
    let r = agg.report();
    assert_eq!(r.cases.opened, 4);
    assert_eq!(r.cases.answered, 4);
    // Response times 1000, 900, 800 and 300: p50 is rank 2, p90 rank 4.
    assert_eq!(r.cases.first_response_seconds.p50, Some(800));
    assert_eq!(r.cases.first_response_seconds.p90, Some(1000));
    assert_eq!(r.cases.first_response_seconds.max, Some(1000));
    // The stance names the kind when both a stance and a category qualify.
    assert_eq!(r.cases.by_kind[&CaseKind::VictimReport].opened, 1);
    assert_eq!(r.cases.by_kind[&CaseKind::Anomaly].opened, 0);
    assert_eq!(r.cases.by_kind[&CaseKind::Inquiry].first_response_seconds.p50, Some(900));
    assert_eq!(r.cases.by_kind[&CaseKind::Service].opened, 2);
    assert_eq!(r.cases.by_kind[&CaseKind::Service].first_response_seconds.p50, Some(300));
    // The voice message was a media placeholder, still a police answer.
    assert_eq!(r.messages.media, 1);
}

#[test]
fn resident_messages_and_other_groups_do_not_answer() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g1", Role::Resident, &at(0), "有可疑人员"), &cat(Category::Anomaly));
    agg.add(&msg("2", "g1", Role::Resident, &at(60), "我也看到了"), &cat(Category::Other));
    agg.add(&msg("3", "g1", Role::Unknown, &at(90), "在哪"), &cat(Category::Other));
    agg.add(&msg("4", "g2", Role::Police, &at(120), "收到"), &cat(Category::Other));
    // A police message is no case, whatever its category.
    agg.add(&msg("5", "g2", Role::Police, &at(130), "开具证明请带户口本"), &cat(Category::Service));
    // A recall notice in the police's name is no answer.
    agg.add(&msg("6", "g1", Role::Police, &at(140), "\"王警官\"撤回了一条消息"), &cat(Category::Other));
    let r = agg.report();
    assert_eq!((r.cases.opened, r.cases.answered), (1, 0));
    let g1 = r.groups.iter().find(|g| g.group == "g1").unwrap();
    let g2 = r.groups.iter().find(|g| g.group == "g2").unwrap();
    assert_eq!(g1.cases.opened, 1);
    assert_eq!(g1.cases.answered, 0);
    // No police message answers in g1 (a recall is none): nobody to answer
    // is known there, so the case is unknown, not unanswered.
    assert_eq!((g1.cases.unknown, g1.cases.unanswered), (1, 0));
    assert!(!g1.police_identified);
    assert_eq!(g2.cases.opened, 0);
    assert_eq!(g1.messages.recalled, 1);
    assert_eq!(r.messages.recalled, 1);
    assert_eq!(r.messages.total, 5);
}

#[test]
fn percentiles_are_nearest_rank_exact() {
    let mut agg = Aggregator::default();
    // Ten cases in ten groups, answered after 10, 20, …, 100 seconds.
    for i in 1..=10i64 {
        let g = format!("g{i:02}");
        agg.add(&msg(&format!("c{i}"), &g, Role::Resident, &at(0), "咨询"), &cat(Category::Service));
        agg.add(&msg(&format!("p{i}"), &g, Role::Police, &at(10 * i), "答复"), &cat(Category::Service));
    }
    let r = agg.report();
    assert_eq!(r.cases.first_response_seconds.p50, Some(50));
    assert_eq!(r.cases.first_response_seconds.p90, Some(90));
    assert_eq!(r.cases.first_response_seconds.max, Some(100));
    assert_eq!(r.group_count, 10);
    assert_eq!(r.groups[2].cases.first_response_seconds.p50, Some(30));
    // An eleventh: ranks ⌈5.5⌉ = 6 and ⌈9.9⌉ = 10.
    agg.add(&msg("c11", "g11", Role::Resident, &at(0), "咨询"), &cat(Category::Service));
    agg.add(&msg("p11", "g11", Role::Police, &at(110), "答复"), &cat(Category::Service));
    let r = agg.report();
    assert_eq!(r.cases.first_response_seconds.p50, Some(60));
    assert_eq!(r.cases.first_response_seconds.p90, Some(100));
}

#[test]
fn message_and_fraud_figures() {
    let mut agg = Aggregator::default();
    let e = |kind, text: &str, value| Entity {
        kind,
        text: text.into(),
        value,
        start: 0,
        end: 0,
        char_start: 0,
        char_end: 0,
    };
    agg.add(
        &msg("1", "g", Role::Police, "2024-03-01 09:00:00", "刷单都是诈骗"),
        &stance(Stance::Warning, FraudType::TaskRebate),
    );
    let mut sol = stance(Stance::Solicitation, FraudType::TaskRebate);
    sol.category = Category::Other;
    sol.entities = vec![e(EntityKind::Phone, "139****5678", None), e(EntityKind::WechatId, "abc123", None)];
    agg.add(&msg("2", "g", Role::Unknown, "2024-03-01 09:10:00", "日结300 加V"), &sol);
    let mut sol2 = sol.clone();
    sol2.entities = vec![e(EntityKind::Phone, "139****5678", None), e(EntityKind::Url, "xx.top/abc", None)];
    agg.add(&msg("3", "h", Role::Unknown, "2024-03-02 09:10:00", "日结500"), &sol2);
    let mut vic = stance(Stance::VictimReport, FraudType::FakeCustomerService);
    vic.category = Category::Anomaly;
    vic.entities = vec![e(EntityKind::Money, "3000元", Some(3000.0)), e(EntityKind::Money, "2.8万", Some(28_000.0))];
    agg.add(&msg("4", "h", Role::Resident, "2024-03-02 10:00:00", "被骗了"), &vic);
    let mut vic2 = vic.clone();
    vic2.entities = vec![e(EntityKind::Money, "0.1元", Some(0.1)), e(EntityKind::Money, "0.2元", Some(0.2))];
    agg.add(&msg("5", "h", Role::Resident, "2024-03-02 10:01:00", "又被骗了"), &vic2);
    agg.add(&msg("6", "h", Role::Resident, "2024-03-02 10:02:00", "[图片]"), &cat(Category::Other));
    agg.add(
        &msg("7", "h", Role::Unknown, "2024-03-02 10:03:00", "\"张三\"邀请\"李四\"加入了群聊"),
        &cat(Category::Other),
    );

    let r = agg.report();
    assert_eq!(r.messages.total, 5);
    assert_eq!((r.messages.media, r.messages.system, r.messages.recalled), (1, 1, 0));
    assert_eq!(r.messages.by_category[&Category::Safety], 1);
    assert_eq!(r.messages.by_category[&Category::Anomaly], 2);
    assert_eq!(r.messages.by_category[&Category::Other], 2);
    assert_eq!(r.messages.by_role[&Role::Resident], 2);
    assert_eq!(r.messages.by_role[&Role::Unknown], 2);
    assert_eq!(r.messages.by_category_role[&Category::Anomaly][&Role::Resident], 2);
    assert_eq!(r.fraud.messages, 5);
    assert_eq!(r.fraud.by_type[&FraudType::TaskRebate], 3);
    assert_eq!(r.fraud.by_type[&FraudType::FakeCustomerService], 2);
    assert_eq!(r.fraud.by_type[&FraudType::Romance], 0);
    assert_eq!(r.fraud.by_stance[&Stance::Solicitation], 2);
    assert_eq!(r.fraud.by_stance[&Stance::VictimReport], 2);
    assert_eq!(r.fraud.by_type_stance[&FraudType::TaskRebate][&Stance::Warning], 1);
    assert_eq!(r.fraud.victim_money_yuan, 31_000.3);
    let ind: Vec<(EntityKind, &str, u64)> =
        r.fraud.solicitation_indicators.iter().map(|i| (i.kind, i.text.as_str(), i.messages)).collect();
    assert_eq!(
        ind,
        vec![
            (EntityKind::Phone, "139****5678", 2),
            (EntityKind::Url, "xx.top/abc", 1),
            (EntityKind::WechatId, "abc123", 1)
        ]
    );
    assert_eq!(r.days.len(), 2);
    assert_eq!(r.days[0].day, "2024-03-01");
    assert_eq!(r.days[0].messages.total, 2);
    assert_eq!(r.days[1].fraud.victim_money_yuan, 31_000.3);
    assert_eq!(r.days[1].cases.opened, 2);
    assert_eq!(r.period.from.as_deref(), Some("2024-03-01T09:00:00+08:00"));
    assert_eq!(r.period.to.as_deref(), Some("2024-03-02T10:03:00+08:00"));
    assert_eq!(r.group_count, 2);
    assert_eq!(r.groups[1].group, "h");
    assert_eq!(r.groups[1].fraud.solicitation_indicators.len(), 2);
}

#[test]
fn report_json_has_the_documented_keys() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "咨询"), &cat(Category::Service));
    let v: serde_json::Value = serde_json::from_str(&agg.report_json()).unwrap();
    for path in [
        "/version",
        "/messages/total",
        "/messages/by_category/legal_publicity",
        "/messages/by_category/praise",
        "/messages/by_role/police",
        "/messages/by_category_role/service/resident",
        "/messages/system",
        "/messages/recalled",
        "/messages/media",
        "/messages/duplicates",
        "/messages/rejected/total",
        "/messages/rejected/by_reason/missing_group",
        "/messages/rejected/by_reason/missing_time",
        "/messages/rejected/by_reason/invalid_time",
        "/fraud/messages",
        "/fraud/by_type/task_rebate",
        "/fraud/by_type/generic",
        "/fraud/by_stance/victim_report",
        "/fraud/by_type_stance",
        "/fraud/solicitation_indicators",
        "/fraud/victim_money_yuan",
        "/cases/opened",
        "/cases/answered",
        "/cases/unanswered",
        "/cases/answered_share",
        "/cases/first_response_seconds/p50",
        "/cases/first_response_seconds/p90",
        "/cases/first_response_seconds/max",
        "/cases/by_kind/victim_report/opened",
        "/groups/0/group",
        "/groups/0/messages/by_category/other",
        "/groups/0/fraud/by_stance/none",
        "/groups/0/cases/first_response_seconds/p50",
        "/days/0/day",
        "/days/0/cases/opened",
        "/period/from",
        "/period/to",
        "/group_count",
    ] {
        assert!(v.pointer(path).is_some(), "missing {path}");
    }
    assert_eq!(v["messages"]["by_category"].as_object().unwrap().len(), 8);
    assert_eq!(v["fraud"]["by_type"].as_object().unwrap().len(), 18);
    assert_eq!(v["cases"]["by_kind"].as_object().unwrap().len(), 5);
    assert_eq!(v["days"][0]["day"], "2024-03-01");
    assert_eq!(v["period"]["from"], "2024-03-01T10:00:00+08:00");
    assert!(v["cases"]["first_response_seconds"]["p50"].is_null());
    // The report reads back into the Rust type.
    let back: jingmin::Report = serde_json::from_value(v).unwrap();
    assert_eq!(back, agg.report());
}

#[test]
fn messages_without_group_or_time_are_rejected_with_their_reason() {
    let mut agg = Aggregator::default();
    let mut m = msg("1", "g", Role::Resident, "", "我被骗了");
    assert_eq!(
        agg.add(&m, &stance(Stance::VictimReport, FraudType::Generic)),
        Added::Rejected(jingmin::RejectReason::MissingTime)
    );
    assert_eq!(agg.add(&m, &Analysis::default()), Added::Duplicate);
    m.id = Some("2".into());
    m.time = Some("2023-02-29 10:00:00".into());
    assert_eq!(agg.add(&m, &Analysis::default()), Added::Rejected(jingmin::RejectReason::InvalidTime));
    m.id = Some("3".into());
    m.group = None;
    assert_eq!(agg.add(&m, &Analysis::default()), Added::Rejected(jingmin::RejectReason::MissingGroup));
    m.id = Some("4".into());
    m.group = Some("  ".into());
    m.time = None;
    assert_eq!(agg.add(&m, &Analysis::default()), Added::Rejected(jingmin::RejectReason::MissingGroup));
    let r = agg.report();
    assert_eq!(r.messages.total, 0);
    assert_eq!(r.messages.rejected.total, 4);
    assert_eq!(r.messages.rejected.by_reason[&jingmin::RejectReason::MissingGroup], 2);
    assert_eq!(r.messages.rejected.by_reason[&jingmin::RejectReason::MissingTime], 1);
    assert_eq!(r.messages.rejected.by_reason[&jingmin::RejectReason::InvalidTime], 1);
    assert_eq!(r.messages.duplicates, 1);
    assert_eq!(r.fraud.messages, 0);
    assert_eq!(r.cases.opened, 0);
    assert_eq!(r.period.from, None);
    // The group of a message without time is known: counted there.
    assert_eq!(r.group_count, 1);
    assert_eq!(r.groups[0].messages.rejected.total, 2);
    assert!(r.days.is_empty());
    let back = Aggregator::restore(&agg.snapshot()).unwrap();
    assert_eq!(back.report(), r);
}

#[test]
fn add_json_reads_taxonomy_messages_and_reports_bad_json_without_echoing_it() {
    let engine = jingmin::Engine::default();
    let mut agg = Aggregator::default();
    let ok = r#"{"id":"g17-1","group":"淮河路派出所-警民议事群1","sender":"民警魏某","role":"police","time":"2022-11-16T09:03:00+08:00","text":"收到"}"#;
    assert_eq!(agg.add_json(&engine, ok).unwrap(), Added::New);
    assert_eq!(agg.add_json(&engine, ok).unwrap(), Added::Duplicate);
    let bad = r#"{"group":"g","text":13912345678"#;
    let e = agg.add_json(&engine, bad).unwrap_err().to_string();
    assert!(!e.contains("13912345678"), "{e}");
    let e = agg.add_json(&engine, r#"{"group":"g","role":"13912345678","text":"x"}"#).unwrap_err().to_string();
    assert!(!e.contains("13912345678"), "{e}");
    assert_eq!(agg.report().messages.total, 1);
    assert_eq!(agg.report().days[0].day, "2022-11-16");
}

#[test]
fn days_follow_the_configured_offset_not_the_machine() {
    // 2024-03-01T23:30:00+08:00 is 15:30 UTC: the 1st in both; 07:30+08:00 is
    // the 29th of February in UTC.
    let m1 = msg("1", "g", Role::Resident, "2024-03-01T07:30:00+08:00", "早");
    let mut cst = Aggregator::default();
    cst.add(&m1, &cat(Category::Other));
    assert_eq!(cst.report().days[0].day, "2024-03-01");
    let mut utc = Aggregator::new(AggregatorConfig { utc_offset_seconds: 0, ..Default::default() }).unwrap();
    utc.add(&m1, &cat(Category::Other));
    assert_eq!(utc.report().days[0].day, "2024-02-29");
    assert_eq!(utc.report().period.from.as_deref(), Some("2024-02-29T23:30:00+00:00"));
    // Aggregators configured differently refuse to merge.
    let before = cst.snapshot();
    assert!(cst.merge(&utc).is_err());
    assert_eq!(cst.snapshot(), before);
}

#[test]
fn restore_refuses_bad_snapshots_naming_the_field() {
    let mut agg = Aggregator::default();
    agg.add(&msg("1", "g", Role::Resident, &at(0), "咨询"), &cat(Category::Service));
    let snap = agg.snapshot();
    assert!(snap.starts_with(r#"{"format":"jingmin-aggregator","version":2,"#));
    let e = Aggregator::restore(&snap.replace("\"version\":2", "\"version\":3")).unwrap_err().to_string();
    assert!(e.contains("version") && e.contains("newer"), "{e}");
    let e = Aggregator::restore(&snap.replace("\"version\":2", "\"version\":0")).unwrap_err().to_string();
    assert!(e.contains("version"), "{e}");
    let e = Aggregator::restore(&snap.replace("jingmin-aggregator", "jingmin-other")).unwrap_err().to_string();
    assert!(e.contains("format"), "{e}");
    let e = Aggregator::restore(r#"{"version":1}"#).unwrap_err().to_string();
    assert!(e.contains("format"), "{e}");
    let e = Aggregator::restore(&snap[..snap.len() - 3]).unwrap_err().to_string();
    assert!(e.contains("truncated"), "{e}");
    let e = Aggregator::restore("").unwrap_err().to_string();
    assert!(e.contains("snapshot"), "{e}");
    // Edited content: the checksum no longer matches.
    let e = Aggregator::restore(&snap.replace("\"mult\":[1]", "\"mult\":[2]")).unwrap_err().to_string();
    assert!(e.contains("checksum"), "{e}");
    // An unknown field is named.
    let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
    let mut w = v.clone();
    w["state"]["extra_field"] = serde_json::json!(1);
    let e = Aggregator::restore(&w.to_string()).unwrap_err().to_string();
    assert!(e.contains("extra_field"), "{e}");
    // A pretty-printed snapshot is the same document.
    let pretty = serde_json::to_string_pretty(&v).unwrap();
    assert_eq!(Aggregator::restore(&pretty).unwrap().report(), agg.report());
}

#[test]
fn bytes_of_state_per_message_for_a_realistic_log() {
    // A deterministic, realistic log: 12 groups, 30 days, mostly residents'
    // chat and police notices, some cases, a few solicitations and victim
    // reports, 10% re-read copies.
    let mut agg = Aggregator::default();
    let mut rnd = crate::rng::xorshift(0x2545_f491_4f6c_dd1d);
    let n = 20_000u64;
    let mut added = 0u64;
    for i in 0..n {
        let g = format!("淮河路派出所-警民议事群{}", rnd(12));
        let role = if rnd(5) == 0 { Role::Police } else { Role::Resident };
        let t = 1_709_258_400 + rnd(30 * 86_400) as i64;
        let m = Message {
            id: Some(format!("wx-{i}")),
            group: Some(g),
            sender: Some(format!("wxid_{}", rnd(300))),
            role,
            time: Some(t.to_string()),
            text: "消息".into(),
        };
        let mut a = Analysis { category: Category::ALL[rnd(8) as usize], ..Analysis::default() };
        match rnd(40) {
            0 => {
                a.fraud.stance = Stance::Solicitation;
                a.fraud.types = vec![FraudType::TaskRebate];
                a.entities = vec![Entity {
                    kind: EntityKind::Phone,
                    text: format!("139****{:04}", rnd(50)),
                    value: None,
                    start: 0,
                    end: 0,
                    char_start: 0,
                    char_end: 0,
                }];
            }
            1 => {
                a.fraud.stance = Stance::VictimReport;
                a.fraud.types = vec![FraudType::Investment];
                a.entities = vec![Entity {
                    kind: EntityKind::Money,
                    text: "5000元".into(),
                    value: Some(5000.0),
                    start: 0,
                    end: 0,
                    char_start: 0,
                    char_end: 0,
                }];
            }
            2..=6 => {
                a.fraud.stance = Stance::Warning;
                a.fraud.types = vec![FraudType::Generic];
            }
            _ => {}
        }
        agg.add(&m, &a);
        added += 1;
        if rnd(10) == 0 {
            agg.add(&m, &a);
            added += 1;
        }
    }
    let snap = agg.snapshot();
    let per_message = snap.len() as f64 / agg.len() as f64;
    println!(
        "state: {} distinct messages ({} added), snapshot {} bytes = {:.1} bytes per message",
        agg.len(),
        added,
        snap.len(),
        per_message
    );
    assert_eq!(agg.len() as u64, n);
    assert!(per_message < 64.0, "{per_message:.1} bytes per message");
    let back = Aggregator::restore(&snap).unwrap();
    assert_eq!(back.report(), agg.report());
    assert_eq!(back.report().messages.duplicates, added - n);
}
