//! A closed pipe ends the run quietly, as in other Unix tools
//! (`jingmin report exports/* 2>&1 | head -4`): no panic ("failed printing
//! to stderr: Broken pipe"), no exit code 101. The exit code is the one the
//! run would have had with the pipes open.
//!
//! Each run gets its standard output and/or error as a pipe whose reading
//! end is closed right after the spawn, before the binary gets to write:
//! its first write fails with EPIPE.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_jingmin");

/// The demo exports and a fixture with two malformed lines, so that the
/// run writes on standard error as well as standard output (exit 1).
fn exports_and_bad_lines() -> Vec<String> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let mut files: Vec<String> = std::fs::read_dir(root.join("examples/data/exports"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    files.push(root.join("tests/fixtures/report/bad.jsonl").to_string_lossy().into_owned());
    files
}

/// What a run printed on the stream left open, and its exit code.
struct Run {
    code: Option<i32>,
    open_stream: String,
}

/// Run `args` with the reading end of stdout and/or stderr closed; the
/// other stream, if open, is read to the end.
fn run_closed(args: &[String], close_stdout: bool, close_stderr: bool, stdin: Option<&str>) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jingmin");
    // Close the readers first, before the child has started writing.
    let out = child.stdout.take().filter(|_| !close_stdout);
    let err = child.stderr.take().filter(|_| !close_stderr);
    // Fed from a thread while the open stream is read, so that neither side
    // waits on a full pipe. The child may stop reading once its output is
    // gone: a write error here is expected.
    let feeder = match (stdin, child.stdin.take()) {
        (Some(text), Some(mut input)) => {
            let text = text.to_owned();
            Some(std::thread::spawn(move || {
                let _ = input.write_all(text.as_bytes());
            }))
        }
        _ => None,
    };
    let mut open_stream = Vec::new();
    let reader: Option<Box<dyn Read>> = match (out, err) {
        (Some(o), None) => Some(Box::new(o)),
        (None, Some(e)) => Some(Box::new(e)),
        (None, None) => None,
        (Some(_), Some(_)) => panic!("close at least one stream"),
    };
    if let Some(mut r) = reader {
        r.read_to_end(&mut open_stream).unwrap();
    }
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    let code = child.wait().unwrap().code();
    Run { code, open_stream: String::from_utf8_lossy(&open_stream).into_owned() }
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn report_args() -> Vec<String> {
    let mut a = args(&["report"]);
    a.extend(exports_and_bad_lines());
    a
}

#[test]
fn report_with_both_pipes_closed_ends_quietly() {
    let r = run_closed(&report_args(), true, true, None);
    assert_ne!(r.code, Some(101), "panicked on a closed pipe");
    // Records rejected (bad.jsonl), as with the pipes open.
    assert_eq!(r.code, Some(1));
}

#[test]
fn report_with_stdout_closed_reports_the_problems_and_does_not_panic() {
    let r = run_closed(&report_args(), true, false, None);
    assert_eq!(r.code, Some(1), "{}", r.open_stream);
    assert!(!r.open_stream.contains("panicked") && !r.open_stream.contains("Broken pipe"), "{}", r.open_stream);
    assert!(r.open_stream.contains("bad.jsonl: line 2: rejected"), "{}", r.open_stream);
}

#[test]
fn report_with_stderr_closed_still_prints_the_whole_report() {
    let r = run_closed(&report_args(), false, true, None);
    assert_eq!(r.code, Some(1));
    assert!(r.open_stream.starts_with("共 7 个群"), "{}", r.open_stream);
    assert!(r.open_stream.contains("【诈骗引流线索"), "the report goes on to the end");
}

#[test]
fn help_version_and_usage_errors_on_closed_pipes() {
    for (a, code) in [
        (&["--help"][..], 0),
        (&["report", "--help"], 0),
        (&["analyze", "--help"], 0),
        (&["merge", "--help"], 0),
        (&["--version"], 0),
        (&["completions", "bash"], 0),
        (&["report", "x.jsonl", "--bogus"], 2),
        (&["report", "/nonexistent/export.jsonl"], 2),
        (&[], 2),
    ] {
        let r = run_closed(&args(a), true, true, None);
        assert_eq!(r.code, Some(code), "{a:?}");
        // The stream left open shows no panic either.
        for (close_out, close_err) in [(true, false), (false, true)] {
            let r = run_closed(&args(a), close_out, close_err, None);
            assert_eq!(r.code, Some(code), "{a:?}");
            assert!(!r.open_stream.contains("panicked"), "{a:?}: {}", r.open_stream);
        }
    }
}

#[test]
fn analyze_with_closed_pipes_ends_quietly() {
    // A bad line (reported on stderr) among good ones (on stdout).
    let mut input = String::from("not json\n");
    for i in 0..2000 {
        input.push_str(&format!("{{\"id\":\"m{i}\",\"text\":\"兼职刷单日结300，加微信 abc_12345\"}}\n"));
    }
    let a = args(&["analyze"]);
    let both = run_closed(&a, true, true, Some(&input));
    assert_ne!(both.code, Some(101), "panicked on a closed pipe");
    // Output gone: the run stops quietly, as `analyze | head` expects.
    assert_eq!(both.code, Some(0));
    let err_open = run_closed(&a, true, false, Some(&input));
    assert_eq!(err_open.code, Some(0));
    assert!(!err_open.open_stream.contains("panicked"), "{}", err_open.open_stream);
    assert!(err_open.open_stream.contains("<stdin>:1:"), "{}", err_open.open_stream);
    // Stderr gone: every analysis and the bad line's error line are still
    // written, and the bad line counts.
    let out_open = run_closed(&a, false, true, Some(&input));
    assert_eq!(out_open.code, Some(1));
    assert_eq!(out_open.open_stream.lines().count(), 2001);
}
