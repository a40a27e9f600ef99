//! The conventions every entry point follows: the ABI version, the flag
//! bits, and the checks of `(ptr, len)` text, documents, flags and arrays.

use std::ffi::c_char;

use jingmin::{AnalyzeOptions, Engine, Error, Role};

use super::status::Failure;

/// The version of the C ABI. It changes whenever a declaration in
/// `jingmin.h` changes incompatibly; compare it with `jm_abi_version()` at run
/// time to detect a header/library mismatch. While it is 0 the shared
/// library's soname is `libjingmin.so.0`.
pub const JM_ABI_VERSION: u32 = 0;

/// Flag bit: leave personal data (phones, ID and bank card numbers) unmasked
/// in the JSON of `jm_analyze_json`. Accepted, without effect, by the
/// summary entry points.
pub const JM_FLAG_RAW: u32 = 1;

/// Flag bits 8..11 carry the sender's role code (`jm_role`): pass
/// `(uint32_t)role << JM_FLAG_ROLE_SHIFT`, or one of the `JM_FLAG_ROLE_*`
/// constants. 0 is `JM_ROLE_UNKNOWN`.
pub const JM_FLAG_ROLE_SHIFT: u32 = 8;

/// Mask of the role bits in `flags`.
pub const JM_FLAG_ROLE_MASK: u32 = 0xF00;

/// Flag value: the message was sent by a police officer (`JM_ROLE_POLICE`).
pub const JM_FLAG_ROLE_POLICE: u32 = 0x100;

/// Flag value: the message was sent by a resident (`JM_ROLE_RESIDENT`).
pub const JM_FLAG_ROLE_RESIDENT: u32 = 0x200;

/// Every flag bit the library knows; any other bit set is
/// `JM_ERR_INVALID_ARGUMENT` (they are reserved for later versions).
pub(crate) const KNOWN_FLAGS: u32 = JM_FLAG_RAW | JM_FLAG_ROLE_MASK;

/// `len` bytes at `ptr` as `&str`, checked: NULL (with `len > 0`), the
/// engine's size limit (before any byte is read), then UTF-8.
///
/// # Safety
/// When `ptr` is not NULL it must point to `len` readable bytes that stay
/// unchanged for `'a`.
pub(crate) unsafe fn text_arg<'a>(engine: &Engine, arg: &str, ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
    unsafe { text_arg_named(engine, || arg.to_owned(), ptr, len) }
}

/// [`text_arg`] with the argument's name made only for an error (a batch
/// names its items `texts[i]`).
///
/// # Safety
/// As [`text_arg`].
pub(crate) unsafe fn text_arg_named<'a>(
    engine: &Engine,
    arg: impl FnOnce() -> String,
    ptr: *const u8,
    len: usize,
) -> Result<&'a str, Failure> {
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(Failure::null(&arg()));
    }
    if let Err(e) = engine.check_len(len) {
        return Err(Failure::at(&arg(), e));
    }
    // SAFETY: non-NULL, `len` is at most the engine's limit (far below
    // isize::MAX) and the caller promises `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| Failure::at(&arg(), Error::InvalidUtf8 { offset: e.valid_up_to() }))
}

/// Bytes of a document (a lexicon) as `&str`: no size limit of the engine.
///
/// # Safety
/// As [`text_arg`].
pub(crate) unsafe fn document_arg<'a>(arg: &str, ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
    if len == 0 {
        return Ok("");
    }
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("{arg}: length {len} is larger than any object can be")));
    }
    // SAFETY: non-NULL, length bounded, caller promises `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| Failure::at(arg, Error::InvalidUtf8 { offset: e.valid_up_to() }))
}

/// Bytes of a document as a slice, unchecked for UTF-8 (a batch checks it
/// line by line, so that an error names the line).
///
/// # Safety
/// As [`text_arg`].
pub(crate) unsafe fn bytes_arg<'a>(arg: &str, ptr: *const u8, len: usize) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("{arg}: length {len} is larger than any object can be")));
    }
    // SAFETY: non-NULL, length bounded, caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The lines of a batch: ended by `\n`, `\r\n` or a lone `\r` (old Mac
/// line ends), as the command line reads them.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) => {
                let line = r.get(..i).unwrap_or(&[]);
                let skip = if r.get(i) == Some(&b'\r') && r.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                rest = Some(r.get(skip..).unwrap_or(&[]));
                Some(line)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The role in the role bits of `flags`, after rejecting unknown bits.
pub(crate) fn flags_arg(flags: u32) -> Result<AnalyzeOptions, Failure> {
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Failure::invalid(format!("flags: unknown bits 0x{:x}", flags & !KNOWN_FLAGS)));
    }
    let code = (flags & JM_FLAG_ROLE_MASK) >> JM_FLAG_ROLE_SHIFT;
    let role = Role::from_code(code)
        .ok_or_else(|| Failure::invalid(format!("flags: unknown role code {code} in the role bits")))?;
    Ok(AnalyzeOptions { role, raw: flags & JM_FLAG_RAW != 0 })
}

/// Check that a caller's array pointer is non-NULL (unless `n == 0`),
/// aligned, and that `n` elements fit in memory.
pub(crate) fn array_arg<T>(arg: &str, ptr: *const T, n: usize) -> Result<(), Failure> {
    if n == 0 {
        return Ok(());
    }
    if ptr.is_null() {
        return Err(Failure::null(arg));
    }
    if (ptr as usize) % std::mem::align_of::<T>() != 0 {
        return Err(Failure::invalid(format!("{arg}: pointer is not aligned for its element type")));
    }
    if n > (isize::MAX as usize) / std::mem::size_of::<T>().max(1) {
        return Err(Failure::invalid(format!("{arg}: {n} elements are more than any array can hold")));
    }
    Ok(())
}

/// Store `value` in `*out` if `out` is not NULL.
///
/// # Safety
/// `out` is NULL or valid for writes.
pub(crate) unsafe fn store<T>(out: *mut T, value: T) {
    if let Some(slot) = unsafe { out.as_mut() } {
        *slot = value;
    }
}

// ---------------------------------------------------------------------------
// Versions and errors.

/// The library's version, e.g. `"0.1.0"`.
///
/// Returns a static NUL-terminated string: never NULL, never to be freed.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn jm_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

/// The ABI version of the loaded library; equal to `JM_ABI_VERSION` of the
/// header it was built with. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_abi_version() -> u32 {
    JM_ABI_VERSION
}
