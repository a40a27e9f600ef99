//! Rendering a [`jingmin::Report`]: the headline, text tables, CSV, HTML.

pub mod csv;
pub mod headline;
pub mod html;
pub mod model;
pub mod table;
pub mod xlsx;

use jingmin::CaseKind;

/// `3214` → `3,214`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Seconds as whole minutes for people, rounded half up, in the headline
/// and every table alike: `24`, `10` (for 9.6 minutes); a time that would
/// round to nothing is `<1` (a response is always some seconds later), and
/// no time at all is `0`.
pub fn minutes(seconds: i64) -> String {
    match seconds {
        s if s <= 0 => "0".to_owned(),
        s if s < 30 => "<1".to_owned(),
        s => (s / 60 + i64::from(s % 60 >= 30)).to_string(),
    }
}

/// A share as a percentage with one decimal; `—` when undefined.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) if s.is_finite() => format!("{:.1}%", s * 100.0),
        _ => "—".to_owned(),
    }
}

/// `28800` → `+08:00`.
pub fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// The Chinese name of a case kind.
pub fn case_kind_name(k: CaseKind) -> &'static str {
    match k {
        CaseKind::Service => "便民服务",
        CaseKind::Dispute => "化解矛盾",
        CaseKind::Anomaly => "异常报告",
        CaseKind::Inquiry => "求证咨询",
        CaseKind::VictimReport => "受害报告",
    }
}

/// The label of a first-response bucket: `≤5分钟`, `≤1小时`, `>24小时`.
pub fn bucket_label(up_to: Option<i64>, previous: Option<i64>) -> String {
    fn span(s: i64) -> String {
        if s % 3600 == 0 {
            format!("{}小时", s / 3600)
        } else {
            format!("{}分钟", s / 60)
        }
    }
    match (up_to, previous) {
        (Some(b), _) => format!("≤{}", span(b)),
        (None, Some(p)) => format!(">{}", span(p)),
        (None, None) => "全部".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(3214), "3,214");
        assert_eq!(thousands(1234567), "1,234,567");
        // One format: whole minutes, half up; never a decimal.
        assert_eq!(minutes(0), "0");
        assert_eq!(minutes(1), "<1");
        assert_eq!(minutes(29), "<1");
        assert_eq!(minutes(30), "1");
        assert_eq!(minutes(89), "1");
        assert_eq!(minutes(90), "2");
        assert_eq!(minutes(300), "5");
        assert_eq!(minutes(574), "10");
        assert_eq!(minutes(599), "10");
        assert_eq!(minutes(600), "10");
        assert_eq!(minutes(3629), "60");
        assert_eq!(minutes(3630), "61");
        assert_eq!(minutes(i64::MAX), (i64::MAX / 60).to_string());
        for s in [1, 45, 577, 5_999, 86_400] {
            assert!(!minutes(s).contains('.'), "{s}: {}", minutes(s));
        }
        assert_eq!(percent(Some(0.875)), "87.5%");
        assert_eq!(percent(None), "—");
        assert_eq!(format_offset(28800), "+08:00");
        assert_eq!(format_offset(-19800), "-05:30");
        assert_eq!(bucket_label(Some(300), None), "≤5分钟");
        assert_eq!(bucket_label(Some(3600), Some(1800)), "≤1小时");
        assert_eq!(bucket_label(None, Some(86400)), ">24小时");
    }
}
