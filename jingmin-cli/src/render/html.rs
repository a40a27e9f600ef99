//! The HTML report: one self-contained page (no network, no external
//! scripts, styles or fonts) that opens offline in old browsers. Charts are
//! inline SVG drawn here; the per-group table sorts on a header click with a
//! few lines of ES3 JavaScript, and reads fine without it. Every piece of
//! text from the data is escaped.

use std::fmt::Write as _;

use jingmin::{Category, FraudType, Report, Stance};

use super::headline::{details, headline};
use super::model::{build, Cell, Table};
use super::table::display;
use super::{bucket_label, thousands};
use crate::args::TableName;

/// Text for HTML content and attribute values: `& < > " '` as entities, and
/// control characters (but tab and line feed) as U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Colours of the eight categories, in `Category::ALL` order.
const CATEGORY_COLOURS: [&str; 8] =
    ["#9e9e9e", "#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#17becf", "#8c564b", "#e377c2"];

fn category_colour(c: Category) -> &'static str {
    let i = Category::ALL.iter().position(|x| *x == c).unwrap_or(0);
    CATEGORY_COLOURS.get(i).copied().unwrap_or("#9e9e9e")
}

fn stance_colour(s: Stance) -> &'static str {
    match s {
        Stance::Warning => "#2ca02c",
        Stance::Inquiry => "#1f77b4",
        Stance::Solicitation => "#d62728",
        Stance::VictimReport => "#ff7f0e",
        Stance::None => "#9e9e9e",
    }
}

/// A round axis maximum and step (1, 2 or 5 × 10ⁿ) for values up to `max`.
fn nice_scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let rough = max.saturating_add(4) / 5;
    let mut magnitude = 1u64;
    while magnitude.saturating_mul(10) <= rough {
        magnitude = magnitude.saturating_mul(10);
    }
    let step = [1u64, 2, 5, 10].iter().map(|m| m.saturating_mul(magnitude)).find(|s| *s >= rough).unwrap_or(rough);
    let top = max.div_ceil(step).saturating_mul(step);
    (top, step)
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

const SVG_OPEN: &str = "<svg class=\"chart\" version=\"1.1\" role=\"img\"";

/// Daily content messages stacked by category, with a legend.
fn daily_chart(r: &Report) -> String {
    let (w, h) = (960.0_f64, 354.0_f64);
    let (left, right, top, bottom) = (56.0, 12.0, 26.0, 84.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        "{SVG_OPEN} id=\"chart-daily\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-label=\"每日消息（按类别堆叠）\">"
    );
    let max = r.days.iter().map(|d| d.messages.total).max().unwrap_or(0);
    let (ymax, step) = nice_scale(max);
    // The unit of the y axis, above its labels.
    let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">条</text>", f(left - 6.0), f(top - 10.0));
    // Grid and y axis labels.
    let mut t = 0;
    while t <= ymax {
        let y = top + ph - ph * t as f64 / ymax as f64;
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            f(left),
            f(y),
            f(left + pw),
            f(y),
            f(left - 6.0),
            f(y + 4.0),
            thousands(t)
        );
        t += step;
    }
    let n = r.days.len();
    if n == 0 {
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"middle\">无数据</text>", f(left + pw / 2.0), f(top + ph / 2.0));
    }
    let band = pw / n.max(1) as f64;
    let bar = (band * 0.8).max(1.0);
    let label_every = n.div_ceil(12).max(1);
    for (i, d) in r.days.iter().enumerate() {
        let x = left + band * i as f64 + (band - bar) / 2.0;
        let mut y = top + ph;
        s.push_str("<g>");
        for c in Category::ALL {
            let v = d.messages.by_category.get(c).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let bh = ph * v as f64 / ymax as f64;
            y -= bh;
            let _ = write!(
                s,
                "<rect class=\"cat-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {} {} 条</title></rect>",
                c.name(),
                f(x),
                f(y),
                f(bar),
                f(bh),
                category_colour(*c),
                escape(&d.day),
                c.label_zh(),
                thousands(v)
            );
        }
        s.push_str("</g>");
        if i % label_every == 0 {
            let label = d.day.get(5..).unwrap_or(&d.day);
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                f(x + bar / 2.0),
                f(top + ph + 16.0),
                escape(label)
            );
        }
    }
    let _ = write!(s, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>", f(left), f(top + ph), f(left + pw), f(top + ph));
    // Legend: Chinese category names.
    s.push_str("<g class=\"legend\">");
    for (i, c) in Category::ALL.iter().enumerate() {
        let x = left + (i % 4) as f64 * 200.0;
        let y = top + ph + 36.0 + (i / 4) as f64 * 20.0;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            f(x),
            f(y),
            category_colour(*c),
            f(x + 18.0),
            f(y + 11.0),
            c.label_zh()
        );
    }
    s.push_str("</g></svg>");
    s
}

/// Horizontal bars: one row per item (label, value, colour).
fn hbar_chart(id: &str, aria: &str, items: &[(String, u64, &str)]) -> String {
    let (w, row, left, right, top) = (640.0_f64, 26.0_f64, 170.0, 70.0, 8.0);
    let h = top * 2.0 + row * items.len().max(1) as f64;
    let pw = w - left - right;
    let mut s = String::new();
    let _ = write!(
        s,
        "{SVG_OPEN} id=\"{id}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-label=\"{}\">",
        escape(aria)
    );
    if items.is_empty() {
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"13\">无</text>", f(left), f(top + 17.0));
    }
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    for (i, (label, v, colour)) in items.iter().enumerate() {
        let y = top + row * i as f64;
        let bw = pw * *v as f64 / max as f64;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            f(left - 8.0),
            f(y + 17.0),
            escape(label),
            f(left),
            f(y + 4.0),
            f(bw),
            f(row - 8.0),
            colour,
            escape(label),
            thousands(*v),
            f(left + bw + 6.0),
            f(y + 17.0),
            thousands(*v)
        );
    }
    s.push_str("</svg>");
    s
}

fn fraud_type_chart(r: &Report) -> String {
    let mut items: Vec<(String, u64, &str)> = FraudType::ALL
        .iter()
        .filter(|t| **t != FraudType::None)
        .filter_map(|t| {
            let n = r.fraud.by_type.get(t).copied().unwrap_or(0);
            (n > 0).then(|| (t.label_zh().to_owned(), n, "#d62728"))
        })
        .collect();
    items.sort_by_key(|b| std::cmp::Reverse(b.1));
    hbar_chart("chart-fraud-types", "涉诈消息按诈骗类型", &items)
}

fn fraud_stance_chart(r: &Report) -> String {
    let items: Vec<(String, u64, &str)> = [Stance::Warning, Stance::Inquiry, Stance::Solicitation, Stance::VictimReport, Stance::None]
        .iter()
        .map(|s| {
            let label = if *s == Stance::None { "未定态度" } else { s.label_zh() };
            (label.to_owned(), r.fraud.by_stance.get(s).copied().unwrap_or(0), stance_colour(*s))
        })
        .collect();
    hbar_chart("chart-fraud-stances", "涉诈消息按态度", &items)
}

/// The first-response histogram: vertical bars over fixed buckets.
fn response_chart(r: &Report) -> String {
    let buckets = &r.cases.first_response_histogram;
    let (w, h) = (640.0_f64, 260.0_f64);
    let (left, right, top, bottom) = (40.0, 10.0, 20.0, 40.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        "{SVG_OPEN} id=\"chart-response\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" aria-label=\"首次回应时间分布\">"
    );
    let max = buckets.iter().map(|b| b.cases).max().unwrap_or(0).max(1);
    let band = pw / buckets.len().max(1) as f64;
    let mut previous = None;
    for (i, b) in buckets.iter().enumerate() {
        let label = bucket_label(b.up_to_seconds, previous);
        previous = b.up_to_seconds.or(previous);
        let bh = ph * b.cases as f64 / max as f64;
        let x = left + band * i as f64 + band * 0.1;
        let y = top + ph - bh;
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#1f77b4\"><title>{} {} 次</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            f(x),
            f(y),
            f(band * 0.8),
            f(bh),
            escape(&label),
            thousands(b.cases),
            f(x + band * 0.4),
            f(y - 4.0),
            thousands(b.cases),
            f(x + band * 0.4),
            f(top + ph + 16.0),
            escape(&label)
        );
    }
    let _ = write!(s, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>", f(left), f(top + ph), f(left + pw), f(top + ph));
    s.push_str("</svg>");
    s
}

/// A table as HTML. With `sortable`, numeric cells carry their value in
/// `data-v` and the last row (the total) goes in `<tfoot>` so that sorting
/// leaves it in place.
fn html_table(t: &Table, id: &str, sortable: bool, total_row: bool) -> String {
    let mut s = String::new();
    let _ = write!(s, "<table id=\"{id}\"{}>", if sortable { " class=\"sortable\"" } else { "" });
    let numeric: Vec<bool> =
        (0..t.columns.len()).map(|i| t.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::is_numeric)).collect();
    s.push_str("<thead><tr>");
    for (i, c) in t.columns.iter().enumerate() {
        let kind = if numeric.get(i).copied().unwrap_or(false) { "num" } else { "text" };
        let _ = write!(s, "<th data-type=\"{kind}\" data-key=\"{}\">{}</th>", escape(&c.key), escape(&c.label));
    }
    s.push_str("</tr></thead>");
    let split = if total_row { t.rows.len().saturating_sub(1) } else { t.rows.len() };
    let row_html = |row: &Vec<Cell>| -> String {
        let mut r = String::from("<tr>");
        for c in row {
            let class = if c.is_numeric() { " class=\"n\"" } else { "" };
            match (sortable, c.sort_key()) {
                (true, Some(v)) => {
                    let _ = write!(r, "<td{class} data-v=\"{v}\">{}</td>", escape(&display(c)));
                }
                (true, None) if c.is_numeric() => {
                    let _ = write!(r, "<td{class} data-v=\"-1\">{}</td>", escape(&display(c)));
                }
                _ => {
                    let _ = write!(r, "<td{class}>{}</td>", escape(&display(c)));
                }
            }
        }
        r.push_str("</tr>");
        r
    };
    s.push_str("<tbody>");
    for row in t.rows.iter().take(split) {
        s.push_str(&row_html(row));
    }
    s.push_str("</tbody>");
    if split < t.rows.len() {
        s.push_str("<tfoot>");
        for row in t.rows.iter().skip(split) {
            s.push_str(&row_html(row));
        }
        s.push_str("</tfoot>");
    }
    s.push_str("</table>");
    s
}

const STYLE: &str = "body{font-family:\"Microsoft YaHei\",\"PingFang SC\",\"SimHei\",\"SimSun\",\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",sans-serif;margin:24px;color:#222;background:#fff}\
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc;padding-bottom:4px}\
p.headline{font-size:16px;line-height:1.7;background:#f4f7fb;border-left:4px solid #1f77b4;padding:8px 12px}\
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 8px}\
th{background:#eef2f7;white-space:nowrap}td.n{text-align:right}tfoot td{font-weight:bold;background:#fafafa}\
table.sortable th{cursor:pointer}table.sortable th.asc:after{content:\" \\25B2\"}table.sortable th.desc:after{content:\" \\25BC\"}\
svg.chart{display:block;margin:8px 0;font-family:inherit}.note{color:#666;font-size:12px}";

/// Sorting of `#group-table` on a header click; ES3, no libraries. The
/// first click sorts descending.
const SCRIPT: &str = r#"(function(){
var t=document.getElementById('group-table');
if(!t||!t.tHead||!t.tBodies||!t.tBodies.length){return;}
var ths=t.tHead.rows[0].cells,dir={};
function key(row,i,num){var c=row.cells[i];if(num){var v=c.getAttribute('data-v');return v===null||v===''?-1:parseFloat(v);}return c.textContent||c.innerText||'';}
function sortBy(i){
var num=ths[i].getAttribute('data-type')==='num';
var d=dir[i]=(dir[i]===-1?1:-1);
var body=t.tBodies[0],rows=[],j;
for(j=0;j<body.rows.length;j++){rows.push(body.rows[j]);}
rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);return x<y?-d:(x>y?d:0);});
for(j=0;j<rows.length;j++){body.appendChild(rows[j]);}
for(j=0;j<ths.length;j++){ths[j].className=(j===i?(d<0?'desc':'asc'):'');}
}
for(var k=0;k<ths.length;k++){(function(i){ths[i].onclick=function(){sortBy(i);};})(k);}
})();"#;

/// The whole page.
pub fn render(r: &Report) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">");
    s.push_str("<title>警民群工作统计报告</title><style>");
    s.push_str(STYLE);
    s.push_str("</style></head><body>\n<h1>警民群工作统计报告</h1>\n");
    let _ = write!(s, "<p class=\"headline\" id=\"headline\">{}</p>\n<ul class=\"details\">", escape(&headline(r)));
    for d in details(r) {
        let _ = write!(s, "<li>{}</li>", escape(&d));
    }
    s.push_str("</ul>\n");

    s.push_str("<h2>每日消息（按工作类别）</h2>\n");
    s.push_str(&daily_chart(r));
    s.push_str("\n<h2>涉诈消息：诈骗类型</h2>\n");
    s.push_str(&fraud_type_chart(r));
    s.push_str("\n<h2>涉诈消息：态度</h2>\n");
    s.push_str(&fraud_stance_chart(r));
    s.push_str("\n<h2>首次回应时间分布（已回应的群众咨询）</h2>\n");
    s.push_str(&response_chart(r));

    s.push_str("\n<h2>按群统计</h2>\n<p class=\"note\">点击表头可排序（如按回应率）；回应率 = 已回应 ÷ 群众咨询；时间单位为分钟。</p>\n");
    let groups = build(r, TableName::Groups, false).narrow();
    s.push_str(&html_table(&groups, "group-table", true, r.groups.len() > 1));
    let sections = [
        (TableName::Categories, "table-categories", false),
        (TableName::Cases, "table-cases", true),
        (TableName::Fraud, "table-fraud", true),
        (TableName::Indicators, "table-indicators", false),
        (TableName::Days, "table-days", false),
    ];
    for (name, id, total) in sections {
        let t = build(r, name, false).narrow();
        let _ = write!(s, "\n<h2>{}</h2>\n", escape(t.title));
        s.push_str(&html_table(&t, id, false, total));
    }
    let _ = write!(
        s,
        "\n<p class=\"note\">由 jingmin {} 生成（报告格式第 {} 版）。本页不联网，可离线打开。</p>\n<script>\n{SCRIPT}\n</script>\n</body></html>\n",
        env!("CARGO_PKG_VERSION"),
        r.version
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assert_eq!(escape("a&b\"c"), "a&amp;b&quot;c");
        assert_eq!(escape("\u{1b}[0m"), "\u{FFFD}[0m");
    }

    #[test]
    fn scales() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(100), (100, 20));
        assert_eq!(nice_scale(123), (150, 50));
        assert!(nice_scale(u64::MAX).0 >= u64::MAX / 2);
    }
}
