//! Ingestion of chat exports: every reader against the fixtures in
//! `tests/fixtures/ingest/` (written by `make_fixtures.py` there), format
//! detection, encodings, roles, and streaming of a large generated input.

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use jingmin::ingest::{self, ColumnSpec, Format, ReadOptions, Record, Roster, TextEncoding};
use jingmin::MessageKind;
use jingmin::{Error, Message, Role};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest").join(name)
}

#[derive(Debug, Default)]
struct Read_ {
    format: Option<Format>,
    encoding: Option<TextEncoding>,
    bom: bool,
    replacements: u64,
    messages: Vec<Message>,
    /// (kind, group, time, line)
    system: Vec<(MessageKind, Option<String>, Option<String>, u64)>,
    /// (line, reason)
    rejected: Vec<(u64, String)>,
    /// (line, reason)
    warnings: Vec<(u64, String)>,
}

impl Read_ {
    fn msg(&self, id: &str) -> &Message {
        self.messages.iter().find(|m| m.id.as_deref() == Some(id)).unwrap_or_else(|| panic!("no message {id}: {self:#?}"))
    }
    fn ids(&self) -> Vec<&str> {
        self.messages.iter().map(|m| m.id.as_deref().unwrap()).collect()
    }
    fn rejected_lines(&self) -> Vec<u64> {
        self.rejected.iter().map(|r| r.0).collect()
    }
    fn system_of(&self, kind: MessageKind) -> Vec<u64> {
        self.system.iter().filter(|s| s.0 == kind).map(|s| s.3).collect()
    }
    fn reason(&self, line: u64) -> &str {
        &self.rejected.iter().find(|r| r.0 == line).unwrap_or_else(|| panic!("no rejection at {line}")).1
    }
}

fn collect(mut reader: ingest::Reader) -> Read_ {
    let mut out = Read_ { format: Some(reader.format()), ..Default::default() };
    let file = reader.file().to_string();
    for record in reader.by_ref() {
        match record {
            Record::Message(m) => out.messages.push(m),
            Record::System { kind, message, line } => out.system.push((kind, message.group, message.time, line)),
            Record::Rejected { file: f, line, reason } => {
                assert_eq!(f, file);
                out.rejected.push((line, reason));
            }
            Record::Warning { file: f, line, reason } => {
                assert_eq!(f, file);
                out.warnings.push((line, reason));
            }
        }
    }
    out.encoding = Some(reader.encoding());
    out.bom = reader.had_bom();
    out.replacements = reader.replacements();
    out
}

fn read_fixture(name: &str, opts: &ReadOptions) -> Read_ {
    collect(ingest::open(fixture(name), opts).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn police_opts() -> ReadOptions {
    let roster = Roster::from_csv_reader(std::fs::File::open(fixture("roster.csv")).unwrap()).unwrap();
    ReadOptions { exported_by_police: true, roster: Some(roster), ..ReadOptions::default() }
}

/// No rejection reason may echo message text from the fixtures.
fn assert_no_text_in_reasons(r: &Read_, texts: &[&str]) {
    for (_, reason) in &r.rejected {
        for t in texts {
            assert!(!reason.contains(t), "reason `{reason}` echoes `{t}`");
        }
    }
}

#[test]
fn native_jsonl() {
    let r = read_fixture("native.jsonl", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::Jsonl));
    assert_eq!((r.encoding, r.bom), (Some(TextEncoding::Utf8), false));
    assert_eq!(r.ids(), ["n-1", "2", "native:L4", "n-10"]);

    let m = r.msg("n-1");
    assert_eq!(m.group.as_deref(), Some("幸福社区警民群"));
    assert_eq!(m.sender.as_deref(), Some("民警魏某"));
    assert_eq!(m.role, Role::Police);
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:00:00+08:00"));
    assert_eq!(m.text, "近期冒充客服诈骗高发，请勿转账。");

    let m = r.msg("2");
    assert_eq!((m.role, m.time.as_deref()), (Role::Unknown, Some("2024-03-01T10:05:00+08:00")));

    // No id, no group: both come from the file name; Unix seconds become RFC 3339.
    let m = r.msg("native:L4");
    assert_eq!(m.group.as_deref(), Some("native"));
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:10:00+08:00"));
    assert_eq!(m.role, Role::Unknown);

    // 辅警 in the name; no time given.
    let m = r.msg("n-10");
    assert_eq!((m.role, m.time.as_deref()), (Role::Police, None));

    assert_eq!(
        r.system,
        [(MessageKind::Media, Some("幸福社区警民群".into()), Some("2024-03-01T10:20:00+08:00".into()), 5)]
    );
    assert_eq!(r.rejected_lines(), [6, 7, 8, 9, 11]);
    assert!(r.reason(6).contains("`time`"), "{}", r.reason(6));
    assert!(r.reason(7).contains("`role`"), "{}", r.reason(7));
    assert!(r.reason(8).contains("not a JSON object"), "{}", r.reason(8));
    assert!(r.reason(9).contains("invalid JSON"), "{}", r.reason(9));
    assert!(r.reason(11).contains("`text`") && r.reason(11).contains("number"), "{}", r.reason(11));
    assert_no_text_in_reasons(&r, &["月份不对", "角色不对", "未闭合", "boss"]);
    assert!(r.warnings.is_empty());
}

#[test]
fn jsonl_utf16le_with_bom_crlf_and_a_lone_surrogate() {
    let r = read_fixture("native_utf16le.jsonl", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::Jsonl));
    assert_eq!((r.encoding, r.bom), (Some(TextEncoding::Utf16Le), true));
    assert_eq!(r.ids(), ["u-1", "u-2"]);
    assert_eq!(r.msg("u-1").text, "今天村口有集市，注意看好财物。");
    assert_eq!(r.msg("u-1").time.as_deref(), Some("2024-03-04T08:00:00+08:00"));
    assert_eq!(r.msg("u-2").text, "好的\u{FFFD}");
    assert_eq!(r.replacements, 1);
    assert_eq!(r.warnings.len(), 1);
    assert_eq!(r.warnings[0].0, 2);
    assert!(r.warnings[0].1.contains("U+FFFD"));
    assert!(r.rejected.is_empty());
}

#[test]
fn invalid_utf8_byte_is_a_warning_not_a_failure() {
    let r = read_fixture("invalid_utf8.jsonl", &ReadOptions::default());
    assert_eq!(r.encoding, Some(TextEncoding::Utf8));
    assert_eq!(r.ids(), ["b-1", "b-2"]);
    assert_eq!(r.msg("b-1").text, "警民联系群通知：明天停水\u{FFFD}请储水");
    assert_eq!(r.warnings.iter().map(|w| w.0).collect::<Vec<_>>(), [1]);
    assert_eq!(r.replacements, 1);
}

#[test]
fn wechatmsg_12_columns_bom_crlf() {
    let r = read_fixture("幸福社区警民群_utf8.csv", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::WeChatMsgCsv));
    assert_eq!((r.encoding, r.bom), (Some(TextEncoding::Utf8), true));
    let g = "幸福社区警民群";
    assert_eq!(
        r.ids(),
        ["幸福社区警民群:101", "幸福社区警民群:102", "幸福社区警民群:105", "幸福社区警民群:109", "幸福社区警民群:111"]
    );
    assert!(r.messages.iter().all(|m| m.group.as_deref() == Some(g)));

    let m = r.msg("幸福社区警民群:101");
    assert_eq!(m.sender.as_deref(), Some("李阿姨"));
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:00:00+08:00"));
    assert_eq!(m.text, "请问周六警务室有人吗？");
    assert_eq!(m.role, Role::Unknown);
    let m = r.msg("幸福社区警民群:102");
    assert_eq!((m.sender.as_deref(), m.role), (None, Role::Unknown));
    // A quoted field over two lines, CRLF inside normalised to LF.
    let m = r.msg("幸福社区警民群:105");
    assert_eq!(m.text, "提醒大家：\n不要点陌生链接，不要转账");
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:15:00+08:00"));
    // Quote reply (Type 49, SubType 57) is text; 警官 in the name.
    let m = r.msg("幸福社区警民群:109");
    assert_eq!((m.text.as_str(), m.role), ("这是诈骗吗？", Role::Police));

    assert_eq!(r.system_of(MessageKind::Recalled), [4]);
    assert_eq!(r.system_of(MessageKind::Media), [5, 12]);
    assert_eq!(r.system.len(), 3);
    assert_eq!(r.system[0].2.as_deref(), Some("2024-03-01T10:10:00+08:00"));
    assert_eq!(r.system[0].1.as_deref(), Some(g));

    assert_eq!(r.rejected_lines(), [8, 9, 10]);
    assert!(r.reason(8).contains("`CreateTime`/`StrTime`"), "{}", r.reason(8));
    assert!(r.reason(9).contains("expected 12 columns, found 10"), "{}", r.reason(9));
    assert!(r.reason(10).contains("unbalanced quote") && r.reason(10).contains("line 11"), "{}", r.reason(10));
    assert_no_text_in_reasons(&r, &["时间坏了", "列数不对", "引号没闭合"]);
}

#[test]
fn wechatmsg_roles_with_roster_and_exporting_officer() {
    let r = read_fixture("幸福社区警民群_utf8.csv", &police_opts());
    let roles: Vec<(&str, Role)> = r.messages.iter().map(|m| (m.id.as_deref().unwrap(), m.role)).collect();
    assert_eq!(
        roles,
        [
            ("幸福社区警民群:101", Role::Resident), // roster by wxid
            ("幸福社区警民群:102", Role::Police),   // IsSender=1, exported by the officer
            ("幸福社区警民群:105", Role::Police),   // roster by display name
            ("幸福社区警民群:109", Role::Police),   // 警官
            ("幸福社区警民群:111", Role::Unknown),
        ]
    );
}

#[test]
fn wechatmsg_times_follow_the_configured_offset() {
    let opts = ReadOptions { tz_offset_secs: ingest::parse_tz_offset("+00:00").unwrap(), ..ReadOptions::default() };
    let r = read_fixture("幸福社区警民群_utf8.csv", &opts);
    assert_eq!(r.msg("幸福社区警民群:101").time.as_deref(), Some("2024-03-01T02:00:00+00:00"));
    let bad = ReadOptions { tz_offset_secs: 24 * 3600, ..ReadOptions::default() };
    assert!(matches!(ingest::open(fixture("native.jsonl"), &bad), Err(Error::Ingest(_))));
}

#[test]
fn wechatmsg_9_columns_no_bom() {
    let r = read_fixture("老街坊群.csv", &police_opts());
    assert_eq!(r.format, Some(Format::WeChatMsgCsv));
    assert!(!r.bom);
    assert_eq!(r.ids(), ["老街坊群:1", "老街坊群:2", "老街坊群:4"]);
    assert!(r.messages.iter().all(|m| m.group.as_deref() == Some("老街坊群") && m.sender.is_none()));
    assert_eq!(r.msg("老街坊群:1").time.as_deref(), Some("2024-03-02T10:00:00+08:00"));
    assert_eq!(r.msg("老街坊群:2").role, Role::Police);
    assert_eq!(r.msg("老街坊群:1").role, Role::Unknown);
    // No CreateTime: StrTime is read in +08:00.
    assert_eq!(r.msg("老街坊群:4").time.as_deref(), Some("2024-03-02T10:07:00+08:00"));
    assert_eq!(r.system_of(MessageKind::Media), [4]);
    assert!(r.rejected.is_empty());
}

#[test]
fn pywxdump_csv() {
    let r = read_fixture("pywxdump.csv", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::PyWxDumpCsv));
    assert_eq!(r.ids(), ["8812", "8813", "20001234567@chatroom:9"]);
    assert!(r.messages.iter().all(|m| m.group.as_deref() == Some("20001234567@chatroom")));
    // The quote is dropped, only the reply is kept.
    let m = r.msg("8813");
    assert_eq!(m.text, "这是诈骗，别转！");
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:03:00+08:00"));
    assert_eq!((m.sender.as_deref(), m.role), (Some("我"), Role::Unknown));
    assert_eq!(r.msg("8812").sender.as_deref(), Some("wxid_res01"));

    assert_eq!(r.system_of(MessageKind::Media), [6]);
    assert_eq!(r.system_of(MessageKind::Recalled), [7]);
    assert_eq!(r.system_of(MessageKind::System), [8, 9]);
    assert_eq!(r.rejected_lines(), [10, 11]);
    assert!(r.reason(10).contains("`CreateTime`"), "{}", r.reason(10));
    assert!(r.reason(11).contains("expected 9 columns, found 8"), "{}", r.reason(11));
    assert_no_text_in_reasons(&r, &["昨天", "少了一列"]);

    let r = read_fixture("pywxdump.csv", &police_opts());
    assert_eq!(r.msg("8813").role, Role::Police);
    assert_eq!(r.msg("8812").role, Role::Resident);
    assert_eq!(r.msg("20001234567@chatroom:9").role, Role::Unknown);
}

#[test]
fn chatlog_json() {
    let r = read_fixture("chatlog.json", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::ChatlogJson));
    assert_eq!(
        r.ids(),
        ["幸福社区警民群:1709258400000", "幸福社区警民群:1709258460000", "20001234567@chatroom:1709258700000"]
    );
    let m = r.msg("幸福社区警民群:1709258400000");
    assert_eq!((m.sender.as_deref(), m.role), (Some("社区民警王某"), Role::Police));
    assert_eq!(m.group.as_deref(), Some("幸福社区警民群"));
    // A UTC time is written in +08:00; the quote reply keeps its own text.
    let m = r.msg("幸福社区警民群:1709258460000");
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:01:00+08:00"));
    assert_eq!(m.text, "公检法会打电话让转账吗？");
    assert_eq!(m.role, Role::Unknown);
    // Brackets inside strings do not confuse the splitter; empty talkerName
    // falls back to the talker id.
    let m = r.msg("20001234567@chatroom:1709258700000");
    assert_eq!(m.text, "好的，[大括号}不影响] 知道了");
    assert_eq!(m.group.as_deref(), Some("20001234567@chatroom"));

    assert_eq!(r.system_of(MessageKind::Recalled), [5]);
    assert_eq!(r.system_of(MessageKind::Media), [6]);
    assert_eq!(r.rejected_lines(), [7, 8, 10]);
    assert!(r.reason(7).contains("element 5") && r.reason(7).contains("not an object"), "{}", r.reason(7));
    assert!(r.reason(8).contains("`time`"), "{}", r.reason(8));
    assert!(r.reason(10).contains("invalid JSON"), "{}", r.reason(10));
    assert_no_text_in_reasons(&r, &["not an object\"", "时间坏了", "坏 JSON", "昨天"]);
}

#[test]
fn chatlog_exported_by_police() {
    let r = read_fixture("chatlog.json", &ReadOptions { exported_by_police: true, ..ReadOptions::default() });
    assert_eq!(r.msg("幸福社区警民群:1709258400000").role, Role::Police);
    assert_eq!(r.msg("20001234567@chatroom:1709258700000").role, Role::Unknown);
}

#[test]
fn chatlog_truncated_array_is_reported() {
    let input = r#"[{"seq":1,"time":"2024-03-01T10:00:00+08:00","talkerName":"群","type":1,"content":"第一条"},
{"seq":2,"time":"2024-03-01T10:01:00+08:00","talkerName":"群","type":1,"content":"第二"#;
    let r = collect(ingest::read(io::Cursor::new(input), "cut.json", &ReadOptions::default()).unwrap());
    assert_eq!(r.ids(), ["群:1"]);
    assert_eq!(r.rejected_lines(), [2]);
    assert!(r.rejected[0].1.contains("incomplete"), "{}", r.rejected[0].1);
}

#[test]
fn qq_txt_two_groups() {
    let r = read_fixture("qq.txt", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::QqTxt));
    assert_eq!(
        r.ids(),
        ["XX社区警民联系群:L9", "XX社区警民联系群:L15", "XX社区警民联系群:L26", "YY村平安群:L36", "YY村平安群:L42"]
    );
    let m = r.msg("XX社区警民联系群:L9");
    assert_eq!((m.sender.as_deref(), m.role), (Some("王警官"), Role::Police));
    assert_eq!(m.time.as_deref(), Some("2024-03-01T10:00:00+08:00"));
    assert_eq!(m.text, "近期有冒充公检法诈骗，请勿转账。");
    // PM time; a blank line inside the message is kept.
    let m = r.msg("XX社区警民联系群:L15");
    assert_eq!(m.time.as_deref(), Some("2024-03-01T13:05:09+08:00"));
    assert_eq!(m.text, "我接到一个电话说我涉嫌洗钱，\n\n让我把钱转到安全账户，是真的吗？");
    assert_eq!((m.sender.as_deref(), m.role), (Some("李阿姨"), Role::Unknown));
    let m = r.msg("XX社区警民联系群:L26");
    assert_eq!(m.time.as_deref(), Some("2024-03-01T23:30:00+08:00"));
    assert_eq!(m.sender.as_deref(), Some("路人甲"));
    let m = r.msg("YY村平安群:L36");
    assert_eq!((m.role, m.time.as_deref()), (Role::Police, Some("2024-03-02T09:00:00+08:00")));
    assert_eq!(m.group.as_deref(), Some("YY村平安群"));
    // 12:15 AM is a quarter past midnight.
    assert_eq!(r.msg("YY村平安群:L42").time.as_deref(), Some("2024-03-02T00:15:00+08:00"));

    assert_eq!(r.system_of(MessageKind::Recalled), [12]);
    assert_eq!(r.system_of(MessageKind::Media), [20]);
    assert_eq!(r.system_of(MessageKind::System), [39]);
    assert_eq!(r.system[2].1.as_deref(), Some("YY村平安群"));
    assert_eq!(r.rejected_lines(), [23, 34]);
    assert!(r.reason(23).contains("date and time"), "{}", r.reason(23));
    assert!(r.reason(34).contains("outside any message"), "{}", r.reason(34));
    assert_no_text_in_reasons(&r, &["这条时间不对", "这行不属于任何消息"]);
}

#[test]
fn qq_txt_roster_by_qq_number() {
    let mut roster = Roster::new();
    roster.insert("20002", Role::Resident);
    roster.insert("路人甲", Role::Police);
    let r = read_fixture("qq.txt", &ReadOptions { roster: Some(roster), ..ReadOptions::default() });
    assert_eq!(r.msg("XX社区警民联系群:L15").role, Role::Resident);
    assert_eq!(r.msg("XX社区警民联系群:L26").role, Role::Police);
}

#[test]
fn qq_txt_gbk_crlf() {
    let r = read_fixture("qq_gbk.txt", &ReadOptions::default());
    assert_eq!(r.format, Some(Format::QqTxt));
    assert_eq!((r.encoding, r.bom), (Some(TextEncoding::Gb18030), false));
    assert_eq!(r.ids(), ["ZZ小区业主群:L9", "ZZ小区业主群:L12"]);
    let m = r.msg("ZZ小区业主群:L9");
    assert_eq!(m.text, "明天停水，请提前储水。");
    assert_eq!(m.sender.as_deref(), Some("物业刘经理"));
    assert_eq!(m.role, Role::Police); // 【群主】 title
    assert_eq!(m.time.as_deref(), Some("2024-03-05T08:30:00+08:00"));
    assert_eq!(r.msg("ZZ小区业主群:L12").role, Role::Unknown);
    assert_eq!(r.replacements, 0);
    assert!(r.rejected.is_empty() && r.system.is_empty());
}

fn generic_spec() -> ColumnSpec {
    ColumnSpec::parse("time=时间,group=群名,sender=发送人,role=角色,text=内容,id=编号").unwrap()
}

#[test]
fn generic_csv_with_column_spec() {
    let r = read_fixture("generic.csv", &ReadOptions { columns: Some(generic_spec()), ..ReadOptions::default() });
    assert_eq!(r.format, Some(Format::Csv));
    assert_eq!(r.ids(), ["g-1", "g-2", "generic:L4", "g-8"]);
    let m = r.msg("g-1");
    assert_eq!(m.text, "雨天路滑，请减速慢行,注意安全");
    assert_eq!((m.sender.as_deref(), m.role), (Some("交警小孙"), Role::Police));
    assert_eq!(m.time.as_deref(), Some("2024-03-03T09:00:00+08:00"));
    assert_eq!(r.msg("g-2").role, Role::Unknown);
    // Empty group and id columns: the file stem gives the group and the id.
    let m = r.msg("generic:L4");
    assert_eq!(m.group.as_deref(), Some("generic"));
    assert_eq!(m.text, "他说\"马上到\"");
    assert_eq!((m.role, m.time.as_deref()), (Role::Resident, Some("2024-03-03T09:10:00+08:00")));
    assert_eq!(r.msg("g-8").text, "多行\n内容");

    assert_eq!(r.system_of(MessageKind::Media), [7]);
    assert_eq!(r.rejected_lines(), [5, 6, 10]);
    assert!(r.reason(5).contains("`角色`"), "{}", r.reason(5));
    assert!(r.reason(6).contains("`时间`"), "{}", r.reason(6));
    assert!(r.reason(10).contains("end of the input"), "{}", r.reason(10));
    assert_no_text_in_reasons(&r, &["队长", "时间错", "引号没有闭合"]);
}

#[test]
fn generic_csv_with_default_column_names_and_explicit_format() {
    let input = "\u{feff}time,sender,text\n2024-03-03 09:00:00,老周,收到\n";
    let r = collect(ingest::read(io::Cursor::new(input), "-", &ReadOptions::default()).unwrap());
    assert_eq!(r.format, Some(Format::Csv));
    assert_eq!(r.messages.len(), 1);
    // Neither the export nor the name "-" gives a group.
    assert_eq!(r.messages[0].group, None);
    assert_eq!(r.ids(), ["input:L2"]);

    let opts = ReadOptions { default_group: Some("驾驶员群".into()), ..ReadOptions::default() };
    let r = collect(ingest::read(io::Cursor::new(input), "-", &opts).unwrap());
    assert_eq!(r.messages[0].group.as_deref(), Some("驾驶员群"));
    assert_eq!(r.ids(), ["驾驶员群:L2"]);

    // Forcing the generic format with a spec the header does not have fails
    // naming the column.
    let opts = ReadOptions { format: Some(Format::Csv), columns: Some(generic_spec()), ..ReadOptions::default() };
    let Err(e) = ingest::read(io::Cursor::new(input), "x.csv", &opts) else { panic!("expected an error") };
    assert!(e.to_string().contains("x.csv") && e.to_string().contains("`内容`"), "{e}");
}

#[test]
fn unknown_format_names_the_file_and_the_formats_tried() {
    for name in ["notes.txt", "generic.csv"] {
        // generic.csv has no `text` column, so without a column spec it is
        // not recognised either.
        let Err(e) = ingest::open(fixture(name), &ReadOptions::default()) else { panic!("{name} was accepted") };
        let msg = e.to_string();
        assert!(matches!(e, Error::UnknownFormat { .. }), "{msg}");
        assert!(msg.contains(name), "{msg}");
        for f in Format::ALL {
            assert!(msg.contains(f.name()), "{msg} lacks {}", f.name());
        }
    }
    let e = ingest::open(fixture("missing.csv"), &ReadOptions::default()).err().unwrap();
    assert!(matches!(e, Error::Io { .. }) && e.to_string().contains("missing.csv"), "{e}");
}

#[test]
fn format_override_beats_detection() {
    // A QQ export read as JSON Lines: every non-blank line is rejected, none dropped.
    let opts = ReadOptions { format: Some(Format::Jsonl), ..ReadOptions::default() };
    let r = read_fixture("qq_gbk.txt", &opts);
    assert_eq!(r.format, Some(Format::Jsonl));
    assert!(r.messages.is_empty());
    assert_eq!(r.rejected_lines(), [1, 3, 4, 5, 6, 7, 9, 10, 12, 13]);
    assert_eq!(Format::from_name("QQ"), Some(Format::QqTxt));
}

#[test]
fn forced_encoding() {
    let opts = ReadOptions { encoding: Some(TextEncoding::Gb18030), ..ReadOptions::default() };
    let r = read_fixture("qq_gbk.txt", &opts);
    assert_eq!(r.encoding, Some(TextEncoding::Gb18030));
    assert_eq!(r.messages.len(), 2);
}

/// Generates a WeChatMsg CSV of `rows` rows on the fly, counting the bytes
/// handed out, so the test can check the reader does not read ahead.
struct Generated {
    rows: usize,
    next: usize,
    buf: Vec<u8>,
    pos: usize,
    served: Arc<AtomicUsize>,
}

impl Generated {
    fn new(rows: usize, served: Arc<AtomicUsize>) -> Self {
        let header = "\u{feff}localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n";
        Generated { rows, next: 0, buf: header.as_bytes().to_vec(), pos: 0, served }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.next == self.rows {
                return Ok(0);
            }
            let i = self.next;
            self.next += 1;
            let t = 1_709_258_400 + i as i64;
            let (typ, text) = if i % 10 == 9 { (3, "[图片]".to_string()) } else { (1, format!("第{i}条：请问\"反诈\"讲座几点开始？")) };
            let line = format!(
                "{i},7,{typ},0,{},{t},2,\"{}\",2024-03-01 10:00:00,住户{},住户{},wxid_{}\r\n",
                i % 2,
                text.replace('"', "\"\""),
                i % 500,
                i % 500,
                i % 500
            );
            self.buf = line.into_bytes();
            self.pos = 0;
        }
        let n = (self.buf.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        self.served.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

#[test]
fn streams_a_large_generated_input() {
    const ROWS: usize = 200_000;
    let served = Arc::new(AtomicUsize::new(0));
    let mut reader =
        ingest::read(Generated::new(ROWS, served.clone()), "大群_utf8.csv", &ReadOptions::default()).unwrap();
    assert_eq!(reader.format(), Format::WeChatMsgCsv);

    let first = reader.next().unwrap();
    let Record::Message(m) = first else { panic!("{first:?}") };
    assert_eq!(m.id.as_deref(), Some("大群:0"));
    // Only a bounded window has been read, not the ~15 MB input.
    let after_first = served.load(Ordering::Relaxed);
    assert!(after_first < 512 * 1024, "read {after_first} bytes for the first record");

    let (mut messages, mut media, mut other) = (1usize, 0usize, 0usize);
    let mut last_id = String::new();
    for record in reader {
        match record {
            Record::Message(m) => {
                messages += 1;
                last_id = m.id.unwrap();
            }
            Record::System { kind: MessageKind::Media, .. } => media += 1,
            _ => other += 1,
        }
    }
    assert_eq!((messages, media, other), (ROWS - ROWS / 10, ROWS / 10, 0));
    assert_eq!(last_id, format!("大群:{}", ROWS - 2));
    assert!(served.load(Ordering::Relaxed) > 10_000_000);
}

/// A chatlog array generated element by element.
struct GeneratedChatlog {
    elements: usize,
    next: usize,
    buf: Vec<u8>,
    pos: usize,
    served: Arc<AtomicUsize>,
}

impl Read for GeneratedChatlog {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.next > self.elements {
                return Ok(0);
            }
            let i = self.next;
            self.next += 1;
            let s = if i == self.elements {
                "\n]\n".to_string()
            } else {
                format!(
                    "{}{{\"seq\":{i},\"time\":\"2024-03-01T10:00:00+08:00\",\"talkerName\":\"群\",\"type\":1,\"content\":\"第{i}条 {{[\\\"]}}\"}}",
                    if i == 0 { "[" } else { ",\n" }
                )
            };
            self.buf = s.into_bytes();
            self.pos = 0;
        }
        let n = (self.buf.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        self.served.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

#[test]
fn streams_a_large_chatlog_array() {
    const N: usize = 50_000;
    let served = Arc::new(AtomicUsize::new(0));
    let src = GeneratedChatlog { elements: N, next: 0, buf: Vec::new(), pos: 0, served: served.clone() };
    let mut reader = ingest::read(src, "big.json", &ReadOptions::default()).unwrap();
    assert_eq!(reader.format(), Format::ChatlogJson);
    let Some(Record::Message(m)) = reader.next() else { panic!() };
    assert_eq!(m.text, "第0条 {[\"]}");
    assert!(served.load(Ordering::Relaxed) < 512 * 1024);
    let mut count = 1;
    for r in reader {
        assert!(matches!(r, Record::Message(_)), "{r:?}");
        count += 1;
    }
    assert_eq!(count, N);
}
