//! The C ABI called from Rust exactly as C calls it: its answers must equal
//! the native API's, and every bad argument must become a status.
//!
//! These tests check invariants (C layer == native API), not what the engine
//! concludes; `tests/capi_semantics.rs` holds the few semantic checks.

use std::ffi::{c_char, CStr};
use std::ptr;

use crate::capi::*;
use jingmin::{AnalyzeOptions, Category, Engine, EntityKind, FraudType, Role, Stance};

use crate::common_capi;
use common_capi::{last_error, take_string, EngineHandle as Handle};

fn messages() -> Vec<(Role, String)> {
    let data = include_str!("../../tests/data/messages.tsv");
    let mut out: Vec<(Role, String)> = data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (role, text) = l.split_once('\t').unwrap();
            (Role::from_name(role).unwrap(), text.to_owned())
        })
        .collect();
    out.push((Role::Unknown, String::new()));
    out.push((Role::Police, "a\0b 刷\0单 13956201847".to_owned()));
    out
}

fn role_flags(role: Role) -> u32 {
    role.code() << JM_FLAG_ROLE_SHIFT
}

fn summary_of(engine: &Engine, text: &str, role: Role) -> jm_summary {
    let s = engine.summarize_with(text, role);
    jm_summary {
        category: s.category.code(),
        confidence: s.confidence,
        fraud_type: s.fraud_type.code(),
        stance: s.stance.code(),
        risk: s.risk,
        hit_count: s.hit_count,
        entity_count: s.entity_count,
    }
}

#[test]
fn versions() {
    let v = unsafe { CStr::from_ptr(jm_version()) }.to_str().unwrap();
    assert_eq!(v, env!("CARGO_PKG_VERSION"));
    assert_eq!(jm_abi_version(), JM_ABI_VERSION);
}

#[test]
fn summaries_equal_the_native_api() {
    let native = Engine::default();
    let h = Handle::default();
    for (role, text) in messages() {
        let expected = summary_of(&native, &text, role);
        let mut got = jm_summary { category: 99, ..jm_summary::default() };
        let status = unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), role_flags(role), &mut got) };
        assert_eq!(status, jm_status::JM_OK, "{}", last_error());
        assert_eq!(got, expected);
        if role == Role::Unknown {
            let mut plain = jm_summary { category: 99, ..jm_summary::default() };
            assert_eq!(unsafe { jm_analyze(h.0, text.as_ptr(), text.len(), &mut plain) }, jm_status::JM_OK);
            assert_eq!(plain, expected);
        }
        // JM_FLAG_RAW is accepted and changes nothing in a summary.
        let mut raw = jm_summary::default();
        let flags = role_flags(role) | JM_FLAG_RAW;
        assert_eq!(unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), flags, &mut raw) }, jm_status::JM_OK);
        assert_eq!(raw, expected);
    }
}

#[test]
fn json_equals_the_native_serialisation() {
    let native = Engine::default();
    let h = Handle::default();
    for (role, text) in messages() {
        for raw in [false, true] {
            let expected = as_json(&native.analyze_with(&text, &AnalyzeOptions { role, raw }));
            let mut out: *mut c_char = ptr::null_mut();
            let flags = role_flags(role) | if raw { JM_FLAG_RAW } else { 0 };
            let status = unsafe { jm_analyze_json(h.0, text.as_ptr(), text.len(), flags, &mut out) };
            assert_eq!(status, jm_status::JM_OK, "{}", last_error());
            let json = take_string(out);
            let got: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(got, expected);
            // The taxonomy §5 shape.
            for key in ["category", "confidence", "evidence", "fraud", "entities"] {
                assert!(got.get(key).is_some(), "missing {key} in {json}");
            }
            for key in ["types", "stance", "risk", "hits"] {
                assert!(got["fraud"].get(key).is_some(), "missing fraud.{key} in {json}");
            }
        }
    }
}

#[test]
fn mask_equals_the_native_api_and_keeps_nul_bytes() {
    let native = Engine::default();
    let h = Handle::default();
    for (_, text) in messages() {
        let mut out: *mut c_char = ptr::null_mut();
        assert_eq!(unsafe { jm_mask(h.0, text.as_ptr(), text.len(), &mut out) }, jm_status::JM_OK);
        assert_eq!(take_string(out), native.mask(&text));
    }
}

#[test]
fn batches_equal_one_by_one_calls() {
    let native = Engine::default();
    let h = Handle::default();
    let msgs = messages();
    let texts: Vec<jm_text> = msgs.iter().map(|(_, t)| jm_text { ptr: t.as_ptr(), len: t.len() }).collect();
    let roles: Vec<u32> = msgs.iter().map(|(r, _)| r.code()).collect();
    let n = texts.len();

    let mut out = vec![jm_summary { category: 99, ..jm_summary::default() }; n];
    let status = unsafe { jm_analyze_batch_ex(h.0, texts.as_ptr(), roles.as_ptr(), n, 0, out.as_mut_ptr()) };
    assert_eq!(status, jm_status::JM_OK, "{}", last_error());
    for (i, (role, text)) in msgs.iter().enumerate() {
        assert_eq!(out[i], summary_of(&native, text, *role), "message {i}");
    }

    for role in Role::ALL {
        let mut out = vec![jm_summary { category: 99, ..jm_summary::default() }; n];
        let status =
            unsafe { jm_analyze_batch_ex(h.0, texts.as_ptr(), ptr::null(), n, role_flags(*role), out.as_mut_ptr()) };
        assert_eq!(status, jm_status::JM_OK);
        for (i, (_, text)) in msgs.iter().enumerate() {
            assert_eq!(out[i], summary_of(&native, text, *role), "message {i}");
        }
    }

    let mut out = vec![jm_summary { category: 99, ..jm_summary::default() }; n];
    assert_eq!(unsafe { jm_analyze_batch(h.0, texts.as_ptr(), n, out.as_mut_ptr()) }, jm_status::JM_OK);
    for (i, (_, text)) in msgs.iter().enumerate() {
        assert_eq!(out[i], summary_of(&native, text, Role::Unknown));
    }

    // n == 0: nothing to read or write, NULL arrays allowed.
    assert_eq!(unsafe { jm_analyze_batch(h.0, ptr::null(), 0, ptr::null_mut()) }, jm_status::JM_OK);
}

#[test]
fn batch_errors_name_the_failing_message() {
    let h = Handle::default();
    let good = "收到";
    let bad = b"ok\xe5\x88";
    let texts = [
        jm_text { ptr: good.as_ptr(), len: good.len() },
        jm_text { ptr: ptr::null(), len: 0 },
        jm_text { ptr: bad.as_ptr(), len: bad.len() },
    ];
    let mut out = [jm_summary::default(); 3];
    let status = unsafe { jm_analyze_batch(h.0, texts.as_ptr(), 3, out.as_mut_ptr()) };
    assert_eq!(status, jm_status::JM_ERR_INVALID_UTF8);
    let e = last_error();
    assert!(e.contains("texts[2]") && e.contains("byte offset 2"), "{e}");

    let texts = [jm_text { ptr: good.as_ptr(), len: good.len() }, jm_text { ptr: ptr::null(), len: 5 }];
    let status = unsafe { jm_analyze_batch(h.0, texts.as_ptr(), 2, out.as_mut_ptr()) };
    assert_eq!(status, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(last_error().contains("texts[1] is NULL"), "{}", last_error());

    let roles = [0u32, 7];
    let status = unsafe { jm_analyze_batch_ex(h.0, texts.as_ptr(), roles.as_ptr(), 2, 0, out.as_mut_ptr()) };
    assert_eq!(status, jm_status::JM_ERR_INVALID_ARGUMENT);
    assert!(last_error().contains("roles[1]"), "{}", last_error());

    assert_eq!(unsafe { jm_analyze_batch(h.0, ptr::null(), 2, out.as_mut_ptr()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert_eq!(unsafe { jm_analyze_batch(h.0, texts.as_ptr(), 2, ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert_eq!(
        unsafe { jm_analyze_batch(ptr::null(), texts.as_ptr(), 2, out.as_mut_ptr()) },
        jm_status::JM_ERR_NULL_ARGUMENT
    );
    // A misaligned output array is refused, not written.
    let mut storage = [0u8; 3 * std::mem::size_of::<jm_summary>() + 8];
    let misaligned = unsafe { storage.as_mut_ptr().add(1) } as *mut jm_summary;
    let status = unsafe { jm_analyze_batch(h.0, texts.as_ptr(), 1, misaligned) };
    assert_eq!(status, jm_status::JM_ERR_INVALID_ARGUMENT);
    // An impossible element count is refused before anything is read.
    let status = unsafe { jm_analyze_batch(h.0, texts.as_ptr(), usize::MAX, out.as_mut_ptr()) };
    assert_eq!(status, jm_status::JM_ERR_INVALID_ARGUMENT);
}

#[test]
fn null_arguments() {
    let h = Handle::default();
    let text = "收到";
    let mut s = jm_summary::default();
    let mut out: *mut c_char = 8 as *mut c_char; // must be reset to NULL on failure
    let null_engine: *const jm_engine = ptr::null();

    assert_eq!(unsafe { jm_engine_new_default(ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(last_error().contains("jm_engine_new_default") && last_error().contains("out is NULL"));
    assert_eq!(unsafe { jm_analyze(null_engine, text.as_ptr(), text.len(), &mut s) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(last_error().contains("engine is NULL"));
    assert_eq!(unsafe { jm_analyze(h.0, ptr::null(), 3, &mut s) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(last_error().contains("text is NULL"));
    assert_eq!(unsafe { jm_analyze(h.0, text.as_ptr(), text.len(), ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert_eq!(
        unsafe { jm_analyze_json(h.0, text.as_ptr(), text.len(), 0, ptr::null_mut()) },
        jm_status::JM_ERR_NULL_ARGUMENT
    );
    assert_eq!(unsafe { jm_analyze_json(null_engine, text.as_ptr(), text.len(), 0, &mut out) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(out.is_null());
    assert_eq!(unsafe { jm_mask(h.0, ptr::null(), 1, &mut out) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert!(out.is_null());
    assert_eq!(unsafe { jm_mask(h.0, text.as_ptr(), text.len(), ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert_eq!(unsafe { jm_engine_new_from_lexicon(ptr::null(), 4, 1, &mut ptr::null_mut()) }, jm_status::JM_ERR_NULL_ARGUMENT);
    assert_eq!(unsafe { jm_engine_max_message_bytes(ptr::null()) }, 0);
    // NULL is a no-op for the free functions.
    unsafe {
        jm_engine_free(ptr::null_mut());
        jm_string_free(ptr::null_mut());
    }
    assert_eq!(unsafe { jm_string_len(ptr::null()) }, 0);
}

#[test]
fn empty_text_is_a_valid_message() {
    let native = Engine::default();
    let h = Handle::default();
    let mut s = jm_summary { category: 99, ..jm_summary::default() };
    assert_eq!(unsafe { jm_analyze(h.0, ptr::null(), 0, &mut s) }, jm_status::JM_OK);
    assert_eq!(s, summary_of(&native, "", Role::Unknown));
    let mut out: *mut c_char = ptr::null_mut();
    assert_eq!(unsafe { jm_mask(h.0, ptr::null(), 0, &mut out) }, jm_status::JM_OK);
    assert_eq!(take_string(out), "");
    assert_eq!(unsafe { jm_analyze_json(h.0, "x".as_ptr(), 0, 0, &mut out) }, jm_status::JM_OK);
    let json: serde_json::Value = serde_json::from_str(&take_string(out)).unwrap();
    assert_eq!(json, as_json(&native.analyze("")));
}

#[test]
fn invalid_utf8_reports_the_byte_offset() {
    let h = Handle::default();
    let cases: &[(&[u8], usize)] = &[
        (b"\xff", 0),
        (b"abc\x80", 3),
        ("刷单".as_bytes(), usize::MAX), // valid
        (b"\xe5\x88\xb7\xe5\x8d", 3),     // 刷 then a truncated 单
        (b"ok\xc0\xaf", 2),               // overlong
        (b"\xed\xa0\x80", 0),             // a surrogate
    ];
    for (bytes, offset) in cases {
        let mut s = jm_summary::default();
        let status = unsafe { jm_analyze(h.0, bytes.as_ptr(), bytes.len(), &mut s) };
        if *offset == usize::MAX {
            assert_eq!(status, jm_status::JM_OK);
            continue;
        }
        assert_eq!(status, jm_status::JM_ERR_INVALID_UTF8);
        let e = last_error();
        assert!(e.starts_with("jm_analyze: text: "), "{e}");
        assert!(e.ends_with(&format!("byte offset {offset}")), "{e}");
        let mut out: *mut c_char = ptr::null_mut();
        assert_eq!(unsafe { jm_mask(h.0, bytes.as_ptr(), bytes.len(), &mut out) }, jm_status::JM_ERR_INVALID_UTF8);
        assert!(out.is_null());
        assert_eq!(
            unsafe { jm_analyze_json(h.0, bytes.as_ptr(), bytes.len(), 0, &mut out) },
            jm_status::JM_ERR_INVALID_UTF8
        );
        let mut e = ptr::null_mut();
        assert_eq!(unsafe { jm_engine_new_from_lexicon(bytes.as_ptr(), bytes.len(), 1, &mut e) }, jm_status::JM_ERR_INVALID_UTF8);
        assert!(e.is_null());
        assert!(last_error().contains(&format!("byte offset {offset}")));
    }
}

#[test]
fn oversize_input_is_refused_before_it_is_read() {
    let h = Handle::default();
    let max = unsafe { jm_engine_max_message_bytes(h.0) };
    assert_eq!(max, jingmin::DEFAULT_MAX_MESSAGE_BYTES);
    let big = "啊".repeat(max / 3 + 1);
    assert!(big.len() > max);
    let mut s = jm_summary::default();
    assert_eq!(unsafe { jm_analyze(h.0, big.as_ptr(), big.len(), &mut s) }, jm_status::JM_ERR_TOO_LARGE);
    let e = last_error();
    assert!(e.contains(&format!("{} bytes", big.len())) && e.contains(&max.to_string()), "{e}");
    // A length no buffer could have: refused without touching memory.
    let one = [b'a'];
    assert_eq!(unsafe { jm_analyze(h.0, one.as_ptr(), usize::MAX, &mut s) }, jm_status::JM_ERR_TOO_LARGE);
    let mut out: *mut c_char = ptr::null_mut();
    assert_eq!(unsafe { jm_mask(h.0, one.as_ptr(), usize::MAX, &mut out) }, jm_status::JM_ERR_TOO_LARGE);
    assert_eq!(unsafe { jm_analyze_json(h.0, one.as_ptr(), max + 1, 0, &mut out) }, jm_status::JM_ERR_TOO_LARGE);
    let texts = [jm_text { ptr: one.as_ptr(), len: usize::MAX }];
    assert_eq!(unsafe { jm_analyze_batch(h.0, texts.as_ptr(), 1, &mut s) }, jm_status::JM_ERR_TOO_LARGE);
    assert!(last_error().contains("texts[0]"));
    // Exactly the maximum is fine.
    let exact = "a".repeat(max);
    assert_eq!(unsafe { jm_analyze(h.0, exact.as_ptr(), exact.len(), &mut s) }, jm_status::JM_OK);
}

#[test]
fn unknown_flags_and_roles_are_refused() {
    let h = Handle::default();
    let text = "收到";
    let mut s = jm_summary::default();
    for flags in [1u32 << 1, 1 << 31, 3 << JM_FLAG_ROLE_SHIFT, 0xF << JM_FLAG_ROLE_SHIFT] {
        assert_eq!(unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), flags, &mut s) }, jm_status::JM_ERR_INVALID_ARGUMENT);
        let mut out: *mut c_char = ptr::null_mut();
        assert_eq!(
            unsafe { jm_analyze_json(h.0, text.as_ptr(), text.len(), flags, &mut out) },
            jm_status::JM_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().starts_with("jm_analyze_json: flags: "), "{}", last_error());
    }
}

#[test]
fn lexicon_engines_equal_the_native_builder() {
    let lexicon = r#"{"entries":[{"pattern":"跑腿代办","kind":"fraud","type":"fake_shopping","weight":2}]}"#;
    for layer in [0, 1] {
        let mut e = ptr::null_mut();
        let status = unsafe { jm_engine_new_from_lexicon(lexicon.as_ptr(), lexicon.len(), layer, &mut e) };
        assert_eq!(status, jm_status::JM_OK, "{}", last_error());
        let h = Handle(e);
        let mut builder = Engine::builder();
        if layer == 0 {
            builder = builder.without_default_lexicon();
        }
        let native = builder.lexicon_json(lexicon).unwrap().build().unwrap();
        for (role, text) in messages().into_iter().chain([(Role::Resident, "有人找我跑腿代办，要先付定金".to_owned())]) {
            let mut s = jm_summary::default();
            let status = unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), role_flags(role), &mut s) };
            assert_eq!(status, jm_status::JM_OK);
            assert_eq!(s, summary_of(&native, &text, role));
        }
    }
}

#[test]
fn last_error_is_per_thread() {
    let h = Handle::default();
    let mut s = jm_summary::default();
    let bad = b"\xff";
    assert_eq!(unsafe { jm_analyze(h.0, bad.as_ptr(), 1, &mut s) }, jm_status::JM_ERR_INVALID_UTF8);
    let mine = last_error();
    std::thread::spawn(|| {
        assert_eq!(last_error(), "", "a new thread starts with an empty message");
        let mut s = jm_summary::default();
        assert_eq!(unsafe { jm_analyze(ptr::null(), ptr::null(), 0, &mut s) }, jm_status::JM_ERR_NULL_ARGUMENT);
        assert!(last_error().contains("engine is NULL"));
    })
    .join()
    .unwrap();
    assert_eq!(last_error(), mine);
    // Success does not clear it.
    assert_eq!(unsafe { jm_analyze(h.0, ptr::null(), 0, &mut s) }, jm_status::JM_OK);
    assert_eq!(last_error(), mine);
}

#[test]
fn one_engine_shared_by_eight_threads_equals_single_threaded() {
    let h = Handle::default();
    let msgs = messages();
    let single: Vec<jm_summary> = msgs
        .iter()
        .map(|(role, text)| {
            let mut s = jm_summary::default();
            assert_eq!(unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), role_flags(*role), &mut s) }, jm_status::JM_OK);
            s
        })
        .collect();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (h, msgs, single) = (&h, &msgs, &single);
            scope.spawn(move || {
                for round in 0..50 {
                    let i = (t * 7 + round) % msgs.len();
                    let (role, text) = &msgs[i];
                    let mut s = jm_summary::default();
                    let status = unsafe { jm_analyze_ex(h.0, text.as_ptr(), text.len(), role_flags(*role), &mut s) };
                    assert_eq!(status, jm_status::JM_OK);
                    assert_eq!(s, single[i]);
                }
            });
        }
    });
}

#[test]
fn code_names_match_the_taxonomy() {
    fn name(p: *const c_char) -> Option<String> {
        (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned())
    }
    for code in 0..200 {
        assert_eq!(name(jm_category_name(code)).as_deref(), Category::from_code(code).map(|c| c.name()));
        assert_eq!(name(jm_fraud_type_name(code)).as_deref(), FraudType::from_code(code).map(|c| c.name()));
        assert_eq!(name(jm_stance_name(code)).as_deref(), Stance::from_code(code).map(|c| c.name()));
        assert_eq!(name(jm_entity_kind_name(code)).as_deref(), EntityKind::from_code(code).map(|c| c.name()));
        assert_eq!(name(jm_role_name(code)).as_deref(), Role::from_code(code).map(|c| c.name()));
    }
}

/// The constants of the committed header against the taxonomy (the Rust
/// enums): every `JM_<ENUM>_<NAME> = <code>` must be the code of the value
/// named `<name>`, and every value must be there.
#[test]
fn header_codes_match_the_taxonomy() {
    let header = include_str!("../../include/jingmin.h");
    let mut found: Vec<(String, u32)> = Vec::new();
    for line in header.lines() {
        let line = line.trim();
        if let Some((name, value)) = line.strip_suffix(',').and_then(|l| l.split_once(" = ")) {
            if name.starts_with("JM_") {
                found.push((name.to_owned(), value.parse().unwrap()));
            }
        }
    }
    fn check<T: Copy>(found: &[(String, u32)], prefix: &str, all: &[T], code: fn(T) -> u32, name: fn(T) -> &'static str) {
        let mine: Vec<&(String, u32)> = found.iter().filter(|(n, _)| n.starts_with(prefix)).collect();
        assert_eq!(mine.len(), all.len(), "{prefix}*: {mine:?}");
        for v in all {
            let want = format!("{prefix}{}", name(*v).to_uppercase());
            assert!(mine.iter().any(|(n, c)| *n == want && *c == code(*v)), "{want} = {} missing from the header", code(*v));
        }
    }
    check(&found, "JM_CATEGORY_", Category::ALL, Category::code, Category::name);
    check(&found, "JM_FRAUD_TYPE_", FraudType::ALL, FraudType::code, FraudType::name);
    check(&found, "JM_STANCE_", Stance::ALL, Stance::code, Stance::name);
    check(&found, "JM_ENTITY_KIND_", EntityKind::ALL, EntityKind::code, EntityKind::name);
    check(&found, "JM_ROLE_", Role::ALL, Role::code, Role::name);
    assert!(header.contains(&format!("#define JM_ABI_VERSION {JM_ABI_VERSION}\n")));
    // Every status code of the Rust side is declared.
    for (name, code) in [("JM_OK", 0), ("JM_ERR_NULL_ARGUMENT", 1), ("JM_ERR_PANIC", 8), ("JM_ERR_INVALID_ARGUMENT", 10)] {
        assert!(found.iter().any(|(n, c)| n == name && *c == code), "{name}");
    }
}

/// The native analysis as the JSON text the library writes, read back (so
/// that f32 values compare as written, not as widened to f64).
fn as_json(a: &jingmin::Analysis) -> serde_json::Value {
    serde_json::from_str(&serde_json::to_string(a).unwrap()).unwrap()
}
