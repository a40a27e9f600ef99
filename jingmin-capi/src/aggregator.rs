//! Case-statistic aggregators (`jm_aggregator`).

use std::ffi::c_char;
use std::ptr;

use jingmin::{describe_json_error, Added, Aggregator, CountOptions, Message, RejectReason};

use super::conventions::{bytes_arg, document_arg, lines, store, text_arg};
use super::engine::{engine_arg, jm_engine};
use super::status::{guard, guard_or, jm_status, Failure};
use super::strings::{out_string, OutString};

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
/// `jm_aggregator_add_unreadable`, `jm_aggregator_mask_personal_data`, the
/// `into` of `jm_aggregator_merge`, `jm_aggregator_free`) need exclusive
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

/// What `jm_aggregator_add_json_ex` did with one message, or
/// `jm_aggregator_add_unreadable` with one unreadable record, written to
/// their `outcome` as a `uint32_t`.
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
    /// A record not seen before, counted under `messages.rejected` with the
    /// reason `unreadable`: only `jm_aggregator_add_unreadable` writes it.
    JM_ADDED_REJECTED_UNREADABLE = 5,
}

impl From<Added> for jm_added {
    fn from(a: Added) -> Self {
        match a {
            Added::New => jm_added::JM_ADDED_NEW,
            Added::Duplicate => jm_added::JM_ADDED_DUPLICATE,
            Added::Rejected(RejectReason::MissingGroup) => jm_added::JM_ADDED_REJECTED_MISSING_GROUP,
            Added::Rejected(RejectReason::MissingTime) => jm_added::JM_ADDED_REJECTED_MISSING_TIME,
            Added::Rejected(RejectReason::InvalidTime) => jm_added::JM_ADDED_REJECTED_INVALID_TIME,
            Added::Rejected(RejectReason::Unreadable) => jm_added::JM_ADDED_REJECTED_UNREADABLE,
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
pub(crate) unsafe fn aggregator_arg<'a>(arg: &str, agg: *const jm_aggregator) -> Result<&'a Aggregator, Failure> {
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
pub(crate) unsafe fn aggregator_mut<'a>(arg: &str, agg: *mut jm_aggregator) -> Result<&'a mut Aggregator, Failure> {
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
pub(crate) unsafe fn new_aggregator<F>(out: *mut *mut jm_aggregator, build: F) -> Result<(), Failure>
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



/// A serde_json error on a JSON Lines line, described by the library's one
/// describer (never echoing the input).
pub(crate) fn jsonl_error(line: usize, e: &serde_json::Error) -> Failure {
    Failure::new(jm_status::JM_ERR_INVALID_JSON, format!("jsonl: line {line}: {}", describe_json_error(e)))
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
    guard_or((), || {
        // SAFETY: the caller gives back a handle from Box::into_raw.
        drop(unsafe { Box::from_raw(agg) });
    });
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
pub(crate) unsafe fn add_json(
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
/// reads it; lines end at LF, CRLF or a lone CR; blank lines are skipped; a
/// leading byte-order mark is ignored), each analysed with `engine`. Write
/// how many were new, duplicates and rejected to `*counts` unless `counts`
/// is NULL.
///
/// The whole batch is read before any message is counted: on failure
/// nothing of it is counted.
/// `len == 0` is an empty batch (then `jsonl` may be NULL).
/// Errors: `JM_ERR_NULL_ARGUMENT` (`agg`, `engine`, or `jsonl` with
/// `len > 0`), `JM_ERR_INVALID_UTF8` (the line, counted
/// from 1, and the byte offset in it),
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
        let bytes = unsafe { bytes_arg("jsonl", jsonl, len) }?;
        // A byte-order mark, which the command line accepts too.
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let mut messages = Vec::new();
        for (i, line) in lines(bytes).enumerate() {
            let number = i.saturating_add(1);
            engine.check_len(line.len()).map_err(|e| Failure::at(&format!("jsonl: line {number}"), e))?;
            let line = std::str::from_utf8(line).map_err(|e| {
                Failure::at(&format!("jsonl: line {number}"), jingmin::Error::InvalidUtf8 { offset: e.valid_up_to() })
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let message: Message = serde_json::from_str(line).map_err(|e| jsonl_error(number, &e))?;
            messages.push(message);
        }
        let mut tally = jm_add_counts::default();
        for message in &messages {
            tally.count(agg.add_with(engine, message, &CountOptions::default()));
        }
        unsafe { store(counts, tally) };
        Ok(())
    })
}

/// Count a record of an export that could not be read at all (malformed,
/// over the message size limit) under `messages.rejected`, reason
/// `unreadable`, as `jingmin report` counts such a record: it has no group
/// and no day, and reports, snapshots and merges carry it. Write what
/// happened to it, a `jm_added` code, to `*outcome` unless `outcome` is
/// NULL.
///
/// The record is known by its source (`source_len` bytes of UTF-8 at
/// `source`: the file name as given, or any name that stays the same for
/// the same input; empty is allowed) and its `line`. A record not counted
/// before is `JM_ADDED_REJECTED_UNREADABLE`; the same `(source, line)`
/// counted again, here or in an aggregator merged in, is a copy
/// (`JM_ADDED_DUPLICATE`: only `messages.duplicates` grows), so an export
/// read twice counts its unreadable records once.
/// Errors: `JM_ERR_NULL_ARGUMENT` (`agg`, or `source` with
/// `source_len > 0`), `JM_ERR_INVALID_UTF8` (`source`; the message gives the
/// byte offset). On failure nothing is counted and `*outcome` is untouched.
/// Ownership: `source` is only read during the call; the aggregator keeps a
/// hash of it, not the text.
/// Thread-safety: exclusive on `agg` (see `jm_aggregator`).
///
/// # Safety
/// `agg` is NULL or a live handle no other thread is using; `source` is NULL
/// or points to `source_len` readable bytes; `outcome` is NULL or valid for
/// writing one `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_add_unreadable(
    agg: *mut jm_aggregator,
    source: *const u8,
    source_len: usize,
    line: u64,
    outcome: *mut u32,
) -> jm_status {
    guard("jm_aggregator_add_unreadable", || {
        let agg = unsafe { aggregator_mut("agg", agg) }?;
        let source = unsafe { document_arg("source", source, source_len) }?;
        let added = agg.add_unreadable(source, line);
        unsafe { store(outcome, jm_added::from(added) as u32) };
        Ok(())
    })
}

/// Mask the personal data the aggregator keeps, as a default report of
/// `jingmin report` shows it (without `--raw`): the indicators of
/// solicitations counted from analyses with raw output (a snapshot saved
/// with `--raw --keep-raw`, restored here or merged in), and phone, ID and
/// bank card numbers in the drill-down texts and in sender names
/// (`wxid_13912345678`); two sender names that mask alike become one.
/// Reports and snapshots taken afterwards hold only masked forms; what is
/// counted afterwards is counted as usual. Idempotent; an empty aggregator
/// is unchanged.
///
/// The C entry points analyse without raw output, so the indicators and
/// drill-down texts they count are masked by the analysis; sender names are
/// kept as given until this is called. Call it on the final aggregator (after the
/// merges) before reporting to report as the command line does.
/// Errors: `JM_ERR_NULL_ARGUMENT` (`agg`).
/// Thread-safety: exclusive on `agg` (see `jm_aggregator`).
///
/// # Safety
/// `agg` is NULL or a live handle no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn jm_aggregator_mask_personal_data(agg: *mut jm_aggregator) -> jm_status {
    guard("jm_aggregator_mask_personal_data", || {
        let agg = unsafe { aggregator_mut("agg", agg) }?;
        agg.mask_personal_data();
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
/// (`{"format":"jingmin-aggregator","version":2,…}`, with a checksum),
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
