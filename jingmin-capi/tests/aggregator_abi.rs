//! The aggregator's C ABI called from Rust as C calls it: its answers must
//! equal the native `Aggregator`'s, and every bad argument must become a
//! status with nothing half-done.

use std::ptr;

use crate::capi::*;
use jingmin::{Added, Aggregator, Engine, Message};

use crate::common_capi;
use common_capi::{last_error, take_string, EngineHandle};

const LOG: &str = include_str!("../../examples/data/exports/village_taoyuan.jsonl");

struct Agg(*mut jm_aggregator);

impl Agg {
    fn new() -> Self {
        let mut a = ptr::null_mut();
        assert_eq!(unsafe { jm_aggregator_new(&mut a) }, jm_status::JM_OK);
        assert!(!a.is_null());
        Agg(a)
    }

    fn restore(snapshot: &str) -> Result<Self, jm_status> {
        let mut a = 1usize as *mut jm_aggregator; // must be reset on failure
        let st = unsafe { jm_aggregator_restore(snapshot.as_ptr(), snapshot.len(), &mut a) };
        if st == jm_status::JM_OK {
            Ok(Agg(a))
        } else {
            assert!(a.is_null(), "out reset to NULL on failure");
            Err(st)
        }
    }

    fn add(&mut self, e: &EngineHandle, json: &str) -> (jm_status, u32) {
        let mut outcome = 99u32;
        let st = unsafe { jm_aggregator_add_json_ex(self.0, e.0, json.as_ptr(), json.len(), &mut outcome) };
        (st, outcome)
    }

    fn add_jsonl(&mut self, e: &EngineHandle, jsonl: &str) -> Result<jm_add_counts, jm_status> {
        let mut c = jm_add_counts { added: 9, duplicates: 9, rejected: 9 };
        match unsafe { jm_aggregator_add_jsonl(self.0, e.0, jsonl.as_ptr(), jsonl.len(), &mut c) } {
            jm_status::JM_OK => Ok(c),
            st => {
                assert_eq!((c.added, c.duplicates, c.rejected), (9, 9, 9), "counts untouched on failure");
                Err(st)
            }
        }
    }

    fn report(&self) -> String {
        let mut out = ptr::null_mut();
        assert_eq!(unsafe { jm_aggregator_report_json(self.0, &mut out) }, jm_status::JM_OK);
        take_string(out)
    }

    fn snapshot(&self) -> String {
        let mut out = ptr::null_mut();
        assert_eq!(unsafe { jm_aggregator_snapshot(self.0, &mut out) }, jm_status::JM_OK);
        take_string(out)
    }

    fn merge(&mut self, from: &Agg) -> jm_status {
        unsafe { jm_aggregator_merge(self.0, from.0) }
    }
}

impl Drop for Agg {
    fn drop(&mut self) {
        unsafe { jm_aggregator_free(self.0) }
    }
}

fn lines() -> Vec<&'static str> {
    LOG.lines().filter(|l| !l.trim().is_empty()).collect()
}

#[test]
fn reports_and_snapshots_equal_the_native_api() {
    let e = EngineHandle::new();
    let engine = Engine::default();
    let mut native = Aggregator::default();
    let mut c = Agg::new();
    for line in lines() {
        let expected = native.add_json(&engine, line).unwrap();
        let (st, outcome) = c.add(&e, line);
        assert_eq!(st, jm_status::JM_OK);
        let code = match expected {
            Added::New => jm_added::JM_ADDED_NEW,
            Added::Duplicate => jm_added::JM_ADDED_DUPLICATE,
            Added::Rejected(_) => unreachable!("the demo log has group and time everywhere"),
        };
        assert_eq!(outcome, code as u32);
    }
    assert_eq!(c.report(), native.report_json());
    assert_eq!(c.snapshot(), native.snapshot());
    assert!(native.report().messages.total > 0);
}

#[test]
fn batch_split_merge_and_restore_equal_one_pass() {
    let e = EngineHandle::new();
    let all = lines();
    let mut one = Agg::new();
    for l in &all {
        assert_eq!(one.add(&e, l).0, jm_status::JM_OK);
    }
    let expected = one.report();

    let mut batch = Agg::new();
    let c = batch.add_jsonl(&e, LOG).unwrap();
    assert_eq!((c.added, c.duplicates, c.rejected), (all.len(), 0, 0));
    assert_eq!(batch.report(), expected);

    // Three contiguous parts, merged 2 <- 0, then 2 <- 1.
    let k = all.len() / 3;
    let mut parts: Vec<Agg> = (0..3).map(|_| Agg::new()).collect();
    for (i, chunk) in [&all[..k], &all[k..2 * k], &all[2 * k..]].iter().enumerate() {
        let text = chunk.join("\n");
        parts[i].add_jsonl(&e, &text).unwrap();
    }
    let (head, tail) = parts.split_at_mut(2);
    assert_eq!(tail[0].merge(&head[0]), jm_status::JM_OK);
    assert_eq!(tail[0].merge(&head[1]), jm_status::JM_OK);
    assert_eq!(tail[0].report(), expected);

    // Snapshot after k messages, restore, continue.
    let mut first = Agg::new();
    first.add_jsonl(&e, &all[..k].join("\n")).unwrap();
    let mut restored = Agg::restore(&first.snapshot()).unwrap();
    assert_eq!(restored.report(), first.report());
    restored.add_jsonl(&e, &all[k..].join("\n")).unwrap();
    assert_eq!(restored.report(), expected);
    assert_eq!(restored.snapshot(), one.snapshot());
}

#[test]
fn a_failing_batch_counts_nothing() {
    let e = EngineHandle::new();
    let mut a = Agg::new();
    let before = a.report();
    let all = lines();
    let text = format!("{}\n{}\n{{\"text\": 5}}\n", all[0], all[1]);
    assert_eq!(a.add_jsonl(&e, &text), Err(jm_status::JM_ERR_INVALID_JSON));
    let msg = last_error();
    assert!(msg.starts_with("jm_aggregator_add_jsonl: jsonl: line 3: "), "{msg}");
    assert!(msg.contains("(column "), "{msg}");
    assert_eq!(a.report(), before);

    // A line over the engine's limit.
    let max = unsafe { jm_engine_max_message_bytes(e.0) };
    let long = format!("{}\n{{\"text\":\"{}\"}}", all[0], "a".repeat(max));
    assert_eq!(a.add_jsonl(&e, &long), Err(jm_status::JM_ERR_TOO_LARGE));
    assert!(last_error().contains("line 2"), "{}", last_error());
    assert_eq!(a.report(), before);
}

#[test]
fn self_merge_and_different_configurations_are_refused() {
    let e = EngineHandle::new();
    let mut a = Agg::new();
    a.add_jsonl(&e, LOG).unwrap();
    let before = a.report();
    // Through raw pointers: `into == from` must be detected, not UB.
    assert_eq!(unsafe { jm_aggregator_merge(a.0, a.0) }, jm_status::JM_ERR_INVALID_ARGUMENT);
    assert!(last_error().contains("same aggregator"), "{}", last_error());
    assert_eq!(a.report(), before);

    let cfg = r#"{"utc_offset_seconds": 0}"#;
    let mut b = ptr::null_mut();
    assert_eq!(unsafe { jm_aggregator_new_with_config(cfg.as_ptr(), cfg.len(), &mut b) }, jm_status::JM_OK);
    let b = Agg(b);
    assert_eq!(a.merge(&b), jm_status::JM_ERR_INVALID_CONFIG);
    assert_eq!(a.report(), before);

    let bad = r#"{"utc_offset_seconds": "eight"}"#;
    let mut c = 1usize as *mut jm_aggregator;
    assert_eq!(
        unsafe { jm_aggregator_new_with_config(bad.as_ptr(), bad.len(), &mut c) },
        jm_status::JM_ERR_INVALID_CONFIG
    );
    assert!(c.is_null());
}

#[test]
fn bad_snapshots_are_refused() {
    let e = EngineHandle::new();
    let mut a = Agg::new();
    a.add_jsonl(&e, LOG).unwrap();
    let snap = a.snapshot();
    for bad in ["", "{", "{}", "null", &snap[..snap.len() - 1]] {
        assert_eq!(Agg::restore(bad).err(), Some(jm_status::JM_ERR_INVALID_SNAPSHOT), "{bad:.40}");
        assert!(last_error().starts_with("jm_aggregator_restore: snapshot: "), "{}", last_error());
    }
    let newer = snap.replacen("\"version\":2", "\"version\":3", 1);
    assert_eq!(Agg::restore(&newer).err(), Some(jm_status::JM_ERR_INVALID_SNAPSHOT));
    assert!(last_error().contains('3'), "{}", last_error());
    let corrupted = snap.replacen("\"mult\":[1", "\"mult\":[3", 1);
    assert_ne!(corrupted, snap);
    assert_eq!(Agg::restore(&corrupted).err(), Some(jm_status::JM_ERR_INVALID_SNAPSHOT));
    assert_eq!(Agg::restore(&snap).unwrap().report(), a.report());
}

#[test]
fn null_arguments() {
    let e = EngineHandle::new();
    let a = Agg::new();
    let m = r#"{"text":"收到"}"#;
    unsafe {
        assert_eq!(jm_aggregator_new(ptr::null_mut()), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_add_json(ptr::null_mut(), e.0, m.as_ptr(), m.len()), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_add_json(a.0, ptr::null(), m.as_ptr(), m.len()), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_add_json(a.0, e.0, ptr::null(), 3), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(
            jm_aggregator_add_jsonl(a.0, e.0, ptr::null(), 3, ptr::null_mut()),
            jm_status::JM_ERR_NULL_ARGUMENT
        );
        assert_eq!(jm_aggregator_add_jsonl(a.0, e.0, ptr::null(), 0, ptr::null_mut()), jm_status::JM_OK);
        assert_eq!(jm_aggregator_merge(ptr::null_mut(), a.0), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_merge(a.0, ptr::null()), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_snapshot(ptr::null(), &mut ptr::null_mut()), jm_status::JM_ERR_NULL_ARGUMENT);
        assert_eq!(jm_aggregator_report_json(a.0, ptr::null_mut()), jm_status::JM_ERR_NULL_ARGUMENT);
        jm_aggregator_free(ptr::null_mut());
    }
    // The message names the function and argument, never the input.
    let (st, _) = Agg::new().add(&e, r#"{"group":"13912345678","text":7}"#);
    assert_eq!(st, jm_status::JM_ERR_INVALID_JSON);
    assert!(!last_error().contains("139"), "{}", last_error());
    // A message struct serialised by serde is accepted as is.
    let json = serde_json::to_string(&Message { group: Some("g".into()), ..Message::new("收到") }).unwrap();
    assert_eq!(Agg::new().add(&e, &json), (jm_status::JM_OK, jm_added::JM_ADDED_REJECTED_MISSING_TIME as u32));
}

/// The counting rule of `Aggregator::add_with` holds through the C ABI: a
/// police media message answers the case open in its group.
#[test]
fn police_media_answers_the_open_case() {
    let e = EngineHandle::new();
    let mut agg = Agg::new();
    let ask = r#"{"id":"q","group":"g","role":"resident","time":"2024-03-02 10:00:00","text":"请问户籍室周六上班吗？"}"#;
    let photo = r#"{"id":"p","group":"g","role":"police","time":"2024-03-02 10:05:00","text":"[图片]"}"#;
    assert_eq!(agg.add(&e, ask), (jm_status::JM_OK, jm_added::JM_ADDED_NEW as u32));
    let counts = agg.add_jsonl(&e, &format!("{photo}\n")).unwrap();
    assert_eq!(counts.added, 1);
    let report: serde_json::Value = serde_json::from_str(&agg.report()).unwrap();
    assert_eq!(report["cases"]["opened"], 1);
    assert_eq!(report["cases"]["answered"], 1);
    assert_eq!(report["messages"]["media"], 1);
}

fn add_unreadable(a: &mut Agg, source: &[u8], line: u64) -> (jm_status, u32) {
    let mut outcome = 99u32;
    let st = unsafe { jm_aggregator_add_unreadable(a.0, source.as_ptr(), source.len(), line, &mut outcome) };
    (st, outcome)
}

fn by_reason(report: &str, reason: &str) -> u64 {
    let r: serde_json::Value = serde_json::from_str(report).unwrap();
    r["messages"]["rejected"]["by_reason"][reason].as_u64().unwrap()
}

/// `jm_aggregator_add_unreadable` counts as the command line's
/// `Aggregator::add_unreadable`: reason `unreadable`, one record per
/// (source, line), whatever the order, the merges and the copies.
#[test]
fn unreadable_records_count_as_the_native_api() {
    let e = EngineHandle::new();
    let mut native = Aggregator::default();
    let mut c = Agg::new();
    let engine = Engine::default();
    for line in lines().iter().take(20) {
        native.add_json(&engine, line).unwrap();
        assert_eq!(c.add(&e, line).0, jm_status::JM_OK);
    }
    let records: [(&str, u64); 5] = [("a.jsonl", 3), ("a.jsonl", 4), ("b.jsonl", 3), ("", 0), ("导出.jsonl", u64::MAX)];
    for (source, line) in records {
        assert_eq!(native.add_unreadable(source, line), Added::Rejected(jingmin::RejectReason::Unreadable));
        assert_eq!(add_unreadable(&mut c, source.as_bytes(), line), (jm_status::JM_OK, jm_added::JM_ADDED_REJECTED_UNREADABLE as u32));
    }
    // The same record again is a copy.
    assert_eq!(native.add_unreadable("a.jsonl", 4), Added::Duplicate);
    assert_eq!(add_unreadable(&mut c, b"a.jsonl", 4), (jm_status::JM_OK, jm_added::JM_ADDED_DUPLICATE as u32));
    let report = c.report();
    assert_eq!(report, native.report_json());
    assert_eq!(c.snapshot(), native.snapshot());
    assert_eq!(by_reason(&report, "unreadable"), 5);
    assert_eq!(by_reason(&report, "missing_group"), 0);

    // Split over two aggregators, each counting one record both have: merged,
    // it counts once (plus one copy), as in one pass.
    let mut left = Agg::new();
    let mut right = Agg::new();
    for (i, line) in lines().iter().take(20).enumerate() {
        let part = if i % 2 == 0 { &mut left } else { &mut right };
        assert_eq!(part.add(&e, line).0, jm_status::JM_OK);
    }
    for (i, (source, line)) in records.iter().enumerate() {
        let part = if i % 2 == 0 { &mut right } else { &mut left };
        assert_eq!(add_unreadable(part, source.as_bytes(), *line).0, jm_status::JM_OK);
    }
    assert_eq!(add_unreadable(&mut right, b"a.jsonl", 4), (jm_status::JM_OK, jm_added::JM_ADDED_REJECTED_UNREADABLE as u32));
    assert_eq!(left.merge(&right), jm_status::JM_OK);
    assert_eq!(left.report(), report);
    // A NULL outcome is allowed.
    let st = unsafe { jm_aggregator_add_unreadable(left.0, b"c".as_ptr(), 1, 1, ptr::null_mut()) };
    assert_eq!(st, jm_status::JM_OK);
    assert_eq!(by_reason(&left.report(), "unreadable"), 6);
}

#[test]
fn unreadable_records_refuse_bad_arguments_and_count_nothing() {
    let mut a = Agg::new();
    assert_eq!(add_unreadable(&mut a, b"x", 1).0, jm_status::JM_OK);
    let before = a.report();
    let mut outcome = 42u32;
    unsafe {
        assert_eq!(
            jm_aggregator_add_unreadable(ptr::null_mut(), b"x".as_ptr(), 1, 2, &mut outcome),
            jm_status::JM_ERR_NULL_ARGUMENT
        );
        assert!(last_error().starts_with("jm_aggregator_add_unreadable: agg is NULL"), "{}", last_error());
        assert_eq!(jm_aggregator_add_unreadable(a.0, ptr::null(), 3, 2, &mut outcome), jm_status::JM_ERR_NULL_ARGUMENT);
        assert!(last_error().starts_with("jm_aggregator_add_unreadable: source is NULL"), "{}", last_error());
        assert_eq!(outcome, 42, "outcome untouched on failure");
        // NULL with length 0 is the empty source.
        assert_eq!(jm_aggregator_add_unreadable(a.0, ptr::null(), 0, 2, &mut outcome), jm_status::JM_OK);
        assert_eq!(outcome, jm_added::JM_ADDED_REJECTED_UNREADABLE as u32);
    }
    let after_empty = a.report();
    assert_eq!(by_reason(&after_empty, "unreadable"), 2);
    let (st, outcome) = add_unreadable(&mut a, b"exp\xffort.jsonl", 9);
    assert_eq!((st, outcome), (jm_status::JM_ERR_INVALID_UTF8, 99));
    let msg = last_error();
    assert!(msg.starts_with("jm_aggregator_add_unreadable: source: "), "{msg}");
    assert!(msg.contains("byte offset 3"), "{msg}");
    assert_eq!(a.report(), after_empty, "a refused record counts nothing");
    assert_ne!(a.report(), before);
}

/// The outcome codes of the native API, each to its own `jm_added`.
#[test]
fn every_outcome_has_its_own_code() {
    use jingmin::RejectReason;
    let mut codes: Vec<u32> = [Added::New, Added::Duplicate]
        .into_iter()
        .chain(RejectReason::ALL.iter().map(|r| Added::Rejected(*r)))
        .map(|a| jm_added::from(a) as u32)
        .collect();
    assert_eq!(jm_added::from(Added::Rejected(RejectReason::Unreadable)), jm_added::JM_ADDED_REJECTED_UNREADABLE);
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes, (0..=5).collect::<Vec<u32>>());
}

/// A snapshot counted with raw output (as `jingmin report --raw --keep-raw
/// --save-snapshot` writes one) restored through the C ABI reports raw
/// values until `jm_aggregator_mask_personal_data`, then what the native
/// `mask_personal_data` reports.
#[test]
fn mask_personal_data_masks_a_raw_snapshot_as_the_native_api() {
    use jingmin::{AggregatorConfig, CountOptions};
    let engine = Engine::default();
    let config = AggregatorConfig { drill_down: true, ..AggregatorConfig::default() };
    let mut raw = Aggregator::new(config).unwrap();
    let at = |id: &str, sender: &str, text: &str| Message {
        id: Some(id.into()),
        group: Some("g".into()),
        sender: Some(sender.into()),
        time: Some("2024-03-01 10:00:00".into()),
        ..Message::new(text)
    };
    let raw_options = CountOptions { raw: true, ..CountOptions::default() };
    for m in [
        at("1", "wxid_13912345678", "刷单日结，一单一结，加微信：13987654321"),
        at("2", "居民甲", "我被骗了3000元，对方账号6222021234567890128"),
        at("3", "13812345678", "请问户籍室周六上班吗？"),
    ] {
        raw.add_with(&engine, &m, &raw_options);
    }
    let mut masked = raw.clone();
    masked.mask_personal_data();
    assert_ne!(raw.report_json(), masked.report_json(), "the raw counts hold personal data");

    let c = Agg::restore(&raw.snapshot()).unwrap();
    let before = c.report();
    assert_eq!(before, raw.report_json());
    assert!(before.contains("13987654321") && before.contains("13912345678"), "{before}");
    assert_eq!(unsafe { jm_aggregator_mask_personal_data(c.0) }, jm_status::JM_OK);
    let after = c.report();
    assert_eq!(after, masked.report_json());
    assert_eq!(c.snapshot(), masked.snapshot());
    for number in ["13987654321", "13912345678", "13812345678", "6222021234567890128"] {
        assert!(!after.contains(number), "{number} in {after}");
        assert!(!c.snapshot().contains(number), "{number} in the snapshot");
    }
    // Idempotent.
    assert_eq!(unsafe { jm_aggregator_mask_personal_data(c.0) }, jm_status::JM_OK);
    assert_eq!(c.report(), after);

    // Counted through the C ABI (no raw output), the indicators and the
    // sender names are masked as they are counted; masking again changes
    // nothing.
    let e = EngineHandle::new();
    let mut fed = Agg::new();
    let m = r#"{"id":"1","group":"g","sender":"wxid_13912345678","role":"police","time":"2024-03-01 10:00:00","text":"收到"}"#;
    let ask = r#"{"id":"0","group":"g","sender":"居民","time":"2024-03-01 09:59:00","text":"请问户籍室周六上班吗？"}"#;
    assert_eq!(fed.add(&e, ask).0, jm_status::JM_OK);
    assert_eq!(fed.add(&e, m).0, jm_status::JM_OK);
    let counted = fed.report();
    assert!(!counted.contains("13912345678") && counted.contains("wxid_139****5678"), "{counted}");
    assert_eq!(unsafe { jm_aggregator_mask_personal_data(fed.0) }, jm_status::JM_OK);
    let r = fed.report();
    assert!(!r.contains("13912345678") && r.contains("wxid_139****5678"), "{r}");
    assert_eq!(r, counted);

    assert_eq!(unsafe { jm_aggregator_mask_personal_data(ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(last_error().starts_with("jm_aggregator_mask_personal_data: agg is NULL"), "{}", last_error());
}
