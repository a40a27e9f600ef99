//! What to read and how: the formats, the generic CSV column mapping, the
//! options every reader shares.

use super::datetime;
use super::decode::TextEncoding;
use super::roles::Roster;
use crate::error::{Error, Result};

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

    pub(crate) fn all_names() -> String {
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
