#!/usr/bin/env bash
# Tests of the Python binding (bindings/python):
#   build the release library and the jingmin tool, create the virtualenv .venv (once) with pytest
#   and openpyxl from PyPI, install the binding into it (editable), run pytest.
#
# Usage: scripts/test-python.sh [pytest args...]
# Environment: PYTHON (interpreter for a new venv, default python3),
#              VENV (default .venv in the repository root).
# On a fresh Debian machine run as root: missing tools are apt-get installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"

. "$ROOT/scripts/lib.sh"

command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found (install Rust >= 1.75 with rustup)" >&2; exit 1; }
command -v "$PYTHON" >/dev/null 2>&1 || apt_install python3
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
fi

# The library and the command-line tool: tests/test_cross.py compares the
# binding with the native `jingmin analyze` on random strings.
echo "== cargo build --release -p jingmin-capi -p jingmin-cli"
cargo build --release -p jingmin-capi -p jingmin-cli
TARGET="$(cargo_target_dir)/release"
export JINGMIN_CLI="$TARGET/jingmin"

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import pytest, openpyxl' >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    # openpyxl reads back the workbooks of `jingmin report --format xlsx`.
    pip_install "$VENV" pytest openpyxl
fi
echo "== pip install -e bindings/python"
"$VENV/bin/python" -m pip install -q -e "$ROOT/bindings/python"

echo "== pytest ($("$VENV/bin/python" --version))"
# The tests find the library through the source tree (target/release);
# JINGMIN_LIBRARY from the caller's environment would override that. With
# another target directory (CARGO_TARGET_DIR), the library is named.
unset JINGMIN_LIBRARY
[ "$(dirname "$TARGET")" = "$ROOT/target" ] || export JINGMIN_LIBRARY="$TARGET/libjingmin.so"
cd "$ROOT/bindings/python"
"$VENV/bin/python" -m pytest -q "$@"
