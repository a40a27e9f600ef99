//! The accuracy floors of the engine on the labelled development set,
//! measured by the project's scorer (`../shared/eval/score.py`).
//!
//! The data lives beside the repository (`../shared/eval/`) in every
//! checkout and in CI. Without it this test fails: a floor that is not
//! measured is not met.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use jingmin::{AnalyzeOptions, Engine, Message};

const FLOORS: &[(&str, &str)] = &[
    ("category_acc", "0.90"),
    ("category_macro_f1", "0.88"),
    ("fraud_precision", "0.95"),
    ("fraud_recall", "0.95"),
    ("fraud_type_acc", "0.90"),
    ("stance_acc", "0.92"),
    ("entity_precision", "0.95"),
    ("entity_recall", "0.95"),
    ("keyword_coverage", "0.95"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn score(gold: &PathBuf, floors: &[(&str, &str)]) {
    let text = std::fs::read_to_string(gold)
        .unwrap_or_else(|e| panic!("cannot read {} (the eval data sits beside the repository): {e}", gold.display()));
    let engine = Engine::default();
    let pred = std::env::temp_dir().join(format!("jingmin-pred-{}-{}.jsonl", std::process::id(), gold.file_stem().unwrap().to_string_lossy()));
    let mut out = std::fs::File::create(&pred).unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let m: Message = serde_json::from_str(line).unwrap();
        let mut a = engine.analyze_with(&m.text, &AnalyzeOptions { role: m.role, raw: true });
        a.id = m.id.clone();
        writeln!(out, "{}", serde_json::to_string(&a).unwrap()).unwrap();
    }
    drop(out);
    let scorer = root().join("../shared/eval/score.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&scorer).arg(gold).arg(&pred);
    for (name, min) in floors {
        cmd.arg("--min").arg(format!("{name}={min}"));
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", scorer.display()));
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{}:\n{report}{}", gold.display(), String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_file(&pred);
    assert!(out.status.success(), "floors not met on {}:\n{report}", gold.display());
}

#[test]
fn dev_set_meets_the_floors() {
    score(&root().join("../shared/eval/dev.jsonl"), FLOORS);
}

/// The fraud detector (rules and lexicon only: the trained model decides
/// categories, not fraud) on the first three labelled sets, which were
/// written independently of the development set and whose misses the
/// lexicon was extended from. Category accuracy is not checked here (the
/// model is trained on these sets; `scripts/test.sh` checks it held out),
/// nor keyword coverage: these sets list whole phrases as keywords where the
/// development set lists the words. Their authors leave approximate amounts
/// (`40多万`) unlabelled, which the extractor reports, hence the entity floor
/// of 0.93. The later sets are measured held out, source by source
/// (`data/labelled/README.md`), not against these floors.
#[test]
fn labelled_sets_meet_the_fraud_floors() {
    let fraud_floors: Vec<(&str, &str)> = FLOORS
        .iter()
        .copied()
        .filter(|(n, _)| !n.starts_with("category") && *n != "keyword_coverage")
        .map(|(n, v)| if n.starts_with("entity") { (n, "0.93") } else { (n, v) })
        .collect();
    for set in ["extra", "set2", "set3"] {
        score(&root().join(format!("data/labelled/{set}.jsonl")), &fraud_floors);
    }
}
