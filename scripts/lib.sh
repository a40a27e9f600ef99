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
