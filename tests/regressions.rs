//! Regression tests for defects found by the hardening work: each test is
//! the minimal reproducer, and the fix is described above it.

use jingmin::{Engine, Lexicon};

const MARK: &str = "秘密标记XYZZY";
const PHONE: &str = "13987654321";

fn assert_private(context: &str, error: &str) {
    assert!(!error.contains(MARK) && !error.contains("XYZZY"), "{context}: error echoes input text: {error}");
    assert!(!error.contains(PHONE), "{context}: error echoes a phone number: {error}");
}

/// Found by `tests/limits.rs`-style privacy probing of `Lexicon::from_json`:
/// serde's message for a value of the wrong type quotes the value, and
/// `from_json` passes it on (`not a lexicon document: invalid type: string
/// "…", expected a sequence`), as does `combo {i}: {err}`.
///
/// Fix (src/lexicon.rs): describe serde errors by category, line and column
/// and the names of fields only, never quoted values — the approach of
/// `describe` in `src/aggregate/snapshot.rs` (drop messages containing `"`
/// or a backticked token that is not a short ASCII name).
#[test]
fn lexicon_errors_do_not_quote_document_values() {
    let t = format!("{MARK}{PHONE}");
    for doc in [
        format!("{{\"entries\":\"{t}\"}}"),
        format!("{{\"entries\":[],\"combos\":\"{t}\"}}"),
        format!("{{\"entries\":[],\"combos\":[{{\"when\":\"{t}\",\"type\":\"generic\"}}]}}"),
        format!("{{\"entries\":[],\"combos\":[{{\"when\":[\"a\"],\"type\":\"{t}\"}}]}}"),
        format!("{{\"entries\":[],\"{t}\":1}}"),
        format!("{{\"format\":{PHONE},\"entries\":[]}}"),
        format!("{{\"version\":\"{t}\",\"entries\":[]}}"),
    ] {
        match Lexicon::from_json(&doc) {
            Ok(_) => {} // an accepted document has no error to leak
            Err(e) => assert_private(&doc, &e.to_string()),
        }
    }
}

/// `from_json` names a failing entry by its pattern (`entry 0
/// ("13987654321"): field "kind": …`). A lexicon may well list a known
/// scam phone number as a pattern; the error then repeats personal data.
///
/// Fix (src/lexicon.rs): name the entry by index only, or mask digit runs
/// of five or more in the hint (`entry 0 ("139****4321")`), as
/// `mask_entity` does for phones.
#[test]
fn lexicon_errors_do_not_repeat_a_phone_number_pattern() {
    let doc = format!("{{\"entries\":[{{\"pattern\":\"{PHONE}\",\"kind\":\"no-such-kind\"}}]}}");
    let e = Engine::builder().lexicon_json(&doc).unwrap_err().to_string();
    assert!(e.contains("entry 0"), "{e}");
    assert_private("pattern hint", &e);
}

/// Found by `cargo fuzz run ingest_chatlog` (10-minute run): a chatlog
/// array whose tail is a run of stray bytes (`}}}}…`) gave TWO rejections
/// per byte, "missing `,` before element N" and "element N: invalid JSON",
/// breaking the reader's bound of one record per byte of input (233 bytes,
/// 241 records) and flooding reports with rejections for garbage.
///
/// Fix (src/ingest/chatlog.rs): a missing comma is reported together with
/// the element's own rejection in one record; only before an element that
/// reads as a message is it a rejection of its own.
#[cfg(feature = "ingest")]
#[test]
fn chatlog_garbage_gives_at_most_one_rejection_per_element() {
    use jingmin::ingest::{self, Format, ReadOptions, Record};
    let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/ingest_chatlog-412e11f0.json")).unwrap();
    let opts = ReadOptions { format: Some(Format::ChatlogJson), ..ReadOptions::default() };
    let records: Vec<Record> = ingest::read(std::io::Cursor::new(data.clone()), "c.json", &opts).unwrap().collect();
    assert!(records.len() <= data.len(), "{} records from {} bytes", records.len(), data.len());
    let reasons: Vec<&str> = records
        .iter()
        .map(|r| match r {
            Record::Rejected { reason, .. } => reason.as_str(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    // Each stray element is rejected once, naming the missing comma too.
    for (i, r) in reasons.iter().enumerate().skip(1) {
        let n = i + 1;
        assert!(r.starts_with(&format!("missing `,` before element {n}; element {n}: ")), "{r}");
    }
    assert!(reasons.len() > 100, "{}", reasons.len());

    // A good element after a missing comma: the comma's rejection, then the message.
    let good = r#"[{"seq":1,"time":"2024-03-01T10:00:00+08:00","talker":"g","sender":"a","type":1,"content":"一"} {"seq":2,"time":"2024-03-01T10:01:00+08:00","talker":"g","sender":"b","type":1,"content":"二"}]"#;
    let records: Vec<Record> = ingest::read(std::io::Cursor::new(good.as_bytes().to_vec()), "c.json", &opts).unwrap().collect();
    let kinds: Vec<String> = records
        .iter()
        .map(|r| match r {
            Record::Rejected { reason, .. } => format!("rejected: {reason}"),
            Record::Message(m) => format!("message: {}", m.text),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(kinds, ["message: 一", "rejected: missing `,` before element 2", "message: 二"], "{kinds:?}");
}

/// Errors carry a kind to match on, one per variant, and an I/O error keeps
/// its source (it was flattened into a string).
#[cfg(feature = "ingest")]
#[test]
fn errors_have_a_kind_and_io_errors_their_source() {
    use std::error::Error as _;
    let Err(e) = jingmin::ingest::open("/nonexistent/dir/missing.csv", &jingmin::ingest::ReadOptions::default()) else {
        panic!("a missing file opens")
    };
    assert_eq!(e.kind(), jingmin::ErrorKind::Io);
    let source = e.source().expect("the operating system's error");
    assert!(source.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound));
    let names: std::collections::BTreeSet<&str> = jingmin::ErrorKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names.len(), jingmin::ErrorKind::ALL.len(), "kinds have distinct names");
    let lexicon = jingmin::Engine::builder().lexicon_json("{").unwrap_err();
    assert_eq!(lexicon.kind(), jingmin::ErrorKind::Lexicon);
}

/// Message kinds have one owner: the placeholder lists of the readers and
/// the aggregator disagreed (`[表情]` was media in one, content in the
/// other).
#[cfg(feature = "ingest")]
#[test]
fn a_placeholder_is_media_for_the_reader_and_the_aggregator_alike() {
    use jingmin::ingest::{self, ReadOptions, Record};
    use jingmin::{classify_kind, MessageKind, MEDIA_PLACEHOLDERS};
    for name in MEDIA_PLACEHOLDERS {
        let text = format!("[{name}]");
        assert_eq!(classify_kind(&text), MessageKind::Media, "{text}");
        let line = format!("{{\"group\":\"g\",\"time\":\"2024-03-01 10:00:00\",\"text\":\"{text}\"}}\n");
        let records: Vec<Record> = ingest::read(std::io::Cursor::new(line), "x.jsonl", &ReadOptions::default()).unwrap().collect();
        assert!(matches!(records.as_slice(), [Record::System { kind: MessageKind::Media, .. }]), "{text}: {records:?}");
        let mut agg = jingmin::Aggregator::default();
        let m = jingmin::Message { group: Some("g".into()), time: Some("2024-03-01 10:00:00".into()), ..jingmin::Message::new(text.clone()) };
        agg.add_with(&jingmin::Engine::default(), &m, &jingmin::CountOptions::default());
        assert_eq!(agg.report().messages.media, 1, "{text}");
    }
}

/// The category model summed its quantised weights in an `i32`: a message
/// near the 1 MiB limit made of one repeated word overflowed it (a panic in
/// debug builds, a wrapped sum and a confident wrong category in release:
/// 349,000 × 好 came out `service`). Scores are linear in the counts, so a
/// longer repetition keeps the category of a shorter one.
#[test]
fn long_repetitions_do_not_overflow_the_category_scores() {
    let engine = jingmin::Engine::default();
    for (word, short, long) in [("好", 1_000, 349_000), ("请问", 100, 170_000), ("报警求助", 100, 87_000)] {
        let a = engine.analyze(&word.repeat(short));
        let b = engine.analyze(&word.repeat(long));
        assert_eq!(a.category, b.category, "{word} × {short} and × {long}");
    }
}
