//! Issue 12, items 8, 10 and 13: one message limit (1 MiB) with a per-line
//! error on every path, inputs opened one at a time, and CR line ends.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{run, stderr, stdout, BIN};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

const MIB: usize = 1 << 20;

fn line_of(bytes: usize, id: &str) -> String {
    let head = format!("{{\"id\":\"{id}\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"");
    let tail = "\"}";
    let n = bytes - head.len() - tail.len();
    format!("{head}{}{tail}", "好".repeat(n / 3) + &"a".repeat(n % 3))
}

#[test]
fn analyze_refuses_a_line_over_the_message_limit_and_goes_on() {
    let input = format!("{}\n{}\n{}\n", line_of(100, "a"), line_of(MIB + 1, "b"), line_of(MIB, "c"));
    let mut child = Command::new(BIN)
        .arg("analyze")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("<stdin>:2") && err.contains("1 MiB"), "{err}");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().map(|v| v["id"].as_str().unwrap_or("-")).collect();
    assert_eq!(ids, ["a", "-", "c"], "the line at the limit is analysed, the longer one is not");
    assert_eq!((lines[1]["line"].as_u64(), lines[1]["error"]["kind"].as_str()), (Some(2), Some("too_large")));
}

#[test]
fn report_refuses_a_record_over_the_message_limit() {
    let dir = scratch("report");
    let f = dir.join("big.jsonl");
    std::fs::write(&f, format!("{}\n{}\n", line_of(2 * MIB, "big"), line_of(200, "small"))).unwrap();
    let o = run(&["report", &s(&f), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 1") && stderr(&o).contains("1 MiB"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["messages"]["total"], 1, "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inputs_are_opened_one_at_a_time() {
    let dir = scratch("many");
    let n = 300;
    let mut files = Vec::new();
    for i in 0..n {
        let f = dir.join(format!("g{i}.jsonl"));
        std::fs::write(&f, format!("{{\"id\":\"{i}\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"收到\"}}\n")).unwrap();
        files.push(s(&f));
    }
    // Far fewer descriptors than inputs.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n 64 && exec \"$0\" report --format json {}", files.join(" ")))
        .arg(BIN)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["messages"]["total"], n, "{v}");
    assert_eq!(v["group_count"], n);
    // A missing input is still refused before anything is written.
    let out = dir.join("out.json");
    let mut args = vec!["report".to_owned(), "--out".into(), s(&out)];
    args.extend(files.iter().take(5).cloned());
    args.push(s(&dir.join("missing.jsonl")));
    let o = Command::new(BIN).args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cr_alone_ends_a_line() {
    let dir = scratch("cr");
    let lines: Vec<String> = (1..=3)
        .map(|i| format!("{{\"id\":\"{i}\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:0{i}\",\"text\":\"收到\"}}"))
        .collect();
    let f = dir.join("mac.jsonl");
    std::fs::write(&f, lines.join("\r") + "\r").unwrap();
    let o = run(&["report", &s(&f), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["messages"]["total"], 3, "{v}");
    let o = run(&["analyze", &s(&f)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3);
    // A QQ export with CR line ends.
    let qq = "消息记录（此消息记录为文本格式，不支持重新导入）\r\r================================================================\r\
              消息对象:幸福社区警民群\r================================================================\r\r\
              2024-03-01 7:02:06 李阿姨(10001)\r请问周六警务室有人吗？\r\r2024-03-01 7:05:06 王警官(10002)\r有人值班\r";
    let f = dir.join("qq.txt");
    std::fs::write(&f, qq).unwrap();
    let o = run(&["report", &s(&f), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["messages"]["total"], 2, "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 12: a user lexicon with an entry given twice is read with a warning
/// naming both entries; a BOM is accepted; a key given twice is refused.
#[test]
fn lexicon_duplicates_are_named() {
    let dir = scratch("lexicon");
    let lex = dir.join("lex.json");
    std::fs::write(
        &lex,
        "\u{feff}{\"entries\":[{\"pattern\":\"跑腿代办\",\"kind\":\"fraud\",\"type\":\"fake_shopping\",\"weight\":2},\
         {\"pattern\":\"跑腿代辦\",\"kind\":\"fraud\",\"type\":\"fake_shopping\",\"weight\":3}]}",
    )
    .unwrap();
    let o = run(&["analyze", "--lexicon", &s(&lex), &s(&dir.join("none.jsonl"))]);
    let err = stderr(&o);
    assert!(err.contains("warning") && err.contains("entry 1") && err.contains("entry 0"), "{err}");
    std::fs::write(&lex, r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","type":"romance"}]}"#).unwrap();
    let o = run(&["analyze", "--lexicon", &s(&lex)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entry 0") && stderr(&o).contains("twice"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
