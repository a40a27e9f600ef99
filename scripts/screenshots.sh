#!/usr/bin/env bash
# Screenshots of the demo report's HTML page, for the README: as a phone
# shows it (390 px wide, at two device pixels per CSS pixel) and as a
# desktop browser does (1280 px wide), each from the top of the page down
# to a sensible height. Taken in headless Chromium (scripts/chromium_page.py),
# made smaller with pngquant.
#
# Usage: scripts/screenshots.sh [OUT_DIR]   (default docs/)
# Writes OUT_DIR/report-phone.png and OUT_DIR/report-desktop.png. The page's
# time of making is SOURCE_DATE_EPOCH (default 1712345678, 2024-04-06
# 03:34:38 +08:00, the day after the demo data ends), so that the same page
# gives the same pictures.
# On a fresh Debian machine run as root: chromium, a CJK font and pngquant
# are apt-get installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-$ROOT/docs}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

. "$ROOT/scripts/lib.sh"

need_chromium
command -v pngquant >/dev/null 2>&1 || apt_install pngquant

echo "== cargo build --release -p jingmin-cli"
cargo build --quiet --release -p jingmin-cli
BIN="$(cargo_target_dir)/release/jingmin"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HTML="$WORK/report.html"
echo "== jingmin report --format html (the README's demo command)"
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1712345678}" \
    "$BIN" report examples/data/exports/* --roster examples/data/roster.csv --exported-by-police --format html --out "$HTML"

SHOT=(python3 "$ROOT/scripts/chromium_page.py" screenshot "file://$HTML")
# The phone: the header, the headline, every chart and the group table.
echo "== phone, 390 px"
"${SHOT[@]}" "$WORK/phone.png" --width 390 --mobile --scale 2 --max-height 2900
# The desktop: down to the tables of cases.
echo "== desktop, 1280 px"
"${SHOT[@]}" "$WORK/desktop.png" --width 1280 --max-height 2300

for name in phone desktop; do
    pngquant --force --skip-if-larger --strip --quality 70-95 --output "$OUT/report-$name.png" -- "$WORK/$name.png" ||
        cp "$WORK/$name.png" "$OUT/report-$name.png"
    python3 - "$OUT/report-$name.png" <<'PY'
import struct
import sys

with open(sys.argv[1], "rb") as fh:
    png = fh.read()
w, h = struct.unpack(">II", png[16:24])
print(f"   {sys.argv[1]}: {w}x{h}, {len(png) // 1024} KiB")
if len(png) > 600 * 1024:
    sys.exit(f"{sys.argv[1]}: over 600 KiB")
PY
done
