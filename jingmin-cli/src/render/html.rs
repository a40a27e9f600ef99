//! The HTML report: one self-contained page (no network, no external
//! scripts, styles or fonts) that opens offline in old browsers and reads on
//! a phone (inside WeChat) as well as on a desktop or printed on A4.
//!
//! - The page follows the screen's width (a viewport meta tag); every chart
//!   is an inline SVG with a `viewBox` drawn at 100 % of the width, its
//!   labels sized for that: the daily chart comes twice, one drawing for
//!   wide screens and print and one for phones (a CSS media query shows
//!   one), with fewer day labels on the phone; its legend is HTML that
//!   wraps. Value labels are laid out inside their chart.
//! - Tables scroll sideways in their own box, never the page.
//! - A print style sheet: A4, no scroll boxes, charts at the page's width,
//!   no page break inside a chart or a short table.
//! - The per-group table sorts on a header click with a few lines of ES3
//!   JavaScript, and reads fine without it.
//! - A footer tells when the page was made, the period, the inputs and the
//!   unit (`--title`, `--unit`).
//!
//! Every piece of text from the data or the command line is escaped.

use std::fmt::Write as _;

use jingmin::{Category, FraudType, Report, Stance};

use super::headline::{details, headline, short_time, stance_name};
use super::model::{build, Cell, Table};
use super::table::display;
use super::{bucket_label, format_offset, thousands};
use crate::args::{By, TableName};

/// The page's title when `--title` is not given.
pub const DEFAULT_TITLE: &str = "警民群工作统计报告";

/// How many input files the footer names; the rest are counted.
const LISTED_INPUTS: usize = 30;

/// What the page says about itself, besides the report: shown in the
/// header and the footer.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    /// When the page was made, Unix seconds (shown in the report's offset).
    pub generated_at: i64,
    /// The inputs as the command line gave them: the exports, or the
    /// snapshot for `--from-snapshot` (first, for `--resume`).
    pub inputs: Vec<String>,
    /// `--title`: the page's title instead of [`DEFAULT_TITLE`].
    pub title: Option<String>,
    /// `--unit`: the station or unit (单位) the report is for.
    pub unit: Option<String>,
}

/// The time to print as the page's making: `SOURCE_DATE_EPOCH` (Unix
/// seconds) when set, for pages that come out the same on every run, else
/// the clock.
pub fn now() -> i64 {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()) {
        return t;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

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

/// Whether `c` reorders or hides text: bidirectional embeddings,
/// overrides, isolates and marks, which could make a file name read as
/// another.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A string the user gave (a title, a unit, a file name), as HTML: control
/// and bidirectional formatting characters removed (a line break becomes
/// a space), then escaped.
pub fn user_text(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() || is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect();
    escape(cleaned.trim())
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

/// The width of `s` drawn at `font` units, estimated on the wide side
/// (ASCII at 0.62 em, everything else, CJK above all, at 1 em), so that
/// labels laid out by it stay inside their chart.
fn text_width(s: &str, font: f64) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.62 } else { 1.0 }).sum::<f64>() * font
}

/// The opening tag of a chart: drawn at the page's width (the height
/// follows from the `viewBox`).
fn svg_open(id: &str, class: &str, w: f64, h: f64, aria: &str) -> String {
    format!(
        "<svg class=\"chart {class}\" version=\"1.1\" role=\"img\" id=\"{id}\" width=\"100%\" viewBox=\"0 0 {w} {h}\" aria-label=\"{}\">",
        escape(aria)
    )
}

/// The drawing of the daily chart for one kind of screen (in viewBox units,
/// which the page scales to its width).
struct DailyLayout {
    id: &'static str,
    class: &'static str,
    width: f64,
    height: f64,
    font: f64,
}

/// The daily chart for wide screens and print: 800 units to some 600 to
/// 960 pixels.
const DAILY_WIDE: DailyLayout = DailyLayout { id: "chart-daily", class: "daily-wide", width: 800.0, height: 320.0, font: 13.0 };
/// The daily chart for phones: 360 units to some 340 to 620 pixels.
const DAILY_NARROW: DailyLayout =
    DailyLayout { id: "chart-daily-narrow", class: "daily-narrow", width: 360.0, height: 260.0, font: 11.0 };

/// Daily content messages stacked by category (the legend is HTML, beside).
fn daily_chart(r: &Report, l: &DailyLayout) -> String {
    let (w, h, font) = (l.width, l.height, l.font);
    let max = r.days.iter().map(|d| d.messages.total).max().unwrap_or(0);
    let (ymax, step) = nice_scale(max);
    let left = (text_width(&thousands(ymax), font) + 10.0).max(28.0);
    // Room above the top label for the unit (a text's box is some 2 em high).
    let (right, top, bottom) = (8.0, font * 2.8, font + 14.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let mut s = svg_open(l.id, l.class, w, h, "每日消息（按类别堆叠）");
    let _ = write!(
        s,
        "<text class=\"unit\" x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"end\">条</text>",
        f(left - 6.0),
        f(top - font * 0.9)
    );
    // Grid and y axis labels.
    let mut t = 0;
    while t <= ymax {
        let y = top + ph - ph * t as f64 / ymax as f64;
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/><text class=\"tick-y\" x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"end\">{}</text>",
            f(left),
            f(y),
            f(left + pw),
            f(y),
            f(left - 6.0),
            f(y + font / 3.0),
            thousands(t)
        );
        t += step;
    }
    let n = r.days.len();
    if n == 0 {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\">无数据</text>",
            f(left + pw / 2.0),
            f(top + ph / 2.0),
            font + 2.0
        );
    }
    let band = pw / n.max(1) as f64;
    let bar = (band * 0.8).max(0.5);
    // Day labels (MM-DD) far enough apart not to touch.
    let label_w = text_width("00-00", font);
    let label_every = ((label_w + font) / band).ceil().max(1.0) as usize;
    for (i, d) in r.days.iter().enumerate() {
        let x = left + band * i as f64 + (band - bar) / 2.0;
        let mut y = top + ph;
        s.push_str("<g class=\"day\">");
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
            // Centred under its bar, but never past either edge.
            let cx = (x + bar / 2.0).clamp(label_w / 2.0 + 1.0, w - label_w / 2.0 - 1.0);
            let _ = write!(
                s,
                "<text class=\"tick-x\" x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"middle\">{}</text>",
                f(cx),
                f(top + ph + font + 4.0),
                escape(label)
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/></svg>",
        f(left),
        f(top + ph),
        f(left + pw),
        f(top + ph)
    );
    s
}

/// The legend of the daily chart: HTML that wraps on a narrow screen. The
/// swatches are borders, which print even where backgrounds do not.
fn daily_legend() -> String {
    let mut s = String::from("<ul class=\"legend\" id=\"legend-daily\">");
    for c in Category::ALL {
        let _ = write!(
            s,
            "<li class=\"cat-{}\"><span class=\"sw\" style=\"border-color:{}\"></span>{}</li>",
            c.name(),
            category_colour(*c),
            c.label_zh()
        );
    }
    s.push_str("</ul>");
    s
}

/// Horizontal bars: one row per item (label, value, colour). The label
/// column and the room for the value labels are as wide as their widest
/// text, so a value label never leaves the chart.
fn hbar_chart(id: &str, aria: &str, items: &[(String, u64, &str)]) -> String {
    let (w, row, top, font) = (400.0_f64, 26.0_f64, 6.0_f64, 13.0_f64);
    let widest = |it: &mut dyn Iterator<Item = f64>| it.fold(0.0_f64, f64::max);
    let left = (widest(&mut items.iter().map(|i| text_width(&i.0, font))) + 10.0).clamp(40.0, w * 0.5);
    let right = widest(&mut items.iter().map(|i| text_width(&thousands(i.1), font))) + 12.0;
    let h = top * 2.0 + row * items.len().max(1) as f64;
    let pw = (w - left - right).max(1.0);
    let mut s = svg_open(id, "hbar", w, h, aria);
    if items.is_empty() {
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"{font}\">无</text>", f(8.0), f(top + 17.0));
    }
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    for (i, (label, v, colour)) in items.iter().enumerate() {
        let y = top + row * i as f64;
        let bw = pw * *v as f64 / max as f64;
        let _ = write!(
            s,
            "<text class=\"label\" x=\"{}\" y=\"{}\" font-size=\"{font}\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}</title></rect><text class=\"value\" x=\"{}\" y=\"{}\" font-size=\"{font}\">{}</text>",
            f(left - 8.0),
            f(y + 17.5),
            escape(label),
            f(left),
            f(y + 4.0),
            f(bw),
            f(row - 8.0),
            colour,
            escape(label),
            thousands(*v),
            f(left + bw + 6.0),
            f(y + 17.5),
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
        .map(|s| (stance_name(*s).to_owned(), r.fraud.by_stance.get(s).copied().unwrap_or(0), stance_colour(*s)))
        .collect();
    hbar_chart("chart-fraud-stances", "涉诈消息按态度", &items)
}

/// The first-response histogram: one bar per fixed bucket, shortest first.
fn response_chart(r: &Report) -> String {
    let mut previous = None;
    let items: Vec<(String, u64, &str)> = r
        .cases
        .first_response_histogram
        .iter()
        .map(|b| {
            let label = bucket_label(b.up_to_seconds, previous);
            previous = b.up_to_seconds.or(previous);
            (label, b.cases, "#1f77b4")
        })
        .collect();
    hbar_chart("chart-response", "首次回应时间分布", &items)
}

/// A table as HTML, in a box of its own that scrolls sideways when the
/// table is wider than the screen. With `sortable`, numeric cells carry
/// their value in `data-v` and the last row (the total) goes in `<tfoot>`
/// so that sorting leaves it in place. The rows of `marked` (indices) get
/// `*` after their first cell, which a note under the table explains.
/// What a table is on the page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Plain,
    /// Sorted on a header click.
    Sortable,
    /// A drill-down list: its message texts wrap.
    List,
}

fn html_table(t: &Table, id: &str, class: Class, total_row: bool, marked: &[usize]) -> String {
    let mut s = String::new();
    let sortable = class == Class::Sortable;
    let _ = write!(
        s,
        "<div class=\"scroll\" tabindex=\"0\"><table id=\"{id}\"{}>",
        match class {
            Class::Sortable => " class=\"sortable\"",
            Class::List => " class=\"list\"",
            Class::Plain => "",
        }
    );
    let numeric: Vec<bool> =
        (0..t.columns.len()).map(|i| t.rows.first().and_then(|r| r.get(i)).is_some_and(Cell::is_numeric)).collect();
    s.push_str("<thead><tr>");
    for (i, c) in t.columns.iter().enumerate() {
        let kind = if numeric.get(i).copied().unwrap_or(false) { "num" } else { "text" };
        let _ = write!(s, "<th data-type=\"{kind}\" data-key=\"{}\">{}</th>", escape(&c.key), escape(&c.label));
    }
    s.push_str("</tr></thead>");
    let split = if total_row { t.rows.len().saturating_sub(1) } else { t.rows.len() };
    let row_html = |index: usize, row: &Vec<Cell>| -> String {
        let mark = marked.contains(&index);
        let mut r = String::from(if mark { "<tr class=\"pending\">" } else { "<tr>" });
        for (j, c) in row.iter().enumerate() {
            let class = if c.is_numeric() { " class=\"n\"" } else { "" };
            let text = escape(&display(c));
            let text = if mark && j == 0 { format!("{text} *") } else { text };
            match (sortable, c.sort_key()) {
                (true, Some(v)) => {
                    let _ = write!(r, "<td{class} data-v=\"{v}\">{text}</td>");
                }
                (true, None) if c.is_numeric() => {
                    let _ = write!(r, "<td{class} data-v=\"-1\">{text}</td>");
                }
                _ => {
                    let _ = write!(r, "<td{class}>{text}</td>");
                }
            }
        }
        r.push_str("</tr>");
        r
    };
    s.push_str("<tbody>");
    for (i, row) in t.rows.iter().enumerate().take(split) {
        s.push_str(&row_html(i, row));
    }
    s.push_str("</tbody>");
    if split < t.rows.len() {
        s.push_str("<tfoot>");
        for (i, row) in t.rows.iter().enumerate().skip(split) {
            s.push_str(&row_html(i, row));
        }
        s.push_str("</tfoot>");
    }
    s.push_str("</table></div>");
    s
}

/// The page's style: screen first (phones below 640 px get the narrow
/// daily chart), then print on A4.
const STYLE: &str = "*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{font-family:\"Microsoft YaHei\",\"PingFang SC\",\"SimHei\",\"SimSun\",\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",sans-serif;margin:0 auto;padding:16px;max-width:1040px;color:#222;background:#fff;line-height:1.5;word-wrap:break-word;overflow-wrap:break-word}\
header.page-head{border-bottom:2px solid #1f77b4;padding-bottom:6px;margin-bottom:12px}\
h1{font-size:22px;margin:0;line-height:1.3}.unit{margin:4px 0 0;font-size:15px;color:#444}\
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px;line-height:1.3}\
p.headline{font-size:16px;line-height:1.7;background:#f4f7fb;border-left:4px solid #1f77b4;padding:8px 12px;margin:12px 0}\
ul.details{padding-left:20px;margin:8px 0;font-size:14px;color:#333}\
figure.chart{margin:8px 0;padding:0}\
svg.chart{display:block;width:100%;height:auto;max-width:960px;font-family:inherit;overflow:hidden}\
svg.hbar{max-width:500px}svg.daily-narrow{display:none}\
ul.legend{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;font-size:13px}\
ul.legend li{margin:0 14px 4px 0;white-space:nowrap}\
.sw{display:inline-block;width:0;height:0;border:6px solid #999;margin-right:5px;vertical-align:-1px}\
.pair{display:flex;flex-wrap:wrap;gap:0 32px}.pair>section{flex:1 1 320px;min-width:0}\
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%;margin:8px 0;\
background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/24px 100% no-repeat local,\
linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/24px 100% no-repeat local,\
radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) left/10px 100% no-repeat scroll,\
radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) right/10px 100% no-repeat scroll}\
table{border-collapse:collapse;font-size:13px;margin:0}th,td{border:1px solid #ccc;padding:3px 8px;white-space:nowrap}\
table.list td:last-child{white-space:normal;min-width:16em;max-width:32em;overflow-wrap:anywhere}\
th{background:#eef2f7}td.n{text-align:right}tfoot td{font-weight:bold;background:#fafafa}tr.pending td{background:#fff8e1}\
table.sortable th{cursor:pointer}table.sortable th.asc:after{content:\" \\25B2\"}table.sortable th.desc:after{content:\" \\25BC\"}\
.note{color:#666;font-size:12px;margin:4px 0}\
footer.page-foot{margin-top:32px;border-top:1px solid #ccc;padding-top:8px;font-size:12px;color:#555}\
footer dl{margin:0}footer dt{font-weight:bold;float:left;clear:left;width:5.5em}footer dd{margin:0 0 2px 5.5em}\
footer ol{margin:0;padding-left:1.6em}footer code{font-family:inherit;word-break:break-all}\
@media (max-width:640px){body{padding:12px}h1{font-size:19px}p.headline{font-size:15px;padding:8px 10px}\
svg.daily-wide{display:none}svg.daily-narrow{display:block}}\
@page{size:A4;margin:14mm 12mm}\
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact;box-shadow:none!important;text-shadow:none!important}\
body{max-width:none;margin:0;padding:0;font-size:11pt}\
svg.daily-wide{display:block!important}svg.daily-narrow{display:none!important}svg.chart{max-width:100%}svg.hbar{max-width:420px}\
.scroll{overflow:visible;max-width:none;background:none}table{font-size:9pt;width:auto}th{white-space:normal}td{padding:2px 5px}th{padding:2px 5px}\
table.list td{white-space:normal;overflow-wrap:anywhere;min-width:0}table.list td:last-child{min-width:0;max-width:none}\
table,figure.chart,.legend{page-break-inside:avoid;break-inside:avoid}tr{page-break-inside:avoid;break-inside:avoid}\
thead{display:table-header-group}h2,h2+.note{page-break-after:avoid;break-after:avoid}\
table.sortable th{cursor:auto}.screen-only{display:none}}";

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

/// The footer: when, what period, from which files, for whom.
fn footer(r: &Report, meta: &Meta, title: &str) -> String {
    let offset = r.settings.utc_offset_seconds;
    let zone = format_offset(offset);
    let mut s = String::from("<footer class=\"page-foot\" id=\"footer\"><dl>");
    let _ = write!(s, "<dt>报告</dt><dd id=\"footer-title\">{title}</dd>");
    if let Some(unit) = meta.unit.as_deref().map(user_text).filter(|u| !u.is_empty()) {
        let _ = write!(s, "<dt>单位</dt><dd id=\"footer-unit\">{unit}</dd>");
    }
    let period = match (&r.period.from, &r.period.to) {
        (Some(from), Some(to)) => {
            format!("{} 至 {}（UTC{zone}）", escape(&short_time(from)), escape(&short_time(to)))
        }
        _ => "无数据".to_owned(),
    };
    let _ = write!(s, "<dt>统计时段</dt><dd id=\"footer-period\">{period}</dd>");
    let made = jingmin::format_time(meta.generated_at, offset);
    let _ = write!(
        s,
        "<dt>生成时间</dt><dd id=\"footer-generated\"><time datetime=\"{}\">{}</time>（UTC{zone}）</dd>",
        escape(&made),
        escape(&made.get(..19).unwrap_or(&made).replace('T', " "))
    );
    s.push_str("<dt>输入文件</dt><dd id=\"footer-inputs\">");
    if meta.inputs.is_empty() {
        s.push('无');
    } else {
        s.push_str("<ol>");
        for i in meta.inputs.iter().take(LISTED_INPUTS) {
            let _ = write!(s, "<li><code>{}</code></li>", user_text(i));
        }
        s.push_str("</ol>");
        if meta.inputs.len() > LISTED_INPUTS {
            let _ = write!(s, "另 {} 个文件未列出", thousands((meta.inputs.len() - LISTED_INPUTS) as u64));
        }
    }
    s.push_str("</dd></dl>");
    let _ = writeln!(
        s,
        "<p class=\"note\">由 jingmin {} 生成（报告格式第 {} 版）。本页不联网，可离线打开。</p></footer>",
        env!("CARGO_PKG_VERSION"),
        r.version
    );
    s
}

/// The whole page.
pub fn render(r: &Report, meta: &Meta, by: By) -> String {
    let title = meta.title.as_deref().map(user_text).filter(|t| !t.is_empty()).unwrap_or_else(|| DEFAULT_TITLE.to_owned());
    let unit = meta.unit.as_deref().map(user_text).filter(|u| !u.is_empty());
    let mut s = String::with_capacity(96 * 1024);
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    s.push_str("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">");
    // Masked numbers (139****5678) are not phone numbers to dial.
    s.push_str("<meta name=\"format-detection\" content=\"telephone=no\">");
    match &unit {
        Some(u) => {
            let _ = write!(s, "<title>{title} — {u}</title>");
        }
        None => {
            let _ = write!(s, "<title>{title}</title>");
        }
    }
    s.push_str("<style>");
    s.push_str(STYLE);
    s.push_str("</style></head><body>\n");
    let _ = write!(s, "<header class=\"page-head\"><h1 id=\"title\">{title}</h1>");
    if let Some(u) = &unit {
        let _ = write!(s, "<p class=\"unit\" id=\"unit\">{u}</p>");
    }
    s.push_str("</header>\n");
    let _ = write!(s, "<p class=\"headline\" id=\"headline\">{}</p>\n<ul class=\"details\">", escape(&headline(r)));
    for d in details(r) {
        let _ = write!(s, "<li>{}</li>", escape(&d));
    }
    s.push_str("</ul>\n");

    s.push_str("<section id=\"daily\"><h2>每日消息（按工作类别）</h2>\n<figure class=\"chart\">");
    s.push_str(&daily_chart(r, &DAILY_WIDE));
    s.push_str(&daily_chart(r, &DAILY_NARROW));
    s.push_str(&daily_legend());
    s.push_str("</figure></section>\n<div class=\"pair\">");
    s.push_str("<section><h2>涉诈消息：诈骗类型</h2>\n<figure class=\"chart\">");
    s.push_str(&fraud_type_chart(r));
    s.push_str("</figure></section>\n<section><h2>涉诈消息：态度</h2>\n<figure class=\"chart\">");
    s.push_str(&fraud_stance_chart(r));
    s.push_str("</figure></section></div>\n<section><h2>首次回应时间分布（已回应的群众咨询）</h2>\n<figure class=\"chart\">");
    s.push_str(&response_chart(r));
    s.push_str("</figure></section>\n");

    // Under the tables that count cases: how pending ones are counted (the
    // details under the headline say it in full); in the days table the
    // days with such cases are marked.
    let pending_days: Vec<usize> =
        r.days.iter().enumerate().filter(|(_, d)| d.cases.pending > 0).map(|(i, _)| i).collect();
    let notes = (r.cases.pending > 0).then(|| {
        (
            format!("注：“待回应”为数据截止时未满回应时限的群众咨询（{} 次），不计入回应率。", thousands(r.cases.pending)),
            "* 该日有数据截止时未满回应时限的群众咨询（待回应）。".to_owned(),
        )
    });
    let note_html = |s: &mut String, days: bool| {
        if let Some((table, day)) = &notes {
            let _ = write!(s, "<p class=\"note pending-note\">{}</p>", escape(if days { day } else { table }));
        }
    };
    s.push_str("\n<h2>按群统计</h2>\n<p class=\"note\"><span class=\"screen-only\">点击表头可排序（如按回应率）；</span>回应率 = 已回应 ÷（已回应 + 未回应），待回应与回应未知不计入；时间单位为分钟。</p>\n");
    let groups = build(r, TableName::Groups, false).narrow();
    s.push_str(&html_table(&groups, "group-table", Class::Sortable, r.groups.len() > 1, &[]));
    note_html(&mut s, false);
    let time_table = match by {
        By::Day => TableName::Days,
        By::Week => TableName::Weeks,
        By::Month => TableName::Months,
    };
    let mut sections = vec![
        (TableName::Ranking, "table-ranking", false),
        (TableName::Officers, "table-officers", false),
        (TableName::Categories, "table-categories", false),
        (TableName::Cases, "table-cases", true),
        (TableName::Fraud, "table-fraud", true),
        (TableName::Indicators, "table-indicators", false),
        (TableName::Solicitations, "table-solicitations", false),
        (TableName::OpenCases, "table-open-cases", false),
        (TableName::Victims, "table-victims", false),
        (time_table, "table-days", false),
    ];
    if r.previous.is_some() {
        sections.insert(0, (TableName::Comparison, "table-comparison", false));
    }
    for (name, id, total) in sections {
        let mut t = build(r, name, false).narrow();
        let capped = super::table::cap(&mut t, name);
        let _ = write!(s, "\n<h2>{}</h2>\n", escape(t.title));
        let marked: &[usize] = if name == TableName::Days { &pending_days } else { &[] };
        let class = if super::table::is_list(name) { Class::List } else { Class::Plain };
        s.push_str(&html_table(&t, id, class, total, marked));
        if let Some(rows) = capped {
            let _ = write!(
                s,
                "<p class=\"note\">共 {} 条，以上为前 {} 条；完整列表见 --format csv --table {}、json 或 xlsx。</p>",
                thousands(rows as u64),
                super::table::LIST_ROWS,
                name.name()
            );
        }
        match name {
            TableName::Cases => note_html(&mut s, false),
            TableName::Days => note_html(&mut s, true),
            _ => {}
        }
    }
    s.push('\n');
    s.push_str(&footer(r, meta, &title));
    let _ = write!(s, "<script>\n{SCRIPT}\n</script>\n</body></html>\n");
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
    fn user_text_is_stripped_and_escaped() {
        assert_eq!(user_text("城关<派出所>&\"'"), "城关&lt;派出所&gt;&amp;&quot;&#39;");
        // Control characters go, line breaks become spaces, bidi overrides go.
        assert_eq!(user_text("a\u{1b}[2Jb\u{7}"), "a[2Jb");
        assert_eq!(user_text(" 第一行\n第二行\r\n"), "第一行 第二行");
        assert_eq!(user_text("report\u{202E}lmth.exe"), "reportlmth.exe");
        assert_eq!(user_text("x\u{2066}y\u{2069}\u{200F}"), "xy");
        assert_eq!(user_text("\u{0}\u{7f}\u{9b}"), "");
    }

    #[test]
    fn scales() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(7), (8, 2));
        assert_eq!(nice_scale(100), (100, 20));
        assert_eq!(nice_scale(123), (150, 50));
        assert!(nice_scale(u64::MAX).0 >= u64::MAX / 2);
    }

    #[test]
    fn text_widths_are_estimated_on_the_wide_side() {
        assert!((text_width("1,311", 10.0) - 31.0).abs() < 1e-9);
        assert!((text_width("刷单返利", 10.0) - 40.0).abs() < 1e-9);
        assert!((text_width("≤5分钟", 10.0) - 36.2).abs() < 1e-9);
    }

    /// Every value label ends inside the chart's width, however long the
    /// labels and values are.
    #[test]
    fn value_labels_stay_inside_the_bar_chart() {
        let items: Vec<(String, u64, &str)> = vec![
            ("帮信/出租出售两卡".to_owned(), 123_456_789, "#000"),
            ("泛诈骗".to_owned(), 1, "#000"),
            ("冒充电商物流客服".to_owned(), 123_456_788, "#000"),
        ];
        let svg = hbar_chart("c", "c", &items);
        let width: f64 = svg.split("viewBox=\"0 0 ").nth(1).and_then(|v| v.split(' ').next()).unwrap().parse().unwrap();
        let mut values = 0;
        for part in svg.split("<text class=\"value\" x=\"").skip(1) {
            let x: f64 = part.split('"').next().unwrap().parse().unwrap();
            let text = part.split('>').nth(1).unwrap().split('<').next().unwrap();
            assert!(x + text_width(text, 13.0) <= width, "{text} at {x} past {width}");
            values += 1;
        }
        assert_eq!(values, 3);
        for part in svg.split("<text class=\"label\" x=\"").skip(1) {
            let x: f64 = part.split('"').next().unwrap().parse().unwrap();
            let text = part.split('>').nth(1).unwrap().split('<').next().unwrap();
            assert!(x - text_width(text, 13.0) >= 0.0, "{text} ends at {x}");
        }
    }
}
