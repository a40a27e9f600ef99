//! The C layer of jingmin: the stable C ABI declared in `include/jingmin.h`,
//! built as `libjingmin.so` (soname `libjingmin.so.0`) and `libjingmin.a`.
//!
//! Every item here is a thin wrapper over the native API of the `jingmin`
//! crate: it checks its arguments, converts `(ptr, len)` UTF-8 into `&str`,
//! calls the engine, copies the answer out, and turns every failure —
//! including a Rust panic — into a [`jm_status`] plus a thread-local message
//! read with [`jm_last_error`]. There is no analysis logic here.
//!
//! The header is generated from this crate by cbindgen
//! (`cbindgen --config jingmin-capi/cbindgen.toml --crate jingmin-capi
//! --output include/jingmin.h`); `scripts/test-c.sh` fails when regenerating
//! it would change it.
//!
//! Modules, one concept each:
//! - [`conventions`]: the ABI version, the flag bits, and the checks every
//!   argument goes through;
//! - [`status`]: `jm_status`, the one panic boundary and the thread's last
//!   error;
//! - [`codes`]: the taxonomy's codes as `#[repr(C)]` enums, and their names;
//! - [`strings`]: the strings the library hands out and frees;
//! - [`engine`]: engines and the analysis of messages;
//! - [`aggregator`]: case statistics.
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
//! - Thread-safety is stated per handle: a `jm_engine` is immutable and
//!   shared freely; a `jm_aggregator` is serialised by its caller.
//!
//! Rust code that calls the ABI as C does (this crate's tests, the fuzz
//! targets, the benchmarks) compiles these modules into itself with
//! `#[path = ".../jingmin-capi/src/lib.rs"] mod capi;`: the crate is a
//! cdylib and a staticlib only, so that its artefacts keep the name
//! `libjingmin` beside the core's `libjingmin.rlib`. The modules therefore
//! name each other through `super::`, never `crate::`.
#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod aggregator;
pub mod codes;
pub mod conventions;
pub mod engine;
pub mod status;
pub mod strings;

pub use aggregator::*;
pub use codes::*;
pub use conventions::{
    jm_abi_version, jm_version, JM_ABI_VERSION, JM_FLAG_RAW, JM_FLAG_ROLE_MASK, JM_FLAG_ROLE_POLICE,
    JM_FLAG_ROLE_RESIDENT, JM_FLAG_ROLE_SHIFT,
};
pub use engine::*;
pub use status::{jm_last_error, jm_status};
pub use strings::{jm_string_free, jm_string_len};

#[cfg(test)]
mod tests;
