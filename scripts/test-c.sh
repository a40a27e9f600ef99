#!/usr/bin/env bash
# Tests of the C ABI: build the release library, check the header is what
# cbindgen generates, check exports / soname / pkg-config / the static
# archive's native libs, then compile and run the C and C++ tests linked
# against the shared library and against the static archive, plain, under
# valgrind memcheck and with AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Usage: scripts/test-c.sh
# Every step runs even when an earlier one failed; the script lists the
# failed steps at the end and exits 1 if there are any.
# On a fresh Debian machine run as root: missing tools are apt-get installed
# (gcc, g++, valgrind, pkg-config, binutils) and cbindgen is installed with
# cargo when it is missing or not the pinned version.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CBINDGEN_VERSION=0.29.4
OUT="$ROOT/build/c"          # staging "install" tree and test binaries
MESSAGES="$ROOT/tests/data/messages.tsv"
JSONL="$ROOT/examples/data/exports/community_xingfuli.jsonl"  # messages of the aggregator tests
THREAD_ROUNDS=4348           # rounds of the 8-thread test, plain runs: 8 threads x 100,004 messages
THREAD_ROUNDS_SLOW=3         # under valgrind and the sanitizers

FAILED=()
step() { # step NAME COMMAND...: run, record a failure, go on
    local name="$1"
    shift
    echo "== $name"
    if "$@"; then
        echo "   ok"
    else
        echo "   FAILED: $name" >&2
        FAILED+=("$name")
    fi
}

. "$ROOT/scripts/lib.sh"

# --- tools ---------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || { echo "error: cargo not found (install Rust >= 1.75 with rustup)" >&2; exit 1; }
need=()
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v c++ >/dev/null 2>&1 || need+=(g++)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v nm >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 || need+=(binutils)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
export PATH="$HOME/.cargo/bin:$PATH"
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
    echo "== installing cbindgen $CBINDGEN_VERSION"
    cargo install --locked --quiet cbindgen --version "$CBINDGEN_VERSION" || exit 1
fi

# --- build ---------------------------------------------------------------
echo "== cargo build --release -p jingmin-capi"
cargo build --release -p jingmin-capi || exit 1
TARGET="$(cargo_target_dir)/release"
SO="$TARGET/libjingmin.so"
ARCHIVE="$TARGET/libjingmin.a"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' jingmin-capi/Cargo.toml | head -n1)"

# A staging install by scripts/install.sh, laid out as a system install:
#   lib/libjingmin.so.<version>, lib/libjingmin.so.0 -> it, lib/libjingmin.so -> .so.0,
#   lib/libjingmin.a, include/jingmin.h, lib/pkgconfig/jingmin.pc
rm -rf "$OUT"
mkdir -p "$OUT/bin"
scripts/install.sh --prefix "$OUT" --no-build >/dev/null || exit 1
export PKG_CONFIG_PATH="$OUT/lib/pkgconfig"

# --- checks of the artefacts ----------------------------------------------
check_header_is_generated() {
    cbindgen --quiet --config jingmin-capi/cbindgen.toml --crate jingmin-capi --verify --output include/jingmin.h ||
        { echo "include/jingmin.h is stale: run cbindgen --config jingmin-capi/cbindgen.toml --crate jingmin-capi --output include/jingmin.h" >&2; return 1; }
}

check_exports() {
    local exported declared
    exported="$(nm -D --defined-only "$SO" | awk '{print $3}' | sed 's/@.*//' | sort -u)"
    declared="$(grep -oE '\bjm_[a-z0-9_]+\(' include/jingmin.h | tr -d '(' | sort -u)"
    if echo "$exported" | grep -v '^jm_'; then
        echo "symbols above are exported but are not jm_ symbols" >&2
        return 1
    fi
    if [ "$exported" != "$declared" ]; then
        echo "exported and declared functions differ:" >&2
        diff <(echo "$declared") <(echo "$exported") >&2
        return 1
    fi
    echo "   $(echo "$exported" | wc -l) jm_ symbols exported, all declared in jingmin.h"
}

check_soname() {
    readelf -d "$SO" | grep -q 'Library soname: \[libjingmin.so.0\]' ||
        { echo "soname is not libjingmin.so.0" >&2; readelf -d "$SO" | grep SONAME >&2; return 1; }
}

check_native_static_libs() {
    local current
    current="$(cargo rustc --quiet --release -p jingmin-capi --lib --crate-type staticlib -- --print native-static-libs 2>&1 |
        sed -n 's/.*native-static-libs: //p' | head -n1)"
    [ -n "$current" ] || { echo "rustc printed no native-static-libs" >&2; return 1; }
    echo "   rustc: $current"
    local ok=0
    grep -qxF "native_static_libs=$current" jingmin-capi/jingmin.pc.in ||
        { echo "jingmin-capi/jingmin.pc.in: native_static_libs is not '$current'" >&2; ok=1; }
    grep -qF "NATIVE_STATIC_LIBS: $current" docs/c-api.md ||
        { echo "docs/c-api.md: 'NATIVE_STATIC_LIBS: $current' missing" >&2; ok=1; }
    return $ok
}

check_pkg_config() {
    pkg-config --validate jingmin &&
        [ "$(pkg-config --modversion jingmin)" = "$VERSION" ] &&
        pkg-config --cflags jingmin | grep -q -- "-I$OUT/include" &&
        pkg-config --libs jingmin | grep -q -- "-ljingmin" &&
        pkg-config --static --libs jingmin | grep -q -- "-lpthread"
}

header_compiles() {
    printf '#include <jingmin.h>\nint main(void) { return jm_abi_version() == JM_ABI_VERSION ? 0 : 1; }\n' >"$OUT/header.c"
    cp "$OUT/header.c" "$OUT/header.cpp"
    cc -std=c99 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes $(pkg-config --cflags jingmin) -c "$OUT/header.c" -o "$OUT/header_c.o" &&
        c++ -std=c++11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags jingmin) -c "$OUT/header.cpp" -o "$OUT/header_cpp.o" &&
        cc -std=c11 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags jingmin) -c "$OUT/header.c" -o "$OUT/header_c11.o" &&
        c++ -std=c++17 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags jingmin) -c "$OUT/header.cpp" -o "$OUT/header_cpp17.o"
}

installed_example_runs() {
    # A second install, into a prefix given as DESTDIR + PREFIX; the README's
    # example built with that prefix's pkg-config (shared and static) and
    # run with LD_LIBRARY_PATH naming that prefix's lib only.
    local stage="$OUT/stage" prefix=/opt/jingmin
    rm -rf "$stage"
    scripts/install.sh --prefix "$prefix" --destdir "$stage" --no-build >/dev/null || return 1
    local pc="$stage$prefix/lib/pkgconfig"
    [ "$(readlink "$stage$prefix/lib/libjingmin.so")" = libjingmin.so.0 ] &&
        [ "$(readlink "$stage$prefix/lib/libjingmin.so.0")" = "libjingmin.so.$VERSION" ] || { echo "symlinks wrong" >&2; return 1; }
    [ -f "$stage$prefix/share/licenses/jingmin/NOTICE" ] || { echo "licences missing" >&2; return 1; }
    grep -qx "prefix=$prefix" "$pc/jingmin.pc" || { echo "jingmin.pc names another prefix" >&2; return 1; }
    # pkg-config answers for the final prefix; the staged tree stands in for it.
    local cflags libs slibs
    cflags="$(PKG_CONFIG_PATH="$pc" pkg-config --cflags jingmin | sed "s|$prefix|$stage$prefix|g")"
    libs="$(PKG_CONFIG_PATH="$pc" pkg-config --libs jingmin | sed "s|$prefix|$stage$prefix|g")"
    # --static adds Libs.private (the archive's native libraries); -ljingmin
    # is pointed at the archive, since the linker prefers the .so beside it.
    slibs="$(PKG_CONFIG_PATH="$pc" pkg-config --static --libs jingmin |
        sed -e "s|-L$prefix/lib||" -e "s|-ljingmin|$stage$prefix/lib/libjingmin.a|")"
    awk '/^```c$/{on=1; next} /^```$/{if(on){exit}} on' README.md >"$OUT/readme.c"
    # shellcheck disable=SC2086
    cc -std=c99 -Wall -Werror $cflags "$OUT/readme.c" $libs -o "$OUT/bin/readme_installed" &&
        env -u LD_LIBRARY_PATH LD_LIBRARY_PATH="$stage$prefix/lib" "$OUT/bin/readme_installed" | grep -q '^safety task_rebate' &&
        ! env -u LD_LIBRARY_PATH "$OUT/bin/readme_installed" >/dev/null 2>&1 || { echo "the shared build does not run from the prefix alone" >&2; return 1; }
    # shellcheck disable=SC2086
    cc -std=c99 -Wall -Werror $cflags "$OUT/readme.c" $slibs -o "$OUT/bin/readme_static" &&
        "$OUT/bin/readme_static" | grep -q '^safety task_rebate' &&
        ! readelf -d "$OUT/bin/readme_static" | grep -q 'NEEDED.*libjingmin'
}

readme_c_example_runs() {
    # The README's C snippet is a whole program: it compiles as C99 with
    # -Wall -Werror against the staged install and runs.
    awk '/^```c$/{on=1; next} /^```$/{if(on){exit}} on' README.md >"$OUT/readme.c"
    [ -s "$OUT/readme.c" ] || { echo "no C block in README.md" >&2; return 1; }
    cc -std=c99 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags jingmin) "$OUT/readme.c" \
        $(pkg-config --libs jingmin) -Wl,-rpath,"$OUT/lib" -o "$OUT/bin/readme" &&
        "$OUT/bin/readme" | grep -q '^safety task_rebate risk'
}

step "header is what cbindgen generates" check_header_is_generated
step "only jm_ symbols exported (nm -D)" check_exports
step "soname libjingmin.so.0" check_soname
step "pkg-config file" check_pkg_config
step "header compiles (C99/C11 and C++11/C++17, -Wall -Wextra -Werror -pedantic)" header_compiles
step "the README's C example compiles and runs" readme_c_example_runs
step "scripts/install.sh: a prefix that pkg-config, the linker and the loader use alone" installed_example_runs

# --- compile the tests ------------------------------------------------------
CFLAGS=(-std=c99 -Wall -Wextra -Werror -pedantic -g -pthread)
CXXFLAGS=(-std=c++11 -Wall -Wextra -Werror -pedantic -g -pthread -I"$ROOT/bindings/cpp")
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
read -r -a PC_CFLAGS <<<"$(pkg-config --cflags jingmin)"
read -r -a PC_LIBS <<<"$(pkg-config --libs jingmin)"
read -r -a NATIVE <<<"$(pkg-config --variable=native_static_libs jingmin)"
RPATH=(-Wl,-rpath,"$OUT/lib")
C_TESTS=(test_analyze test_errors test_threads test_aggregate)
CPP_TESTS=(test_wrapper test_aggregator)

build_tests() {
    local t ok=0
    for t in "${C_TESTS[@]}"; do
        cc "${CFLAGS[@]}" "${PC_CFLAGS[@]}" "tests/c/$t.c" "${PC_LIBS[@]}" "${RPATH[@]}" -o "$OUT/bin/${t}_shared" || ok=1
        cc "${CFLAGS[@]}" "${PC_CFLAGS[@]}" "tests/c/$t.c" "$OUT/lib/libjingmin.a" "${NATIVE[@]}" -o "$OUT/bin/${t}_static" || ok=1
        cc "${CFLAGS[@]}" "${SAN[@]}" "${PC_CFLAGS[@]}" "tests/c/$t.c" "${PC_LIBS[@]}" "${RPATH[@]}" -o "$OUT/bin/${t}_asan" || ok=1
    done
    for t in "${CPP_TESTS[@]}"; do
        c++ "${CXXFLAGS[@]}" "${PC_CFLAGS[@]}" "tests/cpp/$t.cpp" "${PC_LIBS[@]}" "${RPATH[@]}" -o "$OUT/bin/${t}_shared" || ok=1
        c++ "${CXXFLAGS[@]}" "${PC_CFLAGS[@]}" "tests/cpp/$t.cpp" "$OUT/lib/libjingmin.a" "${NATIVE[@]}" -o "$OUT/bin/${t}_static" || ok=1
        c++ "${CXXFLAGS[@]}" "${SAN[@]}" "${PC_CFLAGS[@]}" "tests/cpp/$t.cpp" "${PC_LIBS[@]}" "${RPATH[@]}" -o "$OUT/bin/${t}_asan" || ok=1
    done
    return $ok
}

linkage_is_right() {
    # Shared builds load libjingmin.so.0 (the soname); static builds load no libjingmin.
    readelf -d "$OUT/bin/test_analyze_shared" | grep -q 'NEEDED.*\[libjingmin.so.0\]' &&
        ! readelf -d "$OUT/bin/test_analyze_static" | grep -q 'NEEDED.*libjingmin' &&
        ! readelf -d "$OUT/bin/test_wrapper_static" | grep -q 'NEEDED.*libjingmin'
}

step "compile C and C++ tests (shared, static, ASan+UBSan)" build_tests
step "shared tests need libjingmin.so.0, static ones no .so" linkage_is_right

# --- run them ----------------------------------------------------------------
run_one() { # run_one LAUNCHER... -- BINARY ARGS...: run, explain a failure
    local launcher=()
    while [ "$1" != -- ]; do launcher+=("$1"); shift; done
    shift
    local rc=0
    "${launcher[@]}" "$@" || rc=$?
    case $rc in
        0) ;;
        1) echo "   $(basename "$1"): checks failed (listed above)" >&2 ;;
        99) echo "   $(basename "$1"): VALGRIND found memory errors or leaks" >&2 ;;
        98) echo "   $(basename "$1"): ASan/UBSan found an error" >&2 ;;
        *) echo "   $(basename "$1"): exit status $rc" >&2 ;;
    esac
    return $rc
}

run_variant() { # run_variant SUFFIX [launcher...]
    local suffix="$1" rounds="$THREAD_ROUNDS"
    shift
    if [ $# -gt 0 ] || [ "$suffix" = asan ]; then rounds="$THREAD_ROUNDS_SLOW"; fi
    local ok=0
    run_one "$@" -- "$OUT/bin/test_analyze_$suffix" "$MESSAGES" || ok=1
    run_one "$@" -- "$OUT/bin/test_errors_$suffix" || ok=1
    run_one "$@" -- "$OUT/bin/test_threads_$suffix" "$MESSAGES" "$rounds" || ok=1
    run_one "$@" -- "$OUT/bin/test_wrapper_$suffix" "$MESSAGES" || ok=1
    run_one "$@" -- "$OUT/bin/test_aggregate_$suffix" "$JSONL" || ok=1
    run_one "$@" -- "$OUT/bin/test_aggregator_$suffix" "$JSONL" || ok=1
    return $ok
}

VALGRIND=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=98"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"

step "run tests linked against libjingmin.so" run_variant shared
step "run tests linked against libjingmin.a" run_variant static
step "run tests under valgrind memcheck (shared)" run_variant shared "${VALGRIND[@]}"
step "run tests under valgrind memcheck (static)" run_variant static "${VALGRIND[@]}"
step "run tests with ASan+UBSan" run_variant asan
# Last: it rebuilds the library as a staticlib only.
step "native-static-libs list is current (jingmin-capi/jingmin.pc.in, docs/c-api.md)" check_native_static_libs

echo
if [ ${#FAILED[@]} -eq 0 ]; then
    echo "test-c: all steps passed"
    exit 0
fi
echo "test-c: ${#FAILED[@]} step(s) failed:" >&2
printf '  - %s\n' "${FAILED[@]}" >&2
exit 1
