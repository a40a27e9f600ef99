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

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
