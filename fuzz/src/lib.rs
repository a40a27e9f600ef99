//! The checks behind jingmin's fuzz targets (one function per target).
/// The C layer, compiled in from its crate's sources (the capi crate is a
/// cdylib and a staticlib only; see its documentation).
#[path = "../../jingmin-capi/src/lib.rs"]
#[allow(dead_code, unused_imports)]
pub mod capi;
#[path = "checks.rs"]
mod checks;
pub use checks::*;
