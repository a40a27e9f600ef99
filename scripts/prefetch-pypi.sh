#!/usr/bin/env bash
# Fetch, while the cores build and test Rust, what the later steps of
# scripts/test.sh take from PyPI: pyspark's sdist (~318 MB) built into a
# wheel, and the wheels of pyarrow, pandas, pytest, openpyxl and
# scikit-learn, into target/pypi-prefetch. scripts/test-spark.sh and
# scripts/test-python.sh install from there (pip --find-links) when it
# holds the files, else from PyPI as before: this only moves the download
# and the wheel build off the critical path.
#
# Usage: scripts/prefetch-pypi.sh   (scripts/test.sh runs it in the background)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/lib.sh"
PYTHON="${PYTHON:-python3}"
DIR="$ROOT/target/pypi-prefetch"
mkdir -p "$DIR"
# A venv of its own: the test venv may not exist yet, and pip is not
# installed system-wide on Debian. Made by the interpreter the test venv
# will use, so that the wheels fit it.
if [ ! -x "$DIR/venv/bin/pip" ]; then
    "$PYTHON" -m venv "$DIR/venv"
fi
"$DIR/venv/bin/python" -m pip install -q --upgrade pip
"$DIR/venv/bin/python" -m pip wheel -q -w "$DIR/wheels" "${PYPI_PREFETCH[@]}"
touch "$DIR/done"
echo "prefetched: $(ls "$DIR/wheels" | wc -l) wheels in $DIR/wheels"
