//! The text report: headline, then aligned tables. Column widths count
//! display columns (CJK and full-width characters take two), so that tables
//! line up in a terminal with a CJK font.

use jingmin::Report;

use super::headline::{details, headline};
use super::model::{build, Cell, Table};
use super::{minutes, percent, thousands};
use crate::args::{By, TableName};

/// The display width of a character in a terminal: 0 for combining marks
/// and zero-width characters, 2 for East Asian wide and full-width ones
/// (CJK ideographs and punctuation, kana, hangul, full-width forms, most
/// emoji), 1 otherwise.
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    match u {
        0x0300..=0x036F | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// The display width of a string.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Text safe for a terminal: control characters (escape sequences, line
/// breaks, tabs) become U+FFFD so that names cannot move the cursor or
/// break a row.
pub fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect()
}

/// A cell as people read it.
pub fn display(c: &Cell) -> String {
    match c {
        Cell::Text(s) => sanitize(s),
        Cell::Count(n) => thousands(*n),
        Cell::Share(s) => percent(*s),
        Cell::Seconds(Some(s)) => minutes(*s),
        Cell::Seconds(None) => "—".to_owned(),
        Cell::Day(d) => sanitize(d),
        // `2024-03-01T10:05:00+08:00` → `2024-03-01 10:05` (the offset is the report's).
        Cell::Time(t) => sanitize(&t.get(..16).unwrap_or(t).replacen('T', " ", 1)),
        Cell::Money(m) => format!("{m:.2}"),
        Cell::Unknown => "未知".to_owned(),
    }
}

fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// One table as aligned text: a title, a header, a rule, the rows.
pub fn render_table(t: &Table) -> String {
    let cells: Vec<Vec<String>> = t.rows.iter().map(|r| r.iter().map(display).collect()).collect();
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| t.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::is_numeric))
        .collect();
    let widths: Vec<usize> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| cells.iter().filter_map(|r| r.get(i)).map(|s| width(s)).chain([width(&c.label)]).max().unwrap_or(0))
        .collect();
    let line = |items: Vec<String>| -> String {
        let mut s = items.join("  ");
        while s.ends_with(' ') {
            s.pop();
        }
        s.push('\n');
        s
    };
    let mut out = format!("【{}】\n", t.title);
    out.push_str(&line(
        t.columns.iter().enumerate().map(|(i, c)| pad(&c.label, widths[i], numeric[i])).collect(),
    ));
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    if cells.is_empty() {
        out.push_str("（无）\n");
    }
    for row in &cells {
        out.push_str(&line(row.iter().enumerate().map(|(i, s)| pad(s, widths[i], numeric[i])).collect()));
    }
    out
}

/// The text report: the headline and its details, then every table (or
/// only `only`).
pub fn render(r: &Report, only: Option<TableName>, by: By) -> String {
    let mut out = String::new();
    out.push_str(&headline(r));
    out.push('\n');
    for d in details(r) {
        out.push_str(&d);
        out.push('\n');
    }
    let time_table = match by {
        By::Day => TableName::Days,
        By::Week => TableName::Weeks,
        By::Month => TableName::Months,
    };
    let names: Vec<TableName> = match only {
        Some(t) => vec![t],
        None => TableName::ALL
            .iter()
            .copied()
            .filter(|t| !matches!(t, TableName::Days | TableName::Weeks | TableName::Months) || *t == time_table)
            .filter(|t| *t != TableName::Comparison || r.previous.is_some())
            .collect(),
    };
    for name in names {
        out.push('\n');
        let mut t = build(r, name, false).narrow();
        let capped = cap(&mut t, name);
        if is_list(name) {
            // A terminal line holds a glimpse of the text; the CSV, JSON and
            // xlsx outputs hold all of it.
            if let Some(i) = t.columns.iter().position(|c| c.key == "text") {
                for row in &mut t.rows {
                    if let Some(Cell::Text(s)) = row.get_mut(i) {
                        *s = glimpse(s, TEXT_WIDTH);
                    }
                }
            }
        }
        out.push_str(&render_table(&t));
        if let Some(total) = capped {
            out.push_str(&format!(
                "… 共 {} 条，以上为前 {LIST_ROWS} 条；完整列表：--format csv --table {}（或 --format json、xlsx）\n",
                thousands(total as u64),
                name.name()
            ));
        }
        if name == TableName::Groups && r.groups.iter().any(|g| !g.police_identified && g.messages.total > 0) {
            out.push_str(&format!(
                "注：标“{}”的群，回应情况未知（不是 0%）；请用 --roster 指明民警，或在民警本人导出时加 --exported-by-police。\n",
                super::model::NO_POLICE_NOTE
            ));
        }
    }
    out
}

/// The display width of a message text in a drill-down list of the text
/// report.
const TEXT_WIDTH: usize = 48;

/// `s` cut to `w` display columns, with `…` when cut.
fn glimpse(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > w - 1 {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// How many rows of a drill-down list the text report prints.
pub const LIST_ROWS: usize = 20;

/// Cut a drill-down list to [`LIST_ROWS`] rows, as the text report and the
/// page show it; `Some(rows it had)` when it was cut.
pub fn cap(t: &mut Table, name: TableName) -> Option<usize> {
    let total = t.rows.len();
    (is_list(name) && total > LIST_ROWS).then(|| {
        t.rows.truncate(LIST_ROWS);
        total
    })
}

/// Whether a table is a drill-down list (capped in text and HTML, full in
/// CSV, JSON and xlsx).
pub fn is_list(name: TableName) -> bool {
    matches!(name, TableName::Solicitations | TableName::OpenCases | TableName::Victims)
}

#[cfg(test)]
mod tests {
    use super::super::model::Column;
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("警民群"), 6);
        assert_eq!(width("ＡＢ"), 4);
        assert_eq!(width("，。"), 4);
        assert_eq!(width("e\u{301}"), 1);
        assert_eq!(sanitize("a\u{1b}[31mb\n"), "a\u{FFFD}[31mb\u{FFFD}");
    }

    #[test]
    fn columns_line_up_in_display_width() {
        let t = Table {
            title: "t",
            columns: vec![
                Column { key: "g".into(), label: "群名".into(), full_only: false },
                Column { key: "n".into(), label: "消息".into(), full_only: false },
            ],
            rows: vec![
                vec![Cell::Text("幸福社区警民群".into()), Cell::Count(1234)],
                vec![Cell::Text("abc".into()), Cell::Count(5)],
            ],
        };
        let s = render_table(&t);
        let lines: Vec<&str> = s.lines().skip(1).collect();
        // Every line ends at the same display column (numbers right-aligned).
        let w: Vec<usize> = lines.iter().map(|l| width(l)).collect();
        assert!(w.iter().all(|x| *x == w[0]), "{s}\n{w:?}");
        assert!(lines[2].starts_with("幸福社区警民群  1,234"), "{s}");
    }
}
