//! The `jingmin` command line.
//!
//! ```text
//! jingmin analyze [FILE|-] [--raw] [--lexicon FILE]
//! jingmin report FILE… [--format table|json|csv|html] [--table NAME] [--out FILE] …
//! jingmin merge SNAP… --out FILE
//! ```
//!
//! Exit codes: 0 everything was read, 1 some records were rejected (the
//! output is still written), 2 unusable input or arguments.

mod analyze;
mod args;
mod fsutil;
mod input;
mod merge;
mod progress;
mod render;
mod report;

use std::process::ExitCode;

use jingmin::Engine;

pub(crate) const USAGE: &str = "\
usage: jingmin <command> [options]

commands:
  report FILE…       analyse chat exports and print the case-statistics report
  merge SNAP… --out FILE
                     merge aggregator snapshots (from several machines) into one
  analyze [FILE|-]   analyse JSON Lines messages (taxonomy §4; only `text`
                     is required), one analysis per line on stdout
  help               this text

options of report:
  --format table|json|csv|html   output format (default table)
  --table NAME       one table: groups, days, fraud, cases, categories,
                     indicators (csv: default groups; table: all by default)
  --out FILE         write the output to FILE instead of standard output
  --lexicon FILE     layer a user lexicon (JSON) over the built-in one
  --raw              leave phones, ID and bank card numbers unmasked
  --tz +08:00        fixed UTC offset of the exports' local times (default +08:00)
  --group NAME       group of messages whose export names none
  --roster FILE      CSV of sender id or name, role (police/resident)
  --exported-by-police
                     the exporting account is the officer's
  --columns SPEC     generic CSV columns: time=…,group=…,sender=…,text=…
  --input-format NAME
                     read every FILE in this format instead of detecting it
  --save-snapshot FILE
                     also write the aggregator state to FILE (atomically)
  --resume FILE      start from a saved snapshot, then read the FILEs
  --from-snapshot FILE
                     report from a snapshot without reading exports

options of analyze:
  --raw              leave phones, ID and bank card numbers unmasked
  --lexicon FILE     layer a user lexicon (JSON) over the built-in one

exit codes: 0 all read, 1 some records rejected (output still written),
            2 unusable input or arguments
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("analyze") => analyze::analyze(&args[1..]),
        Some("report") => report::run(&args[1..]),
        Some("merge") => merge::run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version") | Some("-V") => {
            println!("jingmin {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("jingmin: unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The engine, with a user lexicon layered over the built-in one.
pub(crate) fn build_engine(lexicon: Option<&str>) -> Result<Engine, String> {
    match lexicon {
        None => Ok(Engine::default()),
        Some(path) => {
            let json = std::fs::read_to_string(path).map_err(|e| format!("cannot read lexicon {path}: {e}"))?;
            Engine::builder()
                .lexicon_json(&json)
                .and_then(|b| b.build())
                .map_err(|e| format!("lexicon {path}: {e}"))
        }
    }
}
