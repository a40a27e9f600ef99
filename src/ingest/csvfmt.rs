//! The CSV exports: 留痕/WeChatMsg, PyWxDump and a generic CSV mapped by a
//! [`ColumnSpec`].
//!
//! Physical lines are gathered into records while a quoted field is open
//! (RFC 4180: quoted fields may hold line breaks), then each record is split
//! into fields by the `csv` crate. When a quoted field is still open at a
//! line that plainly starts a new record of the format (e.g. `106,7,1,0,0,…`
//! in a WeChatMsg file), the open record is rejected for its unbalanced
//! quote and reading goes on from that line instead of swallowing the rest
//! of the file.

use std::collections::VecDeque;
use std::io::{self, Read};

use csv::StringRecord;

use super::lines::{read_failed, Line, Next, Source, MAX_LINE, MAX_LINE_TEXT};
use super::roles::role_from_text;
use super::{datetime, strip_quote, ColumnSpec, Ctx, Draft, Format, Kind, Record};

/// The most physical lines one record may span.
const MAX_RECORD_LINES: usize = 10_000;


/// Splits a header or a record into fields with the `csv` crate.
fn split(text: &str) -> Option<StringRecord> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(text.len().clamp(64, 64 * 1024))
        .from_reader(text.as_bytes());
    let mut rec = StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(_) => Some(rec),
        Err(_) => None,
    }
}

/// Hands a long-lived `csv` reader one assembled record at a time (building
/// a reader per record would rebuild its state machine every time).
#[derive(Default)]
struct Feed {
    buf: Vec<u8>,
    pos: usize,
}

impl Read for Feed {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.buf.get(self.pos..).unwrap_or(&[]);
        let n = avail.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        Ok(n)
    }
}

/// Splits records into fields with one `csv` reader.
struct Splitter {
    rdr: csv::Reader<Feed>,
    /// Bytes fed since the reader was built.
    fed: u64,
}

impl Splitter {
    fn new() -> Splitter {
        let rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(Feed::default());
        Splitter { rdr, fed: 0 }
    }

    fn split(&mut self, text: &str) -> Option<StringRecord> {
        let feed = self.rdr.get_mut();
        feed.buf.clear();
        feed.pos = 0;
        feed.buf.extend_from_slice(text.as_bytes());
        feed.buf.push(b'\n');
        self.fed += text.len() as u64 + 1;
        let mut rec = StringRecord::new();
        let ok = matches!(self.rdr.read_record(&mut rec), Ok(true));
        // Should the reader ever see the record differently from the line
        // scanner (it read past the end, or stopped short), start afresh so
        // that the next record is not affected.
        if self.rdr.is_done() || self.rdr.position().byte() != self.fed {
            *self = Splitter::new();
            return split(text);
        }
        ok.then_some(rec)
    }
}

/// Index of a header column (case-insensitive, trimmed).
fn find(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.eq_ignore_ascii_case(name.trim()))
}

fn header_names(line: &str) -> Vec<String> {
    split(line).map_or_else(Vec::new, |r| r.iter().map(|f| f.trim().trim_start_matches('\u{feff}').to_string()).collect())
}

/// A CSV format from the header line, if it is one of ours.
pub(crate) fn detect_header(first_line: &str, columns: Option<&ColumnSpec>) -> Option<Format> {
    if !first_line.contains(',') && columns.is_none() {
        return None;
    }
    let h = header_names(first_line);
    let has = |n: &str| find(&h, n).is_some();
    if ["localId", "Type", "IsSender", "CreateTime", "StrContent"].iter().all(|n| has(n)) {
        return Some(Format::WeChatMsgCsv);
    }
    if ["type_name", "talker", "msg", "CreateTime"].iter().all(|n| has(n)) {
        return Some(Format::PyWxDumpCsv);
    }
    match columns {
        Some(spec) => spec_columns(spec).iter().all(|(_, c)| has(c)).then_some(Format::Csv),
        None => has("text").then_some(Format::Csv),
    }
}

/// The columns a generic CSV needs that `first_line`'s header lacks: those
/// of `columns`, or `text` without a mapping (for the error of an
/// unrecognised input).
pub(crate) fn missing_columns(first_line: &str, columns: Option<&ColumnSpec>) -> Vec<String> {
    let h = header_names(first_line);
    let needed = match columns {
        Some(spec) => spec_columns(spec).into_iter().map(|(_, c)| c).collect(),
        None => vec!["text"],
    };
    needed.into_iter().filter(|c| find(&h, c).is_none()).map(str::to_owned).collect()
}

fn spec_columns(spec: &ColumnSpec) -> Vec<(&'static str, &str)> {
    let mut v = vec![("text", spec.text.as_str())];
    for (k, c) in [("time", &spec.time), ("group", &spec.group), ("sender", &spec.sender), ("role", &spec.role), ("id", &spec.id)]
    {
        if let Some(c) = c {
            v.push((k, c.as_str()));
        }
    }
    v
}

/// A column: its index and header name (for rejection reasons).
#[derive(Clone)]
struct Col {
    index: usize,
    name: String,
}

impl Col {
    fn get<'r>(&self, rec: &'r StringRecord) -> &'r str {
        rec.get(self.index).unwrap_or("")
    }
}

fn col(header: &[String], name: &str) -> Option<Col> {
    find(header, name).map(|index| Col { index, name: header.get(index).cloned().unwrap_or_default() })
}

fn need(header: &[String], name: &str) -> Result<Col, String> {
    col(header, name).ok_or_else(|| format!("the CSV header has no `{name}` column"))
}

struct WeChatCols {
    local_id: Option<Col>,
    typ: Col,
    sub_type: Option<Col>,
    is_sender: Option<Col>,
    create_time: Option<Col>,
    str_content: Col,
    str_time: Option<Col>,
    remark: Option<Col>,
    nick_name: Option<Col>,
    sender: Option<Col>,
}

struct PyCols {
    id: Option<Col>,
    svr_id: Option<Col>,
    type_name: Col,
    is_sender: Option<Col>,
    talker: Col,
    room_name: Option<Col>,
    msg: Col,
    create_time: Col,
}

struct GenericCols {
    time: Option<Col>,
    group: Option<Col>,
    sender: Option<Col>,
    text: Col,
    role: Option<Col>,
    id: Option<Col>,
}

enum Layout {
    WeChat(WeChatCols),
    Py(PyCols),
    Generic(GenericCols),
}

/// The state of the RFC 4180 scanner at a line end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Q {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Runs the scanner over one line (the same rules as the `csv` crate's
/// defaults: a quote opens a field only at its start, `""` is a quote).
fn scan(line: &str, mut st: Q) -> Q {
    for b in line.bytes() {
        st = match (st, b) {
            (Q::FieldStart, b'"') => Q::Quoted,
            (Q::FieldStart | Q::Unquoted | Q::QuoteInQuoted, b',') => Q::FieldStart,
            (Q::FieldStart | Q::Unquoted, _) => Q::Unquoted,
            (Q::Quoted, b'"') => Q::QuoteInQuoted,
            (Q::Quoted, _) => Q::Quoted,
            (Q::QuoteInQuoted, b'"') => Q::Quoted,
            (Q::QuoteInQuoted, _) => Q::Unquoted,
        };
    }
    st
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) struct CsvParser {
    layout: Layout,
    columns: usize,
    header_skipped: bool,
    splitter: Splitter,
    /// A line read while looking for the end of a broken record.
    pending: Option<(u64, String)>,
}

impl CsvParser {
    /// A reader for `format` with the header `header_line`.
    pub(crate) fn new(format: Format, header_line: &str, spec: Option<&ColumnSpec>) -> Result<CsvParser, String> {
        let h = header_names(header_line);
        let layout = match format {
            Format::WeChatMsgCsv => {
                let create_time = col(&h, "CreateTime");
                let str_time = col(&h, "StrTime");
                if create_time.is_none() && str_time.is_none() {
                    return Err("the CSV header has neither a `CreateTime` nor a `StrTime` column".into());
                }
                Layout::WeChat(WeChatCols {
                    local_id: col(&h, "localId"),
                    typ: need(&h, "Type")?,
                    sub_type: col(&h, "SubType"),
                    is_sender: col(&h, "IsSender"),
                    create_time,
                    str_content: need(&h, "StrContent")?,
                    str_time,
                    remark: col(&h, "Remark"),
                    nick_name: col(&h, "NickName"),
                    sender: col(&h, "Sender"),
                })
            }
            Format::PyWxDumpCsv => Layout::Py(PyCols {
                id: col(&h, "id"),
                svr_id: col(&h, "MsgSvrID"),
                type_name: need(&h, "type_name")?,
                is_sender: col(&h, "is_sender"),
                talker: need(&h, "talker")?,
                room_name: col(&h, "room_name"),
                msg: need(&h, "msg")?,
                create_time: need(&h, "CreateTime")?,
            }),
            _ => {
                let default_spec;
                let (spec, optional) = match spec {
                    Some(s) => (s, false),
                    None => {
                        default_spec = ColumnSpec::default_names();
                        (&default_spec, true)
                    }
                };
                // With the default names only `text` must be present.
                if !optional {
                    let missing: Vec<String> = spec_columns(spec)
                        .iter()
                        .filter(|(_, c)| find(&h, c).is_none())
                        .map(|(_, c)| format!("`{c}`"))
                        .collect();
                    if !missing.is_empty() {
                        return Err(format!("the CSV header lacks the column(s) {}", missing.join(", ")));
                    }
                }
                let pick = |name: &Option<String>| -> Result<Option<Col>, String> {
                    match name {
                        None => Ok(None),
                        Some(n) if optional => Ok(col(&h, n)),
                        Some(n) => need(&h, n).map(Some),
                    }
                };
                Layout::Generic(GenericCols {
                    time: pick(&spec.time)?,
                    group: pick(&spec.group)?,
                    sender: pick(&spec.sender)?,
                    text: need(&h, &spec.text)?,
                    role: pick(&spec.role)?,
                    id: pick(&spec.id)?,
                })
            }
        };
        Ok(CsvParser { layout, columns: h.len(), header_skipped: false, splitter: Splitter::new(), pending: None })
    }

    /// A line that plainly begins a new record of this format.
    fn starts_record(&self, line: &str) -> bool {
        let p: Vec<&str> = line.splitn(6, ',').collect();
        let get = |i: usize| p.get(i).copied().unwrap_or("\"");
        match self.layout {
            Layout::WeChat(_) => {
                is_digits(get(0))
                    && (get(1).is_empty() || is_digits(get(1)))
                    && is_digits(get(2))
                    && (get(3).is_empty() || is_digits(get(3)))
                    && matches!(get(4), "0" | "1")
            }
            Layout::Py(_) => {
                is_digits(get(0))
                    && (get(1).is_empty() || is_digits(get(1).trim_start_matches('-')))
                    && !get(2).is_empty()
                    && !get(2).contains('"')
                    && matches!(get(3), "0" | "1")
            }
            Layout::Generic(_) => false,
        }
    }

    pub(crate) fn step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> bool {
        if !self.header_skipped {
            // The header was read from the detection window already.
            self.header_skipped = true;
            return match src.next_text(ctx, out) {
                Next::End(failure) => {
                    out.extend(failure);
                    false
                }
                Next::Skipped | Next::Text(..) => true,
            };
        }
        let (start, mut text) = match self.pending.take() {
            Some(p) => p,
            None => match src.next_text(ctx, out) {
                Next::End(failure) => {
                    out.extend(failure);
                    return false;
                }
                Next::Skipped => return true,
                Next::Text(n, s) => (n, s),
            },
        };
        if text.trim().is_empty() {
            return true;
        }
        let mut st = scan(&text, Q::FieldStart);
        let mut lines = 1;
        while st == Q::Quoted {
            if text.len() > MAX_LINE {
                out.push_back(ctx.reject(start, format!("record over the {MAX_LINE_TEXT} message limit ({MAX_LINE} bytes)")));
                return true;
            }
            if lines >= MAX_RECORD_LINES {
                out.push_back(ctx.reject(start, format!("quoted field not closed within {lines} lines")));
                return true;
            }
            match src.next_line() {
                Line::Text(n, s) if self.starts_record(&s) => {
                    self.pending = Some((n, s));
                    out.push_back(ctx.reject(start, format!("unbalanced quote: a quoted field is still open at line {n}")));
                    return true;
                }
                Line::Text(_, s) => {
                    text.push('\n');
                    text.push_str(&s);
                    st = scan(&s, st);
                    lines += 1;
                }
                Line::TooLong(n) => {
                    out.push_back(ctx.reject(start, format!("line {n} of a quoted field is over the {MAX_LINE_TEXT} message limit ({MAX_LINE} bytes)")));
                    return true;
                }
                Line::Failed(n, e) => {
                    out.push_back(read_failed(ctx, n, &e));
                    return false;
                }
                Line::Eof => {
                    out.push_back(ctx.reject(start, "unbalanced quote: a quoted field is still open at the end of the input"));
                    return false;
                }
            }
        }
        let Some(rec) = self.splitter.split(&text) else {
            out.push_back(ctx.reject(start, "not a valid CSV record"));
            return true;
        };
        if rec.len() != self.columns {
            out.push_back(ctx.reject(start, format!("expected {} columns, found {}", self.columns, rec.len())));
            return true;
        }
        let draft = match &self.layout {
            Layout::WeChat(c) => wechat(c, start, &rec, ctx),
            Layout::Py(c) => pywxdump(c, start, &rec, ctx),
            Layout::Generic(c) => generic(c, start, &rec, ctx),
        };
        match draft {
            Ok(d) => d.finish(ctx, out),
            Err(reason) => out.push_back(ctx.reject(start, reason)),
        }
        true
    }
}

fn flag(c: Option<&Col>, rec: &StringRecord) -> Result<bool, String> {
    match c.map(|c| (c, c.get(rec).trim())) {
        None | Some((_, "" | "0")) => Ok(false),
        Some((_, "1")) => Ok(true),
        Some((c, _)) => Err(format!("field `{}`: expected 0 or 1", c.name)),
    }
}

fn opt<'r>(c: Option<&Col>, rec: &'r StringRecord) -> &'r str {
    c.map_or("", |c| c.get(rec).trim())
}

/// The title of a WeChat app message given as XML (`<title>…</title>`).
fn xml_title(s: &str) -> Option<&str> {
    let start = s.find("<title>")? + "<title>".len();
    let rest = s.get(start..)?;
    let t = rest.get(..rest.find("</title>")?)?;
    Some(t.strip_prefix("<![CDATA[").and_then(|t| t.strip_suffix("]]>")).unwrap_or(t))
}

fn wechat(c: &WeChatCols, line: u64, rec: &StringRecord, ctx: &Ctx) -> Result<Draft, String> {
    let typ: i64 = c.typ.get(rec).trim().parse().map_err(|_| format!("field `{}`: not an integer", c.typ.name))?;
    let sub: i64 = match opt(c.sub_type.as_ref(), rec) {
        "" => 0,
        s => s.parse().map_err(|_| format!("field `{}`: not an integer", c.sub_type.as_ref().map_or("", |c| &c.name)))?,
    };
    let is_self = flag(c.is_sender.as_ref(), rec)?;
    let ct = opt(c.create_time.as_ref(), rec);
    let st = opt(c.str_time.as_ref(), rec);
    let unix = datetime::parse_unix(ct).or_else(|| datetime::parse_local(st, ctx.offset()));
    let time = unix.and_then(|u| ctx.time(u)).ok_or_else(|| {
        let names: Vec<String> =
            [&c.create_time, &c.str_time].into_iter().flatten().map(|c| format!("`{}`", c.name)).collect();
        if ct.is_empty() && st.is_empty() {
            format!("field {}: missing time", names.join("/"))
        } else {
            format!("field {}: not a valid time (expected Unix seconds or YYYY-MM-DD HH:MM:SS)", names.join("/"))
        }
    })?;
    let group = ctx.group(None);
    let local = opt(c.local_id.as_ref(), rec);
    let prefix = ctx.id_prefix(group.as_deref());
    let id = if local.is_empty() { format!("{prefix}:L{line}") } else { format!("{prefix}:{local}") };
    let kind = match (typ, sub) {
        (1, _) | (49, 57) => Kind::Text,
        (10000 | 10002, _) => Kind::System,
        _ => Kind::Media,
    };
    let raw = c.str_content.get(rec);
    let text = if typ == 49 { strip_quote(xml_title(raw).unwrap_or(raw)) } else { raw };
    let sender_id = opt(c.sender.as_ref(), rec);
    let nick = opt(c.nick_name.as_ref(), rec);
    let remark = opt(c.remark.as_ref(), rec);
    let mut d = Draft::new(line, kind, "StrContent");
    d.id = id;
    d.group = group;
    d.sender = [nick, remark, sender_id].into_iter().find(|s| !s.is_empty()).map(str::to_string);
    d.names = [sender_id, nick, remark].into_iter().filter(|s| !s.is_empty()).map(str::to_string).collect();
    d.is_self = is_self;
    d.time = Some(time);
    d.text = text.to_string();
    Ok(d)
}

/// PyWxDump `type_name`s that are system events, not people's messages.
const PY_SYSTEM_TYPES: &[&str] = &["系统通知", "系统消息", "拍一拍", "邀请加群", "消息撤回", "撤回消息"];

fn pywxdump(c: &PyCols, line: u64, rec: &StringRecord, ctx: &Ctx) -> Result<Draft, String> {
    let type_name = c.type_name.get(rec).trim();
    if type_name.is_empty() {
        return Err(format!("field `{}`: missing", c.type_name.name));
    }
    let is_sender = flag(c.is_sender.as_ref(), rec)?;
    let ct = c.create_time.get(rec).trim();
    if ct.is_empty() {
        return Err(format!("field `{}`: missing time", c.create_time.name));
    }
    let time = datetime::parse_any(ct, ctx.offset()).and_then(|u| ctx.time(u)).ok_or_else(|| {
        format!("field `{}`: not a valid time (expected YYYY-MM-DD HH:MM:SS)", c.create_time.name)
    })?;
    let talker = c.talker.get(rec).trim();
    let group = ctx.group(Some(opt(c.room_name.as_ref(), rec)));
    let svr = opt(c.svr_id.as_ref(), rec);
    let local = opt(c.id.as_ref(), rec);
    let prefix = ctx.id_prefix(group.as_deref());
    let id = if !svr.is_empty() {
        svr.to_string()
    } else if !local.is_empty() {
        format!("{prefix}:{local}")
    } else {
        format!("{prefix}:L{line}")
    };
    let recall = type_name.contains("撤回");
    let kind = if talker == "系统" || recall || PY_SYSTEM_TYPES.contains(&type_name) {
        Kind::System
    } else if type_name == "文本" || type_name == "引用回复" {
        Kind::Text
    } else {
        Kind::Media
    };
    let raw = c.msg.get(rec);
    let text = if type_name == "引用回复" { strip_quote(raw) } else { raw };
    let mut d = Draft::new(line, kind, "msg");
    d.id = id;
    d.group = group;
    d.sender = (!talker.is_empty()).then(|| talker.to_string());
    d.names = d.sender.iter().filter(|t| t.as_str() != "我").cloned().collect();
    d.is_self = is_sender || talker == "我";
    d.recall = recall;
    d.time = Some(time);
    d.text = text.to_string();
    Ok(d)
}

fn generic(c: &GenericCols, line: u64, rec: &StringRecord, ctx: &Ctx) -> Result<Draft, String> {
    let time = match c.time.as_ref().map(|t| (t, t.get(rec).trim())) {
        None | Some((_, "")) => None,
        Some((t, v)) => Some(datetime::parse_any(v, ctx.offset()).and_then(|u| ctx.time(u)).ok_or_else(|| {
            format!("field `{}`: not a valid time (expected RFC 3339, YYYY-MM-DD HH:MM:SS or Unix seconds)", t.name)
        })?),
    };
    let role = match c.role.as_ref().map(|r| (r, r.get(rec).trim())) {
        None | Some((_, "")) => None,
        Some((r, v)) => Some(role_from_text(v).ok_or_else(|| {
            format!("field `{}`: unknown role (expected police, resident or unknown)", r.name)
        })?),
    };
    let group = ctx.group(Some(opt(c.group.as_ref(), rec)));
    let sender = opt(c.sender.as_ref(), rec);
    let id = opt(c.id.as_ref(), rec);
    let mut d = Draft::new(line, Kind::Text, "text");
    d.id = if id.is_empty() { format!("{}:L{line}", ctx.id_prefix(group.as_deref())) } else { id.to_string() };
    d.group = group;
    d.sender = (!sender.is_empty()).then(|| sender.to_string());
    d.names = d.sender.iter().cloned().collect();
    d.explicit_role = role;
    d.time = time;
    d.text = c.text.get(rec).to_string();
    d.text_field = "text";
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WECHAT_COLUMNS: [&str; 12] = [
        "localId", "TalkerId", "Type", "SubType", "IsSender", "CreateTime", "Status", "StrContent", "StrTime", "Remark",
        "NickName", "Sender",
    ];
    

    #[test]
    fn scanner_follows_rfc4180() {
        assert!(scan(r#"1,"a"#, Q::FieldStart) == Q::Quoted);
        assert!(scan(r#"1,"a""b",c"#, Q::FieldStart) == Q::Unquoted);
        assert!(scan(r#"1,a"b,c"#, Q::FieldStart) == Q::Unquoted);
        assert!(scan(r#"x""#, Q::Quoted) == Q::QuoteInQuoted);
        assert!(scan(r#"1,"""李阿姨""撤回了一条消息",2024"#, Q::FieldStart) == Q::Unquoted);
    }

    #[test]
    fn splitter_stays_in_step() {
        let mut sp = Splitter::new();
        let rec = sp.split("1,\"a,\nb\",c").unwrap();
        assert_eq!(rec.iter().collect::<Vec<_>>(), ["1", "a,\nb", "c"]);
        let fed = sp.fed;
        let rec = sp.split(r#"2,"x""y",z"#).unwrap();
        assert_eq!(rec.iter().collect::<Vec<_>>(), ["2", "x\"y", "z"]);
        assert!(sp.fed > fed, "the reader was rebuilt");
        // A record the csv reader sees as unterminated is still split, and the
        // next one is unaffected.
        let rec = sp.split("3,\"open").unwrap();
        assert_eq!(rec.iter().collect::<Vec<_>>(), ["3", "open\n"]);
        let rec = sp.split("4,b").unwrap();
        assert_eq!(rec.iter().collect::<Vec<_>>(), ["4", "b"]);
    }

    #[test]
    fn header_detection() {
        let wechat = WECHAT_COLUMNS.join(",");
        assert_eq!(detect_header(&wechat, None), Some(Format::WeChatMsgCsv));
        assert_eq!(detect_header(&WECHAT_COLUMNS[..9].join(","), None), Some(Format::WeChatMsgCsv));
        assert_eq!(
            detect_header("id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime", None),
            Some(Format::PyWxDumpCsv)
        );
        assert_eq!(detect_header("time,sender,text", None), Some(Format::Csv));
        assert_eq!(detect_header("时间,人,内容", None), None);
        let spec = ColumnSpec::parse("time=时间,sender=人,text=内容").unwrap();
        assert_eq!(detect_header("时间,人,内容", Some(&spec)), Some(Format::Csv));
        assert_eq!(detect_header("时间,内容", Some(&spec)), None);
    }
}
