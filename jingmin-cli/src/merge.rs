//! `jingmin merge SNAP… --out FILE`: combine aggregator snapshots taken on
//! several machines (or runs) into one.

use std::path::Path;
use std::process::ExitCode;

use jingmin::Aggregator;

use crate::args::MergeArgs;
use crate::fsutil::write_atomic;
use crate::out::errln;

/// Run `merge`.
pub fn run(a: &MergeArgs) -> ExitCode {
    match merge(&a.snapshots, &a.out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("jingmin merge: {e}");
            ExitCode::from(2)
        }
    }
}

fn merge(snapshots: &[String], out: &str) -> Result<(), String> {
    let mut acc: Option<Aggregator> = None;
    for path in snapshots {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read snapshot: {e}"))?;
        let agg = Aggregator::restore(&text).map_err(|e| format!("{path}: {e}"))?;
        match &mut acc {
            None => acc = Some(agg),
            Some(a) => a.merge(&agg).map_err(|e| format!("{path}: {e}"))?,
        }
    }
    let acc = acc.ok_or("no snapshot given")?;
    write_atomic(Path::new(out), acc.snapshot().as_bytes()).map_err(|e| format!("{out}: cannot write: {e}"))
}
