//! Checks that the committed generated files are what their generators
//! write: `src/fold_table.rs`, which `tools/gen_fold_table.py` generates
//! from the OpenCC dictionaries in `../shared/data/opencc` (relative to the
//! crate root) and `data/fold_curated.txt`, and `lexicon/default.json`,
//! which `tools/build_default_lexicon.py` writes.
//!
//! When the OpenCC folder is absent the test prints a note and passes (the
//! data lives beside the repository in every checkout). When the folder is
//! there, the test fails if `python3` cannot run the generator or if the
//! output differs from the committed file. To refresh the table run
//! `python3 tools/gen_fold_table.py` from the crate root.

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn committed_fold_table_matches_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opencc = root.join("..").join("shared").join("data").join("opencc");
    if !opencc.join("TSCharacters.txt").is_file() {
        eprintln!(
            "note: {} not found; cannot check that src/fold_table.rs is current",
            opencc.display()
        );
        return;
    }

    let out: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("fold_table.{}.rs", std::process::id()));
    let status = Command::new("python3")
        .arg(root.join("tools").join("gen_fold_table.py"))
        .arg("--opencc")
        .arg(&opencc)
        .arg("--curated")
        .arg(root.join("data").join("fold_curated.txt"))
        .arg("--out")
        .arg(&out)
        .status();
    let status = match status {
        Ok(s) => s,
        Err(e) => panic!(
            "the OpenCC data is at {} but python3 could not be started ({e}); \
             install python3 to check that src/fold_table.rs is current",
            opencc.display()
        ),
    };
    assert!(status.success(), "tools/gen_fold_table.py failed: {status}");

    assert_current(&out, &root.join("src").join("fold_table.rs"), "python3 tools/gen_fold_table.py");
}

/// The built-in lexicon is what `tools/build_default_lexicon.py` writes:
/// an entry added to the JSON by hand, and not to the generator, would be
/// lost the next time the lexicon is generated.
#[test]
fn committed_lexicon_matches_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("default.{}.json", std::process::id()));
    let status = Command::new("python3")
        .current_dir(root)
        .arg(root.join("tools").join("build_default_lexicon.py"))
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 could not be started ({e}); install python3 to check lexicon/default.json"));
    assert!(status.success(), "tools/build_default_lexicon.py failed: {status}");
    assert_current(&out, &root.join("lexicon").join("default.json"), "python3 tools/build_default_lexicon.py");
}

/// Panics unless the file generated at `out` (removed here) equals the
/// committed one, naming the first line that differs and the command that
/// refreshes it.
fn assert_current(out: &Path, committed_path: &Path, command: &str) {
    let generated = std::fs::read(out).expect("read the generated file");
    let _ = std::fs::remove_file(out);
    let committed = std::fs::read(committed_path).unwrap_or_else(|e| panic!("read {}: {e}", committed_path.display()));
    if generated != committed {
        let line = generated
            .split(|&b| b == b'\n')
            .zip(committed.split(|&b| b == b'\n'))
            .position(|(a, b)| a != b)
            .map_or_else(|| "the end".to_string(), |i| format!("line {}", i + 1));
        panic!(
            "{} is out of date (first difference at {line}); run `{command}` from the crate root and commit the result",
            committed_path.display()
        );
    }
}
