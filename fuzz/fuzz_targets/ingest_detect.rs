//! Fuzz target `ingest_detect`: ingest::read with format and encoding detection.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, None);
});
