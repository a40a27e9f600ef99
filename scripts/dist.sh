#!/usr/bin/env bash
# Release artefacts of jingmin in dist/:
#   jingmin-VERSION-ARCH-linux-gnu2.17.tar.gz   the C install layout of
#       scripts/install.sh (include/, lib/ with libjingmin.so.VERSION,
#       .so.0 and .so links, libjingmin.a, lib/pkgconfig/jingmin.pc, the
#       licences under share/) in a top folder of the same name; its
#       jingmin.pc is relocatable (prefix=${pcfiledir}/../..): unpack it
#       anywhere, or into /usr/local with --strip-components=1;
#   jingmin-VERSION-py3-none-manylinux2014_ARCH.manylinux_2_17_ARCH.whl
#       the Python package with libjingmin.so next to __init__.py;
#   SHA256SUMS.
# The libraries are built for glibc 2.17 with cargo-zigbuild
# (scripts/zigbuild.sh); every one is checked with objdump -T (no symbol
# version above GLIBC_2.17) and every wheel with auditwheel, whose tag it
# then carries.
#
# Usage: scripts/dist.sh [--target x86_64|aarch64|all] [--out DIR]
#   --target  x86_64, aarch64, or all (both). Default: x86_64, and aarch64
#             too where its toolchain can be had (skipped with a note
#             otherwise). For aarch64 the target's Rust standard library
#             comes from rustup (`rustup target add aarch64-unknown-linux-gnu`)
#             or else from Debian (see scripts/zigbuild.sh).
#   --out     default dist/ (git-ignored)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/lib.sh"

TARGETS=(x86_64 aarch64) OUT="$ROOT/dist" OPTIONAL=aarch64
while [ $# -gt 0 ]; do
    case "$1" in
        --target) case "${2:-}" in
                x86_64|aarch64) TARGETS=("$2"); OPTIONAL="" ;;
                all) TARGETS=(x86_64 aarch64); OPTIONAL="" ;;
                *) echo "dist.sh: --target x86_64|aarch64|all" >&2; exit 2 ;;
            esac; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "dist.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
GLIBC_MAX=2.17
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' jingmin-capi/Cargo.toml | head -n1)"
VENV="${DIST_VENV:-$ROOT/build/dist-venv}"
STAGE="$ROOT/build/dist-stage"
command -v objdump >/dev/null 2>&1 || apt_install binutils
# Reproducible archives: file times from the last commit.
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

# max_glibc FILE: the highest GLIBC_x.y symbol version FILE needs.
max_glibc() {
    objdump -T "$1" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1
}

mkdir -p "$OUT"
rm -f "$OUT/SHA256SUMS"
for arch in "${TARGETS[@]}"; do
    rm -f "$OUT/jingmin-$VERSION-$arch-"*.tar.gz "$OUT/jingmin-$VERSION-"*"_$arch.whl"
    echo "== $arch: libjingmin for glibc $GLIBC_MAX"
    if ! BUILT="$(scripts/zigbuild.sh "$arch" | tail -n1)" || [ -z "$BUILT" ]; then
        if [ "$arch" = "$OPTIONAL" ]; then
            echo "dist.sh: $arch skipped: its build failed (see above; --target $arch to make that an error)" >&2
            continue
        fi
        echo "dist.sh: the $arch build failed" >&2
        exit 1
    fi
    # Without debug information (the static archive carries the standard
    # library's); symbols stay.
    strip="strip"
    if [ "$arch" != "$(uname -m)" ]; then
        strip="$arch-linux-gnu-strip"
        command -v "$strip" >/dev/null 2>&1 || apt_install "binutils-${arch//_/-}-linux-gnu"
    fi
    LIBDIR="$STAGE/lib-$arch"
    rm -rf "$LIBDIR"
    mkdir -p "$LIBDIR"
    cp "$BUILT/libjingmin.so" "$BUILT/libjingmin.a" "$LIBDIR/"
    "$strip" --strip-debug "$LIBDIR/libjingmin.so" "$LIBDIR/libjingmin.a"
    need="$(max_glibc "$LIBDIR/libjingmin.so")"
    if [ "$(printf '%s\n%s\n' "$need" "$GLIBC_MAX" | sort -V | tail -n1)" != "$GLIBC_MAX" ]; then
        echo "dist.sh: $LIBDIR/libjingmin.so needs GLIBC_$need, above $GLIBC_MAX" >&2
        exit 1
    fi
    echo "   objdump -T: highest symbol version GLIBC_$need"

    name="jingmin-$VERSION-$arch-linux-gnu$GLIBC_MAX"
    rm -rf "$STAGE/root" "${STAGE:?}/${name:?}"
    scripts/install.sh --prefix /usr/local --destdir "$STAGE/root" --from "$LIBDIR" >/dev/null
    mkdir -p "$STAGE/$name"
    mv "$STAGE/root/usr/local"/* "$STAGE/$name/"
    # A relocatable pkg-config file: the prefix is wherever the archive was
    # unpacked (the folder holding lib/pkgconfig/), so PKG_CONFIG_PATH is
    # all a user sets.
    sed -i -e 's|^prefix=.*|# Relocatable: the prefix is the folder that holds lib/pkgconfig/.\nprefix=${pcfiledir}/../..|' \
        -e 's|^libdir=.*|libdir=${prefix}/lib|' -e 's|^includedir=.*|includedir=${prefix}/include|' \
        "$STAGE/$name/lib/pkgconfig/jingmin.pc"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
        -C "$STAGE" -cf - "$name" | gzip -n -9 >"$OUT/$name.tar.gz"
    echo "   $OUT/$name.tar.gz"

    echo "== $arch: wheel"
    rm -rf "$STAGE/wheel" bindings/python/build
    JINGMIN_WHEEL_LIBRARY="$LIBDIR/libjingmin.so" JINGMIN_WHEEL_PLAT="linux_$arch" \
        "$VENV/bin/python" -m build --wheel --no-isolation --outdir "$STAGE/wheel" bindings/python >"$STAGE/wheel.log" 2>&1 ||
        { cat "$STAGE/wheel.log" >&2; echo "dist.sh: wheel build failed" >&2; exit 1; }
    rm -rf bindings/python/build
    # auditwheel: the wheel's ELF files against the manylinux policies, and
    # the wheel renamed to the oldest platform they allow.
    PATH="$VENV/bin:$PATH" "$VENV/bin/auditwheel" repair --plat auto -w "$STAGE/wheel/repaired" "$STAGE"/wheel/*.whl \
        >"$STAGE/auditwheel.log" 2>&1 || { cat "$STAGE/auditwheel.log" >&2; exit 1; }
    wheel="$(ls "$STAGE"/wheel/repaired/*.whl)"
    case "$(basename "$wheel")" in
        *manylinux2014_"$arch"*) ;;
        *) echo "dist.sh: auditwheel tagged $(basename "$wheel"), not manylinux2014_$arch" >&2; exit 1 ;;
    esac
    cp "$wheel" "$OUT/"
    echo "   $OUT/$(basename "$wheel")"
    rm -rf "${STAGE:?}/${name:?}" "$STAGE/root" "$STAGE/wheel"
done
rm -rf "$STAGE"
(cd "$OUT" && sha256sum jingmin-"$VERSION"-*.tar.gz jingmin-"$VERSION"-*.whl >SHA256SUMS)
echo "== $OUT"
(cd "$OUT" && ls -l jingmin-"$VERSION"-* SHA256SUMS | awk '{printf "   %10d  %s\n", $5, $9}')
