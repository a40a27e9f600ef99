//! Fuzz target `lexicon`: arbitrary bytes as a lexicon document (Engine::builder().lexicon_json).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::lexicon(data);
});
