#!/usr/bin/env bash
# Tests of the Java binding (bindings/java, JNA):
#   install what is missing with apt-get (default-jdk-headless, libjna-java,
#   junit5, libjackson2-databind-java), build the release library and the
#   jingmin tool with cargo, compile the binding with javac against Debian's
#   jars and bundle the library in the jar (bindings/java/build.sh; no Maven,
#   no Maven repository), run the JUnit 5 tests with the console launcher,
#   then check the three ways the library is found and run examples/java.
#
# Usage: scripts/test-java.sh [console launcher args...]   e.g. --select-class cn.jingmin.ThreadsTest
# Environment: JINGMIN_DEVSET (default ../shared/eval/dev.jsonl beside the repository).
# On a fresh Debian machine run as root: missing packages are apt-get installed.
# Exits non-zero when a test fails or is skipped (a skipped test here means
# a missing input, e.g. the dev set).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/lib.sh"
START=$SECONDS

command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found (install Rust >= 1.75 with rustup)" >&2; exit 1; }

J=/usr/share/java
need=()
if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1 ||
    [ "$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')" -lt 17 ] 2>/dev/null; then
    need+=(default-jdk-headless)
fi
[ -f "$J/jna.jar" ] || need+=(libjna-java)
[ -f "$J/junit-platform-console-standalone.jar" ] && [ -f "$J/junit-jupiter-api.jar" ] || need+=(junit5)
[ -f "$J/jackson-databind.jar" ] || need+=(libjackson2-databind-java)
[ ${#need[@]} = 0 ] || apt_install "${need[@]}"
echo "== $(javac -version 2>&1), JNA $(ls $J/jna-[0-9]*.jar 2>/dev/null | sed 's/.*jna-\(.*\)\.jar/\1/' | head -1)"

echo "== cargo build --release -p jingmin-capi -p jingmin-cli"
cargo build --release -p jingmin-capi -p jingmin-cli
# cargo's target directory (CARGO_TARGET_DIR, a config's build.target-dir, or target/).
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
[ -n "$TARGET_DIR" ] || TARGET_DIR="$ROOT/target"
LIB="$TARGET_DIR/release/libjingmin.so"
CLI="$TARGET_DIR/release/jingmin"
OUT="$TARGET_DIR/java"

echo "== bindings/java/build.sh (javac, jar with linux-x86-64/libjingmin.so bundled)"
bindings/java/build.sh --tests "$LIB" "$OUT"

DEVSET="${JINGMIN_DEVSET:-$ROOT/../shared/eval/dev.jsonl}"
[ -f "$DEVSET" ] || { echo "error: no dev set at $DEVSET (set JINGMIN_DEVSET)" >&2; exit 1; }

DEPS="$J/jna.jar:$J/jackson-core.jar:$J/jackson-databind.jar:$J/jackson-annotations.jar"
# The library comes from the jar: nothing else may provide it.
unset JINGMIN_LIBRARY
export LD_LIBRARY_PATH=
LOG="$OUT/junit.log"
echo "== JUnit 5 (console launcher; the library bundled in the jar)"
set +e
# A fixed, pre-touched heap: NativeMemoryTest reads RSS and must see native memory only.
java -Xms512m -Xmx512m -XX:+AlwaysPreTouch \
    -Djingmin.devset="$DEVSET" -Djingmin.cli="$CLI" -Djingmin.expect.library='!/linux-x86-64/libjingmin.so' \
    -cp "$OUT/jingmin.jar:$OUT/test-classes:$DEPS:$J/junit-platform-console-standalone.jar" \
    org.junit.platform.console.ConsoleLauncher --disable-banner --disable-ansi-colors --details=tree \
    --fail-if-no-tests --scan-class-path "$OUT/test-classes" "$@" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
count() { sed -n "s/^\[ *\([0-9]*\) tests $1 *\]$/\1/p" "$LOG" | tail -1; }
ok="$(count successful)"; failed="$(count failed)"; aborted="$(count aborted)"; skipped="$(count skipped)"
echo "${ok:-0} tests successful, ${failed:-0} tests failed, $(( ${aborted:-0} + ${skipped:-0} )) tests skipped or aborted"
if [ "$status" != 0 ] || [ -z "$ok" ] || [ "${failed:-1}" != 0 ]; then
    echo "java: ${ok:-0} passed, ${failed:-?} failed"
    exit 1
fi
if [ "${aborted:-0}" != 0 ] || [ "${skipped:-0}" != 0 ]; then
    echo "error: ${aborted:-0} tests aborted and ${skipped:-0} skipped: a missing input (see above)" >&2
    echo "java: $ok passed, 1 failed"
    exit 1
fi

echo "== loading: JINGMIN_LIBRARY, -Djna.library.path, the copy bundled in the jar"
where() { java "$@" -cp "$OUT/jingmin.jar:$DEPS" cn.jingmin.Jingmin; }
check() { # check WANT OUTPUT
    case "$2" in *"from $1"*) echo "ok: $2" ;; *) echo "error: expected the library from $1, got: $2" >&2; exit 1 ;; esac
}
check "$LIB" "$(JINGMIN_LIBRARY="$LIB" where)"
check "$(dirname "$LIB")/libjingmin.so" "$(where -Djna.library.path="$(dirname "$LIB")")"
check "jar:file:$OUT/jingmin.jar!/linux-x86-64/libjingmin.so" "$(where)"
if JINGMIN_LIBRARY=/nonexistent/libjingmin.so where >/dev/null 2>"$OUT/err.txt"; then
    echo "error: a missing JINGMIN_LIBRARY should fail" >&2; exit 1
fi
grep -q "JINGMIN_LIBRARY=/nonexistent/libjingmin.so: no such file" "$OUT/err.txt" ||
    { echo "error: unclear message for a missing library:" >&2; cat "$OUT/err.txt" >&2; exit 1; }

echo "== examples/java/Example.java (java source launcher, classpath of the README)"
example="$(java -cp "$OUT/jingmin.jar:$DEPS" examples/java/Example.java)"
echo "$example"
case "$example" in *"刷单返利"*"诈骗引流"*) ;; *) echo "error: unexpected output of the example" >&2; exit 1 ;; esac

echo "== Java binding: $ok tests passed in $(( SECONDS - START )) s"
echo "java: $ok passed, 0 failed"
