//! Tests of the C layer, called from Rust exactly as C calls it (`cargo test
//! -p jingmin-capi`): one harness, one module per concept. The C and C++
//! programs of `tests/c` and `tests/cpp` call the built library itself
//! (`scripts/test-c.sh`).

/// The C layer, compiled in from this crate's sources (the crate is a
/// cdylib and a staticlib only).
#[path = "../src/lib.rs"]
#[allow(dead_code, unused_imports)]
mod capi;

#[path = "../../tests/common/alone.rs"]
mod alone;
#[path = "../../tests/common/chatty.rs"]
mod chatty;
#[path = "../../fuzz/src/checks.rs"]
#[allow(clippy::all, clippy::pedantic)]
mod checks;
#[path = "../../tests/common/capi.rs"]
mod common_capi;
#[path = "../../tests/common/personal.rs"]
mod personal;
#[path = "../../tests/common/private.rs"]
mod private;

mod aggregator_abi;
mod cross_abi;
mod engine_abi;
mod fuzz_equivalents;
mod limits;
mod personal_data;
mod semantics;
