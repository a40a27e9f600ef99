//! The benchmark corpus generator (`benches/corpus/mod.rs`): deterministic,
//! chat-like lengths, and the variations the issue asks for.

use crate::corpus;

#[test]
fn same_seed_same_corpus() {
    let a = corpus::generate(20_000, corpus::SEED);
    let b = corpus::generate(20_000, corpus::SEED);
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.text, b.text);
    let c = corpus::generate(20_000, corpus::SEED + 1);
    assert_ne!(a.digest(), c.digest());
    // A shorter corpus is a prefix of a longer one.
    let short = corpus::generate(1_000, corpus::SEED);
    assert_eq!(short.get(999), a.get(999));
}

#[test]
fn chat_like_lengths() {
    let c = corpus::generate(50_000, corpus::SEED);
    assert_eq!(c.len(), 50_000);
    let mut lens: Vec<usize> = (0..c.len()).map(|i| c.chars(i)).collect();
    lens.sort_unstable();
    let median = lens[lens.len() / 2];
    let max = *lens.last().unwrap();
    assert!((25..=35).contains(&median), "median {median} characters");
    assert!((1_000..=2_000).contains(&max), "longest {max} characters");
    assert!(lens.iter().filter(|&&l| l >= 200).count() >= 100, "a long tail");
    assert!(lens[0] >= 1, "no empty message");
}

#[test]
fn variations_are_present() {
    let c = corpus::generate(20_000, corpus::SEED);
    let count = |pred: &dyn Fn(&str) -> bool| c.iter().filter(|m| pred(m)).count();
    let trad = count(&|m| m.contains('騙') || m.contains('單') || m.contains('網'));
    let fullwidth = count(&|m| m.chars().any(|ch| ('０'..='９').contains(&ch)));
    let emoji = count(&|m| m.chars().any(|ch| ch as u32 >= 0x1F300));
    let disguised = count(&|m| m.contains("刷*单") || m.contains("薇信") || m.contains("ＶＸ"));
    let phone = count(&|m| {
        let d: Vec<char> = m.chars().collect();
        d.windows(11).any(|w| w[0] == '1' && w.iter().all(|ch| ch.is_ascii_digit()))
    });
    let chatter = count(&|m| m.chars().count() <= 4);
    for (what, n) in [("traditional", trad), ("full-width", fullwidth), ("emoji", emoji), ("disguised", disguised), ("phone", phone), ("chatter", chatter)] {
        assert!(n >= 100, "{what}: {n} messages of 20,000");
    }
}

#[test]
fn user_words_are_distinct_and_nested() {
    let avoid = vec!["刷单".to_owned()];
    let big = corpus::user_words(20_000, &avoid);
    let small = corpus::user_words(2_000, &avoid);
    assert_eq!(&big[..2_000], &small[..]);
    let set: std::collections::HashSet<&String> = big.iter().collect();
    assert_eq!(set.len(), 20_000);
    assert!(big.iter().all(|w| (3..=4).contains(&w.chars().count())));
    // The generated lexicon is accepted by the engine.
    let json = corpus::user_lexicon_json(&small);
    let engine = jingmin::Engine::builder().lexicon_json(&json).unwrap().build().unwrap();
    assert!(engine.pattern_count() >= 2_000);
}

#[test]
fn baseline_fold_folds() {
    let f = corpus::Fold::new();
    let mut out = String::new();
    f.fold("刷*单 ＶＸ 騙子😀", &mut out);
    assert_eq!(out, "刷单vx骗子");
    f.fold("好。吗？", &mut out);
    assert_eq!(out, "好\n吗\n");
}
