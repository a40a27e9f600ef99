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
use crate::error::{Error, Result, Unrecognised};

/// How much decoded text format detection looks at.
const HEAD: usize = 64 * 1024;
/// How many raw bytes the description of an unrecognised input looks at.
const MAGIC: usize = 1024;

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
    let io_error = |source| Error::Io { context: file_name.to_string(), source };
    let magic = stream.peek_raw(MAGIC).map_err(io_error)?.to_vec();
    let head = stream.peek(HEAD).map_err(io_error)?.to_string();
    let format = match opts.format {
        Some(f) => f,
        None => detect(&head, opts.columns.as_ref()).ok_or_else(|| Error::UnknownFormat {
            file: file_name.to_string(),
            tried: Format::all_names(),
            found: unrecognised(&magic, &head, opts.columns.as_ref()),
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

/// What an input that [`detect`] did not recognise looks like, from its
/// first raw bytes and decoded text.
pub(crate) fn unrecognised(raw: &[u8], head: &str, columns: Option<&ColumnSpec>) -> Unrecognised {
    if raw.is_empty() {
        return Unrecognised::Empty;
    }
    if let Some(what) = binary_kind(raw) {
        return Unrecognised::Binary { what: Some(what) };
    }
    let utf16 = raw.starts_with(b"\xFF\xFE") || raw.starts_with(b"\xFE\xFF");
    // Text has no NUL bytes (but UTF-16 does) and few control characters;
    // bytes decoded as GB18030, which takes nearly any pair, have many.
    let sample = head.chars().take(4096);
    let (mut chars, mut control) = (0usize, 0usize);
    for c in sample {
        chars += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b')) || c == '\u{fffd}' {
            control += 1;
        }
    }
    if (!utf16 && raw.contains(&0)) || control * 20 > chars {
        return Unrecognised::Binary { what: None };
    }
    let head = head.trim_start_matches('\u{feff}');
    let Some(first_nonblank) = head.split(['\n', '\r']).map(str::trim).find(|l| !l.is_empty()) else {
        return Unrecognised::BlankLines;
    };
    if first_nonblank.starts_with('{') {
        return Unrecognised::JsonNotLines;
    }
    let first = first_line(head);
    if first.contains(',') || columns.is_some() {
        return Unrecognised::CsvHeader { missing: csvfmt::missing_columns(first, columns), mapped: columns.is_some() };
    }
    Unrecognised::Text
}

/// The kind of a binary file, from its magic bytes: the files most often
/// taken for a chat export by mistake (screenshots, spreadsheets, the chat
/// app's own database, voice messages).
fn binary_kind(raw: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (.xlsx and .docx files are ZIP archives)"),
        (b"PK\x05\x06", "ZIP archive (.xlsx and .docx files are ZIP archives)"),
        (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "OLE document (.xls or .doc)"),
        (b"SQLite format 3\x00", "SQLite database (a chat app's own database: export the chat first)"),
        (b"\x1F\x8B", "gzip archive"),
        (b"7z\xBC\xAF\x27\x1C", "7z archive"),
        (b"Rar!\x1A\x07", "RAR archive"),
        (b"\x7FELF", "ELF executable"),
        (b"#!AMR", "AMR audio"),
        (b"\x02#!SILK_V3", "SILK audio (a WeChat voice message)"),
        (b"#!SILK_V3", "SILK audio (a WeChat voice message)"),
    ];
    if let Some((_, what)) = MAGICS.iter().find(|(m, _)| raw.starts_with(m)) {
        return Some(what);
    }
    match (raw.get(..4), raw.get(4..8), raw.get(8..12)) {
        (Some(b"RIFF"), _, Some(b"WEBP")) => Some("WebP image"),
        (_, Some(b"ftyp"), _) => Some("ISO media file (MP4 or MOV video, HEIC image, M4A audio)"),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The error of reading `bytes` with format detection.
    fn unrecognised_err(bytes: &[u8], opts: &ReadOptions) -> Error {
        match read(std::io::Cursor::new(bytes.to_vec()), "in.dat", opts) {
            Ok(r) => panic!("read as {}", r.format()),
            Err(e) => e,
        }
    }

    #[test]
    fn unrecognised_inputs_say_what_they_are() {
        let none = ReadOptions::default();
        let cases: [(&[u8], &str); 9] = [
            (b"", "the file is empty"),
            (b"\xEF\xBB\xBF\r\n  \n\t\n", "only blank lines"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "a PNG image"),
            (b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", "a JPEG image"),
            (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "a PDF document"),
            (b"SQLite format 3\x00\x10\x00\x01\x01", "an SQLite database"),
            (b"\x01\x02\x00\x00\x07\x00\xFE\x00\x00\x00\x03", "a binary file (control bytes"),
            (b"name,age,city\nx,1,y\n", "no `text` column"),
        ];
        for (bytes, says) in cases {
            let e = unrecognised_err(bytes, &none);
            let msg = e.to_string();
            assert_eq!(e.kind(), ErrorKind::UnknownFormat, "{msg}");
            assert!(msg.starts_with("in.dat: ") && msg.contains(says), "{says:?} missing from {msg:?}");
        }
        // What was found, to match on.
        let found = |bytes: &[u8], opts: &ReadOptions| match unrecognised_err(bytes, opts) {
            Error::UnknownFormat { found, .. } => found,
            other => panic!("{other}"),
        };
        assert_eq!(found(b"", &none), Unrecognised::Empty);
        assert_eq!(found(b"\n\n", &none), Unrecognised::BlankLines);
        assert_eq!(found(b"GIF89a\x01\x00", &none), Unrecognised::Binary { what: Some("GIF image") });
        assert_eq!(found(b"RIFF\x24\x00\x00\x00WEBPVP8 ", &none), Unrecognised::Binary { what: Some("WebP image") });
        assert_eq!(
            found(b"\x00\x00\x00\x20ftypisom\x00\x00", &none),
            Unrecognised::Binary { what: Some("ISO media file (MP4 or MOV video, HEIC image, M4A audio)") }
        );
        // Random bytes without NULs, which GB18030 decodes to something.
        let noise: Vec<u8> = (0u32..2048).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1).collect();
        assert_eq!(found(&noise, &none), Unrecognised::Binary { what: None });
        assert_eq!(found(b"a,b\n", &none), Unrecognised::CsvHeader { missing: vec!["text".into()], mapped: false });
        // UTF-16 with a BOM is text, not binary.
        let utf16: Vec<u8> =
            b"\xFF\xFE".iter().copied().chain("笔记\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(found(&utf16, &none), Unrecognised::Text);
        assert_eq!(found("笔记，不是表格\n".as_bytes(), &none), Unrecognised::Text);
        // Text of no known shape, and JSON that is not one object per line.
        let msg = unrecognised_err("随便写的一些笔记\n第二行\n".as_bytes(), &none).to_string();
        assert!(msg.contains("no known header"), "{msg}");
        let msg = unrecognised_err(b"{\n  \"messages\": []\n}\n", &none).to_string();
        assert!(msg.contains("one object per line"), "{msg}");
        // A column mapping the header lacks: the missing columns are named.
        let columns = Some(ColumnSpec::parse("time=时间,text=内容").unwrap());
        let opts = ReadOptions { columns, ..ReadOptions::default() };
        let msg = unrecognised_err("时间,发送人,正文\n".as_bytes(), &opts).to_string();
        assert!(msg.contains("`内容`") && !msg.contains("`时间`"), "{msg}");
        // The text cases list the formats tried; nothing echoes the content.
        for bytes in [&b"name,age,city\n"[..], "笔记 13987654321\n".as_bytes()] {
            let msg = unrecognised_err(bytes, &none).to_string();
            assert!(Format::ALL.iter().all(|f| msg.contains(f.name())), "{msg}");
            assert!(!msg.contains("13987654321") && !msg.contains("city"), "{msg}");
        }
    }
}
