//! Limits and privacy at every boundary (issue 7): oversize messages,
//! oversize lexicons, deeply nested and huge JSON, numbers out of range,
//! invalid UTF-8 and lone surrogates in exports, large exports (200 MB
//! from a stream, a 2 GiB file) read in flat memory, and error messages
//! that never echo message text or a phone number from the input.
//!
//! The tests of this file take one lock, so that the memory test measures
//! its own allocations and not a neighbour's.

use std::ffi::CStr;
use std::io::{Cursor, Read};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::capi::{self, jm_aggregator, jm_engine, jm_status, jm_summary};
use jingmin::ingest::{self, Format, ReadOptions, Record};
use jingmin::{Added, Aggregator, AnalyzeOptions, CountOptions, Engine, Error, Lexicon, Message, MAX_ENTRIES, MAX_PATTERN_BYTES};

static LOCK: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Run `f` on a thread with a small stack: recursion that grows with the
/// input's nesting (100,000 levels below) would overflow it and abort the
/// test binary. Parsing is bounded (serde_json stops at 128 levels), which
/// takes about 260 KB of stack in a debug build, under 256 KB optimised.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let kb = if cfg!(debug_assertions) { 512 } else { 256 };
    std::thread::Builder::new().stack_size(kb * 1024).spawn(f).unwrap().join().unwrap()
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(capi::jm_last_error()) }.to_string_lossy().into_owned()
}

fn default_engine() -> *mut jm_engine {
    let mut e = ptr::null_mut();
    assert_eq!(unsafe { capi::jm_engine_new_default(&mut e) }, jm_status::JM_OK);
    e
}

// ---------------------------------------------------------------------------
// Message size.

#[test]
fn oversize_message_through_try_analyze() {
    let _g = serial();
    let engine = Engine::default();
    let max = engine.max_message_bytes();
    assert_eq!(max, jingmin::DEFAULT_MAX_MESSAGE_BYTES);
    let at_limit = "a".repeat(max);
    assert!(engine.try_analyze_with(&at_limit, &AnalyzeOptions::default()).is_ok());
    let over = "刷单".repeat(max / 6 + 1); // 6 bytes each: just over the limit
    assert!(over.len() > max);
    match engine.try_analyze_with(&over, &AnalyzeOptions::default()) {
        Err(Error::TooLarge { len, max: m }) => assert_eq!((len, m), (over.len(), max)),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // A configured limit.
    let small = Engine::builder().max_message_bytes(16).build().unwrap();
    assert!(small.try_analyze_with("0123456789abcdef", &AnalyzeOptions::default()).is_ok());
    let e = small.try_analyze_with("0123456789abcdefg", &AnalyzeOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), "input too large: 17 bytes, the maximum is 16");
    // The aggregator's JSON entry point checks it too, before parsing.
    let mut agg = Aggregator::default();
    let json = format!("{{\"group\":\"g\",\"time\":1,\"text\":\"{over}\"}}");
    assert!(matches!(agg.add_json(&engine, &json), Err(Error::TooLarge { .. })));
    assert!(agg.is_empty());
}

#[test]
fn oversize_message_through_the_c_abi() {
    let _g = serial();
    let engine = default_engine();
    let max = unsafe { capi::jm_engine_max_message_bytes(engine) };
    let over = vec![b'a'; max + 1];
    unsafe {
        let mut s = jm_summary::default();
        assert_eq!(capi::jm_analyze(engine, over.as_ptr(), over.len(), &mut s), jm_status::JM_ERR_TOO_LARGE);
        assert!(last_error().contains(&format!("{} bytes, the maximum is {max}", max + 1)), "{}", last_error());
        assert_eq!(capi::jm_analyze(engine, over.as_ptr(), max, &mut s), jm_status::JM_OK);

        let mut out: *mut std::os::raw::c_char = ptr::null_mut();
        assert_eq!(capi::jm_analyze_json(engine, over.as_ptr(), over.len(), 0, &mut out), jm_status::JM_ERR_TOO_LARGE);
        assert!(out.is_null());
        assert_eq!(capi::jm_mask(engine, over.as_ptr(), over.len(), &mut out), jm_status::JM_ERR_TOO_LARGE);
        assert!(out.is_null());

        // The length is checked before a byte is read: a huge length over a
        // one-byte buffer is refused, not read.
        let one = [b'x'];
        let huge = usize::MAX / 2;
        assert_eq!(capi::jm_analyze(engine, one.as_ptr(), huge, &mut s), jm_status::JM_ERR_TOO_LARGE);
        assert_eq!(capi::jm_analyze_json(engine, one.as_ptr(), huge, 0, &mut out), jm_status::JM_ERR_TOO_LARGE);
        assert_eq!(capi::jm_mask(engine, one.as_ptr(), huge, &mut out), jm_status::JM_ERR_TOO_LARGE);

        let mut agg: *mut jm_aggregator = ptr::null_mut();
        assert_eq!(capi::jm_aggregator_new(&mut agg), jm_status::JM_OK);
        assert_eq!(capi::jm_aggregator_add_json(agg, engine, one.as_ptr(), huge), jm_status::JM_ERR_TOO_LARGE);
        let line = format!("{{\"group\":\"g\",\"time\":1,\"text\":\"{}\"}}\n", "a".repeat(max));
        let mut counts = capi::jm_add_counts::default();
        assert_eq!(
            capi::jm_aggregator_add_jsonl(agg, engine, line.as_ptr(), line.len(), &mut counts),
            jm_status::JM_ERR_TOO_LARGE
        );
        assert!(last_error().contains("line 1"), "{}", last_error());
        capi::jm_aggregator_free(agg);

        // A configured limit through a custom engine is honoured as well.
        capi::jm_engine_free(engine);
    }
}

// ---------------------------------------------------------------------------
// Lexicon limits.

fn entry(pattern: &str) -> String {
    format!("{{\"pattern\":\"{pattern}\",\"kind\":\"fraud\",\"type\":\"generic\"}}")
}

#[test]
fn lexicon_over_the_entry_limit() {
    let _g = serial();
    let mut doc = String::with_capacity((MAX_ENTRIES + 1) * 56 + 32);
    doc.push_str("{\"entries\":[");
    for i in 0..=MAX_ENTRIES {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&entry(&format!("词{i}")));
    }
    doc.push_str("]}");
    let e = Lexicon::from_json(&doc).unwrap_err();
    assert!(matches!(e, Error::Lexicon(_)));
    assert_eq!(e.to_string(), format!("invalid lexicon: {} entries, the maximum is {MAX_ENTRIES}", MAX_ENTRIES + 1));
    // And through the C ABI.
    let mut out: *mut jm_engine = ptr::null_mut();
    let st = unsafe { capi::jm_engine_new_from_lexicon(doc.as_ptr(), doc.len(), 0, &mut out) };
    assert_eq!(st, jm_status::JM_ERR_INVALID_LEXICON);
    assert!(out.is_null());
}

#[test]
fn lexicon_with_an_over_long_pattern() {
    let _g = serial();
    // 85 × 3 bytes + 1 = 256: at the limit, accepted.
    let at_limit = format!("{}a", "诈".repeat(85));
    assert_eq!(at_limit.len(), MAX_PATTERN_BYTES);
    let ok = format!("{{\"entries\":[{}]}}", entry(&at_limit));
    assert!(Engine::builder().lexicon_json(&ok).unwrap().build().is_ok());
    let over = format!("{}ab", "诈".repeat(85));
    let doc = format!("{{\"entries\":[{},{}]}}", entry("刷单"), entry(&over));
    let e = Engine::builder().lexicon_json(&doc).unwrap_err().to_string();
    assert!(e.contains("entry 1"), "{e}");
    assert!(e.contains("field \"pattern\""), "{e}");
    assert!(e.contains("257 bytes, the maximum is 256"), "{e}");
    let mut out: *mut jm_engine = ptr::null_mut();
    let st = unsafe { capi::jm_engine_new_from_lexicon(doc.as_ptr(), doc.len(), 1, &mut out) };
    assert_eq!(st, jm_status::JM_ERR_INVALID_LEXICON);
    assert!(out.is_null());
}

// ---------------------------------------------------------------------------
// Deeply nested and huge JSON.

fn nested(depth: usize, open: &str) -> String {
    open.repeat(depth)
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let _g = serial();
    for open in ["[", "{\"a\":", "[{\"entries\":"] {
        let deep = nested(100_000, open);
        let d = deep.clone();
        let e = small_stack(move || Lexicon::from_json(&d).map(|_| ()).unwrap_err().to_string());
        assert!(e.starts_with("invalid lexicon"), "{e}");
        let d = format!("{{\"entries\":{deep}");
        let e = small_stack(move || Lexicon::from_json(&d).map(|_| ()).unwrap_err().to_string());
        assert!(e.starts_with("invalid lexicon"), "{e}");

        let d = deep.clone();
        let e = small_stack(move || Aggregator::restore(&d).map(|_| ()).unwrap_err().to_string());
        assert!(e.starts_with("invalid snapshot"), "{e}");
        let d = format!("{{\"format\":\"jingmin-aggregator\",\"version\":1,\"checksum\":\"0\",\"state\":{deep}");
        let e = small_stack(move || Aggregator::restore(&d).map(|_| ()).unwrap_err().to_string());
        assert!(e.starts_with("invalid snapshot"), "{e}");

        // (100k `[`: the other openings would make the message larger
        // than the engine's limit, refused before parsing.)
        let d = format!("{{\"group\":\"g\",\"time\":1,\"text\":\"x\",\"sender\":{}", nested(100_000, "["));
        let e = small_stack(move || {
            let mut agg = Aggregator::default();
            let r = agg.add_json(&Engine::default(), &d).map(|_| ()).unwrap_err().to_string();
            assert!(agg.is_empty());
            r
        });
        assert!(e.starts_with("invalid JSON"), "{e}");
        let d = deep.clone();
        let e = small_stack(move || Aggregator::from_config_json(&d).map(|_| ()).unwrap_err().to_string());
        assert!(e.starts_with("invalid configuration"), "{e}");

        // The export readers: a JSON Lines line and a chatlog element.
        for format in [Format::Jsonl, Format::ChatlogJson] {
            let d = if format == Format::Jsonl { format!("{deep}\n{{\"text\":\"好\"}}\n") } else { format!("[{deep}") };
            let records = small_stack(move || {
                let opts = ReadOptions { format: Some(format), ..ReadOptions::default() };
                ingest::read(Cursor::new(d.into_bytes()), "deep.json", &opts).unwrap().collect::<Vec<_>>()
            });
            assert!(
                records.iter().any(|r| matches!(r, Record::Rejected { .. })),
                "{format}: the nested record is rejected: {records:?}"
            );
            if format == Format::Jsonl {
                assert!(records.iter().any(|r| matches!(r, Record::Message(m) if m.text == "好")), "reading goes on");
            }
        }
    }
    // The C ABI: a JSON Lines batch with a deeply nested line.
    let d = format!("{{\"text\":\"a\"}}\n{}\n", nested(100_000, "["));
    let (st, msg) = small_stack(move || unsafe {
        let engine = default_engine();
        let mut agg: *mut jm_aggregator = ptr::null_mut();
        assert_eq!(capi::jm_aggregator_new(&mut agg), jm_status::JM_OK);
        let st = capi::jm_aggregator_add_jsonl(agg, engine, d.as_ptr(), d.len(), ptr::null_mut());
        let msg = last_error();
        capi::jm_aggregator_free(agg);
        capi::jm_engine_free(engine);
        (st, msg)
    });
    assert_eq!(st, jm_status::JM_ERR_INVALID_JSON);
    assert!(msg.contains("line 2"), "{msg}");
}

#[test]
fn huge_flat_json_documents_are_handled() {
    let _g = serial();
    // A 20 MB string field: a message over the limit, refused before parsing.
    let big = "x".repeat(20 << 20);
    let mut agg = Aggregator::default();
    let json = format!("{{\"group\":\"g\",\"time\":1,\"text\":\"{big}\"}}");
    assert!(matches!(agg.add_json(&Engine::default(), &json), Err(Error::TooLarge { .. })));
    // A snapshot with a million empty groups: refused by content, not by a crash.
    let mut doc = String::from("{\"format\":\"jingmin-aggregator\",\"version\":1,\"checksum\":\"0\",\"state\":{\"groups\":[");
    for i in 0..1_000_000 {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str("\"\"");
    }
    doc.push_str("]}}");
    assert!(Aggregator::restore(&doc).is_err());
}

// ---------------------------------------------------------------------------
// Numbers out of range.

use crate::alone::in_own_process;
use crate::checks;

fn sample_snapshot() -> String {
    let engine = Engine::default();
    let mut agg = Aggregator::default();
    for (id, text) in [("1", "日结300刷单，加微信abc123 电话13912345678"), ("2", "我被骗了5000元"), ("3", "收到")] {
        let m = Message {
            id: Some(id.into()),
            group: Some("幸福里警民群".into()),
            time: Some("2024-03-01 10:00:00".into()),
            ..Message::new(text)
        };
        agg.add_with(&engine, &m, &CountOptions::default());
    }
    agg.snapshot()
}

#[test]
fn numbers_out_of_range_in_messages() {
    let _g = serial();
    let engine = Engine::default();
    let mut agg = Aggregator::default();
    let cases = [
        (r#"{"group":"g","time":1e400,"text":"a"}"#, None),
        (r#"{"group":"g","time":99999999999999999999999,"text":"a"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":9223372036854775807,"text":"b"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":-9223372036854775808,"text":"c"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":-1e30,"text":"d"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":"99999-12-31T23:59:59+08:00","text":"e"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":"2024-13-45 25:61:61","text":"f"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","time":"2024-03-01T10:00:00+99:00","text":"g"}"#, Some(Added::Rejected(jingmin::RejectReason::InvalidTime))),
        (r#"{"group":"g","id":1e308,"time":1709258400,"text":"h"}"#, Some(Added::New)),
        (r#"{"group":"g","id":-0.0,"time":1709258400,"text":"i"}"#, Some(Added::New)),
        (r#"{"group":"g","time":1709258400,"text":"转账99999999999999999999999999元"}"#, Some(Added::New)),
    ];
    for (json, expected) in cases {
        let r = agg.add_json(&engine, json);
        match expected {
            Some(added) => assert_eq!(r.ok(), Some(added), "{json}"),
            None => assert!(matches!(r, Err(Error::Json(_))), "{json}: {r:?}"),
        }
    }
    // Huge amounts stay finite in the analysis and the report.
    let a = engine.analyze("被骗了99999999999999999999999999999999999999元，还有九千九百九十九万亿亿元");
    for e in &a.entities {
        assert!(e.value.map_or(true, f64::is_finite), "{e:?}");
    }
    let report = agg.report();
    let invalid = expected_rejections(&cases);
    assert_eq!(report.messages.rejected.total, invalid);
    assert_eq!(report.messages.rejected.by_reason.get(&jingmin::RejectReason::InvalidTime), Some(&invalid));
    assert_eq!(report.messages.total, 3);
    let again = Aggregator::restore(&agg.snapshot()).unwrap();
    assert_eq!(again.report_json(), agg.report_json());
}

fn expected_rejections(cases: &[(&str, Option<Added>)]) -> u64 {
    cases.iter().filter(|(_, a)| matches!(a, Some(Added::Rejected(_)))).count() as u64
}

#[test]
fn numbers_out_of_range_in_snapshots() {
    let _g = serial();
    let snap = sample_snapshot();
    assert!(Aggregator::restore(&snap).is_ok());
    let edit = |path: &[&str], value: serde_json::Value| -> std::result::Result<Aggregator, String> {
        let mut v: serde_json::Value = serde_json::from_str(&snap).unwrap();
        let mut slot = &mut v;
        for p in path {
            slot = match p.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*p],
            };
        }
        *slot = value;
        let text = v.to_string();
        let text = checks::reseal_snapshot(&text).unwrap_or(text);
        Aggregator::restore(&text).map_err(|e| e.to_string())
    };
    use serde_json::json;
    let big = serde_json::Number::from_f64(1e300).unwrap();
    for (path, value) in [
        (&["version"][..], json!(18446744073709551615u64)),
        (&["version"][..], serde_json::Value::Number(big.clone())),
        (&["version"][..], json!(-1)),
        (&["state", "config", "utc_offset_seconds"][..], json!(4294967296i64)),
        (&["state", "config", "utc_offset_seconds"][..], json!(86400)),
        (&["state", "config", "answer_window_seconds"][..], json!(i64::MAX)),
        (&["state", "config", "answer_window_seconds"][..], json!(-1)),
        (&["state", "records", "time", "0"][..], json!(i64::MAX)),
        (&["state", "records", "time", "0"][..], json!(i64::MIN)),
        (&["state", "records", "time", "0"][..], serde_json::Value::Number(big.clone())),
        (&["state", "records", "mult", "0"][..], json!(4294967296u64)),
        (&["state", "records", "mult", "0"][..], json!(0)),
        (&["state", "records", "bits", "0"][..], json!(u32::MAX)),
        (&["state", "records", "group", "0"][..], json!(u32::MAX)),
        (&["state", "records", "hash", "0"][..], json!(-1)),
        (&["state", "records", "hash", "0"][..], json!(18446744073709551616.0)),
        (&["state", "extras", "0", "money_fen"][..], json!(i64::MIN)),
        (&["state", "extras", "0", "money_fen"][..], json!(9223372036854775808u64)),
    ] {
        let r = edit(path, value.clone());
        let e = r.as_ref().err().unwrap_or_else(|| panic!("{path:?} = {value}: accepted"));
        assert!(e.starts_with("invalid snapshot: "), "{path:?} = {value}: {e}");
    }
    // Every valid record with the largest counts: the report's sums stay
    // exact (no overflow, no panic).
    let r = edit(&["state", "records", "mult"], json!([u32::MAX, u32::MAX, u32::MAX])).unwrap();
    let report = r.report();
    assert_eq!(report.messages.duplicates, 3 * u64::from(u32::MAX - 1));
}

// ---------------------------------------------------------------------------
// Invalid UTF-8 and lone surrogates in exports.

fn records(bytes: Vec<u8>, name: &str, format: Option<Format>) -> (Vec<Record>, u64) {
    let opts = ReadOptions { format, ..ReadOptions::default() };
    let mut reader = ingest::read(Cursor::new(bytes), name, &opts).unwrap();
    let all: Vec<Record> = reader.by_ref().collect();
    (all, reader.replacements())
}

#[test]
fn invalid_utf8_in_exports_is_replaced_and_reported() {
    let _g = serial();
    let mut bytes = "\u{feff}{\"group\":\"g\",\"time\":1709258400,\"text\":\"前".as_bytes().to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3]); // never valid UTF-8
    bytes.extend_from_slice("后\"}\n{\"group\":\"g\",\"time\":1709258400,\"text\":\"好\"}\n".as_bytes());
    for format in [None, Some(Format::Jsonl)] {
        let (all, replaced) = records(bytes.clone(), "bad.jsonl", format);
        assert!(replaced >= 1);
        let warn = all.iter().position(|r| matches!(r, Record::Warning { .. })).expect("a warning");
        match all.get(warn + 1) {
            Some(Record::Message(m)) => {
                assert!(m.text.starts_with('前') && m.text.ends_with('后') && m.text.contains('\u{FFFD}'), "{m:?}");
            }
            other => panic!("the warning precedes its message: {other:?}"),
        }
        assert!(all.iter().any(|r| matches!(r, Record::Message(m) if m.text == "好")));
    }
    // Truncated multi-byte sequences at the very end.
    let mut cut = "{\"text\":\"ab".as_bytes().to_vec();
    cut.extend_from_slice(&"诈".as_bytes()[..2]);
    let (all, _) = records(cut, "cut.jsonl", Some(Format::Jsonl));
    assert_eq!(all.iter().filter(|r| matches!(r, Record::Rejected { .. })).count(), 1, "{all:?}");
}

fn utf16le(units: &[u16]) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn lone_surrogates_in_utf16_exports() {
    let _g = serial();
    for lone in [0xD83Du16, 0xDE00] {
        let mut units: Vec<u16> = "{\"group\":\"g\",\"time\":1709258400,\"text\":\"刷".encode_utf16().collect();
        units.push(lone);
        units.extend("单\"}\n{\"group\":\"g\",\"time\":1709258400,\"text\":\"好\"}\n".encode_utf16());
        for format in [None, Some(Format::Jsonl)] {
            let (all, replaced) = records(utf16le(&units), "u16.jsonl", format);
            assert_eq!(replaced, 1, "{all:?}");
            assert!(all.iter().any(|r| matches!(r, Record::Warning { .. })));
            assert!(all.iter().any(|r| matches!(r, Record::Message(m) if m.text == "刷\u{FFFD}单")), "{all:?}");
            assert!(all.iter().any(|r| matches!(r, Record::Message(m) if m.text == "好")));
            // The replaced text analyses like any other.
            let a = Engine::default().analyze("刷\u{FFFD}单");
            checks::check_analysis("刷\u{FFFD}单", &a, false);
        }
    }
    // A lone high surrogate as the very last unit, and an odd trailing byte.
    let mut units: Vec<u16> = "{\"text\":\"尾\"}\n".encode_utf16().collect();
    units.push(0xD800);
    let mut bytes = utf16le(&units);
    bytes.push(0x41);
    let (all, _) = records(bytes, "tail.jsonl", Some(Format::Jsonl));
    assert!(all.iter().any(|r| matches!(r, Record::Message(m) if m.text == "尾")), "{all:?}");
}

// ---------------------------------------------------------------------------
// A large export streamed in flat memory.

/// JSON Lines produced on the fly: `total` bytes of distinct messages,
/// counting what the reader pulled.
struct Generated {
    total: u64,
    /// Lines of about 1.5 KB (a long notice) instead of about 250 bytes.
    long: bool,
    produced: u64,
    line: u64,
    pending: Vec<u8>,
    pos: usize,
    read: Arc<AtomicU64>,
}

impl Generated {
    fn new(total: u64, long: bool, read: Arc<AtomicU64>) -> Generated {
        Generated { total, long, produced: 0, line: 0, pending: Vec::new(), pos: 0, read }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.pending.len() {
            if self.produced >= self.total {
                return Ok(0);
            }
            self.line += 1;
            let n = self.line;
            let notice = if self.long { LONG_NOTICE } else { "" };
            self.pending = format!(
                "{{\"id\":\"m{n}\",\"group\":\"流式测试群{}\",\"sender\":\"居民{}\",\"role\":\"resident\",\"time\":{},\"text\":\"第{n}条：今天下午小区门口有人发传单说刷单日结，电话1391234{:04}，大家注意{notice}\"}}\n",
                n % 50,
                n % 997,
                1_709_258_400 + n as i64,
                n % 10_000
            )
            .into_bytes();
            self.pos = 0;
            self.produced += self.pending.len() as u64;
        }
        let rest = self.pending.get(self.pos..).unwrap_or_default();
        let k = rest.len().min(buf.len());
        buf[..k].copy_from_slice(&rest[..k]);
        self.pos += k;
        self.read.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

/// A police notice of about 1.2 KB, for long lines.
const LONG_NOTICE: &str = "。【反诈提醒】近期我辖区发生多起冒充客服、刷单返利、虚假投资理财类诈骗案件，\
请广大群众提高警惕：凡是要求先交钱的兼职都是诈骗，凡是自称客服要求开通屏幕共享的都是诈骗，\
凡是陌生人推荐的高收益投资平台都是诈骗。不轻信、不转账、不透露验证码，遇到可疑情况及时拨打\
110或者96110咨询，也可以在本群直接@社区民警。请大家转告家中老人和孩子，守护好自己的钱袋子。\
社区警务室地址：幸福路18号，工作时间周一至周五上午八点半至下午五点半，节假日值班电话见群公告。\
另外提醒：电动车请勿在楼道内充电，出门随手关好门窗，发现可疑人员及时报告。谢谢大家的配合与支持！";

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[test]
#[cfg(target_os = "linux")]
fn a_large_export_streams_in_flat_memory() {
    in_own_process(module_path!(), "a_large_export_streams_in_flat_memory", || {
        let _g = serial();
        // 200 MB in release builds; a debug build reads 24 MB (the same code,
        // ten times slower per byte).
        let total: u64 = if cfg!(debug_assertions) { 24 << 20 } else { 200 << 20 };
        let read = Arc::new(AtomicU64::new(0));
        let src = Generated::new(total, false, read.clone());
        let before = rss_bytes();
        let mut reader = ingest::read(src, "stream.jsonl", &ReadOptions::default()).unwrap();
        assert_eq!(reader.format(), Format::Jsonl);
        let first = reader.next().expect("a first record");
        assert!(matches!(first, Record::Message(_)), "{first:?}");
        let after_first = read.load(Ordering::Relaxed);
        assert!(after_first < 1 << 20, "the first record came after reading {after_first} bytes");
        let mut messages = 1u64;
        let mut peak = rss_bytes();
        for (i, r) in reader.enumerate() {
            match r {
                Record::Message(m) => {
                    messages += 1;
                    debug_assert!(m.id.is_some());
                }
                other => panic!("unexpected record {other:?}"),
            }
            if i % 65_536 == 0 {
                peak = peak.max(rss_bytes());
            }
        }
        peak = peak.max(rss_bytes());
        assert_eq!(read.load(Ordering::Relaxed), total.max(read.load(Ordering::Relaxed)));
        assert!(read.load(Ordering::Relaxed) >= total, "the whole input was read");
        assert!(messages > total / 300, "{messages} messages from {total} bytes");
        let growth = peak.saturating_sub(before);
        assert!(growth < 64 << 20, "RSS grew by {} MB while streaming {} MB", growth >> 20, total >> 20);
    });
}

/// Removes a file when dropped (also when the test fails).
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_2_gb_export_file_streams_in_flat_memory() {
    in_own_process(module_path!(), "a_2_gb_export_file_streams_in_flat_memory", || {
        let _g = serial();
        // 2 GiB in release builds (about 1.4 million long messages); a debug
        // build reads 24 MB (the same code, ten times slower per byte).
        let total: u64 = if cfg!(debug_assertions) { 24 << 20 } else { 2 << 30 };
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let file = TempFile(dir.join(format!("jingmin-2gb-{}.jsonl", std::process::id())));
        {
            let src = Generated::new(total, true, Arc::new(AtomicU64::new(0)));
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&file.0).unwrap());
            std::io::copy(&mut std::io::BufReader::with_capacity(1 << 20, src), &mut out).unwrap();
            std::io::Write::flush(&mut out).unwrap();
        }
        let size = std::fs::metadata(&file.0).unwrap().len();
        assert!(size >= total, "{size} bytes written");

        // As `jingmin report` opens a file: detection, then records.
        let before = rss_bytes();
        let mut reader = ingest::open(&file.0, &ReadOptions::default()).unwrap();
        assert_eq!(reader.format(), Format::Jsonl);
        let (mut messages, mut bytes_of_text) = (0u64, 0u64);
        let mut peak = rss_bytes();
        let mut last_id = 0u64;
        for (i, r) in reader.by_ref().enumerate() {
            match r {
                Record::Message(m) => {
                    messages += 1;
                    bytes_of_text += m.text.len() as u64;
                    // In order, none lost: ids run m1, m2, m3, …
                    let id: u64 = m.id.as_deref().and_then(|s| s.strip_prefix('m')).and_then(|s| s.parse().ok()).unwrap();
                    assert_eq!(id, last_id + 1);
                    last_id = id;
                }
                other => panic!("unexpected record {other:?}"),
            }
            if i % 16_384 == 0 {
                peak = peak.max(rss_bytes());
            }
        }
        peak = peak.max(rss_bytes());
        let lines = size / (LONG_NOTICE.len() as u64 + 200);
        assert!(messages > lines / 2 && messages < lines * 2, "{messages} messages from {size} bytes");
        assert!(bytes_of_text > size / 2, "{bytes_of_text} bytes of text from {size} bytes");
        let growth = peak.saturating_sub(before);
        eprintln!(
            "2 GiB export: {size} bytes, {messages} messages, RSS {} MB before, peak {} MB (growth {} MB)",
            before >> 20,
            peak >> 20,
            growth >> 20
        );
        assert!(growth < 64 << 20, "RSS grew by {} MB while streaming {} MB", growth >> 20, size >> 20);
    });
}

// ---------------------------------------------------------------------------
// Privacy: errors never echo message text or personal data.

use crate::private::{assert_private, bad_exports, MARK, PHONE};

fn collect_reader_errors(name: &str, format: Option<Format>, content: &str, errors: &mut Vec<String>) {
    let opts = ReadOptions { format, ..ReadOptions::default() };
    match ingest::read(Cursor::new(content.as_bytes().to_vec()), "privacy.txt", &opts) {
        Err(e) => errors.push(format!("{name}: {e}")),
        Ok(reader) => {
            for r in reader {
                match r {
                    Record::Rejected { reason, file, line } | Record::Warning { reason, file, line } => {
                        errors.push(format!("{name}: {file}: line {line}: {reason}"))
                    }
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn reader_errors_never_echo_text_or_phone_numbers() {
    let _g = serial();
    let mut errors = Vec::new();
    for (name, format, content) in bad_exports() {
        let before = errors.len();
        collect_reader_errors(name, format, &content, &mut errors);
        assert!(errors.len() > before, "{name}: the malformed export produced no error at all");
    }
    // Option errors too.
    let bad_tz = ReadOptions { tz_offset_secs: 13_987_654, ..ReadOptions::default() };
    if let Err(e) = ingest::read(Cursor::new(Vec::new()), "x", &bad_tz) {
        errors.push(e.to_string());
    }
    assert!(errors.len() > 20, "{errors:#?}");
    for e in &errors {
        assert_private("reader", e);
    }
}

#[test]
fn aggregator_errors_never_echo_text_or_phone_numbers() {
    let _g = serial();
    let t = format!("{MARK}{PHONE}");
    let engine = Engine::default();
    let mut agg = Aggregator::default();
    let mut errors = Vec::new();
    for json in [
        format!("{{\"text\":{PHONE}}}"),
        format!("{{\"text\":\"{t}\",\"role\":\"{t}\"}}"),
        format!("{{\"text\":\"{t}\",\"group\":{PHONE}}}"),
        format!("{{\"text\":\"{t}\",\"time\":[\"{t}\"]}}"),
        format!("{{\"text\":\"{t}\",\"id\":{{\"{t}\":1}}}}"),
        format!("{{\"text\":\"{t}\""),
        format!("{{\"text\":\"{t}\",\"{t}\":1,}}"),
        format!("[\"{t}\"]"),
        format!("\"{t}\""),
        t.clone(),
    ] {
        errors.push(agg.add_json(&engine, &json).expect_err(&json).to_string());
    }
    assert!(agg.is_empty());
    for config in [
        format!("{{\"utc_offset_seconds\":\"{t}\"}}"),
        format!("{{\"{t}\":1}}"),
        format!("{{\"answer_window_seconds\":{PHONE}{PHONE}{PHONE}}}"),
        format!("{{\"utc_offset_seconds\":{PHONE}}}"),
        t.clone(),
    ] {
        errors.push(Aggregator::from_config_json(&config).expect_err(&config).to_string());
    }
    // Snapshots: the real one with the text and phone in a group name, then
    // broken in several ways.
    let mut good = Aggregator::default();
    good.add_with(&engine, &Message { id: Some("1".into()), group: Some(t.clone()), time: Some("1709258400".into()), ..Message::new(t.clone()) }, &CountOptions::default());
    let snap = good.snapshot();
    assert!(snap.contains(MARK), "the group name is in the snapshot");
    for broken in [
        snap.replacen("\"groups\":[", &format!("\"groups\":[\"{t}\","), 1),
        snap.replacen("\"version\":2", &format!("\"version\":\"{t}\""), 1),
        snap.replacen("\"format\":\"jingmin-aggregator\"", &format!("\"format\":\"{t}\""), 1),
        snap.replacen("\"config\":{", &format!("\"config\":{{\"{t}\":1,"), 1),
        snap.replacen("\"groups\":[", &format!("\"groups\":[{PHONE},"), 1),
        snap.replacen("\"checksum\":\"", &format!("\"checksum\":\"{t}"), 1),
        snap.replacen("\"state\":{", &format!("\"state\":{{\"{t}\":\"{t}\","), 1),
        checks::reseal_snapshot(&snap.replacen("\"groups\":[", &format!("\"groups\":[\"{t}\","), 1)).unwrap(),
        snap[..snap.len() / 2].to_string(),
    ] {
        errors.push(Aggregator::restore(&broken).map(|_| ()).expect_err("broken snapshot").to_string());
    }
    // And through the C ABI's last error.
    unsafe {
        let e = default_engine();
        let mut a: *mut jm_aggregator = ptr::null_mut();
        assert_eq!(capi::jm_aggregator_new(&mut a), jm_status::JM_OK);
        let bad = format!("{{\"text\":{PHONE}}}\n{{\"text\":\"{t}\",\"role\":\"{t}\"}}");
        for line in bad.lines() {
            assert_ne!(capi::jm_aggregator_add_json(a, e, line.as_ptr(), line.len()), jm_status::JM_OK);
            errors.push(last_error());
        }
        assert_ne!(capi::jm_aggregator_add_jsonl(a, e, bad.as_ptr(), bad.len(), ptr::null_mut()), jm_status::JM_OK);
        errors.push(last_error());
        let mut r: *mut jm_aggregator = ptr::null_mut();
        let broken = snap.replacen("\"version\":2", &format!("\"version\":\"{t}\""), 1);
        assert_ne!(capi::jm_aggregator_restore(broken.as_ptr(), broken.len(), &mut r), jm_status::JM_OK);
        errors.push(last_error());
        let config = format!("{{\"utc_offset_seconds\":\"{t}\"}}");
        assert_ne!(capi::jm_aggregator_new_with_config(config.as_ptr(), config.len(), &mut r), jm_status::JM_OK);
        errors.push(last_error());
        let text = t.as_bytes();
        let mut bad_utf8 = text.to_vec();
        bad_utf8.push(0xff);
        let mut s = jm_summary::default();
        assert_eq!(capi::jm_analyze(e, bad_utf8.as_ptr(), bad_utf8.len(), &mut s), jm_status::JM_ERR_INVALID_UTF8);
        errors.push(last_error());
        capi::jm_aggregator_free(a);
        capi::jm_engine_free(e);
    }
    for e in &errors {
        assert_private("aggregator", e);
    }
}

#[test]
fn analysis_errors_never_echo_text_or_phone_numbers() {
    let _g = serial();
    let small = Engine::builder().max_message_bytes(8).build().unwrap();
    let e = small.try_analyze_with(&format!("{MARK}{PHONE}"), &AnalyzeOptions::default()).unwrap_err().to_string();
    assert_private("try_analyze_with", &e);
}
