//! Fuzz target `ingest_chatlog`: ingest::read with the chatlog JSON reader forced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::ChatlogJson));
});
