//! Standard output and standard error, written so that a closed pipe
//! (`jingmin report … 2>&1 | head`) ends the run quietly, as in other Unix
//! tools. `print!` and `eprint!` panic when the reader has gone ("failed
//! printing to stderr: Broken pipe", exit 101): nothing here uses them.

use std::io::{self, Write};

/// Whether `e` says the reader of the pipe has gone: stop writing, quietly.
pub fn is_closed(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Write `bytes` to standard output and flush. A closed pipe is not an
/// error (the reader wanted no more); any other failure is.
pub fn stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if !is_closed(&e) => Err(e),
        _ => Ok(()),
    }
}

/// Write one line to standard error. Failures are ignored: a closed
/// standard error (or any other) has nowhere to be reported, and the run
/// goes on to its result and exit code.
pub fn stderr_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(line.as_bytes()).and_then(|_| err.write_all(b"\n")).and_then(|_| err.flush());
}

/// `eprintln!` that never panics: [`stderr_line`] of the formatted text.
macro_rules! errln {
    ($($t:tt)*) => {
        $crate::out::stderr_line(&format!($($t)*))
    };
}
pub(crate) use errln;
