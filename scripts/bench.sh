#!/usr/bin/env bash
# The whole benchmark of issue 6 in one command: builds in release, generates
# the corpus, runs the Rust rows, the C ABI rows (when the C ABI is in the
# tree), the Python binding rows (when bindings/python is in the tree) and the
# PyPI peers (in the virtualenv .venv-bench, created on first use), and prints
# one table followed by the targets of the issue.
#
# Usage: scripts/bench.sh [--messages N] [--reps R] [--markdown] [--seed S]
# Environment: PYTHON (interpreter for the Python rows, default python3;
#              NO_PYTHON=1 skips them).
# Defaults: 1,000,000 messages, median of 5 repetitions. A quick look:
#   scripts/bench.sh --messages 50000 --reps 3
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"

command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found" >&2; exit 1; }

echo "== cargo build --release (library, cdylib for the bindings)" >&2
cargo build --release --quiet
echo "== cargo bench --bench throughput --no-run" >&2
cargo bench --bench throughput --no-run --quiet

args=()
if [ "${NO_PYTHON:-0}" != 1 ] && command -v "$PYTHON" >/dev/null 2>&1; then
    args+=(--python "$PYTHON")
else
    echo "note: no Python rows ($PYTHON not found or NO_PYTHON=1)" >&2
fi
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2
cargo bench --bench throughput --quiet -- "${args[@]}" "$@"
if [ "${NO_JAVA:-0}" != 1 ] && command -v javac >/dev/null 2>&1 && [ -f /usr/share/java/jna.jar ]; then
    echo "== Java rows: bench/java/run.sh (corpus target/bench/messages.jsonl, else the dev set)" >&2
    java_args=(); for a in "$@"; do [ "$a" = --markdown ] && java_args+=(--markdown); done
    bench/java/run.sh "${java_args[@]}" || echo "note: the Java rows failed" >&2
else
    echo "note: no Java rows (scripts/test-java.sh installs the JDK and jars; NO_JAVA=1 skips)" >&2
fi
