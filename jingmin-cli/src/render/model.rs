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
}

impl Cell {
    /// Whether the column is numeric (right-aligned).
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }

    /// A number for sorting (HTML), `None` for text and undefined values.
    pub fn sort_key(&self) -> Option<f64> {
        match self {
            Cell::Text(_) => None,
            Cell::Count(n) => Some(*n as f64),
            Cell::Share(s) => *s,
            Cell::Seconds(s) => s.map(|v| v as f64),
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
    }
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
    let mut columns = vec![col("group", "群名")];
    figure_columns(&mut columns);
    let mut rows: Vec<Vec<Cell>> = r
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![Cell::Text(g.group.clone())];
            figure_cells(&mut row, &g.messages, &g.fraud, &g.cases);
            row
        })
        .collect();
    if !full_rows && r.groups.len() > 1 {
        let mut row = vec![Cell::Text("合计".to_owned())];
        figure_cells(&mut row, &r.messages, &r.fraud, &r.cases);
        rows.push(row);
    }
    Table { title: "按群统计", columns, rows }
}

fn days(r: &Report) -> Table {
    let mut columns = vec![col("day", "日期")];
    figure_columns(&mut columns);
    let rows = r
        .days
        .iter()
        .map(|d| {
            let mut row = vec![Cell::Text(d.day.clone())];
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
