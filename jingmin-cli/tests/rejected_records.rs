//! Issue 12, items 5 and 6: one rule for times on every path, and every
//! record the command line cannot read counted in the aggregate (JSON, CSV,
//! snapshots, merges) under `unreadable`.

use std::path::{Path, PathBuf};

use crate::{run, stderr, stdout};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-rejected-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(&all);
    let v = serde_json::from_str(&stdout(&o)).unwrap_or(serde_json::Value::Null);
    (o.status.code().unwrap_or(-1), v, stderr(&o))
}

#[test]
fn unreadable_records_are_counted_everywhere() {
    let dir = scratch("unreadable");
    let good = |id: &str| format!("{{\"id\":\"{id}\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"收到\"}}\n");
    let content = format!(
        "{}not json\n{{\"text\":7}}\n[1,2]\n{{\"id\":\"x\",\"group\":\"g\",\"time\":0,\"text\":\"时间为零\"}}\n{}",
        good("1"),
        good("2")
    );
    let f1 = dir.join("one.jsonl");
    std::fs::write(&f1, &content).unwrap();
    let snap = dir.join("s.json");
    let (code, v, err) = json(&[&s(&f1), "--save-snapshot", &s(&snap)]);
    assert_eq!(code, 1);
    assert!(err.contains("4 record(s) rejected"), "{err}");
    assert_eq!(v["messages"]["rejected"]["total"], 4, "{v}");
    assert_eq!(v["messages"]["rejected"]["by_reason"]["unreadable"], 3, "{v}");
    assert_eq!(v["messages"]["rejected"]["by_reason"]["invalid_time"], 1, "{v}");
    // The snapshot carries them.
    let (_, v, _) = json(&["--from-snapshot", &s(&snap)]);
    assert_eq!(v["messages"]["rejected"]["by_reason"]["unreadable"], 3, "{v}");
    // Reading the same file again counts its records once.
    let (_, v, _) = json(&["--resume", &s(&snap), &s(&f1)]);
    assert_eq!(v["messages"]["rejected"]["by_reason"]["unreadable"], 3, "{v}");
    assert_eq!(v["messages"]["rejected"]["total"], 4, "{v}");
    // Merged with another file's snapshot, they add up.
    let f2 = dir.join("two.jsonl");
    std::fs::write(&f2, format!("{}{{\"broken\n", good("z"))).unwrap();
    let snap2 = dir.join("s2.json");
    let (code, _, _) = json(&[&s(&f2), "--save-snapshot", &s(&snap2)]);
    assert_eq!(code, 1);
    let merged = dir.join("m.json");
    let o = run(&["merge", &s(&snap), &s(&snap2), "--out", &s(&merged)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, v, _) = json(&["--from-snapshot", &s(&merged)]);
    assert_eq!(v["messages"]["rejected"]["by_reason"]["unreadable"], 4, "{v}");
    // CSV: the table of rejected records by reason.
    let o = run(&["report", "--from-snapshot", &s(&merged), "--format", "csv", "--table", "rejected"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with("unreadable,") && l.ends_with(",4")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("invalid_time,") && l.ends_with(",1")), "{out}");
    // The text report says it too, from the snapshot alone.
    let o = run(&["report", "--from-snapshot", &s(&merged)]);
    assert!(stdout(&o).contains("未能读取"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Item 5: the command line reads a time as the library, the C ABI and
/// Python do (seconds, or milliseconds by digit count; a plausible range),
/// and counts what is outside the range as `invalid_time`.
#[test]
fn times_are_read_by_one_rule_and_checked_for_plausibility() {
    let dir = scratch("times");
    let engine = jingmin::Engine::default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let cases: Vec<(String, bool)> = vec![
        ("1709258400".into(), true),
        ("1709258400000".into(), true),
        ("\"1709258400\"".into(), true),
        ("\"2024-03-01 10:00:00\"".into(), true),
        ("170925840000".into(), false),  // 12 digits: seconds, the year 7386
        ("0".into(), false),             // 1970
        ("13987654321".into(), false),   // a phone number: the year 2413
        ("946684799".into(), false),     // 1999-12-31T23:59:59Z
        ("946684800".into(), true),      // 2000-01-01T00:00:00Z
        ("\"2409-01-01 00:00:00\"".into(), false),
        (format!("{}", now + 3 * 86_400), false),
        (format!("{}", now), true),
    ];
    for (i, (t, ok)) in cases.iter().enumerate() {
        let line = format!("{{\"id\":\"{i}\",\"group\":\"g\",\"time\":{t},\"text\":\"收到\"}}\n");
        let f = dir.join(format!("t{i}.jsonl"));
        std::fs::write(&f, &line).unwrap();
        let (_, v, err) = json(&[&s(&f)]);
        let counted = v["messages"]["total"] == 1;
        let invalid = v["messages"]["rejected"]["by_reason"]["invalid_time"] == 1;
        assert_eq!((counted, invalid), (*ok, !*ok), "time {t}: {v} {err}");
        // The library (and so the C ABI and Python) agrees.
        let mut agg = jingmin::Aggregator::default();
        let added = agg.add_json(&engine, line.trim()).unwrap();
        let expected = if *ok { jingmin::Added::New } else { jingmin::Added::Rejected(jingmin::RejectReason::InvalidTime) };
        assert_eq!(added, expected, "library, time {t}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
