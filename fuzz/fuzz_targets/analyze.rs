//! Fuzz target `analyze`: arbitrary bytes; UTF-8 through Engine::analyze_with with every role and raw flag, span invariants asserted.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::analyze(data);
});
