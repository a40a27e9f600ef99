#!/usr/bin/env bash
# Every test of jingmin, on a fresh Debian machine with the Rust toolchain:
#   - clippy (warnings are errors)
#   - Rust: unit, integration, property and doc tests, the accuracy floors on
#     ../shared/eval/dev.jsonl and the fraud floors on data/labelled/
#   - the models: reproducible from the committed data, and their held-out
#     figures (trained without the development set) above the floors
#   - C and C++: header current, exports, soname, pkg-config; tests against
#     the shared and the static library, under valgrind and ASan/UBSan
#   - Python: the ctypes binding, in a venv from PyPI
#   - Spark: jingmin.spark in local mode (pyspark from PyPI, Debian's Java),
#     its reports equal to the command line's
#   - release artefacts: the ABI list, glibc-2.17 builds for x86_64 and
#     aarch64 (cargo-zigbuild), wheels installed in a fresh venv
#   - Java: the JNA binding (bindings/java), JUnit 5 against Debian's jars
#   - the fuzz targets' proptest equivalents, and cargo deny (licences,
#     bans, sources; offline)
#   - the HTML report of the demo data, rendered in headless Chromium
# Installs what it needs (Debian packages with apt-get, cbindgen,
# cargo-deny, a venv, pyspark, chromium and fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

# Each step's heading says how long the one before took, and the whole
# run's time is printed at the end (CI has a budget).
START=$SECONDS
LAST=$SECONDS
step() {
    printf '\n==== %s   (previous step %ds, total %ds)\n' "$*" "$((SECONDS - LAST))" "$((SECONDS - START))"
    LAST=$SECONDS
}

if ! command -v python3 >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
fi
[ -f ../shared/eval/dev.jsonl ] || { echo "missing ../shared/eval/dev.jsonl (the evaluation data sits beside the repository)"; exit 2; }

# The downloads of the Python steps (pyspark's 318 MB sdist above all) need
# the network, not the cores: fetched in the background meanwhile.
mkdir -p target
scripts/prefetch-pypi.sh > target/pypi-prefetch.log 2>&1 &
PREFETCH=$!

step "clippy"
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings

step "Rust tests (release)"
cargo test --release --workspace --all-features

step "fuzz smoke"
# The proptest equivalents of the fuzz targets: installing cargo-fuzz and
# building the instrumented targets takes longer than CI should wait (see
# fuzz/README.md). JINGMIN_FUZZ_SMOKE=--libfuzzer (or empty: whichever works)
# runs libFuzzer instead.
scripts/fuzz-smoke.sh ${JINGMIN_FUZZ_SMOKE---proptest}

step "cargo deny"
# Licences, bans, duplicate versions, sources (offline; deny.toml). A
# cargo-deny already installed (or cached by CI in ~/.cargo/bin) is used.
command -v cargo-deny >/dev/null 2>&1 || cargo install --quiet cargo-deny --locked
cargo deny check licenses bans sources
# The OpenCC notice ships with the sources (src/fold_table.rs derives from it).
grep -q OpenCC NOTICE && grep -q "Apache License" LICENSES/OpenCC-Apache-2.0.txt

step "C and C++"
scripts/test-c.sh

step "Python"
wait "$PREFETCH" || echo "(the PyPI prefetch failed, see target/pypi-prefetch.log; the steps download themselves)"
scripts/test-python.sh

step "Spark"
scripts/test-spark.sh

step "release artefacts: ABI list, glibc-2.17 x86_64 + aarch64 builds, wheels"
scripts/test-dist.sh

step "Java"
scripts/test-java.sh

step "models: reproducible, and held out"
# The committed models are what training produces; the development set,
# left out of training, meets the floors of the first core issue, with the
# TF-IDF + linear SVM baseline scored beside; every other labelled set, left
# out of training in its turn, meets the generalisation floors and flags at
# most 4 % of its messages without fraud content (tools/loso.py; the whole
# table with the baseline: `tools/loso.py --markdown FILE`).
scripts/train-model.sh --check
. scripts/lib.sh
.venv/bin/python -c 'import sklearn' 2>/dev/null || pip_install .venv scikit-learn
.venv/bin/python tools/loso.py --only dev --min category_acc=0.90 --min category_macro_f1=0.88 \
    --min fraud_precision=0.95 --min fraud_recall=0.95 --min fraud_type_acc=0.90 --min stance_acc=0.92
# kin_and_bosses_south is held to 12 % false alarms instead of 4 %: its
# genuine messages are written to read as the scam openers of the same
# people (a grandchild's new number, a boss's payment order, a relative
# asking to borrow), told apart only by what the text cannot show
# (data/labelled/README.md; the baseline flags 29 % of them).
lookalikes=kin_and_bosses_south
others=()
for f in data/labelled/*.jsonl; do
    n="$(basename "$f" .jsonl)"
    [ "$n" = "$lookalikes" ] || others+=(--only "$n")
done
floors=(--min category_acc=0.72 --min fraud_precision=0.88 --min fraud_recall=0.70 --min stance_acc=0.80)
.venv/bin/python tools/loso.py --no-baseline "${others[@]}" "${floors[@]}" --max false_alarms=0.04
.venv/bin/python tools/loso.py --no-baseline --only "$lookalikes" "${floors[@]}" --max false_alarms=0.12

step "report HTML in Chromium"
scripts/check-html.sh

step "all tests passed"
