//! Issue 12, item 7: settings on `--resume` and `--from-snapshot`. An
//! option that disagrees with the snapshot is an error naming both values;
//! an omitted one takes the snapshot's value and says so; the report shows
//! the time zone and answer window it was computed with.

use std::path::PathBuf;

use crate::{fixture, run, stderr, stdout};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-resume-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn omitted_options_take_the_snapshots_values_and_say_so() {
    let dir = scratch("tz");
    let snap = dir.join("utc.json").to_string_lossy().into_owned();
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let o = run(&["report", &a, "--tz", "Z", "--answer-window", "1h", "--save-snapshot", &snap]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Resumed without --tz: the snapshot's UTC, said on stderr.
    let o = run(&["report", "--resume", &snap, &b, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("--tz") && err.contains("+00:00") && err.contains("snapshot"), "{err}");
    assert!(err.contains("--answer-window") && err.contains("3600"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["settings"]["utc_offset_seconds"], 0, "{v}");
    assert_eq!(v["settings"]["answer_window_seconds"], 3600, "{v}");
    // Given and different: an error naming both values.
    let o = run(&["report", "--resume", &snap, &b, "--tz", "+08:00"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("+08:00") && stderr(&o).contains("+00:00"), "{}", stderr(&o));
    let o = run(&["report", "--from-snapshot", &snap, "--answer-window", "2h"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("7200") && stderr(&o).contains("3600"), "{}", stderr(&o));
    // Given and equal: fine, and nothing to say.
    let o = run(&["report", "--from-snapshot", &snap, "--tz", "UTC", "--answer-window", "3600"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("snapshot's"), "{}", stderr(&o));
    // The text report and the HTML page show the zone and the window.
    let out = stdout(&o);
    assert!(out.contains("UTC+00:00") && out.contains("回应时限 1 小时"), "{out}");
    let o = run(&["report", "--from-snapshot", &snap, "--format", "html"]);
    assert!(stdout(&o).contains("回应时限 1 小时"), "html");
    // Without a snapshot the defaults are shown too.
    let o = run(&["report", &a]);
    assert!(stdout(&o).contains("UTC+08:00") && stdout(&o).contains("回应时限 24 小时"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
