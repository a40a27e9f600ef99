//! Fuzz target `snapshot_restore`: arbitrary bytes to Aggregator::restore (and, resealed with a valid checksum, to its consistency checks).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jingmin_fuzz::snapshot_restore(data);
});
