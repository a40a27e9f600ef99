//! Issue 12, item 4: text from the exports (group names: anyone in a group
//! can rename it) cannot become a spreadsheet formula in `--format csv`,
//! and no output carries terminal control characters.

use crate::{run, stderr, stdout};

const GROUPS: &[&str] = &[
    "+1+cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://x.cn/a\",\"点我\")",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+2\t警民群",
    "\u{1b}[31m红色警民群\u{7}",
    "普通警民群",
];

fn export(dir: &std::path::Path) -> String {
    let mut s = String::new();
    for (i, g) in GROUPS.iter().enumerate() {
        let m = serde_json::json!({"id": format!("{i}"), "group": g, "role": "resident",
            "time": "2024-03-01 10:00:00", "text": "请问户籍室周六上班吗？"});
        s.push_str(&m.to_string());
        s.push('\n');
    }
    let p = dir.join("groups.jsonl");
    std::fs::write(&p, s).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn csv_cells_never_start_a_formula_and_no_output_has_control_characters() {
    let dir = std::env::temp_dir().join(format!("jingmin-csv-safety-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = export(&dir);
    for table in ["groups", "days", "categories", "fraud", "cases", "indicators"] {
        let o = run(&["report", &input, "--format", "csv", "--table", table]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "--table {table}: control characters in {out:?}");
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_bytes());
        for rec in rdr.records() {
            for cell in rec.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "--table {table}: formula cell {cell:?}");
            }
        }
        if table == "groups" {
            // The names are still there, behind the quote that neutralises them.
            assert!(out.contains("\"'+1+cmd|' /C calc'!A0\""), "{out}");
            assert!(out.contains("\"'=HYPERLINK(\"\"http://x.cn/a\"\",\"\"点我\"\")\""), "{out}");
            assert!(out.contains("普通警民群"), "{out}");
            assert!(out.contains("[31m红色警民群"), "{out}");
        }
    }
    for args in [&["--format", "table"][..], &["--format", "json"], &["--format", "html"]] {
        let mut all = vec!["report", input.as_str()];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{args:?}: control characters in the output");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
