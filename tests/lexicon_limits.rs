//! Issue 12, item 12: lexicon errors number a user's combos as the user
//! wrote them, accept a UTF-8 BOM, refuse duplicate keys and entries by
//! name, and enforce the documented limits.

use jingmin::{Engine, Lexicon};

fn build(json: &str) -> Result<Engine, String> {
    Engine::builder().lexicon_json(json).and_then(|b| b.build()).map_err(|e| e.to_string())
}

#[test]
fn a_users_combo_is_numbered_as_written() {
    let e = build(r#"{"entries":[{"pattern":"跑腿代办","kind":"signal","signal":"errand"}],
        "combos":[{"when":["errand","no_such_signal"],"type":"fake_shopping"}]}"#)
    .unwrap_err();
    assert!(e.contains("combo 0") && e.contains("no_such_signal"), "{e}");
    let e = build(r#"{"entries":[{"pattern":"跑腿代办","kind":"signal","signal":"errand"}],
        "combos":[{"when":["errand"],"type":"fake_shopping"},{"when":["nope"],"type":"fake_shopping"}]}"#)
    .unwrap_err();
    assert!(e.contains("combo 1") && !e.contains("combo 7"), "{e}");
    // A combo may use the built-in signals.
    build(r#"{"entries":[],"combos":[{"when":["channel","money_action"],"type":"fake_shopping"}]}"#).unwrap();
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let json = "\u{feff}{\"entries\":[{\"pattern\":\"跑腿代办\",\"kind\":\"fraud\",\"type\":\"fake_shopping\"}]}";
    let lex = Lexicon::from_json(json).unwrap();
    assert_eq!(lex.entries().len(), 1);
}

#[test]
fn duplicate_keys_and_entries_are_refused_by_name() {
    let e = Lexicon::from_json(
        r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate"},
            {"pattern":"跑腿","kind":"fraud","type":"fake_shopping","weight":2,"weight":-5}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("entry 1") && e.contains("weight") && e.contains("twice"), "{e}");
    let e = Lexicon::from_json(
        r#"{"entries":[],"combos":[{"when":["channel"],"type":"romance","type":"investment"}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("combo 0") && e.contains("type") && e.contains("twice"), "{e}");
    let e = Lexicon::from_json(r#"{"entries":[],"entries":[]}"#).unwrap_err().to_string();
    assert!(e.contains("entries"), "{e}");
    // The same pattern (as normalised), kind and target twice in one
    // document: accepted (the built-in lexicon has such pairs), with a
    // warning naming both entries.
    let lex = Lexicon::from_json(
        r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate","weight":2},
            {"pattern":"x","kind":"allow"},
            {"pattern":"刷單","kind":"fraud","type":"task_rebate","weight":0.1}]}"#,
    )
    .unwrap();
    assert_eq!(lex.warnings().len(), 1);
    let w = &lex.warnings()[0];
    assert!(w.contains("entry 2") && w.contains("entry 0") && w.contains("replaces"), "{w}");
    // The same pattern for two targets is no duplicate.
    let lex = Lexicon::from_json(
        r#"{"entries":[{"pattern":"刷单","kind":"fraud","type":"task_rebate"},
            {"pattern":"刷单","kind":"fraud","type":"generic"}]}"#,
    )
    .unwrap();
    assert!(lex.warnings().is_empty());
}

#[test]
fn the_documented_limits_are_enforced() {
    assert_eq!(jingmin::MAX_ENTRIES, 50_000);
    let entry = |i: usize| format!("{{\"pattern\":\"词{i}\",\"kind\":\"fraud\",\"type\":\"generic\"}}");
    let over: Vec<String> = (0..=jingmin::MAX_ENTRIES).map(entry).collect();
    let json = format!("{{\"entries\":[{}]}}", over.join(","));
    let start = std::time::Instant::now();
    let e = Lexicon::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("50000"), "{e}");
    assert!(start.elapsed().as_secs() < 10);
    let combos: Vec<&str> = std::iter::repeat(r#"{"when":["channel"],"type":"romance"}"#)
        .take(jingmin::MAX_COMBOS + 1)
        .collect();
    let json = format!("{{\"entries\":[],\"combos\":[{}]}}", combos.join(","));
    let e = Lexicon::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("combos"), "{e}");
}
