//! Tests that measure the whole process (its resident memory) run in a
//! process of their own: the test binary runs itself again with only that
//! test selected, so that the harness's other tests, running on other
//! threads, do not disturb the figure (included with `#[path]`).
#![allow(dead_code)]

use std::process::Command;

const VAR: &str = "JINGMIN_TEST_ALONE";

/// Run `body` alone in a child process. `module` is the caller's
/// `module_path!()`, `name` the test function's name.
pub fn in_own_process(module: &str, name: &str, body: impl FnOnce()) {
    // The filter is the test's path without the harness crate's name.
    let path = match module.split_once("::") {
        Some((_, rest)) => format!("{rest}::{name}"),
        None => name.to_owned(),
    };
    if std::env::var(VAR).as_deref() == Ok(path.as_str()) {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([path.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(VAR, &path)
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    assert!(out.status.success(), "{path} failed in its own process:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{path} did not run in its own process:\n{stdout}");
}
