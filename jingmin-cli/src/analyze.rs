//! `jingmin analyze`: one analysis per JSON Lines message.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use jingmin::{describe_json_error, is_safe_name, AnalyzeOptions, Message};

use crate::args::AnalyzeArgs;
use crate::build_engine;
use crate::out::{self, errln};

/// Run `analyze`.
pub fn analyze(a: &AnalyzeArgs) -> ExitCode {
    let engine = match build_engine(a.engine.lexicon.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            errln!("jingmin analyze: {e}");
            return ExitCode::from(2);
        }
    };
    let (name, reader): (String, Box<dyn BufRead>) = match a.input.as_deref() {
        None | Some("-") => ("<stdin>".into(), Box::new(io::BufReader::new(io::stdin().lock()))),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => (path.to_owned(), Box::new(io::BufReader::new(f))),
            Err(e) => {
                errln!("jingmin analyze: cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let stdout = io::stdout();
    let mut output = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut line_no = 0usize;
    let max = engine.max_message_bytes();
    loop {
        buf.clear();
        match read_line(&mut reader, &mut buf, max) {
            Ok(Line::Eof) => break,
            Ok(Line::Text) => line_no += 1,
            Ok(Line::TooLong(bytes)) => {
                line_no += 1;
                errln!("{name}:{line_no}: line of {bytes} bytes, over the {} message limit; not analysed", limit_text(max));
                failed += 1;
                continue;
            }
            Err(e) => {
                errln!("jingmin analyze: {name}: read error after line {line_no}: {e}");
                return ExitCode::from(2);
            }
        }
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s.trim_start_matches('\u{feff}'),
            Err(e) => {
                errln!("{name}:{line_no}: invalid UTF-8 at byte {}", e.valid_up_to());
                failed += 1;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let msg: Message = match serde_json::from_str(line) {
            Ok(m) => m,
            Err(e) => {
                // The id helps find the line, unless it could be message
                // text or personal data (`jingmin::is_safe_name`).
                let id = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| match v.get("id") {
                        Some(serde_json::Value::String(s)) if is_safe_name(s, 64) => Some(s.clone()),
                        Some(serde_json::Value::Number(n)) if is_safe_name(&n.to_string(), 64) => Some(n.to_string()),
                        _ => None,
                    })
                    .map(|i| format!(" (id {i})"))
                    .unwrap_or_default();
                errln!("{name}:{line_no}{id}: not a message: {}", describe_json_error(&e));
                failed += 1;
                continue;
            }
        };
        let mut analysis = engine.analyze_with(&msg.text, &AnalyzeOptions { role: msg.role, raw: a.engine.raw });
        analysis.id = msg.id;
        let written = serde_json::to_writer(&mut output, &analysis).map_err(io::Error::from).and_then(|_| output.write_all(b"\n"));
        if let Err(e) = written {
            if out::is_closed(&e) {
                return ExitCode::SUCCESS;
            }
            errln!("jingmin analyze: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = output.flush() {
        if !out::is_closed(&e) {
            errln!("jingmin analyze: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    if failed > 0 {
        errln!("jingmin analyze: {failed} line(s) could not be analysed");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What [`read_line`] read.
enum Line {
    /// A line, in the buffer without its line end.
    Text,
    /// A line longer than the limit, skipped: its length in bytes.
    TooLong(usize),
    /// The end of the input.
    Eof,
}

/// "1 MiB" for the default limit, else the bytes.
fn limit_text(max: usize) -> String {
    if max % (1 << 20) == 0 {
        format!("{} MiB", max >> 20)
    } else {
        format!("{max}-byte")
    }
}

/// Read one line (ended by `\n`, `\r\n` or a lone `\r`) into `buf`, keeping
/// at most `max` bytes in memory: a longer line is read past and reported
/// as [`Line::TooLong`].
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    let mut len = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (content, end) = match avail.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => (i, avail.get(i).copied()),
            None => (avail.len(), None),
        };
        len = len.saturating_add(content);
        if len <= max {
            buf.extend_from_slice(avail.get(..content).unwrap_or(&[]));
        }
        r.consume(content + usize::from(end.is_some()));
        match end {
            Some(b'\r') => {
                // `\r\n` is one line end, also across two reads.
                if r.fill_buf().is_ok_and(|a| a.first() == Some(&b'\n')) {
                    r.consume(1);
                }
                break;
            }
            Some(_) => break,
            None => {}
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if len > max {
        buf.clear();
        return Ok(Line::TooLong(len));
    }
    Ok(Line::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_fields_not_values() {
        let e = serde_json::from_str::<jingmin::Message>(r#"{"text":"x","role":"秘密13987654321"}"#).unwrap_err();
        let d = describe_json_error(&e);
        assert!(!d.contains("秘密") && !d.contains("13987654321"), "{d}");
        let e = serde_json::from_str::<jingmin::Message>(r#"{"id":"a"}"#).unwrap_err();
        assert_eq!(describe_json_error(&e), "missing field `text` (column 10)");
    }

    #[test]
    fn lines_end_at_lf_crlf_and_cr_and_long_ones_are_skipped() {
        let data = b"ab\ncd\r\nef\rgh\r\rtoolong\nend";
        // A one-byte buffer: every line end falls between two reads.
        let mut r = io::BufReader::with_capacity(1, &data[..]);
        let mut got = Vec::new();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match read_line(&mut r, &mut buf, 4).unwrap() {
                Line::Eof => break,
                Line::Text => got.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong(n) => got.push(format!("<{n}>")),
            }
        }
        assert_eq!(got, ["ab", "cd", "ef", "gh", "", "<7>", "end"]);
        assert_eq!(limit_text(1 << 20), "1 MiB");
    }
}
