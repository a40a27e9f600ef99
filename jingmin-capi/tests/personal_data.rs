//! Issue 12, items 1 and 13, through the C ABI: no personal number survives
//! a default output (`jm_analyze_json`, `jm_mask`, the aggregator's report
//! and snapshot, `jm_last_error`); and the batch call's edge cases (a BOM,
//! CR line ends, UTF-8 errors named by line, configurations that are not
//! objects).

use std::ptr;

use proptest::prelude::*;

use crate::capi::*;
use crate::common_capi::{last_error, take_string, EngineHandle};
use crate::personal::{assert_none_shown, message, number};

fn analyze_json(e: &EngineHandle, text: &str, flags: u32) -> String {
    let mut out = ptr::null_mut();
    assert_eq!(unsafe { jm_analyze_json(e.0, text.as_ptr(), text.len(), flags, &mut out) }, jm_status::JM_OK);
    take_string(out)
}

fn mask(e: &EngineHandle, text: &str) -> String {
    let mut out = ptr::null_mut();
    assert_eq!(unsafe { jm_mask(e.0, text.as_ptr(), text.len(), &mut out) }, jm_status::JM_OK);
    take_string(out)
}

struct Agg(*mut jm_aggregator);

impl Agg {
    fn new() -> Agg {
        let mut a = ptr::null_mut();
        assert_eq!(unsafe { jm_aggregator_new(&mut a) }, jm_status::JM_OK);
        Agg(a)
    }

    fn add_jsonl(&mut self, e: &EngineHandle, jsonl: &[u8]) -> Result<jm_add_counts, (jm_status, String)> {
        let mut c = jm_add_counts::default();
        match unsafe { jm_aggregator_add_jsonl(self.0, e.0, jsonl.as_ptr(), jsonl.len(), &mut c) } {
            jm_status::JM_OK => Ok(c),
            st => Err((st, last_error())),
        }
    }

    fn add_json(&mut self, e: &EngineHandle, json: &str) -> Result<u32, (jm_status, String)> {
        let mut outcome = 99u32;
        match unsafe { jm_aggregator_add_json_ex(self.0, e.0, json.as_ptr(), json.len(), &mut outcome) } {
            jm_status::JM_OK => Ok(outcome),
            st => Err((st, last_error())),
        }
    }

    fn string(&self, f: unsafe extern "C" fn(*const jm_aggregator, *mut *mut std::ffi::c_char) -> jm_status) -> String {
        let mut out = ptr::null_mut();
        assert_eq!(unsafe { f(self.0, &mut out) }, jm_status::JM_OK);
        take_string(out)
    }
}

impl Drop for Agg {
    fn drop(&mut self) {
        unsafe { jm_aggregator_free(self.0) }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_personal_number_survives_a_default_output_of_the_c_abi(
        texts in proptest::collection::vec(message(), 1..12),
        bad in number(),
    ) {
        let e = EngineHandle::new();
        let mut agg = Agg::new();
        let mut jsonl = String::new();
        for (i, (t, n)) in texts.iter().enumerate() {
            for flags in [0, JM_FLAG_ROLE_RESIDENT, JM_FLAG_ROLE_POLICE] {
                assert_none_shown("jm_analyze_json", &analyze_json(&e, t, flags), n);
            }
            assert_none_shown("jm_mask", &mask(&e, t), n);
            let m = serde_json::json!({"id": format!("m{i}"), "group": "警民群", "role": "resident",
                "time": "2024-03-01 10:00:00", "text": t});
            jsonl.push_str(&m.to_string());
            jsonl.push('\n');
            let one = serde_json::json!({"id": format!("o{i}"), "group": "群二", "time": 1709258400 + i, "text": t});
            agg.add_json(&e, &one.to_string()).unwrap();
        }
        agg.add_jsonl(&e, jsonl.as_bytes()).unwrap();
        let numbers: Vec<String> = texts.iter().flat_map(|(_, n)| n.iter().cloned()).chain([bad.clone()]).collect();
        assert_none_shown("jm_aggregator_report_json", &agg.string(jm_aggregator_report_json), &numbers);
        let snap = agg.string(jm_aggregator_snapshot);
        assert_none_shown("jm_aggregator_snapshot", &snap, &numbers);

        // Errors that could quote a number.
        let bad_inputs = [
            format!("{{\"text\":{bad}}}"),
            format!("{{\"text\":\"电话{bad}"),
            format!("{{\"text\":\"x\",\"role\":\"{bad}\"}}"),
            format!("{{\"text\":\"x\",\"group\":[\"{bad}\"]}}"),
            bad.to_string(),
        ];
        for b in &bad_inputs {
            let (_, err) = agg.add_json(&e, b).unwrap_err();
            assert_none_shown("jm_aggregator_add_json error", &err, &numbers);
            let (_, err) = agg.add_jsonl(&e, format!("{{\"text\":\"ok\"}}\n{b}\n").as_bytes()).unwrap_err();
            assert_none_shown("jm_aggregator_add_jsonl error", &err, &numbers);
        }
        let broken = snap.replacen("\"state\":{", &format!("\"state\":{{\"x{bad}\":1,"), 1);
        let mut out = ptr::null_mut();
        assert_ne!(unsafe { jm_aggregator_restore(broken.as_ptr(), broken.len(), &mut out) }, jm_status::JM_OK);
        assert_none_shown("jm_aggregator_restore error", &last_error(), &numbers);
        let bad_config = format!("{{\"utc_offset_seconds\":{bad}}}");
        assert_ne!(unsafe { jm_aggregator_new_with_config(bad_config.as_ptr(), bad_config.len(), &mut out) }, jm_status::JM_OK);
        assert_none_shown("jm_aggregator_new_with_config error", &last_error(), &numbers);
    }
}

/// Item 13: a leading BOM, which the command line accepts, is accepted by
/// the batch call too.
#[test]
fn a_batch_may_start_with_a_byte_order_mark() {
    let e = EngineHandle::new();
    let mut agg = Agg::new();
    let jsonl = "\u{feff}{\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"收到\"}\n";
    let c = agg.add_jsonl(&e, jsonl.as_bytes()).unwrap();
    assert_eq!((c.added, c.duplicates, c.rejected), (1, 0, 0));
}

/// Item 13: CR-only line ends separate messages as LF and CRLF do.
#[test]
fn cr_alone_ends_a_line_of_a_batch() {
    let e = EngineHandle::new();
    for sep in ["\r", "\n", "\r\n"] {
        let mut agg = Agg::new();
        let jsonl = [1, 2, 3]
            .iter()
            .map(|i| format!("{{\"id\":\"{i}\",\"group\":\"g\",\"time\":\"2024-03-01 10:00:0{i}\",\"text\":\"收到\"}}"))
            .collect::<Vec<_>>()
            .join(sep);
        let c = agg.add_jsonl(&e, jsonl.as_bytes()).unwrap_or_else(|e| panic!("{sep:?}: {e:?}"));
        assert_eq!(c.added, 3, "{sep:?}");
        // Line numbers count CR, LF and CRLF each as one line end.
        let bad = format!("{{\"text\":\"a\"}}{sep}{{\"text\":\"b\"}}{sep}not json{sep}");
        let (_, err) = agg.add_jsonl(&e, bad.as_bytes()).unwrap_err();
        assert!(err.contains("line 3"), "{sep:?}: {err}");
    }
}

/// Item 13: invalid UTF-8 in a batch is reported with its line, so that
/// the Python binding can name the message.
#[test]
fn invalid_utf8_in_a_batch_names_the_line() {
    let e = EngineHandle::new();
    let mut agg = Agg::new();
    let mut jsonl = b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"".to_vec();
    jsonl.extend_from_slice(&[0xff, 0xfe]);
    jsonl.extend_from_slice(b"\"}\n");
    let (st, err) = agg.add_jsonl(&e, &jsonl).unwrap_err();
    assert_eq!(st, jm_status::JM_ERR_INVALID_UTF8);
    assert!(err.contains("line 3"), "{err}");
}

/// Item 13: a configuration is a JSON object; an array (which serde would
/// read field by field) is refused.
#[test]
fn an_aggregator_configuration_must_be_an_object() {
    for bad in ["[]", "[0,60]", "[28800,3600]", "\"x\"", "7", "null"] {
        let mut out = ptr::null_mut();
        let st = unsafe { jm_aggregator_new_with_config(bad.as_ptr(), bad.len(), &mut out) };
        assert_eq!(st, jm_status::JM_ERR_INVALID_CONFIG, "{bad}");
        assert!(out.is_null());
        assert!(last_error().contains("object"), "{bad}: {}", last_error());
    }
    let mut out = ptr::null_mut();
    let good = "{\"answer_window_seconds\":60}";
    assert_eq!(unsafe { jm_aggregator_new_with_config(good.as_ptr(), good.len(), &mut out) }, jm_status::JM_OK);
    unsafe { jm_aggregator_free(out) };
}
