//! The project's own files: they speak of the project only, and the scripts
//! find the build wherever cargo puts it.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if !matches!(name, "target" | ".git" | ".venv" | "build" | "corpus" | "node_modules") {
                files_under(&p, ext, out);
            }
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// `data/labelled/README.md` named a machine path and spoke of how it was
/// written rather than what it is.
#[test]
fn documents_name_no_machine_paths_and_no_tooling() {
    let mut docs = Vec::new();
    files_under(&root(), "md", &mut docs);
    assert!(docs.len() > 5, "{docs:?}");
    for p in docs {
        let text = std::fs::read_to_string(&p).unwrap();
        for word in ["/work/", "helper session", "worktree"] {
            assert!(!text.contains(word), "{} mentions {word:?}", p.display());
        }
    }
}

/// The scripts hard-coded `target/release`: with CARGO_TARGET_DIR set they
/// failed with exit 127 or tested a stale binary. They ask cargo instead.
#[test]
fn scripts_ask_cargo_where_the_build_is() {
    let mut scripts = Vec::new();
    files_under(&root().join("scripts"), "sh", &mut scripts);
    assert!(scripts.len() >= 5);
    for p in scripts {
        let text = std::fs::read_to_string(&p).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            assert!(!code.contains("target/release"), "{}:{}: hard-coded target/release", p.display(), i + 1);
        }
    }
}

/// The README's commands write report.html and report.png into the
/// repository root; they were left untracked there.
#[test]
fn the_readme_outputs_are_ignored() {
    let ignore = std::fs::read_to_string(root().join(".gitignore")).unwrap();
    for f in ["/report.html", "/report.png"] {
        assert!(ignore.lines().any(|l| l.trim() == f), ".gitignore lacks {f}");
    }
}
