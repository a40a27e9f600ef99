//! The fuzz targets (`fuzz/`), as proptest cases: for machines where
//! cargo-fuzz (libFuzzer, a nightly feature) cannot run, and for CI. Each
//! property feeds the same entry point with the same checks as its fuzz
//! target (`fuzz/src/checks.rs`), with three kinds of input: the committed
//! seed corpus as it is, seeds with random byte edits, and arbitrary bytes.
//!
//! `PROPTEST_CASES` sets the number of random cases per target (default 256).
//!
//! ```text
//! cargo test --release --features ingest --test fuzz_equivalents
//! ```

use crate::checks;

use std::path::PathBuf;

use jingmin::ingest::Format;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// The committed seeds of a fuzz target.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let out: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(!out.is_empty(), "no seeds for {target}");
    out
}

/// Bytes that look like the seeds: a seed with a few random edits (byte
/// changes, insertions of interesting bytes, cuts), or arbitrary bytes.
fn inputs(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    let interesting = prop_oneof![
        any::<u8>(),
        Just(b'"'),
        Just(b'\n'),
        Just(b','),
        Just(b'{'),
        Just(b'['),
        Just(b'\\'),
        Just(0xff),
        Just(0xe5),
        Just(0x00),
    ];
    let edit = (any::<prop::sample::Index>(), 0u8..4, interesting, 0usize..64);
    let mutated = (0..n, prop::collection::vec(edit, 0..8)).prop_map(move |(i, edits)| {
        let mut s = seeds[i].clone();
        for (at, op, byte, span) in edits {
            let pos = if s.is_empty() { 0 } else { at.index(s.len() + 1) };
            match op {
                0 if pos < s.len() => s[pos] = byte,
                1 => s.insert(pos, byte),
                2 => {
                    let end = (pos + span).min(s.len());
                    s.drain(pos..end);
                }
                _ => {
                    // Duplicate a span: repeated records and nesting.
                    let end = (pos + span).min(s.len());
                    let copy = s[pos..end].to_vec();
                    let at = pos.min(s.len());
                    s.splice(at..at, copy);
                }
            }
        }
        s
    });
    prop_oneof![3 => mutated, 1 => prop::collection::vec(any::<u8>(), 0..512)]
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256)
}

/// Every seed as it is, then random cases.
fn run(target: &str, f: impl Fn(&[u8])) {
    let seeds = seeds(target);
    for s in &seeds {
        f(s);
    }
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    runner
        .run(&inputs(seeds), |data| {
            f(&data);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}: {e}"));
}

#[test]
fn analyze() {
    run("analyze", checks::analyze);
}

#[test]
fn analyze_text() {
    // Text from an alphabet the engine cares about: CJK fraud vocabulary in
    // both scripts, digits of every width, separators, emoji, breaks.
    let alphabet: Vec<char> = "刷单單返利日结微薇信VvXx扣QＱ转账帳户诈騙骗钱元块万¥$0123456789０１２３４５６７８９①③⑨一二三九零*-. 　\n。！？😀@:/wwwhttp皖D"
        .chars()
        .collect();
    let strat = prop::collection::vec(prop::sample::select(alphabet), 0..80).prop_map(|v| v.into_iter().collect::<String>());
    let mut runner = TestRunner::new(Config { cases: cases() * 4, failure_persistence: None, ..Config::default() });
    runner.run(&strat, |s| {
        checks::analyze(s.as_bytes());
        Ok(())
    })
    .unwrap();
}

#[test]
fn lexicon() {
    run("lexicon", checks::lexicon);
}

#[test]
fn snapshot_restore() {
    run("snapshot_restore", checks::snapshot_restore);
}

#[test]
fn aggregator_json() {
    run("aggregator_json", checks::aggregator_json);
}

#[test]
fn ingest_jsonl() {
    run("ingest_jsonl", |d| checks::ingest(d, Some(Format::Jsonl)));
}

#[test]
fn ingest_wechatmsg() {
    run("ingest_wechatmsg", |d| checks::ingest(d, Some(Format::WeChatMsgCsv)));
}

#[test]
fn ingest_pywxdump() {
    run("ingest_pywxdump", |d| checks::ingest(d, Some(Format::PyWxDumpCsv)));
}

#[test]
fn ingest_chatlog() {
    run("ingest_chatlog", |d| checks::ingest(d, Some(Format::ChatlogJson)));
}

#[test]
fn ingest_qq() {
    run("ingest_qq", |d| checks::ingest(d, Some(Format::QqTxt)));
}

#[test]
fn ingest_csv() {
    run("ingest_csv", |d| checks::ingest(d, Some(Format::Csv)));
}

#[test]
fn ingest_detect() {
    run("ingest_detect", |d| checks::ingest(d, None));
}

#[test]
fn capi() {
    run("capi", checks::capi);
}
