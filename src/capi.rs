//! The C layer: the stable C ABI declared in `include/jingmin.h`.
//!
//! Rust users do not need this module; it is public only so that its
//! functions can be called from Rust tests exactly as C calls them. Every
//! item here is a thin wrapper over the native API ([`crate::Engine`]): it
//! checks its arguments, converts `(ptr, len)` UTF-8 into `&str`, calls the
//! engine, copies the answer out, and turns every failure — including a Rust
//! panic — into a [`jm_status`] plus a thread-local message read with
//! [`jm_last_error`]. There is no analysis logic here.
//!
//! The header is generated from this file by cbindgen
//! (`cbindgen --config cbindgen.toml --output include/jingmin.h src/capi.rs`);
//! `scripts/test-c.sh` fails when regenerating it would change it.
//!
//! Conventions of the ABI:
//! - Text is `(const uint8_t *ptr, size_t len)` UTF-8, not NUL-terminated.
//!   `len == 0` is a valid empty message and `ptr` may then be NULL.
//! - Every other pointer argument is checked for NULL
//!   ([`jm_status::JM_ERR_NULL_ARGUMENT`]).
//! - Strings returned by the library (`char **out`) are NUL-terminated UTF-8
//!   owned by the caller, freed with [`jm_string_free`] and never with
//!   `free()`.
//! - Codes (`category`, `fraud_type`, `stance`, entity kinds, roles) are the
//!   numbers of the taxonomy; inputs are taken as `uint32_t` and validated,
//!   never as C enums.
//!
//! ```
//! use jingmin::capi::*;
//! use std::ptr;
//!
//! let mut engine = ptr::null_mut();
//! assert_eq!(unsafe { jm_engine_new_default(&mut engine) }, jm_status::JM_OK);
//! let text = "收到，谢谢警官";
//! let mut summary = jm_summary::default();
//! let status = unsafe { jm_analyze(engine, text.as_ptr(), text.len(), &mut summary) };
//! assert_eq!(status, jm_status::JM_OK);
//! let bad = [0x61u8, 0xff];
//! let status = unsafe { jm_analyze(engine, bad.as_ptr(), bad.len(), &mut summary) };
//! assert_eq!(status, jm_status::JM_ERR_INVALID_UTF8);
//! let message = unsafe { std::ffi::CStr::from_ptr(jm_last_error()) };
//! assert!(message.to_str().unwrap().contains("byte offset 1"));
//! unsafe { jm_engine_free(engine) };
//! ```
#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use once_cell::sync::Lazy;

use crate::aggregate::{Added, Aggregator, RejectReason};
use crate::engine::{AnalyzeOptions, Engine};
use crate::error::Error;
use crate::message::Message;
use crate::types::{Category, EntityKind, FraudType, Role, Stance};

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
const KNOWN_FLAGS: u32 = JM_FLAG_RAW | JM_FLAG_ROLE_MASK;

/// The status every fallible entry point returns. `JM_OK` is 0; on any
/// other value `jm_last_error()` describes the failure.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum jm_status {
    /// Success.
    JM_OK = 0,
    /// A required pointer argument was NULL.
    JM_ERR_NULL_ARGUMENT = 1,
    /// Text was not valid UTF-8; the message gives the byte offset of the
    /// first invalid sequence.
    JM_ERR_INVALID_UTF8 = 2,
    /// A JSON document could not be parsed.
    JM_ERR_INVALID_JSON = 3,
    /// A lexicon is malformed (bad entry, unknown type, empty pattern…).
    JM_ERR_INVALID_LEXICON = 4,
    /// A snapshot could not be restored.
    JM_ERR_INVALID_SNAPSHOT = 5,
    /// The input is larger than the engine's maximum message size
    /// (`jm_engine_max_message_bytes`).
    JM_ERR_TOO_LARGE = 6,
    /// Reading or writing a file failed.
    JM_ERR_IO = 7,
    /// An internal error (a Rust panic) was caught at the boundary; the
    /// host process is unaffected and the engine stays usable.
    JM_ERR_PANIC = 8,
    /// A timestamp could not be read.
    JM_ERR_INVALID_TIME = 9,
    /// An argument is out of range: unknown flag bits, an unknown role code,
    /// a misaligned or oversized array.
    JM_ERR_INVALID_ARGUMENT = 10,
    /// A configuration (JSON) is malformed, or two aggregators with
    /// different configurations were merged.
    JM_ERR_INVALID_CONFIG = 11,
}

/// Work categories (taxonomy §1). `jm_summary.category` holds one of these
/// codes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_category {
    /// `other` (其他).
    JM_CATEGORY_OTHER = 0,
    /// `legal_publicity` (法治宣传).
    JM_CATEGORY_LEGAL_PUBLICITY = 1,
    /// `reminder` (提醒告知).
    JM_CATEGORY_REMINDER = 2,
    /// `dispute` (化解矛盾).
    JM_CATEGORY_DISPUTE = 3,
    /// `safety` (安全防范).
    JM_CATEGORY_SAFETY = 4,
    /// `service` (便民服务).
    JM_CATEGORY_SERVICE = 5,
    /// `anomaly` (异常报告).
    JM_CATEGORY_ANOMALY = 6,
    /// `praise` (弘扬正气).
    JM_CATEGORY_PRAISE = 7,
}

/// Fraud types (taxonomy §2). `jm_summary.fraud_type` holds one of these
/// codes; `JM_FRAUD_TYPE_NONE` when the message has no fraud content.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_fraud_type {
    /// `none` (无).
    JM_FRAUD_TYPE_NONE = 0,
    /// `task_rebate` (刷单返利).
    JM_FRAUD_TYPE_TASK_REBATE = 1,
    /// `investment` (虚假投资理财).
    JM_FRAUD_TYPE_INVESTMENT = 2,
    /// `fake_loan` (虚假网络贷款).
    JM_FRAUD_TYPE_FAKE_LOAN = 3,
    /// `fake_customer_service` (冒充电商物流客服).
    JM_FRAUD_TYPE_FAKE_CUSTOMER_SERVICE = 4,
    /// `impersonate_authority` (冒充公检法).
    JM_FRAUD_TYPE_IMPERSONATE_AUTHORITY = 5,
    /// `credit_repair` (虚假征信).
    JM_FRAUD_TYPE_CREDIT_REPAIR = 6,
    /// `fake_shopping` (虚假购物服务).
    JM_FRAUD_TYPE_FAKE_SHOPPING = 7,
    /// `impersonate_acquaintance` (冒充领导熟人).
    JM_FRAUD_TYPE_IMPERSONATE_ACQUAINTANCE = 8,
    /// `game_trade` (网络游戏虚假交易).
    JM_FRAUD_TYPE_GAME_TRADE = 9,
    /// `romance` (网络婚恋交友).
    JM_FRAUD_TYPE_ROMANCE = 10,
    /// `card_trafficking` (帮信/出租出售两卡).
    JM_FRAUD_TYPE_CARD_TRAFFICKING = 11,
    /// `predatory_loan` (套路贷).
    JM_FRAUD_TYPE_PREDATORY_LOAN = 12,
    /// `illegal_fundraising` (非法集资).
    JM_FRAUD_TYPE_ILLEGAL_FUNDRAISING = 13,
    /// `fake_prize` (虚假中奖).
    JM_FRAUD_TYPE_FAKE_PRIZE = 14,
    /// `insurance_benefit` (冒充医保社保).
    JM_FRAUD_TYPE_INSURANCE_BENEFIT = 15,
    /// `impersonate_military` (冒充军警购物).
    JM_FRAUD_TYPE_IMPERSONATE_MILITARY = 16,
    /// `sextortion` (裸聊敲诈).
    JM_FRAUD_TYPE_SEXTORTION = 17,
    /// `generic` (泛诈骗).
    JM_FRAUD_TYPE_GENERIC = 99,
}

/// Stances (taxonomy §2). `jm_summary.stance` holds one of these codes.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_stance {
    /// `none` (无): no fraud content.
    JM_STANCE_NONE = 0,
    /// `warning` (预警宣传).
    JM_STANCE_WARNING = 1,
    /// `inquiry` (求证咨询).
    JM_STANCE_INQUIRY = 2,
    /// `solicitation` (诈骗引流).
    JM_STANCE_SOLICITATION = 3,
    /// `victim_report` (受害报告).
    JM_STANCE_VICTIM_REPORT = 4,
}

/// Entity kinds (taxonomy §3), as named by `jm_entity_kind_name`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_entity_kind {
    /// `phone` (电话).
    JM_ENTITY_KIND_PHONE = 1,
    /// `url` (网址).
    JM_ENTITY_KIND_URL = 2,
    /// `id_card` (身份证号).
    JM_ENTITY_KIND_ID_CARD = 3,
    /// `bank_card` (银行卡号).
    JM_ENTITY_KIND_BANK_CARD = 4,
    /// `money` (金额).
    JM_ENTITY_KIND_MONEY = 5,
    /// `wechat_id` (微信号).
    JM_ENTITY_KIND_WECHAT_ID = 6,
    /// `qq_number` (QQ号).
    JM_ENTITY_KIND_QQ_NUMBER = 7,
    /// `license_plate` (车牌).
    JM_ENTITY_KIND_LICENSE_PLATE = 8,
}

/// Sender roles (taxonomy §4), passed in the role bits of `flags` or in the
/// `roles` array of `jm_analyze_batch_ex`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_role {
    /// `unknown` (未知).
    JM_ROLE_UNKNOWN = 0,
    /// `police` (民警).
    JM_ROLE_POLICE = 1,
    /// `resident` (群众).
    JM_ROLE_RESIDENT = 2,
}

/// An analysis engine: an opaque handle made by `jm_engine_new_default` or
/// `jm_engine_new_from_lexicon` and released by `jm_engine_free`.
///
/// Thread-safety: an engine is immutable. One engine may be used by any
/// number of threads at the same time through `const jm_engine *`; only
/// `jm_engine_free` needs exclusive access (no call may be running on it or
/// start after it).
pub struct jm_engine {
    engine: Engine,
}

/// The fixed-size digest of one analysis. Plain data: the library never
/// allocates for it, the caller owns the storage.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct jm_summary {
    /// The primary work category, a `jm_category` code.
    pub category: u32,
    /// Confidence in `category`, from 0 to 1.
    pub confidence: f32,
    /// The primary fraud type, a `jm_fraud_type` code;
    /// `JM_FRAUD_TYPE_NONE` (0) when there is none.
    pub fraud_type: u32,
    /// The stance, a `jm_stance` code.
    pub stance: u32,
    /// Risk, from 0 to 100.
    pub risk: u32,
    /// Number of fraud keyword hits.
    pub hit_count: u32,
    /// Number of entities.
    pub entity_count: u32,
}

/// One message of a batch: `len` bytes of UTF-8 at `ptr` (not
/// NUL-terminated; `ptr` may be NULL when `len` is 0). The library only
/// reads it during the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct jm_text {
    /// The text's bytes.
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

impl From<crate::analysis::Summary> for jm_summary {
    fn from(s: crate::analysis::Summary) -> Self {
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
}

// ---------------------------------------------------------------------------
// Failures, the panic guard and the thread-local last error.

/// A failure on its way to the C caller: the status and a message saying
/// what went wrong and where (never the message text itself).
struct Failure {
    status: jm_status,
    message: String,
}

impl Failure {
    fn new(status: jm_status, message: impl Into<String>) -> Self {
        Failure { status, message: message.into() }
    }

    fn null(arg: &str) -> Self {
        Failure::new(jm_status::JM_ERR_NULL_ARGUMENT, format!("{arg} is NULL"))
    }

    fn invalid(message: impl Into<String>) -> Self {
        Failure::new(jm_status::JM_ERR_INVALID_ARGUMENT, message)
    }

    /// A failure of the native API, located at argument `arg`.
    fn at(arg: &str, error: Error) -> Self {
        Failure { status: status_of(&error), message: format!("{arg}: {error}") }
    }
}

/// The status of each error of the native API; distinct per variant.
fn status_of(error: &Error) -> jm_status {
    match error {
        Error::Lexicon(_) => jm_status::JM_ERR_INVALID_LEXICON,
        Error::Json(_) => jm_status::JM_ERR_INVALID_JSON,
        Error::TooLarge { .. } => jm_status::JM_ERR_TOO_LARGE,
        Error::InvalidUtf8 { .. } => jm_status::JM_ERR_INVALID_UTF8,
        Error::Snapshot(_) => jm_status::JM_ERR_INVALID_SNAPSHOT,
        Error::Time(_) => jm_status::JM_ERR_INVALID_TIME,
        Error::Io(_) => jm_status::JM_ERR_IO,
        Error::Config(_) => jm_status::JM_ERR_INVALID_CONFIG,
        // Export readers are not reached through the C layer; should they
        // be, a file that cannot be read is an I/O failure.
        Error::UnknownFormat { .. } | Error::Ingest(_) => jm_status::JM_ERR_IO,
    }
}

thread_local! {
    /// The calling thread's last failure message, NUL-terminated.
    static LAST_ERROR: RefCell<Vec<u8>> = RefCell::new(vec![0]);
}

/// Store `message` as the thread's last error. Interior NULs (impossible in
/// the library's own messages, but cheap to rule out) become `?`.
fn set_last_error(message: &str) {
    let mut bytes: Vec<u8> = message.bytes().map(|b| if b == 0 { b'?' } else { b }).collect();
    bytes.push(0);
    // `try_with`: during thread teardown the slot may already be gone.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = bytes;
        }
    });
}

/// Run the body of entry point `function`, turning an error or a panic into
/// a status and the thread's last error.
fn guard<F>(function: &str, body: F) -> jm_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => jm_status::JM_OK,
        Ok(Err(failure)) => {
            set_last_error(&format!("{function}: {}", failure.message));
            failure.status
        }
        Err(payload) => {
            // The payload may quote input text: it is dropped, not reported.
            // Dropping it must not unwind out of here either.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            set_last_error(&format!(
                "{function}: internal error (a Rust panic was caught at the C boundary); \
                 the engine is still usable, please report this"
            ));
            jm_status::JM_ERR_PANIC
        }
    }
}

/// `len` bytes at `ptr` as `&str`, checked: NULL (with `len > 0`), the
/// engine's size limit (before any byte is read), then UTF-8.
///
/// # Safety
/// When `ptr` is not NULL it must point to `len` readable bytes that stay
/// unchanged for `'a`.
unsafe fn text_arg<'a>(engine: &Engine, arg: &str, ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
    unsafe { text_arg_named(engine, || arg.to_owned(), ptr, len) }
}

/// [`text_arg`] with the argument's name made only for an error (a batch
/// names its items `texts[i]`).
///
/// # Safety
/// As [`text_arg`].
unsafe fn text_arg_named<'a>(
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
unsafe fn document_arg<'a>(arg: &str, ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
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

/// The engine behind a `const jm_engine *`.
///
/// # Safety
/// `engine` is NULL or a live handle from a `jm_engine_new_*` function.
unsafe fn engine_arg<'a>(engine: *const jm_engine) -> Result<&'a Engine, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    match unsafe { engine.as_ref() } {
        Some(e) => Ok(&e.engine),
        None => Err(Failure::null("engine")),
    }
}

/// The role in the role bits of `flags`, after rejecting unknown bits.
fn flags_arg(flags: u32) -> Result<AnalyzeOptions, Failure> {
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
fn array_arg<T>(arg: &str, ptr: *const T, n: usize) -> Result<(), Failure> {
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

// ---------------------------------------------------------------------------
// Strings handed to the caller.
//
// Each is one allocation: a `usize` byte length, the bytes, a NUL. The
// pointer given out points at the bytes; `jm_string_free` reads the length
// back to release exactly what was allocated, so strings may even contain
// NUL bytes (a masked text whose input had them) and `jm_string_len`
// reports their full length.

const LEN_HEADER: usize = std::mem::size_of::<usize>();

/// A buffer that becomes a library string; starts with room for the header.
struct OutString(Vec<u8>);

impl OutString {
    fn with_capacity(bytes: usize) -> Self {
        let mut v = Vec::with_capacity(LEN_HEADER.saturating_add(bytes).saturating_add(1));
        v.extend_from_slice(&[0u8; LEN_HEADER]);
        OutString(v)
    }

    fn from_str(s: &str) -> Self {
        let mut out = OutString::with_capacity(s.len());
        out.0.extend_from_slice(s.as_bytes());
        out
    }

    /// Give the string to the caller.
    fn into_raw(self) -> *mut c_char {
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
unsafe fn out_string_len(s: *const c_char) -> usize {
    // SAFETY: the header sits LEN_HEADER bytes before `s` in the same
    // allocation; it may be unaligned.
    unsafe {
        let base = (s as *const u8).sub(LEN_HEADER);
        usize::from_ne_bytes(ptr::read_unaligned(base as *const [u8; LEN_HEADER]))
    }
}

/// Store `value` in `*out` if `out` is not NULL.
///
/// # Safety
/// `out` is NULL or valid for writes.
unsafe fn store<T>(out: *mut T, value: T) {
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

/// A message about the last failure on the calling thread: which function,
/// which argument, what went wrong and where (for invalid UTF-8, the byte
/// offset). Never quotes the text being analysed.
///
/// Returns a NUL-terminated string owned by the library: never NULL (empty
/// when nothing failed yet on this thread), never to be freed, valid until
/// the calling thread's next call of a function that returns a `jm_status`
/// (copy it if you need it longer). Successful calls do not clear it. Each
/// thread has its own message.
#[no_mangle]
pub extern "C" fn jm_last_error() -> *const c_char {
    static EMPTY: [u8; 1] = [0];
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(bytes) => bytes.as_ptr() as *const c_char,
            Err(_) => EMPTY.as_ptr() as *const c_char,
        })
        .unwrap_or(EMPTY.as_ptr() as *const c_char)
}

// ---------------------------------------------------------------------------
// Engines.

/// Build an engine with the built-in default lexicon and store it in `*out`.
///
/// Ownership: on `JM_OK` the caller owns `*out` and releases it with
/// `jm_engine_free`; on failure `*out` is set to NULL.
/// NULL: `out` NULL is `JM_ERR_NULL_ARGUMENT`.
/// Thread-safe; the engine may then be shared by any number of threads.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_engine_new_default(out: *mut *mut jm_engine) -> jm_status {
    guard("jm_engine_new_default", || {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = ptr::null_mut() };
        let engine = Box::new(jm_engine { engine: Engine::default() });
        unsafe { *out = Box::into_raw(engine) };
        Ok(())
    })
}

/// Build an engine from a lexicon (JSON, `len` bytes of UTF-8 at `json`)
/// and store it in `*out`. With `layer_over_default` non-zero the lexicon is
/// layered over the built-in one (its entries add to, override or disable
/// the defaults); with 0 it is the whole lexicon.
///
/// Errors: `JM_ERR_INVALID_UTF8` (byte offset in the message),
/// `JM_ERR_INVALID_JSON` or `JM_ERR_INVALID_LEXICON` (what and where).
/// Ownership: on `JM_OK` the caller owns `*out` (release with
/// `jm_engine_free`); on failure `*out` is set to NULL. The library does not
/// keep `json`.
/// NULL: `out` NULL, or `json` NULL with `len > 0`, is
/// `JM_ERR_NULL_ARGUMENT`.
/// Thread-safe.
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `out` is NULL or valid
/// for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_engine_new_from_lexicon(
    json: *const u8,
    len: usize,
    layer_over_default: c_int,
    out: *mut *mut jm_engine,
) -> jm_status {
    guard("jm_engine_new_from_lexicon", || {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = ptr::null_mut() };
        let json = unsafe { document_arg("json", json, len) }?;
        let mut builder = Engine::builder();
        if layer_over_default == 0 {
            builder = builder.without_default_lexicon();
        }
        let engine = builder
            .lexicon_json(json)
            .and_then(|b| b.build())
            .map_err(|e| Failure::at("json", e))?;
        unsafe { *out = Box::into_raw(Box::new(jm_engine { engine })) };
        Ok(())
    })
}

/// Release an engine. NULL is a no-op.
///
/// Thread-safety: no other call may be using `engine` or start using it
/// after this; freeing the same engine twice is undefined behaviour.
///
/// # Safety
/// `engine` is NULL or a handle from a `jm_engine_new_*` function not yet
/// freed.
#[no_mangle]
pub unsafe extern "C" fn jm_engine_free(engine: *mut jm_engine) {
    if engine.is_null() {
        return;
    }
    // Nothing is returned, so a panic (impossible in practice) is dropped.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller gives back a handle from Box::into_raw.
        drop(unsafe { Box::from_raw(engine) });
    }));
}

/// The largest text, in bytes, that `engine` analyses; longer texts get
/// `JM_ERR_TOO_LARGE`. Returns 0 when `engine` is NULL. Thread-safe.
///
/// # Safety
/// `engine` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn jm_engine_max_message_bytes(engine: *const jm_engine) -> usize {
    // SAFETY: the caller promises a live handle or NULL.
    match unsafe { engine.as_ref() } {
        Some(e) => e.engine.max_message_bytes(),
        None => 0,
    }
}

// ---------------------------------------------------------------------------
// Analysis.

/// Analyse one message (`len` bytes of UTF-8 at `text`, sender role
/// unknown) and write its digest to `*out`. No allocation is handed out.
///
/// Same as `jm_analyze_ex` with `flags` 0.
///
/// # Safety
/// As `jm_analyze_ex`.
#[no_mangle]
pub unsafe extern "C" fn jm_analyze(
    engine: *const jm_engine,
    text: *const u8,
    len: usize,
    out: *mut jm_summary,
) -> jm_status {
    guard("jm_analyze", || unsafe { analyze_summary(engine, text, len, 0, out) })
}

/// Analyse one message and write its digest to `*out`, with `flags`: the
/// sender's role in the role bits (`JM_FLAG_ROLE_POLICE`,
/// `JM_FLAG_ROLE_RESIDENT`, or `role << JM_FLAG_ROLE_SHIFT`); `JM_FLAG_RAW`
/// is accepted and has no effect on a summary.
///
/// `len == 0` is a valid empty message (then `text` may be NULL).
/// Errors: `JM_ERR_NULL_ARGUMENT` (`engine`, `out`, or `text` with
/// `len > 0`), `JM_ERR_TOO_LARGE` (checked before reading `text`),
/// `JM_ERR_INVALID_UTF8` (byte offset in `jm_last_error()`),
/// `JM_ERR_INVALID_ARGUMENT` (unknown flag bits or role code).
/// Ownership: `*out` is caller storage, written only on `JM_OK`. `text` is
/// only read during the call.
/// Thread-safe: any number of threads may analyse with one engine.
///
/// # Safety
/// `engine` is NULL or a live handle; `text` is NULL or points to `len`
/// readable bytes; `out` is NULL or valid for writing one `jm_summary`.
#[no_mangle]
pub unsafe extern "C" fn jm_analyze_ex(
    engine: *const jm_engine,
    text: *const u8,
    len: usize,
    flags: u32,
    out: *mut jm_summary,
) -> jm_status {
    guard("jm_analyze_ex", || unsafe { analyze_summary(engine, text, len, flags, out) })
}

/// The body of `jm_analyze` and `jm_analyze_ex`.
unsafe fn analyze_summary(
    engine: *const jm_engine,
    text: *const u8,
    len: usize,
    flags: u32,
    out: *mut jm_summary,
) -> Result<(), Failure> {
    let engine = unsafe { engine_arg(engine) }?;
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    let options = flags_arg(flags)?;
    let text = unsafe { text_arg(engine, "text", text, len) }?;
    let summary = jm_summary::from(engine.summarize_with(text, options.role));
    unsafe { store(out, summary) };
    Ok(())
}

/// The full analysis of one message as JSON (taxonomy §5), stored as a new
/// NUL-terminated UTF-8 string in `*out_json`.
///
/// `flags`: `JM_FLAG_RAW` leaves personal data in `entities[].text`
/// unmasked; the role bits give the sender's role (see `jm_analyze_ex`).
/// `len == 0` is a valid empty message (then `text` may be NULL).
/// Errors: as `jm_analyze_ex`.
/// Ownership: on `JM_OK` the caller owns `*out_json` and frees it with
/// `jm_string_free` (never `free()`); on failure `*out_json` is set to NULL.
/// Thread-safe: any number of threads may analyse with one engine.
///
/// # Safety
/// `engine` is NULL or a live handle; `text` is NULL or points to `len`
/// readable bytes; `out_json` is NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_analyze_json(
    engine: *const jm_engine,
    text: *const u8,
    len: usize,
    flags: u32,
    out_json: *mut *mut c_char,
) -> jm_status {
    guard("jm_analyze_json", || {
        if out_json.is_null() {
            return Err(Failure::null("out_json"));
        }
        unsafe { *out_json = ptr::null_mut() };
        let engine = unsafe { engine_arg(engine) }?;
        let options = flags_arg(flags)?;
        let text = unsafe { text_arg(engine, "text", text, len) }?;
        let analysis = engine.analyze_with(text, &options);
        let mut json = OutString::with_capacity(256);
        serde_json::to_writer(&mut json, &analysis)
            .map_err(|e| Failure::new(jm_status::JM_ERR_INVALID_JSON, format!("serialising the analysis: {e}")))?;
        unsafe { *out_json = json.into_raw() };
        Ok(())
    })
}

/// Analyse `n` messages in one call, writing the digest of `texts[i]` to
/// `out[i]`, sender role unknown. Same as `jm_analyze_batch_ex` with `roles`
/// NULL and `flags` 0.
///
/// # Safety
/// As `jm_analyze_batch_ex`.
#[no_mangle]
pub unsafe extern "C" fn jm_analyze_batch(
    engine: *const jm_engine,
    texts: *const jm_text,
    n: usize,
    out: *mut jm_summary,
) -> jm_status {
    guard("jm_analyze_batch", || unsafe { analyze_batch(engine, texts, ptr::null(), n, 0, out) })
}

/// Analyse `n` messages in one call, writing the digest of `texts[i]` to
/// `out[i]`: the same results as `n` calls of `jm_analyze_ex`, without the
/// per-message crossing.
///
/// `roles` is NULL (every message has the role in `flags`' role bits) or an
/// array of `n` `jm_role` codes, one per message, which then take the place
/// of the role bits. `n == 0` is a no-op (then `texts` and `out` may be
/// NULL).
/// Errors: as `jm_analyze_ex`, for the first failing message; the message
/// names its index (`texts[17]: invalid UTF-8 at byte offset 3`). On failure
/// the contents of `out` are unspecified.
/// Ownership: `texts`, the bytes they point to and `roles` are only read
/// during the call; `out` is caller storage for `n` summaries.
/// Thread-safe: any number of threads may analyse with one engine.
///
/// # Safety
/// `engine` is NULL or a live handle; `texts` is NULL or points to `n`
/// readable `jm_text`, each NULL or pointing to `len` readable bytes;
/// `roles` is NULL or points to `n` readable `uint32_t`; `out` is NULL or
/// valid for writing `n` `jm_summary`, not overlapping the inputs.
#[no_mangle]
pub unsafe extern "C" fn jm_analyze_batch_ex(
    engine: *const jm_engine,
    texts: *const jm_text,
    roles: *const u32,
    n: usize,
    flags: u32,
    out: *mut jm_summary,
) -> jm_status {
    guard("jm_analyze_batch_ex", || unsafe { analyze_batch(engine, texts, roles, n, flags, out) })
}

/// The body of `jm_analyze_batch` and `jm_analyze_batch_ex`.
unsafe fn analyze_batch(
    engine: *const jm_engine,
    texts: *const jm_text,
    roles: *const u32,
    n: usize,
    flags: u32,
    out: *mut jm_summary,
) -> Result<(), Failure> {
    let engine = unsafe { engine_arg(engine) }?;
    let options = flags_arg(flags)?;
    array_arg("texts", texts, n)?;
    array_arg("out", out as *const jm_summary, n)?;
    if !roles.is_null() {
        array_arg("roles", roles, n)?;
    }
    if n == 0 {
        return Ok(());
    }
    // SAFETY: non-NULL, aligned, size bounded; the caller promises `n`
    // elements, and `out` not overlapping the inputs.
    let texts = unsafe { std::slice::from_raw_parts(texts, n) };
    let out = unsafe { std::slice::from_raw_parts_mut(out, n) };
    let roles = if roles.is_null() { None } else { Some(unsafe { std::slice::from_raw_parts(roles, n) }) };
    for (i, (t, slot)) in texts.iter().zip(out.iter_mut()).enumerate() {
        let role = match roles.and_then(|r| r.get(i)) {
            Some(&code) => Role::from_code(code)
                .ok_or_else(|| Failure::invalid(format!("roles[{i}]: unknown role code {code}")))?,
            None => options.role,
        };
        let text = unsafe { text_arg_named(engine, || format!("texts[{i}]"), t.ptr, t.len) }?;
        *slot = jm_summary::from(engine.summarize_with(text, role));
    }
    Ok(())
}

/// The text (`len` bytes of UTF-8 at `text`) with personal data (phones, ID
/// and bank card numbers) masked, stored as a new NUL-terminated UTF-8
/// string in `*out`. If the input contains NUL bytes so does the output:
/// `jm_string_len` gives its full length.
///
/// `len == 0` is a valid empty text (then `text` may be NULL).
/// Errors: as `jm_analyze_ex` (no flags).
/// Ownership: on `JM_OK` the caller owns `*out` and frees it with
/// `jm_string_free`; on failure `*out` is set to NULL.
/// Thread-safe: any number of threads may mask with one engine.
///
/// # Safety
/// `engine` is NULL or a live handle; `text` is NULL or points to `len`
/// readable bytes; `out` is NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_mask(
    engine: *const jm_engine,
    text: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> jm_status {
    guard("jm_mask", || {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        unsafe { *out = ptr::null_mut() };
        let engine = unsafe { engine_arg(engine) }?;
        let text = unsafe { text_arg(engine, "text", text, len) }?;
        let masked = engine.mask(text);
        unsafe { *out = OutString::from_str(&masked).into_raw() };
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// Aggregators.

/// A case-statistic aggregator: an opaque handle made by
/// `jm_aggregator_new`, `jm_aggregator_new_with_config` or
/// `jm_aggregator_restore` and released by `jm_aggregator_free`. It counts
/// messages by category, role, group and day, fraud by type and stance, and
/// cases with their first-response times; feeding order does not matter,
/// copies of a message count once, and partial aggregators merge exactly
/// (`docs/report-schema.md`).
///
/// Thread-safety: an aggregator does not lock itself. Calls that take a
/// `jm_aggregator *` (`jm_aggregator_add_json*`, `jm_aggregator_add_jsonl`,
/// the `into` of `jm_aggregator_merge`, `jm_aggregator_free`) need exclusive
/// access: the caller serialises them with every other call on the same
/// aggregator. Calls that take a `const jm_aggregator *`
/// (`jm_aggregator_snapshot`, `jm_aggregator_report_json`, the `from` of
/// `jm_aggregator_merge`) only read it and may run on several threads at
/// once, as long as no exclusive call runs on it meanwhile. Different
/// aggregators are independent: each thread may feed its own and merge
/// them at the end.
pub struct jm_aggregator {
    aggregator: Aggregator,
}

/// What `jm_aggregator_add_json_ex` did with one message, written to its
/// `outcome` as a `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum jm_added {
    /// A message not seen before, counted.
    JM_ADDED_NEW = 0,
    /// A copy of a message already counted: only `messages.duplicates` grew.
    JM_ADDED_DUPLICATE = 1,
    /// A message not seen before, counted under `messages.rejected`: it has
    /// no `group`.
    JM_ADDED_REJECTED_MISSING_GROUP = 2,
    /// Counted under `messages.rejected`: a group but no `time`.
    JM_ADDED_REJECTED_MISSING_TIME = 3,
    /// Counted under `messages.rejected`: a `time` that cannot be read.
    JM_ADDED_REJECTED_INVALID_TIME = 4,
}

impl From<Added> for jm_added {
    fn from(a: Added) -> Self {
        match a {
            Added::New => jm_added::JM_ADDED_NEW,
            Added::Duplicate => jm_added::JM_ADDED_DUPLICATE,
            Added::Rejected(RejectReason::MissingGroup) => jm_added::JM_ADDED_REJECTED_MISSING_GROUP,
            Added::Rejected(RejectReason::MissingTime) => jm_added::JM_ADDED_REJECTED_MISSING_TIME,
            Added::Rejected(RejectReason::InvalidTime) => jm_added::JM_ADDED_REJECTED_INVALID_TIME,
        }
    }
}

/// What `jm_aggregator_add_jsonl` did with a batch: every message of the
/// batch is in exactly one of the three counts. Plain data, caller's
/// storage.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct jm_add_counts {
    /// Messages not seen before and counted (`JM_ADDED_NEW`).
    pub added: usize,
    /// Copies of messages already counted (`JM_ADDED_DUPLICATE`), a copy
    /// inside the batch included.
    pub duplicates: usize,
    /// Messages not seen before, counted under `messages.rejected` (no
    /// group, no time, or an unreadable time).
    pub rejected: usize,
}

impl jm_add_counts {
    fn count(&mut self, added: Added) {
        let slot = match added {
            Added::New => &mut self.added,
            Added::Duplicate => &mut self.duplicates,
            Added::Rejected(_) => &mut self.rejected,
        };
        *slot = slot.saturating_add(1);
    }
}

/// The aggregator behind a `const jm_aggregator *`.
///
/// # Safety
/// `agg` is NULL or a live handle, not being written during `'a`.
unsafe fn aggregator_arg<'a>(arg: &str, agg: *const jm_aggregator) -> Result<&'a Aggregator, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    match unsafe { agg.as_ref() } {
        Some(a) => Ok(&a.aggregator),
        None => Err(Failure::null(arg)),
    }
}

/// The aggregator behind a `jm_aggregator *`, for writing.
///
/// # Safety
/// `agg` is NULL or a live handle the caller has exclusive access to.
unsafe fn aggregator_mut<'a>(arg: &str, agg: *mut jm_aggregator) -> Result<&'a mut Aggregator, Failure> {
    // SAFETY: the caller promises a live handle or NULL, used by no one else.
    match unsafe { agg.as_mut() } {
        Some(a) => Ok(&mut a.aggregator),
        None => Err(Failure::null(arg)),
    }
}

/// Check `out` (a `jm_aggregator **`), reset it to NULL, build the
/// aggregator and hand it out.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
unsafe fn new_aggregator<F>(out: *mut *mut jm_aggregator, build: F) -> Result<(), Failure>
where
    F: FnOnce() -> Result<Aggregator, Failure>,
{
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    // SAFETY: checked non-NULL; the caller promises it is writable.
    unsafe { *out = ptr::null_mut() };
    let aggregator = build()?;
    unsafe { *out = Box::into_raw(Box::new(jm_aggregator { aggregator })) };
    Ok(())
}

/// Check `out` (a `char **`), reset it to NULL, and store the string `make`
/// writes.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
unsafe fn out_string<F>(out: *mut *mut c_char, make: F) -> Result<(), Failure>
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

/// A serde_json error on a JSON Lines line, described without echoing the
/// input.
fn jsonl_error(line: usize, e: &serde_json::Error) -> Failure {
    let what = match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "not a taxonomy §4 message (a field is missing or has the wrong type)",
        serde_json::error::Category::Eof => "unexpected end of the line",
    };
    Failure::new(jm_status::JM_ERR_INVALID_JSON, format!("jsonl: line {line}, column {}: {what}", e.column()))
}

/// Make an empty aggregator with the default configuration (China Standard
/// Time, 24-hour answer window) and store it in `*out`.
///
/// Ownership: on `JM_OK` the caller owns `*out` and releases it with
/// `jm_aggregator_free`; on failure `*out` is set to NULL.
/// NULL: `out` NULL is `JM_ERR_NULL_ARGUMENT`.
/// Thread-safe (it touches no other handle).
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_new(out: *mut *mut jm_aggregator) -> jm_status {
    guard("jm_aggregator_new", || unsafe { new_aggregator(out, || Ok(Aggregator::default())) })
}

/// Make an empty aggregator configured by JSON (`len` bytes of UTF-8 at
/// `json`), e.g. `{"utc_offset_seconds": 0, "answer_window_seconds": 3600}`;
/// missing fields take their defaults, unknown fields are refused
/// (`docs/report-schema.md`, Configuration). Store it in `*out`.
///
/// Errors: `JM_ERR_INVALID_UTF8`, `JM_ERR_INVALID_CONFIG` (not JSON, an
/// unknown field, a value out of range; the message names the field).
/// Ownership: on `JM_OK` the caller owns `*out` (release with
/// `jm_aggregator_free`); on failure `*out` is set to NULL. The library does
/// not keep `json`.
/// NULL: `out` NULL, or `json` NULL with `len > 0`, is
/// `JM_ERR_NULL_ARGUMENT`.
/// Thread-safe.
///
/// # Safety
/// `json` is NULL or points to `len` readable bytes; `out` is NULL or valid
/// for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_new_with_config(
    json: *const u8,
    len: usize,
    out: *mut *mut jm_aggregator,
) -> jm_status {
    guard("jm_aggregator_new_with_config", || unsafe {
        new_aggregator(out, || {
            let json = document_arg("json", json, len)?;
            Aggregator::from_config_json(json).map_err(|e| Failure::at("json", e))
        })
    })
}

/// Release an aggregator. NULL is a no-op.
///
/// Thread-safety: exclusive; no other call may be using `agg` or start
/// using it after this. Freeing the same aggregator twice is undefined
/// behaviour.
///
/// # Safety
/// `agg` is NULL or a handle from `jm_aggregator_new*` or
/// `jm_aggregator_restore` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_free(agg: *mut jm_aggregator) {
    if agg.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller gives back a handle from Box::into_raw.
        drop(unsafe { Box::from_raw(agg) });
    }));
}

/// Read one taxonomy §4 message (a JSON object, `len` bytes of UTF-8 at
/// `message_json`: `text` required; `id`, `group`, `sender`, `role`, `time`
/// optional), analyse it with `engine` and count it. Same as
/// `jm_aggregator_add_json_ex` with `outcome` NULL.
///
/// # Safety
/// As `jm_aggregator_add_json_ex`.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_add_json(
    agg: *mut jm_aggregator,
    engine: *const jm_engine,
    message_json: *const u8,
    len: usize,
) -> jm_status {
    guard("jm_aggregator_add_json", || unsafe { add_json(agg, engine, message_json, len, ptr::null_mut()) })
}

/// Read one taxonomy §4 message (JSON, `len` bytes of UTF-8 at
/// `message_json`), analyse it with `engine` and count it; write what
/// happened to it, a `jm_added` code, to `*outcome` unless `outcome` is
/// NULL.
///
/// A message without `group` or a readable `time` is not an error: it is
/// counted under `messages.rejected` (`JM_ADDED_REJECTED_*`). A copy of a
/// message already counted is `JM_ADDED_DUPLICATE`.
/// Errors: `JM_ERR_NULL_ARGUMENT` (`agg`, `engine`, or `message_json` with
/// `len > 0`), `JM_ERR_TOO_LARGE` (`len` over the engine's maximum, checked
/// before reading), `JM_ERR_INVALID_UTF8`, `JM_ERR_INVALID_JSON` (not a JSON
/// object with a string `text`; the message gives line and column, never
/// the input). On failure nothing is counted and `*outcome` is untouched.
/// Ownership: `message_json` is only read during the call.
/// Thread-safety: exclusive on `agg` (see `jm_aggregator`); `engine` may be
/// shared with other threads.
///
/// # Safety
/// `agg` is NULL or a live handle no other thread is using; `engine` is
/// NULL or a live handle; `message_json` is NULL or points to `len` readable
/// bytes; `outcome` is NULL or valid for writing one `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_add_json_ex(
    agg: *mut jm_aggregator,
    engine: *const jm_engine,
    message_json: *const u8,
    len: usize,
    outcome: *mut u32,
) -> jm_status {
    guard("jm_aggregator_add_json_ex", || unsafe { add_json(agg, engine, message_json, len, outcome) })
}

/// The body of `jm_aggregator_add_json` and `jm_aggregator_add_json_ex`.
unsafe fn add_json(
    agg: *mut jm_aggregator,
    engine: *const jm_engine,
    message_json: *const u8,
    len: usize,
    outcome: *mut u32,
) -> Result<(), Failure> {
    let agg = unsafe { aggregator_mut("agg", agg) }?;
    let engine = unsafe { engine_arg(engine) }?;
    let json = unsafe { text_arg(engine, "message_json", message_json, len) }?;
    let added = agg.add_json(engine, json).map_err(|e| Failure::at("message_json", e))?;
    unsafe { store(outcome, jm_added::from(added) as u32) };
    Ok(())
}

/// Count a batch of messages given as JSON Lines (`len` bytes of UTF-8 at
/// `jsonl`: one taxonomy §4 message per line, as `jm_aggregator_add_json`
/// reads it; blank lines are skipped), each analysed with `engine`. Write
/// how many were new, duplicates and rejected to `*counts` unless `counts`
/// is NULL.
///
/// The whole batch is read before any message is counted: on failure
/// nothing of it is counted.
/// `len == 0` is an empty batch (then `jsonl` may be NULL).
/// Errors: `JM_ERR_NULL_ARGUMENT` (`agg`, `engine`, or `jsonl` with
/// `len > 0`), `JM_ERR_INVALID_UTF8` (byte offset in the buffer),
/// `JM_ERR_TOO_LARGE` (a line over the engine's maximum message size),
/// `JM_ERR_INVALID_JSON` (a line that is not a message; the message names
/// the line, counted from 1, and column). On failure `*counts` is untouched.
/// Ownership: `jsonl` is only read during the call; `counts` is caller
/// storage.
/// Thread-safety: exclusive on `agg` (see `jm_aggregator`); `engine` may be
/// shared with other threads.
///
/// # Safety
/// `agg` is NULL or a live handle no other thread is using; `engine` is
/// NULL or a live handle; `jsonl` is NULL or points to `len` readable bytes;
/// `counts` is NULL or valid for writing one `jm_add_counts`.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_add_jsonl(
    agg: *mut jm_aggregator,
    engine: *const jm_engine,
    jsonl: *const u8,
    len: usize,
    counts: *mut jm_add_counts,
) -> jm_status {
    guard("jm_aggregator_add_jsonl", || {
        let agg = unsafe { aggregator_mut("agg", agg) }?;
        let engine = unsafe { engine_arg(engine) }?;
        let text = unsafe { document_arg("jsonl", jsonl, len) }?;
        let mut messages = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let number = i.saturating_add(1);
            engine.check_len(line.len()).map_err(|e| Failure::at(&format!("jsonl: line {number}"), e))?;
            let message: Message = serde_json::from_str(line).map_err(|e| jsonl_error(number, &e))?;
            messages.push(message);
        }
        let mut tally = jm_add_counts::default();
        for message in &messages {
            tally.count(agg.add_with(engine, message));
        }
        unsafe { store(counts, tally) };
        Ok(())
    })
}

/// Add everything `from` counted to `into`: afterwards `into` reports as
/// one aggregator fed both inputs (a message in both counts once, its
/// copies add to `messages.duplicates`). Merging is associative and
/// commutative, so partial aggregators combine in any order or tree.
/// `from` is unchanged.
///
/// Errors: `JM_ERR_NULL_ARGUMENT`, `JM_ERR_INVALID_ARGUMENT` when `into` and
/// `from` are the same aggregator (merging one into itself is refused, not
/// undefined), `JM_ERR_INVALID_CONFIG` when the two were configured
/// differently. On failure `into` is unchanged.
/// Thread-safety: exclusive on `into`; `from` is only read, so other
/// threads may read it (snapshot, report, merge it elsewhere) at the same
/// time, but none may write it.
///
/// # Safety
/// `into` is NULL or a live handle no other thread is using; `from` is NULL
/// or a live handle no thread is writing.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_merge(into: *mut jm_aggregator, from: *const jm_aggregator) -> jm_status {
    guard("jm_aggregator_merge", || {
        if into.is_null() {
            return Err(Failure::null("into"));
        }
        if from.is_null() {
            return Err(Failure::null("from"));
        }
        // Checked before any reference is made: `&mut` and `&` to one
        // object would be undefined behaviour.
        if ptr::eq(into as *const jm_aggregator, from) {
            return Err(Failure::invalid("into and from are the same aggregator; merging one into itself is refused"));
        }
        let into = unsafe { aggregator_mut("into", into) }?;
        let from = unsafe { aggregator_arg("from", from) }?;
        into.merge(from).map_err(|e| Failure::at("from", e))
    })
}

/// The aggregator's whole state as a versioned JSON document
/// (`{"format":"jingmin-aggregator","version":1,…}`, with a checksum),
/// stored as a new NUL-terminated UTF-8 string in `*out`. Equal states give
/// byte-identical snapshots; `jm_aggregator_restore` reads it back.
///
/// Ownership: on `JM_OK` the caller owns `*out` and frees it with
/// `jm_string_free`; on failure `*out` is set to NULL.
/// NULL: `agg` or `out` NULL is `JM_ERR_NULL_ARGUMENT`.
/// Thread-safety: reads `agg` only; may run on several threads at once, not
/// during an exclusive call on `agg`.
///
/// # Safety
/// `agg` is NULL or a live handle no thread is writing; `out` is NULL or
/// valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_snapshot(agg: *const jm_aggregator, out: *mut *mut c_char) -> jm_status {
    guard("jm_aggregator_snapshot", || unsafe {
        out_string(out, || {
            let agg = aggregator_arg("agg", agg)?;
            Ok(OutString::from_str(&agg.snapshot()))
        })
    })
}

/// An aggregator from a snapshot (`len` bytes of UTF-8 at `snapshot`, as
/// `jm_aggregator_snapshot` wrote it), stored in `*out`. It reports the same
/// as the aggregator that wrote the snapshot and keeps counting.
///
/// Errors: `JM_ERR_INVALID_UTF8`, `JM_ERR_INVALID_SNAPSHOT` (not a snapshot,
/// another format, a newer or unknown version, a checksum mismatch,
/// inconsistent content; the message names the field or the version).
/// Nothing is half-loaded: on failure `*out` is set to NULL.
/// Ownership: on `JM_OK` the caller owns `*out` (release with
/// `jm_aggregator_free`). The library does not keep `snapshot`.
/// NULL: `out` NULL, or `snapshot` NULL with `len > 0`, is
/// `JM_ERR_NULL_ARGUMENT`.
/// Thread-safe.
///
/// # Safety
/// `snapshot` is NULL or points to `len` readable bytes; `out` is NULL or
/// valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_restore(
    snapshot: *const u8,
    len: usize,
    out: *mut *mut jm_aggregator,
) -> jm_status {
    guard("jm_aggregator_restore", || unsafe {
        new_aggregator(out, || {
            let text = document_arg("snapshot", snapshot, len)?;
            Aggregator::restore(text).map_err(|e| Failure::at("snapshot", e))
        })
    })
}

/// The report (`docs/report-schema.md`: `messages`, `fraud`, `cases`,
/// `groups`, `days`, `period`, …) as JSON, stored as a new NUL-terminated
/// UTF-8 string in `*out`. Aggregators fed the same messages, in any order
/// or through any merges, give byte-identical reports.
///
/// Ownership: on `JM_OK` the caller owns `*out` and frees it with
/// `jm_string_free`; on failure `*out` is set to NULL.
/// NULL: `agg` or `out` NULL is `JM_ERR_NULL_ARGUMENT`.
/// Thread-safety: reads `agg` only; may run on several threads at once, not
/// during an exclusive call on `agg`.
///
/// # Safety
/// `agg` is NULL or a live handle no thread is writing; `out` is NULL or
/// valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_report_json(agg: *const jm_aggregator, out: *mut *mut c_char) -> jm_status {
    guard("jm_aggregator_report_json", || unsafe {
        out_string(out, || {
            let agg = aggregator_arg("agg", agg)?;
            let mut json = OutString::with_capacity(4096);
            serde_json::to_writer(&mut json, &agg.report())
                .map_err(|e| Failure::new(jm_status::JM_ERR_INVALID_JSON, format!("serialising the report: {e}")))?;
            Ok(json)
        })
    })
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
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `s` came from OutString::into_raw: the allocation starts
        // LEN_HEADER bytes earlier and is LEN_HEADER + len + 1 bytes long.
        unsafe {
            let len = out_string_len(s);
            let base = (s as *mut u8).sub(LEN_HEADER);
            let total = LEN_HEADER + len + 1;
            drop(Box::from_raw(ptr::slice_from_raw_parts_mut(base, total)));
        }
    }));
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

// ---------------------------------------------------------------------------
// Names of the codes.

/// A table of NUL-terminated names, indexed by code.
struct Names(Vec<(u32, CString)>);

impl Names {
    fn new(entries: impl Iterator<Item = (u32, &'static str)>) -> Self {
        Names(entries.filter_map(|(code, name)| CString::new(name).ok().map(|c| (code, c))).collect())
    }

    fn get(&self, code: u32) -> *const c_char {
        self.0.iter().find(|(c, _)| *c == code).map_or(ptr::null(), |(_, name)| name.as_ptr())
    }
}

static CATEGORY_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Category::ALL.iter().map(|c| (c.code(), c.name()))));
static FRAUD_TYPE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(FraudType::ALL.iter().map(|c| (c.code(), c.name()))));
static STANCE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Stance::ALL.iter().map(|c| (c.code(), c.name()))));
static ENTITY_KIND_NAMES: Lazy<Names> =
    Lazy::new(|| Names::new(EntityKind::ALL.iter().map(|c| (c.code(), c.name()))));
static ROLE_NAMES: Lazy<Names> = Lazy::new(|| Names::new(Role::ALL.iter().map(|c| (c.code(), c.name()))));

/// The `snake_case` name of a `jm_category` code (`"safety"`, as in the
/// JSON), or NULL for an unknown code. Static string: never freed.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn jm_category_name(code: u32) -> *const c_char {
    catch_unwind(|| CATEGORY_NAMES.get(code)).unwrap_or(ptr::null())
}

/// The `snake_case` name of a `jm_fraud_type` code, or NULL for an unknown
/// code. Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_fraud_type_name(code: u32) -> *const c_char {
    catch_unwind(|| FRAUD_TYPE_NAMES.get(code)).unwrap_or(ptr::null())
}

/// The `snake_case` name of a `jm_stance` code, or NULL for an unknown code.
/// Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_stance_name(code: u32) -> *const c_char {
    catch_unwind(|| STANCE_NAMES.get(code)).unwrap_or(ptr::null())
}

/// The `snake_case` name of a `jm_entity_kind` code, or NULL for an unknown
/// code. Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_entity_kind_name(code: u32) -> *const c_char {
    catch_unwind(|| ENTITY_KIND_NAMES.get(code)).unwrap_or(ptr::null())
}

/// The `snake_case` name of a `jm_role` code, or NULL for an unknown code.
/// Static string: never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn jm_role_name(code: u32) -> *const c_char {
    catch_unwind(|| ROLE_NAMES.get(code)).unwrap_or(ptr::null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn last_error() -> String {
        unsafe { CStr::from_ptr(jm_last_error()) }.to_str().unwrap().to_owned()
    }

    #[test]
    fn a_panic_becomes_a_status_without_its_payload() {
        let status = guard("jm_test", || panic!("secret message text 13912345678"));
        assert_eq!(status, jm_status::JM_ERR_PANIC);
        let message = last_error();
        assert!(message.starts_with("jm_test: internal error"), "{message}");
        assert!(!message.contains("secret") && !message.contains("139"), "{message}");
    }

    #[test]
    fn every_error_variant_has_its_own_status() {
        let errors = [
            Error::Lexicon("x".into()),
            Error::Json("x".into()),
            Error::TooLarge { len: 2, max: 1 },
            Error::InvalidUtf8 { offset: 0 },
            Error::Snapshot("x".into()),
            Error::Time("x".into()),
            Error::Io("x".into()),
        ];
        let mut statuses: Vec<u32> = errors.iter().map(|e| status_of(e) as u32).collect();
        statuses.extend([
            jm_status::JM_OK as u32,
            jm_status::JM_ERR_NULL_ARGUMENT as u32,
            jm_status::JM_ERR_PANIC as u32,
            jm_status::JM_ERR_INVALID_ARGUMENT as u32,
        ]);
        let n = statuses.len();
        statuses.sort_unstable();
        statuses.dedup();
        assert_eq!(statuses.len(), n, "two errors share a status");
    }

    #[test]
    fn out_strings_keep_their_length_and_nuls() {
        for s in ["", "a", "刷\0单", "x".repeat(10_000).as_str()] {
            let p = OutString::from_str(s).into_raw();
            unsafe {
                assert_eq!(jm_string_len(p), s.len());
                let bytes = std::slice::from_raw_parts(p as *const u8, s.len() + 1);
                assert_eq!(&bytes[..s.len()], s.as_bytes());
                assert_eq!(bytes[s.len()], 0);
                jm_string_free(p);
            }
        }
    }

    #[test]
    fn flags_are_validated() {
        assert_eq!(flags_arg(0).ok().map(|o| o.role), Some(Role::Unknown));
        assert_eq!(flags_arg(JM_FLAG_ROLE_POLICE | JM_FLAG_RAW).ok().map(|o| (o.role, o.raw)), Some((Role::Police, true)));
        assert_eq!(flags_arg(JM_FLAG_ROLE_RESIDENT).ok().map(|o| o.role), Some(Role::Resident));
        assert_eq!(flags_arg(3 << JM_FLAG_ROLE_SHIFT).err().map(|f| f.status), Some(jm_status::JM_ERR_INVALID_ARGUMENT));
        assert_eq!(flags_arg(1 << 20).err().map(|f| f.status), Some(jm_status::JM_ERR_INVALID_ARGUMENT));
        assert_eq!(JM_FLAG_ROLE_POLICE, (jm_role::JM_ROLE_POLICE as u32) << JM_FLAG_ROLE_SHIFT);
        assert_eq!(JM_FLAG_ROLE_RESIDENT, (jm_role::JM_ROLE_RESIDENT as u32) << JM_FLAG_ROLE_SHIFT);
    }
}
