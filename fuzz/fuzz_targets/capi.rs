//! Fuzz target `capi`: the C entry points that read caller bytes, called with arbitrary (ptr, len) contents.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::capi(data);
});
