//! The benchmark of issue 6: the engine against the bare matcher and its
//! peers, side by side, in one run, printed as one table.
//!
//! ```text
//! cargo bench --bench throughput                      # 1,000,000 messages
//! cargo bench --bench throughput -- --messages 50000  # a quick run
//! scripts/bench.sh                                    # everything, Python peers included
//! ```
//!
//! Options (after `--`): `--messages N` (default 1,000,000), `--reps R`
//! (repetitions per row, the median is reported; default 5), `--seed S`,
//! `--out DIR` (where the corpus dump and the results go; default
//! `target/bench`), `--python PATH` (run `bench/python/bench_peers.py` with
//! this interpreter and include its rows), `--markdown` (print the table as
//! Markdown), `--corpus-only` (describe the corpus, print a sample, stop),
//! `--profile analyze|long|labelled|build|aggregate` (only run `Engine::analyze`
//! over the corpus, over 10,000-character messages or over the labelled
//! messages, or build the engine with the
//! 20k-entry lexicon, or feed, snapshot and restore the aggregator, `--reps`
//! times: a target for `perf record`). Absolute figures depend on the
//! machine; only the ratios are
//! meant to be compared, and nothing here asserts.

mod corpus;

/// The C layer, compiled in from its crate's sources (the capi crate is a
/// cdylib and a staticlib only), for the rows of `jm_analyze_batch`.
#[path = "../jingmin-capi/src/lib.rs"]
#[allow(dead_code, unused_imports)]
mod capi;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind};
use jingmin::{Aggregator, Analysis, Engine, EntryKind, Lexicon, Message, Role};

use corpus::{Corpus, Fold};

/// Counts live heap bytes, only while `COUNTING` is on (so the throughput
/// rows pay one uncontended load per allocation, nothing more).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Live heap bytes allocated while counting (frees of memory allocated
/// before counting started make it drift down; measure growth of structures
/// built entirely while counting).
fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Resident set size in bytes, from `/proc/self/statm` (0 elsewhere).
fn rss() -> usize {
    let Ok(s) = std::fs::read_to_string("/proc/self/statm") else { return 0 };
    let pages: usize = s.split_whitespace().nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
    pages * 4096
}

struct Args {
    messages: usize,
    reps: usize,
    seed: u64,
    out: PathBuf,
    python: Option<String>,
    markdown: bool,
    corpus_only: bool,
    profile: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        messages: 1_000_000,
        reps: 5,
        seed: corpus::SEED,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("bench"),
        python: None,
        markdown: false,
        corpus_only: false,
        profile: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--messages" => a.messages = it.next().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(a.messages),
            "--reps" => a.reps = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.reps).max(1),
            "--seed" => a.seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.seed),
            "--out" => a.out = it.next().map(PathBuf::from).unwrap_or(a.out),
            "--python" => a.python = it.next(),
            "--markdown" => a.markdown = true,
            "--corpus-only" => a.corpus_only = true,
            "--profile" => a.profile = it.next(),
            // `cargo bench` passes `--bench`; ignore it and anything unknown.
            _ => {}
        }
    }
    a
}

/// Median wall time of `reps` runs of `f`; `f` returns a checksum, which
/// must be the same every time.
fn median<F: FnMut() -> u64>(reps: usize, mut f: F) -> (Duration, u64) {
    let mut times = Vec::with_capacity(reps);
    let mut sum = None;
    for _ in 0..reps {
        let t = Instant::now();
        let s = std::hint::black_box(f());
        times.push(t.elapsed());
        if let Some(prev) = sum {
            assert_eq!(prev, s, "checksum changed between repetitions");
        }
        sum = Some(s);
    }
    times.sort();
    (times[times.len() / 2], sum.unwrap_or(0))
}

/// One row of the table.
#[derive(Clone, Debug)]
struct Row {
    id: String,
    name: String,
    patterns: String,
    /// Messages and bytes processed per repetition, and the median time.
    work: Option<(usize, usize, Duration)>,
    /// Index of the row this one's ratio is taken against.
    base: Option<usize>,
    /// For rows that are not throughput: the figure.
    value: String,
    note: String,
}

impl Row {
    fn msg_s(&self) -> Option<f64> {
        self.work.map(|(m, _, t)| m as f64 / t.as_secs_f64())
    }
    fn mb_s(&self) -> Option<f64> {
        self.work.map(|(_, b, t)| b as f64 / 1e6 / t.as_secs_f64())
    }
}

struct Table {
    rows: Vec<Row>,
    reps: usize,
}

impl Table {
    fn push(&mut self, row: Row) -> usize {
        eprintln!(
            "  {:<4} {:<52} {}",
            row.id,
            row.name,
            row.msg_s().map_or(row.value.clone(), |m| format!("{:.0} msg/s", m))
        );
        self.rows.push(row);
        self.rows.len() - 1
    }

    fn ratio(&self, i: usize) -> Option<f64> {
        let r = &self.rows[i];
        let b = &self.rows[r.base?];
        Some(r.msg_s()? / b.msg_s()?)
    }

    fn print(&self, markdown: bool) {
        let head = ["#", "row", "patterns", "MB/s", "messages/s", "× baseline", "figure", "note"];
        let mut lines: Vec<[String; 8]> = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            lines.push([
                r.id.clone(),
                r.name.clone(),
                r.patterns.clone(),
                r.mb_s().map_or(String::new(), |v| format!("{v:.1}")),
                r.msg_s().map_or(String::new(), |v| format!("{v:.0}")),
                self.ratio(i).map_or(String::new(), |v| format!("{v:.2}")),
                r.value.clone(),
                r.note.clone(),
            ]);
        }
        if markdown {
            println!("| {} |", head.join(" | "));
            println!("|{}|", head.iter().map(|_| "---").collect::<Vec<_>>().join("|"));
            for l in &lines {
                println!("| {} |", l.join(" | "));
            }
            return;
        }
        let width = |k: usize| {
            lines.iter().map(|l| l[k].chars().count()).chain(std::iter::once(head[k].chars().count())).max().unwrap_or(0)
        };
        let w: Vec<usize> = (0..8).map(width).collect();
        let fmt = |cells: &[String]| {
            cells
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let pad = w[k].saturating_sub(c.chars().count());
                    if (3..=5).contains(&k) {
                        format!("{}{}", " ".repeat(pad), c)
                    } else {
                        format!("{}{}", c, " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
        };
        println!("{}", fmt(&head.map(String::from)));
        println!("{}", "-".repeat(w.iter().sum::<usize>() + 2 * 7));
        for l in &lines {
            println!("{}", fmt(l));
        }
    }
}

fn throughput(id: &str, name: &str, patterns: usize, msgs: usize, bytes: usize, t: Duration, base: Option<usize>) -> Row {
    Row {
        id: id.into(),
        name: name.into(),
        patterns: patterns.to_string(),
        work: Some((msgs, bytes, t)),
        base,
        value: String::new(),
        note: String::new(),
    }
}

fn figure(id: &str, name: &str, patterns: &str, value: String, note: &str) -> Row {
    Row {
        id: id.into(),
        name: name.into(),
        patterns: patterns.into(),
        work: None,
        base: None,
        value,
        note: note.into(),
    }
}

/// The bare matcher: `aho-corasick`, leftmost-longest, over pre-folded text.
fn baseline_automaton(patterns: &[String], fold: &Fold) -> AhoCorasick {
    let mut folded: Vec<String> = Vec::with_capacity(patterns.len());
    let mut buf = String::new();
    for p in patterns {
        fold.fold(p, &mut buf);
        if !buf.is_empty() {
            folded.push(buf.clone());
        }
    }
    folded.sort();
    folded.dedup();
    AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&folded).expect("baseline automaton")
}

fn scan_all(ac: &AhoCorasick, texts: &[String]) -> u64 {
    texts.iter().map(|t| ac.find_iter(t.as_str()).count() as u64).sum()
}

fn analyze_checksum(a: &Analysis) -> u64 {
    a.category as u64 * 7 + a.fraud.hits.len() as u64 * 131 + a.entities.len() as u64 * 17 + a.fraud.risk as u64
}

fn analyze_all<'a>(engine: &Engine, texts: impl Iterator<Item = &'a str>) -> u64 {
    texts.map(|t| analyze_checksum(&engine.analyze(t))).sum()
}

fn analyze_two_threads(engine: &Engine, c: &Corpus) -> u64 {
    let n = c.len();
    let half = n / 2;
    std::thread::scope(|s| {
        let a = s.spawn(|| analyze_all(engine, (0..half).map(|i| c.get(i))));
        let b = s.spawn(|| analyze_all(engine, (half..n).map(|i| c.get(i))));
        a.join().expect("thread") + b.join().expect("thread")
    })
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn main() {
    let args = args();
    let n = args.messages;
    let reps = args.reps;
    eprintln!("jingmin benchmark: {n} messages, median of {reps} repetitions, load average {}", load_average());

    if args.profile.as_deref() == Some("build") {
        let defaults: Vec<String> = Lexicon::default_lexicon().entries().iter().map(|e| e.pattern.clone()).collect();
        let json = corpus::user_lexicon_json(&corpus::user_words(20_000, &defaults));
        let t = Instant::now();
        let mut sum = 0;
        for _ in 0..reps {
            sum += Engine::builder().lexicon_json(&json).expect("lexicon").build().expect("engine").pattern_count();
        }
        eprintln!("profile build: {reps} builds with 20k user entries in {:.2} s ({sum} patterns)", t.elapsed().as_secs_f64());
        return;
    }
    if let Some(what) = &args.profile {
        // The labelled messages need no generated corpus.
        let c = corpus::generate(if what == "labelled" { 0 } else { n }, args.seed);
        let e = Engine::default();
        if what == "aggregate" {
            let input = AggInput::new(&e, &c);
            let mut total = Duration::ZERO;
            let mut snap = Duration::ZERO;
            let mut restore = Duration::ZERO;
            for _ in 0..reps {
                let mut agg = Aggregator::default();
                total += input.feed(&mut agg, false);
                let t = Instant::now();
                let s = agg.snapshot();
                snap += t.elapsed();
                let t = Instant::now();
                let back = Aggregator::restore(&s).expect("restore");
                restore += t.elapsed();
                assert_eq!(back.len(), agg.len());
            }
            let h0 = live();
            let mut agg = Aggregator::default();
            input.feed(&mut agg, true);
            let heap = (live() - h0) as f64 / agg.len().max(1) as f64;
            eprintln!(
                "profile aggregate: {n} messages x {reps}: add {:.2} s, snapshot {:.2} s, restore {:.2} s; state {heap:.1} B/message",
                total.as_secs_f64(),
                snap.as_secs_f64(),
                restore.as_secs_f64()
            );
            return;
        }
        let long;
        let texts: Vec<&str> = if what == "long" {
            long = corpus::fixed_length(&c, 10_000, 2_000_000);
            long.iter().map(String::as_str).collect()
        } else if what == "labelled" {
            long = labelled_texts();
            long.iter().map(String::as_str).collect()
        } else {
            c.iter().collect()
        };
        let t = Instant::now();
        let mut sum = 0;
        for _ in 0..reps {
            sum += analyze_all(&e, texts.iter().copied());
        }
        eprintln!("profile {what}: {} messages x {reps} in {:.2} s (checksum {sum})", texts.len(), t.elapsed().as_secs_f64());
        return;
    }

    // Pattern sets.
    let fraud_keywords: Vec<String> = Lexicon::default_lexicon()
        .entries()
        .iter()
        .filter(|e| e.kind == EntryKind::Fraud)
        .map(|e| e.pattern.clone())
        .collect();
    let default_patterns: Vec<String> = Lexicon::default_lexicon().entries().iter().map(|e| e.pattern.clone()).collect();
    let words = corpus::user_words(20_000, &default_patterns);
    let json_2k = corpus::user_lexicon_json(&words[..2_000]);
    let json_20k = corpus::user_lexicon_json(&words);

    let mut table = Table { rows: Vec::new(), reps };

    // 7. Build time and memory, first, in a fresh process.
    let build = |json: Option<&str>| {
        let b = Engine::builder();
        let b = match json {
            Some(j) => b.lexicon_json(j).expect("user lexicon"),
            None => b,
        };
        b.build().expect("engine")
    };
    let _ = Lexicon::default_lexicon(); // parsed once per process, as in real use
    let mut engines: Vec<Engine> = Vec::new();
    let mut mem_rows = Vec::new();
    for (label, json, count) in [
        ("default lexicon", None, default_patterns.len()),
        ("default + 2k user entries", Some(json_2k.as_str()), default_patterns.len() + 2_000),
        ("default + 20k user entries", Some(json_20k.as_str()), default_patterns.len() + 20_000),
    ] {
        let (r0, h0) = (rss(), live());
        COUNTING.store(true, Ordering::SeqCst);
        let e = build(json);
        COUNTING.store(false, Ordering::SeqCst);
        let (r1, h1) = (rss(), live());
        let (t, _) = median(reps.max(3), || build(json).pattern_count() as u64);
        table.push(figure(
            "7",
            &format!("engine build, {label}"),
            &count.to_string(),
            format!("{:.1} ms", t.as_secs_f64() * 1e3),
            "JSON parse + layering + automaton",
        ));
        mem_rows.push(figure(
            "7",
            &format!("engine memory, {label}"),
            &count.to_string(),
            format!("{:.1} MB heap", (h1 - h0) as f64 / 1e6),
            &format!("RSS growth {:.1} MB", r1.saturating_sub(r0) as f64 / 1e6),
        ));
        engines.push(e);
    }
    for r in mem_rows {
        table.push(r);
    }

    // The corpus.
    let t = Instant::now();
    let c = corpus::generate(n, args.seed);
    let gen_time = t.elapsed();
    let mut lens: Vec<usize> = (0..c.len()).map(|i| c.chars(i)).collect();
    lens.sort_unstable();
    let pct = |p: f64| lens.get(((lens.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0);
    eprintln!(
        "corpus: {} messages, {:.1} MB, characters median {} / p90 {} / p99 {} / max {}, digest {:016x}, generated in {:.2} s",
        c.len(),
        c.bytes() as f64 / 1e6,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        c.digest(),
        gen_time.as_secs_f64()
    );
    let bytes = c.bytes();
    if args.corpus_only {
        for i in (0..c.len()).step_by((c.len() / 12).max(1)) {
            println!("{:?}", c.get(i));
        }
        return;
    }

    // 1. Baselines over pre-folded messages.
    let fold = Fold::new();
    let mut folded: Vec<String> = Vec::with_capacity(n);
    for m in c.iter() {
        let mut s = String::new();
        fold.fold(m, &mut s);
        folded.push(s);
    }
    let sets: [(&str, Vec<String>); 3] = [
        ("default fraud keywords", fraud_keywords.clone()),
        ("default fraud + 2k user", fraud_keywords.iter().chain(&words[..2_000]).cloned().collect()),
        ("default fraud + 20k user", fraud_keywords.iter().chain(&words).cloned().collect()),
    ];
    let mut base_ix = Vec::new();
    for (label, pats) in &sets {
        let ac = baseline_automaton(pats, &fold);
        let (t, hits) = median(reps, || scan_all(&ac, &folded));
        let mut row = throughput("1", &format!("aho-corasick leftmost-longest, pre-folded ({label})"), pats.len(), n, bytes, t, None);
        row.note = format!("{:.2} matches/msg; bytes counted are the raw messages'", hits as f64 / n as f64);
        let i = table.push(row);
        table.rows[i].base = Some(i);
        base_ix.push(i);
    }
    {
        let ac = baseline_automaton(&sets[0].1, &fold);
        let (t, _) = median(reps, || {
            let mut buf = String::new();
            c.iter()
                .map(|m| {
                    fold.fold(m, &mut buf);
                    ac.find_iter(buf.as_str()).count() as u64
                })
                .sum()
        });
        let mut row = throughput("1", "aho-corasick + the bench's own per-char fold", sets[0].1.len(), n, bytes, t, Some(base_ix[0]));
        row.note = "fold with a HashMap of ~100 Traditional chars; not the engine's normaliser".into();
        table.push(row);
    }
    drop(folded);

    // 2. and 3. The engine.
    let labels = ["default lexicon", "default + 2k user entries", "default + 20k user entries"];
    let mut analyze_ix = Vec::new();
    for (k, e) in engines.iter().enumerate() {
        let (t, _) = median(reps, || analyze_all(e, c.iter()));
        let mut row = throughput("2", &format!("Engine::analyze, 1 thread ({})", labels[k]), e.pattern_count(), n, bytes, t, Some(base_ix[k]));
        row.note = "normalise + scan + score + entities + masking".into();
        analyze_ix.push(table.push(row));
    }
    let summarize_ix = {
        let e = &engines[0];
        let (t, _) = median(reps, || {
            c.iter().map(|m| {
                let s = e.summarize(m);
                s.category as u64 + s.hit_count as u64 + s.risk as u64
            }).sum()
        });
        let mut row = throughput("2", "Engine::summarize, 1 thread (default lexicon)", e.pattern_count(), n, bytes, t, Some(base_ix[0]));
        row.note = "the digest the C ABI batch and analyze_many return".into();
        table.push(row)
    };
    let two_ix;
    {
        let e = &engines[0];
        let (t, _) = median(reps, || analyze_two_threads(e, &c));
        let mut row = throughput("3", "Engine::analyze, 2 threads, one engine (default)", e.pattern_count(), n, bytes, t, Some(base_ix[0]));
        let one = table.rows[analyze_ix[0]].msg_s().unwrap_or(1.0);
        row.note = format!("{:.2} × one thread", row.msg_s().unwrap_or(0.0) / one);
        two_ix = table.push(row);
    }

    // 4. and 5. need the C ABI and the Python binding (branch `capi`).
    // 4. The C ABI: the exported `extern "C"` functions, called here from
    // Rust (statically linked); the Python rows go through the cdylib.
    let capi_ix = capi_rows(&mut table, &c, summarize_ix, base_ix[0]);

    // 5. and 6. Python: the binding and the PyPI peers, on the same raw
    // messages and fraud keywords.
    let mut py_rows: Vec<PyRow> = Vec::new();
    if let Some(py) = &args.python {
        py_rows = run_python(py, &args.out, &c, &fraud_keywords, reps);
        for r in &py_rows {
            let id = if r.kind == "binding" { "5" } else { "6" };
            match r.msg_s {
                Some(m) => {
                    let t = Duration::from_secs_f64(n as f64 / m);
                    let mut row = throughput(id, &r.name, fraud_keywords.len(), n, bytes, t, Some(base_ix[0]));
                    if r.kind == "binding" {
                        let native = if r.native == "analyze" { analyze_ix[0] } else { summarize_ix };
                        let nat = table.rows[native].msg_s().unwrap_or(f64::NAN);
                        row.patterns = engines[0].pattern_count().to_string();
                        row.note = format!("{:.2} × native {}", m / nat, table.rows[native].name);
                    } else {
                        row.note = format!("{}; does less: raw text, no normalisation, no classification", r.note);
                    }
                    table.push(row);
                }
                None => {
                    table.push(figure(id, &r.name, &fraud_keywords.len().to_string(), "not available".into(), &r.note));
                }
            }
        }
    } else {
        table.push(figure("6", "PyPI peers", "", "not measured".into(), "run with --python (scripts/bench.sh does)"));
    }

    // 7. The aggregator.
    aggregator_rows(&mut table, &engines[0], &c, reps);

    // 8. Scaling.
    let total_chars = (n * 4).clamp(100_000, 4_000_000);
    let ac_default = baseline_automaton(&sets[0].1, &fold);
    for len in [10usize, 100, 1_000, 10_000] {
        let msgs = corpus::fixed_length(&c, len, total_chars);
        let b: usize = msgs.iter().map(|m| m.len()).sum();
        let mut buf = String::new();
        let pre: Vec<String> = msgs.iter().map(|m| { fold.fold(m, &mut buf); buf.clone() }).collect();
        let (tb, _) = median(reps, || scan_all(&ac_default, &pre));
        let bi = table.push(throughput("8", &format!("aho-corasick, {len}-char messages"), sets[0].1.len(), msgs.len(), b, tb, None));
        table.rows[bi].base = Some(bi);
        table.rows[bi].note = format!("{:.1} ns/char", tb.as_secs_f64() * 1e9 / (msgs.len() * len) as f64);
        let (te, _) = median(reps, || analyze_all(&engines[0], msgs.iter().map(String::as_str)));
        let mut row = throughput("8", &format!("Engine::analyze, {len}-char messages"), engines[0].pattern_count(), msgs.len(), b, te, Some(bi));
        row.note = format!("{:.1} ns/char", te.as_secs_f64() * 1e9 / (msgs.len() * len) as f64);
        table.push(row);
    }
    for count in [200usize, 2_000, 20_000] {
        // The default fraud keywords first, then synthetic words.
        let pats: Vec<String> = fraud_keywords.iter().chain(words.iter()).take(count).cloned().collect();
        let lex = corpus::user_lexicon_json(&pats);
        let e = Engine::builder().without_default_lexicon().lexicon_json(&lex).expect("lexicon").build().expect("engine");
        let ac = baseline_automaton(&pats, &fold);
        let mut buf = String::new();
        let pre: Vec<String> = c.iter().map(|m| { fold.fold(m, &mut buf); buf.clone() }).collect();
        let (tb, _) = median(reps, || scan_all(&ac, &pre));
        let bi = table.push(throughput("8", &format!("aho-corasick, {count} patterns"), count, n, bytes, tb, None));
        table.rows[bi].base = Some(bi);
        let (te, _) = median(reps, || analyze_all(&e, c.iter()));
        let mut row = throughput("8", &format!("Engine::analyze, only {count} fraud patterns"), e.pattern_count(), n, bytes, te, Some(bi));
        row.note = "no default lexicon".into();
        table.push(row);
    }

    // 9. Varied text: the labelled messages, by many authors in many
    // registers. The corpus above is built from some seventy phrases, whose
    // n-grams stay in cache; these show the cost of the model tables.
    let labelled = labelled_texts();
    if labelled.is_empty() {
        table.push(figure("9", "labelled messages", "", "not measured".into(), "data/labelled/ not found"));
    } else {
        let lb: usize = labelled.iter().map(String::len).sum();
        let mut buf = String::new();
        let pre: Vec<String> = labelled.iter().map(|m| { fold.fold(m, &mut buf); buf.clone() }).collect();
        let (tb, hits) = median(reps, || scan_all(&ac_default, &pre));
        let bi = table.push(throughput("9", "aho-corasick, labelled messages", sets[0].1.len(), labelled.len(), lb, tb, None));
        table.rows[bi].base = Some(bi);
        table.rows[bi].note = format!("{:.2} matches/msg; data/labelled/ and the dev set", hits as f64 / labelled.len() as f64);
        let (te, _) = median(reps, || analyze_all(&engines[0], labelled.iter().map(String::as_str)));
        let mut row = throughput("9", "Engine::analyze, labelled messages", engines[0].pattern_count(), labelled.len(), lb, te, Some(bi));
        row.note = format!("{:.2} µs/msg; the shipped models were trained on these texts", te.as_secs_f64() * 1e6 / labelled.len() as f64);
        table.push(row);
    }

    eprintln!("load average at the end: {}", load_average());
    println!();
    println!(
        "jingmin benchmark: {} messages ({:.1} MB, median {} chars, max {}), corpus digest {:016x}, median of {} runs; ratios are messages/s over the row's baseline in this run",
        n,
        bytes as f64 / 1e6,
        pct(0.5),
        pct(1.0),
        c.digest(),
        reps
    );
    table.print(args.markdown);
    targets(&table, &analyze_ix, summarize_ix, two_ix, capi_ix, &py_rows, args.markdown);
}

/// The texts of the labelled sets (`data/labelled/*.jsonl`, in name order,
/// then the development set `../shared/eval/dev.jsonl` when it is there);
/// empty when the sets are not found.
fn labelled_texts() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("data").join("labelled"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "jsonl")).collect())
        .unwrap_or_default();
    files.sort();
    files.push(root.join("..").join("shared").join("eval").join("dev.jsonl"));
    let mut out = Vec::new();
    for f in files {
        let Ok(body) = std::fs::read_to_string(&f) else { continue };
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                out.push(t.to_owned());
            }
        }
    }
    out
}

/// Rows 4: `jm_analyze_batch` (batches of 4,096 messages) and `jm_analyze`
/// (one call per message), default engine. Returns the batch row's index.
fn capi_rows(table: &mut Table, c: &Corpus, summarize_ix: usize, base: usize) -> usize {
    use crate::capi::{jm_analyze, jm_analyze_batch, jm_engine, jm_engine_free, jm_engine_new_default, jm_status, jm_summary, jm_text};
    let mut engine: *mut jm_engine = std::ptr::null_mut();
    // SAFETY: `engine` is a valid place for the handle.
    let st = unsafe { jm_engine_new_default(&mut engine) };
    assert_eq!(st, jm_status::JM_OK, "jm_engine_new_default");
    let n = c.len();
    let texts: Vec<jm_text> = c.iter().map(|m| jm_text { ptr: m.as_ptr(), len: m.len() }).collect();
    let mut out = vec![jm_summary::default(); n];
    let reps = table.reps;
    let (tb, _) = median(reps, || {
        let mut sum = 0u64;
        for (ins, outs) in texts.chunks(4096).zip(out.chunks_mut(4096)) {
            // SAFETY: `ins` holds `len` texts pointing into the live corpus;
            // `outs` has room for as many summaries.
            let st = unsafe { jm_analyze_batch(engine, ins.as_ptr(), ins.len(), outs.as_mut_ptr()) };
            assert_eq!(st, jm_status::JM_OK, "jm_analyze_batch");
            sum += outs.iter().map(|s| s.category as u64 + s.hit_count as u64 + s.risk as u64).sum::<u64>();
        }
        sum
    });
    let (t1, _) = median(reps, || {
        let mut sum = 0u64;
        let mut s = jm_summary::default();
        for t in &texts {
            // SAFETY: as above, one message.
            let st = unsafe { jm_analyze(engine, t.ptr, t.len, &mut s) };
            assert_eq!(st, jm_status::JM_OK, "jm_analyze");
            sum += s.category as u64 + s.hit_count as u64 + s.risk as u64;
        }
        sum
    });
    // SAFETY: the handle came from `jm_engine_new_default` and is freed once.
    unsafe { jm_engine_free(engine) };
    let native = table.rows[summarize_ix].msg_s().unwrap_or(f64::NAN);
    let mut row = throughput("4", "jm_analyze_batch (C ABI, batches of 4,096)", 0, n, c.bytes(), tb, Some(base));
    row.patterns = table.rows[summarize_ix].patterns.clone();
    row.note = format!("{:.2} × native Engine::summarize", row.msg_s().unwrap_or(0.0) / native);
    let bi = table.push(row);
    let mut row = throughput("4", "jm_analyze (C ABI, one call per message)", 0, n, c.bytes(), t1, Some(base));
    row.patterns = table.rows[summarize_ix].patterns.clone();
    row.note = format!("{:.2} × native Engine::summarize", row.msg_s().unwrap_or(0.0) / native);
    table.push(row);
    bi
}

/// One row from `bench/python/bench_peers.py`.
struct PyRow {
    /// `peer` or `binding`.
    kind: String,
    name: String,
    msg_s: Option<f64>,
    note: String,
    /// For binding rows: the native call it wraps (`analyze_many`,
    /// `summarize`, `analyze`).
    native: String,
}

/// Dump the corpus and the keywords, run the Python rows, read them back.
fn run_python(python: &str, out: &PathBuf, c: &Corpus, keywords: &[String], reps: usize) -> Vec<PyRow> {
    use std::io::Write;
    let mut rows = Vec::new();
    let failed = |note: String| PyRow { kind: "peer".into(), name: "PyPI peers".into(), msg_s: None, note, native: String::new() };
    if let Err(e) = std::fs::create_dir_all(out) {
        rows.push(failed(format!("cannot create {}: {e}", out.display())));
        return rows;
    }
    let msgs = out.join("messages.jsonl");
    let kws = out.join("keywords.json");
    let res = out.join("python_rows.json");
    let write = || -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&msgs)?);
        for m in c.iter() {
            writeln!(f, "{}", json_string(m))?;
        }
        f.flush()?;
        std::fs::write(&kws, serde_json::to_string(keywords).unwrap_or_default())?;
        Ok(())
    };
    if let Err(e) = write() {
        rows.push(failed(format!("cannot write the corpus dump: {e}")));
        return rows;
    }
    let _ = std::fs::remove_file(&res);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench").join("python").join("bench_peers.py");
    eprintln!("running {python} {}", script.display());
    let status = std::process::Command::new(python)
        .arg(&script)
        .arg("--messages")
        .arg(&msgs)
        .arg("--keywords")
        .arg(&kws)
        .arg("--reps")
        .arg(reps.min(3).to_string())
        .arg("--json")
        .arg(&res)
        .status();
    if !matches!(status, Ok(s) if s.success()) {
        rows.push(failed(format!("bench_peers.py did not run ({status:?})")));
        return rows;
    }
    let v = std::fs::read_to_string(&res).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let Some(v) = v else {
        rows.push(failed("bench_peers.py wrote no rows".into()));
        return rows;
    };
    for r in v.as_array().into_iter().flatten() {
        let s = |k: &str| r[k].as_str().unwrap_or("").to_owned();
        rows.push(PyRow { kind: s("kind"), name: s("name"), msg_s: r["messages_per_s"].as_f64(), note: s("note"), native: s("native") });
    }
    rows
}

/// The aggregator's input: analyses computed beforehand (a pool of 4,096
/// reused cyclically: in a pipeline the analysis is added right after it is
/// made, still in cache) and the messages, built in chunks outside any
/// timed loop.
struct AggInput<'c> {
    c: &'c Corpus,
    pool: Vec<Analysis>,
}

impl AggInput<'_> {
    const CHUNK: usize = 100_000;

    fn new<'c>(engine: &Engine, c: &'c Corpus) -> AggInput<'c> {
        let pool_n = c.len().min(4_096);
        AggInput { c, pool: (0..pool_n).map(|i| engine.analyze(c.get(i))).collect() }
    }

    fn message(&self, i: usize) -> Message {
        const BASE_TIME: i64 = 1_709_258_400;
        const ROLES: [Role; 4] = [Role::Resident, Role::Resident, Role::Police, Role::Unknown];
        Message {
            id: Some(format!("m{i}")),
            group: Some(format!("警民群{}", i % 64)),
            sender: Some(format!("u{}", i % 5_000)),
            role: ROLES[i % ROLES.len()],
            time: Some((BASE_TIME + (i as i64 * 7) % (30 * 86_400)).to_string()),
            text: self.c.get(i).to_owned(),
        }
    }

    /// Feeds every message to `agg`; returns the time spent in `add` only.
    /// With `count`, the counting allocator is on during the adds.
    fn feed(&self, agg: &mut Aggregator, count: bool) -> Duration {
        let n = self.c.len();
        let mut spent = Duration::ZERO;
        let mut start = 0;
        while start < n {
            let end = (start + Self::CHUNK).min(n);
            let msgs: Vec<Message> = (start..end).map(|i| self.message(i)).collect();
            COUNTING.store(count, Ordering::SeqCst);
            let t = Instant::now();
            for (k, m) in msgs.iter().enumerate() {
                agg.add(m, &self.pool[(start + k) % self.pool.len()]);
            }
            spent += t.elapsed();
            COUNTING.store(false, Ordering::SeqCst);
            start = end;
        }
        spent
    }
}

fn aggregator_rows(table: &mut Table, engine: &Engine, c: &Corpus, reps: usize) {
    let n = c.len();
    let input = AggInput::new(engine, c);
    // Speed without the counting allocator (median over fresh aggregators),
    // then the state size in one more pass with it.
    let mut adds: Vec<Duration> = (0..reps.min(3))
        .map(|_| {
            let mut agg = Aggregator::default();
            input.feed(&mut agg, false)
        })
        .collect();
    adds.sort();
    let ingest = adds[adds.len() / 2];
    let h0 = live();
    let r0 = rss();
    let mut agg = Aggregator::default();
    input.feed(&mut agg, true);
    let heap = (live() - h0) as f64 / agg.len().max(1) as f64;
    let rss_growth = rss().saturating_sub(r0) as f64 / agg.len().max(1) as f64;
    let mut row = throughput("7", "aggregator ingestion (add, analyses precomputed)", 0, n, c.bytes(), ingest, None);
    row.patterns = String::new();
    row.note = "time in add only, median of fresh aggregators".into();
    table.push(row);
    table.push(figure(
        "7",
        "aggregator state per message",
        "",
        format!("{heap:.1} B heap"),
        &format!("RSS growth {rss_growth:.1} B/msg; {} distinct messages", agg.len()),
    ));
    let (ts, len) = median(reps.min(3), || agg.snapshot().len() as u64);
    let snap = agg.snapshot();
    let (tr, _) = median(reps.min(3), || Aggregator::restore(&snap).map(|a| a.len() as u64).unwrap_or(0));
    table.push(figure(
        "7",
        &format!("aggregator snapshot + restore, {n} messages"),
        "",
        format!("{:.0} ms", (ts + tr).as_secs_f64() * 1e3),
        &format!(
            "snapshot {:.0} ms, restore {:.0} ms, {:.1} snapshot bytes/msg",
            ts.as_secs_f64() * 1e3,
            tr.as_secs_f64() * 1e3,
            len as f64 / agg.len().max(1) as f64
        ),
    ));
}

fn targets(table: &Table, analyze: &[usize], summarize: usize, two: usize, capi: usize, py: &[PyRow], markdown: bool) {
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut check = |what: &str, measured: Option<f64>, want: f64, unit: &str, at_most: bool| {
        let (m, ok) = match measured {
            Some(v) => (format!("{v:.2}{unit}"), if at_most { v <= want } else { v >= want }),
            None => ("not measured".into(), false),
        };
        let verdict = if measured.is_none() { "—" } else if ok { "met" } else { "not met" };
        out.push((what.into(), m, verdict.into()));
    };
    let ratio = |i: usize| table.ratio(i);
    check("Engine::analyze ≥ 1.0 × baseline (default lexicon)", ratio(analyze[0]), 1.0, "×", false);
    check("Engine::analyze ≥ 1.0 × baseline (2k user entries)", ratio(analyze[1]), 1.0, "×", false);
    check("Engine::analyze ≥ 1.0 × baseline (20k user entries)", ratio(analyze[2]), 1.0, "×", false);
    let ac_rs = py.iter().find(|p| p.name.starts_with("ahocorasick_rs")).and_then(|p| p.msg_s);
    check(
        "Engine::analyze ≥ 2 × ahocorasick_rs per message",
        ac_rs.and_then(|p| Some(table.rows[analyze[0]].msg_s()? / p)),
        2.0,
        "×",
        false,
    );
    check(
        "2 threads ≥ 1.8 × one thread",
        table.rows[two].msg_s().zip(table.rows[analyze[0]].msg_s()).map(|(a, b)| a / b),
        1.8,
        "×",
        false,
    );
    check(
        "jm_analyze_batch ≥ 0.95 × native (Engine::summarize)",
        table.rows[capi].msg_s().zip(table.rows[summarize].msg_s()).map(|(a, b)| a / b),
        0.95,
        "×",
        false,
    );
    let many = py.iter().find(|p| p.native == "analyze_many").and_then(|p| p.msg_s);
    check(
        "Python analyze_many ≥ 0.7 × native (Engine::summarize)",
        many.and_then(|m| Some(m / table.rows[summarize].msg_s()?)),
        0.7,
        "×",
        false,
    );
    let value = |name: &str| -> Option<f64> {
        let r = table.rows.iter().find(|r| r.name.starts_with(name))?;
        r.value.split_whitespace().next()?.parse().ok()
    };
    check("engine build, default lexicon ≤ 10 ms", value("engine build, default lexicon"), 10.0, " ms", true);
    check("engine build, 20k user entries ≤ 150 ms", value("engine build, default + 20k"), 150.0, " ms", true);
    let agg = table.rows.iter().find(|r| r.name.starts_with("aggregator ingestion")).and_then(Row::msg_s);
    check("aggregator ingestion ≥ 2,000,000 msg/s", agg.map(|v| v / 1e6), 2.0, " M/s", false);
    check("aggregator state ≤ 64 B/msg", value("aggregator state"), 64.0, " B", true);
    check("snapshot + restore of 1,000,000 messages ≤ 1 s", value("aggregator snapshot").map(|ms| ms / 1e3), 1.0, " s", true);
    println!();
    if markdown {
        println!("| target | measured | verdict |\n|---|---|---|");
        for (w, m, v) in &out {
            println!("| {w} | {m} | {v} |");
        }
    } else {
        println!("targets:");
        for (w, m, v) in &out {
            println!("  {:<56} {:>14}  {}", w, m, v);
        }
    }
}
