//! `jm_status`, the one panic boundary ([`guard`]) and the thread's last
//! error.

use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

use jingmin::{Error, ErrorKind};

/// The status every fallible entry point returns. `JM_OK` is 0; on any
/// other value `jm_last_error()` describes the failure.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum jm_status {
    /// Success.
    JM_OK = 0,
    /// A required pointer argument was NULL.
    JM_ERR_NULL_ARGUMENT = 1,
    /// Text was not valid UTF-8; the message gives the byte offset of the
    /// first invalid sequence.
    JM_ERR_INVALID_UTF8 = 2,
    /// A JSON document could not be parsed.
    JM_ERR_INVALID_JSON = 3,
    /// A lexicon is malformed (bad entry, unknown type, empty pattern…).
    JM_ERR_INVALID_LEXICON = 4,
    /// A snapshot could not be restored.
    JM_ERR_INVALID_SNAPSHOT = 5,
    /// The input is larger than the engine's maximum message size
    /// (`jm_engine_max_message_bytes`).
    JM_ERR_TOO_LARGE = 6,
    /// Reading or writing a file failed.
    JM_ERR_IO = 7,
    /// An internal error (a Rust panic) was caught at the boundary; the
    /// host process is unaffected and the engine stays usable.
    JM_ERR_PANIC = 8,
    /// A timestamp could not be read.
    JM_ERR_INVALID_TIME = 9,
    /// An argument is out of range: unknown flag bits, an unknown role code,
    /// a misaligned or oversized array.
    JM_ERR_INVALID_ARGUMENT = 10,
    /// A configuration (JSON) is malformed, or two aggregators with
    /// different configurations were merged.
    JM_ERR_INVALID_CONFIG = 11,
}

// ---------------------------------------------------------------------------
// Failures, the panic guard and the thread-local last error.

/// A failure on its way to the C caller: the status and a message saying
/// what went wrong and where (never the message text itself).
pub(crate) struct Failure {
    pub(crate) status: jm_status,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: jm_status, message: impl Into<String>) -> Self {
        Failure { status, message: message.into() }
    }

    pub(crate) fn null(arg: &str) -> Self {
        Failure::new(jm_status::JM_ERR_NULL_ARGUMENT, format!("{arg} is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Failure::new(jm_status::JM_ERR_INVALID_ARGUMENT, message)
    }

    /// A failure of the native API, located at argument `arg`.
    pub(crate) fn at(arg: &str, error: Error) -> Self {
        Failure { status: status_of(&error), message: format!("{arg}: {error}") }
    }
}

/// The status of each kind of error of the native API: the one table of the
/// mapping. Each kind the C layer can meet has its own status; the export
/// readers' kinds (`UnknownFormat`, `Ingest`) are not reached through the C
/// layer and, should they be, a file that cannot be read is an I/O failure.
/// The match is exhaustive over [`ErrorKind`], so a new kind does not build
/// until it is given a status here.
pub(crate) fn status_of_kind(kind: ErrorKind) -> jm_status {
    match kind {
        ErrorKind::Lexicon => jm_status::JM_ERR_INVALID_LEXICON,
        ErrorKind::Json => jm_status::JM_ERR_INVALID_JSON,
        ErrorKind::TooLarge => jm_status::JM_ERR_TOO_LARGE,
        ErrorKind::InvalidUtf8 => jm_status::JM_ERR_INVALID_UTF8,
        ErrorKind::Snapshot => jm_status::JM_ERR_INVALID_SNAPSHOT,
        ErrorKind::Time => jm_status::JM_ERR_INVALID_TIME,
        ErrorKind::Config => jm_status::JM_ERR_INVALID_CONFIG,
        ErrorKind::Io | ErrorKind::UnknownFormat | ErrorKind::Ingest => jm_status::JM_ERR_IO,
    }
}

/// The status of an error of the native API ([`status_of_kind`]).
pub(crate) fn status_of(error: &Error) -> jm_status {
    status_of_kind(error.kind())
}

thread_local! {
    /// The calling thread's last failure message, NUL-terminated.
    static LAST_ERROR: RefCell<Vec<u8>> = RefCell::new(vec![0]);
}

/// Store `message` as the thread's last error. Interior NULs (impossible in
/// the library's own messages, but cheap to rule out) become `?`.
pub(crate) fn set_last_error(message: &str) {
    let mut bytes: Vec<u8> = message.bytes().map(|b| if b == 0 { b'?' } else { b }).collect();
    bytes.push(0);
    // `try_with`: during thread teardown the slot may already be gone.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = bytes;
        }
    });
}

/// Run the body of entry point `function`, turning an error or a panic into
/// a status and the thread's last error.
pub(crate) fn guard<F>(function: &str, body: F) -> jm_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => jm_status::JM_OK,
        Ok(Err(failure)) => {
            set_last_error(&format!("{function}: {}", failure.message));
            failure.status
        }
        Err(payload) => {
            // The payload may quote input text: it is dropped, not reported.
            // Dropping it must not unwind out of here either.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            set_last_error(&format!(
                "{function}: internal error (a Rust panic was caught at the C boundary); \
                 the engine is still usable, please report this"
            ));
            jm_status::JM_ERR_PANIC
        }
    }
}

/// A message about the last failure on the calling thread: which function,
/// which argument, what went wrong and where (for invalid UTF-8, the byte
/// offset). Never quotes the text being analysed.
///
/// Returns a NUL-terminated string owned by the library: never NULL (empty
/// when nothing failed yet on this thread), never to be freed, valid until
/// the calling thread's next call of a function that returns a `jm_status`
/// (copy it if you need it longer). Successful calls do not clear it. Each
/// thread has its own message.
#[no_mangle]
pub extern "C" fn jm_last_error() -> *const c_char {
    static EMPTY: [u8; 1] = [0];
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(bytes) => bytes.as_ptr() as *const c_char,
            Err(_) => EMPTY.as_ptr() as *const c_char,
        })
        .unwrap_or(EMPTY.as_ptr() as *const c_char)
}

/// Run the body of an entry point that returns no status (the `_free`
/// functions, the name look-ups): a panic (impossible in practice) never
/// unwinds into the caller; `fallback` is returned instead, and the payload,
/// which may quote input text, is dropped unread.
pub(crate) fn guard_or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            fallback
        }
    }
}
