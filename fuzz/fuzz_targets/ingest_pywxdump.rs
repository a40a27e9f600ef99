//! Fuzz target `ingest_pywxdump`: ingest::read with the PyWxDump CSV reader forced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::PyWxDumpCsv));
});
