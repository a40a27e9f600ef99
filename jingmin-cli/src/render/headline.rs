//! The headline, in the register the public-security bureaus use.

use jingmin::{Category, RejectReason, Report, Stance};

use super::{minutes, thousands};

/// The work categories in the headline, in the bureaus' order, and 其他
/// (what none of them covers) last: together they add up to the total.
const HEADLINE_CATEGORIES: [Category; 8] = [
    Category::LegalPublicity,
    Category::Reminder,
    Category::Dispute,
    Category::Safety,
    Category::Service,
    Category::Anomaly,
    Category::Praise,
    Category::Other,
];

/// The stances a fraud message is split by in the headline, in the order
/// of the fraud table; `none` (未定态度) follows when there is any.
const HEADLINE_STANCES: [Stance; 4] = [Stance::Warning, Stance::Inquiry, Stance::Solicitation, Stance::VictimReport];

/// The name of a stance as the tables write it.
pub fn stance_name(s: Stance) -> &'static str {
    if s == Stance::None {
        "未定态度"
    } else {
        s.label_zh()
    }
}

/// The headline sentence, every figure taken from the report:
///
/// - 共 N 个群: `group_count`; M 条消息: `messages.total` (content
///   messages: notices, recalls, media and duplicates apart);
/// - each category, 其他 included, so that they add up to M:
///   `messages.by_category`;
/// - 群众咨询 c 次: the cases opened (`cases.opened`): every content message
///   from a resident or unknown sender that asks something of the police —
///   a fraud inquiry or victim report, or a 便民服务 / 化解矛盾 / 异常报告
///   message (see docs/report-schema.md, "Cases and response");
/// - 已回应 d 次: `cases.answered` (a police message in the same group within
///   the answer window); then those not answered: 未回应 (`cases.unanswered`,
///   the window ran out), 待回应 (`cases.pending`, the data ended first) and
///   回应未知 (`cases.unknown`, no police sender in the group);
///   首次回应中位 e 分钟: `cases.first_response_seconds.p50` in whole
///   minutes, left out when no case was answered;
/// - 涉诈消息 f 条: `fraud.messages`, split by stance (`fraud.by_stance`):
///   most are the police's warnings, not frauds.
pub fn headline(r: &Report) -> String {
    let cat = |c: Category| r.messages.by_category.get(&c).copied().unwrap_or(0);
    let cats: Vec<String> =
        HEADLINE_CATEGORIES.iter().map(|c| format!("{} {} 条", c.label_zh(), thousands(cat(*c)))).collect();
    let mut cases = format!(
        "群众咨询 {} 次，已回应 {} 次",
        thousands(r.cases.opened),
        thousands(r.cases.answered)
    );
    cases.push_str(&unanswered_text(r));
    if let Some(p50) = r.cases.first_response_seconds.p50 {
        cases.push_str(&format!("，首次回应中位 {} 分钟", minutes(p50)));
    }
    let stance = |s: Stance| r.fraud.by_stance.get(&s).copied().unwrap_or(0);
    let mut stances: Vec<String> =
        HEADLINE_STANCES.iter().map(|s| format!("{} {} 条", stance_name(*s), thousands(stance(*s)))).collect();
    if stance(Stance::None) > 0 {
        stances.push(format!("{} {} 条", stance_name(Stance::None), thousands(stance(Stance::None))));
    }
    format!(
        "共 {} 个群、{} 条消息；{}；{}；涉诈消息 {} 条：{}",
        thousands(r.group_count as u64),
        thousands(r.messages.total),
        cats.join("、"),
        cases,
        thousands(r.fraud.messages),
        stances.join("、")
    )
}

/// The cases not answered, for the headline: `，未回应 n 次`
/// (`cases.unanswered`: their window ran out), `，待回应 m 次（…）`
/// (`cases.pending`: their window had not when the data ended) and
/// `，回应未知 k 次` (`cases.unknown`: groups without any police sender);
/// empty when every case was answered.
fn unanswered_text(r: &Report) -> String {
    let c = &r.cases;
    let mut s = String::new();
    if c.unanswered > 0 {
        s.push_str(&format!("，未回应 {} 次", thousands(c.unanswered)));
    }
    if c.pending > 0 {
        let window = window_text(r.settings.answer_window_seconds);
        s.push_str(&format!("，待回应 {} 次（数据截止时未满 {window}回应时限）", thousands(c.pending)));
    }
    if c.unknown > 0 {
        s.push_str(&format!("，回应未知 {} 次（所在群未识别到民警发言）", thousands(c.unknown)));
    }
    s
}

/// `2024-04-05T23:57:53+08:00` → `2024-04-05 23:57`.
pub fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => rfc3339.to_owned(),
    }
}

/// The line that says how pending cases are counted; `None` when there is
/// none.
pub fn pending_note(r: &Report) -> Option<String> {
    if r.cases.pending == 0 {
        return None;
    }
    let window = window_text(r.settings.answer_window_seconds);
    let end = r.period.to.as_deref().map(short_time).unwrap_or_default();
    let days: Vec<&str> = r.days.iter().filter(|d| d.cases.pending > 0).map(|d| d.day.as_str()).collect();
    Some(format!(
        "待回应：数据截止于 {end}，截止时尚未回应、提出不满 {window}的群众咨询 {} 次（{}）计为“待回应”，不计入未回应和回应率",
        thousands(r.cases.pending),
        days.join("、")
    ))
}

/// A duration for people: `24 小时`, `90 分钟`, `45 秒`.
pub fn window_text(seconds: i64) -> String {
    if seconds % 3600 == 0 {
        format!("{} 小时", seconds / 3600)
    } else if seconds % 60 == 0 {
        format!("{} 分钟", seconds / 60)
    } else {
        format!("{seconds} 秒")
    }
}

/// The lines under the headline: the period, the settings the figures were
/// computed with, and what was counted apart (nothing is dropped silently;
/// records of the exports that could not be read are in the report's state
/// as `unreadable`).
pub fn details(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let zone = super::format_offset(r.settings.utc_offset_seconds);
    if let (Some(from), Some(to)) = (&r.period.from, &r.period.to) {
        let day = |s: &str| s.get(..10).unwrap_or(s).to_owned();
        out.push(format!("统计时段：{} 至 {}（UTC{zone}）", day(from), day(to)));
    }
    out.push(format!(
        "计算口径：时区 UTC{zone}；回应时限 {}（群众咨询后民警在此时间内发言即为已回应）",
        window_text(r.settings.answer_window_seconds)
    ));
    if let Some(note) = pending_note(r) {
        out.push(note);
    }
    let m = &r.messages;
    let reason = |k: RejectReason| m.rejected.by_reason.get(&k).copied().unwrap_or(0);
    let unreadable = reason(RejectReason::Unreadable);
    out.push(format!(
        "另计：系统通知 {} 条、撤回 {} 条、图片语音等 {} 条；重复 {} 条未重复计入；缺群名或时间无法计入 {} 条",
        thousands(m.system),
        thousands(m.recalled),
        thousands(m.media),
        thousands(m.duplicates),
        thousands(m.rejected.total.saturating_sub(unreadable))
    ));
    if unreadable > 0 {
        out.push(format!("导出文件中格式错误、未能读取的记录 {} 条（详见标准错误输出）", thousands(unreadable)));
    }
    if r.fraud.victim_money_yuan > 0.0 {
        out.push(format!("受害报告涉及金额合计 {} 元", yuan(r.fraud.victim_money_yuan)));
    }
    out
}

/// Yuan with thousands separators and two decimals: `550,520.00`.
fn yuan(v: f64) -> String {
    let fen = (v * 100.0).round();
    if !fen.is_finite() || !(0.0..1e18).contains(&fen) {
        return format!("{v:.2}");
    }
    let fen = fen as u64;
    format!("{}.{:02}", thousands(fen / 100), fen % 100)
}

#[cfg(test)]
mod tests {
    use jingmin::{Aggregator, Analysis, Category, FraudAssessment, FraudType, Message, Report, Role, Stance};

    /// A report of one group from (time, role, category, fraud stance).
    fn report(messages: &[(&str, Role, Category, Option<Stance>)]) -> Report {
        let mut agg = Aggregator::default();
        for (i, (time, role, category, stance)) in messages.iter().enumerate() {
            let m = Message {
                id: Some(i.to_string()),
                group: Some("g".into()),
                sender: None,
                role: *role,
                time: Some((*time).into()),
                text: format!("消息 {i}"),
            };
            let fraud = match stance {
                Some(s) => FraudAssessment { types: vec![FraudType::ALL[1]], stance: *s, ..FraudAssessment::default() },
                None => FraudAssessment::default(),
            };
            agg.add(&m, &Analysis { category: *category, fraud, ..Analysis::default() });
        }
        agg.report()
    }

    use Category::{Other, Service};
    use Role::{Police, Resident};

    #[test]
    fn yuan() {
        assert_eq!(super::yuan(550520.0), "550,520.00");
        assert_eq!(super::yuan(0.1), "0.10");
        assert_eq!(super::yuan(1234.565), "1,234.57");
    }

    /// The categories, 其他 included, add up to the total; the fraud
    /// messages are split by stance and the parts add up to them.
    #[test]
    fn the_parts_add_up() {
        let r = report(&[
            ("2024-03-01 09:00:00", Police, Category::LegalPublicity, Some(Stance::Warning)),
            ("2024-03-01 09:10:00", Police, Category::Safety, Some(Stance::Warning)),
            ("2024-03-01 09:20:00", Resident, Other, Some(Stance::Inquiry)),
            ("2024-03-01 09:30:00", Resident, Other, None),
            ("2024-03-01 09:40:00", Resident, Other, Some(Stance::Solicitation)),
        ]);
        let h = super::headline(&r);
        assert!(h.starts_with("共 1 个群、5 条消息；法治宣传 1 条、提醒告知 0 条、化解矛盾 0 条、安全防范 1 条、便民服务 0 条、异常报告 0 条、弘扬正气 0 条、其他 3 条；"), "{h}");
        assert!(h.ends_with("；涉诈消息 4 条：预警宣传 2 条、求证咨询 1 条、诈骗引流 1 条、受害报告 0 条"), "{h}");
        let sum = |part: &str| -> u64 {
            part.split('、').map(|p| p.split(' ').nth(1).unwrap().replace(',', "").parse::<u64>().unwrap()).sum()
        };
        let cats = h.split('；').nth(1).unwrap();
        assert_eq!(sum(cats), r.messages.total);
        let stances = h.rsplit('：').next().unwrap();
        assert_eq!(sum(stances), r.fraud.messages);
        // A stance left undecided is named when there is one.
        let r = report(&[("2024-03-01 09:00:00", Resident, Other, Some(Stance::None))]);
        assert!(super::headline(&r).ends_with("受害报告 0 条、未定态度 1 条"), "{}", super::headline(&r));
    }

    /// A case the police did not answer within the window is unanswered.
    #[test]
    fn a_case_whose_window_ran_out_is_unanswered() {
        let r = report(&[
            ("2024-03-01 10:00:00", Resident, Service, None),
            ("2024-03-01 10:20:00", Police, Other, None),
            ("2024-03-02 10:00:00", Resident, Service, None),
            ("2024-03-05 10:00:00", Resident, Other, None),
        ]);
        assert_eq!((r.cases.opened, r.cases.answered, r.cases.unanswered), (2, 1, 1));
        let h = super::headline(&r);
        assert!(h.contains("；群众咨询 2 次，已回应 1 次，未回应 1 次，首次回应中位 20 分钟；"), "{h}");
        assert!(!h.contains("待回应"), "{h}");
        assert_eq!(super::pending_note(&r), None);
        assert!(!super::details(&r).iter().any(|d| d.contains("待回应")));
    }

    /// A case opened less than the window before the data ends, and not
    /// answered by then, is pending: said so in the headline, and the note
    /// names its day.
    #[test]
    fn a_case_at_the_end_of_the_data_is_pending() {
        let r = report(&[
            ("2024-03-01 10:00:00", Resident, Service, None),
            ("2024-03-01 10:20:00", Police, Other, None),
            ("2024-03-03 07:00:00", Resident, Service, None),
            ("2024-03-03 08:00:00", Resident, Other, None),
        ]);
        assert_eq!((r.cases.unanswered, r.cases.pending), (0, 1));
        let h = super::headline(&r);
        assert!(h.contains("；群众咨询 2 次，已回应 1 次，待回应 1 次（数据截止时未满 24 小时回应时限），首次回应中位 20 分钟；"), "{h}");
        assert!(!h.contains("未回应"), "{h}");
        let note = super::pending_note(&r).unwrap();
        assert_eq!(
            note,
            "待回应：数据截止于 2024-03-03 08:00，截止时尚未回应、提出不满 24 小时的群众咨询 1 次（2024-03-03）计为“待回应”，不计入未回应和回应率"
        );
        assert!(super::details(&r).contains(&note));
    }

    /// A group without any police sender: its cases are unknown.
    #[test]
    fn cases_without_police_are_unknown() {
        let r = report(&[("2024-03-01 10:00:00", Resident, Service, None), ("2024-03-05 10:00:00", Resident, Other, None)]);
        assert_eq!(r.cases.unknown, 1);
        let h = super::headline(&r);
        assert!(h.contains("已回应 0 次，回应未知 1 次（所在群未识别到民警发言）；"), "{h}");
    }

    #[test]
    fn no_messages_no_pending() {
        let r = Aggregator::default().report();
        assert_eq!(super::pending_note(&r), None);
        assert!(super::headline(&r).contains("群众咨询 0 次，已回应 0 次；涉诈消息 0 条："), "{}", super::headline(&r));
    }
}
