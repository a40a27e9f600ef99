//! Engines (`jm_engine`) and the analysis of messages.

use std::ffi::{c_char, c_int};
use std::ptr;

use jingmin::{Engine, Role, Summary};

use super::conventions::{array_arg, document_arg, flags_arg, store, text_arg, text_arg_named};
use super::status::{guard, guard_or, jm_status, Failure};
use super::strings::OutString;

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

impl From<Summary> for jm_summary {
    fn from(s: Summary) -> Self {
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

/// The engine behind a `const jm_engine *`.
///
/// # Safety
/// `engine` is NULL or a live handle from a `jm_engine_new_*` function.
pub(crate) unsafe fn engine_arg<'a>(engine: *const jm_engine) -> Result<&'a Engine, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    match unsafe { engine.as_ref() } {
        Some(e) => Ok(&e.engine),
        None => Err(Failure::null("engine")),
    }
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
    guard_or((), || {
        // SAFETY: the caller gives back a handle from Box::into_raw.
        drop(unsafe { Box::from_raw(engine) });
    });
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
pub(crate) unsafe fn analyze_summary(
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
pub(crate) unsafe fn analyze_batch(
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
