//! The library's error type.

use thiserror::Error;

/// Everything that can go wrong in the library. Messages name what, where
/// and why; they never echo message text or personal data.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A lexicon could not be read or an entry is malformed.
    #[error("invalid lexicon: {0}")]
    Lexicon(String),
    /// A JSON document could not be parsed.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// Input larger than the configured maximum.
    #[error("input too large: {len} bytes, the maximum is {max}")]
    TooLarge {
        /// The input's size in bytes.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// Input is not valid UTF-8.
    #[error("invalid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A snapshot could not be restored.
    #[error("invalid snapshot: {0}")]
    Snapshot(String),
    /// A timestamp could not be read.
    #[error("invalid time: {0}")]
    Time(String),
    /// A configuration is malformed or out of range, or two aggregators with
    /// different configurations were merged.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Reading or writing a file failed.
    #[error("I/O error: {context}: {source}")]
    Io {
        /// What was being read or written (a file name).
        context: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// An input matches none of the chat export formats `ingest` reads;
    /// `found` says what it is instead (empty, binary, text of no known
    /// shape, a CSV with other columns).
    #[error("{file}: {}", found.explain(tried))]
    UnknownFormat {
        /// The file (or source name) that was read.
        file: String,
        /// The formats tried, comma-separated.
        tried: String,
        /// What the input looked like.
        found: Unrecognised,
    },
    /// A chat export or an ingestion option cannot be used (the message
    /// names the file or option).
    #[error("{0}")]
    Ingest(String),
}

/// What an input that is no chat export looked like
/// ([`Error::UnknownFormat`]): from its first bytes, never its content.
///
/// `jingmin::ingest` reads a PNG screenshot given as an export as
///
/// ```
/// use jingmin::{Error, ErrorKind, Unrecognised};
///
/// let found = Unrecognised::Binary { what: Some("PNG image") };
/// let e = Error::UnknownFormat { file: "photo.png".into(), tried: "jsonl, csv".into(), found };
/// assert_eq!(e.kind(), ErrorKind::UnknownFormat);
/// assert_eq!(
///     e.to_string(),
///     "photo.png: a PNG image, a binary file, not a chat export: the formats read are text (jsonl, csv)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unrecognised {
    /// No bytes at all.
    Empty,
    /// Only blank lines (and perhaps a byte-order mark).
    BlankLines,
    /// Not text; `what` names the kind when its magic bytes say
    /// (`PNG image`, `ZIP archive (e.g. .xlsx, .docx)`, `SQLite database`…).
    Binary {
        /// The kind of file, when known.
        what: Option<&'static str>,
    },
    /// A CSV whose header is none of the known exports' and lacks the
    /// columns of the generic CSV: `missing` are the mapped columns not in
    /// the header (the text column `text` when no mapping was given).
    CsvHeader {
        /// The columns the mapping (or the default `text`) needs.
        missing: Vec<String>,
        /// Whether a column mapping was given.
        mapped: bool,
    },
    /// JSON that is not one object per line (a pretty-printed object).
    JsonNotLines,
    /// Text whose first line is no known header or shape.
    Text,
}

impl Unrecognised {
    /// The explanation after the file name: what the input is, and the
    /// formats tried where naming one could help.
    fn explain(&self, tried: &str) -> String {
        match self {
            Unrecognised::Empty | Unrecognised::BlankLines => format!("{self}: there is no chat export to read"),
            Unrecognised::Binary { .. } => format!("{self}, not a chat export: the formats read are text ({tried})"),
            _ => format!("{self}: not a recognised chat export (tried: {tried}); name the format explicitly"),
        }
    }
}

impl std::fmt::Display for Unrecognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unrecognised::Empty => f.write_str("the file is empty (0 bytes)"),
            Unrecognised::BlankLines => f.write_str("the file holds only blank lines"),
            Unrecognised::Binary { what: Some(what) } => {
                // "an SQLite database", "an ELF executable", "a PNG image".
                let an = what.starts_with(['A', 'E', 'I', 'O', 'U']) || what.starts_with("SQL");
                write!(f, "{} {what}, a binary file", if an { "an" } else { "a" })
            }
            Unrecognised::Binary { what: None } => f.write_str("a binary file (control bytes, not text)"),
            Unrecognised::CsvHeader { missing, mapped: true } => {
                let cols = missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
                write!(f, "a CSV whose header lacks the mapped column(s) {cols}")
            }
            Unrecognised::CsvHeader { mapped: false, .. } => f.write_str(
                "a CSV whose header is neither WeChatMsg's (localId, Type, IsSender, CreateTime, StrContent…) \
                 nor PyWxDump's (type_name, talker, msg, CreateTime…) and has no `text` column",
            ),
            Unrecognised::JsonNotLines => {
                f.write_str("JSON, but neither one object per line (JSON Lines) nor an array of messages (chatlog JSON)")
            }
            Unrecognised::Text => f.write_str(
                "text whose first line is no known header or shape (a QQ export's 消息记录 or ==== line, \
                 a JSON object or array, a CSV header)",
            ),
        }
    }
}

impl Error {
    /// The kind of this error, to match on: [`Error`] is non-exhaustive and
    /// its payloads may grow, its kinds are a closed list.
    ///
    /// ```
    /// use jingmin::{Engine, ErrorKind};
    ///
    /// let err = Engine::builder().lexicon_json("{").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Lexicon);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Lexicon(_) => ErrorKind::Lexicon,
            Error::Json(_) => ErrorKind::Json,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::InvalidUtf8 { .. } => ErrorKind::InvalidUtf8,
            Error::Snapshot(_) => ErrorKind::Snapshot,
            Error::Time(_) => ErrorKind::Time,
            Error::Config(_) => ErrorKind::Config,
            Error::Io { .. } => ErrorKind::Io,
            Error::UnknownFormat { .. } => ErrorKind::UnknownFormat,
            Error::Ingest(_) => ErrorKind::Ingest,
        }
    }
}

/// The kind of an [`Error`], one per variant: what callers match on (the C
/// layer maps each kind to its status in one table).
///
/// ```
/// use jingmin::ErrorKind;
///
/// assert_eq!(ErrorKind::ALL.len(), 10);
/// assert_eq!(ErrorKind::Snapshot.name(), "snapshot");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// [`Error::Lexicon`].
    Lexicon,
    /// [`Error::Json`].
    Json,
    /// [`Error::TooLarge`].
    TooLarge,
    /// [`Error::InvalidUtf8`].
    InvalidUtf8,
    /// [`Error::Snapshot`].
    Snapshot,
    /// [`Error::Time`].
    Time,
    /// [`Error::Config`].
    Config,
    /// [`Error::Io`].
    Io,
    /// [`Error::UnknownFormat`].
    UnknownFormat,
    /// [`Error::Ingest`].
    Ingest,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::Lexicon,
        ErrorKind::Json,
        ErrorKind::TooLarge,
        ErrorKind::InvalidUtf8,
        ErrorKind::Snapshot,
        ErrorKind::Time,
        ErrorKind::Config,
        ErrorKind::Io,
        ErrorKind::UnknownFormat,
        ErrorKind::Ingest,
    ];

    /// The kind's `snake_case` name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Lexicon => "lexicon",
            ErrorKind::Json => "json",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::Snapshot => "snapshot",
            ErrorKind::Time => "time",
            ErrorKind::Config => "config",
            ErrorKind::Io => "io",
            ErrorKind::UnknownFormat => "unknown_format",
            ErrorKind::Ingest => "ingest",
        }
    }
}

/// `Result` with the library's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A JSON error described by kind, line and column, and the names of
/// fields only: never a value from the input, which may be message text or
/// personal data. The one describer of JSON errors: the lexicon, snapshot,
/// configuration and message readers, the command line and the C layer all
/// use it.
///
/// ```
/// let e = serde_json::from_str::<jingmin::Message>(r#"{"id":"1"}"#).unwrap_err();
/// assert_eq!(jingmin::describe_json_error(&e), "missing field `text` (column 10)");
/// let e = serde_json::from_str::<jingmin::Message>(r#"{"text":13987654321}"#).unwrap_err();
/// assert!(!jingmin::describe_json_error(&e).contains("13987654321"));
/// ```
pub fn describe_json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the document is truncated".to_owned(),
        serde_json::error::Category::Syntax => "not well-formed JSON".to_owned(),
        serde_json::error::Category::Io => "I/O error".to_owned(),
        serde_json::error::Category::Data => {
            let full = e.to_string();
            let msg = full.split(" at line ").next().unwrap_or_default();
            // Messages such as "missing field `hash`" name fields; those that
            // quote a value (`invalid type: string "…"`, an unknown field or
            // variant written by someone else) are not repeated.
            if msg.contains('"') || msg.chars().count() > 200 || !quoted_tokens_are_names(msg) {
                "a field is missing, unknown or has the wrong type".to_owned()
            } else {
                msg.to_owned()
            }
        }
    };
    if e.line() <= 1 {
        format!("{what} (column {})", e.column())
    } else {
        format!("{what} (line {}, column {})", e.line(), e.column())
    }
}

/// The privacy rule of error messages: whether every token a serde message
/// quotes in backticks is a name (see [`is_safe_name`]) rather than a value
/// from the input (`unknown field `13987654321``).
fn quoted_tokens_are_names(msg: &str) -> bool {
    msg.split('`').skip(1).step_by(2).all(|token| is_safe_name(token, 40))
}

/// The one privacy rule of error messages: whether `s` may be repeated in
/// one. A name or an id may (ASCII letters, digits, `_`, `-`, `.`, `:`, at
/// most `max` bytes, no run of five or more digits); anything else may be
/// message text or personal data (a phone, QQ, ID or card number) and is
/// never repeated.
///
/// ```
/// assert!(jingmin::is_safe_name("missing_group", 40));
/// assert!(jingmin::is_safe_name("g17-0012", 40));
/// assert!(!jingmin::is_safe_name("13987654321", 40));
/// assert!(!jingmin::is_safe_name("秘密", 40));
/// ```
pub fn is_safe_name(s: &str, max: usize) -> bool {
    let mut run = 0usize;
    for b in s.bytes() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')) {
            return false;
        }
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 5 {
            return false;
        }
    }
    !s.is_empty() && s.len() <= max
}
