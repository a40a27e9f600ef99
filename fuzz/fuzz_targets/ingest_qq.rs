//! Fuzz target `ingest_qq`: ingest::read with the QQ TXT reader forced.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::ingest(data, Some(jingmin::ingest::Format::QqTxt));
});
