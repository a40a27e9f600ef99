//! Reading chat exports (`chat_formats.md`) into [`Message`]s, streaming.
//!
//! Enabled by the `ingest` cargo feature (the `cli` feature turns it on).
//!
//! [`open`] (a file) or [`read`] (any `Read`) detects the [`Format`] from the
//! first bytes (or takes [`ReadOptions::format`]), decodes the text (UTF-8
//! with or without BOM, UTF-16 with BOM, GB18030/GBK) and returns a
//! [`Reader`]: an iterator of [`Record`]s that reads the input piece by piece,
//! so memory stays flat on multi-gigabyte exports.
//!
//! Every input record becomes exactly one of: a [`Record::Message`] (a person
//! wrote text), a [`Record::System`] (recall, system notice or media
//! placeholder: counted apart, not analysed) or a [`Record::Rejected`]
//! (malformed: the file, line and a reason that names the field, never the
//! message text; reading continues). A [`Record::Warning`] comes just before
//! a message whose text held undecodable bytes (replaced by U+FFFD).
//!
//! Times are read in a fixed offset ([`ReadOptions::tz_offset_secs`], +08:00
//! by default; never the machine's zone) and written as RFC 3339 with that
//! offset, e.g. `2024-03-01T10:00:00+08:00`.
//!
//! What each message gets:
//! - **group**: from the export when it has one (JSON `group`, PyWxDump
//!   `room_name`, chatlog `talkerName` then `talker`, QQ `消息对象`, the
//!   generic CSV's group column), else the file name's stem without a
//!   `_utf8` suffix (`幸福社区警民群_utf8.csv` → `幸福社区警民群`), else
//!   [`ReadOptions::default_group`].
//! - **id**: the export's own where it has one (JSON `id`, PyWxDump
//!   `MsgSvrID`, generic CSV id column); otherwise `{group}:{localId}`
//!   (WeChatMsg), `{group}:{seq}` (chatlog), `{group}:L{line}` (QQ, JSON
//!   Lines and CSV rows without an id; `input:` when there is no group).
//! - **role** (`chat_formats.md`, "Role of the sender"), first that applies:
//!   a role in the data (JSON `role`, generic CSV role column); the
//!   [`Roster`] (by sender id or any display name); the exporting account
//!   (`IsSender=1`, `我`, `isSelf`) when [`ReadOptions::exported_by_police`];
//!   a name containing 民警/警官/辅警/派出所/警务室 or a QQ title
//!   管理员/群主; else `unknown`.
//! - **sender**: the display name when the export has one (WeChatMsg
//!   `NickName`, then `Remark`, then `Sender`; chatlog `senderName`; QQ
//!   nickname), else the id.
//!
//! Type codes: WeChat `Type` 1 is text, 49 with SubType 57 a quote reply
//! (its reply text is kept), 10000/10002 system, everything else media;
//! PyWxDump `文本`/`引用回复` are text (the `[引用](…)…` part is dropped),
//! `系统通知`, `拍一拍`, `邀请加群`, `…撤回…` and sender `系统` are system,
//! other `type_name`s media. A text that is only placeholders such as
//! `[图片]` is media in every format.
//!
//! ```
//! use jingmin::ingest::{self, Format, ReadOptions, Record};
//! use jingmin::Role;
//!
//! let csv = "\u{feff}localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n\
//!            101,7,1,0,0,1709258400,2,请问周六警务室有人吗？,2024-03-01 10:00:00,3栋李阿姨,李阿姨,wxid_res01\r\n\
//!            102,7,1,0,1,1709258700,2,周六上午9-12点有人值班,2024-03-01 10:05:00,王警官,王警官,wxid_pol01\r\n\
//!            103,7,3,0,0,1709258800,2,[图片],2024-03-01 10:06:40,3栋李阿姨,李阿姨,wxid_res01\r\n";
//! let reader = ingest::read(std::io::Cursor::new(csv), "幸福社区警民群_utf8.csv", &ReadOptions::default()).unwrap();
//! assert_eq!(reader.format(), Format::WeChatMsgCsv);
//! let records: Vec<Record> = reader.collect();
//! let Record::Message(m) = &records[1] else { panic!() };
//! assert_eq!(m.id.as_deref(), Some("幸福社区警民群:102"));
//! assert_eq!(m.group.as_deref(), Some("幸福社区警民群"));
//! assert_eq!(m.time.as_deref(), Some("2024-03-01T10:05:00+08:00"));
//! assert_eq!(m.role, Role::Police); // 警官 in the name
//! assert!(matches!(records[2], Record::System { kind: ingest::SystemKind::Media, line: 4, .. }));
//! ```

mod chatlog;
mod csvfmt;
mod datetime;
mod decode;
mod jsonl;
mod lines;
mod qq;
mod roles;

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::message::Message;
use crate::types::Role;

pub use decode::TextEncoding;
pub use roles::Roster;

use decode::Utf8Stream;
use lines::{Input, Source};
use roles::SenderFacts;

/// How much decoded text format detection looks at.
const HEAD: usize = 64 * 1024;

/// A chat export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Native JSON Lines (taxonomy §4): one object per line with `id`,
    /// `group`, `sender`, `role`, `time`, `text`.
    Jsonl,
    /// 留痕 / WeChatMsg CSV: 12 columns (`localId,…,Sender`) or the older 9.
    WeChatMsgCsv,
    /// PyWxDump CSV (`id,MsgSvrID,type_name,…,CreateTime`).
    PyWxDumpCsv,
    /// chatlog JSON: one array of message objects.
    ChatlogJson,
    /// The QQ built-in TXT export (classic PC QQ), several groups per file.
    QqTxt,
    /// A CSV with a header, columns mapped by a [`ColumnSpec`].
    Csv,
}

impl Format {
    /// Every format, in detection order.
    pub const ALL: &'static [Format] =
        &[Format::Jsonl, Format::WeChatMsgCsv, Format::PyWxDumpCsv, Format::ChatlogJson, Format::QqTxt, Format::Csv];

    /// The stable name: `jsonl`, `wechatmsg-csv`, `pywxdump-csv`,
    /// `chatlog-json`, `qq-txt`, `csv`.
    ///
    /// ```
    /// use jingmin::ingest::Format;
    /// assert_eq!(Format::QqTxt.name(), "qq-txt");
    /// for f in Format::ALL {
    ///     assert_eq!(Format::from_name(f.name()), Some(*f));
    /// }
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::WeChatMsgCsv => "wechatmsg-csv",
            Format::PyWxDumpCsv => "pywxdump-csv",
            Format::ChatlogJson => "chatlog-json",
            Format::QqTxt => "qq-txt",
            Format::Csv => "csv",
        }
    }

    /// The format with this name (case-insensitive). Besides
    /// [`name`](Format::name), accepts `json-lines`, `ndjson`, `wechatmsg`, `liuhen`,
    /// `留痕`, `pywxdump`, `chatlog`, `qq`, `generic-csv`.
    ///
    /// ```
    /// use jingmin::ingest::Format;
    /// assert_eq!(Format::from_name("留痕"), Some(Format::WeChatMsgCsv));
    /// assert_eq!(Format::from_name("xml"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" | "json-lines" | "jsonlines" | "ndjson" => Format::Jsonl,
            "wechatmsg-csv" | "wechatmsg" | "liuhen" | "留痕" | "memotrace" => Format::WeChatMsgCsv,
            "pywxdump-csv" | "pywxdump" => Format::PyWxDumpCsv,
            "chatlog-json" | "chatlog" => Format::ChatlogJson,
            "qq-txt" | "qq" | "qq-text" => Format::QqTxt,
            "csv" | "generic-csv" => Format::Csv,
            _ => return None,
        })
    }

    fn all_names() -> String {
        Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which header columns of a generic CSV ([`Format::Csv`]) hold what.
/// Only `text` is required; a missing `group` falls back to the file name,
/// a missing `id` to `{group}:L{line}`.
///
/// ```
/// use jingmin::ingest::ColumnSpec;
/// let spec = ColumnSpec::parse("time=时间,group=群,sender=发送人,text=内容").unwrap();
/// assert_eq!(spec.text, "内容");
/// assert_eq!(spec.role, None);
/// assert!(ColumnSpec::parse("time=时间").is_err()); // no text column
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column with the time (RFC 3339, `YYYY-MM-DD HH:MM:SS` local, or
    /// Unix seconds/milliseconds).
    pub time: Option<String>,
    /// The column with the group name.
    pub group: Option<String>,
    /// The column with the sender's id or name.
    pub sender: Option<String>,
    /// The column with the message text.
    pub text: String,
    /// The column with the role (`police`/`resident`/`unknown` or 民警/群众/未知).
    pub role: Option<String>,
    /// The column with a message id.
    pub id: Option<String>,
}

impl ColumnSpec {
    /// Parses `time=…,group=…,sender=…,text=…[,role=…][,id=…]` (any order,
    /// any subset that includes `text`). Column names are matched against
    /// the header case-insensitively after trimming.
    ///
    /// # Errors
    /// [`Error::Ingest`] naming the unknown key, a duplicate, a part without
    /// `=`, or a missing `text`.
    pub fn parse(spec: &str) -> Result<ColumnSpec> {
        let mut fields: [Option<String>; 6] = Default::default();
        const KEYS: [&str; 6] = ["time", "group", "sender", "text", "role", "id"];
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| Error::Ingest(format!("column spec: `{part}` is not key=column")))?;
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim();
            let i = KEYS.iter().position(|key| *key == k).ok_or_else(|| {
                Error::Ingest(format!("column spec: unknown key `{k}` (expected time, group, sender, text, role, id)"))
            })?;
            if v.is_empty() {
                return Err(Error::Ingest(format!("column spec: `{k}` names no column")));
            }
            let slot = fields.get_mut(i).ok_or_else(|| Error::Ingest("column spec: internal".into()))?;
            if slot.replace(v.to_string()).is_some() {
                return Err(Error::Ingest(format!("column spec: `{k}` given twice")));
            }
        }
        let [time, group, sender, text, role, id] = fields;
        let text = text.ok_or_else(|| Error::Ingest("column spec: `text=…` is required".into()))?;
        Ok(ColumnSpec { time, group, sender, text, role, id })
    }

    /// The spec used when none is given: columns literally named `time`,
    /// `group`, `sender`, `text`, `role`, `id`.
    pub fn default_names() -> ColumnSpec {
        ColumnSpec {
            time: Some("time".into()),
            group: Some("group".into()),
            sender: Some("sender".into()),
            text: "text".into(),
            role: Some("role".into()),
            id: Some("id".into()),
        }
    }
}

impl std::str::FromStr for ColumnSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<ColumnSpec> {
        ColumnSpec::parse(s)
    }
}

/// How to read an export.
///
/// ```
/// use jingmin::ingest::{self, ReadOptions, Format};
/// let mut opts = ReadOptions::default();
/// assert_eq!(opts.tz_offset_secs, 8 * 3600);
/// opts.tz_offset_secs = ingest::parse_tz_offset("+09:00").unwrap();
/// opts.format = Some(Format::Jsonl);
/// opts.exported_by_police = true;
/// ```
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// The format; `None` detects it from the content.
    pub format: Option<Format>,
    /// The encoding; `None` detects it (BOM, else UTF-8 if valid, else GB18030).
    pub encoding: Option<TextEncoding>,
    /// Offset east of UTC, in seconds, in which local times are read and all
    /// times written. +08:00 (28800) by default. A whole number of minutes,
    /// at most ±23:59.
    pub tz_offset_secs: i32,
    /// The group when neither the export nor the file name gives one.
    pub default_group: Option<String>,
    /// The export came from the officer's account: its own messages
    /// (IsSender=1, `我`, isSelf) are the police's.
    pub exported_by_police: bool,
    /// Known senders and their roles.
    pub roster: Option<Roster>,
    /// Column mapping for [`Format::Csv`]; `None` uses
    /// [`ColumnSpec::default_names`].
    pub columns: Option<ColumnSpec>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            encoding: None,
            tz_offset_secs: 8 * 3600,
            default_group: None,
            exported_by_police: false,
            roster: None,
            columns: None,
        }
    }
}

/// Parses a UTC offset for [`ReadOptions::tz_offset_secs`]: `+08:00`,
/// `+0800`, `+8`, `UTC+8`, `-05:30`, `Z`. Returns seconds east of UTC.
///
/// ```
/// assert_eq!(jingmin::ingest::parse_tz_offset("+08:00"), Some(28_800));
/// assert_eq!(jingmin::ingest::parse_tz_offset("Asia/Shanghai"), None);
/// ```
pub fn parse_tz_offset(s: &str) -> Option<i32> {
    datetime::parse_offset(s)
}

/// What a non-message record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SystemKind {
    /// "…撤回了一条消息": a recalled message.
    Recall,
    /// A system notice (joins, invitations, 拍一拍, group changes…).
    Notice,
    /// A media message or placeholder (`[图片]` `[语音]` `[视频]` `[表情包]` `[文件]`,
    /// stickers, app messages, transfers…): no text to analyse.
    Media,
}

impl SystemKind {
    /// `recall`, `notice` or `media`.
    pub const fn name(self) -> &'static str {
        match self {
            SystemKind::Recall => "recall",
            SystemKind::Notice => "notice",
            SystemKind::Media => "media",
        }
    }
}

/// One record of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Text written by a person. `id`, `group` (when known), `role` and
    /// `time` (RFC 3339 in the configured offset; `None` only for JSON Lines
    /// and generic CSV without a time) are filled in.
    Message(Message),
    /// A recall, system notice or media message: counted apart.
    System {
        /// What it is.
        kind: SystemKind,
        /// Its group, when known.
        group: Option<String>,
        /// Its time (RFC 3339), when given.
        time: Option<String>,
        /// The line it starts on (1-based).
        line: u64,
    },
    /// A malformed record, skipped. Reading continues after it.
    Rejected {
        /// The file (or source name given to [`read`]).
        file: String,
        /// The line it starts on (1-based).
        line: u64,
        /// What is wrong, naming the field; never the message text.
        reason: String,
    },
    /// Something to report about the message that follows (undecodable
    /// bytes replaced by U+FFFD). The message itself comes next.
    Warning {
        /// The file (or source name given to [`read`]).
        file: String,
        /// The line the message starts on.
        line: u64,
        /// What happened.
        reason: String,
    },
}

/// Per-input settings the format readers share.
pub(crate) struct Ctx {
    file: String,
    fallback_group: Option<String>,
    offset: i32,
    exported_by_police: bool,
    roster: Option<Roster>,
}

impl Ctx {
    /// The group: from the export when given, else the file name, else the
    /// caller's default.
    pub(crate) fn group(&self, from_export: Option<&str>) -> Option<String> {
        match from_export.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => Some(g.to_string()),
            None => self.fallback_group.clone(),
        }
    }

    /// Prefix of synthesized ids.
    pub(crate) fn id_prefix<'a>(&'a self, group: Option<&'a str>) -> &'a str {
        group.unwrap_or("input")
    }

    /// Unix seconds as RFC 3339 in the configured offset.
    pub(crate) fn time(&self, unix: i64) -> Option<String> {
        datetime::format_rfc3339(unix, self.offset)
    }

    pub(crate) fn offset(&self) -> i32 {
        self.offset
    }

    pub(crate) fn reject(&self, line: u64, reason: impl Into<String>) -> Record {
        Record::Rejected { file: self.file.clone(), line, reason: reason.into() }
    }
}

/// What a format reader decided a record is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    System,
    Media,
}

/// A record on its way to becoming a [`Record`].
pub(crate) struct Draft {
    pub line: u64,
    pub id: String,
    pub group: Option<String>,
    pub sender: Option<String>,
    /// Ids and display names for the roster and name cues.
    pub names: Vec<String>,
    pub title: Option<String>,
    pub explicit_role: Option<Role>,
    pub is_self: bool,
    pub time: Option<String>,
    pub text: String,
    /// The field holding the text, for rejection reasons.
    pub text_field: &'static str,
    pub kind: Kind,
    /// The format says it is a recall.
    pub recall: bool,
}

impl Draft {
    pub(crate) fn new(line: u64, kind: Kind, text_field: &'static str) -> Draft {
        Draft {
            line,
            id: String::new(),
            group: None,
            sender: None,
            names: Vec::new(),
            title: None,
            explicit_role: None,
            is_self: false,
            time: None,
            text: String::new(),
            text_field,
            kind,
            recall: false,
        }
    }

    /// Turns the draft into records (a warning may precede a message).
    pub(crate) fn finish(self, ctx: &Ctx, out: &mut VecDeque<Record>) {
        let system = |kind| Record::System { kind, group: self.group.clone(), time: self.time.clone(), line: self.line };
        match self.kind {
            Kind::System => {
                let kind = if self.recall || self.text.contains("撤回了一条消息") || self.text.contains("撤回了一条")
                {
                    SystemKind::Recall
                } else {
                    SystemKind::Notice
                };
                out.push_back(system(kind));
            }
            Kind::Media => out.push_back(system(SystemKind::Media)),
            Kind::Text if is_media_placeholder(&self.text) => out.push_back(system(SystemKind::Media)),
            Kind::Text if self.text.trim().is_empty() => {
                out.push_back(ctx.reject(self.line, format!("field `{}`: empty text", self.text_field)));
            }
            Kind::Text => {
                let facts = SenderFacts {
                    explicit: self.explicit_role,
                    names: self.names.iter().map(String::as_str).filter(|n| !n.is_empty()).collect(),
                    title: self.title.as_deref(),
                    is_self: self.is_self,
                };
                let role = roles::resolve(&facts, ctx.roster.as_ref(), ctx.exported_by_police);
                let replaced = [Some(&self.text), self.sender.as_ref(), self.group.as_ref()]
                    .into_iter()
                    .flatten()
                    .map(|s| s.matches('\u{FFFD}').count())
                    .sum::<usize>();
                if replaced > 0 {
                    out.push_back(Record::Warning {
                        file: ctx.file.clone(),
                        line: self.line,
                        reason: format!("{replaced} undecodable byte sequence(s) replaced with U+FFFD"),
                    });
                }
                out.push_back(Record::Message(Message {
                    id: Some(self.id),
                    group: self.group,
                    sender: self.sender,
                    role,
                    time: self.time,
                    text: self.text,
                }));
            }
        }
    }
}

/// Placeholders that stand for media and carry no text.
const MEDIA_PLACEHOLDERS: &[&str] = &["图片", "语音", "视频", "表情包", "表情", "动画表情", "文件", "语音消息", "视频消息"];

/// The text is only media placeholders (e.g. `[图片]`, `[图片][表情]`).
pub(crate) fn is_media_placeholder(text: &str) -> bool {
    let mut rest = text.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('[') else { return false };
        let Some((name, after)) = r.split_once(']') else { return false };
        if !MEDIA_PLACEHOLDERS.contains(&name) {
            return false;
        }
        rest = after.trim_start();
    }
    true
}

/// The reply of a quote reply: everything before a line starting with
/// `[引用](` (PyWxDump), trailing whitespace trimmed.
pub(crate) fn strip_quote(text: &str) -> &str {
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("[引用]") {
            return text.get(..pos).unwrap_or(text).trim_end();
        }
        pos += line.len();
    }
    text
}

enum Parser {
    Jsonl(jsonl::Jsonl),
    Csv(Box<csvfmt::CsvParser>),
    Chatlog(chatlog::Chatlog),
    Qq(qq::Qq),
}

impl Parser {
    /// Reads some input, pushing zero or more records. False at the end.
    fn step(&mut self, src: &mut Source, ctx: &Ctx, out: &mut VecDeque<Record>) -> bool {
        match self {
            Parser::Jsonl(p) => p.step(src, ctx, out),
            Parser::Csv(p) => p.step(src, ctx, out),
            Parser::Chatlog(p) => p.step(src, ctx, out),
            Parser::Qq(p) => p.step(src, ctx, out),
        }
    }
}

/// The records of one export, read lazily. Created by [`open`] or [`read`].
///
/// ```
/// use jingmin::ingest::{self, Format, ReadOptions, Record, TextEncoding};
///
/// let jsonl = r#"{"id":"a1","group":"警民群","sender":"民警魏某","role":"police","time":"2022-11-16 09:03:00","text":"收到"}
/// {"text":"[图片]"}
/// not json
/// "#;
/// let reader = ingest::read(std::io::Cursor::new(jsonl), "demo.jsonl", &ReadOptions::default()).unwrap();
/// assert_eq!((reader.format(), reader.encoding()), (Format::Jsonl, TextEncoding::Utf8));
/// let (mut messages, mut system, mut rejected) = (0, 0, 0);
/// for record in reader {
///     match record {
///         Record::Message(m) => { messages += 1; assert_eq!(m.time.as_deref(), Some("2022-11-16T09:03:00+08:00")); }
///         Record::System { .. } => system += 1,
///         Record::Rejected { line, .. } => { rejected += 1; assert_eq!(line, 3); }
///         Record::Warning { .. } => {}
///     }
/// }
/// assert_eq!((messages, system, rejected), (1, 1, 1));
/// ```
pub struct Reader {
    format: Format,
    src: Source,
    parser: Parser,
    ctx: Ctx,
    pending: VecDeque<Record>,
    done: bool,
}

impl Reader {
    /// The format read (detected or given).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The encoding read. Without a byte-order mark this is decided at the
    /// first non-ASCII byte; before that (or for pure ASCII) it is UTF-8.
    pub fn encoding(&self) -> TextEncoding {
        self.src.encoding()
    }

    /// Whether the input started with a byte-order mark.
    pub fn had_bom(&self) -> bool {
        self.src.had_bom()
    }

    /// Undecodable byte sequences replaced with U+FFFD so far.
    pub fn replacements(&self) -> u64 {
        self.src.replacements()
    }

    /// The file (or source name) being read.
    pub fn file(&self) -> &str {
        &self.ctx.file
    }
}

impl Iterator for Reader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Some(r);
            }
            if self.done {
                return None;
            }
            self.done = !self.parser.step(&mut self.src, &self.ctx, &mut self.pending);
        }
    }
}

/// Opens an export file and detects its format and encoding.
///
/// # Errors
/// [`Error::Io`] if the file cannot be opened or read,
/// [`Error::UnknownFormat`] naming the file and the formats tried when the
/// content matches none, [`Error::Ingest`] for unusable options (offset,
/// a CSV header lacking the mapped columns).
pub fn open(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<Reader> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::Io(format!("{name}: {e}")))?;
    read(file, &name, opts)
}

/// Reads an export from any `Read` (a file, stdin, memory). `file_name` is
/// used in rejections and, through its stem, as the group when the export
/// names none (`幸福社区_utf8.csv` → `幸福社区`; `-` or empty: no name).
///
/// # Errors
/// As for [`open`].
pub fn read<R: Read + Send + 'static>(reader: R, file_name: &str, opts: &ReadOptions) -> Result<Reader> {
    let off = opts.tz_offset_secs;
    if off % 60 != 0 || off.unsigned_abs() >= 24 * 3600 {
        return Err(Error::Ingest(format!(
            "time zone offset of {off} s: must be whole minutes within ±23:59"
        )));
    }
    let mut stream = Utf8Stream::new(Box::new(reader) as Input, opts.encoding);
    let head = stream.peek(HEAD).map_err(|e| Error::Io(format!("{file_name}: {e}")))?.to_string();
    let format = match opts.format {
        Some(f) => f,
        None => detect(&head, opts.columns.as_ref()).ok_or_else(|| Error::UnknownFormat {
            file: file_name.to_string(),
            tried: Format::all_names(),
        })?,
    };
    let parser = match format {
        Format::Jsonl => Parser::Jsonl(jsonl::Jsonl),
        Format::ChatlogJson => Parser::Chatlog(chatlog::Chatlog::new()),
        Format::QqTxt => Parser::Qq(qq::Qq::new()),
        Format::WeChatMsgCsv | Format::PyWxDumpCsv | Format::Csv => Parser::Csv(Box::new(
            csvfmt::CsvParser::new(format, first_line(&head), opts.columns.as_ref())
                .map_err(|e| Error::Ingest(format!("{file_name}: {e}")))?,
        )),
    };
    let ctx = Ctx {
        file: file_name.to_string(),
        fallback_group: group_from_file_name(file_name).or_else(|| opts.default_group.clone()),
        offset: off,
        exported_by_police: opts.exported_by_police,
        roster: opts.roster.clone(),
    };
    Ok(Reader { format, src: Source::new(stream), parser, ctx, pending: VecDeque::new(), done: false })
}

fn first_line(head: &str) -> &str {
    let line = head.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line).trim_start_matches('\u{feff}')
}

/// The format of an export from its first decoded text.
fn detect(head: &str, columns: Option<&ColumnSpec>) -> Option<Format> {
    let head = head.trim_start_matches('\u{feff}');
    let first = first_line(head);
    if first.starts_with("消息记录") {
        return Some(Format::QqTxt);
    }
    let first_nonblank = head.split('\n').map(str::trim).find(|l| !l.is_empty())?;
    if qq::is_separator(first_nonblank) && (head.contains("消息对象:") || head.contains("消息对象：")) {
        return Some(Format::QqTxt);
    }
    if first_nonblank.starts_with('[') {
        return Some(Format::ChatlogJson);
    }
    if first_nonblank.starts_with('{') {
        return first_nonblank.ends_with('}').then_some(Format::Jsonl);
    }
    csvfmt::detect_header(first, columns)
}

/// The group a file name implies: its stem without a `_utf8` suffix.
fn group_from_file_name(file_name: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => base.get(..i).unwrap_or(base),
        _ => base,
    };
    let lower = stem.to_ascii_lowercase();
    let stem = ["_utf8", "_utf-8", "-utf8"]
        .iter()
        .find(|s| lower.ends_with(*s))
        .and_then(|s| stem.get(..stem.len() - s.len()))
        .unwrap_or(stem)
        .trim();
    (!stem.is_empty() && stem != "-").then(|| stem.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_groups() {
        assert_eq!(group_from_file_name("exports/幸福社区警民群_utf8.csv").as_deref(), Some("幸福社区警民群"));
        assert_eq!(group_from_file_name("C:\\x\\二组.txt").as_deref(), Some("二组"));
        assert_eq!(group_from_file_name("-"), None);
        assert_eq!(group_from_file_name(""), None);
        assert_eq!(group_from_file_name(".hidden").as_deref(), Some(".hidden"));
    }

    #[test]
    fn placeholders_and_quotes() {
        assert!(is_media_placeholder("[图片]"));
        assert!(is_media_placeholder(" [图片][表情] "));
        assert!(!is_media_placeholder("[图片] 看这个"));
        assert!(!is_media_placeholder("[微笑]"));
        assert!(!is_media_placeholder(""));
        assert_eq!(strip_quote("这是诈骗，别转！\n\n[引用](2024-03-01 10:00:00)李阿姨:有人"), "这是诈骗，别转！");
        assert_eq!(strip_quote("普通消息"), "普通消息");
    }
}
