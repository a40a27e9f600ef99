//! The `jingmin` command line.
//!
//! ```text
//! jingmin report FILE… [--format table|json|csv|html] [--table NAME] [--out FILE] …
//! jingmin merge SNAPSHOT… --out FILE
//! jingmin analyze [FILE|-] [--text [--role ROLE]] [--raw] [--lexicon FILE]
//! jingmin completions bash|zsh|fish|…
//! ```
//!
//! The options are declared in [`args`] (clap); `jingmin --help` and
//! `jingmin <command> --help` describe them. Exit codes: 0 everything was
//! read, 1 some records were rejected (the output is still written), 2
//! unusable input or arguments.

mod analyze;
mod args;
mod fsutil;
mod input;
mod mac;
mod merge;
mod out;
mod progress;
mod render;
mod report;

use std::process::ExitCode;

use clap::CommandFactory;
use jingmin::Engine;

use crate::args::{Cli, Command};
use crate::out::errln;

fn main() -> ExitCode {
    let cli = match args::parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version on stdout (0), usage errors on stderr (2);
            // a closed pipe is not an error here either.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        Command::Report(a) => report::run(&a),
        Command::Merge(a) => merge::run(&a),
        Command::Analyze(a) => analyze::analyze(&a),
        Command::Completions { shell } => completions(shell),
    }
}

/// `jingmin completions SHELL`: the script on standard output.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    // clap_complete panics when its writer fails: render into memory, then
    // write as every other output is written.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "jingmin", &mut script);
    match out::stdout(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("jingmin completions: cannot write output: {e}");
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
            let lexicon = jingmin::Lexicon::from_json(&json).map_err(|e| format!("lexicon {path}: {e}"))?;
            for w in lexicon.warnings() {
                errln!("jingmin: lexicon {path}: warning: {w}");
            }
            Engine::builder().lexicon(lexicon).build().map_err(|e| format!("lexicon {path}: {e}"))
        }
    }
}
