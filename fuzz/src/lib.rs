//! The checks behind jingmin's fuzz targets (one function per target).
#[path = "checks.rs"]
mod checks;
pub use checks::*;
