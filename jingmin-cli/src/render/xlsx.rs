//! The Excel workbook (`--format xlsx`): a sheet 概况 with the headline and
//! the settings, then one sheet per table (every row and column, as CSV
//! has them), headers in Chinese, numbers as numbers, days as dates and
//! times as date-times.
//!
//! Cells are written by type: text is always a string cell, never a formula,
//! whatever it begins with (group and sender names come from the exports).
//! Shares are fractions shown as percentages; durations are minutes (the
//! headers say 分); money is yuan.

use jingmin::Report;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::headline::{details, headline};
use super::model::{build, Cell, Table};
use crate::args::TableName;

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str, used: &mut Vec<String>) -> String {
    let mut name: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    // Titles are distinct; a clash could only come from the cut.
    let mut n = 2;
    while used.contains(&name) {
        let suffix = format!("_{n}");
        name = name.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    used.push(name.clone());
    name
}

/// Text without control characters (a line break becomes a space).
fn clean(s: &str) -> String {
    s.chars().filter_map(|c| if c == '\n' { Some(' ') } else if c.is_control() { None } else { Some(c) }).collect()
}

/// `2024-03-01` or `2024-03-01T10:05:00+08:00` as Excel reads it (local
/// to the report's offset).
fn excel_time(s: &str) -> Option<ExcelDateTime> {
    let local = s.get(..19).map(|t| t.replacen('T', " ", 1)).unwrap_or_else(|| s.to_owned());
    ExcelDateTime::parse_from_str(&local).ok()
}

struct Formats {
    header: Format,
    percent: Format,
    minutes: Format,
    money: Format,
    day: Format,
    time: Format,
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, c: &Cell, f: &Formats) -> Result<(), XlsxError> {
    match c {
        Cell::Text(s) => {
            let s = clean(s);
            if !s.is_empty() {
                ws.write_string(row, col, s)?;
            }
        }
        Cell::Count(n) => {
            ws.write_number(row, col, *n as f64)?;
        }
        Cell::Share(Some(v)) if v.is_finite() => {
            ws.write_number_with_format(row, col, *v, &f.percent)?;
        }
        Cell::Seconds(Some(s)) => {
            ws.write_number_with_format(row, col, *s as f64 / 60.0, &f.minutes)?;
        }
        Cell::Money(m) => {
            ws.write_number_with_format(row, col, *m, &f.money)?;
        }
        Cell::Day(d) => match excel_time(d) {
            Some(t) => {
                ws.write_datetime_with_format(row, col, &t, &f.day)?;
            }
            None => {
                ws.write_string(row, col, clean(d))?;
            }
        },
        Cell::Time(t) => match excel_time(t) {
            Some(v) => {
                ws.write_datetime_with_format(row, col, &v, &f.time)?;
            }
            None => {
                ws.write_string(row, col, clean(t))?;
            }
        },
        Cell::Unknown => {
            ws.write_string(row, col, "未知")?;
        }
        Cell::Share(_) | Cell::Seconds(None) => {}
    }
    Ok(())
}

fn write_table(ws: &mut Worksheet, t: &Table, f: &Formats) -> Result<(), XlsxError> {
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, &c.label, &f.header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (i, c) in row.iter().enumerate() {
            write_cell(ws, r as u32 + 1, i as u16, c, f)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    Ok(())
}

/// The workbook, as bytes; `meta` gives the title, unit, inputs and time
/// of the run for the sheet 概况.
pub fn render(r: &Report, meta: &super::html::Meta) -> Result<Vec<u8>, XlsxError> {
    let f = Formats {
        header: Format::new().set_bold(),
        percent: Format::new().set_num_format("0.0%"),
        minutes: Format::new().set_num_format("0.0"),
        money: Format::new().set_num_format("#,##0.00"),
        day: Format::new().set_num_format("yyyy-mm-dd"),
        time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    };
    let mut book = Workbook::new();
    let mut used = Vec::new();

    let ws = book.add_worksheet();
    ws.set_name(sheet_name("概况", &mut used))?;
    let title = [meta.unit.as_deref(), Some(meta.title.as_deref().unwrap_or(super::html::DEFAULT_TITLE))]
        .into_iter()
        .flatten()
        .map(clean)
        .collect::<Vec<_>>()
        .join(" ");
    ws.write_string_with_format(0, 0, title, &f.header)?;
    ws.write_string(1, 0, clean(&headline(r)))?;
    let mut row = 2;
    for d in details(r) {
        ws.write_string(row, 0, clean(&d))?;
        row += 1;
    }
    let made = jingmin::format_time(meta.generated_at, r.settings.utc_offset_seconds);
    ws.write_string(row, 0, format!("生成时间：{}", super::headline::short_time(&made)))?;
    ws.write_string(row + 1, 0, format!("数据来源：{}", clean(&meta.inputs.join("、"))))?;
    ws.set_column_width(0, 120)?;

    for name in TableName::ALL {
        let t = build(r, *name, true);
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(t.title, &mut used))?;
        write_table(ws, &t, &f)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("a/b:c", &mut used), "abc");
        let long = "诈".repeat(40);
        let first = sheet_name(&long, &mut used);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(&long, &mut used);
        assert_ne!(first, second);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("_2"));
    }

    #[test]
    fn times_are_read_as_local() {
        assert!(excel_time("2024-03-01").is_some());
        assert!(excel_time("2024-03-01T10:05:00+08:00").is_some());
        assert!(excel_time("week 9").is_none());
        assert_eq!(clean("a\u{1b}b\nc"), "ab c");
    }
}
