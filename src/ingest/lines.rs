//! Line- and byte-level access to decoded text, counting lines and capping
//! line length so that memory stays bounded whatever the input.

use std::io::{self, BufRead, BufReader, Read};

use std::collections::VecDeque;

use super::decode::{TextEncoding, Utf8Stream};
use super::record::{Ctx, Record};

/// The longest line (or JSON element, or record) kept in memory: the one
/// message limit of every path, the engine's default maximum message size
/// (1 MiB, as the C ABI's). Longer ones are skipped and rejected.
pub(crate) const MAX_LINE: usize = crate::engine::DEFAULT_MAX_MESSAGE_BYTES;

/// How the limit reads in messages: "1 MiB".
pub(crate) const MAX_LINE_TEXT: &str = "1 MiB";

pub(crate) type Input = Box<dyn Read + Send>;

/// One physical line.
pub(crate) enum Line {
    /// The line's number (1-based) and text without its `\n`, `\r\n` or
    /// lone `\r` (old Mac line ends).
    Text(u64, String),
    /// The line was longer than [`MAX_LINE`] and was skipped.
    TooLong(u64),
    /// A read error.
    Failed(u64, io::Error),
    /// End of input.
    Eof,
}

/// The next line as a line-based reader sees it, after [`Source::next_text`]
/// handled everything but text the one way every reader shares.
pub(crate) enum Next {
    /// The line's number and text.
    Text(u64, String),
    /// A line over [`MAX_LINE`]: rejected, skipped; reading goes on.
    Skipped,
    /// The end of the input, or a read error that ends it; the error's
    /// rejection is for the caller to push once it has flushed what it held.
    End(Option<Record>),
}

/// The rejection of a read error at line `n`.
pub(crate) fn read_failed(ctx: &Ctx, n: u64, e: &io::Error) -> Record {
    ctx.reject(n, format!("read failed: {e}"))
}

/// Decoded text with a line counter.
pub(crate) struct Source {
    inner: BufReader<Utf8Stream<Input>>,
    /// Newlines consumed so far; the current line is `newlines + 1`.
    newlines: u64,
}

impl Source {
    pub(crate) fn new(stream: Utf8Stream<Input>) -> Self {
        Source { inner: BufReader::with_capacity(64 * 1024, stream), newlines: 0 }
    }

    pub(crate) fn encoding(&self) -> TextEncoding {
        self.inner.get_ref().encoding()
    }

    pub(crate) fn had_bom(&self) -> bool {
        self.inner.get_ref().had_bom()
    }

    pub(crate) fn replacements(&self) -> u64 {
        self.inner.get_ref().replacements()
    }

    /// The number of the line the next byte belongs to.
    pub(crate) fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// The next line's text; a line too long is rejected (into `out`) and
    /// skipped, a read error or the end of input ends reading.
    pub(crate) fn next_text(&mut self, ctx: &Ctx, out: &mut VecDeque<Record>) -> Next {
        match self.next_line() {
            Line::Text(n, s) => Next::Text(n, s),
            Line::TooLong(n) => {
                out.push_back(ctx.reject(n, format!("line over the {MAX_LINE_TEXT} message limit ({MAX_LINE} bytes)")));
                Next::Skipped
            }
            Line::Failed(n, e) => Next::End(Some(read_failed(ctx, n, &e))),
            Line::Eof => Next::End(None),
        }
    }

    /// Reads the next physical line: it ends at `\n`, `\r\n` or a lone
    /// `\r`.
    pub(crate) fn next_line(&mut self) -> Line {
        let number = self.line();
        let mut buf = Vec::new();
        let mut too_long = false;
        let mut any = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Line::Failed(number, e),
            };
            if avail.is_empty() {
                if !any {
                    return Line::Eof;
                }
                break;
            }
            any = true;
            let (chunk_len, end) = match avail.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(i) => (i + 1, avail.get(i).copied()),
                None => (avail.len(), None),
            };
            if !too_long {
                // The line end itself does not count against the limit.
                let content = chunk_len - usize::from(end.is_some());
                if buf.len() + content > MAX_LINE {
                    too_long = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(avail.get(..content).unwrap_or(&[]));
                }
            }
            self.inner.consume(chunk_len);
            match end {
                Some(b'\r') => {
                    // `\r\n` is one line end, also across two reads.
                    if let Ok(Some(b'\n')) = self.peek_byte() {
                        self.inner.consume(1);
                    }
                    self.newlines += 1;
                    break;
                }
                Some(_) => {
                    self.newlines += 1;
                    break;
                }
                None => {}
            }
        }
        if too_long {
            return Line::TooLong(number);
        }
        // The decoder only produces UTF-8 and lines end at '\n'.
        let text = String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Line::Text(number, text)
    }

    /// The next byte without consuming it; `None` at the end.
    pub(crate) fn peek_byte(&mut self) -> io::Result<Option<u8>> {
        loop {
            match self.inner.fill_buf() {
                Ok(a) => return Ok(a.first().copied()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Consumes and returns the next byte.
    pub(crate) fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let b = self.peek_byte()?;
        if let Some(b) = b {
            self.inner.consume(1);
            if b == b'\n' {
                self.newlines += 1;
            }
        }
        Ok(b)
    }
}
