//! The inputs of `report`: chat exports, read as a stream of items.
//!
//! [`Source`] is what the report reads; [`open`] picks the reader. This
//! version reads native JSON Lines (taxonomy §4) only.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use jingmin::{Message, MessageKind};

/// One record of an input.
pub enum Item {
    /// Text written by a person.
    Message { message: Message, line: Option<u64> },
    /// A system notice, recall or media message: counted apart.
    Other { kind: MessageKind, group: Option<String>, time: Option<String>, line: u64 },
    /// A malformed record, skipped.
    Rejected { line: u64, reason: String },
    /// A remark about the record that follows (it is still read).
    Warning { line: u64, reason: String },
}

/// A readable input.
pub trait Source: Iterator<Item = Item> {
    /// The file name, for messages.
    fn file(&self) -> &str;
    /// The format read.
    fn format_name(&self) -> &'static str;
}

/// How to read the inputs (from the command line).
#[derive(Clone, Debug, Default)]
pub struct InputOptions {
    pub tz: i32,
    pub default_group: Option<String>,
    pub exported_by_police: bool,
    pub roster: Option<String>,
    pub columns: Option<String>,
    pub format: Option<String>,
}

/// The options checked once for all inputs.
pub struct Prepared {
    opts: InputOptions,
}

/// The formats this build reads.
pub const FORMATS: &[&str] = &["jsonl"];

/// Check the options (format name, roster, column spec).
pub fn prepare(opts: &InputOptions) -> Result<Prepared, String> {
    if let Some(f) = &opts.format {
        if !FORMATS.contains(&f.as_str()) {
            return Err(format!("--input-format {f:?}: expected one of {}", FORMATS.join(", ")));
        }
    }
    if opts.roster.is_some() || opts.columns.is_some() || opts.exported_by_police {
        return Err("--roster, --columns and --exported-by-police need the chat export readers, \
                    not in this build"
            .into());
    }
    Ok(Prepared { opts: opts.clone() })
}

/// Open an input; `Err` (naming the file) when it cannot be read or matches
/// no format.
pub fn open(path: &str, prepared: &Prepared) -> Result<Box<dyn Source>, String> {
    let file = File::open(path).map_err(|e| format!("{path}: cannot open: {e}"))?;
    let mut reader = BufReader::new(file);
    // Detect: the first non-blank byte opens a JSON object.
    let first = loop {
        let buf = reader.fill_buf().map_err(|e| format!("{path}: cannot read: {e}"))?;
        if buf.is_empty() {
            break None;
        }
        let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let bom = if buf.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        if skip == 0 && bom == 0 {
            break buf.first().copied();
        }
        // Blank lines are skipped by the reader; only look past them here.
        let n = skip.max(bom);
        if n < buf.len() {
            break buf.get(n).copied();
        }
        break None;
    };
    match (first, &prepared.opts.format) {
        (Some(b'{'), _) | (None, _) | (_, Some(_)) => {}
        _ => {
            return Err(format!(
                "{path}: not a recognised chat export (tried: {}); name the format with --input-format",
                FORMATS.join(", ")
            ))
        }
    }
    let stem_group = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.trim().is_empty() && s != "-");
    let fallback = stem_group.or_else(|| prepared.opts.default_group.clone());
    Ok(Box::new(JsonLines { file: path.to_owned(), reader: Box::new(reader), line: 0, fallback, buf: Vec::new() }))
}

/// Native JSON Lines (taxonomy §4), one message per line.
struct JsonLines {
    file: String,
    reader: Box<dyn BufRead>,
    line: u64,
    fallback: Option<String>,
    buf: Vec<u8>,
}

impl Iterator for JsonLines {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.line += 1;
                    // The rest of the file cannot be read: one rejection, then stop.
                    let reason = format!("read error: {e}");
                    self.reader = Box::new(std::io::empty());
                    return Some(Item::Rejected { line: self.line, reason });
                }
            }
            self.line += 1;
            let line = match std::str::from_utf8(&self.buf) {
                Ok(s) => s.trim_end_matches(['\n', '\r']).trim_start_matches('\u{feff}'),
                Err(e) => {
                    return Some(Item::Rejected {
                        line: self.line,
                        reason: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                    })
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            return Some(match serde_json::from_str::<Message>(line) {
                Ok(mut m) => {
                    if m.group.as_deref().map_or(true, |g| g.trim().is_empty()) {
                        m.group = self.fallback.clone();
                    }
                    Item::Message { message: m, line: Some(self.line) }
                }
                Err(e) => Item::Rejected {
                    line: self.line,
                    reason: format!("not a message: {}", crate::analyze::describe_json_error(&e)),
                },
            });
        }
    }
}

impl Source for JsonLines {
    fn file(&self) -> &str {
        &self.file
    }

    fn format_name(&self) -> &'static str {
        "jsonl"
    }
}
