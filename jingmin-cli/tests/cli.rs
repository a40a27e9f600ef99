//! The command line itself: help and version on every command (exit 0),
//! usage errors (exit 2, a clear message on stderr, nothing on stdout), the
//! `--tz` forms, and shell completions.

use crate::{fixture, run, stderr, stdout};

/// `args` prints help on stdout, exit 0, naming every one of `names`.
fn help_names(args: &[&str], names: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
    let out = stdout(&o);
    for n in names {
        assert!(out.contains(n), "{args:?}: {n} missing from\n{out}");
    }
    out
}

const REPORT_OPTIONS: &[&str] = &[
    "<FILE>",
    "--format <FORMAT>",
    "--table <NAME>",
    "--out <FILE>",
    "--lexicon <FILE>",
    "--raw",
    "--tz <OFFSET>",
    "--group <NAME>",
    "--roster <FILE>",
    "--exported-by-police",
    "--columns <SPEC>",
    "--input-format <NAME>",
    "--save-snapshot <FILE>",
    "--resume <SNAPSHOT>",
    "--from-snapshot <SNAPSHOT>",
];

#[test]
fn help_on_every_command_exits_0_and_names_the_options() {
    let top = help_names(&["--help"], &["Usage: jingmin <COMMAND>", "report", "merge", "analyze", "completions"]);
    // The exit codes are explained at the top level.
    for code in ["0  everything was read", "1  some records were rejected", "2  unusable input or arguments"] {
        assert!(top.contains(code), "{code} missing from\n{top}");
    }
    assert_eq!(stdout(&run(&["help"])), top);
    help_names(&["-h"], &["report", "Exit codes"]);

    let long = help_names(&["report", "--help"], REPORT_OPTIONS);
    // The values of --format and --table are listed and explained.
    for v in ["table", "json", "csv", "html", "categories", "groups", "days", "fraud", "cases", "indicators", "[default: table]"] {
        assert!(long.contains(v), "{v} missing from\n{long}");
    }
    help_names(&["report", "-h"], REPORT_OPTIONS);
    help_names(&["help", "report"], REPORT_OPTIONS);
    help_names(
        &["analyze", "--help"],
        &["[FILE]", "--raw", "--lexicon <FILE>", "standard input", "--text", "--role <ROLE>", "police", "resident"],
    );
    // The output lines of a bad and a blank line, and where they are documented.
    let lines = ["{\"line\":N,\"error\":{\"kind\"", "{\"line\":N,\"blank\":true}", "docs/analysis-output.md"];
    help_names(&["analyze", "--help"], &lines);
    help_names(&["analyze", "-h"], &["[FILE]", "--raw", "--lexicon <FILE>"]);
    help_names(&["merge", "--help"], &["<SNAPSHOT>...", "--out <FILE>"]);
    help_names(&["completions", "--help"], &["<SHELL>", "bash", "zsh", "fish"]);

    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), format!("jingmin {}\n", env!("CARGO_PKG_VERSION")));
    assert_eq!(stdout(&run(&["-V"])), stdout(&o));
}

/// A usage error: exit 2, nothing on stdout, and stderr holds `needles`.
fn usage_error(args: &[&str], needles: &[&str]) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
    let err = stderr(&o);
    for n in needles {
        assert!(err.contains(n), "{args:?}: {n:?} missing from\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_options_and_commands_exit_2_with_a_clear_message() {
    let a = fixture("a.jsonl");
    usage_error(&["report", &a, "--bogus"], &["unexpected argument '--bogus'", "Usage: jingmin report", "--help"]);
    usage_error(&["analyze", "--bogus"], &["unexpected argument '--bogus'", "Usage: jingmin analyze"]);
    usage_error(&["merge", &a, "--out", "x", "--bogus"], &["unexpected argument '--bogus'", "Usage: jingmin merge"]);
    usage_error(&["frobnicate"], &["unrecognized subcommand 'frobnicate'", "Usage: jingmin"]);
    usage_error(&[], &["Usage: jingmin <COMMAND>", "report"]);
    // Missing and unusable values.
    usage_error(&["report"], &["<FILE>"]);
    usage_error(&["report", &a, "--out"], &["--out <FILE>"]);
    usage_error(&["report", &a, "--format", "pdf"], &["'pdf'", "--format", "table, json, csv, html"]);
    usage_error(&["report", &a, "--table", "weekly"], &["'weekly'", "--table"]);
    usage_error(&["report", &a, "--out", "x", "--out", "y"], &["--out", "multiple times"]);
    usage_error(&["merge", &a], &["--out <FILE>"]);
    usage_error(&["merge", "--out", "x"], &["<SNAPSHOT>"]);
    usage_error(&["analyze", &a, &a], &["unexpected argument"]);
    // The combinations checked after parsing.
    usage_error(&["report", &a, "--format", "html", "--table", "days"], &["--table applies to --format table or csv"]);
    usage_error(&["report", &a, "--format", "json", "--table", "days"], &["--table applies to --format table or csv"]);
    usage_error(&["report", &a, "--group", " "], &["--group", "the name is blank"]);
    usage_error(&["report", "--from-snapshot", "s.json", &a], &["--from-snapshot", "cannot be used with"]);
    usage_error(&["report", "--from-snapshot", "s.json", "--resume", "t.json"], &["--from-snapshot", "--resume"]);
    usage_error(&["completions", "tcsh"], &["'tcsh'", "bash"]);
}

#[test]
fn double_dash_ends_the_options() {
    let a = fixture("a.jsonl");
    let o = run(&["report", "--format", "json", "--", &a]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // After `--` a name that looks like an option is a file.
    let o = run(&["report", "--", "--raw"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--raw") && !stderr(&o).contains("unexpected argument"), "{}", stderr(&o));
}

/// The period start of `a.jsonl` (first message at 09:00 local time) read
/// in the offset `tz`.
fn period_from(tz_args: &[&str]) -> String {
    let a = fixture("a.jsonl");
    let mut args = vec!["report", a.as_str(), "--format", "json"];
    args.extend_from_slice(tz_args);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{tz_args:?}: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["period"]["from"].as_str().unwrap().to_owned()
}

/// Every form of `--tz` the command line accepts, read by
/// `jingmin::ingest::parse_tz_offset`.
#[test]
fn tz_forms() {
    assert_eq!(period_from(&[]), "2024-03-01T09:00:00+08:00");
    for (tz, offset) in [
        ("+08:00", "+08:00"),
        ("+0800", "+08:00"),
        ("+8", "+08:00"),
        ("UTC+8", "+08:00"),
        ("+09:00", "+09:00"),
        ("-05:30", "-05:30"),
        ("Z", "+00:00"),
        ("UTC", "+00:00"),
        ("+00:00", "+00:00"),
    ] {
        let want = format!("2024-03-01T09:00:00{offset}");
        assert_eq!(period_from(&["--tz", tz]), want, "--tz {tz}");
        assert_eq!(period_from(&[&format!("--tz={tz}")]), want, "--tz={tz}");
    }
    let a = fixture("a.jsonl");
    for bad in ["Asia/Shanghai", "+24:00", "+08:60", "8", ""] {
        usage_error(&["report", &a, "--tz", bad], &["--tz <OFFSET>", "expected a fixed offset such as +08:00"]);
    }
}

#[test]
fn completions_for_bash_zsh_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains("jingmin") && script.contains("from-snapshot"), "{shell}:\n{script}");
    }
}
