//! A file that is no chat export gets an error that says what it is (an
//! empty file, a binary file and which kind, text of no known shape or a
//! CSV with other columns) and how to read it anyway (`--input-format`,
//! `--columns`), exit 2, and nothing on standard output.

use crate::{run, stderr};

/// `jingmin report FILE` on a file holding `bytes`: its stderr (exit 2,
/// nothing on stdout).
fn report_error(name: &str, bytes: &[u8], extra: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("jingmin-cli-wrong-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut args = vec!["report", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    let _ = std::fs::remove_file(&path);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{name}: {err}");
    assert!(o.stdout.is_empty(), "{name}");
    assert!(err.contains(name), "{name} not named in {err}");
    err
}

/// The options that read a file anyway, with what they accept.
fn names_the_options(err: &str) {
    for s in ["--input-format", "jsonl", "wechatmsg-csv", "qq-txt", "--columns", "text="] {
        assert!(err.contains(s), "{s} missing from {err}");
    }
}

#[test]
fn an_empty_file_is_called_empty() {
    let err = report_error("empty.csv", b"", &[]);
    assert!(err.contains("empty"), "{err}");
    let err = report_error("blank.jsonl", b"\n\r\n  \n", &[]);
    assert!(err.contains("blank lines"), "{err}");
}

#[test]
fn binary_files_are_named_by_their_magic_bytes() {
    for (name, bytes, what) in [
        ("photo.png", &b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01"[..], "PNG image"),
        ("photo.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01", "JPEG image"),
        ("chats.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "ZIP archive"),
        ("scan.pdf", b"%PDF-1.4\n%\xC7\xEC\x8F\xA2\n", "PDF document"),
        ("MSG0.db", b"SQLite format 3\x00\x10\x00\x01\x01\x00", "SQLite database"),
        ("blob.bin", b"\x01\x02\x00\x00\x07\x00\xFE\x00\x00\x00\x03\x00", "binary"),
    ] {
        let err = report_error(name, bytes, &[]);
        assert!(err.contains(what), "{what} missing from {err}");
        names_the_options(&err);
    }
}

#[test]
fn text_of_no_known_shape_and_csv_with_other_columns() {
    let err = report_error("notes.txt", "周一开会\n周二巡逻 13987654321\n".as_bytes(), &[]);
    assert!(err.contains("no known header"), "{err}");
    names_the_options(&err);
    // The content is never echoed.
    assert!(!err.contains("13987654321") && !err.contains("周二"), "{err}");

    let err = report_error("people.csv", b"name,age,city\nx,1,y\n", &[]);
    assert!(err.contains("CSV") && err.contains("no `text` column"), "{err}");
    names_the_options(&err);

    // A --columns mapping the header lacks: the missing column is named.
    let err = report_error("mapped.csv", "时间,发送人,正文\n".as_bytes(), &["--columns", "time=时间,text=内容"]);
    assert!(err.contains("`内容`") && err.contains("--columns"), "{err}");
}
