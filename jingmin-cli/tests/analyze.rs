//! `jingmin analyze`: one analysis per input line in input order, ids
//! echoed, bad lines reported on stderr with their line number while the run
//! goes on, masking unless --raw, user lexicons, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jingmin"))
        .arg("analyze")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn one_analysis_per_line_in_order() {
    let input = "{\"id\":\"a\",\"text\":\"收到\"}\n{\"id\":7,\"role\":\"resident\",\"text\":\"这是刷单诈骗吗？\"}\n\n{\"text\":\"电话13912345678\"}\n";
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], "7");
    assert_eq!(lines[1]["fraud"]["stance"], "inquiry");
    assert!(lines[2].get("id").is_none());
    assert_eq!(lines[2]["entities"][0]["text"], "139****5678");
}

#[test]
fn bad_lines_are_reported_and_the_run_goes_on() {
    let input = "{\"id\":\"ok1\",\"text\":\"收到\"}\nnot json 13912345678\n{\"id\":\"x\",\"txt\":\"秘密内容\"}\n{\"id\":\"ok2\",\"text\":\"好的\"}\n";
    let (code, out, err) = run(&[], input);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2);
    assert!(err.contains("<stdin>:2:") && err.contains("<stdin>:3 (id x)"), "{err}");
    assert!(err.contains("text"), "{err}");
    // Errors never echo message text or personal data.
    assert!(!err.contains("13912345678") && !err.contains("秘密内容"), "{err}");
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
