//! The same string gives the same analysis natively and through the C ABI:
//! `Engine::analyze_with` serialised equals `jm_analyze_json`, byte for
//! byte, for every role and the raw flag; `Engine::summarize_with` equals
//! `jm_analyze_ex` and `jm_analyze_batch_ex`; `Engine::mask` equals
//! `jm_mask`. The Python side of the chain (binding = C ABI = the native
//! `jingmin analyze`) is `bindings/python/tests/test_cross.py`.

use std::ptr;

use crate::capi::*;
use jingmin::{AnalyzeOptions, Engine, Role};
use proptest::prelude::*;

use crate::chatty;
use chatty::chatty;
use crate::common_capi;
use common_capi::{take_string, EngineHandle};

const ROLES: [(Role, u32); 3] =
    [(Role::Unknown, 0), (Role::Police, JM_FLAG_ROLE_POLICE), (Role::Resident, JM_FLAG_ROLE_RESIDENT)];

fn same_everywhere(native: &Engine, c: &EngineHandle, text: &str) -> Result<(), TestCaseError> {
    let mut batch_items = Vec::new();
    for (role, role_flag) in ROLES {
        for raw in [false, true] {
            let flags = role_flag | if raw { JM_FLAG_RAW } else { 0 };
            let want = serde_json::to_string(&native.analyze_with(text, &AnalyzeOptions { role, raw })).unwrap();
            let mut out = ptr::null_mut();
            let st = unsafe { jm_analyze_json(c.0, text.as_ptr(), text.len(), flags, &mut out) };
            prop_assert_eq!(st, jm_status::JM_OK);
            prop_assert_eq!(take_string(out), want, "role {:?}, raw {}", role, raw);
        }
        let s = native.summarize_with(text, role);
        let mut got = jm_summary::default();
        prop_assert_eq!(unsafe { jm_analyze_ex(c.0, text.as_ptr(), text.len(), role_flag, &mut got) }, jm_status::JM_OK);
        prop_assert_eq!(got, jm_summary::from(s), "summary, role {:?}", role);
        batch_items.push((role_flag >> JM_FLAG_ROLE_SHIFT, got));
    }
    // The batch entry point, one item per role.
    let texts: Vec<jm_text> = batch_items.iter().map(|_| jm_text { ptr: text.as_ptr(), len: text.len() }).collect();
    let roles: Vec<u32> = batch_items.iter().map(|(r, _)| *r).collect();
    let mut out = vec![jm_summary::default(); texts.len()];
    let st = unsafe { jm_analyze_batch_ex(c.0, texts.as_ptr(), roles.as_ptr(), texts.len(), 0, out.as_mut_ptr()) };
    prop_assert_eq!(st, jm_status::JM_OK);
    for ((_, one), batch) in batch_items.iter().zip(&out) {
        prop_assert_eq!(one, batch);
    }
    let mut masked = ptr::null_mut();
    prop_assert_eq!(unsafe { jm_mask(c.0, text.as_ptr(), text.len(), &mut masked) }, jm_status::JM_OK);
    prop_assert_eq!(take_string(masked), native.mask(text));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn chat_like_strings_agree(text in chatty()) {
        same_everywhere(&Engine::default(), &EngineHandle::new(), &text)?;
    }

    #[test]
    fn arbitrary_strings_agree(text in "\\PC{0,120}") {
        same_everywhere(&Engine::default(), &EngineHandle::new(), &text)?;
    }
}
