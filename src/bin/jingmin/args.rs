//! Hand-parsed options of `report` and `merge`.

/// The output format of `report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutFormat {
    Table,
    Json,
    Csv,
    Html,
}

/// One table of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableName {
    Categories,
    Groups,
    Days,
    Fraud,
    Cases,
    Indicators,
}

impl TableName {
    /// Every table, in the order the text report prints them.
    pub const ALL: &'static [TableName] = &[
        TableName::Categories,
        TableName::Groups,
        TableName::Days,
        TableName::Fraud,
        TableName::Cases,
        TableName::Indicators,
    ];

    fn from_name(s: &str) -> Option<TableName> {
        Some(match s {
            "categories" => TableName::Categories,
            "groups" => TableName::Groups,
            "days" => TableName::Days,
            "fraud" => TableName::Fraud,
            "cases" => TableName::Cases,
            "indicators" => TableName::Indicators,
            _ => return None,
        })
    }
}

/// The options of `jingmin report`.
#[derive(Clone, Debug, Default)]
pub struct ReportArgs {
    pub files: Vec<String>,
    pub format: Option<OutFormat>,
    pub table: Option<TableName>,
    pub out: Option<String>,
    pub lexicon: Option<String>,
    pub raw: bool,
    /// Seconds east of UTC.
    pub tz: Option<i32>,
    pub group: Option<String>,
    pub roster: Option<String>,
    pub exported_by_police: bool,
    pub columns: Option<String>,
    pub input_format: Option<String>,
    pub save_snapshot: Option<String>,
    pub resume: Option<String>,
    pub from_snapshot: Option<String>,
}

/// Split `--name=value` / `--name value`; `Ok(None)` when `arg` is not
/// `name`.
fn value_of<'a>(
    arg: &'a str,
    name: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Option<String>, String> {
    if arg == name {
        return match rest.next() {
            Some(v) => Ok(Some(v.clone())),
            None => Err(format!("{name} needs a value")),
        };
    }
    match arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
        Some(v) => Ok(Some(v.to_owned())),
        None => Ok(None),
    }
}

/// Set an option given once.
fn once(slot: &mut Option<String>, name: &str, v: String) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("{name} is given twice"));
    }
    *slot = Some(v);
    Ok(())
}

/// Read a fixed UTC offset: `+08:00`, `+0800`, `+8`, `-05:30`, `UTC+8`, `Z`.
/// Whole minutes within ±23:59.
pub fn parse_tz(s: &str) -> Option<i32> {
    let t = s.trim();
    let t = t.strip_prefix("UTC").or_else(|| t.strip_prefix("GMT")).unwrap_or(t);
    if t == "Z" || t.is_empty() && s.trim() != "" {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, t.get(1..)?),
        b'-' => (-1, t.get(1..)?),
        _ => return None,
    };
    let (h, m) = if let Some((h, m)) = rest.split_once(':') {
        (h, m)
    } else if rest.len() == 4 {
        (rest.get(..2)?, rest.get(2..)?)
    } else {
        (rest, "0")
    };
    if h.is_empty() || h.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// Parse the options of `report` (everything after the word `report`).
pub fn parse_report(args: &[String]) -> Result<ReportArgs, String> {
    let mut out = ReportArgs::default();
    let mut format: Option<String> = None;
    let mut table: Option<String> = None;
    let mut tz: Option<String> = None;
    let mut it = args.iter();
    let mut only_files = false;
    while let Some(a) = it.next() {
        let a = a.as_str();
        if only_files || !a.starts_with("--") || a == "-" {
            out.files.push(a.to_owned());
            continue;
        }
        match a {
            "--" => {
                only_files = true;
                continue;
            }
            "--raw" => {
                out.raw = true;
                continue;
            }
            "--exported-by-police" => {
                out.exported_by_police = true;
                continue;
            }
            _ => {}
        }
        let mut matched = false;
        macro_rules! opt {
            ($name:literal, $slot:expr) => {
                if !matched {
                    if let Some(v) = value_of(a, $name, &mut it)? {
                        once($slot, $name, v)?;
                        matched = true;
                    }
                }
            };
        }
        opt!("--format", &mut format);
        opt!("--table", &mut table);
        opt!("--out", &mut out.out);
        opt!("--lexicon", &mut out.lexicon);
        opt!("--tz", &mut tz);
        opt!("--group", &mut out.group);
        opt!("--roster", &mut out.roster);
        opt!("--columns", &mut out.columns);
        opt!("--input-format", &mut out.input_format);
        opt!("--save-snapshot", &mut out.save_snapshot);
        opt!("--resume", &mut out.resume);
        opt!("--from-snapshot", &mut out.from_snapshot);
        if !matched {
            return Err(format!("unknown option {a:?}"));
        }
    }
    if let Some(f) = format {
        out.format = Some(match f.as_str() {
            "table" | "text" => OutFormat::Table,
            "json" => OutFormat::Json,
            "csv" => OutFormat::Csv,
            "html" => OutFormat::Html,
            _ => return Err(format!("--format {f:?}: expected table, json, csv or html")),
        });
    }
    if let Some(t) = table {
        out.table = Some(TableName::from_name(&t).ok_or_else(|| {
            format!("--table {t:?}: expected groups, days, fraud, cases, categories or indicators")
        })?);
    }
    if let Some(t) = tz {
        out.tz = Some(parse_tz(&t).ok_or_else(|| {
            format!("--tz {t:?}: expected a fixed offset such as +08:00 (whole minutes within ±23:59)")
        })?);
    }
    if let Some(g) = &out.group {
        if g.trim().is_empty() {
            return Err("--group: the name is blank".into());
        }
    }
    // Combinations.
    if out.from_snapshot.is_some() {
        if !out.files.is_empty() {
            return Err("--from-snapshot reports from the snapshot alone: give no FILE".into());
        }
        if out.resume.is_some() {
            return Err("--from-snapshot and --resume cannot be combined (use merge)".into());
        }
    } else if out.files.is_empty() {
        return Err("report needs at least one FILE (or --from-snapshot FILE)".into());
    }
    if let (OutFormat::Json | OutFormat::Html, Some(_)) = (out.format.unwrap_or(OutFormat::Table), out.table) {
        {
            return Err("--table applies to --format table or csv".into());
        }
    }
    Ok(out)
}

/// The options of `jingmin merge`.
#[derive(Clone, Debug, Default)]
pub struct MergeArgs {
    pub snapshots: Vec<String>,
    pub out: String,
}

/// Parse the options of `merge`.
pub fn parse_merge(args: &[String]) -> Result<MergeArgs, String> {
    let mut snapshots = Vec::new();
    let mut out: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = value_of(a, "--out", &mut it)? {
            once(&mut out, "--out", v)?;
        } else if a.starts_with("--") {
            return Err(format!("unknown option {a:?}"));
        } else {
            snapshots.push(a.clone());
        }
    }
    let out = out.ok_or("merge needs --out FILE")?;
    if snapshots.is_empty() {
        return Err("merge needs at least one snapshot".into());
    }
    Ok(MergeArgs { snapshots, out })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_tz("+08:00"), Some(28_800));
        assert_eq!(parse_tz("+0800"), Some(28_800));
        assert_eq!(parse_tz("+8"), Some(28_800));
        assert_eq!(parse_tz("UTC+8"), Some(28_800));
        assert_eq!(parse_tz("-05:30"), Some(-19_800));
        assert_eq!(parse_tz("Z"), Some(0));
        assert_eq!(parse_tz("UTC"), Some(0));
        assert_eq!(parse_tz("Asia/Shanghai"), None);
        assert_eq!(parse_tz("+24:00"), None);
        assert_eq!(parse_tz("+08:60"), None);
        assert_eq!(parse_tz(""), None);
        assert_eq!(parse_tz("+"), None);
    }

    #[test]
    fn report_options() {
        let a = parse_report(&v(&["a.jsonl", "--format=csv", "--table", "days", "b.csv", "--raw", "--tz", "+09:00"]))
            .unwrap();
        assert_eq!(a.files, v(&["a.jsonl", "b.csv"]));
        assert_eq!(a.format, Some(OutFormat::Csv));
        assert_eq!(a.table, Some(TableName::Days));
        assert!(a.raw);
        assert_eq!(a.tz, Some(32_400));
        assert!(parse_report(&v(&["a", "--format", "pdf"])).unwrap_err().contains("pdf"));
        assert!(parse_report(&v(&["a", "--bogus"])).unwrap_err().contains("--bogus"));
        assert!(parse_report(&v(&["a", "--out"])).unwrap_err().contains("--out"));
        assert!(parse_report(&v(&["a", "--out", "x", "--out", "y"])).unwrap_err().contains("twice"));
        assert!(parse_report(&v(&[])).is_err());
        assert!(parse_report(&v(&["--from-snapshot", "s", "a"])).is_err());
        assert!(parse_report(&v(&["--from-snapshot", "s"])).is_ok());
        assert!(parse_report(&v(&["a", "--format", "html", "--table", "days"])).is_err());
        assert_eq!(parse_report(&v(&["--", "--odd-name"])).unwrap().files, v(&["--odd-name"]));
    }

    #[test]
    fn merge_options() {
        let m = parse_merge(&v(&["a", "b", "--out", "c"])).unwrap();
        assert_eq!(m.snapshots, v(&["a", "b"]));
        assert_eq!(m.out, "c");
        assert!(parse_merge(&v(&["a"])).is_err());
        assert!(parse_merge(&v(&["--out", "c"])).is_err());
    }
}
