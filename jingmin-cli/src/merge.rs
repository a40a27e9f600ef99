//! `jingmin merge SNAP… --out FILE`: combine aggregator snapshots taken on
//! several machines (or runs) into one.

use std::path::Path;
use std::process::ExitCode;

use jingmin::Aggregator;

use crate::args::MergeArgs;
use crate::fsutil::{write_atomic, NewFile};
use crate::mac;
use crate::out::errln;
use crate::report::{read_snapshot, snapshot_text};

/// Run `merge`.
pub fn run(a: &MergeArgs) -> ExitCode {
    match merge(a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("jingmin merge: {e}");
            ExitCode::from(2)
        }
    }
}

fn merge(a: &MergeArgs) -> Result<(), String> {
    let key = mac::key(a.snapshot_key_file.as_deref())?;
    let mut acc: Option<Aggregator> = None;
    for path in &a.snapshots {
        let agg = read_snapshot(path, key.as_ref())?;
        match &mut acc {
            None => acc = Some(agg),
            Some(x) => x.merge(&agg).map_err(|e| format!("{path}: {e}"))?,
        }
    }
    let mut acc = acc.ok_or("no snapshot given")?;
    // Raw data of the inputs is stored only when asked for.
    if !a.keep_raw {
        acc.mask_personal_data();
    }
    let out = &a.out;
    write_atomic(Path::new(out), snapshot_text(&acc, key.as_ref()).as_bytes(), NewFile::Private)
        .map_err(|e| format!("{out}: cannot write: {e}"))
}
