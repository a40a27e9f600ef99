//! The README's first command, `jingmin report` on the demo exports in
//! `examples/data/`, checked against figures computed independently of the
//! library: the generator's own counts (`examples/data/expected_counts.json`)
//! and counts this test takes from the export files itself (JSON lines read
//! with serde_json, CSV rows with the csv crate, QQ header lines by their
//! shape). The report is read as plain JSON (`serde_json::Value`) by the
//! key names of the report schema, not through the library's types.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_jingmin");

fn data(rel: &str) -> String {
    format!("{}/examples/data/{rel}", concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The demo exports, as `examples/data/exports/*` expands (sorted).
fn exports() -> Vec<String> {
    let dir = data("exports");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_owned())
        .collect();
    files.sort();
    files
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().unwrap().to_str().unwrap().to_owned()
}

/// `jingmin report <exports> --roster … --exported-by-police <extra>`.
fn run_report(files: &[String], extra: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("report").args(files).arg("--roster").arg(data("roster.csv")).arg("--exported-by-police").args(extra);
    cmd.output().expect("run jingmin")
}

fn ok_stdout(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "exit code; stderr: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn json_of(files: &[String], extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok_stdout(&run_report(files, &args))).expect("the report is JSON")
}

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(data("expected_counts.json")).unwrap()).unwrap()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// A count in a map of counts; absent keys are zero.
fn n(map: &Value, key: &str) -> u64 {
    map.get(key).map_or(0, u)
}

fn sum_values(map: &Value) -> u64 {
    map.as_object().unwrap().values().map(u).sum()
}

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-demo-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// What the generator says about one group.
struct Want {
    file: String,
    name_in_export: String,
    records: u64,
    text: u64,
    system: u64,
    recalls: u64,
    media: u64,
    police: u64,
    first: String,
    last: String,
}

fn wanted_groups(e: &Value) -> Vec<Want> {
    let mut out = Vec::new();
    for (file, f) in e["files"].as_object().unwrap() {
        for (_name, g) in f["groups"].as_object().unwrap() {
            out.push(Want {
                file: file.clone(),
                name_in_export: g["group_in_export"].as_str().unwrap().to_owned(),
                records: u(&g["records"]),
                text: u(&g["text"]),
                system: u(&g["system"]),
                recalls: u(&g["recalls"]),
                media: u(&g["media"]),
                police: u(&g["text_by_true_role"]["police"]),
                first: g["first"].as_str().unwrap().to_owned(),
                last: g["last"].as_str().unwrap().to_owned(),
            });
        }
    }
    out
}

/// `2024-03-01 07:02:06` (China Standard Time) → `2024-03-01T07:02:06+08:00`.
fn rfc3339_cst(local: &str) -> String {
    format!("{}+08:00", local.replacen(' ', "T", 1))
}

/// `2024-03-01` → the next day, for the contiguity of the day table.
fn next_day(day: &str) -> String {
    let y: u32 = day[..4].parse().unwrap();
    let m: u32 = day[5..7].parse().unwrap();
    let d: u32 = day[8..10].parse().unwrap();
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let len = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let (y, m, d) = if d < len {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    format!("{y:04}-{m:02}-{d:02}")
}

/// `3300` → `3,300`, as the headline writes counts.
fn grouped(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_readme_command_prints_the_headline() {
    let e = expected();
    let text = ok_stdout(&run_report(&exports(), &[]));
    let first = text.lines().next().unwrap();
    let want = format!("共 {} 个群、{} 条消息；", u(&e["totals"]["groups"]), grouped(u(&e["totals"]["text"])));
    assert!(first.starts_with(&want), "headline {first:?} does not start with {want:?}");
    for part in ["法治宣传", "其他", "群众咨询", "已回应", "首次回应中位", "涉诈消息", "预警宣传", "诈骗引流"] {
        assert!(first.contains(part), "headline lacks {part}: {first}");
    }
    assert!(text.contains("统计时段：2024-03-01 至 2024-04-05"), "the period line");
}

#[test]
fn report_matches_the_generators_counts() {
    let e = expected();
    let want = wanted_groups(&e);
    assert_eq!(want.len(), 6);
    let files = exports();
    // Every file the generator wrote is read, and nothing else.
    let names: BTreeSet<String> = files.iter().map(|f| file_name(f)).collect();
    let want_files: BTreeSet<String> = want.iter().map(|w| w.file.clone()).collect();
    assert_eq!(names, want_files);

    let o = run_report(&files, &["--format", "json"]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("rejected"), "{}", String::from_utf8_lossy(&o.stderr));
    let r: Value = serde_json::from_str(&ok_stdout(&o)).unwrap();
    assert_eq!(u(&r["version"]), 2);

    // Totals.
    let t = &e["totals"];
    let m = &r["messages"];
    assert_eq!(u(&r["group_count"]), u(&t["groups"]));
    assert_eq!(u(&m["total"]), u(&t["text"]), "text messages");
    assert_eq!(u(&m["system"]), u(&t["system"]), "system notices");
    assert_eq!(u(&m["recalled"]), u(&t["recalls"]), "recalls");
    assert_eq!(u(&m["media"]), u(&t["media"]), "media placeholders");
    assert_eq!(u(&m["duplicates"]), 0);
    assert_eq!(u(&m["rejected"]["total"]), 0);
    assert_eq!(
        u(&m["total"]) + u(&m["system"]) + u(&m["recalled"]) + u(&m["media"]),
        u(&t["records"]),
        "every record counted once"
    );
    let true_police: u64 = want.iter().map(|w| w.police).sum();
    assert_eq!(n(&m["by_role"], "police"), true_police, "police messages (roster, exporting account, titles)");
    assert_eq!(sum_values(&m["by_role"]), u(&m["total"]));
    assert_eq!(sum_values(&m["by_category"]), u(&m["total"]));

    // Per group, by the name the export gives.
    let groups = r["groups"].as_array().unwrap();
    let got_names: BTreeSet<&str> = groups.iter().map(|g| g["group"].as_str().unwrap()).collect();
    let want_names: BTreeSet<&str> = want.iter().map(|w| w.name_in_export.as_str()).collect();
    assert_eq!(got_names, want_names);
    for w in &want {
        let g = groups.iter().find(|g| g["group"] == w.name_in_export.as_str()).unwrap();
        let gm = &g["messages"];
        let name = &w.name_in_export;
        assert_eq!(u(&gm["total"]), w.text, "{name}: text");
        assert_eq!(u(&gm["system"]), w.system, "{name}: system");
        assert_eq!(u(&gm["recalled"]), w.recalls, "{name}: recalls");
        assert_eq!(u(&gm["media"]), w.media, "{name}: media");
        assert_eq!(u(&gm["total"]) + u(&gm["system"]) + u(&gm["recalled"]) + u(&gm["media"]), w.records, "{name}");
        assert_eq!(n(&gm["by_role"], "police"), w.police, "{name}: police messages");
        assert_eq!(sum_values(&gm["by_role"]), w.text, "{name}: roles");
        assert_eq!(sum_values(&gm["by_category"]), w.text, "{name}: categories");
        let c = &g["cases"];
        assert_eq!(
            u(&c["answered"]) + u(&c["unanswered"]) + u(&c["pending"]) + u(&c["unknown"]),
            u(&c["opened"]),
            "{name}: cases"
        );
        assert!(u(&g["fraud"]["messages"]) <= w.text, "{name}: fraud");
    }
    // The groups add up to the totals.
    for key in ["total", "system", "recalled", "media"] {
        let s: u64 = groups.iter().map(|g| u(&g["messages"][key])).sum();
        assert_eq!(s, u(&m[key]), "groups' {key}");
    }
    let s: u64 = groups.iter().map(|g| u(&g["fraud"]["messages"])).sum();
    assert_eq!(s, u(&r["fraud"]["messages"]));
    let s: u64 = groups.iter().map(|g| u(&g["cases"]["opened"])).sum();
    assert_eq!(s, u(&r["cases"]["opened"]));

    // The period: the earliest first and the latest last record.
    let first = want.iter().map(|w| w.first.as_str()).min().unwrap();
    let last = want.iter().map(|w| w.last.as_str()).max().unwrap();
    assert_eq!(r["period"]["from"].as_str(), Some(rfc3339_cst(first).as_str()));
    assert_eq!(r["period"]["to"].as_str(), Some(rfc3339_cst(last).as_str()));

    // Days: every day of the period, in order, adding up to the totals.
    let days = r["days"].as_array().unwrap();
    assert_eq!(days.len() as u64, u(&e["period"]["days"]));
    assert_eq!(days[0]["day"], e["period"]["first_day"]);
    assert_eq!(days[days.len() - 1]["day"], e["period"]["last_day"]);
    for pair in days.windows(2) {
        assert_eq!(pair[1]["day"].as_str().unwrap(), next_day(pair[0]["day"].as_str().unwrap()));
    }
    for key in ["total", "system", "recalled", "media"] {
        let s: u64 = days.iter().map(|d| u(&d["messages"][key])).sum();
        assert_eq!(s, u(&m[key]), "days' {key}");
    }

    // Fraud and cases hold together.
    let f = &r["fraud"];
    assert_eq!(sum_values(&f["by_stance"]), u(&f["messages"]));
    let c = &r["cases"];
    assert_eq!(u(&c["answered"]) + u(&c["unanswered"]) + u(&c["pending"]) + u(&c["unknown"]), u(&c["opened"]));
    // The demo ends with three cases younger than the answer window: pending.
    assert_eq!(u(&c["pending"]), 3);
    let by_kind = c["by_kind"].as_object().unwrap();
    assert_eq!(by_kind.values().map(|k| u(&k["opened"])).sum::<u64>(), u(&c["opened"]));
    let hist: u64 = c["first_response_histogram"].as_array().unwrap().iter().map(|b| u(&b["cases"])).sum();
    assert_eq!(hist, u(&c["answered"]), "the histogram counts the answered cases");
}

/// Records of one export per group and day, counted here: `(group, day)` →
/// `[text, system, recalls, media]` for JSON Lines (the kinds are visible
/// in the text), `[records, 0, 0, 0]` for the other formats.
type DayCounts = BTreeMap<(String, String), [u64; 4]>;

const MEDIA: [&str; 4] = ["[图片]", "[语音]", "[视频]", "[表情包]"];

fn count_jsonl(path: &str) -> DayCounts {
    let mut out = DayCounts::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let kind = if v["sender"] == "系统消息" {
            if text.ends_with("撤回了一条消息") {
                2
            } else {
                1
            }
        } else if MEDIA.contains(&text) {
            3
        } else {
            0
        };
        let day = v["time"].as_str().unwrap()[..10].to_owned();
        out.entry((v["group"].as_str().unwrap().to_owned(), day)).or_default()[kind] += 1;
    }
    out
}

/// CSV rows by `group_col` and the day of `time_col` (`YYYY-MM-DD …`);
/// `group` replaces the group column when the format has none.
fn count_csv(path: &str, group_col: Option<&str>, group: &str, time_col: &str) -> DayCounts {
    let mut rd = csv::ReaderBuilder::new().from_path(path).unwrap();
    let header: Vec<String> = rd.headers().unwrap().iter().map(|h| h.trim_start_matches('\u{feff}').to_owned()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{path}: no column {name}"));
    let (g, t) = (group_col.map(col), col(time_col));
    let mut out = DayCounts::new();
    for rec in rd.records() {
        let rec = rec.unwrap();
        let group = g.map_or(group.to_owned(), |i| rec[i].to_owned());
        out.entry((group, rec[t][..10].to_owned())).or_default()[0] += 1;
    }
    out
}

/// The day of a QQ TXT record header `YYYY-MM-DD H:MM:SS sender`.
fn qq_header_day(line: &str) -> Option<&str> {
    let (day, rest) = line.split_once(' ')?;
    let (time, sender) = rest.split_once(' ')?;
    let b = day.as_bytes();
    let day_ok = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && day.bytes().filter(|c| c.is_ascii_digit()).count() == 8;
    let parts: Vec<&str> = time.split(':').collect();
    let time_ok = parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()));
    (day_ok && time_ok && !sender.is_empty()).then_some(day)
}

fn count_qq(path: &str) -> DayCounts {
    let mut out = DayCounts::new();
    let mut group = None::<String>;
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if let Some(g) = line.strip_prefix("消息对象:") {
            group = Some(g.trim().to_owned());
        } else if let (Some(g), Some(day)) = (&group, qq_header_day(line)) {
            out.entry((g.clone(), day.to_owned())).or_default()[0] += 1;
        }
    }
    out
}

/// Each export alone: the records per group and day counted from the file
/// equal what the report counts (messages, notices, recalls, media) on
/// that day; for JSON Lines, kind by kind.
#[test]
fn each_export_per_day_matches_its_own_lines() {
    let e = expected();
    for w in wanted_groups(&e) {
        let path = data(&format!("exports/{}", w.file));
        let format = e["files"][&w.file]["format"].as_str().unwrap();
        let counted = match format {
            "jsonl" => count_jsonl(&path),
            "liuhen" => count_csv(&path, None, &w.name_in_export, "StrTime"),
            "pywxdump" => count_csv(&path, Some("room_name"), "", "CreateTime"),
            "qq" => count_qq(&path),
            other => panic!("unknown format {other}"),
        };
        // The file agrees with the generator about this group.
        let mine: Vec<(&String, &[u64; 4])> =
            counted.iter().filter(|((g, _), _)| *g == w.name_in_export).map(|((_, d), c)| (d, c)).collect();
        let records: u64 = mine.iter().map(|(_, c)| c.iter().sum::<u64>()).sum();
        assert_eq!(records, w.records, "{}: records of {} counted in the file", w.file, w.name_in_export);
        assert_eq!(mine.first().map(|(d, _)| d.as_str()), Some(&w.first[..10]));
        assert_eq!(mine.last().map(|(d, _)| d.as_str()), Some(&w.last[..10]));
        if format == "jsonl" {
            let kinds = mine.iter().fold([0u64; 4], |mut a, (_, c)| {
                for i in 0..4 {
                    a[i] += c[i];
                }
                a
            });
            assert_eq!(kinds, [w.text, w.system, w.recalls, w.media], "{}: kinds", w.file);
        }

        // The report of this file alone (a QQ file holds two groups: its
        // days hold both, so compare the file's day sums).
        let r = json_of(std::slice::from_ref(&path), &[]);
        let mut by_day: BTreeMap<String, [u64; 4]> = BTreeMap::new();
        for ((_, d), c) in &counted {
            let e = by_day.entry(d.clone()).or_default();
            for i in 0..4 {
                e[i] += c[i];
            }
        }
        let days = r["days"].as_array().unwrap();
        assert_eq!(days.len(), by_day.len(), "{}: days", w.file);
        for d in days {
            let day = d["day"].as_str().unwrap();
            let m = &d["messages"];
            let got = [u(&m["total"]), u(&m["system"]), u(&m["recalled"]), u(&m["media"])];
            let want = by_day[day];
            if format == "jsonl" {
                assert_eq!(got, want, "{} {day}: [text, system, recalls, media]", w.file);
            } else {
                assert_eq!(got.iter().sum::<u64>(), want[0], "{} {day}: records", w.file);
            }
        }
    }
}

fn csv_table(table: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let o = run_report(&exports(), &["--format", "csv", "--table", table]);
    let text = ok_stdout(&o);
    assert!(text.ends_with("\r\n"), "{table}: CRLF line ends");
    let mut rd = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = rd.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = rd.records().map(|r| r.unwrap()).collect();
    (header, rows)
}

fn cell<'a>(header: &[String], row: &'a csv::StringRecord, key: &str) -> &'a str {
    let i = header.iter().position(|h| h == key).unwrap_or_else(|| panic!("no column {key}"));
    &row[i]
}

/// The columns shared by the group and day tables.
const FIGURES: [&str; 22] = [
    "messages",
    "other",
    "legal_publicity",
    "reminder",
    "dispute",
    "safety",
    "service",
    "anomaly",
    "praise",
    "police_messages",
    "fraud_messages",
    "solicitations",
    "cases_opened",
    "cases_answered",
    "answered_share",
    "first_response_p50_seconds",
    "first_response_p90_seconds",
    "system",
    "recalled",
    "media",
    "duplicates",
    "rejected",
];

#[test]
fn csv_tables_have_their_headers_and_rows() {
    let e = expected();
    let want = wanted_groups(&e);
    let r = json_of(&exports(), &[]);

    // groups: one row per group, no total row.
    let (h, rows) = csv_table("groups");
    let mut cols = vec!["group"];
    cols.extend(FIGURES);
    // Columns added since are at the end.
    cols.extend(["group_id", "cases_pending", "cases_unknown", "note"]);
    assert_eq!(h, cols);
    assert_eq!(rows.len(), want.len());
    for row in &rows {
        assert_eq!(row.len(), h.len());
        let name = cell(&h, row, "group");
        let w = want.iter().find(|w| w.name_in_export == name).unwrap_or_else(|| panic!("unknown group {name}"));
        assert_eq!(cell(&h, row, "messages").parse::<u64>().unwrap(), w.text, "{name}");
        assert_eq!(cell(&h, row, "police_messages").parse::<u64>().unwrap(), w.police, "{name}");
        assert_eq!(cell(&h, row, "system").parse::<u64>().unwrap(), w.system, "{name}");
        assert_eq!(cell(&h, row, "recalled").parse::<u64>().unwrap(), w.recalls, "{name}");
        assert_eq!(cell(&h, row, "media").parse::<u64>().unwrap(), w.media, "{name}");
        let cats: u64 = FIGURES[1..9].iter().map(|k| cell(&h, row, k).parse::<u64>().unwrap()).sum();
        assert_eq!(cats, w.text, "{name}: categories add up");
        let g = r["groups"].as_array().unwrap().iter().find(|g| g["group"] == name).unwrap();
        let share: f64 = cell(&h, row, "answered_share").parse().unwrap();
        assert!((share - g["cases"]["answered_share"].as_f64().unwrap()).abs() < 1e-4, "{name}: share");
    }

    // days: every day of the period.
    let (h, rows) = csv_table("days");
    let mut cols = vec!["day"];
    cols.extend(FIGURES);
    assert_eq!(h, cols);
    assert_eq!(rows.len() as u64, u(&e["period"]["days"]));
    assert_eq!(cell(&h, &rows[0], "day"), e["period"]["first_day"].as_str().unwrap());
    let total: u64 = rows.iter().map(|row| cell(&h, row, "messages").parse::<u64>().unwrap()).sum();
    assert_eq!(total, u(&e["totals"]["text"]));

    // fraud: every fraud type (but none), with the counts of the JSON report.
    let (h, rows) = csv_table("fraud");
    assert_eq!(h, ["fraud_type", "name", "messages", "warning", "inquiry", "solicitation", "victim_report", "none"]);
    assert_eq!(rows.len(), jingmin::FraudType::ALL.len() - 1);
    let mut sum = 0;
    for row in &rows {
        let t = cell(&h, row, "fraud_type");
        assert_ne!(t, "none");
        let v: u64 = cell(&h, row, "messages").parse().unwrap();
        assert_eq!(v, n(&r["fraud"]["by_type"], t), "{t}");
        sum += v;
    }
    assert!(sum >= u(&r["fraud"]["messages"]), "a fraud message has at least one type");

    // cases: one row per kind that occurs, and the total.
    let (h, rows) = csv_table("cases");
    assert_eq!(
        h,
        [
            "kind",
            "name",
            "opened",
            "answered",
            "unanswered",
            "answered_share",
            "first_response_p50_seconds",
            "first_response_p90_seconds",
            "first_response_max_seconds",
            "pending",
            "unknown"
        ]
    );
    let kinds = r["cases"]["by_kind"].as_object().unwrap();
    assert_eq!(rows.len(), kinds.len() + 1);
    let last = rows.last().unwrap();
    assert_eq!(cell(&h, last, "kind"), "all");
    assert_eq!(cell(&h, last, "opened").parse::<u64>().unwrap(), u(&r["cases"]["opened"]));
    for row in &rows[..rows.len() - 1] {
        let k = cell(&h, row, "kind");
        assert_eq!(cell(&h, row, "opened").parse::<u64>().unwrap(), u(&kinds[k]["opened"]), "{k}");
    }
}

#[test]
fn snapshot_round_trip_gives_the_same_report() {
    let dir = scratch("snap");
    let snap = dir.join("demo.snapshot.json");
    let snap = snap.to_str().unwrap();
    let direct = ok_stdout(&run_report(&exports(), &["--format", "json", "--save-snapshot", snap]));
    let o = Command::new(BIN).args(["report", "--from-snapshot", snap, "--format", "json"]).output().unwrap();
    let again = ok_stdout(&o);
    let (a, b): (Value, Value) = (serde_json::from_str(&direct).unwrap(), serde_json::from_str(&again).unwrap());
    assert_eq!(u(&a["messages"]["total"]), u(&expected()["totals"]["text"]));
    assert_eq!(a, b);
    assert_eq!(direct, again, "byte for byte");
    // Only the snapshot is left in the directory: no temporary file.
    let left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["demo.snapshot.json"]);
    let _ = std::fs::remove_dir_all(&dir);
}
