//! `jingmin report`: read exports, analyse, aggregate, render.

use std::path::Path;
use std::process::ExitCode;

use jingmin::{Added, Aggregator, AggregatorConfig, CountOptions, Engine, DEFAULT_ANSWER_WINDOW_SECONDS};

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
        Ok(rejected) if rejected > 0 => {
            errln!("jingmin report: {rejected} record(s) rejected; the report counts the rest");
            ExitCode::from(SOME_REJECTED)
        }
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
    Ok(())
}

/// The whole run; `Ok(number of rejected records)` or `Err(why the input or
/// arguments are unusable)`.
fn report(a: &ReportArgs) -> Result<u64, String> {
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
                ..Default::default()
            };
            Aggregator::new(config).map_err(|e| e.to_string())?
        }
    };
    let offset = agg.config().utc_offset_seconds;

    let mut rejected = 0u64;
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
            rejected += read_source(src, &engine, a.engine.raw, &mut agg, &mut progress);
        }
        progress.finish();
    }

    // A default report never shows raw values, whatever a snapshot held;
    // a snapshot stores them only when asked to (--keep-raw).
    let raw = a.engine.raw;
    let report = if !raw && a.keep_raw && a.save_snapshot.is_some() {
        let mut masked = agg.clone();
        masked.mask_personal_data();
        masked.report()
    } else {
        if !raw {
            agg.mask_personal_data();
        }
        agg.report()
    };
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
        OutFormat::Table => render::table::render(&report, a.table),
        OutFormat::Csv => render::csv::render(&report, a.table.unwrap_or(TableName::Groups)),
        OutFormat::Html => {
            // The footer names the inputs as given: the snapshot, then the exports.
            let inputs = a.from_snapshot.iter().chain(&a.resume).chain(&a.files).cloned().collect();
            let meta = render::html::Meta { generated_at: render::html::now(), inputs, title: a.title.clone(), unit: a.unit.clone() };
            render::html::render(&report, &meta)
        }
    };
    match &a.out {
        Some(p) => write_atomic(Path::new(p), text.as_bytes(), NewFile::Default)
            .map_err(|e| format!("{p}: cannot write: {e}"))?,
        // A closed pipe (`| head`) ends the output quietly.
        None => out::stdout(text.as_bytes()).map_err(|e| format!("cannot write output: {e}"))?,
    }
    Ok(rejected)
}

/// Read one input into the aggregator; returns how many records were
/// rejected (malformed, or without group or readable time). Malformed
/// records are counted in the aggregator too, as `unreadable`.
fn read_source(
    src: Box<dyn input::Source>,
    engine: &Engine,
    raw: bool,
    agg: &mut Aggregator,
    progress: &mut Progress,
) -> u64 {
    let file = src.file().to_owned();
    let mut rejected = 0u64;
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
    rejected
}

fn reason_text(r: jingmin::RejectReason) -> &'static str {
    match r {
        jingmin::RejectReason::MissingGroup => "no group (missing_group; give --group)",
        jingmin::RejectReason::MissingTime => "no time (missing_time)",
        jingmin::RejectReason::InvalidTime => "the time cannot be read or is implausible (invalid_time)",
        jingmin::RejectReason::Unreadable => "the record cannot be read (unreadable)",
    }
}
