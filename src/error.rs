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
    #[error("I/O error: {0}")]
    Io(String),
    /// An input matches none of the chat export formats `ingest` reads.
    #[error("{file}: not a recognised chat export (tried: {tried}); name the format explicitly")]
    UnknownFormat {
        /// The file (or source name) that was read.
        file: String,
        /// The formats tried, comma-separated.
        tried: String,
    },
    /// A chat export or an ingestion option cannot be used (the message
    /// names the file or option).
    #[error("{0}")]
    Ingest(String),
}

/// `Result` with the library's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A JSON error described by kind, line and column, and the names of
/// fields only: never a value from the input, which may be message text or
/// personal data.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
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
    format!("{what} (line {}, column {})", e.line(), e.column())
}

/// Whether every token a serde message quotes in backticks is a name (a
/// field, variant or type: short ASCII, letters, digits and `_`, no run of
/// five digits) rather than a value from the input, which may be message
/// text or personal data (`unknown field `13987654321``).
pub(crate) fn quoted_tokens_are_names(msg: &str) -> bool {
    msg.split('`').skip(1).step_by(2).all(|token| {
        let mut run = 0usize;
        let mut longest = 0usize;
        for b in token.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        token.len() <= 40 && longest < 5 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}
