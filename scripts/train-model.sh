#!/usr/bin/env bash
# Trains model/category.bin and model/fraud.bin from every labelled set: the development set
# beside the repository and the project's own sets in data/labelled/.
#   scripts/train-model.sh            write the model
#   scripts/train-model.sh --check    exit 1 unless the committed models are what training produces
set -euo pipefail
cd "$(dirname "$0")/.."
data=(--data ../shared/eval/dev.jsonl)
for f in data/labelled/*.jsonl; do data+=(--data "$f"); done
if [ "${1:-}" = "--check" ]; then
    exec cargo run --quiet --release --example train_classifier -- "${data[@]}" --min-count 4 --check model/category.bin --check-fraud model/fraud.bin
fi
exec cargo run --quiet --release --example train_classifier -- "${data[@]}" --min-count 4 --out model/category.bin --fraud-out model/fraud.bin
