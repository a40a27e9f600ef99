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

/// Issue 12, item 1: no 11-digit mobile number, 18-character ID number or
/// Luhn-valid card number survives a default output of the command line —
/// `analyze`, `report` in every format and table, the snapshot, a merged
/// snapshot, standard error — nor of the library's analysis JSON and
/// `Engine::mask`, wherever the number stands (after a WeChat or QQ cue, a
/// phone number is also a WeChat id or QQ number). `--raw` keeps them.
mod personal_numbers {
    use std::path::Path;
    use std::process::Command;

    use proptest::prelude::*;

    use crate::personal::{assert_none_shown, message, number};

    const BIN: &str = env!("CARGO_BIN_EXE_jingmin");
    const TABLES: &[&str] = &[
        "categories",
        "groups",
        "days",
        "fraud",
        "cases",
        "indicators",
        "rejected",
        "weeks",
        "months",
        "officers",
        "ranking",
        "solicitations",
        "open-cases",
        "victims",
        "comparison",
    ];

    fn jingmin(args: &[&str]) -> (String, String) {
        let o = Command::new(BIN).args(args).output().unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 2), "jingmin {args:?}: {o:?}");
        (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
    }

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap_or_default()
    }

    fn check_all(texts: &[(String, Vec<String>)], bad: &[String], case: usize) {
        let numbers: Vec<String> = texts.iter().flat_map(|(_, n)| n.iter().cloned()).chain(bad.iter().cloned()).collect();
        // The library's own outputs.
        let engine = jingmin::Engine::default();
        for (t, n) in texts {
            for role in [jingmin::Role::Unknown, jingmin::Role::Resident] {
                let a = engine.analyze_with(t, &jingmin::AnalyzeOptions { role, raw: false });
                assert_none_shown("Engine::analyze_with (JSON)", &serde_json::to_string(&a).unwrap(), n);
            }
            assert_none_shown("Engine::mask", &engine.mask(t), n);
        }

        let dir = std::env::temp_dir().join(format!("jingmin-privacy-{}-{case}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut jsonl = String::new();
        for (i, (t, _)) in texts.iter().enumerate() {
            let group = if i % 2 == 0 { "幸福社区警民群" } else { "桃源村警民群" };
            let role = if i % 3 == 0 { "unknown" } else { "resident" };
            let m = serde_json::json!({"id": format!("m{i}"), "group": group, "role": role,
                "time": format!("2024-03-0{} 10:{:02}:00", 1 + i % 5, i % 60), "text": t});
            jsonl.push_str(&m.to_string());
            jsonl.push('\n');
        }
        // Malformed records that carry the numbers where a careless error
        // message would quote them.
        for (i, n) in bad.iter().enumerate() {
            jsonl.push_str(&format!("{{\"id\":\"b{i}\",\"group\":\"g\",\"time\":\"{n}\",\"text\":\"好\"}}\n"));
            jsonl.push_str(&format!("{{\"id\":\"c{i}\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"text\":{n}}}\n"));
            jsonl.push_str(&format!("{{\"id\":\"d{i}\",\"text\":\"好\",\"role\":\"{n}\"}}\n"));
            jsonl.push_str(&format!("{{\"text\":\"电话{n}\n{n}\n"));
        }
        let input = dir.join("in.jsonl");
        std::fs::write(&input, &jsonl).unwrap();
        let input = input.to_str().unwrap();
        let snap = dir.join("state.json");
        let snap_s = snap.to_str().unwrap();
        let html = dir.join("report.html");
        let merged = dir.join("merged.json");

        let (out, err) = jingmin(&["analyze", input]);
        assert_none_shown("jingmin analyze", &format!("{out}{err}"), &numbers);
        let (out, err) = jingmin(&["report", input, "--format", "json", "--save-snapshot", snap_s]);
        assert_none_shown("jingmin report --format json", &format!("{out}{err}"), &numbers);
        assert_none_shown("the snapshot", &read(&snap), &numbers);
        let (out, err) = jingmin(&["report", input]);
        assert_none_shown("jingmin report", &format!("{out}{err}"), &numbers);
        for t in TABLES {
            let (out, err) = jingmin(&["report", input, "--table", t]);
            assert_none_shown(&format!("jingmin report --table {t}"), &format!("{out}{err}"), &numbers);
            let (out, err) = jingmin(&["report", input, "--format", "csv", "--table", t]);
            assert_none_shown(&format!("jingmin report --format csv --table {t}"), &format!("{out}{err}"), &numbers);
        }
        let (out, err) = jingmin(&["report", input, "--format", "html", "--out", html.to_str().unwrap()]);
        assert_none_shown("jingmin report --format html", &format!("{out}{err}{}", read(&html)), &numbers);
        let xlsx = dir.join("r.xlsx");
        let (out, err) = jingmin(&["report", input, "--format", "xlsx", "--out", xlsx.to_str().unwrap()]);
        assert_none_shown("jingmin report --format xlsx", &format!("{out}{err}{}", crate::xlsx_text(&xlsx)), &numbers);
        let (out, err) = jingmin(&["report", input, "--compare-previous", "--since", "2024-03-03"]);
        assert_none_shown("jingmin report --compare-previous", &format!("{out}{err}"), &numbers);
        let (out, err) = jingmin(&["report", "--from-snapshot", snap_s, "--table", "indicators"]);
        assert_none_shown("jingmin report --from-snapshot", &format!("{out}{err}"), &numbers);
        let (out, err) = jingmin(&["merge", snap_s, snap_s, "--out", merged.to_str().unwrap()]);
        assert_none_shown("jingmin merge", &format!("{out}{err}{}", read(&merged)), &numbers);
        let _ = std::fs::remove_dir_all(&dir);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, max_shrink_iters: 16, ..ProptestConfig::default() })]

        #[test]
        fn no_personal_number_survives_a_default_output(
            texts in proptest::collection::vec(message(), 6..16),
            bad in proptest::collection::vec(number(), 1..3),
            case in 0usize..1_000_000,
        ) {
            check_all(&texts, &bad, case);
        }
    }

    /// The issue's own example, and `--raw`, which keeps the numbers.
    #[test]
    fn a_phone_number_after_a_wechat_cue_is_masked_unless_raw() {
        let text = "加微信：13987654321，刷单日结一单一结";
        let engine = jingmin::Engine::default();
        let a = engine.analyze(text);
        let id = a.entities.iter().find(|e| e.kind == jingmin::EntityKind::WechatId).expect("a wechat_id");
        assert_eq!(id.text, "139****4321");
        assert_eq!(engine.mask(text), "加微信：139****4321，刷单日结一单一结");
        let raw = engine.analyze_with(text, &jingmin::AnalyzeOptions { raw: true, ..Default::default() });
        assert!(raw.entities.iter().any(|e| e.text == "13987654321"));

        let dir = std::env::temp_dir().join(format!("jingmin-privacy-raw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.jsonl");
        std::fs::write(
            &input,
            format!("{}\n", serde_json::json!({"id":"1","group":"g","time":"2024-03-01 10:00:00","text":text})),
        )
        .unwrap();
        let input = input.to_str().unwrap();
        let (out, _) = jingmin(&["report", input, "--table", "indicators"]);
        assert!(out.contains("139****4321") && !out.contains("13987654321"), "{out}");
        let (out, _) = jingmin(&["report", input, "--table", "indicators", "--raw"]);
        assert!(out.contains("13987654321"), "{out}");
        let (out, _) = jingmin(&["analyze", "--raw", input]);
        assert!(out.contains("13987654321"), "{out}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
