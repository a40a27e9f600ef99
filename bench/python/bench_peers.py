#!/usr/bin/env python3
"""Python rows of the jingmin benchmark (issue 6, rows 5 and 6).

Row 6: the PyPI peers -- ahocorasick_rs, pyahocorasick, flashtext and
hyperscan -- on the same raw messages with the same fraud keywords as the
Rust rows, one call per message (hyperscan also over one joined buffer).
They do less than jingmin: no normalisation (Traditional script, full-width
forms, separators inside keywords), no classification, no entities.

Row 5: the jingmin Python binding (bindings/python), when it is in the tree
and its library is built: ``Engine.analyze_many`` (one batch call) and
per-message ``Engine.summarize`` and ``Engine.analyze``.

The script runs in the virtualenv ``.venv-bench`` at the repository root,
which it creates and fills from PyPI on first use (one ``pip install`` per
peer; a peer that cannot be installed is reported "not available", the run
goes on). ``--no-venv`` uses the current interpreter as it is.

Input comes from the Rust bench (``cargo bench --bench throughput --
--python python3`` writes it under target/bench): ``--messages`` a JSON
Lines file of message strings, ``--keywords`` a JSON list of keywords.
``--json`` writes the rows for the Rust bench to merge into its table.
Standalone: ``python3 bench/python/bench_peers.py --messages
target/bench/messages.jsonl --keywords target/bench/keywords.json``.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, ".venv-bench")
# PyPI name -> import name.
PEERS = [
    ("ahocorasick-rs", "ahocorasick_rs"),
    ("pyahocorasick", "ahocorasick"),
    ("flashtext", "flashtext"),
    ("hyperscan", "hyperscan"),
]


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def ensure_venv(argv):
    """Create .venv-bench if needed, install the peers one by one (failures
    are reported and skipped), and re-run this script inside it."""
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        print("creating %s" % VENV, file=sys.stderr)
        r = subprocess.run([sys.executable, "-m", "venv", VENV])
        if r.returncode != 0 or not os.path.exists(py):
            print("cannot create the virtualenv; running without it", file=sys.stderr)
            return
    for dist, module in PEERS:
        have = subprocess.run([py, "-c", "import %s" % module], capture_output=True).returncode == 0
        if have:
            continue
        print("pip install %s" % dist, file=sys.stderr)
        r = subprocess.run(
            [py, "-m", "pip", "install", "--disable-pip-version-check", "-q", dist],
            stdout=sys.stderr,
            stderr=sys.stderr,
            timeout=900,
        )
        if r.returncode != 0:
            print("pip could not install %s: it will be reported not available" % dist, file=sys.stderr)
    os.execv(py, [py, os.path.abspath(__file__)] + argv)


def median_time(reps, fn):
    """Median wall time of ``reps`` runs of ``fn`` (and its last result)."""
    times = []
    result = None
    for _ in range(reps):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def peer_ahocorasick_rs(keywords):
    import ahocorasick_rs

    ac = ahocorasick_rs.AhoCorasick(keywords, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    find = ac.find_matches_as_indexes

    def run(messages, _encoded):
        return sum(len(find(m)) for m in messages)

    return "ahocorasick_rs, leftmost-longest, per message", run, ""


def peer_pyahocorasick(keywords):
    import ahocorasick

    a = ahocorasick.Automaton()
    for i, k in enumerate(keywords):
        a.add_word(k, i)
    a.make_automaton()
    if hasattr(a, "iter_long"):
        it, how = a.iter_long, "longest non-overlapping (iter_long)"
    else:
        it, how = a.iter, "all overlapping matches (iter)"

    def run(messages, _encoded):
        n = 0
        for m in messages:
            for _ in it(m):
                n += 1
        return n

    return "pyahocorasick, per message", run, how


def peer_flashtext(keywords):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor()
    kp.add_keywords_from_list(list(keywords))
    extract = kp.extract_keywords

    def run(messages, _encoded):
        return sum(len(extract(m)) for m in messages)

    return "flashtext, per message", run, "word-boundary semantics"


def hyperscan_db(keywords):
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    exprs = [re.sub(rb"([^A-Za-z0-9\x80-\xff])", rb"\\\1", k.encode("utf-8")) for k in keywords]
    db.compile(expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=[0] * len(exprs))
    return db


def peer_hyperscan(keywords):
    db = hyperscan_db(keywords)
    count = [0]

    def on_match(_id, _start, _end, _flags, _ctx):
        count[0] += 1
        return 0

    def run(_messages, encoded):
        count[0] = 0
        for b in encoded:
            db.scan(b, match_event_handler=on_match)
        return count[0]

    return "hyperscan, literals, per message", run, "all end offsets; UTF-8 encoded beforehand"


def peer_hyperscan_buffer(keywords):
    db = hyperscan_db(keywords)
    count = [0]

    def on_match(_id, _start, _end, _flags, _ctx):
        count[0] += 1
        return 0

    joined = [None]

    def run(_messages, encoded):
        if joined[0] is None:
            joined[0] = b"\n".join(encoded)
        count[0] = 0
        db.scan(joined[0], match_event_handler=on_match)
        return count[0]

    return "hyperscan, literals, one joined buffer", run, "one call for all messages"


PEER_ROWS = [
    ("ahocorasick_rs, leftmost-longest, per message", "ahocorasick_rs", peer_ahocorasick_rs),
    ("pyahocorasick, per message", "ahocorasick", peer_pyahocorasick),
    ("flashtext, per message", "flashtext", peer_flashtext),
    ("hyperscan, literals, per message", "hyperscan", peer_hyperscan),
    ("hyperscan, literals, one joined buffer", "hyperscan", peer_hyperscan_buffer),
]


def binding_rows(messages, reps):
    """Rows of the jingmin binding, or [] when it is not in the tree or its
    library is not built."""
    path = os.path.join(ROOT, "bindings", "python")
    if not os.path.isdir(os.path.join(path, "jingmin")):
        return []
    sys.path.insert(0, path)
    try:
        import jingmin
    except Exception as e:  # noqa: BLE001 -- any failure means "not available"
        return [{"name": "jingmin binding", "kind": "binding", "messages_per_s": None, "note": "import failed: %s" % type(e).__name__}]
    rows = []
    try:
        engine = jingmin.Engine()
    except Exception as e:  # noqa: BLE001
        return [{"name": "jingmin binding", "kind": "binding", "messages_per_s": None, "note": "no library: %s" % type(e).__name__}]
    cases = [
        ("Python Engine.analyze_many (one batch call)", "analyze_many", lambda: len(engine.analyze_many(messages))),
        ("Python Engine.summarize, per message", "summarize", lambda: sum(engine.summarize(m).risk for m in messages)),
        ("Python Engine.analyze, per message (full JSON)", "analyze", lambda: sum(len(engine.analyze(m).entities) for m in messages)),
    ]
    for name, native, fn in cases:
        t, _ = median_time(reps, fn)
        rows.append({"name": name, "kind": "binding", "native": native, "messages_per_s": len(messages) / t, "note": ""})
        print("  %-50s %12.0f msg/s" % (name, len(messages) / t), file=sys.stderr)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--messages", required=True, help="JSON Lines file, one message string per line")
    p.add_argument("--keywords", required=True, help="JSON list of keywords")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--json", help="write the rows here")
    p.add_argument("--no-venv", action="store_true", help="use this interpreter as it is")
    args = p.parse_args()
    if not args.no_venv and not in_venv():
        ensure_venv(sys.argv[1:])

    with open(args.messages, encoding="utf-8") as f:
        messages = [json.loads(line) for line in f if line.strip()]
    with open(args.keywords, encoding="utf-8") as f:
        keywords = sorted(set(k for k in json.load(f) if k))
    encoded = [m.encode("utf-8") for m in messages]
    nbytes = sum(len(b) for b in encoded)
    print("Python %s: %d messages, %d keywords" % (sys.version.split()[0], len(messages), len(keywords)), file=sys.stderr)

    rows = []
    for name, module, make in PEER_ROWS:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 -- not installed: not available
            rows.append({"name": name, "kind": "peer", "messages_per_s": None, "note": "not available (pip could not install it)"})
            print("  %-50s not available" % name, file=sys.stderr)
            continue
        try:
            label, run, note = make(keywords)
            t, matches = median_time(args.reps, lambda: run(messages, encoded))
        except Exception as e:  # noqa: BLE001 -- a peer failing must not stop the run
            rows.append({"name": name, "kind": "peer", "messages_per_s": None, "note": "failed: %s" % type(e).__name__})
            print("  %-50s failed: %r" % (name, e), file=sys.stderr)
            continue
        per_msg = matches / max(1, len(messages))
        rows.append({
            "name": label,
            "kind": "peer",
            "messages_per_s": len(messages) / t,
            "mb_per_s": nbytes / 1e6 / t,
            "note": ("%s; " % note if note else "") + "%.2f matches/msg" % per_msg,
        })
        print("  %-50s %12.0f msg/s %8.1f MB/s" % (label, len(messages) / t, nbytes / 1e6 / t), file=sys.stderr)

    rows.extend(binding_rows(messages, args.reps))

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
    else:
        for r in rows:
            v = r["messages_per_s"]
            print("%-50s %14s  %s" % (r["name"], "not available" if v is None else "%.0f msg/s" % v, r["note"]))


if __name__ == "__main__":
    main()
