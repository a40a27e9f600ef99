//! `jingmin report`: read exports, analyse, aggregate, render.

use std::path::Path;
use std::process::ExitCode;

use jingmin::{Added, Aggregator, AggregatorConfig, CountOptions, Engine};

use crate::args::{OutFormat, ReportArgs, TableName};
use crate::fsutil::write_atomic;
use crate::build_engine;
use crate::input::{self, InputOptions, Item};
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
        Ok(rejected) if rejected > 0 => {
            errln!("jingmin report: {rejected} record(s) rejected; the report counts the rest");
            ExitCode::from(SOME_REJECTED)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn read_snapshot(path: &str) -> Result<Aggregator, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read snapshot: {e}"))?;
    Aggregator::restore(&text).map_err(|e| format!("{path}: {e}"))
}

/// The whole run; `Ok(number of rejected records)` or `Err(why the input or
/// arguments are unusable)`.
fn report(a: &ReportArgs) -> Result<u64, String> {
    let format = a.format;
    let mut agg = match (&a.from_snapshot, &a.resume) {
        (Some(p), _) | (None, Some(p)) => read_snapshot(p)?,
        (None, None) => {
            let config = AggregatorConfig { utc_offset_seconds: a.tz.unwrap_or(8 * 3600), ..Default::default() };
            Aggregator::new(config).map_err(|e| e.to_string())?
        }
    };
    let offset = agg.config().utc_offset_seconds;
    if let Some(tz) = a.tz {
        if tz != offset {
            return Err(format!(
                "--tz {} differs from the snapshot's offset {}; snapshots keep their offset",
                render::format_offset(tz),
                render::format_offset(offset)
            ));
        }
    }

    let mut rejected = 0u64;
    let mut unreadable = 0u64;
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
        // Every file must open before anything is counted or written.
        let mut sources = Vec::with_capacity(a.files.len());
        for f in &a.files {
            sources.push(input::open(f, &prepared)?);
        }
        let mut progress = Progress::new(sources.len());
        for (i, src) in sources.into_iter().enumerate() {
            progress.file(i, src.file());
            let (r, u) = read_source(src, &engine, a.engine.raw, &mut agg, &mut progress);
            rejected += r;
            unreadable += u;
        }
        progress.finish();
    }

    if let Some(p) = &a.save_snapshot {
        write_atomic(Path::new(p), agg.snapshot().as_bytes()).map_err(|e| format!("{p}: cannot write snapshot: {e}"))?;
    }

    let report = agg.report();
    let text = match format {
        OutFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        }
        OutFormat::Table => render::table::render(&report, a.table, unreadable),
        OutFormat::Csv => render::csv::render(&report, a.table.unwrap_or(TableName::Groups)),
        OutFormat::Html => render::html::render(&report, unreadable),
    };
    match &a.out {
        Some(p) => write_atomic(Path::new(p), text.as_bytes()).map_err(|e| format!("{p}: cannot write: {e}"))?,
        // A closed pipe (`| head`) ends the output quietly.
        None => out::stdout(text.as_bytes()).map_err(|e| format!("cannot write output: {e}"))?,
    }
    Ok(rejected)
}

/// Read one input into the aggregator; returns how many records were
/// rejected (malformed, or without group or readable time) and how many of
/// them could not be read at all (malformed: not in the aggregator).
fn read_source(
    src: Box<dyn input::Source>,
    engine: &Engine,
    raw: bool,
    agg: &mut Aggregator,
    progress: &mut Progress,
) -> (u64, u64) {
    let file = src.file().to_owned();
    let mut rejected = 0u64;
    let mut unreadable = 0u64;
    let mut listed = 0u64;
    let mut messages = 0u64;
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
                rejected += 1;
                unreadable += 1;
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
    (rejected, unreadable)
}

fn reason_text(r: jingmin::RejectReason) -> &'static str {
    match r {
        jingmin::RejectReason::MissingGroup => "no group (missing_group; give --group)",
        jingmin::RejectReason::MissingTime => "no time (missing_time)",
        jingmin::RejectReason::InvalidTime => "the time cannot be read (invalid_time)",
    }
}
