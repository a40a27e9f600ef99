//! Fuzz target `ingest_csv`: ingest::read with the generic CSV reader forced (default column names).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::Csv));
});
