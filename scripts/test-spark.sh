#!/usr/bin/env bash
# Tests of jingmin on Apache Spark (bindings/python/jingmin/spark.py), in
# local mode (local[2]):
#   Java from Debian (default-jre-headless) when `java` is missing; the
#   release library and jingmin tool; pyspark, pyarrow and pandas from PyPI
#   into the venv of scripts/test-python.sh; then pytest
#   bindings/python/tests_spark, which compares Spark's reports with
#   `jingmin report --format json` on the same messages.
#
# pyspark 3.5.9: Spark 3.5 runs on Java 8, 11 and 17, and Debian 12's
# default-jre-headless is OpenJDK 17; its wheel (~318 MB, built by pip from
# the sdist once, then taken from pip's cache) is the smallest of the
# maintained lines.
#
# Usage: scripts/test-spark.sh [pytest args...]
# Environment: PYTHON (interpreter for a new venv, default python3),
#              VENV (default .venv in the repository root),
#              JINGMIN_SKIP_SPARK=1 skips this step, saying so (ignored when
#              CI is set: CI always runs it).
# On a fresh Debian machine run as root: missing tools are apt-get installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
START=$SECONDS

if [ "${JINGMIN_SKIP_SPARK:-0}" = 1 ]; then
    if [ -n "${CI:-}" ]; then
        echo "== JINGMIN_SKIP_SPARK=1 ignored: CI runs the Spark tests"
    else
        echo "== SKIPPED: the Spark tests did not run (JINGMIN_SKIP_SPARK=1); nothing of jingmin.spark was tested"
        exit 0
    fi
fi

. "$ROOT/scripts/lib.sh"

command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found (install Rust >= 1.75 with rustup)" >&2; exit 1; }
command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
fi
command -v java >/dev/null 2>&1 || apt_install default-jre-headless
JAVA_VERSION="$(java -version 2>&1 | head -1)"
echo "== $JAVA_VERSION"
major="$(echo "$JAVA_VERSION" | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p')"
case "$major" in
    8|11|17) ;;
    *) echo "warning: Java $major: pyspark $PYSPARK_VERSION is made for Java 8, 11 and 17" >&2 ;;
esac
T_JAVA=$SECONDS

echo "== cargo build --release -p jingmin-capi -p jingmin-cli"
cargo build --release -p jingmin-capi -p jingmin-cli
TARGET="$(cargo_target_dir)/release"
export JINGMIN_CLI="$TARGET/jingmin"
T_BUILD=$SECONDS

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import pytest' >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q pytest
fi
if ! "$VENV/bin/python" - "$PYSPARK_VERSION" <<'PY' >/dev/null 2>&1
import sys
import pyarrow, pandas, pyspark
assert pyspark.__version__ == sys.argv[1]
PY
then
    echo "== pip install ${PYSPARK_REQS[*]} (PyPI, or the wheels of scripts/prefetch-pypi.sh; the pyspark sdist is ~318 MB)"
    pip_install "$VENV" "${PYSPARK_REQS[@]}"
fi
echo "== pip install -e bindings/python"
"$VENV/bin/python" -m pip install -q -e "$ROOT/bindings/python"
T_PIP=$SECONDS

echo "== pytest tests_spark ($("$VENV/bin/python" --version), pyspark $("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)'), local[2])"
# As in test-python.sh: the library from the source tree, or named when
# cargo builds elsewhere. The executors get their own copy through
# spark.executorEnv.JINGMIN_LIBRARY (tests_spark/conftest.py).
unset JINGMIN_LIBRARY
[ "$(dirname "$TARGET")" = "$ROOT/target" ] || export JINGMIN_LIBRARY="$TARGET/libjingmin.so"
cd "$ROOT/bindings/python"
set +e
"$VENV/bin/python" -m pytest -q -W "ignore::DeprecationWarning" tests_spark "$@"
status=$?
set -e
T_TEST=$SECONDS
echo "== Spark step: $(( SECONDS - START )) s (java $(( T_JAVA - START )) s, cargo $(( T_BUILD - T_JAVA )) s, pip $(( T_PIP - T_BUILD )) s, tests $(( T_TEST - T_PIP )) s)"
exit $status
