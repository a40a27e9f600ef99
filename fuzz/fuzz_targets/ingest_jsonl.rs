//! Fuzz target `ingest_jsonl`: ingest::read with the JSON Lines reader forced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::Jsonl));
});
