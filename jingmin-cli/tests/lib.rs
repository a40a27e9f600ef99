//! Tests of the `jingmin` command, run as a user runs it (`cargo test -p
//! jingmin-cli`): one harness, one module per concept.

#[path = "../../tests/common/personal.rs"]
mod personal;
#[path = "../../tests/common/private.rs"]
mod private;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_jingmin");

/// Run `jingmin` with `args`.
pub fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(BIN).args(args).output().expect("run jingmin")
}

/// Standard output, which is UTF-8.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Standard error, lossily.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fixture of `tests/fixtures/report`.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/report/{name}", concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Every XML part of a workbook, decompressed and concatenated: what a
/// search of the file's content sees.
pub fn xlsx_text(path: &std::path::Path) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("open workbook");
    let mut zip = zip::ZipArchive::new(file).expect("a zip archive");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("a part");
        part.read_to_string(&mut all).expect("UTF-8 XML");
    }
    all
}

mod analyze;
mod broken_pipe;
mod cli;
mod crash_safety;
mod csv_safety;
mod demo_report;
mod input_limits;
mod privacy;
mod readme;
mod report_views;
mod rejected_records;
mod report;
mod resume_settings;
mod snapshot_files;
mod wrong_files;
