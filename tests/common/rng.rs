//! A small deterministic generator for the tests' random logs (included
//! with `#[path]`).

/// Xorshift64 from `seed`: each call gives a number below `n`.
pub fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}
