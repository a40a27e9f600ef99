//! CSV: one table, with a header row of stable keys, quoted per RFC 4180
//! (CRLF line ends; fields with a comma, quote or line break in quotes,
//! quotes doubled).
//!
//! Text cells come from the exports (anyone in a WeChat group can rename
//! it), so no cell may become a formula in Excel or WPS: control characters
//! are dropped, and a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'` and quotes, as OWASP recommends
//! against CSV injection.

use jingmin::Report;

use super::model::{build, Cell};
use crate::args::TableName;

/// A field, quoted when needed: control characters dropped, a would-be
/// formula neutralised with a leading `'`.
pub fn field(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn value(c: &Cell) -> String {
    match c {
        Cell::Text(s) => field(s),
        Cell::Count(n) => n.to_string(),
        Cell::Share(Some(s)) if s.is_finite() => {
            let v = format!("{s:.4}");
            let v = v.trim_end_matches('0');
            v.strip_suffix('.').unwrap_or(v).to_owned()
        }
        Cell::Seconds(Some(s)) => s.to_string(),
        Cell::Day(d) | Cell::Time(d) => field(d),
        Cell::Money(m) => format!("{m:.2}"),
        Cell::Share(_) | Cell::Seconds(None) | Cell::Unknown => String::new(),
    }
}

/// The table `name` as CSV: every column and, for fixed tables, every row.
pub fn render(r: &Report, name: TableName) -> String {
    let t = build(r, name, true);
    let mut out = String::new();
    let header: Vec<String> = t.columns.iter().map(|c| field(&c.key)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(value).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "twolines");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1+cmd|' /C calc'!A0"), "\"'+1+cmd|' /C calc'!A0\"");
        assert_eq!(field("-2"), "\"'-2\"");
        assert_eq!(field("@SUM(1)"), "\"'@SUM(1)\"");
        assert_eq!(field("\t=1"), "\"'=1\"");
        assert_eq!(field("a\u{1b}[31mb\u{7}"), "a[31mb");
        assert_eq!(field("警民群-1"), "警民群-1");
        assert_eq!(value(&Cell::Share(Some(0.5))), "0.5");
        assert_eq!(value(&Cell::Share(Some(1.0))), "1");
        assert_eq!(value(&Cell::Share(Some(2.0 / 3.0))), "0.6667");
        assert_eq!(value(&Cell::Share(None)), "");
        assert_eq!(value(&Cell::Seconds(Some(300))), "300");
    }
}
