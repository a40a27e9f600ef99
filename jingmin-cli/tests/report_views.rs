//! The report a station leader acts on: group names, groups without an
//! officer, time windows, per-officer figures, drill-down lists, Excel, and
//! the warning when nothing was read.

use std::path::PathBuf;

use crate::{run, stderr, stdout, xlsx_text};

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("jingmin-views-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn file(&self, name: &str, content: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p.to_str().unwrap().to_owned()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn line(id: &str, group: &str, sender: &str, role: &str, time: &str, text: &str) -> String {
    format!(
        "{}\n",
        serde_json::json!({"id": id, "group": group, "sender": sender, "role": role, "time": time, "text": text})
    )
}

/// Two groups: `g1@chatroom` with an officer, `g2` without any. Three weeks
/// of March 2024, a solicitation with a phone number in full-width digits,
/// a victim report, a question answered, one unanswered, one pending.
fn log() -> String {
    let mut s = String::new();
    s += &line("1", "g1@chatroom", "李阿姨", "resident", "2024-03-04 09:00:00", "请问户籍室周六上班吗？");
    s += &line("2", "g1@chatroom", "王警官", "police", "2024-03-04 09:06:00", "周六上午有人值班");
    // An outsider's ad. Sent by a member of the group, with a phone and a
    // sum, the models take it for a victim's report quoting the scammer's
    // number; the views here are about cases, not that call.
    s += &line("3", "g1@chatroom", "好运来", "unknown", "2024-03-11 22:00:00", "兼职刷单日结300，加微信 ａｂｃ１２３４５ 电话１３９１２３４５６７８");
    s += &line("4", "g1@chatroom", "张先生", "resident", "2024-03-12 10:00:00", "我被骗了，网上刷单转了5000元，怎么办");
    s += &line("5", "g1@chatroom", "王警官", "police", "2024-03-12 10:20:00", "请马上拨打110报警，保留转账记录");
    s += &line("6", "g1@chatroom", "赵大爷", "resident", "2024-03-13 08:00:00", "请问办居住证需要带什么材料？");
    s += &line("7", "g1@chatroom", "王警官", "police", "2024-03-15 09:00:00", "提醒大家：凡是刷单都是诈骗，不要相信");
    s += &line("8", "g2", "群主", "resident", "2024-03-18 09:00:00", "请问小区门口的监控坏了找谁修？");
    s += &line("9", "g2", "小刘", "resident", "2024-03-20 12:00:00", "提醒：不要点陌生链接，谨防诈骗");
    s += &line("10", "g1@chatroom", "钱女士", "resident", "2024-03-20 11:00:00", "请问身份证丢了怎么补办？");
    s += &line("11", "g1@chatroom", "王警官", "police", "2024-03-20 12:00:00", "收到");
    s
}

#[test]
fn group_names_are_shown_wherever_the_id_was() {
    let d = Dir::new("names");
    let input = d.file("m.jsonl", &log());
    let names = d.file("names.csv", "id,name\ng1@chatroom,幸福里警民群\n");
    let o = run(&["report", &input, "--group-names", &names]);
    let out = stdout(&o);
    assert!(out.contains("幸福里警民群"), "{out}");
    assert!(!out.contains("g1@chatroom"), "the id shows in the text report: {out}");
    let o = run(&["report", &input, "--group-names", &names, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let g = v["groups"].as_array().unwrap().iter().find(|g| g["group"] == "g1@chatroom").unwrap();
    assert_eq!(g["name"], "幸福里警民群");
    let csv = stdout(&run(&["report", &input, "--group-names", &names, "--format", "csv", "--table", "solicitations"]));
    assert!(csv.contains("幸福里警民群") && !csv.contains("g1@chatroom"), "{csv}");
    // The roster's optional columns name groups too.
    let roster = d.file("roster.csv", "sender,role,group,group_name\n王警官,police,g1@chatroom,花园警民群\n");
    let out = stdout(&run(&["report", &input, "--roster", &roster]));
    assert!(out.contains("花园警民群"), "{out}");
    // A bad names file is named with its line.
    let bad = d.file("bad.csv", "g1@chatroom\n");
    let o = run(&["report", &input, "--group-names", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
}

#[test]
fn a_group_without_an_officer_is_flagged_not_failed() {
    let d = Dir::new("unpoliced");
    let input = d.file("m.jsonl", &log());
    let o = run(&["report", &input, "--format", "json"]);
    let err = stderr(&o);
    assert!(err.contains("group g2") && err.contains("本群未识别到民警发言") && err.contains("--roster"), "{err}");
    assert!(!err.contains("group g1@chatroom"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let g2 = v["groups"].as_array().unwrap().iter().find(|g| g["group"] == "g2").unwrap();
    assert_eq!(g2["police_identified"], false);
    assert_eq!(g2["cases"]["unknown"], 1);
    assert_eq!(g2["cases"]["unanswered"], 0);
    assert!(g2["cases"]["answered_share"].is_null(), "{}", g2["cases"]);
    let out = stdout(&run(&["report", &input, "--table", "groups"]));
    let row = out.lines().find(|l| l.starts_with("g2")).unwrap();
    assert!(row.contains("未知") && row.contains("本群未识别到民警发言") && !row.contains("0.0%"), "{row}");
}

#[test]
fn pending_cases_are_not_unanswered() {
    let d = Dir::new("pending");
    let input = d.file("m.jsonl", &log());
    let v: serde_json::Value = serde_json::from_slice(&run(&["report", &input, "--format", "json"]).stdout).unwrap();
    let g1 = v["groups"].as_array().unwrap().iter().find(|g| g["group"] == "g1@chatroom").unwrap();
    // 李阿姨 and 钱女士 answered; 张先生's victim report answered; 赵大爷 waited over
    // 24 hours: unanswered. Nothing pending: the data goes on 24 hours past none.
    assert_eq!(g1["cases"]["opened"], 4, "{}", g1["cases"]);
    assert_eq!(g1["cases"]["answered"], 3);
    assert_eq!(g1["cases"]["unanswered"], 1);
    assert_eq!(v["version"], 2);
    // The last case of the data is pending when the data ends before its window.
    let mut late = log();
    late += &line("12", "g1@chatroom", "孙阿姨", "resident", "2024-03-20 13:00:00", "请问明天警务室几点开门？");
    let input = d.file("late.jsonl", &late);
    let v: serde_json::Value = serde_json::from_slice(&run(&["report", &input, "--format", "json"]).stdout).unwrap();
    assert_eq!(v["cases"]["pending"], 1, "{}", v["cases"]);
    let g1 = v["groups"].as_array().unwrap().iter().find(|g| g["group"] == "g1@chatroom").unwrap();
    assert_eq!(g1["cases"]["answered_share"], 0.75);
    let open = v["drill_down"]["open_cases"].as_array().unwrap();
    let statuses: Vec<&str> = open.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["unanswered", "pending"], "{open:?}");
    assert_eq!(open[1]["age_seconds"], 0);
    assert_eq!(open[0]["text"], "请问办居住证需要带什么材料？");
}

#[test]
fn drill_down_lists_are_masked_full_in_csv_and_capped_in_text() {
    let d = Dir::new("drill");
    let mut s = log();
    for i in 0..30 {
        s += &line(
            &format!("ad{i}"),
            "g1@chatroom",
            "广告号",
            "resident",
            &format!("2024-03-19 {:02}:{:02}:00", 8 + i / 10, i % 60),
            &format!("兼职刷单日结，一单一结，加微信 wx{i:03}abc 联系"),
        );
    }
    let input = d.file("m.jsonl", &s);
    let csv = stdout(&run(&["report", &input, "--format", "csv", "--table", "solicitations"]));
    assert_eq!(csv.lines().count(), 1 + 31, "{csv}");
    assert!(csv.starts_with("time,group,sender,fraud_type,clues,text\r\n"), "{csv}");
    // Full-width clues in their ASCII form, the phone masked, in the text too.
    assert!(csv.contains("微信号 abc12345") && csv.contains("139****5678"), "{csv}");
    assert!(!csv.contains("13912345678") && !csv.contains("１３９１２３４５６７８"), "{csv}");
    let raw = stdout(&run(&["report", &input, "--format", "csv", "--table", "solicitations", "--raw"]));
    assert!(raw.contains("13912345678"), "{raw}");
    let text = stdout(&run(&["report", &input, "--table", "solicitations"]));
    assert!(text.contains("共 31 条，以上为前 20 条"), "{text}");
    let victims = stdout(&run(&["report", &input, "--format", "csv", "--table", "victims"]));
    assert!(victims.contains(",5000.00,"), "{victims}");
    // The contact clues count written forms together.
    let ind = stdout(&run(&["report", &input, "--format", "csv", "--table", "indicators"]));
    assert!(ind.contains("wechat_id,微信号,abc12345,1"), "{ind}");
    // --no-drill-down keeps no texts.
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["report", &input, "--format", "json", "--no-drill-down"]).stdout).unwrap();
    assert!(v["drill_down"].is_null());
}

#[test]
fn windows_weeks_months_and_the_previous_period() {
    let d = Dir::new("windows");
    let input = d.file("m.jsonl", &log());
    let json = |extra: &[&str]| -> serde_json::Value {
        let mut a = vec!["report", input.as_str(), "--format", "json"];
        a.extend_from_slice(extra);
        let o = run(&a);
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let all = json(&[]);
    assert_eq!(all["messages"]["total"], 11);
    let weeks: Vec<&str> = all["weeks"].as_array().unwrap().iter().map(|w| w["label"].as_str().unwrap()).collect();
    assert_eq!(weeks, ["2024-W10", "2024-W11", "2024-W12"]);
    assert_eq!(all["months"][0]["label"], "2024-03");
    // The window 11–17 March (the until date counts whole).
    let w = json(&["--since", "2024-03-11", "--until", "2024-03-17", "--compare-previous"]);
    assert_eq!(w["messages"]["total"], 5, "{}", w["messages"]);
    assert_eq!(w["window"]["since"], "2024-03-11T00:00:00+08:00");
    assert_eq!(w["window"]["until"], "2024-03-18T00:00:00+08:00");
    let p = &w["previous"];
    assert_eq!(p["window"]["since"], "2024-03-04T00:00:00+08:00");
    assert_eq!(p["messages"]["total"], 2);
    assert_eq!(p["change"]["messages"], 3);
    // A case of the window answered after it counts as answered: 赵大爷's
    // question (13 March) stays unanswered, the victim report is answered.
    assert_eq!(w["cases"]["answered"], 1);
    // Figures from a snapshot equal figures from the exports.
    let snap = d.path("s.json");
    let _ = run(&["report", &input, "--save-snapshot", &snap, "--format", "json"]);
    let from = {
        let o = run(&[
            "report",
            "--from-snapshot",
            &snap,
            "--format",
            "json",
            "--since",
            "2024-03-11",
            "--until",
            "2024-03-17",
            "--compare-previous",
        ]);
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    assert_eq!(from, w);
    // Text: the weekly table and the comparison.
    let out = stdout(&run(&["report", &input, "--by", "week", "--since", "2024-03-11", "--compare-previous"]));
    assert!(out.contains("【按周统计】") && !out.contains("【按日统计】"), "{out}");
    assert!(out.contains("【与上期对比】"), "{out}");
    // Bad dates and empty windows are usage errors naming the option.
    for (args, word) in [
        (vec!["--since", "2024-13-01"], "--since"),
        (vec!["--until", "yesterday"], "--until"),
        (vec!["--since", "2024-03-10", "--until", "2024-03-09"], "empty"),
    ] {
        let mut a = vec!["report", input.as_str()];
        a.extend_from_slice(&args);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(word), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn officers_are_credited_with_the_cases_they_answered_first() {
    let d = Dir::new("officers");
    let input = d.file("m.jsonl", &log());
    let v: serde_json::Value = serde_json::from_slice(&run(&["report", &input, "--format", "json"]).stdout).unwrap();
    let officers = v["officers"].as_array().unwrap();
    assert_eq!(officers.len(), 1, "{officers:?}");
    let o = &officers[0];
    assert_eq!(o["officer"], "王警官");
    assert_eq!(o["groups"], serde_json::json!(["g1@chatroom"]));
    assert_eq!(o["messages"], 4);
    assert_eq!(o["answered_first"], 3);
    // 6, 20 and 60 minutes.
    assert_eq!(o["first_response_seconds"]["p50"], 1200);
    assert!((o["within_30_minutes_share"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let table = stdout(&run(&["report", &input, "--table", "officers"]));
    assert!(table.contains("王警官"), "{table}");
    let ranking = stdout(&run(&["report", &input, "--table", "ranking"]));
    let rows: Vec<&str> = ranking.lines().skip_while(|l| !l.starts_with("----")).skip(1).collect();
    assert!(rows[0].trim_start().starts_with("1  g1@chatroom"), "{ranking}");
    assert!(rows[1].starts_with("未知  g2") && !rows[1].contains('%'), "{ranking}");
}

#[test]
fn the_workbook_has_a_sheet_per_table_with_typed_cells() {
    let d = Dir::new("xlsx");
    let input = d.file("m.jsonl", &log());
    let out = d.path("r.xlsx");
    let o = run(&["report", &input, "--format", "xlsx", "--out", &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = xlsx_text(std::path::Path::new(&out));
    for sheet in ["概况", "按群统计", "民警个人（一警一群）", "诈骗引流消息明细（待清理）", "按周统计"] {
        assert!(xml.contains(sheet), "no sheet {sheet}");
    }
    // Text is never a formula (the typed cells are checked by openpyxl in
    // bindings/python/tests/test_report_xlsx.py).
    assert!(!xml.contains("<f>"), "a formula in the workbook");
    assert!(!xml.contains("13912345678"), "a raw phone number in the workbook");
    // Without --out it is a usage error.
    let o = run(&["report", &input, "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
}

#[test]
fn nothing_read_is_said_and_not_a_success() {
    let d = Dir::new("empty");
    let empty = d.file("empty.jsonl", "");
    let o = run(&["report", &empty, "--input-format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was read"), "{}", stderr(&o));
}
