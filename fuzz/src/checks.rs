//! The bodies of the fuzz targets: arbitrary bytes into each untrusted entry
//! point of jingmin, with the invariants that must hold whatever the input.
//!
//! Shared by the libFuzzer targets (`fuzz/fuzz_targets/*.rs`, through the
//! `jingmin-fuzz` library) and by the proptest equivalents
//! (`tests/fuzz_equivalents.rs`, through `#[path]`), so both run the same
//! checks. A failed check panics: libFuzzer reports it as a crash, proptest
//! as a failing case.

#![allow(dead_code)]

use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr;

use crate::capi::{self, jm_aggregator, jm_engine, jm_status, jm_summary};
use jingmin::{Aggregator, AnalyzeOptions, Analysis, Engine, Role};

/// Inputs longer than this are cut: the engines are linear, and libFuzzer
/// explores better with short inputs (`-max_len` is the usual bound too).
pub const MAX_INPUT: usize = 64 * 1024;

fn cut(data: &[u8]) -> &[u8] {
    data.get(..MAX_INPUT).unwrap_or(data)
}

/// Scalar (char) offset of byte offset `b`, which must be a char boundary.
fn chars_before(text: &str, b: usize) -> usize {
    text.get(..b).map(|p| p.chars().count()).expect("offset on a char boundary")
}

fn check_span(text: &str, what: &str, start: usize, end: usize, char_start: usize, char_end: usize) {
    assert!(start <= end, "{what}: start {start} > end {end}");
    assert!(end <= text.len(), "{what}: end {end} beyond the text ({} bytes)", text.len());
    assert!(text.is_char_boundary(start), "{what}: start {start} not on a char boundary");
    assert!(text.is_char_boundary(end), "{what}: end {end} not on a char boundary");
    assert_eq!(char_start, chars_before(text, start), "{what}: char_start");
    assert_eq!(char_end, chars_before(text, end), "{what}: char_end");
}

fn ascii_or_wide_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The invariants of one analysis of `text` (taxonomy §5).
pub fn check_analysis(text: &str, a: &Analysis, raw: bool) {
    assert!(a.confidence.is_finite() && (0.0..=1.0).contains(&a.confidence), "confidence {}", a.confidence);
    assert!(a.fraud.risk <= 100, "risk {}", a.fraud.risk);
    assert_eq!(a.fraud.types.is_empty(), a.fraud.stance == jingmin::Stance::None, "types empty iff stance none");
    if a.fraud.types.is_empty() {
        assert!(a.fraud.hits.is_empty(), "hits without a fraud type");
    }
    for (i, h) in a.fraud.hits.iter().enumerate() {
        check_span(text, &format!("hit {i}"), h.start, h.end, h.char_start, h.char_end);
        assert!(h.start < h.end, "hit {i}: empty span");
        let original = text.get(h.start..h.end).unwrap_or_default();
        if raw {
            assert_eq!(h.matched, original, "hit {i}: matched is the original text");
        } else {
            // Masked where it holds the shape of a phone, ID or card number.
            assert!(h.matched == original || masks(&h.matched, original), "hit {i}: matched is the original text, masked");
        }
    }
    for (i, e) in a.entities.iter().enumerate() {
        check_span(text, &format!("entity {i}"), e.start, e.end, e.char_start, e.char_end);
        assert!(e.start < e.end, "entity {i}: empty span");
        let original = text.get(e.start..e.end).unwrap_or_default();
        if raw {
            assert_eq!(e.text, original, "entity {i}: text is the original");
        } else if !e.kind.is_personal() {
            // A WeChat id, QQ number or URL with the shape of a phone, ID or
            // card number in it is masked there.
            assert!(e.text == original || masks(&e.text, original), "entity {i}: text is the original, masked");
        } else {
            // Masked: same shape, and some digit hidden.
            assert_eq!(e.text.chars().count(), original.chars().count(), "entity {i}: mask keeps the length");
            if original.chars().any(ascii_or_wide_digit) {
                assert!(e.text.contains('*'), "entity {i}: personal data left unmasked");
                let visible = e.text.chars().filter(|c| ascii_or_wide_digit(*c)).count();
                assert!(visible <= 10, "entity {i}: {visible} digits left visible");
            }
        }
        if let Some(v) = e.value {
            assert!(v.is_finite(), "entity {i}: value {v}");
        }
    }
    // The JSON of every analysis can be written and read back.
    let json = serde_json::to_string(a).expect("analysis serialises");
    let v: serde_json::Value = serde_json::from_str(&json).expect("analysis JSON parses");
    assert!(v.get("category").is_some());
}

/// Whether `shown` is `original` with some digits masked: as long, and
/// equal but where it shows `*`.
fn masks(shown: &str, original: &str) -> bool {
    shown.chars().count() == original.chars().count()
        && shown.contains('*')
        && shown.chars().zip(original.chars()).all(|(s, o)| s == o || s == '*')
}

/// `analyze`: arbitrary bytes; UTF-8 ones through every role and raw flag.
pub fn analyze(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(cut(data)) else { return };
    let engine = Engine::default();
    let mut masked_runs = None;
    for role in [Role::Unknown, Role::Police, Role::Resident] {
        let raw = engine.analyze_with(text, &AnalyzeOptions { role, raw: true });
        let masked = engine.analyze_with(text, &AnalyzeOptions { role, raw: false });
        check_analysis(text, &raw, true);
        check_analysis(text, &masked, false);
        // Raw and masked differ only in the text of personal data.
        assert_eq!(raw.category, masked.category);
        assert_eq!((&raw.fraud.types, raw.fraud.stance, raw.fraud.risk), (&masked.fraud.types, masked.fraud.stance, masked.fraud.risk));
        let hit_spans = |a: &Analysis| a.fraud.hits.iter().map(|h| (h.fraud_type, h.start, h.end)).collect::<Vec<_>>();
        assert_eq!(hit_spans(&raw), hit_spans(&masked));
        let spans = |a: &Analysis| a.entities.iter().map(|e| (e.kind, e.start, e.end)).collect::<Vec<_>>();
        assert_eq!(spans(&raw), spans(&masked));
        // Deterministic.
        assert_eq!(engine.analyze_with(text, &AnalyzeOptions { role, raw: false }), masked);
        let checked = engine.try_analyze_with(text, &AnalyzeOptions { role, raw: false });
        assert_eq!(checked.ok().as_ref(), Some(&masked), "try_analyze_with under the limit");
        let s = engine.summarize_with(text, role);
        assert_eq!(s.category, masked.category);
        assert_eq!(s.hit_count as usize, masked.fraud.hits.len());
        assert_eq!(s.entity_count as usize, masked.entities.len());
        if masked_runs.is_none() {
            masked_runs = Some(raw);
        }
    }
    // Masking the text hides every personal entity's full digit run.
    let masked_text = engine.mask(text);
    assert!(masked_text.len() <= text.len() || masked_text.chars().count() == text.chars().count());
    if let Some(raw) = masked_runs {
        let personal = raw.entities.iter().filter(|e| e.kind.is_personal()).count();
        if personal > 0 {
            assert_ne!(masked_text, text, "mask left {personal} personal entities as they were");
        }
    }
}

/// `lexicon`: arbitrary bytes as a lexicon document, alone and layered over
/// the default one; an accepted lexicon builds an engine that analyses.
pub fn lexicon(data: &[u8]) {
    let Ok(json) = std::str::from_utf8(cut(data)) else { return };
    let alone = Engine::builder().without_default_lexicon().lexicon_json(json);
    let Ok(builder) = alone else {
        let e = alone.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!e.is_empty());
        return;
    };
    if let Ok(engine) = builder.build() {
        for text in ["刷单日结300加微信abc123", "", "民警提醒：不要转账给陌生人13912345678", json] {
            let a = engine.analyze(text);
            check_analysis(text, &a, false);
        }
    }
}

/// The snapshot document, mirrored so that a fuzzed state can be sealed
/// with a valid checksum and reach the consistency checks behind it.
mod seal {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Doc {
        pub format: String,
        pub version: u64,
        pub checksum: String,
        pub state: State,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct State {
        config: jingmin::AggregatorConfig,
        groups: Vec<String>,
        records: Columns,
        extras: Vec<Extra>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Columns {
        hash: Vec<u64>,
        time: Vec<i64>,
        group: Vec<Option<u32>>,
        bits: Vec<u32>,
        mult: Vec<u32>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Extra {
        hash: u64,
        money_fen: i64,
        indicators: Vec<(jingmin::EntityKind, String)>,
    }

    /// SipHash-2-4 with the snapshot's fixed keys ("jingmin\0", "aggregat").
    fn siphash(data: &[u8]) -> u64 {
        let (k0, k1) = (0x006e_696d_676e_696a_u64, 0x7461_6765_7267_6761_u64);
        let mut v = [k0 ^ 0x736f_6d65_7073_6575, k1 ^ 0x646f_7261_6e64_6f6d, k0 ^ 0x6c79_6765_6e65_7261, k1 ^ 0x7465_6462_7974_6573];
        fn round(v: &mut [u64; 4]) {
            v[0] = v[0].wrapping_add(v[1]);
            v[1] = v[1].rotate_left(13) ^ v[0];
            v[0] = v[0].rotate_left(32);
            v[2] = v[2].wrapping_add(v[3]);
            v[3] = v[3].rotate_left(16) ^ v[2];
            v[0] = v[0].wrapping_add(v[3]);
            v[3] = v[3].rotate_left(21) ^ v[0];
            v[2] = v[2].wrapping_add(v[1]);
            v[1] = v[1].rotate_left(17) ^ v[2];
            v[2] = v[2].rotate_left(32);
        }
        let chunks = data.chunks_exact(8);
        let rest = chunks.remainder();
        for c in chunks {
            let m = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            v[3] ^= m;
            round(&mut v);
            round(&mut v);
            v[0] ^= m;
        }
        let mut last = (data.len() as u64) << 56;
        for (i, b) in rest.iter().enumerate() {
            last |= u64::from(*b) << (8 * i);
        }
        v[3] ^= last;
        round(&mut v);
        round(&mut v);
        v[0] ^= last;
        v[2] ^= 0xff;
        for _ in 0..4 {
            round(&mut v);
        }
        v[0] ^ v[1] ^ v[2] ^ v[3]
    }

    /// The document with its checksum recomputed, when it has the
    /// snapshot's shape.
    pub fn reseal(text: &str) -> Option<String> {
        let mut doc: Doc = serde_json::from_str(text).ok()?;
        let state = serde_json::to_string(&doc.state).ok()?;
        doc.checksum = format!("{:016x}", siphash(state.as_bytes()));
        serde_json::to_string(&doc).ok()
    }
}

/// Restore, and if it worked: snapshot → restore → snapshot is a fixed
/// point and the reports agree.
fn check_restored(agg: &Aggregator) {
    let snap = agg.snapshot();
    let again = Aggregator::restore(&snap).expect("a written snapshot restores");
    assert_eq!(again.snapshot(), snap, "snapshot/restore round trip");
    assert_eq!(again.report_json(), agg.report_json(), "report after round trip");
    assert_eq!(again.len(), agg.len());
}

/// `snapshot_restore`: arbitrary bytes as a snapshot; documents of the
/// snapshot's shape are also tried with a valid checksum.
pub fn snapshot_restore(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(cut(data)) else { return };
    match Aggregator::restore(text) {
        Ok(agg) => check_restored(&agg),
        Err(e) => {
            assert!(!e.to_string().is_empty());
            if let Some(sealed) = seal::reseal(text) {
                if let Ok(agg) = Aggregator::restore(&sealed) {
                    check_restored(&agg);
                }
            }
        }
    }
}

/// `aggregator_json`: each line of the input as one message JSON, added with
/// the default engine; the state survives a snapshot round trip and two
/// halves merged equal the whole.
pub fn aggregator_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(cut(data)) else { return };
    let engine = Engine::default();
    let mut whole = Aggregator::default();
    let mut halves = (Aggregator::default(), Aggregator::default());
    for (i, line) in text.split('\n').enumerate() {
        let r = whole.add_json(&engine, line);
        let half = if i % 2 == 0 { &mut halves.0 } else { &mut halves.1 };
        let r2 = half.add_json(&engine, line);
        assert_eq!(r.is_ok(), r2.is_ok());
        if let Err(e) = r {
            assert!(!e.to_string().is_empty());
        }
    }
    check_restored(&whole);
    let report = whole.report_json();
    let v: serde_json::Value = serde_json::from_str(&report).expect("report is JSON");
    assert!(v.get("messages").is_some());
    halves.0.merge(&halves.1).expect("same configuration");
    assert_eq!(halves.0.snapshot(), whole.snapshot(), "merge of halves equals the whole");
}

/// One export reader over arbitrary bytes (`format` `None`: detected).
pub fn ingest(data: &[u8], format: Option<jingmin::ingest::Format>) {
    use jingmin::ingest::{self, ReadOptions, Record};
    let data = cut(data).to_vec();
    let len = data.len();
    let opts = ReadOptions { format, ..ReadOptions::default() };
    let reader = match ingest::read(std::io::Cursor::new(data), "fuzz群_utf8.txt", &opts) {
        Ok(r) => r,
        Err(e) => {
            assert!(format.is_none() || !matches!(e, jingmin::Error::UnknownFormat { .. }));
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    if let Some(f) = format {
        assert_eq!(reader.format(), f);
    }
    let mut n = 0usize;
    let mut last_line = 0u64;
    for record in reader {
        n += 1;
        // Every record consumes input: never more records than bytes (+ a
        // few for a trailing record).
        assert!(n <= len + 2, "{n} records from {len} bytes");
        let line = match &record {
            Record::Message(m) => {
                assert!(m.id.as_deref().is_some_and(|id| !id.is_empty()), "a message without id");
                assert!(!m.text.trim().is_empty(), "an empty message");
                if let Some(t) = &m.time {
                    jingmin::parse_time(t, 8 * 3600).expect("message time is readable");
                }
                None
            }
            Record::System { line, message, .. } => {
                if let Some(t) = &message.time {
                    jingmin::parse_time(t, 8 * 3600).expect("system time is readable");
                }
                Some(*line)
            }
            Record::Rejected { file, line, reason } | Record::Warning { file, line, reason } => {
                assert_eq!(file, "fuzz群_utf8.txt");
                assert!(!reason.is_empty());
                Some(*line)
            }
        };
        if let Some(l) = line {
            assert!(l >= 1, "lines count from 1");
            last_line = last_line.max(l);
        }
    }
    let _ = last_line;
}

// ---------------------------------------------------------------------------
// The C ABI.

/// The thread's last error, which a failing call must have set.
fn last_error() -> String {
    // SAFETY: jm_last_error returns a valid NUL-terminated string.
    unsafe { CStr::from_ptr(capi::jm_last_error()) }.to_string_lossy().into_owned()
}

fn check_status(function: &str, status: jm_status) {
    assert_ne!(status, jm_status::JM_ERR_PANIC, "{function} panicked: {}", last_error());
    if status != jm_status::JM_OK {
        let e = last_error();
        assert!(e.starts_with(function), "{function}: last error {e:?}");
    }
}

/// A library string, copied and freed.
fn take_string(s: *mut c_char) -> Vec<u8> {
    assert!(!s.is_null());
    // SAFETY: `s` is a live library string of `jm_string_len` bytes.
    let bytes = unsafe {
        let len = capi::jm_string_len(s);
        std::slice::from_raw_parts(s as *const u8, len).to_vec()
    };
    unsafe { capi::jm_string_free(s) };
    bytes
}

struct EngineHandle(*mut jm_engine);

impl Drop for EngineHandle {
    fn drop(&mut self) {
        unsafe { capi::jm_engine_free(self.0) };
    }
}

struct AggHandle(*mut jm_aggregator);

impl Drop for AggHandle {
    fn drop(&mut self) {
        unsafe { capi::jm_aggregator_free(self.0) };
    }
}

/// `capi`: the first byte picks the flags (raw, role; role 3 is invalid),
/// the rest is the `(ptr, len)` argument of every entry point that reads
/// caller bytes. Results must equal the Rust API's; failures must set the
/// last error and hand out nothing; nothing may panic or leak.
pub fn capi(data: &[u8]) {
    let data = cut(data);
    let (flag_byte, bytes) = match data.split_first() {
        Some((f, rest)) => (*f, rest),
        None => (0, data),
    };
    let role_code = u32::from((flag_byte >> 1) & 3);
    let flags = u32::from(flag_byte & 1) | (role_code << capi::JM_FLAG_ROLE_SHIFT);
    let (ptr, len) = (bytes.as_ptr(), bytes.len());
    let as_text = std::str::from_utf8(bytes).ok();
    let rust = Engine::default();
    unsafe {
        let mut engine: *mut jm_engine = ptr::null_mut();
        assert_eq!(capi::jm_engine_new_default(&mut engine), jm_status::JM_OK);
        let engine = EngineHandle(engine);

        // jm_analyze
        let mut summary = jm_summary::default();
        let st = capi::jm_analyze(engine.0, ptr, len, &mut summary);
        check_status("jm_analyze", st);
        assert_eq!(st == jm_status::JM_OK, as_text.is_some(), "jm_analyze accepts exactly UTF-8");
        if let Some(t) = as_text {
            let s = rust.summarize(t);
            assert_eq!(summary.category, s.category.code());
            assert_eq!(summary.hit_count, s.hit_count);
            assert_eq!(summary.entity_count, s.entity_count);
        }

        // jm_analyze_json
        let mut out: *mut c_char = ptr::null_mut();
        let st = capi::jm_analyze_json(engine.0, ptr, len, flags, &mut out);
        check_status("jm_analyze_json", st);
        match (st, as_text) {
            (jm_status::JM_OK, Some(t)) => {
                let json = take_string(out);
                let role = Role::from_code(role_code).expect("valid role");
                let expected = rust.analyze_with(t, &AnalyzeOptions { role, raw: flag_byte & 1 != 0 });
                assert_eq!(json, serde_json::to_vec(&expected).expect("serialises"), "C JSON equals the Rust analysis");
            }
            (jm_status::JM_OK, None) => panic!("jm_analyze_json accepted invalid UTF-8"),
            _ => {
                assert!(out.is_null(), "out set on failure");
                assert!(as_text.is_none() || role_code == 3, "refused valid input: {}", last_error());
            }
        }

        // jm_mask
        let mut out: *mut c_char = ptr::null_mut();
        let st = capi::jm_mask(engine.0, ptr, len, &mut out);
        check_status("jm_mask", st);
        if st == jm_status::JM_OK {
            let masked = take_string(out);
            let t = as_text.expect("jm_mask accepted invalid UTF-8");
            assert_eq!(masked, rust.mask(t).into_bytes());
        } else {
            assert!(out.is_null());
        }

        // jm_engine_new_from_lexicon (the bytes alone as the lexicon).
        let mut custom: *mut jm_engine = ptr::null_mut();
        let st = capi::jm_engine_new_from_lexicon(ptr, len, 0, &mut custom);
        check_status("jm_engine_new_from_lexicon", st);
        if st == jm_status::JM_OK {
            let custom = EngineHandle(custom);
            let probe = "刷单返利，加微信abc123，13912345678";
            let mut out: *mut c_char = ptr::null_mut();
            let st = capi::jm_analyze_json(custom.0, probe.as_ptr(), probe.len(), 0, &mut out);
            check_status("jm_analyze_json", st);
            assert_eq!(st, jm_status::JM_OK);
            drop(take_string(out));
        } else {
            assert!(custom.is_null());
        }

        // jm_aggregator_add_json
        let mut agg: *mut jm_aggregator = ptr::null_mut();
        assert_eq!(capi::jm_aggregator_new(&mut agg), jm_status::JM_OK);
        let agg = AggHandle(agg);
        let st = capi::jm_aggregator_add_json(agg.0, engine.0, ptr, len);
        check_status("jm_aggregator_add_json", st);
        let mut expected = Aggregator::default();
        let rust_result = as_text.map(|t| expected.add_json(&rust, t));
        assert_eq!(st == jm_status::JM_OK, matches!(rust_result, Some(Ok(_))), "C and Rust agree on acceptance");
        let mut snap: *mut c_char = ptr::null_mut();
        assert_eq!(capi::jm_aggregator_snapshot(agg.0, &mut snap), jm_status::JM_OK);
        let snap = take_string(snap);
        assert_eq!(snap, expected.snapshot().into_bytes(), "C aggregator state equals the Rust one");

        // jm_aggregator_restore
        let mut restored: *mut jm_aggregator = ptr::null_mut();
        let st = capi::jm_aggregator_restore(ptr, len, &mut restored);
        check_status("jm_aggregator_restore", st);
        if st == jm_status::JM_OK {
            let restored = AggHandle(restored);
            let mut report: *mut c_char = ptr::null_mut();
            assert_eq!(capi::jm_aggregator_report_json(restored.0, &mut report), jm_status::JM_OK);
            drop(take_string(report));
        } else {
            assert!(restored.is_null());
        }
    }
}

/// `text` (a snapshot document) with its checksum recomputed for its
/// content, when it has the snapshot's shape: lets tests and fuzzers reach
/// the consistency checks behind the checksum.
pub fn reseal_snapshot(text: &str) -> Option<String> {
    seal::reseal(text)
}
