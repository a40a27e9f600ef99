#!/usr/bin/env bash
# A short smoke run of every fuzz target (fuzz/README.md).
#
#   scripts/fuzz-smoke.sh              libFuzzer when cargo-fuzz works here,
#                                      else the proptest equivalents
#   scripts/fuzz-smoke.sh --libfuzzer  libFuzzer or fail
#   scripts/fuzz-smoke.sh --proptest   the proptest equivalents only
#
# libFuzzer: each target runs FUZZ_SMOKE_SECONDS (default 20) seconds,
# one at a time, on a scratch copy of its committed corpus (fuzz/corpus/
# is never written). cargo-fuzz needs nightly compiler features; on a
# stable toolchain they are unlocked with RUSTC_BOOTSTRAP=1. A crash
# leaves its input in fuzz/artifacts/<target>/ and fails the script.
#
# proptest: `cargo test --release -p jingmin-capi --test lib fuzz_equivalents`,
# the same checks (fuzz/src/checks.rs) on the committed seeds, mutated
# seeds and arbitrary bytes; PROPTEST_CASES random cases per target
# (default here 8192).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

mode=auto
case "${1:-}" in
    "") ;;
    --libfuzzer) mode=libfuzzer ;;
    --proptest) mode=proptest ;;
    *) echo "usage: $0 [--libfuzzer|--proptest]" >&2; exit 2 ;;
esac
secs=${FUZZ_SMOKE_SECONDS:-20}

targets=(analyze lexicon snapshot_restore aggregator_json
         ingest_jsonl ingest_wechatmsg ingest_pywxdump ingest_chatlog ingest_qq ingest_csv ingest_detect
         capi)

# Whether cargo-fuzz can build here: the tool, a C++ compiler for libFuzzer,
# and -Z flags (nightly, or stable with RUSTC_BOOTSTRAP=1).
libfuzzer_works() {
    command -v cargo-fuzz >/dev/null 2>&1 || return 1
    command -v c++ >/dev/null 2>&1 || command -v clang++ >/dev/null 2>&1 || return 1
    RUSTC_BOOTSTRAP=1 rustc -Z unstable-options --print sysroot >/dev/null 2>&1 || return 1
}

if [ "$mode" = auto ]; then
    if libfuzzer_works; then mode=libfuzzer; else mode=proptest; fi
fi

if [ "$mode" = proptest ]; then
    echo "fuzz smoke: proptest equivalents (PROPTEST_CASES=${PROPTEST_CASES:-8192})"
    PROPTEST_CASES=${PROPTEST_CASES:-8192} cargo test --quiet --release -p jingmin-capi --test lib fuzz_equivalents
    exit 0
fi

libfuzzer_works || { echo "fuzz smoke: cargo-fuzz cannot run here (cargo install cargo-fuzz --locked; a C++ compiler)" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
echo "fuzz smoke: libFuzzer, ${secs}s per target"
cargo fuzz build -O
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t"
    log="$scratch/$t.log"
    if cargo fuzz run -O "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        printf '  %-18s ok   %s runs\n' "$t" "${runs:-?}"
    else
        printf '  %-18s FAILED (input in fuzz/artifacts/%s/)\n' "$t" "$t"
        tail -n 40 "$log"
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz smoke: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz smoke: all ${#targets[@]} targets ok"
