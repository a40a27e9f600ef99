//! `jingmin report`: read exports, analyse, aggregate, render.

use std::path::Path;
use std::process::ExitCode;

use std::collections::BTreeMap;

use jingmin::{
    Added, Aggregator, AggregatorConfig, CountOptions, Engine, Report, ReportOptions, DEFAULT_ANSWER_WINDOW_SECONDS,
};

use crate::args::{OutFormat, ReportArgs, TableName};
use crate::build_engine;
use crate::fsutil::{write_atomic, NewFile};
use crate::input::{self, InputOptions, Item};
use crate::mac;
use crate::out::{self, errln};
use crate::progress::Progress;
use crate::render;

/// How many problems are listed per file before only counting them.
const LISTED_PER_FILE: u64 = 20;

/// Exit code: some records rejected.
const SOME_REJECTED: u8 = 1;
/// Exit code: unusable input or arguments.
const UNUSABLE: u8 = 2;

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    errln!("jingmin report: {msg}");
    ExitCode::from(UNUSABLE)
}

/// Run `report`.
pub fn run(a: &ReportArgs) -> ExitCode {
    match report(a) {
        Ok((rejected, _)) if rejected > 0 => {
            errln!("jingmin report: {rejected} record(s) rejected; the report counts the rest");
            ExitCode::from(SOME_REJECTED)
        }
        // Nothing read at all is not a success either (said on stderr).
        Ok((_, true)) => ExitCode::from(SOME_REJECTED),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Read a snapshot, checking its MAC when a key is set.
pub(crate) fn read_snapshot(path: &str, key: Option<&mac::Key>) -> Result<Aggregator, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read snapshot: {e}"))?;
    mac::verify(key, &text, path)?;
    Aggregator::restore(&text).map_err(|e| format!("{path}: {e}"))
}

/// The snapshot of `agg` as it is written (signed when a key is set).
pub(crate) fn snapshot_text(agg: &Aggregator, key: Option<&mac::Key>) -> String {
    let snap = agg.snapshot();
    match key {
        Some(k) => mac::sign(k, &snap),
        None => snap,
    }
}

/// The snapshot's settings against the options: a given option must agree
/// (`Err` naming both values); an omitted one takes the snapshot's value,
/// said on standard error.
fn check_settings(a: &ReportArgs, agg: &Aggregator, path: &str) -> Result<(), String> {
    let c = agg.config();
    let offset = render::format_offset(c.utc_offset_seconds);
    match a.tz {
        Some(tz) if tz != c.utc_offset_seconds => {
            return Err(format!(
                "--tz {} differs from the offset {offset} of the snapshot {path}; snapshots keep their offset",
                render::format_offset(tz)
            ))
        }
        Some(_) => {}
        None if c.utc_offset_seconds != jingmin::CHINA_STANDARD_TIME => {
            errln!("jingmin report: --tz not given: using the snapshot's offset {offset}, not the default +08:00 ({path})")
        }
        None => {}
    }
    let window = c.answer_window_seconds;
    match a.answer_window {
        Some(w) if w != window => {
            return Err(format!(
                "--answer-window {w} s differs from the answer window {window} s of the snapshot {path}; snapshots keep their window"
            ))
        }
        Some(_) => {}
        None if window != DEFAULT_ANSWER_WINDOW_SECONDS => {
            errln!("jingmin report: --answer-window not given: using the snapshot's window of {window} s ({path})")
        }
        None => {}
    }
    match (a.no_drill_down, c.drill_down) {
        (true, true) => {
            return Err(format!(
                "--no-drill-down differs from the snapshot {path}, which keeps the drill-down texts; snapshots keep their choice"
            ))
        }
        (false, false) => errln!(
            "jingmin report: the snapshot {path} keeps no drill-down texts (made with --no-drill-down or by another \
             program): the lists show no texts and senders"
        ),
        _ => {}
    }
    Ok(())
}

/// `--since` / `--until`: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]` in the
/// offset; a bare date of `--until` counts the whole day.
fn window_bound(flag: &str, value: &str, offset: i32, until: bool) -> Result<i64, String> {
    let v = value.trim();
    let bad = || {
        format!("{flag} {value:?}: expected a date YYYY-MM-DD or a time YYYY-MM-DD HH:MM[:SS] (in the offset {})", render::format_offset(offset))
    };
    let is_date = v.len() == 10 && v.as_bytes().get(4) == Some(&b'-') && v.as_bytes().get(7) == Some(&b'-');
    if is_date {
        let t = jingmin::parse_time(&format!("{v} 00:00:00"), offset).map_err(|_| bad())?;
        return Ok(if until { t + 86_400 } else { t });
    }
    let full = if v.len() == 16 { format!("{v}:00") } else { v.to_owned() };
    if full.len() != 19 {
        return Err(bad());
    }
    jingmin::parse_time(&full, offset).map_err(|_| bad())
}

/// The report options of the command line.
fn report_options(a: &ReportArgs, offset: i32) -> Result<ReportOptions, String> {
    let since = a.since.as_deref().map(|v| window_bound("--since", v, offset, false)).transpose()?;
    let until = a.until.as_deref().map(|v| window_bound("--until", v, offset, true)).transpose()?;
    if let (Some(s), Some(u)) = (since, until) {
        if s >= u {
            return Err(format!(
                "--since {} is not before --until {}: the period is empty",
                a.since.as_deref().unwrap_or(""),
                a.until.as_deref().unwrap_or("")
            ));
        }
    }
    Ok(ReportOptions { since, until, compare_previous: a.compare_previous })
}

/// Group names from `--group-names` (CSV `id,name`; a header row
/// `id,name`/`group,name`/`group,group_name` is skipped) and the roster's
/// optional columns.
fn group_names(a: &ReportArgs, roster: Option<&jingmin::ingest::Roster>) -> Result<BTreeMap<String, String>, String> {
    let mut names: BTreeMap<String, String> = roster.map(|r| r.group_names().clone()).unwrap_or_default();
    let Some(path) = &a.group_names else { return Ok(names) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read group names: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, name)) = line.split_once(',') else {
            return Err(format!("{path}: line {n}: expected two columns, group id and name (id,name)"));
        };
        let (id, name) = (id.trim().trim_matches('"').trim(), name.trim().trim_matches('"').trim());
        if n == 1 && matches!(id, "id" | "group" | "群" | "群标识") && matches!(name, "name" | "group_name" | "群名") {
            continue;
        }
        if id.is_empty() || name.is_empty() || name.contains(',') {
            return Err(format!("{path}: line {n}: expected a group id and a name (id,name), neither empty"));
        }
        if let Some(old) = names.get(id).filter(|old| old.as_str() != name) {
            return Err(format!("{path}: line {n}: the group {id} is named twice, differently (\"{old}\" and \"{name}\")"));
        }
        names.insert(id.to_owned(), name.to_owned());
    }
    Ok(names)
}

/// The names given to groups, in the report (`groups[].name`).
fn complete(report: &mut Report, names: &BTreeMap<String, String>) {
    for g in &mut report.groups {
        g.name = names.get(&g.group).cloned();
    }
}

/// A warning for every group with content but no police sender: its
/// response figures are unknown.
fn warn_unpoliced(report: &Report) {
    for g in report.groups.iter().filter(|g| !g.police_identified && g.messages.total > 0) {
        let shown = match &g.name {
            Some(n) => format!("{n} ({})", g.group),
            None => g.group.clone(),
        };
        errln!(
            "jingmin report: warning: group {}: no police sender recognised ({}); its answers are shown as unknown \
             and police warnings may count as other messages. Give --roster FILE (sender,role per line) or \
             --exported-by-police when the export is the officer's own",
            crate::render::table::sanitize(&shown),
            render::model::NO_POLICE_NOTE
        );
    }
}

/// The whole run; `Ok((number of rejected records, whether nothing at all
/// was read))` or `Err(why the input or arguments are unusable)`.
fn report(a: &ReportArgs) -> Result<(u64, bool), String> {
    let format = a.format;
    let key = mac::key(a.snapshot_key_file.as_deref())?;
    let mut agg = match (&a.from_snapshot, &a.resume) {
        (Some(p), _) | (None, Some(p)) => {
            let agg = read_snapshot(p, key.as_ref())?;
            check_settings(a, &agg, p)?;
            agg
        }
        (None, None) => {
            let config = AggregatorConfig {
                utc_offset_seconds: a.tz.unwrap_or(jingmin::CHINA_STANDARD_TIME),
                answer_window_seconds: a.answer_window.unwrap_or(DEFAULT_ANSWER_WINDOW_SECONDS),
                drill_down: !a.no_drill_down,
                ..Default::default()
            };
            Aggregator::new(config).map_err(|e| e.to_string())?
        }
    };
    let offset = agg.config().utc_offset_seconds;
    let options = report_options(a, offset)?;
    let roster = match &a.roster {
        Some(path) => {
            let file = std::fs::File::open(path).map_err(|e| format!("{path}: cannot open roster: {e}"))?;
            Some(jingmin::ingest::Roster::from_csv_reader(file).map_err(|e| format!("{path}: {e}"))?)
        }
        None => None,
    };
    let names = group_names(a, roster.as_ref())?;

    let mut rejected = 0u64;
    let mut read_any = false;
    if a.from_snapshot.is_none() {
        let engine = build_engine(a.engine.lexicon.as_deref())?;
        let opts = InputOptions {
            tz: offset,
            default_group: a.group.clone(),
            exported_by_police: a.exported_by_police,
            roster: a.roster.clone(),
            columns: a.columns.clone(),
            format: a.input_format.clone(),
        };
        let prepared = input::prepare(&opts)?;
        // Every file must open (and be of a known format) before anything
        // is counted or written; each is then opened again in turn, so that
        // one input at a time holds a descriptor and buffers.
        for f in &a.files {
            drop(input::open(f, &prepared)?);
        }
        let mut progress = Progress::new(a.files.len());
        for (i, f) in a.files.iter().enumerate() {
            let src = input::open(f, &prepared)?;
            progress.file(i, src.file());
            let (rej, read) = read_source(src, &engine, a.engine.raw, &mut agg, &mut progress);
            rejected += rej;
            read_any |= read > 0;
        }
        progress.finish();
        if !read_any && !a.files.is_empty() {
            errln!(
                "jingmin report: warning: nothing was read: no message or record in {} (an empty file, or not the \
                 format given with --input-format?); the report is empty",
                if a.files.len() == 1 { a.files[0].clone() } else { format!("any of the {} files", a.files.len()) }
            );
        }
    }

    // A default report never shows raw values, whatever a snapshot held;
    // a snapshot stores them only when asked to (--keep-raw).
    let raw = a.engine.raw;
    let mut report = if !raw && a.keep_raw && a.save_snapshot.is_some() {
        let mut masked = agg.clone();
        masked.mask_personal_data();
        masked.report_with(&options)
    } else {
        if !raw {
            agg.mask_personal_data();
        }
        agg.report_with(&options)
    }
    .map_err(|e| e.to_string())?;
    complete(&mut report, &names);
    warn_unpoliced(&report);
    if let Some(p) = &a.save_snapshot {
        if !a.keep_raw {
            agg.mask_personal_data();
        }
        write_atomic(Path::new(p), snapshot_text(&agg, key.as_ref()).as_bytes(), NewFile::Private)
            .map_err(|e| format!("{p}: cannot write snapshot: {e}"))?;
    }

    let text = match format {
        OutFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        OutFormat::Table => render::table::render(&report, a.table, a.by),
        OutFormat::Csv => render::csv::render(&report, a.table.unwrap_or(TableName::Groups)),
        OutFormat::Html => render::html::render(&report, &meta(a), a.by),
        OutFormat::Xlsx => {
            let Some(p) = &a.out else { return Err("--format xlsx needs --out FILE.xlsx".to_owned()) };
            let book = render::xlsx::render(&report, &meta(a)).map_err(|e| format!("{p}: cannot make the workbook: {e}"))?;
            write_atomic(Path::new(p), &book, NewFile::Default).map_err(|e| format!("{p}: cannot write: {e}"))?;
            return Ok((rejected, !read_any && !a.files.is_empty()));
        }
    };
    match &a.out {
        Some(p) => write_atomic(Path::new(p), text.as_bytes(), NewFile::Default)
            .map_err(|e| format!("{p}: cannot write: {e}"))?,
        // A closed pipe (`| head`) ends the output quietly.
        None => out::stdout(text.as_bytes()).map_err(|e| format!("cannot write output: {e}"))?,
    }
    Ok((rejected, !read_any && !a.files.is_empty()))
}

/// What the page and the workbook say of the run: the inputs as given (the
/// snapshot, then the exports), the time, the title and unit.
fn meta(a: &ReportArgs) -> render::html::Meta {
    let inputs = a.from_snapshot.iter().chain(&a.resume).chain(&a.files).cloned().collect();
    render::html::Meta { generated_at: render::html::now(), inputs, title: a.title.clone(), unit: a.unit.clone() }
}

/// Read one input into the aggregator; returns how many records were
/// rejected (malformed, or without group or readable time) and how many
/// were read at all. Malformed records are counted in the aggregator too,
/// as `unreadable`.
fn read_source(
    src: Box<dyn input::Source>,
    engine: &Engine,
    raw: bool,
    agg: &mut Aggregator,
    progress: &mut Progress,
) -> (u64, u64) {
    let file = src.file().to_owned();
    let mut rejected = 0u64;
    let mut listed = 0u64;
    let mut messages = 0u64;
    let mut unreadable = 0u64;
    let note = |progress: &Progress, listed: &mut u64, text: String| {
        *listed += 1;
        if *listed <= LISTED_PER_FILE {
            progress.eprintln(&text);
        }
    };
    for item in src {
        progress.tick();
        match item {
            Item::Message { message, kind, line } => {
                messages += 1;
                let added = agg.add_with(engine, &message, &CountOptions { raw, kind });
                if let Added::Rejected(reason) = added {
                    rejected += 1;
                    let at = match line {
                        Some(l) => format!("line {l}"),
                        None => format!("message {messages}"),
                    };
                    note(progress, &mut listed, format!("{file}: {at}: not counted: {}", reason_text(reason)));
                }
            }
            Item::Rejected { line, reason } => {
                unreadable += 1;
                // Counted in the aggregate (once, however often the file is
                // read), and always in this run's exit code.
                agg.add_unreadable(&file, line);
                rejected += 1;
                note(progress, &mut listed, format!("{file}: line {line}: rejected: {reason}"));
            }
            Item::Warning { line, reason } => {
                note(progress, &mut listed, format!("{file}: line {line}: warning: {reason}"));
            }
        }
    }
    if listed > LISTED_PER_FILE {
        progress.eprintln(&format!("{file}: … {} more problem(s) not listed", listed - LISTED_PER_FILE));
    }
    (rejected, messages + unreadable)
}

fn reason_text(r: jingmin::RejectReason) -> &'static str {
    match r {
        jingmin::RejectReason::MissingGroup => "no group (missing_group; give --group)",
        jingmin::RejectReason::MissingTime => "no time (missing_time)",
        jingmin::RejectReason::InvalidTime => "the time cannot be read or is implausible (invalid_time)",
        jingmin::RejectReason::Unreadable => "the record cannot be read (unreadable)",
    }
}
