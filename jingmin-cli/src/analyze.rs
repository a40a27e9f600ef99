//! `jingmin analyze`: one output line per input line (docs/analysis-output.md):
//! the analysis of a JSON Lines message (or, with `--text`, of a line of
//! plain text), an error line for a line that cannot be analysed, a marker
//! for a blank line.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use jingmin::{describe_json_error, is_safe_name, AnalyzeOptions, Analysis, Engine, Message, Role};
use serde::Serialize;

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
    let mode = if a.text {
        Mode::Text(AnalyzeOptions { role: a.role.map_or(Role::Unknown, Role::from), raw: a.engine.raw })
    } else {
        Mode::Jsonl { raw: a.engine.raw }
    };
    let stdout = io::stdout();
    let mut output = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut line_no = 0u64;
    let max = engine.max_message_bytes();
    loop {
        buf.clear();
        let outcome = match read_line(&mut reader, &mut buf, max) {
            Ok(Line::Eof) => break,
            Ok(Line::Text) => {
                line_no += 1;
                judge(&buf, &engine, &mode)
            }
            Ok(Line::TooLong(bytes)) => {
                line_no += 1;
                Outcome::Failed(Failure {
                    kind: "too_large",
                    id: None,
                    message: format!("line of {bytes} bytes, over the {} message limit; not analysed", limit_text(max)),
                })
            }
            Err(e) => {
                errln!("jingmin analyze: {name}: read error after line {line_no}: {e}");
                return ExitCode::from(2);
            }
        };
        if let Outcome::Failed(f) = &outcome {
            failed += 1;
            // The id helps find the line, unless it could be message text
            // or personal data (`jingmin::is_safe_name`).
            let id = f.id.as_deref().filter(|i| is_safe_name(i, 64)).map(|i| format!(" (id {i})")).unwrap_or_default();
            errln!("{name}:{line_no}{id}: {}", f.message);
        }
        if let Err(e) = write_outcome(&mut output, line_no, outcome) {
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

/// What the input lines are.
enum Mode {
    /// JSON Lines messages (taxonomy §4), each with its own role.
    Jsonl { raw: bool },
    /// Plain text, one message per line, all with the same options.
    Text(AnalyzeOptions),
}

/// What one input line gives: exactly one output line.
enum Outcome {
    Analysis(Box<Analysis>),
    /// An empty line, or one of white space only.
    Blank,
    Failed(Failure),
}

/// Why a line was not analysed.
struct Failure {
    /// The stable kind: `invalid_utf8`, `too_large`, `invalid_json`,
    /// `invalid_message`.
    kind: &'static str,
    /// The input's id, when the line is a JSON object with a readable one.
    id: Option<String>,
    /// For people: names the field or column, never the line's text.
    message: String,
}

/// The outcome of one line (without its line end).
fn judge(bytes: &[u8], engine: &Engine, mode: &Mode) -> Outcome {
    let line = match std::str::from_utf8(bytes) {
        // A byte-order mark (of the input, or of a file concatenated into
        // it) is no part of the message.
        Ok(s) => s.trim_start_matches('\u{feff}'),
        Err(e) => {
            let message = format!("invalid UTF-8 at byte {}", e.valid_up_to());
            return Outcome::Failed(Failure { kind: "invalid_utf8", id: None, message });
        }
    };
    if line.trim().is_empty() {
        return Outcome::Blank;
    }
    match mode {
        Mode::Text(opts) => Outcome::Analysis(Box::new(engine.analyze_with(line, opts))),
        // A message is an object (taxonomy §4); serde would also read one
        // from an array of its fields.
        Mode::Jsonl { .. } if !line.trim_start().starts_with('{') => not_a_message(line, "not a JSON object".to_owned()),
        Mode::Jsonl { raw } => match serde_json::from_str::<Message>(line) {
            Ok(msg) => {
                let mut analysis = engine.analyze_with(&msg.text, &AnalyzeOptions { role: msg.role, raw: *raw });
                analysis.id = msg.id;
                Outcome::Analysis(Box::new(analysis))
            }
            Err(e) => {
                let why = match e.classify() {
                    serde_json::error::Category::Data => describe_json_error(&e),
                    // A null where a role is due, say: serde calls that
                    // syntax, but the line is well-formed JSON.
                    _ => format!("a field has the wrong type (column {})", e.column()),
                };
                not_a_message(line, why)
            }
        },
    }
}

/// The failure of a JSON Lines line that is not a message: `invalid_json`
/// unless the line is well-formed JSON, then `invalid_message` with its id,
/// if readable (which message it was meant to be).
fn not_a_message(line: &str, why: String) -> Outcome {
    Outcome::Failed(match serde_json::from_str::<serde_json::Value>(line) {
        Ok(v) => {
            Failure { kind: "invalid_message", id: v.get("id").and_then(id_text), message: format!("not a message: {why}") }
        }
        Err(e) => Failure { kind: "invalid_json", id: None, message: describe_json_error(&e) },
    })
}

/// An id as a message's id reads it (`jingmin::Message`): a string as it
/// is, a number as its decimal text; anything else is no id.
fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => {
            let int = n.as_i64().map(|i| i.to_string()).or_else(|| n.as_u64().map(|u| u.to_string()));
            int.or_else(|| n.as_f64().map(|f| f.to_string()))
        }
        _ => None,
    }
}

/// The error line of a line that was not analysed.
#[derive(Serialize)]
struct ErrorLine<'a> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'a str,
    message: &'a str,
}

/// The marker of a blank line.
#[derive(Serialize)]
struct BlankLine {
    line: u64,
    blank: bool,
}

/// Write the output line of input line `line`.
fn write_outcome(w: &mut impl Write, line: u64, outcome: Outcome) -> io::Result<()> {
    match outcome {
        Outcome::Analysis(a) => serde_json::to_writer(&mut *w, &a),
        Outcome::Blank => serde_json::to_writer(&mut *w, &BlankLine { line, blank: true }),
        Outcome::Failed(f) => {
            let error = ErrorBody { kind: f.kind, message: &f.message };
            serde_json::to_writer(&mut *w, &ErrorLine { line, id: f.id.as_deref(), error })
        }
    }
    .map_err(io::Error::from)?;
    w.write_all(b"\n")
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
