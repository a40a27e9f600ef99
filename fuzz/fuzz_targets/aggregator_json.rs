//! Fuzz target `aggregator_json`: lines of arbitrary bytes to Aggregator::add_json with the default engine; snapshot round trip and merge of halves.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::aggregator_json(data);
});
