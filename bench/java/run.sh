#!/usr/bin/env bash
# The Java row of the benchmark: Engine.analyzeMany (and the binding's other
# paths) in messages/s, as a ratio to the same work through the C ABI with no
# JVM (native_bench.c: jm_analyze_json per message, jm_analyze_batch), on the
# same messages, one thread each. houbb/sensitive-word is reported as not
# measured: it is a Maven Central artefact, and no Maven repository is
# reachable from this machine.
#
# Usage: bench/java/run.sh [--corpus FILE] [--messages N] [--reps R] [--markdown]
#   --corpus    JSON Lines of messages: the Rust bench's dump
#               (target/bench/messages.jsonl, written by scripts/bench.sh) when it
#               exists, else the dev set ../shared/eval/dev.jsonl (cycled to N)
#   --messages  default 100,000; --reps default 5 (median)
# Needs what scripts/test-java.sh installs (a JDK, libjna-java,
# libjackson2-databind-java) and a C compiler; builds the library with cargo.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
J=/usr/share/java
for f in "$J/jna.jar" "$J/jackson-databind.jar"; do
    [ -f "$f" ] || { echo "error: $f missing: run scripts/test-java.sh once (it installs the packages)" >&2; exit 1; }
done
command -v javac >/dev/null 2>&1 || { echo "error: no JDK: run scripts/test-java.sh once" >&2; exit 1; }
CC="${CC:-cc}"

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
[ -n "$TARGET_DIR" ] || TARGET_DIR="$ROOT/target"
OUT="$TARGET_DIR/bench/java"
CORPUS=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --corpus) CORPUS="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
if [ -z "$CORPUS" ]; then
    CORPUS="$TARGET_DIR/bench/messages.jsonl"
    [ -f "$CORPUS" ] || CORPUS="$ROOT/../shared/eval/dev.jsonl"
fi
echo "== corpus: $CORPUS" >&2

echo "== cargo build --release -p jingmin-capi" >&2
cargo build --release --quiet -p jingmin-capi
LIB="$TARGET_DIR/release/libjingmin.so"
mkdir -p "$OUT/lib"
ln -sf "$LIB" "$OUT/lib/libjingmin.so.0"   # the soname the program records

echo "== native_bench.c, jingmin.jar, JavaBench.java" >&2
"$CC" -std=c99 -O2 -Wall -Wextra -I"$ROOT/include" bench/java/native_bench.c \
    -L"$TARGET_DIR/release" -ljingmin -Wl,-rpath,"$OUT/lib" -o "$OUT/native_bench"
bindings/java/build.sh "$LIB" "$OUT/binding" >&2
DEPS="$OUT/binding/jingmin.jar:$J/jna.jar:$J/jackson-core.jar:$J/jackson-databind.jar:$J/jackson-annotations.jar"
rm -rf "$OUT/classes" && mkdir -p "$OUT/classes"
javac --release 17 -encoding UTF-8 -d "$OUT/classes" -cp "$DEPS" bench/java/JavaBench.java

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec java -Xms1g -Xmx1g -cp "$OUT/classes:$DEPS" JavaBench --corpus "$CORPUS" --native "$OUT/native_bench" \
    --work "$OUT" "${args[@]}"
