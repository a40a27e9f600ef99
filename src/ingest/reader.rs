//! [`Reader`]: detection of the format, then records read lazily by the
//! format's parser.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::decode::{TextEncoding, Utf8Stream};
use super::lines::{Input, Source};
use super::options::{ColumnSpec, Format, ReadOptions};
use super::record::{Ctx, Record};
use super::{chatlog, csvfmt, jsonl, qq};
use crate::error::{Error, Result};

/// How much decoded text format detection looks at.
const HEAD: usize = 64 * 1024;

pub(crate) enum Parser {
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
    let file = File::open(path).map_err(|source| Error::Io { context: name.to_string(), source })?;
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
    let head = stream.peek(HEAD).map_err(|source| Error::Io { context: file_name.to_string(), source })?.to_string();
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

pub(crate) fn first_line(head: &str) -> &str {
    // Lines end at `\n`, `\r\n` or a lone `\r`.
    head.split(['\n', '\r']).next().unwrap_or("").trim_start_matches('\u{feff}')
}

/// The format of an export from its first decoded text.
pub(crate) fn detect(head: &str, columns: Option<&ColumnSpec>) -> Option<Format> {
    let head = head.trim_start_matches('\u{feff}');
    let first = first_line(head);
    if first.starts_with("消息记录") {
        return Some(Format::QqTxt);
    }
    let first_nonblank = head.split(['\n', '\r']).map(str::trim).find(|l| !l.is_empty())?;
    if qq::is_separator(first_nonblank) && (head.contains("消息对象:") || head.contains("消息对象：")) {
        return Some(Format::QqTxt);
    }
    if first_nonblank.starts_with('[') {
        return Some(Format::ChatlogJson);
    }
    if first_nonblank.starts_with('{') {
        // One object per line; a first line longer than the head (over the
        // message limit, rejected as a line) is still JSON Lines.
        let at = (first_nonblank.as_ptr() as usize).saturating_sub(head.as_ptr() as usize);
        let after = head.get(at.saturating_add(first_nonblank.len())..).unwrap_or("");
        let cut = head.len() + 8 >= HEAD && !after.contains(['\n', '\r']);
        return (first_nonblank.ends_with('}') || cut).then_some(Format::Jsonl);
    }
    csvfmt::detect_header(first, columns)
}

/// The group a file name implies: its stem without a `_utf8` suffix.
pub(crate) fn group_from_file_name(file_name: &str) -> Option<String> {
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
