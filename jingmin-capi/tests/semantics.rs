//! What the C ABI answers about clearly fraudulent and clearly benign
//! messages. These depend on the real engine (not on the C layer) and are
//! kept apart from `tests/capi.rs`, whose invariants hold for any engine.

use std::ffi::{c_char, CStr};
use std::ptr;

use crate::capi::*;

fn engine() -> *mut jm_engine {
    let mut e = ptr::null_mut();
    assert_eq!(unsafe { jm_engine_new_default(&mut e) }, jm_status::JM_OK);
    e
}

fn summary(e: *const jm_engine, text: &str, flags: u32) -> jm_summary {
    let mut s = jm_summary::default();
    assert_eq!(unsafe { jm_analyze_ex(e, text.as_ptr(), text.len(), flags, &mut s) }, jm_status::JM_OK);
    s
}

fn take(p: *mut c_char) -> String {
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { jm_string_free(p) };
    s
}

#[test]
fn a_scam_ad_is_a_high_risk_solicitation() {
    let e = engine();
    let s = summary(e, "招聘居家兼职，宝妈学生均可，手机就能做，一单一结日赚300元，有意加薇信 sdj6688 详聊", 0);
    assert_eq!(s.stance, jm_stance::JM_STANCE_SOLICITATION as u32);
    assert_eq!(s.fraud_type, jm_fraud_type::JM_FRAUD_TYPE_TASK_REBATE as u32);
    assert!(s.risk >= 70, "risk {}", s.risk);
    assert!(s.hit_count >= 1 && s.entity_count >= 2, "{s:?}");
    unsafe { jm_engine_free(e) };
}

#[test]
fn a_victim_report_is_an_anomaly() {
    let e = engine();
    let s = summary(e, "我被骗了，呜呜，怎么办", JM_FLAG_ROLE_RESIDENT);
    assert_eq!(s.stance, jm_stance::JM_STANCE_VICTIM_REPORT as u32);
    assert_eq!(s.category, jm_category::JM_CATEGORY_ANOMALY as u32);
    assert!(s.risk >= 70, "risk {}", s.risk);
    unsafe { jm_engine_free(e) };
}

#[test]
fn benign_messages_raise_no_alarm() {
    let e = engine();
    for text in ["收到", "今年地里菠菜长得好，3元一斤，要的说一声我送到家", "谢谢魏警官帮我找回了电动车！🎉🎉"] {
        let s = summary(e, text, JM_FLAG_ROLE_RESIDENT);
        assert_eq!(s.fraud_type, jm_fraud_type::JM_FRAUD_TYPE_NONE as u32, "{text}");
        assert_eq!(s.stance, jm_stance::JM_STANCE_NONE as u32, "{text}");
        assert_eq!(s.hit_count, 0, "{text}");
    }
    unsafe { jm_engine_free(e) };
}

#[test]
fn personal_data_is_masked_unless_raw_is_asked_for() {
    let e = engine();
    let text = "紧急！我家孩子放学到现在还没回来，谁看到了请告诉我，电话13956201847";
    let mut out: *mut c_char = ptr::null_mut();
    assert_eq!(unsafe { jm_mask(e, text.as_ptr(), text.len(), &mut out) }, jm_status::JM_OK);
    let masked = take(out);
    assert!(masked.contains("139****1847") && !masked.contains("13956201847"), "{masked}");
    assert_eq!(unsafe { jm_analyze_json(e, text.as_ptr(), text.len(), 0, &mut out) }, jm_status::JM_OK);
    let json = take(out);
    assert!(json.contains("139****1847") && !json.contains("13956201847"), "{json}");
    assert_eq!(unsafe { jm_analyze_json(e, text.as_ptr(), text.len(), JM_FLAG_RAW, &mut out) }, jm_status::JM_OK);
    assert!(take(out).contains("13956201847"));
    unsafe { jm_engine_free(e) };
}

#[test]
fn an_invalid_lexicon_is_refused() {
    for lexicon in ["{not json", r#"{"entries":[{"pattern":"","kind":"fraud","type":"task_rebate"}]}"#,
                    r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"no_such_type"}]}"#] {
        let mut e = ptr::null_mut();
        let status = unsafe { jm_engine_new_from_lexicon(lexicon.as_ptr(), lexicon.len(), 1, &mut e) };
        assert!(
            status == jm_status::JM_ERR_INVALID_LEXICON || status == jm_status::JM_ERR_INVALID_JSON,
            "{lexicon}: {status:?}"
        );
        assert!(e.is_null());
        let message = unsafe { CStr::from_ptr(jm_last_error()) }.to_str().unwrap();
        assert!(message.starts_with("jm_engine_new_from_lexicon: json: "), "{message}");
    }
}
