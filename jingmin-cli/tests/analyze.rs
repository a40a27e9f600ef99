//! `jingmin analyze`: one output line per input line in input order (an
//! analysis, an error line or a blank line's marker), ids echoed, bad lines
//! also reported on stderr with their line number while the run goes on,
//! plain text with --text, masking unless --raw, user lexicons, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (i32, String, String) {
    run_bytes(args, input.as_bytes())
}

fn run_bytes(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jingmin"))
        .arg("analyze")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The output lines, as JSON.
fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[test]
fn one_analysis_per_line_in_order() {
    let input = "{\"id\":\"a\",\"text\":\"收到\"}\n{\"id\":7,\"role\":\"resident\",\"text\":\"这是刷单诈骗吗？\"}\n\n{\"text\":\"电话13912345678\"}\n";
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], "7");
    assert_eq!(lines[1]["fraud"]["stance"], "inquiry");
    // A blank line keeps its place, and is no failure.
    assert_eq!(lines[2], serde_json::json!({"line": 3, "blank": true}));
    assert!(lines[3].get("id").is_none());
    assert_eq!(lines[3]["entities"][0]["text"], "139****5678");
}

/// Issue 13: a bad line yielded no output line, so output line N no longer
/// answered input line N.
#[test]
fn every_input_line_has_its_output_line() {
    let mut input = b"{\"id\":\"ok1\",\"text\":\"\xE6\x94\xB6\xE5\x88\xB0\"}\nnot json 13912345678\n".to_vec();
    input.extend_from_slice("{\"id\":\"x\",\"txt\":\"秘密内容\"}\n{\"id\":\"u\",\"text\":\"".as_bytes());
    input.extend_from_slice(b"\xFF\xFE\"}\r\n\r\n");
    input.extend_from_slice("{\"id\":5,\"text\":\"a\",\"role\":\"队长\"}\r".as_bytes());
    input.extend_from_slice("{\"id\":\"ok2\",\"text\":\"好\"}".as_bytes());
    let (code, out, err) = run_bytes(&[], &input);
    assert_eq!(code, 1, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 7, "{out}");
    assert_eq!(lines[0]["id"], "ok1");
    assert_eq!(lines[0]["category"], "other");
    let error = |i: usize| (lines[i]["line"].clone(), lines[i]["id"].clone(), lines[i]["error"]["kind"].clone());
    use serde_json::Value::Null;
    assert_eq!(error(1), (2.into(), Null, "invalid_json".into()));
    assert_eq!(error(2), (3.into(), "x".into(), "invalid_message".into()));
    assert_eq!(error(3), (4.into(), Null, "invalid_utf8".into()));
    assert_eq!(lines[4], serde_json::json!({"line": 5, "blank": true}));
    assert_eq!(error(5), (6.into(), "5".into(), "invalid_message".into()));
    assert_eq!(lines[6]["id"], "ok2");
    // The message is the one on stderr, where each failed line is named too.
    assert!(lines[2]["error"]["message"].as_str().unwrap().contains("missing field `text`"), "{out}");
    for (i, at) in [(1, "<stdin>:2: "), (2, "<stdin>:3 (id x): "), (3, "<stdin>:4: "), (5, "<stdin>:6 (id 5): ")] {
        let message = lines[i]["error"]["message"].as_str().unwrap();
        assert!(err.contains(&format!("{at}{message}\n")), "{at}{message} missing from {err}");
    }
    assert!(err.contains("4 line(s) could not be analysed"), "{err}");
    // Errors never echo message text or personal data.
    for s in [&out, &err] {
        assert!(!s.contains("13912345678") && !s.contains("秘密内容") && !s.contains("队长"), "{s}");
    }
}

#[test]
fn a_line_over_the_limit_gets_its_error_line() {
    let long = format!("{{\"text\":\"{}\"}}", "长".repeat(400_000));
    let (code, out, _) = run(&[], &format!("{{\"text\":\"a\"}}\n{long}\n{{\"text\":\"b\"}}\n"));
    assert_eq!(code, 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!((lines[1]["line"].clone(), lines[1]["error"]["kind"].clone()), (2.into(), "too_large".into()));
    assert!(lines[1]["error"]["message"].as_str().unwrap().contains("1 MiB"), "{out}");
    let (code, out, _) = run(&["--text"], &format!("a\n{}\nb\n", "长".repeat(400_000)));
    assert_eq!(code, 1);
    assert_eq!(json_lines(&out)[1]["error"]["kind"], "too_large");
}

/// Issue 13: `echo 刷单 | jingmin analyze` failed: plain text was refused.
#[test]
fn plain_text_with_text() {
    let (code, out, err) = run(&["--text"], "刷单\n");
    assert_eq!(code, 0, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["fraud"]["types"][0], "task_rebate");
    assert!(lines[0].get("id").is_none() && lines[0].get("line").is_none(), "{out}");

    // A BOM, LF, CRLF and lone CR line ends, a blank line, invalid UTF-8 on
    // one line: one output line each, the run goes on.
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice("收到\r\n电话13912345678\r\r\n".as_bytes());
    input.extend_from_slice(b"bad \xC3\x28 byte\n");
    input.extend_from_slice("{\"text\":\"好\"}".as_bytes());
    let (code, out, err) = run_bytes(&["--text"], &input);
    assert_eq!(code, 1, "{err}");
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 5, "{out}");
    let (_, one, _) = run(&[], "{\"text\":\"收到\"}\n");
    assert_eq!(lines[0], json_lines(&one)[0], "the BOM is not part of the text");
    assert_eq!(lines[1]["entities"][0]["text"], "139****5678");
    assert_eq!(lines[1]["entities"][0]["char_start"], 2);
    assert_eq!(lines[2], serde_json::json!({"line": 3, "blank": true}));
    assert_eq!(lines[3]["line"], 4);
    assert_eq!(lines[3]["error"]["kind"], "invalid_utf8");
    assert_eq!(lines[3]["error"]["message"], "invalid UTF-8 at byte 4");
    assert!(err.contains("<stdin>:4: invalid UTF-8 at byte 4"), "{err}");
    // The line is text, not JSON.
    assert_eq!(lines[4]["category"], "other");
    assert!(lines[4].get("id").is_none());

    // --role applies to every line; without it the role is unknown.
    let (_, police, _) = run(&["--text", "--role", "police"], "请大家注意防范\n");
    let (_, zh, _) = run(&["--text", "--role", "民警"], "请大家注意防范\n");
    let (_, unknown, _) = run(&["--text"], "请大家注意防范\n");
    let (_, as_json, _) = run(&[], "{\"role\":\"police\",\"text\":\"请大家注意防范\"}\n");
    assert_eq!(police, zh);
    assert_eq!(police, as_json, "--role police is a message's \"role\":\"police\"");
    assert_ne!(police, unknown, "the role counts");
    let (code, _, err) = run(&["--role", "police"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--text"), "{err}");
    let (code, _, err) = run(&["--text", "--role", "boss"], "");
    assert_eq!(code, 2);
    assert!(err.contains("police") && err.contains("resident"), "{err}");
}

#[test]
fn raw_and_lexicon_options() {
    let (_, out, _) = run(&["--raw"], "{\"text\":\"电话13912345678\"}\n");
    assert!(out.contains("13912345678"));
    let dir = std::env::temp_dir().join(format!("jingmin-cli-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lex = dir.join("lex.json");
    std::fs::write(&lex, r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}"#).unwrap();
    let (code, out, _) = run(&["--lexicon", lex.to_str().unwrap()], "{\"text\":\"专业跑腿代办\"}\n");
    assert_eq!(code, 0);
    assert!(out.contains("fake_shopping"), "{out}");
    std::fs::write(&lex, r#"{"entries":[{"pattern":"x","kind":"fraud","type":"bogus"}]}"#).unwrap();
    let (code, _, err) = run(&["--lexicon", lex.to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(err.contains("entry 0") && err.contains("type"), "{err}");
    let (code, _, err) = run(&["--bogus"], "");
    assert_eq!(code, 2);
    assert!(err.contains("--bogus"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
