//! Issue 12, items 2, 3, 9 and 11: the files `--save-snapshot` and `merge`
//! leave behind — their mode and owner, stale temporary files, raw data kept
//! only when asked for — and the optional keyed MAC of snapshots.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fixture, run, stderr, stdout};

const BIN: &str = env!("CARGO_BIN_EXE_jingmin");
const PHONE: &str = "13987654321";

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-snapfiles-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// An export with a solicitation that carries a phone number.
fn export_with_phone(dir: &Path) -> String {
    let p = dir.join("lead.jsonl");
    let lines = [
        serde_json::json!({"id":"1","group":"g","role":"unknown","time":"2024-03-01 10:00:00",
            "text": format!("刷单日结，一单一结，加微信：{PHONE}，电话{PHONE}")}),
        serde_json::json!({"id":"2","group":"g","role":"resident","time":"2024-03-01 10:05:00","text":"这是诈骗吗？"}),
    ];
    std::fs::write(&p, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    s(&p)
}

#[test]
fn new_snapshots_are_private_and_rewrites_keep_mode_and_owner() {
    let dir = scratch("mode");
    let snap = dir.join("state.json");
    let a = fixture("a.jsonl");
    let o = run(&["report", &a, "--save-snapshot", &s(&snap)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&snap), 0o600, "a new snapshot holds contact details: 0600");
    // An operator's choice of mode survives the next save.
    for m in [0o640, 0o600, 0o660] {
        std::fs::set_permissions(&snap, std::fs::Permissions::from_mode(m)).unwrap();
        let o = run(&["report", &a, "--save-snapshot", &s(&snap)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(mode(&snap), m, "mode {m:o} kept");
    }
    // The merged snapshot too.
    let merged = dir.join("merged.json");
    std::fs::write(&merged, "old").unwrap();
    std::fs::set_permissions(&merged, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run(&["merge", &s(&snap), "--out", &s(&merged)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&merged), 0o640);
    let fresh = dir.join("fresh.json");
    let o = run(&["merge", &s(&snap), "--out", &s(&fresh)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&fresh), 0o600);
    // And the owner, where this test may give files away (root).
    let me = std::fs::metadata(&snap).unwrap().uid();
    if me == 0 {
        let chown = Command::new("chown").args(["4321:4322", &s(&snap)]).status().unwrap();
        assert!(chown.success());
        let o = run(&["report", &a, "--save-snapshot", &s(&snap)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let md = std::fs::metadata(&snap).unwrap();
        assert_eq!((md.uid(), md.gid()), (4321, 4322), "owner kept");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stale_temporary_files_of_dead_processes_are_removed_on_the_next_save() {
    let dir = scratch("stale");
    // A process that has ended: its pid names no live process.
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let alive = std::process::id(); // this test, alive
    let stale = dir.join(format!(".state.json.{dead}.0.tmp"));
    let stale2 = dir.join(format!(".state.json.{dead}.7.tmp"));
    let live = dir.join(format!(".state.json.{alive}.0.tmp"));
    let other = dir.join(format!(".other.json.{dead}.0.tmp"));
    let unrelated = dir.join(".state.json.notes.tmp");
    for p in [&stale, &stale2, &live, &other, &unrelated] {
        std::fs::write(p, "contact details").unwrap();
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let snap = dir.join("state.json");
    let o = run(&["report", &fixture("a.jsonl"), "--save-snapshot", &s(&snap)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stale.exists() && !stale2.exists(), "temporary files of a dead process removed");
    assert!(live.exists(), "a live process's temporary file is left alone");
    assert!(other.exists() && unrelated.exists(), "other files are left alone");
    // No temporary file of the run itself is left.
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert_eq!(left.len(), 3, "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn raw_data_stays_out_of_snapshots_unless_kept_and_out_of_default_reports() {
    let dir = scratch("raw");
    let input = export_with_phone(&dir);
    let masked = dir.join("masked.json");
    let kept = dir.join("kept.json");
    // --raw shows the number now, but the snapshot stores only the mask.
    let o = run(&["report", &input, "--raw", "--table", "indicators", "--save-snapshot", &s(&masked)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(PHONE), "{}", stdout(&o));
    let snap = std::fs::read_to_string(&masked).unwrap();
    assert!(!snap.contains(PHONE) && snap.contains("139****4321"), "{snap}");
    // --keep-raw keeps it.
    let o = run(&["report", &input, "--raw", "--keep-raw", "--save-snapshot", &s(&kept)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&kept).unwrap().contains(PHONE));
    // A default report from the raw snapshot shows no raw value, in any format.
    for fmt in ["table", "json", "html"] {
        let o = run(&["report", "--from-snapshot", &s(&kept), "--format", fmt]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!stdout(&o).contains(PHONE), "--format {fmt}: {}", stdout(&o));
    }
    let o = run(&["report", "--from-snapshot", &s(&kept), "--format", "csv", "--table", "indicators"]);
    assert!(!stdout(&o).contains(PHONE) && stdout(&o).contains("139****4321"), "{}", stdout(&o));
    let o = run(&["report", "--from-snapshot", &s(&kept), "--raw", "--table", "indicators"]);
    assert!(stdout(&o).contains(PHONE), "{}", stdout(&o));
    // Resuming a raw snapshot without --keep-raw stores masks again; merge too.
    let resumed = dir.join("resumed.json");
    let o = run(&["report", "--resume", &s(&kept), &fixture("a.jsonl"), "--save-snapshot", &s(&resumed)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains(PHONE));
    assert!(!std::fs::read_to_string(&resumed).unwrap().contains(PHONE));
    let merged = dir.join("merged.json");
    let o = run(&["merge", &s(&kept), &s(&masked), "--out", &s(&merged)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!std::fs::read_to_string(&merged).unwrap().contains(PHONE));
    let o = run(&["merge", &s(&kept), "--keep-raw", "--out", &s(&merged)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&merged).unwrap().contains(PHONE));
    let _ = std::fs::remove_dir_all(&dir);
}

fn with_key(args: &[&str], key: Option<&str>) -> std::process::Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("JINGMIN_SNAPSHOT_KEY");
    if let Some(k) = key {
        c.env("JINGMIN_SNAPSHOT_KEY", k);
    }
    c.output().unwrap()
}

#[test]
fn a_keyed_mac_refuses_edited_snapshots() {
    let dir = scratch("mac");
    let key = "a shared secret of the platform, 32 bytes";
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let signed = dir.join("signed.json");
    let other = dir.join("other.json");
    let o = with_key(&["report", &a, "--save-snapshot", &s(&signed)], Some(key));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&signed).unwrap();
    assert!(text.contains("\"mac\":\"hmac-sha256:"), "{text}");
    // Restores with the key, and without one (the library ignores the MAC).
    let o = with_key(&["report", "--from-snapshot", &s(&signed), "--format", "json"], Some(key));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = with_key(&["report", "--from-snapshot", &s(&signed), "--format", "json"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(jingmin::Aggregator::restore(&text).is_ok());
    // An edited state with a consistent checksum (another valid state under
    // the first one's MAC) is refused with the key; so is a wrong key and a
    // snapshot without MAC.
    let o = with_key(&["report", &a, &b, "--save-snapshot", &s(&other)], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let other_text = std::fs::read_to_string(&other).unwrap();
    let mac = &text[text.find(",\"mac\":").unwrap()..];
    let forged = format!("{}{mac}", other_text.strip_suffix('}').unwrap());
    std::fs::write(&other, &forged).unwrap();
    let o = with_key(&["report", "--from-snapshot", &s(&other)], Some(key));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("MAC"), "{}", stderr(&o));
    let o = with_key(&["report", "--from-snapshot", &s(&signed)], Some("another key of enough length"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let unsigned = dir.join("unsigned.json");
    let o = with_key(&["report", &a, "--save-snapshot", &s(&unsigned)], None);
    assert_eq!(o.status.code(), Some(0));
    let o = with_key(&["report", "--resume", &s(&unsigned), &b], Some(key));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("MAC"), "{}", stderr(&o));
    let o = with_key(&["merge", &s(&signed), &s(&unsigned), "--out", &s(&dir.join("m.json"))], Some(key));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A key file works as the variable does; merge verifies and signs.
    let keyfile = dir.join("key");
    std::fs::write(&keyfile, format!("{key}\n")).unwrap();
    let m = dir.join("m.json");
    let o = with_key(&["merge", &s(&signed), &s(&signed), "--out", &s(&m), "--snapshot-key-file", &s(&keyfile)], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = with_key(&["report", "--from-snapshot", &s(&m)], Some(key));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&m).unwrap();
    let edited = text.replacen("\"mult\":[2", "\"mult\":[3", 1);
    assert_ne!(edited, text);
    std::fs::write(&m, edited).unwrap();
    let o = with_key(&["report", "--from-snapshot", &s(&m), "--snapshot-key-file", &s(&keyfile)], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("MAC"), "{}", stderr(&o));
    // Too short a key is refused.
    let o = with_key(&["report", &a, "--save-snapshot", &s(&signed)], Some("short"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
