//! Streaming decoding of an export's bytes into UTF-8 with `encoding_rs`.
//!
//! The encoding comes from a byte-order mark when there is one; otherwise the
//! stream passes ASCII through untouched until the first non-ASCII byte, then
//! looks at up to 64 KiB from there: valid UTF-8 stays UTF-8, anything else is
//! read as GB18030 (a superset of GBK and GB2312). Invalid sequences and lone
//! surrogates become U+FFFD and are counted.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// The character encoding of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 little-endian (needs a byte-order mark to be detected).
    Utf16Le,
    /// UTF-16 big-endian (needs a byte-order mark to be detected).
    Utf16Be,
    /// GB18030, which includes GBK and GB2312 (older Windows exports).
    Gb18030,
}

impl TextEncoding {
    /// Every encoding, in detection order.
    pub const ALL: &'static [TextEncoding] =
        &[TextEncoding::Utf8, TextEncoding::Utf16Le, TextEncoding::Utf16Be, TextEncoding::Gb18030];

    /// The stable name: `utf-8`, `utf-16le`, `utf-16be`, `gb18030`.
    ///
    /// ```
    /// use jingmin::ingest::TextEncoding;
    /// assert_eq!(TextEncoding::Gb18030.name(), "gb18030");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// The encoding with this name (case-insensitive; `gbk`, `gb2312`,
    /// `utf8`, `utf-16` (little-endian) are accepted too).
    ///
    /// ```
    /// use jingmin::ingest::TextEncoding;
    /// assert_eq!(TextEncoding::from_name("GBK"), Some(TextEncoding::Gb18030));
    /// assert_eq!(TextEncoding::from_name("latin1"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf16le" | "utf-16" | "utf16" => Some(TextEncoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(TextEncoding::Gb18030),
            _ => None,
        }
    }

    fn encoding_rs(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
            TextEncoding::Gb18030 => GB18030,
        }
    }

    fn bom(self) -> &'static [u8] {
        match self {
            TextEncoding::Utf8 => b"\xEF\xBB\xBF",
            TextEncoding::Utf16Le => b"\xFF\xFE",
            TextEncoding::Utf16Be => b"\xFE\xFF",
            TextEncoding::Gb18030 => b"",
        }
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const CHUNK: usize = 64 * 1024;
const SNIFF: usize = 64 * 1024;
/// Valid multi-byte UTF-8 characters before an invalid sequence that keep a
/// stream UTF-8 (a corrupt byte in a UTF-8 file rather than GBK).
const UTF8_EVIDENCE: usize = 8;

enum State {
    /// Nothing read yet: look for a byte-order mark.
    Start,
    /// No mark and only ASCII so far.
    Undecided,
    /// Decoding with a known encoding.
    Decoding(Decoder),
    /// All input decoded and flushed.
    Done,
}

/// A `Read` that yields the UTF-8 text of another `Read`, whatever its
/// encoding. Memory stays bounded by the chunk sizes.
pub(crate) struct Utf8Stream<R> {
    inner: R,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_eof: bool,
    out: Vec<u8>,
    out_pos: usize,
    state: State,
    forced: Option<TextEncoding>,
    encoding: TextEncoding,
    bom: bool,
    replacements: u64,
}

impl<R: Read> Utf8Stream<R> {
    pub(crate) fn new(inner: R, forced: Option<TextEncoding>) -> Self {
        Utf8Stream {
            inner,
            raw: Vec::with_capacity(CHUNK),
            raw_pos: 0,
            raw_eof: false,
            out: Vec::with_capacity(CHUNK),
            out_pos: 0,
            state: State::Start,
            forced,
            encoding: forced.unwrap_or(TextEncoding::Utf8),
            bom: false,
            replacements: 0,
        }
    }

    /// The encoding in use (UTF-8 while only ASCII has been seen).
    pub(crate) fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// Whether the input started with a byte-order mark.
    pub(crate) fn had_bom(&self) -> bool {
        self.bom
    }

    /// Invalid sequences replaced with U+FFFD so far.
    pub(crate) fn replacements(&self) -> u64 {
        self.replacements
    }

    fn unread(&self) -> &[u8] {
        self.raw.get(self.raw_pos..).unwrap_or(&[])
    }

    /// Reads until at least `min` unread raw bytes are buffered or EOF.
    fn fill_raw(&mut self, min: usize) -> io::Result<()> {
        if self.raw_pos > 0 && self.raw_pos * 2 >= self.raw.len() {
            self.raw.drain(..self.raw_pos);
            self.raw_pos = 0;
        }
        let mut chunk = [0u8; 8192];
        while !self.raw_eof && self.raw.len() - self.raw_pos < min {
            match self.inner.read(&mut chunk) {
                Ok(0) => self.raw_eof = true,
                Ok(n) => self.raw.extend_from_slice(chunk.get(..n).unwrap_or(&[])),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn start_decoding(&mut self, enc: TextEncoding) {
        self.encoding = enc;
        self.state = State::Decoding(enc.encoding_rs().new_decoder_without_bom_handling());
    }

    /// Decodes some more input into `out`. Returns false at the end.
    fn produce(&mut self) -> io::Result<bool> {
        if self.out_pos >= self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        match self.state {
            State::Done => Ok(false),
            State::Start => {
                self.fill_raw(3)?;
                let head = self.unread();
                let by_bom = [TextEncoding::Utf8, TextEncoding::Utf16Le, TextEncoding::Utf16Be]
                    .into_iter()
                    .find(|e| head.starts_with(e.bom()) && self.forced.map_or(true, |f| f == *e));
                if let Some(enc) = by_bom {
                    self.raw_pos += enc.bom().len();
                    self.bom = true;
                    self.start_decoding(enc);
                } else if let Some(enc) = self.forced {
                    self.start_decoding(enc);
                } else {
                    self.state = State::Undecided;
                }
                Ok(true)
            }
            State::Undecided => {
                self.fill_raw(CHUNK)?;
                let unread = self.unread();
                if unread.is_empty() {
                    self.state = State::Done;
                    return Ok(false);
                }
                let ascii = unread.iter().take_while(|b| b.is_ascii()).count();
                if ascii > 0 {
                    let taken = unread.get(..ascii).unwrap_or(&[]).to_vec();
                    self.out.extend_from_slice(&taken);
                    self.raw_pos += ascii;
                    return Ok(true);
                }
                self.fill_raw(SNIFF)?;
                let unread = self.unread();
                let enc = match std::str::from_utf8(unread) {
                    Ok(_) => TextEncoding::Utf8,
                    Err(e) => {
                        let valid = std::str::from_utf8(unread.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or("");
                        let evidence = valid.chars().filter(|c| !c.is_ascii()).count();
                        if (e.error_len().is_none() && !self.raw_eof) || evidence >= UTF8_EVIDENCE {
                            TextEncoding::Utf8
                        } else {
                            TextEncoding::Gb18030
                        }
                    }
                };
                self.start_decoding(enc);
                Ok(true)
            }
            State::Decoding(_) => {
                self.fill_raw(CHUNK)?;
                let last = self.raw_eof;
                let State::Decoding(dec) = &mut self.state else { return Ok(false) };
                let mut src = self.raw.get(self.raw_pos..).unwrap_or(&[]);
                loop {
                    let need = dec
                        .max_utf8_buffer_length_without_replacement(src.len())
                        .unwrap_or_else(|| src.len().saturating_mul(3))
                        .max(4);
                    let start = self.out.len();
                    self.out.resize(start + need, 0);
                    let (res, read, written) =
                        dec.decode_to_utf8_without_replacement(src, self.out.get_mut(start..).unwrap_or(&mut []), last);
                    self.out.truncate(start + written);
                    self.raw_pos += read;
                    src = src.get(read..).unwrap_or(&[]);
                    match res {
                        DecoderResult::InputEmpty => break,
                        DecoderResult::OutputFull => {}
                        DecoderResult::Malformed(_, _) => {
                            self.out.extend_from_slice("\u{FFFD}".as_bytes());
                            self.replacements += 1;
                        }
                    }
                }
                if last {
                    self.state = State::Done;
                }
                Ok(true)
            }
        }
    }

    /// The first `n` raw bytes (fewer when the input is shorter), before any
    /// decoding: for a look at magic bytes. Only meaningful before the
    /// first [`peek`](Self::peek) or read.
    pub(crate) fn peek_raw(&mut self, n: usize) -> io::Result<&[u8]> {
        self.fill_raw(n)?;
        let unread = self.unread();
        Ok(unread.get(..n.min(unread.len())).unwrap_or(&[]))
    }

    /// At least `n` bytes of decoded text (fewer at the end of input),
    /// without consuming them.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&str> {
        while self.out.len() - self.out_pos < n {
            // `produce` only clears `out` once everything in it was consumed.
            if !self.produce()? {
                break;
            }
        }
        let bytes = self.out.get(self.out_pos..).unwrap_or(&[]);
        Ok(match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or(""),
        })
    }
}

impl<R: Read> Read for Utf8Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if !self.produce()? {
                return Ok(0);
            }
        }
        let avail = self.out.get(self.out_pos..).unwrap_or(&[]);
        let n = avail.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (String, TextEncoding, bool, u64) {
        let mut s = Utf8Stream::new(bytes, None);
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        (out, s.encoding(), s.had_bom(), s.replacements())
    }

    #[test]
    fn boms_and_sniffing() {
        assert_eq!(decode("\u{feff}警民".as_bytes()), ("警民".into(), TextEncoding::Utf8, true, 0));
        assert_eq!(decode(b"\xFF\xFEa\x00\x66\x8b"), ("a警".into(), TextEncoding::Utf16Le, true, 0));
        assert_eq!(decode(b"\xFE\xFF\x00a"), ("a".into(), TextEncoding::Utf16Be, true, 0));
        // "abc,警民" in GBK.
        assert_eq!(decode(b"abc,\xbe\xaf\xc3\xf1"), ("abc,警民".into(), TextEncoding::Gb18030, false, 0));
        assert_eq!(decode(b"plain"), ("plain".into(), TextEncoding::Utf8, false, 0));
    }

    #[test]
    fn invalid_sequences_are_replaced_and_counted() {
        // A lone high surrogate in UTF-16LE.
        let (s, _, _, n) = decode(b"\xFF\xFEa\x00\x00\xD8b\x00");
        assert_eq!((s.as_str(), n), ("a\u{FFFD}b", 1));
        // A stray byte after plenty of UTF-8 evidence stays UTF-8.
        let mut bytes = "警民联系群一二三四五".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("好".as_bytes());
        let (s, enc, _, n) = decode(&bytes);
        assert_eq!((s.as_str(), enc, n), ("警民联系群一二三四五\u{FFFD}好", TextEncoding::Utf8, 1));
    }

    #[test]
    fn peek_raw_sees_the_bom_and_consumes_nothing() {
        let mut s = Utf8Stream::new(&b"\xEF\xBB\xBFhi"[..], None);
        assert_eq!(s.peek_raw(4).unwrap(), b"\xEF\xBB\xBFh");
        assert_eq!(s.peek_raw(100).unwrap(), b"\xEF\xBB\xBFhi");
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert_eq!((out.as_str(), s.had_bom()), ("hi", true));
        assert_eq!(Utf8Stream::new(&b""[..], None).peek_raw(8).unwrap(), b"");
    }

    #[test]
    fn peek_does_not_consume() {
        let mut s = Utf8Stream::new(&b"\xEF\xBB\xBFhello"[..], None);
        assert_eq!(s.peek(3).unwrap().get(..3), Some("hel"));
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello");
    }
}
