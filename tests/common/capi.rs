//! Helpers for tests that call the C ABI from Rust (included with
//! `#[path]`): the engine handle, library strings, the last error.
#![allow(dead_code)]

use std::ffi::{c_char, CStr};
use std::ptr;

use crate::capi::*;

/// The calling thread's `jm_last_error()`.
pub fn last_error() -> String {
    unsafe { CStr::from_ptr(jm_last_error()) }.to_str().unwrap().to_owned()
}

/// A library string with its full length (a text's NUL bytes included),
/// checked to be NUL-terminated, then freed.
pub fn take_string(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let len = unsafe { jm_string_len(p) };
    let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, len) }.to_vec();
    assert_eq!(unsafe { *p.add(len) }, 0, "library strings are NUL-terminated");
    unsafe { jm_string_free(p) };
    String::from_utf8(bytes).unwrap()
}

/// A default engine through `jm_engine_new_default`, freed on drop.
pub struct EngineHandle(pub *mut jm_engine);

impl EngineHandle {
    pub fn new() -> Self {
        let mut e = ptr::null_mut();
        assert_eq!(unsafe { jm_engine_new_default(&mut e) }, jm_status::JM_OK);
        assert!(!e.is_null());
        EngineHandle(e)
    }
}

impl Default for EngineHandle {
    fn default() -> Self {
        EngineHandle::new()
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        unsafe { jm_engine_free(self.0) }
    }
}

// The engine is thread-safe (jingmin.h): a handle may be shared.
unsafe impl Send for EngineHandle {}
unsafe impl Sync for EngineHandle {}
