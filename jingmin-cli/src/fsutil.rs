//! Writing files so that an interrupted run never leaves a torn one, nor a
//! file readable by more people than before.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Who may read a file that `write_atomic` creates (an existing file keeps
/// its own mode and owner).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewFile {
    /// Only the owner (0600): snapshots, which hold contact details.
    Private,
    /// As the process's umask allows (0666 less the umask): reports.
    Default,
}

/// Write `bytes` to `path` atomically: into a new temporary file in the same
/// directory (created 0600, whatever the file), flushed to disk (`fsync`),
/// given the mode and owner of the file it replaces (or, for a new file,
/// the mode `new` says), renamed over `path`, and the directory synced so
/// that the rename itself is durable. Readers see the old file or the new
/// one, never a part.
///
/// Temporary files are named `.{name}.{pid}.{n}.tmp`; those of the same
/// target left by a process that no longer runs (killed during a save) are
/// removed first.
pub fn write_atomic(path: &Path, bytes: &[u8], new: NewFile) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temporaries(&dir, &name);
    let (tmp, mut file) = create_temporary(&dir, &name)?;
    let written = file
        .write_all(bytes)
        .and_then(|_| take_over_permissions(&file, path, new))
        .and_then(|_| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|_| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(&dir)
}

/// A new temporary file beside the target, readable by its owner only.
fn create_temporary(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Give the temporary file the mode and owner of the file it will replace;
/// a new file gets the mode `new` says.
#[cfg(unix)]
fn take_over_permissions(file: &File, target: &Path, new: NewFile) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    match fs::metadata(target) {
        Ok(old) if old.is_file() => {
            let mine = file.metadata()?;
            if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
                // Giving a file away needs privileges; keeping the group is
                // allowed to its members. What cannot be kept is not: the
                // file then belongs to whoever rewrote it.
                if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
                    let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
                }
            }
            file.set_permissions(fs::Permissions::from_mode(old.mode() & 0o7777))
        }
        _ => match new {
            NewFile::Private => Ok(()),
            NewFile::Default => file.set_permissions(fs::Permissions::from_mode(0o666 & !umask())),
        },
    }
}

#[cfg(not(unix))]
fn take_over_permissions(_file: &File, _target: &Path, _new: NewFile) -> io::Result<()> {
    Ok(())
}

/// The process's umask, read from `/proc/self/status` (Linux); 022 where
/// it cannot be read.
#[cfg(unix)]
fn umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Whether process `pid` is running: `/proc/PID` exists. Without `/proc`
/// every process counts as running (nothing is removed).
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    pid == std::process::id() || proc.join(pid.to_string()).exists()
}

/// Remove `.{name}.{pid}.{n}.tmp` files in `dir` whose process no longer
/// runs: what a run killed during a save left behind. Failures are
/// ignored (the save itself does not depend on them).
fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(f) = file_name.to_str() else { continue };
        let Some(rest) = f.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else { continue };
        let Some((pid, n)) = rest.split_once('.') else { continue };
        let (Ok(pid), true) = (pid.parse::<u32>(), !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Directories cannot be opened for syncing on Windows; the rename is
    // already atomic there (MoveFileEx with replace).
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("jingmin-fsutil-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("snap.json");
        write_atomic(&p, b"one", NewFile::Private).unwrap();
        write_atomic(&p, b"two", NewFile::Private).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // A target in a missing directory fails, and nothing is left behind.
        assert!(write_atomic(&dir.join("missing/x.json"), b"x", NewFile::Private).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 12, item 9: the temporary file holds the snapshot's contact
    /// details before the rename: it is the owner's alone.
    #[cfg(unix)]
    #[test]
    fn temporary_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("jingmin-fsutil-tmp-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let (tmp, _file) = create_temporary(&dir, "s.json").unwrap();
        assert_eq!(fs::metadata(&tmp).unwrap().permissions().mode() & 0o777, 0o600);
        // A new report follows the umask; a new snapshot is private.
        let report = dir.join("r.html");
        write_atomic(&report, b"x", NewFile::Default).unwrap();
        assert_eq!(fs::metadata(&report).unwrap().permissions().mode() & 0o777, 0o666 & !umask());
        let snap = dir.join("s.json");
        write_atomic(&snap, b"x", NewFile::Private).unwrap();
        assert_eq!(fs::metadata(&snap).unwrap().permissions().mode() & 0o777, 0o600);
        fs::remove_dir_all(&dir).unwrap();
    }
}
