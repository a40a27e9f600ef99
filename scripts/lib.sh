# Shared by the test scripts: install Debian packages when a tool is missing.
# Source it: . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_UPDATED=0

# apt_install PACKAGE...: install with apt-get (root only), running
# `apt-get update` once per script.
apt_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing $*; install it (needs root and apt-get)" >&2
        exit 1
    fi
    if [ "$APT_UPDATED" = 0 ]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    echo "== apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The directory cargo builds into: CARGO_TARGET_DIR, the `build.target-dir`
# of a cargo config, or target/ — as `cargo metadata` reports it.
cargo_target_dir() {
    cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# need_chromium: headless Chromium, python3 to drive it, and a CJK font
# (without one Chromium draws the Chinese text as boxes).
need_chromium() {
    command -v python3 >/dev/null 2>&1 || apt_install python3
    command -v chromium >/dev/null 2>&1 || apt_install chromium
    if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh-cn family 2>/dev/null)" ]; then
        apt_install fonts-noto-cjk fontconfig
    fi
}

# What the test steps install from PyPI, in one place (scripts/prefetch-pypi.sh
# fetches it ahead). pyspark 3.5.9: Spark 3.5 runs on Java 8, 11 and 17.
PYSPARK_VERSION=3.5.9
PYSPARK_REQS=("pyspark==$PYSPARK_VERSION" "pyarrow>=11" "pandas>=1.0.5,<3")
PYPI_PREFETCH=("${PYSPARK_REQS[@]}" pytest openpyxl scikit-learn)

# pip_install VENV PACKAGE...: pip install, from the prefetched wheels of
# scripts/prefetch-pypi.sh when they are there (PyPI for the rest).
pip_install() {
    local venv="$1"
    shift
    local pre="$(dirname "${BASH_SOURCE[0]}")/../target/pypi-prefetch"
    if [ -f "$pre/done" ] && "$venv/bin/python" -m pip install -q --no-index --find-links "$pre/wheels" "$@" 2>/dev/null; then
        return 0
    fi
    "$venv/bin/python" -m pip install -q "$@"
}
