//! `jingmin report` and `jingmin merge`, run as the built binary.

use crate::{fixture, run, stderr, stdout};
use std::path::{Path, PathBuf};

use jingmin::ingest::{self, ReadOptions, Record};
use jingmin::{Aggregator, Category, CountOptions, Engine, Report, Stance};

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The report computed through the library directly: the readers, the
/// engine and the aggregator, without the command line.
fn library_report(files: &[&str]) -> Report {
    let engine = Engine::default();
    // As the command line counts: with the drill-down texts kept.
    let mut agg = Aggregator::new(jingmin::AggregatorConfig { drill_down: true, ..Default::default() }).unwrap();
    for f in files {
        for rec in ingest::open(f, &ReadOptions::default()).unwrap() {
            match rec {
                Record::Message(m) => {
                    agg.add_with(&engine, &m, &CountOptions::default());
                }
                Record::System { kind, message, .. } => {
                    agg.add_with(&engine, &message, &CountOptions { kind: Some(kind), ..CountOptions::default() });
                }
                _ => {}
            }
        }
    }
    agg.report()
}

fn json_report(args: &[&str]) -> Report {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn table_format_has_the_headline_and_aligned_tables() {
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let o = run(&["report", &a, &b]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let r = library_report(&[&a, &b]);
    // Figures known from the fixtures: two groups, 11 content messages (one
    // copy, one picture, one join notice apart), 4 cases of which 3 answered.
    assert_eq!((r.group_count, r.messages.total, r.cases.opened, r.cases.answered), (2, 11, 4, 3));
    let cat = |c: Category| r.messages.by_category[&c];
    let expected = format!(
        "共 2 个群、11 条消息；法治宣传 {} 条、提醒告知 {} 条、化解矛盾 {} 条、安全防范 {} 条、便民服务 {} 条、异常报告 {} 条、弘扬正气 {} 条、其他 {} 条；群众咨询 4 次，已回应 3 次，未回应 1 次，首次回应中位 {} 分钟；涉诈消息 {} 条：预警宣传 {} 条、求证咨询 {} 条、诈骗引流 {} 条、受害报告 {} 条",
        cat(Category::LegalPublicity),
        cat(Category::Reminder),
        cat(Category::Dispute),
        cat(Category::Safety),
        cat(Category::Service),
        cat(Category::Anomaly),
        cat(Category::Praise),
        cat(Category::Other),
        // Answers after 5, 30 and 120 minutes: the median (rank 2 of 3) is 30.
        30,
        r.fraud.messages,
        r.fraud.by_stance[&Stance::Warning],
        r.fraud.by_stance[&Stance::Inquiry],
        r.fraud.by_stance[&Stance::Solicitation],
        r.fraud.by_stance[&Stance::VictimReport],
    );
    assert_eq!(r.cases.first_response_seconds.p50, Some(1800));
    assert_eq!(out.lines().next(), Some(expected.as_str()), "{out}");
    // The categories in the headline are all of them, 其他 included, and the
    // fraud messages have no stance beyond the four named.
    assert_eq!(Category::ALL.iter().map(|c| cat(*c)).sum::<u64>(), 11);
    assert_eq!(r.fraud.by_stance[&Stance::None], 0);
    // The unanswered case (2024-03-02 09:10) had its whole window before the
    // data ended (2024-03-03 12:30): unanswered, not pending, and no note.
    assert_eq!((r.cases.unanswered, r.cases.pending), (1, 0));
    assert!(!out.contains("待回应："), "{out}");
    for title in ["【按类别统计】", "【按群统计】", "【按日统计】", "【涉诈消息：类型与态度】", "【群众咨询与回应】", "【诈骗引流线索"] {
        assert!(out.contains(title), "{title} missing:\n{out}");
    }
    // The groups table lines up in display width (CJK = 2 columns).
    let width = |s: &str| -> usize {
        s.chars().map(|c| if ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ff60}').contains(&c) { 2 } else { 1 }).sum()
    };
    let start = out.find("【按群统计】").unwrap();
    let block: Vec<&str> = out[start..].lines().skip(1).take_while(|l| !l.is_empty()).collect();
    assert!(block.len() >= 4, "{block:?}"); // header, rule, two groups, total
    let w = width(block[1]);
    for l in &block {
        assert_eq!(width(l), w, "misaligned line {l:?} in\n{}", block.join("\n"));
    }
    // Masked by default.
    assert!(out.contains("139****5678"), "{out}");
    assert!(!out.contains("13912345678"));
}

#[test]
fn one_table_and_raw() {
    let a = fixture("a.jsonl");
    let o = run(&["report", &a, "--table", "indicators", "--raw"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("13912345678"), "{out}");
    assert!(out.contains("【诈骗引流线索"));
    assert!(!out.contains("【按群统计】"));
}

#[test]
fn json_is_the_report_schema() {
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let got = json_report(&[&a, &b]);
    assert_eq!(got, library_report(&[&a, &b]));
    assert_eq!(got.version, jingmin::REPORT_VERSION);
    assert_eq!(got.messages.duplicates, 1);
    assert_eq!((got.messages.media, got.messages.system), (1, 1));
    let hist: u64 = got.cases.first_response_histogram.iter().map(|b| b.cases).sum();
    assert_eq!(hist, got.cases.answered);
}

#[test]
fn csv_tables_are_rfc4180() {
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let r = library_report(&[&a, &b]);
    let o = run(&["report", &a, &b, "--format", "csv", "--table", "groups"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("group,messages,other,legal_publicity,"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + r.groups.len(), "{out}");
    // The group name with a comma is quoted; the rows follow the report.
    let total = |g: &str| r.groups.iter().find(|x| x.group == g).unwrap().messages.total;
    // b.jsonl: five records, one of them a join notice.
    assert_eq!(total("桃源村,警民群"), 4);
    assert!(lines.iter().any(|l| l.starts_with("\"桃源村,警民群\",4,")), "{out}");
    assert!(lines.iter().any(|l| l.starts_with(&format!("幸福社区警民群,{},", total("幸福社区警民群")))), "{out}");

    let o = run(&["report", &a, &b, "--format", "csv", "--table", "days"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("day,messages,"));
    assert_eq!(lines.len(), 1 + r.days.len());
    assert!(lines[1].starts_with("2024-03-01,"));

    let o = run(&["report", &a, &b, "--format", "csv", "--table", "fraud"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "fraud_type,name,messages,warning,inquiry,solicitation,victim_report,none");
    // Every type but `none`, one row each.
    assert_eq!(lines.len(), 1 + jingmin::FraudType::ALL.len() - 1);
    let total: u64 = lines[1..].iter().map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap()).sum();
    assert_eq!(total, r.fraud.messages);

    let o = run(&["report", &a, &b, "--format", "csv", "--table", "cases"]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("kind,name,opened,answered,unanswered,answered_share,"));
    assert_eq!(lines.last().unwrap(), &"all,合计,4,3,1,0.75,1800,7200,7200,0,0");
}

#[test]
fn html_is_self_contained_with_charts() {
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let dir = scratch("html");
    let out = dir.join("report.html");
    let o = run(&["report", &a, &b, "--format", "html", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for (id, class) in [
        ("chart-daily", "daily-wide"),
        ("chart-daily-narrow", "daily-narrow"),
        ("chart-fraud-types", "hbar"),
        ("chart-fraud-stances", "hbar"),
        ("chart-response", "hbar"),
    ] {
        assert!(html.contains(&format!("<svg class=\"chart {class}\" version=\"1.1\" role=\"img\" id=\"{id}\"")), "{id}");
    }
    // The daily chart twice: for wide screens and print, and for phones.
    assert_eq!(html.matches("<svg").count(), 5);
    // Every chart scales to the page's width: a viewBox, no fixed size.
    for svg in html.split("<svg").skip(1) {
        let tag = &svg[..svg.find('>').unwrap()];
        assert!(tag.contains(" width=\"100%\" viewBox=\"0 0 "), "{tag}");
        assert!(!tag.contains("height="), "{tag}");
    }
    // The page follows the phone's width, and prints on A4.
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert!(html.contains("@page{size:A4;") && html.contains("@media print{"));
    // The legend of the daily chart is HTML (it wraps), every category in it.
    let legend = &html[html.find("<ul class=\"legend\" id=\"legend-daily\">").unwrap()..];
    let legend = &legend[..legend.find("</ul>").unwrap()];
    assert_eq!(legend.matches("<li").count(), 8);
    for c in Category::ALL {
        assert!(legend.contains(&format!("</span>{}</li>", c.label_zh())), "{}", c.label_zh());
    }
    // The unanswered case of 2024-03-02 had its whole window: no day is
    // marked pending (the demo report's last day is; see demo_report).
    assert_eq!(html.matches("<tr class=\"pending\">").count(), 0);
    // Every table scrolls in its own box: groups, ranking, officers,
    // categories, cases, fraud, indicators, the three lists and the days.
    assert_eq!(html.matches("<table").count(), 11);
    assert_eq!(html.matches("<div class=\"scroll\" tabindex=\"0\"><table").count(), 11);
    // The sortable per-group table, with the answered share as a number.
    assert!(html.contains("<table id=\"group-table\" class=\"sortable\">"));
    assert!(html.contains("data-key=\"answered_share\""));
    assert!(html.contains("data-v=\"0.5\"") || html.contains("data-v=\"1\""), "shares carried for sorting");
    // Nothing fetched: no remote references, no external script or style.
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains(" src=") && !html.contains(" href=") && !html.contains("<link") && !html.contains("@import"));
    assert!(html.contains("<script>\n(function(){"));
}

/// The page's header and footer: `--title`, `--unit`, when it was made (in
/// the report's offset), the period and the inputs as given, all escaped
/// and without control or bidi characters.
#[test]
fn html_footer_names_the_time_period_inputs_and_unit() {
    let dir = scratch("footer");
    let odd = dir.join("三月<b>&\"'\u{7}\u{202E}lsj.jsonl");
    std::fs::copy(fixture("a.jsonl"), &odd).unwrap();
    let b = fixture("b.jsonl");
    let html = |extra: &[&str], epoch: Option<&str>| -> String {
        let mut cmd = std::process::Command::new(crate::BIN);
        cmd.args(["report", odd.to_str().unwrap(), &b, "--format", "html"]).args(extra);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let page = html(&["--title", "<script>x</script>\u{1b}[2J三月月报", "--unit", "城关派出所\n值班室\u{202E}"], Some("1712345678"));
    assert!(!page.contains('\u{1b}') && !page.contains('\u{7}') && !page.contains('\u{202E}') && !page.contains('\u{FFFD}'));
    assert!(page.contains("<title>&lt;script&gt;x&lt;/script&gt;[2J三月月报 — 城关派出所 值班室</title>"), "{page}");
    assert!(page.contains("<h1 id=\"title\">&lt;script&gt;x&lt;/script&gt;[2J三月月报</h1><p class=\"unit\" id=\"unit\">城关派出所 值班室</p>"));
    assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
    let footer = &page[page.find("<footer").unwrap()..page.find("</footer>").unwrap()];
    assert!(footer.contains("<dd id=\"footer-title\">&lt;script&gt;x&lt;/script&gt;[2J三月月报</dd>"), "{footer}");
    assert!(footer.contains("<dd id=\"footer-unit\">城关派出所 值班室</dd>"), "{footer}");
    // 1712345678 is 2024-04-05T19:34:38Z.
    assert!(footer.contains("<time datetime=\"2024-04-06T03:34:38+08:00\">2024-04-06 03:34:38</time>（UTC+08:00）"), "{footer}");
    assert!(footer.contains("<dd id=\"footer-period\">2024-03-01 09:00 至 2024-03-03 12:30（UTC+08:00）</dd>"), "{footer}");
    let odd_shown = format!("{}/三月&lt;b&gt;&amp;&quot;&#39;lsj.jsonl", dir.display());
    assert!(footer.contains(&format!("<ol><li><code>{odd_shown}</code></li><li><code>{b}</code></li></ol>")), "{footer}");
    // In the report's offset, whatever it is; without --title the default.
    let page = html(&["--tz", "-05:00"], Some("1712345678"));
    assert!(page.contains("<time datetime=\"2024-04-05T14:34:38-05:00\">2024-04-05 14:34:38</time>（UTC-05:00）"));
    assert!(page.contains("<h1 id=\"title\">警民群工作统计报告</h1></header>"));
    assert!(!page.contains("footer-unit"));
    // Without SOURCE_DATE_EPOCH: the clock.
    let page = html(&[], None);
    let at = page.split("<time datetime=\"").nth(1).and_then(|t| t.split('"').next()).unwrap();
    let made = jingmin::parse_time(at, 0).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!((now - made).abs() < 600, "{at}");
    assert!(at.ends_with("+08:00"), "{at}");

    // From a snapshot, the input is the snapshot.
    let snap = dir.join("s.json");
    let o = run(&["report", &b, "--save-snapshot", snap.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["report", "--from-snapshot", snap.to_str().unwrap(), "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(&format!("<dd id=\"footer-inputs\"><ol><li><code>{}</code></li></ol></dd>", snap.display())), "{page}");
    // Resumed: the snapshot, then the exports added.
    let o = run(&["report", &fixture("a.jsonl"), "--resume", snap.to_str().unwrap(), "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("<ol><li><code>{}</code></li><li><code>{}</code></li></ol>", snap.display(), fixture("a.jsonl"))));
    // The options are the page's: elsewhere they are refused.
    let o = run(&["report", &b, "--unit", "城关派出所"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--title and --unit apply to --format html"), "{}", stderr(&o));
}

#[test]
fn html_escapes_group_names_and_indicators() {
    let dir = scratch("escape");
    let evil = dir.join("evil.jsonl");
    let name = "<script>alert(1)</script>\"'&<img src=x onerror=alert(2)>";
    let line = serde_json::json!({
        "id": "e1", "group": name, "role": "unknown", "time": "2024-03-05 10:00:00",
        "text": "兼职刷单日结300，加微信 abc_12345 或电话 13912345678"
    });
    std::fs::write(&evil, format!("{line}\n")).unwrap();
    let o = run(&["report", evil.to_str().unwrap(), "--format", "html"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert!(!html.contains("<script>alert"), "unescaped group name");
    assert!(!html.contains("<img"), "unescaped group name");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;"));
    // Exactly one script element: ours.
    assert_eq!(html.matches("<script").count(), 1);
    // The terminal table cannot be steered either: control characters are replaced.
    let line = serde_json::json!({"id": "e2", "group": "a\u{1b}[2Jb", "time": "2024-03-05 10:00:00", "text": "收到"});
    std::fs::write(&evil, format!("{line}\n")).unwrap();
    let o = run(&["report", evil.to_str().unwrap(), "--table", "groups"]);
    assert!(!stdout(&o).contains('\u{1b}'));
    assert!(stdout(&o).contains("a\u{FFFD}[2Jb"));
}

#[test]
fn exit_codes() {
    // 1: a record rejected, the report still written, the problem named by
    // file and line without the message text.
    let bad = fixture("bad.jsonl");
    let o = run(&["report", &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("共 1 个群、1 条消息"), "{}", stdout(&o));
    assert!(stdout(&o).contains("未能读取的记录 2 条"));
    let err = stderr(&o);
    assert!(err.contains("bad.jsonl: line 2: rejected"), "{err}");
    assert!(err.contains("bad.jsonl: line 3: rejected"), "{err}");
    assert!(!err.contains("秘密内容") && !err.contains("13800001111") && !err.contains("昨天下午"), "{err}");

    // 2: arguments and unusable input; nothing on stdout.
    let a = fixture("a.jsonl");
    for args in [
        vec!["report", a.as_str(), "--format", "pdf"],
        vec!["report", a.as_str(), "--table", "weekly"],
        vec!["report", a.as_str(), "--bogus"],
        vec!["report", a.as_str(), "--tz", "Asia/Shanghai"],
        vec!["report"],
        vec!["report", "/nonexistent/export.jsonl"],
        vec!["report", a.as_str(), "/nonexistent/export.jsonl"],
        vec!["report", a.as_str(), "--input-format", "xml"],
        vec!["report", a.as_str(), "--lexicon", "/nonexistent/lexicon.json"],
        vec!["report", "--from-snapshot", a.as_str()],
        vec!["merge", a.as_str()],
        vec!["frobnicate"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
    let o = run(&["report", "/nonexistent/export.jsonl"]);
    assert!(stderr(&o).contains("/nonexistent/export.jsonl"), "{}", stderr(&o));
    let o = run(&["report", &fixture("notes.txt")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.txt") && stderr(&o).contains("tried"), "{}", stderr(&o));
}

fn no_temporaries(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!n.ends_with(".tmp"), "temporary left behind: {n}");
    }
}

#[test]
fn snapshots_save_resume_merge() {
    let (a, b) = (fixture("a.jsonl"), fixture("b.jsonl"));
    let dir = scratch("snap");
    let p = |n: &str| dir.join(n).to_str().unwrap().to_owned();
    let whole = json_report(&[&a, &b]);

    // Save after a, resume with b: the same as one run over both.
    let o = run(&["report", &a, "--save-snapshot", &p("s1.json"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first: Report = serde_json::from_str(&stdout(&o)).unwrap();
    assert_ne!(first, whole);
    let snap = std::fs::read_to_string(p("s1.json")).unwrap();
    assert_eq!(Aggregator::restore(&snap).unwrap().report(), first);
    let o = run(&["report", &b, "--resume", &p("s1.json"), "--save-snapshot", &p("s2.json"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let resumed: Report = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(resumed, whole);
    assert_eq!(json_report(&["--from-snapshot", &p("s2.json")]), whole);
    // Saving again over an existing snapshot replaces it whole.
    let o = run(&["report", &a, &b, "--save-snapshot", &p("s2.json"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json_report(&["--from-snapshot", &p("s2.json")]), whole);

    // Merge of snapshots taken separately equals one run.
    run(&["report", &b, "--save-snapshot", &p("sb.json"), "--format", "json"]);
    let o = run(&["merge", &p("s1.json"), &p("sb.json"), "--out", &p("m.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_report(&["--from-snapshot", &p("m.json")]), whole);
    // The merged snapshot is the same state as the resumed one, byte for byte.
    assert_eq!(std::fs::read(p("m.json")).unwrap(), std::fs::read(p("s2.json")).unwrap());
    no_temporaries(&dir);

    // The other formats work from a snapshot too.
    let o = run(&["report", "--from-snapshot", &p("m.json"), "--format", "html"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("id=\"chart-response\""));

    // A snapshot that cannot be written, a corrupt one, a differing offset: 2.
    let o = run(&["report", &a, "--save-snapshot", &p("missing/dir/s.json")]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::write(p("torn.json"), &snap.as_bytes()[..snap.len() / 2]).unwrap();
    for args in [
        vec!["report", "--from-snapshot", &p("torn.json")],
        vec!["report", &b, "--resume", &p("torn.json")],
        vec!["merge", &p("s1.json"), &p("torn.json"), "--out", &p("m2.json")],
        vec!["report", &b, "--resume", &p("s1.json"), "--tz", "+09:00"],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    assert!(!dir.join("m2.json").exists());
    no_temporaries(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tz_moves_days() {
    let a = fixture("a.jsonl");
    let cst = json_report(&[&a]);
    let utc = json_report(&[&a, "--tz", "+00:00"]);
    // Local times read at UTC are 8 hours later; the 09:00 and later messages
    // of 2024-03-01 stay on that day, but the period shifts.
    assert_eq!(cst.period.from.as_deref(), Some("2024-03-01T09:00:00+08:00"));
    assert_eq!(utc.period.from.as_deref(), Some("2024-03-01T09:00:00+00:00"));
    assert_eq!(cst.messages, utc.messages);
}

/// A police media message (`[图片]` from a police sender) answers the case
/// open in its group, in `jingmin report` as in the library
/// (`docs/report-schema.md`). It did not: the command line dropped the
/// sender's role of media records.
#[test]
fn police_media_answers_the_open_case() {
    let dir = scratch("police-media");
    let f = dir.join("media.jsonl");
    let lines = [
        serde_json::json!({"id": "q", "group": "g", "role": "resident", "time": "2024-03-02 10:00:00", "text": "请问户籍室周六上班吗？"}),
        serde_json::json!({"id": "p", "group": "g", "role": "police", "time": "2024-03-02 10:05:00", "text": "[图片]"}),
    ];
    std::fs::write(&f, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let report = json_report(&[f.to_str().unwrap()]);
    assert_eq!(report.cases.opened, 1);
    assert_eq!(report.cases.answered, 1, "the police photo answers the question");
    assert_eq!(report.messages.media, 1);
    // A WeChat export's image record (Type 3) from the officer answers too.
    let csv = dir.join("幸福社区警民群_utf8.csv");
    std::fs::write(
        &csv,
        "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n\
         101,7,1,0,0,1709344800,2,请问户籍室周六上班吗？,2024-03-02 10:00:00,3栋李阿姨,李阿姨,wxid_res01\r\n\
         102,7,3,0,1,1709345100,2,<img/>,2024-03-02 10:05:00,王警官,王警官,wxid_pol01\r\n",
    )
    .unwrap();
    let report = json_report(&[csv.to_str().unwrap(), "--exported-by-police"]);
    assert_eq!((report.cases.opened, report.cases.answered, report.messages.media), (1, 1, 1));
}
