//! Errors of the command line never echo message text or personal data.

use crate::private::{assert_private, bad_exports, MARK, PHONE};

#[test]
fn cli_errors_never_echo_text_or_phone_numbers() {
    use std::process::Command;
    const BIN: &str = env!("CARGO_BIN_EXE_jingmin");
    let dir = std::env::temp_dir().join(format!("jingmin-limits-privacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, (name, _, content)) in bad_exports().into_iter().enumerate() {
        let ext = match name {
            "jsonl" => "jsonl",
            "chatlog" => "json",
            "qq" | "detect" => "txt",
            _ => "csv",
        };
        let p = dir.join(format!("bad{i}.{ext}"));
        std::fs::write(&p, content).unwrap();
        files.push(p.to_string_lossy().into_owned());
    }
    let t = format!("{MARK}{PHONE}");
    let snap = dir.join("broken_snapshot.json");
    std::fs::write(&snap, format!("{{\"format\":\"jingmin-aggregator\",\"version\":\"{t}\"}}")).unwrap();
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, format!("{t},{t}\n{PHONE}\n")).unwrap();
    let config_like = dir.join("not_a_snapshot.json");
    std::fs::write(&config_like, format!("[\"{t}\"]")).unwrap();
    let snap_s = snap.to_string_lossy().into_owned();
    let roster_s = roster.to_string_lossy().into_owned();
    let other_s = config_like.to_string_lossy().into_owned();
    let out_s = dir.join("out.json").to_string_lossy().into_owned();

    let mut runs: Vec<Vec<String>> = Vec::new();
    for f in &files {
        runs.push(vec!["report".into(), f.clone(), "--format".into(), "json".into()]);
        runs.push(vec!["analyze".into(), f.clone()]);
    }
    runs.push(vec!["report".into(), "--from-snapshot".into(), snap_s.clone()]);
    runs.push(vec!["report".into(), "--resume".into(), other_s.clone(), files[0].clone()]);
    runs.push(vec!["merge".into(), snap_s.clone(), other_s.clone(), "--out".into(), out_s]);
    runs.push(vec!["report".into(), "--roster".into(), roster_s, files[0].clone()]);
    // (Command-line arguments are the operator's, not input data: an
    // argument that cannot be used may be quoted back.)
    let mut failures = 0;
    for args in &runs {
        let o = Command::new(BIN).args(args).output().unwrap();
        if !o.status.success() {
            failures += 1;
        }
        let err = String::from_utf8_lossy(&o.stderr);
        assert_private(&format!("jingmin {}", args.join(" ")), &err);
    }
    assert!(failures >= runs.len() / 2, "the malformed inputs were refused or reported");
    std::fs::remove_dir_all(&dir).unwrap();
}
