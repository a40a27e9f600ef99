//! The report's tables, shared by the text, CSV and HTML renderers.

use jingmin::{CaseFigures, CaseKind, Category, FraudType, MessageFigures, RejectReason, Report, Role, Stance};

use super::case_kind_name;
use crate::args::TableName;

/// One value of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text (a name, a day, a code).
    Text(String),
    /// A count.
    Count(u64),
    /// A share between 0 and 1; `None` when undefined.
    Share(Option<f64>),
    /// A duration in seconds; `None` when undefined.
    Seconds(Option<i64>),
    /// A calendar day, `YYYY-MM-DD` (a date in Excel).
    Day(String),
    /// An instant, RFC 3339 in the report's offset (a date and time in
    /// Excel, shown without the offset).
    Time(String),
    /// An amount of money in yuan.
    Money(f64),
    /// A figure that cannot be known (a group without any police sender):
    /// `未知`, an empty CSV field.
    Unknown,
}

impl Cell {
    /// Whether the column is numeric (right-aligned).
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Day(_) | Cell::Time(_))
    }

    /// A number for sorting (HTML), `None` for text and undefined values.
    pub fn sort_key(&self) -> Option<f64> {
        match self {
            Cell::Text(_) | Cell::Day(_) | Cell::Time(_) | Cell::Unknown => None,
            Cell::Count(n) => Some(*n as f64),
            Cell::Share(s) => *s,
            Cell::Seconds(s) => s.map(|v| v as f64),
            Cell::Money(m) => Some(*m),
        }
    }
}

/// One column: its CSV key and its Chinese label.
#[derive(Clone, Debug)]
pub struct Column {
    /// The CSV header (stable, snake_case, as in the JSON report).
    pub key: String,
    /// The header people read.
    pub label: String,
    /// Only in the full (CSV) table: too wide for a terminal.
    pub full_only: bool,
}

fn col(key: &str, label: &str) -> Column {
    Column { key: key.to_owned(), label: label.to_owned(), full_only: false }
}

fn full(key: &str, label: &str) -> Column {
    Column { key: key.to_owned(), label: label.to_owned(), full_only: true }
}

/// A table: a title, columns, rows (each as long as `columns`).
#[derive(Clone, Debug)]
pub struct Table {
    pub title: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The same table without the full-only columns.
    pub fn narrow(&self) -> Table {
        let keep: Vec<bool> = self.columns.iter().map(|c| !c.full_only).collect();
        let pick = |row: &Vec<Cell>| -> Vec<Cell> {
            row.iter().zip(&keep).filter(|(_, k)| **k).map(|(c, _)| c.clone()).collect()
        };
        Table {
            title: self.title,
            columns: self.columns.iter().filter(|c| !c.full_only).cloned().collect(),
            rows: self.rows.iter().map(pick).collect(),
        }
    }
}

fn count<K: Ord>(m: &std::collections::BTreeMap<K, u64>, k: &K) -> u64 {
    m.get(k).copied().unwrap_or(0)
}

/// Build a table. `full` (CSV): every row of fixed tables, no total rows
/// that a program could double count except where a figure cannot be
/// derived (the `all` row of cases). Otherwise (people): rows that are all
/// zero are left out of the fraud table and totals are added.
pub fn build(r: &Report, name: TableName, full_rows: bool) -> Table {
    match name {
        TableName::Categories => categories(r),
        TableName::Groups => groups(r, full_rows),
        TableName::Days => days(r),
        TableName::Fraud => fraud(r, full_rows),
        TableName::Cases => cases(r),
        TableName::Indicators => indicators(r),
        TableName::Rejected => rejected(r),
        TableName::Weeks => spans(&r.weeks, "week", "周", "按周统计"),
        TableName::Months => spans(&r.months, "month", "月份", "按月统计"),
        TableName::Officers => officers(r),
        TableName::Ranking => ranking(r),
        TableName::Solicitations => solicitations(r),
        TableName::OpenCases => open_cases(r),
        TableName::Victims => victims(r),
        TableName::Comparison => comparison(r),
    }
}

/// How a group is shown: the name given for it (`--group-names`), else as
/// the exports name it.
pub fn group_label<'a>(r: &'a Report, group: &'a str) -> &'a str {
    r.groups
        .binary_search_by(|g| g.group.as_str().cmp(group))
        .ok()
        .and_then(|i| r.groups.get(i))
        .and_then(|g| g.name.as_deref())
        .unwrap_or(group)
}

/// The note of a group without any police sender.
pub const NO_POLICE_NOTE: &str = "本群未识别到民警发言";

/// A message text for one table cell: line breaks as spaces.
fn one_line(text: Option<&str>) -> Cell {
    Cell::Text(text.unwrap_or("").split(['\n', '\r']).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "))
}

fn opt_text(s: Option<&str>) -> Cell {
    Cell::Text(s.unwrap_or("").to_owned())
}

/// The Chinese name of a reject reason.
fn reason_name(r: RejectReason) -> &'static str {
    match r {
        RejectReason::MissingGroup => "缺群名",
        RejectReason::MissingTime => "缺时间",
        RejectReason::InvalidTime => "时间无法读取或不合理",
        RejectReason::Unreadable => "格式错误、未能读取",
    }
}

fn rejected(r: &Report) -> Table {
    let columns = vec![full("reason", "原因代码"), col("name", "原因"), col("records", "记录")];
    let rows = RejectReason::ALL
        .iter()
        .map(|k| {
            vec![
                Cell::Text(k.name().to_owned()),
                Cell::Text(reason_name(*k).to_owned()),
                Cell::Count(r.messages.rejected.by_reason.get(k).copied().unwrap_or(0)),
            ]
        })
        .collect();
    Table { title: "无法计入的记录", columns, rows }
}

/// Roles in the order they are shown.
const ROLES: [Role; 3] = [Role::Police, Role::Resident, Role::Unknown];

fn categories(r: &Report) -> Table {
    let total = r.messages.total;
    let mut columns = vec![full("category", "类别代码"), col("name", "类别"), col("messages", "消息"), col("share", "占比")];
    for role in ROLES {
        columns.push(col(role.name(), role.label_zh()));
    }
    let rows = Category::ALL
        .iter()
        .map(|c| {
            let n = count(&r.messages.by_category, c);
            let mut row = vec![
                Cell::Text(c.name().to_owned()),
                Cell::Text(c.label_zh().to_owned()),
                Cell::Count(n),
                Cell::Share((total > 0).then(|| n as f64 / total as f64)),
            ];
            let by_role = r.messages.by_category_role.get(c);
            for role in &ROLES {
                row.push(Cell::Count(by_role.map_or(0, |m| count(m, role))));
            }
            row
        })
        .collect();
    Table { title: "按类别统计", columns, rows }
}

/// The columns shared by groups and days: messages by category, fraud,
/// cases.
fn figure_columns(columns: &mut Vec<Column>) {
    columns.push(col("messages", "消息"));
    for c in Category::ALL {
        columns.push(full(c.name(), c.label_zh()));
    }
    columns.push(col("police_messages", "民警发言"));
    columns.push(col("fraud_messages", "涉诈"));
    columns.push(col("solicitations", "诈骗引流"));
    columns.push(col("cases_opened", "群众咨询"));
    columns.push(col("cases_answered", "已回应"));
    columns.push(col("answered_share", "回应率"));
    columns.push(col("first_response_p50_seconds", "首次回应中位(分)"));
    columns.push(full("first_response_p90_seconds", "首次回应90%分位(分)"));
    columns.push(full("system", "系统通知"));
    columns.push(full("recalled", "撤回"));
    columns.push(full("media", "图片语音等"));
    columns.push(full("duplicates", "重复"));
    columns.push(full("rejected", "无法计入"));
}

fn figure_cells(row: &mut Vec<Cell>, m: &MessageFigures, f: &jingmin::FraudFigures, c: &CaseFigures) {
    row.push(Cell::Count(m.total));
    for cat in Category::ALL {
        row.push(Cell::Count(count(&m.by_category, cat)));
    }
    row.push(Cell::Count(count(&m.by_role, &Role::Police)));
    row.push(Cell::Count(f.messages));
    row.push(Cell::Count(count(&f.by_stance, &Stance::Solicitation)));
    row.push(Cell::Count(c.opened));
    row.push(Cell::Count(c.answered));
    row.push(Cell::Share(c.answered_share));
    row.push(Cell::Seconds(c.first_response_seconds.p50));
    row.push(Cell::Seconds(c.first_response_seconds.p90));
    row.push(Cell::Count(m.system));
    row.push(Cell::Count(m.recalled));
    row.push(Cell::Count(m.media));
    row.push(Cell::Count(m.duplicates));
    row.push(Cell::Count(m.rejected.total));
}

fn groups(r: &Report, full_rows: bool) -> Table {
    // New columns go last, so that a program reading the CSV by position
    // reads what it read before.
    let mut columns = vec![col("group", "群名")];
    figure_columns(&mut columns);
    columns.push(full("group_id", "群标识"));
    columns.push(full("cases_pending", "待回应"));
    columns.push(full("cases_unknown", "回应未知"));
    // The note is worth a column on screen only when some group needs it.
    let flagged = r.groups.iter().any(|g| !g.police_identified);
    columns.push(if flagged { col("note", "备注") } else { full("note", "备注") });
    let mut rows: Vec<Vec<Cell>> = r
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![Cell::Text(group_label(r, &g.group).to_owned())];
            figure_cells(&mut row, &g.messages, &g.fraud, &g.cases);
            row.push(Cell::Text(g.group.clone()));
            row.push(Cell::Count(g.cases.pending));
            row.push(Cell::Count(g.cases.unknown));
            if g.police_identified {
                row.push(Cell::Text(String::new()));
            } else {
                // Nobody to answer is known: the response figures are unknown, not 0.
                let at = |key: &str| columns.iter().position(|c| c.key == key);
                for key in ["cases_answered", "answered_share", "first_response_p50_seconds", "first_response_p90_seconds"] {
                    if let Some(c) = at(key).and_then(|i| row.get_mut(i)) {
                        *c = Cell::Unknown;
                    }
                }
                row.push(Cell::Text(NO_POLICE_NOTE.to_owned()));
            }
            row
        })
        .collect();
    if !full_rows && r.groups.len() > 1 {
        let mut row = vec![Cell::Text("合计".to_owned())];
        figure_cells(&mut row, &r.messages, &r.fraud, &r.cases);
        row.push(Cell::Text(String::new()));
        row.push(Cell::Count(r.cases.pending));
        row.push(Cell::Count(r.cases.unknown));
        row.push(Cell::Text(String::new()));
        rows.push(row);
    }
    Table { title: "按群统计", columns, rows }
}

fn spans(spans: &[jingmin::SpanReport], key: &str, label: &str, title: &'static str) -> Table {
    let mut columns = vec![col(key, label), col("first_day", "起始日")];
    figure_columns(&mut columns);
    let rows = spans
        .iter()
        .map(|s| {
            let mut row = vec![Cell::Text(s.label.clone()), Cell::Day(s.first_day.clone())];
            figure_cells(&mut row, &s.messages, &s.fraud, &s.cases);
            row
        })
        .collect();
    Table { title, columns, rows }
}

fn officers(r: &Report) -> Table {
    let columns = vec![
        col("officer", "民警"),
        col("groups", "所在群"),
        col("messages", "发言"),
        col("warnings", "发布预警"),
        col("answered_first", "首先回应"),
        col("first_response_p50_seconds", "首次回应中位(分)"),
        col("within_5_minutes_share", "5分钟内"),
        col("within_30_minutes_share", "30分钟内"),
    ];
    let rows = r
        .officers
        .iter()
        .map(|o| {
            let groups: Vec<&str> = o.groups.iter().map(|g| group_label(r, g)).collect();
            vec![
                Cell::Text(o.officer.clone()),
                Cell::Text(groups.join("、")),
                Cell::Count(o.messages),
                Cell::Count(o.warnings),
                Cell::Count(o.answered_first),
                Cell::Seconds(o.first_response_seconds.p50),
                Cell::Share(o.within_5_minutes_share),
                Cell::Share(o.within_30_minutes_share),
            ]
        })
        .collect();
    Table { title: "民警个人（一警一群）", columns, rows }
}

/// Groups with cases, ranked: answered share (higher first), then median
/// first response (shorter first), then name; groups without any police
/// sender last, their figures unknown.
fn ranking(r: &Report) -> Table {
    let columns = vec![
        col("rank", "名次"),
        col("group", "群名"),
        col("cases_opened", "群众咨询"),
        col("cases_answered", "已回应"),
        col("cases_pending", "待回应"),
        col("answered_share", "回应率"),
        col("first_response_p50_seconds", "首次回应中位(分)"),
    ];
    let mut ranked: Vec<&jingmin::GroupReport> = r.groups.iter().filter(|g| g.cases.opened > 0).collect();
    let key = |g: &jingmin::GroupReport| {
        (
            !g.police_identified,
            g.cases.answered_share.map(|s| std::cmp::Reverse((s * 1e9) as i64)),
            g.cases.first_response_seconds.p50.unwrap_or(i64::MAX),
        )
    };
    ranked.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        // `None` (no decided case) after every share.
        (ka.0, ka.1.is_none(), ka.1, ka.2)
            .cmp(&(kb.0, kb.1.is_none(), kb.1, kb.2))
            .then_with(|| group_label(r, &a.group).cmp(group_label(r, &b.group)))
    });
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let known = g.police_identified;
            vec![
                if known { Cell::Count(i as u64 + 1) } else { Cell::Unknown },
                Cell::Text(group_label(r, &g.group).to_owned()),
                Cell::Count(g.cases.opened),
                if known { Cell::Count(g.cases.answered) } else { Cell::Unknown },
                Cell::Count(g.cases.pending),
                if known { Cell::Share(g.cases.answered_share) } else { Cell::Unknown },
                if known { Cell::Seconds(g.cases.first_response_seconds.p50) } else { Cell::Unknown },
            ]
        })
        .collect();
    Table { title: "各群回应排名", columns, rows }
}

fn drill(r: &Report) -> Option<&jingmin::DrillDown> {
    r.drill_down.as_ref()
}

fn solicitations(r: &Report) -> Table {
    let columns = vec![
        col("time", "时间"),
        col("group", "群名"),
        col("sender", "发送者"),
        col("fraud_type", "诈骗类型"),
        col("clues", "引流线索"),
        col("text", "内容"),
    ];
    let rows = drill(r)
        .map(|d| d.solicitations.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let clues: Vec<String> = m.clues.iter().map(|c| format!("{} {}", c.kind.label_zh(), c.text)).collect();
            vec![
                Cell::Time(m.time.clone()),
                Cell::Text(group_label(r, &m.group).to_owned()),
                opt_text(m.sender.as_deref()),
                Cell::Text(m.fraud_type.label_zh().to_owned()),
                Cell::Text(clues.join("；")),
                one_line(m.text.as_deref()),
            ]
        })
        .collect();
    Table { title: "诈骗引流消息明细（待清理）", columns, rows }
}

fn open_cases(r: &Report) -> Table {
    let columns = vec![
        col("time", "时间"),
        col("group", "群名"),
        col("sender", "发送者"),
        col("kind", "咨询类型"),
        col("status", "状态"),
        col("age_seconds", "已等待(分)"),
        col("text", "内容"),
    ];
    let rows = drill(r)
        .map(|d| d.open_cases.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let status = match c.status {
                jingmin::CaseStatus::Pending => "待回应",
                _ => "未回应",
            };
            vec![
                Cell::Time(c.time.clone()),
                Cell::Text(group_label(r, &c.group).to_owned()),
                opt_text(c.sender.as_deref()),
                Cell::Text(case_kind_name(c.kind).to_owned()),
                Cell::Text(status.to_owned()),
                Cell::Seconds(Some(c.age_seconds)),
                one_line(c.text.as_deref()),
            ]
        })
        .collect();
    Table { title: "未回应与待回应的咨询", columns, rows }
}

fn victims(r: &Report) -> Table {
    let columns = vec![
        col("time", "时间"),
        col("group", "群名"),
        col("sender", "发送者"),
        col("fraud_type", "诈骗类型"),
        col("amount_yuan", "涉及金额(元)"),
        col("text", "内容"),
    ];
    let rows = drill(r)
        .map(|d| d.victim_reports.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|v| {
            vec![
                Cell::Time(v.time.clone()),
                Cell::Text(group_label(r, &v.group).to_owned()),
                opt_text(v.sender.as_deref()),
                Cell::Text(v.fraud_type.label_zh().to_owned()),
                Cell::Money(v.amount_yuan),
                one_line(v.text.as_deref()),
            ]
        })
        .collect();
    Table { title: "受害报告明细", columns, rows }
}

fn comparison(r: &Report) -> Table {
    let columns = vec![
        full("figure", "指标代码"),
        col("name", "指标"),
        col("current", "本期"),
        col("previous", "上期"),
        col("change", "变化"),
    ];
    let Some(p) = &r.previous else {
        return Table { title: "与上期对比（--compare-previous）", columns, rows: Vec::new() };
    };
    let sol = |f: &jingmin::FraudFigures| count(&f.by_stance, &Stance::Solicitation);
    let signed = |d: i64| Cell::Text(if d > 0 { format!("+{d}") } else { d.to_string() });
    let mut rows = vec![
        ("messages", "消息", r.messages.total, p.messages.total, p.change.messages),
        ("fraud_messages", "涉诈消息", r.fraud.messages, p.fraud.messages, p.change.fraud_messages),
        ("solicitations", "诈骗引流", sol(&r.fraud), sol(&p.fraud), p.change.solicitations),
        ("cases_opened", "群众咨询", r.cases.opened, p.cases.opened, p.change.cases_opened),
        ("cases_answered", "已回应", r.cases.answered, p.cases.answered, p.change.cases_answered),
    ]
    .into_iter()
    .map(|(k, name, a, b, d)| {
        vec![Cell::Text(k.to_owned()), Cell::Text(name.to_owned()), Cell::Count(a), Cell::Count(b), signed(d)]
    })
    .collect::<Vec<_>>();
    rows.push(vec![
        Cell::Text("answered_share".to_owned()),
        Cell::Text("回应率".to_owned()),
        Cell::Share(r.cases.answered_share),
        Cell::Share(p.cases.answered_share),
        Cell::Text(p.change.answered_share_points.map_or("—".to_owned(), |d| format!("{d:+.1} 个百分点"))),
    ]);
    rows.push(vec![
        Cell::Text("first_response_p50_seconds".to_owned()),
        Cell::Text("首次回应中位(分)".to_owned()),
        Cell::Seconds(r.cases.first_response_seconds.p50),
        Cell::Seconds(p.cases.first_response_seconds.p50),
        Cell::Text(p.change.first_response_p50_seconds.map_or("—".to_owned(), |d| {
            let m = super::minutes(d.abs());
            if d < 0 { format!("-{m}") } else { format!("+{m}") }
        })),
    ]);
    Table { title: "与上期对比", columns, rows }
}

fn days(r: &Report) -> Table {
    let mut columns = vec![col("day", "日期")];
    figure_columns(&mut columns);
    let rows = r
        .days
        .iter()
        .map(|d| {
            let mut row = vec![Cell::Day(d.day.clone())];
            figure_cells(&mut row, &d.messages, &d.fraud, &d.cases);
            row
        })
        .collect();
    Table { title: "按日统计", columns, rows }
}

/// Stances in the order they are shown.
const STANCES: [Stance; 5] = [Stance::Warning, Stance::Inquiry, Stance::Solicitation, Stance::VictimReport, Stance::None];

fn fraud(r: &Report, full_rows: bool) -> Table {
    let mut columns = vec![full("fraud_type", "类型代码"), col("name", "诈骗类型"), col("messages", "涉诈消息")];
    for s in STANCES {
        columns.push(col(s.name(), if s == Stance::None { "未定态度" } else { s.label_zh() }));
    }
    let mut rows = Vec::new();
    for t in FraudType::ALL.iter().filter(|t| **t != FraudType::None) {
        let n = count(&r.fraud.by_type, t);
        if n == 0 && !full_rows {
            continue;
        }
        let mut row = vec![Cell::Text(t.name().to_owned()), Cell::Text(t.label_zh().to_owned()), Cell::Count(n)];
        let by_stance = r.fraud.by_type_stance.get(t);
        for s in STANCES {
            row.push(Cell::Count(by_stance.map_or(0, |m| count(m, &s))));
        }
        rows.push(row);
    }
    if !full_rows {
        let mut row = vec![Cell::Text("all".to_owned()), Cell::Text("合计".to_owned()), Cell::Count(r.fraud.messages)];
        for s in STANCES {
            row.push(Cell::Count(count(&r.fraud.by_stance, &s)));
        }
        rows.push(row);
    }
    Table { title: "涉诈消息：类型与态度", columns, rows }
}

fn cases(r: &Report) -> Table {
    let columns = vec![
        full("kind", "类型代码"),
        col("name", "咨询类型"),
        col("opened", "群众咨询"),
        col("answered", "已回应"),
        col("unanswered", "未回应"),
        col("answered_share", "回应率"),
        col("first_response_p50_seconds", "首次回应中位(分)"),
        col("first_response_p90_seconds", "90%分位(分)"),
        col("first_response_max_seconds", "最长(分)"),
        // Added in report version 2; last, for programs that read by position.
        col("pending", "待回应"),
        full("unknown", "回应未知"),
    ];
    let row = |code: &str, name: &str, c: &jingmin::CaseKindFigures| {
        vec![
            Cell::Text(code.to_owned()),
            Cell::Text(name.to_owned()),
            Cell::Count(c.opened),
            Cell::Count(c.answered),
            Cell::Count(c.unanswered),
            Cell::Share(c.answered_share),
            Cell::Seconds(c.first_response_seconds.p50),
            Cell::Seconds(c.first_response_seconds.p90),
            Cell::Seconds(c.first_response_seconds.max),
            Cell::Count(c.pending),
            Cell::Count(c.unknown),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = CaseKind::ALL
        .iter()
        .filter_map(|k| r.cases.by_kind.get(k).map(|c| row(k.name(), case_kind_name(*k), c)))
        .collect();
    let all = jingmin::CaseKindFigures {
        opened: r.cases.opened,
        answered: r.cases.answered,
        unanswered: r.cases.unanswered,
        pending: r.cases.pending,
        unknown: r.cases.unknown,
        answered_share: r.cases.answered_share,
        first_response_seconds: r.cases.first_response_seconds,
    };
    rows.push(row("all", "合计", &all));
    Table { title: "群众咨询与回应", columns, rows }
}

fn indicators(r: &Report) -> Table {
    let columns = vec![full("kind", "类别代码"), col("kind_name", "类别"), col("text", "引流线索"), col("messages", "引流消息")];
    let rows = r
        .fraud
        .solicitation_indicators
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.kind.name().to_owned()),
                Cell::Text(i.kind.label_zh().to_owned()),
                Cell::Text(i.text.clone()),
                Cell::Count(i.messages),
            ]
        })
        .collect();
    Table { title: "诈骗引流线索（电话、网址、微信号、QQ号）", columns, rows }
}
