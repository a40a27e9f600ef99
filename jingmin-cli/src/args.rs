//! The command line: `jingmin report|merge|analyze|completions`, declared
//! with clap's derive. One struct per subcommand; the checks clap cannot
//! express (a value-dependent combination) are in [`parse_from`].

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// The exit codes, shown at the end of `jingmin --help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  everything was read
  1  some records were rejected (the output is still written; standard
     error names each problem by file and line, never the message text)
  2  unusable input or arguments

Examples:
  jingmin report exports/* --roster roster.csv --exported-by-police
  jingmin report exports/* --format html --out report.html
  jingmin report new/* --resume state.json --save-snapshot state.json
  jingmin analyze messages.jsonl > analyses.jsonl";

/// Analysis of police-community chat groups (警民群)
///
/// Reads WeChat/QQ chat exports of police-community groups and reports work
/// categories, fraud messages (涉诈) and fraud leads, and how residents'
/// questions were answered; with the built-in lexicon, offline.
#[derive(Debug, Parser)]
#[command(
    name = "jingmin",
    verbatim_doc_comment,
    version,
    after_help = EXIT_CODES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read chat exports and print the case-statistics report (统计报表)
    ///
    /// Reads chat exports (聊天记录导出), analyses every message and prints
    /// the report: messages per work category, group and day, fraud
    /// messages, residents' questions and the police's answers. The format
    /// of each export is detected from its content: 留痕/WeChatMsg CSV,
    /// PyWxDump CSV, chatlog JSON, the QQ TXT export, JSON Lines, or a
    /// generic CSV with --columns.
    #[command(verbatim_doc_comment)]
    Report(Box<ReportArgs>),
    /// Merge snapshots saved on several machines or days into one
    ///
    /// The snapshots are those of `jingmin report --save-snapshot`; the
    /// merged one is the same state as one run over all their exports, and
    /// `jingmin report --from-snapshot` reports from it.
    #[command(verbatim_doc_comment)]
    Merge(MergeArgs),
    /// Analyse JSON Lines messages (or plain text): one output line per input line
    ///
    /// Each input line is one JSON object; only "text" is required, "id"
    /// and "role" (police/resident) are used when present. With --text each
    /// line is the text of one message. Output line N answers input line N:
    /// its analysis (JSON); for a line that cannot be analysed
    ///   {"line":N,"error":{"kind":"invalid_json","message":"…"}}
    /// (with the line's "id" when it could be read; also on standard error
    /// by line number, never its text), and for a blank line
    ///   {"line":N,"blank":true}
    /// The run goes on after a bad line. The shapes: docs/analysis-output.md.
    #[command(verbatim_doc_comment)]
    Analyze(AnalyzeArgs),
    /// Print a shell completion script (bash, zsh, fish, …).
    #[command(after_help = "\
Install, for example:
  bash:  jingmin completions bash > /etc/bash_completion.d/jingmin
  zsh:   jingmin completions zsh > ~/.zfunc/_jingmin   (with fpath+=~/.zfunc)
  fish:  jingmin completions fish > ~/.config/fish/completions/jingmin.fish")]
    Completions {
        /// The shell to write the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The options `report` and `analyze` share: how messages are analysed.
#[derive(Clone, Debug, Default, Args)]
pub struct EngineArgs {
    /// Add a user lexicon (JSON) to the built-in one.
    ///
    /// For local place names, new fraud slang (黑话) and the like; its
    /// entries are layered over the built-in lexicon.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<String>,
    /// Do not mask phone, ID-card and bank-card numbers.
    ///
    /// By default phone numbers, ID-card (身份证) and bank-card numbers are
    /// masked in the output, e.g. 139****5678.
    // Given twice is fine, as before (a flag, not a value).
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "raw")]
    pub raw: bool,
}

/// The output format of `report`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// Text tables for the terminal or a text file.
    #[default]
    #[value(alias = "text")]
    Table,
    /// The whole report as JSON (docs/report-schema.md), for other programs.
    Json,
    /// One table as CSV (RFC 4180), for Excel or WPS.
    Csv,
    /// One self-contained HTML page with charts; opens offline.
    Html,
    /// An Excel workbook (.xlsx): one sheet per table; needs --out.
    Xlsx,
}

/// The period of the time table (`--by`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Per calendar day (按日).
    #[default]
    Day,
    /// Per ISO week, Monday to Sunday (按周).
    Week,
    /// Per calendar month (按月).
    Month,
}

/// One table of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableName {
    /// Messages per work category (按类别统计).
    Categories,
    /// Per group (按群统计).
    Groups,
    /// Per day (按日统计).
    Days,
    /// Fraud messages by type and stance (涉诈消息).
    Fraud,
    /// Residents' questions and the police's answers (群众咨询与回应).
    Cases,
    /// Fraud leads: contact handles from fraud messages (诈骗引流线索).
    Indicators,
    /// Records not counted, by reason (无法计入的记录).
    Rejected,
    /// Per ISO week (按周统计).
    Weeks,
    /// Per calendar month (按月统计).
    Months,
    /// Per officer: messages, warnings, cases answered first (民警个人).
    Officers,
    /// Groups ranked by answered share and median response (各群回应排名).
    Ranking,
    /// The solicitation messages, the ads to remove (诈骗引流消息明细).
    Solicitations,
    /// Cases not answered, or pending, with their age (未回应咨询明细).
    #[value(name = "open-cases")]
    OpenCases,
    /// Victim reports with the money named (受害报告明细).
    Victims,
    /// The figures against the preceding period (--compare-previous; 环比).
    Comparison,
}

impl TableName {
    /// Every table, in the order the text report prints them.
    pub const ALL: &'static [TableName] = &[
        TableName::Categories,
        TableName::Groups,
        TableName::Ranking,
        TableName::Officers,
        TableName::Days,
        TableName::Weeks,
        TableName::Months,
        TableName::Comparison,
        TableName::Fraud,
        TableName::Cases,
        TableName::Indicators,
        TableName::Solicitations,
        TableName::OpenCases,
        TableName::Victims,
        TableName::Rejected,
    ];

    /// The name on the command line (`--table NAME`).
    pub fn name(self) -> &'static str {
        match self {
            TableName::Categories => "categories",
            TableName::Groups => "groups",
            TableName::Days => "days",
            TableName::Fraud => "fraud",
            TableName::Cases => "cases",
            TableName::Indicators => "indicators",
            TableName::Rejected => "rejected",
            TableName::Weeks => "weeks",
            TableName::Months => "months",
            TableName::Officers => "officers",
            TableName::Ranking => "ranking",
            TableName::Solicitations => "solicitations",
            TableName::OpenCases => "open-cases",
            TableName::Victims => "victims",
            TableName::Comparison => "comparison",
        }
    }
}

/// The options of `jingmin report`.
#[derive(Clone, Debug, Args)]
#[command(after_help = "\
Exit codes: 0 everything was read, 1 some records were rejected (the report
counts the rest and is still written), 2 unusable input or arguments.")]
pub struct ReportArgs {
    /// The chat exports to read (e.g. exports/*).
    #[arg(value_name = "FILE", required_unless_present = "from_snapshot")]
    pub files: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutFormat::Table, help_heading = "Output")]
    pub format: OutFormat,
    /// Print only this table (--format table or csv).
    ///
    /// Default: every table for --format table, groups for --format csv.
    #[arg(long, value_enum, value_name = "NAME", help_heading = "Output")]
    pub table: Option<TableName>,
    /// Write the output to FILE instead of standard output.
    ///
    /// Written atomically: an interrupted run never leaves half a file.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub out: Option<String>,
    /// The page's title (--format html) [default: 警民群工作统计报告].
    #[arg(long, value_name = "TEXT", value_parser = non_blank, help_heading = "Output")]
    pub title: Option<String>,
    /// The station or unit (单位) the report is for, named in the page's
    /// header and footer (--format html).
    #[arg(long, value_name = "NAME", value_parser = non_blank, help_heading = "Output")]
    pub unit: Option<String>,

    #[command(flatten)]
    #[command(next_help_heading = "Analysis")]
    pub engine: EngineArgs,

    /// UTC offset of the exports' local times [default: +08:00].
    ///
    /// A fixed offset: +08:00 (北京时间, the default), +0800, +8, UTC+8,
    /// -05:30, Z (UTC). With --resume or --from-snapshot the snapshot keeps
    /// the offset it was made with: --tz, if given, must be the same, and
    /// without it the snapshot's offset is used (said on standard error).
    #[arg(long, value_name = "OFFSET", value_parser = tz_offset, allow_hyphen_values = true, help_heading = "Input")]
    pub tz: Option<i32>,
    /// How long a question waits for the police's answer [default: 24h].
    ///
    /// Seconds, or a number with s, m, h or d: 3600, 90m, 24h, 2d (at most
    /// 366 days). A later answer leaves the case unanswered. Like --tz, a
    /// snapshot keeps the window it was made with.
    #[arg(long, value_name = "DURATION", value_parser = duration, help_heading = "Analysis")]
    pub answer_window: Option<i64>,
    /// Group name (群名) for messages whose export names none.
    #[arg(long, value_name = "NAME", value_parser = non_blank, help_heading = "Input")]
    pub group: Option<String>,
    /// CSV of who is police: sender id or name, role.
    ///
    /// One line per person: the sender's id or name, then police or
    /// resident.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub roster: Option<String>,
    /// The exporting account is the officer's (民警).
    ///
    /// The messages the exporting account sent count as police messages.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "exported_by_police", help_heading = "Input")]
    pub exported_by_police: bool,
    /// Columns of a generic CSV: time=…,group=…,sender=…,text=…
    ///
    /// Each names a header of the CSV.
    #[arg(long, value_name = "SPEC", help_heading = "Input")]
    pub columns: Option<String>,
    /// Read every FILE in this format instead of detecting it.
    ///
    /// One of jsonl, wechatmsg-csv (留痕), pywxdump-csv, chatlog-json,
    /// qq-txt, csv.
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub input_format: Option<String>,
    /// CSV of group names: group id (as the exports name it), name.
    ///
    /// For exports that name a group by an id (24713302855@chatroom): the
    /// report shows the name wherever the id was. A roster with the columns
    /// group and group_name gives names too.
    #[arg(long, value_name = "FILE", help_heading = "Input")]
    pub group_names: Option<String>,

    /// Count only messages from this date (or time) on.
    ///
    /// YYYY-MM-DD (from 00:00) or YYYY-MM-DD HH:MM[:SS], in the --tz offset.
    /// The figures are computed from the whole counting state, so a
    /// snapshot reports any window.
    #[arg(long, value_name = "DATE", help_heading = "Period")]
    pub since: Option<String>,
    /// Count only messages up to this date (inclusive) or before this time.
    ///
    /// YYYY-MM-DD (the whole day counts) or YYYY-MM-DD HH:MM[:SS] (the
    /// first instant no longer counted), in the --tz offset.
    #[arg(long, value_name = "DATE", help_heading = "Period")]
    pub until: Option<String>,
    /// The time table of the text and HTML report: per day, week or month.
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = By::Day, help_heading = "Period")]
    pub by: By,
    /// Also report the preceding period of the same length, and the change
    /// (环比).
    ///
    /// The period is --since to --until; an end not given is the first or
    /// last day of the data. The preceding period's messages must be in the
    /// input or the snapshot.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "compare_previous", help_heading = "Period")]
    pub compare_previous: bool,
    /// Keep no message texts for the drill-down lists.
    ///
    /// By default the report lists the solicitations, the open cases and
    /// the victim reports with their (masked) texts; this saves the memory
    /// and snapshot size they take. A snapshot keeps its choice.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "no_drill_down", help_heading = "Output")]
    pub no_drill_down: bool,

    /// Also save the counting state (a snapshot) to FILE.
    ///
    /// For a later --resume, --from-snapshot or `jingmin merge`; written
    /// atomically.
    #[arg(long, value_name = "FILE", help_heading = "Snapshots")]
    pub save_snapshot: Option<String>,
    /// Keep raw personal data (with --raw) in the saved snapshot.
    ///
    /// By default a snapshot stores phone numbers and ids masked, whatever
    /// --raw shows; a later report without --raw never shows raw values.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "keep_raw", help_heading = "Snapshots")]
    pub keep_raw: bool,
    /// Sign and check snapshots with the key in FILE (HMAC-SHA-256).
    ///
    /// Default: the key in the environment variable JINGMIN_SNAPSHOT_KEY,
    /// if set. With a key, saved snapshots carry a MAC and a snapshot whose
    /// MAC is missing or wrong is refused (an edit is detected; the
    /// checksum alone detects only damage). At least 16 bytes.
    #[arg(long, value_name = "FILE", help_heading = "Snapshots")]
    pub snapshot_key_file: Option<String>,
    /// Start from a saved snapshot, then add the FILEs.
    ///
    /// For example each day's new exports, resuming from yesterday's state.
    #[arg(long, value_name = "SNAPSHOT", help_heading = "Snapshots")]
    pub resume: Option<String>,
    /// Report from a snapshot alone, reading no export.
    ///
    /// Give no FILE and no --resume with it; to combine snapshots, use
    /// `jingmin merge`.
    #[arg(long, value_name = "SNAPSHOT", conflicts_with_all = ["files", "resume"], help_heading = "Snapshots")]
    pub from_snapshot: Option<String>,
}

/// The options of `jingmin merge`.
#[derive(Clone, Debug, Args)]
pub struct MergeArgs {
    /// The snapshots to merge (all made with the same --tz).
    #[arg(value_name = "SNAPSHOT", required = true)]
    pub snapshots: Vec<String>,
    /// Where to write the merged snapshot (atomically).
    #[arg(long, value_name = "FILE", required = true)]
    pub out: String,
    /// Keep raw personal data of the inputs in the merged snapshot.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "keep_raw")]
    pub keep_raw: bool,
    /// Check the inputs and sign the output with the key in FILE
    /// (default: JINGMIN_SNAPSHOT_KEY).
    #[arg(long, value_name = "FILE")]
    pub snapshot_key_file: Option<String>,
}

/// The options of `jingmin analyze`.
#[derive(Clone, Debug, Args)]
#[command(after_help = "\
Exit codes: 0 every line was analysed (blank lines included), 1 some lines
could not be analysed (each has its error line), 2 unusable input or
arguments.

Examples:
  jingmin analyze messages.jsonl > analyses.jsonl
  echo 刷单 | jingmin analyze --text
  jingmin analyze --text --role police notices.txt")]
pub struct AnalyzeArgs {
    /// The JSON Lines file (or text file, with --text); - or nothing reads standard input.
    #[arg(value_name = "FILE")]
    pub input: Option<String>,

    /// Read plain text: each line is the text of one message.
    ///
    /// Lines end at LF, CRLF or a lone CR; a UTF-8 byte-order mark is
    /// skipped; a line that is not UTF-8 (or over the 1 MiB message limit)
    /// gets an error line and the run goes on. The analyses carry no id:
    /// output line N is input line N.
    #[arg(long, action = ArgAction::SetTrue, overrides_with = "text", help_heading = "Input")]
    pub text: bool,
    /// The sender's role for every line of --text [default: unknown].
    ///
    /// JSON Lines messages carry their own "role". 民警, 群众 and 未知 are
    /// accepted too.
    #[arg(long, value_enum, value_name = "ROLE", requires = "text", help_heading = "Input")]
    pub role: Option<RoleArg>,

    #[command(flatten)]
    pub engine: EngineArgs,
}

/// `--role` of `analyze --text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// A police officer (民警).
    #[value(alias = "民警")]
    Police,
    /// A resident (群众).
    #[value(alias = "群众")]
    Resident,
    /// Not known (未知).
    #[value(alias = "未知")]
    Unknown,
}

impl From<RoleArg> for jingmin::Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Police => jingmin::Role::Police,
            RoleArg::Resident => jingmin::Role::Resident,
            RoleArg::Unknown => jingmin::Role::Unknown,
        }
    }
}

/// `--tz`: a fixed offset, read by `jingmin::ingest::parse_tz_offset`;
/// seconds east of UTC.
fn tz_offset(s: &str) -> Result<i32, String> {
    jingmin::ingest::parse_tz_offset(s)
        .ok_or_else(|| "expected a fixed offset such as +08:00 (whole minutes within ±23:59)".to_owned())
}

/// `--answer-window`: seconds, or a number with s, m, h or d.
fn duration(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (num, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_lowercase()),
        _ => (t, 's'),
    };
    let factor = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err("expected seconds, or a number with s, m, h or d (90m, 24h)".to_owned()),
    };
    let n: i64 = num.trim().parse().map_err(|_| "expected seconds, or a number with s, m, h or d (90m, 24h)".to_owned())?;
    match n.checked_mul(factor) {
        Some(v) if (1..=366 * 86_400).contains(&v) => Ok(v),
        _ => Err("expected a window from 1 second to 366 days".to_owned()),
    }
}

/// `--group`: a name that is not blank.
fn non_blank(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("the name is blank".to_owned())
    } else {
        Ok(s.to_owned())
    }
}

/// Parse the command line (with the program name first), including the
/// checks clap's attributes cannot express; errors are clap's, printed
/// and exited with as usage errors (2).
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)?;
    if let Command::Report(r) = &cli.command {
        if r.table.is_some() && matches!(r.format, OutFormat::Json | OutFormat::Html | OutFormat::Xlsx) {
            return Err(usage_error("report", "--table applies to --format table or csv"));
        }
        if r.format == OutFormat::Xlsx && r.out.is_none() {
            return Err(usage_error("report", "--format xlsx writes a workbook: give --out FILE.xlsx"));
        }
        if (r.title.is_some() || r.unit.is_some()) && !matches!(r.format, OutFormat::Html | OutFormat::Xlsx) {
            return Err(usage_error("report", "--title and --unit apply to --format html and xlsx"));
        }
    }
    Ok(cli)
}

/// A usage error of a subcommand, formatted as clap formats its own.
fn usage_error(subcommand: &str, message: &str) -> clap::Error {
    let mut cmd = Cli::command();
    cmd.build();
    match cmd.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
        None => cmd.error(ErrorKind::ArgumentConflict, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(a: &[&str]) -> Result<Cli, clap::Error> {
        parse_from(std::iter::once("jingmin").chain(a.iter().copied()))
    }

    fn report(a: &[&str]) -> Result<ReportArgs, String> {
        let mut all = vec!["report"];
        all.extend_from_slice(a);
        match parse(&all).map_err(|e| e.to_string())?.command {
            Command::Report(r) => Ok(*r),
            other => panic!("{other:?}"),
        }
    }

    fn merge(a: &[&str]) -> Result<MergeArgs, String> {
        let mut all = vec!["merge"];
        all.extend_from_slice(a);
        match parse(&all).map_err(|e| e.to_string())?.command {
            Command::Merge(m) => Ok(m),
            other => panic!("{other:?}"),
        }
    }

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_command_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Every form the command line accepted before it used
    /// `jingmin::ingest::parse_tz_offset`, in both spellings.
    #[test]
    fn offsets() {
        for (s, secs) in [
            ("+08:00", 28_800),
            ("+0800", 28_800),
            ("+8", 28_800),
            ("UTC+8", 28_800),
            ("GMT+8", 28_800),
            ("-05:30", -19_800),
            ("-5", -18_000),
            ("+00:00", 0),
            ("Z", 0),
            ("UTC", 0),
        ] {
            assert_eq!(report(&["a", "--tz", s]).unwrap().tz, Some(secs), "--tz {s}");
            assert_eq!(report(&["a", &format!("--tz={s}")]).unwrap().tz, Some(secs), "--tz={s}");
        }
        for s in ["Asia/Shanghai", "+24:00", "+08:60", "", "+", "8"] {
            let e = report(&["a", "--tz", s]).unwrap_err();
            assert!(e.contains("--tz") && e.contains("+08:00"), "--tz {s:?}: {e}");
        }
        assert_eq!(report(&["a"]).unwrap().tz, None);
    }

    #[test]
    fn report_options() {
        let a = report(&["a.jsonl", "--format=csv", "--table", "days", "b.csv", "--raw", "--tz", "+09:00"]).unwrap();
        assert_eq!(a.files, v(&["a.jsonl", "b.csv"]));
        assert_eq!(a.format, OutFormat::Csv);
        assert_eq!(a.table, Some(TableName::Days));
        assert!(a.engine.raw);
        assert_eq!(a.tz, Some(32_400));
        let d = report(&["a"]).unwrap();
        assert_eq!((d.format, d.table, d.engine.raw, d.exported_by_police), (OutFormat::Table, None, false, false));
        assert_eq!(report(&["a", "--format", "text"]).unwrap().format, OutFormat::Table);
        assert!(report(&["a", "--format", "pdf"]).unwrap_err().contains("pdf"));
        assert!(report(&["a", "--bogus"]).unwrap_err().contains("--bogus"));
        assert!(report(&["a", "--out"]).unwrap_err().contains("--out"));
        assert!(report(&["a", "--out", "x", "--out", "y"]).unwrap_err().contains("multiple times"));
        assert!(report(&["a", "--raw", "--raw"]).unwrap().engine.raw);
        assert!(report(&["a", "--exported-by-police", "--exported-by-police"]).unwrap().exported_by_police);
        assert!(report(&[]).is_err());
        assert!(report(&["--from-snapshot", "s", "a"]).is_err());
        assert!(report(&["--from-snapshot", "s", "--resume", "r"]).is_err());
        assert_eq!(report(&["--from-snapshot", "s"]).unwrap().from_snapshot.as_deref(), Some("s"));
        assert!(report(&["a", "--format", "html", "--table", "days"]).unwrap_err().contains("--table applies to"));
        assert!(report(&["a", "--format", "json", "--table", "days"]).is_err());
        assert!(report(&["a", "--format", "csv", "--table", "days"]).is_ok());
        assert!(report(&["a", "--group", "  "]).unwrap_err().contains("blank"));
        let html = report(&["a", "--format", "html", "--title", "三月月报", "--unit", "城关派出所"]).unwrap();
        assert_eq!((html.title.as_deref(), html.unit.as_deref()), (Some("三月月报"), Some("城关派出所")));
        assert!(report(&["a", "--title", "三月月报"]).unwrap_err().contains("--title and --unit apply to --format html"));
        assert!(report(&["a", "--format", "csv", "--unit", "城关派出所"]).is_err());
        assert!(report(&["a", "--format", "html", "--unit", " "]).unwrap_err().contains("blank"));
        assert_eq!(report(&["--", "--odd-name"]).unwrap().files, v(&["--odd-name"]));
        assert_eq!(report(&["-"]).unwrap().files, v(&["-"]));
        let all = report(&[
            "a",
            "--out",
            "o",
            "--lexicon",
            "l",
            "--group",
            "g",
            "--roster",
            "r",
            "--exported-by-police",
            "--columns",
            "text=t",
            "--input-format",
            "qq",
            "--save-snapshot",
            "s",
            "--resume",
            "p",
        ])
        .unwrap();
        assert_eq!(all.out.as_deref(), Some("o"));
        assert_eq!(all.engine.lexicon.as_deref(), Some("l"));
        assert_eq!(all.group.as_deref(), Some("g"));
        assert_eq!(all.roster.as_deref(), Some("r"));
        assert!(all.exported_by_police);
        assert_eq!(all.columns.as_deref(), Some("text=t"));
        assert_eq!(all.input_format.as_deref(), Some("qq"));
        assert_eq!(all.save_snapshot.as_deref(), Some("s"));
        assert_eq!(all.resume.as_deref(), Some("p"));
    }

    #[test]
    fn durations() {
        for (s, v) in [("3600", 3600), ("90m", 5400), ("24h", 86_400), ("2d", 172_800), ("45s", 45), ("1H", 3600)] {
            assert_eq!(report(&["a", "--answer-window", s]).unwrap().answer_window, Some(v), "{s}");
        }
        for s in ["0", "-5", "1y", "h", "367d", ""] {
            assert!(report(&["a", "--answer-window", s]).is_err(), "{s}");
        }
        assert_eq!(report(&["a"]).unwrap().answer_window, None);
    }

    #[test]
    fn merge_options() {
        let m = merge(&["a", "b", "--out", "c"]).unwrap();
        assert_eq!(m.snapshots, v(&["a", "b"]));
        assert_eq!(m.out, "c");
        assert!(merge(&["a"]).is_err());
        assert!(merge(&["--out", "c"]).is_err());
    }

    #[test]
    fn analyze_options() {
        let Command::Analyze(a) = parse(&["analyze", "--raw", "--lexicon=l.json", "in.jsonl"]).unwrap().command else {
            panic!()
        };
        assert_eq!((a.input.as_deref(), a.engine.raw, a.engine.lexicon.as_deref()), (Some("in.jsonl"), true, Some("l.json")));
        let Command::Analyze(a) = parse(&["analyze"]).unwrap().command else { panic!() };
        assert_eq!((a.input, a.engine.raw, a.engine.lexicon), (None, false, None));
        assert!(parse(&["analyze", "a", "b"]).is_err());
        assert!(parse(&["analyze", "--bogus"]).unwrap_err().to_string().contains("--bogus"));
        let Command::Analyze(a) = parse(&["analyze", "--text", "--role", "群众", "-"]).unwrap().command else {
            panic!()
        };
        assert_eq!((a.text, a.role, a.input.as_deref()), (true, Some(RoleArg::Resident), Some("-")));
        assert_eq!(jingmin::Role::from(RoleArg::Police), jingmin::Role::Police);
        let Command::Analyze(a) = parse(&["analyze", "--text", "--text"]).unwrap().command else { panic!() };
        assert_eq!((a.text, a.role), (true, None));
        assert!(parse(&["analyze", "--role", "police"]).unwrap_err().to_string().contains("--text"));
        assert!(parse(&["analyze", "--text", "--role", "boss"]).unwrap_err().to_string().contains("resident"));
    }

    #[test]
    fn usage_errors_exit_2_and_help_0() {
        for a in [&["frobnicate"][..], &[], &["report"], &["report", "a", "--bogus"], &["report", "a", "--format", "html", "--table", "days"]] {
            assert_eq!(parse(a).unwrap_err().exit_code(), 2, "{a:?}");
        }
        for a in [&["--help"][..], &["--version"], &["help"], &["report", "--help"], &["merge", "-h"], &["analyze", "--help"]] {
            assert_eq!(parse(a).unwrap_err().exit_code(), 0, "{a:?}");
        }
    }
}
