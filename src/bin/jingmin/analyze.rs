//! `jingmin analyze`: one analysis per JSON Lines message.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use jingmin::{AnalyzeOptions, Message};

use crate::{build_engine, USAGE};

struct AnalyzeArgs {
    input: Option<String>,
    raw: bool,
    lexicon: Option<String>,
}

fn parse_analyze(args: &[String]) -> Result<AnalyzeArgs, String> {
    let mut out = AnalyzeArgs { input: None, raw: false, lexicon: None };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--raw" => out.raw = true,
            "--lexicon" => {
                out.lexicon = Some(it.next().ok_or("--lexicon needs a FILE")?.clone());
            }
            s if s.starts_with("--lexicon=") => out.lexicon = Some(s["--lexicon=".len()..].to_owned()),
            s if s.starts_with("--") => return Err(format!("unknown option {s:?}")),
            s => {
                if out.input.is_some() {
                    return Err("analyze reads one FILE (or - for standard input)".into());
                }
                out.input = Some(s.to_owned());
            }
        }
    }
    Ok(out)
}

pub fn analyze(args: &[String]) -> ExitCode {
    let a = match parse_analyze(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("jingmin analyze: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let engine = match build_engine(a.lexicon.as_deref()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("jingmin analyze: {e}");
            return ExitCode::from(2);
        }
    };
    let (name, reader): (String, Box<dyn BufRead>) = match a.input.as_deref() {
        None | Some("-") => ("<stdin>".into(), Box::new(io::BufReader::new(io::stdin().lock()))),
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => (path.to_owned(), Box::new(io::BufReader::new(f))),
            Err(e) => {
                eprintln!("jingmin analyze: cannot open {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut buf = Vec::new();
    let mut reader = reader;
    let mut line_no = 0usize;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("jingmin analyze: {name}: read error after line {line_no}: {e}");
                return ExitCode::from(2);
            }
        }
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s.trim_end_matches(['\n', '\r']).trim_start_matches('\u{feff}'),
            Err(e) => {
                eprintln!("{name}:{line_no}: invalid UTF-8 at byte {}", e.valid_up_to());
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
                // text or personal data (see `is_name`).
                let id = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| match v.get("id") {
                        Some(serde_json::Value::String(s)) if is_name(s, 64) => Some(s.clone()),
                        Some(serde_json::Value::Number(n)) if is_name(&n.to_string(), 64) => Some(n.to_string()),
                        _ => None,
                    })
                    .map(|i| format!(" (id {i})"))
                    .unwrap_or_default();
                eprintln!("{name}:{line_no}{id}: not a message: {}", describe_json_error(&e));
                failed += 1;
                continue;
            }
        };
        let mut analysis = engine.analyze_with(&msg.text, &AnalyzeOptions { role: msg.role, raw: a.raw });
        analysis.id = msg.id;
        let written = serde_json::to_writer(&mut out, &analysis).map_err(io::Error::from).and_then(|_| out.write_all(b"\n"));
        if let Err(e) = written {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("jingmin analyze: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("jingmin analyze: cannot write output: {e}");
            return ExitCode::from(2);
        }
    }
    if failed > 0 {
        eprintln!("jingmin analyze: {failed} line(s) could not be analysed");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A JSON error without echoing the line's content.
pub(crate) fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            let s = e.to_string();
            // serde's data errors name the field ("missing field `text`"),
            // but may quote a value (`invalid type: string "…"`, an unknown
            // variant): those are not repeated.
            let msg = s.split(" at line").next().unwrap_or(&s);
            if !msg.contains('"') && msg.split('`').skip(1).step_by(2).all(|t| is_name(t, 40)) {
                msg.to_owned()
            } else {
                format!("a field is missing, unknown or has the wrong type (column {})", e.column())
            }
        }
        Category::Syntax => format!("invalid JSON at column {}", e.column()),
        Category::Eof => "truncated JSON".into(),
        Category::Io => "read error".into(),
    }
}

/// Whether `s` may be repeated in an error message: a short ASCII name or
/// id (letters, digits, `_`, `-`, `.`, `:`) without a run of seven or more
/// digits (a phone, QQ, ID or card number is personal data).
fn is_name(s: &str, max: usize) -> bool {
    let mut run = 0usize;
    for b in s.bytes() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')) {
            return false;
        }
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 7 {
            return false;
        }
    }
    !s.is_empty() && s.len() <= max
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
        assert_eq!(describe_json_error(&e), "missing field `text`");
        assert!(is_name("g17-000123", 64));
        assert!(!is_name("13987654321", 64));
        assert!(!is_name("秘密", 64));
    }
}
