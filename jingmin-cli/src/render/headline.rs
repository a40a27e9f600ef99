//! The headline, in the register the public-security bureaus use.

use jingmin::{Category, RejectReason, Report, Stance};

use super::{minutes, thousands};

/// The seven work categories named in the headline, in the bureaus' order
/// (`other` is left out: it is what none of them covers).
const HEADLINE_CATEGORIES: [Category; 7] = [
    Category::LegalPublicity,
    Category::Reminder,
    Category::Dispute,
    Category::Safety,
    Category::Service,
    Category::Anomaly,
    Category::Praise,
];

/// The headline sentence, every figure taken from the report:
///
/// - 共 N 个群: `group_count`; M 条消息: `messages.total` (content
///   messages: notices, recalls, media and duplicates apart);
/// - each category: `messages.by_category`;
/// - 群众咨询 c 次: the cases opened (`cases.opened`): every content message
///   from a resident or unknown sender that asks something of the police —
///   a fraud inquiry or victim report, or a 便民服务 / 化解矛盾 / 异常报告
///   message (see docs/report-schema.md, "Cases and response");
/// - 已回应 d 次: `cases.answered` (a police message in the same group within
///   the answer window); 首次回应中位 e 分钟: `cases.first_response_seconds.p50`
///   in minutes, left out when no case was answered;
/// - 涉诈消息 f 条: `fraud.messages`; 其中诈骗引流 g 条:
///   `fraud.by_stance.solicitation`.
pub fn headline(r: &Report) -> String {
    let cat = |c: Category| r.messages.by_category.get(&c).copied().unwrap_or(0);
    let cats: Vec<String> =
        HEADLINE_CATEGORIES.iter().map(|c| format!("{} {} 条", c.label_zh(), thousands(cat(*c)))).collect();
    let mut cases = format!(
        "群众咨询 {} 次，已回应 {} 次",
        thousands(r.cases.opened),
        thousands(r.cases.answered)
    );
    if let Some(p50) = r.cases.first_response_seconds.p50 {
        cases.push_str(&format!("，首次回应中位 {} 分钟", minutes(p50)));
    }
    let solicitations = r.fraud.by_stance.get(&Stance::Solicitation).copied().unwrap_or(0);
    format!(
        "共 {} 个群、{} 条消息；{}；{}；涉诈消息 {} 条，其中诈骗引流 {} 条",
        thousands(r.group_count as u64),
        thousands(r.messages.total),
        cats.join("、"),
        cases,
        thousands(r.fraud.messages),
        thousands(solicitations)
    )
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
    #[test]
    fn yuan() {
        assert_eq!(super::yuan(550520.0), "550,520.00");
        assert_eq!(super::yuan(0.1), "0.10");
        assert_eq!(super::yuan(1234.565), "1,234.57");
    }
}
