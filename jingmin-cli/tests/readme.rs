//! The README's commands and the output it shows are the command's own.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jingmin");

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The arguments of the README's first command (`cargo run … -- report …`),
/// with `examples/data/exports/*` expanded as the shell would.
fn main_command_args(readme: &str) -> Vec<String> {
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run --release -p jingmin-cli -- report "))
        .expect("the README's main command");
    let mut args = Vec::new();
    for word in line.split_once(" -- ").unwrap().1.split_whitespace() {
        if word == "examples/data/exports/*" {
            let mut files: Vec<String> = std::fs::read_dir(root().join("examples/data/exports"))
                .unwrap()
                .map(|e| e.unwrap().path().to_string_lossy().into_owned())
                .collect();
            files.sort();
            args.extend(files);
        } else if word.starts_with("examples/") {
            args.push(root().join(word).to_string_lossy().into_owned());
        } else {
            args.push(word.to_owned());
        }
    }
    args
}

/// The README's sample headline was stale (法治宣传 35 条 … 群众咨询 733 次
/// against the command's 41 … 721): it is compared with the command's
/// output line for line.
#[test]
fn the_sample_headline_is_what_the_main_command_prints() {
    let readme = readme();
    let after = readme.split("The report opens with the headline").nth(1).expect("the headline paragraph");
    let block = after.split("```text\n").nth(1).and_then(|b| b.split("\n```").next()).expect("the sample block");
    let out = Command::new(BIN).args(main_command_args(&readme)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let printed: Vec<&str> = stdout.lines().collect();
    let sample: Vec<&str> = block.lines().collect();
    assert!(!sample.is_empty());
    assert_eq!(printed.get(..sample.len()), Some(&sample[..]), "README sample differs from the command's output");
}
