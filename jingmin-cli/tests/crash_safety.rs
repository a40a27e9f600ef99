//! Crash safety of `jingmin report --save-snapshot` (issue 7): the process
//! is killed with SIGKILL at random moments, many times. After every kill
//! the snapshot on disk is either the previous complete one (or absent, if
//! there was none) or the new complete one, and it restores cleanly;
//! resuming from it (`--resume`) and finishing the remaining input gives
//! the same report as one uninterrupted run.
//!
//! The input is the demo data (`examples/data/exports/*.jsonl`) copied
//! several times with distinct ids, in chunks large enough that a kill
//! lands mid-run. Set `JINGMIN_CRASH_SEED` to replay a sequence of kills.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jingmin::Aggregator;

const BIN: &str = env!("CARGO_BIN_EXE_jingmin");
const KILLS: usize = 30;
const CHUNKS: usize = 3;

/// xorshift64*: enough randomness for kill times, reproducible by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("jingmin-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes chunk `c` (copies `c * copies ..`) of the demo data: every
/// message of the demo JSON Lines exports with its id made distinct.
fn write_chunk(dir: &Path, c: usize, copies: usize) -> Vec<String> {
    let demo = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("examples/data/exports");
    let mut files = Vec::new();
    for name in ["community_xingfuli.jsonl", "village_taoyuan.jsonl"] {
        let text = std::fs::read_to_string(demo.join(name)).unwrap();
        let mut out = String::with_capacity(text.len() * copies + 1024);
        for k in c * copies..(c + 1) * copies {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
                let id = v["id"].as_str().unwrap().to_owned();
                v["id"] = serde_json::Value::String(format!("copy{k}-{id}"));
                out.push_str(&v.to_string());
                out.push('\n');
            }
        }
        let p = dir.join(format!("chunk{c}-{name}"));
        std::fs::write(&p, out).unwrap();
        files.push(p.to_string_lossy().into_owned());
    }
    files
}

fn report_args(files: &[String], resume: Option<&Path>, save: &Path) -> Vec<String> {
    let mut a = vec!["report".to_owned()];
    a.extend(files.iter().cloned());
    if let Some(r) = resume {
        a.push("--resume".into());
        a.push(r.to_string_lossy().into_owned());
    }
    a.push("--save-snapshot".into());
    a.push(save.to_string_lossy().into_owned());
    a.push("--format".into());
    a.push("json".into());
    a
}

fn run_ok(args: &[String]) -> Vec<u8> {
    let o = Command::new(BIN).args(args).output().unwrap();
    assert!(o.status.success(), "jingmin {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

/// The report JSON of a snapshot file.
fn report_of(snapshot: &Path) -> Vec<u8> {
    run_ok(&["report".into(), "--from-snapshot".into(), snapshot.to_string_lossy().into_owned(), "--format".into(), "json".into()])
}

#[test]
fn sigkill_never_tears_the_snapshot_and_resuming_gives_the_same_report() {
    let dir = scratch();
    let seed = std::env::var("JINGMIN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            (now.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32) | 1
        });
    eprintln!("crash safety: JINGMIN_CRASH_SEED={seed}");
    let mut rng = Rng(seed.max(1));

    // Size the chunks so that one run takes long enough to be hit mid-way:
    // time one copy, then take as many copies as make ~0.5 s (at most 8).
    let probe = write_chunk(&dir, 1000, 1);
    let t0 = Instant::now();
    run_ok(&report_args(&probe, None, &dir.join("probe.json")));
    let one = t0.elapsed();
    let copies = ((0.5 / one.as_secs_f64().max(0.01)).ceil() as usize).clamp(1, 8);
    let chunks: Vec<Vec<String>> = (0..CHUNKS).map(|c| write_chunk(&dir, c, copies)).collect();

    // References: the uninterrupted chain of runs, each resuming from the
    // last, and one single run over everything.
    let refs_dir = dir.join("refs");
    std::fs::create_dir_all(&refs_dir).unwrap();
    let mut refs: Vec<Vec<u8>> = Vec::new(); // refs[k]: the snapshot after chunks 0..=k
    let mut chunk_time = Duration::ZERO;
    for (k, files) in chunks.iter().enumerate() {
        let save = refs_dir.join(format!("after{k}.json"));
        let prev = (k > 0).then(|| refs_dir.join(format!("after{}.json", k - 1)));
        let t = Instant::now();
        run_ok(&report_args(files, prev.as_deref(), &save));
        chunk_time = chunk_time.max(t.elapsed());
        refs.push(std::fs::read(&save).unwrap());
    }
    let all: Vec<String> = chunks.concat();
    let whole_snapshot = dir.join("whole.json");
    let whole_report = run_ok(&report_args(&all, None, &whole_snapshot));
    assert_eq!(std::fs::read(&whole_snapshot).unwrap(), *refs.last().unwrap(), "chained runs equal one run");
    assert_eq!(report_of(&refs_dir.join(format!("after{}.json", CHUNKS - 1))), whole_report);
    eprintln!("crash safety: {copies} copies per chunk, a chunk takes up to {chunk_time:?}");

    // The kills.
    let snap = dir.join("state").join("snapshot.json");
    std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
    let mut done = 0usize; // chunks the snapshot on disk holds
    let (mut mid_run, mut completed, mut restarts) = (0usize, 0usize, 0usize);
    let window = chunk_time.as_micros() as u64 * 12 / 10;
    for i in 0..KILLS {
        if done == CHUNKS {
            // Everything is in: start over, to keep killing.
            std::fs::remove_file(&snap).unwrap();
            done = 0;
            restarts += 1;
        }
        let before = std::fs::read(&snap).ok();
        let resume = (done > 0).then_some(snap.as_path());
        let mut child = Command::new(BIN)
            .args(report_args(&chunks[done], resume, &snap))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap_or(()); // SIGKILL on Unix; fine if it already exited
        let status = child.wait().unwrap();

        let after = std::fs::read(&snap).ok();
        let expected_prev = if done == 0 { None } else { Some(&refs[done - 1]) };
        let expected_next = &refs[done];
        match &after {
            None => assert!(done == 0, "kill {i}: the snapshot disappeared"),
            Some(bytes) => {
                assert!(
                    Some(bytes) == expected_prev || bytes == expected_next,
                    "kill {i} (seed {seed}): the snapshot is neither the previous nor the new complete one ({} bytes)",
                    bytes.len()
                );
                let text = std::str::from_utf8(bytes).expect("snapshot is UTF-8");
                Aggregator::restore(text).unwrap_or_else(|e| panic!("kill {i}: the snapshot does not restore: {e}"));
            }
        }
        if after.as_ref() == Some(expected_next) {
            if before.as_ref() != Some(expected_next) {
                done += 1;
            }
            completed += 1;
        } else if running && !status.success() {
            mid_run += 1;
        }
    }
    eprintln!("crash safety: {KILLS} kills, {mid_run} mid-run, {completed} after the snapshot was written, {restarts} restarts");
    assert!(mid_run >= 3, "only {mid_run} of {KILLS} kills landed mid-run: the chunks are too small");

    // Finish what is left, uninterrupted, from whatever the kills left.
    while done < CHUNKS {
        let resume = (done > 0).then_some(snap.as_path());
        run_ok(&report_args(&chunks[done], resume, &snap));
        done += 1;
    }
    assert_eq!(std::fs::read(&snap).unwrap(), *refs.last().unwrap());
    assert_eq!(report_of(&snap), whole_report, "resumed runs report as one uninterrupted run");

    // Killed writers may leave their temporary files; never a torn snapshot.
    for entry in std::fs::read_dir(snap.parent().unwrap()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name == "snapshot.json" || (name.starts_with(".snapshot.json.") && name.ends_with(".tmp")), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
