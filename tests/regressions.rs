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
