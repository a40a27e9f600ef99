//! The inputs of `report`: chat exports, read as a stream of items.
//!
//! [`Source`] is what the report reads; [`open`] picks the reader
//! (`jingmin::ingest`: native JSON Lines, 留痕/WeChatMsg CSV, PyWxDump CSV,
//! chatlog JSON, QQ TXT, generic CSV; detected from the content unless
//! `--input-format` names one).

use std::fs::File;

use jingmin::ingest::{self, ColumnSpec, Format, ReadOptions, Record, Roster};
use jingmin::{Message, MessageKind, Unrecognised};

/// One record of an input.
pub enum Item {
    /// A message (`line` when the reader knows it). `kind` is the kind the
    /// export said (a system notice, recall or media record), `None` for
    /// text, whose kind the aggregator recognises.
    Message { message: Message, kind: Option<MessageKind>, line: Option<u64> },
    /// A malformed record, skipped.
    Rejected { line: u64, reason: String },
    /// A remark about the record that follows (it is still read).
    Warning { line: u64, reason: String },
}

/// A readable input.
pub trait Source: Iterator<Item = Item> {
    /// The file name, for messages.
    fn file(&self) -> &str;
}

/// How to read the inputs (from the command line).
#[derive(Clone, Debug, Default)]
pub struct InputOptions {
    /// Seconds east of UTC.
    pub tz: i32,
    pub default_group: Option<String>,
    pub exported_by_police: bool,
    /// Path of the roster CSV.
    pub roster: Option<String>,
    /// The `--columns` spec.
    pub columns: Option<String>,
    /// The `--input-format` name.
    pub format: Option<String>,
}

/// The options checked once for all inputs.
pub struct Prepared {
    opts: ReadOptions,
}

/// The `--input-format` names: `jsonl, wechatmsg-csv (留痕), …`.
fn format_names() -> String {
    let name = |f: &Format| match f {
        Format::WeChatMsgCsv => format!("{f} (留痕)"),
        f => f.to_string(),
    };
    Format::ALL.iter().map(name).collect::<Vec<_>>().join(", ")
}

/// Check the options (format name, roster, column spec) once.
pub fn prepare(o: &InputOptions) -> Result<Prepared, String> {
    let mut opts = ReadOptions {
        tz_offset_secs: o.tz,
        default_group: o.default_group.clone(),
        exported_by_police: o.exported_by_police,
        ..ReadOptions::default()
    };
    if let Some(name) = &o.format {
        opts.format = Some(
            Format::from_name(name)
                .ok_or_else(|| format!("--input-format {name:?}: expected one of {}", format_names()))?,
        );
    }
    if let Some(path) = &o.roster {
        let file = File::open(path).map_err(|e| format!("{path}: cannot open roster: {e}"))?;
        opts.roster = Some(Roster::from_csv_reader(file).map_err(|e| format!("{path}: {e}"))?);
    }
    if let Some(spec) = &o.columns {
        opts.columns = Some(ColumnSpec::parse(spec).map_err(|e| format!("--columns: {e}"))?);
    }
    Ok(Prepared { opts })
}

/// Open an input; `Err` (naming the file) when it cannot be read or matches
/// no format.
pub fn open(path: &str, prepared: &Prepared) -> Result<Box<dyn Source>, String> {
    let reader = ingest::open(path, &prepared.opts).map_err(|e| match e {
        jingmin::Error::Io { context, source } => format!("cannot read {context}: {source}"),
        jingmin::Error::UnknownFormat { file, found, .. } => unknown_format(&file, &found),
        other => other.to_string(),
    })?;
    Ok(Box::new(Export { reader }))
}

/// The error of an input of no known format: what it is (the library's
/// description) and the options that read it anyway, with what they take.
fn unknown_format(file: &str, found: &Unrecognised) -> String {
    let names = format_names();
    let input_format = format!("--input-format NAME ({names})");
    let columns = "--columns time=COL,group=COL,sender=COL,text=COL (text= is required; role= and id= are optional)";
    match found {
        Unrecognised::Empty | Unrecognised::BlankLines => format!("{file}: {found}: there is no chat export to read"),
        Unrecognised::Binary { .. } => format!(
            "{file}: {found}, not a chat export; the exports read are text: the formats of {input_format}, \
             and any CSV mapped with {columns}"
        ),
        Unrecognised::CsvHeader { mapped: true, .. } => format!(
            "{file}: {found}: --columns names columns of the header (matched case-insensitively); \
             or name its format with {input_format}"
        ),
        Unrecognised::CsvHeader { mapped: false, .. } => format!(
            "{file}: {found}: not a recognised chat export (tried: {names}); map its columns with {columns}, \
             or name its format with --input-format NAME (one of those)"
        ),
        _ => format!(
            "{file}: {found}: not a recognised chat export (tried: {names}); name its format with \
             --input-format NAME (one of those), or map a CSV's columns with {columns}"
        ),
    }
}

/// A chat export read by `jingmin::ingest`.
struct Export {
    reader: ingest::Reader,
}

impl Iterator for Export {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        Some(match self.reader.next()? {
            Record::Message(message) => Item::Message { message, kind: None, line: None },
            Record::System { kind, message, line } => Item::Message { message, kind: Some(kind), line: Some(line) },
            Record::Rejected { line, reason, .. } => Item::Rejected { line, reason },
            Record::Warning { line, reason, .. } => Item::Warning { line, reason },
        })
    }
}

impl Source for Export {
    fn file(&self) -> &str {
        self.reader.file()
    }
}
