//! Allocations per message in steady state, counted by a wrapping global
//! allocator, for `Engine::summarize` (the fixed-size digest the C ABI
//! batch and Python's `analyze_many` return) and `Engine::analyze` (the full
//! analysis, owned strings included).
//!
//! The target is zero allocations per message on the summary path.
//! Until the engine gets there, these tests print the measured figures
//! (`cargo test --test alloc_count -- --nocapture`) and assert only an upper
//! bound a little above the figures measured when they were written, so that
//! a regression fails; lower the bounds as the engine improves.
//!
//! Counting is per thread (`tests/alloc.rs`), so the harness's other
//! tests do not disturb it.

use crate::corpus;

use crate::alloc::counters;

/// Allocations and bytes per message of `f` over `messages`, after one
/// warm-up pass over the same messages (scratch buffers grown, lazies
/// initialised).
fn per_message(messages: &[String], mut f: impl FnMut(&str) -> u64) -> (f64, f64, u64) {
    let mut sink = 0u64;
    for m in messages {
        sink = sink.wrapping_add(f(m));
    }
    let (a0, b0) = counters();
    for m in messages {
        sink = sink.wrapping_add(f(m));
    }
    let (a1, b1) = counters();
    let n = messages.len() as f64;
    ((a1 - a0) as f64 / n, (b1 - b0) as f64 / n, sink)
}

fn messages() -> Vec<String> {
    let c = corpus::generate(5_000, corpus::SEED);
    c.iter().map(str::to_owned).collect()
}

/// Upper bounds, a little above the figures measured when this test was
/// written (see the module documentation). Allocations per message.
const SUMMARIZE_MAX: f64 = 30.0;
const ANALYZE_MAX: f64 = 30.0;

#[test]
fn summarize_allocations_per_message() {
    let msgs = messages();
    let engine = jingmin::Engine::default();
    let (allocs, bytes, sink) = per_message(&msgs, |m| {
        let s = engine.summarize(m);
        s.risk as u64 + s.hit_count as u64 + s.entity_count as u64
    });
    println!("Engine::summarize: {allocs:.2} allocations/message, {bytes:.0} bytes/message (steady state, {} messages)", msgs.len());
    assert!(sink > 0, "the corpus has fraud messages");
    assert!(allocs <= SUMMARIZE_MAX, "summarize: {allocs:.2} allocations/message, more than {SUMMARIZE_MAX}");
}

#[test]
fn analyze_allocations_per_message() {
    let msgs = messages();
    let engine = jingmin::Engine::default();
    let (allocs, bytes, sink) = per_message(&msgs, |m| {
        let a = engine.analyze(m);
        a.fraud.hits.len() as u64 + a.entities.len() as u64
    });
    println!("Engine::analyze: {allocs:.2} allocations/message, {bytes:.0} bytes/message (steady state, {} messages)", msgs.len());
    assert!(sink > 0, "the corpus has hits and entities");
    assert!(allocs <= ANALYZE_MAX, "analyze: {allocs:.2} allocations/message, more than {ANALYZE_MAX}");
}

/// The counter itself works: a known allocation is seen.
#[test]
fn the_counter_counts() {
    let (a0, _) = counters();
    let v: Vec<u64> = std::hint::black_box(Vec::with_capacity(10));
    let (a1, b1) = counters();
    drop(v);
    assert_eq!(a1 - a0, 1);
    assert!(b1 >= 80);
}
