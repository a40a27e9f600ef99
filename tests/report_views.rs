//! The views of a report a leader acts on, computed from the state: case
//! status (pending, unknown), per-officer figures, drill-down lists, time
//! windows, weeks and months. Each holds the aggregator's laws: the same
//! whatever the order of arrival, through merges and snapshots.

use jingmin::{
    Aggregator, AggregatorConfig, Analysis, CaseStatus, Category, CountOptions, Engine, Entity, EntityKind, FraudType,
    Message, ReportOptions, Role, Stance,
};

/// 2024-03-01T00:00:00+08:00.
const T0: i64 = 1_709_222_400;

fn msg(id: &str, group: &str, sender: &str, role: Role, t: i64, text: &str) -> Message {
    Message {
        id: Some(id.into()),
        group: Some(group.into()),
        sender: Some(sender.into()),
        role,
        time: Some(t.to_string()),
        text: text.into(),
    }
}

fn cat(c: Category) -> Analysis {
    Analysis { category: c, ..Analysis::default() }
}

fn drill() -> AggregatorConfig {
    AggregatorConfig { drill_down: true, ..AggregatorConfig::default() }
}

fn solicitation(phone: &str) -> Analysis {
    let mut a = cat(Category::Safety);
    a.fraud.stance = Stance::Solicitation;
    a.fraud.types = vec![FraudType::TaskRebate];
    a.entities = vec![Entity {
        kind: EntityKind::Phone,
        text: phone.into(),
        value: None,
        start: 0,
        end: 0,
        char_start: 0,
        char_end: 0,
    }];
    a
}

/// A log of two groups: `a` with two officers, `b` without any.
fn log() -> Vec<(Message, Analysis)> {
    let h = 3600;
    vec![
        (msg("1", "a", "李阿姨", Role::Resident, T0 + 9 * h, "请问周六有人吗"), cat(Category::Service)),
        (msg("2", "a", "王警官", Role::Police, T0 + 9 * h + 240, "有人"), cat(Category::Service)),
        (msg("3", "a", "赵大爷", Role::Resident, T0 + 86_400 + 9 * h, "楼下吵架"), cat(Category::Dispute)),
        (msg("4", "a", "陈警官", Role::Police, T0 + 86_400 + 9 * h + 1500, "马上到"), cat(Category::Dispute)),
        (msg("5", "a", "广告", Role::Resident, T0 + 8 * 86_400, "刷单日结"), solicitation("13912345678")),
        (msg("6", "a", "孙阿姨", Role::Resident, T0 + 9 * 86_400, "咨询户口"), cat(Category::Service)),
        (msg("7", "b", "钱女士", Role::Resident, T0 + 9 * 86_400 + h, "路灯坏了"), cat(Category::Anomaly)),
        (msg("8", "a", "王警官", Role::Police, T0 + 12 * 86_400, "提醒防诈"), {
            let mut w = cat(Category::Safety);
            w.fraud.stance = Stance::Warning;
            w.fraud.types = vec![FraudType::Generic];
            w
        }),
        (msg("9", "a", "周先生", Role::Resident, T0 + 12 * 86_400 + h, "请问办证"), cat(Category::Service)),
    ]
}

fn fill(config: AggregatorConfig, items: &[(Message, Analysis)]) -> Aggregator {
    let mut agg = Aggregator::new(config).unwrap();
    for (m, a) in items {
        agg.add(m, a);
    }
    agg
}

#[test]
fn cases_are_answered_unanswered_pending_or_unknown() {
    let r = fill(AggregatorConfig::default(), &log()).report();
    // 1 and 3 answered; 6 waited past 24 hours (the data goes on); 9 is
    // pending (the data ends an hour after it); 7 is in a group without police.
    assert_eq!((r.cases.opened, r.cases.answered, r.cases.unanswered), (5, 2, 1));
    assert_eq!((r.cases.pending, r.cases.unknown), (1, 1));
    assert_eq!(r.cases.answered_share, Some(2.0 / 3.0));
    let b = r.groups.iter().find(|g| g.group == "b").unwrap();
    assert!(!b.police_identified);
    assert_eq!((b.cases.unknown, b.cases.answered_share), (1, None));
    assert!(r.groups.iter().find(|g| g.group == "a").unwrap().police_identified);
    // The figures by kind add up the same way.
    let service = &r.cases.by_kind[&jingmin::CaseKind::Service];
    assert_eq!((service.opened, service.answered, service.unanswered, service.pending), (3, 1, 1, 1));
}

#[test]
fn officers_get_the_cases_they_answered_first() {
    let r = fill(AggregatorConfig::default(), &log()).report();
    let names: Vec<&str> = r.officers.iter().map(|o| o.officer.as_str()).collect();
    assert_eq!(names, ["王警官", "陈警官"]);
    let wang = &r.officers[0];
    assert_eq!((wang.messages, wang.warnings, wang.answered_first), (2, 1, 1));
    assert_eq!(wang.first_response_seconds.p50, Some(240));
    assert_eq!((wang.within_5_minutes_share, wang.within_30_minutes_share), (Some(1.0), Some(1.0)));
    let chen = &r.officers[1];
    assert_eq!((chen.answered_first, chen.first_response_seconds.p50), (1, Some(1500)));
    assert_eq!((chen.within_5_minutes_share, chen.within_30_minutes_share), (Some(0.0), Some(1.0)));
    assert_eq!(chen.groups, ["a"]);
}

#[test]
fn two_simultaneous_answers_are_credited_the_same_whatever_the_order() {
    let mut items = vec![
        (msg("1", "g", "李阿姨", Role::Resident, T0, "问"), cat(Category::Service)),
        (msg("2", "g", "乙警官", Role::Police, T0 + 60, "答"), cat(Category::Service)),
        (msg("3", "g", "甲警官", Role::Police, T0 + 60, "答"), cat(Category::Service)),
    ];
    let first = fill(AggregatorConfig::default(), &items).report();
    items.reverse();
    assert_eq!(fill(AggregatorConfig::default(), &items).report(), first);
    let credited: Vec<u64> = first.officers.iter().map(|o| o.answered_first).collect();
    assert_eq!(credited.iter().sum::<u64>(), 1);
}

#[test]
fn drill_down_lists_hold_the_messages_masked_and_travel_in_snapshots() {
    let mut items = log();
    items.push((msg("10", "a", "wxid_13987654321", Role::Resident, T0 + 10 * 86_400, "我被骗了5000元"), {
        let mut v = cat(Category::Anomaly);
        v.fraud.stance = Stance::VictimReport;
        v.fraud.types = vec![FraudType::Investment];
        v.entities = vec![Entity {
            kind: EntityKind::Money,
            text: "5000元".into(),
            value: Some(5000.0),
            start: 0,
            end: 0,
            char_start: 0,
            char_end: 0,
        }];
        v
    }));
    let agg = fill(drill(), &items);
    let r = agg.report();
    let d = r.drill_down.as_ref().unwrap();
    assert_eq!(d.solicitations.len(), 1);
    assert_eq!(d.solicitations[0].clues[0].text, "13912345678", "raw as the analysis gave it");
    assert_eq!(d.victim_reports.len(), 1);
    assert_eq!(d.victim_reports[0].amount_yuan, 5000.0);
    let open: Vec<(&str, CaseStatus)> = d.open_cases.iter().map(|c| (c.text.as_deref().unwrap(), c.status)).collect();
    // The victim report opens a case too, answered by nobody within 24 hours.
    assert_eq!(
        open,
        [
            ("咨询户口", CaseStatus::Unanswered),
            ("我被骗了5000元", CaseStatus::Unanswered),
            ("请问办证", CaseStatus::Pending)
        ]
    );
    assert_eq!(d.open_cases[2].age_seconds, 0);
    assert_eq!(d.open_cases[0].sender.as_deref(), Some("孙阿姨"));
    // Snapshots keep texts and senders; the order of arrival does not matter.
    let back = Aggregator::restore(&agg.snapshot()).unwrap();
    assert_eq!(back.report(), r);
    let mut rev = items.clone();
    rev.reverse();
    assert_eq!(fill(drill(), &rev).snapshot(), agg.snapshot());
    // Merged halves equal the whole.
    let (x, y) = items.split_at(4);
    let mut m = fill(drill(), x);
    m.merge(&fill(drill(), y)).unwrap();
    assert_eq!(m.snapshot(), agg.snapshot());
    // Masking covers the indicators, the texts and the senders' names.
    let mut masked = agg.clone();
    masked.mask_personal_data();
    let r = masked.report();
    let json = serde_json::to_string(&r).unwrap() + &masked.snapshot();
    assert!(!json.contains("13912345678") && !json.contains("13987654321"), "{json}");
    assert_eq!(r.drill_down.unwrap().victim_reports[0].sender.as_deref(), Some("wxid_139****4321"));
    // Without drill_down: no lists, no texts in the state.
    let lean = fill(AggregatorConfig::default(), &items);
    assert!(lean.report().drill_down.is_none());
    assert!(!lean.snapshot().contains("咨询户口"));
}

#[test]
fn drill_down_texts_are_masked_unless_counted_raw() {
    let engine = Engine::default();
    let m = msg("1", "g", "广告", Role::Resident, T0, "兼职刷单日结，一单一结，加微信：13987654321");
    let mut agg = Aggregator::new(drill()).unwrap();
    agg.add_with(&engine, &m, &CountOptions::default());
    let r = agg.report();
    let s = &r.drill_down.unwrap().solicitations[0];
    assert!(s.text.as_deref().unwrap().contains("139****4321"), "{s:?}");
    let mut raw = Aggregator::new(drill()).unwrap();
    raw.add_with(&engine, &m, &CountOptions { raw: true, ..CountOptions::default() });
    let s = raw.report().drill_down.unwrap().solicitations[0].clone();
    assert!(s.text.as_deref().unwrap().contains("13987654321"), "{s:?}");
    // A long text is cut.
    let long = msg("2", "g", "广告", Role::Resident, T0, &"刷单日结加微信".repeat(100));
    let mut agg = Aggregator::new(drill()).unwrap();
    agg.add_with(&engine, &long, &CountOptions::default());
    if let Some(s) = agg.report().drill_down.unwrap().solicitations.first() {
        let t = s.text.as_deref().unwrap();
        assert_eq!(t.chars().count(), jingmin::DRILL_DOWN_TEXT_CHARS + 1);
        assert!(t.ends_with('…'));
    }
}

#[test]
fn clues_are_counted_in_one_written_form() {
    let items = vec![
        (msg("1", "g", "x", Role::Resident, T0, "a"), {
            let mut a = solicitation("１５２****５６５９");
            a.entities.push(Entity { kind: EntityKind::WechatId, text: "ｋｅｆｕ-ｙｔｒｔ９４５".into(), ..a.entities[0].clone() });
            a
        }),
        (msg("2", "g", "x", Role::Resident, T0 + 1, "b"), {
            let mut a = solicitation("152****5659");
            a.entities.push(Entity { kind: EntityKind::WechatId, text: "KEFU-ytrt945".into(), ..a.entities[0].clone() });
            a
        }),
    ];
    let r = fill(AggregatorConfig::default(), &items).report();
    let got: Vec<(&str, u64)> = r.fraud.solicitation_indicators.iter().map(|i| (i.text.as_str(), i.messages)).collect();
    assert_eq!(got, [("152****5659", 2), ("kefu-ytrt945", 2)]);
}

#[test]
fn windows_count_what_lies_inside_and_cases_answered_after() {
    let agg = fill(AggregatorConfig::default(), &log());
    let day = 86_400;
    // Days 1-2 (the first two cases and their answers).
    let r = agg.report_with(&ReportOptions { since: Some(T0), until: Some(T0 + 2 * day), ..Default::default() }).unwrap();
    assert_eq!(r.messages.total, 4);
    assert_eq!(r.cases.answered, 2);
    assert_eq!(r.window.since.as_deref(), Some("2024-03-01T00:00:00+08:00"));
    // A window that ends between a case and its answer: still answered.
    let r = agg.report_with(&ReportOptions { since: Some(T0), until: Some(T0 + 9 * 3600 + 1), ..Default::default() }).unwrap();
    assert_eq!((r.messages.total, r.cases.answered, r.officers[0].answered_first), (1, 1, 1));
    assert_eq!(r.officers[0].messages, 0);
    // The previous window of equal length.
    let r = agg
        .report_with(&ReportOptions { since: Some(T0 + 7 * day), until: Some(T0 + 14 * day), compare_previous: true })
        .unwrap();
    let p = r.previous.as_ref().unwrap();
    assert_eq!(p.window.since.as_deref(), Some("2024-03-01T00:00:00+08:00"));
    assert_eq!((r.messages.total, p.messages.total, p.change.messages), (5, 4, 1));
    assert_eq!(p.change.solicitations, 1);
    // Without bounds, --compare-previous takes the whole days of the data.
    let r = agg.report_with(&ReportOptions { compare_previous: true, ..Default::default() }).unwrap();
    assert_eq!(r.window.since.as_deref(), Some("2024-03-01T00:00:00+08:00"));
    assert_eq!(r.window.until.as_deref(), Some("2024-03-14T00:00:00+08:00"));
    assert_eq!(r.previous.unwrap().messages.total, 0);
    // From a snapshot, the same.
    let back = Aggregator::restore(&agg.snapshot()).unwrap();
    let opts = ReportOptions { since: Some(T0 + 3 * day), until: None, compare_previous: true };
    assert_eq!(back.report_with(&opts).unwrap(), agg.report_with(&opts).unwrap());
    assert!(agg.report_with(&ReportOptions { since: Some(T0), until: Some(T0), ..Default::default() }).is_err());
}

#[test]
fn iso_weeks_and_months() {
    let at = |date: &str| jingmin::parse_time(&format!("{date} 12:00:00"), 8 * 3600).unwrap();
    let items: Vec<(Message, Analysis)> = ["2020-12-31", "2021-01-03", "2021-01-04", "2024-12-30", "2025-01-05"]
        .iter()
        .enumerate()
        .map(|(i, d)| (msg(&i.to_string(), "g", "x", Role::Resident, at(d), "好"), cat(Category::Other)))
        .collect();
    let r = fill(AggregatorConfig::default(), &items).report();
    let weeks: Vec<(&str, &str, u64)> =
        r.weeks.iter().map(|w| (w.label.as_str(), w.first_day.as_str(), w.messages.total)).collect();
    assert_eq!(weeks, [("2020-W53", "2020-12-28", 2), ("2021-W01", "2021-01-04", 1), ("2025-W01", "2024-12-30", 2)]);
    let months: Vec<(&str, u64)> = r.months.iter().map(|m| (m.label.as_str(), m.messages.total)).collect();
    assert_eq!(months, [("2020-12", 1), ("2021-01", 2), ("2024-12", 1), ("2025-01", 1)]);
}

#[test]
fn version_1_snapshots_are_still_read() {
    let agg = fill(AggregatorConfig::default(), &log());
    // A version 1 document has the same state without names and senders:
    // write one from a state of content without police senders kept.
    let plain: Vec<(Message, Analysis)> =
        log().into_iter().filter(|(m, _)| m.role != Role::Police).collect::<Vec<_>>();
    let v2 = fill(AggregatorConfig::default(), &plain).snapshot();
    assert!(!v2.contains("\"names\""), "{v2}");
    let v1 = v2.replacen("\"version\":2", "\"version\":1", 1);
    let back = Aggregator::restore(&v1).unwrap();
    assert_eq!(back.report(), fill(AggregatorConfig::default(), &plain).report());
    // Version 1 with the members of version 2 is refused.
    let bad = agg.snapshot().replacen("\"version\":2", "\"version\":1", 1);
    let e = Aggregator::restore(&bad).unwrap_err().to_string();
    assert!(e.contains("version 1"), "{e}");
}

/// A sender's name is kept as shown: one holding a phone number is masked
/// in a default count (the Python and C paths report without
/// `mask_personal_data`), and kept whole only when counted raw.
#[test]
fn sender_names_are_kept_masked_unless_counted_raw() {
    let engine = Engine::default();
    let ask = msg("1", "g", "李阿姨", Role::Resident, T0, "请问周六有人吗");
    let answer = msg("2", "g", "wxid_13912345678", Role::Police, T0 + 60, "有人");
    let mut agg = Aggregator::new(drill()).unwrap();
    let mut raw = Aggregator::new(drill()).unwrap();
    for m in [&ask, &answer] {
        agg.add_with(&engine, m, &CountOptions::default());
        raw.add_with(&engine, m, &CountOptions { raw: true, ..CountOptions::default() });
    }
    let json = serde_json::to_string(&agg.report()).unwrap() + &agg.snapshot();
    assert!(!json.contains("13912345678"), "{json}");
    assert_eq!(agg.report().officers[0].officer, "wxid_139****5678");
    assert_eq!(raw.report().officers[0].officer, "wxid_13912345678");
    raw.mask_personal_data();
    assert_eq!(raw.report(), agg.report());
}
