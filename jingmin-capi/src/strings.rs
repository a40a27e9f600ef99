//! Strings handed to the caller and freed by [`jm_string_free`].

use std::ffi::c_char;
use std::ptr;

use super::status::{guard_or, Failure};

// ---------------------------------------------------------------------------
// Strings handed to the caller.
//
// Each is one allocation: a `usize` byte length, the bytes, a NUL. The
// pointer given out points at the bytes; `jm_string_free` reads the length
// back to release exactly what was allocated, so strings may even contain
// NUL bytes (a masked text whose input had them) and `jm_string_len`
// reports their full length.

pub(crate) const LEN_HEADER: usize = std::mem::size_of::<usize>();

/// A buffer that becomes a library string; starts with room for the header.
pub(crate) struct OutString(Vec<u8>);

impl OutString {
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        let mut v = Vec::with_capacity(LEN_HEADER.saturating_add(bytes).saturating_add(1));
        v.extend_from_slice(&[0u8; LEN_HEADER]);
        OutString(v)
    }

    pub(crate) fn from_str(s: &str) -> Self {
        let mut out = OutString::with_capacity(s.len());
        out.0.extend_from_slice(s.as_bytes());
        out
    }

    /// Give the string to the caller.
    pub(crate) fn into_raw(self) -> *mut c_char {
        let mut v = self.0;
        let len = v.len().saturating_sub(LEN_HEADER);
        if let Some(header) = v.get_mut(..LEN_HEADER) {
            header.copy_from_slice(&len.to_ne_bytes());
        }
        v.push(0);
        let base = Box::into_raw(v.into_boxed_slice()) as *mut u8;
        // SAFETY: the allocation is LEN_HEADER + len + 1 bytes long.
        unsafe { base.add(LEN_HEADER) as *mut c_char }
    }
}

impl std::io::Write for OutString {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The byte length stored before a library string.
///
/// # Safety
/// `s` was returned by [`OutString::into_raw`] and not yet freed.
pub(crate) unsafe fn out_string_len(s: *const c_char) -> usize {
    // SAFETY: the header sits LEN_HEADER bytes before `s` in the same
    // allocation; it may be unaligned.
    unsafe {
        let base = (s as *const u8).sub(LEN_HEADER);
        usize::from_ne_bytes(ptr::read_unaligned(base as *const [u8; LEN_HEADER]))
    }
}

/// Check `out` (a `char **`), reset it to NULL, and store the string `make`
/// writes.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn out_string<F>(out: *mut *mut c_char, make: F) -> Result<(), Failure>
where
    F: FnOnce() -> Result<OutString, Failure>,
{
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    // SAFETY: checked non-NULL; the caller promises it is writable.
    unsafe { *out = ptr::null_mut() };
    let s = make()?;
    unsafe { *out = s.into_raw() };
    Ok(())
}

// ---------------------------------------------------------------------------
// Returned strings.

/// Free a string returned by the library (`jm_analyze_json`, `jm_mask`,
/// `jm_aggregator_snapshot`, `jm_aggregator_report_json`). NULL is a no-op.
///
/// Never pass it a pointer the library did not return, nor free a string
/// twice; never release library strings with `free()`. Thread-safe: a
/// string may be freed on any thread.
///
/// # Safety
/// `s` is NULL or a string returned by the library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn jm_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    guard_or((), || {
        // SAFETY: `s` came from OutString::into_raw: the allocation starts
        // LEN_HEADER bytes earlier and is LEN_HEADER + len + 1 bytes long.
        unsafe {
            let len = out_string_len(s);
            let base = (s as *mut u8).sub(LEN_HEADER);
            let total = LEN_HEADER + len + 1;
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(base, total)));
        }
    });
}

/// The length in bytes, without the terminating NUL, of a string returned
/// by the library; 0 for NULL. Unlike `strlen` it counts past NUL bytes
/// that came from the input (see `jm_mask`). Thread-safe.
///
/// # Safety
/// `s` is NULL or a string returned by the library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn jm_string_len(s: *const c_char) -> usize {
    if s.is_null() {
        return 0;
    }
    // SAFETY: the caller promises a live library string.
    unsafe { out_string_len(s) }
}
